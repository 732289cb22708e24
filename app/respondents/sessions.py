"""Anonymous respondent sessions: create, answer, go back, change, resume, delete.

Each change reads the row, replays the answers through the engine and stores the new list: on
SQLite in one short write transaction; on PostgreSQL a read and a save (with the weekly counts
it moves, in the same statement) that changes nothing if anyone wrote the session in between
(then the locking transaction does it again), see `_update`. The engine decides; this module
only persists. The worker that saved a session keeps its position (app/respondents/recent.py):
SQLite's next change then replays nothing when the row still holds those answers, and
PostgreSQL's saves without reading first.

Changes to the answers (answer, back, change, restart) run three statements straight on the
driver's connection instead of the ORM: they are most of the site's traffic, and SQLAlchemy's
unit of work, then its execution machinery, cost more than the reading and writing itself
(docs/benchmarks.md).
"""

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from app.db import Database
from app.db.driver import DriverTransaction
from app.flow.engine import Engine, OutOfOrder, Position
from app.flow.inputs import InvalidAnswer, RawValue
from app.respondents.models import RespondentSession
from app.respondents.recent import RecentPositions
from app.respondents.resume_codes import code_hash, new_code, normalize
from app.stats import counts as stats
from app.stats.counts import OutcomeOf, no_outcome

# The columns of RespondentSession that a change reads and writes (tests/respondents hold them
# to the model). FOR UPDATE locks the row on PostgreSQL; SQLite has no such clause, and its
# BEGIN IMMEDIATE already holds the whole file.
_READ = (
    "SELECT answers, locale, partner_id, started_on FROM respondent_session WHERE id = :session_id"
)
_GET = (
    "SELECT id, answers, locale, partner_id, resume_hash, finished FROM respondent_session "
    "WHERE id = :session_id"
)
# F11: who holds a session is whoever holds its id. Resuming with a code and replacing a code
# give the session a new id, in the same transaction, so every other holder of the old one
# (a device that resumed earlier, a stale tab, a copied cookie) finds no session.
_CODE_OF = "SELECT resume_hash FROM respondent_session WHERE id = :session_id"
_SET_CODE = (
    "UPDATE respondent_session SET id = :new_id, resume_hash = :resume_hash WHERE id = :session_id"
)
_RESUMABLE = (
    "SELECT id, answers, locale, partner_id, resume_hash, finished FROM respondent_session "
    "WHERE resume_hash = :resume_hash"
)
_MOVE = "UPDATE respondent_session SET id = :new_id WHERE id = :session_id"
_CREATE = (
    "INSERT INTO respondent_session (id, resume_hash, answers, locale, partner_id, "
    "started_on, active_on, current_step, finished) VALUES (:id, NULL, :answers, :locale, "
    ":partner_id, :started_on, :active_on, :current_step, :finished)"
)
_SAVE = (
    "UPDATE respondent_session SET answers = :answers, current_step = :current_step, "
    "finished = :finished, active_on = :active_on WHERE id = :session_id"
)
# PostgreSQL's compare-and-set: `xmin`, the id of the transaction that wrote the row's current
# version, moves with every write to the row, so the save changes nothing if anyone wrote the
# session after it was read.
_READ_VERSION = (
    "SELECT answers, locale, partner_id, started_on, CAST(xmin AS text) FROM respondent_session "
    "WHERE id = :session_id"
)
_SAVE_IF_UNCHANGED = f"{_SAVE} AND CAST(xmin AS text) = :version RETURNING CAST(xmin AS text)"
# The same, with the weekly counts the change moves (the first answer, the last), in the same
# statement and so the same transaction: the counts are added only if the session saved (the
# INSERT reads the UPDATE's RETURNING). One round trip instead of the locking transaction's
# five or six (docs/benchmarks.md). The rows come as arrays (stats.as_arrays).
_SAVE_AND_COUNT_IF_UNCHANGED = (
    f"WITH saved AS ({_SAVE_IF_UNCHANGED}), "  # noqa: S608  # constants; values are bound
    f"counted AS ({stats.unnested_upsert('EXISTS (SELECT FROM saved)')}) "
    "SELECT * FROM saved"
)
_SAVE_RETURNING_VERSION = f"{_SAVE} RETURNING CAST(xmin AS text)"
_LATEST = object()  # "the directory copy this process holds now" (`_replayed`)


@dataclass(frozen=True)
class Respondent:
    """A respondent's session as pages and guards read it: a plain value, read straight from
    the driver (building the SQLModel row cost more than the read; docs/benchmarks.md)."""

    id: str
    answers: list[Any]
    locale: str
    partner_id: int | None
    resume_hash: str | None
    finished: bool = False

    @classmethod
    def of(cls, row: Sequence[Any]) -> "Respondent":
        return cls(row[0], _answers(row[1]), row[2], row[3], row[4], bool(row[5]))


@dataclass
class _Counted:
    """What the statistics read of a session (app.stats.counts.Counted), from a driver row."""

    locale: str
    partner_id: int | None
    started_on: date

    @classmethod
    def of(cls, row: Sequence[Any]) -> "_Counted":
        started = row[3]  # a date from psycopg, ISO text from SQLite
        day = started if isinstance(started, date) else date.fromisoformat(started)
        return cls(row[1], row[2], day)


def _answers(stored: Any) -> list[Any]:
    """The JSON column: parsed already by psycopg, text from SQLite."""
    return json.loads(stored) if isinstance(stored, str | bytes) else list(stored)


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
        self.recent = RecentPositions()

    def create(self, locale: str, partner_id: int | None = None) -> Respondent:
        day = self.today().isoformat()
        row = Respondent(new_session_id(), [], locale, partner_id, None)
        values = {
            "id": row.id,
            "answers": "[]",
            "locale": locale,
            "partner_id": partner_id,
            "started_on": day,
            "active_on": day,
            "current_step": self.engine.start.id,
            "finished": False,
        }
        with self.db.driver_write() as transaction:
            transaction.run(_CREATE, values)
        return row

    def get(self, session_id: str | None) -> Respondent | None:
        if not session_id or len(session_id) > 64:
            return None
        with self.db.driver_read() as reading:
            found = reading.one(_GET, {"session_id": session_id})
        return Respondent.of(found) if found is not None else None

    def position(self, row: Respondent) -> Position:
        return self._replayed(row.id, row.answers)

    def _replayed(self, session_id: str, stored: Any, revision: object = _LATEST) -> Position:
        """The position of these stored answers (the column as the driver returns it): the
        one this worker saved them with, else replayed. `revision`: the directory copy the
        caller works with, read before anything is worked out (by default the latest)."""
        if revision is _LATEST:
            revision = self.engine.places.revision
        recent = self.recent.get(session_id, revision)
        if recent is not None and recent.holds(stored):
            return recent.position
        return self.engine.replay(_answers(stored))

    def _locking(self, statement: str) -> str:
        """The statement locking the rows it reads, on PostgreSQL; SQLite has no such clause,
        and its BEGIN IMMEDIATE already holds the whole file."""
        return statement if self.db.is_sqlite else f"{statement} FOR UPDATE"

    def _update(self, session_id: str, change: Callable[[Position], Position]) -> Position:
        if not self.db.is_sqlite:
            position = self._update_unlocked(session_id, change)
            if position is not None:
                return position
        return self._update_locked(session_id, change)

    def _update_unlocked(
        self, session_id: str, change: Callable[[Position], Position]
    ) -> Position | None:
        """PostgreSQL: save only if nobody wrote the session since it was read
        (`_SAVE_IF_UNCHANGED`, with the weekly counts it moves when it moves them), each
        statement committed on its own. Two round trips instead of the locking transaction's
        four to six (BEGIN, SELECT ... FOR UPDATE, UPDATE, the counts, COMMIT), whose sending
        and waiting were most of what PostgreSQL cost an answer beyond SQLite
        (docs/benchmarks.md); one when this worker saved the session last and holds its
        version (app/respondents/recent.py), the read only if that save changes nothing. None
        when another write came between: the locking transaction then does it all again. An
        answer refused (out of order, invalid) is refused here, with nothing written."""
        # Read before anything is worked out: a copy made while the directory moved is kept
        # under the older revision, and so set aside at its next use.
        revision = self.engine.places.revision
        with self.db.driver_autocommit() as statements:
            recent = self.recent.get(session_id, revision)
            if recent is not None and recent.version is not None:
                try:
                    position = change(recent.position)
                except (OutOfOrder, InvalidAnswer):
                    pass  # perhaps refused only because the copy is stale: the read decides
                else:
                    if self._save_if_unchanged(
                        statements,
                        session_id,
                        recent.counted,
                        recent.position,
                        position,
                        recent.version,
                        revision,
                    ):
                        return position
            found = statements.one(_READ_VERSION, {"session_id": session_id})
            if found is None:
                raise SessionNotFound(session_id)
            counted = _Counted.of(found)
            old = self.engine.replay(_answers(found[0]))
            position = change(old)
            if self._save_if_unchanged(
                statements, session_id, counted, old, position, found[4], revision
            ):
                return position
        return None

    def _count_rows(self, counted: _Counted, old: Position, new: Position) -> list[dict[str, Any]]:
        """The rows a change adds to the weekly counts (none for most answers)."""
        if not stats.may_differ(old, new):
            return []
        return stats.changes(
            stats.week_of(counted.started_on),
            stats.contribution(counted, old, self.outcome_of),
            stats.contribution(counted, new, self.outcome_of),
        )

    def _save_if_unchanged(
        self,
        statements: DriverTransaction,
        session_id: str,
        counted: _Counted,
        old: Position,
        position: Position,
        version: str,
        revision: object,
    ) -> bool:
        """PostgreSQL's compare-and-set, with the counts it moves, committed at once; the new
        version kept if it saved."""
        values = {**self._saved(session_id, position), "version": version}
        rows = self._count_rows(counted, old, position)
        if rows:
            saved = statements.one(
                _SAVE_AND_COUNT_IF_UNCHANGED, {**values, **stats.as_arrays(rows)}
            )
        else:
            saved = statements.one(_SAVE_IF_UNCHANGED, values)
        if saved is None:
            self.recent.forget(session_id)
            return False
        self.recent.put(session_id, values["answers"], position, counted, saved[0], revision)
        return True

    def _saved(self, session_id: str, position: Position) -> dict[str, Any]:
        return {
            "session_id": session_id,
            "answers": json.dumps(position.stored, separators=(",", ":")),
            "current_step": position.node.id,
            "finished": position.finished,
            "active_on": self.today().isoformat(),
        }

    def _update_locked(self, session_id: str, change: Callable[[Position], Position]) -> Position:
        revision = self.engine.places.revision  # before anything is worked out, as above
        with self.db.driver_write() as transaction:
            found = transaction.one(self._locking(_READ), {"session_id": session_id})
            if found is None:
                raise SessionNotFound(session_id)
            counted = _Counted.of(found)
            old = self._replayed(session_id, found[0], revision)
            position = change(old)
            values = self._saved(session_id, position)
            if self.db.is_sqlite:
                transaction.run(_SAVE, values)
                version = None
            else:
                saved = transaction.one(_SAVE_RETURNING_VERSION, values)
                version = saved[0] if saved is not None else None
            rows = self._count_rows(counted, old, position)
            # Dates as ISO text: SQLite stores them so, PostgreSQL casts the literal.
            transaction.many(stats.UPSERT, [{**r, "week": str(r["week"])} for r in rows])
        # Committed: only now is it so.
        self.recent.put(session_id, values["answers"], position, counted, version, revision)
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
                self.recent.forget(session_id)  # the counted language changes
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
        with self.db.driver_write() as transaction:
            found = transaction.one(self._locking(_CODE_OF), {"session_id": session_id})
            if found is None:
                raise SessionNotFound(session_id)
            new_id = session_id if found[0] is None else new_session_id()
            transaction.run(
                _SET_CODE,
                {"session_id": session_id, "new_id": new_id, "resume_hash": code_hash(code)},
            )
        self.recent.forget(session_id)
        return IssuedCode(code, new_id)

    def resume(self, typed_code: str) -> Respondent | None:
        """The session this code opens, under a new id: the resuming device alone holds it."""
        if normalize(typed_code) is None:
            return None
        new_id = new_session_id()
        with self.db.driver_write() as transaction:
            found = transaction.one(
                self._locking(_RESUMABLE), {"resume_hash": code_hash(typed_code)}
            )
            if found is None:
                return None
            transaction.run(_MOVE, {"session_id": found[0], "new_id": new_id})
        self.recent.forget(found[0])
        return replace(Respondent.of(found), id=new_id)

    def delete(self, session_id: str) -> bool:
        with self.db.write() as session:
            row = session.get(RespondentSession, session_id)
            if row is None:
                return False
            session.delete(row)
        self.recent.forget(session_id)
        self.db.forget_old_versions()  # F6: nothing of it left in the WAL either
        return True

    def get_or_create_fresh(
        self, session_id: str | None, locale: str, partner_id: int | None = None
    ) -> Respondent:
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
                        return replace(row, partner_id=partner_id)
            return row
        inherited = partner_id if partner_id is not None else (row.partner_id if row else None)
        return self.create(locale, inherited)

    def forget_unless_resumable(self, session_id: str | None) -> None:
        """ "Finish and clear": a session nobody can come back to (no code) is deleted now."""
        row = self.get(session_id)
        if row is not None and row.resume_hash is None:
            self.delete(row.id)
