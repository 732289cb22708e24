"""The questionnaire, findings text and pages as typed data, read from `app/content/`
(format: docs/content.md; JSON Schema for editors: docs/content.schema.json).

The models below are the format. Reading collects every problem pydantic finds, each turned
into a line naming its file and node, so `validate-content` can list them all at once;
`load_content` refuses content with problems.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from app.flow.vocabulary import Urgency
from app.flow.yaml_loader import YamlFileError, load_yaml

NodeType = Literal["question", "info", "result"]
InputKind = Literal["single", "multiple", "year", "number", "zip", "court"]
INPUT_KINDS: tuple[InputKind, ...] = get_args(InputKind)
CHOICE_KINDS = ("single", "multiple")
# A `court` question's list comes from the places data (app/flow/places.py): the immigration
# courts of the person's state, or the detention places there (falling back to the courts).
CourtList = Literal["courts", "facilities"]
# Choices that must stand alone in a multiple-choice answer.
EXCLUSIVE_VALUES = frozenset({"dont_know", "prefer_not", "none"})
UNKNOWN_VALUES = frozenset({"dont_know", "prefer_not"})

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    """Content is written by hand: an unknown key is a typo, refused rather than ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """English source text, optionally with a form for answering about someone else."""

    you: NonEmpty
    they: NonEmpty | None = None

    def pick(self, perspective: str) -> str:
        return self.they if perspective == "they" and self.they else self.you


def _text_form(raw: Any) -> Any:
    return {"you": raw} if isinstance(raw, str) else raw


# Any text a person reads: a plain string, or {you: ..., they: ...}.
Readable = Annotated[Text, BeforeValidator(_text_form, json_schema_input_type=str | Text)]


def parse_text(raw: Any) -> Text | None:
    """The text in raw YAML data, or None (the i18n walkers look at every readable key)."""
    try:
        return Text.model_validate(_text_form(raw))
    except ValidationError:
        return None


def _values(raw: Any) -> Any:
    """One value means equality, a list membership; a number compares as its text."""
    values = raw if isinstance(raw, list) else [raw]
    return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]


ConditionValues = Annotated[
    tuple[str, ...], BeforeValidator(_values, json_schema_input_type=str | int | list[str | int])
]
# Equality and membership on answers and derived facts; no expression language (docs/content.md).
Condition = dict[str, ConditionValues]
Sources = Annotated[tuple[NonEmpty, ...], Field(min_length=1)]


def _date_text(raw: Any) -> Any:
    return raw.isoformat() if isinstance(raw, date) else raw


class Review(_Strict):
    status: Literal["draft", "reviewed"]
    role: str | None = None
    date: Annotated[str | None, BeforeValidator(_date_text)] = None

    @model_validator(mode="after")
    def _reviewed_says_by_whom(self) -> Self:
        if self.status == "reviewed" and not (self.role and self.date):
            raise ValueError("a reviewed record needs the reviewer's role and the date")
        return self


class Option(_Strict):
    value: Id
    label: Readable


class Rule(_Strict):
    goto: str
    when: Condition = {}
    when_not: Condition = {}


def _rules(raw: Any) -> Any:
    return [{"goto": raw}] if isinstance(raw, str) else raw


class Node(_Strict):
    id: Id
    type: NodeType
    prompt: Readable
    help: Readable | None = None
    input: InputKind | None = None
    options: tuple[Option, ...] = ()
    minimum: StrictInt | None = Field(default=None, alias="min")
    maximum: StrictInt | None = Field(default=None, alias="max")
    unknown: str | None = None
    court_list: CourtList | None = None
    rules: Annotated[
        tuple[Rule, ...], BeforeValidator(_rules, json_schema_input_type=str | list[Rule])
    ] = Field(default=(), alias="next")
    sources: Sources
    review: Review
    _file: str = PrivateAttr(default="")

    @property
    def file(self) -> str:
        """The flow file the node was read from, for messages (not part of the format)."""
        return self._file

    @model_validator(mode="after")
    def _fits_its_type(self, info: ValidationInfo) -> Self:
        self._file = (info.context or {}).get("file", "")
        wrong = []
        if self.type == "question" and self.input is None:
            wrong.append(f"a question needs `input`: one of {', '.join(INPUT_KINDS)}")
        if self.type != "question" and self.input is not None:
            wrong.append("only a question takes an `input`")
        if self.input in CHOICE_KINDS and not self.options:
            wrong.append("a single or multiple choice question needs a list of options")
        if self.options and self.input not in (*CHOICE_KINDS, "court"):
            wrong.append("only a single, multiple or court question takes `options`")
        if self.input == "court" and self.court_list is None:
            wrong.append("a court question needs `court_list`: courts or facilities")
        if self.court_list is not None and self.input != "court":
            wrong.append("only a court question takes `court_list`")
        if self.type == "result" and self.rules:
            wrong.append("a result ends the questionnaire and takes no `next`")
        if wrong:
            raise ValueError("; ".join(wrong))
        return self

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


class FindingText(_Strict):
    """What a finding code (app/legal/findings.py) says to the person."""

    urgency: Urgency
    title: Readable
    summary: Readable
    next_steps: Readable
    citations: Sources
    sources: Sources
    review: Review


class Conditional(_Strict):
    """Page data shown only where its condition holds; a key may also be `finding`."""

    when: Condition = {}
    when_not: Condition = {}


class PageItem(Conditional):
    id: Id
    title: Readable
    text: Readable
    phone: str | None = None  # only numbers shared/reference/referrals.md marks confirmed
    sources: Sources
    review: Review


class FindingNote(Conditional):
    """A line added to the summary of findings where its condition holds: what is not known or
    not settled, and why it matters (issue 11: an unknown never means silence). It goes to the
    codes in `findings`, or to every code but those in `except_findings`."""

    id: Id
    text: Readable
    findings: tuple[Id, ...] = ()
    except_findings: tuple[Id, ...] = ()
    sources: Sources
    review: Review

    @model_validator(mode="after")
    def _names_its_findings_one_way(self) -> Self:
        if bool(self.findings) == bool(self.except_findings):
            raise ValueError("a note needs either `findings` or `except_findings`")
        return self

    def goes_to(self, code: str) -> bool:
        if self.findings:
            return code in self.findings
        return code not in self.except_findings


class Page(Conditional):
    heading: Readable
    intro: Readable | None = None
    items: tuple[PageItem, ...] = ()


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
    findings: dict[str, FindingText]
    pages: dict[str, Page]
    root: Path
    notes: tuple[FindingNote, ...] = ()

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


# pydantic's error types, said the way a content writer thinks of them.
_SAID = {
    "missing": "is missing",
    "extra_forbidden": "is not a known key (a typo?)",
    "string_pattern_mismatch": "must be lower_snake_case text",
    "too_short": "must not be empty",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
}


def _messages(error: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    """(location, message) for every error pydantic found."""
    found = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        kind = detail["type"]
        if kind == "value_error":
            said = str(detail["ctx"]["error"])
        elif kind == "literal_error":
            said = f"must be one of {detail['ctx']['expected']}"
        else:
            said = _SAID.get(kind, detail["msg"])
        found.append((detail["loc"], f"`{where}` {said}" if where else said))
    return found


def parse_node(raw: Any, file: str, problems: list[Problem]) -> Node | None:
    """The node, or None with its problems added (named by its id, or `?` when it has none)."""
    node_id = raw.get("id") if isinstance(raw, Mapping) else None
    try:
        return Node.model_validate(raw, context={"file": file})
    except ValidationError as error:
        label = node_id if isinstance(node_id, str) else "?"
        problems += [Problem(file, label, message) for _loc, message in _messages(error)]
        return None


def _read_findings(path: Path, file: str, problems: list[Problem]) -> dict[str, FindingText]:
    try:
        raw = load_yaml(path) or {}
    except YamlFileError as error:
        problems.append(Problem(file, "-", str(error)))
        return {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(file, "-", "the findings file must map finding codes to text"))
        return {}
    findings = {}
    for code, entry in raw.items():
        try:
            findings[str(code)] = FindingText.model_validate(entry)
        except ValidationError as error:
            problems += [Problem(file, str(code), message) for _loc, message in _messages(error)]
    return findings


def _read_notes(path: Path, file: str, problems: list[Problem]) -> tuple[FindingNote, ...]:
    raw = load_yaml(path) or []
    if not isinstance(raw, list):
        problems.append(Problem(file, "-", "the notes file must be a list of notes"))
        return ()
    notes = []
    for index, entry in enumerate(raw):
        try:
            notes.append(FindingNote.model_validate(entry))
        except ValidationError as error:
            label = entry.get("id", index) if isinstance(entry, Mapping) else index
            problems += [Problem(file, str(label), message) for _loc, message in _messages(error)]
    return tuple(notes)


def _read_page(path: Path, file: str, problems: list[Problem]) -> Page | None:
    try:
        raw = load_yaml(path)
    except YamlFileError as error:
        problems.append(Problem(file, path.stem, str(error)))
        return None
    try:
        return Page.model_validate(raw)
    except ValidationError as error:
        for loc, message in _messages(error):
            problems.append(Problem(file, _page_part(raw, path.stem, loc), message))
        return None


def _page_part(raw: Any, name: str, loc: tuple[Any, ...]) -> str:
    """`rights.at_home` for a problem in an item, as check_pages names them; else the page."""
    if len(loc) > 1 and loc[0] == "items" and isinstance(loc[1], int):
        item = raw["items"][loc[1]]
        return f"{name}.{item.get('id', loc[1]) if isinstance(item, Mapping) else loc[1]}"
    return name


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
        except YamlFileError as error:
            problems.append(Problem(relative, "-", str(error)))
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
    findings = (
        _read_findings(findings_path, _relative(findings_path, root), problems)
        if findings_path.exists()
        else {}
    )
    notes_path = root / "notes.yaml"
    notes = (
        _read_notes(notes_path, _relative(notes_path, root), problems)
        if notes_path.exists()
        else ()
    )
    pages = {}
    for path in sorted((root / "pages").glob("*.yaml")):
        page = _read_page(path, _relative(path, root), problems)
        if page is not None:
            pages[path.stem] = page
    if not nodes:
        return None, problems
    return Content(nodes, next(iter(nodes)), findings, pages, root, notes), problems


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
