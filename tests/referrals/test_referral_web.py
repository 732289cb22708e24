"""The "Find help" page at /help, and the referral cards, without JavaScript."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.referrals.seed import seed_directory
from app.web.public import find_help
from tests.conftest import csrf_from


@pytest.fixture
def help_client(app: FastAPI) -> Iterator[TestClient]:
    if not any(getattr(route, "path", None) == "/help" for route in app.routes):
        app.include_router(find_help.router)  # until app.main wires it in
    with app.state.puente.db.write() as session:
        seed_directory(session)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def post_help(client: TestClient, lang: str | None = None, **fields: str):
    page = client.get("/help" + (f"?lang={lang}" if lang else ""))
    data = {"csrf": csrf_from(page.text), "detained": "no", **fields}
    return client.post("/help", data=data)


def test_form_works_without_js(help_client):
    page = help_client.get("/help")
    assert page.status_code == 200
    html = page.text
    assert '<form method="post" action="/help"' in html
    assert 'name="zip"' in html and 'name="state"' in html and 'name="language"' in html
    assert '<option value="il">Illinois</option>' in html
    assert "Sample County Detention Center (demonstration)" in html
    assert "<script>" not in html and "style=" not in html


def test_zip_finds_local_help_and_is_not_kept(help_client):
    response = post_help(help_client, zip="60608", language="en")
    assert response.status_code == 200
    html = response.text
    assert "Who can help in Illinois" in html
    assert 'href="tel:+13125550101"' in html
    assert "Sample for a demonstration. Not a real organization." in html
    assert "60608" not in html  # not echoed back, not in the URL
    assert response.url.path == "/help" and not response.url.query
    assert "no-store" in response.headers["cache-control"]


def test_spanish_page(help_client):
    response = post_help(help_client, lang="es", zip="60608")
    assert response.status_code == 200
    assert '<html lang="es"' in response.text
    assert 'value="es" lang="es" selected' in help_client.get("/help").text


def test_state_only_shows_national_resources(help_client):
    html = post_help(help_client, state="tx").text
    assert "Who can help in Texas" in html and "National resources" in html
    assert "List of Pro Bono Legal Service Providers" in html
    assert 'href="tel:+18008987180"' in html  # EOIR ACIS, verified
    assert "Not yet verified by us" in html  # the IAN / CLINIC websites


def test_unverified_number_has_no_call_button(help_client):
    html = post_help(help_client, zip="61820").text
    assert "Post-conviction and crim-imm clinic (sample)" in html
    assert "Number not verified. Use the website to contact them." in html
    assert "tel:+12175550103" not in html


def test_detained_person_at_a_facility(help_client):
    page = help_client.get("/help").text
    facility = re.search(r'<option value="([0-9a-f-]{36})">Sample County', page).group(1)
    html = post_help(help_client, detained="yes", facility=facility).text
    assert "Detained defense and bond hearings (sample)" in html
    assert "Immigration court defense and crim-imm advice (sample)" not in html
    assert "Detention Reporting and Information Line" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"zip": "abcde"}, "Enter a ZIP code of five digits"),
        ({"zip": "6060"}, "Enter a ZIP code of five digits"),
        ({"zip": "00000"}, "We could not find that ZIP code"),
        ({"zip": "96799"}, "We cannot look up help for this ZIP code"),
        ({"zip": "09001"}, "military mail ZIP code"),
        ({"state": "zz"}, "Choose a state from the list."),
        ({"facility": "not-a-facility"}, "Choose a place from the list"),
        ({}, "Enter a ZIP code or choose a state."),
        ({"zip": "9" * 500}, "Enter a ZIP code of five digits"),
    ],
)
def test_bad_input_gets_a_clear_message(help_client, fields, message):
    response = post_help(help_client, **fields)
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text and message in response.text
    assert "<title>Error:" in response.text


def test_odd_values_never_fail(help_client):
    for fields in (
        {"zip": "٦٠٦٠٨"},
        {"language": "xx", "state": "IL"},
        {"detained": "maybe", "state": "il"},
        {"zip": "60608-1234"},
    ):
        assert post_help(help_client, **fields).status_code == 200


def test_post_needs_the_form_token(help_client):
    assert help_client.post("/help", data={"zip": "60608"}).status_code == 403
    page = help_client.get("/help")
    foreign = help_client.post(
        "/help",
        data={"csrf": csrf_from(page.text), "zip": "60608"},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403


def test_empty_directory(app):
    if not any(getattr(route, "path", None) == "/help" for route in app.routes):
        app.include_router(find_help.router)
    with TestClient(app, base_url="http://testserver") as client:
        html = post_help(client, state="il").text
    assert "We did not find an organization for these answers." in html


def test_a_directory_change_shows_at_once_in_every_process(help_client, settings):
    """Each process keeps a copy of the directory; a change made by another process (here, a
    second database handle: another uvicorn worker, or the CLI) shows on the next page."""
    from sqlmodel import Session, select

    from app.db import make_engine
    from app.referrals.directory import deactivate_service
    from app.referrals.models import Service

    before = post_help(help_client, zip="60608", language="en").text
    assert 'href="tel:+13125550101"' in before
    other_process = make_engine(settings)
    try:
        with Session(other_process) as session:  # the staff functions commit themselves
            shown = session.exec(select(Service).where(Service.is_sample)).all()
            for service in shown:
                deactivate_service(session, service.id)
    finally:
        other_process.dispose()
    after = post_help(help_client, zip="60608", language="en").text
    assert 'href="tel:+13125550101"' not in after
