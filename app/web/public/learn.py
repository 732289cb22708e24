"""The library (issue 15): plain-language articles at /learn and /learn/{slug}, its search at
/learn/search, a glossary and a rights card to print.

Reading an article stores nothing: no session is needed or made, and nothing records which
article anyone opened or what anyone searched for (issue 15, 5). The paths and the browser
title stay neutral (DESIGN.md Privacy), whatever the article is about. The search form posts,
as the "Find help" form does, so the words never sit in an address, a history entry or a log.
"""

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import i18n
from app.flow.articles import Article, article_messages
from app.i18n import gettext as _
from app.i18n import pgettext
from app.library.search import MAX_QUERY, search
from app.referrals.placeholders import fill
from app.web.context import page_context
from app.web.deps import CSRF, CheckedForm, State
from app.web.public import views
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])
TEMPLATES = {"article": "learn/article.html", "glossary": "learn/glossary.html"}
# The card's other side when the page itself is in English: the language most people here read.
CARD_BACK_FOR_ENGLISH = "es"


@router.get("/learn")
async def library(request: Request, state: State) -> Response:
    return state.renderer.page("learn/index.html", page_context(request, articles=_listed(state)))


def _listed(state: AppState) -> list[dict[str, str]]:
    return [
        {
            "href": f"/learn/{article.slug}",
            "title": pgettext(f"learn.{article.slug}.title", article.title),
            "summary": pgettext(f"learn.{article.slug}.summary", article.summary),
        }
        for article in state.articles.values()
    ]


@router.get("/learn/search")
async def search_form(request: Request, state: State) -> Response:
    return _search_page(request, state, query="")


@router.post("/learn/search")
async def search_results(request: Request, state: State, form: CheckedForm) -> Response:
    raw = form.get("q")
    query = raw.strip() if isinstance(raw, str) else ""
    if not query:
        return _search_page(request, state, query, error=_("Type a word to search for."))
    if len(query) > MAX_QUERY:
        error = _("Use fewer words: at most %(count)d letters.") % {"count": MAX_QUERY}
        return _search_page(request, state, query[:MAX_QUERY], error=error)
    hits = await run_in_threadpool(search, state.db, i18n.get_locale(), query)
    return _search_page(request, state, query, hits=hits, searched=True)


def _search_page(
    request: Request,
    state: AppState,
    query: str,
    *,
    error: str | None = None,
    hits: list[Any] | None = None,
    searched: bool = False,
) -> Response:
    errors = {"q": error} if error else {}
    context = page_context(
        request,
        query=query,
        errors=errors,
        error_list=views.error_list(errors),
        hits=hits or [],
        searched=searched,
        max_query=MAX_QUERY,
    )
    return state.renderer.page("learn/search.html", context, status=422 if error else 200)


@router.get("/learn/{slug}")
async def article_page(request: Request, state: State, slug: str) -> Response:
    article = state.articles.get(slug)
    if article is None:
        raise HTTPException(status_code=404)  # the translated not-found page (app/main.py)
    values = state.placeholder_values()
    view = _article_view(article, values)
    if article.layout != "card":
        return state.renderer.page(TEMPLATES[article.layout], page_context(request, article=view))
    back = _card_back(request)
    sides = [_card_side(article, values, "en"), _card_side(article, values, back)]
    others = [
        {"tag": i18n.language_tag(code), "name": name, "href": f"/learn/{slug}?lang=en&back={code}"}
        for code, name in i18n.LANGUAGES.items()
        if code not in ("en", back)
    ]
    context = page_context(request, article=view, sides=sides, other_backs=others)
    return state.renderer.page("learn/card.html", context)


def _card_back(request: Request) -> str:
    """The language of the card's second side: the page's, or for an English page the one
    asked for (`?back=`), else Spanish."""
    locale = i18n.get_locale()
    if locale != i18n.DEFAULT_LOCALE:
        return locale
    asked = request.query_params.get("back", "")
    wanted = asked in i18n.LANGUAGES and asked != i18n.DEFAULT_LOCALE
    return asked if wanted else CARD_BACK_FOR_ENGLISH


def _card_side(article: Article, values: Any, code: str) -> dict[str, Any]:
    """One side of the card, entirely in one language (content and template strings alike)."""
    token = i18n.use_locale(code)
    try:
        return {
            "lang": i18n.language_tag(code),
            "dir": i18n.text_direction(code),
            "language": i18n.LANGUAGES[code],
            "caption": _("Your rights"),
            **_article_view(article, values),
        }
    finally:
        i18n.reset_locale(token)


def _texts(article: Article) -> dict[str, str]:
    """Every string of the article in the page's language, by its context's last part."""
    base = f"learn.{article.slug}."
    return {
        context.removeprefix(base): pgettext(context, english)
        for context, english in article_messages(article)
    }


def _article_view(article: Article, values: Any) -> dict[str, Any]:
    texts = _texts(article)

    def filled(key: str) -> Any:
        return fill(texts[key], values)

    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "sections": [
            {
                "id": section.id,
                "heading": texts[f"{section.id}.heading"],
                "paragraphs": [
                    filled(f"{section.id}.p{i}") for i in range(len(section.paragraphs))
                ],
                "points": [filled(f"{section.id}.point{i}") for i in range(len(section.points))],
            }
            for section in article.sections
        ],
        "sources": list(article.sources),
        "draft": article.draft,
    }
