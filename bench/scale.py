"""The scale-out drill: several app instances behind the production proxy, one PostgreSQL, one
Redis, and one instance killed with SIGKILL under load, then started again.

Loopback only, bounded in time. Each instance is a separate server (2 workers) started as
production does (bench/server.py); nginx runs deploy/nginx/puente.conf as shipped, with the
instances as its upstream (bench/edge.py, unprivileged), behind a trusted front: the drill's
respondents each come from a documentation address of their own in X-Forwarded-For, which nginx
takes as the client's address (realip), as a load balancer in front of it would have it set.

It shows:
* answers per second, p50/p99 and errors before the kill, while one instance is down, and
  after it is back;
* nothing acknowledged was lost: every answer that got a success response is in PostgreSQL;
* every resume code shown works on every instance;
* rate limits are shared through Redis: one client spread over all instances gets one budget;
* a directory edit made through one instance shows on the others at once.

    python -m bench.scale                     # 200 respondents, 30 s + 20 s down + 30 s
    python -m bench.scale --users 40 --before 8 --down 6 --after 8   # the CI size

Needs nginx, PostgreSQL at 127.0.0.1:5432 (user postgres; the drill creates and empties its own
database, `scale` by default) and Redis at 127.0.0.1:6379 (it empties its own db number, 13).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import edge
from bench.drills import Acknowledged, lost_answers
from bench.http import Client
from bench.personas import PLANS
from bench.respondent import csrf_token
from bench.server import LOOPBACK, TEST_SECRET, Server, prepare_database, start_server
from bench.simulate import Failed, Persona, Stats, one_questionnaire, run_async

PG_SERVER = "postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379"
# The drill's nginx trusts the address its own front (the drill) puts in X-Forwarded-For.
TRUSTED_FRONT = "set_real_ip_from 127.0.0.1;\nreal_ip_header X-Forwarded-For;"
# Small pools: 3 instances x 2 workers x (4 + 2) = 36 connections at most, on a server that
# other databases share.
POOL = {"DB_POOL_SIZE": "4", "DB_MAX_OVERFLOW": "2", "DB_POOL_TIMEOUT": "5"}
WATCHED_SERVICE = "Immigration court defense and crim-imm advice (sample)"  # Cook County, IL
STAFF_PASSWORD = "scale-drill staff password, loopback only"


def missing_services(database: str = "scale") -> list[str]:
    """What the drill needs and this machine lacks (empty when it can run)."""
    missing = []
    if not edge.nginx_path():
        missing.append("nginx")
    try:
        import psycopg

        psycopg.connect(f"postgresql://{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception as error:  # any failure to connect means the same: no PostgreSQL
        missing.append(f"PostgreSQL at {PG_SERVER} ({type(error).__name__})")
    try:
        import redis

        redis.Redis.from_url(REDIS_SERVER, socket_timeout=3).ping()
    except Exception as error:
        missing.append(f"Redis at {REDIS_SERVER} ({type(error).__name__})")
    return missing


def fresh_database(name: str) -> str:
    """The drill's own database, created if need be, emptied, migrated and seeded."""
    import psycopg

    with psycopg.connect(f"postgresql://{PG_SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(f"postgresql://{PG_SERVER}/{name}", autocommit=True) as own:
        own.execute("DROP SCHEMA public CASCADE")
        own.execute("CREATE SCHEMA public")
    return prepare_database(f"postgresql+psycopg://{PG_SERVER}/{name}")


def fresh_redis(db: int) -> str:
    import redis

    url = f"{REDIS_SERVER}/{db}"
    redis.Redis.from_url(url).flushdb()
    return url


# -- load, with the time of every answer and error ---------------------------------------------


@dataclass
class Timeline(Stats):
    answers_at: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds)
    errors_at: list[tuple[float, str]] = field(default_factory=list)

    def record(self, kind: str, response: object) -> None:
        super().record(kind, response)  # type: ignore[arg-type]
        if kind == "answer":
            self.answers_at.append((time.monotonic(), response.seconds))  # type: ignore[attr-defined]

    def failed(self, kind: str) -> None:
        self.errors[kind] += 1
        self.errors_at.append((time.monotonic(), kind))


async def respondent(
    port: int,
    personas: list[Persona],
    timeline: Timeline,
    told: Acknowledged,
    seed: int,
    end: float,
) -> None:
    """One simulated person after another, through the proxy, until `end`."""
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, 2))  # arrive over two seconds, not all at once
    while time.monotonic() < end:
        try:
            await one_questionnaire(
                LOOPBACK, port, rng.choice(personas), timeline, rng, end, told, retry_stale=False
            )
        except Failed as failure:
            timeline.failed(failure.kind)
            await asyncio.sleep(0.5)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            timeline.failed(type(error).__name__)
            await asyncio.sleep(0.5)


def drill_personas(pause: tuple[float, float], all_resume: bool = False) -> list[Persona]:
    """Every persona in every language. One in ten also asks for a resume code and resumes
    (the resume limit is 60 an hour per client network); all of them in a short run."""
    plain = [
        Persona(lang, plan, pause, resume=all_resume)
        for lang in ("en", "es", "ar")
        for plan in PLANS.values()
    ]
    return [*plain, Persona("es", PLANS["affected"], pause, resume=True)]


@dataclass
class Phase:
    name: str
    seconds: float
    answers: int
    answers_per_second: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]


def phase(name: str, timeline: Timeline, start: float, end: float) -> Phase:
    latencies = sorted(s for when, s in timeline.answers_at if start <= when < end)
    errors = Counter(kind for when, kind in timeline.errors_at if start <= when < end)
    seconds = max(end - start, 1e-9)

    def percentile(share: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return Phase(
        name,
        round(seconds, 1),
        len(latencies),
        round(len(latencies) / seconds, 1),
        round(statistics.median(latencies) * 1000, 1) if latencies else float("nan"),
        round(percentile(0.99), 1),
        dict(errors),
    )


# -- CPU: the app's processes and the database's backends ---------------------------------------


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process (its threads included), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += _descendants(int(child))
    return found


def app_cpu(servers: list[Server]) -> float:
    """CPU seconds of every instance: supervisors and workers."""
    return sum(_cpu_seconds(p) for s in servers for p in _descendants(s.pid()))


def database_cpu(database: str) -> float:
    """CPU seconds of the PostgreSQL backends serving the drill's database (a pooled backend
    lives through a phase, so the difference of two readings is that phase's database work)."""
    import psycopg

    with psycopg.connect(f"postgresql://{PG_SERVER}/postgres", autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchall()
    return sum(_cpu_seconds(int(row[0])) for row in rows)


@dataclass
class CpuPerAnswer:
    answers: int
    app_ms: float  # every request of the questionnaires, all instances, per answer
    database_ms: float


def _replaced_workers(log: Path, workers: int) -> int:
    """Workers a supervisor found dead or not answering its heartbeat, and replaced (on an
    overloaded machine a busy worker can miss it and be restarted with its requests): the
    workers gunicorn booted beyond `workers` for each time it started."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("Booting worker with pid") - workers * text.count("Starting gunicorn")


# -- the checks --------------------------------------------------------------------------------


def resume_address(attempt: int) -> str:
    """A documentation address in a /64 of its own for each resume attempt: the resume limit
    (60 an hour) counts an IPv6 client by its /64, and this check is not about limits."""
    return f"2001:db8:5ca1:{attempt:x}::1"


async def codes_on_every_instance(ports: list[int], codes: dict[str, str]) -> list[str]:
    """Each code, resumed on each instance straight (not through the proxy), opens its session."""
    failing = []
    for index, (code, session_id) in enumerate(codes.items()):
        for number, port in enumerate(ports):
            address = resume_address(index * len(ports) + number)
            client = Client(LOOPBACK, port, default_headers={"X-Forwarded-For": address})
            try:
                form = await client.get("/resume")
                resumed = await client.post(
                    "/resume", {"csrf": csrf_token(form.text) or "", "code": code}
                )
                now = client.cookies.get("sid")  # a new id each time it is resumed (F11)
                if resumed.status != 303 or not now or now == session_id:
                    failing.append(f"{code} on instance {number + 1}: HTTP {resumed.status}")
            finally:
                await client.close()
    return failing


@dataclass
class SharedLimit:
    budget: int  # starts one client may make in the start window (LIMITS["start"])
    tried: int
    allowed: int  # answered anything but 429
    allowed_by_instance: list[int]


async def shared_limit(ports: list[int]) -> SharedLimit:
    """One client spends the per-client start limit three times over, spread evenly across the
    instances: shared counters let through one budget in all, not one per instance. The posts go
    to the JSON API, whose limits are spent before the body is read (a form's are spent only
    after its CSRF token is accepted); the body is not JSON, so each is refused 422 and no
    session is made."""
    from app.web.ratelimit import LIMITS

    budget = LIMITS["start"][0].count
    address = f"2001:db8:5ca1:1::{random.getrandbits(16):x}"
    allowed = [0] * len(ports)
    tried = 0
    for round_ in range(budget):
        for number, port in enumerate(ports):
            client = Client(LOOPBACK, port, default_headers={"X-Forwarded-For": address})
            try:
                response = await client.post("/api/v1/sessions", {"locale": "en"})
            finally:
                await client.close()
            tried += 1
            allowed[number] += response.status != 429
        del round_
    return SharedLimit(budget, tried, sum(allowed), allowed)


@dataclass
class DirectoryEdit:
    service_id: str
    shown_before: list[bool]  # on each instance, before the edit
    edited_on: int  # instance number (1-based)
    edit_status: int
    shown_after: list[bool]  # on each instance, straight after


async def _shown(port: int, address: str) -> bool:
    """Whether /help for a Chicago ZIP lists the watched service on this instance."""
    client = Client(LOOPBACK, port, default_headers={"X-Forwarded-For": address})
    try:
        form = await client.get("/help")
        found = await client.post(
            "/help", {"csrf": csrf_token(form.text) or "", "zip": "60601", "language": "en"}
        )
        if found.status != 200:
            raise RuntimeError(f"/help answered {found.status}")
        return WATCHED_SERVICE in found.text
    finally:
        await client.close()


def _make_staff(database_url: str) -> tuple[str, str, str]:
    """An admin for the edit, made as `puente create-admin` does (its name and TOTP secret),
    and the id of the service to edit."""
    from sqlmodel import select

    from app.config import Settings
    from app.db import Database, make_engine
    from app.referrals.models import Service
    from app.staff.auth import create_user
    from app.staff.sealed import SecretBox

    database = Database(make_engine(Settings(database_url=database_url)))
    box = SecretBox(TEST_SECRET)
    try:
        name = f"drill{random.getrandbits(24):x}"
        user = create_user(database, box, name, STAFF_PASSWORD)
        with database.read() as session:
            service = session.exec(select(Service).where(Service.name == WATCHED_SERVICE)).one()
        return name, box.open(user.totp_secret), str(service.id)
    finally:
        database.dispose()


async def edit_directory(ports: list[int], database_url: str, through: int) -> DirectoryEdit:
    """Deactivate a service through the staff pages of one instance, then ask every instance."""
    import pyotp

    name, secret, service_id = await asyncio.to_thread(_make_staff, database_url)
    before = [await _shown(port, f"2001:db8:5ca1:2::{n}") for n, port in enumerate(ports)]
    staff = Client(
        LOOPBACK, ports[through], default_headers={"X-Forwarded-For": "2001:db8:5ca1::5"}
    )
    try:
        login = await staff.get("/staff/login?next=directory")
        await staff.post(
            "/staff/login",
            {"csrf": csrf_token(login.text) or "", "username": name,
             "password": STAFF_PASSWORD, "next": "directory"},
        )  # fmt: skip
        code_page = await staff.get("/staff/login/code?next=directory")
        signed = await staff.post(
            "/staff/login/code",
            {"csrf": csrf_token(code_page.text) or "", "code": pyotp.TOTP(secret).now(),
             "next": "directory"},
        )  # fmt: skip
        if signed.status != 303:
            raise RuntimeError(f"staff sign-in answered {signed.status}")
        page = await staff.get(f"/staff/directory/{service_id}")
        edited = await staff.post(
            f"/staff/directory/{service_id}/deactivate", {"csrf": csrf_token(page.text) or ""}
        )
    finally:
        await staff.close()
    after = [await _shown(port, f"2001:db8:5ca1:3::{n}") for n, port in enumerate(ports)]
    return DirectoryEdit(service_id, before, through + 1, edited.status, after)


# -- the drill ---------------------------------------------------------------------------------


@dataclass
class ScaleReport:
    users: int
    instances: int
    workers: int
    phases: list[Phase]
    acknowledged: int
    lost: list[str]
    codes_checked: int
    failing_codes: list[str]
    limit: SharedLimit
    directory: DirectoryEdit
    restart_seconds: float
    cpu: CpuPerAnswer  # measured in the phase before the kill
    worker_replacements: int  # workers the supervisors replaced (dead or not answering)


def run_drill(
    folder: Path,
    users: int = 200,
    before: float = 30.0,
    down: float = 20.0,
    after: float = 30.0,
    instances: int = 3,
    workers: int = 2,
    database: str = "scale",
    redis_db: int = 13,
    pause: tuple[float, float] = (1.0, 3.0),
    codes_cap: int = 40,
    all_resume: bool = False,
) -> ScaleReport:
    database_url = fresh_database(database)
    env = {"REDIS_URL": fresh_redis(redis_db), **POOL}
    servers: list[Server] = []
    proxy = None
    try:
        for number in range(instances):
            log = folder / f"instance-{number + 1}.log"
            servers.append(start_server(database_url, log, workers=workers, extra_env=env))
        ports = [server.port for server in servers]
        proxy = edge.start_edge(folder, ports, extra_http=TRUSTED_FRONT)
        timeline, told = Timeline(), Acknowledged()
        victim = servers[0]
        marks: dict[str, float] = {}
        used: dict[str, float] = {}

        people = drill_personas(pause, all_resume)

        async def drive() -> None:
            marks["start"] = time.monotonic()
            cpu: dict[str, float] = {}
            end = marks["start"] + before + down + after + 60  # the restart may take a while
            load = [
                asyncio.create_task(respondent(proxy.port, people, timeline, told, seed, end))
                for seed in range(users)
            ]
            await asyncio.sleep(2)  # the first arrivals, not counted (phase "before" starts here)
            cpu["app"] = app_cpu(servers)
            cpu["db"] = await asyncio.to_thread(database_cpu, database)
            await asyncio.sleep(before - 2)
            used["app"] = app_cpu(servers) - cpu["app"]
            used["db"] = await asyncio.to_thread(database_cpu, database) - cpu["db"]
            os.killpg(victim.pid(), signal.SIGKILL)
            marks["killed"] = time.monotonic()
            await asyncio.sleep(down)
            marks["restarting"] = time.monotonic()
            restarted = await asyncio.to_thread(
                start_server,
                database_url,
                victim.log_path,
                workers=workers,
                extra_env=env,
                port=victim.port,
            )
            servers[0] = restarted
            marks["back"] = time.monotonic()
            await asyncio.sleep(after)
            marks["end"] = time.monotonic()
            for task in load:
                task.cancel()
            await asyncio.gather(*load, return_exceptions=True)

        run_async(drive())
        victim.process.wait(timeout=10)
        phases = [
            phase("before (3 instances)", timeline, marks["start"] + 2, marks["killed"]),
            phase("one killed (2 instances)", timeline, marks["killed"], marks["restarting"]),
            phase("restarting", timeline, marks["restarting"], marks["back"]),
            phase("after (3 instances)", timeline, marks["back"], marks["end"]),
        ]
        counted = phases[0].answers
        cpu_per_answer = CpuPerAnswer(
            counted,
            round(used["app"] * 1000 / max(counted, 1), 2),
            round(used["db"] * 1000 / max(counted, 1), 2),
        )
        sample = dict(list(told.codes.items())[:codes_cap])
        failing = run_async(codes_on_every_instance(ports, sample))
        limit = run_async(shared_limit(ports))
        directory = run_async(edit_directory(ports, database_url, through=1))
        return ScaleReport(
            users,
            instances,
            workers,
            phases,
            told.count,
            lost_answers(told, database_url),
            len(sample),
            failing,
            limit,
            directory,
            round(marks["back"] - marks["restarting"], 1),
            cpu_per_answer,
            sum(
                _replaced_workers(folder / f"instance-{n + 1}.log", workers)
                for n in range(instances)
            ),
        )
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop(signal.SIGKILL)


def table(report: ScaleReport) -> str:
    lines = [
        "| phase | seconds | answers | answers/s | p50 ms | p99 ms | errors |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for row in report.phases:
        errors = ", ".join(f"{kind} x{count}" for kind, count in row.errors.items()) or "0"
        lines.append(
            f"| {row.name} | {row.seconds} | {row.answers} | {row.answers_per_second} | "
            f"{row.p50_ms} | {row.p99_ms} | {errors} |"
        )
    limit, edit = report.limit, report.directory
    lines += [
        "",
        f"* {report.users} respondents, {report.instances} instances x {report.workers} workers; "
        f"the killed instance answered again {report.restart_seconds} s after its restart began; "
        f"workers replaced by their supervisors (not counting the kill): "
        f"{report.worker_replacements}.",
        f"* CPU per answer before the kill (every request counted, {report.cpu.answers} answers):"
        f" app {report.cpu.app_ms} ms, PostgreSQL backends {report.cpu.database_ms} ms",
        f"* acknowledged answers: {report.acknowledged}; missing from PostgreSQL: "
        f"{len(report.lost)}",
        f"* resume codes: {report.codes_checked} tried on each of {report.instances} instances; "
        f"failing: {len(report.failing_codes)}",
        f"* one client, {limit.tried} starts spread over the instances: {limit.allowed} let "
        f"through (budget {limit.budget}; by instance {limit.allowed_by_instance})",
        f"* directory edit through instance {edit.edited_on} (HTTP {edit.edit_status}): the "
        f"service shown before {edit.shown_before}, straight after {edit.shown_after}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--before", type=float, default=30.0)
    parser.add_argument("--down", type=float, default=20.0)
    parser.add_argument("--after", type=float, default=30.0)
    parser.add_argument("--database", default="scale")
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()
    missing = missing_services(args.database)
    if missing:
        raise SystemExit("cannot run: " + "; ".join(missing))
    with tempfile.TemporaryDirectory() as directory:
        report = run_drill(
            Path(directory),
            users=args.users,
            before=args.before,
            down=args.down,
            after=args.after,
            database=args.database,
            redis_db=args.redis_db,
        )
        print(table(report))


if __name__ == "__main__":
    main()
