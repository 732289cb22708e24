""" "Share Puente" at /share: the site's link in each language, a QR code for each, and a two-sided
printable flyer (English on one side, a language chosen on the page on the other) that anyone can
print, without a login (P10). Partner codes stay in the staff area; these links carry none.

Every address comes from PUBLIC_BASE_URL, never from the Host header (F21): a flyer printed from
a forged request would send people elsewhere."""

from functools import lru_cache

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from app import i18n
from app.i18n import LANGUAGES
from app.web import sharing
from app.web.context import page_context
from app.web.deps import CSRF, State
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
ENGLISH = i18n.DEFAULT_LOCALE


def _qr_url(code: str) -> str:
    return f"/share/qr/{code}.svg"


def _link(request: Request, state: AppState, code: str) -> str:
    return sharing.site_link(sharing.public_base_url(request, state), code)


@lru_cache(maxsize=2 * len(LANGUAGES))
def _site_qr(link: str) -> bytes:
    # A handful of links (one per language and base URL): drawn once per worker, not per request.
    return sharing.qr_svg(link)


@router.get("/share")
async def share_page(request: Request, state: State) -> Response:
    languages = [
        {
            "code": code,
            "tag": i18n.language_tag(code),  # lang and hreflang take BCP 47 (zh-Hans, not zh_Hans)
            "name": name,
            "link": _link(request, state, code),
            "qr": _qr_url(code),
        }
        for code, name in LANGUAGES.items()
    ]
    flyers = [
        {"tag": i18n.language_tag(code), "name": name, "href": f"/share/flyer?with={code}"}
        for code, name in LANGUAGES.items()
        if code != ENGLISH
    ]
    context = page_context(request, share_languages=languages, flyers=flyers)
    return state.renderer.page("share/index.html", context)


@router.get("/share/qr/{code}.svg")
def share_qr(request: Request, state: State, code: str) -> Response:
    if code not in LANGUAGES:
        raise HTTPException(404)
    return Response(_site_qr(_link(request, state, code)), media_type=sharing.SVG)


@router.get("/share/flyer")
async def share_flyer(request: Request, state: State) -> Response:
    """English on the front; on the back the language of ?with=, else the page's own (Spanish
    when the page is in English)."""
    chosen = i18n.supported(request.query_params.get("with"))
    page = i18n.get_locale()
    other = chosen if chosen and chosen != ENGLISH else (page if page != ENGLISH else "es")
    sides = [
        sharing.flyer_side(state, code, _link(request, state, code), _qr_url(code), level=2)
        for code in (ENGLISH, other)
    ]
    # The language links keep the back side: switching language changes the page, not the flyer.
    context = page_context(
        request,
        keep={"with": other},
        sides=sides,
        other={"tag": i18n.language_tag(other), "name": LANGUAGES[other]},
    )
    return state.renderer.page("share/flyer.html", context)
