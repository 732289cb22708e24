"""The one ASGI middleware: security headers, the request's language, faults, rate limits, a
body cap."""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser

from app import i18n
from app.web import faults, ratelimit

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
NO_STORE = (b"cache-control", b"no-store, max-age=0")


class EdgeMiddleware:
    """Everything every request passes before its route, in one pure-ASGI layer (it replaced
    five: each layer of its own cost a coroutine and a `send` wrapper per request).

    In this order, as the layers were once stacked, outermost first:
    1. security headers and Cache-Control on every response, the refusals below included;
    2. the request's language: ?lang=, then the lang cookie, then Accept-Language; an explicit
       choice (?lang=, a share link) is kept in a browser-session cookie;
    3. a request id, and a fault (an exception from anything below) answered by `on_fault`'s
       page in that language while the log gets one line (app.web.faults, F10);
    4. rate limits (app.web.ratelimit) spent before the handler, 429 in that language; a form's
       limits are left in the scope for the CSRF check to spend once its token is accepted
       (app.web.deps.check_csrf), so a forged post spends nobody's budget;
    5. bodies over 16 KB refused before any handler reads them: 413, in that language;
    6. HEAD answered as GET without the body.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        https: bool,
        limiter: Any,
        on_limited: Callable[[Scope, int], Any],
        on_too_large: Callable[[Scope], Any],
        on_fault: Callable[[Scope], Any],
        tracebacks: bool = False,
    ) -> None:
        self.app = app
        self.extra = [*SECURITY_HEADERS, *([HSTS] if https else [])]
        self.cookie_flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if https else "")
        self.limiter = limiter
        self.on_limited = on_limited
        self.on_too_large = on_too_large
        self.on_fault = on_fault
        self.tracebacks = tracebacks

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
        extra = self._headers(scope, explicit)
        static = scope["path"].startswith("/static/") or scope["path"] == FAVICON
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                inner = message.get("headers", ())
                # Static files set their own (a year when versioned: app/web/static_files.py).
                own = static and any(name.lower() == b"cache-control" for name, _ in inner)
                message["headers"] = [
                    *(h for h in inner if own or h[0].lower() != b"cache-control"),
                    *extra,
                    *(() if own else (NO_STORE,)),
                ]
            await send(message)

        token = i18n.use_locale(locale)
        request = faults.begin_request()
        try:
            try:
                wait = await self._spend_limits(scope)
                if wait is not None:
                    await self.on_limited(scope, wait)(scope, receive, send_with_headers)
                    return
                await self._capped(scope, receive, send_with_headers, declared)
            except Exception as error:  # the point: nothing escapes unlogged
                faults.log_fault(error, scope, self.tracebacks)
                if not started:  # else the response is cut short; the client sees it end
                    await self.on_fault(scope)(scope, receive, send_with_headers)
        finally:
            faults.end_request(request)
            i18n.reset_locale(token)

    def _headers(self, scope: Scope, explicit: str | None) -> list[tuple[bytes, bytes]]:
        if not explicit:
            return self.extra
        # An explicit choice (?lang=, a share link) is kept for the browser session only.
        return [*self.extra, (b"set-cookie", f"lang={explicit}{self.cookie_flags}".encode())]

    async def _spend_limits(self, scope: Scope) -> int | None:
        """None when the request may go on, else the seconds to wait (429)."""
        names = ratelimit.limits_for(scope)
        if not names:
            return None
        if ratelimit.after_csrf(scope):
            scope["state"][ratelimit.PENDING] = names
            return None
        return await ratelimit.spend(self.limiter, names, ratelimit.client_address(scope))

    async def _capped(
        self, scope: Scope, receive: Receive, send: Send, declared: bytes | None
    ) -> None:
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await self.on_too_large(scope)(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self.app(scope, receive, send)  # no body to count
            return
        if scope["method"] == "HEAD":
            # Answered as GET without the body (RFC 9110 9.3.2): the routes list GET only, so
            # checkers and proxies that ask HEAD got 405. Just before the routes, as a layer
            # of its own did; the headers, the limits and the refusals above see HEAD.
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
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


def _without_body(send: Send) -> Send:
    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_headers_only


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a Content-Length (chunked) grows past the cap.

    An HTTPException, because FastAPI turns any other error met while reading a body into
    "400 There was an error parsing the body" (F14); this one it passes on, and the app's
    handler answers 413 like the declared case."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


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
