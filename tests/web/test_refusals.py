"""Each kind of failed guard (app.web.deps.Refused) gets the answer its handler used to give:
the refusal pages, the redirects (303, or HX-Redirect for htmx) and the API's JSON errors."""

from fastapi.testclient import TestClient

from tests.conftest import csrf_from
from tests.staff.helpers import make_user, sign_in
from tests.web.chat_helpers import start

HTMX = {"HX-Request": "true"}


def test_no_session_goes_back_to_the_start_page(client: TestClient) -> None:
    token = csrf_from(client.get("/resume").text)  # bound to "anonymous": no session yet
    for method, path, data in (("GET", "/q", None), ("POST", "/q/back", {"csrf": token})):
        plain = client.request(method, path, data=data, follow_redirects=False)
        assert plain.status_code == 303 and plain.headers["location"] == "/?expired=1"
        htmx = client.request(method, path, data=data, headers=HTMX, follow_redirects=False)
        assert htmx.status_code == 200 and htmx.headers["hx-redirect"] == "/?expired=1"
    answer = client.post("/q", data={"csrf": token, "question": "who", "value": "self"})
    assert answer.url.path == "/" and "could not be found" in answer.text  # one read: none


def test_the_result_waits_for_the_last_answer(client: TestClient) -> None:
    start(client)
    for path in ("/q/result", "/q/result/print", "/q/answers"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/q"


def test_a_forged_respondent_form_gets_the_refusal_page_in_its_language(
    client: TestClient,
) -> None:
    start(client)
    response = client.post("/q/back?lang=es", data={"csrf": "forged"})
    assert response.status_code == 403
    assert '<html lang="es"' in response.text
    assert "Este formulario venció o vino de otro sitio." in response.text


def test_staff_refusals(client: TestClient, app) -> None:
    plain = client.get("/staff/partners", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/staff/login?next=partners"
    htmx = client.get("/staff/review", headers=HTMX, follow_redirects=False)
    assert htmx.headers["hx-redirect"] == "/staff/login?next=review"
    code = client.get("/staff/login/code", follow_redirects=False)
    assert code.status_code == 303 and code.headers["location"] == "/staff/login"
    forged = client.post("/staff/login", data={"username": "ana", "password": "x"})
    assert forged.status_code == 403 and "This form expired" in forged.text
    assert "Something needs your attention" in forged.text  # the staff page, not error.html
    # CSRF is checked first, for every unsafe request: a forged POST is refused as forged
    # before anyone asks whether a staff member is signed in.
    assert client.post("/staff/partners", data={}, follow_redirects=False).status_code == 403
    make_user(app, "rosa", role="reviewer")
    sign_in(client, app, "rosa")
    forbidden = client.get("/staff/audit")
    assert forbidden.status_code == 403
    assert "You cannot do this with your account." in forbidden.text


def test_api_refusals_are_json_in_the_session_language(client: TestClient) -> None:
    missing = client.get("/api/v1/session", headers={"Accept-Language": "es"})
    assert missing.status_code == 401 and missing.json()["code"] == "missing_token"
    assert missing.json()["detail"].startswith("No se encontraron sus respuestas.")
    unknown = client.get("/api/v1/session", headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "session_not_found"
    token = client.post("/api/v1/sessions", json={"locale": "ar"}).json()["token"]
    early = client.get("/api/v1/session/result", headers={"Authorization": f"Bearer {token}"})
    assert early.status_code == 409  # the session's language, set by its guard, not the request's
    assert early.json()["detail"] != "The questionnaire is not finished yet."


def test_the_openapi_schema_names_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["session"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The token that `POST /api/v1/sessions` returned.",
    }
    assert schema["paths"]["/api/v1/session"]["get"]["security"] == [{"session": []}]
