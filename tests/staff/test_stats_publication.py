"""Statistics that cannot be differenced (security-review-2026-12.md F2, F3), with the review's
attacks: two downloads around one person's finished session, and a week with one finished
session."""

from datetime import date, timedelta

import pytest

from app.db import Database, make_engine
from app.stats import counts
from app.stats.report import PUBLISH_AFTER_DAYS, build_tables, load_counts, to_csv

WEEK = date(2026, 3, 2)  # a Monday
PUBLISHED_ON = WEEK + timedelta(days=6 + PUBLISH_AFTER_DAYS)
LABELS = {"locale": {"en": "English", "es": "Español", "ar": "العربية"}}


@pytest.fixture
def db(settings):
    database = Database(make_engine(settings))
    yield database
    database.dispose()


def _session(db: Database, week: date, locale: str, finished: bool, finding: str = "") -> None:
    """One session's contribution, as app.stats.counts.contribution writes it."""
    events = ["started", "finished"] if finished else ["started"]
    with db.write() as session:
        connection = session.connection()
        for event in events:
            for dimension, value in (("all", ""), ("locale", locale), ("partner", "none")):
                counts.add(connection, week, event, dimension, value, 1)
            counts.add(connection, week, event, "who", "self", 1)
        if finished:
            counts.add(connection, week, "finished", "urgency", "act_now", 1)
            counts.add(connection, week, "finding", "code", finding, 1)


def _download(db: Database, today: date) -> str:
    return to_csv(build_tables(load_counts(db, today), LABELS), "hidden")


def test_two_downloads_around_one_person_are_the_same(db) -> None:
    for index in range(40):
        _session(db, WEEK, ("en", "es")[index % 2], finished=index < 24, finding="f_common")
    before = _download(db, PUBLISHED_ON)
    assert WEEK.isoformat() in before  # the week is published
    _session(db, WEEK, "ar", finished=True, finding="f_rare")  # the person, finishing late
    after = _download(db, PUBLISHED_ON + timedelta(days=1))
    assert after == before


def test_an_open_week_is_not_shown(db) -> None:
    for _ in range(30):
        _session(db, WEEK, "en", finished=True, finding="f_common")
    assert WEEK.isoformat() not in _download(db, PUBLISHED_ON - timedelta(days=1))
    assert WEEK.isoformat() in _download(db, PUBLISHED_ON)


def test_a_week_with_one_finished_session_gives_nothing_away(db) -> None:
    for index in range(25):
        _session(db, WEEK, ("en", "es")[index % 2], finished=False)
    _session(db, WEEK, "ar", finished=True, finding="f_rare")
    for _ in range(20):  # another week gives the finding columns something else
        _session(db, WEEK - timedelta(days=7), "en", finished=True, finding="f_common")
    tables = build_tables(load_counts(db, PUBLISHED_ON), LABELS)
    for table in tables:
        if table.event in ("finished", "finding"):
            row = next(cells for week, cells, _ in table.rows if week == WEEK)
            # Every cell hidden: no zero says who the one person was not.
            assert row == [None] * len(row), (table.event, table.dimension, row)
