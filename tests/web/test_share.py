"""The public "Share Puente" page (P10): links, QR codes and a two-sided flyer for anyone, without
a login, every address from PUBLIC_BASE_URL and never from the Host header (F21)."""

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.i18n import LANGUAGES
from app.web.sharing import qr_svg, site_link
from tests.conftest import make_settings

PUBLIC = "https://puente.example.org"
FORGED = {"Host": "attacker.example"}
LINKS = {code: f"{PUBLIC}/?lang={code}" for code in ("en", "es", "ar")}


@pytest.fixture
def settings(clean_db: str) -> Settings:
    return make_settings(clean_db).model_copy(update={"public_base_url": PUBLIC})


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_the_share_page_gives_each_language_its_link_and_qr_code(
    client: TestClient, lang: str
) -> None:
    page = client.get(f"/share?lang={lang}", headers=FORGED)
    assert page.status_code == 200
    for code, link in LINKS.items():
        assert f'href="{link}"' in page.text
        assert f'src="/share/qr/{code}.svg"' in page.text
    assert "attacker.example" not in page.text and "?p=" not in page.text
    assert 'href="/share/flyer?with=es"' in page.text and 'href="/share/flyer?with=ar"' in page.text
    # The address reads left to right inside Arabic text.
    assert all(f'dir="ltr">{link}</a>' in page.text for link in LINKS.values())


def test_the_start_page_and_the_library_link_to_it(client: TestClient) -> None:
    assert 'href="/share"' in client.get("/").text
    assert 'href="/share"' in client.get("/learn").text


@pytest.mark.parametrize("code", ["en", "es", "ar"])
def test_each_qr_code_is_a_deterministic_svg_of_the_public_link(
    client: TestClient, code: str
) -> None:
    first = client.get(f"/share/qr/{code}.svg", headers=FORGED)
    again = client.get(f"/share/qr/{code}.svg")
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/svg+xml"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.content == again.content == qr_svg(LINKS[code])
    root = ET.fromstring(first.content)  # well-formed XML, an SVG, nothing fetched from elsewhere
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"http" not in first.content.replace(b"http://www.w3.org/2000/svg", b"")
    assert qr_svg(LINKS[code]) != qr_svg(LINKS["en" if code != "en" else "es"])


@pytest.mark.parametrize("path", ["/share/qr/de.svg", "/share/qr/en.png", "/share/qr/.svg"])
def test_no_qr_code_for_anything_else(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("query", "other"),
    [("?with=es", "es"), ("?with=ar", "ar"), ("?lang=ar", "ar"), ("", "es"), ("?with=xx", "es")],
)
def test_the_flyer_is_english_on_the_front_and_the_chosen_language_behind(
    client: TestClient, query: str, other: str
) -> None:
    page = client.get(f"/share/flyer{query}", headers=FORGED)
    assert page.status_code == 200
    sides = re.findall(r'<article class="flyer flyer-side" lang="(\w+)" dir="(\w+)">', page.text)
    assert sides == [("en", "ltr"), (other, "rtl" if other == "ar" else "ltr")]
    assert f"<code>{LINKS['en']}</code>" in page.text
    assert f"<code>{LINKS[other]}</code>" in page.text
    assert f'src="/share/qr/{other}.svg"' in page.text
    assert "attacker.example" not in page.text
    assert "css/share." in page.text  # the print rules, linked here only


def test_the_flyer_side_is_translated(client: TestClient) -> None:
    page = client.get("/share/flyer?with=ar").text
    back = page[page.index('lang="ar" dir="rtl"') :]
    assert "Questions about a drug case" not in back
    assert '<bdi dir="ltr"><code>' in back


def test_a_site_link_carries_the_language_and_a_partner_code_only_when_given() -> None:
    assert site_link("http://testserver/", "es") == "http://testserver/?lang=es"
    assert site_link(PUBLIC, "es", "CASA1") == f"{PUBLIC}/?p=CASA1&lang=es"
    assert site_link(PUBLIC) == f"{PUBLIC}/"


def test_language_names_inside_a_sentence_are_isolated(client: TestClient) -> None:
    share = client.get("/share?lang=ar").text
    assert '<bdi lang="es">Español</bdi>' in share
    flyer = client.get("/share/flyer?lang=ar&with=es").text
    assert '<bdi lang="es">Español</bdi>' in flyer


def test_switching_the_flyers_language_keeps_its_back_side(client: TestClient) -> None:
    page = client.get("/share/flyer?with=ar&lang=es").text
    links = re.findall(r'<li><a href="([^"]+)" lang="[^"]+" hreflang', page)
    assert links == [f"/share/flyer?with=ar&amp;lang={code}" for code in LANGUAGES]
    english = client.get("/share/flyer?with=ar&lang=en").text
    assert 'lang="ar" dir="rtl"' in english  # the back is still Arabic


def test_the_share_pages_title_says_puente_once(client: TestClient) -> None:
    for lang in ("en", "es", "ar"):
        title = re.search(r"<title>([^<]*)</title>", client.get(f"/share?lang={lang}").text)
        assert title and title.group(1).count("Puente") == 1, title
    assert "<title>Flyer to print · Puente</title>" in client.get("/share/flyer?lang=en").text
