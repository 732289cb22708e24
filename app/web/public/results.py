"""The result page at /q/result, the answers behind it at /q/answers, and its printable
version, side by side with English."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app import i18n
from app.flow.engine import Position
from app.flow.vocabulary import Urgency
from app.legal.facts import Facts
from app.results import Result
from app.web.context import page_context
from app.web.deps import CSRF, FinishedPosition, State
from app.web.public import result_view, views
from app.web.state import AppState

router = APIRouter(dependencies=[CSRF])


def _view(state: AppState, position: Position, printable: bool = False) -> dict[str, Any]:
    result: Result = state.result(position)
    today = state.store.today()
    notice = result.sections.get("notice", {})
    if not result.has_draft_text and isinstance(notice, dict):
        notice = {
            **notice,
            "items": [i for i in notice.get("items", []) if i.get("id") != "not_reviewed"],
        }
    act_now_findings = result.by_urgency(Urgency.act_now)
    act_now = result.sections.get("act_now")
    has_act_now = bool(act_now_findings) or (isinstance(act_now, dict) and bool(act_now["items"]))
    shown_sections = result_view.detail_sections(result.sections)
    on_result, own_pages = result_view.split_sections(shown_sections)
    held_now = Facts.from_answers(position.values, today).held_now
    return {
        "summary": result_view.summary(result, held_now),
        "jump_links": []
        if printable
        else result_view.jump_links(result, shown_sections, has_act_now),
        "act_now_findings": act_now_findings,
        "other_findings": [f for u in list(Urgency)[1:] for f in result.by_urgency(u)],
        "sections": result.sections,
        "detail_sections": shown_sections if printable else on_result,
        "more_sections": [] if printable else result_view.more_links(result, own_pages),
        "notice": notice,
        "referrals": result.referrals,
        "court": result.court,
        "section_links": section_links(state),
        "locale_name": i18n.LANGUAGES[i18n.get_locale()],
        "learn_links": learn_links(state),
        "printable": printable,
        # Each printable column is a whole result: its ids carry its language, so the two
        # columns never share an id (or a landmark's name).
        "idp": f"{i18n.get_locale()}-" if printable else "",
        "basis": result_view.basis(result.findings, position, today, views.transcript(position))
        if printable
        else {},
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


@router.get("/q/answers")
async def answers(request: Request, state: State, position: FinishedPosition) -> Response:
    """The answers of a finished questionnaire, each with its change form: a page of its own,
    linked from the result's summary and the printable, so the result fits its 14 KB budget."""
    context = page_context(request, transcript=views.transcript(position))
    return state.renderer.page("answers.html", context)


@router.get("/q/result/print")
async def printable(request: Request, state: State, position: FinishedPosition) -> Response:
    """The result in the person's language and, beside it, in English for the lawyer, with
    the answers behind each finding, the date and the site's address (P17)."""
    locales = [i18n.get_locale()]
    if locales[0] != i18n.DEFAULT_LOCALE and request.query_params.get("english") != "no":
        locales.append(i18n.DEFAULT_LOCALE)
    columns = [await run_in_threadpool(_column, state, position, code) for code in locales]
    context = page_context(
        request,
        columns=columns,
        side_by_side=len(columns) > 1,
        printed_on=i18n.format_date(state.store.today()),
        site_address=_site_address(request, state),
    )
    return state.renderer.page("result_print.html", context)


def _site_address(request: Request, state: AppState) -> str:
    """The public address (PUBLIC_BASE_URL), else this request's own, as README says."""
    configured = state.settings.public_base_url
    return str(configured) if configured else str(request.base_url).rstrip("/")


def _column(state: AppState, position: Position, code: str) -> dict[str, Any]:
    """The result rendered entirely in one language (content and template strings alike)."""
    token = i18n.use_locale(code)
    try:
        view = _view(state, position, printable=True)
        html = state.renderer.fragment("components/_result_body.html", view)
    finally:
        i18n.reset_locale(token)
    return {"lang": i18n.language_tag(code), "dir": i18n.text_direction(code), "html": html}


@router.get("/q/result/{name}")
async def result_section(
    request: Request, state: State, position: FinishedPosition, name: str
) -> Response:
    """One of the result's general sections (family, outreach, rights, documents) as a page of
    its own, linked from the result; a section this result does not show is not found.
    Declared last: it would otherwise shadow /q/result/print."""
    if name not in result_view.OWN_PAGE_SECTIONS:
        raise HTTPException(status_code=404)
    sections = (await state.read(state.result, position)).sections
    _, own_pages = result_view.split_sections(result_view.detail_sections(sections))
    if name not in own_pages:
        raise HTTPException(status_code=404)
    article = section_links(state).get(name)
    # The title stays neutral, as every title does (docs/decisions.md: history outlives Exit):
    # "Your result, part 3", never "Helping someone who is held". The result is part 1.
    part = own_pages.index(name) + 2
    context = page_context(request, name=name, section=sections[name], article=article, part=part)
    return state.renderer.page("result_section.html", context)
