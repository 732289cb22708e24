"""Service-layer functions for the staff pages: list, search, create, update, deactivate,
mark verified, and what is due for review. No web code: the admin pages (built later, behind
the admin login) call these and show `pydantic.ValidationError` messages next to the fields.

Staff input is validated with the same field types as an HSDS import (`hsds_models`), so a
record a person types can always be exported and imported again.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from app.db import relation
from app.referrals.hsds.models import (
    Email,
    LanguageCode,
    Latitude,
    Longitude,
    ShortText,
    StateCode,
    Url,
    UsPhone,
)
from app.referrals.models import (
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    TaxonomyTerm,
)
from app.referrals.vocabulary import (
    Cost,
    ProviderKind,
    Scope,
    ServiceStatus,
    VerificationMethod,
)

REVIEW_INTERVAL = timedelta(days=180)  # a person re-checks every 6 months (One Degree's rule)


class DirectoryError(LookupError):
    """A record that does not exist (code `not_found`: show 404), or a rule the input breaks.

    The message is for logs and developers; `code` is what the staff pages explain, in the
    staff member's language (app/web/staff/form_errors.py).
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def new_id() -> str:
    return str(uuid.uuid4())


# ---- inputs


class AreaInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Scope
    state: StateCode | None = None
    county: str | None = Field(default=None, max_length=100)
    zip: str | None = Field(default=None, pattern=r"^\d{5}$")
    radius_miles: float | None = Field(default=None, gt=0, le=1000)
    name: str | None = Field(default=None, max_length=300)


class PhoneInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: UsPhone
    description: str | None = Field(default=None, max_length=1000)


class OfficeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address_1: ShortText
    city: ShortText
    state: StateCode
    postal_code: str = Field(pattern=r"^\d{5}$")
    latitude: Latitude
    longitude: Longitude


class ServiceInput(BaseModel):
    """What the staff form sends to create a service (and, all optional, to update one)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_id: str | None = None  # an existing organization, or:
    organization_name: ShortText | None = None  # a new one
    organization_website: Url | None = None
    name: ShortText
    description: str = Field(min_length=1, max_length=5000)
    url: Url | None = None
    email: Email | None = None
    interpretation_services: str | None = Field(default=None, max_length=2000)
    eligibility_description: str | None = Field(default=None, max_length=5000)
    fees_description: str | None = Field(default=None, max_length=2000)
    serves_detained: bool = False
    detained_only: bool = False
    accepts_collect_calls: bool = False
    crim_imm_expertise: bool = False
    cost: Cost = Cost.unknown
    accepting_new_clients: bool | None = None
    provider_kind: ProviderKind = ProviderKind.nonprofit
    curated: bool = False
    languages: list[LanguageCode] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)  # taxonomy term codes, e.g. puente:bond
    areas: list[AreaInput] = Field(default_factory=list)
    phones: list[PhoneInput] = Field(default_factory=list)
    office: OfficeInput | None = None
    source_name: ShortText
    source_url: Url | None = None
    source_edition: str | None = Field(default=None, max_length=100)


class ServiceUpdate(BaseModel):
    """Fields to change; what is left out stays as it is. Lists replace the old ones."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ShortText | None = None
    description: str | None = Field(default=None, min_length=1, max_length=5000)
    url: Url | None = None
    email: Email | None = None
    interpretation_services: str | None = Field(default=None, max_length=2000)
    eligibility_description: str | None = Field(default=None, max_length=5000)
    fees_description: str | None = Field(default=None, max_length=2000)
    hours: str | None = Field(default=None, max_length=500)
    language_note: str | None = Field(default=None, max_length=500)
    serves_detained: bool | None = None
    detained_only: bool | None = None
    accepts_collect_calls: bool | None = None
    crim_imm_expertise: bool | None = None
    cost: Cost | None = None
    accepting_new_clients: bool | None = None
    provider_kind: ProviderKind | None = None
    curated: bool | None = None
    status: ServiceStatus | None = None
    languages: list[LanguageCode] | None = None
    terms: list[str] | None = None
    areas: list[AreaInput] | None = None
    phones: list[PhoneInput] | None = None
    source_name: ShortText | None = None
    source_url: Url | None = None


class TranslationInput(BaseModel):
    """A service's public text in one locale; an empty field is shown in English instead."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    hours: str | None = Field(default=None, max_length=500)
    language_note: str | None = Field(default=None, max_length=500)

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())


# ---- outputs


class ServiceSummary(BaseModel):
    """One row of the staff list."""

    id: str
    name: str
    organization_name: str
    status: str
    is_sample: bool
    states: list[str]
    verified_at: date | None
    next_review_due: date | None
    overdue: bool


class ReviewItem(BaseModel):
    """A service, or one of its phone numbers, whose review date has come (or never was set)."""

    service_id: str
    service_name: str
    what: Literal["service", "phone"]
    phone_id: str | None = None
    phone_number: str | None = None
    next_review_due: date | None
    verified_at: date | None


# ---- reading


def _summary(service: Service, today: date) -> ServiceSummary:
    due = service.next_review_due
    return ServiceSummary(
        id=service.id,
        name=service.name,
        organization_name=service.organization.name,
        status=service.status,
        is_sample=service.is_sample,
        states=sorted({a.state for a in service.areas if a.state}),
        verified_at=service.verified_at,
        next_review_due=due,
        overdue=due is None or due < today,
    )


def list_services(
    db: Session,
    *,
    today: date,
    query: str | None = None,
    state: str | None = None,
    status: ServiceStatus | None = None,
    include_sample: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ServiceSummary], int]:
    """A page of services (by name) and the total matching count. `query` searches the
    service's and organization's names and the description, case-insensitively."""
    statement = select(Service).join(Organization)
    if query and query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(
                func.lower(Service.name).like(pattern),
                func.lower(Organization.name).like(pattern),
                func.lower(func.coalesce(Service.description, "")).like(pattern),
            )
        )
    if state:
        statement = statement.where(
            col(Service.id).in_(
                select(ServiceArea.service_id).where(ServiceArea.state == state.lower())
            )
        )
    if status:
        statement = statement.where(Service.status == status)
    if not include_sample:
        statement = statement.where(col(Service.is_sample).is_(False))
    total = db.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = db.exec(
        statement.options(
            selectinload(relation(Service.organization)),
            selectinload(relation(Service.areas)),
        )
        .order_by(func.lower(Service.name), Service.id)
        .limit(max(1, min(limit, 200)))
        .offset(max(0, offset))
    ).all()
    return [_summary(s, today) for s in rows], total


def get_service(db: Session, service_id: str) -> Service:
    service = db.get(Service, service_id)
    if service is None:
        raise DirectoryError(f"no service {service_id!r}", code="not_found")
    return service


def due_for_review(db: Session, *, today: date, within_days: int = 0) -> list[ReviewItem]:
    """Services and phone numbers whose next review is due by `today + within_days`, or that
    never had a review date (imported records). Overdue services are hidden from
    respondents; this is the staff's list of what to check. Inactive services are left out."""
    horizon = today + timedelta(days=within_days)
    services = db.exec(
        select(Service)
        .where(col(Service.status).not_in([ServiceStatus.inactive, ServiceStatus.defunct]))
        .options(selectinload(relation(Service.phones)))
        .order_by(col(Service.next_review_due), Service.name)
    ).all()
    items: list[ReviewItem] = []
    for service in services:
        due = service.next_review_due
        if due is None or due <= horizon:
            items.append(
                ReviewItem(
                    service_id=service.id,
                    service_name=service.name,
                    what="service",
                    next_review_due=due,
                    verified_at=service.verified_at,
                )
            )
        for phone in service.phones:
            if phone.next_review_due is None or phone.next_review_due <= horizon:
                items.append(
                    ReviewItem(
                        service_id=service.id,
                        service_name=service.name,
                        what="phone",
                        phone_id=phone.id,
                        phone_number=phone.number,
                        next_review_due=phone.next_review_due,
                        verified_at=phone.verified_at,
                    )
                )
    items.sort(
        key=lambda i: (
            i.next_review_due or date.min,
            i.service_name,
            i.service_id,
            i.what != "service",
        )
    )
    return items


# ---- writing


def _term_ids(db: Session, codes: list[str]) -> list[str]:
    found = {
        t.code: t.id
        for t in db.exec(select(TaxonomyTerm).where(col(TaxonomyTerm.code).in_(codes))).all()
    }
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise DirectoryError(f"unknown taxonomy term(s): {', '.join(unknown)}")
    return [found[c] for c in dict.fromkeys(codes)]


def _replace_languages(db: Session, service: Service, codes: list[str]) -> None:
    for language in list(service.languages):
        db.delete(language)
    for code in dict.fromkeys(codes):
        db.add(Language(id=new_id(), service_id=service.id, code=code))


def _replace_terms(db: Session, service: Service, codes: list[str]) -> None:
    term_ids = _term_ids(db, codes)
    for old in db.exec(select(Attribute).where(Attribute.link_id == service.id)).all():
        db.delete(old)
    for term_id in term_ids:
        db.add(
            Attribute(
                id=new_id(), link_id=service.id, link_entity="service", taxonomy_term_id=term_id
            )
        )


def _replace_areas(db: Session, service: Service, areas: list[AreaInput]) -> None:
    for old in list(service.areas):
        db.delete(old)
    for area in areas:
        db.add(ServiceArea(id=new_id(), service_id=service.id, **area.model_dump()))


def _replace_phones(db: Session, service: Service, phones: list[PhoneInput]) -> None:
    """New numbers start unverified: the call button waits for someone to check them."""
    kept = {p.number: p for p in service.phones}
    wanted = {p.number: p for p in phones}
    for number, old in kept.items():
        if number not in wanted:
            db.delete(old)
    for number, phone in wanted.items():
        if number in kept:
            kept[number].description = phone.description
        else:
            db.add(
                Phone(
                    id=new_id(),
                    service_id=service.id,
                    number=number,
                    type="voice",
                    description=phone.description,
                    source_name=service.source_name,
                )
            )


@contextmanager
def _committed(db: Session) -> Iterator[None]:
    """Directory writes commit themselves (each staff form makes one); a change refused half
    way rolls back everything it had begun, so no service is left half edited."""
    try:
        yield
        db.commit()
    except Exception:
        db.rollback()
        raise


def _touch(service: Service) -> None:
    service.last_modified = datetime.now(UTC)


def create_service(db: Session, data: ServiceInput, *, today: date) -> Service:
    """Create a service (and its organization when new). It starts unverified and without a
    review date, so respondents see it only once someone marks it verified; until then it is
    on the due-for-review list."""
    _check_detention_flags(serves_detained=data.serves_detained, detained_only=data.detained_only)
    if data.organization_id:
        organization = db.get(Organization, data.organization_id)
        if organization is None:
            raise DirectoryError(f"no organization {data.organization_id!r}", code="not_found")
    elif data.organization_name:
        organization = Organization(
            id=new_id(),
            name=data.organization_name,
            description=data.organization_name,
            website=data.organization_website,
        )
        db.add(organization)
    else:
        raise DirectoryError(
            "give organization_id or organization_name", code="organization_missing"
        )
    fields = data.model_dump(
        exclude={
            "organization_id",
            "organization_name",
            "organization_website",
            "languages",
            "terms",
            "areas",
            "phones",
            "office",
        }
    )
    service = Service(
        id=new_id(),
        organization_id=organization.id,
        status=ServiceStatus.active,
        retrieved_at=today,
        next_review_due=None,
        **fields,
    )
    _touch(service)
    db.add(service)
    db.flush()
    with _committed(db):
        _replace_terms(db, service, data.terms)
        _replace_languages(db, service, data.languages)
        _replace_areas(db, service, data.areas)
        _replace_phones(db, service, data.phones)
        if data.office:
            _add_office(db, service, organization.id, data.office)
    db.refresh(service)
    return service


def _check_detention_flags(*, serves_detained: bool, detained_only: bool) -> None:
    """A service only for detained people must serve detained people (create and update)."""
    if detained_only and not serves_detained:
        raise DirectoryError("detained_only requires serves_detained", code="detained_only")


def _add_office(db: Session, service: Service, organization_id: str, office: OfficeInput) -> None:
    location = Location(
        id=new_id(),
        location_type="physical",
        organization_id=organization_id,
        latitude=office.latitude,
        longitude=office.longitude,
    )
    db.add(location)
    db.flush()
    db.add(
        Address(
            id=new_id(),
            location_id=location.id,
            address_1=office.address_1,
            city=office.city,
            state_province=office.state.upper(),
            postal_code=office.postal_code,
        )
    )
    db.add(ServiceAtLocation(id=new_id(), service_id=service.id, location_id=location.id))


def update_service(db: Session, service_id: str, changes: ServiceUpdate) -> Service:
    service = get_service(db, service_id)
    plain = changes.model_dump(
        exclude_unset=True, exclude={"languages", "terms", "areas", "phones"}
    )
    with _committed(db):
        for name, value in plain.items():
            setattr(service, name, value)
        _check_detention_flags(
            serves_detained=service.serves_detained, detained_only=service.detained_only
        )
        if changes.terms is not None:
            _replace_terms(db, service, changes.terms)
        if changes.languages is not None:
            _replace_languages(db, service, changes.languages)
        if changes.areas is not None:
            _replace_areas(db, service, changes.areas)
        if changes.phones is not None:
            _replace_phones(db, service, changes.phones)
        _touch(service)
    db.refresh(service)
    return service


def translate_service(
    db: Session, service_id: str, locale: str, text: TranslationInput, *, locales: set[str]
) -> Service:
    """Set a service's text in `locale` (one of `locales`, the site's other languages). All
    fields empty removes the translation: the card then shows the English, marked as such."""
    if locale not in locales:
        raise DirectoryError(f"not a translated locale: {locale!r}", code="not_found")
    service = get_service(db, service_id)
    current = next((t for t in service.translations if t.locale == locale), None)
    with _committed(db):
        if text.is_empty():
            if current is not None:
                db.delete(current)
        elif current is None:
            db.add(
                ServiceTranslation(
                    id=new_id(), service_id=service.id, locale=locale, **text.model_dump()
                )
            )
        else:
            for name, value in text.model_dump().items():
                setattr(current, name, value)
        _touch(service)
    db.refresh(service)
    return service


def deactivate_service(
    db: Session, service_id: str, *, status: ServiceStatus = ServiceStatus.inactive
) -> Service:
    """Hide a service from respondents without deleting it (history and exports keep it)."""
    if status == ServiceStatus.active:
        raise DirectoryError("use update_service to reactivate")
    service = get_service(db, service_id)
    service.status = status
    _touch(service)
    db.commit()
    db.refresh(service)
    return service


def mark_verified(
    db: Session,
    service_id: str,
    *,
    verified_by: str,
    method: VerificationMethod,
    on: date,
    note: str | None = None,
    phone_ids: list[str] | None = None,
    next_review_due: date | None = None,
) -> Service:
    """Record that a person checked the service (and the given phone numbers; all of them
    when `phone_ids` is None). Sets the next review to six months later unless told."""
    if method in {VerificationMethod.third_party, VerificationMethod.sample}:
        raise DirectoryError(f"{method} is not a verification", code="verification_method")
    if not verified_by.strip():
        raise DirectoryError("say who verified it")
    service = get_service(db, service_id)
    due = next_review_due or on + REVIEW_INTERVAL
    if due <= on:
        raise DirectoryError("the next review must be after the verification")
    phones = {p.id: p for p in service.phones}
    chosen = list(phones) if phone_ids is None else phone_ids
    unknown = [pid for pid in chosen if pid not in phones]
    if unknown:
        raise DirectoryError(f"phone(s) not on this service: {', '.join(unknown)}")
    targets: list[Service | Phone] = [service, *(phones[pid] for pid in chosen)]
    for record in targets:
        record.verified_at = on
        record.verified_by = verified_by.strip()
        record.verification_method = method
        record.verification_note = note
        record.next_review_due = due
    _touch(service)
    db.commit()
    db.refresh(service)
    return service
