"""How an answer is written (app/respondents/sessions.py): on PostgreSQL most answers are a
read and a compare-and-set, without a transaction or a lock; the first answer and the last,
which move the weekly counts too, and any answer that met another write between its read and
its save, go through the locking transaction. Nothing written in between is ever lost."""

from contextlib import contextmanager
from typing import Any

import pytest

from app.db import Database
from app.flow.engine import OutOfOrder, Position
from app.respondents.sessions import SessionStore
from tests.conftest import on_postgresql


@pytest.fixture
def locked_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each locking write transaction, counted."""
    taken: list[str] = []
    original = Database.driver_write

    @contextmanager
    def counted(self: Database) -> Any:
        taken.append("locked")
        with original(self) as transaction:
            yield transaction

    monkeypatch.setattr(Database, "driver_write", counted)
    return taken


def test_only_answers_that_move_the_counts_take_the_lock_on_postgresql(
    store: SessionStore, locked_writes: list[str]
) -> None:
    session = store.create("en").id
    locked_writes.clear()  # creating it is a write of its own
    store.answer(session, "who", "self")  # the first answer: counted as started
    assert len(locked_writes) == 1
    store.answer(session, "intro", "ok")
    store.answer(session, "case_year", "2015")
    middle = 0 if on_postgresql() else 2  # SQLite: every write holds the file's lock
    assert len(locked_writes) == 1 + middle
    assert [entry[0] for entry in store.get(session).answers] == ["who", "intro", "case_year"]


@pytest.mark.skipif(not on_postgresql(), reason="SQLite's lock is held from the read on")
@pytest.mark.parametrize("copy", ["forgotten", "kept"])
def test_a_write_between_the_read_and_the_save_is_never_overwritten(
    store: SessionStore, locked_writes: list[str], copy: str
) -> None:
    """A second tab goes back while the first is answering from what it read: the first's
    save finds the session changed, and the answer is tried again on what the second left,
    where it is out of order. Saving it blindly would have undone the second tab's Back.

    "kept": the first tab's worker saved the session last, so it answers from its copy
    without reading (app/respondents/recent.py); its save finds the version moved, and the
    read then decides, without the lock. "forgotten": another worker's answer, read first;
    its save fails the same way, and the locking transaction decides."""
    session = store.create("en").id
    store.answer(session, "who", "self")
    store.answer(session, "intro", "ok")  # now at case_year
    if copy == "forgotten":
        store.recent.forget(session)
    assert (store.recent.get(session, store.engine.places.revision) is not None) == (copy == "kept")
    engine = store.engine
    other_tab_went_back = False

    def answer_case_year(position: Position) -> Position:
        nonlocal other_tab_went_back
        if not other_tab_went_back:  # between this tab's read and its save
            other_tab_went_back = True
            store.back(session)  # the other tab: back to intro
        return engine.answer(position, "case_year", "2015", store.today())

    locked_writes.clear()
    with pytest.raises(OutOfOrder):
        store._update(session, answer_case_year)
    # The compare-and-set failed; the lock decided, or the read after the copy's failed save.
    assert locked_writes == (["locked"] if copy == "forgotten" else [])
    assert [entry[0] for entry in store.get(session).answers] == ["who"]
