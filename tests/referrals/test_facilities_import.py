"""EOIR's facility table in its published tab-separated form (a fixture written in it)."""

from pathlib import Path

from sqlmodel import select

from app.referrals import models as m
from app.referrals.courts import SHIPPED_RELEASE, import_courts
from app.referrals.facilities import import_facilities

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eoir-facilities.tsv"


def _facilities(db) -> dict[tuple[str, str], m.Facility]:
    rows = db.exec(select(m.Facility).where(m.Facility.eoir_code.is_not(None))).all()
    return {(f.admin_court_code, f.eoir_code): f for f in rows}


def test_each_facility_comes_with_its_court_and_no_placeholder(db):
    import_courts(db, SHIPPED_RELEASE)
    report = import_facilities(db, FIXTURE)
    db.commit()
    facilities = _facilities(db)
    # JCD twice, under two courts: court plus code is the key.
    assert set(facilities) == {("KRO", "KRO"), ("CHI", "JCD"), ("NYC", "JCD"), ("CHI", "OLD")}
    assert report.added == 4 and len(report.skipped) == 1 and "ZZZ" in report.skipped[0]
    jail = facilities[("CHI", "JCD")]
    assert jail.address is None and jail.phone is None  # 1111111111 means unknown
    assert jail.state == "il" and jail.postal_code == "60432"
    assert not facilities[("CHI", "OLD")].active
    assert facilities[("KRO", "KRO")].phone == "305-555-0100"


def test_a_second_import_changes_nothing_and_a_dropped_row_is_retired(db, tmp_path):
    import_courts(db, SHIPPED_RELEASE)
    import_facilities(db, FIXTURE)
    db.commit()
    again = import_facilities(db, FIXTURE)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert "Nothing changed" in again.summary()

    lines = FIXTURE.read_text().splitlines(keepends=True)
    shorter = tmp_path / "newer.tsv"
    shorter.write_text("".join(line for line in lines if "\tKRO\tKRO\t" not in line))
    report = import_facilities(db, shorter)
    db.commit()
    assert report.retired == 1 and not _facilities(db)[("KRO", "KRO")].active
