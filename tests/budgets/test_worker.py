"""What one worker costs: its peak memory after whole questionnaires, and no long pauses of
the garbage collector.

Measured in processes of their own (a served worker forked by gunicorn's master; a fresh
interpreter running `app_from_env`), so that nothing the test run itself imported counts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.memory import served
from bench.server import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
# DESIGN.md's budget for a worker, 60 MB, applied to its private memory (USS: the pages only it
# holds, what one more worker costs the machine; docs/benchmarks.md, "Memory"). The master
# builds the app and forks the workers (app/web/serving.py), so what start-up built is shared
# copy-on-write and counted once, in the master. Measured 35 MB at the peak of 9 whole
# questionnaires (3 personas x en, es, ar) on SQLite, 17 MB just started (47 and 21 before the
# master also compiled the templates, loaded Babel's data and checked the search index). A
# worker that imports and builds everything itself (uvicorn's spawn, before) held 85-100 MB.
WORKER_USS_MB = 60
STARTED_USS_MB = 30  # above it, start-up's memory is no longer shared with the master
# The master: the interpreter, the frameworks and the app built once, the same process that each
# worker was before, plus what it now builds for all the workers (every template compiled in
# every language, Babel's data, the search-index check). Measured in a bare interpreter running
# the factory: 124 MB on SQLite and 133 MB on PostgreSQL (psycopg) with the thirteen languages
# of issue 14, about 2.4 MB a language (its catalog and its compiled templates); 100 and 108 MB
# with three. Counted once per server, not once per worker.
STARTED_PEAK_MB = 145

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec, so it would
# report the test runner's own peak.
MEASURE = """
import gc, json, re
from pathlib import Path
from app.main import app_from_env
app = app_from_env()
pool = app.state.puente.db.engine.pool
status = Path("/proc/self/status").read_text()
print(json.dumps({
    "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024,
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "connections": pool.checkedin() + pool.checkedout(),
    "templates": sum(len(env.cache) for env in app.state.puente.renderer.envs.values()),
    "index_ready": app.state.search_index_ready,
}))
"""


def test_a_started_master_is_small_and_frozen(database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PURGE_INTERVAL_HOURS": "0",
        "SECRET_KEY": "test-secret-key-for-csrf-tokens-only",
    }
    done = subprocess.run(
        [sys.executable, "-c", MEASURE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["peak_mb"] <= STARTED_PEAK_MB, measured
    # Start-up's objects (content, catalogs, the ZIP index) are out of the collector's reach:
    # a full collection walks what requests allocate, not the whole worker.
    assert measured["frozen"] > 100_000, measured
    assert measured["tracked"] < measured["frozen"] / 10, measured
    # The master forks its workers from this state: a database connection opened here would
    # be one socket for several processes (app/web/serving.py disposes of the pool, as a guard).
    assert measured["connections"] == 0, measured
    # What each worker would otherwise do or build for itself is done here, once, and shared:
    # every template compiled in every language, the library's search index checked.
    assert measured["templates"] >= 3 * 60 and measured["index_ready"], measured


@pytest.mark.slow
def test_a_served_worker_peaks_within_its_budget_after_whole_questionnaires(tmp_path):
    run = served(migrated_sqlite(tmp_path), tmp_path / "server.log", workers=1)
    assert run.questionnaires == 9, run
    assert len(run.peaks.workers()) == 1 and run.peaks.master()["PSS"] > 0, run.peaks
    assert max(worker["USS"] for worker in run.started) <= STARTED_USS_MB, run.started
    assert run.worker("USS") <= WORKER_USS_MB, run.peaks


def test_the_profiling_tool_runs():
    """`python -m bench.profile` (README, docs/benchmarks.md) still drives whole questionnaires."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.profile", "--questionnaires", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    lines = done.stdout.splitlines()
    kinds = {line.split()[0] for line in lines[1:-1]}
    assert {"answer", "result", "start"} <= kinds, done.stdout
    assert lines[-1].startswith("all requests' CPU per answer:"), done.stdout
