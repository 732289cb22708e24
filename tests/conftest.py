"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when DATABASE_URL says so),
an app built on it, and a test client.

Each test starts from empty tables. The schema comes from the Alembic migrations, never from
create_all, so every test also proves the migrations.
"""

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app import main as app_main
from app.config import ROOT, Settings
from app.main import create_app
from app.migrate import upgrade
from app.respondents.sessions import SessionStore
from app.tables import metadata

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = ROOT / "app" / "content"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@pytest.fixture(autouse=True, scope="session")
def content_loaded_once() -> Iterator[None]:
    """Each test builds its own app, but the shipped YAML is parsed once per test process."""
    cached = functools.cache(app_main.load_content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_main, "load_content", cached)
        yield


def on_postgresql() -> bool:
    """Whether this run's DATABASE_URL names PostgreSQL (CI's second pass)."""
    return os.environ.get("DATABASE_URL", "").startswith("postgresql")


def _postgres_url() -> str | None:
    """DATABASE_URL when it names PostgreSQL; under xdist, a database of the worker's own."""
    if not on_postgresql():
        return None
    url = os.environ["DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return own_postgres_database(url, worker) if worker else url


@functools.cache
def _reads_the_database_url_itself(path: Path) -> bool:
    return "DATABASE_URL" in path.read_text(encoding="utf-8")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL (CI's second pass, `make test-database`), only the tests that use a
    database: through the `database_url` fixture, which every database fixture builds on, or
    in a module that reads DATABASE_URL itself. The others cannot differ from the SQLite pass
    (the same code with no database under it), and running them twice cost CI minutes."""
    if _postgres_url() is None:
        return
    kept, skipped = [], []
    for item in items:
        uses = "database_url" in getattr(item, "fixturenames", ())
        uses = uses or _reads_the_database_url_itself(Path(str(item.path)))
        (kept if uses else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


def own_postgres_database(url: str, suffix: str) -> str:
    """A PostgreSQL database beside the one `url` names (`<name>_<suffix>`), made if missing."""
    base, _, name = url.rpartition("/")
    own = f"{name}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own}"'))
    admin.dispose()
    return f"{base}/{own}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _postgres_url()
    if url:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


# Rows the migrations create, which the app expects to find (like alembic_version).
KEPT_BETWEEN_TESTS = {"directory_revision"}


@pytest.fixture
def clean_db(database_url: str) -> Iterator[str]:
    yield database_url
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in KEPT_BETWEEN_TESTS:
                connection.execute(table.delete())
    engine.dispose()


def make_settings(database_url: str, content_dir: Path = FIXTURE_CONTENT) -> Settings:
    return Settings(
        database_url=database_url,
        content_dir=content_dir,
        secret_key="test-secret-key-for-csrf-tokens-only",
        purge_interval_hours=0,
    )


@pytest.fixture
def settings(clean_db: str) -> Settings:
    return make_settings(clean_db)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.puente.db.dispose()


@pytest.fixture
def store(app: FastAPI) -> SessionStore:
    """The app's respondent sessions, for tests of how answers are written."""
    return app.state.puente.store  # type: ignore[no-any-return]


def answered_ids(store: SessionStore, session_id: str) -> list[str]:
    """The ids of the questions a session's stored answers answer, in order."""
    row = store.get(session_id)
    assert row is not None
    return [entry[0] for entry in row.answers]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def real_app(clean_db: str) -> Iterator[FastAPI]:
    """The app on the shipped questionnaire (app/content), for end-to-end content tests."""
    application = create_app(make_settings(clean_db, REAL_CONTENT))
    yield application
    application.state.puente.db.dispose()


@pytest.fixture
def real_client(real_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(real_app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)
