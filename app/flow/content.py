"""The questionnaire as typed data, read from `app/content/` (format: docs/content.md).

Parsing collects every structural problem with its file and node instead of stopping at the
first, so `validate-content` can list them all; `load_content` refuses content with problems.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from app.flow.vocabulary import Urgency
from app.flow.yaml_loader import load_yaml

NodeType = Literal["question", "info", "result"]
InputKind = Literal["single", "multiple", "year", "number", "zip"]
NODE_TYPES = ("question", "info", "result")
INPUT_KINDS = ("single", "multiple", "year", "number", "zip")
TEXT_FIELDS = ("prompt", "help")
# Choices that must stand alone in a multiple-choice answer.
EXCLUSIVE_VALUES = frozenset({"dont_know", "prefer_not", "none"})
UNKNOWN_VALUES = frozenset({"dont_know", "prefer_not"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Text:
    """English source text, optionally with a form for answering about someone else."""

    you: str
    they: str | None = None

    def pick(self, perspective: str) -> str:
        return self.they if perspective == "they" and self.they else self.you


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Rule:
    goto: str
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    when_not: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Review:
    status: str
    role: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Node:
    id: str
    type: NodeType
    file: str
    prompt: Text
    help: Text | None = None
    input: InputKind | None = None
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unknown: str | None = None
    rules: tuple[Rule, ...] = ()
    sources: tuple[str, ...] = ()
    review: Review = Review("draft")

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Problem:
    file: str
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.node}: {self.message}"


@dataclass(eq=False)  # one loaded questionnaire: compared and hashed by identity
class Content:
    nodes: dict[str, Node]
    start: str
    findings: dict[str, dict[str, Any]]
    pages: dict[str, Any]
    root: Path

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def parse_text(raw: Any) -> Text | None:
    if isinstance(raw, str) and raw.strip():
        return Text(raw.strip())
    if isinstance(raw, Mapping) and isinstance(raw.get("you"), str):
        they = raw.get("they")
        return Text(raw["you"].strip(), they.strip() if isinstance(they, str) else None)
    return None


def _as_values(raw: Any) -> tuple[str, ...] | None:
    values = raw if isinstance(raw, list) else [raw]
    if all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        return tuple(str(value) for value in values)
    return None


def conditions(raw: Any, report: Any) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        report("a condition must be a mapping of key to value or list of values")
        return {}
    parsed: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        values = _as_values(value)
        if values is None:
            report(f"condition {key!r} must compare with a value or a list of values")
            continue
        parsed[str(key)] = values
    return parsed


def _rules(raw: Any, report: Any) -> tuple[Rule, ...]:
    if isinstance(raw, str):
        return (Rule(goto=raw),)
    if not isinstance(raw, list):
        report("`next` must be a node id or a list of rules")
        return ()
    rules = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("goto"), str):
            report("each rule in `next` needs a `goto` node id")
            continue
        unknown_keys = set(item) - {"goto", "when", "when_not"}
        if unknown_keys:
            report(f"a rule has unknown keys: {', '.join(sorted(unknown_keys))}")
        rules.append(
            Rule(
                goto=item["goto"],
                when=conditions(item.get("when"), report),
                when_not=conditions(item.get("when_not"), report),
            )
        )
    return tuple(rules)


def _options(raw: Any, report: Any) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        report("a single or multiple choice question needs a list of options")
        return ()
    options = []
    for item in raw:
        value = item.get("value") if isinstance(item, Mapping) else None
        label = parse_text(item.get("label")) if isinstance(item, Mapping) else None
        if not isinstance(value, str) or not _ID.match(value):
            report(f"option value {value!r} must be lower_snake_case text")
            continue
        if label is None:
            report(f"option {value!r} needs a label")
            continue
        options.append(Option(value, label))
    return tuple(options)


def _review(raw: Any, report: Any) -> Review:
    if not isinstance(raw, Mapping) or raw.get("status") not in ("draft", "reviewed"):
        report("`review` needs a status of draft or reviewed")
        return Review("draft")
    review = Review(str(raw["status"]), raw.get("role"), _date_text(raw.get("date")))
    if review.status == "reviewed" and not (review.role and review.date):
        report("a reviewed node needs the reviewer's role and the date")
    return review


def _date_text(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _int_or_none(raw: Any, name: str, report: Any) -> int | None:
    if raw is None or (isinstance(raw, int) and not isinstance(raw, bool)):
        return raw
    report(f"`{name}` must be a whole number")
    return None


def parse_node(raw: Any, file: str, problems: list[Problem]) -> Node | None:
    node_id = raw.get("id") if isinstance(raw, Mapping) else None
    label = node_id if isinstance(node_id, str) else "?"

    def report(message: str) -> None:
        problems.append(Problem(file, label, message))

    if not isinstance(raw, Mapping):
        report("a node must be a mapping")
        return None
    if not isinstance(node_id, str) or not _ID.match(node_id):
        report("`id` must be lower_snake_case text")
        return None
    node_type = raw.get("type")
    if node_type not in NODE_TYPES:
        report(f"`type` must be one of {', '.join(NODE_TYPES)}")
        return None
    prompt = parse_text(raw.get("prompt"))
    if prompt is None:
        report("`prompt` is missing or empty")
        prompt = Text("")
    help_text = parse_text(raw.get("help")) if raw.get("help") is not None else None
    input_kind = raw.get("input")
    options: tuple[Option, ...] = ()
    if node_type == "question":
        if input_kind not in INPUT_KINDS:
            report(f"`input` must be one of {', '.join(INPUT_KINDS)}")
            input_kind = None
        elif input_kind in ("single", "multiple"):
            options = _options(raw.get("options"), report)
    elif input_kind is not None:
        report("only a question takes an `input`")
        input_kind = None
    rules = _rules(raw.get("next"), report) if "next" in raw else ()
    if node_type == "result" and rules:
        report("a result ends the questionnaire and takes no `next`")
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        report("`sources` must list where the text comes from")
        sources = []
    return Node(
        id=node_id,
        type=node_type,
        file=file,
        prompt=prompt,
        help=help_text,
        input=input_kind,
        options=options,
        minimum=_int_or_none(raw.get("min"), "min", report),
        maximum=_int_or_none(raw.get("max"), "max", report),
        unknown=raw.get("unknown"),
        rules=rules,
        sources=tuple(str(source) for source in sources),
        review=_review(raw.get("review"), report),
    )


def read_content(root: Path) -> tuple[Content | None, list[Problem]]:
    """Parse everything under `root`; return the content (if any nodes) and every problem."""
    problems: list[Problem] = []
    nodes: dict[str, Node] = {}
    flow_files = sorted((root / "flow").glob("*.yaml"))
    if not flow_files:
        problems.append(Problem(str(root / "flow"), "-", "no questionnaire files found"))
    for path in flow_files:
        relative = _relative(path, root)
        try:
            raw_nodes = load_yaml(path)
        except yaml.YAMLError as error:
            problems.append(Problem(relative, "-", f"not valid YAML: {error}"))
            continue
        if not isinstance(raw_nodes, list):
            problems.append(Problem(relative, "-", "a flow file must be a list of nodes"))
            continue
        for raw in raw_nodes:
            node = parse_node(raw, relative, problems)
            if node is None:
                continue
            if node.id in nodes:
                problems.append(
                    Problem(relative, node.id, f"duplicate id (first in {nodes[node.id].file})")
                )
                continue
            nodes[node.id] = node
    findings_path = root / "findings.yaml"
    findings = load_yaml(findings_path) if findings_path.exists() else {}
    problems += _urgency_problems(findings or {}, _relative(findings_path, root))
    pages = {path.stem: load_yaml(path) for path in sorted((root / "pages").glob("*.yaml"))}
    if not nodes:
        return None, problems
    return Content(nodes, next(iter(nodes)), findings or {}, pages, root), problems


def _urgency_problems(findings: dict[str, Any], file: str) -> list[Problem]:
    """Each finding's `urgency` is a value of the one Urgency vocabulary."""
    allowed = ", ".join(Urgency)
    return [
        Problem(file, code, f"urgency must be one of {allowed}")
        for code, entry in findings.items()
        if isinstance(entry, dict) and entry.get("urgency") not in set(Urgency)
    ]


def load_content(root: Path) -> Content:
    """The content, or ContentError listing its structural problems."""
    content, problems = read_content(root)
    if problems or content is None:
        raise ContentError(problems)
    return content


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent.parent))
    except ValueError:
        return str(path)
