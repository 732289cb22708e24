"""The lists of the questionnaire's court questions, from the real courts and EOIR's facility
table (app/referrals/court_choices.py): the state's places, nearest first from the ZIP's court."""

from pathlib import Path

from app.places.location import ZipLocation, lookup_zip
from app.referrals.court_choices import places_for, where
from app.referrals.court_finder import nearest_court_code
from app.referrals.courts import SHIPPED_RELEASE, import_courts
from app.referrals.facilities import import_facilities
from app.referrals.snapshot import load_directory

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eoir-facilities.tsv"


def _near(directory, zip_code: str) -> str | None:  # type: ignore[no-untyped-def]
    location = lookup_zip(zip_code)
    assert isinstance(location, ZipLocation)
    return nearest_court_code(directory, location)


def test_courts_of_the_state_nearest_first(db) -> None:  # type: ignore[no-untyped-def]
    import_courts(db, SHIPPED_RELEASE)
    db.commit()
    directory = load_directory(db)
    florida = places_for(directory, "courts", "fl", _near(directory, "33194"))
    assert [p.value for p in florida.places] == ["KRO", "MIA", "ORL"]
    assert not florida.courts_instead
    krome = florida.places[0]
    assert (krome.name, krome.address, krome.place) == (
        "Miami",
        "18201 S.W. 12TH ST",
        "Miami, FL 33194",
    )
    new_york = places_for(directory, "courts", "ny", _near(directory, "10278"))
    codes = [p.value for p in new_york.places]
    assert codes[0] == "NYC" and {"BUF", "BTV", "ULS"} <= set(codes)
    assert codes.index("ULS") < codes.index("BTV") < codes.index("BUF")  # Napanoch, then west
    by_city = places_for(directory, "courts", "ny", None)
    assert [p.place.split(",")[0] for p in by_city.places] == sorted(
        p.place.split(",")[0] for p in by_city.places
    )


def test_the_zips_court_is_listed_across_a_state_line(db) -> None:  # type: ignore[no-untyped-def]
    import_courts(db, SHIPPED_RELEASE)
    db.commit()
    directory = load_directory(db)
    near = _near(directory, "07030")  # Hoboken, New Jersey: Manhattan's court is nearest
    assert near in {"NYC", "NYD", "NYB"}
    codes = [p.value for p in places_for(directory, "courts", "nj", near).places]
    assert codes[0] == near and {"NEW", "ELZ"} <= set(codes)


def test_detention_places_when_the_table_has_some_else_the_courts(db) -> None:  # type: ignore[no-untyped-def]
    import_courts(db, SHIPPED_RELEASE)
    import_facilities(db, FIXTURE)
    db.commit()
    directory = load_directory(db)
    florida = places_for(directory, "facilities", "fl", "KRO")
    assert [(p.kind, p.court, p.name) for p in florida.places] == [
        ("facility", "KRO", "KROME NORTH SERVICE PROCESSING CENTER")
    ]
    illinois = places_for(directory, "facilities", "il", None)  # the closed jail is left out
    assert [p.name for p in illinois.places] == ["EXAMPLE COUNTY JAIL (FIXTURE)"]
    texas = places_for(directory, "facilities", "tx", None)  # its one row names no known court
    assert texas.courts_instead and all(p.kind == "court" for p in texas.places)
    assert len(texas.places) > 12


def test_where_reads_the_zip_answer_or_the_state() -> None:
    assert where({"zip": ["fl", "KRO"]}) == ("fl", "KRO")
    assert where({"zip": "dont_know", "home_state": "ny"}) == ("ny", None)
    assert where({"zip": "dont_know", "home_state": "dont_know"}) == (None, None)


def test_the_courts_are_sorted_out_once_per_copy_of_the_directory(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One pass over every code and its address per copy of the directory, not one per ZIP
    answer and court question (it was most of the ZIP answer's CPU; docs/benchmarks.md)."""
    import app.referrals.snapshot as snapshot

    import_courts(db, SHIPPED_RELEASE)
    db.commit()
    directory = load_directory(db)
    keyed: list[str | None] = []
    real_place_key = snapshot.place_key

    def counted(address: str | None, postal_code: str | None) -> str:
        keyed.append(address)
        return real_place_key(address, postal_code)

    monkeypatch.setattr(snapshot, "place_key", counted)
    for zip_code in ("33194", "10278", "07030", "60601"):
        near = _near(directory, zip_code)
        places_for(directory, "courts", "fl", near)
    once = len(keyed)
    assert 0 < once <= len(directory.courts)
    assert _near(directory, "94103") and len(keyed) == once
    assert load_directory(db).active_courts == directory.active_courts  # a new copy, same courts
    assert len(keyed) == 2 * once
