"""Database engine and sessions.

SQLite (the default) runs in WAL mode with a busy timeout, and every write transaction starts
with BEGIN IMMEDIATE: a deferred transaction that reads and then writes can fail with
"database is locked" despite busy_timeout, because SQLite cannot wait for a lock it would need
to upgrade. Reads stay deferred so they never queue behind writers.
PostgreSQL (production) gets a bounded pool whose timeout the app answers with 503.
"""

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.orm import QueryableAttribute
from sqlmodel import Session, SQLModel

from app.config import Settings

_IMMEDIATE = "puente_immediate"


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        return _sqlite_engine(settings.database_url)
    return create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        hide_parameters=True,
    )


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
        cursor.execute("PRAGMA busy_timeout=5000")
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
        self._write_turn: AbstractContextManager[Any] = (
            threading.Lock() if self.is_sqlite else nullcontext()
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with (
            self._write_turn,
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """The same transaction as `write`, on a bare connection: for the answer, the hottest
        path, where the ORM's unit of work cost more than the statements themselves (bench/)."""
        with self._write_turn, self._write_engine.begin() as connection:
            yield connection

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
        with self._write_turn:
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
