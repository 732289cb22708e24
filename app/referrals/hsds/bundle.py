"""The directory as flat HSDS records, one list per HSDS table: the meeting point of the
database, HSDS JSON and the HSDS tabular package.

`RESOURCES` describes each table once (file name, model, primary key, foreign keys); the
tabular writer, the datapackage.json generator and the import's reference checks all read it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from sqlmodel import Session, SQLModel, select

from app.referrals import models as db
from app.referrals.hsds import models as hm

PREFIX = "puente_"


@dataclass(frozen=True, slots=True)
class ForeignKey:
    field: str
    resource: str
    target: str = "id"


@dataclass(frozen=True, slots=True)
class Resource:
    name: str  # HSDS resource name (datapackage.json); ours start with puente_
    path: str  # CSV file name
    model: type[hm.HsdsObject]
    table: type[SQLModel]
    primary_key: str = "id"
    foreign_keys: tuple[ForeignKey, ...] = ()
    description: str = ""

    @property
    def fields(self) -> list[str]:
        """The flat fields (nested objects and lists are not columns), HSDS ones first."""
        flat = [
            name
            for name, info in self.model.model_fields.items()
            if not _is_nested(info.annotation)
        ]
        return [n for n in flat if not n.startswith(PREFIX)] + [
            n for n in flat if n.startswith(PREFIX)
        ]


def _is_nested(annotation: object) -> bool:
    if get_origin(annotation) is list:
        return True
    candidates = get_args(annotation) or (annotation,)
    return any(isinstance(c, type) and issubclass(c, BaseModel) for c in candidates)


_SERVICE = ForeignKey("service_id", "service")
RESOURCES: tuple[Resource, ...] = (
    Resource("organization", "organizations.csv", hm.HsdsOrganization, db.Organization),
    Resource(
        "organization_identifier",
        "organization_identifiers.csv",
        hm.HsdsOrganizationIdentifier,
        db.OrganizationIdentifier,
        foreign_keys=(ForeignKey("organization_id", "organization"),),
    ),
    Resource("taxonomy", "taxonomies.csv", hm.HsdsTaxonomy, db.Taxonomy),
    Resource(
        "taxonomy_term",
        "taxonomy_terms.csv",
        hm.HsdsTaxonomyTerm,
        db.TaxonomyTerm,
        foreign_keys=(
            ForeignKey("taxonomy_id", "taxonomy"),
            ForeignKey("parent_id", "taxonomy_term"),
        ),
    ),
    Resource(
        "service",
        "services.csv",
        hm.HsdsService,
        db.Service,
        foreign_keys=(ForeignKey("organization_id", "organization"),),
    ),
    Resource(
        "location",
        "locations.csv",
        hm.HsdsLocation,
        db.Location,
        foreign_keys=(ForeignKey("organization_id", "organization"),),
    ),
    Resource(
        "address",
        "addresses.csv",
        hm.HsdsAddress,
        db.Address,
        foreign_keys=(ForeignKey("location_id", "location"),),
    ),
    Resource(
        "service_at_location",
        "service_at_location.csv",
        hm.HsdsServiceAtLocation,
        db.ServiceAtLocation,
        foreign_keys=(_SERVICE, ForeignKey("location_id", "location")),
    ),
    Resource(
        "phone",
        "phones.csv",
        hm.HsdsPhone,
        db.Phone,
        foreign_keys=(
            _SERVICE,
            ForeignKey("organization_id", "organization"),
            ForeignKey("location_id", "location"),
        ),
    ),
    Resource(
        "language",
        "languages.csv",
        hm.HsdsLanguage,
        db.Language,
        foreign_keys=(_SERVICE, ForeignKey("phone_id", "phone")),
    ),
    Resource(
        "service_area",
        "service_areas.csv",
        hm.HsdsServiceArea,
        db.ServiceArea,
        foreign_keys=(_SERVICE,),
    ),
    Resource(
        "attribute",
        "attributes.csv",
        hm.HsdsAttribute,
        db.Attribute,
        foreign_keys=(ForeignKey("taxonomy_term_id", "taxonomy_term"),),
    ),
    Resource(
        "puente_court",
        "puente_courts.csv",
        hm.HsdsCourt,
        db.Court,
        primary_key="code",
        description="Puente extension: immigration courts (EOIR).",
    ),
    Resource(
        "puente_facility",
        "puente_facilities.csv",
        hm.HsdsFacility,
        db.Facility,
        foreign_keys=(ForeignKey("admin_court_code", "puente_court", "code"),),
        description="Puente extension: immigration detention facilities.",
    ),
    Resource(
        "puente_service_court",
        "puente_service_courts.csv",
        hm.HsdsServiceCourt,
        db.ServiceCourt,
        foreign_keys=(_SERVICE, ForeignKey("court_code", "puente_court", "code")),
        description="Puente extension: the courts whose people a service takes.",
    ),
    Resource(
        "puente_service_facility",
        "puente_service_facilities.csv",
        hm.HsdsServiceFacility,
        db.ServiceFacility,
        foreign_keys=(_SERVICE, ForeignKey("facility_id", "puente_facility")),
        description="Puente extension: the detention facilities a service visits.",
    ),
    Resource(
        "puente_service_translation",
        "puente_service_translations.csv",
        hm.HsdsServiceTranslation,
        db.ServiceTranslation,
        foreign_keys=(_SERVICE,),
        description=(
            "Puente extension: a service's name, description, hours and language note in "
            "another language (locale), one row per service and locale."
        ),
    ),
)
RESOURCE_BY_NAME = {r.name: r for r in RESOURCES}


@dataclass
class Bundle:
    """Flat records per resource name, in RESOURCES order."""

    records: dict[str, list[Any]] = field(default_factory=lambda: {r.name: [] for r in RESOURCES})

    def __iter__(self) -> Iterator[tuple[Resource, list[Any]]]:
        for resource in RESOURCES:
            yield resource, self.records[resource.name]


# ---- database → HSDS


def _column(hsds_field: str) -> str:
    return hsds_field.removeprefix(PREFIX)


def to_hsds(resource: Resource, row: SQLModel) -> hm.HsdsObject:
    data: dict[str, Any] = {}
    for name in resource.fields:
        column = _column(name)
        if hasattr(row, column):
            data[name] = getattr(row, column)
    if resource.name == "service":
        data["assured_date"] = getattr(row, "verified_at", None)
    return resource.model.model_validate(data)


def bundle_from_db(session: Session) -> Bundle:
    bundle = Bundle()
    for resource, records in bundle:
        key = getattr(resource.table, resource.primary_key)
        for row in session.exec(select(resource.table).order_by(key)).all():
            records.append(to_hsds(resource, row))
    return bundle


# ---- HSDS → database


def to_row(resource: Resource, record: hm.HsdsObject, default_source: str) -> SQLModel:
    columns = resource.table.model_fields
    data = {
        _column(name): getattr(record, name) for name in resource.fields if _column(name) in columns
    }
    if resource.name == "service":
        data["verified_at"] = data.get("verified_at") or getattr(record, "assured_date", None)
    if "source_name" in columns and not data.get("source_name"):
        data["source_name"] = default_source
    return resource.table.model_validate(data)


def _parents_first(terms: list[Any]) -> list[Any]:
    """Taxonomy terms ordered so that each parent is written before its children."""
    by_id = {t.id: t for t in terms}
    ordered: list[Any] = []
    placed: set[str] = set()

    def place(term: Any, trail: frozenset[str]) -> None:
        if term.id in placed or term.id in trail:  # trail: stop on a cycle in bad data
            return
        parent = by_id.get(term.parent_id) if term.parent_id else None
        if parent is not None:
            place(parent, trail | {term.id})
        placed.add(term.id)
        ordered.append(term)

    for term in terms:
        place(term, frozenset())
    return ordered


def write_bundle(
    session: Session, bundle: Bundle, *, default_source: str, only_missing: bool
) -> dict[str, int]:
    """Write every record in one transaction, parents before children.

    `only_missing` adds records whose id is not in the database yet and leaves existing ones
    as they are (the seed, so that staff edits survive a restart); otherwise a record
    replaces the one with its id (an import). Returns the records written per table.
    """
    counts: dict[str, int] = {}
    try:
        for resource, records in bundle:
            if resource.name == "taxonomy_term":
                records = _parents_first(records)
            written = 0
            for record in records:
                if (
                    only_missing
                    and session.get(resource.table, getattr(record, resource.primary_key))
                    is not None
                ):
                    continue
                session.merge(to_row(resource, record, default_source))
                written += 1
            session.flush()
            counts[resource.name] = written
        session.commit()
    except Exception:
        session.rollback()
        raise
    return counts
