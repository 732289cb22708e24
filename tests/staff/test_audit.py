"""F9 (security-review-2026-12): every refusal on the staff side reaches the audit log (refused
sign-ins for known and unknown names, rate-limited sign-ins, role refusals, CSRF refusals),
without an address or what was typed; repeats in one minute share a row; the audit page pages
through all of it."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.staff.audit import log_event
from app.staff.models import AuditEvent
from tests.staff.helpers import make_user, password_step, sign_in


def _events(app) -> list[AuditEvent]:
    with app.state.puente.db.read() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))


def _times(app, event: str, detail: str | None = None) -> int:
    return sum(
        row.times
        for row in _events(app)
        if row.event == event and (detail is None or row.detail == detail)
    )


def test_unknown_names_are_audited_without_the_name(client: TestClient, app) -> None:
    make_user(app)
    for attempt in range(12):
        password_step(client, f"guess-{attempt}", "hunter2-password")
    rows = [row for row in _events(app) if row.event == "sign_in_failed"]
    assert sum(row.times for row in rows) == 12
    assert {(row.staff_id, row.detail) for row in rows} == {(None, "unknown name")}
    assert len(rows) <= 2  # one row a minute (two if the minute turned)
    assert not any("guess-" in row.detail or "hunter2" in row.detail for row in _events(app))


def test_rate_limited_sign_ins_are_audited(client: TestClient, app) -> None:
    make_user(app)
    limited = 0
    for _ in range(40):
        if password_step(client, "ana", "wrong password!").status_code == 429:
            limited += 1
    assert limited > 0
    assert _times(app, "rate_limited", "POST /staff/login") == limited


def test_role_refusals_are_audited(client: TestClient, app) -> None:
    make_user(app, "rosa", role="reviewer")
    sign_in(client, app, "rosa")
    assert client.get("/staff/partners").status_code == 403
    assert client.get("/staff/audit").status_code == 403
    rosa = next(row.staff_id for row in _events(app) if row.event == "signed_in")
    refusals = [row for row in _events(app) if row.event == "forbidden"]
    assert {(row.staff_id, row.detail) for row in refusals} == {
        (rosa, "GET /staff/partners"),
        (rosa, "GET /staff/audit"),
    }


def test_csrf_refusals_are_audited(client: TestClient, app) -> None:
    make_user(app)
    sign_in(client, app)
    forged = client.post("/staff/partners", data={"csrf": "0" * 32, "name": "x"})
    assert forged.status_code == 403
    client.cookies.clear()
    anonymous = client.post("/staff/login", data={"username": "ana", "password": "x"})
    assert anonymous.status_code == 403
    refusals = {
        (row.staff_id is None, row.detail) for row in _events(app) if row.event == "csrf_refused"
    }
    assert refusals == {(False, "POST /staff/partners"), (True, "POST /staff/login")}


@pytest.fixture
def admin(client: TestClient, app) -> TestClient:
    make_user(app)
    assert sign_in(client, app).status_code == 303
    return client


def test_the_audit_page_pages_through_everything(admin: TestClient, app) -> None:
    for number in range(250):
        log_event(app.state.puente.db, None, "test_event", f"number {number}")
    total = len(_events(app))
    seen: list[str] = []
    path: str | None = "/staff/audit"
    pages = 0
    while path:
        html = admin.get(path).text
        pages += 1
        seen += [line for line in html.split("<tr>") if "<code>" in line]
        older = [
            part for part in html.split('href="')[1:] if part.startswith("/staff/audit?before=")
        ]
        path = older[0].split('"')[0] if older else None
        assert pages <= 5
    assert pages == 3 and len(seen) == total >= 250  # every event once, across the pages
    assert "number 0<" in "".join(seen) and "number 249<" in "".join(seen)


@pytest.mark.parametrize("before", ["abc", "0", "99999999999999999999999", "-5", "1.5"])
def test_a_bad_page_is_the_404_page(admin: TestClient, before: str) -> None:
    assert admin.get(f"/staff/audit?before={before}").status_code == 404


def test_repeats_in_a_minute_share_a_row(app) -> None:
    from app.staff.audit import log_refusal

    db = app.state.puente.db
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    for _ in range(5):
        log_refusal(db, None, "csrf_refused", "POST /staff/partners")
    rows = [row for row in _events(app) if row.event == "csrf_refused"]
    assert sum(row.times for row in rows) == 5 and len(rows) <= 2
    assert rows[0].at.replace(tzinfo=UTC) >= minute
