"""Rate limits shared through Redis (F15; issue 16 item 4: a client cannot get three times its
budget from three instances), against a real Redis.

REDIS_URL, or redis://127.0.0.1:6379/11 (a database of these tests' own). Every key is under
a prefix made for the run and deleted after it. Without a Redis the tests are skipped, except
in CI, which starts one (.ci/run) and where a missing Redis must fail.
"""

import asyncio
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from app.main import create_app
from app.web import ratelimit
from app.web.ratelimit import LIMITS, RateLimiter
from app.web.ratewindow import Charge, MemoryWindows, Rate, RedisWindows
from tests.conftest import csrf_from, make_settings

URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"
FROZEN = datetime(2026, 3, 2, 12, 0, 1, tzinfo=UTC)


def _reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(URL, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not _reachable(),
    reason=f"no Redis at {URL} (CI starts one)",
)


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"puente-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(URL)
    for key in client.scan_iter(match=f"{name}:*", count=1000):
        client.delete(key)


def instance(prefix: str, clock: datetime = FROZEN) -> RateLimiter:
    return RateLimiter(URL, clock=lambda: clock, prefix=prefix)


def test_three_instances_share_one_budget(prefix: str) -> None:
    instances = [instance(prefix) for _ in range(3)]
    budget = LIMITS["resume"][0].count
    admitted = [
        instances[attempt % 3].spend(("resume",), "198.51.100.4") is None
        for attempt in range(3 * budget)
    ]
    assert admitted == [True] * budget + [False] * (2 * budget)
    assert instances[0].client_key("198.51.100.4") == instances[2].client_key("198.51.100.4")
    assert all(one.spend(("resume",), "198.51.100.5") is None for one in instances)


def test_concurrent_spends_never_exceed_the_count(prefix: str) -> None:
    instances = [instance(prefix) for _ in range(2)]
    admitted: list[bool] = []
    lock = threading.Lock()

    def hammer(limiter: RateLimiter) -> None:
        for _ in range(20):
            result = limiter.spend(("login",), "2001:db8:9::1") is None
            with lock:
                admitted.append(result)

    threads = [threading.Thread(target=hammer, args=(instances[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(admitted) == LIMITS["login"][0].count and len(admitted) == 120


def test_redis_counts_as_the_memory_store_does(prefix: str) -> None:
    """The Lua script and app.web.ratewindow.MemoryWindows answer every request alike."""
    shared = RedisWindows(URL, f"{prefix}:count", MemoryWindows())
    local = MemoryWindows()
    short, long = Rate(4, 10), Rate(9, 60)
    charges = [Charge("short", short, b"k"), Charge("long", long, b"k")]
    moments = [0.5 * step for step in range(300)] + [400.0, 455.0, 459.0, 461.0]
    for now in moments:
        assert shared.spend(charges, 1_000_000.0 + now) == local.spend(charges, 1_000_000.0 + now)


def test_keys_hold_no_address_and_expire(prefix: str) -> None:
    limiter = instance(prefix)
    limiter.spend(("pages",), "203.0.113.77")
    client = redis.Redis.from_url(URL)
    keys = [key.decode() for key in client.scan_iter(match=f"{prefix}:*")]
    counts = [key for key in keys if ":count:" in key]
    assert len(counts) == 2  # the pages' two rates, current windows only
    for key in keys:
        assert "203.0.113" not in key and "203" not in key.removeprefix(prefix)
        assert 0 < client.ttl(key) <= 2 * 600 or "daily-key" in key
    daily = next(key for key in keys if "daily-key" in key)
    midnight = datetime.combine(FROZEN.date() + timedelta(days=1), datetime.min.time(), UTC)
    assert 0 <= (midnight - FROZEN).total_seconds() - client.ttl(daily) < 60


def test_the_daily_key_is_read_once_a_day(prefix: str) -> None:
    limiter = instance(prefix)
    key = limiter.client_key("192.0.2.1")
    redis.Redis.from_url(URL).delete(f"{prefix}:daily-key:{FROZEN.date().isoformat()}")
    assert limiter.client_key("192.0.2.1") == key  # cached: no round trip per request


def test_two_app_instances_share_the_start_budget(prefix: str, clean_db: str) -> None:
    apps = []
    for _ in range(2):
        app = create_app(make_settings(clean_db).model_copy(update={"redis_url": URL}))
        limiter = app.state.limiter
        limiter.clock = lambda: FROZEN
        limiter.daily.prefix = prefix
        limiter.windows = RedisWindows(URL, f"{prefix}:count", MemoryWindows())
        apps.append(app)
    address = ("192.0.2.80", 1)
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(app, base_url="http://testserver", client=address))
            for app in apps
        ]
        token = csrf_from(clients[0].get("/q/start").text)
        budget = LIMITS["start"][0].count
        statuses = []
        for person in range(budget + 2):
            client = clients[person % 2]
            client.cookies.clear()
            statuses.append(client.post("/q/start", data={"csrf": token}, follow_redirects=False))
    assert [s.status_code for s in statuses] == [303] * budget + [429, 429]
    for app in apps:
        app.state.puente.db.dispose()


def test_redis_replies_are_parsed_in_c() -> None:
    """hiredis, a dependency of its own: redis-py parses replies with it whenever it is
    installed, a third less CPU for the script each limited request runs (docs/benchmarks.md,
    session 12). Without it redis-py falls back to its Python parser, silently."""
    limiter = RateLimiter(URL, prefix=f"test-{uuid.uuid4().hex}")
    client = limiter.windows.client  # type: ignore[attr-defined]
    connection = client.connection_pool.get_connection()
    try:
        assert type(connection._parser).__name__ == "_HiredisParser"
    finally:
        client.connection_pool.release(connection)


def test_spending_awaits_redis_on_the_event_loop_without_a_thread(
    prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each request's script is awaited on the loop (redis-py's asyncio client): no hop to a
    thread and back, which cost twice the round trip's CPU. Only the daily key's read goes to
    a thread, once a day; and a second event loop (a test's, a restarted one) gets a client of
    its own, since an asyncio connection belongs to the loop that opened it."""
    hops: list[str] = []

    async def counted_hop(function: Any, *args: Any) -> Any:
        hops.append(function.__name__)
        return function(*args)

    monkeypatch.setattr(ratelimit, "run_in_threadpool", counted_hop)
    limiter = instance(prefix)
    budget = LIMITS["login"][0].count

    async def spend_all(times: int) -> list[int | None]:
        return [await ratelimit.spend(limiter, ("login",), "198.51.100.9") for _ in range(times)]

    first = asyncio.run(spend_all(budget - 5))
    assert hops == ["current"]  # the daily key, read once
    second = asyncio.run(spend_all(6))  # another loop: a client of its own, the same counts
    assert hops == ["current"]
    assert first + second[:5] == [None] * budget and isinstance(second[5], int)
    # The blocking form counts in the same place: the budget is spent for it too.
    assert limiter.spend(("login",), "198.51.100.9") is not None


def test_an_unreachable_redis_is_waited_for_half_a_second_then_counted_in_memory(
    prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    windows = RedisWindows(f"redis://127.0.0.1:{port}/0", f"{prefix}:count", MemoryWindows())
    charges = [Charge("login", Rate(2, 60), b"k")]

    async def three() -> list[int | None]:
        return [await windows.spend_async(charges, 1_000.0) for _ in range(3)]

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="puente.ratelimit"):
        answers = asyncio.run(three())
    assert time.monotonic() - started < 1.5
    assert answers[:2] == [None, None] and isinstance(answers[2], int)  # counted in memory
    assert "rate limit store unavailable (ConnectionError)" in caplog.text
    assert windows.down_until > 0  # Redis is tried again only after a few seconds
