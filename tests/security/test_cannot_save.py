"""F12 (security-review-2026-12): a database that cannot save (read-only, full) is a fault, not
a busy moment. /healthz reports it (and changes nothing itself), the log says it once, the
person is told the site cannot save right now (not "busy"), and nothing saved is lost; when
the fault is gone, saving works again without a restart."""

import logging
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

import app.db as app_db
from app.db import CannotSave, Database, cannot_save_reason
from tests.web.chat_helpers import answer, start


def _read_only(dbapi_connection: Any, _record: Any) -> None:
    """Every new connection refuses writes, as a read-only file, mount or standby does."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA query_only=ON")
        return
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_connection.autocommit = False


class ReadOnly:
    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> None:
        event.listen(self.db.engine, "connect", _read_only)
        self.db.engine.dispose()  # the pooled connections were opened writable

    def __exit__(self, *_: object) -> None:
        event.remove(self.db.engine, "connect", _read_only)
        self.db.engine.dispose()


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.ERROR, logger="puente")
    yield caplog


def test_a_read_only_database_is_unhealthy_and_said_so(
    client: TestClient, app: FastAPI, errors: pytest.LogCaptureFixture
) -> None:
    db = app.state.puente.db
    start(client)
    assert answer(client, "who", "self").status_code == 303
    assert client.get("/healthz").json() == {"status": "ok"}
    assert answer(client, "intro", "ok").status_code == 303
    with ReadOnly(db):
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "cannot_save", "reason": "read_only"}
        refused = answer(client, "case_year", "2001", headers={"accept-language": "es"})
        assert refused.status_code == 503 and refused.headers["retry-after"] == "60"
        assert "no puede guardar" in refused.text and "ocupado" not in refused.text
        api = client.post("/api/v1/sessions", json={"locale": "en"})
        assert api.status_code == 503 and api.json()["code"] == "cannot_save"
        assert "cannot save answers right now" in api.json()["detail"]
        # The pages that only read still work, and nothing saved is lost.
        assert client.get("/q").status_code == 200
    lines = [r.getMessage() for r in errors.records if r.name == "puente.db"]
    assert lines == ["the database cannot save: read_only"]  # once, not per request
    assert answer(client, "case_year", "2001").status_code == 303  # recovered by itself
    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_changes_nothing(client: TestClient, app: FastAPI) -> None:
    db = app.state.puente.db
    with db.read() as session:
        before = session.connection().exec_driver_sql("SELECT revision FROM directory_revision")
        revision = before.scalar_one()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    with db.read() as session:
        after = session.connection().exec_driver_sql("SELECT revision FROM directory_revision")
        assert after.scalar_one() == revision


def test_a_full_disk_is_unhealthy(
    client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not app.state.puente.db.is_sqlite:
        pytest.skip("SQLite measures its own disk; PostgreSQL's full disk is the next test's")

    class Usage:
        free = 1024

    monkeypatch.setattr(app_db.shutil, "disk_usage", lambda path: Usage())
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["reason"] == "full"


def test_a_failed_write_keeps_healthz_unhealthy_for_a_while(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk that only a write meets (PostgreSQL's): remembered for FAULT_MEMORY_SECONDS.
    db = app.state.puente.db
    db._fault = (CannotSave.FULL, app_db.time.monotonic())
    assert client.get("/healthz").json() == {"status": "cannot_save", "reason": "full"}
    monkeypatch.setattr(app_db, "FAULT_MEMORY_SECONDS", 0.0)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_drivers_errors_are_told_apart(tmp_path) -> None:
    connection = sqlite3.connect(tmp_path / "full.db", isolation_level=None)
    connection.execute("CREATE TABLE t (x)")
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as full:
        connection.execute("INSERT INTO t VALUES (randomblob(100000))")
    assert cannot_save_reason(full.value) is CannotSave.FULL
    connection.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as read_only:
        connection.execute("INSERT INTO t VALUES (1)")
    assert cannot_save_reason(read_only.value) is CannotSave.READ_ONLY
    assert cannot_save_reason(sqlite3.OperationalError("database is locked")) is None
    psycopg = pytest.importorskip("psycopg")
    assert cannot_save_reason(psycopg.errors.DiskFull()) is CannotSave.FULL
    assert cannot_save_reason(psycopg.errors.ReadOnlySqlTransaction()) is CannotSave.READ_ONLY
    assert cannot_save_reason(psycopg.errors.LockNotAvailable()) is None
