"""Import HSDS 3.0 (JSON, or a tabular data package) into the directory: all or nothing.

Every record is validated by the typed models in `hsds_models.py`, then ids are checked for
duplicates and every reference (organization, service, location, taxonomy term, court,
facility) must point to a record in the file or already in the directory. Any problem
rejects the whole file: nothing is written, and the report lists each rejected record with
where it is and why. Otherwise the records are written in one transaction; a record whose id
already exists replaces it (records not in the file are left alone), and one that is already
stored exactly as in the file is not written at all, so importing a file twice changes nothing
the second time (not even the directory's revision). The report counts the records created,
updated and unchanged.

Imported records without Puente's provenance fields get no review date, so they stay hidden
from respondents until a staff member verifies them.
"""

import csv
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from app.referrals.hsds import models as hm
from app.referrals.hsds.bundle import (
    RESOURCE_BY_NAME,
    RESOURCES,
    Bundle,
    Resource,
    to_row,
    write_bundle,
)
from app.referrals.hsds.court_locations import is_court_location

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportProblem:
    where: str  # "services.csv row 4" or "contents[2].phones[0].number"
    record_id: str | None
    message: str

    def __str__(self) -> str:
        ident = f" (id {self.record_id})" if self.record_id else ""
        return f"{self.where}{ident}: {self.message}"


@dataclass
class ImportCounts:
    """What an import did to the records of one HSDS table (or of all of them)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def __add__(self, other: "ImportCounts") -> "ImportCounts":
        return ImportCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    ok: bool = False
    counts: dict[str, ImportCounts] = field(default_factory=dict)  # per HSDS table
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            total = sum(self.counts.values(), ImportCounts())
            if not total.changed and not total.unchanged:
                return "Imported: nothing (empty file)."
            head = "Imported" if total.changed else "No changes"
            lines = [f"{head}: {total}."]
            lines += [f"- {name}: {n}" for name, n in self.counts.items() if n != ImportCounts()]
            return "\n".join(lines)
        lines = [f"Nothing imported: {len(self.problems)} problem(s)."]
        lines += [f"- {problem}" for problem in self.problems]
        return "\n".join(lines)


OWNED_RECORDS = (
    (
        "phone",
        ("service_id", "organization_id"),
        "a phone needs a service_id or an organization_id",
    ),
    ("language", ("service_id", "phone_id"), "a language needs a service_id or a phone_id"),
)


def import_hsds(path: Path, *, db: Session, source_name: str | None = None) -> ImportReport:
    """Validate and import an HSDS file; for `puente directory import`.

    `path` is a JSON file (an HSDS page with `contents`, a list of services, or one service),
    or a tabular package: its folder or its datapackage.json. `source_name` is recorded as
    the provenance of records that carry none (default: the file's name). Returns a report;
    never raises for bad input.
    """
    default_source = source_name or f"HSDS import: {path.name}"
    collector = _Collector()
    try:
        if path.is_dir() or path.name == "datapackage.json":
            _read_tabular(path if path.is_dir() else path.parent, collector)
        else:
            _read_json(path, collector)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as error:
        collector.problem(str(path.name), None, f"cannot read the file: {error}")
    if not collector.problems:
        _check_references(db, collector)
    report = ImportReport(problems=collector.problems)
    if report.problems:
        return report
    try:
        report.counts = _write(db, collector.bundle, default_source)
    except (SQLAlchemyError, ValidationError) as error:
        db.rollback()
        report.problems.append(ImportProblem("database", None, f"write failed: {error}"))
        return report
    report.ok = True
    return report


class _Collector:
    """Gathers flat records per resource, refusing duplicate ids."""

    def __init__(self, *, identical_duplicates_ok: bool = False) -> None:
        self.bundle = Bundle()
        self.problems: list[ImportProblem] = []
        self.identical_duplicates_ok = identical_duplicates_ok
        self._seen: dict[str, dict[str, tuple[Any, str]]] = {r.name: {} for r in RESOURCES}
        self._court_locations: set[str] = set()

    def problem(self, where: str, record_id: str | None, message: str) -> None:
        self.problems.append(ImportProblem(where, record_id, message))

    def add(self, resource: Resource, record: Any, where: str) -> None:
        if is_court_location(record):  # the court itself comes in through puente_courts
            self._court_locations.add(record.id)
            return
        if getattr(record, "location_id", None) in self._court_locations and resource.name in (
            "address",
            "phone",
        ):
            return
        key = getattr(record, resource.primary_key)
        seen = self._seen[resource.name]
        if key in seen:
            previous, previous_where = seen[key]
            # The same organization, location or term nested under several services is one
            # record repeated; anything else sharing an id is a duplicate.
            if self.identical_duplicates_ok and resource.name != "service" and previous == record:
                return
            self.problem(where, key, f"duplicate id (also at {previous_where})")
            return
        seen[key] = (record, where)
        self.bundle.records[resource.name].append(record)

    def ids(self, resource_name: str) -> set[str]:
        return set(self._seen[resource_name])


def _validation_messages(error: ValidationError) -> list[tuple[str, str]]:
    """(path like `phones[0].number`, message) for each error pydantic found."""
    found = []
    for detail in error.errors():
        path = ""
        for part in detail["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        message = detail["msg"].removeprefix("Value error, ")
        found.append((path.lstrip("."), message))
    return found


# ---- JSON


def _read_json(path: Path, collector: _Collector) -> None:
    collector.identical_duplicates_ok = True
    if path.stat().st_size > MAX_FILE_BYTES:
        collector.problem(path.name, None, "file too large")
        return
    document = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(document, list):
        document = {"contents": document}
    elif isinstance(document, dict) and "contents" not in document and "id" in document:
        document = {"contents": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("contents", []), list):
        collector.problem(path.name, None, "expected an HSDS page with 'contents', or a list")
        return
    top_level: dict[str, tuple[str, type[BaseModel]]] = {
        "organizations": ("organization", hm.HsdsOrganization),
        "locations": ("location", hm.HsdsLocation),
        "taxonomies": ("taxonomy", hm.HsdsTaxonomy),
        "taxonomy_terms": ("taxonomy_term", hm.HsdsTaxonomyTerm),
        "puente_courts": ("puente_court", hm.HsdsCourt),
        "puente_facilities": ("puente_facility", hm.HsdsFacility),
        "contents": ("service", hm.HsdsService),
    }
    for key, (name, model) in top_level.items():
        items = document.get(key) or []
        if not isinstance(items, list):
            collector.problem(key, None, "expected a list")
            continue
        for index, raw in enumerate(items):
            where = f"{key}[{index}]"
            record_id = raw.get("id") if isinstance(raw, dict) else None
            try:
                record = model.model_validate(raw)
            except ValidationError as error:
                for loc, message in _validation_messages(error):
                    joined = f"{where}{loc}" if loc.startswith("[") else f"{where}.{loc}"
                    collector.problem(joined if loc else where, record_id, message)
                continue
            _flatten(name, record, where, collector)


def _set_parent(
    child: Any, field_name: str, parent_id: str, where: str, collector: _Collector
) -> Any:
    current = getattr(child, field_name)
    if current is None:
        return child.model_copy(update={field_name: parent_id})
    if current != parent_id:
        collector.problem(where, child.id, f"{field_name} does not match the record it is in")
    return child


def _flatten(name: str, record: Any, where: str, collector: _Collector) -> None:
    """Add a nested JSON record and everything inside it as flat records."""
    resource = RESOURCE_BY_NAME[name]
    flat_fields = set(resource.fields)
    collector.add(
        resource, type(record).model_validate(record.model_dump(include=flat_fields)), where
    )
    if name == "organization":
        for i, ident in enumerate(record.organization_identifiers):
            ident = _set_parent(ident, "organization_id", record.id, where, collector)
            _flatten(
                "organization_identifier",
                ident,
                f"{where}.organization_identifiers[{i}]",
                collector,
            )
    elif name == "location":
        for i, address in enumerate(record.addresses):
            address = _set_parent(address, "location_id", record.id, where, collector)
            _flatten("address", address, f"{where}.addresses[{i}]", collector)
    elif name == "phone":
        for i, language in enumerate(record.languages):
            language = _set_parent(language, "phone_id", record.id, where, collector)
            _flatten("language", language, f"{where}.languages[{i}]", collector)
    elif name == "taxonomy_term" and record.taxonomy_detail is not None:
        _flatten("taxonomy", record.taxonomy_detail, f"{where}.taxonomy_detail", collector)
    elif name == "attribute" and record.taxonomy_term is not None:
        _flatten("taxonomy_term", record.taxonomy_term, f"{where}.taxonomy_term", collector)
    elif name == "service_at_location" and record.location is not None:
        _flatten("location", record.location, f"{where}.location", collector)
    elif name == "service":
        _flatten_service(record, where, collector)


def _flatten_service(service: hm.HsdsService, where: str, collector: _Collector) -> None:
    if service.organization is not None:
        if service.organization.id != service.organization_id:
            collector.problem(where, service.id, "organization.id differs from organization_id")
        _flatten("organization", service.organization, f"{where}.organization", collector)
    nested = {
        "phones": ("phone", "service_id"),
        "languages": ("language", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "attributes": ("attribute", "link_id"),
        "puente_service_courts": ("puente_service_court", "service_id"),
        "puente_service_facilities": ("puente_service_facility", "service_id"),
        "puente_service_translations": ("puente_service_translation", "service_id"),
    }
    for key, (name, parent_field) in nested.items():
        for i, child in enumerate(getattr(service, key)):
            child_where = f"{where}.{key}[{i}]"
            child = _set_parent(child, parent_field, service.id, child_where, collector)
            _flatten(name, child, child_where, collector)


# ---- tabular


def _read_tabular(folder: Path, collector: _Collector) -> None:
    known = {r.path for r in RESOURCES}
    if not any((folder / name).exists() for name in known):
        collector.problem(folder.name, None, "no HSDS CSV files found (e.g. services.csv)")
        return
    for resource in RESOURCES:
        csv_path = folder / resource.path
        if not csv_path.exists():
            continue
        if csv_path.stat().st_size > MAX_FILE_BYTES:
            collector.problem(resource.path, None, "file too large")
            continue
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [
                f
                for f, info in resource.model.model_fields.items()
                if info.is_required() and f not in (reader.fieldnames or [])
            ]
            if missing:
                collector.problem(
                    resource.path, None, f"missing required column(s): {', '.join(missing)}"
                )
                continue
            for row_number, row in enumerate(reader, start=2):  # row 1 is the header
                where = f"{resource.path} row {row_number}"
                if None in row:
                    collector.problem(where, row.get("id"), "more cells than columns")
                    continue
                try:
                    record = resource.model.model_validate(row)
                except ValidationError as error:
                    for loc, message in _validation_messages(error):
                        collector.problem(f"{where}, column {loc}", row.get("id"), message)
                    continue
                collector.add(resource, record, where)


# ---- references


def _existing_ids(db: Session, resource: Resource, wanted: set[str]) -> set[str]:
    if not wanted:
        return set()
    key = getattr(resource.table, resource.primary_key)
    return set(db.exec(select(key).where(col(key).in_(wanted))).all())


def _check_references(db: Session, collector: _Collector) -> None:
    bundle = collector.bundle
    for resource, records in bundle:
        for fk in resource.foreign_keys:
            wanted = {getattr(r, fk.field) for r in records if getattr(r, fk.field) is not None}
            target = RESOURCE_BY_NAME[fk.resource]
            known = collector.ids(fk.resource)
            known |= _existing_ids(db, target, wanted - known)
            for record in records:
                value = getattr(record, fk.field)
                if value is not None and value not in known:
                    collector.problem(
                        _where(collector, resource, record),
                        getattr(record, resource.primary_key),
                        f"{fk.field} {value!r} refers to no {fk.resource}",
                    )
    services = collector.ids("service")
    services |= _existing_ids(
        db, RESOURCE_BY_NAME["service"], {a.link_id for a in bundle.records["attribute"]} - services
    )
    for attribute in bundle.records["attribute"]:
        if attribute.link_id not in services:
            collector.problem(
                _where(collector, RESOURCE_BY_NAME["attribute"], attribute),
                attribute.id,
                f"link_id {attribute.link_id!r} refers to no service",
            )
    # One translation per service and locale (the table's unique key).
    seen: set[tuple[str | None, str]] = set()
    for translation in bundle.records["puente_service_translation"]:
        pair = (translation.service_id, translation.locale)
        if pair in seen:
            collector.problem(
                _where(collector, RESOURCE_BY_NAME["puente_service_translation"], translation),
                translation.id,
                f"a second translation of service {pair[0]!r} into {pair[1]!r}",
            )
        seen.add(pair)
    # A phone or a language belongs to something: one of its two owners must be named.
    for name, owners, message in OWNED_RECORDS:
        for record in bundle.records[name]:
            if all(getattr(record, owner) is None for owner in owners):
                where = _where(collector, RESOURCE_BY_NAME[name], record)
                collector.problem(where, record.id, message)


def _where(collector: _Collector, resource: Resource, record: Any) -> str:
    return collector._seen[resource.name][getattr(record, resource.primary_key)][1]


# ---- writing


def _write(db: Session, bundle: Bundle, default_source: str) -> dict[str, ImportCounts]:
    """Write the records that are new or differ from the stored ones; count all of them."""
    counts: dict[str, ImportCounts] = {}
    changed = Bundle()
    for resource, records in bundle:
        tally = counts[resource.name] = ImportCounts()
        stored = _stored_rows(db, resource, records)
        for record in records:
            existing = stored.get(getattr(record, resource.primary_key))
            if existing is None:
                tally.created += 1
            elif _columns(existing) == _columns(to_row(resource, record, default_source)):
                tally.unchanged += 1
                continue
            else:
                tally.updated += 1
            changed.records[resource.name].append(record)
    write_bundle(db, changed, default_source=default_source, only_missing=False)
    return counts


def _stored_rows(db: Session, resource: Resource, records: list[Any]) -> dict[str, Any]:
    ids = {getattr(record, resource.primary_key) for record in records}
    if not ids:
        return {}
    key = getattr(resource.table, resource.primary_key)
    rows = db.exec(select(resource.table).where(col(key).in_(ids))).all()
    return {getattr(row, resource.primary_key): row for row in rows}


def _columns(row: Any) -> dict[str, Any]:
    """A row's stored values, comparable between a loaded row and one built from the file."""
    return {column.key: _comparable(getattr(row, column.key)) for column in row.__table__.columns}


def _comparable(value: object) -> object:
    # SQLite hands timestamps back without their zone; every stored timestamp is UTC
    # (hsds/models.py `_utc`).
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
