"""The directory's revision: a number that moves with every change to the directory.

Each process keeps the directory in memory for matching (app/referrals/snapshot.py) and reloads
it when this number has moved. It moves in the same transaction as the change, from one
listener on every ORM session, so no writer (staff forms, the HSDS import, the seed, a test)
can change the directory without moving it: all of them write `ref_*` rows through the ORM.
"""

from itertools import chain
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlmodel import Field, SQLModel

from app.db import Database, table_of


class DirectoryRevision(SQLModel, table=True):
    """One row (id 1), created by the migration."""

    __tablename__ = "directory_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = 0


_TABLE = table_of(DirectoryRevision)
_MOVE = update(_TABLE).where(_TABLE.c.id == 1).values(revision=_TABLE.c.revision + 1)
_READ = select(_TABLE.c.revision).where(_TABLE.c.id == 1)


def _is_directory_record(instance: Any) -> bool:
    return str(getattr(instance, "__tablename__", "")).startswith("ref_")


@event.listens_for(Session, "after_flush")
def _move_on_directory_change(session: Session, _flush: UOWTransaction) -> None:
    # After a flush, new/dirty/deleted still list what the flush wrote.
    if any(map(_is_directory_record, chain(session.new, session.dirty, session.deleted))):
        session.connection().execute(_MOVE)


def read_revision(session: Session) -> int | None:
    """The current revision; None only on a database the migrations have not reached."""
    return session.execute(_READ).scalar_one_or_none()


def current_revision(db: Database) -> int | None:
    """`read_revision` on the driver's connection: one statement, no ORM session, for the
    pages that read it on every request to know that their copy is current."""
    with db.driver_read() as reading:
        row = reading.one("SELECT revision FROM directory_revision WHERE id = 1", {})
    return None if row is None else int(row[0])
