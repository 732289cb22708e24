"""The questionnaire's court questions (issue 17, item 3): after the ZIP or the state, a person
with a case is asked which immigration court has it, and a relative of a person held where the
person is held, from a list built from the directory (nearest first), with "I don't know". Only
a court code is kept; the result shows that court before the one nearest to the ZIP."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.flow.places import Place
from app.referrals.facilities import import_facilities
from app.referrals.seed import seed_directory
from app.respondents.models import RespondentSession
from app.web.court_labels import place_label
from tests.web.chat_helpers import answer, start
from tests.web.test_results import scenario

FACILITIES = Path(__file__).resolve().parents[1] / "fixtures" / "eoir-facilities.tsv"
NEW_YORK_STATE = {"NYC", "NYB", "NYD", "NYV", "BUF", "BTV", "ULS"}
FLORIDA = ["KRO", "MIA", "ORL"]  # nearest first from 33194, the Krome court's own ZIP


def _before_zip(name: str) -> list[list[object]]:
    """A shipped scenario's answers up to its ZIP or state question."""
    return [a for a in scenario(name) if a[0] not in ("zip", "home_state")]


RELATIVE_HELD = _before_zip("family_relative_held_unknowns")  # ICE holds the person
HEARING_SOON = _before_zip("hearing_within_two_weeks")  # a hearing, not held


@pytest.fixture
def courts(real_client: TestClient) -> TestClient:
    """Production's directory: the real courts, no sample region, no facility table."""
    with real_client.app.state.puente.db.write() as session:
        seed_directory(session, include_sample=False)
    return real_client


@pytest.fixture
def facilities(courts: TestClient) -> TestClient:
    """The same, with a facility table imported (a fixture in EOIR's published form)."""
    with courts.app.state.puente.db.write() as session:
        import_facilities(session, FACILITIES)
    return courts


def _walk(client: TestClient, answers: list[list[object]], lang: str = "en") -> str:
    start(client, lang)
    for question, value in answers:
        response = answer(client, str(question), value if isinstance(value, list) else str(value))
        assert response.status_code == 303, response.text[:300]
    return client.get("/q").text


def _current(page: str) -> str:
    return page[page.index('id="current"') :]


def _radio_values(page: str) -> list[str]:
    section = _current(page)
    values = []
    for chunk in section.split('<input type="radio" name="value" id="')[1:]:
        values.append(chunk.split('value="', 1)[1].split('"', 1)[0])
    return values


def _stored(client: TestClient) -> dict[str, object]:
    with client.app.state.puente.db.read() as session:
        row = session.exec(select(RespondentSession)).one()
    return dict(row.answers)


def test_zip_33194_lists_the_krome_court_first_with_its_address(courts: TestClient) -> None:
    page = _walk(courts, [*RELATIVE_HELD, ["zip", "33194"]])
    assert 'name="question" value="held_place"' in page
    assert "Where is the person held?" in page
    # No facility table is loaded: the courts of the state instead, and the page says so.
    assert "We do not have the list of detention places for this state." in page
    assert 'aria-describedby="question-progress question-help question-note"' in page
    assert _radio_values(page) == [*FLORIDA, "dont_know", "prefer_not"]
    krome = _current(page).split('value="KRO"', 1)[1].split("</div>", 1)[0]
    assert 'Immigration court in Miami <bdi dir="ltr">(KRO)</bdi>' in krome
    assert '<bdi dir="ltr" class="small">18201 S.W. 12TH ST, Miami, FL 33194</bdi>' in krome


def test_zip_10278_lists_the_new_york_courts(courts: TestClient) -> None:
    page = _walk(courts, [*HEARING_SOON, ["zip", "10278"]])
    assert "Which immigration court has your case?" in page
    assert "We do not have the list" not in page  # courts were asked for
    codes = _radio_values(page)[:-2]
    assert codes[0] == "NYC" and len(codes) >= 4 and set(codes) <= NEW_YORK_STATE
    assert _radio_values(page)[-2:] == ["dont_know", "prefer_not"]


def test_a_state_without_a_zip_lists_its_courts_by_city(courts: TestClient) -> None:
    page = _walk(courts, [*HEARING_SOON, ["zip", "dont_know"], ["home_state", "fl"]])
    assert _radio_values(page)[:-2] == ["KRO", "MIA", "ORL"]  # Miami, Miami, Orlando


def test_a_relative_who_picks_a_court_sees_that_court_not_the_nearest(courts: TestClient) -> None:
    _walk(courts, [*RELATIVE_HELD, ["zip", "33194"]])
    response = answer(courts, "held_place", "ORL")
    assert response.status_code == 303 and response.headers["location"] == "/q/result"
    assert _stored(courts)["held_place"] == ["court", "ORL"]
    page = courts.get("/q/result").text
    assert 'Immigration court in Orlando <bdi dir="ltr">(ORL)</bdi>' in page
    assert "(KRO)" not in page  # the nearest court gives way to the one chosen
    assert "The immigration court that may have the case" in page
    assert "We found it from the ZIP code" not in page  # chosen, not found from the ZIP
    assert "500 N. Orange Avenue Ste.1100" in page and "(check this number before you go)" in page
    assert "If the person moves, they must tell the court the new address within 5 days" in page
    assert "automated case information line" in page and "tel:+18008987180" in page
    answers = courts.get("/q/answers").text  # the answers behind the result
    assert "Court chosen: \u2068ORL\u2069" in answers


def test_a_place_from_the_facility_table_keeps_only_its_court(facilities: TestClient) -> None:
    page = _walk(facilities, [*RELATIVE_HELD, ["zip", "33194"]])
    assert "We do not have the list" not in page
    assert "KROME NORTH SERVICE PROCESSING CENTER" in page
    values = _radio_values(page)
    assert len(values) == 3 and values[1:] == ["dont_know", "prefer_not"]  # one place in FL
    response = answer(facilities, "held_place", values[0])
    assert response.headers["location"] == "/q/result"
    stored = _stored(facilities)
    assert stored["held_place"] == ["held", "KRO"]  # the court; the place is not kept
    assert values[0] not in str(stored)
    page = facilities.get("/q/result").text
    answers = facilities.get("/q/answers").text  # the answers say whence the court came
    assert "Court of the place chosen: \u2068KRO\u2069" in answers
    assert "We found it from the ZIP code" not in page
    assert 'Immigration court in Miami <bdi dir="ltr">(KRO)</bdi>' in page
    assert "18201 S.W. 12TH ST" in page


def test_a_state_with_no_place_in_the_table_gets_its_courts(facilities: TestClient) -> None:
    page = _walk(facilities, [*RELATIVE_HELD, ["zip", "dont_know"], ["home_state", "tx"]])
    assert "We do not have the list of detention places for this state." in page
    assert "(HOU)</bdi>" in page and len(_radio_values(page)) > 12  # Texas: many courts


def test_a_long_list_is_a_select_whose_options_isolate_codes_and_places() -> None:
    """No markup inside an <option>: the code and the place sit in Unicode isolates."""
    houston = Place("HOU", "HOU", "court", "Houston", "500 JEFFERSON ST.", "Houston, TX 77002")
    label = place_label(houston)
    assert label == "Immigration court in Houston \u2068(HOU)\u2069, \u2068Houston, TX 77002\u2069"
    assert (
        place_label(houston, plain=True) == "Immigration court in Houston (HOU), Houston, TX 77002"
    )


def test_a_code_not_in_the_list_is_refused_and_nothing_is_lost(courts: TestClient) -> None:
    _walk(courts, [*RELATIVE_HELD, ["zip", "33194"]], "es")
    before = _stored(courts)
    refused = answer(courts, "held_place", "LOS")  # a real court, but in California
    assert refused.status_code == 422
    assert "no es uno de los lugares de la lista" in refused.text.lower()
    assert _radio_values(refused.text)[:3] == FLORIDA  # the list again, to choose from
    assert _stored(courts) == before
    fragment = answer(courts, "held_place", "<b>x</b>", headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and "<b>x</b>" not in fragment.text
    assert 'id="answer-error"' in fragment.text and "<html" not in fragment.text
    assert _stored(courts) == before


def test_with_htmx_the_list_comes_as_the_next_step(courts: TestClient) -> None:
    _walk(courts, RELATIVE_HELD)
    step = answer(courts, "zip", "33194", headers={"HX-Request": "true"})
    assert step.status_code == 200 and 'value="held_place"' in step.text
    assert _radio_values(step.text)[0] == "KRO"


def test_i_dont_know_keeps_the_court_nearest_to_the_zip(courts: TestClient) -> None:
    _walk(courts, [*RELATIVE_HELD, ["zip", "33194"]])
    assert answer(courts, "held_place", "prefer_not").headers["location"] == "/q/result"
    page = courts.get("/q/result").text
    assert "We found it from the ZIP code" in page and "(KRO)" in page


def test_no_list_no_question(real_client: TestClient) -> None:
    """Without courts in the directory there is nothing to choose from: the result follows."""
    _walk(real_client, RELATIVE_HELD)
    response = answer(real_client, "zip", "33194")
    assert response.headers["location"] == "/q/result"


def test_arabic_isolates_the_codes_and_addresses_of_the_list(courts: TestClient) -> None:
    page = _current(_walk(courts, [*RELATIVE_HELD, ["zip", "33194"]], "ar"))
    assert "Immigration court in" not in page and "Where is the person held?" not in page
    assert '<bdi dir="ltr">(KRO)</bdi>' in page
    assert '<bdi dir="ltr" class="small">18201 S.W. 12TH ST, Miami, FL 33194</bdi>' in page
    # Every address in the list sits in a left-to-right isolate.
    assert page.count('<bdi dir="ltr" class="small">') == len(FLORIDA)


def test_the_api_lists_the_places_and_takes_a_code(courts: TestClient) -> None:
    token = courts.post("/api/v1/sessions", json={"locale": "en"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for question, value in [*RELATIVE_HELD, ["zip", "33194"]]:
        reply = courts.post(
            "/api/v1/session/answers", json={"question": question, "value": value}, headers=auth
        )
        assert reply.status_code == 200, reply.text
    step = reply.json()["step"]
    assert step["id"] == "held_place" and step["input"] == "single"  # the contract's kinds
    assert [o["value"] for o in step["options"]] == [*FLORIDA, "dont_know", "prefer_not"]
    assert step["options"][0]["label"] == "Immigration court in Miami (KRO), Miami, FL 33194"
    assert "We do not have the list of detention places" in step["help"]
    wrong = courts.post(
        "/api/v1/session/answers", json={"question": "held_place", "value": "LOS"}, headers=auth
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "not_in_list"
    done = courts.post(
        "/api/v1/session/answers", json={"question": "held_place", "value": "MIA"}, headers=auth
    )
    assert done.json()["step"]["type"] == "result"
    assert _stored(courts)["held_place"] == ["court", "MIA"]


def test_the_chosen_court_in_arabic_and_on_the_printable_page(courts: TestClient) -> None:
    _walk(courts, [*HEARING_SOON, ["zip", "33194"]], "ar")
    assert answer(courts, "case_court", "ORL").headers["location"] == "/q/result"
    page = courts.get("/q/result").text
    assert '<bdi dir="ltr">(ORL)</bdi>' in page and "(KRO)" not in page
    assert '<bdi dir="ltr">407-244-8900</bdi>' in page
    assert '<p dir="ltr">500 N. Orange Avenue Ste.1100<br>Orlando, FL 32801</p>' in page
    assert "The Notice to Appear and every letter" not in page  # translated
    printable = courts.get("/q/result/print").text
    assert printable.count('<bdi dir="ltr">(ORL)</bdi>') == 2  # in Arabic and in English
    assert "The Notice to Appear and every letter" in printable  # the English column
