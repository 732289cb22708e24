"""The one ASGI middleware: security headers, the request's language, rate limits, a body cap."""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser

from app import i18n

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 16 * 1024

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'; upgrade-insecure-requests"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (
        b"permissions-policy",
        b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class EdgeMiddleware:
    """Everything every request passes before its route, in one pure-ASGI layer (it replaced
    four: each layer of its own cost a coroutine and a `send` wrapper per request).

    In this order, as the four layers were stacked:
    1. security headers and Cache-Control on every response, the refusals below included;
    2. the request's language: ?lang=, then the lang cookie, then Accept-Language; an explicit
       choice (?lang=, a share link) is kept in a browser-session cookie;
    3. rate limits (app.web.ratelimit), spent before the handler: 429 in that language;
    4. bodies over 16 KB refused before any handler reads them: 413, in that language.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        https: bool,
        limiter: Any,
        on_limited: Callable[[Scope, int], Any],
        on_too_large: Callable[[Scope], Any],
    ) -> None:
        self.app = app
        self.extra = [*SECURITY_HEADERS, *([HSTS] if https else [])]
        self.cookie_flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if https else "")
        self.limiter = limiter
        self.on_limited = on_limited
        self.on_too_large = on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = accept_language = declared = None
        for name, value in scope["headers"]:  # as Starlette reads them: the first cookie and
            if name == b"cookie":  # Accept-Language header, the last Content-Length
                cookie = cookie or value
            elif name == b"accept-language":
                accept_language = accept_language or value
            elif name == b"content-length":
                declared = value
        explicit = _query_lang(scope.get("query_string", b""))
        locale = (
            explicit
            or _cookie_lang(cookie)
            or i18n.from_accept_language(
                accept_language.decode("latin-1") if accept_language else None
            )
            or i18n.DEFAULT_LOCALE
        )
        scope.setdefault("state", {})["explicit_locale"] = explicit
        send = self._with_headers(scope, send, explicit)
        token = i18n.use_locale(locale)
        try:
            wait = await self._spend_limits(scope)
            if wait is not None:
                await self.on_limited(scope, wait)(scope, receive, send)
                return
            await self._capped(scope, receive, send, declared)
        finally:
            i18n.reset_locale(token)

    def _with_headers(self, scope: Scope, send: Send, explicit: str | None) -> Send:
        cache_control = (
            b"public, max-age=86400"
            if scope["path"].startswith("/static/")
            else b"no-store, max-age=0"
        )
        extra = [*self.extra, (b"cache-control", cache_control)]
        if explicit:
            # An explicit choice (?lang=, a share link) is kept for the browser session only.
            extra.append((b"set-cookie", f"lang={explicit}{self.cookie_flags}".encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(
                        header
                        for header in message.get("headers", ())
                        if header[0].lower() != b"cache-control"
                    ),
                    *extra,
                ]
            await send(message)

        return send_with_headers

    async def _spend_limits(self, scope: Scope) -> int | None:
        """None when the request may go on, else the seconds to wait (429)."""
        names = limits_for(scope)
        if not names:
            return None
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self.limiter.blocks:
            wait: int | None = await run_in_threadpool(self.limiter.spend, names, address)
            return wait
        result: int | None = self.limiter.spend(names, address)
        return result

    async def _capped(
        self, scope: Scope, receive: Receive, send: Send, declared: bytes | None
    ) -> None:
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await self.on_too_large(scope)(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)  # no body to count
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self.on_too_large(scope)(scope, receive, send)


class BodyTooLarge(Exception):
    pass


def _query_lang(query: bytes) -> str | None:
    if b"lang=" not in query:
        return None
    chosen = None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if name == "lang":
            chosen = value  # the last one, as Starlette's query_params.get reads it
    return i18n.supported(chosen)


def _cookie_lang(cookie: bytes | None) -> str | None:
    if cookie is None or b"lang=" not in cookie:
        return None
    return i18n.supported(cookie_parser(cookie.decode("latin-1")).get("lang"))


def limits_for(scope: Scope) -> tuple[str, ...]:
    from app.web.ratelimit import PARTNER_LANDING, ROUTES

    method, path = scope["method"], scope["path"]
    if method == "GET" and path == "/" and b"p=" in scope.get("query_string", b""):
        return (PARTNER_LANDING,)
    return ROUTES.get((method, path.rstrip("/") or "/"), ())
