"""What one started worker costs: its memory, and no long pauses of the garbage collector.

Measured in a fresh interpreter, as uvicorn starts a worker (`app_from_env`), so that nothing
the test run itself imported counts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB_BUDGET = 200  # 240 MB when the ZIP index kept the package's dictionaries

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
    assert measured["peak_mb"] <= PEAK_MB_BUDGET, measured
    # Start-up's objects (content, catalogs, the ZIP index) are out of the collector's reach:
    # a full collection walks what requests allocate, not the whole worker.
    assert measured["frozen"] > 100_000, measured
    assert measured["tracked"] < measured["frozen"] / 10, measured


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
