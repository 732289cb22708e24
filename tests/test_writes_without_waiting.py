"""A respondent's write on SQLite is made on the event loop when the write lock is free, and
handed to the database thread when it is not, before anything was changed
(`AppState.write`, `Database.without_waiting`): no hop to a thread for nearly every answer,
and never a wait for the lock on the event loop. The drill with writers side by side is in
tests/drills/test_drills.py."""

import asyncio
import sqlite3
import threading
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.db import BUSY_TIMEOUT_MS, WouldWait
from app.web.db_threads import DatabaseThreads
from app.web.state import AppState
from tests.conftest import answered_ids, csrf_from, on_postgresql
from tests.web.chat_helpers import answer, start

sqlite_only = pytest.mark.skipif(on_postgresql(), reason="PostgreSQL writes always use threads")


@pytest.fixture
def state(app: FastAPI) -> AppState:
    return app.state.puente  # type: ignore[no-any-return]


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each function handed to a database thread."""
    handed: list[str] = []
    original = DatabaseThreads.__call__

    async def counted(self: DatabaseThreads, function: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(getattr(function, "__name__", "?"))
        return await original(self, function, *args, **kwargs)

    monkeypatch.setattr(DatabaseThreads, "__call__", counted)
    return handed


def test_answers_and_moves_use_no_thread_when_the_lock_is_free(
    client: TestClient, hops: list[str]
) -> None:
    start(client)
    for question, value in (("who", "self"), ("intro", "ok"), ("case_year", "2015")):
        assert answer(client, question, value).status_code == 303
    csrf = csrf_from(client.get("/q").text)
    assert client.post("/q/back", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    if on_postgresql():  # every write on a thread (and the reads too, AppState.read)
        assert hops.count("answer") == 3 and hops.count("<lambda>") == 1
        assert "get_or_create_fresh" in hops
    else:
        assert hops == []


@sqlite_only
def test_a_lock_held_elsewhere_sends_the_answer_to_the_thread_and_the_loop_runs_on(
    state: AppState, hops: list[str]
) -> None:
    """Another worker is writing: the answer waits for it on the database thread, while the
    event loop serves others (here: a ticker, and the other writer's commit, which it runs).
    Waiting on the loop instead would hold up that commit too, until the busy timeout."""
    store = state.store
    session = store.create("en").id
    store.answer(session, "who", "self")
    other = another_process_writing(state)

    async def scenario() -> tuple[int, float]:
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, other.execute, "COMMIT")
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticking = asyncio.create_task(ticker())
        started = loop.time()
        await state.write(store.answer, session, "intro", "ok")
        waited = loop.time() - started
        ticking.cancel()
        return ticks, waited

    ticks, waited = asyncio.run(scenario())
    other.close()
    assert hops == ["answer"]
    assert waited >= 0.25, "it should have waited for the other writer"
    assert ticks >= 10, "the event loop stood still while the answer waited"
    assert answered_ids(store, session) == ["who", "intro"]  # once, not twice


@sqlite_only
def test_a_write_that_would_wait_changes_nothing_and_leaves_nothing_behind(
    state: AppState,
) -> None:
    store, database = state.store, state.db
    session = store.create("en").id
    store.answer(session, "who", "self")
    other = another_process_writing(state)
    with pytest.raises(WouldWait):
        database.without_waiting(store.answer, session, "intro", "ok")
    assert answered_ids(store, session) == ["who"]
    # The attempt ended with its call: a write in this thread waits for the lock as usual
    # (here until the other commits), and the connection has its busy timeout back.
    threading.Timer(0.2, other.execute, ["COMMIT"]).start()
    store.answer(session, "intro", "ok")
    other.close()
    assert answered_ids(store, session) == ["who", "intro"]
    pool = database.engine.pool
    connections = [database.engine.raw_connection() for _ in range(max(pool.checkedin(), 1))]
    try:
        for connection in connections:
            timeout = connection.cursor().execute("PRAGMA busy_timeout").fetchone()[0]
            assert timeout == BUSY_TIMEOUT_MS
    finally:
        for connection in connections:
            connection.close()


@sqlite_only
def test_a_write_of_this_process_on_another_thread_is_waited_for_on_a_thread(
    state: AppState,
) -> None:
    """This worker's database thread is writing (a staff edit, an answer handed over): the
    event loop's write does not wait for its turn either."""
    store, database = state.store, state.db
    session = store.create("en").id
    writing, done = threading.Event(), threading.Event()

    def staff_write() -> None:
        with database.write_connection():
            writing.set()
            done.wait(5)

    thread = threading.Thread(target=staff_write)
    thread.start()
    writing.wait(5)
    try:
        with pytest.raises(WouldWait):
            database.without_waiting(store.answer, session, "who", "self")
    finally:
        done.set()
        thread.join(5)
    assert answered_ids(store, session) == []


@sqlite_only
def test_only_the_first_write_transaction_is_tried_without_waiting(state: AppState) -> None:
    """Once a write has begun, the call cannot be made again elsewhere without repeating it:
    a second transaction in the same call is an ordinary one. A write through SQLAlchemy's
    own BEGIN (which always waits) is handed over before it begins."""
    store, database = state.store, state.db
    session = store.create("en").id

    def answer_then_another_write() -> str:
        store.answer(session, "who", "self")
        with database.write_connection():
            return "both written"

    assert database.without_waiting(answer_then_another_write) == "both written"
    began: list[str] = []

    def through_the_orm() -> None:
        with database.write():
            began.append("began")

    with pytest.raises(WouldWait):
        database.without_waiting(through_the_orm)
    assert began == []
    assert answered_ids(store, session) == ["who"]


def another_process_writing(state: AppState) -> sqlite3.Connection:
    """A connection with none of this process's turns, as another worker's, in the middle of
    a write transaction (it holds SQLite's write lock until it commits)."""
    path = state.db.engine.url.database or ""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    return connection
