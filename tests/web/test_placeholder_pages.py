"""A number of a national resource lives in the directory only: change it there and every page
that mentions it says the new number, in every language, as a left-to-right `tel:` link."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.referrals import models as m
from app.referrals.placeholders import PLACEHOLDERS
from app.referrals.seed import seed_directory
from tests.web.chat_helpers import answer, start
from tests.web.test_results import finish_in_api, scenario

ROOT = Path(__file__).resolve().parents[2]
OLD = "1-800-898-7180"
NEW = "202-555-0147"
NEW_LINK = f'<a href="tel:+12025550147" dir="ltr">{NEW}</a>'
# The call button: "Call 202-555-0147" in the page's language, the number isolated.
NEW_BUTTON = re.compile(
    r'class="button call" href="tel:\+12025550147">[^<]*<bdi dir="ltr">202-555-0147</bdi>'
)


@pytest.fixture
def renumbered(real_client: TestClient) -> TestClient:
    """The shipped directory, then staff change the EOIR line's number."""
    db = real_client.app.state.puente.db
    with db.write() as session:
        seed_directory(session)
    with db.write() as session:
        service_id = PLACEHOLDERS["eoir_phone"].service_id
        phone = session.exec(select(m.Phone).where(m.Phone.service_id == service_id)).one()
        phone.number = NEW
        session.add(phone)
    return real_client


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_a_changed_number_shows_on_every_page_that_mentions_it(
    renumbered: TestClient, lang: str
) -> None:
    # detained_info, then the court question (the Texas courts: "I don't know"), then a result
    answers = [*scenario("family_relative_held_unknowns"), ["held_place", "dont_know"]]
    start(renumbered, lang)
    for question, value in answers:
        if question == "detained_info":
            step = renumbered.get("/q").text
            assert NEW_LINK in step and OLD not in step  # the question's help text
        response = answer(
            renumbered, str(question), value if isinstance(value, list) else str(value)
        )
        assert response.status_code == 303, response.text[:300]

    page = renumbered.get("/q/result").text
    assert f'lang="{lang}"' in page
    assert OLD not in page
    # Findings (detained_family_resources, urgent_hearing_soon) and the family section's text.
    assert page.count(NEW_LINK) >= 2
    assert NEW_BUTTON.search(page)  # the family section's "Check court dates" item
    printable = renumbered.get("/q/result/print").text
    assert NEW_LINK in printable and OLD not in printable

    result = finish_in_api(renumbered, answers, lang)
    summaries = {f["code"]: f["summary"] for f in result["findings"]}
    assert NEW in summaries["detained_family_resources"]
    assert OLD not in str(result)


def test_the_api_step_fills_the_number_as_plain_text(renumbered: TestClient) -> None:
    token = renumbered.post("/api/v1/sessions", json={"locale": "es"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for question, value in (("who", "self"), ("detained", "ice")):
        step = renumbered.post(
            "/api/v1/session/answers", json={"question": question, "value": value}, headers=auth
        ).json()["step"]
    assert step["id"] == "detained_info"
    assert NEW in step["help"]
    assert "{" not in step["help"] and "<" not in step["help"]


# A U.S. number written out: (312) 555-0123, 312-555-0123, 1-800-898-7180, 312.555.0123.
US_NUMBER = re.compile(r"(?<!\d)(?:1[-. ])?\(?[2-9]\d{2}\)?[-. ]?[2-9]\d{2}[-. ]\d{4}(?!\d)")
FICTIONAL = re.compile(r"555[-. ]01\d\d")  # 555-0100 to 0199: reserved for fiction (NANPA)


def _numbers(path: Path) -> list[str]:
    found = US_NUMBER.findall(path.read_text(encoding="utf-8"))
    return [number for number in found if not FICTIONAL.search(number)]


def test_no_content_string_or_catalog_entry_writes_a_phone_number() -> None:
    files = [
        *(ROOT / "app" / "content").rglob("*.yaml"),
        *(ROOT / "locales").rglob("*.po"),
        *(ROOT / "locales").glob("*.pot"),
        *(ROOT / "templates").rglob("*.html"),
    ]
    assert len(files) > 10
    written = {str(path.relative_to(ROOT)): _numbers(path) for path in files}
    assert {path: numbers for path, numbers in written.items() if numbers} == {}


def test_the_number_pattern_finds_what_it_must() -> None:
    text = "Call 1-800-898-7180, (888) 351-4024 or 312.263.0901; not 312-555-0123 or 2026-11-29."
    found = [n for n in US_NUMBER.findall(text) if not FICTIONAL.search(n)]
    assert found == ["1-800-898-7180", "(888) 351-4024", "312.263.0901"]
