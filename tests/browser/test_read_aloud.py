"""Read-aloud (issue 14, item 6): a Listen button on each question and each finding, spoken
only by a voice on the device, in Chromium with a stubbed voice list (tests/browser/voices.py).

Remote voices are listed first and marked as the default, as a browser with a cloud voice
may list them, so a script that took the default or the first voice of the language would use
one and fail here.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request

from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.journey import CURRENT, RESULT_PATH, Respondent
from tests.browser.personas import PERSONAS
from tests.browser.voices import CANCEL_PATH, Voice, local, remote, stub

pytestmark = pytest.mark.browser

LISTEN = ".listen"
TARGET_PX = 44  # WCAG 2.5.5 (AAA) and the project's own tap size
REMOTE_FIRST = [
    Voice("On a server (es-US)", "es-US", False, default=True),
    remote("es-ES"),
    local("en-US"),  # on the device, but not the page's language
    local("es-ES"),
]


def spoken(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.__spoken"))


def cancels(page: Page) -> int:
    return int(page.evaluate("() => window.__cancels"))


def with_voices(contexts: Contexts, voices: list[Voice], **options: Any) -> tuple[Page, list[str]]:
    """A Spanish phone whose speech synthesis lists `voices`, and the cancels it reports."""
    context: BrowserContext = contexts.new("phone", lang="es", **options)
    context.add_init_script(stub(voices))
    reported: list[str] = []

    def watch(request: Request) -> None:
        if request.url.endswith(CANCEL_PATH):
            reported.append(request.url)

    context.on("request", watch)
    return context.new_page(), reported


def start(page: Page) -> Respondent:
    respondent = Respondent(page, js=True)
    respondent.open("/?lang=es")
    respondent.start()
    return respondent


def assert_tap_target(page: Page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["width"] >= TARGET_PX and box["height"] >= TARGET_PX, f"{selector} is {box}"


def test_a_local_voice_reads_the_question_and_stops_on_answer_back_and_exit(
    contexts: Contexts,
) -> None:
    page, reported = with_voices(contexts, REMOTE_FIRST)
    respondent = start(page)
    button = page.locator(f"{CURRENT} {LISTEN}")
    assert button.count() == 1, "no Listen button on the question, with a voice on the device"
    assert button.get_attribute("type") == "button", "Listen must never submit the answer"
    assert button.inner_text().strip() == "Escuchar"
    assert page.get_by_role("button", name="Escuchar").count() == 1  # its accessible name
    assert_tap_target(page, f"{CURRENT} {LISTEN}")

    button.click()
    said = spoken(page)
    heading = page.locator("#question-heading").inner_text().strip()
    assert said and said[0]["text"] == heading, said
    assert {item["voice"] for item in said} == {"On the device (es-ES)"}, said
    assert all(item["local"] is True for item in said), said
    assert button.get_attribute("aria-pressed") == "true"
    labels = page.locator(f"{CURRENT} .options label").all_inner_texts()
    assert [item["text"] for item in said[-len(labels) :]] == [t.strip() for t in labels]

    # Answering stops it, and the next question has its own button.
    before = cancels(page)
    respondent.answer_current(PERSONAS["affected"].plan)
    assert cancels(page) > before, "answering did not stop the reading"
    assert page.locator(f"{CURRENT} {LISTEN}").count() == 1, "no Listen on the next question"

    # Going back (a new page) stops it: seen as a beacon, since the count goes with the page.
    page.locator(f"{CURRENT} {LISTEN}").click()
    reported.clear()
    respondent.press("form[action='/q/back'] button")
    assert reported, "going back did not stop the reading"

    # Exit stops it (seen as a beacon: the page is gone by then).
    page.locator(f"{CURRENT} {LISTEN}").click()
    assert all(item["local"] for item in spoken(page)), spoken(page)
    reported.clear()
    with page.expect_navigation():
        page.locator("#exit").click()
    page.wait_for_load_state()
    assert reported, "Exit did not stop the reading"


def test_each_finding_is_read_by_a_local_voice_and_stops_on_exit(contexts: Contexts) -> None:
    page, reported = with_voices(contexts, REMOTE_FIRST)
    respondent = start(page)
    respondent.run_to_result(PERSONAS["affected"].plan)
    assert respondent.path().startswith(RESULT_PATH)
    findings = page.locator("article.finding")
    assert findings.count() > 0
    assert page.locator(f"article.finding {LISTEN}").count() == findings.count()
    assert_tap_target(page, f"article.finding {LISTEN}")
    last = findings.last
    last.locator(LISTEN).click()
    said = spoken(page)
    assert said[0]["text"] == last.locator("h3").inner_text().strip(), said
    assert all(item["voice"] == "On the device (es-ES)" and item["local"] for item in said), said
    # A second press stops it.
    before = cancels(page)
    last.locator(LISTEN).click()
    assert cancels(page) > before and last.locator(LISTEN).get_attribute("aria-pressed") == "false"
    last.locator(LISTEN).click()
    reported.clear()
    with page.expect_navigation():
        page.locator("#exit").click()
    assert reported, "Exit did not stop the reading"


def test_no_button_with_only_remote_voices(contexts: Contexts) -> None:
    page, _ = with_voices(contexts, [remote("es-ES"), remote("es-US"), local("en-US")])
    respondent = start(page)
    page.wait_for_load_state()
    assert page.locator("[data-listen]").count() == 1, "the question is not marked for reading"
    assert page.locator(LISTEN).count() == 0, "Listen offered without a voice on the device"
    respondent.run_to_result(PERSONAS["affected"].plan)
    assert page.locator("article.finding").count() > 0
    assert page.locator(LISTEN).count() == 0
    assert spoken(page) == []


def test_no_button_without_javascript(contexts: Contexts) -> None:
    page, _ = with_voices(contexts, [local("es-ES")], js=False)
    respondent = Respondent(page, js=False)
    respondent.open("/?lang=es")
    respondent.start()
    assert page.locator("#current [data-listen]").count() == 1
    assert page.locator("button").filter(has_text="Escuchar").count() == 0


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_listen_button_passes_axe(contexts: Contexts, lang: str) -> None:
    context = contexts.new("phone", lang=lang, bypass_csp=True)
    context.add_init_script(stub([local(lang)], report=False))
    page = context.new_page()
    respondent = Respondent(page, js=True)
    respondent.open(f"/?lang={lang}")
    respondent.start()
    assert page.locator(f"{CURRENT} {LISTEN}").count() == 1
    assert_accessible(page, "a question with its Listen button")
    page.locator(f"{CURRENT} {LISTEN}").click()
    assert_accessible(page, "a question being read")


def test_voices_listed_after_the_page_loads_bring_the_button(contexts: Contexts) -> None:
    """Chromium (Android's too) lists its voices a moment after the page loads, then fires
    voiceschanged: the button comes then, and only for a voice on the device."""
    page, _ = with_voices(contexts, [])
    start(page)
    assert page.locator(LISTEN).count() == 0
    arrive = """voices => {
        speechSynthesis.getVoices = () => voices;
        speechSynthesis.dispatchEvent(new Event('voiceschanged'));
    }"""
    page.evaluate(arrive, [{"name": "r", "lang": "es-ES", "localService": False}])
    assert page.locator(LISTEN).count() == 0, "a remote voice brought the button"
    page.evaluate(arrive, [{"name": "l", "lang": "es-ES", "localService": True}])
    assert page.locator(f"{CURRENT} {LISTEN}").is_visible()
    # A voice that goes away (uninstalled) takes its button with it.
    page.evaluate(arrive, [])
    assert not page.locator(f"{CURRENT} {LISTEN}").is_visible()


def test_the_result_with_its_listen_buttons_passes_axe(contexts: Contexts) -> None:
    context = contexts.new("phone", lang="ar", bypass_csp=True)
    context.add_init_script(stub([local("ar-SA")], report=False))
    page = context.new_page()
    respondent = Respondent(page, js=True)
    respondent.open("/?lang=ar")
    respondent.start()
    respondent.run_to_result(PERSONAS["family"].plan)
    assert page.locator(f"article.finding {LISTEN}").count() > 0
    assert_accessible(page, "the result with its Listen buttons")
