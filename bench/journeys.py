"""Per journey and language: how many screens until the result, and on which phone screen the
first Call button appears (issue 12, "Done means": the note's figures).

Real Chromium (Debian's, the browser tests' flags: nothing leaves loopback), JavaScript on, a
360×740 phone, against a fresh server (`bench/server.py`, SQLite, the shipped content). Each of
DESIGN.md's three people (plans in bench/personas.py, as the browser journeys walk them: the
person affected, a family member of someone held, an outreach worker sitting with a person)
opens the start page in the language, starts, and answers question after question by tapping,
as tests/browser/journey.py does, until the result.

Counted:
* steps: the question and information screens between the safety page and the result (the start
  and safety pages come before them, two more screens for everyone);
* first Call on the result: the 740 px screen (1 = the first) on which the first Call button in
  the result's main content ends, the page at its top, as it opens;
* before the result: the first step that shows a Call button, and the first that shows a phone
  number as a link in its text (the family path's information step has the ICE and court lines),
  with the screen as the person sees it after that step (app.js brings the step to the top of
  the screen, so screen 1 is where it starts).

    python -m bench.journeys            # prints the table for docs/benchmarks.md
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.chromium import CHROMIUM_ARGS
from bench.server import migrated_sqlite, start_server

SCREEN = 740
PHONE = {"width": 360, "height": SCREEN}
LANGS = ("en", "es", "ar")
ACCEPT_LANGUAGE = {"en": "en-US", "es": "es-MX", "ar": "ar"}
JOURNEYS = {"self": "affected", "family": "family", "outreach": "outreach"}
CHROMIUM = "/usr/bin/chromium"

# Where the bottom of the first Call button is: in the document (the result, opened at its top)
# or in the viewport (a step, which app.js has scrolled to the top of the screen).
CALL = 'a.call[href^="tel:"]'
NUMBER = 'a[href^="tel:"]:not(.call)'
CALL_BOTTOM = """([selector, inDocument]) => {
    const call = document.querySelector(selector);
    if (!call) return -1;
    const bottom = call.getBoundingClientRect().bottom;
    return inDocument ? bottom + window.scrollY : bottom;
}"""


@dataclass(frozen=True)
class Journey:
    journey: str
    lang: str
    steps: int
    info_steps: int
    result_call_screen: int | None
    early_call: str | None  # "step N (question id), screen S"
    early_number: str | None  # the same for a phone number as a link in the text


def screen_of(bottom: float) -> int | None:
    return int(bottom // SCREEN) + 1 if bottom > 0 else None


def walk(browser: object, base_url: str, journey: str, lang: str, address: str) -> Journey:
    from tests.browser.journey import RESULT_PATH, Respondent
    from tests.browser.personas import PERSONAS

    persona = PERSONAS[JOURNEYS[journey]]
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE,
        java_script_enabled=True,
        locale=ACCEPT_LANGUAGE[lang],
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[lang], "X-Forwarded-For": address},
        base_url=base_url,
    )
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        respondent = Respondent(page, js=True)
        respondent.open(persona.entry(lang))
        respondent.start()
        info = 0
        early = number = None
        for _ in range(80):
            if respondent.path().startswith(RESULT_PATH):
                break
            if respondent.input_kind() == "info":
                info += 1
            step = f"step {len(respondent.answered) + 1} ({respondent.question_id()})"
            bottom = page.evaluate(CALL_BOTTOM, [f"#current {CALL}", False])
            if early is None and bottom > 0:
                early = f"{step}, screen {screen_of(bottom)}"
            bottom = page.evaluate(CALL_BOTTOM, [f"#current {NUMBER}", False])
            if number is None and bottom > 0:
                number = f"{step}, screen {screen_of(bottom)}"
            respondent.answer_current(persona.plan)
        assert respondent.path().startswith(RESULT_PATH), respondent.answered
        page.evaluate("() => window.scrollTo(0, 0)")
        result_bottom = page.evaluate(CALL_BOTTOM, [f"main {CALL}", True])
        return Journey(
            journey,
            lang,
            len(respondent.answered),
            info,
            screen_of(result_bottom),
            early,
            number,
        )
    finally:
        context.close()


def table(journeys: list[Journey]) -> str:
    lines = [
        "| journey | language | steps (of which info) | first Call on the result: screen "
        "| a Call button before the result | a phone number link before the result |",
        "|---|---|--:|--:|---|---|",
    ]
    for j in journeys:
        result = j.result_call_screen if j.result_call_screen else "none"
        lines.append(
            f"| {j.journey} | {j.lang} | {j.steps} ({j.info_steps}) | {result} "
            f"| {j.early_call or 'none'} | {j.early_number or 'none'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    del argv
    journeys = []
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        server = start_server(migrated_sqlite(folder), folder / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    index = 0
                    for journey in JOURNEYS:
                        for lang in LANGS:
                            index += 1
                            address = f"2001:db8:c:{index:x}::1"
                            journeys.append(walk(browser, server.base_url, journey, lang, address))
                finally:
                    browser.close()
        finally:
            server.stop()
    print(table(journeys))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
