"""The immigration courts in real Chromium (issue 17), JavaScript on and off, English and Arabic:
find-help by ZIP lists the nearest courts (33194: Krome first, with its address; 10278: the New
York courts), a relative on the family path sees the court on the result page; numbers and
addresses read left to right in Arabic; axe finds nothing on either page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.journey import RESULT_PATH, Respondent
from tests.browser.personas import PERSONAS, assert_language, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser
MODES = [
    pytest.param(js, lang, id=f"{'js' if js else 'nojs'}-{lang}")
    for js in (True, False)
    for lang in ("en", "ar")
]
NEW_YORK_AREA = {"NYC", "NYB", "NYD", "NYV", "NEW", "ELZ"}
# A detention centre's own ZIP, as the family path's ZIP question suggests giving.
KROME_ZIP = "33194"
KROME_PHONE = "786-422-8700"


def court_codes(page: Page, section: str) -> list[str]:
    headings = page.locator(f"{section} .card h3 bdi").all_inner_texts()
    return [text.strip("() \u200e\u200f") for text in headings]


def search_help(page: Page, lang: str, zip_code: str) -> None:
    page.goto(f"/help?lang={lang}")
    assert_language(page, lang)
    page.fill("#zip", zip_code)
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert page.locator("#courts-heading").count() == 1


def assert_reads_left_to_right(page: Page, text: str, js: bool) -> None:
    """The number sits in a left-to-right isolate; with JS, its first digit is drawn left of
    its last one, as in English, even on a right-to-left page."""
    isolate = page.locator("bdi[dir=ltr]", has_text=text).first
    assert isolate.count() == 1 and isolate.inner_text().strip() == text
    if not js:  # the browser runs no script: the markup is the check
        return
    first_left, last_left = isolate.evaluate(
        """element => {
            const node = element.firstChild, range = document.createRange();
            const left = index => {
                range.setStart(node, index); range.setEnd(node, index + 1);
                return range.getBoundingClientRect().left;
            };
            return [left(0), left(node.length - 1)];
        }"""
    )
    assert first_left < last_left, f"{text} reads right to left"


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_zip_33194_lists_the_krome_court_first_with_its_address(
    contexts: Contexts, js: bool, lang: str
) -> None:
    page = contexts.page(js=js, lang=lang)
    search_help(page, lang, KROME_ZIP)
    assert court_codes(page, "section[aria-labelledby=courts-heading]")[0] == "KRO"
    first = page.locator("section[aria-labelledby=courts-heading] .card").first
    address = first.locator("p[dir=ltr]").inner_text()
    assert "18201 S.W. 12TH ST" in address and "Miami, FL 33194" in address
    assert_reads_left_to_right(page, KROME_PHONE, js)
    assert first.locator("a[href^='tel:']").count() == 0  # nobody verified it: text only
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_zip_10278_lists_the_new_york_courts(contexts: Contexts, js: bool, lang: str) -> None:
    page = contexts.page(js=js, lang=lang)
    search_help(page, lang, "10278")
    codes = court_codes(page, "section[aria-labelledby=courts-heading]")
    assert codes[0] == "NYC" and len(codes) >= 2 and set(codes) <= NEW_YORK_AREA
    assert (
        "0" not in page.locator("section[aria-labelledby=courts-heading] .small").first.inner_text()
    )


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_a_relative_on_the_family_path_sees_the_court(
    contexts: Contexts, js: bool, lang: str
) -> None:
    page = contexts.page(js=js, lang=lang)
    respondent = started(page, js, lang)
    plan = {**PERSONAS["family"].plan, "zip": KROME_ZIP}
    respondent.run_to_result(plan)
    assert respondent.path().startswith(RESULT_PATH)
    assert_language(page, lang)
    section = page.locator("section[aria-labelledby=court-heading]")
    assert section.count() == 1, "the result shows the court kept with the ZIP answer"
    assert court_codes(page, "section[aria-labelledby=court-heading]") == ["KRO"]
    assert "18201 S.W. 12TH ST" in section.locator("p[dir=ltr]").inner_text()
    assert section.locator("a[href='tel:+18008987180']").count() == 1  # EOIR's case line
    assert "EOIR-33" in section.inner_text()
    assert_reads_left_to_right(page, KROME_PHONE, js)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_court_pages_pass_axe(contexts: Contexts, lang: str) -> None:
    page = contexts.page(lang=lang, bypass_csp=True)
    search_help(page, lang, KROME_ZIP)
    assert_accessible(page, f"find-help courts ({lang})")
    respondent = Respondent(page, True)
    respondent.open(f"/?lang={lang}")
    respondent.start()
    respondent.run_to_result({**PERSONAS["family"].plan, "zip": KROME_ZIP})
    assert page.locator("#court-heading").count() == 1
    assert_accessible(page, f"result with the court ({lang})")


# The questionnaire's court questions (app/flow/places.py): the list after the ZIP.
HEARING_PLAN = {
    **PERSONAS["affected"].plan,
    "immigration_case": "hearing_2_weeks",
    "zip": "10278",
}
NEW_YORK_STATE = {"NYC", "NYB", "NYD", "NYV", "BUF", "BTV", "ULS"}
KROME_ADDRESS = "18201 S.W. 12TH ST, Miami, FL 33194"


def listed_codes(page: Page) -> list[str]:
    """The court codes of the current question's places, in the order shown."""
    codes = page.locator("#current .option label > bdi:not(.small)").all_inner_texts()
    return [text.strip("() \u200e\u200f") for text in codes]


def started(page: Page, js: bool, lang: str) -> Respondent:
    """A person who has opened Puente in `lang` and pressed Start."""
    respondent = Respondent(page, js)
    respondent.open(f"/?lang={lang}")
    respondent.start()
    return respondent


def to_the_list(page: Page, js: bool, lang: str, plan: dict[str, object]) -> Respondent:
    respondent = started(page, js, lang)
    question = "held_place" if plan.get("who") == "family" else "case_court"
    respondent.run_to_result(plan, stop_before=question)  # type: ignore[arg-type]
    assert respondent.question_id() == question, respondent.answered
    assert_language(page, lang)
    return respondent


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_the_held_place_question_lists_the_krome_court_first(
    contexts: Contexts, js: bool, lang: str
) -> None:
    page = contexts.page(js=js, lang=lang)
    to_the_list(page, js, lang, {**PERSONAS["family"].plan, "zip": KROME_ZIP})
    assert listed_codes(page) == ["KRO", "MIA", "ORL"]  # no facility in Florida: the courts
    first = page.locator("#current .option").first
    assert first.locator("input").get_attribute("value") == "KRO"
    assert KROME_ADDRESS in first.inner_text()
    assert_reads_left_to_right(page, KROME_ADDRESS, js)  # an isolate, left to right
    assert_reads_left_to_right(page, "(KRO)", js)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_the_case_court_question_lists_the_new_york_courts_for_10278(
    contexts: Contexts, js: bool, lang: str
) -> None:
    page = contexts.page(js=js, lang=lang)
    to_the_list(page, js, lang, HEARING_PLAN)
    codes = listed_codes(page)
    assert codes[0] == "NYC" and len(codes) >= 4 and set(codes) <= NEW_YORK_STATE


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_a_relative_who_picks_a_court_sees_that_court_on_the_result(
    contexts: Contexts, js: bool, lang: str
) -> None:
    page = contexts.page(js=js, lang=lang)
    respondent = started(page, js, lang)
    respondent.run_to_result({**PERSONAS["family"].plan, "zip": KROME_ZIP, "held_place": "ORL"})
    assert "held_place" in respondent.answered
    assert respondent.path().startswith(RESULT_PATH)
    section = page.locator("section[aria-labelledby=court-heading]")
    assert court_codes(page, "section[aria-labelledby=court-heading]") == ["ORL"]
    assert "500 N. Orange Avenue Ste.1100" in section.locator("p[dir=ltr]").inner_text()
    assert "EOIR-33" in section.inner_text()
    assert_reads_left_to_right(page, "407-244-8900", js)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("js", "lang"), MODES)
def test_a_relative_who_picks_a_place_sees_the_court_that_hears_it(
    contexts: Contexts, js: bool, lang: str
) -> None:
    """Illinois has a detention place in the demonstration directory: its court is Chicago's."""
    page = contexts.page(js=js, lang=lang)
    respondent = started(page, js, lang)
    respondent.run_to_result(PERSONAS["family"].plan, stop_before="held_place")
    place = page.locator("#current .option").first
    assert "Sample County Detention Center" in place.inner_text()
    value = place.locator("input").get_attribute("value")
    respondent.run_to_result({**PERSONAS["family"].plan, "held_place": str(value)})
    assert respondent.path().startswith(RESULT_PATH)
    assert court_codes(page, "section[aria-labelledby=court-heading]") == ["CHI"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_court_question_passes_axe(contexts: Contexts, lang: str) -> None:
    page = contexts.page(lang=lang, bypass_csp=True)
    to_the_list(page, True, lang, {**PERSONAS["family"].plan, "zip": KROME_ZIP})
    assert_accessible(page, f"the court question ({lang})")
