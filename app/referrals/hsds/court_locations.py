"""The immigration courts as HSDS locations (issue 17), so that any HSDS reader finds them.

A court travels whole in our `puente_courts` extension list; for readers that know only HSDS,
the export also gives each active court a `location` with its address and phone, named by its
EOIR code in HSDS's own `external_identifier` fields. Ids are UUIDs derived from the code, so
every export gives the same ones. An import leaves these locations out (the court itself comes
in through `puente_courts`), so a round trip neither loses a court nor adds a location.
"""

import uuid

from app.referrals.hsds import models as hm
from app.referrals.hsds.bundle import Bundle

COURT_ID_TYPE = "EOIR immigration court code"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.justice.gov/eoir/immigration-courts")


def _id(kind: str, code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{code}"))


def with_court_locations(bundle: Bundle) -> Bundle:
    """The bundle plus a location (with address and phone) for each active real court."""
    for court in bundle.records["puente_court"]:
        if not court.active or court.is_sample:
            continue
        location_id = _id("location", court.code)
        city = (court.city or "").title()
        bundle.records["location"].append(
            hm.HsdsLocation(
                id=location_id,
                location_type="physical",
                name=f"Immigration Court, {city} ({court.code})" if city else court.name,
                description=f"{court.source_name}, {court.source_date or 'undated'}. "
                f"Coordinates: {court.coordinates_source or 'none'}.",
                latitude=court.latitude,
                longitude=court.longitude,
                external_identifier=court.code,
                external_identifier_type=COURT_ID_TYPE,
            )
        )
        if court.address and court.city and court.state and court.postal_code:
            suffix = f"-{court.postal_code_suffix}" if court.postal_code_suffix else ""
            bundle.records["address"].append(
                hm.HsdsAddress(
                    id=_id("address", court.code),
                    location_id=location_id,
                    address_1=court.address,
                    city=city,
                    state_province=court.state.upper(),
                    postal_code=court.postal_code + suffix,
                )
            )
        if court.phone:
            bundle.records["phone"].append(
                hm.HsdsPhone(
                    id=_id("phone", court.code),
                    location_id=location_id,
                    number=court.phone,
                    type="voice",
                    puente_source_name=court.source_name,
                    puente_verified_at=court.verified_at,
                    puente_verified_by=court.verified_by,
                )
            )
    return bundle


def is_court_location(record: object) -> bool:
    """A location this module made: an import leaves it, its address and phone out."""
    return getattr(record, "external_identifier_type", None) == COURT_ID_TYPE
