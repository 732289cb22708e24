"""In a real browser, a whole journey makes no request outside the site's origin, loads no web
font and no image from elsewhere, and its scripts are deferred (issue 6 (3); T1.3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Request

from bench.personas import PLANS
from tests.browser.conftest import Contexts, same_origin_url
from tests.browser.journey import RESULT_PATH, Respondent

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_journey_stays_on_our_origin_without_web_fonts(contexts: Contexts, lang: str) -> None:
    page = contexts.page("phone", lang=lang)
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request))
    respondent = Respondent(page, js=True)
    respondent.open(f"/?lang={lang}")
    respondent.start()
    respondent.run_to_result(PLANS["affected"])
    assert respondent.path().startswith(RESULT_PATH)
    page.goto("/help")
    fonts = [request.url for request in seen if request.resource_type == "font"]
    assert not fonts, f"web fonts were requested: {fonts}"
    elsewhere = [r.url for r in seen if not same_origin_url(r.url, contexts.server.base_url)]
    assert not elsewhere, f"requests left the origin: {elsewhere}"
    # The contexts fixture also refuses and reports anything that tried to leave.
