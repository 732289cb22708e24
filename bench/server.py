"""Start the app as production does (gunicorn forking uvicorn workers, no access log) on a free
loopback port, and stop it.

Used by the browser tests, the CI drills and the benchmark, so they all exercise the same
process model: `python -m app.cli serve` (app/web/serving.py) running `app.main:app_from_env`,
configured only by environment variables, against a database migrated by Alembic.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.config import ROOT
from app.migrate import upgrade

LOOPBACK = "127.0.0.1"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
REAL_CONTENT = ROOT / "app" / "content"
TEST_SECRET = "browser-and-bench-secret-not-for-production-0123456789"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def default_content_dir() -> Path:
    """The shipped questionnaire once it exists, else the small test fixture.

    PUENTE_TEST_CONTENT overrides the choice (a path, or "fixture" / "real").
    """
    chosen = os.environ.get("PUENTE_TEST_CONTENT", "")
    if chosen == "fixture":
        return FIXTURE_CONTENT
    if chosen == "real":
        return REAL_CONTENT
    if chosen:
        return Path(chosen)
    has_real = (REAL_CONTENT / "flow").is_dir() and any((REAL_CONTENT / "flow").glob("*.yaml"))
    return REAL_CONTENT if has_real else FIXTURE_CONTENT


def prepare_database(database_url: str) -> str:
    """What `puente migrate` does in production: the schema, then the directory's first data."""
    from app.config import Settings
    from app.db import Database, make_engine
    from app.referrals.seed import seed_directory

    upgrade(database_url)
    database = Database(make_engine(Settings(database_url=database_url)))
    try:
        with database.write() as session:
            seed_directory(session)
    finally:
        database.dispose()
    return database_url


def migrated_sqlite(directory: Path, name: str = "puente.db") -> str:
    return prepare_database(f"sqlite:///{directory / name}")


@dataclass
class Server:
    """A running server (its supervisor's subprocess) and how to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    database_url: str
    log_path: Path
    env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pid(self) -> int:
        """The supervisor's process id (gunicorn's master; signals for the whole server)."""
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the supervisor's children (the supervisor itself
        for a checkout served by uvicorn with one worker, which then has no children)."""
        children = [
            int(child)
            for task in Path(f"/proc/{self.process.pid}/task").glob("*/children")
            for child in task.read_text().split()
        ]
        return sorted(children) or [self.process.pid]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 25.0) -> int:
        """Send `sig` and wait; kill for good if it has not exited within `timeout` seconds."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        # Workers left behind by a supervisor that died first (kill -9) go too: the server
        # runs in a process group of its own.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        return int(self.process.returncode)


def server_env(
    database_url: str, content_dir: Path | None = None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CONTENT_DIR=str(content_dir or default_content_dir()),
        SECRET_KEY=TEST_SECRET,
        PURGE_INTERVAL_HOURS="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def start_server(
    database_url: str,
    log_path: Path,
    *,
    content_dir: Path | None = None,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    graceful_seconds: int = 20,
    ready_timeout: float = 90.0,  # a busy 2-core machine starts 2 workers slowly
    port: int | None = None,
    factory: str = "app.main:app_from_env",
    cwd: Path | None = None,
    serve_flags: tuple[str, ...] = (),
    cpus: set[int] | None = None,
) -> Server:
    """Start the server as production does (`python -m app.cli serve`: gunicorn forking
    uvicorn workers, app/web/serving.py) and wait until /healthz answers 200.

    `cwd` runs the app of another checkout (bench.cpu's before/after comparison); one from
    before app/web/serving.py is started the way it was then, with uvicorn's own supervisor.
    `cpus` confines the whole server to those CPUs (bench.cpu: one, as a production worker
    keeps to its own)."""
    port = port or free_port()
    root = cwd or ROOT
    python = checkout_python(root)
    if (root / "app" / "web" / "serving.py").exists():
        command = [
            python,
            "-m",
            "app.cli",
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--forwarded-allow-ips",
            LOOPBACK,
            "--limit-concurrency",
            "200",
            "--graceful-timeout",
            str(graceful_seconds),
            "--app",
            factory,
            *serve_flags,
        ]
    else:
        command = _uvicorn_command(python, port, workers, graceful_seconds, factory)
    if content_dir is None and root != ROOT:
        content_dir = root / "app" / "content"  # another checkout's questionnaire, as it was
    env = server_env(database_url, content_dir, extra_env)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
    server = Server(process, port, database_url, log_path, env)
    try:
        wait_healthy(server, ready_timeout, workers)
    except Exception:
        server.stop(signal.SIGKILL)
        raise
    return server


def checkout_python(root: Path) -> str:
    """The Python of the checkout's own `.venv` when it has one (an old checkout, with the
    packages it pinned then), else this one."""
    own = root / ".venv" / "bin" / "python"
    return str(own) if root != ROOT and own.exists() else sys.executable


def _uvicorn_command(
    python: str, port: int, workers: int, graceful_seconds: int, factory: str
) -> list[str]:
    """How a checkout from before app/web/serving.py was served (uvicorn's own --workers)."""
    return [
        python,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--timeout-graceful-shutdown",
        str(graceful_seconds),
        "--limit-concurrency",
        "200",
        "--proxy-headers",
        "--forwarded-allow-ips",
        LOOPBACK,
        "--timeout-worker-healthcheck",
        "30",
    ]


def wait_healthy(server: Server, timeout: float, workers: int = 1) -> None:
    """Until /healthz answers 200 and every worker has been forked: gunicorn sleeps a random
    tenth of a second between forks, so the first worker can answer before the second exists
    (a CI run once counted one worker of two)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log()[-4000:]}")
        try:
            healthy = httpx.get(f"{server.base_url}/healthz", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            healthy = False
        if healthy and (workers == 1 or len(server.worker_pids()) >= workers):
            return
        time.sleep(0.1)
    raise TimeoutError(f"server not healthy after {timeout} s:\n{server.log()[-4000:]}")
