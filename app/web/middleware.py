"""ASGI middleware: the request's language, a body size cap, rate limits, security headers."""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from app import i18n
from app.web import ratelimit

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
FAVICON = "/favicon.ico"  # browsers ask for it at the root; cached like /static/
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


class LocaleMiddleware:
    """Chooses the request's language: ?lang=, then the lang cookie, then Accept-Language."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.cookie_flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if https else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        explicit = i18n.supported(request.query_params.get("lang"))
        locale = (
            explicit
            or i18n.supported(request.cookies.get("lang"))
            or i18n.from_accept_language(request.headers.get("accept-language"))
            or i18n.DEFAULT_LOCALE
        )
        scope.setdefault("state", {})["explicit_locale"] = explicit

        async def remember_choice(message: Message) -> None:
            # An explicit choice (?lang=, a share link) is kept for the browser session only.
            if explicit and message["type"] == "http.response.start":
                cookie = f"lang={explicit}{self.cookie_flags}".encode()
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        token = i18n.use_locale(locale)
        try:
            await self.app(scope, receive, remember_choice)
        finally:
            i18n.reset_locale(token)


class BodyLimitMiddleware:
    """Refuses bodies over 16 KB before any handler reads them (413, in the person's language)."""

    def __init__(self, app: ASGIApp, on_too_large: Callable[[Scope], Any]) -> None:
        self.app = app
        self.on_too_large = on_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await self.on_too_large(scope)(scope, receive, send)
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


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a Content-Length (chunked) grows past the cap.

    An HTTPException, because FastAPI turns any other error met while reading a body into
    "400 There was an error parsing the body" (F14); this one it passes on, and the app's
    handler answers 413 like the declared case."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class SecurityHeadersMiddleware:
    """The same strict headers on every response; nothing is cached anywhere."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.extra = [*SECURITY_HEADERS, *([HSTS] if https else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/") or scope["path"] == FAVICON

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                inner = message.get("headers", [])
                # Static files set their own (a year when versioned: app/web/static_files.py).
                own = is_static and any(name.lower() == b"cache-control" for name, _ in inner)
                headers = [(n, v) for n, v in inner if own or n.lower() != b"cache-control"]
                headers += self.extra
                if not own:
                    headers.append((b"cache-control", b"no-store, max-age=0"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadMiddleware:
    """HEAD is answered as GET without the body (RFC 9110 9.3.2; P24): FastAPI's routes list GET
    only, so checkers and proxies that ask HEAD got 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class RateLimitMiddleware:
    """Spends the rate limits of app.web.ratelimit before a request reaches its handler (429).

    A form's limits are left in the scope for the CSRF check to spend once the token is
    accepted (app.web.deps.check_csrf), so a forged post spends nobody's budget.
    """

    def __init__(self, app: ASGIApp, limiter: Any, on_limited: Callable[[Scope, int], Any]) -> None:
        self.app = app
        self.limiter = limiter
        self.on_limited = on_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = ratelimit.limits_for(scope)
        if names and ratelimit.after_csrf(scope):
            scope.setdefault("state", {})[ratelimit.PENDING] = names
        elif names:
            wait = await ratelimit.spend(self.limiter, names, ratelimit.client_address(scope))
            if wait is not None:
                await self.on_limited(scope, wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)
