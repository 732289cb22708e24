"""T1.4: retention under a frozen clock. Unfinished sessions go 30 days after the last answer,
resume hashes 7 days after finishing, finished sessions after 90 days; counts stay."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.cli import main as cli_main
from app.db import Database, make_engine
from app.flow.content import load_content
from app.flow.engine import Engine
from app.respondents.models import RespondentSession
from app.respondents.retention import purge
from app.respondents.sessions import SessionStore
from app.stats.models import StatCount
from tests.conftest import FIXTURE_CONTENT
from tests.security.flow_helpers import FULL_PATH


class FrozenClock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)


@pytest.fixture
def world(settings):
    db = Database(make_engine(settings))
    clock = FrozenClock(date(2026, 3, 2))
    store = SessionStore(db, Engine(load_content(FIXTURE_CONTENT)), today=clock)
    yield db, store, clock
    db.dispose()


def _answer_all(store: SessionStore, session_id: str, count: int) -> None:
    for question, data in FULL_PATH[:count]:
        value = data["value"]
        store.answer(session_id, question, value)


def _ids(db: Database) -> set[str]:
    with db.read() as session:
        return {row.id for row in session.exec(select(RespondentSession))}


def test_unfinished_sessions_go_30_days_after_last_activity(world) -> None:
    db, store, clock = world
    idle = store.create("en")
    _answer_all(store, idle.id, 2)
    busy = store.create("es")
    clock.advance(20)
    _answer_all(store, busy.id, 1)  # busy is active 20 days later than idle
    clock.advance(9)  # day 29 for idle
    assert purge(db, clock()).unfinished_deleted == 0
    clock.advance(1)  # day 30 for idle, day 10 for busy
    report = purge(db, clock())
    assert report.unfinished_deleted == 1
    assert _ids(db) == {busy.id}
    clock.advance(20)
    purge(db, clock())
    assert _ids(db) == set()


def test_finished_sessions_lose_the_resume_hash_after_7_days_and_go_after_90(world) -> None:
    db, store, clock = world
    row = store.create("en")
    store.issue_resume_code(row.id)
    _answer_all(store, row.id, len(FULL_PATH))
    clock.advance(6)
    assert purge(db, clock()).resume_hashes_erased == 0
    clock.advance(1)
    assert purge(db, clock()).resume_hashes_erased == 1
    with db.read() as session:
        kept = session.get(RespondentSession, row.id)
    assert kept is not None and kept.resume_hash is None and kept.finished
    clock.advance(82)  # day 89
    assert purge(db, clock()).finished_deleted == 0
    clock.advance(1)  # day 90
    assert purge(db, clock()).finished_deleted == 1
    assert _ids(db) == set()


def test_counts_stay_and_the_drop_off_step_is_counted(world) -> None:
    db, store, clock = world
    done = store.create("en")
    _answer_all(store, done.id, len(FULL_PATH))
    left = store.create("es")
    _answer_all(store, left.id, 3)  # stops at children_count
    never = store.create("en")  # opened, never answered: not counted at all
    assert never.id in _ids(db)
    clock.advance(100)
    purge(db, clock())
    assert _ids(db) == set()
    with db.read() as session:
        counts = {(c.event, c.dimension, c.value): c.count for c in session.exec(select(StatCount))}
    assert counts[("started", "all", "")] == 2
    assert counts[("finished", "all", "")] == 1
    assert counts[("started", "locale", "es")] == 1
    assert counts[("dropoff", "step", "children_count")] == 1
    assert ("dropoff", "step", "who") not in counts


def test_purge_command(settings, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert cli_main(["purge"]) == 0
    assert "purged" in capsys.readouterr().out


def test_expired_staff_sessions_are_purged(world) -> None:
    from datetime import UTC, datetime

    from app.staff.auth import create_user
    from app.staff.models import StaffSession
    from app.staff.sealed import SecretBox

    db, _store, clock = world
    user = create_user(db, SecretBox("test-key"), "ana", "correct horse battery staple")
    long_ago = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with db.write() as session:
        session.add(
            StaffSession(
                token_hash="a" * 64,
                user_id=user.id,
                stage="full",
                created_at=long_ago,
                last_seen=long_ago,
            )
        )
    purge(db, clock())  # 2026-03-02: the session was last seen the day before
    with db.read() as session:
        assert list(session.exec(select(StaffSession))) == []
