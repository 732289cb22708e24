"""A live server for the security tests that need a real process.

The server is the real CLI (`python -m app.cli serve`: gunicorn, uvicorn, no access log) on a
free 127.0.0.1 port, on a migrated temporary SQLite database and the test questionnaire. Its stdout
and stderr are kept for the tests that check what the server prints. The browser comes from
tests/browser/conftest.py.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import ROOT
from app.migrate import upgrade
from tests.conftest import FIXTURE_CONTENT

START_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database_url: str
    process: subprocess.Popen
    stdout_path: Path
    stderr_path: Path

    def output(self) -> tuple[str, str]:
        return (
            self.stdout_path.read_text(errors="replace"),
            self.stderr_path.read_text(errors="replace"),
        )


def start_server(
    tmp: Path, content_dir: Path = FIXTURE_CONTENT, extra_env: dict[str, str] | None = None
) -> LiveServer:
    database_url = f"sqlite:///{tmp / 'live.db'}"
    upgrade(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(content_dir),
        "SECRET_KEY": "live-test-secret-key-not-for-production",
        "PURGE_INTERVAL_HOURS": "0",
        **(extra_env or {}),
    }
    env.pop("REDIS_URL", None)
    stdout_path, stderr_path = tmp / "server.out", tmp / "server.err"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(  # our own CLI, fixed arguments
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    # As bench.server's: on the shared 2-core machine under load (15-19), starting with the
    # shipped content takes 16-20 s, before and after the forking server (which compiles every
    # template before the fork), so 30 s failed now and then.
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {stderr_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, database_url, process, stdout_path, stderr_path)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"server did not start within {START_SECONDS} s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
