"""Staff service functions: list, search, create, update, deactivate, verify, due for review."""

from datetime import timedelta

import pytest
from pydantic import ValidationError
from referral_helpers import TODAY
from sqlmodel import select

from app.referrals import models as m
from app.referrals.directory import (
    AreaInput,
    DirectoryError,
    PhoneInput,
    ServiceInput,
    ServiceUpdate,
    create_service,
    deactivate_service,
    due_for_review,
    get_service,
    list_services,
    mark_verified,
    update_service,
)
from app.referrals.matching import ReferralRequest, match_referrals
from app.referrals.snapshot import load_directory


def new_service(db, **overrides):
    data = dict(
        organization_name="Riverside Legal Aid",
        name="Immigration defense",
        description="Free help in immigration court.",
        source_name="Staff entry",
        terms=["puente:removal_defense", "puente:crim_imm_advice"],
        languages=["en", "es"],
        areas=[AreaInput(scope="state", state="il")],
        phones=[PhoneInput(number="(312) 555-0142")],
    )
    data.update(overrides)
    return create_service(db, ServiceInput(**data), today=TODAY)


def visible(db):
    return match_referrals(load_directory(db), ReferralRequest(today=TODAY, state="il")).local


def test_create_starts_unverified_and_hidden(directory):
    service = new_service(directory.db)
    assert service.next_review_due is None and service.verified_at is None
    assert service.phones[0].number == "312-555-0142"
    assert visible(directory.db) == []
    due = due_for_review(directory.db, today=TODAY)
    assert [(i.what, i.service_id) for i in due] == [("service", service.id), ("phone", service.id)]


def test_verified_service_appears_with_a_call_button(directory):
    service = new_service(directory.db)
    mark_verified(
        directory.db, service.id, verified_by="Ana (staff)", method="phone_call", on=TODAY
    )
    cards = visible(directory.db)
    assert [c.name for c in cards] == ["Immigration defense"]
    assert cards[0].phone_href == "tel:+13125550142"
    stored = get_service(directory.db, service.id)
    assert stored.next_review_due == TODAY + timedelta(days=180)
    assert stored.phones[0].verified_by == "Ana (staff)"


def test_verify_only_some_phones(directory):
    service = new_service(
        directory.db, phones=[PhoneInput(number="312-555-0142"), PhoneInput(number="312-555-0143")]
    )
    first = service.phones[0]
    mark_verified(
        directory.db,
        service.id,
        verified_by="Ana",
        method="owner_website",
        on=TODAY,
        phone_ids=[first.id],
    )
    phones = {p.id: p for p in get_service(directory.db, service.id).phones}
    assert phones[first.id].verified_at == TODAY
    assert [p.verified_at for pid, p in phones.items() if pid != first.id] == [None]


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(method="third_party"),
        dict(method="sample"),
        dict(verified_by="  "),
        dict(phone_ids=["not-a-phone"]),
        dict(next_review_due=TODAY),
    ],
)
def test_mark_verified_refuses_what_is_not_a_verification(directory, kwargs):
    service = new_service(directory.db)
    args = dict(verified_by="Ana", method="phone_call", on=TODAY) | kwargs
    with pytest.raises(DirectoryError):
        mark_verified(directory.db, service.id, **args)


@pytest.mark.parametrize(
    "bad",
    [
        dict(phones=[{"number": "555-0142"}]),
        dict(areas=[dict(scope="state", state="zz")]),
        dict(languages=["Spanish"]),
        dict(url="javascript:alert(1)"),
        dict(name=""),
    ],
)
def test_create_validates_input(directory, bad):
    with pytest.raises((ValidationError, DirectoryError)):
        new_service(directory.db, **{k: v for k, v in bad.items()})


def test_bad_phone_number_is_a_validation_error():
    with pytest.raises(ValidationError):
        PhoneInput(number="12345")


def test_unknown_term_and_organization(directory):
    with pytest.raises(DirectoryError):
        new_service(directory.db, terms=["puente:nonsense"])
    with pytest.raises(DirectoryError):
        new_service(directory.db, organization_name=None, organization_id="missing")
    with pytest.raises(DirectoryError):
        new_service(directory.db, detained_only=True)
    assert directory.db.exec(select(m.Service)).all() == []  # nothing half-written


def test_update_changes_fields_and_replaces_lists(directory):
    service = new_service(directory.db)
    phone_id = service.phones[0].id
    updated = update_service(
        directory.db,
        service.id,
        ServiceUpdate(
            name="Renamed",
            languages=["ar"],
            terms=["puente:bond"],
            serves_detained=True,
            phones=[PhoneInput(number="312-555-0142", description="Intake")],
        ),
    )
    assert updated.name == "Renamed"
    assert [lang.code for lang in updated.languages] == ["ar"]
    assert updated.serves_detained and updated.description == "Free help in immigration court."
    assert [p.id for p in updated.phones] == [phone_id]  # same number keeps its history
    assert updated.phones[0].description == "Intake"


def test_update_unknown_service(directory):
    with pytest.raises(DirectoryError):
        update_service(directory.db, "missing", ServiceUpdate(name="x"))


def test_deactivate_hides_but_keeps(directory):
    service = new_service(directory.db)
    mark_verified(directory.db, service.id, verified_by="Ana", method="phone_call", on=TODAY)
    deactivate_service(directory.db, service.id)
    assert visible(directory.db) == []
    assert get_service(directory.db, service.id).status == "inactive"
    with pytest.raises(DirectoryError):
        deactivate_service(directory.db, service.id, status="active")


def test_list_and_search(directory):
    new_service(directory.db)
    new_service(
        directory.db,
        organization_name="Lakeside Clinic",
        name="Bond help",
        description="Release from detention.",
        areas=[AreaInput(scope="state", state="wi")],
    )
    rows, total = list_services(directory.db, today=TODAY)
    assert total == 2 and [r.name for r in rows] == ["Bond help", "Immigration defense"]
    rows, total = list_services(directory.db, today=TODAY, query="lakeside")
    assert total == 1 and rows[0].organization_name == "Lakeside Clinic"
    rows, total = list_services(directory.db, today=TODAY, query="IMMIGRATION COURT")
    assert [r.name for r in rows] == ["Immigration defense"]  # found in the description
    rows, _ = list_services(directory.db, today=TODAY, state="wi")
    assert [r.states for r in rows] == [["wi"]]
    rows, total = list_services(directory.db, today=TODAY, limit=1, offset=1)
    assert total == 2 and len(rows) == 1


def test_list_can_leave_out_sample_data(seeded):
    everything, _ = list_services(seeded, today=TODAY)
    real, _ = list_services(seeded, today=TODAY, include_sample=False)
    assert any(r.is_sample for r in everything) and not any(r.is_sample for r in real)


def test_due_for_review(directory):
    fresh = directory.service("Fresh", review_in_days=100)
    soon = directory.service("Soon", review_in_days=10)
    overdue = directory.service("Overdue", review_in_days=-1)
    never = directory.service("Never", review_in_days=None)
    directory.service("Gone", review_in_days=-30, status="inactive")
    due = due_for_review(directory.db, today=TODAY)
    services = [i.service_id for i in due if i.what == "service"]
    assert services == [never.id, overdue.id]  # no date first, then the oldest
    within = {
        i.service_id
        for i in due_for_review(directory.db, today=TODAY, within_days=30)
        if i.what == "service"
    }
    assert within == {never.id, overdue.id, soon.id}
    assert fresh.id not in within


def test_due_for_review_lists_stale_phones(directory):
    service = directory.service("Phone due")
    phone = service.phones[0]
    phone.next_review_due = TODAY - timedelta(days=1)
    directory.db.add(phone)
    directory.db.commit()
    items = due_for_review(directory.db, today=TODAY)
    assert [(i.what, i.phone_number) for i in items] == [("phone", "312-555-0199")]
