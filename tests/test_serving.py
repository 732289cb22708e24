"""How the site is served (app/web/serving.py): gunicorn's master loads the app before it forks its
uvicorn workers, and each worker keeps production's uvicorn flags. The live behaviour (serving,
SIGTERM, kill -9, a worker replaced) is in tests/drills and the server-starting tests."""

import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from gunicorn.glogging import Logger

from app.web import serving
from app.web.serving import GRACE_MARGIN, Options, PuenteWorker, Server
from bench.server import migrated_sqlite, start_server


def _worker(options: Options) -> PuenteWorker:
    cfg = Server(options).cfg
    return PuenteWorker(1, os.getpid(), [], None, 15, cfg, Logger(cfg))


def test_the_app_is_built_once_before_the_fork_and_nothing_else_is_read() -> None:
    server = Server(Options(workers=3, port=8123))
    assert server.cfg.preload_app is True
    assert server.cfg.workers == 3 and server.cfg.bind == ["127.0.0.1:8123"]
    assert server.cfg.worker_class is PuenteWorker
    assert server.cfg.accesslog is None  # no client addresses in any log
    assert server.cfg.control_socket_disable is True


def test_each_worker_runs_uvicorn_with_production_flags() -> None:
    options = Options(forwarded_allow_ips="10.0.0.5", limit_concurrency=150, graceful_seconds=12)
    config = _worker(options).config
    assert (config.loop, config.http) == ("uvloop", "httptools")
    assert config.access_log is False
    assert config.proxy_headers is True and config.forwarded_allow_ips == ["10.0.0.5"]
    assert config.limit_concurrency == 150
    assert config.timeout_graceful_shutdown == 12
    assert Server(options).cfg.graceful_timeout == 12 + GRACE_MARGIN  # then SIGKILL


def test_gunicorn_reads_no_command_line_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 9 --access-logfile -")
    monkeypatch.setattr("sys.argv", ["x", "--workers", "7"])
    server = Server(Options(workers=2))
    assert server.cfg.workers == 2 and server.cfg.accesslog is None


class _Arbiter:
    def __init__(self, workers: int = 4) -> None:
        self.WORKERS: dict[int, object] = {}
        self.num_workers = workers


class _Worker:
    puente_cpu: int | None = None


def _spawn(arbiter: _Arbiter, pid: int) -> _Worker:
    """What gunicorn's master does: pre_fork, then the worker joins WORKERS."""
    worker = _Worker()
    Server(Options()).cfg.pre_fork(arbiter, worker)
    arbiter.WORKERS[pid] = worker
    return worker


def test_each_worker_keeps_to_the_cpu_that_fewest_workers_keep_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {4, 5, 6})
    arbiter = _Arbiter()
    cpus = [_spawn(arbiter, pid).puente_cpu for pid in range(1, 5)]  # 4 workers, 3 CPUs
    assert cpus == [4, 5, 6, 4]
    del arbiter.WORKERS[2]  # the worker on CPU 5 died: its replacement takes CPU 5
    assert _spawn(arbiter, 9).puente_cpu == 5
    # Fewer workers than CPUs (a container that sees a shared host's CPUs): left free.
    assert _spawn(_Arbiter(workers=2), 1).puente_cpu is None
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {3})
    assert _spawn(_Arbiter(), 1).puente_cpu is None  # one CPU: nothing to choose
    unpinned = Server(Options(pin_workers=False)).cfg
    worker = _Worker()
    unpinned.pre_fork(_Arbiter(), worker)
    assert worker.puente_cpu is None


def test_a_worker_that_may_not_keep_to_its_cpu_serves_anyway(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refused(_pid: int, _cpus: set[int]) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "sched_setaffinity", refused)
    worker = _Worker()
    worker.puente_cpu = 1
    worker.app = type("App", (), {"callable": None})()  # type: ignore[attr-defined]
    serving._after_fork(None, worker)
    assert "not kept to CPU 1" in caplog.text


def _cpus_of(pid: int) -> str:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(
        line.split(":")[1].strip() for line in status.splitlines() if "Cpus_allowed_list" in line
    )


def _cpus_when_settled(pids: list[int], expected: list[str]) -> list[str]:
    """The workers' CPUs, once they are `expected` or after 10 s: a new worker keeps to its
    CPU a moment after it appears (its first act)."""
    deadline = time.monotonic() + 10
    while sorted(map(_cpus_of, pids)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return sorted(map(_cpus_of, pids))


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_the_site_keeps_answering(tmp_path: Path) -> None:
    server = start_server(migrated_sqlite(tmp_path), tmp_path / "server.log", workers=2)
    try:
        first = server.worker_pids()
        assert len(first) == 2 and server.pid() not in first
        allowed = sorted(os.sched_getaffinity(0))
        fills = len(allowed) == 2  # two workers fill two CPUs: each keeps to its own
        one_each = [str(cpu) for cpu in allowed]
        if fills:
            assert _cpus_when_settled(first, one_each) == one_each
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = server.worker_pids()
            if len(now) == 2 and first[0] not in now:
                break
            time.sleep(0.2)
        assert len(now) == 2 and first[0] not in now and first[1] in now
        if fills:  # the new worker took the dead one's CPU
            assert _cpus_when_settled(now, one_each) == one_each
        for _ in range(10):  # both workers, by the kernel's choice of accept
            assert httpx.get(f"{server.base_url}/healthz", timeout=5).status_code == 200
        assert server.process.poll() is None
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.log()


@pytest.mark.slow
def test_with_no_pinning_workers_may_use_every_cpu(tmp_path: Path) -> None:
    server = start_server(
        migrated_sqlite(tmp_path),
        tmp_path / "server.log",
        workers=2,
        serve_flags=("--no-pinning",),
    )
    try:
        for worker in server.worker_pids():
            assert os.sched_getaffinity(worker) == os.sched_getaffinity(0)
    finally:
        assert server.stop() == 0
