"""Issue 12, part A, without a browser: what the server answers (the browser tests in
tests/browser/test_journey_second_pass.py prove the same on screen)."""

import datetime
import re

import pytest
from fastapi.testclient import TestClient

from app.config import NEUTRAL_URL
from app.legal.basis import answers_behind
from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.respondents.resume_codes import code_hash
from tests.conftest import csrf_from
from tests.web.chat_helpers import answer, start
from tests.web.test_results import finish_in_chat, scenario, seeded  # noqa: F401 - a fixture

TITLE = re.compile(r"<title>([^<]*)</title>")


def title(html: str) -> str:
    match = TITLE.search(html)
    assert match, "no title"
    return match.group(1)


# -- P13: a title of its own on every page, never a question's words ---------------------------


def test_every_page_has_its_own_neutral_title_and_a_description(real_client: TestClient) -> None:
    titles = {}
    for path in ("/", "/q/start", "/safety", "/resume", "/privacy", "/help", "/learn", "/nope"):
        page = real_client.get(path).text
        titles[path] = title(page)
        assert re.search(r'<meta name="description" content="[^"]{40,}">', page), path
    start(real_client)
    question = real_client.get("/q").text
    titles["/q"] = title(question)
    prompt = re.search(r'<h1 id="question-heading"[^>]*>([^<]+)</h1>', question).group(1)
    assert prompt not in titles["/q"]  # titles stay in the history (docs/decisions.md)
    assert titles["/q"] == "Question 1 · Puente"
    del titles["/safety"]  # the same page as /q/start, reached from the footer
    assert len(set(titles.values())) == len(titles), titles


def test_an_htmx_step_carries_the_next_title(real_client: TestClient) -> None:
    start(real_client)
    step = answer(real_client, "who", "self", headers={"HX-Request": "true"})
    assert step.text.startswith("<title>")
    assert title(step.text).endswith("· Puente")


# -- P15: info steps are not numbered; plurals; the estimate never rises -----------------------


def test_an_info_step_has_no_question_number(real_client: TestClient) -> None:
    start(real_client)
    answer(real_client, "who", "family")
    answer(real_client, "detained", "ice")
    info = real_client.get("/q").text
    assert 'value="detained_info"' in info
    progress = re.search(r'<p class="progress"[^>]*>(.*?)</p>', info, re.S).group(1)
    assert "Question" not in progress and "Good to know" in progress


def test_choose_all_that_apply_is_said_once_in_every_language(real_client: TestClient) -> None:
    """P21: a multiple-choice question's hint says it under the prompt; the prompt, in every
    shipped language and both perspectives, does not say it again."""
    from app import i18n
    from app.flow import texts

    content = real_client.app.state.puente.content  # type: ignore[attr-defined]
    multiple = [node for node in content.nodes.values() if node.input == "multiple"]
    assert len(multiple) >= 3
    for lang in i18n.LANGUAGES:
        token = i18n.use_locale(lang)
        try:
            hint = i18n.gettext("Choose all that apply.").rstrip(".。।។")
            said = [
                (node.id, perspective)
                for node in multiple
                for perspective in ("you", "they")
                if hint in texts.prompt(node, perspective)
            ]
        finally:
            i18n.reset_locale(token)
        assert said == [], (lang, said)


@pytest.mark.parametrize(
    ("lang", "one", "two", "many"),
    [
        ("es", "aprox. 1 pregunta más", "aprox. 2 preguntas más", "preguntas más"),
        # Arabic says one and two in words (its CLDR forms; the catalog lint allows it).
        ("ar", "نحو سؤال واحد آخر", "نحو سؤالين آخرين", "أسئلة"),
    ],
)
def test_the_estimate_uses_the_languages_plural_forms(
    real_client: TestClient, lang: str, one: str, two: str, many: str
) -> None:
    """real_client: the app loads the compiled catalogs."""
    from app import i18n

    token = i18n.use_locale(lang)
    try:
        texts = {
            n: i18n.ngettext("about %(num)s more question", "about %(num)s more questions", n)
            % {"num": n}
            for n in (1, 2, 5)
        }
    finally:
        i18n.reset_locale(token)
    assert texts[1] == one
    assert texts[2] == two
    assert many in texts[5]


@pytest.mark.parametrize("name", ["family_relative_held_unknowns", "lpr_stop_time"])
def test_the_estimate_never_goes_up(real_client: TestClient, name: str) -> None:
    start(real_client)
    seen = []
    for question, value in scenario(name):
        page = real_client.get("/q").text
        more = re.search(r"about (\d+) more question", page)
        seen.append(int(more.group(1)) if more else 0)
        answer(real_client, str(question), value if isinstance(value, list) else str(value))
    assert seen == sorted(seen, reverse=True), seen


# -- P3: the resume code is not lost by a reload, a language link or a typo --------------------


def test_a_reload_of_the_code_page_keeps_the_code_written_down(real_client: TestClient) -> None:
    csrf = start(real_client)
    answer(real_client, "who", "self")
    store = real_client.app.state.puente.store
    session_id = real_client.cookies.get("sid")
    shown = real_client.post("/q/code", data={"csrf": csrf}).text
    code = re.search(r'class="code"[^>]*>([0-9A-Z-]+)<', shown).group(1)
    first_hash = store.get(session_id).resume_hash
    assert first_hash == code_hash(code)  # (store.resume would move the session: F11)
    again = real_client.post("/q/code", data={"csrf": csrf})  # the browser re-posts on reload
    assert again.status_code == 200 and 'class="code"' not in again.text
    assert "still works" in again.text
    assert store.get(session_id).resume_hash == first_hash
    # Every language link of that page leads to a page that works, in that language.
    for href in re.findall(r'href="(/q/code\?lang=[a-z]+)"', again.text):
        followed = real_client.get(href)
        assert followed.status_code == 200, href
        assert store.get(session_id).resume_hash == first_hash
    # Only a deliberate second press makes a new code, and moves the session to a new id (F11).
    new = real_client.post("/q/code", data={"csrf": csrf, "replace": "yes"}).text
    moved = real_client.cookies.get("sid")
    assert 'class="code"' in new and moved != session_id and store.get(session_id) is None
    assert store.get(moved).resume_hash not in (None, first_hash)


def test_a_wrong_code_keeps_what_was_typed(real_client: TestClient) -> None:
    form = real_client.get("/resume").text
    typed = "K7QM-3XPA-9DTR-F2WN-A8CF"
    wrong = real_client.post("/resume", data={"csrf": csrf_from(form), "code": typed})
    assert wrong.status_code == 422
    assert f'value="{typed}"' in wrong.text


# -- P4: Exit ends the session on this device --------------------------------------------------


def test_exit_without_js_ends_the_session_then_goes_to_the_neutral_site(
    real_client: TestClient,
) -> None:
    start(real_client)
    answer(real_client, "who", "self")
    store = real_client.app.state.puente.store
    session_id = real_client.cookies.get("sid")
    left = real_client.get(
        "/exit", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
    )
    assert left.status_code == 200
    assert f'http-equiv="refresh" content="0; url={NEUTRAL_URL}"' in left.text
    assert "cookies" in left.headers["clear-site-data"]
    assert store.get(session_id) is None  # no code: nothing left to come back to
    assert real_client.get("/q", follow_redirects=False).headers["location"] == "/?expired=1"


def test_exit_keeps_a_session_that_has_a_code_but_not_on_this_device(
    real_client: TestClient,
) -> None:
    csrf = start(real_client)
    answer(real_client, "who", "self")
    store = real_client.app.state.puente.store
    session_id = real_client.cookies.get("sid")
    real_client.post("/q/code", data={"csrf": csrf})
    real_client.post("/exit", data={"csrf": csrf}, follow_redirects=False)  # app.js's beacon
    assert store.get(session_id) is not None
    assert real_client.get("/q", follow_redirects=False).headers["location"] == "/?expired=1"


def test_a_link_on_another_site_cannot_end_a_session(real_client: TestClient) -> None:
    start(real_client)
    answer(real_client, "who", "self")
    session_id = real_client.cookies.get("sid")
    left = real_client.get(
        "/exit", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False
    )
    assert f"url={NEUTRAL_URL}" in left.text and "clear-site-data" not in left.headers
    assert real_client.app.state.puente.store.get(session_id) is not None


# -- P8: "Staying safe" does not start over; destructive actions ask once ----------------------


def test_staying_safe_from_the_footer_leads_back_to_the_questions(real_client: TestClient) -> None:
    start(real_client)
    answer(real_client, "who", "self")
    footer = real_client.get("/q").text
    assert 'href="/safety"' in footer and 'href="/q/start"' not in footer
    safety = real_client.get("/safety").text
    assert 'action="/q/start"' not in safety and 'href="/q"' in safety
    assert "Exit also ends your visit on this device" in safety


# -- P5, P14: help within reach; the result offers what the safety page promises --------------


def test_find_help_is_linked_from_the_start_the_footer_and_the_family_path(
    real_client: TestClient,
) -> None:
    assert 'href="/help"' in real_client.get("/").text.split("<footer")[0]
    start(real_client)
    answer(real_client, "who", "family")
    current = real_client.get("/q").text
    section = current[current.index('id="current"') : current.index("<footer")]
    assert 'href="/help"' in section
    assert 'href="/help"' in current.split("<footer")[1]


def test_the_result_opens_with_a_summary_and_offers_continue_later_and_finish(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    page = finish_in_chat(seeded, scenario("family_relative_held_unknowns"))
    main = page[page.index("<main") :]
    summary = main[main.index('class="summary"') : main.index("</section>")]
    assert "What to do now:" in summary
    assert summary.count('href="#finding-') == 3
    assert 'class="button call"' in summary and 'href="/help"' in main
    assert main.index('class="summary"') < main.index('class="jump-links"')
    assert main.index('class="jump-links"') < main.index("notice-box")
    assert 'action="/q/code"' in main and 'action="/q/finish"' in main
    # The locator is explained once on the page (P6), not in four places.
    body = main[: main.index('id="help-heading"')]
    instructions = re.findall(r"(?i)use the ICE Online Detainee Locator", body)
    assert len(instructions) == 1, instructions


def test_the_printable_result_has_the_answers_behind_each_finding_the_date_and_address(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    finish_in_chat(seeded, scenario("lpr_sale_aggravated_felony"))
    printable = seeded.get("/q/result/print").text
    assert 'Printed from <bdi dir="ltr">http://testserver</bdi> on ' in printable
    assert printable.count('class="basis"') >= 5
    # Folded parts are open on paper: a closed <details> never prints. (The header's language
    # list is a <details> too, but the header is not printed.)
    main = printable[printable.index("<main") :]
    assert all(" open" in tag for tag in re.findall(r"<details[^>]*>", main))


def test_the_answers_have_a_page_of_their_own_with_their_change_forms(
    seeded: TestClient,  # noqa: F811 - the fixture imported above
) -> None:
    """Out of the result (its 14 KB budget), one tap from its summary and from the printable;
    a change form there works like the one beside the questions."""
    answers = scenario("family_relative_held_unknowns")
    page = finish_in_chat(seeded, answers)
    summary = page[page.index('class="summary"') :]
    assert 'href="/q/answers"' in summary[: summary.index("</section>")]
    assert 'action="/q/change"' not in page
    assert 'href="/q/answers"' in seeded.get("/q/result/print").text
    listing = seeded.get("/q/answers").text
    assert title(listing) == "Your answers · Puente"
    shown = re.findall(r'id="answer-to-(\w+)"', listing)
    assert shown[0] == "who" and set(shown) >= {str(q) for q, _ in answers}
    forms = re.findall(r'name="question" value="(\w+)"', listing)
    assert forms and set(forms) <= set(shown) and "detained_info" not in forms  # info: no form
    assert 'href="/q/result"' in listing
    token = csrf_from(listing)
    changed = seeded.post(
        "/q/change", data={"csrf": token, "question": "who"}, follow_redirects=False
    )
    assert changed.status_code == 303 and changed.headers["location"] == "/q#current"
    assert 'value="who"' in seeded.get("/q").text
    assert seeded.get("/q/answers", follow_redirects=False).headers["location"] == "/q"


def test_the_answers_behind_a_finding_are_the_ones_it_reads() -> None:
    answers = {q: v for q, v in scenario("lpr_sale_aggravated_felony")}
    today = datetime.date(2026, 12, 10)
    codes = evaluate(Facts.from_answers(answers, today))
    for code in codes:
        behind = answers_behind(code, answers, today)
        assert behind and set(behind) <= set(answers), code
    assert "offense_kind" in answers_behind("aggravated_felony_likely", answers, today)
    assert "fear" not in answers_behind("aggravated_felony_likely", answers, today)


# -- P24: a favicon, and HEAD ------------------------------------------------------------------


def test_favicon_and_head(real_client: TestClient) -> None:
    icon = real_client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content.startswith(b"\x00\x00\x01\x00")
    # Cached like a static file (docs/decisions.md), not the pages' no-store.
    assert icon.headers["cache-control"] == "public, max-age=86400"
    for path in ("/", "/help", "/privacy", "/static/css/puente.css"):
        head = real_client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert int(head.headers["content-length"]) > 0


def test_htmx_is_loaded_only_by_the_questions_which_use_it(real_client: TestClient) -> None:
    """P24: a person who only looks for help, reads the library or opens the result does not
    download htmx (17 KB); the question pages, the only ones with hx- attributes, do."""
    htmx = re.compile(r'<script src="/static/vendor/htmx-[^"]+" defer></script>')
    for path in ("/", "/q/start", "/help", "/learn", "/privacy", "/share", "/resume"):
        page = real_client.get(path).text
        assert not htmx.search(page) and " hx-" not in page, path
        assert "js/app." in page, path  # the site's own script stays everywhere
    start(real_client)
    question = real_client.get("/q").text
    assert len(htmx.findall(question)) == 1 and 'hx-post="/q"' in question
    assert question.index("htmx-config") < question.index("/static/vendor/htmx-")
    assert question.index("/static/vendor/htmx-") < question.index("/static/js/app.")
