"""The start page (and partner share links), the safety and "what we store" pages, /healthz."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, JSONResponse, Response

from app import i18n, paths
from app.i18n import gettext as _
from app.partners.codes import find_active
from app.web import messages
from app.web.context import page_context, set_lang_cookie, set_respondent_cookie
from app.web.deps import CSRF, State, refuse_after_exit
from app.web.responses import see_other
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
NOTICES = ("deleted", "expired", "cleared")


@router.get("/")
async def start_page(request: Request, state: State) -> Response:
    if "p" in request.query_params:
        return await _partner_landing(request, state)
    # Not a guard: the start page shows without a session (and a partner link reads none).
    refuse_after_exit(request, state)
    cookie = request.cookies.get(state.respondent_cookie)
    row = await state.read(state.store.get, cookie) if cookie else None
    notice = None
    if request.query_params.get("deleted"):
        notice = _("Your answers were deleted.")
    elif request.query_params.get("expired"):
        notice = messages.session_expired()
    elif request.query_params.get("cleared"):
        notice = _("This browser no longer holds anything from this site.")
    has_answers = row is not None and bool(row.answers)
    context = page_context(request, has_session=has_answers, notice=notice)
    return state.renderer.page("start.html", context)


async def _partner_landing(request: Request, state: AppState) -> Response:
    """`/?p=CODE[&lang=xx]`: keep the partner server-side, then take the code out of the URL."""
    partner = await run_in_threadpool(find_active, state.db, request.query_params.get("p"))
    response = see_other(request, "/")
    explicit = request.scope.get("state", {}).get("explicit_locale")
    locale = explicit or (partner.locale if partner else None)
    if locale and i18n.supported(locale):
        set_lang_cookie(state, response, locale)
    if partner is not None:
        row = await run_in_threadpool(
            state.store.get_or_create_fresh,
            request.cookies.get(state.respondent_cookie),
            locale or i18n.get_locale(),
            partner.id,
        )
        set_respondent_cookie(state, response, row.id)
    return response


FAVICON_CACHE = "public, max-age=86400"


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """Browsers ask for /favicon.ico on a first visit; a 404 there is a console error (P24).
    Its URL is fixed (no content hash, unlike /static/), so it is cached for a day rather than a
    year: a new icon reaches everyone within a day. Without a Cache-Control of its own it would
    get the pages' `no-store` (app/web/middleware.py) and be fetched again on every page."""
    return FileResponse(
        paths.STATIC / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": FAVICON_CACHE},
    )


@router.get("/privacy")
async def privacy(request: Request, state: State) -> Response:
    return state.renderer.page("pages/privacy.html", page_context(request))


@router.get("/healthz", include_in_schema=False)
async def healthz(state: State) -> Response:
    """200 when the database answers and could save; 503 when it cannot be reached, or is
    read-only or full (F12). Changes nothing: its write probe is always rolled back."""
    try:
        reason = await run_in_threadpool(state.db.cannot_save)
    except Exception:  # any database failure means "not healthy", never a stack trace
        return JSONResponse({"status": "unavailable"}, status_code=503)
    if reason is not None:
        return JSONResponse({"status": "cannot_save", "reason": reason.value}, status_code=503)
    return JSONResponse({"status": "ok"})
