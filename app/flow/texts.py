"""Content text in the person's language: message contexts, extraction and lookup.

Every content string is translated with `pgettext(context, english)`. The context says where the
string lives (`status.prompt`, `status.option.green_card`, `finding.travel_risk.summary`), so two
equal English strings in different places can be translated apart. The YAML extractor and the
pages use the same functions below, so what is extracted is exactly what is looked up.
"""

from collections.abc import Iterator
from typing import Any

from app.flow.content import Node, Option, Text, parse_text
from app.i18n import pgettext

# Keys whose values people read, wherever they appear in findings and page data.
READABLE_KEYS = frozenset(
    {
        "prompt",
        "help",
        "label",
        "title",
        "summary",
        "next_steps",
        "text",
        "heading",
        "intro",
        "step",
        "name",
        "description",
        "action",
        "note",
    }
)


def _forms(context: str, text: Text) -> Iterator[tuple[str, str]]:
    yield context, text.you
    if text.they:
        yield f"{context}.they", text.they


def node_messages(node: Node) -> Iterator[tuple[str, str]]:
    yield from _forms(f"{node.id}.prompt", node.prompt)
    if node.help:
        yield from _forms(f"{node.id}.help", node.help)
    for option in node.options:
        yield from _forms(f"{node.id}.option.{option.value}", option.label)


def data_messages(data: Any, context: str) -> Iterator[tuple[str, str]]:
    """Readable strings in findings or page data, with contexts built from ids and keys."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in READABLE_KEYS and (text := parse_text(value)) is not None:
                yield from _forms(f"{context}.{key}", text)
            elif isinstance(value, dict | list):
                yield from data_messages(value, f"{context}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            item_id = item.get("id", index) if isinstance(item, dict) else index
            yield from data_messages(item, f"{context}.{item_id}")


def translate(context: str, text: Text, perspective: str) -> str:
    if perspective == "they" and text.they:
        return pgettext(f"{context}.they", text.they)
    return pgettext(context, text.you)


def prompt(node: Node, perspective: str) -> str:
    return translate(f"{node.id}.prompt", node.prompt, perspective)


def help_text(node: Node, perspective: str) -> str | None:
    return translate(f"{node.id}.help", node.help, perspective) if node.help else None


def option_label(node: Node, value: str, perspective: str) -> str:
    """The label of one of the node's options by its value (the value itself if it has none)."""
    option = node.option(value)
    return value if option is None else label(node, option, perspective)


def label(node: Node, option: Option, perspective: str) -> str:
    """An option's label, for a loop over the node's options (no search by value for each)."""
    return translate(f"{node.id}.option.{option.value}", option.label, perspective)


def translate_data(data: Any, context: str, perspective: str) -> Any:
    """A copy of findings or page data with every readable string translated."""
    if isinstance(data, dict):
        copy = {}
        for key, value in data.items():
            if key in READABLE_KEYS and (text := parse_text(value)) is not None:
                copy[key] = translate(f"{context}.{key}", text, perspective)
            elif isinstance(value, dict | list):
                copy[key] = translate_data(value, f"{context}.{key}", perspective)
            else:
                copy[key] = value
        return copy
    if isinstance(data, list):
        return [
            translate_data(
                item, f"{context}.{item.get('id', i) if isinstance(item, dict) else i}", perspective
            )
            for i, item in enumerate(data)
        ]
    return data
