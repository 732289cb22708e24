"""Whole journeys in real Chromium: start page to result to free legal help nearby.

Issue 6 (1) and the browser part of issue 2: the person affected, the family member of a
detained person and the outreach worker's share link, in English, Spanish and Arabic, with
JavaScript on and off, on a 360 px phone (and a desktop subset); changing an answer; leaving and
resuming in a second browser with the code; switching language halfway; the Exit button.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import Page

from bench.server import Server
from tests.browser import routes
from tests.browser.conftest import NEUTRAL_URL, Contexts
from tests.browser.journey import RESULT_PATH, Respondent
from tests.browser.personas import (
    LANGS,
    NEW_LANGUAGE_JOURNEYS,
    PERSONAS,
    SHARE_CODE,
    Persona,
    assert_language,
    assert_no_horizontal_scroll,
)

pytestmark = pytest.mark.browser
HELP_LINK = "a[href^='/help']"
CODE_PATTERN = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{2,4}){3,}")
ENGLISH_START_BUTTON = "Start the questions"


@pytest.fixture(scope="module", autouse=True)
def share_partner(live_server: Server) -> int:
    """The outreach organization whose share link the outreach journeys follow."""
    from datetime import date

    from app.config import Settings
    from app.db import Database, make_engine
    from app.partners.admin import create_partner
    from app.partners.codes import find_active

    database = Database(make_engine(Settings(database_url=live_server.database_url)))
    try:
        partner = find_active(database, SHARE_CODE) or create_partner(
            database, None, "Test outreach organization", None, SHARE_CODE, date.today()
        )
        assert partner.id is not None
        return partner.id
    finally:
        database.dispose()


def sessions_of_partner(live_server: Server, partner_id: int) -> list[tuple[str, bool]]:
    path = live_server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT id, finished FROM respondent_session WHERE partner_id = ?", (partner_id,)
        ).fetchall()


def begin(contexts: Contexts, persona: Persona, lang: str, js: bool, viewport: str) -> Respondent:
    page = contexts.page(viewport, js=js, lang="en")  # the link, not the browser, sets the language
    respondent = Respondent(page, js)
    respondent.open(persona.entry(lang))
    assert_language(page, lang)
    if persona.share_link:
        assert "p=" not in page.url, "the partner code must leave the address bar (R5.5)"
    start_label = page.locator("a[href='/q/start']").first.inner_text().strip()
    if lang != "en":
        assert start_label != ENGLISH_START_BUTTON, f"the start page is not translated to {lang}"
    respondent.start()
    return respondent


def finish_at_help(respondent: Respondent, lang: str) -> None:
    """The result page in the person's language, ending with free legal help and a number."""
    page = respondent.page
    assert respondent.path().startswith(RESULT_PATH), f"ended at {page.url}, not the result"
    assert page.locator("h1").count() == 1
    assert_language(page, lang)
    assert_no_horizontal_scroll(page)
    who_can_help = page.locator("section:has(#help-heading)")
    assert who_can_help.count(), "the result page must end with who can help"
    assert who_can_help.locator("a[href^='tel:']").count(), "and give a number to call"
    more_help = page.locator(HELP_LINK)
    assert more_help.count(), "the result links to find help (issue 12, P5)"
    with page.expect_navigation():
        more_help.first.click()
    assert_language(page, lang)
    # The search form: a ZIP code in the sample directory's region, then numbers to call.
    page.fill("#zip", "60601")
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert page.locator("a[href^='tel:']").count(), "find help must give a number to call"
    assert_no_horizontal_scroll(page)


# With JavaScript every persona walks in every language; without it, every persona once and
# every language once. Without JavaScript the same pages are served whole instead of swapped
# in, and their words and layout are the language's either way; the six journeys this leaves
# out were a minute and a half of CI, which must stay under 30 minutes on a 2-core machine
# (it took 29 in session 12).
WITHOUT_JS = (("affected", "en"), ("family", "es"), ("outreach", "ar"))
PHONE_JOURNEYS = [
    *((persona, lang, True) for persona in PERSONAS for lang in LANGS),
    *((persona, lang, False) for persona, lang in WITHOUT_JS),
]


@pytest.mark.parametrize(
    ("persona", "lang", "js"),
    PHONE_JOURNEYS,
    ids=[f"{p}-{lang}-{'js' if js else 'nojs'}" for p, lang, js in PHONE_JOURNEYS],
)
def test_journey_on_a_phone(
    contexts: Contexts,
    live_server: Server,
    share_partner: int,
    persona: str,
    lang: str,
    js: bool,
) -> None:
    who = PERSONAS[persona]
    finished_before = sum(done for _, done in sessions_of_partner(live_server, share_partner))
    respondent = begin(contexts, who, lang, js, "phone")
    assert_language(respondent.page, lang)
    answered = respondent.run_to_result(who.plan)
    assert answered[0] == "who"
    finish_at_help(respondent, lang)
    if who.share_link:  # the session that came through the link counts for the partner
        finished = sum(done for _, done in sessions_of_partner(live_server, share_partner))
        assert finished == finished_before + 1


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize(("lang", "persona"), NEW_LANGUAGE_JOURNEYS)
def test_journey_in_a_new_language_on_a_phone(
    contexts: Contexts, live_server: Server, share_partner: int, lang: str, persona: str, js: bool
) -> None:
    """Issue 14: start to result to free help nearby, every page in the language (its own words
    on the start button, its tag on every page), with the section pages of the result too."""
    who = PERSONAS[persona]
    respondent = begin(contexts, who, lang, js, "phone")
    answered = respondent.run_to_result(who.plan)
    assert answered[0] == "who"
    page = respondent.page
    sections = page.locator("main .more-links a")
    if sections.count():
        with page.expect_navigation():
            sections.first.click()
        assert_language(page, lang)
        assert_no_horizontal_scroll(page)
        with page.expect_navigation():
            page.locator("main a[href='/q/result']").click()
    finish_at_help(respondent, lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_journey_on_a_desktop(contexts: Contexts, persona: str, lang: str) -> None:
    who = PERSONAS[persona]
    respondent = begin(contexts, who, lang, True, "desktop")
    respondent.run_to_result(who.plan)
    finish_at_help(respondent, lang)


def transcript_ids(page: Page) -> list[str]:
    ids = page.locator("#transcript > li").evaluate_all("items => items.map(i => i.id)")
    return [item.removeprefix("answer-to-") for item in ids]


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_change_an_answer(contexts: Contexts, js: bool) -> None:
    """Changing an earlier answer drops what came after it and takes the new branch."""
    respondent = begin(contexts, PERSONAS["affected"], "en", js, "phone")
    page = respondent.page
    respondent.answer_current({"who": "self"})
    respondent.answer_current({})
    respondent.answer_current({})
    before = transcript_ids(page)
    assert before[0] == "who" and len(before) == 3
    respondent.press("#answer-to-who form.change button")
    assert respondent.question_id() == "who"
    assert transcript_ids(page) == [], "answers after the changed one must be dropped"
    assert respondent.page.locator("#current input[value='self']").count()
    respondent.answer_current({"who": "family"})
    assert transcript_ids(page) == ["who"]
    assert "family" in page.locator("#answer-to-who .from-you").inner_text().lower()
    respondent.run_to_result(PERSONAS["family"].plan)
    finish_at_help(respondent, "en")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_leave_and_resume_elsewhere_with_the_code(contexts: Contexts, js: bool) -> None:
    """Half-way, ask for a code, close everything; a second browser continues from there."""
    first = begin(contexts, PERSONAS["affected"], "es", js, "phone")
    first.answer_current({"who": "self"})
    first.answer_current({})
    waiting_at = first.question_id()
    answered_before = transcript_ids(first.page)
    with first.page.expect_navigation():
        first.page.locator("form[action='/q/code'] button").click()
    code_text = first.page.locator(".code").inner_text().strip()
    assert CODE_PATTERN.fullmatch(code_text), f"not a resume code: {code_text!r}"
    assert code_text not in first.page.url
    first.page.context.close()

    second_page = contexts.page("phone", js=js, lang="en")
    second = Respondent(second_page, js)
    second.open("/")
    with second_page.expect_navigation():
        second_page.locator("a[href='/resume']").click()
    second_page.fill("#code", code_text.lower().replace("-", " "))  # as someone might type it
    second.press("form[action='/resume'] button[type=submit]")
    assert code_text not in second_page.url
    assert second.path() == "/q"
    assert second.question_id() == waiting_at
    assert transcript_ids(second_page) == answered_before
    assert_language(second_page, "es")  # the session's language comes along
    second.run_to_result(PERSONAS["affected"].plan)
    finish_at_help(second, "es")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_switch_language_halfway(contexts: Contexts, js: bool) -> None:
    respondent = begin(contexts, PERSONAS["family"], "en", js, "phone")
    page = respondent.page
    respondent.answer_current(PERSONAS["family"].plan)
    at = respondent.question_id()
    page.locator("nav.languages summary").click()  # the list opens (a <details>)
    with page.expect_navigation():
        page.locator("nav.languages a[hreflang='ar']").click()
    assert_language(page, "ar")
    assert respondent.question_id() == at, "switching language keeps the place"
    assert transcript_ids(page) == ["who"], "and the answers"
    respondent.answer_current(PERSONAS["family"].plan)
    assert_language(page, "ar")  # the choice holds for the next question too
    respondent.run_to_result(PERSONAS["family"].plan)
    finish_at_help(respondent, "ar")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_exit_button_leaves_for_the_neutral_site(contexts: Contexts, js: bool) -> None:
    respondent = begin(contexts, PERSONAS["affected"], "en", js, "phone")
    page = respondent.page
    respondent.answer_current({"who": "self"})
    exit_link = page.locator("a#exit")
    # Without JS, /exit ends the session here, then goes on to the neutral site (issue 12).
    assert exit_link.get_attribute("href") == "/exit"
    page.goto("/q")  # a fresh page load (after an htmx swap focus sits on the question)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "exit", "Exit is first in tab order"
    exit_link.click()
    page.wait_for_url(f"{NEUTRAL_URL}**")  # without JS by way of /exit, which refreshes there
    # With JS the history entry is replaced; without, /exit ended the session: either way Back
    # cannot show the questions.
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("#current, #transcript").count() == 0, "Back showed the questions"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", LANGS)
def test_find_legal_help_page(contexts: Contexts, lang: str, js: bool) -> None:
    """ "Find legal help" on its own: a ZIP code (never kept) gives help nearby and a number."""
    page = contexts.page("phone", lang=lang, js=js)
    response = page.goto(f"{routes.FIND_HELP}?lang={lang}")
    assert response is not None and response.status == 200, f"{routes.FIND_HELP} is missing"
    assert_language(page, lang)
    page.fill("#zip", "60601")
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert "60601" not in page.url, "the ZIP code must never be in an address"
    assert_language(page, lang)
    assert page.locator("section:has(#help-heading) a[href^='tel:']").count(), "no number to call"
    assert_no_horizontal_scroll(page)


def test_every_persona_and_every_language_walks_without_javascript() -> None:
    """What the journeys without JavaScript keep, now that they are not every pair."""
    without = [(persona, lang) for persona, lang, js in PHONE_JOURNEYS if not js]
    assert {persona for persona, _ in without} == set(PERSONAS)
    assert {lang for _, lang in without} == set(LANGS)
    assert len(PHONE_JOURNEYS) == len(PERSONAS) * len(LANGS) + len(without)
