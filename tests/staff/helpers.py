"""Signing a staff member in through the real pages, with a TOTP code computed here."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlmodel import select

from app.staff.auth import create_user
from app.staff.models import StaffUser
from tests.conftest import csrf_from

PASSWORD = "correct horse battery staple"


def make_user(app, username: str = "ana", role: str = "admin", title: str = "") -> StaffUser:
    return create_user(
        app.state.puente.db, app.state.staff_auth.box, username, PASSWORD, role=role, title=title
    )


def secret_of(app, username: str) -> str:
    """The TOTP secret itself, as the person's authenticator app holds it."""
    with app.state.puente.db.read() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
    return app.state.staff_auth.box.open(user.totp_secret)


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=UTC))


def password_step(
    client: TestClient, username: str, password: str = PASSWORD, next_key: str = "stats"
):
    page = client.get(f"/staff/login?next={next_key}")
    return client.post(
        "/staff/login",
        data={
            "csrf": csrf_from(page.text),
            "username": username,
            "password": password,
            "next": next_key,
        },
        follow_redirects=False,
    )


def sign_in(
    client: TestClient,
    app,
    username: str = "ana",
    moment: datetime | None = None,
    next_key: str = "stats",
):
    moment = moment or datetime.now(UTC)
    first = password_step(client, username, next_key=next_key)
    assert first.status_code == 303, first.text
    page = client.get(first.headers["location"])
    code = code_at(secret_of(app, username), moment)
    return client.post(
        "/staff/login/code",
        data={"csrf": csrf_from(page.text), "code": code, "next": next_key},
        follow_redirects=False,
    )


def staff_csrf(client: TestClient, path: str = "/staff/stats") -> str:
    return csrf_from(client.get(path).text)


def later(minutes: int) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


ANY_QR = re.compile(r"<svg[^>]*>")
