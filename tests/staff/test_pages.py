"""The staff pages: statistics with suppression (and CSV), partners, content review, the audit
log, roles, and CSRF on every staff form (T3.3)."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.i18n import LANGUAGES
from app.partners.models import Partner
from app.staff.models import AuditEvent, ContentReview
from app.stats import counts
from tests.staff.helpers import make_user, sign_in, staff_csrf

WEEK = date(2026, 3, 2)


def _seed_counts(app) -> None:
    with app.state.puente.db.write_connection() as connection:
        for event, total, locales in (
            ("started", 40, {"en": 33, "es": 5, "ar": 2}),
            ("finished", 25, {"en": 12, "es": 13}),
        ):
            counts.add(connection, WEEK, event, "all", "", total)
            for locale, n in locales.items():
                counts.add(connection, WEEK, event, "locale", locale, n)
            counts.add(connection, WEEK, event, "who", "self", total)
        counts.add(connection, WEEK, "finding", "code", "deportable_cs", 7)
        counts.add(connection, WEEK, "finding", "code", "travel_risk", 18)


@pytest.fixture
def admin(client: TestClient, app) -> TestClient:
    make_user(app)
    assert sign_in(client, app).status_code == 303
    return client


def test_statistics_show_no_small_count(admin: TestClient, app) -> None:
    _seed_counts(app)
    page = admin.get("/staff/stats")
    assert page.status_code == 200
    html = page.text
    assert "Sessions started, by language" in html and "2026-03-02" in html
    assert ">hidden<" in html
    for small in (">5<", ">2<", ">7<", ">33<"):  # 33 would give away 5 + 2
        assert small not in html, small
    assert ">40<" in html and ">12<" in html and ">13<" in html and ">18<" in html
    csv = admin.get("/staff/stats.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "started,locale,2026-03-02,English,hidden" in csv.text
    assert "started,locale,2026-03-02,total,40" in csv.text
    assert "finding,code,2026-03-02,deportable_cs,hidden" in csv.text
    with app.state.puente.db.read() as session:
        assert "stats_exported" in {e.event for e in session.exec(select(AuditEvent))}


def test_partners_get_a_code_a_link_a_qr_code_and_a_flyer(admin: TestClient, app) -> None:
    token = staff_csrf(admin, "/staff/partners")
    created = admin.post(
        "/staff/partners",
        data={"csrf": token, "name": "St. Anne <b>outreach</b>", "locale": "es", "code": ""},
        follow_redirects=False,
    )
    assert created.status_code == 303
    with app.state.puente.db.read() as session:
        (partner,) = session.exec(select(Partner)).all()
    assert 4 <= len(partner.code) <= 12 and partner.locale == "es"
    page = admin.get("/staff/partners").text
    assert f"http://testserver/?p={partner.code}&amp;lang=es" in page
    assert "St. Anne &lt;b&gt;outreach&lt;/b&gt;" in page
    qr = admin.get(f"/staff/partners/{partner.id}/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in qr.content and b"<script" not in qr.content
    flyer = admin.get(f"/staff/partners/{partner.id}/flyer")
    assert flyer.status_code == 200 and 'lang="es"' in flyer.text
    assert f"/staff/partners/{partner.id}/qr.svg?in=es" in flyer.text
    english = admin.get(f"/staff/partners/{partner.id}/flyer?in=en")
    assert 'lang="en"' in english.text and "lang=en" in english.text
    # a taken or malformed code is refused with a message
    again = admin.post(
        "/staff/partners", data={"csrf": token, "name": "Other", "code": partner.code}
    )
    assert again.status_code == 422 and "taken" in again.text
    bad = admin.post("/staff/partners", data={"csrf": token, "name": "Other", "code": '"><script>'})
    assert bad.status_code == 422 and "<script>" not in bad.text
    # switching it off makes the link inert
    off = admin.post(
        f"/staff/partners/{partner.id}/active",
        data={"csrf": token, "active": "0"},
        follow_redirects=False,
    )
    assert off.status_code == 303
    with app.state.puente.db.read() as session:
        assert session.get(Partner, partner.id).active is False
        events = [e.event for e in session.exec(select(AuditEvent))]
    assert "partner_created" in events and "partner_disabled" in events


def test_content_review_lists_items_and_records_a_review(admin: TestClient, app) -> None:
    page = admin.get("/staff/review")
    assert page.status_code == 200
    assert "node:who" in page.text and "Draft" in page.text
    token = staff_csrf(admin, "/staff/review")
    marked = admin.post(
        "/staff/review", data={"csrf": token, "item": "node:who"}, follow_redirects=False
    )
    assert marked.status_code == 303
    with app.state.puente.db.read() as session:
        (review,) = session.exec(select(ContentReview)).all()
        events = [(e.event, e.detail) for e in session.exec(select(AuditEvent))]
    assert review.item == "node:who" and ("content_reviewed", "node:who") in events
    assert admin.get("/staff/review").text.count("Reviewed") >= 1


def test_content_review_shows_each_language_s_review_per_family(admin: TestClient) -> None:
    page = admin.get("/staff/review?lang=en").text
    assert "Translations" in page and "Legal findings and result text" in page
    # Each language but English: a row, machine-assisted in the whole catalog and in all six
    # families.
    assert "Español" in page and "العربية" in page and "ខ្មែរ" in page
    assert page.count("<td>Machine-assisted</td>") == (len(LANGUAGES) - 1) * 7


def test_a_reviewer_sees_review_and_statistics_only(client: TestClient, app) -> None:
    make_user(app, "rosa", role="reviewer", title="immigration attorney")
    sign_in(client, app, "rosa", next_key="review")
    assert client.get("/staff/review").status_code == 200
    assert client.get("/staff/stats").status_code == 200
    assert client.get("/staff/partners").status_code == 403
    assert client.get("/staff/audit").status_code == 403


def test_the_audit_log_page(admin: TestClient) -> None:
    page = admin.get("/staff/audit")
    assert page.status_code == 200 and "signed_in" in page.text


@pytest.mark.parametrize(
    "path", ["/staff/stats", "/staff/partners", "/staff/review", "/staff/audit", "/staff/stats.csv"]
)
def test_pages_need_a_signed_in_staff_member(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=")


STAFF_POSTS = ["/staff/partners", "/staff/partners/1/active", "/staff/review", "/staff/logout"]


@pytest.mark.parametrize("path", STAFF_POSTS)
def test_staff_forms_refuse_forged_requests(admin: TestClient, app, path: str) -> None:
    token = staff_csrf(admin)
    other = TestClient(app, base_url="http://testserver")
    make_user(app, "luis")
    sign_in(other, app, "luis")
    foreign = staff_csrf(other)
    form = {"name": "X", "item": "node:who", "active": "1"}
    for data, headers in (
        (form, {}),
        ({**form, "csrf": foreign}, {}),
        ({**form, "csrf": token}, {"Origin": "https://evil.example"}),
        ({**form, "csrf": token}, {"Sec-Fetch-Site": "cross-site"}),
    ):
        response = admin.post(path, data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 403, (path, data.keys(), headers)


def test_login_forms_refuse_forged_requests(client: TestClient, app) -> None:
    make_user(app)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        page = client.get("/staff/login")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        response = client.post(
            "/staff/login",
            data={"csrf": token, "username": "ana", "password": "x"},
            headers=headers,
        )
        assert response.status_code == 403
    assert client.post("/staff/login", data={"username": "ana", "password": "x"}).status_code == 403


@pytest.mark.parametrize(
    "payload",
    ["//evil.com", "/\\evil.com", "https:evil.com", "%2F%2Fevil.com", "javascript:alert(1)"],
)
def test_sign_in_redirects_only_by_route_key(client: TestClient, app, payload: str) -> None:
    make_user(app)
    done = sign_in(client, app, next_key=payload)
    assert done.status_code == 303 and done.headers["location"] == "/staff/stats"
