"""Request helpers shared by the routers."""

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from app import i18n
from app.flow.engine import Position
from app.i18n import LANGUAGES, get_locale, text_direction
from app.respondents.models import RespondentSession
from app.state import AppState
from app.web.security import csrf_token, form_accepted

LANG_COOKIE = "lang"


def app_state(request: Request) -> AppState:
    return request.app.state.puente


def respondent(request: Request) -> RespondentSession | None:
    state = app_state(request)
    return state.store.get(request.cookies.get(state.respondent_cookie))


def set_respondent_cookie(state: AppState, response: Response, session_id: str) -> None:
    # No max_age or expires: a browser-session cookie that never outlives the browser.
    response.set_cookie(
        state.respondent_cookie,
        session_id,
        httponly=True,
        samesite="lax",
        secure=state.settings.is_production,
        path="/",
    )


def clear_respondent_cookie(state: AppState, response: Response) -> None:
    response.delete_cookie(
        state.respondent_cookie,
        path="/",
        httponly=True,
        samesite="lax",
        secure=state.settings.is_production,
    )


def set_lang_cookie(state: AppState, response: Response, locale: str) -> None:
    response.set_cookie(
        LANG_COOKIE,
        locale,
        httponly=True,
        samesite="lax",
        secure=state.settings.is_production,
        path="/",
    )


def clear_lang_cookie(state: AppState, response: Response) -> None:
    response.delete_cookie(
        LANG_COOKIE, path="/", httponly=True, samesite="lax", secure=state.settings.is_production
    )


def page_context(request: Request, **extra: Any) -> dict[str, Any]:
    """What base.html needs on every page, plus the page's own values."""
    state = app_state(request)
    locale = get_locale()
    row_id = request.cookies.get(state.respondent_cookie) or "anonymous"
    return {
        "lang": locale,
        "dir": text_direction(locale),
        "languages": [
            {
                "code": code,
                "name": name,
                "current": code == locale,
                "href": f"{request.url.path}?lang={code}",
            }
            for code, name in LANGUAGES.items()
        ],
        "csrf": csrf_token(state.settings.secret_key, row_id),
        **extra,
    }


def use_locale_of(row: RespondentSession) -> None:
    i18n.set_locale(row.locale)


def form_ok(request: Request, form: FormData) -> bool:
    """A respondent's form: our own site, with the token of this browser's session."""
    state = app_state(request)
    bound_to = request.cookies.get(state.respondent_cookie) or "anonymous"
    return form_accepted(request, state.settings.secret_key, bound_to, form.get("csrf"))


def rejected(request: Request) -> Response:
    from app.web import messages

    context = page_context(request, message=messages.request_rejected())
    return app_state(request).renderer.page("error.html", context, status=403)


async def current_position(request: Request) -> tuple[RespondentSession, Position] | None:
    """This browser's session and where it stands; an explicit ?lang= choice is kept on it."""
    state = app_state(request)
    row = await run_in_threadpool(respondent, request)
    if row is None:
        return None
    explicit = request.scope.get("state", {}).get("explicit_locale")
    if explicit and explicit != row.locale:
        await run_in_threadpool(state.store.set_locale, row.id, explicit)
    return row, state.store.position(row)
