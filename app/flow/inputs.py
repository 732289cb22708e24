"""Checking one submitted value against the question it answers.

Each check returns the value to store, or raises InvalidAnswer with a code that the web layer
turns into a message in the person's language. A ZIP code is reduced here, so the ZIP itself
never reaches the database: to its state, and, where the app knows the immigration courts, to
the state and the code of the nearest court (`["fl", "KRO"]`; docs/decisions.md). Either is
coarser than the first three digits that the privacy rule allows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.flow.content import EXCLUSIVE_VALUES, Node
from app.flow.places import CHOSEN, HELD, PlaceList
from app.i18n.digits import western_digits
from app.places.location import ZipError, ZipLocation, lookup_zip

AnswerValue = str | int | list[str]
RawValue = str | int | list[str] | None
# What a ZIP answer keeps of the place: its state, or its state and nearest court.
PlaceOfZip = Callable[[ZipLocation], AnswerValue]
MAX_CHOICES = 30
MAX_TEXT = 40


def state_of(location: ZipLocation) -> str:
    return location.state


def zip_answer(value: AnswerValue | None) -> tuple[str | None, str | None]:
    """The state and the nearest court's code kept of a ZIP answer: "fl" gives ("fl", None)
    (also every answer stored before courts were kept), ["fl", "KRO"] gives ("fl", "KRO")."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None, None


@dataclass
class InvalidAnswer(Exception):
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def check_value(
    node: Node,
    raw: RawValue,
    today: date,
    place_of_zip: PlaceOfZip = state_of,
    places: PlaceList | None = None,
) -> AnswerValue:
    """`places`: the list a `court` question offers at this point (app/flow/places.py)."""
    if node.type == "info":
        if raw != "ok":
            raise InvalidAnswer("continue_only")
        return "ok"
    if node.input == "single":
        return _single(node, raw)
    if node.input == "multiple":
        return _multiple(node, raw)
    if node.input == "court":
        return _court(node, raw, places or PlaceList())
    if node.unknown is not None and raw == node.unknown:
        return node.unknown
    if node.input == "zip":
        return place_of_zip(_location(raw))
    maximum = node.maximum
    if node.input == "year" and maximum is None:
        maximum = today.year
    return _whole_number(raw, node.minimum, maximum, node.input == "year")


def _single(node: Node, raw: RawValue) -> str:
    if isinstance(raw, list):
        if len(raw) > 1:
            raise InvalidAnswer("not_an_option")
        raw = raw[0] if raw else None
    if raw is None or raw == "":
        raise InvalidAnswer("choose_one")
    if not isinstance(raw, str) or node.option(raw) is None:
        raise InvalidAnswer("not_an_option")
    return raw


def _court(node: Node, raw: RawValue, places: PlaceList) -> AnswerValue:
    """A place from the list keeps only its court; "I don't know" and the like keep themselves."""
    if isinstance(raw, list):
        if len(raw) > 1:
            raise InvalidAnswer("not_in_list")
        raw = raw[0] if raw else None
    if raw is None or raw == "":
        raise InvalidAnswer("choose_one")
    if not isinstance(raw, str):
        raise InvalidAnswer("not_in_list")
    if node.option(raw) is not None:
        return raw
    place = places.find(raw)
    if place is None:
        raise InvalidAnswer("not_in_list")
    return [HELD if place.kind == "facility" else CHOSEN, place.court]


def _multiple(node: Node, raw: RawValue) -> list[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not values:
        raise InvalidAnswer("choose_at_least_one")
    if not isinstance(values, list) or len(values) > MAX_CHOICES:
        raise InvalidAnswer("not_an_option")
    if any(not isinstance(value, str) or node.option(value) is None for value in values):
        raise InvalidAnswer("not_an_option")
    chosen = [value for value in node.option_values if value in values]
    if len(chosen) > 1 and EXCLUSIVE_VALUES.intersection(chosen):
        raise InvalidAnswer("exclusive_alone")
    return chosen


def _whole_number(
    raw: RawValue, minimum: int | None, maximum: int | None, is_year: bool = False
) -> int:
    """A number typed in digits of any script (٢٠١٩ is 2019); the error's example is a year
    where a year is asked."""
    not_a_number = InvalidAnswer("not_a_year" if is_year else "not_a_whole_number")
    if isinstance(raw, bool) or raw is None or isinstance(raw, list):
        raise not_a_number
    text = western_digits(str(raw).strip())
    if not text or len(text) > MAX_TEXT or not text.isascii() or not text.isdigit():
        raise not_a_number
    number = int(text)
    if minimum is not None and number < minimum:
        raise InvalidAnswer("too_small", {"minimum": minimum})
    if maximum is not None and number > maximum:
        raise InvalidAnswer("too_large", {"maximum": maximum})
    return number


def state_for_zip(raw: RawValue) -> str:
    """The lower-case state (or territory) code of a U.S. ZIP code; the ZIP is not kept."""
    return _location(raw).state


def _location(raw: RawValue) -> ZipLocation:
    location = lookup_zip(raw if isinstance(raw, str) else None)
    if isinstance(location, ZipError):
        raise InvalidAnswer(_ZIP_ERRORS.get(location, "zip_unknown"))
    return location


_ZIP_ERRORS = {
    ZipError.empty: "zip_format",
    ZipError.not_five_digits: "zip_format",
    ZipError.unknown_zip: "zip_unknown",
    ZipError.territory_zip: "zip_outside",
    ZipError.military_zip: "zip_military",
}
