"""What can be tested of the container without Docker: the Dockerfile's promises and the
entrypoint script (migrate, then `puente serve` with the proxy's address and the workers)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from app.config import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_is_slim_non_root_with_a_healthcheck() -> None:
    assert DOCKERFILE.startswith("#") and "FROM python:3.11-slim" in DOCKERFILE
    assert "USER puente" in DOCKERFILE and "useradd --system" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE
    assert "i18n compile" in DOCKERFILE  # catalogs compiled at build
    assert "ENVIRONMENT=production" in DOCKERFILE
    assert "SECRET_KEY" in DOCKERFILE and "PUBLIC_BASE_URL" in DOCKERFILE  # said to be required


def _fake_bin(tmp_path: Path) -> tuple[Path, Path]:
    """python is the test's own, except that `python -m app.cli serve` records its arguments
    instead of serving (what serving does is app/web/serving.py's, tests/test_serving.py)."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    recorded = tmp_path / "serve-args"
    (fake_bin / "python").write_text(
        "#!/bin/sh\n"
        f'if [ "$1 $2 $3" = "-m app.cli serve" ]; then echo "$@" > {recorded}; exit 0; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    (fake_bin / "python").chmod(0o755)
    return fake_bin, recorded


def test_entrypoint_migrates_then_serves_behind_its_proxy(tmp_path: Path) -> None:
    fake_bin, recorded = _fake_bin(tmp_path)
    database = tmp_path / "entry.db"
    env = {
        **os.environ,
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
        "DATABASE_URL": f"sqlite:///{database}",
        "FORWARDED_ALLOW_IPS": "10.0.0.5",
    }
    subprocess.run(
        ["sh", str(ROOT / "docker" / "entrypoint.sh")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    args = recorded.read_text().split()
    assert args[:3] == ["-m", "app.cli", "serve"]
    assert args[args.index("--forwarded-allow-ips") + 1] == "10.0.0.5"
    assert args[args.index("--workers") + 1] == "2"
    assert args[args.index("--limit-concurrency") + 1] == "200"
    tables = (
        sqlite3.connect(database)
        .execute("SELECT name FROM sqlite_master WHERE type='table'")
        .fetchall()
    )
    assert ("respondent_session",) in tables and ("alembic_version",) in tables


def test_entrypoint_stops_in_production_without_its_settings(tmp_path: Path) -> None:
    fake_bin, recorded = _fake_bin(tmp_path)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "PUBLIC_BASE_URL")
    }
    env |= {
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
        "ENVIRONMENT": "production",
        "PYTHONPATH": str(ROOT),
    }
    stopped = subprocess.run(
        ["sh", str(ROOT / "docker" / "entrypoint.sh")],
        cwd=tmp_path,  # no .env file here
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stopped.returncode != 0 and not recorded.exists()
    assert "SECRET_KEY:" in stopped.stderr and "PUBLIC_BASE_URL:" in stopped.stderr
    assert "Traceback" not in stopped.stderr
