"""Anonymous respondent sessions: create, answer, go back, change, resume, delete.

Each change is one short write transaction that reads the row, replays the answers through the
engine and stores the new list. The engine decides; this module only persists.

Changes to the answers (answer, back, change, restart) run on a bare connection with two
prepared statements instead of the ORM: they are most of the site's traffic, and the ORM's
unit of work cost more than the reading and writing itself (docs/benchmarks.md).
"""

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, update
from sqlmodel import select

from app.db import Database, table_of
from app.flow.engine import Engine, Position
from app.flow.inputs import RawValue
from app.respondents.models import RespondentSession
from app.respondents.resume_codes import code_hash, new_code, normalize
from app.stats import counts as stats
from app.stats.counts import OutcomeOf, no_outcome

_TABLE = table_of(RespondentSession)
# Locked for the transaction on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the file.
_FOR_CHANGE = (
    select(_TABLE.c.answers, _TABLE.c.locale, _TABLE.c.partner_id, _TABLE.c.started_on)
    .where(_TABLE.c.id == bindparam("session_id"))
    .with_for_update()
)
_SAVE = update(_TABLE).where(_TABLE.c.id == bindparam("session_id"))
# F11: who holds a session is whoever holds its id. Resuming with a code and replacing a code
# give the session a new id, in the same transaction, so every other holder of the old one
# (a device that resumed earlier, a stale tab, a copied cookie) finds no session.
_CODE_OF = (
    select(_TABLE.c.resume_hash).where(_TABLE.c.id == bindparam("session_id")).with_for_update()
)
_RESUMABLE = (
    select(_TABLE.c.id).where(_TABLE.c.resume_hash == bindparam("resume_hash")).with_for_update()
)


class SessionNotFound(Exception):
    """No session with that id (expired, deleted, or a tampered cookie or token)."""


class IssuedCode(NamedTuple):
    code: str  # shown once, never stored
    session_id: str  # the session's id from now on: the asking device's new cookie


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def utc_today() -> date:
    return datetime.now(UTC).date()


class SessionStore:
    def __init__(
        self,
        db: Database,
        engine: Engine,
        today: Callable[[], date] = utc_today,
        outcome_of: OutcomeOf = no_outcome,
    ) -> None:
        self.db = db
        self.engine = engine
        self.today = today
        self.outcome_of = outcome_of

    def create(self, locale: str, partner_id: int | None = None) -> RespondentSession:
        day = self.today()
        row = RespondentSession(
            id=new_session_id(),
            locale=locale,
            partner_id=partner_id,
            started_on=day,
            active_on=day,
            current_step=self.engine.start.id,
            answers=[],
        )
        with self.db.write() as session:
            session.add(row)
        return row

    def get(self, session_id: str | None) -> RespondentSession | None:
        if not session_id or len(session_id) > 64:
            return None
        with self.db.read() as session:
            return session.get(RespondentSession, session_id)

    def position(self, row: RespondentSession) -> Position:
        return self.engine.replay(row.answers)

    def _update(self, session_id: str, change: Callable[[Position], Position]) -> Position:
        with self.db.write_connection() as connection:
            row = connection.execute(_FOR_CHANGE, {"session_id": session_id}).first()
            if row is None:
                raise SessionNotFound(session_id)
            old = self.engine.replay(row.answers)
            position = change(old)
            connection.execute(
                _SAVE,
                {
                    "session_id": session_id,
                    "answers": position.stored,
                    "current_step": position.node.id,
                    "finished": position.finished,
                    "active_on": self.today(),
                },
            )
            stats.apply(
                connection,
                stats.week_of(row.started_on),
                stats.contribution(row, old, self.outcome_of),
                stats.contribution(row, position, self.outcome_of),
            )
        return position

    def answer(self, session_id: str, question_id: str, raw: RawValue) -> Position:
        today = self.today()
        return self._update(
            session_id, lambda position: self.engine.answer(position, question_id, raw, today)
        )

    def back(self, session_id: str) -> Position:
        return self._update(session_id, self.engine.back)

    def change(self, session_id: str, question_id: str) -> Position:
        return self._update(session_id, lambda position: self.engine.change(position, question_id))

    def restart(self, session_id: str) -> Position:
        return self._update(session_id, lambda _: self.engine.replay([]))

    def set_locale(self, session_id: str, locale: str) -> None:
        with self.db.write() as session:
            row = session.get(RespondentSession, session_id)
            if row is not None:
                position = self.engine.replay(row.answers)
                before = stats.contribution(row, position, self.outcome_of)
                row.locale = locale
                session.add(row)
                after = stats.contribution(row, position, self.outcome_of)
                stats.apply(session.connection(), stats.week_of(row.started_on), before, after)

    def issue_resume_code(self, session_id: str) -> IssuedCode:
        """A new code for this session; any older one stops working.

        Replacing a code also gives the session a new id, so only the device that asked holds
        it: one that resumed with the old code, or a copied cookie, is out. A first code keeps
        the id: no other device can hold a session that never had a code, and the code page's
        own forms (a reload re-posts one) stay valid (docs/decisions.md, "Session ids")."""
        code = new_code()
        with self.db.write_connection() as connection:
            found = connection.execute(_CODE_OF, {"session_id": session_id}).first()
            if found is None:
                raise SessionNotFound(session_id)
            new_id = session_id if found.resume_hash is None else new_session_id()
            connection.execute(
                _SAVE, {"session_id": session_id, "id": new_id, "resume_hash": code_hash(code)}
            )
        return IssuedCode(code, new_id)

    def resume(self, typed_code: str) -> RespondentSession | None:
        """The session this code opens, under a new id: the resuming device alone holds it."""
        if normalize(typed_code) is None:
            return None
        new_id = new_session_id()
        with self.db.write() as session:
            connection = session.connection()
            old_id = connection.execute(_RESUMABLE, {"resume_hash": code_hash(typed_code)}).scalar()
            if old_id is None:
                return None
            connection.execute(_SAVE, {"session_id": old_id, "id": new_id})
            return session.get(RespondentSession, new_id)

    def delete(self, session_id: str) -> bool:
        with self.db.write() as session:
            row = session.get(RespondentSession, session_id)
            if row is None:
                return False
            session.delete(row)
        self.db.forget_old_versions()  # F6: nothing of it left in the WAL either
        return True

    def get_or_create_fresh(
        self, session_id: str | None, locale: str, partner_id: int | None = None
    ) -> RespondentSession:
        """The current session if nothing is answered yet, else a new one.

        A new session keeps the partner that brought the person here.
        """
        row = self.get(session_id)
        if row is not None and not row.answers:
            if partner_id is not None and row.partner_id != partner_id:
                with self.db.write() as session:
                    fresh = session.get(RespondentSession, row.id)
                    if fresh is not None and not fresh.answers:
                        fresh.partner_id = partner_id
                        session.add(fresh)
                        return fresh
            return row
        inherited = partner_id if partner_id is not None else (row.partner_id if row else None)
        return self.create(locale, inherited)

    def forget_unless_resumable(self, session_id: str | None) -> None:
        """ "Finish and clear": a session nobody can come back to (no code) is deleted now."""
        row = self.get(session_id)
        if row is not None and row.resume_hash is None:
            self.delete(row.id)
