"""Fixtures for the browser tests: one live server and one Chromium per test session.

The server is the real thing (a uvicorn subprocess on a free loopback port, a migrated SQLite
database, the same factory production uses); the browser is Debian's Chromium driven by
Playwright by executable path. `playwright install` is never run: it downloads a browser.

Every context this module hands out stubs the neutral exit site and records any request that
would leave the site's origin (Chromium's proxy settings make such a request fail on this
machine), so every browser test also proves "no third-party request" (T1.3).
Tests marked `browser` skip without Chromium, unless CI is set: then they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from bench.chromium import CHROMIUM_ARGS
from bench.server import Server, default_content_dir, migrated_sqlite, start_server

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# Where the Exit button goes (app.js NEUTRAL_URL); stubbed so no test reaches the internet.
NEUTRAL_URL = "https://www.bbc.com/weather"
NEUTRAL_PAGE = "<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
ACCEPT_LANGUAGE = {"en": "en-US", "es": "es-MX", "ar": "ar"}


_addresses = itertools.count(1)


def next_address() -> str:
    """A documentation address (RFC 3849) per browser context, each in a /64 of its own (the
    limits count an IPv6 client by its /64); never contacted."""
    return f"2001:db8:b:{next(_addresses):x}::1"


def person_headers(lang: str) -> dict[str, str]:
    """What one person's browser sends with every request: their language, and an address of
    their own for the per-client rate limits (the server trusts X-Forwarded-For from loopback,
    as behind the production proxy). One person per context, unless a test says otherwise."""
    return {
        "Accept-Language": ACCEPT_LANGUAGE.get(lang, lang.replace("_", "-")),
        "X-Forwarded-For": next_address(),
    }


def chromium_path() -> str | None:
    return os.environ.get("PUENTE_CHROMIUM") or shutil.which("chromium")


# Test files whose cases are independent and long enough that one worker holding the whole
# file could leave the other idle at the end: each case is a group of its own.
SPLIT_FILES = frozenset({"test_scripts_and_layout.py"})


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests skip on a machine without Chromium, and fail in CI where it must exist.

    Under `--dist loadgroup` (make test) a browser test file runs on one worker, its pages and
    state together, as `--dist loadfile` ran it, except the layout walk (every page type in
    each of thirteen languages, seven minutes of work): its languages go to whichever worker
    is free, so that however the files fall, neither worker waits long for the other at the end.
    """
    for item in items:
        if "browser" not in item.keywords:
            continue
        path = Path(str(item.path))
        group = item.nodeid if path.name in SPLIT_FILES else str(path)
        item.add_marker(pytest.mark.xdist_group(group))
    if chromium_path() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Debian chromium is not installed (make system-packages)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("live")
    database_url = migrated_sqlite(directory)
    server = start_server(database_url, directory / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return default_content_dir()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if not path:
        pytest.fail("chromium is required for browser tests in CI (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class ForeignRequests:
    """Requests that tried to leave the site's origin (refused before they left)."""

    urls: list[str] = field(default_factory=list)


@dataclass
class Contexts:
    """Makes browser contexts for one test and closes them afterwards."""

    browser: Browser
    server: Server
    foreign: ForeignRequests
    made: list[BrowserContext] = field(default_factory=list)

    def new(
        self,
        viewport: str = "phone",
        *,
        js: bool = True,
        lang: str = "en",
        bypass_csp: bool = False,
        reduced_motion: str = "no-preference",
    ) -> BrowserContext:
        context = self.browser.new_context(
            viewport=VIEWPORTS[viewport],
            java_script_enabled=js,
            locale=ACCEPT_LANGUAGE.get(lang, lang.replace("_", "-")),
            extra_http_headers=person_headers(lang),
            bypass_csp=bypass_csp,
            reduced_motion=reduced_motion,
            base_url=self.server.base_url,
        )
        context.set_default_timeout(10_000)
        context.on("request", self._watch)
        # The Exit button's neutral site is answered by a stub, never fetched.
        context.route(f"{NEUTRAL_URL}**", self._neutral)
        self.made.append(context)
        return context

    def page(self, viewport: str = "phone", **options: Any) -> Page:
        return self.new(viewport, **options).new_page()

    def _watch(self, request: Request) -> None:
        url = request.url
        if not same_origin_url(url, self.server.base_url) and not url.startswith(
            ("data:", "blob:", NEUTRAL_URL)
        ):
            self.foreign.urls.append(url)

    def _neutral(self, route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    def close(self) -> None:
        for context in self.made:
            context.close()


def same_origin_url(url: str, base_url: str) -> bool:
    return url.startswith(f"{base_url}/")


@pytest.fixture
def foreign_requests() -> ForeignRequests:
    return ForeignRequests()


@pytest.fixture
def contexts(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Server,
    foreign_requests: ForeignRequests,
) -> Iterator[Contexts]:
    made = Contexts(browser, live_server, foreign_requests)
    yield made
    failed = getattr(request.node, "failed_call", False)
    if failed:
        _save_screenshots(made, request.node.name)
    made.close()
    # Every browser test also proves that nothing left the origin (T1.3).
    assert not foreign_requests.urls, f"requests left the site's origin: {foreign_requests.urls}"


def _save_screenshots(made: Contexts, test_name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in test_name)[:120]
    for context_index, context in enumerate(made.made):
        for page_index, page in enumerate(context.pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"{safe}-{context_index}-{page_index}.png"))
            except Exception:  # best effort: a closed page has nothing to show
                continue


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report


_staff_accounts = itertools.count(1)


@pytest.fixture
def staff_login(live_server: Server) -> Callable[[Page], None]:
    """Signs a page in as a new staff account: password, then the authenticator code for the
    key the first sign-in shows (a new account each time, since a TOTP step counts once)."""
    import pyotp

    from app.config import Settings
    from app.db import Database, make_engine
    from app.staff.auth import create_user
    from app.staff.sealed import SecretBox
    from bench.server import TEST_SECRET
    from tests.browser import routes

    def login(page: Page) -> None:
        username, password = f"auditor{next(_staff_accounts)}", "correct horse battery staple"
        database = Database(make_engine(Settings(database_url=live_server.database_url)))
        try:
            create_user(database, SecretBox(TEST_SECRET), username, password, role="admin")
        finally:
            database.dispose()
        page.goto(routes.STAFF_LOGIN)
        page.fill("#username", username)
        page.fill("#password", password)
        with page.expect_navigation():
            page.locator("form[action='/staff/login'] button[type=submit]").click()
        secret = page.locator("code.code").inner_text().strip().replace(" ", "")
        page.fill("#code", pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.locator("form[action='/staff/login/code'] button[type=submit]").click()
        assert "/staff/login" not in page.url, f"staff sign-in failed at {page.url}"

    return login
