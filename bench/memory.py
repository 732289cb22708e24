"""What one worker's memory holds: its peak after full questionnaires, and where it goes.

    python -m bench.memory                 # the peak of a served worker, and the breakdown
    python -m bench.memory --rounds 3      # more questionnaires before reading the peak

`peak` starts uvicorn as production does (one process is one worker), drives every persona
through a whole questionnaire in each shipped language (result page and resume included), then
reads the worker's `VmHWM` (its peak resident memory) from /proc. `breakdown` imports and builds
the app in a fresh interpreter, stage by stage, and reads its resident memory after each, with
the import of each top-level package measured on its own (the rest of what a package's import
pulls in is counted under the package that asked first).

tests/budgets/test_worker.py holds the peak to DESIGN.md's budget with `served_worker_peak`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.personas import PLANS
from bench.server import ROOT, migrated_sqlite, server_env, start_server
from bench.simulate import Persona, Stats, one_questionnaire, run_async

LANGS = ("en", "es", "ar")


def status_mb(pid: int | str = "self") -> dict[str, float]:
    """VmHWM (peak), VmRSS and its anonymous and file-backed parts, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(match.group(1)) / 1024
        for key in ("VmHWM", "VmRSS", "RssAnon", "RssFile")
        if (match := re.search(rf"{key}:\s+(\d+) kB", status))
    }


def served_worker_peak(database_url: str, log_path: Path, rounds: int = 1) -> dict[str, float]:
    """Start one worker, run `rounds` x (3 personas x 3 languages) questionnaires, read its peak."""
    server = start_server(database_url, log_path, workers=1)
    try:
        stats = Stats()
        rng = random.Random(7)
        deadline = time.monotonic() + 600
        for _ in range(rounds):
            for lang in LANGS:
                for plan in PLANS.values():
                    persona = Persona(lang=lang, plan=plan, pause=(0, 0))
                    run_async(
                        one_questionnaire("127.0.0.1", server.port, persona, stats, rng, deadline)
                    )
        if stats.errors or stats.completed != rounds * len(LANGS) * len(PLANS):
            raise RuntimeError(f"questionnaires failed: {dict(stats.errors)}")
        measured = status_mb(server.pid())
        measured["questionnaires"] = stats.completed
        measured["answers"] = stats.answers
        return measured
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
stages.append(("start-up: catalogs, content, templates, ZIP index mapped, gc.freeze", rss()))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--top", type=int, default=20, help="packages to list in the breakdown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = migrated_sqlite(Path(directory))
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
        peak = served_worker_peak(url, Path(directory) / "server.log", args.rounds)
        print(
            f"\nserved worker after {peak['questionnaires']:.0f} questionnaires "
            f"({peak['answers']:.0f} answers): peak {peak['VmHWM']:.1f} MB, now "
            f"{peak['VmRSS']:.1f} MB ({peak['RssAnon']:.1f} anonymous, "
            f"{peak['RssFile']:.1f} file-backed, shared with other workers)"
        )


if __name__ == "__main__":
    main()
