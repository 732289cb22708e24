"""Faults: a request id on every log line of a request, and a bug answered with the error page
while the log gets its exception *type* and that id, never a traceback or a message (F10).

An exception's message and its traceback's lines can hold what a person typed or chose
(`KeyError: 'answer'`, a bound value), and logs outlive the database's retention rules. So a
fault is logged as `request 3f9a1c2e0b7d: ValueError in GET /staff/partners/{partner_id}/flyer`:
the route as declared, not the path as sent. The traceback is logged only with
`LOG_TRACEBACKS=true`, which production refuses (app.config).

Starlette's own last-resort handler re-raises after answering, and uvicorn then logs the whole
traceback ("Exception in ASGI application"); this middleware sits inside it and lets nothing
through.
"""

import logging
import secrets
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from app.web.middleware import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("puente.errors")
_request_id: ContextVar[str] = ContextVar("puente_request_id", default="-")
LOG_FORMAT = "%(levelname)s: [%(request_id)s] %(name)s: %(message)s"


def request_id() -> str:
    """This request's id (12 hex characters), or "-" outside a request."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def configure_logging() -> None:
    """Puente's loggers write to stderr with the request id (uvicorn configures only its own).

    Idempotent: one handler however many apps a process builds.
    """
    logger = logging.getLogger("puente")
    if any(getattr(handler, "puente", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RequestIdFilter())
    handler.puente = True  # type: ignore[attr-defined]  # our marker, for idempotence
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def route_of(scope: Scope) -> str:
    """The route as declared (`/staff/partners/{partner_id}/flyer`), or "unmatched"."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return f"{scope.get('method', '')} {path}" if isinstance(path, str) else "unmatched"


class FaultMiddleware:
    """Gives each request an id; answers an unhandled exception with `on_fault`'s response."""

    def __init__(
        self, app: ASGIApp, on_fault: Callable[[Scope], Any], tracebacks: bool = False
    ) -> None:
        self.app = app
        self.on_fault = on_fault
        self.tracebacks = tracebacks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _request_id.set(secrets.token_hex(6))
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:  # the point: nothing escapes unlogged
            log.error("%s in %s", type(error).__name__, route_of(scope), exc_info=self.tracebacks)
            if not started:  # else the response is cut short; the client sees it end
                await self.on_fault(scope)(scope, receive, send)
        finally:
            _request_id.reset(token)
