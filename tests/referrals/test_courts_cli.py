"""`puente places import-courts` as an operator runs it, on a database `puente migrate` made."""

import os
import subprocess
import sys
from pathlib import Path

from app.config import ROOT
from app.referrals.courts import SHIPPED_COURTS


def _cli(database: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(  # our own CLI, fixed arguments
        [sys.executable, "-m", "app.cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_loads_the_courts_and_a_reimport_says_nothing_changed(tmp_path):
    database = tmp_path / "puente.db"
    assert _cli(database, "migrate").returncode == 0
    done = _cli(database, "places", "import-courts", SHIPPED_COURTS, "--source-date", "2025-12-01")
    assert done.returncode == 0, done.stderr
    assert "92 in the file, 82 active, 12 marked for checking" in done.stdout
    assert "Nothing changed" in done.stdout

    older = _cli(database, "places", "import-courts", SHIPPED_COURTS, "--source-date", "2025-01-01")
    assert older.returncode == 1 and "older than the one loaded" in older.stderr

    missing = _cli(database, "places", "import-courts", tmp_path / "nope.csv")
    assert missing.returncode == 1 and "Nothing imported" in missing.stderr
