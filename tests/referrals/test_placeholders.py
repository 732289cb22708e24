"""Placeholders in content text take their values from the directory: a number or address of
a national resource is written once, in its directory record."""

from datetime import date, timedelta

from referral_helpers import TODAY
from sqlmodel import Session, select

from app.referrals import models as m
from app.referrals.placeholders import (
    PLACEHOLDERS,
    Filled,
    Kind,
    LazyValues,
    Prose,
    fill,
    resolve,
)
from app.referrals.snapshot import load_directory


def _phone(db: Session, placeholder: str) -> m.Phone:
    service_id = PLACEHOLDERS[placeholder].service_id
    return db.exec(select(m.Phone).where(m.Phone.service_id == service_id)).one()


def test_every_placeholder_has_a_seeded_record_with_its_value(seeded: Session) -> None:
    values = resolve(load_directory(seeded), TODAY)
    assert set(values) == set(PLACEHOLDERS)
    assert values["eoir_phone"] == Filled(Kind.phone, "1-800-898-7180", "tel:+18008987180")
    assert values["ice_phone"] == Filled(Kind.phone, "1-888-351-4024", "tel:+18883514024")
    assert values["ice_locator"] == Filled(Kind.web, "locator.ice.gov", "https://locator.ice.gov")


def test_a_changed_number_is_what_the_text_shows(seeded: Session) -> None:
    phone = _phone(seeded, "eoir_phone")
    phone.number = "202-555-0147"
    seeded.add(phone)
    seeded.commit()
    values = resolve(load_directory(seeded), TODAY)
    prose = fill("Call {eoir_phone} with the A-number.", values)
    assert prose.parts == (
        "Call ",
        Filled(Kind.phone, "202-555-0147", "tel:+12025550147"),
        " with the A-number.",
    )
    assert str(prose) == "Call 202-555-0147 with the A-number."


def test_a_missing_record_shows_its_name_and_no_number(seeded: Session) -> None:
    service = seeded.get(m.Service, PLACEHOLDERS["ice_phone"].service_id)
    seeded.delete(service)
    seeded.commit()
    values = resolve(load_directory(seeded), TODAY)
    assert values["ice_phone"] == Filled(Kind.name, "ICE Detention Reporting and Information Line")


def test_a_number_nobody_verified_lately_is_not_shown(seeded: Session) -> None:
    # Cards give no call button for a number unverified for 12 months (referrals.md §6.4):
    # the prose follows the same rule and names the resource, linked to its website.
    phone = _phone(seeded, "eoir_phone")
    phone.verified_at = TODAY - timedelta(days=400)
    seeded.add(phone)
    seeded.commit()
    values = resolve(load_directory(seeded), TODAY)
    shown = values["eoir_phone"]
    assert shown.kind is Kind.name and shown.text == "EOIR Automated Case Information"
    assert shown.href == "https://www.justice.gov/eoir/customer-service-initiatives"


def test_text_without_placeholders_never_loads_the_values() -> None:
    def load() -> dict[str, Filled]:
        raise AssertionError("the directory was read")

    lazy = LazyValues(load)
    assert fill("No number here.", lazy) == Prose(("No number here.",))
    assert fill("", lazy) == Prose(())
    assert not fill("", lazy)


def test_an_unknown_name_stays_as_text() -> None:
    # validate-content refuses it; at run time it is shown as written, never guessed.
    assert str(fill("Call {nobody}.", {})) == "Call {nobody}."


def test_the_values_follow_the_day(seeded: Session) -> None:
    later = date(2028, 1, 1)  # past every seeded review date: nothing is shown as current
    values = resolve(load_directory(seeded), later)
    assert all(value.kind is Kind.name for value in values.values())
