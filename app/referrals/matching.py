"""Match a person to legal help, in tiers (shared/reference/referrals.md §6).

1. Hard filters: the service is active and not past its review date; it meets one of the
   needs (its taxonomy term, or a broader one); detained people see only services for
   detained people (and only they see detained-only ones); it serves the person's area
   (state, county, ZIP, radius, their detention facility or its court).
2. Ranking: curated best bets first; an exact need before a broader one; the person's language
   spoken by staff before interpretation; distance, for in-person services only; the most
   recently verified first.
3. At most 5 local results. When fewer than 3 local ones match, national resources follow,
   labelled as national.

Matching reads the process's in-memory copy of the directory (app/referrals/snapshot.py),
never the database. The ZIP is used here, in memory, and never returned: the result carries
only the state.
"""

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.places.location import (
    STATES,
    ZipError,
    ZipLocation,
    distance_miles,
    lookup_zip,
)
from app.referrals.cards import ReferralCard
from app.referrals.models import Court, Facility, Service, ServiceArea
from app.referrals.snapshot import Directory
from app.referrals.vocabulary import NEED_TERMS, Need, Scope, Term

MAX_LOCAL = 5
MAX_NATIONAL = 5
MIN_LOCAL_BEFORE_NATIONAL = 3


class ReferralRequest(BaseModel):
    """What matching needs to know. `zip` is used in memory only."""

    model_config = ConfigDict(frozen=True)

    needs: frozenset[Need] = frozenset({Need.general})
    state: str | None = None
    zip: str | None = Field(default=None, pattern=r"^\d{5}$")
    facility_id: str | None = None
    court_code: str | None = None  # a court the person chose from a list
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")
    detained: bool = False
    today: date

    @field_validator("state", mode="before")
    @classmethod
    def _known_state(cls, value: object) -> str | None:
        """Anything but a known state code ("unknown", "dont_know", "zz") means no state:
        a result page must never fail on it. Forms check the state themselves and say so."""
        code = value.strip().lower() if isinstance(value, str) else None
        return code if code in STATES else None


class ReferralResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    local: list[ReferralCard]
    national: list[ReferralCard]
    state: str | None  # the only location detail fit to store
    zip_error: ZipError | None  # why a given ZIP was not used, for the page to explain
    show_defense_lawyer_tip: bool  # pending criminal case: ask the defense lawyer too


@dataclass(frozen=True, slots=True)
class _Anchor:
    """One place the person is tied to: where they live, or the facility holding them."""

    state: str | None
    county: str | None = None
    zip: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    facility_id: str | None = None
    court_code: str | None = None

    @classmethod
    def at(cls, place: Facility | Court | ZipLocation, **tie: str | None) -> "_Anchor":
        """The anchor of a place with a state and perhaps coordinates, and what ties it."""
        return cls(state=place.state, latitude=place.latitude, longitude=place.longitude, **tie)


@dataclass(frozen=True, slots=True)
class _Candidate:
    service: Service
    exact_needs: int
    distance: float | None
    is_national: bool


def match_referrals(directory: Directory, request: ReferralRequest) -> ReferralResult:
    anchors, zip_error = _anchors(directory, request)
    terms = directory.terms
    origin = next((a for a in anchors if a.latitude is not None), None)

    local: list[_Candidate] = []
    national: list[_Candidate] = []
    for service in directory.visible(request.today):
        if not _detention_fits(service, request.detained):
            continue
        exact, broad = _need_match(terms.get(service.id, frozenset()), service, request.needs)
        if not exact and not broad:
            continue
        is_national = any(a.scope == Scope.national for a in service.areas)
        if not is_national and not any(_serves(service, anchor) for anchor in anchors):
            continue
        distance = _distance(service, origin) if not is_national else None
        candidate = _Candidate(service, exact, distance, is_national)
        (national if is_national else local).append(candidate)

    ranked_local = _rank(local, request.language)[:MAX_LOCAL]
    ranked_national = (
        _rank(national, request.language)[:MAX_NATIONAL]
        if len(ranked_local) < MIN_LOCAL_BEFORE_NATIONAL
        else []
    )
    return ReferralResult(
        local=[_card(directory, c, request.today) for c in ranked_local],
        national=[_card(directory, c, request.today) for c in ranked_national],
        state=next((a.state for a in anchors if a.state), None),
        zip_error=zip_error,
        show_defense_lawyer_tip=Need.pending_case in request.needs,
    )


# ---- where the person is


def _anchors(
    directory: Directory, request: ReferralRequest
) -> tuple[list[_Anchor], ZipError | None]:
    anchors: list[_Anchor] = []
    if request.facility_id:
        facility = directory.facilities.get(request.facility_id)
        if facility is not None:
            anchors.append(
                _Anchor.at(facility, facility_id=facility.id, court_code=facility.admin_court_code)
            )
    court = directory.courts.get(request.court_code) if request.court_code else None
    if court is not None:
        anchors.append(_Anchor.at(court, court_code=court.code))
    zip_error: ZipError | None = None
    if request.zip:
        found = lookup_zip(request.zip)
        if isinstance(found, ZipLocation):
            anchors.insert(0, _Anchor.at(found, county=found.county, zip=found.zip))
        else:
            zip_error = found
    if request.state and all(a.state != request.state for a in anchors):
        anchors.append(_Anchor(state=request.state))
    return anchors, zip_error


# ---- hard filters


def _detention_fits(service: Service, detained: bool) -> bool:
    return service.serves_detained if detained else not service.detained_only


def _need_match(
    codes: frozenset[str], service: Service, needs: frozenset[Need]
) -> tuple[int, bool]:
    """(how many needs the service meets exactly, whether it meets any in a broader way)."""
    if service.crim_imm_expertise:
        codes = codes | {Term.crim_imm_advice}
    exact = 0
    broad = False
    for need in needs:
        exact_terms, broad_terms = NEED_TERMS[need]
        if codes & exact_terms:
            exact += 1
        elif codes & broad_terms:
            broad = True
    return exact, broad


def _serves(service: Service, anchor: _Anchor) -> bool:
    if anchor.facility_id and any(f.facility_id == anchor.facility_id for f in service.facilities):
        return True
    if anchor.court_code and any(c.court_code == anchor.court_code for c in service.courts):
        return True
    for area in service.areas:
        if area.scope == Scope.state and area.state and area.state == anchor.state:
            return True
        if (
            area.scope == Scope.county
            and area.state == anchor.state
            and area.county
            and anchor.county
            and area.county.casefold() == anchor.county.casefold()
        ):
            return True
        if area.scope == Scope.zip and area.zip and area.zip == anchor.zip:
            return True
        if area.scope == Scope.radius and _within_radius(service, area, anchor):
            return True
    return False


def _within_radius(service: Service, area: ServiceArea, anchor: _Anchor) -> bool:
    radius = area.radius_miles
    if radius is None or anchor.latitude is None or anchor.longitude is None:
        return False
    lat, lon = area.center_latitude, area.center_longitude
    if lat is None or lon is None:  # no explicit centre: the service's own office
        office = next(iter(_physical_points(service)), None)
        if office is None:
            return False
        lat, lon = office
    return distance_miles(anchor.latitude, anchor.longitude, lat, lon) <= radius


# ---- ranking


def _physical_points(service: Service) -> list[tuple[float, float]]:
    return [
        (sal.location.latitude, sal.location.longitude)
        for sal in service.at_locations
        if sal.location.location_type == "physical"
        and sal.location.latitude is not None
        and sal.location.longitude is not None
    ]


def _distance(service: Service, origin: _Anchor | None) -> float | None:
    """Miles to the nearest office, for in-person services only."""
    if origin is None or origin.latitude is None or origin.longitude is None:
        return None
    points = _physical_points(service)
    if not points:
        return None
    return min(distance_miles(origin.latitude, origin.longitude, lat, lon) for lat, lon in points)


def _language_rank(service: Service, language: str) -> int:
    if any(lang.code == language for lang in service.languages):
        return 0
    if (service.interpretation_services or "").strip():
        return 1
    return 2


def _rank(candidates: list[_Candidate], language: str) -> list[_Candidate]:
    def key(c: _Candidate) -> tuple[int, int, int, float, int, str, str]:
        verified = c.service.verified_at
        return (
            0 if c.service.curated else 1,
            -c.exact_needs,
            _language_rank(c.service, language),
            c.distance if c.distance is not None else 0.0,
            -(verified.toordinal() if verified else 0),
            c.service.name.casefold(),
            c.service.id,
        )

    return sorted(candidates, key=key)


def _card(directory: Directory, candidate: _Candidate, today: date) -> ReferralCard:
    card = directory.card(candidate.service, today)
    return card.placed(candidate.distance, candidate.is_national, candidate.exact_needs > 0)
