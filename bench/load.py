"""The benchmark: the server as in production, many simulated respondents, one table.

Starts the server (gunicorn, 2 uvicorn workers) on a fresh database (SQLite, PostgreSQL, or
both), drives simulated respondents through complete questionnaires over loopback, and reports
answers per second, answer latency percentiles, errors and the server's peak memory (PSS of all
its processes added up). Two scenarios:

* respondents: 100 concurrent people pausing 1-3 s per question (the latency target:
  p99 <= 50 ms, 0 errors);
* throughput: concurrent clients that never pause, once per count of
  `--throughput-users` (20 and 100 by default; the target: >= 500 answers/s).

One run thus gives answers/s and p50/p95/p99 at 20 and at 100 concurrent without pauses and at
100 with 1-3 s pauses, per database.

    make bench                                   # every scenario, SQLite and PostgreSQL
    python -m bench.load --db sqlite --users 100 --duration 60 --write-docs
    python -m bench.load --db sqlite --users 20 --duration 5 --throughput-users 5,10  # quick

The load generator runs on the same machine and shares its cores with the server; the
figures are therefore a lower bound for a server with the machine to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.personas import PLANS
from bench.server import LOOPBACK, Server, migrated_sqlite, prepare_database, start_server
from bench.simulate import Persona, Stats, respondent_loop, run_async

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "puente_bench"
LANGS = ("en", "es", "ar")


@dataclass
class Row:
    database: str
    scenario: str
    users: int
    seconds: float
    answers: int
    answers_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]
    questionnaires: int
    peak_pss_mb: float
    locked: int
    server_cpu_ms_per_answer: float  # all the server's CPU (pages, results too) per answer
    client_cpu_share: float  # of the machine's CPU time, what the load generator used
    load_before: str


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


class MemorySampler:
    """Peak memory of the server: its supervisor and all its workers, PSS added up (forked
    workers share the master's pages; RSS would count those once per process)."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in process_tree(self.pid)))
            self._stop.wait(self.interval)


def process_tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def drive(
    server: Server,
    users: int,
    seconds: float,
    pause: tuple[float, float],
    spawn_rate: float,
    resume: bool,
) -> tuple[Stats, float]:
    personas = [
        Persona(lang, plan, pause, resume=resume) for lang in LANGS for plan in PLANS.values()
    ]
    stats = Stats()
    started = time.monotonic()
    deadline = started + seconds
    tasks = []
    for index in range(users):
        tasks.append(
            asyncio.create_task(
                respondent_loop(
                    LOOPBACK, server.port, personas, stats, seed=index, deadline=deadline
                )
            )
        )
        await asyncio.sleep(1 / spawn_rate)
    await asyncio.gather(*tasks)
    return stats, time.monotonic() - started


def run_scenario(
    database: str,
    database_url: str,
    scenario: str,
    users: int,
    seconds: float,
    pause: tuple[float, float],
    workers: int,
    log_dir: Path,
    warmup: float = 5.0,
    serve_flags: tuple[str, ...] = (),
) -> Row:
    log = log_dir / f"{database}-{scenario}.log"
    server = start_server(database_url, log, workers=workers, serve_flags=serve_flags)
    try:
        # Warm up first (templates compiled, pools filled, caches primed), as a server that
        # has been running is; nothing from the warm-up is counted.
        run_async(drive(server, 10, warmup, (0.0, 0.0), 50, resume=True))
        load_before = load_average()
        pids = process_tree(server.pid())
        server_cpu = cpu_seconds(pids)
        client_cpu = time.process_time()
        with MemorySampler(server.pid()) as memory:
            spawn_rate = max(20.0, users / 5)
            stats, elapsed = run_async(
                drive(server, users, seconds, pause, spawn_rate, resume=pause[1] > 0)
            )
        server_cpu = cpu_seconds(pids) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        server.stop()
    log = server.log()
    answers = stats.latencies.get("answer", [])
    return Row(
        database=database,
        scenario=scenario,
        users=users,
        seconds=round(elapsed, 1),
        answers=len(answers),
        answers_per_second=round(len(answers) / elapsed, 1),
        p50_ms=round(1000 * statistics.median(answers), 1) if answers else float("nan"),
        p95_ms=round(1000 * percentile(answers, 0.95), 1),
        p99_ms=round(1000 * percentile(answers, 0.99), 1),
        max_ms=round(1000 * max(answers), 1) if answers else float("nan"),
        errors=sum(stats.errors.values()),
        error_kinds=dict(stats.errors),
        questionnaires=stats.completed,
        peak_pss_mb=round(memory.peak_kb / 1024, 1),
        locked=log.count("database is locked"),
        server_cpu_ms_per_answer=round(1000 * server_cpu / max(1, len(answers)), 2),
        client_cpu_share=round(client_cpu / max(0.001, elapsed * (os.cpu_count() or 1)), 2),
        load_before=load_before,
    )


def fresh_postgres(admin_url: str = PG_ADMIN_URL, name: str = PG_BENCH_DB) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return prepare_database(f"{base}/{name}")


def postgres_version(admin_url: str = PG_ADMIN_URL) -> str:
    try:
        import psycopg

        with psycopg.connect(admin_url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "?"
    except Exception:  # the bench still runs on SQLite without a PostgreSQL server
        return "not available"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kb = 0
    try:
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    import gunicorn
    import uvicorn

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "uvicorn": uvicorn.__version__,
        "gunicorn": gunicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(),
    }


def markdown(rows: list[Row], info: dict[str, str], command: str, started: str) -> str:
    lines = [
        f"Measured {started} UTC with `{command}`.",
        "",
        "Machine: " + "; ".join(f"{key} {value}" for key, value in info.items()) + ".",
        "",
        "| database | scenario | concurrent | answers/s | p50 ms | p95 ms | p99 ms | max ms "
        "| errors | questionnaires | peak PSS (server) | server CPU per answer "
        "| load generator's CPU share | load average before |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        errors = str(row.errors) + (f" {row.error_kinds}" if row.error_kinds else "")
        if row.locked:
            errors += f", {row.locked} 'database is locked'"
        lines.append(
            f"| {row.database} | {row.scenario} | {row.users} | {row.answers_per_second:,.0f} "
            f"| {row.p50_ms} | {row.p95_ms} | {row.p99_ms} | {row.max_ms} | {errors} "
            f"| {row.questionnaires:,} | {row.peak_pss_mb:,.0f} MB "
            f"| {row.server_cpu_ms_per_answer} ms | {100 * row.client_cpu_share:.0f}% "
            f"| {row.load_before} |"
        )
    return "\n".join(lines)


def write_docs(section: str, path: Path = DOCS) -> None:
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{section}\n{END}{tail}")


def user_counts(text: str) -> tuple[int, ...]:
    """`20,100`: one throughput scenario with 20 clients, then one with 100; `0`: none."""
    try:
        counts = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from error
    if any(count < 0 for count in counts):
        raise argparse.ArgumentTypeError(f"a negative count: {text!r}")
    return tuple(count for count in counts if count > 0)


def parse_args(argv: list[str]) -> argparse.Namespace:
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=summary)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=100, help="concurrent respondents")
    parser.add_argument("--duration", type=float, default=60, help="seconds per scenario")
    parser.add_argument("--pause", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--throughput-users",
        type=user_counts,
        default=(20, 100),
        help="clients of the no-pause scenario, one run per count: 20,100 (0 skips it)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-pinning", action="store_true", help="workers free to move between CPUs"
    )
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    parser.add_argument("--write-docs", action="store_true", help=f"update {DOCS.name}")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    command = "python -m bench.load " + shlex.join(sys.argv[1:] if argv is None else argv)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    scenarios = [("respondents", args.users, tuple(args.pause))]
    scenarios += [("throughput", users, (0.0, 0.0)) for users in args.throughput_users]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="puente-bench-") as directory:
        folder = Path(directory)
        for database in databases:
            for name, users, pause in scenarios:
                url = (
                    migrated_sqlite(folder, f"{name}.db")
                    if database == "sqlite"
                    else fresh_postgres(args.pg_admin_url)
                )
                label = f"{name}, {pause[0]:g}-{pause[1]:g} s pauses" if pause[1] else name
                print(f"running {database} / {label} / {users} ...", file=sys.stderr)
                flags = ("--no-pinning",) if args.no_pinning else ()
                row = run_scenario(
                    database,
                    url,
                    label,
                    users,
                    args.duration,
                    pause,
                    args.workers,
                    folder,
                    serve_flags=flags,
                )
                print(json.dumps(asdict(row)), file=sys.stderr)
                rows.append(row)
    section = markdown(rows, machine(), command, started)
    print(section)
    if args.write_docs:
        write_docs(section)
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
