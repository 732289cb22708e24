"""The chat at /q without JavaScript (Post/Redirect/Get) and with htmx (fragments)."""

import re

from fastapi.testclient import TestClient

from tests.conftest import csrf_from
from tests.web.chat_helpers import answer, start

SELF_PATH = [
    ("who", "self"),
    ("intro", "ok"),
    ("case_year", "2001"),
    ("children_count", "2"),
    ("zip", "90012"),
    ("goals", ["travel"]),
]


def test_start_page_explains_and_offers_to_start(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in page.text
    assert "anonymous" in page.text.lower() or "do not give your name" in page.text
    assert page.text.index('id="exit"') < page.text.index('class="skip"')


def test_a_full_path_without_javascript(client: TestClient) -> None:
    start(client)
    for question, value in SELF_PATH:
        response = answer(client, question, value)
        assert response.status_code == 303
    assert response.headers["location"] == "/q/result"
    assert client.get("/q", follow_redirects=False).headers["location"] == "/q/result"


def test_question_page_is_a_form_with_a_fieldset_and_legend(client: TestClient) -> None:
    start(client)
    page = client.get("/q").text
    assert '<form method="post" action="/q"' in page
    # The group is named by its legend and described by the progress (and help) once (P16).
    assert re.search(
        r'<fieldset aria-describedby="question-progress[^"]*"[^>]*>\s*<legend><h1[^>]*>'
        r"Who is this about\?</h1></legend>",
        page,
    )
    assert page.count('type="radio"') == 3


def test_transcript_lists_earlier_answers_with_a_change_button(client: TestClient) -> None:
    start(client)
    answer(client, "who", "self")
    answer(client, "intro", "ok")
    page = client.get("/q").text
    transcript = page[page.index('<ol id="transcript"') : page.index("</ol>")]
    assert transcript.count("<li") == 2
    assert "Myself" in transcript
    assert transcript.count('action="/q/change"') == 1  # the info step has nothing to change


def test_htmx_answer_returns_only_the_new_bubble_and_next_question(client: TestClient) -> None:
    start(client)
    response = answer(client, "who", "self", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'hx-swap-oob="beforeend:#transcript"' in response.text
    assert response.text.count("<li") == 1 and 'id="current"' in response.text
    assert len(response.content) < 3 * 1024 * 4  # raw; the gzip budget test is in tests/budgets


def test_invalid_answer_shows_an_error_summary_and_keeps_answers(client: TestClient) -> None:
    start(client)
    answer(client, "who", "self")
    answer(client, "intro", "ok")
    response = answer(client, "case_year", "19x5")
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "Enter a year using digits, like 2019." in response.text  # a year, not "like 3"
    assert "<title>Error: Question 2 · Puente</title>" in response.text
    assert 'value="19x5"' in response.text
    assert "Myself" in response.text  # what was saved is still there


def test_a_year_in_arabic_indic_digits_is_saved(client: TestClient) -> None:
    # Journey review P12: phones set to Arabic type ٢٠٠١; the ZIP code was already read so.
    start(client)
    answer(client, "who", "self")
    answer(client, "intro", "ok")
    assert answer(client, "case_year", "٢٠٠١").status_code == 303
    assert "2001" in client.get("/q").text


def test_invalid_answer_via_htmx_is_a_422_fragment(client: TestClient) -> None:
    start(client)
    response = answer(client, "who", "mayor", headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "<html" not in response.text and "There is a problem" in response.text


def test_replayed_answer_is_refused_without_losing_anything(client: TestClient) -> None:
    start(client)
    answer(client, "who", "self")
    response = answer(client, "who", "family")
    assert response.status_code == 409
    assert "already moved past" in response.text
    assert "The next questions are about your case." in response.text


def test_unknown_question_is_refused(client: TestClient) -> None:
    start(client)
    response = answer(client, "no_such_question", "x")
    assert response.status_code == 409


def test_i_dont_know_button_on_number_questions(client: TestClient) -> None:
    start(client)
    answer(client, "who", "self")
    answer(client, "intro", "ok")
    assert answer(client, "case_year", unknown="1").status_code == 303
    assert "I don&#39;t know" in client.get("/q").text


def test_back_change_and_start_over(client: TestClient) -> None:
    csrf = start(client)
    for question, value in SELF_PATH[:4]:
        answer(client, question, value)
    client.post("/q/back", data={"csrf": csrf})
    assert 'value="children_count"' in client.get("/q").text
    client.post("/q/change", data={"csrf": csrf, "question": "who"})
    page = client.get("/q").text
    assert 'name="question" value="who"' in page and 'class="exchange"' not in page
    answer(client, "who", "family")
    assert "Are they detained right now?" in client.get("/q").text
    asked = client.post("/q/restart", data={"csrf": csrf})
    assert "Start over?" in asked.text  # asks once before acting (P8)
    assert "Are they detained right now?" in client.get("/q").text
    client.post("/q/restart", data={"csrf": csrf, "confirm": "yes"})
    assert 'name="question" value="who"' in client.get("/q").text


def test_forms_without_a_valid_token_are_refused(client: TestClient) -> None:
    start(client)
    assert answer(client, "who", "self", csrf="0" * 32).status_code == 403
    assert answer(client, "who", "self", csrf="").status_code == 403


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    csrf = start(client)
    data = {"csrf": csrf, "question": "who", "value": "self"}
    foreign = client.post("/q", data=data, headers={"Origin": "https://evil.example"})
    cross = client.post("/q", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403 and cross.status_code == 403


def test_session_cookie_is_httponly_lax_and_lasts_only_the_browser_session(
    client: TestClient,
) -> None:
    page = client.get("/q/start")
    response = client.post("/q/start", data={"csrf": csrf_from(page.text)}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "max-age" not in cookie and "expires" not in cookie


def test_tampered_cookie_starts_over_with_a_message(client: TestClient) -> None:
    client.cookies.set("sid", "forged-session-id")
    response = client.get("/q", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?expired=1"
    assert "could not be found" in client.get("/?expired=1").text.lower()


def test_delete_my_answers_deletes_at_once(client: TestClient) -> None:
    csrf = start(client)
    answer(client, "who", "self")
    state = client.app.state.puente
    session_id = client.cookies.get("sid")
    assert state.store.get(session_id) is not None
    asked = client.post("/q/delete", data={"csrf": csrf}, follow_redirects=False)
    assert asked.status_code == 200 and "Delete your answers?" in asked.text  # asks once (P8)
    assert state.store.get(session_id) is not None
    response = client.post(
        "/q/delete", data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert response.headers["location"] == "/?deleted=1"
    assert state.store.get(session_id) is None


def test_resume_code_is_shown_once_and_works_elsewhere(app, client: TestClient) -> None:
    csrf = start(client)
    answer(client, "who", "self")
    page = client.post("/q/code", data={"csrf": csrf}).text
    code = re.search(r'class="code"[^>]*>([0-9A-Z-]+)<', page).group(1)
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code)
    row = app.state.puente.store.get(client.cookies.get("sid"))
    assert row.resume_hash and code.replace("-", "") not in row.resume_hash

    with TestClient(app) as other_device:
        form = other_device.get("/resume").text
        typed = code.lower().replace("-", " ")
        resumed = other_device.post(
            "/resume", data={"csrf": csrf_from(form), "code": typed}, follow_redirects=False
        )
        assert resumed.status_code == 303
        assert "The next questions are about your case." in other_device.get("/q").text


def test_wrong_resume_code_gets_a_clear_message(client: TestClient) -> None:
    form = client.get("/resume?lang=es").text
    response = client.post("/resume", data={"csrf": csrf_from(form), "code": "AAAA-BBBB"})
    assert response.status_code == 422
    assert '<html lang="es"' in response.text


def test_language_switch_keeps_answers_and_sets_direction(client: TestClient) -> None:
    start(client)
    answer(client, "who", "self")
    page = client.get("/q?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in page
    assert client.app.state.puente.store.get(client.cookies.get("sid")).locale == "ar"
    assert 'name="question" value="intro"' in page


def test_accept_language_picks_a_shipped_language(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de;q=0.9, es-MX;q=0.8, en;q=0.1"})
    assert '<html lang="es"' in page.text
    assert '<html lang="en"' in client.get("/?lang=zz").text


def test_oversized_body_is_refused_with_413(client: TestClient) -> None:
    csrf = start(client)
    response = client.post("/q", data={"csrf": csrf, "question": "who", "value": "x" * 20000})
    assert response.status_code == 413
    assert answer(client, "who", "self").status_code == 303


def test_unknown_page_is_a_404_page_not_a_stack_trace(client: TestClient) -> None:
    response = client.get("/no/such/page?lang=es")
    assert response.status_code == 404 and '<html lang="es"' in response.text
    assert "Traceback" not in response.text
