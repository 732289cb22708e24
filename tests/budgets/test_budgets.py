"""Page budgets as tests (DESIGN.md, Budgets; issue 6 (3)).

Every respondent page's HTML plus its CSS is at most 14 KB gzip (one TCP round trip), all the
JavaScript together at most 20 KB gzip, each htmx answer fragment at most 3 KB, and the CSS
loads no web font. Measured in-process (the bytes are the same as on the wire before
compression) in every shipped language along each persona's path, and the result page of
every scenario (tests/scenarios) in every shipped language: the personas see three results, the
scenarios every kind (held, family, asylum, trafficking...), and those are the heaviest pages.
`python -m bench.weights` prints the same figures as a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import i18n
from app.main import create_app
from bench.personas import PLANS
from bench.scenario_weights import result_weights
from bench.server import default_content_dir, migrated_sqlite
from bench.weights import (
    FRAGMENT_BUDGET,
    JS_BUDGET,
    PAGE_BUDGET,
    SCRIPT,
    STYLESHEET,
    Walk,
    asset_sizes,
    gzip_size,
    linked,
    page_weights,
    walk,
)
from tests.conftest import make_settings
from tests.scenarios.loader import load_scenarios

LANGS = tuple(i18n.LANGUAGES)  # every shipped language (issue 14)
# Respondent pages outside the questionnaire.
OTHER_PAGES = {
    "find help": "/help",
    "what we store": "/privacy",
    "resume": "/resume",
    "library": "/learn",
    "an article": "/learn/court-steps",
    "share": "/share",
    "share flyer": "/share/flyer",
}
FONT = re.compile(r"@font-face|\.woff2?\b|\.ttf\b|\.otf\b", re.I)


@pytest.fixture(scope="module")
def walks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[Walk]]]:
    url = migrated_sqlite(tmp_path_factory.mktemp("budgets"))
    app = create_app(make_settings(url, default_content_dir()))
    walked = []
    for index, (lang, plan) in enumerate((lang, plan) for lang in LANGS for plan in PLANS.values()):
        # One person per walk, each from their own address, as the rate limits expect.
        with TestClient(
            app, base_url="http://testserver", client=(f"2001:db8:{index:x}::1", 1)
        ) as one:
            walked.append(walk(one, lang, plan, OTHER_PAGES))
    with TestClient(app, base_url="http://testserver") as client:
        yield client, walked
    app.state.puente.db.dispose()


def test_every_scenario_result_fits_in_14_kb_gzip_in_every_language(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    url = migrated_sqlite(tmp_path_factory.mktemp("scenario-budgets"))
    app = create_app(make_settings(url, default_content_dir()))
    scenarios = [(scenario.name, scenario.answers) for scenario in load_scenarios()]

    def client_for(index: int, reader: int) -> TestClient:
        # One person per walk, each from their own address, as the rate limits expect.
        address = f"2001:db8:{index:x}:{reader:x}::1"
        return TestClient(app, base_url="http://testserver", client=(address, 1))

    try:
        weights = list(result_weights(client_for, tuple(i18n.LANGUAGES), scenarios))
    finally:
        app.state.puente.db.dispose()
    results = [w for w in weights if w.path == "/q/result"]
    assert len(results) == len(scenarios) * len(tuple(i18n.LANGUAGES)) > 0
    assert len(weights) > len(results), "no section page weighed: SECTION_PAGE no longer matches"
    over = [
        f"{w.lang} {w.scenario} {w.path}: {w.html_gzip:,} + {w.css_gzip:,} = {w.total:,} B"
        for w in weights
        if w.total > PAGE_BUDGET
    ]
    assert not over, f"results over {PAGE_BUDGET:,} B gzip:\n" + "\n".join(over)


def test_every_page_answers(walks: tuple[TestClient, list[Walk]]) -> None:
    _, walked = walks
    expected = {"error": 422}
    wrong = [
        f"{w.lang} {page.name} {page.path}: {page.status}"
        for w in walked
        for page in w.pages
        if page.status != expected.get(page.name, 200)
    ]
    assert not wrong, "pages that did not answer as expected:\n" + "\n".join(wrong)


def test_each_page_html_and_css_fit_in_14_kb_gzip(walks: tuple[TestClient, list[Walk]]) -> None:
    client, walked = walks
    over = [
        f"{w.lang} {weight.name} ({weight.path}): {weight.total:,} B"
        for w in walked
        for weight in page_weights(client, w)
        if weight.total > PAGE_BUDGET
    ]
    assert not over, f"pages over {PAGE_BUDGET:,} B gzip:\n" + "\n".join(over)


def test_all_javascript_fits_in_20_kb_gzip(walks: tuple[TestClient, list[Walk]]) -> None:
    client, walked = walks
    pages = [page for w in walked for page in w.pages]
    scripts = asset_sizes(client, linked(pages, SCRIPT))
    assert scripts, "no script found: the pattern no longer matches base.html"
    assert sum(scripts.values()) <= JS_BUDGET, scripts
    for page in pages:
        for tag in re.findall(r"<script[^>]*>", page.text):
            assert "defer" in tag or "async" in tag, f"render-blocking script on {page.name}"


def test_each_htmx_answer_fragment_is_at_most_3_kb(walks: tuple[TestClient, list[Walk]]) -> None:
    _, walked = walks
    fragments = [(w.lang, fragment) for w in walked for fragment in w.fragments]
    assert fragments, "no htmx fragment was measured"
    # gzip, like the page budget: what crosses the network when responses are compressed.
    over = [
        f"{lang} after {f.question}: {gzip_size(f.body):,} B gzip ({len(f.body):,} B raw)"
        for lang, f in fragments
        if gzip_size(f.body) > FRAGMENT_BUDGET
    ]
    assert not over, f"fragments over {FRAGMENT_BUDGET:,} B:\n" + "\n".join(over)
    assert all(b"<html" not in f.body for _, f in fragments)


def test_no_web_font_and_nothing_from_elsewhere(walks: tuple[TestClient, list[Walk]]) -> None:
    client, walked = walks
    pages = [page for w in walked for page in w.pages]
    for href in linked(pages, STYLESHEET):
        assert href.startswith("/"), f"stylesheet from elsewhere: {href}"
        css = client.get(href).text
        assert not FONT.search(css), f"{href} loads a web font"
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css), f"{href} loads from elsewhere"
    for src in linked(pages, SCRIPT):
        assert src.startswith("/") and not src.startswith("//"), f"script from elsewhere: {src}"
