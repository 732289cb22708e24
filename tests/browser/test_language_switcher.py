"""The language switcher with the thirteen names issue 14 will ship (English and twelve
more), on a 360 px phone, without JavaScript (issue 14, item 4).

Today's LANGUAGES has three, so the start page is rendered in-process with the switcher's list
replaced by the full one (monkeypatched, tests/web/test_language_switcher.py), and Chromium is
handed that HTML for the live server's address, so the real stylesheet lays it out.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Route

from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.layout import measure
from tests.web.test_language_switcher import THIRTEEN, render_start

pytestmark = pytest.mark.browser
TARGET_PX = 44


def open_on_phone(
    contexts: Contexts, html: str, *, js: bool, bypass_csp: bool = False, lang: str = "en"
) -> Page:
    page = contexts.page("phone", js=js, bypass_csp=bypass_csp, lang=lang)
    base = contexts.server.base_url

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(f"{base}/", serve)
    page.goto("/")
    return page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_thirteen_languages_fit_a_phone_without_javascript(
    contexts: Contexts, client: TestClient, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    page = open_on_phone(contexts, render_start(client, monkeypatch, lang), js=False, lang=lang)
    links = page.locator("nav.languages a")
    assert links.count() == len(THIRTEEN)
    assert not links.first.is_visible(), "the list should be closed until asked for"
    summary = page.locator("nav.languages summary")
    box = summary.bounding_box()
    assert box and box["height"] >= TARGET_PX, f"the switcher's button is {box}"
    summary.click()
    width = page.viewport_size["width"] if page.viewport_size else 360
    boxes = []
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), f"{link.inner_text()} is not shown"
        b = link.bounding_box()
        assert b is not None
        assert b["x"] >= 0 and b["x"] + b["width"] <= width, f"{link.inner_text()} is off screen"
        assert b["height"] >= TARGET_PX, f"{link.inner_text()} is {b['height']} px tall"
        boxes.append(b)
    # No two names overlap, and the list takes at most a screen and a half.
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            apart = (
                one["x"] + one["width"] <= other["x"]
                or other["x"] + other["width"] <= one["x"]
                or one["y"] + one["height"] <= other["y"]
                or other["y"] + other["height"] <= one["y"]
            )
            assert apart, f"two languages overlap: {one} {other}"
    assert max(b["y"] + b["height"] for b in boxes) - min(b["y"] for b in boxes) <= 740
    problems = measure(page).problems(f"{lang} start, thirteen languages")
    assert not problems, "\n".join(problems)
    # Choosing one goes to the same page in that language.
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert "/?lang=zh_Hans" in hrefs


def test_the_open_list_passes_axe(
    contexts: Contexts, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_on_phone(
        contexts, render_start(client, monkeypatch, "en"), js=True, bypass_csp=True
    )
    page.locator("nav.languages summary").click()
    assert_accessible(page, "the start page, thirteen languages listed")
