"""Staff pages: statistics (and CSV), partners (share links, QR codes, flyers), content review,
the audit log. Every page needs a signed-in staff member with the right role.

Handlers are plain `def`: FastAPI runs them in its thread pool, so their database work never
blocks the event loop; the guards (async dependencies) run first, in the loop."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from app import i18n
from app.flow import texts
from app.flow.vocabulary import Urgency
from app.i18n import LANGUAGES
from app.i18n import gettext as _
from app.partners import admin as partners
from app.partners.models import Partner
from app.staff import audit, review
from app.staff.audit import log_event
from app.stats import report as stats
from app.web import sharing
from app.web.context import staff_page
from app.web.deps import (
    CSRF,
    AuditStaff,
    CheckedForm,
    PartnersStaff,
    ReviewStaff,
    State,
    StatsStaff,
)
from app.web.responses import see_other
from app.web.state import AppState

router = APIRouter(prefix="/staff", include_in_schema=False, dependencies=[CSRF])


def _today() -> Any:
    return datetime.now(UTC).date()


# --- statistics -----------------------------------------------------------------------------


def _value_labels(state: AppState) -> dict[str, dict[str, str]]:
    start = state.engine.start
    return {
        "locale": dict(LANGUAGES),
        "partner": {**stats.partner_labels(state.db), "none": _("No partner")},
        "who": {o.value: texts.label(start, o, "you") for o in start.options}
        | {"unanswered": _("Not answered")},
        "urgency": {
            Urgency.act_now: _("Act now"),
            Urgency.important: _("Important"),
            Urgency.good_to_know: _("Good to know"),
            "none": _("No findings"),
        },
    }


def _tables(state: AppState) -> list[stats.Table]:
    today = datetime.now(UTC).date()
    return stats.build_tables(stats.load_counts(state.db, today), _value_labels(state))


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
def stats_page(request: Request, state: State, signed: StatsStaff) -> Response:
    tables = _tables(state)
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
    delay = stats.PUBLISH_AFTER_DAYS
    return staff_page(request, signed, "staff/stats.html", tables=view, publish_after_days=delay)


@router.get("/stats.csv")
def stats_csv(state: State, signed: StatsStaff) -> Response:
    tables = _tables(state)
    log_event(state.db, signed.user.id, "stats_exported")
    body = stats.to_csv(tables, "hidden")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="puente-statistics.csv"'},
    )


# --- partners -------------------------------------------------------------------------------


def _partner_rows(request: Request, state: AppState) -> list[dict[str, Any]]:
    base = sharing.public_base_url(request, state)
    return [
        {
            "id": p.id,
            "code": p.code,
            "name": p.name,
            "active": p.active,
            "language": LANGUAGES.get(p.locale or "", ""),
            "link": sharing.site_link(base, p.locale, p.code),
        }
        for p in partners.list_partners(state.db)
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
def partners_page(request: Request, state: State, signed: PartnersStaff) -> Response:
    rows = _partner_rows(request, state)
    return staff_page(
        request, signed, "staff/partners.html", partners=rows, languages=list(LANGUAGES.items())
    )


@router.post("/partners")
def create_partner(
    request: Request, state: State, signed: PartnersStaff, form: CheckedForm
) -> Response:
    try:
        partners.create_partner(
            state.db,
            signed.user.id,
            str(form.get("name") or ""),
            str(form.get("locale") or "") or None,
            str(form.get("code") or "") or None,
            _today(),
        )
    except partners.PartnerError as error:
        rows = _partner_rows(request, state)
        return staff_page(
            request,
            signed,
            "staff/partners.html",
            status=422,
            partners=rows,
            languages=list(LANGUAGES.items()),
            error=_partner_error(str(error)),
        )
    return see_other(request, "/staff/partners")


@router.post("/partners/{partner_id:id}/active")
def partner_active(
    request: Request, state: State, signed: PartnersStaff, form: CheckedForm, partner_id: int
) -> Response:
    partners.set_active(
        state.db,
        signed.user.id,
        partner_id,
        form.get("active") == "1",
    )
    return see_other(request, "/staff/partners")


class SharedPartner(NamedTuple):
    partner: Partner
    link: str
    locale: str | None


def _shared_partner(request: Request, state: State, partner_id: int) -> SharedPartner:
    """The partner of the path and its share link (in ?in= language), or the 404 page. A plain
    `def`: FastAPI runs it in its thread pool, like the handlers."""
    partner = partners.get_partner(state.db, partner_id)
    if partner is None:
        raise HTTPException(404)
    locale = i18n.supported(request.query_params.get("in")) or partner.locale
    link = sharing.site_link(sharing.public_base_url(request, state), locale, partner.code)
    return SharedPartner(partner, link, locale)


Shared = Annotated[SharedPartner, Depends(_shared_partner)]


@router.get("/partners/{partner_id:id}/qr.svg")
def partner_qr(_signed: PartnersStaff, shared: Shared) -> Response:
    return Response(sharing.qr_svg(shared.link), media_type=sharing.SVG)


@router.get("/partners/{partner_id:id}/flyer")
def partner_flyer(request: Request, signed: PartnersStaff, shared: Shared) -> Response:
    """A printable page in the link's language: what Puente is, the QR code, the link."""
    if shared.locale:
        i18n.set_locale(shared.locale)
    suffix = f"?in={shared.locale}" if shared.locale else ""
    return staff_page(
        request,
        signed,
        "staff/flyer.html",
        link=shared.link,
        partner_name=shared.partner.name,
        qr=f"/staff/partners/{shared.partner.id}/qr.svg{suffix}",
    )


# --- content review -------------------------------------------------------------------------


@router.get("/review")
def review_page(request: Request, state: State, signed: ReviewStaff) -> Response:
    rows = review.overview(state.db, state.content)
    languages = review.translations(state.settings.locales_dir)
    return staff_page(request, signed, "staff/review.html", items=rows, translations=languages)


@router.post("/review")
def mark_reviewed(
    request: Request, state: State, signed: ReviewStaff, form: CheckedForm
) -> Response:
    role = signed.user.title or signed.user.role
    staff_id = signed.user.id
    assert staff_id is not None  # a signed-in user was read from the database
    review.mark_reviewed(
        state.db,
        state.content,
        str(form.get("item") or ""),
        staff_id,
        role,
        _today(),
    )
    return see_other(request, "/staff/review")


# --- audit log ------------------------------------------------------------------------------


_EVENT_ID = re.compile(r"[1-9][0-9]{0,8}")  # fits the 32-bit id column (like RowId)


@router.get("/audit")
def audit_page(request: Request, state: State, signed: AuditStaff) -> Response:
    """The whole log, newest first, 100 a page (F9); `?before=<event id>` pages back."""
    before = request.query_params.get("before")
    if before is not None and not _EVENT_ID.fullmatch(before):
        raise HTTPException(404)
    shown = audit.page(state.db, int(before) if before else None)
    return staff_page(
        request,
        signed,
        "staff/audit.html",
        events=shown.events,
        older=f"/staff/audit?before={shown.older}" if shown.older else None,
        newest="/staff/audit" if before else None,
    )
