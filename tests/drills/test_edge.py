"""The production edge (security-review-2026-12.md F1, F17, F20): a short run of
`python -m bench.edge`, nginx with deploy/nginx/puente.conf in front of two app workers.

Loopback only, bounded (about 30-40 s, most of it the 10 s header timeout and two worker starts).
Skipped without nginx on a developer's machine; in CI (CI set) a missing nginx fails.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bench import edge
from bench.weights import PAGE_BUDGET

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgresql"),
        reason="ran in the SQLite pass (the drill brings its own database)",
    ),
    pytest.mark.skipif(
        not edge.nginx_path() and not os.environ.get("CI"),
        reason="Debian nginx is not installed (make system-packages)",
    ),
]


def test_the_shipped_config_is_valid_nginx(tmp_path: Path) -> None:
    prefix = edge.write_prefix(tmp_path, 8000, [8001, 8002])
    checked = subprocess.run(
        edge.nginx_command(prefix, "-t"), capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr


def test_the_edge_holds_against_idle_slow_and_greedy_clients(tmp_path: Path) -> None:
    report = edge.run_drill(tmp_path, idle=200, burst=200, concurrency=50)
    summary = edge.summary(report)
    # F1: 200 idle sockets from one address; another address is served through the proxy,
    # while the same sockets straight against a worker get everyone a 503.
    assert report.other_client_statuses == [200] * 10, summary
    assert 503 in report.direct_statuses, summary
    # F1: idle, slow-header and slow-body connections end at the 10 s timeouts.
    assert report.idle_closed == report.idle_sockets, summary
    assert report.slow_header_closed_after is not None, summary
    assert report.slow_header_closed_after < edge.HEADER_TIMEOUT + 2, summary
    assert report.slow_body_closed_after is not None, summary
    # F17: a 1 MB cookie and 20,000 headers are refused; F20: with the app's headers.
    assert report.big_header["status"] in ("400", "494"), summary
    assert report.many_headers_status in (400, 494), summary
    assert report.big_header["content-security-policy"].startswith("default-src 'none'")
    # One client's burst is limited; another client is still served.
    assert report.burst.get(429, 0) > 0 and report.burst.get(200, 0) > 0, summary
    assert all(ms != float("inf") for ms in report.other_during_burst_ms), summary
    refusal = report.refusal_headers
    assert refusal["status"] == "429" and refusal["retry-after"], summary
    assert refusal["x-content-type-options"] == "nosniff", summary
    assert refusal["cache-control"].startswith("no-store"), summary
    # Budgets, on the wire: gzip, and HTML + CSS within 14 KB for the start and result pages.
    assert {weight.path for weight in report.weights} == {"/", "/q/result"}
    for weight in report.weights:
        assert weight.status == 200 and weight.encoding == "gzip", summary
        assert weight.total <= PAGE_BUDGET, summary
    # R1.2: nothing in nginx's log names a client.
    assert not report.log_has_addresses, summary
