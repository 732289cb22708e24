"""The immigration court on the result page and the family path (issue 17): the questionnaire's
ZIP answer keeps the state and the nearest court's code, never the ZIP, and the result shows
that court with what to do there, in the person's language."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.flow.inputs import zip_answer
from app.referrals.models import Court
from app.referrals.seed import seed_directory
from app.respondents.models import RespondentSession
from tests.web.test_results import finish_in_chat, scenario


def _with_zip(name: str, zip_code: str, *after: list[object]) -> list[list[object]]:
    """A shipped scenario that gives `zip_code` instead of "I don't know" and a state; `after`:
    the answers to the court question that follows (app/flow/places.py), if it is asked."""
    answers = [a for a in scenario(name) if a[0] not in ("zip", "home_state", *CHOICES)]
    return [*answers, ["zip", zip_code], *after]


CHOICES = ("held_place", "case_court")
HELD_UNKNOWN = ["held_place", "dont_know"]


@pytest.fixture
def courts(real_client: TestClient) -> TestClient:
    """Production's directory: the real courts, no sample region."""
    with real_client.app.state.puente.db.write() as session:
        seed_directory(session, include_sample=False)
    return real_client


def _stored_zip(client: TestClient) -> object:
    with client.app.state.puente.db.read() as session:
        row = session.exec(select(RespondentSession)).one()
    return dict(row.answers)["zip"]


def test_a_relative_sees_the_court_that_may_have_the_case(courts: TestClient) -> None:
    page = finish_in_chat(courts, _with_zip("family_relative_held_unknowns", "33194", HELD_UNKNOWN))
    assert _stored_zip(courts) == ["fl", "KRO"]  # the state and the court; no ZIP anywhere
    assert "The immigration court that may have the case" in page
    assert 'Immigration court in Miami <bdi dir="ltr">(KRO)</bdi>' in page
    assert "18201 S.W. 12TH ST" in page and "Miami, FL 33194" in page
    assert "786-422-8700" in page and "(check this number before you go)" in page
    assert "If the person moves, they must tell the court the new address within 5 days" in page
    assert "automated case information line" in page and "tel:+18008987180" in page
    assert "list-pro-bono-legal-service-providers" in page
    assert "we did not keep the ZIP code" in page
    jump = page[page.index('class="jump-links"') : page.index("</nav>", page.index("jump-links"))]
    assert '<a href="#court-heading">The immigration court that may have the case</a>' in jump


def test_a_person_with_no_case_sees_the_court_nearest_to_their_zip(courts: TestClient) -> None:
    page = finish_in_chat(courts, _with_zip("lpr_stop_time", "10278"))
    assert "The immigration court nearest to the ZIP code you gave" in page
    assert "New York, NY" in page
    assert "If you move, tell the court your new address within 5 days" in page


def test_no_court_without_a_zip(courts: TestClient) -> None:
    page = finish_in_chat(courts, scenario("family_relative_held_unknowns"))  # a state only
    assert 'id="court-heading"' not in page and 'href="#court-heading"' not in page


def test_a_court_retired_since_the_answer_is_not_shown(courts: TestClient) -> None:
    finish_in_chat(courts, _with_zip("family_relative_held_unknowns", "33194", HELD_UNKNOWN))
    with courts.app.state.puente.db.write() as session:
        krome = session.get(Court, "KRO")
        assert krome is not None
        krome.active = False
    page = courts.get("/q/result").text
    assert "What your answers may mean" in page and 'id="court-heading"' not in page


def test_the_court_in_arabic_keeps_its_number_left_to_right(courts: TestClient) -> None:
    page = finish_in_chat(
        courts, _with_zip("family_relative_held_unknowns", "33194", HELD_UNKNOWN), "ar"
    )
    assert 'id="court-heading"' in page
    assert '<bdi dir="ltr">786-422-8700</bdi>' in page
    assert '<p dir="ltr">18201 S.W. 12TH ST<br>Miami, FL 33194</p>' in page
    assert "(check this number before you go)" not in page  # translated


def test_the_printable_version_carries_the_court(courts: TestClient) -> None:
    finish_in_chat(courts, _with_zip("family_relative_held_unknowns", "33194", HELD_UNKNOWN), "es")
    page = courts.get("/q/result/print").text
    # In Spanish and in English, each column's ids carrying its language (issue 12).
    assert 'id="es-court-heading"' in page and 'id="en-court-heading"' in page


def test_answers_stored_before_courts_were_kept_still_read() -> None:
    assert zip_answer("fl") == ("fl", None)
    assert zip_answer(["fl", "KRO"]) == ("fl", "KRO")
    assert zip_answer(None) == (None, None)
