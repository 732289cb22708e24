"""Result-page weights on every scenario path (tests/scenarios), in every shipped language: the
result and each of its section pages (/q/result/<name>).

The persona walks of `bench.weights` see three result pages; the scenarios reach every kind of
result (held, family, asylum, trafficking, ...), and some are much heavier. Each scenario's
answers are posted as the no-JavaScript form does (the questions themselves are measured by the
persona walks), then the result page is fetched and weighed with its stylesheets.

    python -m bench.scenario_weights          # the heaviest results, in-process
    python -m bench.scenario_weights 40 --coming   # with the coming languages switched on
    python -m bench.scenario_weights 13 --by-language   # the heaviest page in each language
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.respondent import csrf_token
from bench.weights import STYLESHEET, asset_sizes, gzip_size

# The court questions (app/flow/places.py) follow the ZIP or state when the directory has
# courts; a scenario that does not name one answers "I don't know", as tests/web does.
COURT_QUESTIONS = ("held_place", "case_court")
CURRENT_QUESTION = re.compile(r'name="question" value="([a-z_]+)"')
# The result's general sections, each a page of its own linked from it (result_view.py).
SECTION_PAGE = re.compile(r'href="(/q/result/(?:family|outreach|rights|documents))"')


@dataclass(frozen=True)
class ResultWeight:
    scenario: str
    lang: str
    path: str  # the result, or one of its section pages
    html_raw: int
    html_gzip: int
    css_gzip: int

    @property
    def total(self) -> int:
        return self.html_gzip + self.css_gzip


def finish(client: Any, answers: Iterable[tuple[str, Any]]) -> None:
    """Answer as the forms do, until the result."""
    safety = client.get("/q/start")
    token = csrf_token(safety.text)
    client.post("/q/start", data={"csrf": token}, follow_redirects=False)
    token = csrf_token(client.get("/q", follow_redirects=False).text)
    reply = None
    for question, value in answers:
        values = value if isinstance(value, list) else [value]
        data = {"csrf": token, "question": question, "value": [str(v) for v in values]}
        reply = client.post("/q", data=data, follow_redirects=False)
        assert reply.status_code == 303, (question, reply.status_code)
    assert reply is not None
    if reply.headers["location"] != "/q/result":
        page = client.get("/q", follow_redirects=False).text
        shown = CURRENT_QUESTION.search(page, page.index('id="current"'))
        assert shown and shown.group(1) in COURT_QUESTIONS, reply.headers["location"]
        data = {"csrf": token, "question": shown.group(1), "value": "dont_know"}
        reply = client.post("/q", data=data, follow_redirects=False)
    assert reply.headers["location"] == "/q/result", reply.headers["location"]


def result_page(client: Any, lang: str, path: str = "/q/result") -> str:
    """The finished questionnaire's result page (or one of its section pages) in `lang` (the
    findings do not depend on the language the questions were answered in, so one
    questionnaire serves every language)."""
    result = client.get(f"{path}?lang={lang}", follow_redirects=False)
    assert result.status_code == 200, (path, result.status_code)
    return str(result.text)


def result_weights(
    client_for: Any, langs: Iterable[str], scenarios: Iterable[tuple[str, list[tuple[str, Any]]]]
) -> Iterator[ResultWeight]:
    """`client_for(scenario, reader)` gives a fresh client from its own address: reader 0
    answers the scenario; each language is read by another (reader 1, 2, ...) holding the same
    session cookie, so that reading the result and its section pages in every language does
    not spend one person's page budget (a person reads one language)."""
    css: dict[str, int] = {}
    for index, (name, answers) in enumerate(scenarios):
        with client_for(index, 0) as client:
            finish(client, answers)
            for number, lang in enumerate(langs, start=1):
                reader = client_for(index, number)
                reader.cookies = client.cookies
                html = result_page(reader, lang)
                pages = {"/q/result": html}
                pages |= {
                    path: result_page(reader, lang, path) for path in SECTION_PAGE.findall(html)
                }
                for path, page in pages.items():
                    hrefs = set(STYLESHEET.findall(page))
                    missing = hrefs - css.keys()
                    if missing:
                        css.update(asset_sizes(reader, missing))
                    raw = page.encode()
                    yield ResultWeight(
                        name, lang, path, len(raw), gzip_size(raw), sum(css[h] for h in hrefs)
                    )


def main(argv: list[str] | None = None) -> int:
    import tempfile
    from pathlib import Path

    from fastapi.testclient import TestClient

    from app import i18n
    from app.config import Settings
    from app.main import create_app
    from bench.server import default_content_dir, migrated_sqlite
    from tests.scenarios.loader import load_scenarios

    flags = {"--coming", "--by-language"}
    args = [arg for arg in argv if arg not in flags]
    if "--coming" in argv:  # as the pages will be once the coming languages ship (a longer list)
        i18n.LANGUAGES.update(i18n.COMING)  # in place: modules imported the dict itself
    top = int(args[0]) if args else 10
    with tempfile.TemporaryDirectory() as directory:
        url = migrated_sqlite(Path(directory))
        app = create_app(
            Settings(
                database_url=url,
                content_dir=default_content_dir(),
                secret_key="bench-secret-key-for-csrf-tokens-only",
                purge_interval_hours=0,
            )
        )
        scenarios = [(s.name, s.answers) for s in load_scenarios()]

        def client_for(index: int, reader: int) -> TestClient:
            address = f"2001:db8:{index:x}:{reader:x}::1"  # a /64 each
            return TestClient(app, base_url="http://testserver", client=(address, 1))

        weights = sorted(
            result_weights(client_for, tuple(i18n.LANGUAGES), scenarios),
            key=lambda w: w.total,
            reverse=True,
        )
        app.state.puente.db.dispose()
    if "--by-language" in argv:  # the heaviest page of each language, heaviest first
        heaviest = {w.lang: w for w in reversed(weights)}  # the last kept is the heaviest
        weights = sorted(heaviest.values(), key=lambda w: w.total, reverse=True)
    print("| scenario | page | language | HTML raw | HTML gzip | + CSS gzip | total gzip |")
    print("|---|---|---|--:|--:|--:|--:|")
    for w in weights[:top]:
        print(
            f"| {w.scenario} | {w.path} | {w.lang} | {w.html_raw:,} | {w.html_gzip:,} "
            f"| {w.css_gzip:,} "
            f"| {w.total:,} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
