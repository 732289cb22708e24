"""Walk answers through the real questionnaire with the engine (no web, no database)."""

import datetime
from collections.abc import Iterable
from functools import cache
from typing import Any

from app.config import ROOT
from app.flow.content import load_content
from app.flow.engine import Engine, Position

REAL_CONTENT = ROOT / "app" / "content"


@cache
def real_engine() -> Engine:
    return Engine(load_content(REAL_CONTENT))


def walk(answers: Iterable[tuple[str, Any]], today: datetime.date | None = None) -> Position:
    """The position after answering in order; each answer must be for the current question.

    With no directory, the court questions (app/flow/places.py) have nothing to list and are
    not asked: a scenario's answer to one is passed over (the findings never read it)."""
    engine = real_engine()
    position = engine.replay([])
    for question, value in answers:
        if engine.content.nodes[question].input == "court" and position.node.id != question:
            continue
        assert position.node.id == question, (
            f"expected an answer to {position.node.id!r}, got one to {question!r}"
        )
        position = engine.answer(position, question, value, today or datetime.date.today())
    return position
