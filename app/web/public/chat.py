"""The chat at /q: one question at a time, as full pages without JS and as htmx fragments."""

from typing import Any, NamedTuple

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from app.flow.engine import OutOfOrder, Position
from app.flow.inputs import InvalidAnswer, RawValue
from app.i18n import get_locale
from app.respondents.models import RespondentSession
from app.respondents.sessions import SessionNotFound
from app.web import messages
from app.web.deps import (
    app_state,
    clear_lang_cookie,
    clear_respondent_cookie,
    current_position,
    form_ok,
    page_context,
    rejected,
    respondent,
    set_lang_cookie,
    set_respondent_cookie,
)
from app.web.public import views
from app.web.responses import is_htmx, see_other

router = APIRouter()
CHAT_PAGE = "chat.html"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def _chat_context(
    request: Request,
    position: Position,
    error: str | None = None,
    submitted: Any = None,
    notice: str | None = None,
    latest_only: bool = False,
) -> dict[str, Any]:
    state = app_state(request)
    values = state.placeholder_values()
    return page_context(
        request,
        transcript=views.transcript(position, latest_only),
        question=views.question(state.engine, position, values, error=error, submitted=submitted),
        notice=notice,
    )


@router.get("/q/start")
async def safety(request: Request) -> Response:
    """The safety page before the first question (security.md R2.4), with the start button."""
    return app_state(request).renderer.page("pages/safety.html", page_context(request))


class Posted(NamedTuple):
    form: FormData
    row: RespondentSession


async def _posted(request: Request) -> Posted | Response:
    """A respondent's POST: its form and session, or the response that refuses it."""
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    row = await run_in_threadpool(respondent, request)
    if row is None:
        return see_other(request, "/?expired=1")
    return Posted(form, row)


@router.post("/q/start")
async def start(request: Request) -> Response:
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    state = app_state(request)
    row = await run_in_threadpool(
        state.store.get_or_create_fresh,
        request.cookies.get(state.respondent_cookie),
        get_locale(),
    )
    response = see_other(request, "/q")
    set_respondent_cookie(state, response, row.id)
    return response


@router.get("/q")
async def chat(request: Request) -> Response:
    state = app_state(request)
    current = await current_position(request)
    if current is None:
        return see_other(request, "/?expired=1")
    _row, position = current
    if position.finished:
        return see_other(request, "/q/result")
    response = state.renderer.page(CHAT_PAGE, _chat_context(request, position))
    response.headers["Vary"] = "HX-Request"
    return response


def _raw_value(request: Request, form: FormData) -> tuple[str, RawValue]:
    question_id = str(form.get("question") or "")
    values = [value for value in form.getlist("value") if isinstance(value, str)]
    node = app_state(request).content.nodes.get(question_id)
    if "unknown" in form and node is not None and node.unknown is not None:
        return question_id, node.unknown
    if node is not None and node.input == "multiple":
        return question_id, values
    return question_id, (values[0] if len(values) == 1 else (values or None))


@router.post("/q")
async def answer(request: Request) -> Response:
    state = app_state(request)
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    # No separate read of the session first: the answer's own write transaction finds it,
    # or reports that it is gone (one database round trip per answer, not two; bench/).
    session_id = request.cookies.get(state.respondent_cookie)
    if not session_id or len(session_id) > 64:
        return see_other(request, "/?expired=1")
    question_id, raw = _raw_value(request, form)
    try:
        position = await run_in_threadpool(state.store.answer, session_id, question_id, raw)
    except SessionNotFound:
        return see_other(request, "/?expired=1")
    except OutOfOrder:
        return _show_current(request, session_id, messages.out_of_order(), status=409)
    except InvalidAnswer as invalid:
        error = messages.answer_error(invalid.code, invalid.params)
        return _show_current(request, session_id, error, status=422, submitted=raw)
    if position.finished or not is_htmx(request):
        return see_other(request, "/q/result" if position.finished else "/q#current")
    context = _chat_context(request, position, latest_only=True)
    return state.renderer.blocks(CHAT_PAGE, ["transcript", "current"], context)


def _show_current(
    request: Request, session_id: str, error: str, status: int, submitted: Any = None
) -> Response:
    """The current question again with an error summary; nothing saved is touched."""
    state = app_state(request)
    row = state.store.get(session_id)
    if row is None:
        return see_other(request, "/?expired=1")
    position = state.store.position(row)
    if position.finished:
        return see_other(request, "/q/result")
    same_question = status == 422
    context = _chat_context(
        request,
        position,
        error=error if same_question else None,
        submitted=submitted if same_question else None,
        notice=None if same_question else error,
    )
    if is_htmx(request):
        return state.renderer.blocks(CHAT_PAGE, ["current"], context, status=status)
    return state.renderer.page(CHAT_PAGE, context, status=status)


async def _update(request: Request, action: str) -> Response:
    state = app_state(request)
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    form, row = posted
    try:
        if action == "back":
            await run_in_threadpool(state.store.back, row.id)
        elif action == "restart":
            await run_in_threadpool(state.store.restart, row.id)
        else:
            await run_in_threadpool(state.store.change, row.id, str(form.get("question") or ""))
    except OutOfOrder:
        return _show_current(request, row.id, messages.unknown_question(), status=409)
    except SessionNotFound:
        return see_other(request, "/?expired=1")
    return see_other(request, "/q#current")


@router.post("/q/back")
async def back(request: Request) -> Response:
    return await _update(request, "back")


@router.post("/q/change")
async def change(request: Request) -> Response:
    return await _update(request, "change")


@router.post("/q/restart")
async def restart(request: Request) -> Response:
    return await _update(request, "restart")


@router.post("/q/delete")
async def delete(request: Request) -> Response:
    state = app_state(request)
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    row = await run_in_threadpool(respondent, request)
    if row is not None:
        await run_in_threadpool(state.store.delete, row.id)
    response = see_other(request, "/?deleted=1")
    clear_respondent_cookie(state, response)
    return response


@router.post("/q/finish")
async def finish_and_clear(request: Request) -> Response:
    """ "Finish and clear": this browser forgets everything; a session without a code is deleted."""
    state = app_state(request)
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    await run_in_threadpool(
        state.store.forget_unless_resumable, request.cookies.get(state.respondent_cookie)
    )
    response = see_other(request, "/?cleared=1")
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    clear_respondent_cookie(state, response)
    clear_lang_cookie(state, response)
    return response


@router.post("/q/code")
async def resume_code(request: Request) -> Response:
    state = app_state(request)
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    row = posted.row
    code = await run_in_threadpool(state.store.issue_resume_code, row.id)
    return state.renderer.page("code.html", page_context(request, code=code))


@router.get("/resume")
async def resume_form(request: Request) -> Response:
    return app_state(request).renderer.page("resume.html", page_context(request))


@router.post("/resume")
async def resume(request: Request) -> Response:
    state = app_state(request)
    form = await request.form()
    if not form_ok(request, form):
        return rejected(request)
    typed = form.get("code")
    row = await run_in_threadpool(state.store.resume, typed if isinstance(typed, str) else "")
    if row is None:
        context = page_context(request, error=messages.wrong_code())
        return state.renderer.page("resume.html", context, status=422)
    response = see_other(request, "/q")
    set_respondent_cookie(state, response, row.id)
    set_lang_cookie(state, response, row.locale)
    return response
