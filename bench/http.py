"""A tiny HTTP/1.1 keep-alive client on asyncio streams, for loopback load generation only.

The load generator shares the machine's two cores with the server it measures, so it must cost
as little CPU as possible: httpx spends several times more per request than this. It speaks
only what our server sends (Content-Length bodies, no chunked encoding) and keeps its own
cookie jar, like one browser tab.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Client:
    """One connection and one cookie jar: one simulated person."""

    host: str
    port: int
    timeout: float = 10.0
    # Reconnect once when a kept-alive connection turns out closed. Fault drills turn this off:
    # they must count a request cut short as failed, never send it twice.
    retry_stale: bool = True
    # Sent with every request, e.g. a synthetic X-Forwarded-For (documentation addresses only).
    default_headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK_HOSTS:
            raise ValueError("the load generator only talks to this machine (loopback)")

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return await self.request("GET", path, None, headers)

    async def post(
        self, path: str, form: dict[str, str | list[str]], headers: dict[str, str] | None = None
    ) -> Response:
        return await self.request("POST", path, urlencode(form, doseq=True).encode(), headers)

    async def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str] | None
    ) -> Response:
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self._writer is not None and not self._writer.is_closing()
            try:
                response = await asyncio.wait_for(
                    self._exchange(method, path, body, headers or {}), self.timeout
                )
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                # A kept-alive connection the server closed between requests: reconnect once.
                await self.close()
                if attempt == 2 or not self.retry_stale or not reused:
                    raise
        response.seconds = time.perf_counter() - started
        self._remember_cookies(response)
        return response

    async def _exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Response:
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None and self._writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        lines += [f"{name}: {value}" for name, value in {**self.default_headers, **headers}.items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        await self._writer.drain()
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        parsed: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            value = value.strip()
            if name == "set-cookie":
                parsed.setdefault("set-cookie", "")
                parsed["set-cookie"] += ("\n" if parsed["set-cookie"] else "") + value
            else:
                parsed[name] = value
        length = int(parsed.get("content-length", "0"))
        payload = await self._reader.readexactly(length) if length else b""
        if parsed.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, parsed, payload, 0.0)

    def _remember_cookies(self, response: Response) -> None:
        for cookie in filter(None, (response.header("set-cookie") or "").split("\n")):
            pair = cookie.split(";", 1)[0]
            name, _, value = pair.partition("=")
            expired = "max-age=0" in cookie.lower() or not value or value == '""'
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self._reader = self._writer = None
