"""The result page at /q/result and its printable version, side by side with English."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app import i18n
from app.flow.engine import Position
from app.flow.vocabulary import Urgency
from app.results import Result
from app.web.context import page_context
from app.web.deps import CSRF, FinishedPosition, State
from app.web.public import views
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])


def _view(state: AppState, position: Position) -> dict[str, Any]:
    result: Result = state.result(position)
    notice = result.sections.get("notice", {})
    if not result.has_draft_text and isinstance(notice, dict):
        notice = {
            **notice,
            "items": [i for i in notice.get("items", []) if i.get("id") != "not_reviewed"],
        }
    return {
        "act_now_findings": result.by_urgency(Urgency.act_now),
        "other_findings": [f for u in list(Urgency)[1:] for f in result.by_urgency(u)],
        "sections": result.sections,
        "notice": notice,
        "referrals": result.referrals,
        "court": result.court,
        "transcript": views.transcript(position),
        "locale_name": i18n.LANGUAGES[i18n.get_locale()],
        "learn_links": learn_links(state),
        "section_links": section_links(state),
    }


def learn_links(state: AppState) -> dict[str, dict[str, str]]:
    """Finding code -> the library article that explains it (issue 15: links both ways)."""
    return {
        code: {
            "href": f"/learn/{article.slug}",
            "title": i18n.pgettext(f"learn.{article.slug}.title", article.title),
        }
        for article in state.articles.values()
        for code in article.explains
    }


def section_links(state: AppState) -> dict[str, dict[str, str]]:
    """Result page section (its page file's name) -> the library article that explains it."""
    return {
        name: {
            "href": f"/learn/{article.slug}",
            "title": i18n.pgettext(f"learn.{article.slug}.title", article.title),
        }
        for article in state.articles.values()
        for name in article.explains_sections
    }


@router.get("/q/result")
async def result_page(request: Request, state: State, position: FinishedPosition) -> Response:
    view = await state.read(_view, state, position)
    return state.renderer.page("result.html", page_context(request, **view))


@router.get("/q/result/print")
async def printable(request: Request, state: State, position: FinishedPosition) -> Response:
    """The result in the person's language and, beside it, in English for the lawyer."""
    locales = [i18n.get_locale()]
    if locales[0] != i18n.DEFAULT_LOCALE and request.query_params.get("english") != "no":
        locales.append(i18n.DEFAULT_LOCALE)
    columns = [await run_in_threadpool(_column, state, position, code) for code in locales]
    context = page_context(request, columns=columns, side_by_side=len(columns) > 1)
    return state.renderer.page("result_print.html", context)


def _column(state: AppState, position: Position, code: str) -> dict[str, Any]:
    """The result rendered entirely in one language (content and template strings alike)."""
    token = i18n.use_locale(code)
    try:
        html = state.renderer.fragment("components/_result_body.html", _view(state, position))
    finally:
        i18n.reset_locale(token)
    return {"lang": code, "dir": i18n.text_direction(code), "html": html}
