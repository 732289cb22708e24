"""Typed models of the HSDS 3.0 fields Puente uses, plus its `puente_*` extension fields.

Every import is validated by these models before anything is written, and every export is
built from them. Field names and meanings follow HSDS 3.0 (openreferral/specification, branch
3.0); HSDS objects allow extra properties, and ours all start with `puente_` so they can never
collide with a later HSDS field (docs/referrals.md lists them). Fields of HSDS that we do not
use are ignored on import.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    model_validator,
)

from app.i18n import COMING, LANGUAGES, language_tag
from app.places.location import STATES, valid_coordinates
from app.places.phones import canonical_us_phone
from app.referrals.vocabulary import (
    Cost,
    ProviderKind,
    Scope,
    ServiceStatus,
    VerificationMethod,
)


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise ValueError("not a UUID") from None


def _us_phone(value: str) -> str:
    canonical = canonical_us_phone(value)
    if canonical is None:
        raise ValueError("not a valid U.S. phone number (10 digits, area code first)")
    return canonical


def _state(value: str) -> str:
    code = value.strip().lower()
    if code not in STATES:
        raise ValueError("not a U.S. state code")
    return code


def _utc(value: datetime) -> datetime:
    """Timestamps are stored with their zone; one without a zone is read as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Id = Annotated[str, AfterValidator(_uuid)]
UsPhone = Annotated[str, AfterValidator(_us_phone)]
StateCode = Annotated[str, AfterValidator(_state)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=300)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class HsdsObject(BaseModel):
    """Blank strings (empty CSV cells) read as missing; unknown HSDS fields are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: object) -> object:
        if isinstance(data, dict):
            return {key: _blank_to_none(value) for key, value in data.items()}
        return data


class HsdsProvenance(HsdsObject):
    """Extension fields: provenance of a service or a phone number."""

    puente_source_name: ShortText | None = None
    puente_source_url: Url | None = None
    puente_source_edition: str | None = Field(default=None, max_length=100)
    puente_retrieved_at: date | None = None
    puente_verified_at: date | None = None
    puente_verified_by: str | None = Field(default=None, max_length=200)
    puente_verification_method: VerificationMethod | None = None
    puente_verification_note: str | None = Field(default=None, max_length=1000)
    puente_next_review_due: date | None = None
    puente_url_checked_at: date | None = None
    puente_url_status: str | None = Field(default=None, max_length=40)


class HsdsTaxonomy(HsdsObject):
    id: Id
    name: ShortText
    description: Text
    uri: Url | None = None
    version: str | None = Field(default=None, max_length=50)


class HsdsTaxonomyTerm(HsdsObject):
    id: Id
    code: str | None = Field(default=None, max_length=100)
    name: ShortText
    description: Text
    parent_id: Id | None = None
    taxonomy_id: Id | None = None
    term_uri: Url | None = None
    taxonomy_detail: HsdsTaxonomy | None = None


class HsdsAttribute(HsdsObject):
    id: Id
    link_id: Id
    link_type: str | None = Field(default=None, max_length=100)
    link_entity: Literal["service"] = "service"
    taxonomy_term_id: Id
    value: str | None = Field(default=None, max_length=500)
    taxonomy_term: HsdsTaxonomyTerm | None = None


class HsdsOrganizationIdentifier(HsdsObject):
    id: Id
    organization_id: Id | None = None
    identifier_scheme: str | None = Field(default=None, max_length=100)
    identifier_type: ShortText
    identifier: ShortText


class HsdsOrganization(HsdsObject):
    id: Id
    name: ShortText
    description: Text
    website: Url | None = None
    email: Email | None = None
    legal_status: str | None = Field(default=None, max_length=200)
    organization_identifiers: list[HsdsOrganizationIdentifier] = []


class HsdsAddress(HsdsObject):
    id: Id
    location_id: Id | None = None
    address_1: ShortText
    address_2: str | None = Field(default=None, max_length=300)
    city: ShortText
    state_province: ShortText
    postal_code: Annotated[str, Field(pattern=r"^\d{5}(-\d{4})?$")]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "US"
    address_type: Literal["physical", "postal", "virtual"] = "physical"


class HsdsLocation(HsdsObject):
    id: Id
    location_type: Literal["physical", "postal", "virtual"]
    organization_id: Id | None = None
    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    url: Url | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    # HSDS's own fields; we set them only on an immigration court's location (court_locations.py)
    external_identifier: str | None = Field(default=None, max_length=100)
    external_identifier_type: str | None = Field(default=None, max_length=100)
    addresses: list[HsdsAddress] = []

    @model_validator(mode="after")
    def _both_coordinates(self) -> "HsdsLocation":
        if not valid_coordinates(self.latitude, self.longitude):
            raise ValueError("latitude and longitude must be given together")
        return self


class HsdsServiceAtLocation(HsdsObject):
    id: Id
    service_id: Id | None = None
    location_id: Id
    description: str | None = Field(default=None, max_length=5000)
    location: HsdsLocation | None = None


class HsdsLanguage(HsdsObject):
    id: Id
    service_id: Id | None = None
    phone_id: Id | None = None
    name: str | None = Field(default=None, max_length=100)
    code: LanguageCode | None = None
    note: str | None = Field(default=None, max_length=1000)


class HsdsPhone(HsdsProvenance):
    id: Id
    service_id: Id | None = None
    organization_id: Id | None = None
    location_id: Id | None = None
    number: UsPhone
    extension: Annotated[int, Field(ge=0, le=99999999)] | None = None
    type: Literal["text", "voice", "fax", "cell", "video", "pager", "textphone"] | None = None
    description: str | None = Field(default=None, max_length=1000)
    languages: list[HsdsLanguage] = []


class HsdsServiceArea(HsdsObject):
    id: Id
    service_id: Id | None = None
    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    extent: str | None = None
    extent_type: str | None = Field(default=None, max_length=20)
    uri: Url | None = None
    puente_scope: Scope | None = None
    puente_state: StateCode | None = None
    puente_county: str | None = Field(default=None, max_length=100)
    puente_zip: Annotated[str, Field(pattern=r"^\d{5}$")] | None = None
    puente_radius_miles: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    puente_center_latitude: Latitude | None = None
    puente_center_longitude: Longitude | None = None

    @model_validator(mode="after")
    def _scope_complete(self) -> "HsdsServiceArea":
        needs = (
            {
                Scope.state: ("puente_state",),
                Scope.county: ("puente_state", "puente_county"),
                Scope.zip: ("puente_zip",),
                Scope.radius: ("puente_radius_miles",),
            }.get(self.puente_scope, ())
            if self.puente_scope
            else ()
        )
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise ValueError(f"scope {self.puente_scope} needs {', '.join(missing)}")
        if not valid_coordinates(self.puente_center_latitude, self.puente_center_longitude):
            raise ValueError("centre latitude and longitude must be given together")
        return self


class HsdsServiceCourt(HsdsObject):
    id: Id
    service_id: Id | None = None
    court_code: Annotated[str, Field(pattern=r"^[A-Z0-9_-]{2,20}$")]
    source: str | None = Field(default=None, max_length=200)


class HsdsServiceFacility(HsdsObject):
    id: Id
    service_id: Id | None = None
    facility_id: Id


def _catalog_code(tag: str) -> str:
    """HSDS files carry BCP 47 tags ("zh-Hans"); the directory keeps the catalog's code
    ("zh_Hans"), which is what a page's language is."""
    code = tag.replace("-", "_")
    return code if code in LANGUAGES or code in COMING else tag


class HsdsServiceTranslation(HsdsObject):
    """Extension object: a service's public text in one locale (the English is the service's
    own). Travels nested in a service as `puente_service_translations`."""

    id: Id
    service_id: Id | None = None
    locale: Annotated[
        str, Field(pattern=r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$"), AfterValidator(_catalog_code)
    ]
    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    hours: str | None = Field(default=None, max_length=500)
    language_note: str | None = Field(default=None, max_length=500)

    @field_serializer("locale")
    def _as_tag(self, code: str) -> str:
        return language_tag(code)


class HsdsService(HsdsProvenance):
    id: Id
    organization_id: Id
    name: ShortText
    status: ServiceStatus
    description: str | None = Field(default=None, max_length=5000)
    url: Url | None = None
    email: Email | None = None
    interpretation_services: str | None = Field(default=None, max_length=2000)
    application_process: str | None = Field(default=None, max_length=5000)
    fees_description: str | None = Field(default=None, max_length=2000)
    eligibility_description: str | None = Field(default=None, max_length=5000)
    alert: str | None = Field(default=None, max_length=2000)
    assured_date: date | None = None
    assurer_email: Email | None = None
    last_modified: Annotated[datetime, AfterValidator(_utc)] | None = None
    puente_serves_detained: bool = False
    puente_detained_only: bool = False
    puente_accepts_collect_calls: bool = False
    puente_crim_imm_expertise: bool = False
    puente_cost: Cost = Cost.unknown
    puente_accepting_new_clients: bool | None = None
    puente_provider_kind: ProviderKind = ProviderKind.nonprofit
    puente_curated: bool = False
    puente_is_sample: bool = False
    puente_hours: str | None = Field(default=None, max_length=500)
    puente_language_note: str | None = Field(default=None, max_length=500)
    organization: HsdsOrganization | None = None
    phones: list[HsdsPhone] = []
    languages: list[HsdsLanguage] = []
    service_areas: list[HsdsServiceArea] = []
    service_at_locations: list[HsdsServiceAtLocation] = []
    attributes: list[HsdsAttribute] = []
    puente_service_courts: list[HsdsServiceCourt] = []
    puente_service_facilities: list[HsdsServiceFacility] = []
    puente_service_translations: list[HsdsServiceTranslation] = []

    @model_validator(mode="after")
    def _detained_only_serves_detained(self) -> "HsdsService":
        if self.puente_detained_only and not self.puente_serves_detained:
            raise ValueError("puente_detained_only requires puente_serves_detained")
        return self


class HsdsCourt(HsdsObject):
    """Extension object: an immigration court."""

    code: Annotated[str, Field(pattern=r"^[A-Z0-9_-]{2,20}$")]
    name: ShortText
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=200)
    state: StateCode | None = None
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")] | None = None
    postal_code_suffix: Annotated[str, Field(pattern=r"^\d{4}$")] | None = None
    phone: str | None = Field(default=None, max_length=20)
    eoir_region: str | None = Field(default=None, max_length=20)
    active: bool = True
    retired_on: date | None = None
    record_modified_on: date | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    coordinates_source: str | None = Field(default=None, max_length=200)
    check_note: str | None = Field(default=None, max_length=1000)
    verified_at: date | None = None
    verified_by: str | None = Field(default=None, max_length=200)
    corrected_fields: str | None = Field(default=None, max_length=300)
    is_sample: bool = False
    source_name: ShortText
    source_url: Url | None = None
    source_date: date | None = None


class HsdsFacility(HsdsObject):
    """Extension object: an immigration detention facility."""

    id: Id
    name: ShortText
    city: str | None = Field(default=None, max_length=200)
    state: StateCode
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")] | None = None
    field_office: str | None = Field(default=None, max_length=200)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    admin_court_code: str | None = Field(default=None, max_length=20)
    eoir_code: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = True
    is_sample: bool = False
    source_name: ShortText
    source_url: Url | None = None
    retrieved_at: date | None = None
