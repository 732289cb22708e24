"""The audit log of staff actions and of refusals on the staff side: who, what, when. Never a
client address, never what someone typed (an unknown name is "unknown name", not the name).

Refusals (F9: refused and paused sign-ins, rate-limited ones, role and CSRF refusals) can be
caused by anyone, so identical ones in the same minute share a row whose `times` counts up:
every one is recorded, and a flood of them grows the table by a row a minute, not a row a try.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from app.db import Database
from app.staff.models import AuditEvent, StaffUser

PAGE_SIZE = 100


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def record(session: Any, staff_id: int | None, event: str, detail: str = "") -> None:
    """Add an event in the caller's transaction."""
    session.add(AuditEvent(staff_id=staff_id, event=event, detail=detail[:200], at=_now()))


def record_refusal(session: Any, staff_id: int | None, event: str, detail: str = "") -> None:
    """A refusal, counted into the same minute's row for the same who, what and detail."""
    minute = _now().replace(second=0)
    detail = detail[:200]
    row = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.staff_id).is_(None)
            if staff_id is None
            else col(AuditEvent.staff_id) == staff_id,
            col(AuditEvent.event) == event,
            col(AuditEvent.detail) == detail,
            col(AuditEvent.at) == minute,
        )
    ).first()
    if row is None:
        session.add(AuditEvent(staff_id=staff_id, event=event, detail=detail, at=minute))
    else:
        row.times += 1
        session.add(row)


def log_event(db: Database, staff_id: int | None, event: str, detail: str = "") -> None:
    with db.write() as session:
        record(session, staff_id, event, detail)


def log_refusal(db: Database, staff_id: int | None, event: str, detail: str = "") -> None:
    with db.write() as session:
        record_refusal(session, staff_id, event, detail)


@dataclass(frozen=True)
class AuditPage:
    events: list[dict[str, Any]]
    older: int | None  # the `before` of the next, older page, if there is one


def page(db: Database, before: int | None = None, size: int = PAGE_SIZE) -> AuditPage:
    """Up to `size` events, newest first, older than the event id `before` (keyset paging: a
    page stays the same while new events arrive)."""
    query = (
        select(AuditEvent, StaffUser.username)
        .join(StaffUser, col(AuditEvent.staff_id) == col(StaffUser.id), isouter=True)
        .order_by(col(AuditEvent.id).desc())
        .limit(size + 1)
    )
    if before is not None:
        query = query.where(col(AuditEvent.id) < before)
    with db.read() as session:
        rows = session.exec(query).all()
    shown = rows[:size]
    events = [
        {
            "at": event.at.isoformat(sep=" ", timespec="minutes"),
            "who": username or "-",
            "event": event.event,
            "detail": event.detail,
            "times": event.times,
        }
        for event, username in shown
    ]
    older = shown[-1][0].id if len(rows) > size and shown else None
    return AuditPage(events, older)
