"""Page weights: what a respondent downloads, page by page, gzip-compressed.

`walk` goes through the questionnaire with any httpx-style client (a TestClient in the budget
tests, a real connection from `python -m bench.weights`), keeping every full page a person
without JavaScript sees and every htmx fragment a person with JavaScript receives.
Sizes are gzip level 6, the usual server default (engineering.md quotes -9, which is smaller).

    python -m bench.weights            # prints the table for docs/benchmarks.md
"""

from __future__ import annotations

import gzip
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.i18n import LANGUAGES
from bench.respondent import Plan, answer_form, csrf_token, current_question

GZIP_LEVEL = 6
PAGE_BUDGET = 14 * 1024  # HTML + CSS of one respondent page
JS_BUDGET = 20 * 1024  # all JavaScript
FRAGMENT_BUDGET = 3 * 1024  # one htmx answer fragment
MAX_STEPS = 80
HTMX = {"HX-Request": "true", "HX-Current-URL": "/q"}

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script[^>]* src="([^"]+)"')


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


@dataclass
class Page:
    name: str
    path: str
    status: int
    html: bytes

    @property
    def text(self) -> str:
        return self.html.decode()


@dataclass
class Fragment:
    question: str
    body: bytes


@dataclass
class Walk:
    lang: str
    pages: list[Page] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)


def _keep(walk: Walk, name: str, response: Any) -> Page:
    page = Page(name, str(response.url.path), response.status_code, response.content)
    walk.pages.append(page)
    return page


def walk(client: Any, lang: str, plan: Plan, extra_paths: dict[str, str] | None = None) -> Walk:
    """Start, see every question as a full page, answer it by htmx, then the result pages."""
    result = Walk(lang)
    start = _keep(result, "start", client.get(f"/?lang={lang}", follow_redirects=True))
    safety = _keep(result, "safety", client.get("/q/start", follow_redirects=False))
    token = csrf_token(safety.text) or csrf_token(start.text)
    client.post("/q/start", data={"csrf": token}, follow_redirects=False)
    shown_error = False
    csrf = ""
    for _ in range(MAX_STEPS):
        page = client.get("/q", follow_redirects=False)
        if page.status_code != 200:
            break
        question = current_question(page.text)
        assert question, f"no question at /q: {page.text[:300]}"
        _keep(result, f"question: {question.kind}", page)
        csrf = csrf_token(page.text) or ""
        if not shown_error and question.kind != "info":
            empty = {"csrf": csrf, "question": question.id}
            _keep(result, "error", client.post("/q", data=empty, follow_redirects=False))
            shown_error = True
        answer = client.post(
            "/q", data=answer_form(question, plan, csrf), headers=HTMX, follow_redirects=False
        )
        assert answer.status_code == 200, f"answer to {question.id}: {answer.status_code}"
        if answer.headers.get("HX-Redirect"):
            break
        result.fragments.append(Fragment(question.id, answer.content))
    result_page = _keep(result, "result", client.get("/q/result", follow_redirects=False))
    csrf = csrf_token(result_page.text) or csrf  # bound to the session, like every form
    _keep(result, "resume code", client.post("/q/code", data={"csrf": csrf}))
    for name, path in (extra_paths or {}).items():
        _keep(result, name, client.get(f"{path}?lang={lang}", follow_redirects=True))
    return result


def linked(pages: list[Page], pattern: re.Pattern[str]) -> set[str]:
    return {href for page in pages for href in pattern.findall(page.text)}


def asset_sizes(client: Any, paths: set[str]) -> dict[str, int]:
    sizes = {}
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        sizes[path] = gzip_size(response.content)
    return sizes


@dataclass(frozen=True)
class PageWeight:
    name: str
    path: str
    status: int
    html_raw: int
    html_gzip: int
    css_gzip: int

    @property
    def total(self) -> int:
        return self.html_gzip + self.css_gzip


def page_weights(client: Any, walked: Walk) -> Iterator[PageWeight]:
    css = asset_sizes(client, linked(walked.pages, STYLESHEET))
    for page in walked.pages:
        own_css = sum(css[href] for href in set(STYLESHEET.findall(page.text)))
        yield PageWeight(
            page.name, page.path, page.status, len(page.html), gzip_size(page.html), own_css
        )


def _table(client: Any, walks: list[Walk]) -> str:
    lines = [
        "| language | page | HTML raw | HTML gzip | + CSS gzip | total gzip |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for walked in walks:
        heaviest: dict[str, PageWeight] = {}
        for weight in page_weights(client, walked):
            if weight.name not in heaviest or weight.total > heaviest[weight.name].total:
                heaviest[weight.name] = weight
        for weight in heaviest.values():
            lines.append(
                f"| {walked.lang} | {weight.name} | {weight.html_raw:,} | {weight.html_gzip:,} "
                f"| {weight.css_gzip:,} | {weight.total:,} |"
            )
    scripts = asset_sizes(client, linked([p for w in walks for p in w.pages], SCRIPT))
    fragments = [f for w in walks for f in w.fragments]
    biggest = max(fragments, key=lambda f: len(f.body))
    lines += [
        "",
        f"JavaScript, all of it: {sum(scripts.values()):,} B gzip "
        f"({', '.join(f'{k} {v:,}' for k, v in scripts.items())}).",
        f"Largest htmx answer fragment: {len(biggest.body):,} B raw, "
        f"{gzip_size(biggest.body):,} B gzip (after `{biggest.question}`).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the page-weight table, measured over a real connection to a fresh server."""
    import tempfile
    from pathlib import Path

    import httpx

    from bench.server import migrated_sqlite, start_server

    del argv
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        server = start_server(migrated_sqlite(folder), folder / "server.log")
        try:
            walks = []
            for lang in LANGUAGES:
                with httpx.Client(base_url=server.base_url) as client:
                    walks.append(walk(client, lang, {"who": "self"}))
            with httpx.Client(base_url=server.base_url) as client:
                print(_table(client, walks))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
