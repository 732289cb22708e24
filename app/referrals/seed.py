"""First-run data: our taxonomy, EOIR's immigration courts, the national resources, and a
sample region.

The data files in `data/` are written for people who check them (short keys, dates, notes);
this module turns them into HSDS records with stable UUIDs (uuid5 of the key), validates
them with the same models as an import, and adds whatever is not in the database yet.
Running it again changes nothing, and never overwrites what staff edited: a service that
exists is left alone with everything attached to it.
"""

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from sqlmodel import Session, col, select

from app.referrals.courts import SHIPPED_RELEASE, import_courts
from app.referrals.hsds.bundle import RESOURCE_BY_NAME, Bundle, write_bundle
from app.referrals.models import Service, ServiceTranslation
from app.referrals.vocabulary import LIST_TAXONOMY_ID, PUENTE_TAXONOMY_ID, Scope

DATA = Path(__file__).parent / "data"
NAMESPACE = uuid.UUID("0b7e4f8e-59d4-4c55-a0a4-7075656e7465")
SAMPLE_SOURCE = "Puente sample data (fictional)"
SAMPLE_REVIEW_DAYS = 180


def stable_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def seed_directory(
    db: Session,
    *,
    today: date | None = None,
    include_national: bool = True,
    include_sample: bool = True,
) -> dict[str, int]:
    """Load the taxonomy, the real immigration courts (the shipped copy of EOIR's table, unless
    a newer release was imported), the national resources and the sample region (each of the
    last two can be left out).

    Idempotent. `today` anchors the sample region's verification dates (default: today).
    Returns the records added per HSDS table.
    """
    today = today or date.today()
    courts = import_courts(db, SHIPPED_RELEASE)  # before the sample region, which names CHI
    bundle = Bundle()
    _add_taxonomy(bundle, _load("taxonomy.json"))
    if include_national:
        _add_directory(bundle, _load("national.json"), today=today, national=True)
    if include_sample:
        _add_directory(bundle, _load("sample_region.json"), today=today, national=False)
    _drop_existing_services(db, bundle)
    added = write_bundle(db, bundle, default_source=SAMPLE_SOURCE, only_missing=True)
    return added | {"puente_court": len(courts.added)}


def _load(name: str) -> dict[str, Any]:
    # json.loads returns Any; each of the package's data files is one JSON object.
    return cast(dict[str, Any], json.loads((DATA / name).read_text(encoding="utf-8")))


def _add(bundle: Bundle, resource_name: str, data: dict[str, Any]) -> Any:
    resource = RESOURCE_BY_NAME[resource_name]
    record = resource.model.model_validate(data)  # raises on a mistake in our data files
    bundle.records[resource_name].append(record)
    return record


def _term_id(code: str) -> str:
    return stable_id("term", code)


def _add_taxonomy(bundle: Bundle, data: dict[str, Any]) -> None:
    taxonomy_ids = {"puente": PUENTE_TAXONOMY_ID, "list": LIST_TAXONOMY_ID}
    for taxonomy in data["taxonomies"]:
        _add(
            bundle,
            "taxonomy",
            {
                "id": taxonomy_ids[taxonomy["key"]],
                "name": taxonomy["name"],
                "description": taxonomy["description"],
                "uri": taxonomy.get("uri"),
                "version": taxonomy.get("version"),
            },
        )
    for term in data["terms"]:
        _add(
            bundle,
            "taxonomy_term",
            {
                "id": _term_id(term["key"]),
                "code": term["key"],
                "name": term["name"],
                "description": term["description"],
                "parent_id": _term_id(term["parent"]) if term.get("parent") else None,
                "taxonomy_id": taxonomy_ids[term["taxonomy"]],
            },
        )


def _provenance(raw: dict[str, Any], *, today: date, sample: bool) -> dict[str, Any]:
    """puente_* provenance fields; sample dates are given relative to `today`."""
    if not sample:
        return {f"puente_{key}": value for key, value in raw.items()}
    method = raw.get("verification_method", "sample")
    days_ago = raw.get("verified_days_ago")
    verified = today - timedelta(days=days_ago) if days_ago is not None else None
    return {
        "puente_source_name": SAMPLE_SOURCE,
        "puente_retrieved_at": today,
        "puente_verified_at": verified,
        "puente_verified_by": "Puente (fictional sample)" if verified else None,
        "puente_verification_method": method,
        "puente_verification_note": "Fictional demonstration record."
        if verified
        else "Fictional demonstration record whose number is deliberately left unverified.",
        "puente_next_review_due": (verified or today) + timedelta(days=SAMPLE_REVIEW_DAYS),
    }


def _add_directory(bundle: Bundle, data: dict[str, Any], *, today: date, national: bool) -> None:
    sample = not national
    for court in data.get("courts", []):
        _add(bundle, "puente_court", court)
    for facility in data.get("facilities", []):
        fields = {k: v for k, v in facility.items() if k != "key"}
        _add(bundle, "puente_facility", {"id": stable_id("facility", facility["key"]), **fields})
    for org in data["organizations"]:
        fields = {k: v for k, v in org.items() if k != "key"}
        _add(bundle, "organization", {"id": stable_id("organization", org["key"]), **fields})
    for service in data["services"]:
        _add_service(bundle, service, today=today, national=national, sample=sample)


_SERVICE_FLAGS = (
    "serves_detained",
    "detained_only",
    "accepts_collect_calls",
    "crim_imm_expertise",
    "cost",
    "accepting_new_clients",
    "provider_kind",
    "curated",
)
_SERVICE_TEXT = (
    "name",
    "description",
    "url",
    "interpretation_services",
    "eligibility_description",
    "fees_description",
    "application_process",
)
_SERVICE_EXTENSION_TEXT = ("hours", "language_note")  # puente_hours, puente_language_note
TRANSLATED_FIELDS = ("name", "description", "hours", "language_note")


def _add_service(
    bundle: Bundle, raw: dict[str, Any], *, today: date, national: bool, sample: bool
) -> None:
    key = raw["key"]
    service_id = stable_id("service", key)
    organization_id = stable_id("organization", raw["organization"])
    record: dict[str, Any] = {
        "id": service_id,
        "organization_id": organization_id,
        "status": "active",
        "puente_is_sample": sample,
    }
    record |= {k: raw[k] for k in _SERVICE_TEXT if k in raw}
    record |= {
        f"puente_{k}": raw[k] for k in (*_SERVICE_FLAGS, *_SERVICE_EXTENSION_TEXT) if k in raw
    }
    record |= _provenance(raw["provenance"], today=today, sample=sample)
    _add(bundle, "service", record)

    for locale, fields in raw.get("translations", {}).items():
        _add(
            bundle,
            "puente_service_translation",
            {
                "id": stable_id("service_translation", f"{key}:{locale}"),
                "service_id": service_id,
                "locale": locale,
                **{k: fields[k] for k in TRANSLATED_FIELDS if k in fields},
            },
        )
    for code in raw.get("languages", []):
        _add(
            bundle,
            "language",
            {"id": stable_id("language", f"{key}:{code}"), "service_id": service_id, "code": code},
        )
    for term in raw.get("terms", []):
        _add(
            bundle,
            "attribute",
            {
                "id": stable_id("attribute", f"{key}:{term}"),
                "link_id": service_id,
                "link_entity": "service",
                "taxonomy_term_id": _term_id(term),
            },
        )
    areas = raw.get("areas") or (
        [{"scope": Scope.national, "name": "United States"}] if national else []
    )
    for index, area in enumerate(areas):
        _add(
            bundle,
            "service_area",
            {
                "id": stable_id("service_area", f"{key}:{index}"),
                "service_id": service_id,
                "name": area.get("name"),
                **{f"puente_{k}": v for k, v in area.items() if k != "name"},
            },
        )
    for index, phone in enumerate(raw.get("phones", [])):
        _add(
            bundle,
            "phone",
            {
                "id": stable_id("phone", f"{key}:{index}"),
                "service_id": service_id,
                "number": phone["number"],
                "type": "voice",
                "description": phone.get("description"),
                **_provenance(phone["provenance"], today=today, sample=sample),
            },
        )
    for index, place in enumerate(raw.get("locations", [])):
        location_id = stable_id("location", f"{key}:{index}")
        _add(
            bundle,
            "location",
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": place.get("name"),
                "latitude": place["latitude"],
                "longitude": place["longitude"],
            },
        )
        _add(
            bundle,
            "address",
            {
                "id": stable_id("address", f"{key}:{index}"),
                "location_id": location_id,
                "address_1": place["address_1"],
                "city": place["city"],
                "state_province": place["state"],
                "postal_code": place["postal_code"],
                "country": "US",
                "address_type": "physical",
            },
        )
        _add(
            bundle,
            "service_at_location",
            {
                "id": stable_id("service_at_location", f"{key}:{index}"),
                "service_id": service_id,
                "location_id": location_id,
            },
        )
    for code in raw.get("courts", []):
        _add(
            bundle,
            "puente_service_court",
            {
                "id": stable_id("service_court", f"{key}:{code}"),
                "service_id": service_id,
                "court_code": code,
                "source": raw["provenance"].get("source_name", SAMPLE_SOURCE),
            },
        )
    for facility_key in raw.get("facilities", []):
        _add(
            bundle,
            "puente_service_facility",
            {
                "id": stable_id("service_facility", f"{key}:{facility_key}"),
                "service_id": service_id,
                "facility_id": stable_id("facility", facility_key),
            },
        )


def _drop_existing_services(db: Session, bundle: Bundle) -> None:
    """Leave a service that already exists, and everything hanging from it, untouched."""
    existing = {s.id for s in bundle.records["service"] if db.get(Service, s.id) is not None}
    if not existing:
        return
    records = bundle.records
    records["service"] = [s for s in records["service"] if s.id not in existing]
    for name in (
        "phone",
        "language",
        "service_area",
        "service_at_location",
        "puente_service_court",
        "puente_service_facility",
    ):
        records[name] = [r for r in records[name] if r.service_id not in existing]
    records["attribute"] = [a for a in records["attribute"] if a.link_id not in existing]
    # A translation is added to a service that exists only for a locale it lacks: a release
    # that ships new translations reaches running sites, and staff wording is never replaced.
    translated = set(
        db.exec(
            select(ServiceTranslation.service_id, ServiceTranslation.locale).where(
                col(ServiceTranslation.service_id).in_(existing)
            )
        ).all()
    )
    records["puente_service_translation"] = [
        t
        for t in records["puente_service_translation"]
        if (t.service_id, t.locale) not in translated
    ]
    # Locations and addresses of an existing service stay as staff left them, too.
    kept_locations = {link.location_id for link in records["service_at_location"]}
    seeded_locations = {loc.id for loc in records["location"]}
    dropped = seeded_locations - kept_locations
    records["location"] = [loc for loc in records["location"] if loc.id not in dropped]
    records["address"] = [a for a in records["address"] if a.location_id not in dropped]
