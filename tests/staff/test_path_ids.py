"""F10 (security-review-2026-12): an id in a path that is out of range or not a number is the
404 page, never a 500 (the driver's OverflowError) or a 422."""

import pytest
from fastapi.testclient import TestClient

from tests.staff.helpers import make_user, sign_in, staff_csrf

BAD_IDS = ["99999999999999999999999", "2147483648", "9999999999", "abc", "0", "-1", "1e3", "01"]


@pytest.fixture
def admin(client: TestClient, app) -> TestClient:
    make_user(app)
    assert sign_in(client, app).status_code == 303
    return client


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_partner_id_is_the_404_page(admin: TestClient, bad: str) -> None:
    token = staff_csrf(admin, "/staff/partners")
    for response in (
        admin.get(f"/staff/partners/{bad}/flyer"),
        admin.get(f"/staff/partners/{bad}/qr.svg"),
        admin.post(f"/staff/partners/{bad}/active", data={"csrf": token, "active": "1"}),
    ):
        assert response.status_code == 404, (bad, response.status_code)
        assert "This page does not exist." in response.text


def test_the_largest_id_that_fits_is_looked_up(admin: TestClient) -> None:
    # Looked up, not refused by the path: the 404 of a partner that does not exist.
    assert admin.get("/staff/partners/999999999/flyer").status_code == 404


def test_an_unknown_directory_record_is_the_404_page(admin: TestClient) -> None:
    response = admin.get("/staff/directory/" + "x" * 300)
    assert response.status_code == 404 and "This page does not exist." in response.text
