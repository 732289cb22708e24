"""The directory's staff pages: list and search, due for review, add (with field errors), edit,
mark verified, switch off; each change in the audit log; admins only; CSRF."""

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.staff.models import AuditEvent
from tests.staff.helpers import make_user, sign_in, staff_csrf

NEW = {
    "organization_name": "Clínica Legal del Valle",
    "name": "Immigration consultations",
    "description": "Free consultations on the immigration effects of criminal cases.",
    "url": "https://clinica.example.org",
    "phone": "(213) 555-0147",
    "state": "CA",
    "languages": "en, es",
    "cost": "free",
    "provider_kind": "nonprofit",
    "serves_detained": "1",
    "crim_imm_expertise": "1",
    "source_name": "Staff entry",
}


def _admin(client: TestClient, app) -> str:
    make_user(app)
    assert sign_in(client, app, next_key="directory").headers["location"] == "/staff/directory"
    return staff_csrf(client, "/staff/directory")


def test_add_find_edit_verify_and_switch_off(client: TestClient, app) -> None:
    token = _admin(client, app)
    assert client.get("/staff/directory/new").status_code == 200
    created = client.post("/staff/directory", data={"csrf": token, **NEW}, follow_redirects=False)
    assert created.status_code == 303, created.text
    path = created.headers["location"]
    service_id = path.rsplit("/", 1)[1]
    listing = client.get("/staff/directory", params={"q": "consultations", "state": "CA"})
    assert "Immigration consultations" in listing.text and path in listing.text
    assert service_id in client.get("/staff/directory/due").text  # new: never verified
    edited = client.post(
        path,
        data={
            "csrf": token,
            "name": "Consultations (criminal-imm)",
            "description": NEW["description"],
            "cost": "low_cost",
            "provider_kind": "nonprofit",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert "Consultations (criminal-imm)" in client.get(path).text
    verified = client.post(
        f"{path}/verify", data={"csrf": token, "method": "phone_call"}, follow_redirects=False
    )
    assert verified.status_code == 303
    assert service_id not in client.get("/staff/directory/due").text
    refused = client.post(f"{path}/verify", data={"csrf": token, "method": "sample"})
    assert refused.status_code == 422
    off = client.post(f"{path}/deactivate", data={"csrf": token}, follow_redirects=False)
    assert off.status_code == 303 and "inactive" in client.get(path).text
    with app.state.puente.db.read() as session:
        events = [e.event for e in session.exec(select(AuditEvent))]
    for event in (
        "directory_created",
        "directory_updated",
        "directory_verified",
        "directory_deactivated",
    ):
        assert event in events


def test_field_errors_are_shown(client: TestClient, app) -> None:
    token = _admin(client, app)
    response = client.post(
        "/staff/directory",
        data={
            "csrf": token,
            **NEW,
            "phone": "12",
            "state": "XX",
            "url": "not a url",
            "name": "",
            "languages": "english",
        },
    )
    assert response.status_code == 422
    html = response.text
    assert "There is a problem" in html
    # Each problem names the field as its label does, says what to do, and links to it.
    for field_id, text in (
        ("name", "Service: this is required."),
        ("url", "Website: enter a full web address, like https://example.org."),
        ("phone", "Phone: enter a U.S. phone number with its area code, like 312-555-0123."),
        ("state", "State served: enter a state&#39;s two-letter code"),
        ("languages", "Languages: enter two- or three-letter language codes"),
    ):
        assert re.search(rf'<a href="#{field_id}">{re.escape(text)}', html), (field_id, html)
    assert "String should" not in html and "Value error" not in html  # Pydantic's English
    assert 'value="not a url"' in html  # what was typed is kept


def test_field_errors_in_the_staff_members_language(client: TestClient, app) -> None:
    token = _admin(client, app)
    response = client.post("/staff/directory?lang=es", data={"csrf": token, **NEW, "phone": "12"})
    assert response.status_code == 422
    assert '<html lang="es"' in response.text
    assert (
        'href="#phone">Teléfono: escriba un número de teléfono de EE. UU. con su código de área'
    ) in response.text
    assert "Hay un problema" in response.text
    assert "There is a problem" not in response.text


def test_a_rule_of_the_directory_is_explained(client: TestClient, app) -> None:
    token = _admin(client, app)
    data = {k: v for k, v in NEW.items() if k != "serves_detained"}
    response = client.post("/staff/directory", data={"csrf": token, **data, "detained_only": "1"})
    assert response.status_code == 422
    assert '<a href="#serves_detained">A service only for people in detention' in response.text
    nameless = client.post("/staff/directory", data={"csrf": token, **NEW, "organization_name": ""})
    assert '<a href="#organization_name">Organization: this is required.' in nameless.text


def test_unknown_service_is_404(client: TestClient, app) -> None:
    token = _admin(client, app)
    assert client.get("/staff/directory/nope").status_code == 404
    assert client.post("/staff/directory/nope/deactivate", data={"csrf": token}).status_code == 404


def test_directory_needs_an_admin_and_a_token(client: TestClient, app) -> None:
    assert client.get("/staff/directory", follow_redirects=False).status_code == 303
    make_user(app, "rosa", role="reviewer")
    sign_in(client, app, "rosa")
    assert client.get("/staff/directory").status_code == 403
    client.cookies.clear()
    _admin(client, app)
    assert client.post("/staff/directory", data=NEW).status_code == 403
    assert (
        client.post(
            "/staff/directory",
            data={"csrf": staff_csrf(client), **NEW},
            headers={"Sec-Fetch-Site": "cross-site"},
        ).status_code
        == 403
    )
