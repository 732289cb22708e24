"""T3.3: every form POST refuses a missing token, another session's token, a foreign Origin and
Sec-Fetch-Site: cross-site. T3.4: cookie flags."""

from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import csrf_from, make_settings
from tests.security.flow_helpers import start
from tests.security.route_walk import is_exempt, unsafe_routes


def _other_sessions_token(app) -> str:
    with TestClient(app, base_url="http://testserver") as other:
        return start(other)


def _respondent_posts(app) -> list[tuple[str, str]]:
    """The respondent's unsafe routes, from the app's own table (staff forms: tests/staff)."""
    return sorted(
        (route.method, route.path)
        for route in unsafe_routes(app.routes)
        if not is_exempt(route.path) and not route.path.startswith("/staff")
    )


def test_form_posts_refuse_forged_requests(client: TestClient, app) -> None:
    routes = _respondent_posts(app)
    assert {("POST", "/q"), ("POST", "/q/start"), ("POST", "/help")} <= set(routes)
    foreign = _other_sessions_token(app)
    for method, path in routes:
        _refuses_forgeries(client, foreign, method, path)


def _refuses_forgeries(client: TestClient, foreign: str, method: str, path: str) -> None:
    token = start(client)
    assert foreign != token
    form = {"question": "who", "value": "self", "code": "K7QM-3XPA-9DTR-F2WN-A8CE"}
    attempts = {
        "missing token": ({**form}, {}),
        "another session's token": ({**form, "csrf": foreign}, {}),
        "foreign Origin": ({**form, "csrf": token}, {"Origin": "https://evil.example"}),
        "cross-site fetch": ({**form, "csrf": token}, {"Sec-Fetch-Site": "cross-site"}),
        # Under Referrer-Policy: no-referrer browsers send Origin: null on our own posts; fetch
        # metadata then decides, and a null Origin from another site is refused.
        "null Origin, cross-site": (
            {**form, "csrf": token},
            {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        ),
        "null Origin, same-site but another origin": (
            {**form, "csrf": token},
            {"Origin": "null", "Sec-Fetch-Site": "same-site"},
        ),
    }
    for name, (data, headers) in attempts.items():
        response = client.request(method, path, data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 403, f"{path}: {name} gave {response.status_code}"
        assert "This form expired or came from another site" in response.text
    # and the same request with the right token and our own Origin goes through
    response = client.request(
        method,
        path,
        data={**form, "csrf": token},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert response.status_code != 403, path


def _cookies(response) -> dict[str, str]:
    """Each Set-Cookie header, by cookie name, as the raw header."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        found[header.split("=", 1)[0]] = header
    return found


def _flags(header: str) -> dict[str, str | bool]:
    parsed = SimpleCookie()
    parsed.load(header)
    (morsel,) = parsed.values()
    return {key: morsel[key] for key in morsel if morsel[key]}


@pytest.fixture
def production_client(clean_db):
    settings = make_settings(clean_db).model_copy(update={"environment": "production"})
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        yield client
    app.state.puente.db.dispose()


def test_respondent_cookies_are_host_only_session_cookies(production_client) -> None:
    page = production_client.get("/q/start?lang=es")
    started = production_client.post(
        "/q/start", data={"csrf": csrf_from(page.text)}, follow_redirects=False
    )
    cookies = _cookies(started)
    assert set(cookies) == {"__Host-sid"}
    flags = _flags(cookies["__Host-sid"])
    assert flags["secure"] and flags["httponly"]
    assert str(flags["samesite"]).lower() == "lax"
    assert flags["path"] == "/"
    assert "max-age" not in flags and "expires" not in flags and "domain" not in flags
    value = cookies["__Host-sid"].split("=", 1)[1].split(";")[0]
    assert len(value) >= 32  # 32 random bytes, url-safe: well over 128 bits


def test_finish_and_clear_sends_clear_site_data(production_client) -> None:
    page = production_client.get("/q/start")
    production_client.post("/q/start", data={"csrf": csrf_from(page.text)})
    chat = production_client.get("/q")
    response = production_client.post(
        "/q/finish", data={"csrf": csrf_from(chat.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/?cleared=1"
    assert response.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    cleared = _cookies(response)
    assert "__Host-sid" in cleared and "max-age=0" in cleared["__Host-sid"].lower()
    assert production_client.get("/q", follow_redirects=False).status_code == 303
