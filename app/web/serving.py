"""How Puente is served: gunicorn forks uvicorn workers from a master that built the app first.

The one way to serve (`python -m app.cli serve`, the container's entrypoint, bench.server):
the master imports the frameworks and runs `app.main:app_from_env` once (catalogs, content,
templates, the ZIP index mapped, then `gc.freeze()`), and only then forks its workers. They
share all of that with the master copy-on-write; a worker's own memory is what its requests
allocate (docs/benchmarks.md, "Memory"; docs/decisions.md). uvicorn's own `--workers` starts
each worker with multiprocessing's spawn, so every one imported and built everything again.

Each worker runs uvicorn with the flags production always had: uvloop and httptools, no access
log (no client addresses), X-Forwarded-* trusted only from the given proxy addresses, at most
`limit_concurrency` connections before a 503, and a graceful shutdown. The master replaces a
worker that dies or whose event loop stops answering for `timeout` seconds.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

APP = "app.main:app_from_env"
# gunicorn's hard stop comes this long after uvicorn's own graceful deadline, so a slow
# request is ended by uvicorn (which answers what it can) and not by a SIGKILL first.
GRACE_MARGIN = 5
# uvicorn's modules for the flags above, which it would import in each worker as it starts.
WORKER_IMPORTS = (
    "uvloop",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.lifespan.on",
)
SHM = "/dev/shm"  # noqa: S108  # see worker_tmp_dir below
log = logging.getLogger("puente.serving")


class PuenteWorker(UvicornWorker):
    """uvicorn in a gunicorn worker, with Puente's flags (the settings it takes from the
    master's configuration are set by `serve`)."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "uvloop",
        "http": "httptools",
        "access_log": False,
        "proxy_headers": True,
        "ws": "none",  # Puente has no WebSocket route
        "lifespan": "on",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # gunicorn's "worker_connections" (a worker's clients at once) is uvicorn's limit.
        self.config.limit_concurrency = self.cfg.worker_connections
        self.config.timeout_graceful_shutdown = max(self.cfg.graceful_timeout - GRACE_MARGIN, 1)
        self.config.timeout_keep_alive = self.cfg.keepalive


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    forwarded_allow_ips: str = "127.0.0.1"
    limit_concurrency: int = 200
    graceful_seconds: int = 20
    heartbeat_seconds: int = 30  # a worker whose event loop is stuck this long is replaced
    app: str = APP  # module:factory; benchmarks serve a variant (bench/unlimited.py)
    # Each worker kept to one CPU when they fill the CPUs this process may use (`_choose_cpu`).
    pin_workers: bool = True

    def settings(self) -> dict[str, Any]:
        return {
            "bind": [f"{self.host}:{self.port}"],
            "workers": self.workers,
            "worker_class": f"{__name__}.PuenteWorker",
            # The point of it all: the app is built once, in the master, before the fork.
            "preload_app": True,
            "worker_connections": self.limit_concurrency,
            "forwarded_allow_ips": self.forwarded_allow_ips,
            "graceful_timeout": self.graceful_seconds + GRACE_MARGIN,
            "timeout": self.heartbeat_seconds,
            "keepalive": 5,  # uvicorn's default, as before
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "puente",
            # gunicorn 25+ opens a control socket in $HOME by default: one path for every
            # instance on the machine, and a way in that Puente does not use.
            "control_socket_disable": True,
            # The workers' heartbeat files (made by mkstemp, 0600, unlinked at once) in memory
            # where there is /dev/shm: a touch on a container's overlay disk can stall.
            "worker_tmp_dir": SHM if os.path.isdir(SHM) else None,
            "pre_fork": _choose_cpu if self.pin_workers else _no_cpu,
            "post_fork": _after_fork,
        }


def _choose_cpu(arbiter: Any, worker: Any) -> None:
    """In the master, before a worker is forked: the CPU it will keep to, one that the fewest
    live workers keep to (a replaced worker's, when one dies); None when the workers are
    fewer than the CPUs this server may use.

    Why: a worker hands work to its database threads and back (PostgreSQL's round trips, a
    write that waits for SQLite's lock). When the thread woke on another CPU, each hand-over
    cost about as much CPU as the write itself (a wake-up across CPUs; in a virtual machine,
    an interrupt between virtual CPUs); on one CPU it costs next to nothing
    (docs/benchmarks.md). A worker uses one CPU at a time anyway (the GIL), and the kernel
    still spreads connections among the workers (an idle worker accepts first).

    Only when the workers fill the CPUs: then the server owns them (a machine or a cpuset
    sized for it). A container that sees a whole shared host's CPUs, under a quota, leaves
    its workers free, or every such server would crowd onto the host's first CPUs."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2 or arbiter.num_workers < len(allowed):
        worker.puente_cpu = None
        return
    kept = Counter(getattr(other, "puente_cpu", None) for other in arbiter.WORKERS.values())
    worker.puente_cpu = min(allowed, key=lambda cpu: (kept[cpu], cpu))


def _no_cpu(_arbiter: Any, worker: Any) -> None:
    worker.puente_cpu = None


def _after_fork(_arbiter: Any, worker: Any) -> None:
    """A worker's first acts: keep to its CPU, and forget database connections the master
    might have pooled.

    The master opens none while building the app (a test holds that), so this is a guard:
    two processes must never share one connection's socket. `close=False` leaves the
    master's connections to the master."""
    cpu = getattr(worker, "puente_cpu", None)  # chosen by the master's pre_fork
    if cpu is not None:
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError as error:  # a container that forbids it: serve anyway, unpinned
            log.warning("worker not kept to CPU %s: %s", cpu, error.strerror)
    app = worker.app.callable  # the preloaded app (worker.wsgi is set later, from it)
    state = getattr(getattr(app, "state", None), "puente", None)
    if state is not None:
        state.db.engine.dispose(close=False)


def load_app(spec: str) -> Callable[..., Any]:
    module_name, _, factory = spec.partition(":")
    module = importlib.import_module(module_name)
    app: Callable[..., Any] = getattr(module, factory)()
    return app


class Server(BaseApplication):
    """gunicorn configured from `Options` alone: no command line, no config file, no
    GUNICORN_CMD_ARGS (what the server does is all in this module)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.settings().items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        app = load_app(self.options.app)
        # What uvicorn imports when a worker starts, imported here: shared, like the app.
        for module in WORKER_IMPORTS:
            importlib.import_module(module)
        return app


def serve(options: Options) -> None:
    """Run until SIGTERM or SIGINT (graceful: requests in flight finish), or SIGQUIT (now)."""
    Server(options).run()
