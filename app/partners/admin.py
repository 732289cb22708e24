"""Partner codes for outreach organizations: create, list, switch off. Their share links, QR
codes and flyers are made in app/web/sharing.py, with the public ones."""

from datetime import date

from sqlmodel import col, select

from app.db import Database
from app.i18n import LANGUAGES
from app.partners.codes import CODE, new_code
from app.partners.models import Partner
from app.staff.audit import record


class PartnerError(ValueError):
    """A code that is not well formed or already taken, a missing name, an unknown language."""


def list_partners(db: Database) -> list[Partner]:
    with db.read() as session:
        return list(session.exec(select(Partner).order_by(col(Partner.code))))


def get_partner(db: Database, partner_id: int) -> Partner | None:
    with db.read() as session:
        return session.get(Partner, partner_id)


def create_partner(
    db: Database,
    staff_id: int | None,
    name: str,
    locale: str | None,
    code: str | None,
    today: date,
) -> Partner:
    name = " ".join(name.split())[:120]
    if not name:
        raise PartnerError("name")
    if locale and locale not in LANGUAGES:
        raise PartnerError("locale")
    code = (code or "").strip().upper() or None
    if code is not None and not CODE.fullmatch(code):
        raise PartnerError("code")
    with db.write() as session:
        taken = set(session.exec(select(Partner.code)))
        if code in taken:
            raise PartnerError("taken")
        while code is None or code in taken:
            code = new_code()
        partner = Partner(code=code, name=name, locale=locale or None, created_on=today)
        session.add(partner)
        session.flush()
        record(session, staff_id, "partner_created", code)
    return partner


def set_active(db: Database, staff_id: int | None, partner_id: int, active: bool) -> None:
    with db.write() as session:
        partner = session.get(Partner, partner_id)
        if partner is None:
            return
        partner.active = active
        session.add(partner)
        record(session, staff_id, "partner_enabled" if active else "partner_disabled", partner.code)
