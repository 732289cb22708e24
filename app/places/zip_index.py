"""The ZIP index: every ZIP code the `zipcodes` package knows, as one packed file read by mmap.

Why a file of our own: the package keeps its records in a compiled extension that builds all
42,789 of them as Python dictionaries (or a Rust copy as large) on first use; reading it at
start-up cost each worker about 50 MB of memory that never went back. This file is built once,
at build time (`setup.py`, `make`, or `python -m app.places.zip_index`), from the pinned
package, and each worker maps it read-only: the operating system shares its pages between
workers and brings in only the few a lookup touches. Nothing is parsed at start-up.

Layout, little-endian throughout:

    header   MAGIC, format version (H), record count (I), string count (I),
             the zipcodes version it was built from (16 bytes, NUL padded)
    zips     count x I        the five digits as an integer, ascending (binary search)
    records  count x RECORD   state, county and city as string numbers, flags, lat, lon
    strings  (strings + 1) x I offsets into the UTF-8 text that follows, then the text
"""

from __future__ import annotations

import math
import mmap
import os
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"PZIP"
FORMAT = 1
HEADER = struct.Struct("<4sHII16s")
RECORD = struct.Struct("<HHHBdd")  # state, county, city (string numbers), flags, lat, lon
NO_COUNTY = 0xFFFF
MILITARY = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "zips.idx"


class IndexMissing(RuntimeError):
    """The index file is absent, damaged, or from another version of the package."""


@dataclass(frozen=True, slots=True)
class ZipRecord:
    """What a lookup needs of one ZIP code."""

    state: str  # lower case, as the package has it (territories and military codes included)
    county: str | None
    city: str
    latitude: float | None
    longitude: float | None
    military: bool


def source_version() -> str:
    """The installed `zipcodes` version, read from its metadata (the package stays unimported)."""
    from importlib.metadata import version

    return version("zipcodes")


class ZipIndex:
    """A read-only view of the index file. Lookups are thread-safe: nothing is mutated."""

    def __init__(self, path: Path, expected_version: str | None = None) -> None:
        try:
            with path.open("rb") as file:
                self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:  # ValueError: an empty file cannot be mapped
            raise IndexMissing(f"{path}: {error}") from error
        if len(self._map) < HEADER.size:
            raise IndexMissing(f"{path}: too short to be a ZIP index")
        magic, fmt, count, strings, built_from = HEADER.unpack_from(self._map, 0)
        self.version = built_from.rstrip(b"\0").decode()
        if magic != MAGIC or fmt != FORMAT:
            raise IndexMissing(f"{path}: not a ZIP index of format {FORMAT}")
        if expected_version is not None and built_from != _version_field(expected_version):
            wanted = f"not {expected_version}"
            raise IndexMissing(f"{path}: built from zipcodes {self.version}, {wanted}")
        self.count = count
        self._zips = HEADER.size
        self._records = self._zips + 4 * count
        self._offsets = self._records + RECORD.size * count
        self._text = self._offsets + 4 * (strings + 1)
        if len(self._map) < self._text:
            raise IndexMissing(f"{path}: truncated")

    def get(self, zip5: str) -> ZipRecord | None:
        """The record of five ASCII digits, or None when there is no such ZIP code."""
        key = int(zip5)
        low, high = 0, self.count
        while low < high:  # binary search over the packed, sorted ZIP numbers
            middle = (low + high) // 2
            if struct.unpack_from("<I", self._map, self._zips + 4 * middle)[0] < key:
                low = middle + 1
            else:
                high = middle
        if low == self.count or struct.unpack_from("<I", self._map, self._zips + 4 * low)[0] != key:
            return None
        state, county, city, flags, lat, lon = RECORD.unpack_from(
            self._map, self._records + RECORD.size * low
        )
        located = not (math.isnan(lat) or math.isnan(lon))
        return ZipRecord(
            state=self._string(state),
            county=None if county == NO_COUNTY else self._string(county),
            city=self._string(city),
            latitude=lat if located else None,
            longitude=lon if located else None,
            military=bool(flags & MILITARY),
        )

    def _string(self, number: int) -> str:
        start, end = struct.unpack_from("<II", self._map, self._offsets + 4 * number)
        return self._map[self._text + start : self._text + end].decode()


def build(path: Path = DEFAULT_PATH) -> Path:
    """Write the index from the installed `zipcodes` package (atomically: a half-written file
    is never seen by a worker starting at the same moment)."""
    import zipcodes

    rows = sorted(zipcodes.list_all(), key=lambda row: str(row["zip_code"]))
    strings: dict[str, int] = {}

    def number(text: str) -> int:
        return strings.setdefault(text, len(strings))

    packed_zips = bytearray()
    packed_records = bytearray()
    for row in rows:
        latitude, longitude = _coordinates(row.get("lat"), row.get("long"))
        county = row.get("county")
        packed_zips += struct.pack("<I", int(row["zip_code"]))
        packed_records += RECORD.pack(
            number(str(row.get("state", "")).lower()),
            number(county) if county else NO_COUNTY,
            number(str(row.get("city", ""))),
            MILITARY if row.get("zip_code_type") == "MILITARY" else 0,
            latitude,
            longitude,
        )
    if len(strings) >= NO_COUNTY:
        raise ValueError("too many distinct names for 16-bit string numbers")
    text = bytearray()
    offsets = [0]
    for value in strings:  # insertion order is number order
        text += value.encode()
        offsets.append(len(text))
    header = HEADER.pack(MAGIC, FORMAT, len(rows), len(strings), _version_field(source_version()))
    body = bytes(packed_zips + packed_records) + struct.pack(f"<{len(offsets)}I", *offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".zips-")
    with os.fdopen(handle, "wb") as file:
        file.write(header + body + bytes(text))
    os.chmod(temporary, 0o644)  # mkstemp makes it private; the server may run as another user
    os.replace(temporary, path)
    return path


def _version_field(version: str) -> bytes:
    return version.encode()[:16].ljust(16, b"\0")


def _coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    """The package's coordinates as floats; NaN for unknown (it writes "0" for those)."""
    try:
        latitude, longitude = float(str(lat)), float(str(lon))
    except ValueError:
        return math.nan, math.nan
    if latitude == 0 and longitude == 0:
        return math.nan, math.nan
    return latitude, longitude


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    print(build(target))
