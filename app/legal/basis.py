"""Which answers a finding rests on: shown under each finding of the printable result (P17),
so a lawyer can check the facts behind it.

Measured, not declared: the finding's rule runs on a stand-in for the facts that notes every
fact it reads (through the shared conclusions of app.legal.analysis and the properties of
Facts too), and each fact leads back to the questions it is built from. A rule that stops
early reads fewer facts, so the list holds what this person's result actually turned on.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from app.flow.derived import disposition_in_law, has_conviction, perspective, was_admitted
from app.flow.inputs import AnswerValue
from app.legal.facts import Facts
from app.legal.findings import RULES

FACT_FIELDS = frozenset(field.name for field in fields(Facts))
# Facts built from several answers by a rule of app.flow.derived: the answers it reads count.
DERIVED: dict[str, Callable[[Mapping[str, AnswerValue]], object]] = {
    "disposition": disposition_in_law,
    "conviction": has_conviction,
    "admitted": was_admitted,
    "perspective": perspective,
}
# Facts named differently from their question (app.legal.facts.Facts.from_answers).
RENAMED = {"asker": ("who",), "home_state": ("zip", "home_state"), "today": ()}


class _ReadFacts:
    """Looks like the Facts it wraps and records the fields read, directly or by a property."""

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        if name in FACT_FIELDS:
            self.read.add(name)
            return getattr(self._facts, name)
        attribute = getattr(type(self._facts), name)
        if isinstance(attribute, property) and attribute.fget is not None:
            return attribute.fget(self)  # its own reads go through this object too
        if callable(attribute):
            return attribute.__get__(self)
        return attribute


class _ReadAnswers(Mapping[str, AnswerValue]):
    def __init__(self, answers: Mapping[str, AnswerValue]) -> None:
        self._answers = answers
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> AnswerValue:
        self.read.add(key)
        return self._answers[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._answers.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)


def answers_behind(code: str, answers: Mapping[str, AnswerValue], today: date) -> list[str]:
    """The ids of the answered questions the finding `code` read, in the order asked."""
    recorder = _ReadFacts(Facts.from_answers(answers, today))
    RULES[code](recorder)  # type: ignore[arg-type]  # a stand-in that reads like Facts
    questions: set[str] = set()
    for name in recorder.read:
        if name in DERIVED:
            reader = _ReadAnswers(answers)
            DERIVED[name](reader)
            questions |= reader.read
        else:
            questions |= set(RENAMED.get(name, (name,)))
    return [question for question in answers if question in questions]
