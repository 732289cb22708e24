"""The positions a worker saved last (app/respondents/recent.py): the next change of the same
session replays nothing and, on PostgreSQL, reads nothing first; and the copy is used only
where the database proves it current, so a change made elsewhere (another worker, another
instance, staff editing the directory) is never answered from a stale copy."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from app.db.driver import DriverTransaction
from app.flow.engine import Engine, OutOfOrder
from app.respondents.recent import RecentPositions
from app.respondents.sessions import SessionStore
from tests.conftest import answered_ids, on_postgresql


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of stored answers each replay went through."""
    seen: list[int] = []
    original = Engine.replay

    def counted(self: Engine, stored: Any) -> Any:
        seen.append(len(stored))
        return original(self, stored)

    monkeypatch.setattr(Engine, "replay", counted)
    return seen


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The first word or two of each statement sent on the driver's connection."""
    sent: list[str] = []
    for method in ("one", "run"):
        original = getattr(DriverTransaction, method)

        def counted(self: DriverTransaction, statement: str, parameters: Any, _o=original) -> Any:
            sent.append(" ".join(statement.split()[:2]))
            return _o(self, statement, parameters)

        monkeypatch.setattr(DriverTransaction, method, counted)
    yield sent


def test_the_next_answer_replays_nothing_and_lands_where_a_replay_would(
    store: SessionStore, replays: list[int]
) -> None:
    session = store.create("en").id
    store.answer(session, "who", "self")
    store.answer(session, "intro", "ok")
    replays.clear()
    position = store.answer(session, "case_year", "2015")
    assert replays == []
    row = store.get(session)
    assert row is not None
    assert store.engine.replay(row.answers) == position
    # The pages read it from the same copy: the question page, the result.
    replays.clear()
    assert store.position(row) == position
    assert replays == []


def test_answers_changed_by_another_worker_are_read_and_replayed(
    store: SessionStore, replays: list[int]
) -> None:
    """Another worker went back (written straight to the row here): this worker's copy is
    one answer ahead of the row. The answer is judged on what the row holds."""
    session = store.create("en").id
    for question, value in (("who", "self"), ("intro", "ok"), ("case_year", "2015")):
        store.answer(session, question, value)
    with store.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE respondent_session SET answers = :answers WHERE id = :id"),
            {"answers": '[["who","self"],["intro","ok"]]', "id": session},
        )
    replays.clear()
    store.answer(session, "case_year", "2016")  # fits the row; the copy was past it
    assert 2 in replays
    assert answered_ids(store, session) == ["who", "intro", "case_year"]
    row = store.get(session)
    assert row is not None and row.answers[-1] == ["case_year", 2016]
    replays.clear()
    with pytest.raises(OutOfOrder):
        store.answer(session, "intro", "ok")
    # SQLite's copy matched the row it read, so it refused from the copy. PostgreSQL's copy
    # read nothing: a refusal from it could be a stale copy's, so the read confirms it.
    assert replays == ([3] if on_postgresql() else [])


@pytest.mark.skipif(not on_postgresql(), reason="SQLite reads the row in its write transaction")
def test_postgresql_saves_without_reading_first_and_reads_when_the_save_changes_nothing(
    store: SessionStore, statements: list[str]
) -> None:
    session = store.create("en").id
    store.answer(session, "who", "self")
    statements.clear()
    store.answer(session, "intro", "ok")
    assert statements == ["UPDATE respondent_session"]
    # Another worker writes the session: this worker's version no longer matches.
    with store.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE respondent_session SET active_on = active_on WHERE id = :id"),
            {"id": session},
        )
    statements.clear()
    store.answer(session, "case_year", "2015")
    assert statements == [
        "UPDATE respondent_session",  # from the copy: changes nothing
        "SELECT answers,",  # so read
        "UPDATE respondent_session",  # and saved against what was read
    ]
    assert answered_ids(store, session) == ["who", "intro", "case_year"]


def test_a_new_directory_copy_sets_the_copies_aside(
    store: SessionStore, replays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Court questions are asked or passed over by the directory: staff editing it may change
    where a session's answers lead, so a position saved before is worked out again."""
    session = store.create("en").id
    store.answer(session, "who", "self")
    store.answer(session, "intro", "ok")
    places = store.engine.places
    monkeypatch.setattr(type(places), "revision", "a later copy", raising=False)
    replays.clear()
    store.answer(session, "case_year", "2015")
    assert replays == [2]


def test_deleting_or_moving_a_session_drops_its_copy(store: SessionStore) -> None:
    revision = store.engine.places.revision
    session = store.create("en").id
    store.answer(session, "who", "self")
    assert store.recent.get(session, revision) is not None
    issued = store.issue_resume_code(session)  # a first code keeps the id
    store.answer(issued.session_id, "intro", "ok")
    resumed = store.resume(issued.code)
    assert resumed is not None
    assert store.recent.get(issued.session_id, revision) is None
    store.answer(resumed.id, "case_year", "2015")
    assert store.recent.get(resumed.id, revision) is not None
    store.delete(resumed.id)
    assert store.recent.get(resumed.id, revision) is None


def test_copies_are_bounded_and_dropped_when_idle(store: SessionStore) -> None:
    now = [0.0]
    recent = RecentPositions(capacity=2, max_idle=300, clock=lambda: now[0])
    position = store.engine.replay([])
    for session in ("a", "b", "c"):
        recent.put(session, "[]", position, None, None, None)
    assert recent.get("a", None) is None  # the least recently saved, over capacity
    assert recent.get("b", None) is not None and len(recent) == 2
    now[0] = 200.0
    recent.put("c", "[]", position, None, None, None)  # saved again
    now[0] = 301.0
    assert recent.get("b", None) is None  # idle over 300 s: gone from memory
    assert recent.get("c", None) is not None and len(recent) == 1
    assert recent.get("c", "another revision") is None
    recent.forget("c")
    assert len(recent) == 0


def test_a_copy_made_while_the_directory_moved_is_kept_under_the_older_revision(
    store: SessionStore, replays: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revision is read before the change is worked out: if the directory moves while it
    is (staff saving an edit that very moment), the copy is not taken as the newer copy's."""
    session = store.create("en").id
    store.answer(session, "who", "self")
    revisions = iter(["before", "after", "after", "after", "after"])
    monkeypatch.setattr(
        type(store.engine.places), "revision", property(lambda _: next(revisions)), raising=False
    )
    store.answer(session, "intro", "ok")  # reads "before"; the directory moves meanwhile
    replays.clear()
    store.answer(session, "case_year", "2015")
    assert replays == [2]  # the copy was "before"'s: worked out again
