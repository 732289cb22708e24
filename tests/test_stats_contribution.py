"""`stats.may_differ`: an answer works out a session's two contributions to the weekly counts
only when they may differ, and must never skip a change that `contribution` would find. Held
on every scenario's answers (tests/scenarios), one position against every other."""

from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import FastAPI

from app.flow.engine import Position
from app.respondents.sessions import SessionStore
from app.stats import counts
from tests.scenarios.loader import load_scenarios

SCENARIOS = [scenario for scenario in load_scenarios() if not scenario.courts]
DAY = date(2026, 12, 1)


@dataclass
class Counted:
    locale: str = "es"
    partner_id: int | None = None
    started_on: date = DAY


def positions(store: SessionStore, answers: list[tuple[str, object]]) -> list[Position]:
    """The position before the first answer and after each, as a person goes."""
    engine = store.engine
    walked = [engine.replay([])]
    for question, value in answers:
        walked.append(engine.answer(walked[-1], question, value, DAY))
    return walked


@pytest.fixture
def shipped_store(real_app: FastAPI) -> SessionStore:
    return real_app.state.puente.store  # type: ignore[no-any-return]


def test_positions_it_lets_pass_contribute_the_same(shipped_store: SessionStore) -> None:
    counted, outcome_of = Counted(), shipped_store.outcome_of
    skipped = compared = 0
    for scenario in SCENARIOS:
        walked = positions(shipped_store, scenario.answers)
        assert walked[-1].finished, scenario.name
        for before in walked:
            for after in walked:
                compared += 1
                if counts.may_differ(before, after):
                    continue
                skipped += 1
                assert counts.contribution(counted, before, outcome_of) == counts.contribution(
                    counted, after, outcome_of
                ), scenario.name
    # It lets most pairs pass (every answer between the first and the last), or it saves nothing.
    assert skipped > compared / 2


def test_a_new_first_answer_or_the_end_may_differ(shipped_store: SessionStore) -> None:
    walked = positions(shipped_store, SCENARIOS[0].answers)
    start, first, second, finished = walked[0], walked[1], walked[2], walked[-1]
    assert counts.may_differ(start, first)  # started
    assert counts.may_differ(second, finished)  # finished, with its outcome
    assert counts.may_differ(finished, second)  # a finished one changed
    assert not counts.may_differ(first, second)
    other_who = next(
        value for value in ("self", "family", "community") if value != first.history[0][1]
    )
    changed = shipped_store.engine.answer(start, first.history[0][0].id, other_who, DAY)
    assert counts.may_differ(first, changed)  # counted under another "who"
