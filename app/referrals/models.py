"""Directory tables: the HSDS 3.0 objects we use, plus what HSDS lacks.

HSDS names are kept for HSDS fields so that import and export are a plain mapping. What HSDS
lacks (geographic scope, courts and detention facilities, flags, provenance) lives in extra
columns and tables; in HSDS files these travel as `puente_*` extension fields (see
docs/referrals.md). Ids are UUID strings, as HSDS requires. Types are portable: SQLite by
default, PostgreSQL in production.
"""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from app.referrals.revision import DirectoryRevision  # noqa: F401 (moves with every change)
from app.referrals.vocabulary import Cost, ProviderKind, ServiceStatus

ID = 36  # length of a UUID string


class Provenance(SQLModel):
    """Where a record comes from and when a person last checked it (service and phone)."""

    source_name: str = Field(max_length=200)
    source_url: str | None = Field(default=None, max_length=500)
    source_edition: str | None = Field(default=None, max_length=100)
    retrieved_at: date | None = None
    verified_at: date | None = None
    verified_by: str | None = Field(default=None, max_length=200)
    verification_method: str | None = Field(default=None, max_length=40)
    verification_note: str | None = Field(default=None, max_length=1000)
    next_review_due: date | None = Field(default=None, index=True)
    url_checked_at: date | None = None
    url_status: str | None = Field(default=None, max_length=40)


class Organization(SQLModel, table=True):
    __tablename__ = "ref_organization"

    id: str = Field(primary_key=True, max_length=ID)
    name: str = Field(max_length=300)
    description: str
    website: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=300)
    legal_status: str | None = Field(default=None, max_length=200)

    identifiers: list["OrganizationIdentifier"] = Relationship(
        back_populates="organization", cascade_delete=True
    )
    services: list["Service"] = Relationship(back_populates="organization")


class OrganizationIdentifier(SQLModel, table=True):
    """An official identifier: EIN, EOIR recognition (R&A) number."""

    __tablename__ = "ref_organization_identifier"

    id: str = Field(primary_key=True, max_length=ID)
    organization_id: str = Field(foreign_key="ref_organization.id", index=True, ondelete="CASCADE")
    identifier_scheme: str | None = Field(default=None, max_length=100)
    identifier_type: str = Field(max_length=100)
    identifier: str = Field(max_length=200)

    organization: Organization = Relationship(back_populates="identifiers")


class Service(Provenance, table=True):
    __tablename__ = "ref_service"

    id: str = Field(primary_key=True, max_length=ID)
    organization_id: str = Field(foreign_key="ref_organization.id", index=True)
    name: str = Field(max_length=300)
    description: str | None = None
    url: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=300)
    status: str = Field(default=ServiceStatus.active, max_length=40, index=True)
    interpretation_services: str | None = None
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    alert: str | None = None
    # When it is open, and what it says about languages ("Spanish spoken"), in English; HSDS
    # keeps hours in schedule objects and language notes per language, which a card cannot
    # show in a sentence. Exported as puente_hours and puente_language_note.
    hours: str | None = Field(default=None, max_length=500)
    language_note: str | None = Field(default=None, max_length=500)
    assurer_email: str | None = Field(default=None, max_length=300)
    last_modified: datetime | None = None

    # Flags HSDS lacks.
    serves_detained: bool = False
    detained_only: bool = False  # takes only people in detention (EOIR "detained only")
    accepts_collect_calls: bool = False
    crim_imm_expertise: bool = False
    cost: str = Field(default=Cost.unknown, max_length=40)
    accepting_new_clients: bool | None = None  # None: not known
    provider_kind: str = Field(default=ProviderKind.nonprofit, max_length=40)
    curated: bool = False  # a "best bet" picked by staff, ranked first
    is_sample: bool = False  # fictional demonstration data, labelled on every card

    organization: Organization = Relationship(back_populates="services")
    phones: list["Phone"] = Relationship(back_populates="service", cascade_delete=True)
    languages: list["Language"] = Relationship(back_populates="service", cascade_delete=True)
    areas: list["ServiceArea"] = Relationship(back_populates="service", cascade_delete=True)
    at_locations: list["ServiceAtLocation"] = Relationship(
        back_populates="service", cascade_delete=True
    )
    courts: list["ServiceCourt"] = Relationship(back_populates="service", cascade_delete=True)
    facilities: list["ServiceFacility"] = Relationship(
        back_populates="service", cascade_delete=True
    )
    translations: list["ServiceTranslation"] = Relationship(
        back_populates="service", cascade_delete=True
    )


class ServiceTranslation(SQLModel, table=True):
    """A service's public text in one of the site's languages other than English.

    The English is on the service itself; a field left empty here is shown in English, marked
    as such (app/referrals/cards.py). Exported as `puente_service_translations`."""

    __tablename__ = "ref_service_translation"
    __table_args__ = (
        UniqueConstraint("service_id", "locale", name="uq_ref_service_translation_locale"),
    )

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str = Field(foreign_key="ref_service.id", index=True, ondelete="CASCADE")
    locale: str = Field(max_length=10)  # a shipped locale's code: es, ar
    name: str | None = Field(default=None, max_length=300)
    description: str | None = None
    hours: str | None = Field(default=None, max_length=500)
    language_note: str | None = Field(default=None, max_length=500)

    service: Service = Relationship(back_populates="translations")


class Location(SQLModel, table=True):
    __tablename__ = "ref_location"

    id: str = Field(primary_key=True, max_length=ID)
    organization_id: str | None = Field(default=None, foreign_key="ref_organization.id", index=True)
    location_type: str = Field(max_length=20)  # physical | postal | virtual
    name: str | None = Field(default=None, max_length=300)
    description: str | None = None
    url: str | None = Field(default=None, max_length=500)
    latitude: float | None = None
    longitude: float | None = None

    addresses: list["Address"] = Relationship(back_populates="location", cascade_delete=True)


class Address(SQLModel, table=True):
    __tablename__ = "ref_address"

    id: str = Field(primary_key=True, max_length=ID)
    location_id: str = Field(foreign_key="ref_location.id", index=True, ondelete="CASCADE")
    address_1: str = Field(max_length=300)
    address_2: str | None = Field(default=None, max_length=300)
    city: str = Field(max_length=200)
    state_province: str = Field(max_length=100)
    postal_code: str = Field(max_length=20)
    country: str = Field(default="US", max_length=2)
    address_type: str = Field(default="physical", max_length=20)

    location: Location = Relationship(back_populates="addresses")


class ServiceAtLocation(SQLModel, table=True):
    __tablename__ = "ref_service_at_location"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str = Field(foreign_key="ref_service.id", index=True, ondelete="CASCADE")
    location_id: str = Field(foreign_key="ref_location.id", index=True)
    description: str | None = None

    service: Service = Relationship(back_populates="at_locations")
    location: Location = Relationship()


class Phone(Provenance, table=True):
    """A phone number with its own provenance: a number is only called from a card when a
    person verified it within the last 12 months."""

    __tablename__ = "ref_phone"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str | None = Field(
        default=None, foreign_key="ref_service.id", index=True, ondelete="CASCADE"
    )
    organization_id: str | None = Field(default=None, foreign_key="ref_organization.id")
    location_id: str | None = Field(default=None, foreign_key="ref_location.id")
    number: str = Field(max_length=40)  # canonical NNN-NNN-NNNN
    extension: int | None = None
    type: str | None = Field(default="voice", max_length=20)
    description: str | None = None

    service: Service | None = Relationship(back_populates="phones")


class Language(SQLModel, table=True):
    """A language spoken by the service's staff (not through an interpreter)."""

    __tablename__ = "ref_language"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str | None = Field(
        default=None, foreign_key="ref_service.id", index=True, ondelete="CASCADE"
    )
    phone_id: str | None = Field(default=None, foreign_key="ref_phone.id", ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=100)
    code: str | None = Field(default=None, max_length=10)  # ISO 639-1 (or 639-3)
    note: str | None = None

    service: Service | None = Relationship(back_populates="languages")


class ServiceArea(SQLModel, table=True):
    """HSDS service_area plus the structured scope HSDS lacks (it has no ZIP or county)."""

    __tablename__ = "ref_service_area"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str = Field(foreign_key="ref_service.id", index=True, ondelete="CASCADE")
    name: str | None = Field(default=None, max_length=300)
    description: str | None = None
    extent: str | None = None
    extent_type: str | None = Field(default=None, max_length=20)
    uri: str | None = Field(default=None, max_length=500)
    scope: str | None = Field(default=None, max_length=20)  # vocabulary.Scope
    state: str | None = Field(default=None, max_length=2)  # lowercase USPS code
    county: str | None = Field(default=None, max_length=100)  # "Cook County", as zipcodes has it
    zip: str | None = Field(default=None, max_length=5)
    radius_miles: float | None = None
    center_latitude: float | None = None
    center_longitude: float | None = None

    service: Service = Relationship(back_populates="areas")


class Taxonomy(SQLModel, table=True):
    __tablename__ = "ref_taxonomy"

    id: str = Field(primary_key=True, max_length=ID)
    name: str = Field(max_length=200)
    description: str
    uri: str | None = Field(default=None, max_length=500)
    version: str | None = Field(default=None, max_length=50)


class TaxonomyTerm(SQLModel, table=True):
    __tablename__ = "ref_taxonomy_term"

    id: str = Field(primary_key=True, max_length=ID)
    code: str | None = Field(default=None, max_length=100, index=True)
    name: str = Field(max_length=200)
    description: str
    parent_id: str | None = Field(default=None, foreign_key="ref_taxonomy_term.id")
    taxonomy_id: str | None = Field(default=None, foreign_key="ref_taxonomy.id")
    term_uri: str | None = Field(default=None, max_length=500)


class Attribute(SQLModel, table=True):
    """Tags a record (here: a service) with a taxonomy term."""

    __tablename__ = "ref_attribute"

    id: str = Field(primary_key=True, max_length=ID)
    link_id: str = Field(max_length=ID, index=True)
    link_type: str | None = Field(default=None, max_length=100)
    link_entity: str = Field(default="service", max_length=50)
    taxonomy_term_id: str = Field(foreign_key="ref_taxonomy_term.id", index=True)
    value: str | None = Field(default=None, max_length=500)


class Court(SQLModel, table=True):
    """An immigration court (EOIR), by its code ("base city" code in EOIR's own table).

    Loaded from EOIR's court table (app/referrals/courts.py): the values are the source's,
    except where `check_note` says why one is doubtful or was left out. Coordinates are the
    centre of the court's ZIP (`coordinates_source` says so), never a geocoded address.
    """

    __tablename__ = "ref_court"

    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=200)
    state: str | None = Field(default=None, max_length=2)
    postal_code: str | None = Field(default=None, max_length=5)
    postal_code_suffix: str | None = Field(default=None, max_length=4)
    phone: str | None = Field(default=None, max_length=20)  # canonical, app/places/phones.py
    eoir_region: str | None = Field(default=None, max_length=20)
    active: bool = True  # EOIR's blnActive; False too once a newer release drops the court
    retired_on: date | None = None  # the release that dropped it or marked it inactive
    record_modified_on: date | None = None
    latitude: float | None = None
    longitude: float | None = None
    coordinates_source: str | None = Field(default=None, max_length=200)
    check_note: str | None = Field(default=None, max_length=1000)  # set: marked for checking
    verified_at: date | None = None  # a person checked the phone (the tel: link rule)
    verified_by: str | None = Field(default=None, max_length=200)  # a staff member's name
    # Fields a staff member corrected, comma-separated (app/referrals/court_corrections.py):
    # an import leaves them as corrected. Who and when are in the audit log.
    corrected_fields: str | None = Field(default=None, max_length=300)
    is_sample: bool = False
    source_name: str = Field(max_length=200)
    source_url: str | None = Field(default=None, max_length=500)
    source_date: date | None = None  # the date of the release the values come from


class Facility(SQLModel, table=True):
    """An immigration detention facility, chosen by name by a family member."""

    __tablename__ = "ref_facility"

    id: str = Field(primary_key=True, max_length=ID)
    name: str = Field(max_length=300)
    city: str | None = Field(default=None, max_length=200)
    state: str = Field(max_length=2)
    postal_code: str | None = Field(default=None, max_length=10)
    field_office: str | None = Field(default=None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    admin_court_code: str | None = Field(default=None, foreign_key="ref_court.code")
    # From EOIR's facility table (app/referrals/facilities.py): its code, unique per court.
    eoir_code: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = True
    is_sample: bool = False
    source_name: str = Field(max_length=200)
    source_url: str | None = Field(default=None, max_length=500)
    retrieved_at: date | None = None


class ServiceCourt(SQLModel, table=True):
    """A court whose people a service takes (one row per EOIR list section)."""

    __tablename__ = "ref_service_court"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str = Field(foreign_key="ref_service.id", index=True, ondelete="CASCADE")
    court_code: str = Field(foreign_key="ref_court.code", index=True)
    source: str | None = Field(default=None, max_length=200)

    service: Service = Relationship(back_populates="courts")


class ServiceFacility(SQLModel, table=True):
    __tablename__ = "ref_service_facility"

    id: str = Field(primary_key=True, max_length=ID)
    service_id: str = Field(foreign_key="ref_service.id", index=True, ondelete="CASCADE")
    facility_id: str = Field(foreign_key="ref_facility.id", index=True)

    service: Service = Relationship(back_populates="facilities")


DIRECTORY_TABLES = (
    Organization,
    OrganizationIdentifier,
    Taxonomy,
    TaxonomyTerm,
    Service,
    Location,
    Address,
    ServiceAtLocation,
    Phone,
    Language,
    ServiceArea,
    Attribute,
    Court,
    Facility,
    ServiceCourt,
    ServiceFacility,
    ServiceTranslation,
)
