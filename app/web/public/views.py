"""View models: plain dictionaries the templates render, so templates hold no logic."""

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple

from app.flow import texts
from app.flow.content import Node
from app.flow.engine import Engine, Position
from app.flow.inputs import AnswerValue, zip_answer
from app.flow.places import PlaceList
from app.i18n import gettext as _
from app.referrals.placeholders import Filled, Prose, fill
from app.web import court_labels

MAX_RADIOS = 20  # status (14 choices) and drug (13) are radios; a state (57) is a select


def answer_label(node: Node, value: AnswerValue, perspective: str) -> str:
    if node.type == "info":
        return _("Continue")
    if node.input == "zip" and value != node.unknown:  # the state, perhaps with a court
        state, _court = zip_answer(value)
        return _("A ZIP code in %(state)s") % {"state": (state or "").upper()}
    if node.input == "court" and (label := court_labels.court_answer_label(value)):
        return label
    if isinstance(value, list):
        return ", ".join(texts.option_label(node, item, perspective) for item in value)
    if node.input in ("single", "multiple", "court"):
        return texts.option_label(node, str(value), perspective)
    if node.unknown is not None and value == node.unknown:
        return _("I don't know")
    return str(value)


def error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    """Field errors (control id -> message) as error summary items that link to their field."""
    return [{"field_id": field_id, "text": text} for field_id, text in errors.items()]


def transcript(position: Position, latest_only: bool = False) -> list[dict[str, Any]]:
    """The bubbles of the answers so far; an htmx step needs only the one just given."""
    perspective = position.perspective
    history = position.history[-1:] if latest_only else position.history
    return [
        {
            "id": node.id,
            "prompt": texts.prompt(node, perspective),
            "answer": answer_label(node, value, perspective),
            "is_question": node.type == "question",
        }
        for node, value in history
    ]


def latest_bubble_key(position: Position) -> Hashable:
    """What the bubble of the answer just given is made from, but the answer: its question (the
    prompt, and whether it can be changed) and the perspective."""
    node, _value = position.history[-1]
    return (node.id, position.perspective)


def unsaved(position: Position, question_id: str) -> dict[str, Any]:
    """The question whose answer a finished session refused (another tab finished first, F19):
    its prompt, to offer changing it, when it is one of the answered questions."""
    answered = next((node for node, _ in position.history if node.id == question_id), None)
    if answered is None:
        return {"id": None, "prompt": None}
    return {"id": answered.id, "prompt": texts.prompt(answered, position.perspective)}


def _place_options(places: PlaceList, chosen: list[Any]) -> list[dict[str, Any]]:
    """A court question's places as choices: name, code and where, kept apart for markup."""
    return [
        {
            "value": place.value,
            "label": court_labels.place_label(place),
            "name": court_labels.place_name(place),
            "code": court_labels.place_code(place),
            "where": court_labels.place_where(place),
            "checked": place.value in chosen,
            "id": f"answer-{index}",
        }
        for index, place in enumerate(places.places)
    ]


class QuestionInputs(NamedTuple):
    """Everything a question's view is made from, but an error: the same inputs, in the same
    language, make the same view and the same markup (app/web/block_memo.py keeps it)."""

    node: Node
    perspective: str
    places: PlaceList
    help: Prose | None  # the help text, placeholders filled from the directory
    answered: int  # questions answered before this one
    remaining: int
    can_go_back: bool

    @property
    def key(self) -> Hashable:
        """The inputs as a key: the node by its id (nodes are fixed while the process runs)."""
        return (self.node.id, *self[1:])


def question_inputs(
    engine: Engine, position: Position, values: Mapping[str, Filled]
) -> QuestionInputs:
    node = position.node
    perspective = position.perspective
    help_text = texts.help_text(node, perspective)
    return QuestionInputs(
        node=node,
        perspective=perspective,
        places=engine.choices(node, position.values),
        help=fill(help_text, values) if help_text else None,
        answered=position.questions_answered,
        remaining=remaining_estimate(engine, position),
        can_go_back=bool(position.history),
    )


def question(
    inputs: QuestionInputs, error: str | None = None, submitted: Any = None
) -> dict[str, Any]:
    """The view of the current question: made from `inputs` (and the language) alone."""
    node, perspective, places = inputs.node, inputs.perspective, inputs.places
    chosen = submitted if isinstance(submitted, list) else [submitted]
    options = [
        {
            "value": option.value,
            "label": texts.label(node, option, perspective),
            "checked": option.value in chosen,
            "id": f"answer-{option.value}",
        }
        for option in node.options
    ]
    options = [*_place_options(places, chosen), *options]
    # Radios show every choice at once (GOV.UK); only a list as long as the states is a select.
    use_select = node.input in ("single", "court") and len(options) > MAX_RADIOS
    note = court_labels.list_note(places)
    described_by = ["question-progress"]
    if inputs.help:
        described_by.append("question-help")
    if note:
        described_by.append("question-note")
    if error:
        described_by.append("answer-error")
    return {
        "id": node.id,
        "type": node.type,
        "input": node.input,
        "prompt": texts.prompt(node, perspective),
        "help": inputs.help,
        "note": note,
        "options": options,
        "use_select": use_select,
        # The control the error summary links to: the first choice, else the one field.
        "field_id": options[0]["id"] if options and not use_select else "answer",
        "min": node.minimum,
        "max": node.maximum,
        "has_unknown": node.unknown is not None,
        "text_value": submitted
        if isinstance(submitted, str) and node.input in ("year", "number", "zip")
        else "",
        "error": error,
        "number": inputs.answered + 1,
        "described_by": " ".join(described_by),
        "remaining": inputs.remaining,
        "can_go_back": inputs.can_go_back,
        "for_someone_else": perspective == "they",
    }


def remaining_estimate(engine: Engine, position: Position) -> int:
    """About how many questions follow the current step, never more than an earlier step said
    (P15): the typical count can rise after an answer that leads to a longer branch, and a
    hint that grows reads as a broken promise. Replayed from the answers, so it needs no state.
    """
    steps = [*(node for node, _ in position.history), position.node]
    return max(min(_after(engine, node) for node in steps), 0)


def _after(engine: Engine, node: Node) -> int:
    """The typical number of questions after this step (the step itself not counted)."""
    return engine.remaining(node) - (1 if node.type == "question" else 0)
