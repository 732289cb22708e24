"""ZIP, state and distance: offline, with clear error codes, never an exception."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.places.location import (
    STATES,
    ZipError,
    ZipLocation,
    distance_miles,
    lookup_zip,
    normalize_state,
    state_choices,
    valid_coordinates,
)
from app.places.phones import canonical_us_phone, display_phone, tel_href


@pytest.mark.parametrize(
    ("raw", "state", "county"),
    [
        ("10001", "ny", "New York County"),
        ("90012", "ca", "Los Angeles County"),
        ("78207", "tx", "Bexar County"),
        ("33130", "fl", "Miami-Dade County"),
        ("60608", "il", "Cook County"),
        (" 60608 ", "il", "Cook County"),
        ("60608-1234", "il", "Cook County"),
        ("٦٠٦٠٨", "il", "Cook County"),  # Eastern Arabic digits, as Arabic keyboards type them
        ("00601", "pr", "Adjuntas Municipio"),  # Puerto Rico: a "State" under the INA
    ],
)
def test_known_zip(raw, state, county):
    found = lookup_zip(raw)
    assert isinstance(found, ZipLocation)
    assert (found.state, found.county) == (state, county)
    assert found.latitude is not None and found.longitude is not None


def test_territory_zip_without_county():
    found = lookup_zip("96910")  # Guam
    assert isinstance(found, ZipLocation) and found.is_territory and found.county is None
    assert found.state_name == "Guam"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", ZipError.empty),
        (None, ZipError.empty),
        ("   ", ZipError.empty),
        ("abcde", ZipError.not_five_digits),
        ("6060", ZipError.not_five_digits),
        ("606081", ZipError.not_five_digits),
        ("60-608", ZipError.not_five_digits),
        ("6o6o8", ZipError.not_five_digits),
        ("00000", ZipError.unknown_zip),
        ("99999", ZipError.unknown_zip),
        ("96799", ZipError.territory_zip),  # American Samoa
        ("96941", ZipError.territory_zip),  # Micronesia (freely associated)
        ("96960", ZipError.territory_zip),  # Marshall Islands
        ("09001", ZipError.military_zip),  # APO AE
        ("96201", ZipError.military_zip),  # APO AP
    ],
)
def test_unusable_zip(raw, error):
    assert lookup_zip(raw) == error


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_lookup_never_raises(raw):
    result = lookup_zip(raw)
    assert isinstance(result, ZipLocation | ZipError)


def test_states():
    assert len(STATES) == 55  # 50 states, DC, PR, GU, VI, MP
    assert normalize_state("IL") == "il" and normalize_state(" tx ") == "tx"
    for bad in ("", None, "zz", "Illinois", "as", "aa"):
        assert normalize_state(bad) is None
    names = [name for _, name in state_choices()]
    assert names == sorted(names) and names[0] == "Alabama"


def test_distance():
    chicago, springfield = (41.8781, -87.6298), (39.7817, -89.6501)
    assert 175 < distance_miles(*chicago, *springfield) < 190
    assert distance_miles(*chicago, *chicago) == 0


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        (None, None, True),
        (41.0, -87.0, True),
        (91.0, 0.0, False),
        (0.0, -181.0, False),
        (41.0, None, False),
        (float("nan"), 0.0, False),
        (float("inf"), 0.0, False),
    ],
)
def test_valid_coordinates(lat, lon, ok):
    assert valid_coordinates(lat, lon) is ok


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("1-800-898-7180", "800-898-7180"),
        ("(888) 351-4024", "888-351-4024"),
        ("+1 312 555 0101", "312-555-0101"),
        ("312.555.0101", "312-555-0101"),
        ("555-0101", None),
        ("012-555-0101", None),
        ("312-055-0101", None),
        ("1-800-FLOWERS", None),
        ("", None),
        ("44 20 7946 0000", None),
    ],
)
def test_phone_numbers(raw, canonical):
    assert canonical_us_phone(raw) == canonical


def test_phone_display_and_link():
    assert display_phone("800-898-7180") == "1-800-898-7180"
    assert display_phone("312-555-0101") == "312-555-0101"
    assert tel_href("800-898-7180") == "tel:+18008987180"
    assert tel_href("312-555-0101", 12) == "tel:+13125550101;ext=12"
