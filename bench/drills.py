"""Fault drills (security.md T4.3, T4.5, T4.6 and a PostgreSQL restart), loopback only, bounded.

Each drill is a function with its size as arguments: tests/drills runs short versions in CI,
and `python -m bench.drills all --full` runs the full ones.

* kill -9 under load (T4.6): every answer that got a success response is in the database after
  a restart, `PRAGMA integrity_check` says ok, and every resume code shown still works.
* SIGTERM mid-request (T4.5): the request in flight completes with 200, new connections are
  refused, and the server exits 0 within the graceful timeout.
* 20 writers x 100 answers on SQLite (T4.3): no `database is locked`.
* PostgreSQL restarted under load: 503 while it is down, success after, nothing acknowledged lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.http import Client
from bench.personas import PLANS
from bench.respondent import csrf_token
from bench.server import LOOPBACK, Server, migrated_sqlite, start_server
from bench.simulate import Observer, Persona, Stats, respondent_loop, run_async, start_session

QUICK_PAUSE = (0.02, 0.1)


# -- what the respondents were told ------------------------------------------------------------


@dataclass
class Acknowledged(Observer):
    """Every answer acknowledged with a success response, and every resume code shown."""

    answers: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, session_id: str, question: str, form: dict[str, Any]) -> None:
        with self.lock:
            self.answers.setdefault(session_id, []).append((question, form.get("value")))

    def code_issued(self, code: str, session_id: str, question: str | None) -> None:
        with self.lock:
            self.codes[code] = session_id

    @property
    def count(self) -> int:
        return sum(len(answers) for answers in self.answers.values())


def stored_answers(database_url: str) -> dict[str, list[list[Any]]]:
    """Each session's stored answers, read straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, answers FROM respondent_session"))
            import json

            return {
                row[0]: row[1] if isinstance(row[1], list) else json.loads(row[1]) for row in rows
            }
    finally:
        engine.dispose()


def ids_now(told: Acknowledged, database_url: str) -> dict[str, str]:
    """Each session a code was shown for, by the id it had then, to the id it has now:
    resuming gives a session a new id (F11), so its code, not its old id, finds it."""
    from sqlalchemy import create_engine, text

    from app.respondents.resume_codes import code_hash

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = "SELECT resume_hash, id FROM respondent_session WHERE resume_hash IS NOT NULL"
            by_hash = {row[0]: row[1] for row in connection.execute(text(query))}
    finally:
        engine.dispose()
    return {
        session_id: by_hash[code_hash(code)]
        for code, session_id in told.codes.items()
        if code_hash(code) in by_hash
    }


def lost_answers(told: Acknowledged, database_url: str) -> list[str]:
    """Acknowledged answers missing from the database (question ids must be a prefix)."""
    stored = stored_answers(database_url)
    moved = ids_now(told, database_url)
    lost = []
    for session_id, answers in told.answers.items():
        kept = [answer[0] for answer in stored.get(moved.get(session_id, session_id), [])]
        wanted = [question for question, _ in answers]
        if kept[: len(wanted)] != wanted:
            lost.append(f"{session_id[:8]}: acknowledged {wanted}, stored {kept}")
    return lost


async def codes_that_fail(server: Server, codes: dict[str, str]) -> list[str]:
    failing = []
    for index, code in enumerate(codes):
        address = f"198.51.100.{index % 254 + 1}"
        client = Client(LOOPBACK, server.port, default_headers={"X-Forwarded-For": address})
        try:
            form = await client.get("/resume")
            resumed = await client.post(
                "/resume", {"csrf": csrf_token(form.text) or "", "code": code}
            )
            # It opens the session under a new id (F11): the old one opens nothing now.
            now = client.cookies.get("sid")
            if resumed.status != 303 or not now or now == codes[code]:
                failing.append(f"{code}: HTTP {resumed.status}")
        finally:
            await client.close()
    return failing


def integrity(database_path: Path) -> str:
    with sqlite3.connect(database_path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def personas(pause: tuple[float, float]) -> list[Persona]:
    return [Persona(lang, plan, pause) for lang in ("en", "es", "ar") for plan in PLANS.values()]


async def _load_until(
    server: Server,
    users: int,
    stop_at: float,
    stats: Stats,
    told: Acknowledged,
    pause: tuple[float, float] = QUICK_PAUSE,
) -> None:
    tasks = [
        asyncio.create_task(
            respondent_loop(
                LOOPBACK,
                server.port,
                personas(pause),
                stats,
                seed=index,
                deadline=stop_at,
                observer=told,
                retry_stale=False,
            )
        )
        for index in range(users)
    ]
    await asyncio.gather(*tasks)


# -- T4.6: kill -9 under load --------------------------------------------------------------------


@dataclass
class KillReport:
    acknowledged: int
    codes: int
    integrity: str
    lost: list[str]
    failing_codes: list[str]
    errors_before_kill: Counter[str]


def kill_drill(
    folder: Path, users: int = 50, load_seconds: float = 8.0, workers: int = 2
) -> KillReport:
    database_url = migrated_sqlite(folder, "kill.db")
    log = folder / "kill.log"
    server = start_server(database_url, log, workers=workers)
    stats, told = Stats(), Acknowledged()

    async def kill_when_loaded() -> None:
        """kill -9 after `load_seconds`, once some people have finished and got a code (on a
        busy machine that takes longer; at most 60 s more)."""
        started = time.monotonic()
        while time.monotonic() - started < load_seconds + 60:
            loaded = time.monotonic() - started >= load_seconds
            if loaded and len(told.codes) >= 3:
                break
            await asyncio.sleep(0.2)
        os.killpg(server.pid(), signal.SIGKILL)

    async def load_then_kill() -> None:
        load = asyncio.create_task(
            _load_until(server, users, time.monotonic() + load_seconds + 63, stats, told)
        )
        await kill_when_loaded()
        await asyncio.sleep(2)  # the respondents meet the dead server, then stop
        load.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await load

    try:
        run_async(load_then_kill())
        server.process.wait(timeout=10)
    finally:
        server.stop(signal.SIGKILL)  # whatever happened, nothing of it is left running
    restarted = start_server(database_url, log, workers=1)
    try:
        failing = run_async(codes_that_fail(restarted, told.codes))
    finally:
        restarted.stop()
    return KillReport(
        told.count,
        len(told.codes),
        integrity(folder / "kill.db"),
        lost_answers(told, database_url),
        failing,
        stats.errors,
    )


# -- T4.5: SIGTERM mid-request --------------------------------------------------------------------


@dataclass
class SigtermReport:
    in_flight_status: int | None
    refused_new_connection: bool
    exit_code: int
    exit_seconds: float
    shut_down_cleanly: bool  # each uvicorn worker logged the end of its shutdown, no traceback

    @property
    def exited_cleanly(self) -> bool:
        # gunicorn's master exits 0 once its workers have stopped (uvicorn as its own
        # supervisor re-raised the SIGTERM: -15, or 143 in a shell); anything else is a crash
        # or a kill.
        return self.shut_down_cleanly and self.exit_code in (0, -signal.SIGTERM)


def sigterm_drill(folder: Path, hold_seconds: float = 2.0, workers: int = 2) -> SigtermReport:
    """Make one answer wait on a SQLite write lock held by the drill, SIGTERM the server while
    it waits, then release the lock: the answer must still complete."""
    database_path = folder / "sigterm.db"
    database_url = migrated_sqlite(folder, "sigterm.db")
    server = start_server(database_url, folder / "sigterm.log", workers=workers)

    async def drill() -> SigtermReport:
        client = Client(LOOPBACK, server.port, retry_stale=False)
        await start_session(client)
        page = await client.get("/q")
        csrf = csrf_token(page.text) or ""
        blocker = sqlite3.connect(database_path, isolation_level=None, timeout=10)
        blocker.execute("BEGIN IMMEDIATE")  # the answer's BEGIN IMMEDIATE now waits
        form = {"csrf": csrf, "question": "who", "value": "self"}
        in_flight = asyncio.create_task(client.post("/q", form, {"HX-Request": "true"}))
        await asyncio.sleep(0.5)
        os.kill(server.pid(), signal.SIGTERM)
        signalled = time.monotonic()
        await asyncio.sleep(1.0)  # every worker has had time to stop listening
        refused = await _refuses_connections(server.port)
        await asyncio.sleep(max(0.0, hold_seconds - 1.5))
        blocker.execute("ROLLBACK")
        blocker.close()
        status = None
        try:
            status = (await in_flight).status
        except (OSError, asyncio.IncompleteReadError):
            status = None
        await client.close()
        code = await asyncio.to_thread(server.process.wait, 25)
        log = server.log()
        clean = "Finished server process" in log and "Traceback" not in log
        return SigtermReport(status, refused, code, round(time.monotonic() - signalled, 1), clean)

    try:
        return run_async(drill())
    finally:
        server.stop(signal.SIGKILL)


async def _refuses_connections(port: int) -> bool:
    """True when a new connection is refused or closed without an answer."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(LOOPBACK, port), 2)
    except (TimeoutError, OSError):
        return True
    try:
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {LOOPBACK}\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.read(64), 2)
        return not head.startswith(b"HTTP/1.1 200")
    except (TimeoutError, OSError):
        return True
    finally:
        writer.close()


# -- T4.3: concurrent writers on SQLite ----------------------------------------------------------


@dataclass
class WritersReport:
    writes: int
    errors: Counter[str]
    seconds: float
    handed_over: int = 0  # writes tried without waiting that found the lock held


def writers_drill(
    folder: Path,
    writers: int = 20,
    answers_each: int = 100,
    immediate: bool = True,
    take_turns: bool = True,
    without_waiting: bool = False,
) -> WritersReport:
    """`writers` threads, each answering `answers_each` times through SessionStore, the same
    write path the web answers take. Without the per-process turn lock (`take_turns=False`)
    only BEGIN IMMEDIATE and busy_timeout keep writers apart, as between worker processes.
    With `immediate=False` (and no turns) the write transactions start deferred, which is what
    makes SQLite report `database is locked`. With `without_waiting`, each answer is first
    tried as the event loop tries it (`AppState.write`): without waiting, and made again the
    usual way when the lock is held; every answer must then be written exactly once."""
    from sqlalchemy.exc import OperationalError

    from app.config import Settings
    from app.db import Database, WouldWait, make_engine
    from app.flow.content import load_content
    from app.flow.engine import Engine
    from app.respondents.sessions import SessionStore
    from bench.respondent import Question, answer_form
    from bench.server import default_content_dir

    database_url = migrated_sqlite(folder, f"writers-{immediate}.db")
    engine = make_engine(Settings(database_url=database_url))
    database = Database(engine)
    if not take_turns:
        database._write_turn = None  # as on PostgreSQL: no turn to take
    if not immediate:
        database._write_engine = engine  # deferred BEGIN: the known-bad configuration
    flow = Engine(load_content(default_content_dir()))
    store = SessionStore(database, flow)
    errors: Counter[str] = Counter()
    writes = Counter[str]()
    errors_of = Counter[int]()
    barrier = threading.Barrier(writers)

    def writer(index: int) -> None:
        rng = random.Random(index)
        plan = list(PLANS.values())[index % len(PLANS)]
        barrier.wait()
        row = store.create("en")
        attempts = 0
        while writes[f"ok-{index}"] + errors_of[index] < answers_each and attempts < 10_000:
            attempts += 1
            position = store.position(store.get(row.id))  # type: ignore[arg-type]
            if position.finished:
                row = store.create("en")
                continue
            node = position.node
            question = Question(
                node.id,
                "info" if node.type == "info" else str(node.input),
                node.option_values,
                node.unknown is not None,
            )
            form = answer_form(question, plan, "")
            raw: Any = form.get("value")
            if "unknown" in form:
                raw = node.unknown
            elif node.input == "multiple" and isinstance(raw, str):
                raw = [raw]
            elif isinstance(raw, list) and node.input != "multiple":
                raw = raw[0]
            try:
                if without_waiting:
                    try:
                        database.without_waiting(store.answer, row.id, node.id, raw)
                    except WouldWait:
                        writes["handed over"] += 1
                        store.answer(row.id, node.id, raw)
                else:
                    store.answer(row.id, node.id, raw)
                writes[f"ok-{index}"] += 1
            except OperationalError as error:
                errors[str(error.orig).split("\n")[0]] += 1
                errors_of[index] += 1
            time.sleep(rng.uniform(0, 0.002))

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    database.dispose()
    handed_over = writes.pop("handed over", 0)
    seconds = round(time.monotonic() - started, 2)
    return WritersReport(sum(writes.values()), errors, seconds, handed_over)


# -- PostgreSQL restarted under load -------------------------------------------------------------


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a free loopback port, so the drill can stop and start
    it without touching the machine's own server. As root, it runs as the postgres user."""

    def __init__(self) -> None:
        # Its own folder under /tmp: a test's tmp_path sits in root-only folders the postgres
        # user cannot enter.
        self.folder = Path(tempfile.mkdtemp(prefix="puente-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "pgdata"
        self.port = _free_port()
        self.bin = _postgres_bin()

    def _run(self, *args: str, timeout: float = 60) -> None:
        import subprocess

        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def init(self) -> PrivatePostgres:
        import shutil

        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={LOOPBACK} -c fsync=on"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "pg.log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{LOOPBACK}:{self.port}/postgres"


def _postgres_bin() -> Path:
    import shutil

    found = shutil.which("pg_ctl")
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if found:
        return Path(os.path.realpath(found)).parent
    if candidates:
        return candidates[0]
    raise FileNotFoundError("PostgreSQL server binaries (pg_ctl, initdb) are not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresReport:
    acknowledged: int
    lost: list[str]
    statuses_while_down: Counter[int]
    successes_after_restart: int
    other_errors: Counter[str]


def postgres_restart_drill(
    folder: Path, users: int = 20, before: float = 4.0, down: float = 3.0, after: float = 6.0
) -> PostgresReport:
    from bench.server import prepare_database

    postgres = PrivatePostgres().init()
    postgres.start()
    try:
        prepare_database(postgres.url)
        server = start_server(
            postgres.url,
            folder / "pg-server.log",
            workers=2,
            extra_env={"DB_POOL_TIMEOUT": "2"},
        )
        stats, told = Stats(), Acknowledged()
        probe_statuses: Counter[int] = Counter()
        successes_after = 0

        async def started_client() -> Client:
            client = Client(LOOPBACK, server.port)
            await start_session(client)
            return client

        async def probe_until(client: Client, stop_at: float, statuses: Counter[int] | None) -> int:
            """A respondent reading their question once every 100 ms."""
            ok = 0
            while time.monotonic() < stop_at:
                try:
                    response = await client.get("/q")
                    if statuses is not None:
                        statuses[response.status] += 1
                    ok += response.status == 200
                except (TimeoutError, OSError, asyncio.IncompleteReadError):
                    if statuses is not None:
                        statuses[0] += 1
                await asyncio.sleep(0.1)
            return ok

        async def drill() -> int:
            nonlocal successes_after
            start = time.monotonic()
            load = asyncio.create_task(
                _load_until(server, users, start + before + down + after, stats, told)
            )
            probe = await started_client()
            await asyncio.sleep(before)
            await asyncio.to_thread(postgres.stop, "fast")
            await probe_until(probe, time.monotonic() + down, probe_statuses)
            await asyncio.to_thread(postgres.start)
            await asyncio.sleep(1.0)  # pre-ping replaces the pool's dead connections
            successes_after = await probe_until(probe, time.monotonic() + after - 1.5, None)
            await load
            await probe.close()
            return successes_after

        try:
            run_async(drill())
        finally:
            server.stop()
        errors = Counter(
            {kind: count for kind, count in stats.errors.items() if "HTTP 503" not in kind}
        )
        return PostgresReport(
            told.count, lost_answers(told, postgres.url), probe_statuses, successes_after, errors
        )
    finally:
        postgres.stop("immediate")
        postgres.remove()


# -- command line ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drills", description=__doc__)
    parser.add_argument("drill", choices=["kill", "sigterm", "writers", "postgres", "all"])
    parser.add_argument("--full", action="store_true", help="the full sizes, not the CI ones")
    args = parser.parse_args(argv)
    chosen = ["kill", "sigterm", "writers", "postgres"] if args.drill == "all" else [args.drill]
    failed = False
    with tempfile.TemporaryDirectory(prefix="puente-drills-") as directory:
        folder = Path(directory)
        for name in chosen:
            print(f"== {name}", flush=True)
            if name == "kill":
                report: Any = kill_drill(folder, 50, 30.0 if args.full else 8.0)
                ok = report.integrity == "ok" and not report.lost and not report.failing_codes
            elif name == "sigterm":
                report = sigterm_drill(folder)
                ok = report.in_flight_status == 200 and report.exited_cleanly
            elif name == "writers":
                report = writers_drill(folder, 20, 100)
                ok = not report.errors
            else:
                report = postgres_restart_drill(
                    folder,
                    50 if args.full else 20,
                    10 if args.full else 4,
                    10 if args.full else 3,
                    15 if args.full else 6,
                )
                ok = not report.lost and report.successes_after_restart > 0
            print(report, flush=True)
            print("ok" if ok else "FAILED", flush=True)
            failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
