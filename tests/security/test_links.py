"""F7 (security-review-2026-12): no link built from the request's path leads off the site.

The 404 page (and every page) links to itself in each language. Paths that a browser reads as
another host once they are put in an `href` (`//host`, `/%2F%2Fhost`, `/%09/host`, `/\\host`)
must give links that stay on our origin; the test resolves each link as a browser does
(tabs and newlines dropped, a backslash read as a slash, WHATWG URL resolution).
"""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.i18n import LANGUAGES

ORIGIN = "https://puente.example"
HREF = re.compile(r'(?:href|action|src)="([^"]*)"')
PAYLOADS = [
    "//evil.example",
    "//evil.example/",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example/x",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%5C%5Cevil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%2F%5Cevil.example",
    "/.//evil.example",
    "/%40evil.example",
    "/learn/%3F%23x",
]


def browser_resolve(base: str, link: str) -> str:
    """How a browser reads an href (WHATWG URL, special schemes): it drops tabs and newlines,
    reads `\\` as `/`, and takes any run of two or more leading slashes as `//` + host."""
    cleaned = re.sub(r"[\t\n\r]", "", unescape(link)).replace("\\", "/")
    if cleaned.startswith("//"):
        cleaned = "//" + cleaned.lstrip("/")
    return urljoin(base, cleaned)


def links_of(html: str) -> list[str]:
    return HREF.findall(html)


@pytest.mark.parametrize("path", PAYLOADS)
def test_language_links_stay_on_our_origin(client: TestClient, path: str) -> None:
    # Sent as written: the test client must not normalise the path into a host.
    response = client.get(f"http://testserver{path}")
    assert response.status_code in (200, 404)
    page = f"{ORIGIN}{path}"
    language_links = [link for link in links_of(response.text) if "lang=" in link]
    assert len(language_links) == len(LANGUAGES), response.text
    for link in links_of(response.text):
        if link.startswith(("https://www.bbc.com/", "#")):
            continue  # the Exit link and in-page anchors
        resolved = urlsplit(browser_resolve(page, link))
        assert (resolved.scheme, resolved.netloc) == ("https", "puente.example"), (path, link)


def test_a_plain_path_keeps_its_own_language_links(client: TestClient) -> None:
    html = client.get("/privacy").text
    assert 'href="/privacy?lang=es"' in html


def test_a_path_with_encoded_characters_stays_one_path(client: TestClient) -> None:
    # `?` and `#` that came percent-encoded stay encoded: the link names the same path.
    html = client.get("http://testserver/learn/a%3Fb").text
    assert 'href="/learn/a%3Fb?lang=es"' in html
