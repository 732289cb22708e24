"""Walking the fixture questionnaire through the chat, as a browser without JS would."""

from fastapi.testclient import TestClient

from tests.conftest import csrf_from

# The fixture flow (tests/fixtures/content/flow/00-small.yaml), answered to a result.
FULL_PATH: list[tuple[str, dict[str, str | list[str]]]] = [
    ("who", {"value": "self"}),
    ("intro", {"value": "ok"}),
    ("case_year", {"value": "2015"}),
    ("children_count", {"value": "2"}),
    ("zip", {"value": "90012"}),
    ("goals", {"value": ["travel"]}),
]


def start(client: TestClient, headers: dict[str, str] | None = None) -> str:
    """Open the safety page, press start; returns the chat page's CSRF token."""
    page = client.get("/q/start", headers=headers)
    assert page.status_code == 200
    started = client.post(
        "/q/start", data={"csrf": csrf_from(page.text)}, headers=headers, follow_redirects=False
    )
    assert started.status_code == 303, started.text
    chat = client.get("/q", headers=headers)
    assert chat.status_code == 200
    return csrf_from(chat.text)


def answer(
    client: TestClient,
    token: str,
    question: str,
    data: dict[str, str | list[str]],
    headers: dict[str, str] | None = None,
) -> str:
    response = client.post(
        "/q",
        data={"csrf": token, "question": question, **data},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


def finish(client: TestClient, headers: dict[str, str] | None = None) -> str:
    """Start and answer to a result; returns the CSRF token of the session."""
    token = start(client, headers)
    for question, data in FULL_PATH:
        answer(client, token, question, data, headers)
    return token
