"""The immigration courts, loaded from EOIR's own court table (issue 17).

EOIR publishes its court list as `tblLookupBaseCity` in the FOIA library's case data; a copy
ships in data/immigration-courts.csv (public domain, 17 U.S.C. § 105; data/immigration-courts.md
gives its source and date). `import_courts` loads a release of that table:

- idempotent: a second import of the same file changes nothing and says so;
- a newer release updates what changed and retires what disappeared or went inactive; an older
  release than the one loaded is refused, so a stale file cannot undo a newer one;
- the values are the source's. A value the source marks as a placeholder, or one that fails a
  check (an unknown ZIP, a phone that is no U.S. number, two codes at one address), is left
  out or kept as it is, and the court is marked for checking with the reason (`check_note`).
  Nothing is invented: coordinates are the centre of the court's ZIP from the offline ZIP data
  (app/places/location.py), and `coordinates_source` says so; no ZIP, no coordinates;
- a field a staff member corrected (app/referrals/court_corrections.py) stays as corrected: the
  import reports where the file still differs, so staff can look again.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.places.location import ZipLocation, lookup_zip, normalize_state
from app.places.phones import canonical_us_phone
from app.referrals.models import Court

DATA = Path(__file__).parent / "data"
SHIPPED_COURTS = DATA / "immigration-courts.csv"
EOIR_SOURCE = (
    "U.S. DOJ Executive Office for Immigration Review, FOIA case-data release (tblLookupBaseCity)"
)
EOIR_SOURCE_URL = "https://www.justice.gov/eoir/foia-library-0"
# The shipped copy's date, as its source pipeline records it (data/immigration-courts.md).
SHIPPED_DATE = date(2025, 12, 1)

COLUMNS = ("court_code", "name", "address", "city", "state", "zip", "zip4", "phone", "active")
# The source's "unknown" ZIP+4 (data/immigration-courts.md: "1111 for BDC is a placeholder").
_PLACEHOLDER_ZIP4 = frozenset({"1111", "0000", "9999"})
_CODE = re.compile(r"[A-Z0-9]{2,20}", re.ASCII)
_ZIP5 = re.compile(r"\d{5}", re.ASCII)
_ZIP4 = re.compile(r"\d{4}", re.ASCII)
_NOT_WORD = re.compile(r"[^A-Z0-9]+")

# The fields an import writes; staff-only fields (verified_at, verified_by, corrected_fields)
# are never touched, and neither is a field named in the court's corrected_fields.
_IMPORTED = (
    "name",
    "address",
    "city",
    "state",
    "postal_code",
    "postal_code_suffix",
    "phone",
    "eoir_region",
    "active",
    "record_modified_on",
    "latitude",
    "longitude",
    "coordinates_source",
    "check_note",
    "source_name",
    "source_url",
    "source_date",
)


class CourtFileError(ValueError):
    """The file is not EOIR's court table (a missing column, a bad code): nothing imported."""


@dataclass(frozen=True)
class CourtRelease:
    """Where a court file comes from and the date of its data."""

    path: Path
    source_date: date
    source_name: str = EOIR_SOURCE
    source_url: str | None = EOIR_SOURCE_URL


SHIPPED_RELEASE = CourtRelease(SHIPPED_COURTS, SHIPPED_DATE)


@dataclass
class CourtImport:
    """What an import did, court codes per outcome."""

    source_date: date
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)  # marked for checking, in this file
    kept: list[str] = field(default_factory=list)  # "KRO (phone)": a staff correction kept
    active: int = 0  # active courts in this file
    refused: str | None = None  # why nothing was imported

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired)

    def summary(self) -> str:
        if self.refused:
            return f"Nothing imported: {self.refused}"
        total = len(self.added) + len(self.updated) + len(self.unchanged)
        lines = [
            f"Immigration courts, release of {self.source_date.isoformat()}: {total} in the file, "
            f"{self.active} active, {len(self.marked)} marked for checking"
            + (f" ({', '.join(self.marked)})" if self.marked else "")
            + "."
        ]
        if not self.changed:
            lines.append("Nothing changed: the database already holds this release.")
        for label, codes in (
            ("added", self.added),
            ("updated", self.updated),
            ("retired", self.retired),
            ("kept staff corrections where the file differs", self.kept),
        ):
            if codes:
                lines.append(f"{label.capitalize()} {len(codes)}: {', '.join(codes)}")
        return "\n".join(lines)


def read_court_file(path: Path) -> list[dict[str, str]]:
    """The rows of a court file, stripped; raises CourtFileError if it is not one."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise CourtFileError(f"{path} lacks the column(s) {', '.join(missing)}")
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    codes = [row["court_code"] for row in rows]
    bad = [code for code in codes if not _CODE.fullmatch(code)]
    if bad:
        raise CourtFileError(f"not a court code: {', '.join(bad[:5])}")
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise CourtFileError(f"court codes given twice: {', '.join(twice)}")
    return rows


def court_values(rows: list[dict[str, str]], release: CourtRelease) -> dict[str, dict[str, Any]]:
    """Each court's column values from the file, with its reasons for checking."""
    courts: dict[str, dict[str, Any]] = {}
    notes: dict[str, list[str]] = {}
    for row in rows:
        values, problems = _values(row, release)
        courts[row["court_code"]] = values
        notes[row["court_code"]] = problems
    for code, problem in _shared_addresses(rows):
        notes[code].append(problem)
    for code, values in courts.items():
        values["check_note"] = " ".join(notes[code]) or None
    return courts


def _values(row: dict[str, str], release: CourtRelease) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    state = normalize_state(row["state"])
    if state is None:
        problems.append(f"State {row['state']!r} is not a U.S. state or territory.")
    postal_code = row["zip"] if _ZIP5.fullmatch(row["zip"]) else None
    if postal_code is None and row["zip"]:
        problems.append(f"ZIP {row['zip']!r} is not five digits; left out.")
    suffix = row.get("zip4", "")
    if suffix in _PLACEHOLDER_ZIP4:
        problems.append(f"ZIP+4 {suffix} is a placeholder in the source; left out.")
        suffix = ""
    elif suffix and not _ZIP4.fullmatch(suffix):
        problems.append(f"ZIP+4 {suffix!r} is not four digits; left out.")
        suffix = ""
    phone = canonical_us_phone(row["phone"]) if row["phone"] else None
    if phone is None:
        problems.append(
            f"Phone {row['phone']!r} is not a U.S. number; left out."
            if row["phone"]
            else "No phone in the source."
        )
    latitude, longitude, coordinates_source = zip_centre(postal_code, state, problems)
    values = {
        "code": row["court_code"],
        "name": row.get("name") or "IMMIGRATION COURT",
        "address": row["address"] or None,
        "city": row["city"] or None,
        "state": state,
        "postal_code": postal_code,
        "postal_code_suffix": suffix or None,
        "phone": phone,
        "eoir_region": row.get("eoir_region") or None,
        "active": row["active"] == "1",
        "record_modified_on": _date(row.get("record_modified_on", "")),
        "latitude": latitude,
        "longitude": longitude,
        "coordinates_source": coordinates_source,
        "source_name": release.source_name,
        "source_url": release.source_url,
        "source_date": release.source_date,
    }
    if not row["address"]:
        problems.append("No street address in the source.")
    return values, problems


def zip_centre(
    postal_code: str | None, state: str | None, problems: list[str]
) -> tuple[float | None, float | None, str | None]:
    """The centre of the court's ZIP, or nothing; never a guess."""
    if postal_code is None:
        return None, None, None
    found = lookup_zip(postal_code)
    if not isinstance(found, ZipLocation):
        problems.append(f"ZIP {postal_code} is not in the offline ZIP data: no coordinates.")
        return None, None, None
    if found.state != state:
        problems.append(
            f"ZIP {postal_code} is in {found.state.upper()}, not in the court's state: "
            "no coordinates."
        )
        return None, None, None
    if found.latitude is None or found.longitude is None:
        return None, None, None
    return found.latitude, found.longitude, f"centre of ZIP {postal_code} (offline ZIP data)"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def place_key(address: str | None, postal_code: str | None) -> str:
    """An address reduced to letters and digits, for telling when two codes share one place."""
    return f"{postal_code or ''}:{_NOT_WORD.sub(' ', (address or '').upper()).strip()}"


def same_place(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Same ZIP, and one address begins with the other ("606 S OLIVE ST" and "… 15TH FLOOR")."""
    key_a, key_b = place_key(*a), place_key(*b)
    if not key_a.split(":", 1)[1] or not key_b.split(":", 1)[1]:
        return False
    return key_a.startswith(key_b) or key_b.startswith(key_a)


def _shared_addresses(rows: list[dict[str, str]]) -> Iterable[tuple[str, str]]:
    """The source's re-coded courts (data/immigration-courts.md, "Known gaps and oddities").

    Two codes at one address with different phones: one number may be wrong (SPD and LOS).
    Two active codes at one address and phone: perhaps one court under two codes.
    """
    for row in rows:
        for other in rows:
            if other is row or not same_place(
                (row["address"], row["zip"]), (other["address"], other["zip"])
            ):
                continue
            code = other["court_code"]
            if row["phone"] != other["phone"]:
                yield (
                    row["court_code"],
                    f"Same address as {code} but another phone: one of the numbers may be wrong.",
                )
            elif row["active"] == "1" and other["active"] == "1":
                yield (
                    row["court_code"],
                    f"Same address and phone as {code}, also active: perhaps one court "
                    "under two codes; EOIR's current court list says which.",
                )


def import_courts(db: Session, release: CourtRelease) -> CourtImport:
    """Load one release of the court table into the session (the caller commits)."""
    rows = read_court_file(release.path)
    report = CourtImport(source_date=release.source_date)
    wanted = court_values(rows, release)
    existing = {court.code: court for court in db.exec(select(Court)).all()}
    newest = max(
        (c.source_date for c in existing.values() if not c.is_sample and c.source_date),
        default=None,
    )
    if newest is not None and release.source_date < newest:
        report.refused = (
            f"this release ({release.source_date}) is older than the one loaded ({newest})"
        )
        return report
    for code, values in wanted.items():
        court = existing.get(code)
        if court is None:
            db.add(Court(**values))
            report.added.append(code)
        elif _update(court, values, release.source_date):
            (report.retired if court.retired_on == release.source_date else report.updated).append(
                code
            )
        else:
            report.unchanged.append(code)
        if court is not None and (kept := _kept_corrections(court, values)):
            report.kept.append(f"{code} ({', '.join(kept)})")
        if values["check_note"]:
            report.marked.append(code)
        report.active += values["active"]
    for code, court in existing.items():
        if code not in wanted and not court.is_sample and court.active:
            court.active = False  # dropped by EOIR: kept for the services that name it
            court.retired_on = release.source_date
            court.source_date = release.source_date
            report.retired.append(code)
    db.flush()
    return report


def corrected_fields(court: Court) -> frozenset[str]:
    """The fields a staff member corrected on this court."""
    return frozenset(filter(None, (court.corrected_fields or "").split(",")))


def _kept_corrections(court: Court, values: dict[str, Any]) -> list[str]:
    """The corrected fields whose value in the file differs from the correction."""
    return sorted(
        n for n in corrected_fields(court) if n in values and getattr(court, n) != values[n]
    )


def _update(court: Court, values: dict[str, Any], source_date: date) -> bool:
    """Bring `court` to `values`, except the fields staff corrected; True when anything but the
    release date changed. A court that went inactive is retired as of this release."""
    values = {n: v for n, v in values.items() if n not in corrected_fields(court)}
    imported = [n for n in _IMPORTED if n in values]
    changed = [n for n in imported if n != "source_date" and getattr(court, n) != values[n]]
    if not changed:
        if court.source_date != values["source_date"]:
            court.source_date = values["source_date"]  # the same values, a newer release
        return False
    if court.active and not values["active"]:
        court.retired_on = source_date
    elif values["active"]:
        court.retired_on = None
    for name in imported:
        if getattr(court, name) != values[name]:  # touch only what moved
            setattr(court, name, values[name])
    return True
