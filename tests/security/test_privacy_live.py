"""T1.2 against the real server process: `puente serve` (gunicorn and uvicorn), a client behind a
proxy at 203.0.113.7 (X-Forwarded-For, trusted from 127.0.0.1), a full flow with a resume code.
Nothing the server prints, and nothing in its database, holds the address, the user agent or
the code in clear."""

import re

import httpx
import pytest

from tests.security.browser_support import start_server, stop_server
from tests.security.flow_helpers import FULL_PATH
from tests.security.test_privacy import IP_PATTERN, USER_AGENT, _dump

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@pytest.mark.slow
def test_a_live_flow_leaves_no_trace(tmp_path) -> None:
    server = start_server(tmp_path)
    try:
        headers = {
            "X-Forwarded-For": "203.0.113.7",
            "User-Agent": USER_AGENT,
            "Referer": "https://referrer.example/?who=probe7731",
        }
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
            client.get("/")
            page = client.get("/q/start")
            client.post("/q/start", data={"csrf": CSRF.search(page.text).group(1)})
            token = CSRF.search(client.get("/q").text).group(1)
            code_page = client.post("/q/code", data={"csrf": token})
            code = re.search(r'class="code"[^>]*>([0-9A-Z-]+)<', code_page.text).group(1)
            for question, data in FULL_PATH:
                client.post("/q", data={"csrf": token, "question": question, **data})
            client.get("/nowhere?x=203.0.113.7")
            client.post("/q", data={"csrf": "forged"})
    finally:
        stop_server(server)
    out, err = server.output()
    dump = _dump(server.database_url)
    assert "respondent_session" in dump
    for name, where in (("stdout", out), ("stderr", err), ("database", dump)):
        assert not IP_PATTERN.search(where), f"client address in {name}: {where[-500:]}"
        assert "PuenteProbe-7731" not in where and "probe7731" not in where, name
        assert code not in where and code.replace("-", "") not in where, name
