"""Short versions of the fault drills in bench/drills.py, for CI (about a minute in all).

Loopback only, bounded in time. The full versions: `python -m bench.drills all --full`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench import drills

pytestmark = [
    pytest.mark.slow,
    # The drills make their own databases, whatever DATABASE_URL says: once per CI run is
    # enough, so the PostgreSQL pass of .ci/run skips them.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        reason="ran in the SQLite pass (the drills bring their own databases)",
    ),
]


def test_kill_9_under_50_respondents_loses_nothing_acknowledged(tmp_path: Path) -> None:
    """T4.6: integrity ok, every acknowledged answer stored, every shown code resumes."""
    report = drills.kill_drill(tmp_path, users=50, load_seconds=8.0)
    assert report.acknowledged > 100, f"too little load to prove anything: {report}"
    assert report.codes > 0, "no questionnaire finished before the kill"
    assert report.integrity == "ok"
    assert report.lost == []
    assert report.failing_codes == []
    assert not report.errors_before_kill.get("answer HTTP 500")


def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    """T4.5: the answer waiting when SIGTERM arrives gets its 200; the server exits 0."""
    report = drills.sigterm_drill(tmp_path, hold_seconds=2.0)
    assert report.in_flight_status == 200
    assert report.refused_new_connection
    assert report.exited_cleanly, report
    assert report.exit_seconds < 22


def test_20_writers_of_100_answers_never_see_database_is_locked(tmp_path: Path) -> None:
    """T4.3, through SessionStore: the write path of every answer (BEGIN IMMEDIATE, and the
    threads of a process taking turns)."""
    report = drills.writers_drill(tmp_path, writers=20, answers_each=100, take_turns=True)
    assert report.errors == {}
    assert report.writes == 2000


def test_writers_in_several_processes_are_kept_apart_by_begin_immediate(tmp_path: Path) -> None:
    """Between worker processes only BEGIN IMMEDIATE and busy_timeout order the writers:
    4 writers without the turn lock stand for 4 workers."""
    report = drills.writers_drill(tmp_path, writers=4, answers_each=100, take_turns=False)
    assert report.errors == {}
    assert report.writes == 400


def test_writes_tried_without_waiting_hand_over_and_are_made_exactly_once(tmp_path: Path) -> None:
    """Each answer first tried as the event loop tries it (app.web.state.AppState.write):
    4 writers without the turn lock stand for 4 workers, 20 with it for one worker's loop
    beside its database thread. Those that meet the lock are made again the usual way; an
    answer made twice would be out of order and stop its writer short of its count."""
    for writers, take_turns in ((4, False), (20, True)):
        report = drills.writers_drill(
            tmp_path / str(writers),
            writers=writers,
            answers_each=100,
            take_turns=take_turns,
            without_waiting=True,
        )
        assert report.errors == {}
        assert report.writes == writers * 100
        assert report.handed_over > 0, "the lock was never met: the drill proves nothing"


def test_deferred_transactions_do_reproduce_database_is_locked(tmp_path: Path) -> None:
    """T4.3's negative: without BEGIN IMMEDIATE the same load fails, so the test has teeth."""
    report = drills.writers_drill(
        tmp_path, writers=20, answers_each=30, immediate=False, take_turns=False
    )
    assert any("locked" in message for message in report.errors), report


@pytest.mark.skipif(
    shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin")),
    reason="PostgreSQL server binaries are not installed",
)
def test_postgresql_restart_under_load(tmp_path: Path) -> None:
    """503 (never a hang or a 500) while PostgreSQL is down, success after, nothing lost."""
    report = drills.postgres_restart_drill(tmp_path, users=20, before=4, down=3, after=6)
    assert report.acknowledged > 50
    assert report.lost == []
    assert set(report.statuses_while_down) <= {200, 503}, report.statuses_while_down
    assert report.statuses_while_down[503] > 0, "the outage was never noticed"
    assert report.successes_after_restart > 0
    assert report.other_errors == {}, report.other_errors
