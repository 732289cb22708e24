"""The delay that F2's fix costs is said where people read the figures: the staff statistics
page (with the number the code uses) and the public "What we store" page. F18: the public page
says that years are kept, and why."""

from fastapi.testclient import TestClient

from app.stats.report import PUBLISH_AFTER_DAYS
from tests.staff.helpers import make_user, sign_in


def test_the_statistics_page_says_when_a_week_appears(client: TestClient, app) -> None:
    make_user(app)
    assert sign_in(client, app).status_code == 303
    html = client.get("/staff/stats").text
    assert f"A week appears {PUBLISH_AFTER_DAYS} days after its Sunday" in html
    assert "never change after that" in html


def test_the_privacy_page_says_when_counts_are_shown_and_why_years_are_kept(
    client: TestClient,
) -> None:
    html = client.get("/privacy").text
    assert "shown only a month after the week ends" in html
    assert "Years you give" in html and "never a date" in html
    spanish = client.get("/privacy?lang=es").text
    assert "un mes después de que termina la semana" in spanish
