"""Static files: versioned URLs cached for a year; plain and outdated URLs still work."""

import hashlib
import re

from fastapi.testclient import TestClient

from app import paths
from app.web.static_files import (
    IMMUTABLE,
    REVALIDATE,
    manifest,
    minify_css,
    served_bytes,
    versioned_name,
)

CSS = "css/puente.css"


def test_pages_name_every_asset_by_its_content_hash(client: TestClient) -> None:
    page = client.get("/q/start").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets
    for url in assets:
        name = url.removeprefix("/static/")
        stem, digest, suffix = re.fullmatch(r"(.+)\.([0-9a-f]{12})(\.[a-z]+)", name).groups()
        plain = f"{stem}{suffix}"
        content = served_bytes(paths.STATIC / plain)
        assert hashlib.sha256(content).hexdigest().startswith(digest), url


def test_a_versioned_url_is_cached_for_a_year(client: TestClient) -> None:
    url = manifest(paths.STATIC).url(CSS)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.content == served_bytes(paths.STATIC / CSS)
    assert response.headers["content-type"].startswith("text/css")
    # The security headers are still there (the middleware adds them to static files too).
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.head(url).status_code == 200


def test_the_plain_url_still_works_and_is_revalidated(client: TestClient) -> None:
    response = client.get(f"/static/{CSS}")
    assert response.status_code == 200 and response.headers["cache-control"] == REVALIDATE
    etag = response.headers["etag"]
    again = client.get(f"/static/{CSS}", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_an_outdated_version_redirects_to_the_current_one(client: TestClient) -> None:
    old = versioned_name(CSS, "0" * 64)
    response = client.get(f"/static/{old}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == manifest(paths.STATIC).url(CSS)
    assert response.headers["cache-control"] == "no-store, max-age=0"


def test_unknown_files_and_other_methods_are_refused(client: TestClient) -> None:
    for path in ("/static/nope.css", "/static/../app/main.py", "/static/%2e%2e/app/main.py"):
        missing = client.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["cache-control"] == "no-store, max-age=0"
    assert client.post(f"/static/{CSS}").status_code == 405


def test_versioned_names() -> None:
    assert versioned_name("css/puente.css", "ab" * 32) == "css/puente.abababababab.css"
    assert versioned_name("vendor/htmx-2.0.11.min.js", "cd" * 32) == (
        "vendor/htmx-2.0.11.min.cdcdcdcdcdcd.js"
    )


def test_stylesheets_are_served_without_comments_and_spaces(client: TestClient) -> None:
    source = (paths.STATIC / CSS).read_text()
    served = client.get(manifest(paths.STATIC).url(CSS)).text
    assert "/*" in source and "/*" not in served
    assert len(served) < 0.9 * len(source)
    # Every rule is still there, and a quoted string keeps its spaces.
    squeeze = re.compile(r"\s+")
    for selector in re.findall(r"^([^{}@/\s][^{}]*)\{", source, re.M):
        assert squeeze.sub("", selector) in squeeze.sub("", served), selector
    assert minify_css('a > b  :focus { content: "x  ;  y" ; color: red; }') == (
        'a>b :focus{content:"x  ;  y";color:red}'
    )
