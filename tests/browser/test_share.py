""" "Share Puente" in real Chromium (P10): the links and QR codes for each language, and the
two-sided Letter flyer printed to PDF, in English and Arabic, each page audited by axe. The print
view is kept as a screenshot in test-artifacts/browser/ for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from app.i18n import LANGUAGES
from tests.browser.axe import assert_accessible
from tests.browser.conftest import ARTIFACTS, Contexts
from tests.browser.personas import assert_language, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser
LANGS = ("en", "ar")
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def direction(page: Page, selector: str) -> str:
    return str(page.locator(selector).first.evaluate("e => getComputedStyle(e).direction"))


def open_share(contexts: Contexts, lang: str) -> Page:
    page = contexts.page("phone", lang=lang, bypass_csp=True)
    page.goto(f"/?lang={lang}")
    with page.expect_navigation():
        page.locator("footer a[href='/share']").click()
    assert_language(page, lang)
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_share_page_links_and_qr_codes(contexts: Contexts, lang: str) -> None:
    page = open_share(contexts, lang)
    assert_accessible(page, "share")
    assert_no_horizontal_scroll(page)
    links = page.locator(".share-link a")
    assert links.count() == len(LANGUAGES)
    for index in range(len(LANGUAGES)):
        href = links.nth(index).get_attribute("href")
        assert href and href == links.nth(index).inner_text().strip()
        assert links.nth(index).evaluate("e => getComputedStyle(e).direction") == "ltr"
    qrs = page.locator("img.share-qr")
    assert qrs.count() == len(LANGUAGES)
    for index in range(len(LANGUAGES)):
        assert qrs.nth(index).evaluate("img => img.complete && img.naturalWidth > 0"), "QR drawn"


@pytest.mark.parametrize("lang", LANGS)
def test_print_the_flyer(contexts: Contexts, lang: str) -> None:
    page = open_share(contexts, lang)
    other = "es" if lang == "en" else lang
    with page.expect_navigation():
        page.locator(f"a[href='/share/flyer?with={other}']").click()
    assert_language(page, lang)
    assert_accessible(page, "flyer")
    sides = page.locator("article.flyer-side")
    assert [sides.nth(i).get_attribute("lang") for i in range(2)] == ["en", other]
    assert direction(page, f"article[lang='{other}']") == ("rtl" if other == "ar" else "ltr")
    assert direction(page, f"article[lang='{other}'] .flyer-link code") == "ltr"
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("footer").is_visible()
    hidden_on_paper = page.locator(".no-print")  # the flyer's controls, and the translation note
    assert hidden_on_paper.count() >= 1
    assert not any(hidden_on_paper.nth(i).is_visible() for i in range(hidden_on_paper.count()))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 816, "height": 1056})  # Letter at 96 px per inch
    page.screenshot(path=str(ARTIFACTS / f"share-flyer-{lang}-print.png"), full_page=True)
    pdf = page.pdf(format="Letter", print_background=True)
    assert len(PDF_PAGE.findall(pdf)) == 2, "one Letter page per side: English, then the other"
