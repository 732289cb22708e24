"""Staff pages: statistics (and CSV), partners (share links, QR codes, flyers), content review,
the audit log. Every page needs a signed-in staff member with the right role."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app import i18n
from app.flow.vocabulary import Urgency
from app.i18n import LANGUAGES, texts
from app.i18n import gettext as _
from app.partners import admin as partners
from app.staff import audit, review
from app.staff.audit import log_event
from app.staff.auth import Signed
from app.stats import report as stats
from app.web.deps import app_state
from app.web.responses import see_other
from app.web.staff.deps import signed_in, signed_post, staff_context

router = APIRouter(prefix="/staff", include_in_schema=False)
SVG = "image/svg+xml"


def _today() -> Any:
    return datetime.now(UTC).date()


def _page(request: Request, signed: Signed, template: str, **extra: Any) -> Response:
    context = staff_context(request, signed, f"staff:{signed.token}", **extra)
    return app_state(request).renderer.page(template, context)


# --- statistics -----------------------------------------------------------------------------


def _value_labels(request: Request) -> dict[str, dict[str, str]]:
    state = app_state(request)
    start = state.engine.start
    return {
        "locale": dict(LANGUAGES),
        "partner": {**stats.partner_labels(state.db), "none": _("No partner")},
        "who": {o.value: texts.option_label(start, o.value, "you") for o in start.options}
        | {"unanswered": _("Not answered")},
        "urgency": {
            Urgency.act_now: _("Act now"),
            Urgency.important: _("Important"),
            Urgency.good_to_know: _("Good to know"),
            "none": _("No findings"),
        },
    }


def _tables(request: Request) -> list[stats.Table]:
    state = app_state(request)
    return stats.build_tables(stats.load_counts(state.db), _value_labels(request))


def _title(event: str, dimension: str) -> str:
    titles = {
        ("started", "locale"): _("Sessions started, by language"),
        ("started", "partner"): _("Sessions started, by partner code"),
        ("started", "who"): _("Sessions started, by who is asking"),
        ("finished", "locale"): _("Sessions finished, by language"),
        ("finished", "partner"): _("Sessions finished, by partner code"),
        ("finished", "who"): _("Sessions finished, by who is asking"),
        ("finished", "urgency"): _("Sessions finished, by most urgent finding"),
        ("dropoff", "step"): _("Where unfinished sessions stopped (counted when purged)"),
        ("finding", "code"): _("Findings reported"),
        ("referral", "need"): _("Referrals shown, by kind of help"),
    }
    return titles.get((event, dimension), f"{event} / {dimension}")


@router.get("/stats")
async def stats_page(request: Request) -> Response:
    signed = await run_in_threadpool(signed_in, request, "stats")
    if isinstance(signed, Response):
        return signed
    tables = await run_in_threadpool(_tables, request)
    view = [
        {
            "title": _title(t.event, t.dimension),
            "columns": [t.labels[c] for c in t.columns],
            "has_total": t.has_total,
            "rows": [
                {"week": week.isoformat(), "cells": cells, "total": total}
                for week, cells, total in t.rows
            ],
        }
        for t in tables
    ]
    return _page(request, signed, "staff/stats.html", tables=view)


@router.get("/stats.csv")
async def stats_csv(request: Request) -> Response:
    signed = await run_in_threadpool(signed_in, request, "stats")
    if isinstance(signed, Response):
        return signed
    tables = await run_in_threadpool(_tables, request)
    await run_in_threadpool(log_event, app_state(request).db, signed.user.id, "stats_exported")
    body = stats.to_csv(tables, "hidden")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="puente-statistics.csv"'},
    )


# --- partners -------------------------------------------------------------------------------


def _public_base_url(request: Request) -> str:
    """Share links and QR codes name the configured site, never the Host header a request
    carried (a client chooses it); PUBLIC_BASE_URL is required in production."""
    return app_state(request).settings.public_base_url or str(request.base_url)


def _partner_rows(request: Request) -> list[dict[str, Any]]:
    base = _public_base_url(request)
    return [
        {
            "id": p.id,
            "code": p.code,
            "name": p.name,
            "active": p.active,
            "language": LANGUAGES.get(p.locale or "", ""),
            "link": partners.share_link(base, p),
        }
        for p in partners.list_partners(app_state(request).db)
    ]


def _partner_error(code: str) -> str:
    errors = {
        "name": _("Give the organization's name."),
        "locale": _("Choose one of the languages."),
        "code": _("A code has 4 to 12 capital letters and digits."),
        "taken": _("That code is taken. Choose another, or leave it empty."),
    }
    return errors.get(code, errors["code"])


@router.get("/partners")
async def partners_page(request: Request) -> Response:
    signed = await run_in_threadpool(signed_in, request, "partners")
    if isinstance(signed, Response):
        return signed
    rows = await run_in_threadpool(_partner_rows, request)
    return _page(
        request, signed, "staff/partners.html", partners=rows, languages=list(LANGUAGES.items())
    )


@router.post("/partners")
async def create_partner(request: Request) -> Response:
    posted = await signed_post(request, "partners")
    if isinstance(posted, Response):
        return posted
    signed, form = posted
    try:
        await run_in_threadpool(
            partners.create_partner,
            app_state(request).db,
            signed.user.id,
            str(form.get("name") or ""),
            str(form.get("locale") or "") or None,
            str(form.get("code") or "") or None,
            _today(),
        )
    except partners.PartnerError as error:
        rows = await run_in_threadpool(_partner_rows, request)
        context = staff_context(
            request,
            signed,
            f"staff:{signed.token}",
            partners=rows,
            languages=list(LANGUAGES.items()),
            error=_partner_error(str(error)),
        )
        return app_state(request).renderer.page("staff/partners.html", context, status=422)
    return see_other(request, "/staff/partners")


@router.post("/partners/{partner_id}/active")
async def partner_active(request: Request, partner_id: int) -> Response:
    posted = await signed_post(request, "partners")
    if isinstance(posted, Response):
        return posted
    signed, form = posted
    await run_in_threadpool(
        partners.set_active,
        app_state(request).db,
        signed.user.id,
        partner_id,
        form.get("active") == "1",
    )
    return see_other(request, "/staff/partners")


def _partner_and_link(request: Request, partner_id: int) -> tuple[Any, str, str | None]:
    partner = partners.get_partner(app_state(request).db, partner_id)
    if partner is None:
        return None, "", None
    locale = i18n.supported(request.query_params.get("in")) or partner.locale
    return partner, partners.share_link(_public_base_url(request), partner, locale), locale


@router.get("/partners/{partner_id}/qr.svg")
async def partner_qr(request: Request, partner_id: int) -> Response:
    signed = await run_in_threadpool(signed_in, request, "partners")
    if isinstance(signed, Response):
        return signed
    partner, link, _locale = await run_in_threadpool(_partner_and_link, request, partner_id)
    if partner is None:
        return Response(status_code=404)
    return Response(partners.qr_svg(link), media_type=SVG)


@router.get("/partners/{partner_id}/flyer")
async def partner_flyer(request: Request, partner_id: int) -> Response:
    """A printable page in the link's language: what Puente is, the QR code, the link."""
    signed = await run_in_threadpool(signed_in, request, "partners")
    if isinstance(signed, Response):
        return signed
    partner, link, locale = await run_in_threadpool(_partner_and_link, request, partner_id)
    if partner is None:
        return Response(status_code=404)
    if locale:
        i18n.set_locale(locale)
    suffix = f"?in={locale}" if locale else ""
    return _page(
        request,
        signed,
        "staff/flyer.html",
        link=link,
        partner_name=partner.name,
        qr=f"/staff/partners/{partner.id}/qr.svg{suffix}",
    )


# --- content review -------------------------------------------------------------------------


@router.get("/review")
async def review_page(request: Request) -> Response:
    signed = await run_in_threadpool(signed_in, request, "review")
    if isinstance(signed, Response):
        return signed
    state = app_state(request)
    rows = await run_in_threadpool(review.overview, state.db, state.content)
    return _page(request, signed, "staff/review.html", items=rows)


@router.post("/review")
async def mark_reviewed(request: Request) -> Response:
    posted = await signed_post(request, "review")
    if isinstance(posted, Response):
        return posted
    signed, form = posted
    state = app_state(request)
    role = signed.user.title or signed.user.role
    await run_in_threadpool(
        review.mark_reviewed,
        state.db,
        state.content,
        str(form.get("item") or ""),
        signed.user.id,
        role,
        _today(),
    )
    return see_other(request, "/staff/review")


# --- audit log ------------------------------------------------------------------------------


@router.get("/audit")
async def audit_page(request: Request) -> Response:
    signed = await run_in_threadpool(signed_in, request, "audit")
    if isinstance(signed, Response):
        return signed
    events = await run_in_threadpool(audit.recent, app_state(request).db)
    return _page(request, signed, "staff/audit.html", events=events)
