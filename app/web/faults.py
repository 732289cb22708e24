"""Faults: a request id on every log line of a request, and a bug answered with the error page
while the log gets its exception *type* and that id, never a traceback or a message (F10).

An exception's message and its traceback's lines can hold what a person typed or chose
(`KeyError: 'answer'`, a bound value), and logs outlive the database's retention rules. So a
fault is logged as `request 3f9a1c2e0b7d: ValueError in GET /staff/partners/{partner_id}/flyer`:
the route as declared, not the path as sent. The traceback is logged only with
`LOG_TRACEBACKS=true`, which production refuses (app.config).

Starlette's own last-resort handler re-raises after answering, and uvicorn then logs the whole
traceback ("Exception in ASGI application"); the edge layer (app.web.middleware) sits inside it,
catches every fault below it and lets nothing through.
"""

import logging
import random
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar, Token
from typing import Any

Scope = MutableMapping[str, Any]

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


def begin_request() -> Token[str]:
    """Gives the request now starting its id (app.web.middleware.EdgeMiddleware).

    The id only ties a fault page to its log line: it must be unlikely to repeat, not hard to
    guess. So it comes from the random module's generator, which Python reseeds in every
    forked worker, not from the kernel: `secrets`' system call on every request was about a
    thirtieth of an answer's CPU."""
    return _request_id.set(f"{random.getrandbits(48):012x}")


def end_request(token: Token[str]) -> None:
    _request_id.reset(token)


def log_fault(error: Exception, scope: Scope, tracebacks: bool) -> None:
    """The one line a fault leaves: its type and route; the traceback only when configured."""
    log.error("%s in %s", type(error).__name__, route_of(scope), exc_info=tracebacks)
