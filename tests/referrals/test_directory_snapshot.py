"""The in-memory copy of the directory: its revision moves with every change, in the change's
own transaction, and each process reloads its copy when the revision has moved."""

import threading

from referral_helpers import TODAY
from sqlmodel import Session, select

from app.referrals import models as m
from app.referrals.matching import ReferralRequest, match_referrals
from app.referrals.revision import read_revision
from app.referrals.snapshot import DirectoryCache


def _names(directory) -> list[str]:
    result = match_referrals(directory, ReferralRequest(today=TODAY, state="il"))
    return [card.name for card in result.local]


def test_every_directory_change_moves_the_revision(directory):
    db = directory.db
    before = read_revision(db)
    service = directory.service("Clinic")  # a new service, its organization, areas, phones
    added = read_revision(db)
    assert added is not None and before is not None and added > before
    service.name = "Clinic (renamed)"
    db.add(service)
    db.commit()
    renamed = read_revision(db)
    assert renamed > added
    phone = db.exec(select(m.Phone).where(m.Phone.service_id == service.id)).first()
    db.delete(phone)
    db.commit()
    assert read_revision(db) > renamed


def test_a_rolled_back_change_leaves_the_revision(directory):
    db = directory.db
    service = directory.service("Clinic")
    before = read_revision(db)
    service.name = "Never saved"
    db.add(service)
    db.flush()  # the listener runs here, inside the transaction
    db.rollback()
    assert read_revision(db) == before


def test_other_writes_leave_the_revision(app):
    from datetime import date

    from app.partners.models import Partner

    db = app.state.puente.db
    with db.read() as session:
        before = read_revision(session)
    assert before is not None  # the migration made the row
    with db.write() as session:
        session.add(Partner(code="abc123", name="Outreach", created_on=date(2026, 1, 1)))
    with db.read() as session:
        assert read_revision(session) == before
    with db.write() as session:
        session.add(m.Court(code="TST", name="Test Court", state="il", source_name="test"))
    with db.read() as session:
        assert read_revision(session) == before + 1


def test_the_cache_keeps_one_copy_until_the_directory_changes(directory, engine):
    directory.service("First")
    cache = DirectoryCache()
    with Session(engine) as reader:
        first = cache.get(reader)
    with Session(engine) as reader:
        assert cache.get(reader) is first  # nothing changed: the same copy, no reload
    assert _names(first) == ["First"]

    # Another writer (another process, in production) adds a service and renames one.
    with Session(engine) as writer:
        directory_writer = type(directory)(writer)
        directory_writer.service("Second")
    with Session(engine) as reader:
        second = cache.get(reader)
    assert second is not first
    assert sorted(_names(second)) == ["First", "Second"]
    assert _names(first) == ["First"]  # a copy already handed out never changes


def test_the_copy_is_readable_after_its_session_closed(directory, engine):
    # Cards read organizations, phones, languages and offices: all loaded with the copy, so
    # nothing is fetched lazily from a closed session (that would fail on a result page).
    directory.service("Clinic", languages=("es",))
    cache = DirectoryCache()
    with Session(engine) as reader:
        copy = cache.get(reader)
    result = match_referrals(copy, ReferralRequest(today=TODAY, state="il", language="es"))
    card = result.local[0]
    assert card.organization_name == "Clinic org" and card.languages == ["es"]
    assert card.phone == "312-555-0199" and card.city is None


def test_threads_share_one_load(directory, engine):
    directory.service("Clinic")
    cache = DirectoryCache()
    copies = []

    def read() -> None:
        with Session(engine) as reader:
            copies.append(cache.get(reader))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(copy) for copy in copies}) == 1
