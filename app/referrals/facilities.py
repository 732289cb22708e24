"""Detention facilities and the court that hears their cases, from EOIR's facility table.

EOIR publishes `tblLookupInmate` in its FOIA library's case data, tab-separated, with the
columns below: each jail, prison or detention centre (`INMATE_CODE`, EOIR's own code, not
ICE's) with the court that hears cases there (`INMATE_BASE`, a court code). A code is reused
across courts, so court plus code is the key. Values such as 1111111111 mean "unknown" and are
left out. Courts must be loaded first (app/referrals/courts.py); a row naming a court we do not
know is skipped and counted. Facilities get no coordinates: the table has none, and matching
anchors on the facility's court and state instead.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.places.location import normalize_state
from app.places.phones import canonical_us_phone
from app.referrals.courts import EOIR_SOURCE_URL
from app.referrals.models import Court, Facility
from app.referrals.seed import stable_id

FACILITY_SOURCE = (
    "U.S. DOJ Executive Office for Immigration Review, FOIA case-data release (tblLookupInmate)"
)
COLUMNS = (
    "INMATE_BASE",
    "INMATE_CODE",
    "INMATE_NAME",
    "INMATE_ADDRESS",
    "INMATE_CITY",
    "INMATE_ST",
    "INMATE_ZIP",
    "INMATE_PHONE",
    "blnActive",
)
_PLACEHOLDER = re.compile(r"(\d)\1+|0*", re.ASCII)  # 1111111111, 00000, "": unknown
_ZIP5 = re.compile(r"\d{5}", re.ASCII)
_IMPORTED = ("name", "address", "city", "state", "postal_code", "phone", "admin_court_code")


class FacilityFileError(ValueError):
    """Not EOIR's facility table: nothing imported."""


@dataclass
class FacilityImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    skipped: list[str] = field(default_factory=list)  # why rows were left out

    def summary(self) -> str:
        lines = [
            f"Detention facilities: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.retired} retired."
        ]
        if not (self.added or self.updated or self.retired):
            lines.append("Nothing changed.")
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)}: " + "; ".join(self.skipped[:20]))
        return "\n".join(lines)


def _known(value: str) -> str | None:
    value = value.strip()
    return None if _PLACEHOLDER.fullmatch(value) else value


def read_facility_file(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise FacilityFileError(
                f"{path} is not EOIR's tab-separated facility table: no {', '.join(missing)}"
            )
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def import_facilities(
    db: Session, path: Path, *, retrieved_at: date | None = None
) -> FacilityImport:
    """Load one release of the facility table into the session (the caller commits)."""
    rows = read_facility_file(path)
    courts = set(db.exec(select(Court.code)).all())
    existing = {
        f.id: f for f in db.exec(select(Facility).where(col(Facility.eoir_code).is_not(None)))
    }
    report = FacilityImport()
    seen: set[str] = set()
    for row in rows:
        values = _values(row, courts, report, retrieved_at)
        if values is None:
            continue
        seen.add(values["id"])
        facility = existing.get(values["id"])
        if facility is None:
            db.add(Facility(**values))
            report.added += 1
        elif _update(facility, values):
            report.updated += 1
        else:
            report.unchanged += 1
    for facility_id, facility in existing.items():
        if facility_id not in seen and facility.active:
            facility.active = False  # dropped by EOIR; kept for the services that name it
            report.retired += 1
    db.flush()
    return report


def _values(
    row: dict[str, str], courts: set[str], report: FacilityImport, retrieved_at: date | None
) -> dict[str, Any] | None:
    court, code = row["INMATE_BASE"].upper(), row["INMATE_CODE"]
    name, state = _known(row["INMATE_NAME"]), normalize_state(row["INMATE_ST"])
    if not code or not name:
        report.skipped.append(f"{court}/{code or '?'}: no code or name")
        return None
    if court not in courts:
        report.skipped.append(f"{court}/{code}: unknown court {court}")
        return None
    if state is None:
        report.skipped.append(f"{court}/{code}: state {row['INMATE_ST']!r} unknown")
        return None
    postal_code = _known(row["INMATE_ZIP"])
    phone = _known(row["INMATE_PHONE"])
    return {
        "id": stable_id("eoir_facility", f"{court}:{code}"),
        "eoir_code": code,
        "name": name,
        "address": _known(row["INMATE_ADDRESS"]),
        "city": _known(row["INMATE_CITY"]),
        "state": state,
        "postal_code": postal_code[:5] if postal_code and _ZIP5.match(postal_code) else None,
        "phone": canonical_us_phone(phone) if phone else None,
        "admin_court_code": court,
        "active": row["blnActive"].strip().lower() in {"1", "-1", "true"},
        "source_name": FACILITY_SOURCE,
        "source_url": EOIR_SOURCE_URL,
        "retrieved_at": retrieved_at,
    }


def _update(facility: Facility, values: dict[str, Any]) -> bool:
    changed = False
    for name in (*_IMPORTED, "active"):
        if getattr(facility, name) != values[name]:
            setattr(facility, name, values[name])
            changed = True
    return changed
