"""Every scenario, walked through the real questionnaire, gives the findings it expects."""

import datetime

import pytest

from app.legal.facts import Facts
from app.legal.findings import RULES, evaluate
from tests.legal.walk import walk
from tests.scenarios.loader import load_scenarios

SCENARIOS = load_scenarios()


def test_there_are_at_least_forty_scenarios():
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_findings(scenario):
    position = walk(scenario.answers)
    assert position.finished, f"{scenario.name} stops at {position.node.id}"
    found = evaluate(Facts.from_answers(position.values, datetime.date.today()))
    missing = [code for code in scenario.expect if code not in found]
    unwanted = [code for code in scenario.forbid if code in found]
    assert not missing and not unwanted, (
        f"{scenario.name}: missing {missing}, unwanted {unwanted}; found {found}"
    )


def test_scenarios_name_only_known_codes():
    for scenario in SCENARIOS:
        assert set(scenario.expect) | set(scenario.forbid) <= set(RULES), scenario.name
        assert not set(scenario.expect) & set(scenario.forbid), scenario.name


def test_every_code_is_expected_and_forbidden_somewhere():
    contract = list(RULES)  # same codes and order as the contract (tests/legal/test_content.py)
    expected = {code for s in SCENARIOS for code in s.expect}
    forbidden = {code for s in SCENARIOS for code in s.forbid}
    assert set(contract) - expected == set()
    assert set(contract) - forbidden == set()
