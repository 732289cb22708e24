"""Result-page weights on every scenario path (tests/scenarios), in every shipped language.

The persona walks of `bench.weights` see three result pages; the scenarios reach every kind of
result (held, family, asylum, trafficking, ...), and some are much heavier. Each scenario's
answers are posted as the no-JavaScript form does (the questions themselves are measured by the
persona walks), then the result page is fetched and weighed with its stylesheets.

    python -m bench.scenario_weights          # the heaviest results, in-process
    python -m bench.scenario_weights 40 --coming   # with the coming languages switched on
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


@dataclass(frozen=True)
class ResultWeight:
    scenario: str
    lang: str
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


def result_page(client: Any, lang: str) -> str:
    """The finished questionnaire's result page in `lang` (the findings do not depend on the
    language the questions were answered in, so one questionnaire serves every language)."""
    result = client.get(f"/q/result?lang={lang}", follow_redirects=False)
    assert result.status_code == 200, result.status_code
    return str(result.text)


def result_weights(
    client_for: Any, langs: Iterable[str], scenarios: Iterable[tuple[str, list[tuple[str, Any]]]]
) -> Iterator[ResultWeight]:
    """`client_for(index)` gives a fresh client (one person, one cookie jar) per scenario."""
    css: dict[str, int] = {}
    for index, (name, answers) in enumerate(scenarios):
        with client_for(index) as client:
            finish(client, answers)
            for lang in langs:
                html = result_page(client, lang)
                hrefs = set(STYLESHEET.findall(html))
                missing = hrefs - css.keys()
                if missing:
                    css.update(asset_sizes(client, missing))
                raw = html.encode()
                yield ResultWeight(
                    name, lang, len(raw), gzip_size(raw), sum(css[href] for href in hrefs)
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

    args = [arg for arg in argv if arg != "--coming"]
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

        def client_for(index: int) -> TestClient:
            return TestClient(
                app, base_url="http://testserver", client=(f"2001:db8:{index:x}::1", 1)
            )

        weights = sorted(
            result_weights(client_for, tuple(i18n.LANGUAGES), scenarios),
            key=lambda w: w.total,
            reverse=True,
        )
        app.state.puente.db.dispose()
    print("| scenario | language | HTML raw | HTML gzip | + CSS gzip | total gzip |")
    print("|---|---|--:|--:|--:|--:|")
    for w in weights[:top]:
        print(
            f"| {w.scenario} | {w.lang} | {w.html_raw:,} | {w.html_gzip:,} | {w.css_gzip:,} "
            f"| {w.total:,} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
