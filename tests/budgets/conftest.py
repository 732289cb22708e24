"""The browser fixtures, for the one budget that needs a real browser (requests and fonts)."""

from tests.browser.conftest import (  # noqa: F401 - fixtures are found by name
    browser,
    content_dir,
    contexts,
    foreign_requests,
    live_server,
)
