"""T3.1: the same strict headers on every response, and a CSP with no unsafe-* and no hosts."""

import importlib.util

import pytest
from fastapi.testclient import TestClient

from app.web.middleware import CSP
from app.web.public.pages import FAVICON_CACHE

EXPECTED = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    ),
}
REQUIRED_DIRECTIVES = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "upgrade-insecure-requests": [],
}


def parse_csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response, static: bool = False, cache: str | None = None) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{name} on {response.url}"
    expected_cache = cache or ("public, no-cache" if static else "no-store, max-age=0")
    assert response.headers.get("cache-control") == expected_cache, response.url
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]
    assert "server" not in response.headers or "uvicorn" not in response.headers["server"]


def test_the_csp_is_strict() -> None:
    directives = parse_csp(CSP)
    assert directives == REQUIRED_DIRECTIVES
    for sources in directives.values():
        for source in sources:
            assert not source.startswith("'unsafe-"), source
            assert source in ("'self'", "'none'"), f"a host or scheme in the CSP: {source}"


def all_routes(routes) -> list:
    """Every route, looking inside included routers (FastAPI wraps them)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found += all_routes(inner.routes)
        else:
            found.append(route)
    return found


# The result route imports app.results, which the findings issue adds; until then it is skipped.
PENDING = set() if importlib.util.find_spec("app.results") else {"/api/v1/session/result"}


def _get_paths(app) -> list[str]:
    paths = []
    for route in all_routes(app.routes):
        methods = getattr(route, "methods", None) or set()
        path = getattr(route, "path", "{")
        if "GET" in methods and "{" not in path and path not in PENDING:
            paths.append(route.path)
    return paths


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_every_get_route_has_the_headers(client: TestClient, app, locale: str) -> None:
    paths = _get_paths(app)
    assert {"/", "/q/start", "/privacy", "/resume", "/healthz"} <= set(paths)
    for path in paths:
        response = client.get(path, params={"lang": locale}, follow_redirects=False)
        assert response.status_code < 500, path
        # The icon is the one route cached outside /static/ (docs/decisions.md); no page is.
        assert_strict(response, cache=FAVICON_CACHE if path == "/favicon.ico" else None)


def test_errors_posts_static_and_api_have_the_headers(client: TestClient) -> None:
    assert_strict(client.get("/no-such-page"))
    assert_strict(client.post("/q", data={"csrf": "x"}))
    assert_strict(client.post("/api/v1/sessions", json={"locale": "xx"}))
    assert_strict(client.get("/api/v1/session"))
    assert_strict(
        client.post(
            "/q/start",
            content=b"x" * 20000,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    )
    assert_strict(client.get("/static/css/puente.css"), static=True)
    assert_strict(client.get("/?p=NOSUCH1", follow_redirects=False))


def test_hsts_in_production(clean_db) -> None:
    from app.main import create_app
    from tests.conftest import make_settings

    settings = make_settings(clean_db).model_copy(update={"environment": "production"})
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/")
        assert response.headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains"
        )
        assert_strict(response)
    app.state.puente.db.dispose()


def test_htmx_is_configured_for_the_strict_csp(client: TestClient) -> None:
    """R3.2: self-hosted htmx, configured by a meta tag; nothing it would inject or evaluate."""
    import html
    import json
    import re

    from tests.web.chat_helpers import start

    start(client)
    page = client.get("/q").text  # htmx is on the question pages only (P24)
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    assert meta, "no htmx-config meta tag"
    config = json.loads(html.unescape(meta.group(1)))
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True and config["historyCacheSize"] == 0
    assert config["refreshOnHistoryMiss"] is True and config["includeIndicatorStyles"] is False
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)


@pytest.mark.parametrize("path", ["/", "/privacy", "/q/start", "/static/css/puente.css"])
def test_head_is_answered_as_get_without_the_body(client: TestClient, path: str) -> None:
    """HEAD (RFC 9110 9.3.2): the GET's status and headers, the security headers included, and
    no body; the routes list GET only, so the edge layer asks them for GET."""
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200, path
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] != "0"
    for name, value in EXPECTED.items():
        assert head.headers[name] == value
