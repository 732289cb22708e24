"""The start page and the health check."""

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.i18n import gettext as _
from app.web import messages
from app.web.deps import app_state, page_context, respondent

router = APIRouter()


@router.get("/")
async def start_page(request: Request) -> Response:
    state = app_state(request)
    row = await run_in_threadpool(respondent, request)
    notice = None
    if request.query_params.get("deleted"):
        notice = _("Your answers were deleted.")
    elif request.query_params.get("expired"):
        notice = messages.session_expired()
    context = page_context(request, has_session=row is not None, notice=notice)
    return state.renderer.page("start.html", context)


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> Response:
    state = app_state(request)

    def ping() -> None:
        with state.db.read() as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]

    try:
        await run_in_threadpool(ping)
    except Exception:  # any database failure means "not healthy", never a stack trace
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
