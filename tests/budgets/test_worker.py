"""What one worker costs: its peak memory after whole questionnaires, and no long pauses of
the garbage collector.

Measured in processes of their own (a served uvicorn worker; a fresh interpreter running
`app_from_env`), so that nothing the test run itself imported counts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.memory import served_worker_peak
from bench.server import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
# A served worker's peak (VmHWM) after 9 whole questionnaires (3 personas x en, es, ar), on
# SQLite. Measured 101 MB on its own branch (docs/benchmarks.md, "Memory") and 109 MB once the
# library (search index built at start-up, 16 articles) and the law's second pass were merged
# beside it (Dec. 2026; where the 8 MB go is not yet measured); it was 174 MB before the packed
# ZIP index, the written-out language names and the lazy staff-only imports. DESIGN.md's budget is
# 60 MB: the frameworks alone (FastAPI, pydantic, SQLAlchemy, uvicorn) take 67 MB when imported
# into a bare interpreter, so that figure needs a leaner stack, not tuning (docs/benchmarks.md).
SERVED_PEAK_MB = 116
STARTED_PEAK_MB = 100  # the same worker just started, before any request (96 MB on PostgreSQL)

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec, so it would
# report the test runner's own peak.
MEASURE = """
import gc, json, re
from pathlib import Path
from app.main import app_from_env
app_from_env()
status = Path("/proc/self/status").read_text()
print(json.dumps({
    "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024,
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
}))
"""


def test_a_started_worker_is_small_and_frozen(database_url):
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


@pytest.mark.slow
def test_a_served_worker_peaks_within_its_budget_after_whole_questionnaires(tmp_path):
    measured = served_worker_peak(migrated_sqlite(tmp_path), tmp_path / "server.log")
    assert measured["questionnaires"] == 9, measured
    assert measured["VmHWM"] <= SERVED_PEAK_MB, measured


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
