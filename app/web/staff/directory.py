"""Staff pages for the legal-aid directory: list and search, what is due for review, add, edit,
switch off, mark verified. The rules live in app.referrals.directory; this only shows them.

Handlers are plain `def`: FastAPI runs them in its thread pool, so the database never blocks
the event loop; the guards (async dependencies) run first, in the loop."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, NamedTuple, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from app.db import Database
from app.i18n import DEFAULT_LOCALE, LANGUAGES, language_tag, text_direction
from app.referrals import directory
from app.referrals.vocabulary import Cost, ProviderKind, VerificationMethod
from app.staff.audit import log_event
from app.staff.auth import Signed
from app.web.context import staff_page
from app.web.deps import CSRF, CheckedForm, DirectoryStaff, State
from app.web.responses import see_other
from app.web.staff.form_errors import (
    FieldError,
    directory_error,
    translation_errors,
    validation_errors,
)
from app.web.state import AppState

router = APIRouter(prefix="/staff/directory", include_in_schema=False, dependencies=[CSRF])
FLAGS = ("serves_detained", "detained_only", "accepts_collect_calls", "crim_imm_expertise")
METHODS = [
    m.value
    for m in VerificationMethod
    if m not in (VerificationMethod.third_party, VerificationMethod.sample)
]
T = TypeVar("T")
# The site's languages other than English: each can carry its own text for a service.
TRANSLATED_LOCALES = [code for code in LANGUAGES if code != DEFAULT_LOCALE]
TRANSLATED_FIELDS = ("name", "description", "hours", "language_note")


def _today() -> Any:
    return datetime.now(UTC).date()


@contextmanager
def _session(db: Database) -> Iterator[Session]:
    """The directory functions commit themselves: a plain session on the write engine."""
    with Session(db._write_engine, expire_on_commit=False) as session:
        yield session


def _run(db: Database, work: Callable[[Session], T]) -> T:
    with _session(db) as session:
        return work(session)


def _choices() -> dict[str, list[str]]:
    return {
        "costs": [c.value for c in Cost],
        "kinds": [k.value for k in ProviderKind],
        "methods": METHODS,
    }


def _page(
    request: Request, signed: Signed, template: str, status: int = 200, **extra: Any
) -> Response:
    return staff_page(request, signed, template, status, **_choices(), **extra)


def _errors(error: ValidationError | directory.DirectoryError) -> list[FieldError]:
    if isinstance(error, ValidationError):
        return validation_errors(error)
    return directory_error(error)


def _text(form: FormData, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


@router.get("")
def list_page(request: Request, state: State, signed: DirectoryStaff) -> Response:
    query = (request.query_params.get("q") or "")[:100] or None
    us_state = (request.query_params.get("state") or "").upper()[:2] or None
    rows, total = _run(
        state.db,
        lambda s: directory.list_services(
            s, today=_today(), query=query, state=us_state, limit=100
        ),
    )
    return _page(
        request,
        signed,
        "staff/directory.html",
        services=rows,
        total=total,
        query=query or "",
        state=us_state or "",
    )


@router.get("/due")
def due_page(request: Request, state: State, signed: DirectoryStaff) -> Response:
    items = _run(state.db, lambda s: directory.due_for_review(s, today=_today(), within_days=14))
    return _page(request, signed, "staff/directory_due.html", items=items)


@router.get("/new")
def new_form(request: Request, signed: DirectoryStaff) -> Response:
    return _page(request, signed, "staff/directory_new.html", values={}, errors=[])


@router.post("")
def create(request: Request, state: State, signed: DirectoryStaff, form: CheckedForm) -> Response:
    values = {key: str(value) for key, value in form.items() if key != "csrf"}
    try:
        phone, us_state = _text(form, "phone"), _text(form, "state")
        data = directory.ServiceInput(
            organization_name=_text(form, "organization_name"),
            name=_text(form, "name") or "",
            description=_text(form, "description") or "",
            url=_text(form, "url"),
            cost=_text(form, "cost") or Cost.unknown,
            provider_kind=_text(form, "provider_kind") or ProviderKind.nonprofit,
            languages=[c.strip() for c in (_text(form, "languages") or "").split(",") if c.strip()],
            areas=[{"scope": "state", "state": us_state}] if us_state else [{"scope": "national"}],
            phones=[{"number": phone}] if phone else [],
            source_name=_text(form, "source_name") or "",
            **{flag: form.get(flag) == "1" for flag in FLAGS},
        )
        service = _run(state.db, lambda s: directory.create_service(s, data, today=_today()))
    except (ValidationError, directory.DirectoryError) as error:
        return _page(
            request,
            signed,
            "staff/directory_new.html",
            status=422,
            values=values,
            errors=_errors(error),
        )
    log_event(state.db, signed.user.id, "directory_created", service.id)
    return see_other(request, f"/staff/directory/{service.id}")


def _service_view(service: Any) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "organization": service.organization.name,
        "description": service.description or "",
        "hours": service.hours or "",
        "language_note": service.language_note or "",
        "url": service.url or "",
        "status": service.status,
        "cost": service.cost,
        "provider_kind": service.provider_kind,
        "flags": {flag: bool(getattr(service, flag, False)) for flag in FLAGS},
        "verified_at": service.verified_at,
        "next_review_due": service.next_review_due,
        "phones": [p.number for p in service.phones],
        # Staff see where the record comes from; the public card never does.
        "source_name": service.source_name,
        "source_edition": service.source_edition or "",
        "source_url": service.source_url or "",
        "verification_note": service.verification_note or "",
        "translations": _translations_view(service),
    }


def _translations_view(service: Any) -> list[dict[str, Any]]:
    """One form per translated locale, with what is saved (empty fields show the English)."""
    saved = {t.locale: t for t in service.translations}
    return [
        {
            "locale": locale,
            "tag": language_tag(locale),  # for lang=: BCP 47 (zh-Hans), not the catalog's code
            "language": LANGUAGES[locale],
            "dir": text_direction(locale),
            "saved": {
                name: getattr(saved.get(locale), name, None) or "" for name in TRANSLATED_FIELDS
            },
        }
        for locale in TRANSLATED_LOCALES
    ]


@router.get("/{service_id}")
def edit_form(request: Request, state: State, signed: DirectoryStaff, service_id: str) -> Response:
    try:
        view = _run(state.db, lambda s: _service_view(directory.get_service(s, service_id)))
    except directory.DirectoryError:
        raise HTTPException(404) from None  # the 404 page
    return _page(request, signed, "staff/directory_edit.html", service=view, errors=[])


class Change(NamedTuple):
    """A staff member's checked POST that changes one service."""

    request: Request
    state: AppState
    signed: Signed
    form: FormData


async def _posted_change(
    request: Request, state: State, signed: DirectoryStaff, form: CheckedForm
) -> Change:
    return Change(request, state, signed, form)


PostedChange = Annotated[Change, Depends(_posted_change)]


def _change(
    change: Change,
    service_id: str,
    work: Callable[[Session, FormData, Signed], Any],
    event: str,
    errors_of: Callable[[ValidationError | directory.DirectoryError], list[FieldError]] = _errors,
) -> Response:
    request, state, signed, form = change
    try:
        _run(state.db, lambda s: work(s, form, signed))
    except directory.DirectoryError as error:
        if error.code == "not_found":
            raise HTTPException(404) from None  # the 404 page
        errors = errors_of(error)
    except ValidationError as error:
        errors = errors_of(error)
    else:
        log_event(state.db, signed.user.id, event, service_id)
        return see_other(request, f"/staff/directory/{service_id}")
    try:
        view = _run(state.db, lambda s: _service_view(directory.get_service(s, service_id)))
    except directory.DirectoryError:
        raise HTTPException(404) from None  # the 404 page
    return _page(
        request, signed, "staff/directory_edit.html", status=422, service=view, errors=errors
    )


@router.post("/{service_id}")
def update(change: PostedChange, service_id: str) -> Response:
    def work(session: Session, form: FormData, signed: Signed) -> Any:
        changes = directory.ServiceUpdate(
            name=_text(form, "name"),
            description=_text(form, "description"),
            hours=_text(form, "hours"),
            language_note=_text(form, "language_note"),
            url=_text(form, "url"),
            cost=_text(form, "cost"),
            provider_kind=_text(form, "provider_kind"),
            **{flag: form.get(flag) == "1" for flag in FLAGS},
        )
        return directory.update_service(session, service_id, changes)

    return _change(change, service_id, work, "directory_updated")


@router.post("/{service_id}/translations/{locale}")
def translate(change: PostedChange, service_id: str, locale: str) -> Response:
    """Save the service's text in one of the site's other languages; every save moves the
    directory's revision, so each process's copy (and the public card) has it at once."""

    def work(session: Session, form: FormData, signed: Signed) -> Any:
        text = directory.TranslationInput(
            **{name: _text(form, f"{locale}-{name}") for name in TRANSLATED_FIELDS}
        )
        return directory.translate_service(
            session, service_id, locale, text, locales=set(TRANSLATED_LOCALES)
        )

    def errors_of(error: ValidationError | directory.DirectoryError) -> list[FieldError]:
        if isinstance(error, ValidationError):
            return translation_errors(error, locale, LANGUAGES.get(locale, locale))
        return directory_error(error)

    return _change(change, service_id, work, "directory_translated", errors_of)


@router.post("/{service_id}/deactivate")
def deactivate(change: PostedChange, service_id: str) -> Response:
    return _change(
        change,
        service_id,
        lambda s, form, signed: directory.deactivate_service(s, service_id),
        "directory_deactivated",
    )


@router.post("/{service_id}/verify")
def verify(change: PostedChange, service_id: str) -> Response:
    def work(session: Session, form: FormData, signed: Signed) -> Any:
        method = str(form.get("method") or "")
        if method not in METHODS:
            raise directory.DirectoryError("no verification method", code="verification_method")
        return directory.mark_verified(
            session,
            service_id,
            verified_by=signed.user.username,
            method=VerificationMethod(method),
            on=_today(),
            note=_text(form, "note"),
        )

    return _change(change, service_id, work, "directory_verified")
