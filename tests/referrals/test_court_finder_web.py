"""The immigration courts on the "Find help" page (issue 17): nearest by ZIP, by state, the
court picker when no facility table is loaded."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from referral_helpers import TODAY

from app.places.location import lookup_zip
from app.referrals.court_finder import courts_for, nearest_court_code
from app.referrals.seed import seed_directory
from app.referrals.snapshot import Directory, load_directory
from app.web.public import find_help
from tests.conftest import csrf_from


def _client(app: FastAPI, *, include_sample: bool) -> Iterator[TestClient]:
    if not any(getattr(route, "path", None) == "/help" for route in app.routes):
        app.include_router(find_help.router)
    with app.state.puente.db.write() as session:
        seed_directory(session, include_sample=include_sample)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def help_client(app: FastAPI) -> Iterator[TestClient]:
    yield from _client(app, include_sample=True)


@pytest.fixture
def no_facilities(app: FastAPI) -> Iterator[TestClient]:
    """Production's directory: real courts, no facility table loaded, no sample region."""
    yield from _client(app, include_sample=False)


def post_help(client: TestClient, lang: str | None = None, **fields: str) -> str:
    page = client.get("/help" + (f"?lang={lang}" if lang else ""))
    data = {"csrf": csrf_from(page.text), "detained": "no", **fields}
    response = client.post("/help", data=data)
    assert response.status_code == 200
    return response.text


def _court_codes(html: str) -> list[str]:
    return re.findall(r'<bdi dir="ltr">\(([A-Z]{3})\)</bdi>', html)


def test_zip_33194_lists_the_krome_court_first_with_its_address(help_client):
    html = post_help(help_client, zip="33194")
    assert _court_codes(html)[0] == "KRO"
    assert "18201 S.W. 12TH ST" in html and "Miami, FL 33194" in html
    assert "786-422-8700" in html and "(check this number before you go)" in html
    assert "tel:+17864228700" not in html  # nobody verified it: no call link
    assert "within 5 days (form EOIR-33)" in html
    assert "list-pro-bono-legal-service-providers" in html


def test_zip_10278_lists_the_new_york_courts(help_client):
    html = post_help(help_client, zip="10278")
    codes = _court_codes(html)
    assert codes[0] == "NYC" and set(codes) <= {"NYC", "NYB", "NYD", "NYV", "NEW", "ELZ"}
    # NYC's own ZIP (and another Manhattan court): "less than a mile", never "About 0 miles".
    assert "Less than a mile from the centre of the ZIP code." in html
    assert "About 0 miles" not in html
    assert re.search(r"About \d+ miles? from the centre of the ZIP code\.", html)


def test_a_state_lists_its_active_courts(help_client):
    codes = _court_codes(post_help(help_client, state="va"))
    # WAS and ANN are one place under two codes: shown once; RIC is marked for checking.
    assert sorted(codes) == ["ANN", "FCI", "RIC", "STE"]


def test_re_coded_courts_are_shown_once(db):
    seed_directory(db, today=TODAY, include_national=False, include_sample=False)
    directory = load_directory(db)
    cards = courts_for(directory, today=TODAY, location=lookup_zip("78566"))
    codes = [c.code for c in cards]
    # PIS and PEP: one address, one phone; the more recently updated record (PIS) stands.
    assert codes[0] == "PIS" and "PEP" not in codes


def test_arabic_page_names_the_court(help_client):
    html = post_help(help_client, lang="ar", zip="33194")
    assert '<html lang="ar"' in html and _court_codes(html)[0] == "KRO"
    assert "Immigration courts near you" not in html


def test_without_a_facility_table_the_picker_offers_courts_by_state(no_facilities):
    page = no_facilities.get("/help").text
    assert 'name="facility"' not in page and 'name="court"' in page
    assert "We do not have the list of detention places." in page
    assert '<optgroup label="Florida">' in page and 'value="KRO"' in page
    assert 'value="LOS"' not in page  # inactive
    html = post_help(no_facilities, detained="yes", court="KRO")
    assert "The immigration court that may have the case" in html
    assert _court_codes(html) == ["KRO"]


def test_a_court_not_on_the_list_is_refused(no_facilities):
    page = no_facilities.get("/help")
    data = {"csrf": csrf_from(page.text), "detained": "yes", "court": "ZZZ"}
    response = no_facilities.post("/help", data=data)
    assert response.status_code == 422 and "Choose a court from the list" in response.text


def test_with_a_facility_table_the_picker_offers_facilities(help_client):
    page = help_client.get("/help").text
    assert 'name="facility"' in page and 'name="court"' not in page


def test_the_nearest_court_kept_with_a_zip_answer(db):
    seed_directory(db, today=TODAY, include_national=False, include_sample=False)
    directory = load_directory(db)
    krome, times_square = lookup_zip("33194"), lookup_zip("10036")
    assert nearest_court_code(directory, krome) == "KRO"
    assert nearest_court_code(directory, times_square) in {"NYC", "NYB", "NYD", "NYV"}
    empty = Directory(revision=None, services=(), terms={}, facilities={})
    assert nearest_court_code(empty, krome) is None  # no courts loaded: the state alone
