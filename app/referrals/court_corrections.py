"""Staff corrections to the immigration courts, and "verified" marks (issue 17).

EOIR's table is the source (app/referrals/courts.py), but it has known errors and grows stale:
a staff member who phoned the court can correct its address or phone, clear the "marked for
checking" note, and mark it verified. A corrected field is named in `corrected_fields`, and the
next import leaves it as corrected (and says where the file differs). Who did it and when is in
the audit log (the web layer records it, as for the directory's services).

The rules are the import's: a phone must be a U.S. number, a ZIP five digits in the offline ZIP
data and in the court's state; coordinates follow the ZIP's centre and say so. A corrected
phone is a new number that nobody has verified yet, so it loses the court's verified date (the
`tel:` link rule, app/referrals/court_finder.py).
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.places.location import normalize_state
from app.places.phones import canonical_us_phone
from app.referrals.courts import corrected_fields, zip_centre
from app.referrals.models import Court

# The fields a staff member may correct, in the form's order, with their longest value.
CORRECTABLE: dict[str, int] = {
    "address": 300,
    "city": 200,
    "state": 2,
    "postal_code": 5,
    "postal_code_suffix": 4,
    "phone": 20,
    "check_note": 1000,
}
# Follow the ZIP: a corrected ZIP brings its own centre, which the import must keep too.
_COORDINATES = ("latitude", "longitude", "coordinates_source")
_ZIP5 = re.compile(r"\d{5}", re.ASCII)
_ZIP4 = re.compile(r"\d{4}", re.ASCII)


class CourtError(ValueError):
    """A court that does not exist (`not_found`), or a value that breaks a rule; `field` names
    the form control, `code` says which rule (the staff page explains it)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(f"{code}: {field}" if field else code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class CourtRow:
    """One court in the staff list."""

    code: str
    city: str
    state: str
    active: bool
    marked: bool
    verified_at: date | None
    corrected: tuple[str, ...]


def list_courts(db: Session, *, marked_only: bool = False) -> list[CourtRow]:
    statement = select(Court).where(col(Court.is_sample).is_(False))
    if marked_only:
        statement = statement.where(col(Court.check_note).is_not(None))
    courts = db.exec(statement.order_by(col(Court.state), col(Court.city), col(Court.code))).all()
    return [
        CourtRow(
            code=court.code,
            city=(court.city or "").title(),
            state=(court.state or "").upper(),
            active=court.active,
            marked=bool(court.check_note),
            verified_at=court.verified_at,
            corrected=tuple(sorted(corrected_fields(court))),
        )
        for court in courts
    ]


def get_court(db: Session, code: str) -> Court:
    court = db.get(Court, code.upper()[:20])
    if court is None or court.is_sample:
        raise CourtError("not_found")
    return court


def correct_court(db: Session, code: str, submitted: dict[str, str]) -> list[str]:
    """Apply the submitted values (every correctable field; blank means none) and return the
    names of the fields that changed, in form order. Nothing changes when one value is bad."""
    court = get_court(db, code)
    wanted = _checked(court, submitted)
    changed = [name for name, value in wanted.items() if getattr(court, name) != value]
    if not changed:
        return []
    if "postal_code" in changed or "state" in changed:
        latitude, longitude, source = zip_centre(wanted["postal_code"], wanted["state"], [])
        court.latitude, court.longitude, court.coordinates_source = latitude, longitude, source
    for name in changed:
        setattr(court, name, wanted[name])
    if "phone" in changed:
        court.verified_at = None
        court.verified_by = None
    marked = corrected_fields(court) | set(changed)
    if "postal_code" in marked or "state" in marked:
        marked |= set(_COORDINATES)
    court.corrected_fields = ",".join(sorted(marked))
    db.add(court)
    db.commit()
    return changed


def _checked(court: Court, submitted: dict[str, str]) -> dict[str, str | None]:
    values = {name: (submitted.get(name) or "").strip() or None for name in CORRECTABLE}
    for name, longest in CORRECTABLE.items():
        if len(values[name] or "") > longest:
            raise CourtError("too_long", name)
    state = normalize_state(values["state"]) if values["state"] else None
    if values["state"] and state is None:
        raise CourtError("state", "state")
    values["state"] = state
    zip5, zip4, phone = values["postal_code"], values["postal_code_suffix"], values["phone"]
    if zip5 and not _ZIP5.fullmatch(zip5):
        raise CourtError("postal_code", "postal_code")
    if zip5:
        problems: list[str] = []
        zip_centre(zip5, state, problems)
        if problems:  # not in the offline ZIP data, or in another state
            raise CourtError("postal_code_place", "postal_code")
    if zip4 and not _ZIP4.fullmatch(zip4):
        raise CourtError("postal_code_suffix", "postal_code_suffix")
    if phone:
        values["phone"] = canonical_us_phone(phone)
        if values["phone"] is None:
            raise CourtError("phone", "phone")
    if values["city"]:
        values["city"] = values["city"].upper()  # as EOIR's table writes it
    return values


def mark_court_verified(db: Session, code: str, *, verified_by: str, on: date) -> Court:
    """A person checked the court's details (its phone above all) on `on`."""
    if not verified_by.strip():
        raise CourtError("verified_by")
    court = get_court(db, code)
    court.verified_at = on
    court.verified_by = verified_by.strip()[:200]
    db.add(court)
    db.commit()
    return court
