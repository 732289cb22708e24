"""Where a questionnaire's CPU goes: the app in this process, driven through ASGI (no sockets,
no uvicorn, no HTTP client library: bench.asgi), one simulated respondent after another, with
CPU time per request kind.

    python -m bench.profile --questionnaires 30            # the table of CPU per request kind
    python -m bench.profile --questionnaires 30 --cprofile /tmp/p.out --kind result

bench.cpu measures the server as production runs it (uvicorn, sockets); this measures the
application's own share of that, repeatably, so a change to the hot path can be compared
before and after in one run. `--cprofile` keeps a cProfile of the chosen request kind (all
kinds by default) for `python -m pstats`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable
from pathlib import Path

from bench.asgi import Client, Response
from bench.personas import PLANS
from bench.respondent import answer_form, csrf_token, current_question
from bench.server import TEST_SECRET, default_content_dir, migrated_sqlite, prepare_database
from bench.simulate import HTMX, MAX_STEPS, synthetic_address


class Meter:
    """CPU time per request kind (of the whole process: the app's thread pool included,
    so run nothing else in it), and optionally a cProfile of one kind."""

    def __init__(self, profiled_kind: str | None, profiler: cProfile.Profile | None) -> None:
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)
        self.profiled_kind = profiled_kind
        self.profiler = profiler

    async def measure(self, kind: str, request: Awaitable[Response]) -> Response:
        profiling = self.profiler is not None and self.profiled_kind in (None, kind)
        started = time.process_time()
        if profiling:
            self.profiler.enable()
        try:
            return await request
        finally:
            if profiling:
                self.profiler.disable()
            self.cpu_ms[kind].append((time.process_time() - started) * 1000)


async def questionnaire(client: Client, meter: Meter, rng: random.Random) -> None:
    plan = PLANS[rng.choice(sorted(PLANS))]
    lang = rng.choice(("en", "es", "ar"))
    await meter.measure("start page", client.get(f"/?lang={lang}"))
    safety = await meter.measure("safety page", client.get("/q/start"))
    await meter.measure("start", client.post("/q/start", {"csrf": csrf_token(safety.text) or ""}))
    page = await meter.measure("question page", client.get("/q"))
    csrf = csrf_token(page.text) or ""
    question = current_question(page.text)
    for _ in range(MAX_STEPS):
        if question is None:
            raise RuntimeError("no question in the page or fragment")
        answered = await meter.measure(
            "answer", client.post("/q", answer_form(question, plan, csrf), HTMX)
        )
        if answered.status != 200:
            raise RuntimeError(f"answer {question.id}: HTTP {answered.status}")
        if answered.header("hx-redirect"):
            break
        question = current_question(answered.text)
    result = await meter.measure("result", client.get("/q/result"))
    if result.status != 200:
        raise RuntimeError(f"result: HTTP {result.status}")


async def drive(
    count: int, meter: Meter, seed: int, unlimited: bool = False, warm: int = 3
) -> None:
    from app.main import app_from_env
    from bench.unlimited import without_rate_limits

    app = app_from_env()
    if unlimited:
        without_rate_limits(app)
    async with app.router.lifespan_context(app):
        # A first pass warms this app's caches (templates of each language compiled, the
        # directory's copy, the ZIP index) and is not counted.
        rng = random.Random(seed + 1)
        for index in range(warm):
            address = f"2001:db8:ff:{index:x}::1"  # a /64 each, as the limits count IPv6
            await questionnaire(Client(app, address), Meter(None, None), rng)
        rng = random.Random(seed)
        for _ in range(count):
            # Each person from an address of their own, as the per-client rate limits expect.
            address = synthetic_address(rng)
            await questionnaire(Client(app, address), meter, rng)


def report(meter: Meter) -> str:
    lines = [f"{'request':<14} {'count':>6} {'median ms':>10} {'mean ms':>9} {'total ms':>9}"]
    for kind, values in meter.cpu_ms.items():
        lines.append(
            f"{kind:<14} {len(values):>6} {statistics.median(values):>10.2f} "
            f"{statistics.fmean(values):>9.2f} {sum(values):>9.0f}"
        )
    answers = len(meter.cpu_ms["answer"])
    total = sum(sum(values) for values in meter.cpu_ms.values())
    lines.append(f"all requests' CPU per answer: {total / max(answers, 1):.2f} ms")
    return "\n".join(lines)


def run_thread_pool_inline() -> None:
    """cProfile sees one thread only: run the app's thread-pool and database-thread work (database,
    replay) inline, so the profile holds all of a request. Used only with --cprofile."""
    import anyio.to_thread

    async def inline(function, *args, **_options):  # type: ignore[no-untyped-def]
        return function(*args)

    anyio.to_thread.run_sync = inline

    from app.web.db_threads import DatabaseThreads

    async def inline_write(_threads, function, *args, **kwargs):  # type: ignore[no-untyped-def]
        return function(*args, **kwargs)

    DatabaseThreads.__call__ = inline_write  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cprofile", type=Path, help="write a cProfile here")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of a new SQLite one"
    )
    parser.add_argument("--kind", help="profile only this request kind (e.g. answer, result)")
    parser.add_argument("--no-rate-limits", action="store_true", help="a limiter that never limits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ.update(
            DATABASE_URL=prepare_database(args.database_url)
            if args.database_url
            else migrated_sqlite(Path(directory)),
            CONTENT_DIR=str(default_content_dir()),
            SECRET_KEY=TEST_SECRET,
            PURGE_INTERVAL_HOURS="0",
        )
        profiler = None
        if args.cprofile:
            run_thread_pool_inline()
            profiler = cProfile.Profile()
        meter = Meter(args.kind, profiler)
        asyncio.run(drive(args.questionnaires, meter, args.seed, args.no_rate_limits))
        if profiler is not None:
            profiler.dump_stats(args.cprofile)
        print(report(meter))


if __name__ == "__main__":
    main()
