"""The packed ZIP index says what the `zipcodes` package says, for every ZIP code."""

import math
import os
import struct

import pytest
import zipcodes

from app.places import location, zip_index
from app.places.zip_index import HEADER, IndexMissing, ZipIndex, build, source_version


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("zips") / "zips.idx")


def test_every_zip_matches_the_package(built):
    index = ZipIndex(built, source_version())
    rows = zipcodes.list_all()
    assert index.count == len(rows) == len({row["zip_code"] for row in rows})
    for row in rows:
        record = index.get(row["zip_code"])
        assert record is not None, row["zip_code"]
        assert record.state == row["state"].lower()
        assert record.county == (row["county"] or None)
        assert record.city == row["city"]
        assert record.military == (row["zip_code_type"] == "MILITARY")
        lat, lon = float(row["lat"]), float(row["long"])
        if lat == 0 and lon == 0:
            assert record.latitude is None and record.longitude is None
        else:
            assert (record.latitude, record.longitude) == (lat, lon)


@pytest.mark.parametrize("absent", ["00000", "00500", "00502", "99999", "60607"])
def test_unknown_zips_are_none(built, absent):
    index = ZipIndex(built)
    known = {row["zip_code"] for row in zipcodes.similar_to(absent[:3])}
    assert (index.get(absent) is None) == (absent not in known)


def test_first_and_last(built):
    index = ZipIndex(built)
    codes = sorted(row["zip_code"] for row in zipcodes.list_all())
    assert index.get(codes[0]) is not None and index.get(codes[-1]) is not None


def test_readable_by_others(built):
    assert os.stat(built).st_mode & 0o044 == 0o044


def test_a_stale_damaged_or_missing_index_is_refused(built, tmp_path):
    with pytest.raises(IndexMissing, match="built from zipcodes"):
        ZipIndex(built, "0.0.1")
    empty = tmp_path / "empty.idx"
    empty.write_bytes(b"")
    with pytest.raises(IndexMissing):
        ZipIndex(empty)
    with pytest.raises(IndexMissing):
        ZipIndex(tmp_path / "absent.idx")
    wrong = tmp_path / "wrong.idx"
    wrong.write_bytes(HEADER.pack(b"NOPE", 1, 0, 0, b"") + b"x" * 16)
    with pytest.raises(IndexMissing, match="not a ZIP index"):
        ZipIndex(wrong)
    truncated = tmp_path / "truncated.idx"
    truncated.write_bytes(built.read_bytes()[: HEADER.size + 100])
    with pytest.raises(IndexMissing, match="truncated"):
        ZipIndex(truncated)


def test_unknown_coordinates_are_nan_in_the_file(built):
    # The package writes "0" for an unknown position; the file keeps NaN, the lookup None.
    data = built.read_bytes()
    count = HEADER.unpack_from(data, 0)[2]
    first = HEADER.size + 4 * count
    lats = [
        struct.unpack_from("<d", data, first + zip_index.RECORD.size * n + 7)[0]
        for n in range(count)
    ]
    assert any(math.isnan(value) for value in lats)


def test_a_worker_builds_a_missing_index_in_a_child_process(tmp_path, monkeypatch):
    """A checkout where `make` has not run yet still starts: the index is built, once, by a
    child process, so the worker never holds the package's records itself."""
    target = tmp_path / "data" / "zips.idx"
    monkeypatch.setattr(location, "DEFAULT_PATH", target)
    location._zip_index.cache_clear()
    try:
        location.warm_zip_index()
        assert target.is_file()
        found = location.lookup_zip("60608")
        assert isinstance(found, location.ZipLocation) and found.county == "Cook County"
    finally:
        location._zip_index.cache_clear()
    assert "zipcodes" not in location.__dict__
