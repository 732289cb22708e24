"""Retention (DESIGN.md, Privacy; security.md R1.4), run daily inside the app and by `puente purge`.

- unfinished sessions: deleted 30 days after their last activity (their last step is counted as
  the drop-off step first);
- finished sessions: the resume hash is erased 7 days after finishing (the last activity of a
  finished session is the day it finished), the row deleted 90 days after;
- aggregate counts (`stat_count`) stay;
- staff sessions idle since before today are deleted (they expired after 15 minutes anyway).
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlmodel import col, select

from app.db import Database
from app.respondents.models import RespondentSession
from app.staff.models import StaffSession
from app.stats import counts as stats

UNFINISHED_DAYS = 30
FINISHED_DAYS = 90
RESUME_HASH_DAYS = 7
BATCH = 500

log = logging.getLogger("puente.retention")


@dataclass(frozen=True)
class PurgeReport:
    unfinished_deleted: int
    finished_deleted: int
    resume_hashes_erased: int


def purge(db: Database, today: date) -> PurgeReport:
    unfinished_before = today - timedelta(days=UNFINISHED_DAYS)
    finished_before = today - timedelta(days=FINISHED_DAYS)
    hash_before = today - timedelta(days=RESUME_HASH_DAYS)
    unfinished = 0
    while True:  # in batches, each its own short transaction, so answers never wait long
        with db.write() as session:
            rows = session.exec(
                select(RespondentSession)
                .where(col(RespondentSession.finished).is_(False))
                .where(RespondentSession.active_on <= unfinished_before)
                .limit(BATCH)
            ).all()
            for row in rows:
                if row.answers:  # a session counted as started has dropped off here
                    week = stats.week_of(row.started_on)
                    stats.add(session.connection(), week, "dropoff", "step", row.current_step, 1)
                session.delete(row)
        unfinished += len(rows)
        if len(rows) < BATCH:
            break
    with db.write() as session:
        # SQLModel's Session.execute is typed to return a Result; a DELETE or UPDATE gives a
        # CursorResult, which has the row count.
        finished = cast(
            CursorResult[Any],
            session.execute(
                delete(RespondentSession)
                .where(col(RespondentSession.finished).is_(True))
                .where(col(RespondentSession.active_on) <= finished_before)
            ),
        ).rowcount
        erased = cast(
            CursorResult[Any],
            session.execute(
                update(RespondentSession)
                .where(col(RespondentSession.finished).is_(True))
                .where(col(RespondentSession.resume_hash).is_not(None))
                .where(col(RespondentSession.active_on) <= hash_before)
                .values(resume_hash=None)
            ),
        ).rowcount
        # Staff sessions end after 15 idle minutes; their rows go at the next purge.
        session.execute(
            delete(StaffSession).where(
                col(StaffSession.last_seen) < datetime.combine(today, time.min, UTC)
            )
        )
    db.forget_old_versions()  # F6: deleted rows and erased hashes leave the WAL too
    return PurgeReport(unfinished, finished or 0, erased or 0)


async def purge_every(db: Database, interval_hours: float, today: Callable[[], date]) -> None:
    """The in-app daily purge: runs at start-up, then every `interval_hours`."""
    while True:
        try:
            report = await asyncio.to_thread(purge, db, today())
            log.info(
                "purge: %d unfinished, %d finished sessions deleted; %d resume hashes erased",
                report.unfinished_deleted,
                report.finished_deleted,
                report.resume_hashes_erased,
            )
        except Exception as error:  # retried next time; the site keeps running
            # The type only: a database error's text can carry bound values.
            log.error("purge failed: %s", type(error).__name__)
        await asyncio.sleep(interval_hours * 3600)
