"""Deleted means deleted (security-review-2026-12.md F6): after "Delete my answers" or a purge,
no byte of the session is left in the SQLite database files (the database, its -wal, -shm).
PostgreSQL keeps dead row versions until VACUUM: docs/privacy-and-security.md says the policy."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from app.config import Settings
from app.db import Database, make_engine
from app.flow.content import load_content
from app.flow.engine import Engine
from app.migrate import upgrade
from app.respondents.retention import UNFINISHED_DAYS, purge
from app.respondents.sessions import SessionStore
from tests.conftest import FIXTURE_CONTENT

# A year no other test or fixture uses, so finding it in a file can only mean this session.
DISTINCTIVE_YEAR = "1983"
DAY = date(2026, 3, 2)


@pytest.fixture
def sqlite_store(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'deleted.db'}"
    upgrade(url)
    db = Database(make_engine(Settings(database_url=url)))
    clock = {"today": DAY}
    store = SessionStore(db, Engine(load_content(FIXTURE_CONTENT)), today=lambda: clock["today"])
    yield db, store, clock, tmp_path
    db.dispose()


def _answer_many(store: SessionStore, session_id: str) -> None:
    """Many writes of the same row, as a person changing answers makes: each one leaves an
    earlier version of the row in the write-ahead log."""
    store.answer(session_id, "who", "self")
    store.answer(session_id, "intro", "ok")
    for _ in range(10):
        store.answer(session_id, "case_year", DISTINCTIVE_YEAR)
        store.back(session_id)
    store.answer(session_id, "case_year", DISTINCTIVE_YEAR)


def _traces(folder: Path, session_id: str) -> dict[str, list[str]]:
    needles = {
        "id": session_id.encode(),
        "answer": f'"case_year", {DISTINCTIVE_YEAR}'.encode(),
        "answer, compact": f'"case_year",{DISTINCTIVE_YEAR}'.encode(),
    }
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("deleted.db*")):
        data = path.read_bytes()
        hits = [name for name, needle in needles.items() if needle in data]
        if hits:
            found[path.name] = hits
    return found


def test_the_fixture_would_find_the_answers(sqlite_store) -> None:
    """The grep works: before the delete the session's id and answer are in the files."""
    _, store, _, folder = sqlite_store
    row = store.create("en")
    _answer_many(store, row.id)
    assert _traces(folder, row.id)


def test_delete_my_answers_leaves_no_trace_in_the_database_files(sqlite_store) -> None:
    _, store, _, folder = sqlite_store
    kept = store.create("es")
    store.answer(kept.id, "who", "self")
    row = store.create("en")
    _answer_many(store, row.id)
    assert store.delete(row.id)
    assert _traces(folder, row.id) == {}
    assert store.get(kept.id) is not None  # the other session is untouched


def test_a_purge_leaves_no_trace_in_the_database_files(sqlite_store) -> None:
    db, store, clock, folder = sqlite_store
    row = store.create("en")
    _answer_many(store, row.id)
    clock["today"] = DAY + timedelta(days=UNFINISHED_DAYS)
    assert purge(db, clock["today"]).unfinished_deleted == 1
    assert _traces(folder, row.id) == {}


def test_every_connection_overwrites_deleted_content(sqlite_store) -> None:
    """secure_delete on every connection, whatever the SQLite build's default."""
    db, *_ = sqlite_store
    connection = db.engine.raw_connection()
    try:
        assert connection.cursor().execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        connection.close()
