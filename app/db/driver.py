"""Statements straight on the driver's connection (sqlite3 or psycopg), for the hot paths of
`app.db.Database` (`driver_read`, `driver_write`, `driver_autocommit`): written once with
`:name` parameters, run in each driver's own style, with driver errors as SQLAlchemy's."""

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import sqlalchemy
from sqlalchemy.exc import DBAPIError


class DriverTransaction:
    """Statements of one `Database.driver_write` transaction, written once with `:name`
    parameters and run in the driver's own style (sqlite3 `:name`, psycopg `%(name)s`)."""

    def __init__(self, fairy: Any, dialect: sqlalchemy.Dialect) -> None:
        self.fairy = fairy
        self.dialect = dialect
        self.cursor = fairy.cursor()
        self.named = dialect.name == "sqlite"

    def _sql(self, statement: str) -> str:
        return statement if self.named else _pyformat(statement)

    def one(self, statement: str, parameters: Mapping[str, Any]) -> Sequence[Any] | None:
        self.cursor.execute(self._sql(statement), parameters)
        row: Sequence[Any] | None = self.cursor.fetchone()
        return row

    def run(self, statement: str, parameters: Mapping[str, Any]) -> int:
        """Runs a statement; for a write, says how many rows it changed."""
        self.cursor.execute(self._sql(statement), parameters)
        return int(self.cursor.rowcount)

    def many(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.cursor.executemany(self._sql(statement), rows)

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Driver errors as SQLAlchemy raises them, and dead connections out of the pool."""
        base = self.dialect.loaded_dbapi.Error
        try:
            yield
        except base as error:
            gone = self.dialect.is_disconnect(error, self.fairy.dbapi_connection, self.cursor)
            if gone:
                # This connection is dead, and so are the pool's others (a restarted server):
                # each is replaced at its next checkout. What SQLAlchemy's own Connection
                # does on a disconnect (its pool's `_invalidate`, not public API).
                self.fairy._pool._invalidate(self.fairy, error)
            raise DBAPIError.instance(
                None, None, error, base, hide_parameters=True, connection_invalidated=gone
            ) from error


@cache
def _pyformat(statement: str) -> str:
    """`:name` parameters as psycopg's `%(name)s` (no `%` or `::` casts in our statements)."""
    assert "%" not in statement and "::" not in statement, statement
    return re.sub(r":([a-z_]+)", r"%(\1)s", statement)
