"""HSDS 3.0 import and export: conformance with the official schemas, lossless round trips,
and all-or-nothing imports that say what is wrong."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from referral_helpers import create_directory_schema
from sqlmodel import Session, func, select

from app.referrals import models as m
from app.referrals.hsds.exporter import ExportFormatError, datapackage_descriptor, export_hsds
from app.referrals.hsds.importer import import_hsds
from app.referrals.revision import read_revision

# ---- conformance with the official schemas (skipped where shared/ is absent)


def test_json_export_validates_against_the_official_service_schema(
    seeded, tmp_path, hsds_reference
):
    from jsonschema import Draft7Validator, FormatChecker

    schema = json.loads(
        (hsds_reference / "schema/compiled/service_with_definitions.json").read_text()
    )
    validator = Draft7Validator(schema, format_checker=FormatChecker())
    out = tmp_path / "directory.json"
    export_hsds(out, "json", db=seeded)
    document = json.loads(out.read_text())
    assert document["contents"], "the seeded directory should export services"
    for service in document["contents"]:
        errors = sorted(validator.iter_errors(service), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    definitions = schema["definitions"]
    for key, definition in [
        ("organizations", "organization"),
        ("locations", "location"),
        ("taxonomies", "taxonomy"),
        ("taxonomy_terms", "taxonomy_term"),
    ]:
        sub = Draft7Validator(
            {**definitions[definition], "definitions": definitions}, format_checker=FormatChecker()
        )
        for item in document[key]:
            assert not list(sub.iter_errors(item)), (key, item)


def test_tabular_export_passes_frictionless(seeded, tmp_path):
    from frictionless import Package, system

    folder = tmp_path / "package"
    export_hsds(folder, "tabular", db=seeded)
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_tabular_catches_a_broken_foreign_key(seeded, tmp_path):
    """The generated datapackage.json really declares foreign keys."""
    from frictionless import Package, system

    folder = tmp_path / "package"
    export_hsds(folder, "tabular", db=seeded)
    _edit_csv(folder / "phones.csv", 0, "service_id", "00000000-0000-4000-8000-000000000000")
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid
    assert {"foreign-key"} == {error_type for (error_type,) in report.flatten(["type"])}


def test_datapackage_agrees_with_the_official_one(hsds_reference):
    official = {
        r["name"]: r
        for r in json.loads((hsds_reference / "datapackage.json").read_text())["resources"]
    }
    ours = datapackage_descriptor()["resources"]
    for resource in ours:
        if resource["name"].startswith("puente_"):
            continue
        reference = official[resource["name"]]
        assert resource["path"] == reference["path"]
        official_fields = {f["name"]: f for f in reference["schema"]["fields"]}
        our_fields = {f["name"]: f for f in resource["schema"]["fields"]}
        for name, field in our_fields.items():
            if name.startswith("puente_"):
                continue
            assert name in official_fields, f"{resource['name']}.{name} is not an HSDS field"
            assert field["type"] == official_fields[name]["type"], f"{resource['name']}.{name}"
        required = {
            n for n, f in official_fields.items() if f.get("constraints", {}).get("required")
        }
        assert required <= set(our_fields), (resource["name"], required - set(our_fields))
        official_fks = {
            (fk["fields"], fk["reference"]["resource"])
            for fk in reference["schema"].get("foreignKeys", [])
        }
        for fk in resource["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or resource["name"]
            if fk["fields"] in official_fields and not target.startswith("puente_"):
                assert (fk["fields"], target) in official_fks or fk["fields"] == "parent_id"


# ---- round trips


def _empty_db(db: Session) -> Session:
    """A second, empty database on the same kind of engine as `db`."""
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    if db.get_bind().dialect.name == "sqlite":
        engine = create_engine("sqlite://", poolclass=StaticPool)
        create_directory_schema(engine)
        return Session(engine)
    # PostgreSQL: clear the test schema instead.
    for table in reversed(m.DIRECTORY_TABLES):
        db.exec(table.__table__.delete())  # type: ignore[attr-defined]
    db.commit()
    return db


@pytest.mark.parametrize("fmt", ["json", "tabular"])
def test_round_trip_is_lossless(seeded, tmp_path, fmt):
    first = tmp_path / ("one.json" if fmt == "json" else "one")
    export_hsds(first, fmt, db=seeded)
    target = _empty_db(seeded)
    report = import_hsds(first, db=target)
    assert report.ok, report.summary()
    second = tmp_path / ("two.json" if fmt == "json" else "two")
    export_hsds(second, fmt, db=target)
    if fmt == "json":
        assert first.read_text() == second.read_text()
    else:
        for path in sorted(first.iterdir()):
            assert path.read_text() == (second / path.name).read_text(), path.name


def test_json_and_tabular_carry_the_same_data(seeded, tmp_path):
    export_hsds(tmp_path / "a.json", "json", db=seeded)
    export_hsds(tmp_path / "pkg", "tabular", db=seeded)
    target = _empty_db(seeded)
    assert import_hsds(tmp_path / "pkg", db=target).ok
    export_hsds(tmp_path / "b.json", "json", db=target)
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_import_twice_changes_nothing(seeded, tmp_path):
    export_hsds(tmp_path / "a.json", "json", db=seeded)
    revision = read_revision(seeded)
    report = import_hsds(tmp_path / "a.json", db=seeded)
    assert report.ok
    assert report.summary().startswith("No changes: 0 created, 0 updated, ")
    assert read_revision(seeded) == revision  # nothing written, not even the same values
    export_hsds(tmp_path / "b.json", "json", db=seeded)
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_import_counts_created_updated_and_unchanged(exported):
    tmp_path, target = exported
    first = import_hsds(tmp_path / "good.json", db=target)
    services = first.counts["service"]
    assert services.created > 1 and (services.updated, services.unchanged) == (0, 0)
    renamed = _mutate_json(tmp_path, lambda d: d["contents"][0].update(name="A new name"))
    second = import_hsds(renamed, db=target)
    assert (second.counts["service"].updated, second.counts["service"].unchanged) == (
        1,
        services.created - 1,
    )
    assert second.summary().startswith("Imported: 0 created, 1 updated, ")
    assert "- service: 0 created, 1 updated, " in second.summary()


def test_import_accepts_the_datapackage_path_and_a_bare_list(seeded, tmp_path):
    export_hsds(tmp_path / "pkg", "tabular", db=seeded)
    assert import_hsds(tmp_path / "pkg" / "datapackage.json", db=seeded).ok
    export_hsds(tmp_path / "a.json", "json", db=seeded)
    services = json.loads((tmp_path / "a.json").read_text())["contents"]
    (tmp_path / "list.json").write_text(json.dumps(services))
    assert import_hsds(tmp_path / "list.json", db=seeded).ok


def test_unknown_export_format(seeded, tmp_path):
    with pytest.raises(ExportFormatError):
        export_hsds(tmp_path / "x", "xml", db=seeded)  # type: ignore[arg-type]


def test_export_of_an_empty_directory(db, tmp_path):
    export_hsds(tmp_path / "e.json", "json", db=db)
    assert json.loads((tmp_path / "e.json").read_text())["empty"] is True
    export_hsds(tmp_path / "pkg", "tabular", db=db)
    assert (tmp_path / "pkg" / "services.csv").read_text().startswith("id,")


# ---- rejected imports: a clear message, nothing written


def _counts(db: Session) -> dict[str, int]:
    return {
        t.__tablename__: db.exec(select(func.count()).select_from(t)).one()
        for t in m.DIRECTORY_TABLES
    }


def _edit_csv(path: Path, row_index: int, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    rows[row_index][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    """The seeded directory exported once per module (seeding per test is slow)."""
    from referral_helpers import TODAY
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    from app.referrals.seed import seed_directory

    folder = tmp_path_factory.mktemp("golden")
    engine = create_engine("sqlite://", poolclass=StaticPool)
    create_directory_schema(engine)
    with Session(engine) as session:
        seed_directory(session, today=TODAY)
        export_hsds(folder / "good.json", "json", db=session)
        export_hsds(folder / "good", "tabular", db=session)
    engine.dispose()
    return folder


@pytest.fixture
def exported(golden, db, tmp_path):
    """A copy of the golden exports, and an empty target database."""
    shutil.copy(golden / "good.json", tmp_path / "good.json")
    shutil.copytree(golden / "good", tmp_path / "good")
    return tmp_path, db


def _mutate_json(tmp_path, change) -> Path:
    document = json.loads((tmp_path / "good.json").read_text())
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


def _first_with(document, key):
    return next(s for s in document["contents"] if s[key])


JSON_BREAKAGES = {
    "bad phone": (
        lambda d: _first_with(d, "phones")["phones"][0].update(number="555-12"),
        "not a valid U.S. phone number",
    ),
    "phone with letters": (
        lambda d: _first_with(d, "phones")["phones"][0].update(number="1-800-FLOWERS"),
        "not a valid U.S. phone number",
    ),
    "latitude out of range": (
        lambda d: d["locations"][0].update(latitude=123.4),
        "less than or equal to 90",
    ),
    "latitude without longitude": (lambda d: d["locations"][0].pop("longitude"), "given together"),
    "duplicate service id": (
        lambda d: d["contents"].append(dict(d["contents"][0], name="Copy")),
        "duplicate id",
    ),
    "broken organization reference": (
        lambda d: (
            d["contents"][0].update(organization_id="5c5c5c5c-0000-4000-8000-000000000000"),
            d["contents"][0].pop("organization"),
        ),
        "refers to no organization",
    ),
    "broken term reference": (
        lambda d: (
            _first_with(d, "attributes")["attributes"][0].update(
                taxonomy_term_id="5c5c5c5c-0000-4000-8000-000000000001", taxonomy_term=None
            )
            or _first_with(d, "attributes")["attributes"][0].pop("taxonomy_term")
        ),
        "refers to no taxonomy_term",
    ),
    "not a uuid": (lambda d: d["contents"][0].update(id="service-1"), "not a UUID"),
    "unknown status": (lambda d: d["contents"][0].update(status="open"), "Input should be"),
    "unknown state in a service area": (
        lambda d: _first_with(d, "service_areas")["service_areas"][0].update(
            puente_scope="state", puente_state="zz"
        ),
        "not a U.S. state code",
    ),
    "conflicting nested organization": (
        lambda d: (
            d["contents"][1]["organization"].update(
                id=d["contents"][0]["organization"]["id"],
                name="Other name",
            )
            or d["contents"][1].update(organization_id=d["contents"][0]["organization"]["id"])
        ),
        "duplicate id",
    ),
}


@pytest.mark.parametrize("case", sorted(JSON_BREAKAGES))
def test_bad_json_is_rejected_whole(exported, case):
    tmp_path, target = exported
    change, expected = JSON_BREAKAGES[case]
    before = _counts(target)
    report = import_hsds(_mutate_json(tmp_path, change), db=target)
    assert not report.ok
    assert any(expected in p.message for p in report.problems), report.summary()
    assert "Nothing imported" in report.summary()
    assert _counts(target) == before


def test_every_bad_row_is_reported(exported):
    tmp_path, target = exported
    folder = tmp_path / "good"
    _edit_csv(folder / "phones.csv", 0, "number", "12")
    _edit_csv(folder / "phones.csv", 1, "number", "abc")
    _edit_csv(folder / "locations.csv", 0, "longitude", "-200")
    report = import_hsds(folder, db=target)
    assert not report.ok
    wheres = [p.where for p in report.problems]
    assert any(w.startswith("phones.csv row 2") for w in wheres)
    assert any(w.startswith("phones.csv row 3") for w in wheres)
    assert any(w.startswith("locations.csv row 2") for w in wheres)
    assert all(p.record_id for p in report.problems)
    assert not any(_counts(target).values())


def test_tabular_duplicate_ids(exported):
    tmp_path, target = exported
    folder = tmp_path / "good"
    with (folder / "organizations.csv").open() as handle:
        lines = handle.read().splitlines()
    (folder / "organizations.csv").write_text("\n".join([*lines, lines[1]]) + "\n")
    report = import_hsds(folder, db=target)
    assert not report.ok
    assert any("duplicate id" in p.message for p in report.problems)
    assert not any(_counts(target).values())


def test_tabular_broken_reference(exported):
    tmp_path, target = exported
    folder = tmp_path / "good"
    _edit_csv(folder / "services.csv", 0, "organization_id", "5c5c5c5c-0000-4000-8000-000000000000")
    report = import_hsds(folder, db=target)
    assert [p.message for p in report.problems] == [
        "organization_id '5c5c5c5c-0000-4000-8000-000000000000' refers to no organization"
    ]
    assert report.problems[0].where == "services.csv row 2"


def test_tabular_missing_required_column(exported):
    tmp_path, target = exported
    folder = tmp_path / "good"
    text = (folder / "services.csv").read_text().replace(",status,", ",state_of_service,", 1)
    (folder / "services.csv").write_text(text)
    report = import_hsds(folder, db=target)
    assert any("missing required column(s): status" in p.message for p in report.problems)


@pytest.mark.parametrize("content", ["{not json", "[1, 2", '"a string"', '{"contents": 5}'])
def test_unreadable_json(db, tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content)
    report = import_hsds(path, db=db)
    assert not report.ok and report.problems


def test_missing_file_and_empty_folder(db, tmp_path):
    assert not import_hsds(tmp_path / "nope.json", db=db).ok
    (tmp_path / "empty").mkdir()
    report = import_hsds(tmp_path / "empty", db=db)
    assert "no HSDS CSV files" in report.summary()


def test_not_utf8(db, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"contents": [{"name": "Se\xf1or"}]}'.encode("latin-1"))
    assert not import_hsds(path, db=db).ok


def test_reference_to_a_record_already_in_the_database(seeded, tmp_path):
    """An update file may name an organization that the directory already holds."""
    export_hsds(tmp_path / "a.json", "json", db=seeded)
    document = json.loads((tmp_path / "a.json").read_text())
    service = document["contents"][0]
    service.pop("organization")
    path = tmp_path / "update.json"
    path.write_text(json.dumps({"contents": [service]}))
    assert import_hsds(path, db=seeded).ok


def test_foreign_hsds_without_provenance_stays_hidden_until_verified(directory, tmp_path):
    """A plain HSDS record (no puente_* fields) imports, but respondents do not see it."""
    from referral_helpers import TODAY

    from app.referrals.matching import ReferralRequest, match_referrals
    from app.referrals.snapshot import load_directory

    org = "11111111-1111-4111-8111-111111111111"
    service = {
        "id": "22222222-2222-4222-8222-222222222222",
        "organization_id": org,
        "name": "Plain HSDS service",
        "status": "active",
        "organization": {"id": org, "name": "Plain org", "description": "From elsewhere."},
        "service_areas": [
            {
                "id": "33333333-3333-4333-8333-333333333333",
                "puente_scope": "state",
                "puente_state": "il",
            }
        ],
        "phones": [{"id": "44444444-4444-4444-8444-444444444444", "number": "(312) 555-0123"}],
        "schedules": [{"id": "55555555-5555-4555-8555-555555555555"}],  # unused: ignored
    }
    path = tmp_path / "plain.json"
    path.write_text(json.dumps([service]))
    report = import_hsds(path, db=directory.db, source_name="Partner feed")
    assert report.ok, report.summary()
    stored = directory.db.get(m.Service, service["id"])
    assert stored.source_name == "Partner feed" and stored.next_review_due is None
    assert directory.db.get(m.Phone, service["phones"][0]["id"]).number == "312-555-0123"
    request = ReferralRequest(today=TODAY, state="il")
    result = match_referrals(load_directory(directory.db), request)
    assert result.local == []


def test_cli_report_lists_problems(exported):
    tmp_path, target = exported
    path = _mutate_json(tmp_path, JSON_BREAKAGES["bad phone"][0])
    summary = import_hsds(path, db=target).summary()
    assert summary.startswith("Nothing imported: 1 problem(s).")
    assert "contents[" in summary and "phones[0].number" in summary


def test_import_summary_when_ok(exported):
    tmp_path, target = exported
    summary = import_hsds(tmp_path / "good.json", db=target).summary()
    assert summary.startswith("Imported: ") and " service" in summary


def test_no_reference_files_are_copied_into_the_project():
    root = Path(__file__).resolve().parents[2]
    for name in ("service_with_definitions.json", "tabular.json", "openapi.json"):
        assert not list(root.glob(f"app/**/{name}")) and not list(root.glob(f"tests/**/{name}"))


# ---- the immigration courts as HSDS locations (issue 17)


@pytest.mark.parametrize("fmt", ["json", "tabular"])
def test_active_courts_are_exported_as_locations_and_left_out_on_import(seeded, tmp_path, fmt):
    out = tmp_path / ("courts.json" if fmt == "json" else "courts")
    export_hsds(out, fmt, db=seeded)
    if fmt == "json":
        locations = json.loads(out.read_text())["locations"]
    else:
        with (out / "locations.csv").open(encoding="utf-8") as handle:
            locations = list(csv.DictReader(handle))
    courts = {
        loc["external_identifier"]: loc
        for loc in locations
        if loc.get("external_identifier_type") == "EOIR immigration court code"
    }
    active = seeded.exec(select(func.count()).where(m.Court.active, ~m.Court.is_sample)).one()
    assert len(courts) == active > 80 and "LOS" not in courts  # LOS is inactive
    krome = courts["KRO"]
    assert krome["name"] == "Immigration Court, Miami (KRO)"
    assert "centre of ZIP 33194" in krome["description"]
    if fmt == "json":
        assert krome["addresses"][0]["address_1"] == "18201 S.W. 12TH ST"
        assert krome["addresses"][0]["state_province"] == "FL"
        assert krome["phones"][0]["number"] == "786-422-8700"
    else:
        phones = (out / "phones.csv").read_text(encoding="utf-8")
        assert "786-422-8700" in phones
    target = _empty_db(seeded)
    report = import_hsds(out, db=target)
    assert report.ok, report.summary()
    assert target.get(m.Court, "KRO") is not None
    names = target.exec(select(m.Location.name)).all()
    assert not [name for name in names if name and name.startswith("Immigration Court,")]


def test_a_staff_correction_travels_in_the_export(seeded, tmp_path):
    krome = seeded.get(m.Court, "KRO")
    krome.phone, krome.corrected_fields = "786-422-8701", "phone"
    seeded.commit()
    out = tmp_path / "courts.json"
    export_hsds(out, "json", db=seeded)
    court = next(c for c in json.loads(out.read_text())["puente_courts"] if c["code"] == "KRO")
    assert (court["phone"], court["corrected_fields"]) == ("786-422-8701", "phone")
