"""The chat at /q: one question at a time, as full pages without JS and as htmx fragments."""

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from app.config import NEUTRAL_URL
from app.flow.engine import OutOfOrder, Position
from app.flow.inputs import InvalidAnswer, RawValue
from app.i18n import get_locale, language_tag
from app.respondents.sessions import SessionNotFound
from app.web import messages
from app.web.block_memo import Reused, mark
from app.web.context import (
    clear_lang_cookie,
    clear_respondent_cookie,
    fragment_context,
    page_context,
    set_lang_cookie,
    set_respondent_cookie,
)
from app.web.deps import (
    CSRF,
    CheckedForm,
    CurrentPosition,
    MaybeRespondent,
    Respondent,
    State,
    app_state,
    session_id_of,
)
from app.web.public import views
from app.web.responses import is_htmx, see_other
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
CHAT_PAGE = "chat.html"
QUESTION_BLOCKS = frozenset({"fragment_title", "current"})
TRANSCRIPT_BLOCK = frozenset({"transcript"})
ANSWER_MARK = mark("answer")
FINISHED_ELSEWHERE = "finished_elsewhere.html"
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
MAX_CODE_FIELD = 40  # the resume field's maxlength
CODE_CHARACTERS = re.compile(r"[^0-9A-Za-z -]")


def _chat_context(
    request: Request,
    state: AppState,
    position: Position,
    error: str | None = None,
    submitted: Any = None,
    notice: str | None = None,
) -> dict[str, Any]:
    inputs = views.question_inputs(state.engine, position, state.placeholder_values())
    return page_context(
        request,
        transcript=views.transcript(position),
        question=views.question(inputs, error=error, submitted=submitted),
        notice=notice,
    )


def _raw_value(state: AppState, form: FormData) -> tuple[str, RawValue]:
    question_id = str(form.get("question") or "")
    values = [value for value in form.getlist("value") if isinstance(value, str)]
    node = state.content.nodes.get(question_id)
    if "unknown" in form and node is not None and node.unknown is not None:
        return question_id, node.unknown
    if node is not None and node.input == "multiple":
        return question_id, values
    return question_id, (values[0] if len(values) == 1 else (values or None))


async def answer(request: Request, form: FormData) -> Response:
    """POST /q, four requests in five: a plain route, not an APIRoute, on the app's own
    router ahead of every included one (app.main, app.web.deps.add_csrf_checked_route). Its
    guards are plain calls: the form that the CSRF check accepted, and the session cookie. No
    separate read of the session first: the answer's own write transaction finds it, or
    reports that it is gone."""
    state = app_state(request)
    session_id = session_id_of(request)
    question_id, raw = _raw_value(state, form)
    try:
        position = await state.write(state.store.answer, session_id, question_id, raw)
    except SessionNotFound:
        return see_other(request, "/?expired=1")
    except OutOfOrder:
        return _show_current(
            request, state, session_id, messages.out_of_order(), status=409, refused=question_id
        )
    except InvalidAnswer as invalid:
        error = messages.answer_error(invalid.code, invalid.params)
        return _show_current(request, state, session_id, error, status=422, submitted=raw)
    if position.finished or not is_htmx(request):
        return see_other(request, "/q/result" if position.finished else "/q#current")
    # The answer just given, then the next question: markup rendered once per language and
    # key, then reused (app/web/block_memo.py). The bubble's answer is put in as a mark; the
    # question is reused only here, where it carries no error (an error's block would hold
    # what the person typed).
    (bubble,) = views.transcript(position, latest_only=True)
    answered = Reused(
        TRANSCRIPT_BLOCK,
        views.latest_bubble_key(position),
        lambda: {"transcript": [{**bubble, "answer": ANSWER_MARK}]},
        personal={ANSWER_MARK: bubble["answer"]},
    )
    inputs = views.question_inputs(state.engine, position, state.placeholder_values())
    next_question = Reused(
        QUESTION_BLOCKS, inputs.key, lambda: {"question": views.question(inputs), "notice": None}
    )
    return state.renderer.blocks(
        CHAT_PAGE,
        ["fragment_title", "transcript", "current"],
        fragment_context(request),
        reused=(answered, next_question),
    )


@router.get("/q/start")
@router.get("/safety")
async def safety(request: Request, state: State, row: MaybeRespondent) -> Response:
    """The safety page before the first question (security.md R2.4), with the start button.
    The footer's "Staying safe" (/safety) is the same page, but with answers already given it
    leads back to them and offers no start, which would begin a new session over them (P8)."""
    has_answers = row is not None and bool(row.answers)
    from_footer = request.url.path == "/safety"
    context = page_context(
        request, has_answers=has_answers, offer_start=not (from_footer and has_answers)
    )
    return state.renderer.page("pages/safety.html", context)


@router.post("/q/start")
async def start(request: Request, state: State) -> Response:
    row = await state.write(
        state.store.get_or_create_fresh,
        request.cookies.get(state.respondent_cookie),
        get_locale(),
    )
    response = see_other(request, "/q")
    set_respondent_cookie(state, response, row.id)
    return response


@router.get("/q")
async def chat(request: Request, state: State, position: CurrentPosition) -> Response:
    if position.finished:
        return see_other(request, "/q/result")
    response = state.renderer.page(CHAT_PAGE, _chat_context(request, state, position))
    response.headers["Vary"] = "HX-Request"
    return response


def _show_current(
    request: Request,
    state: AppState,
    session_id: str,
    error: str,
    status: int,
    submitted: Any = None,
    refused: str | None = None,
) -> Response:
    """The current question again with an error summary; nothing saved is touched."""
    row = state.store.get(session_id)
    if row is None:
        return see_other(request, "/?expired=1")
    position = state.store.position(row)
    if position.finished and refused is not None:
        return _finished_elsewhere(request, state, position, refused)
    if position.finished:
        return see_other(request, "/q/result")
    same_question = status == 422
    context = _chat_context(
        request,
        state,
        position,
        error=error if same_question else None,
        submitted=submitted if same_question else None,
        notice=None if same_question else error,
    )
    if is_htmx(request):
        return state.renderer.blocks(
            CHAT_PAGE, ["fragment_title", "current"], context, status=status
        )
    return state.renderer.page(CHAT_PAGE, context, status=status)


def _finished_elsewhere(
    request: Request, state: AppState, position: Position, refused: str
) -> Response:
    """F19: an answer posted after another tab finished the questionnaire. It is not taken
    silently into a result the person never saw with it: 409, a page that says it was not
    saved, the result, and a way to change that answer (which reopens that question)."""
    context = page_context(request, unsaved=views.unsaved(position, refused))
    if is_htmx(request):
        return state.renderer.blocks(FINISHED_ELSEWHERE, ["current"], context, status=409)
    return state.renderer.page(FINISHED_ELSEWHERE, context, status=409)


@router.post("/q/back")
async def back(request: Request, state: State, row: Respondent) -> Response:
    return await _update(request, state, row.id, lambda: state.store.back(row.id))


@router.post("/q/change")
async def change(request: Request, state: State, form: CheckedForm, row: Respondent) -> Response:
    question_id = str(form.get("question") or "")
    return await _update(request, state, row.id, lambda: state.store.change(row.id, question_id))


@router.post("/q/restart")
async def restart(request: Request, state: State, form: CheckedForm, row: Respondent) -> Response:
    if not confirmed(form):
        return _confirm(request, state, "restart")
    return await _update(request, state, row.id, lambda: state.store.restart(row.id))


def confirmed(form: FormData) -> bool:
    """An action that throws answers away runs only from its confirmation page (P8)."""
    return form.get("confirm") == "yes"


def _confirm(request: Request, state: AppState, action: str) -> Response:
    """Asks once before "Start over" or "Delete my answers"; the page's own form confirms."""
    # "/q" leads back to the current question, or on to the result when it is finished.
    context = page_context(request, action=action, cancel="/q")
    return state.renderer.page("confirm.html", context)


async def _update(
    request: Request, state: AppState, session_id: str, move: Callable[[], object]
) -> Response:
    try:
        await state.write(move)
    except OutOfOrder:
        return _show_current(request, state, session_id, messages.unknown_question(), status=409)
    except SessionNotFound:
        return see_other(request, "/?expired=1")
    return see_other(request, "/q#current")


@router.post("/q/delete")
async def delete(
    request: Request, state: State, form: CheckedForm, row: MaybeRespondent
) -> Response:
    if row is not None and not confirmed(form):
        return _confirm(request, state, "delete")
    if row is not None:
        await state.db_threads(state.store.delete, row.id)
    response = see_other(request, "/?deleted=1")
    clear_respondent_cookie(state, response)
    return response


@router.get("/exit")
async def exit_without_js(request: Request, state: State) -> Response:
    """The Exit link without JavaScript (P4): end the session on this device, then the neutral
    site. Back then finds no session here, so no page can show an answer again. Only our own
    pages may end a session this way (a link on another site could otherwise throw away
    someone's answers); a browser too old to say where a request comes from is trusted."""
    origin = request.headers.get("sec-fetch-site")
    return await _leave(request, state, ends_session=origin in (None, "same-origin", "none"))


@router.post("/exit")
async def exit_with_js(request: Request, state: State) -> Response:
    """app.js sends this as a beacon while it replaces the page with the neutral site."""
    return await _leave(request, state, ends_session=True)


async def _leave(request: Request, state: AppState, ends_session: bool) -> Response:
    context = {"lang": language_tag(get_locale()), "neutral_url": NEUTRAL_URL}
    response = state.renderer.page("exit.html", context)
    if ends_session:
        return await forget_on_this_device(request, state, response)
    return response


@router.post("/q/finish")
async def finish_and_clear(request: Request, state: State) -> Response:
    """ "Finish and clear": this browser forgets everything; a session without a code is deleted."""
    return await forget_on_this_device(request, state, see_other(request, "/?cleared=1"))


async def forget_on_this_device(request: Request, state: AppState, response: Response) -> Response:
    """End the session on this device, as Exit, "Finish and clear" and a page reached after
    Exit do: a session without a resume code is deleted, and `response` clears the site's
    cookies and data from this browser."""
    await state.db_threads(
        state.store.forget_unless_resumable, request.cookies.get(state.respondent_cookie)
    )
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    clear_respondent_cookie(state, response)
    clear_lang_cookie(state, response)
    return response


@router.get("/q/code")
async def resume_code_page(request: Request, state: State, row: Respondent) -> Response:
    """Where "Continue later" leads by GET: a language link, or a reload after the code was
    shown. It never makes a code by itself, so the one written down keeps working (P3)."""
    context = page_context(request, code=None, has_code=row.resume_hash is not None)
    return state.renderer.page("code.html", context)


@router.post("/q/code")
async def resume_code(
    request: Request, state: State, form: CheckedForm, row: Respondent
) -> Response:
    """A code, shown once. A session that has one already gets a new one only when the person
    asks for it on purpose: a reload re-posts this form and must not kill the old code (P3)."""
    if row.resume_hash is not None and form.get("replace") != "yes":
        return state.renderer.page("code.html", page_context(request, code=None, has_code=True))
    issued = await state.db_threads(state.store.issue_resume_code, row.id)
    context = page_context(request, code=issued.code, has_code=True)
    response = state.renderer.page("code.html", context)
    set_respondent_cookie(state, response, issued.session_id)  # a replaced code moves it (F11)
    return response


@router.get("/resume")
async def resume_form(request: Request, state: State) -> Response:
    return state.renderer.page("resume.html", page_context(request))


@router.post("/resume")
async def resume(request: Request, state: State, form: CheckedForm) -> Response:
    typed = form.get("code")
    row = await state.db_threads(state.store.resume, typed if isinstance(typed, str) else "")
    if row is None:
        # What was typed stays in the field, so one wrong letter is fixed, not retyped (P3).
        # Only the characters a code can hold: the field shows a code, not whatever was sent.
        kept = CODE_CHARACTERS.sub("", typed)[:MAX_CODE_FIELD] if isinstance(typed, str) else ""
        context = page_context(request, error=messages.wrong_code(), typed=kept)
        return state.renderer.page("resume.html", context, status=422)
    response = see_other(request, "/q")
    set_respondent_cookie(state, response, row.id)
    set_lang_cookie(state, response, row.locale)
    return response
