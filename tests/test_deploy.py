"""What can be tested of the container without Docker: the Dockerfile's promises and the
entrypoint script (migrate, then uvicorn with the privacy-preserving flags)."""

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


def test_entrypoint_migrates_then_serves_without_access_log(tmp_path: Path) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    recorded = tmp_path / "uvicorn-args"
    (fake_bin / "uvicorn").write_text(f'#!/bin/sh\necho "$@" > {recorded}\n')
    (fake_bin / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    for script in ("uvicorn", "python"):
        (fake_bin / script).chmod(0o755)
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
    assert args[:2] == ["app.main:app_from_env", "--factory"]
    for flag in ("--no-access-log", "--proxy-headers", "--timeout-graceful-shutdown"):
        assert flag in args
    assert args[args.index("--forwarded-allow-ips") + 1] == "10.0.0.5"
    tables = (
        sqlite3.connect(database)
        .execute("SELECT name FROM sqlite_master WHERE type='table'")
        .fetchall()
    )
    assert ("respondent_session",) in tables and ("alembic_version",) in tables
