"""Staff pages for the immigration courts: the list (all, or those marked for checking), one
court with its source and check note, a correction form, and "mark verified" (issue 17).

The rules live in app/referrals/court_corrections.py; each change goes to the audit log with
the court's code and the fields changed (who and when are the log's own columns). Handlers are
plain `def`, as in app/web/staff/directory.py.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import Response

from app.i18n import gettext as _
from app.referrals.court_corrections import (
    CORRECTABLE,
    CourtError,
    correct_court,
    get_court,
    list_courts,
    mark_court_verified,
)
from app.staff.audit import log_event
from app.staff.auth import Signed
from app.web.context import staff_page
from app.web.deps import CSRF, CheckedForm, DirectoryStaff, State
from app.web.responses import see_other
from app.web.staff.form_errors import FieldError
from app.web.state import AppState

router = APIRouter(prefix="/staff/directory/courts", include_in_schema=False, dependencies=[CSRF])
T = TypeVar("T")


def _run(state: AppState, work: Callable[[Session], T]) -> T:
    with Session(state.db._write_engine, expire_on_commit=False) as session:
        return work(session)


def _labels() -> dict[str, str]:
    """The form's labels, also used to name a field in an error."""
    return {
        "address": _("Street address"),
        "city": _("City"),
        "state": _("State (two letters)"),
        "postal_code": _("ZIP code"),
        "postal_code_suffix": _("ZIP+4 (four digits, optional)"),
        "phone": _("Phone"),
        "check_note": _("Why it is marked for checking (empty it once checked)"),
    }


def _error(error: CourtError) -> FieldError:
    problems = {
        "too_long": _("it is too long."),
        "state": _("enter a state's two-letter code, like FL."),
        "postal_code": _("enter five digits, like 33194."),
        "postal_code_place": _("this ZIP code is not in the offline ZIP data for that state."),
        "postal_code_suffix": _("enter four digits, or leave it empty."),
        "phone": _("enter a U.S. phone number with its area code, like 312-555-0123."),
    }
    label = _labels().get(error.field or "", _("This form"))
    text = _("%(field)s: %(problem)s") % {
        "field": label,
        "problem": problems.get(error.code, _("check what you entered.")),
    }
    return FieldError(text, error.field)


def _today() -> Any:
    return datetime.now(UTC).date()


@router.get("")
def list_page(request: Request, state: State, signed: DirectoryStaff) -> Response:
    marked_only = request.query_params.get("marked") == "1"
    rows = _run(state, lambda s: list_courts(s, marked_only=marked_only))
    return staff_page(request, signed, "staff/courts.html", courts=rows, marked_only=marked_only)


def _court_view(session: Session, code: str) -> dict[str, Any]:
    court = get_court(session, code)
    return {
        "court": court,
        "fields": [
            {"name": name, "label": label, "value": getattr(court, name) or ""}
            for name, label in _labels().items()
        ],
        "maxlength": CORRECTABLE,
    }


def _court_page(
    request: Request,
    state: AppState,
    signed: Signed,
    code: str,
    errors: list[FieldError] | None = None,
    submitted: dict[str, str] | None = None,
) -> Response:
    try:
        view = _run(state, lambda s: _court_view(s, code))
    except CourtError:
        return Response(status_code=404)
    if submitted is not None:
        for item in view["fields"]:
            item["value"] = submitted.get(item["name"], "")
    status = 422 if errors else 200
    return staff_page(request, signed, "staff/court_edit.html", status, errors=errors or [], **view)


@router.get("/{code}")
def court_page(request: Request, state: State, signed: DirectoryStaff, code: str) -> Response:
    return _court_page(request, state, signed, code)


@router.post("/{code}")
def correct(
    request: Request, state: State, signed: DirectoryStaff, form: CheckedForm, code: str
) -> Response:
    submitted = {name: str(form.get(name) or "")[:2000] for name in CORRECTABLE}
    try:
        changed = _run(state, lambda s: correct_court(s, code, submitted))
    except CourtError as error:
        if error.code == "not_found":
            return Response(status_code=404)
        return _court_page(request, state, signed, code, [_error(error)], submitted)
    if changed:
        log_event(
            state.db, signed.user.id, "court_corrected", f"{code.upper()}: {', '.join(changed)}"
        )
    return see_other(request, f"/staff/directory/courts/{code.upper()}")


@router.post("/{code}/verify")
def verify(request: Request, state: State, signed: DirectoryStaff, code: str) -> Response:
    try:
        _run(
            state,
            lambda s: mark_court_verified(s, code, verified_by=signed.user.username, on=_today()),
        )
    except CourtError as error:
        if error.code == "not_found":
            return Response(status_code=404)
        return _court_page(request, state, signed, code, [_error(error)])
    log_event(state.db, signed.user.id, "court_verified", code.upper())
    return see_other(request, f"/staff/directory/courts/{code.upper()}")
