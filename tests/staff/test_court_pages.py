"""Staff pages for the immigration courts (issue 17): the list, a correction that survives the
next import with who and when in the audit log, "mark verified" and the call button it brings,
bad values refused with a message; admins only."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from app.referrals.court_finder import courts_for
from app.referrals.courts import SHIPPED_RELEASE, import_courts
from app.referrals.models import Court
from app.referrals.snapshot import load_directory
from app.staff.models import AuditEvent
from tests.staff.helpers import make_user, sign_in, staff_csrf

KROME = "/staff/directory/courts/KRO"


def _admin(client: TestClient, app) -> str:
    with app.state.puente.db.write() as session:
        import_courts(session, SHIPPED_RELEASE)
    make_user(app)
    sign_in(client, app, next_key="directory")
    return staff_csrf(client, "/staff/directory/courts")


def _court(app, code: str) -> Court:
    with app.state.puente.db.read() as session:
        court = session.get(Court, code)
        assert court is not None
        return court


def _form(app, code: str, **changes: str) -> dict[str, str]:
    court = _court(app, code)
    fields = ("address", "city", "state", "postal_code", "postal_code_suffix", "phone")
    values = {name: str(getattr(court, name) or "") for name in fields}
    return {**values, "check_note": court.check_note or "", **changes}


def _events(app) -> list[AuditEvent]:
    with app.state.puente.db.read() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def test_staff_see_the_courts_and_those_marked_for_checking(client: TestClient, app) -> None:
    _admin(client, app)
    listing = client.get("/staff/directory/courts").text
    assert "Miami (KRO)" in listing and "92 courts" in listing
    marked = client.get("/staff/directory/courts?marked=1").text
    assert "(BDC)" in marked and "(RIC)" in marked and "(KRO)" not in marked
    page = client.get(KROME).text
    assert "18201 S.W. 12TH ST" in page and "tblLookupBaseCity" in page
    assert "centre of ZIP 33194 (offline ZIP data)" in page
    assert client.get("/staff/directory/courts/NOPE").status_code == 404


def test_a_correction_survives_the_next_import_and_is_in_the_audit_log(
    client: TestClient, app
) -> None:
    token = _admin(client, app)
    form = _form(app, "RIC", postal_code="23219", check_note="")
    saved = client.post(
        "/staff/directory/courts/RIC", data={"csrf": token, **form}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    richmond = _court(app, "RIC")
    assert richmond.postal_code == "23219" and richmond.check_note is None
    assert richmond.coordinates_source == "centre of ZIP 23219 (offline ZIP data)"
    assert richmond.latitude is not None
    event = _events(app)[-1]
    assert (event.event, event.detail) == ("court_corrected", "RIC: postal_code, check_note")
    assert event.staff_id is not None and event.at.date() == datetime.now(UTC).date()
    assert "court_corrected" in client.get("/staff/audit").text

    with app.state.puente.db.write() as session:
        report = import_courts(session, SHIPPED_RELEASE)
    assert "RIC" in report.unchanged
    assert report.kept == ["RIC (check_note, coordinates_source, latitude, longitude, postal_code)"]
    assert "Kept staff corrections where the file differs 1: RIC" in report.summary()
    again = _court(app, "RIC")
    assert again.postal_code == "23219" and again.check_note is None and again.latitude


def test_mark_verified_makes_the_phone_a_call_button_until_the_phone_changes(
    client: TestClient, app
) -> None:
    token = _admin(client, app)
    today = datetime.now(UTC).date()
    assert client.post(f"{KROME}/verify", data={"csrf": token}).status_code == 200
    krome = _court(app, "KRO")
    assert krome.verified_at == today and krome.verified_by == "ana"
    assert _events(app)[-1].event == "court_verified"
    with app.state.puente.db.read() as session:
        cards = courts_for(load_directory(session), today=today, court_code="KRO")
    assert cards[0].phone_href == "tel:+17864228700"

    form = _form(app, "KRO", phone="(786) 422-8701")
    client.post(KROME, data={"csrf": token, **form})
    krome = _court(app, "KRO")
    assert krome.phone == "786-422-8701" and krome.verified_at is None
    assert krome.corrected_fields == "phone"


def test_bad_values_are_refused_with_a_message_and_nothing_changes(client: TestClient, app) -> None:
    token = _admin(client, app)
    cases = {
        "phone": ("12345", "Phone: enter a U.S. phone number"),
        "postal_code": ("3319", "ZIP code: enter five digits"),
        "state": ("XX", "State (two letters): enter a state"),
    }
    for field, (value, message) in cases.items():
        response = client.post(KROME, data={"csrf": token, **_form(app, "KRO", **{field: value})})
        assert response.status_code == 422
        assert message in response.text and f'href="#{field}"' in response.text
    wrong_state = _form(app, "KRO", postal_code="10278")
    response = client.post(KROME, data={"csrf": token, **wrong_state})
    assert "not in the offline ZIP data for that state" in response.text
    assert _court(app, "KRO").corrected_fields is None
    assert not [e for e in _events(app) if e.event == "court_corrected"]


def test_only_signed_in_admins_with_a_token(client: TestClient, app) -> None:
    assert client.get("/staff/directory/courts", follow_redirects=False).status_code == 303
    _admin(client, app)
    forged = client.post(KROME, data={"csrf": "nope", **_form(app, "KRO", city="X")})
    assert forged.status_code == 403
    assert _court(app, "KRO").city == "MIAMI"
