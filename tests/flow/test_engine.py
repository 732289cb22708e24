"""The engine: routing, checking values, going back and changing answers."""

from datetime import date

import pytest

from app.flow.content import load_content
from app.flow.engine import Engine, OutOfOrder
from app.flow.inputs import InvalidAnswer, state_for_zip
from tests.conftest import FIXTURE_CONTENT

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_content(FIXTURE_CONTENT))


def walk(engine: Engine, answers: list[tuple[str, object]]):
    position = engine.replay([])
    for question, value in answers:
        position = engine.answer(position, question, value, TODAY)
    return position


SELF_PATH = [
    ("who", "self"),
    ("intro", "ok"),
    ("case_year", "2001"),
    ("children_count", "2"),
    ("zip", "90012"),
    ("goals", ["travel"]),
]


def test_a_full_path_reaches_a_result_and_stores_only_values(engine: Engine) -> None:
    position = walk(engine, SELF_PATH)
    assert position.finished and position.node.id == "result_general"
    assert position.stored == [
        ["who", "self"],
        ["intro", "ok"],
        ["case_year", 2001],
        ["children_count", 2],
        ["zip", "ca"],
        ["goals", ["travel"]],
    ]


def test_routing_follows_conditions(engine: Engine) -> None:
    assert walk(engine, [("who", "family")]).node.id == "relative_detained"
    citizenship = [*SELF_PATH[:-1], ("goals", ["citizenship", "travel"])]
    assert walk(engine, citizenship).node.id == "result_citizenship"


def test_perspective_switches_to_they_for_a_family_member(engine: Engine) -> None:
    assert walk(engine, [("who", "family")]).perspective == "they"
    assert walk(engine, [("who", "self")]).perspective == "you"


def test_replay_rebuilds_the_same_position(engine: Engine) -> None:
    position = walk(engine, SELF_PATH[:4])
    assert engine.replay(position.stored) == position


def test_replay_keeps_the_longest_prefix_that_still_fits(engine: Engine) -> None:
    stored = [["who", "self"], ["intro", "ok"], ["not_a_question", 1], ["children_count", 2]]
    assert engine.replay(stored).node.id == "case_year"


def test_back_drops_the_last_answer(engine: Engine) -> None:
    position = engine.back(walk(engine, SELF_PATH[:3]))
    assert position.node.id == "case_year" and len(position.history) == 2
    assert engine.back(engine.replay([])).node.id == "who"


def test_change_reopens_a_question_and_drops_later_answers(engine: Engine) -> None:
    position = engine.change(walk(engine, SELF_PATH[:5]), "case_year")
    assert position.node.id == "case_year"
    assert [node.id for node, _ in position.history] == ["who", "intro"]
    with pytest.raises(OutOfOrder):
        engine.change(position, "goals")


def test_an_answer_for_another_question_is_out_of_order(engine: Engine) -> None:
    with pytest.raises(OutOfOrder):
        walk(engine, [("who", "self"), ("case_year", "2001")])
    with pytest.raises(OutOfOrder):
        engine.answer(walk(engine, SELF_PATH), "goals", ["travel"], TODAY)


@pytest.mark.parametrize(
    "typed",
    ["2020", "٢٠٢٠", "۲۰۲۰", "２０２０", " 2020 "],
    ids=["ascii", "arabic-indic", "persian", "fullwidth", "spaces"],
)
def test_a_year_is_read_in_the_digits_of_any_script(engine: Engine, typed: str) -> None:
    # Journey review P12: phones set to Arabic or Persian type Eastern Arabic digits, as a
    # ZIP code already could be.
    position = walk(engine, [("who", "self"), ("intro", "ok")])
    answered = engine.answer(position, "case_year", typed, TODAY)
    assert answered.values["case_year"] == 2020


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ([("who", "president")], "not_an_option"),
        ([("who", None)], "choose_one"),
        ([("who", ["self", "family"])], "not_an_option"),
        ([("who", "self"), ("intro", "yes")], "continue_only"),
        ([("who", "self"), ("intro", "ok"), ("case_year", "19x5")], "not_a_year"),
        ([("who", "self"), ("intro", "ok"), ("case_year", "-1")], "not_a_year"),
        ([("who", "self"), ("intro", "ok"), ("case_year", "1900")], "too_small"),
        ([("who", "self"), ("intro", "ok"), ("case_year", "2027")], "too_large"),
        ([("who", "self"), ("intro", "ok"), ("case_year", "١٩٠٠")], "too_small"),
        ([*SELF_PATH[:3], ("children_count", "3.5")], "not_a_whole_number"),
        ([*SELF_PATH[:3], ("children_count", "31")], "too_large"),
        ([*SELF_PATH[:4], ("zip", "9001")], "zip_format"),
        ([*SELF_PATH[:4], ("zip", "9OO12")], "zip_format"),
        ([*SELF_PATH[:4], ("zip", "00000")], "zip_unknown"),
        ([*SELF_PATH[:5], ("goals", [])], "choose_at_least_one"),
        ([*SELF_PATH[:5], ("goals", ["travel", "dont_know"])], "exclusive_alone"),
        ([*SELF_PATH[:5], ("goals", ["travel", "swim"])], "not_an_option"),
    ],
)
def test_bad_values_are_refused_with_a_code(engine: Engine, answers, code: str) -> None:
    *before, (question, value) = answers
    position = walk(engine, before)
    with pytest.raises(InvalidAnswer) as refused:
        engine.answer(position, question, value, TODAY)
    assert refused.value.code == code


def test_unknown_values_are_accepted_where_offered(engine: Engine) -> None:
    position = walk(engine, [("who", "self"), ("intro", "ok"), ("case_year", "dont_know")])
    assert position.stored[-1] == ["case_year", "dont_know"]


def test_zip_codes_become_states() -> None:
    assert state_for_zip("10001") == "ny"
    assert state_for_zip(" 78207 ") == "tx"
    assert state_for_zip("00901") == "pr"


def test_remaining_for_the_progress_hint(engine: Engine) -> None:
    # who (1); then two answers in three lead on to case_year, children_count, zip and goals
    # (4), one to relative_detained (1): 1 + 3
    assert engine.remaining(engine.start) == 4
    assert engine.remaining(engine.content.node("intro")) == 4
    assert engine.remaining(engine.content.node("goals")) == 1
