"""Server CPU per request kind, through the server as production runs it, in one run.

    python -m bench.cpu --questionnaires 40                        # SQLite and PostgreSQL
    python -m bench.cpu --db sqlite --baseline /work/main          # before and after, one run
    python -m bench.cpu --baseline /tmp/old --baseline /tmp/newer  # several checkouts, one run
    python -m bench.cpu --no-rate-limits                           # without the limiter
    python -m bench.cpu --also-redis redis://127.0.0.1:6379/14     # and limits in Redis

Each server has one worker (`--workers 1`, the production flags of bench.server, so uvicorn
with httptools and uvloop, forked by gunicorn's master) on a fresh database, and keeps to one
CPU, the machine's last, as each of production's workers keeps to its own when they fill the
CPUs (app/web/serving.py); the load generator and PostgreSQL use any CPU.
`--also-unpinned` adds this checkout's server free to use every CPU; `--also-redis URL` adds it
with its rate limits counted in Redis, as several instances share them (production). One simulated
respondent at a time goes through a whole questionnaire (start page, safety page, start, first
question page, every answer as htmx sends it, result) and, around every request, the bench
reads the worker process's own CPU clock (user + system time of all its threads, in
nanoseconds: `clock_gettime` on the clock of another process). So each figure is what the
server spent on that request, whatever the load generator or the rest of the machine did
meanwhile.

The servers are driven in turn, one questionnaire each, so that a noisy machine slows them
alike; compare the servers of one run with each other (the ratio columns), not figures of
different runs. `--baseline DIR` adds servers started from another checkout (e.g. main), for a
before/after comparison in the same run; it runs on that checkout's own `.venv` when it has
one (the packages it pinned then). The database's schema comes from this checkout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.http import Client, Response
from bench.personas import PLANS
from bench.respondent import answer_form, csrf_token, current_question
from bench.server import LOOPBACK, Server, migrated_sqlite, start_server
from bench.simulate import HTMX, MAX_STEPS, synthetic_address

KINDS = ("start page", "safety page", "start", "question page", "answer", "result")
# Measured for reference, not counted per answer: the stylesheet, as a browser fetches it on a
# first visit. It passes the same HTTP server, edge layer and router as a page but does no
# work of the app's, so it shows how much of a request is the serving itself.
FLOOR = "static file (not counted)"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
LANGS = ("en", "es", "ar")
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "puente_cpu_bench"
UNLIMITED = Path(__file__).with_name("unlimited.py")


def process_cpu_clock(pid: int) -> int:
    """The id of `pid`'s CPU-time clock (Linux: clock_getcpuclockid(3) for a process, which
    the time module does not offer: CPUCLOCK_SCHED of MAKE_PROCESS_CPUCLOCK)."""
    return ((~pid) << 3) | 2


@dataclass
class Target:
    """One server under measurement, and what it spent per request kind."""

    label: str
    server: Server
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    idle_ms_per_s: float = 0.0

    def __post_init__(self) -> None:
        # The worker's clock (its supervisor only watches it; one worker per server here).
        self.clock = process_cpu_clock(self.server.worker_pids()[0])

    def cpu_now(self) -> float:
        return time.clock_gettime(self.clock)

    async def measure(self, kind: str, request: asyncio.Future[Response] | object) -> Response:
        started = self.cpu_now()
        response = await request  # type: ignore[misc]
        self.cpu_ms[kind].append((self.cpu_now() - started) * 1000)
        return response  # type: ignore[no-any-return]

    def per_answer(self) -> float:
        answers = len(self.cpu_ms["answer"])
        return sum(sum(self.cpu_ms[kind]) for kind in KINDS) / max(answers, 1)


def _expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise RuntimeError(f"{what}: HTTP {response.status}")
    return response


async def questionnaire(target: Target, rng: random.Random) -> None:
    plan = PLANS[rng.choice(sorted(PLANS))]
    lang = rng.choice(LANGS)
    address = {"X-Forwarded-For": synthetic_address(rng)}
    client = Client(LOOPBACK, target.server.port, default_headers=address)
    measure = target.measure
    try:
        home = _expect(await measure("start page", client.get(f"/?lang={lang}")), 200, "start page")
        stylesheet = STYLESHEET.search(home.text)
        if stylesheet is None:
            raise RuntimeError("no stylesheet link on the start page")
        _expect(await measure(FLOOR, client.get(stylesheet.group(1))), 200, "stylesheet")
        safety = _expect(await measure("safety page", client.get("/q/start")), 200, "safety")
        started = client.post("/q/start", {"csrf": csrf_token(safety.text) or ""})
        _expect(await measure("start", started), 303, "start")
        page = _expect(await measure("question page", client.get("/q")), 200, "question page")
        csrf = csrf_token(page.text) or ""
        question = current_question(page.text)
        for _ in range(MAX_STEPS):
            if question is None:
                raise RuntimeError("no question in the page or fragment")
            form = answer_form(question, plan, csrf)
            answered = await measure("answer", client.post("/q", form, HTMX))
            _expect(answered, 200, f"answer {question.id}")
            if answered.header("hx-redirect"):
                break
            question = current_question(answered.text)
        _expect(await measure("result", client.get("/q/result")), 200, "result")
    finally:
        await client.close()


async def drive(targets: list[Target], count: int, seed: int) -> None:
    # The same people, in the same order, for every server: respondent i of each server
    # follows the same plan in the same language.
    for index in range(count):
        order = targets[index % len(targets) :] + targets[: index % len(targets)]
        for target in order:
            await questionnaire(target, random.Random(seed * 100_003 + index))


async def idle_cost(targets: list[Target], seconds: float = 2.0) -> None:
    """What each server spends doing nothing (timers, background threads), per second."""
    before = [target.cpu_now() for target in targets]
    await asyncio.sleep(seconds)
    for target, start in zip(targets, before, strict=True):
        target.idle_ms_per_s = (target.cpu_now() - start) * 1000 / seconds


def fresh_postgres(admin_url: str, name: str) -> str:
    import psycopg

    from bench.server import prepare_database

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return prepare_database(f"{base}/{name}")


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_target(
    label: str,
    database_url: str,
    folder: Path,
    root: Path | None,
    unlimited: bool,
    pinned: bool = True,
    redis_url: str | None = None,
) -> Target:
    factory, extra = "app.main:app_from_env", {}
    if unlimited:
        # A module of its own on the path, so a server of another checkout finds it too.
        link = folder / "puente_bench_unlimited.py"
        if not link.exists():
            link.symlink_to(UNLIMITED)
        factory = "puente_bench_unlimited:app_without_rate_limits"
        extra = {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
        }
    if redis_url:
        extra["REDIS_URL"] = redis_url
    log = folder / f"{label.replace(' ', '-')}.log"
    server = start_server(
        database_url,
        log,
        workers=1,
        extra_env=extra,
        cwd=root,
        factory=factory,
        cpus={max(os.sched_getaffinity(0))} if pinned else None,
    )
    return Target(label, server)


def table(targets: list[Target]) -> str:
    reference = targets[0]
    head = "| request | count | " + " | ".join(f"{t.label} ms" for t in targets)
    ratios = [f"{t.label} / {reference.label}" for t in targets[1:]]
    lines = [
        head + "".join(f" | {ratio}" for ratio in ratios) + " |",
        "|---|--:|" + "--:|" * (len(targets) + len(ratios)),
    ]

    def row(name: str, count: str, values: list[float]) -> str:
        cells = " | ".join(f"{value:.2f}" for value in values)
        quotients = "".join(f" | {value / values[0]:.2f}" for value in values[1:])
        return f"| {name} | {count} | {cells}{quotients} |"

    for kind in (*KINDS, FLOOR):
        counts = {len(t.cpu_ms[kind]) for t in targets}
        means = [statistics.fmean(t.cpu_ms[kind]) for t in targets]
        lines.append(row(kind + " (mean)", "/".join(map(str, sorted(counts))), means))
    medians = [statistics.median(t.cpu_ms["answer"]) for t in targets]
    lines.append(row("answer (median)", "", medians))
    lines.append(row("**all requests per answer**", "", [t.per_answer() for t in targets]))
    lines.append(row("idle, per second", "", [t.idle_ms_per_s for t in targets]))
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu", description=__doc__.split("\n")[0])
    parser.add_argument("--questionnaires", type=int, default=40, help="per server")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        default=[],
        help="also run the app of this checkout (repeatable; labelled by its folder's name)",
    )
    parser.add_argument("--no-rate-limits", action="store_true", help="a limiter that never limits")
    parser.add_argument(
        "--also-unpinned",
        action="store_true",
        help="also run this checkout's server free to use every CPU",
    )
    parser.add_argument(
        "--also-redis",
        metavar="URL",
        help="also run this checkout's server with its rate limits in this Redis database",
    )
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=3, help="questionnaires not counted")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    # (label, checkout, kept to one CPU, Redis for the limits)
    trees: list[tuple[str, Path | None, bool, str | None]] = [
        *((f"{root.resolve().name} ", root.resolve(), True, None) for root in args.baseline),
        *([("unpinned ", None, False, None)] if args.also_unpinned else []),
        *([("redis ", None, True, args.also_redis)] if args.also_redis else []),
        ("", None, True, None),
    ]
    targets: list[Target] = []
    created: list[str] = []  # PostgreSQL databases made for this run, dropped at its end
    command = "python -m bench.cpu " + " ".join(sys.argv[1:] if argv is None else argv)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="puente-cpu-") as directory:
        folder = Path(directory)
        try:
            for tree, root, pinned, redis_url in trees:
                for database in databases:
                    name = f"{tree}{database}".replace(" ", "-")
                    if database == "sqlite":
                        url = migrated_sqlite(folder, f"{name}.db")
                    else:
                        # This run's own names: another run on the shared machine drops its own.
                        own = f"{PG_DATABASE}_{os.getpid()}_{len(targets)}"
                        url = fresh_postgres(args.pg_admin_url, own)
                        created.append(url)
                    label = f"{tree}{database}"
                    targets.append(
                        start_target(
                            label, url, folder, root, args.no_rate_limits, pinned, redis_url
                        )
                    )
            warm = [Target(t.label, t.server) for t in targets]
            asyncio.run(drive(warm, args.warmup, args.seed + 1))
            asyncio.run(drive(targets, args.questionnaires, args.seed))
            asyncio.run(idle_cost(targets))
        finally:
            for target in targets:
                target.server.stop()
            for url in created:
                drop_postgres(args.pg_admin_url, url.rsplit("/", 1)[1])
    limiter = "rate limiter replaced by a no-op" if args.no_rate_limits else "rate limits on"
    print(f"Measured {started} UTC with `{command}` ({limiter}; load average {load()}).\n")
    print(table(targets))
    return 0


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
