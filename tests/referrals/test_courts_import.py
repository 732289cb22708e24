"""EOIR's court table: the shipped copy, re-imports, doubtful values (issue 17)."""

import csv
import io
from datetime import date
from pathlib import Path

from sqlmodel import select

from app.referrals import models as m
from app.referrals.courts import (
    SHIPPED_COURTS,
    SHIPPED_RELEASE,
    CourtRelease,
    import_courts,
    read_court_file,
)

# The shared README's figures (../shared/reference/data/README.md) for the shipped copy.
SHIPPED_TOTAL = 92
SHIPPED_ACTIVE = 82
# The README's oddities: a placeholder ZIP+4 (BDC), a ZIP that is not Richmond's (RIC), a phone
# one digit off at a shared address (SPD, and LOS beside it), and re-coded active pairs.
SHIPPED_MARKED = set("BDC RIC SPD LOS PIS PEP POO POR WAS ANN LOW CHE".split())


def _courts(db) -> dict[str, m.Court]:
    return {court.code: court for court in db.exec(select(m.Court)).all()}


def _write_release(tmp_path: Path, edit) -> Path:
    """The shipped file with `edit(rows)` applied, as a new release."""
    rows = read_court_file(SHIPPED_COURTS)
    rows = edit(rows) or rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "newer.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_shipped_file_gives_the_readme_counts(db):
    report = import_courts(db, SHIPPED_RELEASE)
    db.commit()
    courts = _courts(db)
    assert len(report.added) == len(courts) == SHIPPED_TOTAL
    assert report.active == SHIPPED_ACTIVE == sum(c.active for c in courts.values())
    assert set(report.marked) == SHIPPED_MARKED
    assert {code for code, c in courts.items() if c.check_note} == SHIPPED_MARKED
    krome = courts["KRO"]
    assert (krome.city, krome.state, krome.postal_code) == ("MIAMI", "fl", "33194")
    assert krome.phone == "786-422-8700"
    assert krome.source_date == date(2025, 12, 1) and "tblLookupBaseCity" in krome.source_name
    assert krome.coordinates_source == "centre of ZIP 33194 (offline ZIP data)"
    assert krome.latitude is not None and krome.check_note is None


def test_a_second_import_changes_nothing_and_says_so(db):
    import_courts(db, SHIPPED_RELEASE)
    db.commit()
    revision = db.exec(select(m.DirectoryRevision.revision)).one()
    again = import_courts(db, SHIPPED_RELEASE)
    db.commit()
    assert not again.changed and len(again.unchanged) == SHIPPED_TOTAL
    assert "Nothing changed" in again.summary()
    assert db.exec(select(m.DirectoryRevision.revision)).one() == revision


def test_doubtful_values_are_marked_and_never_filled_in(db):
    import_courts(db, SHIPPED_RELEASE)
    courts = _courts(db)
    bradenton = courts["BDC"]
    assert bradenton.postal_code_suffix is None  # "1111" is the source's placeholder
    assert "placeholder" in bradenton.check_note
    richmond = courts["RIC"]
    assert richmond.postal_code == "22319"  # kept as the source gives it
    assert richmond.latitude is None and richmond.coordinates_source is None
    assert "22319" in richmond.check_note
    san_pedro = courts["SPD"]
    assert san_pedro.phone == "210-894-2811" and "LOS" in san_pedro.check_note
    assert "PEP" in courts["PIS"].check_note
    assert courts["LAD"].check_note is None  # inactive beside NLA: nothing to choose between


def test_a_newer_release_updates_retires_and_reports(db, tmp_path):
    import_courts(db, SHIPPED_RELEASE)
    db.commit()

    def edit(rows):
        for row in rows:
            if row["court_code"] == "KRO":
                row["phone"] = "(786) 422-8701"
            if row["court_code"] == "BTR":
                row["active"] = "0"
        return [row for row in rows if row["court_code"] != "AGA"]

    newer = CourtRelease(_write_release(tmp_path, edit), date(2026, 1, 1))
    report = import_courts(db, newer)
    db.commit()
    courts = _courts(db)
    assert report.updated == ["KRO"] and courts["KRO"].phone == "786-422-8701"
    assert set(report.retired) == {"AGA", "BTR"}
    assert not courts["AGA"].active and courts["AGA"].retired_on == date(2026, 1, 1)
    assert not courts["BTR"].active and courts["BTR"].retired_on == date(2026, 1, 1)
    assert "Retired 2" in report.summary() and "Updated 1: KRO" in report.summary()
    assert courts["ATL"].source_date == date(2026, 1, 1)

    older = import_courts(db, SHIPPED_RELEASE)
    assert older.refused and not older.changed
    assert courts["KRO"].phone == "786-422-8701"


def test_the_seed_loads_the_real_courts_and_no_fictional_one(seeded):
    courts = _courts(seeded)
    assert len(courts) == SHIPPED_TOTAL and "SMPL" not in courts
    facility = seeded.exec(select(m.Facility)).one()
    assert facility.admin_court_code == "CHI"
