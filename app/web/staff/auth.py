"""Staff sign-in at /staff/login: password, then a TOTP code (enrolment shows a QR code)."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.i18n import gettext as _
from app.partners.admin import qr_svg
from app.staff.auth import Locked, Signed, provisioning_uri
from app.staff.sealed import SealBroken
from app.web.deps import app_state
from app.web.responses import see_other
from app.web.security import route_for
from app.web.staff.deps import (
    LOGIN_PURPOSE,
    STAFF_ROUTES,
    auth,
    clear_admin_cookie,
    form_ok,
    rejected,
    set_admin_cookie,
    signed_post,
    staff_context,
    token_of,
)

router = APIRouter(prefix="/staff", include_in_schema=False)
SVG = "image/svg+xml"


def _next_key(value: object) -> str:
    return value if isinstance(value, str) and value in STAFF_ROUTES else "stats"


def _locked(request: Request, wait: int) -> Response:
    context = staff_context(
        request,
        None,
        LOGIN_PURPOSE,
        message=_("Too many failed attempts. Sign-in is paused for this account; try again later."),
    )
    response = app_state(request).renderer.page("staff/message.html", context, status=429)
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("")
async def staff_home(request: Request) -> Response:
    return see_other(request, "/staff/stats")


@router.get("/login")
async def login_form(request: Request) -> Response:
    context = staff_context(
        request, None, LOGIN_PURPOSE, next=_next_key(request.query_params.get("next"))
    )
    return app_state(request).renderer.page("staff/login.html", context)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    if not form_ok(request, form, LOGIN_PURPOSE):
        return rejected(request)
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    next_key = _next_key(form.get("next"))
    try:
        pending = await run_in_threadpool(auth(request).check_password, username, password)
    except Locked as locked:
        return _locked(request, locked.seconds)
    if pending is None:
        context = staff_context(
            request,
            None,
            LOGIN_PURPOSE,
            next=next_key,
            error=_("That name and password do not match an account that can sign in."),
        )
        return app_state(request).renderer.page("staff/login.html", context, status=401)
    response = see_other(request, f"/staff/login/code?next={next_key}")
    set_admin_cookie(request, response, pending.token)
    return response


def _enrolment_secret(request: Request, pending: Signed) -> str | None:
    """The secret to type into an authenticator app, shown only until it is set up."""
    if pending.user.totp_enrolled:
        return None
    try:
        return auth(request).box.open(pending.user.totp_secret)
    except SealBroken:  # sealed under another SECRET_KEY: the operator resets it
        return None


def _enrolment(request: Request, pending: Signed) -> dict[str, Any]:
    """What the code page shows to set up the app; nothing once set up (or if it can't be)."""
    secret = _enrolment_secret(request, pending)
    return {"enrol": secret is not None, "secret": secret}


def _pending(request: Request) -> Signed | None:
    return auth(request).session_for(token_of(request), stage="password")


@router.get("/login/code")
async def code_form(request: Request) -> Response:
    pending = await run_in_threadpool(_pending, request)
    if pending is None:
        return see_other(request, "/staff/login")
    context = staff_context(
        request,
        None,
        f"staff:{pending.token}",
        next=_next_key(request.query_params.get("next")),
        **_enrolment(request, pending),
    )
    return app_state(request).renderer.page("staff/code.html", context)


@router.get("/login/qr.svg")
async def enrolment_qr(request: Request) -> Response:
    """The QR code of the TOTP secret, drawn here, only before the second factor is set up."""
    pending = await run_in_threadpool(_pending, request)
    secret = None if pending is None else _enrolment_secret(request, pending)
    if pending is None or secret is None:
        return Response(status_code=404)
    return Response(qr_svg(provisioning_uri(pending.user, auth(request).box)), media_type=SVG)


@router.post("/login/code")
async def check_code(request: Request) -> Response:
    pending = await run_in_threadpool(_pending, request)
    form = await request.form()
    if pending is None:
        return see_other(request, "/staff/login")
    if not form_ok(request, form, f"staff:{pending.token}"):
        return rejected(request)
    next_key = _next_key(form.get("next"))
    try:
        signed = await run_in_threadpool(
            auth(request).check_code, pending, str(form.get("code") or "")
        )
    except Locked as locked:
        return _locked(request, locked.seconds)
    if signed is None:
        context = staff_context(
            request,
            None,
            f"staff:{pending.token}",
            next=next_key,
            **_enrolment(request, pending),
            error=_("That code did not work. Enter the 6 digits your app shows now."),
        )
        return app_state(request).renderer.page("staff/code.html", context, status=401)
    response = see_other(request, route_for(next_key, STAFF_ROUTES, "/staff/stats"))
    set_admin_cookie(request, response, signed.token)  # a new token: rotated at sign-in
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    posted = await signed_post(request, "stats")
    if isinstance(posted, Response):
        return posted
    signed, _form = posted
    await run_in_threadpool(auth(request).sign_out, signed.token)
    response = see_other(request, "/staff/login")
    clear_admin_cookie(request, response)
    return response
