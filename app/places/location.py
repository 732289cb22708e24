"""Where the person is, without the network: ZIP code, state list, detention facility.

The ZIP lookup reads a packed index built from the `zipcodes` package (no network; see
`app/places/zip_index.py`). A ZIP is only ever held in memory to match referrals;
`ZipLocation.state` is what may be stored.

Which places count: the 50 states, DC, and the four territories that the Immigration and
Nationality Act counts as a "State" (Puerto Rico, Guam, the U.S. Virgin Islands and the
Northern Mariana Islands; INA 101(a)(36)), where removal cases are heard in the U.S. system.
American Samoa runs its own entry rules, and the freely associated states (Micronesia,
Marshall Islands, Palau) and military mail (APO/FPO) are not places we can match help to:
those ZIPs get a clear error code, and the person can still choose a state from the list.
"""

import logging
import math
import re
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from app.i18n.digits import western_digits
from app.places.zip_index import DEFAULT_PATH, IndexMissing, ZipIndex, source_version

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

log = logging.getLogger("puente.places")
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
    text = western_digits(text)
    match = _ZIP.fullmatch(text.replace(" ", ""))
    return match.group(1) if match else ZipError.not_five_digits


@cache
def _zip_index() -> ZipIndex:
    """The packed ZIP index (`app/places/zip_index.py`), mapped once per process.

    Built at build time. In a checkout where nobody has run `make` yet, or after the pinned
    `zipcodes` changed, it is built here, in a child process: reading the package's records
    costs about 50 MB that a worker would otherwise keep for its whole life.
    """
    expected = source_version()
    try:
        return ZipIndex(DEFAULT_PATH, expected)
    except IndexMissing as why:
        log.warning("building the ZIP index (%s)", why)
    subprocess.run(  # noqa: S603 (our own interpreter and module, no outside input)
        [sys.executable, "-m", "app.places.zip_index", str(DEFAULT_PATH)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return ZipIndex(DEFAULT_PATH, expected)


def warm_zip_index() -> None:
    """Map the index at start-up (building it first if need be), so no respondent waits."""
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
