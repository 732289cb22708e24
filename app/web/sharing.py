"""Sharing the site: its address, a link in a language (with a partner's code, for staff), QR
codes and the flyer's sides. One place for the public "Share Puente" page and the staff partners'
pages, so a link, a QR code and a flyer are made one way.

The QR code is drawn here (segno), never by a web service.
"""

import io
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from app import i18n
from app.web.state import AppState

SVG = "image/svg+xml"


def public_base_url(request: Request, state: AppState) -> str:
    """Share links and QR codes name the configured site, never the Host header a request
    carried (a client chooses it: F21); PUBLIC_BASE_URL is required in production."""
    return state.settings.public_base_url or str(request.base_url)


def site_link(base_url: str, locale: str | None = None, partner_code: str | None = None) -> str:
    """The start page's address, opening in `locale`; a partner's code first when given."""
    params = {"p": partner_code} if partner_code else {}
    if locale:
        params["lang"] = locale
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url.rstrip('/')}/{query}"


def qr_svg(link: str) -> bytes:
    # Imported when a QR code is first drawn: most workers never draw one.
    import segno

    buffer = io.BytesIO()
    segno.make(link, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True, title=None
    )
    return buffer.getvalue()


def flyer_side(state: AppState, locale: str, link: str, qr: str, **extra: Any) -> dict[str, Any]:
    """One side of a flyer rendered entirely in `locale`, whatever the page's language."""
    token = i18n.use_locale(locale)
    try:
        html = state.renderer.fragment("components/_flyer.html", {"link": link, "qr": qr, **extra})
    finally:
        i18n.reset_locale(token)
    return {"lang": i18n.language_tag(locale), "dir": i18n.text_direction(locale), "html": html}
