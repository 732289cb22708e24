"""Staff sign-in at /staff/login: password, then a TOTP code (enrolment shows a QR code).

Handlers are plain `def`: FastAPI runs them in its thread pool, so password hashing (argon2)
and the database never block the event loop."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.i18n import gettext as _
from app.staff.auth import Auth, Signed, provisioning_uri
from app.staff.sealed import SealBroken
from app.web.context import STAFF_ROUTES, clear_admin_cookie, set_admin_cookie, staff_context
from app.web.deps import (
    CSRF,
    CheckedForm,
    MaybePendingStaff,
    PendingStaff,
    StaffAuth,
    State,
    StatsStaff,
)
from app.web.responses import see_other
from app.web.security import route_for
from app.web.sharing import SVG, qr_svg
from app.web.state import AppState

router = APIRouter(prefix="/staff", include_in_schema=False, dependencies=[CSRF])


def _next_key(value: object) -> str:
    return value if isinstance(value, str) and value in STAFF_ROUTES else "stats"


def _sign_in_page(
    request: Request, state: AppState, template: str, status: int = 200, **extra: Any
) -> Response:
    """A page of the sign-in steps: nobody is signed in yet, so no staff navigation."""
    return state.renderer.page(template, staff_context(request, None, **extra), status=status)


@router.get("")
def staff_home(request: Request) -> Response:
    return see_other(request, "/staff/stats")


@router.get("/login")
def login_form(request: Request, state: State) -> Response:
    next_key = _next_key(request.query_params.get("next"))
    return _sign_in_page(request, state, "staff/login.html", next=next_key)


@router.post("/login")
def login(request: Request, state: State, auth: StaffAuth, form: CheckedForm) -> Response:
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    code = str(form.get("code") or "")
    next_key = _next_key(form.get("next"))
    signed = auth.check_password(username, password, code)
    if signed is None:
        # The same words and status for an unknown name, a wrong password or code, and a
        # paused name (F8): nothing here tells which.
        error = _("That name and password do not match an account that can sign in.")
        return _sign_in_page(request, state, "staff/login.html", 401, next=next_key, error=error)
    if signed.stage == "full":  # the password and the code together
        response = see_other(request, route_for(next_key, STAFF_ROUTES, "/staff/stats"))
    else:
        response = see_other(request, f"/staff/login/code?next={next_key}")
    set_admin_cookie(state, response, signed.token)
    return response


def _enrolment_secret(auth: Auth, pending: Signed) -> str | None:
    """The secret to type into an authenticator app, shown only until it is set up."""
    if pending.user.totp_enrolled:
        return None
    try:
        return auth.box.open(pending.user.totp_secret)
    except SealBroken:  # sealed under another SECRET_KEY: the operator resets it
        return None


def _enrolment(auth: Auth, pending: Signed) -> dict[str, Any]:
    """What the code page shows to set up the app; nothing once set up (or if it can't be)."""
    secret = _enrolment_secret(auth, pending)
    return {"enrol": secret is not None, "secret": secret}


@router.get("/login/code")
def code_form(request: Request, state: State, auth: StaffAuth, pending: PendingStaff) -> Response:
    next_key = _next_key(request.query_params.get("next"))
    return _sign_in_page(
        request, state, "staff/code.html", next=next_key, **_enrolment(auth, pending)
    )


@router.get("/login/qr.svg")
def enrolment_qr(auth: StaffAuth, pending: MaybePendingStaff) -> Response:
    """The QR code of the TOTP secret, drawn here, only before the second factor is set up."""
    secret = None if pending is None else _enrolment_secret(auth, pending)
    if pending is None or secret is None:
        return Response(status_code=404)
    return Response(qr_svg(provisioning_uri(pending.user, auth.box)), media_type=SVG)


@router.post("/login/code")
def check_code(
    request: Request, state: State, auth: StaffAuth, form: CheckedForm, pending: PendingStaff
) -> Response:
    next_key = _next_key(form.get("next"))
    signed = auth.check_code(pending, str(form.get("code") or ""))
    if signed is None:
        error = _("That code did not work. Enter the 6 digits your app shows now.")
        enrolment = _enrolment(auth, pending)
        return _sign_in_page(
            request, state, "staff/code.html", 401, next=next_key, error=error, **enrolment
        )
    response = see_other(request, route_for(next_key, STAFF_ROUTES, "/staff/stats"))
    set_admin_cookie(state, response, signed.token)  # a new token: rotated at sign-in
    return response


@router.post("/logout")
def logout(request: Request, state: State, auth: StaffAuth, signed: StatsStaff) -> Response:
    # StatsStaff: any signed-in staff member (every role sees statistics).
    auth.sign_out(signed.token)
    response = see_other(request, "/staff/login")
    clear_admin_cookie(state, response)
    return response
