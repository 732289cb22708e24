"""Where the person is, without the network: ZIP code, state list, detention facility.

The ZIP lookup uses the `zipcodes` package (data compiled in, no network). A ZIP is only ever
held in memory to match referrals; `ZipLocation.state` is what may be stored.

Which places count: the 50 states, DC, and the four territories that the Immigration and
Nationality Act counts as a "State" (Puerto Rico, Guam, the U.S. Virgin Islands and the
Northern Mariana Islands; INA 101(a)(36)), where removal cases are heard in the U.S. system.
American Samoa runs its own entry rules, and the freely associated states (Micronesia,
Marshall Islands, Palau) and military mail (APO/FPO) are not places we can match help to:
those ZIPs get a clear error code, and the person can still choose a state from the list.
"""

import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple

import zipcodes

STATES: dict[str, str] = {
    "al": "Alabama",
    "ak": "Alaska",
    "az": "Arizona",
    "ar": "Arkansas",
    "ca": "California",
    "co": "Colorado",
    "ct": "Connecticut",
    "de": "Delaware",
    "dc": "District of Columbia",
    "fl": "Florida",
    "ga": "Georgia",
    "hi": "Hawaii",
    "id": "Idaho",
    "il": "Illinois",
    "in": "Indiana",
    "ia": "Iowa",
    "ks": "Kansas",
    "ky": "Kentucky",
    "la": "Louisiana",
    "me": "Maine",
    "md": "Maryland",
    "ma": "Massachusetts",
    "mi": "Michigan",
    "mn": "Minnesota",
    "ms": "Mississippi",
    "mo": "Missouri",
    "mt": "Montana",
    "ne": "Nebraska",
    "nv": "Nevada",
    "nh": "New Hampshire",
    "nj": "New Jersey",
    "nm": "New Mexico",
    "ny": "New York",
    "nc": "North Carolina",
    "nd": "North Dakota",
    "oh": "Ohio",
    "ok": "Oklahoma",
    "or": "Oregon",
    "pa": "Pennsylvania",
    "ri": "Rhode Island",
    "sc": "South Carolina",
    "sd": "South Dakota",
    "tn": "Tennessee",
    "tx": "Texas",
    "ut": "Utah",
    "vt": "Vermont",
    "va": "Virginia",
    "wa": "Washington",
    "wv": "West Virginia",
    "wi": "Wisconsin",
    "wy": "Wyoming",
    # Territories that are a "State" under INA 101(a)(36).
    "pr": "Puerto Rico",
    "gu": "Guam",
    "vi": "U.S. Virgin Islands",
    "mp": "Northern Mariana Islands",
}
TERRITORIES = frozenset({"pr", "gu", "vi", "mp"})
_UNSUPPORTED_TERRITORIES = frozenset({"as", "fm", "mh", "pw"})
_MILITARY = frozenset({"aa", "ae", "ap"})

_ZIP = re.compile(r"(\d{5})(?:-\d{4})?", re.ASCII)


class ZipError(StrEnum):
    """Why a ZIP gave no location. The UI turns each code into a translated message."""

    empty = "empty"
    not_five_digits = "not_five_digits"  # letters, too short, too long
    unknown_zip = "unknown_zip"  # five digits, but no such ZIP code
    territory_zip = "territory_zip"  # American Samoa or a freely associated state
    military_zip = "military_zip"  # APO/FPO/DPO mail: the person is abroad


@dataclass(frozen=True, slots=True)
class ZipLocation:
    zip: str
    state: str  # lowercase two-letter code, a key of STATES
    county: str | None  # "Cook County"; None for the few ZIPs without one
    city: str
    latitude: float | None
    longitude: float | None

    @property
    def state_name(self) -> str:
        return STATES[self.state]

    @property
    def is_territory(self) -> bool:
        return self.state in TERRITORIES


def normalize_zip(raw: str | None) -> str | ZipError:
    """Five digits from what a person typed (spaces and a ZIP+4 suffix allowed)."""
    text = (raw or "").strip()
    if not text:
        return ZipError.empty
    # Phones in Arabic or Persian locales type Eastern Arabic digits: read them as digits.
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    match = _ZIP.fullmatch(text.replace(" ", ""))
    return match.group(1) if match else ZipError.not_five_digits


class _ZipRecord(NamedTuple):
    """What a lookup needs of one of the package's records."""

    state: str  # lower case
    county: str | None
    city: str
    latitude: float | None
    longitude: float | None
    military: bool


@cache
def _zip_index() -> dict[str, _ZipRecord]:
    """Every ZIP code by its five digits, built once per process.

    `zipcodes.matching` scans all 42,789 records on every call (about 2 ms each), far too slow
    for a ZIP answer; a dictionary answers in microseconds. It is built a two-digit prefix at a
    time and keeps small tuples: the package's own list of all records, as dictionaries, cost
    each worker about 120 MB more (docs/benchmarks.md).
    """
    index: dict[str, _ZipRecord] = {}
    for prefix in (f"{n:02d}" for n in range(100)):
        for row in zipcodes.similar_to(prefix):
            index[str(row["zip_code"])] = _record(row)
    return index


def _record(row: dict[str, Any]) -> _ZipRecord:
    latitude, longitude = _coordinates(row.get("lat"), row.get("long"))
    return _ZipRecord(
        state=sys.intern(str(row.get("state", "")).lower()),
        county=sys.intern(row["county"]) if row.get("county") else None,
        city=sys.intern(str(row.get("city", ""))),
        latitude=latitude,
        longitude=longitude,
        military=row.get("zip_code_type") == "MILITARY",
    )


def warm_zip_index() -> None:
    """Build the index at start-up, so no respondent waits for it."""
    _zip_index()


def lookup_zip(raw: str | None) -> ZipLocation | ZipError:
    """Resolve a ZIP code offline. Returns a location or an error code, never raises."""
    zip_or_error = normalize_zip(raw)
    if isinstance(zip_or_error, ZipError):
        return zip_or_error
    record = _zip_index().get(zip_or_error)
    if record is None:
        return ZipError.unknown_zip
    if record.state in _MILITARY or record.military:
        return ZipError.military_zip
    if record.state in _UNSUPPORTED_TERRITORIES:
        return ZipError.territory_zip
    if record.state not in STATES:
        return ZipError.unknown_zip
    return ZipLocation(
        zip=zip_or_error,
        state=record.state,
        county=record.county,
        city=record.city,
        latitude=record.latitude,
        longitude=record.longitude,
    )


def _coordinates(lat: object, lon: object) -> tuple[float | None, float | None]:
    try:
        latitude, longitude = float(str(lat)), float(str(lon))
    except ValueError:
        return None, None
    if latitude == 0 and longitude == 0:  # the package's "unknown"
        return None, None
    return latitude, longitude


def normalize_state(raw: str | None) -> str | None:
    """A known lowercase state code, or None for anything else (including "")."""
    code = (raw or "").strip().lower()
    return code if code in STATES else None


def state_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a <select>."""
    return sorted(STATES.items(), key=lambda item: item[1])


def valid_coordinates(latitude: float | None, longitude: float | None) -> bool:
    if latitude is None or longitude is None:
        return latitude is None and longitude is None
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in statute miles."""
    earth_radius_miles = 3958.8
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = math.radians(lat2 - lat1)
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * earth_radius_miles * math.asin(min(1.0, math.sqrt(a)))
