"""The choices of a `court` question: places from the directory, given the earlier answers.

A person with a case in immigration court is asked which court has it, and a person held (or
whose relative is held) where they are held, from a list: the detention places of their state,
or its immigration courts (docs/content.md, `court_list`). The directory sits above the flow
(app/referrals), so the engine is handed a `CourtPlaces` that builds the list
(app/referrals/court_choices.py in the app); without one, no list is known and the question is
not asked.

Only a court is ever stored: `["court", "KRO"]` for a court chosen, `["held", "KRO"]` for the
court that hears the cases of the place chosen (the place itself is dropped, as a ZIP is;
docs/privacy-and-security.md).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from app.flow.content import Node
from app.flow.derived import AnswerValue

PlaceKind = Literal["court", "facility"]
# How a stored court answer says where the court came from.
CHOSEN, HELD = "court", "held"


@dataclass(frozen=True)
class Place:
    value: str  # what the form sends: a court's code, or a facility's id
    court: str  # the code of the court kept when it is chosen
    kind: PlaceKind
    name: str  # a court's city, or a facility's name (the page words it)
    address: str | None
    place: str  # "Miami, FL 33194"


@dataclass(frozen=True)
class PlaceList:
    places: tuple[Place, ...] = ()
    # Detention places were asked for, but none are known in the state: the courts instead.
    courts_instead: bool = False

    def find(self, value: str) -> Place | None:
        return next((place for place in self.places if place.value == value), None)


class CourtPlaces(Protocol):
    @property
    def revision(self) -> object:
        """What the lists come from: another value whenever they may have changed (a
        position worked out before is then worked out again, app/respondents/recent.py)."""
        ...

    def choices(self, node: Node, answers: Mapping[str, AnswerValue]) -> PlaceList:
        """The places to offer at `node`, nearest first when the answers hold a ZIP's court."""
        ...


class NoPlaces:
    """No directory: no list, so court questions are passed over."""

    revision = None

    def choices(self, node: Node, answers: Mapping[str, AnswerValue]) -> PlaceList:
        return PlaceList()


def court_answer(value: AnswerValue | None) -> tuple[str | None, bool]:
    """The court code kept by a court answer and whether it came from a place where the person
    is held: ["held", "KRO"] gives ("KRO", True); "dont_know" gives (None, False)."""
    if isinstance(value, list) and len(value) == 2 and value[0] in (CHOSEN, HELD):
        return value[1], value[0] == HELD
    return None, False
