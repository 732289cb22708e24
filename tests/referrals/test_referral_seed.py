"""The first-run data: national resources as referrals.md confirms them, and a sample region
that nobody can mistake for real data."""

import json
from pathlib import Path

from referral_helpers import TODAY
from sqlmodel import select

from app.referrals import models as m
from app.referrals.cards import phone_is_trusted
from app.referrals.matching import ReferralRequest, match_referrals
from app.referrals.seed import seed_directory
from app.referrals.snapshot import load_directory

DATA = Path(__file__).resolve().parents[2] / "app" / "referrals" / "data"

# shared/reference/referrals.md section 7: confirmed on the owner's page.
CONFIRMED_NUMBERS = {"800-898-7180", "888-351-4024"}
# Unconfirmed or outdated: must never be shipped (as verified or otherwise).
UNCONFIRMED_NUMBERS = [
    "212-725-6422",
    "646-760-0599",
    "312-263-0901",
    "209-757-3733",
    "800-954-0254",
    "2127256422",
    "6467600599",
    "3122630901",
    "2097573733",
    "8009540254",
]


def test_seed_is_idempotent(db):
    first = seed_directory(db, today=TODAY)
    assert first["service"] == 12
    again = seed_directory(db, today=TODAY)
    assert not any(again.values())


def test_seed_keeps_staff_edits(seeded):
    service = seeded.exec(select(m.Service).where(m.Service.name.startswith("Record"))).one()
    service.description = "Edited by staff"
    phone = service.phones[0]
    seeded.delete(phone)
    seeded.commit()
    seed_directory(seeded, today=TODAY)
    seeded.refresh(service)
    assert service.description == "Edited by staff" and service.phones == []


def test_only_confirmed_numbers_are_verified(seeded):
    phones = seeded.exec(select(m.Phone).join(m.Service).where(m.Service.is_sample == False)).all()  # noqa: E712
    assert {p.number for p in phones} == CONFIRMED_NUMBERS
    for phone in phones:
        assert phone.verification_method == "owner_website" and phone.source_url
        assert phone_is_trusted(phone, TODAY)


def test_unconfirmed_numbers_are_nowhere_in_the_data():
    for path in DATA.glob("*.json"):
        text = path.read_text(encoding="utf-8").replace("(", "").replace(") ", "-")
        for number in UNCONFIRMED_NUMBERS:
            assert number not in text, (path.name, number)


def test_every_national_service_has_provenance_and_scope(seeded):
    national = [s for s in seeded.exec(select(m.Service)).all() if not s.is_sample]
    assert len(national) == 7
    for service in national:
        assert service.source_name and service.source_url and service.next_review_due
        assert [a.scope for a in service.areas] == ["national"]
        if service.verification_method == "third_party":
            assert service.verified_at is None and "NOT VERIFIED" in service.verification_note


def test_sample_region_is_marked_everywhere(seeded):
    samples = [s for s in seeded.exec(select(m.Service)).all() if s.is_sample]
    assert len(samples) == 5
    for service in samples:
        assert "(sample)" in service.name and "(demonstration)" in service.organization.name
        assert service.source_name == "Puente sample data (fictional)"
        for phone in service.phones:
            _, exchange, line = phone.number.split("-")
            assert exchange == "555" and line.startswith("01")  # reserved for fiction
        assert ".example.org" in (service.url or "")
    for facility in seeded.exec(select(m.Facility)).all():
        assert facility.is_sample and "(demonstration)" in facility.name
    result = match_referrals(load_directory(seeded), ReferralRequest(today=TODAY, zip="60608"))
    assert result.local and all(card.is_sample for card in result.local)


def test_demo_region_shows_both_tiers(seeded):
    chicago = match_referrals(load_directory(seeded), ReferralRequest(today=TODAY, zip="60608"))
    assert len(chicago.local) >= 3 and chicago.national == []
    champaign = match_referrals(
        load_directory(seeded),
        ReferralRequest(today=TODAY, zip="61820", needs=frozenset({"post_conviction", "general"})),
    )
    assert champaign.local[0].name.startswith("Post-conviction")
    assert champaign.local[0].has_unverified_phone and champaign.local[0].phone is None
    assert champaign.national and all(c.is_national for c in champaign.national)


def test_detained_family_gets_detention_resources(seeded):
    facility = seeded.exec(select(m.Facility)).one()
    result = match_referrals(
        load_directory(seeded),
        ReferralRequest(
            today=TODAY,
            facility_id=facility.id,
            detained=True,
            needs=frozenset({"detained", "general"}),
        ),
    )
    assert [c.name for c in result.local] == ["Detained defense and bond hearings (sample)"]
    national = {c.name for c in result.national}
    assert "Detention Reporting and Information Line" in national
    assert all(c.serves_detained for c in result.local + result.national)


def test_national_list_expires_without_review(seeded):
    from datetime import date

    request = ReferralRequest(today=date(2027, 6, 1), state="tx")
    later = match_referrals(load_directory(seeded), request)
    assert later.national == []  # every national record is past its review by then


def test_data_files_are_valid_json():
    for path in DATA.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
