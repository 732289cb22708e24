"""The production edge drill: nginx with deploy/nginx/puente.conf in front of two app workers.

Loopback only, bounded in time (about 30 s). The config is the shipped one; only what a
machine without root needs is changed: it listens on a free high loopback port, its upstream
servers are the two workers' ports, and its pid and temporary files live in a temp directory
(`nginx -p`). Clients are told apart by their loopback source address (127.0.0.0/8 is all
local), so "another client" really is another address to nginx's per-client limits.

It shows (security-review-2026-12.md F1, F17, F20):
* 200 idle sockets from one client do not stop another client (and, for contrast, the same
  sockets straight against a worker's `--limit-concurrency 200` get everyone a 503);
* idle, slow-header and slow-body connections are closed by the timeouts;
* oversized headers are refused, and nginx's own refusals carry the app's security headers;
* one client bursting is limited (429) while another is served;
* the page budgets hold as the proxy serves them, gzip measured on the wire.

    python -m bench.edge          # prints the figures for docs/benchmarks.md
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.config import ROOT
from bench.server import LOOPBACK, Server, free_port, migrated_sqlite, start_server
from bench.simulate import run_async
from bench.weights import PAGE_BUDGET, STYLESHEET, walk

DEPLOY = ROOT / "deploy" / "nginx"
SITE_CONFIG = DEPLOY / "puente.conf"
HEADER_TIMEOUT = 10.0  # client_header_timeout in puente.conf
BURST_PATH = "/static/css/puente.css"  # the cheapest request: the burst measures the proxy
MAX_BURST = 5_000
IDLE_CLIENT = "127.0.0.2"
OTHER_CLIENT = "127.0.0.3"
SLOW_CLIENT = "127.0.0.4"
BURST_CLIENT = "127.0.0.5"
PLAN = {"who": "self", "status": "lpr"}

# What the drill's wrapper adds around the site config: the main context nginx needs, with
# every path inside the prefix, so no root and no /var is needed.
MAIN_CONFIG = """\
pid nginx.pid;
error_log stderr crit;
worker_processes 2;
events {{ worker_connections 2048; }}
http {{
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
{extra}    include {site};
}}
"""


def nginx_path() -> str | None:
    return os.environ.get("PUENTE_NGINX") or shutil.which("nginx") or _sbin("nginx")


def _sbin(name: str) -> str | None:
    candidate = Path("/usr/sbin") / name
    return str(candidate) if candidate.exists() else None


def site_config(listen_port: int, upstream_ports: list[int]) -> str:
    """The shipped config with the listen address and the upstream servers replaced."""
    text = SITE_CONFIG.read_text()
    text, listens = re.subn(r"(?m)^    listen 80;$", f"    listen {LOOPBACK}:{listen_port};", text)
    servers = "".join(f"    server {LOOPBACK}:{port};\n" for port in upstream_ports)
    text, upstreams = re.subn(r"(?m)(^    server 127\.0\.0\.1:\d+;\n)+", servers, text)
    if (listens, upstreams) != (1, 1):
        raise ValueError("deploy/nginx/puente.conf no longer has the lines the drill replaces")
    return text


@dataclass
class Edge:
    process: subprocess.Popen[bytes]
    port: int
    prefix: Path

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log(self) -> str:
        path = self.prefix / "nginx.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


def write_prefix(
    folder: Path, listen_port: int, upstream_ports: list[int], extra_http: str = ""
) -> Path:
    """An nginx prefix directory: the main context, the site config, the header snippet.
    `extra_http` is added to the `http {}` context (the scale drill's trusted front)."""
    prefix = folder / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    shutil.copytree(DEPLOY / "snippets", prefix / "snippets", dirs_exist_ok=True)
    (prefix / "puente.conf").write_text(site_config(listen_port, upstream_ports))
    extra = "".join(f"    {line}\n" for line in extra_http.splitlines() if line.strip())
    (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(site="puente.conf", extra=extra))
    return prefix


def nginx_command(prefix: Path, *extra: str) -> list[str]:
    binary = nginx_path()
    if not binary:
        raise FileNotFoundError("nginx is not installed (make system-packages)")
    return [binary, "-p", f"{prefix}/", "-c", "nginx.conf", "-e", "stderr", *extra]


def start_edge(
    folder: Path, upstream_ports: list[int], timeout: float = 20.0, extra_http: str = ""
) -> Edge:
    port = free_port()
    prefix = write_prefix(folder, port, upstream_ports, extra_http)
    command = nginx_command(prefix, "-g", "daemon off;")
    with (prefix / "nginx.log").open("ab") as log:
        process = subprocess.Popen(
            command, cwd=prefix, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    edge = Edge(process, port, prefix)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited early:\n{edge.log()[-4000:]}")
        try:
            if httpx.get(f"{edge.base_url}/healthz", timeout=1.0).status_code == 200:
                return edge
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    edge.stop()
    raise TimeoutError(f"nginx not serving after {timeout} s:\n{edge.log()[-4000:]}")


# -- the probes --------------------------------------------------------------------------------


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _open_idle(port: int, count: int, source: str) -> list[Connection]:
    """`count` connections from `source` that never send a byte."""
    return [
        await asyncio.open_connection(LOOPBACK, port, local_addr=(source, 0)) for _ in range(count)
    ]


async def _served(base_url: str, source: str, requests: int, path: str = "/") -> list[int]:
    transport = httpx.AsyncHTTPTransport(local_address=source)
    async with httpx.AsyncClient(base_url=base_url, transport=transport, timeout=5.0) as client:
        statuses = []
        for _ in range(requests):
            try:
                statuses.append((await client.get(path)).status_code)
            except httpx.HTTPError:
                statuses.append(0)
        return statuses


async def _closed_after(reader: asyncio.StreamReader, limit: float) -> float | None:
    """Seconds until the server closes the connection, or None if it is still open at `limit`."""
    started = time.monotonic()
    try:
        await asyncio.wait_for(reader.read(), timeout=limit)
    except TimeoutError:
        return None
    except (ConnectionError, OSError):
        pass
    return time.monotonic() - started


async def _slow_header(port: int, limit: float) -> float | None:
    """Trickles a header one line a second, never finishing it."""
    reader, writer = await asyncio.open_connection(LOOPBACK, port, local_addr=(SLOW_CLIENT, 0))
    writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n")

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError, OSError):
            for index in range(int(limit) + 2):
                await asyncio.sleep(1.0)
                writer.write(f"X-Slow-{index}: 1\r\n".encode())
                await writer.drain()

    trickling = asyncio.create_task(trickle())
    try:
        return await _closed_after(reader, limit)
    finally:
        trickling.cancel()
        writer.close()


async def _slow_body(port: int, limit: float) -> float | None:
    """A complete header announcing 1,000 bytes of body, then 10 bytes and silence."""
    reader, writer = await asyncio.open_connection(LOOPBACK, port, local_addr=(SLOW_CLIENT, 0))
    writer.write(
        b"POST /q HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 1000\r\n\r\ncsrf=00000"
    )
    try:
        return await _closed_after(reader, limit)
    finally:
        writer.close()


async def _idle_closed(connections: list[Connection], limit: float) -> int:
    """How many of the idle sockets the server has closed within `limit` seconds."""
    await asyncio.sleep(limit)
    closed = sum(1 for reader, _ in connections if reader.at_eof())
    for _, writer in connections:
        writer.close()
    return closed


def _rate_limit() -> tuple[float, int]:
    """nginx's per-client rate and burst, read from the shipped config."""
    text = SITE_CONFIG.read_text()
    rate = re.search(r"zone=puente_rate:\S+ rate=(\d+)r/s", text)
    burst = re.search(r"limit_req zone=puente_rate burst=(\d+)", text)
    if not rate or not burst:
        raise ValueError("deploy/nginx/puente.conf no longer has the rate limit the drill reads")
    return float(rate.group(1)), int(burst.group(1))


async def _burst(base_url: str, source: str, total: int, concurrency: int) -> dict[int, int]:
    """At least `total` requests, `concurrency` at a time, and then more until nginx's bucket
    must have run dry (more requests than its burst plus its rate times the time taken), so
    whether a 429 is seen does not depend on how fast this machine serves."""
    rate, bucket = _rate_limit()
    transport = httpx.AsyncHTTPTransport(local_address=source, retries=0)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    counts: dict[int, int] = {}
    async with httpx.AsyncClient(
        base_url=base_url, transport=transport, limits=limits, timeout=10.0
    ) as client:

        async def one() -> None:
            try:
                status = (await client.get(BURST_PATH)).status_code
            except httpx.HTTPError:
                status = 0
            counts[status] = counts.get(status, 0) + 1

        started, sent = time.monotonic(), 0
        while sent < MAX_BURST:
            await asyncio.gather(*(one() for _ in range(concurrency)))
            sent += concurrency
            must_have_run_dry = sent > bucket + rate * (time.monotonic() - started) + concurrency
            if sent >= total and (429 in counts or must_have_run_dry):
                break
    return counts


def _timed(base_url: str, source: str, requests: int) -> list[float]:
    transport = httpx.HTTPTransport(local_address=source)
    times = []
    with httpx.Client(base_url=base_url, transport=transport, timeout=10.0) as client:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get("/")
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                times[-1] = float("inf")
    return times


@dataclass
class WireWeight:
    """One page as the proxy sent it: bytes on the wire, gzip or not."""

    path: str
    status: int
    encoding: str
    html_wire: int
    html_raw: int
    css_wire: int

    @property
    def total(self) -> int:
        return self.html_wire + self.css_wire


def _wire(client: httpx.Client, path: str) -> httpx.Response:
    with client.stream("GET", path) as response:
        response.read()
    return response


def wire_weights(base_url: str) -> list[WireWeight]:
    """Walk the questionnaire through the proxy, then fetch the start and result pages again
    and measure what came over the wire (the client asks for gzip, as every browser does)."""
    headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10.0) as client:
        walked = walk(client, "en", PLAN)
        assert any(page.name == "result" and page.status == 200 for page in walked.pages), (
            "the walk did not reach the result page"
        )
        weights = []
        for path in ("/", "/q/result"):
            page = _wire(client, path)
            css_wire = 0
            for href in sorted(set(STYLESHEET.findall(page.text))):
                css_wire += _wire(client, href).num_bytes_downloaded
            weights.append(
                WireWeight(
                    path,
                    page.status_code,
                    page.headers.get("content-encoding", ""),
                    page.num_bytes_downloaded,
                    len(page.content),
                    css_wire,
                )
            )
        return weights


@dataclass
class EdgeReport:
    idle_sockets: int
    other_client_statuses: list[int]
    direct_statuses: list[int]  # the same idle sockets straight against one worker
    idle_closed: int
    slow_header_closed_after: float | None
    slow_body_closed_after: float | None
    big_header: dict[str, Any]
    many_headers_status: int
    burst: dict[int, int]
    other_during_burst_ms: list[float]
    refusal_headers: dict[str, str]
    weights: list[WireWeight] = field(default_factory=list)
    log_has_addresses: bool = False


def _refusal(base_url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(f"{base_url}/", timeout=10.0, **kwargs)


async def _connection_probes(
    edge: Edge, worker: Server, idle: int
) -> tuple[list[int], list[int], int, float | None, float | None]:
    idle_connections = await _open_idle(edge.port, idle, IDLE_CLIENT)
    served = await _served(edge.base_url, OTHER_CLIENT, 10)
    # For contrast: the same number of idle sockets against a worker with no proxy in front.
    direct_connections = await _open_idle(worker.port, idle, IDLE_CLIENT)
    direct = await _served(worker.base_url, OTHER_CLIENT, 3, "/healthz")
    for _, writer in direct_connections:
        writer.close()
    limit = HEADER_TIMEOUT + 3.0
    closed, slow_header, slow_body = await asyncio.gather(
        _idle_closed(idle_connections, limit),
        _slow_header(edge.port, limit),
        _slow_body(edge.port, limit),
    )
    return served, direct, closed, slow_header, slow_body


def run_drill(
    folder: Path, idle: int = 200, burst: int = 400, concurrency: int = 100
) -> EdgeReport:
    database_url = migrated_sqlite(folder)
    workers: list[Server] = []
    edge: Edge | None = None
    try:
        # Two workers, as two servers of one worker on their own ports (the upstream's two),
        # started side by side to halve the wait.
        with ThreadPoolExecutor(2) as pool:
            starting = [
                pool.submit(start_server, database_url, folder / f"worker{index}.log")
                for index in range(2)
            ]
            for future in starting:
                with contextlib.suppress(Exception):
                    workers.append(future.result())
        if len(workers) != 2:
            raise RuntimeError("an app worker did not start")
        edge = start_edge(folder, [worker.port for worker in workers])
        served, direct, closed, slow_header, slow_body = run_async(
            _connection_probes(edge, workers[0], idle)
        )
        big = _refusal(edge.base_url, headers={"Cookie": "a=" + "x" * 1_000_000})
        many = _refusal(edge.base_url, headers=[(f"X-H{i}", "1") for i in range(20_000)])
        burst_counts, other_times = run_async(_burst_and_browse(edge, burst, concurrency))
        limited = _limited_response(edge.base_url)
        weights = wire_weights(edge.base_url)
        return EdgeReport(
            idle_sockets=idle,
            other_client_statuses=served,
            direct_statuses=direct,
            idle_closed=closed,
            slow_header_closed_after=slow_header,
            slow_body_closed_after=slow_body,
            big_header={"status": big.status_code, **_security(big)},
            many_headers_status=many.status_code,
            burst=burst_counts,
            other_during_burst_ms=other_times,
            refusal_headers=_security(limited),
            weights=weights,
            log_has_addresses=bool(re.search(r"127\.0\.0\.\d", edge.log())),
        )
    finally:
        if edge:
            edge.stop()
        for worker in workers:
            worker.stop()


async def _burst_and_browse(
    edge: Edge, burst: int, concurrency: int
) -> tuple[dict[int, int], list[float]]:
    """One client bursts; another opens the start page 20 times meanwhile."""
    browsing = asyncio.to_thread(_timed, edge.base_url, OTHER_CLIENT, 20)
    counts, times = await asyncio.gather(
        _burst(edge.base_url, BURST_CLIENT, burst, concurrency), browsing
    )
    return counts, times


def _security(response: httpx.Response) -> dict[str, str]:
    wanted = ("content-security-policy", "x-content-type-options", "cache-control", "retry-after")
    return {name: response.headers.get(name, "") for name in wanted} | {
        "status": str(response.status_code)
    }


def _limited_response(base_url: str) -> httpx.Response:
    """A 429 from nginx's rate limit, to read its headers: a quick burst from a fresh address."""
    transport = httpx.HTTPTransport(local_address="127.0.0.6")
    with httpx.Client(base_url=base_url, transport=transport, timeout=5.0) as client:
        for _ in range(400):
            response = client.get("/healthz")
            if response.status_code == 429:
                return response
    return response


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(report: EdgeReport) -> str:
    seconds = report.slow_header_closed_after
    body = report.slow_body_closed_after
    lines = [
        f"idle sockets from one client: {report.idle_sockets}; another client through the "
        f"proxy: {report.other_client_statuses.count(200)}/{len(report.other_client_statuses)} "
        f"× 200; straight to a worker: {report.direct_statuses}",
        f"idle sockets closed by the proxy within {HEADER_TIMEOUT + 3:.0f} s: "
        f"{report.idle_closed}/{report.idle_sockets}",
        "slow header closed after "
        + (f"{seconds:.1f} s" if seconds is not None else "(still open)")
        + "; slow body closed after "
        + (f"{body:.1f} s" if body is not None else "(still open)"),
        f"1 MB cookie: {report.big_header['status']} (CSP "
        f"{'yes' if report.big_header['content-security-policy'] else 'no'}); 20,000 headers: "
        f"{report.many_headers_status}",
        f"burst of one client: {dict(sorted(report.burst.items()))}; another client meanwhile: "
        f"p50 {_percentile(report.other_during_burst_ms, 0.5):.1f} ms, "
        f"max {max(report.other_during_burst_ms):.1f} ms",
        f"nginx's 429: {report.refusal_headers}",
    ]
    for weight in report.weights:
        lines.append(
            f"{weight.path}: {weight.status}, Content-Encoding {weight.encoding or 'none'}, "
            f"HTML {weight.html_wire:,} B on the wire ({weight.html_raw:,} B raw) + CSS "
            f"{weight.css_wire:,} B = {weight.total:,} B (budget {PAGE_BUDGET:,})"
        )
    lines.append(f"client addresses in nginx's log: {'yes' if report.log_has_addresses else 'no'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    del argv
    with tempfile.TemporaryDirectory(prefix="puente-edge-") as folder:
        report = run_drill(Path(folder))
    print(summary(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
