"""Every page type in every shipped language on a 360 px phone (issue 14, item 4): no sideways
scrolling, no text cut off, no character the system fonts cannot draw (tests/browser/layout.py;
the fonts come from `make system-packages`), and no axe violation (issue 14: axe in every
locale; tests/browser/test_accessibility.py audits English, Spanish and Arabic at more sizes).

The languages are `app.i18n.LANGUAGES`, so a new locale is checked as soon as it ships. The page
types: start (with the language list open), safety, each kind of question the questionnaire
uses and an answer error, the result with its Listen buttons, a section of the result
(/q/result/<name>), the answers, the printable result, find help and its results, the library
and an article, share and the flyer, what we store, resume, and the error page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from app.i18n import LANGUAGES
from tests.browser import routes
from tests.browser.axe import describe, run_axe
from tests.browser.conftest import Contexts
from tests.browser.journey import CONTINUE, RESULT_PATH, Respondent
from tests.browser.layout import measure
from tests.browser.personas import PERSONAS
from tests.browser.test_accessibility import content_kinds
from tests.browser.voices import local, stub

pytestmark = pytest.mark.browser

AFTER_RESULT = {
    "answers": routes.ANSWERS,
    "printable": routes.PRINTABLE,
    "find help": routes.FIND_HELP,
    "library": routes.LIBRARY,
    "an article": routes.ARTICLE,
    "share": routes.SHARE,
    "share flyer": routes.SHARE_FLYER,
    "what we store": routes.WHAT_WE_STORE,
    "resume": routes.RESUME,
    "error page": routes.NOT_FOUND,
}


class Checker:
    """Measures pages and keeps what is wrong with them."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        self.problems += measure(self.page).problems(f"{self.lang} {name}")
        violations = run_axe(self.page)
        if violations:
            self.problems.append(f"{self.lang} {name}: axe:\n{describe(violations)}")

    def visit(self, name: str, path: str) -> None:
        self.page.goto(path)
        self.check(name)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_type_fits_a_phone_and_every_character_is_drawn(
    contexts: Contexts, content_dir: Path, lang: str
) -> None:
    context = contexts.new("phone", lang=lang, bypass_csp=True)  # axe is injected (axe.py)
    # A voice on the device, so the Listen buttons are there to be measured too.
    context.add_init_script(stub([local(lang)], report=False))
    page = context.new_page()
    checker = Checker(page, lang)
    checker.visit("start", f"/?lang={lang}")
    page.locator("nav.languages summary").click()
    assert page.locator("nav.languages ul").is_visible()
    checker.check("start, the language list open")
    checker.visit("safety", routes.SAFETY)

    respondent = Respondent(page, js=True)
    respondent.start()
    wanted, measured, error_seen = content_kinds(content_dir), set[str](), False
    for persona in PERSONAS.values():
        if respondent.path().startswith(RESULT_PATH):
            respondent.open(f"/?lang={lang}")
            respondent.start()
        while not respondent.path().startswith(RESULT_PATH):
            kind = respondent.input_kind()
            if kind not in measured:
                checker.check(f"a {kind} question")
                measured.add(kind)
            if not error_seen and kind in ("single", "multiple", "year", "number", "zip"):
                respondent._submit(page.locator(CONTINUE))  # nothing chosen: an error
                checker.check(f"an error on a {kind} question")
                error_seen = True
            respondent.answer_current(persona.plan)
        if measured >= wanted:
            break
    assert measured >= wanted, f"never reached a question of kind {wanted - measured}"
    assert page.locator("article.finding .listen").count(), "no Listen button on the result"
    checker.check("result")
    section = page.locator("main .more-links a").first.get_attribute("href")
    assert section, "the result links no section page"
    checker.visit("a section of the result", section)
    for name, path in AFTER_RESULT.items():
        checker.visit(name, path)
    page.goto(routes.FIND_HELP)
    page.fill("#zip", "60601")
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    checker.check("find help, the organizations found")
    assert not checker.problems, "\n".join(checker.problems)
