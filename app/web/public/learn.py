"""The library (issue 15): plain-language articles at /learn and /learn/{slug}.

Reading an article stores nothing: no session is needed or made, and nothing records which
article anyone opened (issue 15, 5). The paths and the browser title stay neutral
(DESIGN.md Privacy), whatever the article is about.
"""

from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.flow.articles import Article, article_messages
from app.i18n import pgettext
from app.referrals.placeholders import fill
from app.web.context import page_context
from app.web.deps import CSRF, State

router = APIRouter(dependencies=[CSRF])


@router.get("/learn")
async def library(request: Request, state: State) -> Response:
    listed = [
        {
            "href": f"/learn/{article.slug}",
            "title": pgettext(f"learn.{article.slug}.title", article.title),
            "summary": pgettext(f"learn.{article.slug}.summary", article.summary),
        }
        for article in state.articles.values()
    ]
    return state.renderer.page("learn/index.html", page_context(request, articles=listed))


@router.get("/learn/{slug}")
async def article_page(request: Request, state: State, slug: str) -> Response:
    article = state.articles.get(slug)
    if article is None:
        raise HTTPException(status_code=404)  # the translated not-found page (app/main.py)
    view = _article_view(article, state.placeholder_values())
    return state.renderer.page("learn/article.html", page_context(request, article=view))


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
