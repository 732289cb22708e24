"""What one worker's memory holds: its peak after full questionnaires, and where it goes.

    python -m bench.memory                        # worker peaks, the 2-worker stack, breakdown
    python -m bench.memory --baseline /work/main  # the same for another checkout, one run
    python -m bench.memory --rounds 3             # more questionnaires before reading the peaks

`served` starts the server as production does (bench.server: gunicorn's master builds the app,
then forks its uvicorn workers), drives every persona through a whole questionnaire in each
shipped language (result page and resume included), and samples every process's
/proc/<pid>/smaps_rollup ten times a second meanwhile, keeping each one's peaks:

* RSS, the pages a process has in memory, whoever else shares them (`VmHWM`, the kernel's own
  peak, so nothing between samples is missed). A forked worker's RSS counts the master's pages
  it reads: the same memory appears in every worker's RSS and the master's.
* USS, its private pages (Private_Clean + Private_Dirty): what the machine would get back if
  the worker stopped, so what one more worker costs. The budget applies to this figure.
* PSS, its private pages plus its share of each shared page (a page shared by three processes
  counts a third in each): the processes' PSS add up to the memory the whole server uses.

With one worker every questionnaire goes through it (the worst for its own memory); with two,
the sum of the master's and workers' PSS peaks is the stack's total. `breakdown` imports and
builds the app in a fresh interpreter, stage by stage, and reads its resident memory after
each, with the import of each top-level package measured on its own (the rest of what a
package's import pulls in is counted under the package that asked first).

tests/budgets/test_worker.py holds the worker's USS peak to DESIGN.md's budget with `served`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.personas import PLANS
from bench.server import ROOT, Server, migrated_sqlite, server_env, start_server
from bench.simulate import Persona, Stats, one_questionnaire, run_async

LANGS = ("en", "es", "ar")
SAMPLE_SECONDS = 0.1


def status_mb(pid: int | str = "self") -> dict[str, float]:
    """VmHWM (peak), VmRSS and its anonymous and file-backed parts, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(match.group(1)) / 1024
        for key in ("VmHWM", "VmRSS", "RssAnon", "RssFile")
        if (match := re.search(rf"{key}:\s+(\d+) kB", status))
    }


def rollup_mb(pid: int | str = "self") -> dict[str, float]:
    """RSS, PSS and USS (private pages) now, in MB, from /proc/<pid>/smaps_rollup."""
    fields = {
        name: int(kb) / 1024
        for name, kb in re.findall(
            r"^(\w+):\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M
        )
    }
    return {
        "RSS": fields["Rss"],
        "PSS": fields["Pss"],
        "USS": fields["Private_Clean"] + fields["Private_Dirty"],
    }


@dataclass
class Peaks:
    """Each process's peaks over a run, sampled; and the peak of the processes' PSS sum."""

    supervisor: int
    by_pid: dict[int, dict[str, float]] = field(default_factory=dict)
    total_pss: float = 0.0

    def sample(self, pids: list[int]) -> None:
        total = 0.0
        for pid in pids:
            try:
                now = rollup_mb(pid)
                now["VmHWM"] = status_mb(pid)["VmHWM"]
            except (OSError, KeyError):
                continue  # a process that just ended
            peaks = self.by_pid.setdefault(pid, {})
            for key, value in now.items():
                peaks[key] = max(peaks.get(key, 0.0), value)
            total += now["PSS"]
        self.total_pss = max(self.total_pss, total)

    def workers(self) -> list[dict[str, float]]:
        return [peaks for pid, peaks in self.by_pid.items() if pid != self.supervisor] or list(
            self.by_pid.values()  # a checkout served by one uvicorn process: it is the worker
        )

    def master(self) -> dict[str, float]:
        none = {"RSS": 0.0, "PSS": 0.0, "USS": 0.0, "VmHWM": 0.0}
        return self.by_pid.get(self.supervisor, none) if len(self.by_pid) > 1 else none


class Sampler:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.peaks = Peaks(server.pid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Peaks:
        self.peaks.sample(self._pids())
        self._thread.start()
        return self.peaks

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peaks.sample(self._pids())

    def _pids(self) -> list[int]:
        return sorted({self.server.pid(), *self.server.worker_pids()})

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peaks.sample(self._pids())


def questionnaires(port: int, rounds: int) -> Stats:
    """`rounds` x (3 personas x 3 languages) whole questionnaires, one after another."""
    stats = Stats()
    rng = random.Random(7)
    deadline = time.monotonic() + 600
    for _ in range(rounds):
        for lang in LANGS:
            for plan in PLANS.values():
                persona = Persona(lang=lang, plan=plan, pause=(0, 0))
                run_async(one_questionnaire("127.0.0.1", port, persona, stats, rng, deadline))
    if stats.errors or stats.completed != rounds * len(LANGS) * len(PLANS):
        raise RuntimeError(f"questionnaires failed: {dict(stats.errors)}")
    return stats


@dataclass
class Served:
    workers: int
    questionnaires: int
    answers: int
    started: list[dict[str, float]]  # each worker just started: before any request
    peaks: Peaks

    def worker(self, key: str) -> float:
        """The largest of the workers' peaks of `key` (RSS, PSS, USS or VmHWM)."""
        return max(peaks[key] for peaks in self.peaks.workers())


def served(
    database_url: str, log_path: Path, rounds: int = 1, workers: int = 1, root: Path | None = None
) -> Served:
    """Start a server of `workers` workers, run the questionnaires, sample every process."""
    server = start_server(database_url, log_path, workers=workers, cwd=root)
    try:
        time.sleep(1.0)  # every worker has booted (the health check reached one of them)
        started = [rollup_mb(pid) for pid in server.worker_pids()]
        with Sampler(server) as peaks:
            stats = questionnaires(server.port, rounds)
        return Served(workers, stats.completed, stats.answers, started, peaks)
    finally:
        server.stop()


BREAKDOWN = r"""
import json, re, sys
from pathlib import Path

def rss():
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024

stages = [("interpreter", rss())]
own = {}
import importlib.abc

class Meter(importlib.abc.MetaPathFinder):
    # Wraps each top-level import and keeps what it alone added (nested imports of other
    # top-level packages are subtracted and counted under their own name).
    depth = []

    def find_spec(self, name, path, target=None):
        if "." in name and not name.startswith("app."):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module
        key = name
        def exec_module(module, run=run, key=key):
            Meter.depth.append([rss(), 0.0])
            try:
                run(module)
            finally:
                start, nested = Meter.depth.pop()
                total = rss() - start
                own[key] = own.get(key, 0.0) + total - nested
                if Meter.depth:
                    Meter.depth[-1][1] += total
        try:
            loader.exec_module = exec_module
        except (AttributeError, TypeError):
            pass
        return spec

sys.meta_path.insert(0, Meter())
import asyncio, uvicorn, uvicorn.loops.uvloop, uvicorn.protocols.http.httptools_impl
stages.append(("uvicorn, uvloop, httptools", rss()))
import fastapi, sqlalchemy.orm, sqlmodel, jinja2, babel.support, pydantic_settings, yaml
stages.append(("frameworks (FastAPI, SQLAlchemy, SQLModel, Jinja2, Babel, YAML)", rss()))
import app.main
stages.append(("the app's modules and routes", rss()))
from app.main import app_from_env
app_from_env()
stages.append(("start-up (what the master builds before the fork), gc.freeze", rss()))
print(json.dumps({"stages": stages, "own": own}))
"""


def breakdown(database_url: str) -> dict[str, object]:
    env = server_env(database_url)
    done = subprocess.run(
        [sys.executable, "-c", BREAKDOWN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def served_table(
    database_url: str, folder: Path, rounds: int, roots: dict[str, Path | None]
) -> str:
    """One row per measure, one column per checkout: 1 worker, then the 2-worker stack."""
    runs = {
        label: (
            served(database_url, folder / f"{label}-1.log", rounds, 1, root),
            served(database_url, folder / f"{label}-2.log", rounds, 2, root),
        )
        for label, root in roots.items()
    }
    head = "| after 9 whole questionnaires (MB) | " + " | ".join(runs) + " |"
    lines = [head, "|---|" + "--:|" * len(runs)]

    def row(name: str, values: list[float]) -> None:
        lines.append(f"| {name} | " + " | ".join(f"{value:.1f}" for value in values) + " |")

    one = [pair[0] for pair in runs.values()]
    two = [pair[1] for pair in runs.values()]
    row("1 worker: just started, USS", [max(s["USS"] for s in r.started) for r in one])
    row("1 worker: **peak USS** (private: what a worker adds)", [r.worker("USS") for r in one])
    row("1 worker: peak PSS", [r.worker("PSS") for r in one])
    row(
        "1 worker: peak RSS (`VmHWM`; counts pages shared with the master)",
        [r.worker("VmHWM") for r in one],
    )
    row("1 worker: master's PSS (its peak)", [r.peaks.master()["PSS"] for r in one])
    row("2 workers: each worker's peak USS, the larger", [r.worker("USS") for r in two])
    row("2 workers: master's peak RSS", [r.peaks.master()["VmHWM"] for r in two])
    row(
        "2 workers: **the stack's total** (peak of the master's and workers' PSS sum)",
        [r.peaks.total_pss for r in two],
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--top", type=int, default=20, help="packages to list in the breakdown")
    parser.add_argument("--baseline", type=Path, help="also measure the app of this checkout")
    parser.add_argument("--no-breakdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = migrated_sqlite(Path(directory))
        if not args.no_breakdown:
            parts = breakdown(url)
            print("stage                                                           RSS MB  added")
            previous = 0.0
            for stage, mb in parts["stages"]:  # type: ignore[attr-defined]
                print(f"{stage:<62} {mb:6.1f} {mb - previous:+6.1f}")
                previous = mb
            print("\nimports, by package (MB each added on its own):")
            own: dict[str, float] = parts["own"]  # type: ignore[assignment]
            for name, mb in sorted(own.items(), key=lambda item: -item[1])[: args.top]:
                print(f"  {name:<40} {mb:5.1f}")
        roots: dict[str, Path | None] = {}
        if args.baseline:
            roots[f"baseline ({args.baseline.name})"] = args.baseline.resolve()
        roots["this checkout"] = None
        print()
        print(served_table(url, Path(directory), args.rounds, roots))


if __name__ == "__main__":
    main()
