"""Instructions per request kind, counted by valgrind (callgrind): a figure that a busy machine
does not move, for comparing two versions of the hot path.

    python -m bench.instructions --questionnaires 6
    python -m bench.instructions --questionnaires 6 --baseline /work/main

CPU time on a shared two-core machine varies by a factor of two or three with the neighbours'
load; the number of instructions the app executes for the same requests does not (within about
a percent: session ids are random). The app runs in this process as bench.profile drives it
(ASGI, no sockets, SQLite, the thread pool's work inline, rate limits replaced by a no-op), and
callgrind counts only the requests: instrumentation starts after a warm-up, and the counters are
zeroed before each request and dumped after it, one dump per request, named by its kind.

Needs valgrind and a C compiler (Debian: `valgrind`, `gcc`): the counters are controlled through
callgrind's client requests, which a three-line C library compiled at run time issues. Slow:
about a minute per questionnaire on a busy machine. Nothing of uvicorn is counted (see
bench.cpu for the whole server).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

CONTROL_C = """
#include <valgrind/callgrind.h>
void puente_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void puente_zero(void) { CALLGRIND_ZERO_STATS; }
void puente_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""
KINDS = ("start page", "safety page", "start", "question page", "answer", "result")
_TOTALS = re.compile(r"^(?:summary|totals): (\d+)", re.M)
_TRIGGER = re.compile(r"^desc: Trigger: Client Request: (.+)$", re.M)


def compile_control(folder: Path) -> Path:
    source, library = folder / "control.c", folder / "control.so"
    source.write_text(CONTROL_C)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


class Counter:
    """Stands in for bench.profile's Meter: zero before a request, dump after it."""

    def __init__(self, library: Path) -> None:
        self.lib = ctypes.CDLL(str(library))
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)  # bench.profile's report shape

    async def measure(self, kind: str, request):  # type: ignore[no-untyped-def]
        self.lib.puente_zero()
        try:
            return await request
        finally:
            self.lib.puente_dump(kind.replace(" ", "_").encode())
            self.cpu_ms[kind].append(0.0)


def inside(count: int, seed: int, library: Path) -> None:
    """Runs under valgrind: warm up uncounted, then count each request."""
    import anyio.to_thread

    from bench import profile
    from bench.asgi import Client
    from bench.unlimited import without_rate_limits

    async def inline(function, *args, **_options):  # type: ignore[no-untyped-def]
        return function(*args)

    anyio.to_thread.run_sync = inline  # one thread: the counts do not depend on scheduling
    from app.main import app_from_env

    app = without_rate_limits(app_from_env())
    counter = Counter(library)

    async def drive() -> None:
        async with app.router.lifespan_context(app):
            rng = random.Random(seed)
            warm = profile.Meter(None, None)
            for index in range(2):
                await profile.questionnaire(Client(app, f"2001:db8:ff:{index:x}::1"), warm, rng)
            counter.lib.puente_start()
            rng = random.Random(seed)
            for index in range(count):
                address = f"2001:db8:{index:x}::1"  # a /64 each
                await profile.questionnaire(Client(app, address), counter, rng)  # type: ignore[arg-type]

    asyncio.run(drive())


def run(root: Path, count: int, seed: int, folder: Path, tag: str) -> dict[str, list[int]]:
    """Start this module under valgrind in the checkout `root`; instructions per request."""
    from bench.server import TEST_SECRET, default_content_dir, migrated_sqlite

    library = compile_control(folder)
    out = folder / tag
    out.mkdir()
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "DATABASE_URL": migrated_sqlite(folder, f"{tag}.db"),
        "CONTENT_DIR": str(default_content_dir()),
        "SECRET_KEY": TEST_SECRET,
        "PURGE_INTERVAL_HOURS": "0",
    }
    # The app of `root` (imported first, from the current directory), the bench of this checkout.
    script = (
        "import sys; sys.path.insert(0, ''); import app.main; "
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r}); "
        "from pathlib import Path; from bench.instructions import inside; "
        f"inside({count}, {seed}, Path({str(library)!r}))"
    )
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}/cg.out",
            sys.executable,
            "-c",
            script,
        ],
        cwd=root,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    counts: dict[str, list[int]] = defaultdict(list)
    for dump in out.iterdir():
        text = dump.read_text(errors="replace")
        trigger, total = _TRIGGER.search(text), _TOTALS.search(text)
        if trigger and total:
            counts[trigger.group(1).strip().replace("_", " ")].append(int(total.group(1)))
    return counts


def table(results: list[tuple[str, dict[str, list[int]]]]) -> str:
    head = "| request | " + " | ".join(f"{label} (M instr.)" for label, _ in results)
    ratios = [f"{label} / {results[0][0]}" for label, _ in results[1:]]
    lines = [
        head + "".join(f" | {r}" for r in ratios) + " |",
        "|---|" + "--:|" * (len(results) + len(ratios)),
    ]

    def row(name: str, values: list[float]) -> str:
        cells = " | ".join(f"{v / 1e6:.2f}" for v in values)
        return f"| {name} | {cells}" + "".join(f" | {v / values[0]:.2f}" for v in values[1:]) + " |"

    for kind in KINDS:
        means = [sum(c[kind]) / max(1, len(c[kind])) for _, c in results]
        lines.append(row(f"{kind} (mean of {len(results[0][1][kind])})", means))
    per_answer = [sum(sum(v) for v in c.values()) / max(1, len(c["answer"])) for _, c in results]
    lines.append(row("**all requests per answer**", per_answer))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions")
    parser.add_argument("--questionnaires", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="also count the app of this checkout")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    here = Path(__file__).resolve().parent.parent
    roots = [("baseline", args.baseline.resolve())] if args.baseline else []
    roots.append(("this", here))
    with tempfile.TemporaryDirectory(prefix="puente-instructions-") as directory:
        results = [
            (label, run(root, args.questionnaires, args.seed, Path(directory), label))
            for label, root in roots
        ]
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
