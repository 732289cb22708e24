"""A minimal client that calls an ASGI app in this process: no sockets, no httpx.

bench.profile and the CPU budget test measure the application's own CPU per request; httpx's
ASGI transport cost about as much as the app itself on an answer, and it counted in the same
process. This client builds the scope, hands over the body in one message and keeps a cookie
jar, like one browser tab; nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

ASGIApp = Any


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Client:
    app: ASGIApp
    address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    async def get(self, target: str, headers: dict[str, str] | None = None) -> Response:
        return await self.request("GET", target, b"", headers)

    async def post(
        self, path: str, form: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Response:
        body = urlencode(form, doseq=True).encode()
        extra = {"content-type": "application/x-www-form-urlencoded", **(headers or {})}
        return await self.request("POST", path, body, extra)

    async def request(
        self, method: str, target: str, body: bytes, headers: dict[str, str] | None
    ) -> Response:
        path, _, query = target.partition("?")
        raw = [(b"host", b"127.0.0.1")]
        if self.cookies:
            jar = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            raw.append((b"cookie", jar.encode()))
        if body:
            raw.append((b"content-length", str(len(body)).encode()))
        raw += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": raw,
            "client": (self.address, 40000),
            "server": ("127.0.0.1", 80),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, response_headers, chunks = 0, {}, []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    key, text = name.decode("latin-1").lower(), value.decode("latin-1")
                    if key == "set-cookie":
                        self._remember(text)
                    response_headers[key] = text
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return Response(status, response_headers, b"".join(chunks))

    def _remember(self, cookie: str) -> None:
        name, _, value = cookie.split(";", 1)[0].partition("=")
        if "max-age=0" in cookie.lower() or not value or value == '""':
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()
