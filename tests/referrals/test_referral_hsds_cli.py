"""`puente directory export|import` as an operator runs it: `python -m app.cli` in a
subprocess, on SQLite files made by `python -m app.cli migrate` (DATABASE_URL is set for the
subprocess only). The functions behind it are tested in test_referral_hsds.py."""

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from referral_helpers import run_cli

from app.config import Settings
from app.db import Database, make_engine
from app.referrals.hsds.cli import export_directory, import_directory


def _ok(database: Path, *args: str | Path) -> str:
    done = run_cli(database, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def _connect(database: Path) -> Iterator[sqlite3.Connection]:
    """Closed at the end (not only committed), so the WAL is folded back into the file."""
    with closing(sqlite3.connect(database)) as connection, connection:
        yield connection


def _directory_rows(database: Path) -> dict[str, int]:
    with _connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ref_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _revision(database: Path) -> int:
    with _connect(database) as connection:
        return connection.execute("SELECT revision FROM directory_revision").fetchone()[0]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A migrated (so seeded) database, exported once as JSON and once as a tabular package."""
    folder = tmp_path_factory.mktemp("directory_cli")
    database = folder / "source.db"
    _ok(database, "migrate")
    folder.joinpath("json.out").write_text(
        _ok(database, "directory", "export", "--format", "json", folder / "directory.json")
    )
    folder.joinpath("tabular.out").write_text(
        _ok(database, "directory", "export", "--format", "tabular", folder / "package")
    )
    return folder


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory) -> Path:
    """A migrated database whose directory tables were then emptied (migrate seeds them)."""
    database = tmp_path_factory.mktemp("empty_template") / "empty.db"
    _ok(database, "migrate")
    with _connect(database) as connection:  # foreign keys are off on this connection
        for table in _directory_rows(database):
            connection.execute(f'DELETE FROM "{table}"')
    assert not any(_directory_rows(database).values())
    return database


@pytest.fixture
def empty(empty_template, tmp_path) -> Path:
    database = tmp_path / "target.db"
    shutil.copy(empty_template, database)
    return database


def test_export_json(source):
    document = json.loads((source / "directory.json").read_text())
    services = len(document["contents"])
    assert services > 1
    assert f"Exported {services} services (" in (source / "json.out").read_text()
    assert "puente_next_review_due" in document["contents"][0]  # the extension fields travel


def test_export_tabular(source):
    package = source / "package"
    assert {"datapackage.json", "services.csv", "puente_courts.csv"} <= {
        p.name for p in package.iterdir()
    }
    services = (package / "services.csv").read_text().splitlines()
    assert services[0].startswith("id,") and "puente_serves_detained" in services[0]
    assert f"Exported {len(services) - 1} services (" in (source / "tabular.out").read_text()


@pytest.mark.parametrize(
    ("format", "name"),
    [("json", "directory.json"), ("tabular", "package")],
    ids=["json", "tabular"],
)
def test_import_into_an_empty_database_round_trips(source, empty, tmp_path, format, name):
    out = _ok(empty, "directory", "import", "--format", format, source / name)
    records = sum(_directory_rows(empty).values())
    assert out.startswith(f"Imported: {records} created, 0 updated, 0 unchanged.\n")
    assert "- service: " in out
    _ok(empty, "directory", "export", "--format", "json", tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == (source / "directory.json").read_text()


def test_import_twice_reports_no_changes(source, empty):
    command = ("directory", "import", "--format", "json", source / "directory.json")
    _ok(empty, *command)
    rows, revision = _directory_rows(empty), _revision(empty)
    again = _ok(empty, *command)
    assert again.startswith(f"No changes: 0 created, 0 updated, {sum(rows.values())} unchanged.")
    assert _directory_rows(empty) == rows
    assert _revision(empty) == revision


def test_a_broken_file_is_refused_and_nothing_is_written(source, empty, tmp_path):
    document = json.loads((source / "directory.json").read_text())
    service = next(s for s in document["contents"] if s["phones"])
    service["phones"][0]["number"] = "555-12"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    revision = _revision(empty)
    done = run_cli(empty, "directory", "import", "--format", "json", broken)
    assert done.returncode == 1
    assert done.stderr.startswith("Nothing imported: 1 problem(s).")
    assert "phones[0].number" in done.stderr and "not a valid U.S. phone number" in done.stderr
    assert done.stdout == ""
    assert not any(_directory_rows(empty).values())  # every other record was valid
    assert _revision(empty) == revision


# ---- the command's own checks, in process (no subprocess needed to see them)


@pytest.fixture
def database(empty) -> Iterator[Database]:
    database = Database(make_engine(Settings(database_url=f"sqlite:///{empty}")))
    yield database
    database.dispose()


@pytest.mark.parametrize(
    ("format", "name", "message"),
    [
        ("json", "package", "is a tabular package; use --format tabular"),
        ("tabular", "directory.json", "is not a tabular package"),
        ("json", "missing.json", "does not exist"),
    ],
)
def test_a_path_that_does_not_fit_the_format_is_refused(
    source, empty, database, capsys, format, name, message
):
    assert import_directory(database, format, source / name) == 1
    err = capsys.readouterr().err
    assert err.startswith("Nothing imported: ") and message in err
    assert not any(_directory_rows(empty).values())


def test_export_to_a_path_it_cannot_write(source, database, capsys):
    assert export_directory(database, "json", source / "package") == 1
    err = capsys.readouterr().err
    assert err.startswith("Nothing exported: ") and "Is a directory" in err
