"""T3.5: staff sign-in. Argon2id, TOTP required and used once, server-side sessions with idle
and absolute timeouts, rotated at sign-in, audit events without addresses, the admin cookie's
flags. The lockout policy and the audit of refusals: test_lockout.py and test_audit.py."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.cli import main as cli_main
from app.main import create_app
from app.staff import auth as staff_auth
from app.staff.auth import Auth, _matching_step
from app.staff.models import AuditEvent, StaffSession, StaffUser
from tests.conftest import csrf_from, make_settings
from tests.staff.helpers import PASSWORD, code_at, make_user, password_step, secret_of, sign_in


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.state.staff_auth = Auth(app.state.puente.db, app.state.staff_auth.box, now=clock)
    return clock


def _user(app, username: str = "ana") -> StaffUser:
    with app.state.puente.db.read() as session:
        return session.exec(select(StaffUser).where(StaffUser.username == username)).one()


def test_passwords_are_argon2id(app) -> None:
    make_user(app)
    stored = _user(app).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_needs_password_then_code_and_rotates_the_session(
    client: TestClient, app, clock
) -> None:
    make_user(app)
    first = password_step(client, "ana")
    assert first.status_code == 303 and first.headers["location"].startswith("/staff/login/code")
    pending = client.cookies.get("adm")
    # the password alone opens nothing
    assert client.get("/staff/stats", follow_redirects=False).status_code == 303
    page = client.get("/staff/login/code")
    assert 'src="/staff/login/qr.svg"' in page.text  # enrolment: a QR code drawn here
    qr = client.get("/staff/login/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml") and b"<svg" in qr.content
    code = code_at(secret_of(app, "ana"), clock())
    done = client.post(
        "/staff/login/code",
        data={"csrf": csrf_from(page.text), "code": code, "next": "partners"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/staff/partners"
    full = client.cookies.get("adm")
    assert full and full != pending  # rotated
    assert client.get("/staff/stats").status_code == 200
    with app.state.puente.db.read() as session:
        stages = [row.stage for row in session.exec(select(StaffSession))]
        events = [row.event for row in session.exec(select(AuditEvent))]
    assert stages == ["full"]  # the pending session is gone, tokens stored only as hashes
    assert "signed_in" in events and "second_factor_enrolled" in events
    assert client.get("/staff/login/qr.svg").status_code == 404  # never shown again


def test_a_used_code_is_refused(client: TestClient, app, clock) -> None:
    make_user(app)
    assert sign_in(client, app, moment=clock()).status_code == 303
    client.cookies.clear()
    again = sign_in(client, app, moment=clock())
    assert again.status_code == 401


def test_codes_one_step_either_side_work() -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    now = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    for seconds in (-30, 0, 30):
        assert _matching_step(secret, code_at(secret, now + timedelta(seconds=seconds)), now)
    assert _matching_step(secret, code_at(secret, now + timedelta(seconds=90)), now) is None


def test_an_unknown_name_looks_like_a_wrong_password(client: TestClient, app) -> None:
    make_user(app)
    unknown = password_step(client, "nobody")
    wrong = password_step(client, "ana", "wrong password!")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.text.replace("nobody", "").count("do not match") == 1
    assert "do not match" in wrong.text


def test_idle_and_absolute_timeouts(client: TestClient, app, clock) -> None:
    make_user(app)
    assert sign_in(client, app, moment=clock()).status_code == 303
    clock.advance(minutes=14)
    assert client.get("/staff/stats").status_code == 200
    clock.advance(minutes=16)  # 16 idle minutes
    assert client.get("/staff/stats", follow_redirects=False).status_code == 303
    client.cookies.clear()
    clock.advance(minutes=1)
    assert sign_in(client, app, moment=clock()).status_code == 303
    for _ in range(36):  # active every 14 minutes, for more than 8 hours
        clock.advance(minutes=14)
        response = client.get("/staff/stats", follow_redirects=False)
    assert response.status_code == 303 and "/staff/login" in response.headers["location"]


def test_sign_out_deletes_the_session(client: TestClient, app) -> None:
    make_user(app)
    sign_in(client, app)
    token = csrf_from(client.get("/staff/stats").text)
    out = client.post("/staff/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    with app.state.puente.db.read() as session:
        assert list(session.exec(select(StaffSession))) == []


def test_the_admin_cookie_in_production(clean_db) -> None:
    settings = make_settings(clean_db).model_copy(update={"environment": "production"})
    app = create_app(settings)
    make_user(app)
    with TestClient(app, base_url="https://testserver") as client:
        first = password_step(client, "ana")
        header = first.headers["set-cookie"]
        assert header.startswith("__Host-adm=")
        lowered = header.lower()
        assert "secure" in lowered and "httponly" in lowered and "samesite=strict" in lowered
        assert "path=/" in lowered and "max-age" not in lowered and "domain" not in lowered
    app.state.puente.db.dispose()


def test_create_admin_command(settings, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PUENTE_ADMIN_PASSWORD", PASSWORD)
    assert (
        cli_main(["create-admin", "rosa", "--role", "reviewer", "--title", "immigration attorney"])
        == 0
    )
    assert cli_main(["create-admin", "rosa"]) == 1  # the name is taken
    monkeypatch.setenv("PUENTE_ADMIN_PASSWORD", "short")
    assert cli_main(["create-admin", "luis"]) == 1


def test_audit_events_hold_no_address(client: TestClient, app) -> None:
    make_user(app)
    with TestClient(app, base_url="http://testserver", client=("203.0.113.7", 1)) as probe:
        password_step(probe, "ana", "wrong password!")
        sign_in(probe, app)
    with app.state.puente.db.read() as session:
        events = list(session.exec(select(AuditEvent)))
    assert events and all("203.0.113" not in repr(event) for event in events)
    assert {event.event for event in events} >= {"sign_in_failed", "signed_in"}


def test_now_is_utc() -> None:
    assert Auth(None, None).now().utcoffset() == timedelta(0)  # type: ignore[arg-type]


def test_passwords_use_the_library_defaults() -> None:
    from tests.staff.conftest import PRODUCTION_HASHER

    params = PRODUCTION_HASHER
    assert params.type.name == "ID" and params.time_cost >= 2 and params.memory_cost >= 19 * 1024
    assert staff_auth._dummy_hash(PRODUCTION_HASHER).startswith("$argon2id$")
