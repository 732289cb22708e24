"""The proxy counts clients as the app does (F4 at the edge): an IPv4 address, or the /64 of
an IPv6 address, so one home or phone, which owns a whole /64, does not get 2^64 budgets from
nginx's per-client limits.

A real nginx (Debian's, unprivileged, on loopback) renders the shipped map
(deploy/nginx/snippets/puente-client-key.conf) for a table of addresses, two ways:
* as production sees them: the address comes in as the client's (here through the realip
  module, from X-Forwarded-For, in this test's config only), so nginx parses it and the map
  reads nginx's canonical text, whichever way the address was written;
* as text: the same map over a request header, so every way of writing "::" is tried on the
  regexes themselves.
Addresses in one /64 must share a key, different /64s must not, and the grouping must be the
one the app's `network_of` makes.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from itertools import combinations

import httpx
import pytest

from app.web.ratelimit import network_of
from bench import edge
from bench.server import LOOPBACK, free_port

SNIPPET = edge.DEPLOY / "snippets" / "puente-client-key.conf"

pytestmark = pytest.mark.skipif(
    not edge.nginx_path() and not os.environ.get("CI"),
    reason="Debian nginx is not installed (make system-packages)",
)

CONFIG = """\
pid nginx.pid;
error_log stderr crit;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    access_log off;
    include snippets/puente-client-key.conf;
    include text-key.conf;
    server {{
        listen {listen};
        # This test's only: the address to key comes from X-Forwarded-For.
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;
        default_type text/plain;
        location = /key {{ return 200 "$remote_addr $puente_client"; }}
        location = /text-key {{ return 200 $text_client; }}
    }}
}}
"""

# Groups of addresses, each one client (one /64, or one IPv4 address); no two groups share a
# client. Each is written in several ways: uncompressed, with leading zeros, in capitals, and
# with "::" before, inside and after the first four groups.
CLIENTS = [
    ["2001:db8:1:2::1", "2001:0db8:0001:0002:0000:0000:0000:0001", "2001:DB8:1:2:FFFF::"],
    ["2001:db8:1:3:a:b:c:d", "2001:db8:1:3::"],
    ["2001:db8::1", "2001:db8:0:0:1:2:3:4", "2001:db8::ffff:0:0:1", "2001:db8:0:0::"],
    ["2001:db8:0:1::1", "2001:db8::1:0:0:0:1", "2001:db8:0:1:ffff:ffff:ffff:ffff"],
    ["2001:db8::5:6:7:8:9", "2001:db8:0:5::9"],
    ["2001::1:2:3:4:5", "2001:0:0:1::9", "2001:0:0:1:2:3:4:5"],
    ["2001::2:2:3:4:5", "2001:0:0:2::"],
    ["1::2:3:4:5:6:7", "1:0:2:3::7"],
    ["::1:2:3:4:5", "0:0:0:1::", "::1:0:0:0:0"],
    ["::1:2:3:4:5:6", "0:0:1:2::"],
    ["::1:2:3:4:5:6:7", "0:1:2:3::"],
    ["::1", "::", "::2:3:4:5", "::1.2.3.4", "0:0:0:0:0:0:0:2"],
    ["fe80::1", "fe80::ffff:2", "fe80:0:0:0:1:2:3:4"],
    ["2001:db8:a:b:c:d::", "2001:db8:a:b::c:d"],
    ["2001:db8:a::b:c:1.2.3.4", "2001:db8:a:0:1::"],
    ["192.0.2.1", "::ffff:192.0.2.1", "0:0:0:0:0:ffff:192.0.2.1"],
    ["192.0.2.2"],
    ["198.51.100.7"],
]
# What nginx itself never writes, so only the text check sees it: capitals, leading zeros.
NOT_CANONICAL = re.compile(r"[A-F]|(^|:)0[0-9a-f]")


def _text_map() -> str:
    """The shipped map, reading a request header instead of the client's address."""
    text = SNIPPET.read_text()
    text, count = re.subn(
        r"(?m)^map \$remote_addr \$puente_client \{$", "map $http_x_key_me $text_client {", text
    )
    assert count == 1, "the snippet no longer maps $remote_addr to $puente_client"
    text, count = re.subn(r"(?m)^    default \$remote_addr;$", "    default $http_x_key_me;", text)
    assert count == 1, "the snippet's default is no longer the address"
    return text


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prefix = tmp_path_factory.mktemp("edge-key") / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    (prefix / "snippets").mkdir()
    (prefix / "snippets" / SNIPPET.name).write_text(SNIPPET.read_text())
    (prefix / "text-key.conf").write_text(_text_map())
    port = free_port()
    (prefix / "nginx.conf").write_text(CONFIG.format(listen=f"{LOOPBACK}:{port}"))
    checked = subprocess.run(edge.nginx_command(prefix, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        edge.nginx_command(prefix, "-g", "daemon off;"),
        cwd=prefix,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/key", timeout=1.0)
                break
            except httpx.HTTPError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _keys(base: str, addresses: list[str], text: bool) -> dict[str, str]:
    keys = {}
    with httpx.Client(base_url=base, timeout=5.0) as client:
        for address in addresses:
            if text:
                keys[address] = client.get("/text-key", headers={"X-Key-Me": address}).text
            else:
                shown = client.get("/key", headers={"X-Forwarded-For": address}).text
                seen, keys[address] = shown.split(" ")
                assert seen != "127.0.0.1", f"nginx did not take {address} as the client"
    return keys


def _check_grouping(keys: dict[str, str]) -> None:
    group_of = {address: n for n, group in enumerate(CLIENTS) for address in group}
    for first, second in combinations(keys, 2):
        same_client = group_of[first] == group_of[second]
        assert (keys[first] == keys[second]) == same_client, (first, second, keys)
        # The app draws the same lines (its keys are written differently).
        assert (network_of(first) == network_of(second)) == same_client, (first, second)
    assert all(keys.values()), keys


def test_the_proxy_keys_clients_by_ipv4_address_or_ipv6_64(proxy: str) -> None:
    everyone = [address for group in CLIENTS for address in group]
    keys = _keys(proxy, everyone, text=False)
    _check_grouping(keys)
    assert keys["2001:0db8:0001:0002:0000:0000:0000:0001"] == "2001:db8:1:2"
    assert keys["2001:db8::5:6:7:8:9"] == "2001:db8:0:5"
    assert keys["::ffff:192.0.2.1"] == keys["192.0.2.1"] == "192.0.2.1"


def test_every_way_of_writing_the_zeros_gives_the_same_key(proxy: str) -> None:
    canonical_case = [
        address for group in CLIENTS for address in group if not NOT_CANONICAL.search(address)
    ]
    keys = _keys(proxy, canonical_case, text=True)
    _check_grouping(keys)
    # Not an address at all: its own key, never an empty one (nginx counts nothing by "").
    assert _keys(proxy, ["not-an-address"], text=True) == {"not-an-address": "not-an-address"}


def test_the_shipped_limits_use_the_key() -> None:
    site = (edge.DEPLOY / "puente.conf").read_text()
    assert "include snippets/puente-client-key.conf;" in site
    zones = re.findall(r"(?m)^limit_(?:conn|req)_zone (\S+) ", site)
    assert zones == ["$puente_client", "$puente_client"]
    assert "$binary_remote_addr" not in site
