"""An unknown never means silence (issue 11): every "I don't know" or "I'd rather not say" that a
rule depends on leaves a finding, a line on a finding (app/content/notes.yaml) or an item of
"What a lawyer must still find out" (app/content/pages/unknowns.yaml) that names it.

The walk: for every scenario and every question it answers with a known value, answer "not
sure" instead, keep the scenario's other answers where they are still asked, and answer any new
question with its own "not sure". Where that loses a finding the known answer had, the result
must name the unknown.
"""

import datetime
from collections.abc import Iterable
from typing import Any

import pytest

from app.flow.content import UNKNOWN_VALUES, Conditional, Node
from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.results import applies
from tests.legal.walk import real_engine
from tests.scenarios.loader import load_scenarios

TODAY = datetime.date(2026, 12, 15)

# Questions no rule reads as a legal fact: who is asking (routing only) and the ZIP code (an
# unknown ZIP is followed by the state question, which is checked here).
NOT_RULE_INPUTS = frozenset({"who", "helper_mode", "zip"})

# Findings whose own text names the unknown answer, in the "may; a lawyer must check X" form.
NAMED_BY_FINDING: dict[str, frozenset[str]] = {
    "drug": frozenset({"mellouli_mismatch_argument", "deportability_depends_on_amount"}),
    "naturalized_when": frozenset({"denaturalization_risk"}),
    "first_admission_year": frozenset({"lpr_cancellation_possible", "stop_time_triggered"}),
    "other_cases": frozenset({"possible_aggravated_felony"}),
    "repeat_charged": frozenset({"possible_aggravated_felony"}),
    "lawyer_advice": frozenset({"post_conviction_relief_worth_exploring"}),
    # "I don't know" is read as a conviction later cleared (D04): the text says it still counts.
    "plea_before_dismissal": frozenset({"record_relief_does_not_remove_conviction"}),
    "vacated_why": frozenset({"record_relief_does_not_remove_conviction"}),
    "conduct": frozenset({"admission_risk_warning"}),
}


def _unknown(node: Node) -> Any:
    if node.input in ("single", "multiple"):
        value = next((v for v in ("dont_know", "prefer_not") if v in node.option_values), None)
        return [value] if value and node.input == "multiple" else value
    return node.unknown


def _is_unknown(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v in UNKNOWN_VALUES for v in values)


def _finish(answers: Iterable[tuple[str, Any]], not_sure: str | None = None) -> dict[str, Any]:
    engine = real_engine()
    given = dict(answers)
    position = engine.replay([])
    while not position.finished:
        node = position.node
        if node.type == "info":
            value: Any = "ok"
        elif node.id == not_sure or node.id not in given:
            value = _unknown(node)
            if value is None:
                value = node.option_values[0]
        else:
            value = given[node.id]
        position = engine.answer(position, node.id, value, TODAY)
    return position.values


def _codes(values: dict[str, Any]) -> set[str]:
    return set(evaluate(Facts.from_answers(values, TODAY)))


def _names(question: str, item: Conditional) -> bool:
    return question in item.when


def _named_in_result(question: str, values: dict[str, Any], codes: set[str]) -> bool:
    content = real_engine().content
    if codes & NAMED_BY_FINDING.get(question, frozenset()):
        return True
    notes = [n for n in content.notes if _names(question, n) and applies(n, values, codes)]
    if any(any(note.goes_to(code) for code in codes) for note in notes):
        return True
    items = content.pages["unknowns"].items
    return any(_names(question, item) and applies(item, values, codes) for item in items)


def _cases() -> list[tuple[str, str]]:
    content = real_engine().content
    cases = []
    for scenario in load_scenarios():
        for question, value in scenario.answers:
            node = content.node(question)
            if question in NOT_RULE_INPUTS or node.type != "question" or _unknown(node) is None:
                continue
            if not _is_unknown(value):
                cases.append((scenario.name, question))
    return cases


SCENARIOS = {scenario.name: scenario for scenario in load_scenarios()}


@pytest.mark.parametrize(("scenario", "question"), _cases(), ids=lambda part: str(part))
def test_a_not_sure_answer_is_never_silent(scenario, question):
    answers = SCENARIOS[scenario].answers
    known = _codes(_finish(answers))
    values = _finish(answers, not_sure=question)
    codes = _codes(values)
    lost = known - codes
    if lost:
        assert _named_in_result(question, values, codes), (
            f"{scenario}: not knowing {question!r} loses {sorted(lost)} and nothing says so"
        )


def test_every_rule_input_with_an_unknown_is_walked():
    # A new question with a "not sure" answer must be reached by some scenario, or this file
    # proves nothing about it.
    content = real_engine().content
    walked = {question for _, question in _cases()}
    with_unknown = {
        node.id
        for node in content.nodes.values()
        if node.type == "question" and _unknown(node) is not None and node.id not in NOT_RULE_INPUTS
    }
    assert with_unknown - walked == set()


def test_findings_that_assume_a_noncitizen_say_if_not_already_a_citizen(real_client):
    # check_derivative_citizenship: the person may already be a citizen, so every finding that
    # assumes otherwise says so (issue 11, "Unknown never means silence").
    scenario = SCENARIOS["possible_derived_citizen"]
    created = real_client.post("/api/v1/sessions", json={"locale": "en"})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    for question, value in scenario.answers:
        real_client.post(
            "/api/v1/session/answers", json={"question": question, "value": value}, headers=headers
        )
    findings = real_client.get("/api/v1/session/result", headers=headers).json()["findings"]
    by_code = {finding["code"]: finding["summary"] for finding in findings}
    assert "check_derivative_citizenship" in by_code
    note = next(n for n in real_engine().content.notes if n.id == "not_already_citizen")
    assumes_noncitizen = [code for code in by_code if note.goes_to(code)]
    assert assumes_noncitizen, by_code
    for code in assumes_noncitizen:
        assert "if you are not already a citizen" in by_code[code], code
    for code in set(by_code) - set(assumes_noncitizen):
        assert "not already a citizen" not in by_code[code], code
