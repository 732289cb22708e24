"""Share links and QR codes name PUBLIC_BASE_URL, never the Host header a request carried (a
client chooses that header: a forged one must not end up on a printed flyer)."""

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.partners import admin as partners
from app.web.sharing import qr_svg
from tests.conftest import make_settings
from tests.staff.helpers import make_user, sign_in, staff_csrf

PUBLIC = "https://puente.example.org"
FORGED = {"Host": "attacker.example"}


@pytest.fixture
def settings(clean_db: str) -> Settings:
    return make_settings(clean_db).model_copy(update={"public_base_url": PUBLIC})


def test_links_and_qr_codes_use_the_public_base_url_whatever_the_host(
    client: TestClient, app
) -> None:
    make_user(app)
    assert sign_in(client, app).status_code == 303
    token = staff_csrf(client, "/staff/partners")
    client.post(
        "/staff/partners",
        data={"csrf": token, "name": "Casa", "locale": "es", "code": "CASA1"},
        follow_redirects=False,
    )
    (partner,) = partners.list_partners(app.state.puente.db)
    link = f"{PUBLIC}/?p=CASA1&lang=es"

    page = client.get("/staff/partners", headers=FORGED).text
    flyer = client.get(f"/staff/partners/{partner.id}/flyer", headers=FORGED).text
    qr = client.get(f"/staff/partners/{partner.id}/qr.svg", headers=FORGED)
    assert link.replace("&", "&amp;") in page and link.replace("&", "&amp;") in flyer
    assert "attacker.example" not in page + flyer
    assert qr.content == qr_svg(link)
