"""Court questions in the engine (app/flow/places.py): a list from a `CourtPlaces`, a value
checked against it, only a court kept, and no question when there is nothing to list."""

from collections.abc import Mapping
from datetime import date

import pytest

from app.flow.content import Node, load_content, parse_node
from app.flow.derived import AnswerValue, court_question
from app.flow.engine import Engine
from app.flow.inputs import InvalidAnswer
from app.flow.places import Place, PlaceList, court_answer
from tests.conftest import REAL_CONTENT

TODAY = date(2026, 12, 3)
KROME = Place("KRO", "KRO", "court", "Miami", "18201 S.W. 12TH ST", "Miami, FL 33194")
HELD_AT = Place("f-1", "KRO", "facility", "KROME NORTH SPC", None, "Miami, FL 33194")
RELATIVE_HELD = [
    ("who", "family"),
    ("detained", "ice"),
    ("detained_info", "ok"),
    ("immigration_case", "hearing_date_unknown"),
    ("open_case", "dont_know"),
    ("status", "dont_know"),
    ("entry_way", "dont_know"),
    ("parent_citizen", "dont_know"),
    ("case_count", "dont_know"),
    ("offense_kind", "dont_know"),
    ("victim", ["dont_know"]),
    ("fear", "dont_know"),
]


class Listed:
    """A directory with one court and one place in every state."""

    revision = None

    def __init__(self, places: tuple[Place, ...] = (KROME, HELD_AT)) -> None:
        self.places = places
        self.asked: list[str] = []

    def choices(self, node: Node, answers: Mapping[str, AnswerValue]) -> PlaceList:
        self.asked.append(node.id)
        return PlaceList(self.places)


@pytest.fixture(scope="module")
def content():  # type: ignore[no-untyped-def]
    return load_content(REAL_CONTENT)


def walk(engine: Engine, answers: list[tuple[str, object]]):  # type: ignore[no-untyped-def]
    position = engine.replay([])
    for question, value in answers:
        position = engine.answer(position, question, value, TODAY)  # type: ignore[arg-type]
    return position


def test_the_list_follows_the_zip_and_keeps_only_a_court(content) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(content, places=Listed())
    position = walk(engine, [*RELATIVE_HELD, ("zip", "33194")])
    assert position.node.id == "held_place"
    assert engine.choices(position.node, position.values).places == (KROME, HELD_AT)
    held = engine.answer(position, "held_place", "f-1", TODAY)
    assert held.finished and held.values["held_place"] == ["held", "KRO"]
    chosen = engine.answer(position, "held_place", ["KRO"], TODAY)
    assert chosen.values["held_place"] == ["court", "KRO"]
    unknown = engine.answer(position, "held_place", "prefer_not", TODAY)
    assert unknown.values["held_place"] == "prefer_not"
    # Replaying what was stored reaches the same result, without asking for a list again.
    assert engine.replay(held.stored).finished


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("LOS", "not_in_list"),
        (["KRO", "f-1"], "not_in_list"),
        ("", "choose_one"),
        (None, "choose_one"),
    ],
)
def test_a_value_not_on_the_list_is_refused(content, raw: object, code: str) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(content, places=Listed())
    position = walk(engine, [*RELATIVE_HELD, ("zip", "33194")])
    with pytest.raises(InvalidAnswer) as refused:
        engine.answer(position, "held_place", raw, TODAY)  # type: ignore[arg-type]
    assert refused.value.code == code


def test_nothing_to_list_means_no_question(content) -> None:  # type: ignore[no-untyped-def]
    empty = Listed(places=())
    position = walk(Engine(content, places=empty), [*RELATIVE_HELD, ("zip", "33194")])
    assert position.finished and empty.asked == ["held_place"]
    assert walk(Engine(content), [*RELATIVE_HELD, ("zip", "33194")]).finished  # no directory


def test_who_is_asked_and_which_list() -> None:
    held = {"who": "family", "detained": "jail", "zip": ["tx", "HOU"]}
    assert court_question(held) == "held"
    assert court_question({**held, "who": "self"}) is None  # a criminal jail, no court case
    assert court_question({"detained": "ice", "zip": "fl"}) == "held"
    case = {"who": "self", "detained": "not_detained", "immigration_case": "hearing_later"}
    assert court_question({**case, "home_state": "ny", "zip": "dont_know"}) == "case"
    assert court_question({**case, "zip": "dont_know", "home_state": "dont_know"}) is None
    assert court_question({**case, "immigration_case": "no_case", "zip": "ny"}) is None


def test_stored_court_answers_read_back() -> None:
    assert court_answer(["held", "KRO"]) == ("KRO", True)
    assert court_answer(["court", "ORL"]) == ("ORL", False)
    assert court_answer("dont_know") == (None, False)
    assert court_answer(["fl", "KRO"]) == (None, False)  # a ZIP answer is not a court answer


def test_a_court_question_must_name_its_list() -> None:
    problems: list = []  # type: ignore[type-arg]
    raw = {
        "id": "where",
        "type": "question",
        "input": "court",
        "prompt": "Where?",
        "options": [{"value": "dont_know", "label": "I don't know"}],
        "next": "result",
        "sources": ["x"],
        "review": {"status": "draft"},
    }
    assert parse_node(raw, "flow/x.yaml", problems) is None
    assert "a court question needs `court_list`" in str(problems[0])
    assert parse_node({**raw, "court_list": "facilities"}, "flow/x.yaml", []) is not None
    single = {**raw, "input": "single", "court_list": "courts"}
    assert parse_node(single, "flow/x.yaml", problems := []) is None
    assert "only a court question takes `court_list`" in str(problems[0])
