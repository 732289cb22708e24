"""The lists of the questionnaire's court questions (app/flow/places.py), from the directory.

After the ZIP or the state, a person with a case is asked which immigration court has it, and
a person held, or whose relative is held, where they are held (issue 17). The list is of the
state's places: the detention places of EOIR's facility table when one is loaded for that
state (app/referrals/facilities.py), else the state's active courts, and the page says so.

Nearest first: the questionnaire keeps no ZIP, only its state and nearest court
(app/flow/inputs.py), so distances are measured from that court, the best place we still know;
a facility is placed by its own ZIP's centre (the offline ZIP index). That court is listed
even when it sits in the next state (a ZIP near a state line). With the state alone, the list
is by city.
"""

from collections.abc import Mapping

from app.db import Database
from app.flow.content import Node
from app.flow.derived import AnswerValue
from app.flow.inputs import zip_answer
from app.flow.places import Place, PlaceList
from app.places.location import ZipLocation, distance_miles, lookup_zip, normalize_state
from app.referrals.models import Court, Facility
from app.referrals.snapshot import Directory, DirectoryCache

FAR = float("inf")  # a place without coordinates goes after the placed ones


class CourtChoices:
    """The app's `CourtPlaces`. It reads this process's copy of the directory, as the ZIP
    answer does (app/referrals/court_finder.py CourtOfZip), and the database only when the
    process has none yet."""

    def __init__(self, db: Database, cache: DirectoryCache) -> None:
        self.db = db
        self.cache = cache

    @property
    def revision(self) -> object:
        """The directory copy the lists come from: this process's latest."""
        directory = self.cache.latest
        return None if directory is None else directory.revision

    def choices(self, node: Node, answers: Mapping[str, AnswerValue]) -> PlaceList:
        state, near = where(answers)
        if state is None:
            return PlaceList()
        directory = self.cache.latest
        if directory is None:
            with self.db.read() as session:
                directory = self.cache.get(session)
        return places_for(directory, node.court_list or "courts", state, near)


def where(answers: Mapping[str, AnswerValue]) -> tuple[str | None, str | None]:
    """The state and the ZIP's nearest court kept by the answers, or the state asked for."""
    state, near = zip_answer(answers.get("zip"))
    state = normalize_state(state)
    if state is None:
        home = answers.get("home_state")
        state = normalize_state(home if isinstance(home, str) else None)
    return state, near


def places_for(directory: Directory, wanted: str, state: str, near: str | None) -> PlaceList:
    courts = {court.code: court for court in directory.active_courts}
    anchor = courts.get(near) if near else None
    if wanted == "facilities":
        held = _facilities(directory, courts, state, anchor)
        if held:
            return PlaceList(tuple(held))
    in_state = [c for c in courts.values() if c.state == state or c is anchor]
    in_state.sort(key=lambda c: (_court_miles(c, anchor), c.city or "", c.code))
    return PlaceList(tuple(_court_place(c) for c in in_state), courts_instead=wanted != "courts")


def _facilities(
    directory: Directory, courts: Mapping[str, Court], state: str, anchor: Court | None
) -> list[Place]:
    """The state's active detention places whose court is in session, nearest first."""
    found = [
        f
        for f in directory.facilities.values()
        if f.active and f.state == state and f.admin_court_code in courts
    ]
    found.sort(key=lambda f: (_facility_miles(f, anchor), f.name, f.id))
    return [_facility_place(f) for f in found]


def _court_miles(court: Court, anchor: Court | None) -> float:
    if anchor is None or anchor.latitude is None or anchor.longitude is None:
        return 0.0  # no ZIP: by city
    if court.latitude is None or court.longitude is None:
        return FAR
    return distance_miles(anchor.latitude, anchor.longitude, court.latitude, court.longitude)


def _facility_miles(facility: Facility, anchor: Court | None) -> float:
    if anchor is None or anchor.latitude is None or anchor.longitude is None:
        return 0.0
    location = lookup_zip(facility.postal_code)
    if not isinstance(location, ZipLocation) or location.latitude is None:
        return FAR
    return distance_miles(
        anchor.latitude, anchor.longitude, location.latitude, location.longitude or 0.0
    )


def _place_line(city: str | None, state: str | None, postal_code: str | None) -> str:
    town = f"{(city or '').title()}," if city else ""
    return " ".join(p for p in (town, (state or "").upper(), postal_code or "") if p)


def _court_place(court: Court) -> Place:
    return Place(
        value=court.code,
        court=court.code,
        kind="court",
        name=(court.city or court.code).title(),
        address=court.address,
        place=_place_line(court.city, court.state, court.postal_code),
    )


def _facility_place(facility: Facility) -> Place:
    return Place(
        value=facility.id,
        court=facility.admin_court_code or "",
        kind="facility",
        name=facility.name,
        address=facility.address,
        place=_place_line(facility.city, facility.state, facility.postal_code),
    )
