"""A simulated person going through the chat in a real browser, with or without JavaScript.

Journeys do not hard-code the questionnaire. `Respondent.answer_current` looks at whatever
question the page shows and answers it from a small plan (question id -> option value(s) or a
typed value); a question the plan does not name gets "I don't know" where the question offers
it, else a "don't know"-like option, else the first option. So the same journey runs on the test
fixture and on the shipped questionnaire, and keeps running as questions are added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from bench.respondent import TYPED_DEFAULTS, UNKNOWN, Plan, PlanValue, pick

MAX_STEPS = 60
RESULT_PATH = "/q/result"

CURRENT = "#current"
QUESTION_ID = "#current input[name=question]"
CONTINUE = "#current .buttons button.primary"
DONT_KNOW_BUTTON = "#current button[name=unknown]"


# Marks the page as "waiting for an htmx answer" (a full navigation clears the mark) and notes
# when the swapped question has settled, after app.js's own afterSettle handler.
WATCH_SETTLE = """() => {
    window.__puenteSwapped = false;
    window.__puenteSettled = false;
    if (window.__puenteWatching) return;
    window.__puenteWatching = true;
    document.addEventListener('htmx:afterSettle', event => {
        const current = document.getElementById('current');
        if (current && (current === event.target || current.contains(event.target))) {
            window.__puenteSettled = true;
        }
    });
}"""


@dataclass
class Respondent:
    """One person in one browser tab."""

    page: Page
    js: bool
    answered: list[str] = field(default_factory=list)

    # -- where am I -------------------------------------------------------------------------
    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url).split("#")[0]

    def question_id(self) -> str | None:
        field_ = self.page.locator(QUESTION_ID)
        return field_.get_attribute("value") if field_.count() else None

    def input_kind(self) -> str:
        """What the current question asks for: single, select, multiple, year, number, zip, court
        (a list of places, as radios), info.

        The form names its kind (data-input); a long single choice shows as a select.
        """
        current = self.page.locator(CURRENT)
        if current.locator("select").count():
            return "select"
        kind = current.locator("form.step").get_attribute("data-input")
        assert kind, "the question form does not say what it asks for"
        return kind

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    # -- moving -----------------------------------------------------------------------------
    def open(self, path: str = "/") -> None:
        self.page.goto(path)

    def start(self) -> None:
        """Press Start on the start page, then start on the safety page that follows."""
        start_link = self.page.locator("a[href='/q/start']")
        if start_link.count():
            with self.page.expect_navigation():
                start_link.first.click()
        self._submit(self.page.locator("form[action='/q/start'] button[type=submit]"))

    def answer_current(self, plan: Plan) -> str:
        """Answer whatever question is shown; returns its id."""
        question = self.question_id()
        assert question, f"no question on {self.page.url}: {self.heading()!r}"
        wanted = plan.get(question)
        kind = self.input_kind()
        if wanted == UNKNOWN:
            self._submit(self.page.locator(DONT_KNOW_BUTTON))
        elif kind == "info":
            self._submit(self.page.locator(CONTINUE))
        elif kind in ("single", "multiple", "select", "court"):
            self._choose(kind, wanted)
            self._submit(self.page.locator(CONTINUE))
        elif wanted is None and self.page.locator(DONT_KNOW_BUTTON).count():
            self._submit(self.page.locator(DONT_KNOW_BUTTON))
        else:
            self.page.fill("#answer", str(wanted or TYPED_DEFAULTS[kind]))
            self._submit(self.page.locator(CONTINUE))
        self.answered.append(question)
        return question

    def run_to_result(self, plan: Plan, stop_before: str | None = None) -> list[str]:
        """Answer question after question until the result page (or `stop_before` is shown)."""
        for _ in range(MAX_STEPS):
            if self.path().startswith(RESULT_PATH):
                return self.answered
            question = self.question_id()
            assert question, f"neither a question nor the result at {self.page.url}"
            if question == stop_before:
                return self.answered
            self.answer_current(plan)
        raise AssertionError(f"no result after {MAX_STEPS} answers: {self.answered}")

    def press(self, selector: str) -> None:
        """Submit a form button (Go back, Change this answer, ...) and wait for the page."""
        self._submit(self.page.locator(selector).first)

    # -- internals --------------------------------------------------------------------------
    def _choose(self, kind: str, wanted: PlanValue | None) -> None:
        current = self.page.locator(CURRENT)
        if kind == "select":
            values = current.locator("select option").evaluate_all(
                "options => options.map(o => o.value).filter(Boolean)"
            )
            self.page.select_option(f"{CURRENT} select", pick(values, wanted)[0])
            return
        values = current.locator("input[name=value]").evaluate_all(
            "inputs => inputs.map(i => i.value)"
        )
        for value in pick(values, wanted):
            choice = current.locator(f"input[name=value][value='{value}']")
            # A person taps the label (the styled radio sits under it), so do the same.
            current.locator(f"label[for='{choice.get_attribute('id')}']").click()
            assert choice.is_checked(), f"tapping the label did not choose {value}"

    def _submit(self, button: object) -> None:
        """Click a submit button; wait for the next page (no JS) or the htmx swap (JS)."""
        before = self.question_id()
        if not self.js:
            with self.page.expect_navigation():
                button.click()  # type: ignore[attr-defined]
            return
        self.submit_in_place(before, button.click)  # type: ignore[attr-defined]

    def submit_in_place(self, before: str | None, action: Callable[[], object]) -> None:
        """With JS: do what submits the answer (a click, Enter), then wait for the swap."""
        self.page.evaluate(WATCH_SETTLE)
        action()
        self._wait_for_change(before)

    def _wait_for_change(self, before: str | None) -> None:
        """htmx swaps the question in place, or follows HX-Redirect with a full navigation.

        After a swap, wait for htmx to settle too: app.js moves focus (and so scrolls) then,
        and an audit or a click before it would race that scroll."""
        script = """before => {
            if (window.__puenteSwapped === undefined) return document.readyState === 'complete';
            if (document.querySelector('.htmx-request') || !window.__puenteSettled) return false;
            const q = document.querySelector('#current input[name=question]');
            const now = q ? q.value : null;
            return now !== before || !!document.querySelector('#current .error-summary');
        }"""
        for _ in range(3):
            try:
                self.page.wait_for_function(script, arg=before, timeout=10_000)
                self.page.wait_for_load_state()
                return
            except PlaywrightError as error:  # the page navigated while we were watching
                if "context was destroyed" not in str(error) and "navigat" not in str(error):
                    raise
                self.page.wait_for_load_state()
        raise AssertionError("the page did not change after the answer")
