"""What a handler declares in its signature: the app state, a CSRF-checked form, the respondent,
a staff member with a role, the API's bearer session. Cookies and page contexts are in
app.web.context.

A guard that fails raises `Refused`; one exception handler (app.web.refusals, installed in
app.main) answers it as the handler itself used to. CSRF is checked in one place,
`check_csrf`, on every unsafe request of the cookie-authenticated routers (security.md T3.3).
Dependencies on the answer path are `async def` (a sync one costs a thread-pool hop) and read
nothing the answer's own write transaction does not (one database round trip per answer).
"""

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, Literal, TypeVar, cast
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.routing import get_route_path  # type: ignore[attr-defined]  # undeclared re-export

from app import i18n
from app.flow.engine import Position
from app.respondents.sessions import Respondent as RespondentRow
from app.staff.auth import Auth, Signed
from app.web import messages
from app.web.ratelimit import spend_pending
from app.web.security import csrf_token, form_accepted
from app.web.state import AppState

Found = TypeVar("Found")
LANG_COOKIE = "lang"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The JSON API's only credential is the bearer token, a header that a page on another site
# cannot make a browser send; it reads no cookie, so there is nothing for CSRF to protect.
API_PREFIX = "/api/"
STAFF_PREFIX = "/staff"
MAX_FORM_FIELDS = 1000  # Starlette's own limit for a form
URLENCODED = "application/x-www-form-urlencoded"
_ACCEPTED_CSRF = "puente.csrf_token"  # the token of the form check_csrf accepted
LOGIN_PURPOSE = "staff-login"
PAGE_ROLES = {
    "stats": ("admin", "reviewer"),
    "partners": ("admin",),
    "review": ("admin", "reviewer"),
    "audit": ("admin",),
    "directory": ("admin",),
}


class RowId(Convertor[int]):
    """`{name:id}` in a route's path: a row id of 1 to 9 digits, which always fits the 32-bit
    INTEGER of our id columns on PostgreSQL. Anything else (`abc`, a 23-digit number) matches
    no route and is the 404 page, not a 422 or a 500 from the driver's overflow (F10)."""

    regex = "[1-9][0-9]{0,8}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


# Registered here, where every router module imports its guards from, before any route is built.
register_url_convertor("id", RowId())

RefusalKind = Literal[
    "forged",  # a respondent's form from another site or with a stale token: error.html, 403
    "expired",  # no respondent session: back to the start page, which says so
    "exited",  # the browser left by Exit (its mark is set): the session ends on this device
    "unfinished",  # the result of a questionnaire not yet finished: back to the questions
    "staff_forged",  # the same for a staff form: staff/message.html, 403
    "staff_forbidden",  # signed in, but the role may not see this page: 403
    "staff_sign_in",  # not signed in: to the sign-in page, with the page's route key
    "api",  # the JSON API: {"detail", "code"} with the status given
]


class Refused(Exception):
    """A guard said no; `kind` chooses the answer, app.web.refusals builds it."""

    def __init__(
        self,
        kind: RefusalKind,
        *,
        next_key: str | None = None,
        status: int = 403,
        code: str = "",
        detail: str = "",
        staff_id: int | None = None,
    ) -> None:
        super().__init__(kind)
        self.kind, self.next_key, self.staff_id = kind, next_key, staff_id
        self.status, self.code, self.detail = status, code, detail


def _or_refuse(found: Found | None, kind: RefusalKind) -> Found:
    """What a guard looked up, or the refusal of its kind when there is nothing."""
    if found is None:
        raise Refused(kind)
    return found


def app_state(request: HTTPConnection) -> AppState:
    # Starlette's app.state holds Any; app/main.py puts the AppState there.
    return cast(AppState, request.app.state.puente)


async def _state(request: Request) -> AppState:
    return app_state(request)


State = Annotated[AppState, Depends(_state)]


# --- CSRF -----------------------------------------------------------------------------------


def is_staff_path(request: HTTPConnection) -> bool:
    path = get_route_path(request.scope)  # as the routes see it, behind any root_path
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def admin_cookie(state: AppState) -> str:
    return "__Host-adm" if state.settings.is_production else "adm"


def csrf_binding(request: HTTPConnection) -> str:
    """What a form's token is bound to, the one rule for issuing and for checking it:
    on staff pages the admin cookie (`staff:{token}`, signed in or half-way at the code step)
    or, before there is one, the sign-in purpose; on respondent pages the session cookie, or
    "anonymous" before a session exists. Another session's token never fits."""
    state = app_state(request)
    if is_staff_path(request):
        token = request.cookies.get(admin_cookie(state))
        return f"staff:{token}" if token else LOGIN_PURPOSE
    return request.cookies.get(state.respondent_cookie) or "anonymous"


def csrf_for(request: HTTPConnection) -> str:
    """The token that this request's page puts in its forms: the one its form carried when
    the CSRF check accepted it (the same binding, so the same token), else computed."""
    accepted = request.scope.get(_ACCEPTED_CSRF)
    if isinstance(accepted, str):
        return accepted
    return csrf_token(app_state(request).settings.secret_key, csrf_binding(request))


async def check_csrf(request: Request) -> FormData:
    """Every unsafe request of a router that carries it: our own site, and a valid token.

    Installed as a router dependency (`APIRouter(dependencies=[CSRF])`); a handler's
    `CheckedForm` is this same dependency, which FastAPI runs once per request. The answer's
    plain route runs it through `add_csrf_checked_route`.
    """
    if request.method not in UNSAFE_METHODS:
        return FormData()
    form = await _read_form(request)
    secret = app_state(request).settings.secret_key
    submitted = form.get("csrf")
    if not form_accepted(request, secret, csrf_binding(request), submitted):
        raise Refused("staff_forged" if is_staff_path(request) else "forged")
    request.scope[_ACCEPTED_CSRF] = submitted
    # Only now, with the token accepted, does the form spend its rate limits (F4).
    await spend_pending(request.scope)
    return form


async def _read_form(request: Request) -> FormData:
    """The posted form. A URL-encoded body (every form of the site but file uploads) is parsed
    as Starlette's parser does (`unquote_plus` of each name and value, the same field limit),
    by the standard library in a third of the time; anything else goes to Starlette."""
    if not request.headers.get("content-type", "").startswith(URLENCODED):
        return await request.form()
    body = await request.body()  # kept on the request: a later request.form() still works
    try:
        pairs: list[tuple[str, str | UploadFile]] = parse_qsl(  # type: ignore[assignment]
            body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError as error:  # more fields than allowed, as Starlette refuses them
        raise HTTPException(status_code=400, detail="Too many fields.") from error
    return FormData(pairs)


FormHandler = Callable[[Request, FormData], Awaitable[Response]]


def add_csrf_checked_route(router: APIRouter, path: str, handler: FormHandler) -> None:
    """POST `path` as a plain Starlette route that passes the same CSRF check as the routers'
    dependency, then hands `handler` the accepted form.

    For the answer only, four requests in five: an APIRoute's request handling and dependency
    solving, even for this one dependency, were about a seventh of an answer's CPU
    (docs/benchmarks.md). The route walk of the CSRF coverage test knows the endpoint by
    `checks`, and posts forged forms to it like to every other unsafe route.
    """

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        # FastAPI records the route for its own routes only; a fault names it from here.
        request.scope["route"] = route
        return await handler(request, await check_csrf(request))

    endpoint.checks = check_csrf  # type: ignore[attr-defined]  # read by the route walk
    router.add_route(path, endpoint, methods=["POST"])
    route = router.routes[-1]


CSRF = Depends(check_csrf)
CheckedForm = Annotated[FormData, Depends(check_csrf)]


# --- respondents ----------------------------------------------------------------------------


def session_id_of(request: HTTPConnection) -> str:
    """The session cookie, not looked up: the answer's own transaction finds the row or not."""
    state = app_state(request)
    refuse_after_exit(request, state)
    session_id = request.cookies.get(state.respondent_cookie)
    if not session_id or len(session_id) > 64:
        raise Refused("expired")
    return session_id


def refuse_after_exit(request: HTTPConnection, state: AppState) -> None:
    """Exit's beacon ends the session, but Back can reach the server first (a slow network, a
    busy server): the mark app.js set before leaving makes any page of the session end it
    instead of showing an answer (P4)."""
    if state.exit_cookie in request.cookies:
        raise Refused("exited")


async def _maybe_respondent(request: Request, state: State) -> RespondentRow | None:
    refuse_after_exit(request, state)
    return await state.read(state.store.get, request.cookies.get(state.respondent_cookie))


MaybeRespondent = Annotated[RespondentRow | None, Depends(_maybe_respondent)]


async def _respondent(request: Request, state: State) -> RespondentRow:
    return _or_refuse(await _maybe_respondent(request, state), "expired")


Respondent = Annotated[RespondentRow, Depends(_respondent)]


async def _current_position(request: Request, state: State, row: Respondent) -> Position:
    """Where this browser's session stands; an explicit ?lang= choice is kept on it."""
    explicit = request.scope.get("state", {}).get("explicit_locale")
    if explicit and explicit != row.locale:
        await state.db_threads(state.store.set_locale, row.id, explicit)
    return state.store.position(row)


CurrentPosition = Annotated[Position, Depends(_current_position)]


async def _finished_position(position: CurrentPosition) -> Position:
    if not position.finished:
        raise Refused("unfinished")
    return position


FinishedPosition = Annotated[Position, Depends(_finished_position)]


# --- staff ----------------------------------------------------------------------------------


async def _staff_auth(request: Request) -> Auth:
    # Starlette's app.state holds Any; app/main.py puts the staff Auth there.
    return cast(Auth, request.app.state.staff_auth)


StaffAuth = Annotated[Auth, Depends(_staff_auth)]


class StaffFor:
    """A signed-in staff member whose role may see `page` (a key of PAGE_ROLES)."""

    def __init__(self, page: str) -> None:
        self.page = page

    async def __call__(self, request: Request, state: State, auth: StaffAuth) -> Signed:
        token = request.cookies.get(admin_cookie(state))
        signed = await run_in_threadpool(auth.session_for, token)
        if signed is None:
            raise Refused("staff_sign_in", next_key=self.page)
        if signed.user.role not in PAGE_ROLES[self.page]:
            raise Refused("staff_forbidden", staff_id=signed.user.id)  # audited (F9)
        return signed


async def _maybe_pending(request: Request, state: State, auth: StaffAuth) -> Signed | None:
    """Half-way through sign-in: the password checked, the code not yet."""
    token = request.cookies.get(admin_cookie(state))
    return await run_in_threadpool(auth.session_for, token, "password")


MaybePendingStaff = Annotated[Signed | None, Depends(_maybe_pending)]


async def _pending(request: Request, state: State, auth: StaffAuth) -> Signed:
    return _or_refuse(await _maybe_pending(request, state, auth), "staff_sign_in")


PendingStaff = Annotated[Signed, Depends(_pending)]
StatsStaff = Annotated[Signed, Depends(StaffFor("stats"))]
PartnersStaff = Annotated[Signed, Depends(StaffFor("partners"))]
ReviewStaff = Annotated[Signed, Depends(StaffFor("review"))]
AuditStaff = Annotated[Signed, Depends(StaffFor("audit"))]
DirectoryStaff = Annotated[Signed, Depends(StaffFor("directory"))]


# --- the JSON API ---------------------------------------------------------------------------

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="session",
    description="The token that `POST /api/v1/sessions` returned.",
)


async def _api_session(
    state: State, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> RespondentRow:
    """The session of `Authorization: Bearer <token>`; its language for everything after."""
    if credentials is None:
        raise Refused("api", status=401, code="missing_token", detail=messages.session_expired())
    row = await run_in_threadpool(state.store.get, credentials.credentials.strip())
    if row is None:
        detail = messages.session_expired()
        raise Refused("api", status=404, code="session_not_found", detail=detail)
    i18n.set_locale(row.locale)
    return row


ApiSession = Annotated[RespondentRow, Depends(_api_session)]
