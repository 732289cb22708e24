"""The shipped proxy config (deploy/nginx) says what the hardening issue asks of the edge,
and its error pages carry exactly the app's security headers. The running proof is
tests/drills/test_edge.py."""

import re

from app.config import ROOT
from app.web.middleware import HSTS, SECURITY_HEADERS

SITE = (ROOT / "deploy" / "nginx" / "puente.conf").read_text()
HEADERS = (ROOT / "deploy" / "nginx" / "snippets" / "puente-edge-headers.conf").read_text()
DIRECTIVE = re.compile(r"(?m)^\s*([a-z_]+)\s+([^;#]*);")


def directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in DIRECTIVE.findall(text):
        found.setdefault(name, []).append(" ".join(value.split()))
    return found


def test_the_edge_logs_nothing_compresses_and_forwards_the_address() -> None:
    site = directives(SITE)
    assert site["access_log"] == ["off"]
    assert site["error_log"] == ["stderr crit"]  # every lower level names the client
    assert site["gzip"] == ["on"] and site["gzip_comp_level"] == ["6"]
    assert {"text/css", "application/javascript"} <= set(site["gzip_types"][0].split())
    assert "X-Forwarded-For $remote_addr" in site["proxy_set_header"]  # replaced, not appended
    assert site["server_tokens"] == ["off"]


def test_the_edge_has_timeouts_a_header_limit_and_per_client_limits() -> None:
    site = directives(SITE)
    for timeout in ("client_header_timeout", "client_body_timeout", "keepalive_timeout"):
        assert site[timeout] == ["10s"], timeout
    assert site["large_client_header_buffers"] == ["4 8k"]
    assert site["limit_conn"] and site["limit_req"]
    assert site["limit_conn_status"] == site["limit_req_status"] == ["429"]
    assert site["proxy_max_temp_file_size"] == ["0"]  # no page ever spills to the proxy's disk


def test_the_edge_error_pages_carry_the_app_security_headers() -> None:
    shipped = {
        name.lower(): value
        for name, value in re.findall(r'(?m)^add_header (\S+) "(.*)" always;$', HEADERS)
    }
    expected = {name.decode(): value.decode() for name, value in [*SECURITY_HEADERS, HSTS]}
    assert {name: shipped[name] for name in expected} == expected
    assert shipped["cache-control"] == "no-store, max-age=0"
    # `always`: without it nginx adds headers to 2xx and 3xx answers only, never its own errors.
    assert len(shipped) == len(re.findall(r"(?m)^add_header ", HEADERS))
    for status in ("429", "502", "503", "504", "400", "413", "494"):
        assert re.search(rf"(?m)^\s*error_page [0-9 ]*\b{status}\b", SITE), status
    assert SITE.count("include snippets/puente-edge-headers.conf;") == 2


def test_a_fresh_machine_gets_nginx() -> None:
    makefile = (ROOT / "Makefile").read_text()
    target = makefile[makefile.index("system-packages:") :]
    assert "nginx-light" in target.split("\n\n")[0]
