"""Staff TOTP secrets are sealed at rest (app/staff/sealed.py): the database alone holds no
usable second factor; old clear secrets keep working and get sealed; a secret sealed under
another SECRET_KEY refuses sign-in cleanly until an operator resets it."""

import logging

import pytest
from sqlmodel import select

from app.cli import main as cli
from app.staff.models import AuditEvent, StaffUser
from app.staff.sealed import PREFIX, SealBroken, SecretBox
from tests.conftest import csrf_from
from tests.staff.helpers import make_user, password_step, secret_of, sign_in


def _stored(app, username: str = "ana") -> str:
    with app.state.puente.db.read() as session:
        return (
            session.exec(select(StaffUser).where(StaffUser.username == username)).one().totp_secret
        )


def _store(app, value: str, username: str = "ana") -> None:
    with app.state.puente.db.write() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
        user.totp_secret = value
        session.add(user)


def test_a_box_seals_and_opens():
    box = SecretBox("one key")
    sealed = box.seal("JBSWY3DPEHPK3PXP")
    assert sealed.startswith(PREFIX) and "JBSWY3DPEHPK3PXP" not in sealed
    assert box.seal("JBSWY3DPEHPK3PXP") != sealed  # a fresh nonce each time
    assert box.open(sealed) == "JBSWY3DPEHPK3PXP"
    assert box.open("JBSWY3DPEHPK3PXP") == "JBSWY3DPEHPK3PXP"  # stored before sealing
    with pytest.raises(SealBroken):
        SecretBox("another key").open(sealed)
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(SealBroken):
        box.open(tampered)
    with pytest.raises(SealBroken):
        box.open(PREFIX + "not base64 at all!")


def test_the_database_holds_no_clear_secret(client, app):
    make_user(app)
    stored, secret = _stored(app), secret_of(app, "ana")
    assert stored.startswith(PREFIX) and secret not in stored
    assert sign_in(client, app).status_code == 303  # and the real secret works


def test_a_secret_from_before_sealing_works_and_is_then_sealed(client, app):
    make_user(app)
    clear = secret_of(app, "ana")
    _store(app, clear)
    assert sign_in(client, app).status_code == 303
    assert _stored(app).startswith(PREFIX)
    assert secret_of(app, "ana") == clear  # the same authenticator app keeps working


def test_a_changed_secret_key_refuses_cleanly_until_the_operator_resets(
    client, app, settings, monkeypatch, caplog
):
    make_user(app)
    _store(app, SecretBox("the key before").seal("JBSWY3DPEHPK3PXP"))
    with caplog.at_level(logging.ERROR, logger="puente.staff"):
        first = password_step(client, "ana")
        page = client.get(first.headers["location"])
        refused = client.post(
            "/staff/login/code",
            data={"csrf": csrf_from(page.text), "code": "123456", "next": "stats"},
        )
    assert refused.status_code == 401  # the usual "that code did not work", not a 500
    assert "reset-second-factor" in caplog.text
    with app.state.puente.db.read() as session:
        user = session.exec(select(StaffUser)).one()
    assert user.failed_logins == 0  # not the person's fault: no lockout from it

    # Not yet set up either: the code page offers no broken QR code or key.
    with app.state.puente.db.write() as session:
        user = session.exec(select(StaffUser)).one()
        user.totp_enrolled = False
        session.add(user)
    again = client.get(password_step(client, "ana").headers["location"])
    assert again.status_code == 200 and "qr.svg" not in again.text and "None" not in again.text

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    assert cli(["reset-second-factor", "ana"]) == 0
    assert cli(["reset-second-factor", "nobody"]) == 1
    with app.state.puente.db.read() as session:
        user = session.exec(select(StaffUser)).one()
        events = [event.event for event in session.exec(select(AuditEvent))]
    assert not user.totp_enrolled and "second_factor_reset" in events
    assert sign_in(client, app).status_code == 303  # set up again with the new secret
