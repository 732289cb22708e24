"""R5.5: a partner code in a share link is kept server-side and leaves the address bar at once;
an invalid one is ignored and never echoed. Sessions through a code count for its partner."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.partners.models import Partner
from app.respondents.models import RespondentSession
from app.stats.models import StatCount
from tests.security.flow_helpers import FULL_PATH, answer, start


@pytest.fixture
def partner(app) -> Partner:
    db = app.state.puente.db
    with db.write() as session:
        row = Partner(
            code="CHURCH7", name="St. Anne outreach", locale="es", created_on=date(2026, 1, 5)
        )
        session.add(row)
        session.flush()
        session.refresh(row)
    with db.write() as session:
        session.add(
            Partner(code="CLOSED1", name="Closed", active=False, created_on=date(2026, 1, 5))
        )
    return row


def _rows(app) -> list[RespondentSession]:
    with app.state.puente.db.read() as session:
        return list(session.exec(select(RespondentSession)))


def test_a_share_link_stores_the_partner_and_drops_the_code(
    client: TestClient, app, partner: Partner
) -> None:
    response = client.get("/?p=CHURCH7", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "CHURCH7" not in response.headers["location"]
    page = client.get("/")
    assert "CHURCH7" not in page.text
    assert 'lang="es"' in page.text  # the partner's language
    token = start(client)
    for question, data in FULL_PATH[:2]:
        answer(client, token, question, data)
    (row,) = _rows(app)
    assert row.partner_id == partner.id
    with app.state.puente.db.read() as session:
        counts = {(c.event, c.dimension, c.value): c.count for c in session.exec(select(StatCount))}
    assert counts[("started", "partner", str(partner.id))] == 1


def test_the_link_language_wins_over_the_partner_language(
    client: TestClient, partner: Partner
) -> None:
    client.get("/?p=CHURCH7&lang=ar")
    assert 'lang="ar"' in client.get("/").text


@pytest.mark.parametrize(
    "code", ["CLOSED1", "NOSUCH", "church7", "AB", "ABCDEFGHIJKLM", '"><script>', "CHURCH7\n", ""]
)
def test_invalid_codes_are_ignored_and_never_echoed(
    client: TestClient, app, partner: Partner, code: str
) -> None:
    response = client.get("/", params={"p": code}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "set-cookie" not in response.headers or "sid" not in response.headers["set-cookie"]
    assert _rows(app) == []
    if code:
        assert code not in client.get("/").text


def test_the_api_counts_a_partner(client: TestClient, app, partner: Partner) -> None:
    created = client.post("/api/v1/sessions", json={"locale": "en", "partner": "CHURCH7"})
    assert created.status_code == 201
    unknown = client.post("/api/v1/sessions", json={"locale": "en", "partner": "NOSUCH"})
    assert unknown.status_code == 201
    partners = sorted((row.partner_id or 0) for row in _rows(app))
    assert partners == [0, partner.id]
