"""The audit log of staff actions: who, what, when. Never a client address."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from app.db import Database
from app.staff.models import AuditEvent, StaffUser


def record(session: Any, staff_id: int | None, event: str, detail: str = "") -> None:
    """Add an event in the caller's transaction."""
    session.add(
        AuditEvent(
            staff_id=staff_id,
            event=event,
            detail=detail[:200],
            at=datetime.now(UTC).replace(microsecond=0),
        )
    )


def log_event(db: Database, staff_id: int | None, event: str, detail: str = "") -> None:
    with db.write() as session:
        record(session, staff_id, event, detail)


def recent(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    with db.read() as session:
        rows = session.exec(
            select(AuditEvent, StaffUser.username)
            .join(StaffUser, col(AuditEvent.staff_id) == col(StaffUser.id), isouter=True)
            .order_by(col(AuditEvent.id).desc())
            .limit(limit)
        ).all()
    return [
        {
            "at": event.at.isoformat(sep=" ", timespec="minutes"),
            "who": username or "-",
            "event": event.event,
            "detail": event.detail,
        }
        for event, username in rows
    ]
