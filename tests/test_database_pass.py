"""CI's PostgreSQL pass runs only the tests that use a database (tests/conftest.py): those
whose fixtures reach `database_url`, and those in a module that reads DATABASE_URL itself."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import conftest


@dataclass
class _Item:
    name: str
    path: Path
    fixturenames: tuple[str, ...] = ()


@dataclass
class _Hook:
    deselected: list[_Item] = field(default_factory=list)

    def pytest_deselected(self, items: list[_Item]) -> None:
        self.deselected += items


@dataclass
class _Config:
    hook: _Hook = field(default_factory=_Hook)


def _select(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str
) -> tuple[list[str], list[str]]:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    plain, reading = tmp_path / "test_plain.py", tmp_path / "test_reading.py"
    plain.write_text("def test_it(tmp_path): ...\n")
    reading.write_text('import os\nURL = os.environ["DATABASE_URL"]\n')
    items = [
        _Item("through the fixtures", plain, ("client", "app", "clean_db", "database_url")),
        _Item("no database", plain, ("tmp_path",)),
        _Item("reads the variable", reading),
    ]
    config = _Config()
    conftest.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]
    return [item.name for item in items], [item.name for item in config.hook.deselected]


def test_on_postgresql_only_tests_that_use_a_database_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    kept, dropped = _select(monkeypatch, tmp_path, url)
    assert kept == ["through the fixtures", "reads the variable"]
    assert dropped == ["no database"]


def test_on_sqlite_every_test_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kept, dropped = _select(monkeypatch, tmp_path, "")
    assert kept == ["through the fixtures", "no database", "reads the variable"] and not dropped
