"""Referral cards in the person's language, in real Chromium (issue 12 item 2, P1, P18): on an
Arabic result the national resources read in Arabic (the language the browser resolves for
their text is Arabic), a record with no Arabic shows its English marked lang="en" and says it is
in English; the organization's name is the heading; no provenance; axe finds nothing.

Every seeded record ships in Arabic, so the sample records' Arabic is taken off for these tests
(`sample_without_arabic`) to have English cards to look at, and put back after."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page
from sqlmodel import col, select

from app.config import Settings
from app.db import Database, make_engine
from app.referrals.models import ServiceTranslation
from app.referrals.seed import DATA, stable_id
from bench.server import Server
from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.journey import RESULT_PATH, Respondent
from tests.browser.personas import PERSONAS, assert_language

pytestmark = pytest.mark.browser
NATIONAL = json.loads((DATA / "national.json").read_text(encoding="utf-8"))
SAMPLE = json.loads((DATA / "sample_region.json").read_text(encoding="utf-8"))
DRIL_AR = next(s for s in NATIONAL["services"] if s["key"] == "ice-dril")["translations"]["ar"]
IN_ENGLISH = "بالإنجليزية"  # "In English", as the Arabic catalog has it


@pytest.fixture
def sample_without_arabic(live_server: Server) -> Iterator[None]:
    """The sample services' Arabic, off the live server's directory for one test (deleted
    through the ORM, so the directory's revision moves and the server reloads it)."""
    sample_ids = [stable_id("service", s["key"]) for s in SAMPLE["services"]]
    database = Database(make_engine(Settings(database_url=live_server.database_url)))
    try:
        with database.write() as session:
            rows = session.exec(
                select(ServiceTranslation).where(
                    col(ServiceTranslation.service_id).in_(sample_ids),
                    ServiceTranslation.locale == "ar",
                )
            ).all()
            kept = [row.model_dump() for row in rows]
            for row in rows:
                session.delete(row)
        yield
        with database.write() as session:
            session.add_all(ServiceTranslation(**fields) for fields in kept)
    finally:
        database.dispose()


def resolved_lang(element: Locator) -> str:
    """The language the browser gives the element's text: its nearest lang attribute."""
    return str(element.evaluate("e => e.closest('[lang]').getAttribute('lang')"))


def family_result_in_arabic(page: Page, js: bool) -> None:
    respondent = Respondent(page, js)
    respondent.open("/?lang=ar")
    respondent.start()
    respondent.run_to_result(PERSONAS["family"].plan)
    assert respondent.path().startswith(RESULT_PATH)
    assert_language(page, "ar")


def assert_cards_speak_arabic_or_say_english(page: Page) -> None:
    cards = page.locator("li.card:not(.court)")
    arabic = [s["translations"]["ar"]["description"] for s in NATIONAL["services"]]
    shown = [text for text in arabic if page.get_by_text(text, exact=True).count()]
    assert shown, "no national resource in Arabic on the result"
    for text in shown:
        description = page.get_by_text(text, exact=True).first
        assert resolved_lang(description) == "ar"
        card = cards.filter(has=description)
        heading = card.locator("h3, h4").first
        assert resolved_lang(heading) == "en"  # the organization's own (English) name
        assert card.locator("p.badge", has_text=IN_ENGLISH).count() == 0
    english = [s["description"] for s in SAMPLE["services"]]
    fallbacks = [text for text in english if page.get_by_text(text, exact=True).count()]
    assert fallbacks, "no untranslated (sample) card on the page"
    for text in fallbacks:
        fallback = page.get_by_text(text, exact=True).first
        assert fallback.get_attribute("lang") == "en"
        card = cards.filter(has=fallback)
        badge = card.locator("p.badge", has_text=IN_ENGLISH)
        assert badge.count() == 1 and resolved_lang(badge) == "ar"
    body = page.locator("main").inner_text()
    for word in ("third-party", "archived ICE page", "Puente research"):
        assert word not in body


@pytest.mark.usefixtures("sample_without_arabic")
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_an_arabic_result_card_is_in_arabic_and_english_is_marked(
    contexts: Contexts, js: bool
) -> None:
    page = contexts.page(js=js, lang="ar")
    family_result_in_arabic(page, js)
    assert_cards_speak_arabic_or_say_english(page)


@pytest.mark.usefixtures("sample_without_arabic")
def test_arabic_result_and_find_help_with_translated_cards_pass_axe(contexts: Contexts) -> None:
    page = contexts.page(lang="ar", bypass_csp=True)
    family_result_in_arabic(page, True)
    assert_accessible(page, "result with translated referral cards (ar)")
    page.goto("/help?lang=ar")
    page.fill("#zip", "60608")
    page.locator("label[for=detained-yes]").click()
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert_cards_speak_arabic_or_say_english(page)
    assert_accessible(page, "find help with translated referral cards (ar)")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_translation_forms_pass_axe_and_save(
    contexts: Contexts, staff_login: object, lang: str
) -> None:
    """The edit page's translation forms (one per locale, Arabic fields right to left): axe
    finds nothing, and a save comes back to the page with the text kept."""
    page = contexts.page(lang=lang, bypass_csp=True)
    staff_login(page)  # type: ignore[operator]
    path = f"/staff/directory/{stable_id('service', 'ice-dril')}"
    assert page.goto(f"{path}?lang={lang}").status == 200  # type: ignore[union-attr]
    hours = page.locator("#ar-hours")
    assert hours.get_attribute("dir") == "rtl" and hours.get_attribute("lang") == "ar"
    saved = hours.input_value()
    assert saved == DRIL_AR["hours"]
    assert_accessible(page, f"staff directory edit with translations ({lang})")
    with page.expect_navigation():
        page.locator(f"form[action='{path}/translations/ar'] button[type=submit]").click()
    assert page.locator("#ar-hours").input_value() == saved
