"""Export the directory as HSDS 3.0: JSON, or a tabular data package (CSV + datapackage.json).

JSON: an HSDS API page of services (`contents`, each service with its organization,
phones, languages, service areas, locations and attributes nested as the compiled
`service_with_definitions.json` schema has them), plus top-level `organizations`,
`locations`, `taxonomies`, `taxonomy_terms` (as the HSDS API lists them) and our extension
lists `puente_courts` and `puente_facilities` (and, in each service, its
`puente_service_translations`: its public text in other languages), so that nothing is lost
on a round trip. Each active immigration court is also an HSDS location (court_locations.py).

Tabular: one CSV per HSDS table with the HSDS column names, our `puente_*` extension columns,
and extension tables `puente_*.csv`; `datapackage.json` describes every field, primary key
and foreign key, so `frictionless validate` checks the package.
"""

import csv
import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel
from sqlmodel import Session

from app.referrals.hsds.bundle import RESOURCE_BY_NAME, RESOURCES, Bundle, Resource, bundle_from_db
from app.referrals.hsds.court_locations import with_court_locations

HSDS_VERSION = "3.0"
ExportFormat = Literal["json", "tabular"]


class ExportFormatError(ValueError):
    """An unknown export format was asked for."""


def export_hsds(path: Path, format: ExportFormat, *, db: Session) -> dict[str, int]:
    """Write the whole directory to `path` and return the number of records per HSDS table.

    For the CLI: `puente directory export --format json|tabular OUT`.
    `json` writes one file at `path`; `tabular` writes a folder at `path` (created if needed)
    holding the CSV files and datapackage.json. Existing files of the same names are replaced.
    """
    bundle = with_court_locations(bundle_from_db(db))
    if format == "json":
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(bundle_to_json(bundle), ensure_ascii=False, indent=2, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
    elif format == "tabular":
        write_tabular(bundle, path)
    else:
        raise ExportFormatError(f"unknown export format {format!r}; use json or tabular")
    return {resource.name: len(records) for resource, records in bundle}


# ---- JSON


def _dump(resource: Resource, record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude_none=True, include=set(resource.fields))


def bundle_to_json(bundle: Bundle) -> dict[str, Any]:
    by = bundle.records
    languages_of = _group(by["language"], "phone_id")
    service_languages = _group(by["language"], "service_id")
    identifiers_of = _group(by["organization_identifier"], "organization_id")
    addresses_of = _group(by["address"], "location_id")
    terms = {t.id: t for t in by["taxonomy_term"]}
    taxonomies = {t.id: t for t in by["taxonomy"]}

    def phone(record: Any) -> dict[str, Any]:
        data = _dump(RESOURCE_BY_NAME["phone"], record)
        langs = languages_of.get(record.id, [])
        if langs:
            data["languages"] = [_dump(RESOURCE_BY_NAME["language"], x) for x in langs]
        return data

    org_phones = _group([p for p in by["phone"] if p.service_id is None], "organization_id")

    def organization(record: Any) -> dict[str, Any]:
        data = _dump(RESOURCE_BY_NAME["organization"], record)
        data["organization_identifiers"] = [
            _dump(RESOURCE_BY_NAME["organization_identifier"], x)
            for x in identifiers_of.get(record.id, [])
        ]
        data["phones"] = [phone(x) for x in org_phones.get(record.id, [])]
        return data

    location_phones = _group([p for p in by["phone"] if p.location_id], "location_id")

    def location(record: Any) -> dict[str, Any]:
        data = _dump(RESOURCE_BY_NAME["location"], record)
        data["addresses"] = [
            _dump(RESOURCE_BY_NAME["address"], x) for x in addresses_of.get(record.id, [])
        ]
        if record.id in location_phones:  # an immigration court's (court_locations.py)
            data["phones"] = [phone(x) for x in location_phones[record.id]]
        return data

    def term(term_id: str) -> dict[str, Any] | None:
        record = terms.get(term_id)
        if record is None:
            return None
        data = _dump(RESOURCE_BY_NAME["taxonomy_term"], record)
        detail = taxonomies.get(record.taxonomy_id)
        if detail is not None:
            data["taxonomy_detail"] = _dump(RESOURCE_BY_NAME["taxonomy"], detail)
        return data

    organizations = {o.id: o for o in by["organization"]}
    locations = {loc.id: loc for loc in by["location"]}
    children = {
        name: _group(by[name], "service_id")
        for name in (
            "phone",
            "service_area",
            "service_at_location",
            "puente_service_court",
            "puente_service_facility",
            "puente_service_translation",
        )
    }
    attributes_of = _group(by["attribute"], "link_id")

    contents = []
    for service in by["service"]:
        sid = service.id
        data = _dump(RESOURCE_BY_NAME["service"], service)
        data["organization"] = organization(organizations[service.organization_id])
        data["phones"] = [phone(p) for p in children["phone"].get(sid, [])]
        data["languages"] = [
            _dump(RESOURCE_BY_NAME["language"], x) for x in service_languages.get(sid, [])
        ]
        data["service_areas"] = [
            _dump(RESOURCE_BY_NAME["service_area"], x)
            for x in children["service_area"].get(sid, [])
        ]
        data["service_at_locations"] = []
        for link in children["service_at_location"].get(sid, []):
            item = _dump(RESOURCE_BY_NAME["service_at_location"], link)
            item["location"] = location(locations[link.location_id])
            data["service_at_locations"].append(item)
        data["attributes"] = []
        for attribute in attributes_of.get(sid, []):
            item = _dump(RESOURCE_BY_NAME["attribute"], attribute)
            nested = term(attribute.taxonomy_term_id)
            if nested is not None:
                item["taxonomy_term"] = nested
            data["attributes"].append(item)
        data["puente_service_courts"] = [
            _dump(RESOURCE_BY_NAME["puente_service_court"], x)
            for x in children["puente_service_court"].get(sid, [])
        ]
        data["puente_service_facilities"] = [
            _dump(RESOURCE_BY_NAME["puente_service_facility"], x)
            for x in children["puente_service_facility"].get(sid, [])
        ]
        data["puente_service_translations"] = [
            _dump(RESOURCE_BY_NAME["puente_service_translation"], x)
            for x in children["puente_service_translation"].get(sid, [])
        ]
        contents.append(data)

    count = len(contents)
    return {
        "hsds_version": HSDS_VERSION,
        "total_items": count,
        "total_pages": 1,
        "page_number": 1,
        "size": count,
        "first_page": True,
        "last_page": True,
        "empty": count == 0,
        "contents": contents,
        "organizations": [organization(o) for o in by["organization"]],
        "locations": [location(loc) for loc in by["location"]],
        "taxonomies": [_dump(RESOURCE_BY_NAME["taxonomy"], t) for t in by["taxonomy"]],
        "taxonomy_terms": [term(t.id) for t in by["taxonomy_term"]],
        "puente_courts": [_dump(RESOURCE_BY_NAME["puente_court"], c) for c in by["puente_court"]],
        "puente_facilities": [
            _dump(RESOURCE_BY_NAME["puente_facility"], f) for f in by["puente_facility"]
        ],
    }


def _group(records: list[Any], key: str) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        value = getattr(record, key, None)
        if value is not None:
            grouped.setdefault(value, []).append(record)
    return grouped


# ---- tabular data package


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def write_tabular(bundle: Bundle, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for resource, records in bundle:
        with (folder / resource.path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(resource.fields)
            for record in records:
                writer.writerow([_cell(getattr(record, name)) for name in resource.fields])
    package = datapackage_descriptor()
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


_TYPES: dict[object, str] = {
    str: "string",
    float: "number",
    int: "number",
    bool: "boolean",
    date: "date",
    datetime: "datetime",
}


def _field_type(model: type[BaseModel], name: str) -> str:
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *get_args(annotation)):
        base = get_args(candidate)[0] if get_args(candidate) else candidate
        if isinstance(base, type) and issubclass(base, StrEnum):
            return "string"
        if base in _TYPES:
            return _TYPES[base]
    return "string"  # Literal[...] and other constrained strings


def datapackage_descriptor() -> dict[str, Any]:
    """Our own datapackage.json: HSDS 3.0 resource and field names, plus our extensions."""
    resources = []
    for resource in RESOURCES:
        fields = []
        for name in resource.fields:
            info = resource.model.model_fields[name]
            fields.append(
                {
                    "name": name,
                    "type": _field_type(resource.model, name),
                    "constraints": {"required": info.is_required()},
                }
            )
        schema: dict[str, Any] = {"fields": fields, "primaryKey": resource.primary_key}
        if resource.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": fk.field,
                    "reference": {
                        "resource": "" if fk.resource == resource.name else fk.resource,
                        "fields": fk.target,
                    },
                }
                for fk in resource.foreign_keys
            ]
        resources.append(
            {
                "name": resource.name,
                "path": resource.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **({"description": resource.description} if resource.description else {}),
                "schema": schema,
            }
        )
    return {
        "name": "puente_legal_help_directory",
        "title": "Puente legal-help directory (HSDS 3.0 tabular data package)",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "description": (
            "HSDS 3.0 tables with Puente's puente_* extension fields and tables. Records "
            "marked puente_is_sample are fictional demonstration data."
        ),
        "resources": resources,
    }
