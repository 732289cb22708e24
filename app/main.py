"""create_app(settings): wires routers, middleware, static files, templates and error pages."""

import asyncio
import functools
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.telemetry import TelemetryConfig
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import configure_mappers
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import i18n, paths
from app.config import Settings, settings_from_env
from app.db import Database, cannot_save_reason, make_engine
from app.flow.articles import load_articles
from app.flow.content import Content, ContentError, load_content
from app.flow.engine import Engine
from app.flow.graph_check import check_graph
from app.library.search import ensure_index
from app.places.location import warm_zip_index
from app.referrals.court_choices import CourtChoices
from app.referrals.court_finder import CourtOfZip
from app.referrals.snapshot import DirectoryCache
from app.respondents.retention import purge_every
from app.respondents.sessions import SessionStore, utc_today
from app.staff.audit import log_refusal
from app.staff.auth import Auth
from app.staff.sealed import SecretBox
from app.stats.outcome import outcome_for
from app.web import messages
from app.web.api import routes as api
from app.web.context import page_context
from app.web.deps import API_PREFIX, Refused, add_csrf_checked_route, admin_cookie, is_staff_path
from app.web.faults import configure_logging, request_id, route_of
from app.web.middleware import EdgeMiddleware
from app.web.public import chat, find_help, learn, pages, results, share
from app.web.ratelimit import RateLimited, RateLimiter
from app.web.refusals import refusal_response
from app.web.responses import json_error, see_other
from app.web.staff import auth as staff_auth
from app.web.staff import courts as staff_courts
from app.web.staff import directory as staff_directory
from app.web.staff import pages as staff
from app.web.state import AppState
from app.web.static_files import VersionedStatic
from app.web.templating import Renderer, make_environments


@functools.cache  # per loaded Content (compared by identity): proven once, not per app
def _proven(content: Content) -> Content:
    """The content if its graph holds, else ContentError naming each file and node (F13): a
    `next` that names no node would otherwise stop the engine with a bare KeyError."""
    problems = check_graph(content)
    if problems:
        raise ContentError(problems)
    return content


NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def build_state(settings: Settings) -> AppState:
    content = _proven(load_content(settings.content_dir))
    warm_zip_index()
    db = Database(make_engine(settings))
    directory = DirectoryCache()
    engine = Engine(
        content, place_of_zip=CourtOfZip(db, directory), places=CourtChoices(db, directory)
    )
    renderer = Renderer(make_environments(paths.TEMPLATES))
    store = SessionStore(db, engine, outcome_of=outcome_for(content))
    articles = load_articles(settings.content_dir)
    return AppState(settings, db, content, engine, store, renderer, directory, articles)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or settings_from_env()
    i18n.load_catalogs(settings.locales_dir)
    state = build_state(settings)
    app = FastAPI(
        lifespan=_lifespan,
        title="Puente API",
        version="1",
        description="Legal information on the immigration consequences of drug-related "
        "criminal cases, as a guided questionnaire. Not legal advice.",
        docs_url=None,
        redoc_url=None,
        # FastAPI traces requests, with their paths and client addresses, through whatever
        # OpenTelemetry providers the host has set up. Puente sends nothing anywhere and logs
        # no address (docs/privacy-and-security.md), so never; and each request then skips
        # asking OpenTelemetry for its three providers.
        telemetry=NO_TELEMETRY,
    )
    app.state.puente = state
    # Routes are matched in this order, each tried in turn (no two share a path and method, so
    # the order changes nothing else). The static files first: one prefix test for any other
    # request, where after the seventy routes their matching was two thirds of serving a
    # stylesheet (docs/benchmarks.md). Then the answer, most of the traffic, on the app's own
    # router: an included router is matched, then its routes, each through FastAPI's layer of
    # scopes for included routers. Then the rest of the chat.
    app.mount("/static", VersionedStatic(paths.STATIC), name="static")
    add_csrf_checked_route(app.router, "/q", chat.answer)
    app.include_router(chat.router)
    app.include_router(pages.router)
    app.include_router(results.router)
    app.include_router(find_help.router)
    app.include_router(learn.router)
    app.include_router(share.router)
    app.include_router(api.router)
    app.include_router(staff_auth.router)
    app.include_router(staff.router)
    app.include_router(staff_courts.router)  # before /staff/directory/{service_id}
    app.include_router(staff_directory.router)
    app.state.staff_auth = Auth(state.db, SecretBox(settings.secret_key))
    _install_error_handlers(app, state)
    app.state.limiter = RateLimiter(settings.redis_url)
    # Headers on everything, then the language, then the request id and the fault page, then
    # limits, then the body cap, and HEAD as GET just before the routes: one layer.
    app.add_middleware(
        EdgeMiddleware,
        https=settings.is_production,
        limiter=app.state.limiter,
        on_limited=lambda scope, wait: _on_limited(app, state, scope, wait),
        on_too_large=lambda scope: _too_large(state, scope),
        on_fault=lambda scope: _fault(state, Request(scope)),
        tracebacks=settings.log_tracebacks,
    )
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state: AppState = app.state.puente
    # The library's search index follows the articles and catalogs this release ships (done
    # already, once for all workers, by a server's `app_from_env`).
    if not getattr(app.state, "search_index_ready", False):
        ensure_index(state.db, state.articles)
    hours = state.settings.purge_interval_hours
    task = None
    if hours > 0:
        task = asyncio.create_task(purge_every(state.db, hours, utc_today))
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        state.db_threads.shutdown()


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error(state: AppState, request: Request, status: int, code: str, detail: str) -> Response:
    if _wants_json(request):
        return json_error(status, code, detail)
    return state.renderer.page("error.html", page_context(request, message=detail), status=status)


def _fault(state: AppState, request: Request) -> Response:
    # A bug must still answer with a page in the person's language and no stack trace; the
    # reference is the request id the log line carries (app.web.faults).
    detail = i18n.gettext("Something went wrong on our side. Nothing you saved is lost.")
    if _wants_json(request):
        return json_error(500, "server_error", detail)
    context = page_context(request, message=detail, reference=request_id())
    return state.renderer.page("error.html", context, status=500)


def _too_large(state: AppState, scope: Any) -> Response:
    request = Request(scope)
    return _error(state, request, 413, "too_large", messages.too_large())


def _limited(state: AppState, scope: Any, wait: int) -> Response:
    response = _error(state, Request(scope), 429, "rate_limited", messages.too_many())
    response.headers["Retry-After"] = str(wait)
    return response


async def _audited_limit(app: FastAPI, state: AppState, scope: Any, wait: int) -> Response:
    """The 429; on the staff side also an audit event (F9). A limited route is one of
    app.web.ratelimit's, so its path is not free text."""
    request = Request(scope)
    if is_staff_path(request):
        where = f"{request.method} {request.url.path.rstrip('/')}"
        await run_in_threadpool(_audit, app, request, "rate_limited", where, None)
    return _limited(state, scope, wait)


def _on_limited(app: FastAPI, state: AppState, scope: Any, wait: int) -> Any:
    """EdgeMiddleware's answer to a full limit: an ASGI app that audits, then sends the 429."""

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        response = await _audited_limit(app, state, scope, wait)
        await response(scope, receive, send)

    return answer


# Refusals on the staff side that reach the audit log (F9), by the event they are logged as.
AUDITED_REFUSALS = {"staff_forbidden": "forbidden", "staff_forged": "csrf_refused"}


def _audit_refusal(app: FastAPI, request: Request, refusal: Refused) -> None:
    event = AUDITED_REFUSALS[refusal.kind]
    _audit(app, request, event, route_of(request.scope), refusal.staff_id)


def _audit(app: FastAPI, request: Request, event: str, detail: str, staff_id: int | None) -> None:
    """One refusal into the audit log: whose staff session the browser held, if any; never
    its address or anything it typed."""
    state: AppState = app.state.puente
    if staff_id is None:
        auth: Auth = app.state.staff_auth
        staff_id = auth.staff_id_for(request.cookies.get(admin_cookie(state)))
    log_refusal(state.db, staff_id, event, detail)


def _install_error_handlers(app: FastAPI, state: AppState) -> None:
    @app.exception_handler(api.ApiError)
    async def api_error(request: Request, error: api.ApiError) -> Response:
        return json_error(error.status, error.code, error.detail)

    @app.exception_handler(Refused)
    async def refused(request: Request, refusal: Refused) -> Response:
        # A failed guard (app.web.deps): the page, redirect or JSON error the handler gave.
        if refusal.kind in AUDITED_REFUSALS:
            await run_in_threadpool(_audit_refusal, app, request, refusal)
        if refusal.kind == "exited":  # a page of the session reached after Exit, before its beacon
            return await chat.forget_on_this_device(
                request, state, see_other(request, "/?cleared=1")
            )
        return refusal_response(request, refusal)

    @app.exception_handler(RateLimited)
    async def limited(request: Request, error: RateLimited) -> Response:
        return await _audited_limit(app, state, request.scope, error.wait)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return _error(state, request, 422, "invalid_request", messages.invalid_request())

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404:
            return _error(state, request, 404, "not_found", messages.not_found())
        if error.status_code == 413:  # a chunked body past the cap (EdgeMiddleware)
            return _error(state, request, 413, "too_large", messages.too_large())
        if error.status_code == 400 and _wants_json(request):
            # FastAPI's "error parsing the body": JSON too deep for the parser, a number too
            # long to convert... the same 422 as any other malformed JSON (F14).
            return _error(state, request, 422, "invalid_request", messages.invalid_request())
        if error.status_code == 405:
            detail = i18n.gettext("This address does not accept that kind of request.")
            return _error(state, request, 405, "method_not_allowed", detail)
        return _error(state, request, error.status_code, "error", messages.request_rejected())

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Last resort, for a fault before the edge layer's own catch (its language or headers).
        return _fault(state, request)

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(DBAPIError)
    async def database_unavailable(request: Request, error: Exception) -> Response:
        if cannot_save_reason(error) is not None:
            # Read-only, full, failing disk: not a moment's wait; nothing saved is lost, and
            # the operator is told by the log and /healthz (F12).
            response = _error(state, request, 503, "cannot_save", messages.cannot_save())
            response.headers["Retry-After"] = "60"
            return response
        if not isinstance(error, PoolTimeout | OperationalError):
            raise error  # a bug (an integrity error...): the fault page and log line
        response = _error(state, request, 503, "unavailable", messages.unavailable())
        response.headers["Retry-After"] = "5"
        return response


def app_from_env() -> FastAPI:
    """The uvicorn factory: `uvicorn --factory app.main:app_from_env`, once per worker."""
    configure_logging()
    try:
        app = create_app(settings_from_env())
    except ContentError as error:
        # One line per problem, each naming its file and node; no traceback (F13).
        raise SystemExit(f"puente cannot start: the content has problems:\n{error}") from None
    # What every worker would otherwise build as it starts or at its first requests, built
    # here: the server forks its workers after this (app/web/serving.py), so they share it
    # copy-on-write, and the search index is checked once, not by each worker (9 MB each).
    state: AppState = app.state.puente
    ensure_index(state.db, state.articles)
    app.state.search_index_ready = True
    state.db.engine.dispose()  # closed here: no connection is carried across the fork
    state.renderer.compile_all()
    i18n.load_locale_data()
    configure_mappers()  # SQLAlchemy's ORM mapping, else done at each worker's first query
    # What start-up built (content, catalogs, templates, the ZIP index) lives as long as the
    # worker. Frozen, the garbage collector's full collections no longer walk it: each one took
    # about 80-130 ms before, a pause for every request waiting in that worker.
    gc.collect()
    gc.freeze()
    return app


__all__ = ["create_app"]
