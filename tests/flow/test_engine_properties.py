"""Property tests: any sequence of allowed answers ends in a result, within a bound, without
raising; going back and then forward with the same answers gives the same result."""

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.flow.content import EXCLUSIVE_VALUES, Node, load_content
from app.flow.engine import Engine, Position
from tests.conftest import FIXTURE_CONTENT, REAL_CONTENT

TODAY = date(2026, 11, 29)
ZIPS = ["10001", "90012", "78207", "33130", "60608", "00901"]


def engines() -> list[Engine]:
    found = [Engine(load_content(FIXTURE_CONTENT))]
    if any((REAL_CONTENT / "flow").glob("*.yaml")):
        found.append(Engine(load_content(REAL_CONTENT)))
    return found


ENGINES = engines()


def allowed_value(node: Node, data: st.DataObject) -> Any:
    if node.type == "info":
        return "ok"
    if node.input == "single":
        return data.draw(st.sampled_from(node.option_values))
    if node.input == "multiple":
        plain = [v for v in node.option_values if v not in EXCLUSIVE_VALUES]
        exclusive = [v for v in node.option_values if v in EXCLUSIVE_VALUES]
        if exclusive and (not plain or data.draw(st.booleans())):
            return [data.draw(st.sampled_from(exclusive))]
        return data.draw(st.lists(st.sampled_from(plain), min_size=1, unique=True))
    if node.unknown is not None and data.draw(st.integers(0, 4)) == 0:
        return node.unknown
    if node.input == "zip":
        return data.draw(st.sampled_from(ZIPS))
    high = node.maximum if node.maximum is not None else TODAY.year
    return str(data.draw(st.integers(node.minimum or 0, high)))


def run(engine: Engine, data: st.DataObject) -> tuple[Position, list[tuple[str, Any]]]:
    position = engine.replay([])
    given_answers: list[tuple[str, Any]] = []
    limit = len(engine.content.nodes)
    while not position.finished:
        assert len(given_answers) <= limit, "more steps than nodes: the graph loops"
        value = allowed_value(position.node, data)
        given_answers.append((position.node.id, value))
        position = engine.answer(position, position.node.id, value, TODAY)
    return position, given_answers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), engine=st.sampled_from(ENGINES))
def test_allowed_answers_always_reach_a_result(data: st.DataObject, engine: Engine) -> None:
    position, _ = run(engine, data)
    assert position.node.type == "result"
    assert engine.replay(position.stored) == position


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), engine=st.sampled_from(ENGINES))
def test_back_then_forward_gives_the_same_result(data: st.DataObject, engine: Engine) -> None:
    finished, answers = run(engine, data)
    steps_back = data.draw(st.integers(1, len(answers)))
    position = finished
    for _ in range(steps_back):
        position = engine.back(position)
    for question, value in answers[len(answers) - steps_back :]:
        position = engine.answer(position, question, value, TODAY)
    assert position == finished
