"""Driving the chat like a browser without JavaScript: read the CSRF token, post forms."""

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import csrf_from


def start(client: TestClient, lang: str | None = None) -> str:
    page = client.get("/q/start" + (f"?lang={lang}" if lang else ""))
    response = client.post("/q/start", data={"csrf": csrf_from(page.text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/q"
    return csrf_from(client.get("/q").text)


def answer(client: TestClient, question: str, value: Any = None, **extra: Any) -> Any:
    csrf = csrf_from(client.get("/q", follow_redirects=False).text) if "csrf" not in extra else None
    data: dict[str, Any] = {"csrf": extra.pop("csrf", csrf), "question": question, **extra}
    if value is not None:
        data["value"] = value
    return client.post("/q", data=data, follow_redirects=False, headers=extra.pop("headers", {}))
