"""What the staff pages share besides their guards (app.web.deps): the admin cookie, the route
keys of ?next=, and the context every staff page renders with."""

from typing import Any

from fastapi import Request
from starlette.responses import Response

from app.i18n import get_locale, text_direction
from app.staff.auth import Signed
from app.state import AppState
from app.web.deps import PAGE_ROLES, admin_cookie, app_state, csrf_for

# Route keys for ?next= (security.md R5.4): never a URL.
STAFF_ROUTES = {
    "stats": "/staff/stats",
    "partners": "/staff/partners",
    "review": "/staff/review",
    "audit": "/staff/audit",
    "directory": "/staff/directory",
}


def set_admin_cookie(state: AppState, response: Response, token: str) -> None:
    # Strict, HttpOnly, no Max-Age: gone with the browser; the server also times it out.
    response.set_cookie(
        admin_cookie(state),
        token,
        httponly=True,
        samesite="strict",
        secure=state.settings.is_production,
        path="/",
    )


def clear_admin_cookie(state: AppState, response: Response) -> None:
    response.delete_cookie(
        admin_cookie(state),
        path="/",
        httponly=True,
        samesite="strict",
        secure=state.settings.is_production,
    )


def staff_context(request: Request, signed: Signed | None, **extra: Any) -> dict[str, Any]:
    locale = get_locale()
    return {
        "lang": locale,
        "dir": text_direction(locale),
        "csrf": csrf_for(request),
        "staff": {"name": signed.user.username, "role": signed.user.role} if signed else None,
        "nav": [
            {"key": key, "href": href}
            for key, href in STAFF_ROUTES.items()
            if signed is not None and signed.user.role in PAGE_ROLES[key]
        ],
        **extra,
    }


def staff_page(
    request: Request, signed: Signed, template: str, status: int = 200, **extra: Any
) -> Response:
    """A staff page for the signed-in member."""
    context = staff_context(request, signed, **extra)
    return app_state(request).renderer.page(template, context, status=status)
