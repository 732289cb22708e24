"""What the staff pages share: the admin cookie, the signed-in check, CSRF, page context."""

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from app.i18n import get_locale, text_direction
from app.i18n import gettext as _
from app.staff.auth import Auth, Signed
from app.web.deps import app_state
from app.web.responses import see_other
from app.web.security import csrf_token, form_accepted

LOGIN_PURPOSE = "staff-login"
# Route keys for ?next= (security.md R5.4): never a URL.
STAFF_ROUTES = {
    "stats": "/staff/stats",
    "partners": "/staff/partners",
    "review": "/staff/review",
    "audit": "/staff/audit",
    "directory": "/staff/directory",
}
PAGE_ROLES = {
    "stats": ("admin", "reviewer"),
    "partners": ("admin",),
    "review": ("admin", "reviewer"),
    "audit": ("admin",),
    "directory": ("admin",),
}


def admin_cookie(request: Request) -> str:
    return "__Host-adm" if app_state(request).settings.is_production else "adm"


def auth(request: Request) -> Auth:
    return request.app.state.staff_auth


def set_admin_cookie(request: Request, response: Response, token: str) -> None:
    # Strict, HttpOnly, no Max-Age: gone with the browser; the server also times it out.
    response.set_cookie(
        admin_cookie(request),
        token,
        httponly=True,
        samesite="strict",
        secure=app_state(request).settings.is_production,
        path="/",
    )


def clear_admin_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        admin_cookie(request),
        path="/",
        httponly=True,
        samesite="strict",
        secure=app_state(request).settings.is_production,
    )


def token_of(request: Request) -> str | None:
    return request.cookies.get(admin_cookie(request))


def signed_in(request: Request, page: str) -> Signed | Response:
    """The staff member for a page, or a redirect to sign in (with a route key), or 403."""
    signed = auth(request).session_for(token_of(request))
    if signed is None:
        return see_other(request, f"/staff/login?next={page}")
    if signed.user.role not in PAGE_ROLES[page]:
        return forbidden(request)
    return signed


def form_ok(request: Request, form: FormData, bound_to: str) -> bool:
    return form_accepted(
        request, app_state(request).settings.secret_key, bound_to, form.get("csrf")
    )


async def signed_post(request: Request, page: str) -> tuple[Signed, FormData] | Response:
    """A staff POST: the signed-in member and the form, or the response that refuses it."""
    signed = await run_in_threadpool(signed_in, request, page)
    if isinstance(signed, Response):
        return signed
    form = await request.form()
    if not form_ok(request, form, f"staff:{signed.token}"):
        return rejected(request)
    return signed, form


def staff_context(
    request: Request, signed: Signed | None, bound_to: str, **extra: Any
) -> dict[str, Any]:
    locale = get_locale()
    return {
        "lang": locale,
        "dir": text_direction(locale),
        "csrf": csrf_token(app_state(request).settings.secret_key, bound_to),
        "staff": {"name": signed.user.username, "role": signed.user.role} if signed else None,
        "nav": [
            {"key": key, "href": href}
            for key, href in STAFF_ROUTES.items()
            if signed is not None and signed.user.role in PAGE_ROLES[key]
        ],
        **extra,
    }


def forbidden(request: Request) -> Response:
    context = staff_context(
        request, None, LOGIN_PURPOSE, message=_("You cannot do this with your account.")
    )
    return app_state(request).renderer.page("staff/message.html", context, status=403)


def rejected(request: Request) -> Response:
    """A staff form that came from another site or with a stale token."""
    from app.web import messages

    context = staff_context(request, None, LOGIN_PURPOSE, message=messages.request_rejected())
    return app_state(request).renderer.page("staff/message.html", context, status=403)
