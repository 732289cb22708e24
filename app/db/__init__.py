"""Database engine and sessions.

SQLite (the default) runs in WAL mode with a busy timeout, and every write transaction starts
with BEGIN IMMEDIATE: a deferred transaction that reads and then writes can fail with
"database is locked" despite busy_timeout, because SQLite cannot wait for a lock it would need
to upgrade. Reads stay deferred so they never queue behind writers.
PostgreSQL (production) gets a bounded pool whose timeout the app answers with 503.
"""

import contextvars
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlalchemy
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import QueryableAttribute
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.db.driver import DriverTransaction

_IMMEDIATE = "puente_immediate"
_SQLITE_BUSY = 5  # SQLite's primary result code for a lock held by another connection
Args = ParamSpec("Args")
Result = TypeVar("Result")
log = logging.getLogger("puente.db")

# Below this much free space beside the SQLite file, the site reports that it cannot save: a
# write would fail half-way through the log (F12).
MIN_FREE_BYTES = 8 * 1024 * 1024
# How long a write that failed for lack of space or permission keeps /healthz unhealthy when
# nothing else shows it (PostgreSQL's disk is not ours to measure); each failure renews it.
FAULT_MEMORY_SECONDS = 60.0
# Takes the write lock and changes nothing (no row has id 0); always rolled back.
_WRITE_PROBE = text("UPDATE directory_revision SET revision = revision WHERE id = 0")


class WouldWait(Exception):
    """A write tried with `Database.without_waiting` found SQLite's write lock held: nothing
    was changed, and the caller runs it again where waiting is harmless (a database thread)."""


class _Attempt:
    """A `without_waiting` call in progress: spent once its write transaction has begun."""

    spent = False


_ATTEMPT: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar(
    "puente_write_attempt", default=None
)


def _untried() -> _Attempt | None:
    """The `without_waiting` call in progress whose write has not begun yet, if any."""
    attempt = _ATTEMPT.get()
    return None if attempt is None or attempt.spent else attempt


# SQLite's busy timeout in milliseconds: how long a write waits for another's lock.
BUSY_TIMEOUT_MS = 5000


class CannotSave(StrEnum):
    """Why the database cannot save now: not "busy" (which passes), a fault an operator fixes."""

    READ_ONLY = "read_only"
    FULL = "full"
    IO_ERROR = "io_error"


# SQLite's primary result codes (extended codes keep them in the low byte) and PostgreSQL's
# SQLSTATEs for the same faults.
_SQLITE_CODES = {8: CannotSave.READ_ONLY, 10: CannotSave.IO_ERROR, 13: CannotSave.FULL}
_SQLSTATES = {"25006": CannotSave.READ_ONLY, "53100": CannotSave.FULL, "58030": CannotSave.IO_ERROR}


def cannot_save_reason(error: BaseException) -> CannotSave | None:
    """A driver error that means the database cannot save (read-only, full, I/O), else None."""
    original = getattr(error, "orig", None) or error
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        return _SQLSTATES.get(sqlstate)
    code = getattr(original, "sqlite_errorcode", None)
    return _SQLITE_CODES.get(code & 0xFF) if isinstance(code, int) else None


# A pooled PostgreSQL connection idle for longer than this is checked with a ping before use.
IDLE_BEFORE_PING = 10.0  # seconds


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        return _sqlite_engine(settings.database_url)
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        # The most recently returned connection first: busy ones stay warm (no ping), the
        # others stay idle long enough to be pinged before their next use.
        pool_use_lifo=True,
        hide_parameters=True,
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, but only for a connection that sat in the pool for a while.

    pre_ping sent a round trip to the server before every use: a third of an answer's round
    trips, and of its client CPU (docs/benchmarks.md). A connection in steady use is known to
    be alive; one that waited longer than IDLE_BEFORE_PING (a quiet night, a restarted server,
    a proxy's idle timeout) is pinged, and a dead one is replaced before anyone uses it. A
    server restarted within those seconds fails the requests in flight with 503, as during
    the restart itself, and the first failure empties the pool (`Database.driver_write`,
    SQLAlchemy's own handling elsewhere).
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned < IDLE_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()  # the ping's SELECT opened a transaction
        except engine.dialect.loaded_dbapi.Error as error:
            if not engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise
            # The pool discards this connection and checks out another (a new one).
            raise DisconnectionError("a pooled connection did not answer its ping") from error


def ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (var/ on a fresh clone)."""
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str) -> Engine:
    ensure_sqlite_folder(url)
    # hide_parameters: errors and logs never echo bound values (answers, ids, hashes).
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 5}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # F6 (security-review-2026-12): deleted rows are overwritten with zeros, not left in
        # free space. Debian's SQLite happens to default to this; other builds do not.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Hands out short-lived sessions: one per read, one transaction per write.

    On SQLite, the threads of one process also take turns for writes on a lock of their own:
    SQLite admits one writer anyway, and a writer that waits in SQLite's busy handler sleeps
    in steps of up to 100 ms, which under load costs far more than the write itself. Writers
    in other processes still meet BEGIN IMMEDIATE and busy_timeout.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**{_IMMEDIATE: True})
        # PostgreSQL's writers run side by side: no turn to take.
        self._write_turn = threading.Lock() if self.is_sqlite else None
        self._fault: tuple[CannotSave, float] | None = None  # the last write's, and when

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with (
            self._watching_faults(),
            self._turn(waits=True),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """The same transaction as `write`, on a bare connection (no ORM unit of work)."""
        with (
            self._watching_faults(),
            self._turn(waits=True),
            self._write_engine.begin() as connection,
        ):
            yield connection

    def _checkout(self) -> Any:
        """A connection from the pool (pinged if it was idle), for the driver's own use. A
        server that cannot be reached raises SQLAlchemy's OperationalError (503), as
        SQLAlchemy's own connect does; the pool hands out its driver's error as it is."""
        base = self.engine.dialect.loaded_dbapi.Error
        try:
            return self.engine.raw_connection()
        except base as error:
            raise DBAPIError.instance(
                None, None, error, base, hide_parameters=True, connection_invalidated=True
            ) from error

    @contextmanager
    def driver_read(self) -> Iterator["DriverTransaction"]:
        """Reads straight on the driver's connection, outside any transaction (each statement
        sees committed data): for the few reads on every page (the respondent's session).

        On PostgreSQL the connection is in autocommit mode for the block, so a read is one
        round trip, not BEGIN, SELECT and the pool's ROLLBACK; SQLite's driver already runs
        a statement outside a transaction unless told otherwise (`isolation_level = None`).
        """
        fairy = self._checkout()
        transaction = DriverTransaction(fairy, self.engine.dialect)
        driver = fairy.driver_connection
        try:
            with transaction.translated():
                if not self.is_sqlite:
                    driver.autocommit = True
                try:
                    yield transaction
                finally:
                    if not self.is_sqlite and fairy.is_valid:
                        driver.autocommit = False
        finally:
            fairy.close()

    @contextmanager
    def driver_autocommit(self) -> Iterator["DriverTransaction"]:
        """Statements on the driver's connection, each committed as it runs (PostgreSQL): for
        a write that needs no transaction around it because it checks itself, the answer's
        compare-and-set (app/respondents/sessions.py). A failed write is remembered for
        /healthz as in `driver_write`."""
        if self.is_sqlite:
            raise RuntimeError("SQLite writes take the file's lock: use driver_write")
        with self._watching_faults(), self.driver_read() as statements:
            yield statements

    @contextmanager
    def driver_write(self) -> Iterator["DriverTransaction"]:
        """The same transaction as `write`, straight on the driver's connection (sqlite3 or
        psycopg) from the pool: for the answer, the hottest path, where SQLAlchemy's execution
        and transaction machinery cost more than the statements themselves (docs/benchmarks.md).

        Committed when the block ends, rolled back if it raises. A driver error comes out as
        SQLAlchemy's own (OperationalError answers 503, as everywhere else), and a connection
        the error shows dead is dropped from the pool.

        On PostgreSQL the statements go one after the other, not in psycopg's pipeline mode:
        psycopg 3.3 syncs after the pipeline's BEGIN and again when the pipeline closes, so an
        answer took four round trips either way (BEGIN, SELECT, UPDATE with COMMIT, a last
        sync), and the pipeline's extra messages, polls and Python generator steps cost about a
        fifth more CPU per write (docs/benchmarks.md). `executemany` (the counts' upsert)
        still batches its rows by itself.
        """
        with self._watching_faults(), self._turn(waits=False):
            fairy = self._checkout()
            transaction = DriverTransaction(fairy, self.engine.dialect)
            try:
                with transaction.translated():
                    if self.is_sqlite:
                        self._begin_sqlite_write(transaction.cursor)
                    yield transaction
                    fairy.commit()
            finally:
                # Back to the pool, which rolls back whatever is left open (reset on return).
                fairy.close()

    def without_waiting(
        self, function: Callable[Args, Result], *args: Args.args, **kwargs: Args.kwargs
    ) -> Result:
        """SQLite: `function(*args)` here and now, if its write transaction can begin at once;
        else WouldWait, raised before anything was changed.

        For a respondent's write on the event loop (`AppState.write`): a write holds the lock
        for some tens of microseconds, so it is nearly always free, and handing the write to a
        database thread and back cost more CPU than the write itself (docs/benchmarks.md). But
        a wait for the lock must never hold the event loop, so here the write does not wait:
        not for this process's turn, nor in SQLite's busy handler. Reads may run before the
        write. Only the first write transaction is tried without waiting; once it has begun,
        the call runs on as any other (a second transaction would wait, so callers make one).
        """
        attempt = _ATTEMPT.set(_Attempt())
        try:
            return function(*args, **kwargs)
        finally:
            _ATTEMPT.reset(attempt)

    @contextmanager
    def _turn(self, waits: bool) -> Iterator[None]:
        """This process's turn to write (SQLite): waited for, except in the first write of a
        `without_waiting` call. `waits`: this kind of write cannot begin without waiting in
        SQLite's busy handler (SQLAlchemy's own BEGIN), so such a call hands it over."""
        turn = self._write_turn
        if turn is None:
            yield
        elif _untried() is None:
            with turn:
                yield
        elif waits or not turn.acquire(blocking=False):
            raise WouldWait
        else:
            try:
                yield
            finally:
                turn.release()

    def _begin_sqlite_write(self, cursor: Any) -> None:
        """BEGIN IMMEDIATE; in a `without_waiting` call, with no busy timeout for it: a lock
        held by another process is WouldWait, not a wait."""
        attempt = _untried()
        if attempt is None:
            cursor.execute(self._sqlite_begin())
            return
        cursor.execute("PRAGMA busy_timeout=0")
        try:
            cursor.execute(self._sqlite_begin())
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF == _SQLITE_BUSY:
                raise WouldWait from error
            raise
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        attempt.spent = True

    def _sqlite_begin(self) -> str:
        """BEGIN IMMEDIATE, as the write engine's "begin" listener issues it (a drill swaps
        the write engine for the plain one to show what a deferred BEGIN does)."""
        immediate = self._write_engine.get_execution_options().get(_IMMEDIATE, False)
        return "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @contextmanager
    def _watching_faults(self) -> Iterator[None]:
        """Remembers a write that failed because the database cannot save (for /healthz and
        the log: one line when it starts); a write that commits clears it."""
        try:
            yield
        except DBAPIError as error:
            reason = cannot_save_reason(error)
            if reason is not None:
                if self._fault is None or self._fault[0] != reason:
                    log.error("the database cannot save: %s", reason.value)
                self._fault = (reason, time.monotonic())
            raise
        self._fault = None

    def cannot_save(self) -> CannotSave | None:
        """Why a write would fail now, found without changing anything (/healthz, F12).

        SQLite: the free space beside the file, then a write statement that matches no row in
        a transaction that is rolled back (a read-only file, mount or connection refuses it).
        PostgreSQL: the same statement (a hot standby or a read-only default refuses it); a
        full disk there shows only when a write fails, so the last failure is remembered for
        FAULT_MEMORY_SECONDS. A database that cannot be reached raises.
        """
        if self.is_sqlite and self._sqlite_free_bytes() < MIN_FREE_BYTES:
            return CannotSave.FULL
        try:
            with self._turn(waits=True), self._write_engine.connect() as connection:
                transaction = connection.begin()
                try:
                    connection.execute(_WRITE_PROBE)
                finally:
                    transaction.rollback()
        except DBAPIError as error:
            reason = cannot_save_reason(error)
            if reason is None:
                raise
            return reason
        fault = self._fault
        if fault is not None and time.monotonic() - fault[1] < FAULT_MEMORY_SECONDS:
            return fault[0]
        return None

    def _sqlite_free_bytes(self) -> int:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return MIN_FREE_BYTES
        return shutil.disk_usage(Path(database).resolve().parent).free

    def forget_old_versions(self) -> None:
        """After a delete or a purge: copy the write-ahead log into the database and empty it,
        so earlier versions of a deleted row (each answer wrote one) leave the `-wal` file.

        SQLite only (wal_checkpoint TRUNCATE; with secure_delete the freed space is zeroed).
        If a reader holds the log open past busy_timeout, the checkpoint is partial and the
        next one finishes it. PostgreSQL keeps dead row versions until VACUUM
        (docs/privacy-and-security.md).
        """
        if not self.is_sqlite:
            return
        # On the driver's connection, outside any transaction (SQLAlchemy's would open one).
        with self._turn(waits=True):
            connection = self.engine.raw_connection()
            try:
                connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                connection.close()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


# SQLModel's class attributes are typed for the instances: a relationship reads as the model it
# points to, and a table model has no declared `__table__`. These two give the type checker
# what SQLAlchemy has at run time, checked rather than assumed.


def relation(attribute: object) -> QueryableAttribute[Any]:
    """A relationship attribute as loader options take it: `selectinload(relation(A.b))`."""
    assert isinstance(attribute, QueryableAttribute), attribute
    return attribute


def table_of(model: type[SQLModel]) -> Table:
    """The Table of a table model (for Core statements on the hot paths)."""
    table = sqlalchemy.inspect(model).local_table
    assert isinstance(table, Table), model
    return table
