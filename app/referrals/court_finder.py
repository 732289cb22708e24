"""The immigration courts that may have a person's case (issue 17).

Which courts: the one the person chose from a list, or the court of the facility they chose;
otherwise, from a ZIP, the nearest active courts by distance from the ZIP's centre; from a
state alone, that state's active courts. Two codes at one place (the source's re-coded courts,
app/referrals/courts.py) are shown once, by the most recently updated record.

A court's phone gets a `tel:` link only under the directory's rule (a person verified it within
the trust window, app/referrals/cards.py); EOIR's table alone does not make it callable, so the
card says to check the number first.

The questionnaire keeps no ZIP: its ZIP answer keeps the state and the nearest court's code
(`CourtOfZip`, app/flow/inputs.py), and the result page shows that court (app/results.py).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from app.db import Database
from app.flow.inputs import AnswerValue
from app.i18n import gettext as _
from app.places.location import ZipLocation, distance_miles
from app.places.phones import display_phone, tel_href
from app.referrals.cards import PHONE_TRUST_WINDOW
from app.referrals.models import Court
from app.referrals.placeholders import Filled, Prose, fill
from app.referrals.snapshot import Directory, DirectoryCache

NEAREST = 3


@dataclass(frozen=True)
class CourtCard:
    code: str
    city: str  # as people write it: "Los Angeles"
    address: str | None
    place: str  # "Los Angeles, CA 90012"
    phone: str | None
    phone_href: str | None  # only for a number a person verified lately
    miles: int | None  # from the ZIP's centre, rounded; 0 reads "less than a mile"
    marked_for_checking: bool


def courts_for(
    directory: Directory,
    *,
    today: date,
    location: ZipLocation | None = None,
    state: str | None = None,
    court_code: str | None = None,
    facility_id: str | None = None,
) -> list[CourtCard]:
    chosen = court_code or _facility_court(directory, facility_id)
    if chosen and chosen in directory.courts:
        return [_card(directory.courts[chosen], today, location)]
    if location is not None and location.latitude is not None and location.longitude is not None:
        nearest = sorted(directory.placed_courts, key=_distance_from(location))
        return [_card(court, today, location) for court, _, _ in nearest[:NEAREST]]
    wanted = location.state if location is not None else state
    if wanted:
        active = directory.active_courts
        in_state = sorted((c for c in active if c.state == wanted), key=lambda c: c.city or "")
        return [_card(c, today, None) for c in in_state]
    return []


def case_line(values: Mapping[str, Filled]) -> Prose:
    """How to check the hearing date: EOIR's automated line, its number from the directory."""
    return fill(
        _(
            "For the hearing date and the state of the case, call the immigration courts' "
            "automated case information line: {eoir_phone}. Have the A-number ready."
        ),
        values,
    )


def active_court(directory: Directory, code: str | None, today: date) -> CourtCard | None:
    """The card of an active court by its code; None for an unknown or retired one."""
    court = directory.courts.get(code) if code else None
    if court is None or not court.active or court.is_sample:
        return None
    return _card(court, today, None)


def nearest_court_code(directory: Directory, location: ZipLocation) -> str | None:
    """The code of the active court nearest to the ZIP's centre, if any court has coordinates."""
    if location.latitude is None or location.longitude is None or not directory.placed_courts:
        return None
    court, _, _ = min(directory.placed_courts, key=_distance_from(location))
    return court.code


def _distance_from(location: ZipLocation) -> Callable[[tuple[Court, float, float]], float]:
    """Sorts `Directory.placed_courts` by their distance from the ZIP's centre."""
    latitude, longitude = location.latitude or 0.0, location.longitude or 0.0
    return lambda placed: distance_miles(latitude, longitude, placed[1], placed[2])


class CourtOfZip:
    """What the questionnaire's ZIP answer keeps: the state and the nearest court's code, or
    the state alone when no court has coordinates (a directory without courts).

    It runs inside the answer's write transaction, so it reads this process's copy of the
    directory and asks the database only when the process has none yet: a court table that
    changed since is picked up by the next page that reloads the copy (app/referrals/snapshot.py).
    """

    def __init__(self, db: Database, cache: DirectoryCache) -> None:
        self.db = db
        self.cache = cache

    def __call__(self, location: ZipLocation) -> AnswerValue:
        directory = self.cache.latest
        if directory is None:
            with self.db.read() as session:
                directory = self.cache.get(session)
        code = nearest_court_code(directory, location)
        return [location.state, code] if code else location.state


def courts_by_state(directory: Directory) -> list[tuple[str, list[CourtCard]]]:
    """Active courts grouped by state code, for the picker when no facility table is loaded."""
    groups: dict[str, list[CourtCard]] = {}
    by_place = sorted(directory.active_courts, key=lambda c: (c.state or "", c.city or "", c.code))
    for court in by_place:
        if court.state:
            groups.setdefault(court.state, []).append(_card(court, date.min, None))
    return sorted(groups.items())


def _facility_court(directory: Directory, facility_id: str | None) -> str | None:
    facility = directory.facilities.get(facility_id) if facility_id else None
    return facility.admin_court_code if facility is not None else None


def _miles(court: Court, location: ZipLocation) -> float:
    return distance_miles(
        location.latitude or 0.0,
        location.longitude or 0.0,
        court.latitude or 0.0,
        court.longitude or 0.0,
    )


def _card(court: Court, today: date, location: ZipLocation | None) -> CourtCard:
    trusted = (
        court.phone is not None
        and court.verified_at is not None
        and court.verified_at <= today
        and today - court.verified_at <= PHONE_TRUST_WINDOW
    )
    miles = None
    if location is not None and location.latitude is not None and court.latitude is not None:
        miles = round(_miles(court, location))
    city = f"{_title(court.city)}," if court.city else ""
    place = " ".join(p for p in (city, (court.state or "").upper(), court.postal_code or "") if p)
    return CourtCard(
        code=court.code,
        city=_title(court.city),
        address=court.address,
        place=place,
        phone=display_phone(court.phone) if court.phone else None,
        phone_href=tel_href(court.phone) if trusted and court.phone else None,
        miles=miles,
        marked_for_checking=bool(court.check_note),
    )


def _title(text: str | None) -> str:
    return (text or "").title()
