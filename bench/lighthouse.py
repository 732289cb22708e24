"""Lighthouse scores (issue 12, "Done means"): the start page, a question, the result and
find-help (and "Share Puente"), in English and Arabic, on a fresh server on loopback, with the
mobile preset.

Lighthouse is the npm package pinned in package.json (`npm ci` installs it with axe-core); the
browser is Debian's Chromium (CHROME_PATH, /usr/bin/chromium unless set), with the same flags as
the browser tests: anything not on loopback goes to a proxy port where nothing listens, so no
request leaves this machine. Not part of `make test`: a run takes minutes and its Performance
score depends on the machine's load.

    python -m bench.lighthouse            # prints the table for docs/benchmarks.md
    python -m bench.lighthouse --json var/lighthouse   # also keeps each report

A question and the result need a session: the bench answers the questionnaire over HTTP first
(bench/weights.py's walk) and hands Lighthouse that session's cookies as a request header.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.config import ROOT
from bench.chromium import CHROMIUM_ARGS
from bench.respondent import csrf_token
from bench.server import migrated_sqlite, start_server
from bench.weights import walk

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
LANGS = ("en", "ar")
# The browser tests' flags (bench.chromium), with the headless mode Lighthouse's launcher wants.
CHROME_FLAGS = ["--headless=new", *(flag for flag in CHROMIUM_ARGS if flag != "--headless")]
# Audits that score a page and are neither informative nor inapplicable.
SCORED_MODES = {"binary", "numeric", "metricSavings"}


@dataclass(frozen=True)
class Target:
    page: str
    lang: str
    path: str
    cookie: str | None = None  # the session a question or the result belongs to


@dataclass(frozen=True)
class Scores:
    target: Target
    scores: dict[str, float]
    failed: dict[str, list[str]]  # category -> "audit-id (score)" below a perfect score


def _cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def _sessions(base_url: str, lang: str) -> tuple[str, str]:
    """Cookies of a session at its first question, and of one at its result."""
    with httpx.Client(base_url=base_url) as client:
        start = client.get(f"/?lang={lang}", follow_redirects=True)
        safety = client.get("/q/start")
        token = csrf_token(safety.text) or csrf_token(start.text)
        client.post("/q/start", data={"csrf": token})
        assert client.get("/q").status_code == 200, "no first question"
        question = _cookie_header(client)
    with httpx.Client(base_url=base_url) as client:
        walk(client, lang, {"who": "self"})
        assert client.get("/q/result").status_code == 200, "no result"
        result = _cookie_header(client)
    return question, result


def targets(base_url: str) -> Iterator[Target]:
    for lang in LANGS:
        question, result = _sessions(base_url, lang)
        yield Target("start", lang, f"/?lang={lang}")
        yield Target("question", lang, "/q", question)
        yield Target("result", lang, "/q/result", result)
        yield Target("find help", lang, f"/help?lang={lang}")
        yield Target("share", lang, f"/share?lang={lang}")


def run_lighthouse(base_url: str, target: Target, keep: Path | None) -> Scores:
    # Once first, so that the score is a warm server's (templates compiled, modules imported),
    # as production serves nearly every request.
    headers = {"Cookie": target.cookie} if target.cookie else {}
    httpx.get(f"{base_url}{target.path}", headers=headers).raise_for_status()
    command = [
        str(LIGHTHOUSE),
        f"{base_url}{target.path}",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",  # the default preset, said aloud
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--max-wait-for-load=30000",
    ]
    if target.cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': target.cookie})}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in (1, 2, 3):
        # On a busy shared machine a run can fail to start or drive Chrome (a protocol timeout),
        # and now and then Chromium's trace misses the navigation's start (NO_NAVSTART: twice
        # in a row on one page of ten, on a quiet machine): say why, and try again.
        done = subprocess.run(command, env=env, capture_output=True, timeout=300)
        if done.returncode == 0:
            break
        print(
            f"lighthouse failed on {target.page} {target.lang} (attempt {attempt}): "
            f"{done.stderr.decode(errors='replace')[-800:]}",
            file=sys.stderr,
        )
    done.check_returncode()
    report = json.loads(done.stdout)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        name = f"{target.page.replace(' ', '-')}-{target.lang}.json"
        (keep / name).write_bytes(done.stdout)
    return _scores(target, report)


def _scores(target: Target, report: dict[str, Any]) -> Scores:
    audits = report["audits"]
    scores, failed = {}, {}
    for key in CATEGORIES:
        category = report["categories"][key]
        scores[key] = category["score"] or 0.0
        failed[key] = [
            f"{ref['id']} ({audits[ref['id']]['score']})"
            for ref in category["auditRefs"]
            if ref.get("weight", 0) > 0
            and audits[ref["id"]]["scoreDisplayMode"] in SCORED_MODES
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        ]
    return Scores(target, scores, failed)


def table(results: list[Scores]) -> str:
    lines = [
        "| page | language | Performance | Accessibility | Best Practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        cells = [f"{round(result.scores[key] * 100)}" for key in CATEGORIES]
        lines.append(f"| {result.target.page} | {result.target.lang} | {' | '.join(cells)} |")
    below = [
        f"- {r.target.page} ({r.target.lang}), {key}: {', '.join(r.failed[key]) or 'no audit'}"
        for r in results
        for key in CATEGORIES
        if r.scores[key] < TARGET[key] or (r.failed[key] and key != "performance")
    ]
    if below:
        lines += ["", "Audits below a full score:", *below]
    return "\n".join(lines)


def _check_version() -> None:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    if not package.exists():
        sys.exit("lighthouse is missing: run `npm ci` (make setup does)")
    version = json.loads(package.read_text())["version"]
    if version != VERSION:
        sys.exit(f"lighthouse {version} is not the pin {VERSION}: run `npm ci`")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="keep each Lighthouse report in this folder")
    args = parser.parse_args(argv)
    _check_version()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        server = start_server(
            migrated_sqlite(folder), folder / "server.log", content_dir=ROOT / "app" / "content"
        )
        try:
            results = []
            for target in targets(server.base_url):
                result = run_lighthouse(server.base_url, target, args.json)
                print(f"{target.page} {target.lang}: {result.scores}", file=sys.stderr)
                results.append(result)
        finally:
            server.stop()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
