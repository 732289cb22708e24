"""Fixtures for the directory tests: a fresh database per test and a small directory builder.

SQLite in memory by default; a fresh PostgreSQL schema when DATABASE_URL starts with
`postgresql` (create_all is allowed here, in tests only).
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from referral_helpers import FACILITY_ID, TODAY, Builder, create_directory_schema
from sqlalchemy import event, text
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from app.referrals import models as m
from app.referrals.seed import seed_directory

REPO_ROOT = Path(__file__).resolve().parents[2]


def _find_hsds_reference() -> Path | None:
    """`../shared/reference/hsds-3.0` beside the repository (or beside a folder above it, as
    for a git worktree); HSDS_REFERENCE_DIR overrides."""
    if os.environ.get("HSDS_REFERENCE_DIR"):
        return Path(os.environ["HSDS_REFERENCE_DIR"])
    for folder in REPO_ROOT.parents:
        candidate = folder / "shared" / "reference" / "hsds-3.0"
        if candidate.is_dir():
            return candidate
    return None


def _sqlite_engine():
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )

    @event.listens_for(engine, "connect")
    def _foreign_keys(connection, _record):  # the app turns this on too
        connection.execute("PRAGMA foreign_keys=ON")

    return engine


@pytest.fixture
def engine() -> Iterator:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"test_ref_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        create_directory_schema(engine)
        yield engine
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        engine = _sqlite_engine()
        create_directory_schema(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def db(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def seeded(db) -> Session:
    seed_directory(db, today=TODAY)
    return db


@pytest.fixture
def directory(db) -> Builder:
    """An empty directory that knows our taxonomy (terms are needed for matching)."""
    seed_directory(db, today=TODAY, include_national=False, include_sample=False)
    db.add(m.Court(code="TST", name="Test Court", state="il", source_name="test"))
    db.add(
        m.Facility(
            id=FACILITY_ID,
            name="Test Facility",
            state="il",
            latitude=41.8,
            longitude=-87.7,
            admin_court_code="TST",
            source_name="test",
        )
    )
    db.commit()
    return Builder(db)


@pytest.fixture
def hsds_reference() -> Path:
    found = _find_hsds_reference()
    if found is None or not found.is_dir():
        pytest.skip("shared/reference/hsds-3.0 is not beside the repository")
    return found
