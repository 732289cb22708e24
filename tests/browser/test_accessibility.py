"""Accessibility in real Chromium: axe-core on every page type, keyboard, focus, zoom, motion.

Issue 6 (2). axe runs (WCAG 2.2 A/AA and best practices, zero violations allowed) in English
and Arabic at phone and desktop sizes (the phone size of pages that the layout walk audits in
every language is left to it: DESKTOP_AUDITS) on: the start page, each kind of question input the
questionnaire uses (seen after htmx swaps, as a person with JavaScript sees them), an error,
the result, find help, what we store, the library and an article, resume, the resume code,
not found, staff login and statistics.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from app.flow.content import load_content
from app.web.public.views import MAX_RADIOS
from tests.browser import routes
from tests.browser.axe import assert_accessible
from tests.browser.conftest import Contexts
from tests.browser.journey import CONTINUE, RESULT_PATH, Respondent
from tests.browser.personas import PERSONAS, assert_language, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser
# English and Arabic at both sizes; Spanish on the phone, its people's usual screen (issue 12).
AUDITS = [(lang, viewport) for lang in ("en", "ar") for viewport in ("phone", "desktop")]
AUDITS.append(("es", "phone"))
AUDIT_IDS = [f"{lang}-{viewport}" for lang, viewport in AUDITS]
# The pages that test_scripts_and_layout.py already audits with axe on the phone in every
# shipped language (each question kind and an error; the library, an article, share and its
# flyer, what we store, resume, the error page): here at the desktop size only, in English and
# Arabic. Auditing them twice on the phone was about three minutes of CI's browser run.
DESKTOP_AUDITS = [(lang, viewport) for lang, viewport in AUDITS if viewport == "desktop"]
DESKTOP_IDS = [f"{lang}-{viewport}" for lang, viewport in DESKTOP_AUDITS]


def content_kinds(content_dir: Path) -> set[str]:
    """The input kinds the questionnaire uses (a long single choice shows as a select)."""
    kinds = set()
    for node in load_content(content_dir).nodes.values():
        if node.type == "info":
            kinds.add("info")
        elif node.type == "question" and node.input:
            long_choice = node.input == "single" and len(node.options) > MAX_RADIOS
            kinds.add("select" if long_choice else node.input)
    return kinds


def audit_page(contexts: Contexts, lang: str, viewport: str) -> Page:
    page = contexts.page(viewport, lang=lang, bypass_csp=True)
    page.goto(f"/?lang={lang}")
    return page


@pytest.mark.parametrize(("lang", "viewport"), DESKTOP_AUDITS, ids=DESKTOP_IDS)
def test_every_question_kind_and_an_error(
    contexts: Contexts, content_dir: Path, lang: str, viewport: str
) -> None:
    """Walk the personas' journeys; audit each new input kind the first time it shows."""
    page = audit_page(contexts, lang, viewport)
    assert_accessible(page, "the start page")
    wanted = content_kinds(content_dir)
    audited: set[str] = set()
    error_audited = False
    for persona in PERSONAS.values():
        respondent = Respondent(page, js=True)
        respondent.open(f"/?lang={lang}")
        respondent.start()
        while not respondent.path().startswith(RESULT_PATH) and audited != wanted:
            kind = respondent.input_kind()
            if kind not in audited:
                assert_language(page, lang)
                assert_accessible(page, f"a {kind} question")
                audited.add(kind)
            if not error_audited and kind in ("single", "multiple", "year", "number", "zip"):
                respondent._submit(page.locator(CONTINUE))  # nothing chosen: an error
                assert page.locator("#current .error-summary").count(), "no error summary"
                assert_accessible(page, f"an error on a {kind} question")
                error_audited = True
            respondent.answer_current(persona.plan)
        if audited == wanted:
            break
    assert error_audited
    assert audited == wanted, f"never reached a question of kind {wanted - audited}"


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_result_and_find_help(contexts: Contexts, lang: str, viewport: str) -> None:
    page = audit_page(contexts, lang, viewport)
    respondent = Respondent(page, js=True)
    respondent.start()
    respondent.run_to_result(PERSONAS["affected"].plan)
    assert respondent.path().startswith(RESULT_PATH)
    assert_accessible(page, "the result")
    page.goto(f"{routes.FIND_HELP}?lang={lang}")
    assert_accessible(page, "find help")
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert page.locator(".error-summary").count(), "an empty search should explain itself"
    assert_accessible(page, "find help, with an error")
    page.fill("#zip", "60601")
    with page.expect_navigation():
        page.locator("form[action='/help'] button[type=submit]").click()
    assert page.locator("#help-heading").count()
    assert_accessible(page, "find help, the organizations found")


STATIC_PAGES = {
    "resume": routes.RESUME,
    "not found": routes.NOT_FOUND,
    "what we store": routes.WHAT_WE_STORE,
    "library": routes.LIBRARY,
    "an article": routes.ARTICLE,
    "staff login": routes.STAFF_LOGIN,
    "share": routes.SHARE,
    "share flyer": routes.SHARE_FLYER,
}


# Staff login is not among the layout walk's pages: it keeps every size here.
OTHER_PAGE_AUDITS = [
    pytest.param(name, lang, viewport, id=f"{name}-{lang}-{viewport}")
    for name in STATIC_PAGES
    for lang, viewport in (AUDITS if name == "staff login" else DESKTOP_AUDITS)
]


@pytest.mark.parametrize(("name", "lang", "viewport"), OTHER_PAGE_AUDITS)
def test_other_pages(contexts: Contexts, name: str, lang: str, viewport: str) -> None:
    page = contexts.page(viewport, lang=lang, bypass_csp=True)
    response = page.goto(f"{STATIC_PAGES[name]}?lang={lang}")
    assert response is not None
    expected = 404 if name == "not found" else 200
    assert response.status == expected, f"{name} at {STATIC_PAGES[name]}: {response.status}"
    assert_language(page, lang)
    assert_accessible(page, name)


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_resume_code_and_its_errors(contexts: Contexts, lang: str, viewport: str) -> None:
    page = audit_page(contexts, lang, viewport)
    respondent = Respondent(page, js=True)
    respondent.start()
    with page.expect_navigation():
        page.locator("form[action='/q/code'] button").click()
    assert_accessible(page, "the resume code")
    page.goto(routes.RESUME)
    page.fill("#code", "AAAA-BBBB-CCCC-DDDD-EEEE")
    with page.expect_navigation():
        page.locator("form[action='/resume'] button[type=submit]").click()
    assert page.locator(".error-summary").count()
    assert_accessible(page, "a wrong resume code")


def staff_page(
    contexts: Contexts, staff_login: object, viewport: str, lang: str, path: str
) -> Page:
    """A signed-in staff member's page, ready for axe."""
    page = contexts.page(viewport, lang=lang, bypass_csp=True)
    staff_login(page)  # type: ignore[operator]
    response = page.goto(f"{path}?lang={lang}")
    assert response is not None and response.status == 200
    return page


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_staff_statistics(
    contexts: Contexts, staff_login: object, lang: str, viewport: str
) -> None:
    page = staff_page(contexts, staff_login, viewport, lang, routes.STAFF_STATISTICS)
    assert_accessible(page, "staff statistics")


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_staff_audit_log(contexts: Contexts, staff_login: object, lang: str, viewport: str) -> None:
    page = staff_page(contexts, staff_login, viewport, lang, routes.STAFF_AUDIT)
    assert_accessible(page, "staff audit log")


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_staff_content_review(
    contexts: Contexts, staff_login: object, lang: str, viewport: str
) -> None:
    # With the translations' review table (locales/CODE/review.toml) above the items.
    page = staff_page(contexts, staff_login, viewport, lang, routes.STAFF_REVIEW)
    assert_accessible(page, "staff content review")


@pytest.mark.parametrize(("lang", "viewport"), AUDITS, ids=AUDIT_IDS)
def test_staff_directory_form_with_errors(
    contexts: Contexts, staff_login: object, lang: str, viewport: str
) -> None:
    """The directory's add form, sent with bad values: the error summary links to each field."""
    page = staff_page(contexts, staff_login, viewport, lang, "/staff/directory/new")
    page.fill("#url", "not a web address")
    page.fill("#phone", "12")
    with page.expect_navigation():
        page.locator("form[action='/staff/directory'] button[type=submit]").click()
    links = page.locator(".error-summary a[href^='#']")
    assert links.count() >= 3, page.content()
    assert_accessible(page, "the staff directory form with errors")
    links.first.click()  # a link of the summary takes the keyboard to its field
    target = links.first.get_attribute("href")
    assert page.evaluate("() => '#' + document.activeElement.id") == target


# -- keyboard, focus, zoom, motion ------------------------------------------------------------

FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';  // past the last element: Tab wraps around
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    return outline || shadow ? '' : `no visible focus on ${el.outerHTML.slice(0, 120)}`;
}"""


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`, checking focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_VISIBLE)
        assert not problem, problem
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def keyboard_answer(page: Page, respondent: Respondent) -> None:
    """Answer the current question with the keyboard alone: Tab, Space, typing, Enter."""
    kind = respondent.input_kind()
    before = respondent.question_id()
    if kind in ("single", "multiple"):
        tab_to(page, "#current input[name=value]")
        page.keyboard.press("Space")
        assert page.evaluate("() => document.activeElement.checked"), "Space did not choose"
    elif kind == "select":
        tab_to(page, "#current select")
        page.keyboard.press("ArrowDown")
    elif kind in ("year", "number", "zip"):
        tab_to(page, "#current input#answer")
        page.keyboard.type({"zip": "10001", "number": "1"}.get(kind, "2015"))
    tab_to(page, CONTINUE)
    if respondent.js:
        respondent.submit_in_place(before, lambda: page.keyboard.press("Enter"))
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_keyboard_only_journey(contexts: Contexts, js: bool) -> None:
    """From the start page to a number to call with Tab, Space and Enter, focus visible."""
    page = contexts.page("phone", js=js)
    respondent = Respondent(page, js)
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "exit", "Exit is not first"
    tab_to(page, "a[href='/q/start']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "form[action='/q/start'] button")  # the safety page's start button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(60):
        if respondent.path().startswith(RESULT_PATH):
            break
        keyboard_answer(page, respondent)
    assert respondent.path().startswith(RESULT_PATH)
    # The result ends with who can help: a keyboard reaches the first number to call.
    tab_to(page, "section:has(#help-heading) a[href^='tel:']", limit=200)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 640, "height": 400}, {"width": 320, "height": 640}],
    ids=["desktop-at-200pct", "reflow-320px"],
)
def test_zoom_without_horizontal_scrolling(contexts: Contexts, viewport: dict[str, int]) -> None:
    """1280 px at 200% zoom is a 640 px layout; 320 px is WCAG 1.4.10's reflow width."""
    context = contexts.new("phone", lang="ar")
    page = context.new_page()
    page.set_viewport_size(viewport)
    respondent = Respondent(page, js=True)
    for path in (routes.START, routes.RESUME):
        page.goto(path)
        assert_no_horizontal_scroll(page)
    page.goto(routes.START)
    respondent.start()
    for _ in range(60):
        assert_no_horizontal_scroll(page)
        if respondent.path().startswith(RESULT_PATH):
            break
        respondent.answer_current(PERSONAS["affected"].plan)
    page.goto(routes.FIND_HELP)
    assert_no_horizontal_scroll(page)


NO_MOTION = """() => {
    const moving = [];
    for (const el of document.querySelectorAll('*')) {
        const s = getComputedStyle(el);
        const seconds = v => Math.max(...v.split(',').map(parseFloat));
        if (seconds(s.transitionDuration) > 0.01 || (s.animationName !== 'none'
            && seconds(s.animationDuration) > 0.01) || s.scrollBehavior === 'smooth') {
            moving.push(el.tagName + '.' + el.className);
        }
    }
    return moving;
}"""


def test_respects_reduced_motion(contexts: Contexts) -> None:
    page = contexts.page("phone", reduced_motion="reduce")
    respondent = Respondent(page, js=True)
    page.goto(routes.START)
    assert page.evaluate(NO_MOTION) == []
    respondent.start()
    assert page.evaluate(NO_MOTION) == []
    respondent.answer_current(PERSONAS["affected"].plan)
    assert page.evaluate(NO_MOTION) == []
