"""How an answer is written (app/respondents/sessions.py): on PostgreSQL every answer is a
compare-and-set, without a transaction or a lock, the first and the last with the weekly
counts they move in the same statement; an answer that met another write between its read and
its save goes through the locking transaction. Nothing written in between is ever lost, and
nothing is counted twice or for a save that did not happen."""

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


def test_no_answer_takes_the_lock_on_postgresql_not_even_those_that_move_the_counts(
    store: SessionStore, locked_writes: list[str]
) -> None:
    session = store.create("en").id
    locked_writes.clear()  # creating it is a write of its own
    store.answer(session, "who", "self")  # the first answer: counted as started
    store.answer(session, "intro", "ok")
    store.answer(session, "case_year", "2015")
    # SQLite: every write holds the file's lock.
    assert len(locked_writes) == (0 if on_postgresql() else 3)
    assert [entry[0] for entry in store.get(session).answers] == ["who", "intro", "case_year"]
    assert _counts(store) == {
        ("started", "all", ""): 1,
        ("started", "locale", "en"): 1,
        ("started", "partner", "none"): 1,
        ("started", "who", "self"): 1,
    }


@pytest.mark.skipif(not on_postgresql(), reason="SQLite's lock is held from the read on")
@pytest.mark.parametrize("copy", ["forgotten", "kept"])
def test_a_first_answer_whose_save_met_another_write_is_counted_once_as_it_was_saved(
    store: SessionStore, locked_writes: list[str], copy: str
) -> None:
    """The first answer moves the counts; between its read and its save the person switches
    the language (another write). Its compare-and-set saves nothing, so it counts nothing; the
    answer is tried again on what the switch left and counted once, in the new language."""
    session = store.create("en").id
    store.answer(session, "who", "self")
    store.back(session)  # no answer again: the next "who" starts the session afresh
    assert _counts(store) == {}
    if copy == "forgotten":
        store.recent.forget(session)
    engine = store.engine
    switched = False

    def answer_who(position: Position) -> Position:
        nonlocal switched
        if not switched:
            switched = True
            store.set_locale(session, "es")
        return engine.answer(position, "who", "family", store.today())

    locked_writes.clear()
    store._update(session, answer_who)
    assert _counts(store) == {
        ("started", "all", ""): 1,
        ("started", "locale", "es"): 1,
        ("started", "partner", "none"): 1,
        ("started", "who", "family"): 1,
    }
    assert locked_writes == (["locked"] if copy == "forgotten" else [])


def _counts(store: SessionStore) -> dict[tuple[str, str, str], int]:
    """The weekly counts that are not zero, by (event, dimension, value)."""
    with store.db.driver_read() as reading:
        reading.cursor.execute("SELECT event, dimension, value, count FROM stat_count")
        rows = reading.cursor.fetchall()
    return {(event, dimension, value): count for event, dimension, value, count in rows if count}


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
