"""T4.4: on PostgreSQL a pool timeout is answered 503 with Retry-After, and the app recovers.
/healthz checks the database (R4.4)."""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.main import create_app
from tests.conftest import _postgres_url, make_settings


def test_healthz_checks_the_database(client, app) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    app.state.puente.db.engine.dispose()
    original = app.state.puente.db.cannot_save

    def broken():
        raise RuntimeError("database down")

    app.state.puente.db.cannot_save = broken
    try:
        response = client.get("/healthz")
    finally:
        app.state.puente.db.cannot_save = original
    assert response.status_code == 503 and response.json() == {"status": "unavailable"}


@pytest.mark.slow  # timed to the second: runs on its own, not beside other tests
@pytest.mark.skipif(_postgres_url() is None, reason="PostgreSQL only (set DATABASE_URL)")
def test_pool_timeout_is_503_with_retry_after(clean_db) -> None:
    settings = make_settings(clean_db).model_copy(
        update={"db_pool_size": 2, "db_max_overflow": 0, "db_pool_timeout": 1.0}
    )
    app = create_app(settings)
    db = app.state.puente.db

    def sleep_two_seconds() -> None:
        with db.read() as session:
            session.exec(text("SELECT pg_sleep(2)"))  # type: ignore[call-overload]

    @app.get("/_test/sleep", include_in_schema=False)  # a test-only route
    async def sleeper() -> dict[str, str]:
        await run_in_threadpool(sleep_two_seconds)
        return {"slept": "2"}

    async def scenario() -> tuple[list[httpx.Response], list[float], httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = time.monotonic()

            async def call() -> tuple[httpx.Response, float]:
                response = await client.get("/_test/sleep")
                return response, time.monotonic() - started

            results = await asyncio.gather(*(call() for _ in range(10)))
            after = await client.get("/_test/sleep")
        return [r for r, _ in results], [t for _, t in results], after

    responses, times, after = asyncio.run(scenario())
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200] + [503] * 8
    refused_after = [t for r, t in zip(responses, times, strict=True) if r.status_code == 503]
    assert max(refused_after) < 1.5
    assert all(r.headers.get("retry-after") for r in responses if r.status_code == 503)
    assert after.status_code == 200  # recovered
    assert db.engine.pool.checkedout() == 0
    db.dispose()
