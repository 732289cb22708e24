"""F8 (security-review-2026-12): the lockout policy. Unknown and known names are answered
alike, in status, words and work (one argon2 verification each, which is what the time of an
answer is made of); a pause after failures stops the password alone, never someone who has
both factors; failures never disable an account."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

import app.staff.auth as staff_auth
from app.staff.auth import Auth
from app.staff.models import AuditEvent, StaffUser
from tests.conftest import csrf_from
from tests.staff.helpers import PASSWORD, code_at, make_user, password_step, secret_of, sign_in

WRONG = "wrong password!"
TOKEN = re.compile(r'name="csrf" value="[0-9a-f]+"')


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.state.staff_auth = Auth(app.state.puente.db, app.state.staff_auth.box, now=clock)
    return clock


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each argon2 verification, by the hash it checked against ("dummy" or "real")."""
    calls: list[str] = []
    original = staff_auth._verify

    def counting(password_hash: str, password: str) -> bool:
        calls.append(
            "dummy" if password_hash == staff_auth._dummy_hash(staff_auth._hasher) else "real"
        )
        return original(password_hash, password)

    monkeypatch.setattr(staff_auth, "_verify", counting)
    return calls


def _user(app, username: str = "ana") -> StaffUser:
    with app.state.puente.db.read() as session:
        return session.exec(select(StaffUser).where(StaffUser.username == username)).one()


def _enrolled(client: TestClient, app, clock: Clock) -> None:
    """Ana has set up her app (her first sign-in), then signed out."""
    make_user(app)
    assert sign_in(client, app, moment=clock()).status_code == 303
    client.cookies.clear()
    clock.advance(seconds=30)  # each code's step is used once


def _both(client: TestClient, app, clock: Clock, password: str = PASSWORD):
    page = client.get("/staff/login?next=partners")
    return client.post(
        "/staff/login",
        data={
            "csrf": csrf_from(page.text),
            "username": "ana",
            "password": password,
            "code": code_at(secret_of(app, "ana"), clock()),
            "next": "partners",
        },
        follow_redirects=False,
    )


def _pause(client: TestClient) -> None:
    for _ in range(5):
        assert password_step(client, "ana", WRONG).status_code == 401


def test_names_cannot_be_told_apart(client: TestClient, app, clock, verifications) -> None:
    _enrolled(client, app, clock)
    answers = {"unknown": password_step(client, "nobody", PASSWORD)}
    answers["wrong password"] = password_step(client, "ana", WRONG)
    _pause(client)
    verifications.clear()
    answers["paused, right password"] = password_step(client, "ana", PASSWORD)
    answers["paused, wrong password"] = password_step(client, "ana", WRONG)
    answers["unknown again"] = password_step(client, "nobody", WRONG)
    pages = {name: TOKEN.sub("", answer.text) for name, answer in answers.items()}
    assert {answer.status_code for answer in answers.values()} == {401}
    assert len(set(pages.values())) == 1, "the pages differ"
    assert not any("retry-after" in answer.headers for answer in answers.values())
    # The work, and so the time: one argon2 verification each, paused or not, known or not.
    assert verifications == ["real", "real", "dummy"]


def test_a_pause_stops_the_password_alone_with_backoff(client: TestClient, app, clock) -> None:
    _enrolled(client, app, clock)
    _pause(client)
    assert password_step(client, "ana").status_code == 401  # right, but paused
    clock.advance(minutes=14)
    assert password_step(client, "ana").status_code == 401
    clock.advance(minutes=2)
    assert password_step(client, "ana").status_code == 303  # 15 minutes the first time
    client.cookies.clear()
    _pause(client)
    clock.advance(minutes=29)
    assert password_step(client, "ana").status_code == 401  # 30 the second
    clock.advance(minutes=2)
    assert password_step(client, "ana").status_code == 303


def test_both_factors_sign_in_during_a_pause(client: TestClient, app, clock) -> None:
    _enrolled(client, app, clock)
    _pause(client)
    signed = _both(client, app, clock)
    assert signed.status_code == 303 and signed.headers["location"] == "/staff/partners"
    assert client.get("/staff/partners").status_code == 200
    assert _user(app).locked_until is None and _user(app).failed_logins == 0


def test_both_factors_wrong_in_either_is_refused_alike(client: TestClient, app, clock) -> None:
    _enrolled(client, app, clock)
    _pause(client)
    wrong_password = _both(client, app, clock, password=WRONG)
    page = client.get("/staff/login")
    wrong_code = client.post(
        "/staff/login",
        data={"csrf": csrf_from(page.text), "username": "ana", "password": PASSWORD,
              "code": "000000", "next": "partners"},
        follow_redirects=False,
    )  # fmt: skip
    assert wrong_password.status_code == wrong_code.status_code == 401
    assert TOKEN.sub("", wrong_password.text) == TOKEN.sub("", wrong_code.text)


def test_failures_never_disable_an_account(client: TestClient, app, clock) -> None:
    _enrolled(client, app, clock)
    auth = app.state.staff_auth
    for _ in range(150):  # more than the 100 that used to disable it
        assert auth.check_password("ana", WRONG) is None
        clock.advance(hours=25)
    user = _user(app)
    assert not user.disabled and user.locked_until is not None
    clock.advance(seconds=30)
    assert _both(client, app, clock).status_code == 303  # still hers


def test_a_wrong_code_during_a_pause_ends_the_pending_session(
    client: TestClient, app, clock
) -> None:
    _enrolled(client, app, clock)
    assert password_step(client, "ana").status_code == 303
    page = client.get("/staff/login/code")
    for _ in range(5):  # wrong codes count: the fifth starts a pause
        response = client.post(
            "/staff/login/code",
            data={"csrf": csrf_from(page.text), "code": "000000", "next": "stats"},
            follow_redirects=False,
        )
        assert response.status_code == 401
    assert _user(app).locked_until is not None
    # The pending session is gone: no more codes can be tried on it.
    assert client.get("/staff/login/code", follow_redirects=False).status_code == 303


def test_a_paused_sign_in_is_audited(client: TestClient, app, clock) -> None:
    _enrolled(client, app, clock)
    _pause(client)
    password_step(client, "ana")
    with app.state.puente.db.read() as session:
        events = {(e.event, e.detail) for e in session.exec(select(AuditEvent))}
    assert ("sign_in_paused", "password alone") in events
    assert ("account_locked", "password-only sign-in paused 15 minutes") in events
