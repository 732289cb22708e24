"""F19 (security-review-2026-12): two tabs answer the last question at once. One answer
finishes the questionnaire; the other is not silently dropped into a result it was never part
of (it used to get the result's redirect): 409, a page that says it was not saved and which
question it was, the result, and a way to answer that question again."""

from fastapi.testclient import TestClient

from tests.conftest import csrf_from
from tests.web.chat_helpers import answer, start

BEFORE_LAST = [("who", "self"), ("intro", "ok"), ("case_year", "2001"), ("children_count", "2")]


def _at_the_last_question(client: TestClient) -> str:
    start(client)
    for question, value in BEFORE_LAST:
        assert answer(client, question, value).status_code == 303
    assert answer(client, "zip", "90012").status_code == 303
    return csrf_from(client.get("/q").text)  # both tabs show this page, with this token


def _post(client: TestClient, csrf: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        "/q",
        data={"csrf": csrf, "question": "goals", "value": "travel" if not htmx else "citizenship"},
        headers=headers,
        follow_redirects=False,
    )


def test_the_second_tab_is_told_its_answer_was_not_saved(client: TestClient) -> None:
    csrf = _at_the_last_question(client)
    first = client.post(
        "/q",
        data={"csrf": csrf, "question": "goals", "value": "citizenship"},
        follow_redirects=False,
    )
    assert first.status_code == 303 and first.headers["location"] == "/q/result"
    second = _post(client, csrf)
    assert second.status_code == 409
    html = second.text
    assert "This answer was not saved" in html and "another tab or window" in html
    assert 'href="/q/result"' in html
    assert 'name="question" value="goals"' in html and 'action="/q/change"' in html
    # The first tab's answer stands; the second's is in nothing stored.
    result = client.get("/q/result")
    assert result.status_code == 200
    # Answering it again reopens the question, and the second tab's answer can be given.
    token = csrf_from(html)
    reopened = client.post(
        "/q/change", data={"csrf": token, "question": "goals"}, follow_redirects=False
    )
    assert reopened.status_code == 303
    assert _post(client, csrf_from(client.get("/q").text)).headers["location"] == "/q/result"


def test_with_htmx_the_refusal_replaces_the_question(client: TestClient) -> None:
    csrf = _at_the_last_question(client)
    assert _post(client, csrf).status_code == 303
    second = _post(client, csrf, htmx=True)
    assert second.status_code == 409 and "HX-Redirect" not in second.headers
    assert second.text.lstrip().startswith('<section id="current"')
    assert "<html" not in second.text and "This answer was not saved" in second.text


def test_the_api_answers_409_too(client: TestClient) -> None:
    created = client.post("/api/v1/sessions", json={"locale": "en"}).json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    for question, value in [*BEFORE_LAST, ("zip", "90012"), ("goals", ["travel"])]:
        ok = client.post(
            "/api/v1/session/answers", json={"question": question, "value": value}, headers=auth
        )
        assert ok.status_code == 200, ok.text
    late = client.post(
        "/api/v1/session/answers",
        json={"question": "goals", "value": ["citizenship"]},
        headers=auth,
    )
    assert late.status_code == 409 and late.json()["code"] == "not_current_question"
