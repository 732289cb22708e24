"""The library in real Chromium (issue 15, 5): reading an article, searching with JavaScript
off, printing the rights card to PDF; in English and Arabic, each page audited by axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.personas import assert_language, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser
LANGS = ("en", "ar")
# A word each language's library has (the notario warning), and the section it must find.
SEARCH = {
    "en": ("notario", "/learn/choosing-help#notarios"),
    "ar": ("نوتاريو", "/learn/choosing-help#notarios"),
}
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def open_library(contexts: Contexts, lang: str, *, js: bool = True) -> Page:
    page = contexts.page("phone", js=js, lang=lang, bypass_csp=True)
    page.goto(f"/learn?lang={lang}")
    assert_language(page, lang)
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_read_an_article(contexts: Contexts, lang: str) -> None:
    page = open_library(contexts, lang)
    assert_accessible(page, "the library")
    with page.expect_navigation():
        page.locator("ul.library a[href='/learn/stories']").click()
    assert_language(page, lang)
    assert page.locator("h1").count() == 1
    assert page.locator("h2#made_up").count(), "the stories say first that they are made up"
    assert_no_horizontal_scroll(page)
    assert_accessible(page, "an article")
    assert page.locator("main a[href='/help']").count()
    assert page.locator("main a[href='/q/start']").count()
    page.goto(f"/learn/words?lang={lang}#a_number")
    assert page.locator("dt#a_number").is_visible()
    assert_accessible(page, "the glossary")


@pytest.mark.parametrize("lang", LANGS)
def test_search_without_javascript(contexts: Contexts, lang: str) -> None:
    page = open_library(contexts, lang, js=False)
    words, href = SEARCH[lang]
    page.fill("#q", words)
    with page.expect_navigation():
        page.locator("form[action='/learn/search'] button[type=submit]").click()
    assert "q=" not in page.url, "the words searched for must not sit in the address"
    assert_language(page, lang)
    found = page.locator(f"ol.library a[href='{href}']")
    assert found.count() == 1
    with page.expect_navigation():
        found.click()
    assert page.url.endswith(href)
    # An empty search explains itself, in the page's language, next to the box.
    page.goto(f"/learn/search?lang={lang}")
    with page.expect_navigation():
        page.locator("form[action='/learn/search'] button[type=submit]").click()
    assert page.locator(".error-summary").count()
    assert page.locator("#q[aria-invalid='true']").count()


@pytest.mark.parametrize("lang", LANGS)
def test_search_results_are_accessible(contexts: Contexts, lang: str) -> None:
    page = open_library(contexts, lang)
    page.fill("#q", SEARCH[lang][0])
    with page.expect_navigation():
        page.locator("form[action='/learn/search'] button[type=submit]").click()
    assert page.locator("ol.library li").count() >= 1
    assert_accessible(page, "search results")
    page.goto(f"/learn/search?lang={lang}")
    with page.expect_navigation():
        page.locator("form[action='/learn/search'] button[type=submit]").click()
    assert_accessible(page, "search, with an error")


@pytest.mark.parametrize("lang", LANGS)
def test_print_the_rights_card(contexts: Contexts, lang: str) -> None:
    page = open_library(contexts, lang)
    page.goto(f"/learn/card?lang={lang}")
    assert_accessible(page, "the rights card")
    sides = page.locator(".rights-card")
    assert sides.count() == 2
    assert sides.nth(0).get_attribute("lang") == "en"
    assert sides.nth(1).get_attribute("lang") == ("es" if lang == "en" else lang)
    page.emulate_media(media="print")
    # Printed, only the card shows, and each side holds all its text (nothing cut off).
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("footer").is_visible()
    for index in range(2):
        overflow = sides.nth(index).evaluate("side => side.scrollHeight - side.clientHeight")
        assert overflow <= 1, f"side {index + 1} of the card is cut off by {overflow}px"
        box = sides.nth(index).bounding_box()
        assert box is not None and box["width"] < 340, "a side is wider than a wallet card"
    pdf = page.pdf(format="Letter", print_background=True)
    assert len(PDF_PAGE.findall(pdf)) == 1, "the card prints on one sheet, both sides"
