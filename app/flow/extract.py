"""The pybabel extractor for content YAML, registered in babel.cfg (`[extractors]`)."""

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from app.flow.articles import LEARN_DIR, article_messages, parse_article
from app.flow.content import parse_node
from app.flow.texts import data_messages, node_messages
from app.flow.yaml_loader import ContentLoader

Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_content_yaml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Extracted]:
    path = Path(getattr(fileobj, "name", "content.yaml"))
    data = yaml.load(fileobj.read().decode("utf-8"), Loader=ContentLoader)  # noqa: S506
    for context, text in content_messages(path, data):
        yield 0, "pgettext", (context, text), [f"{path.parent.name}/{path.name}"]


def content_messages(path: Path, data: Any) -> Iterator[tuple[str, str]]:
    """(context, English) pairs of one content file, chosen by where the file lives."""
    if path.parent.name == "flow":
        for raw in data or []:
            node = parse_node(raw, str(path), [])
            if node is not None:
                yield from node_messages(node)
    elif path.name == "findings.yaml":
        yield from data_messages(data or {}, "finding")
    elif path.name == "notes.yaml":
        yield from data_messages(data or [], "note")
    elif path.parent.name == "pages":
        yield from data_messages(data or {}, f"page.{path.stem}")
    elif path.parent.name == LEARN_DIR:
        article = parse_article(data, str(path), path.stem, [])
        if article is not None:
            yield from article_messages(article)
