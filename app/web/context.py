"""What pages render with and the cookies they set: the respondents' page context and cookies,
the staff pages' context, the admin cookie and the route keys of ?next=. Guards are in
app.web.deps."""

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import Response

from app.i18n import (
    DEFAULT_LOCALE,
    LANGUAGES,
    get_locale,
    language_tag,
    legal_text_unchecked,
    text_direction,
)
from app.staff.auth import Signed
from app.web.deps import LANG_COOKIE, PAGE_ROLES, admin_cookie, app_state, csrf_for
from app.web.security import this_page
from app.web.state import AppState

# Route keys for ?next= (security.md R5.4): never a URL.
STAFF_ROUTES = {
    "stats": "/staff/stats",
    "partners": "/staff/partners",
    "review": "/staff/review",
    "audit": "/staff/audit",
    "directory": "/staff/directory",
}


SameSite = Literal["lax", "strict"]

# Each catalog's code, its language tag for lang and hreflang (pt_BR: pt-BR), and its name.
_LANGUAGE_TAGS = tuple((code, language_tag(code), name) for code, name in LANGUAGES.items())


def _set_cookie(
    state: AppState, response: Response, name: str, value: str, samesite: SameSite
) -> None:
    # HttpOnly and no Max-Age or Expires: a browser-session cookie that never outlives the
    # browser (DESIGN.md, Privacy); Secure wherever the site runs on HTTPS.
    response.set_cookie(
        name, value, httponly=True, samesite=samesite, secure=state.settings.is_production, path="/"
    )


def _clear_cookie(state: AppState, response: Response, name: str, samesite: SameSite) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite=samesite, secure=state.settings.is_production
    )


def set_admin_cookie(state: AppState, response: Response, token: str) -> None:
    # Strict: never sent from another site; the server also times the session out.
    _set_cookie(state, response, admin_cookie(state), token, "strict")


def clear_admin_cookie(state: AppState, response: Response) -> None:
    _clear_cookie(state, response, admin_cookie(state), "strict")


def staff_context(request: Request, signed: Signed | None, **extra: Any) -> dict[str, Any]:
    locale = get_locale()
    return {
        "lang": language_tag(locale),
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


# --- respondent cookies and page context ----------------------------------------------------


def set_respondent_cookie(state: AppState, response: Response, session_id: str) -> None:
    _set_cookie(state, response, state.respondent_cookie, session_id, "lax")


def clear_respondent_cookie(state: AppState, response: Response) -> None:
    _clear_cookie(state, response, state.respondent_cookie, "lax")
    _clear_cookie(state, response, state.exit_cookie, "strict")


def set_lang_cookie(state: AppState, response: Response, locale: str) -> None:
    _set_cookie(state, response, LANG_COOKIE, locale, "lax")


def clear_lang_cookie(state: AppState, response: Response) -> None:
    _clear_cookie(state, response, LANG_COOKIE, "lax")


def fragment_context(request: Request, **extra: Any) -> dict[str, Any]:
    """What the blocks of an htmx step read beside their own values: the form token. A
    fragment has no page around it, so none of base.html's values are built for it."""
    return {"csrf": csrf_for(request), **extra}


def page_context(
    request: Request, keep: Mapping[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    """What base.html needs on every page, plus the page's own values. `keep`: query parameters
    the language links carry, so switching language shows the same thing (the flyer's ?with=)."""
    locale = get_locale()
    here = this_page(request)
    # The kept parameters encoded once, not once per language: every page and answer fragment
    # builds these thirteen links (docs/benchmarks.md). Catalog codes need no encoding.
    query = f"{here}?{urlencode(keep)}&lang=" if keep else f"{here}?lang="
    languages = [
        {
            "code": code,
            "tag": tag,
            "name": name,
            "current": code == locale,
            "href": query + code,
        }
        for code, tag, name in _LANGUAGE_TAGS
    ]
    return {
        "lang": language_tag(locale),
        "dir": text_direction(locale),
        "languages": languages,
        # The switcher's closed label: the page's language, in its own name.
        "current_language": next((item for item in languages if item["current"]), languages[0]),
        # Legal text no legal professional has checked in this language: base.html says so,
        # linking to the same page in English.
        "translation_note": {"english_href": f"{here}?lang={DEFAULT_LOCALE}"}
        if legal_text_unchecked(locale)
        else None,
        "csrf": csrf_for(request),
        **extra,
    }
