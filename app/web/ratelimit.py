"""Rate limits (security.md R5.1), keyed so that no counter ever holds a client address.

The key of a client is HMAC-SHA256(daily key, address), cut to 16 bytes (32 hex digits). The
daily key is 32 random bytes kept only in memory and replaced at 00:00 UTC and on restart, so a
key cannot be linked to an address, nor across days. With REDIS_URL set, counters live in Redis
and so does the daily key (with an expiry at the next midnight, never on disk if Redis runs
without persistence, as the README asks), so every instance counts a client alike.
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "puente"
# name -> (limit, shared by everyone instead of per client)
LIMITS: dict[str, tuple[RateLimitItem, bool]] = {
    "start": (parse("20/hour"), False),
    "answer": (parse("120/minute"), False),
    "resume": (parse("10/hour"), False),
    "resume_all": (parse("1000/hour"), True),
    "login": (parse("30/hour"), False),
}
# (method, path) -> the limits a request spends; everything else is not limited.
ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("POST", "/q/start"): ("start",),
    ("POST", "/api/v1/sessions"): ("start",),
    ("POST", "/q"): ("answer",),
    ("POST", "/q/back"): ("answer",),
    ("POST", "/q/change"): ("answer",),
    ("POST", "/q/restart"): ("answer",),
    ("POST", "/api/v1/session/answers"): ("answer",),
    ("POST", "/api/v1/session/back"): ("answer",),
    ("POST", "/resume"): ("resume", "resume_all"),
    ("POST", "/staff/login"): ("login",),
    ("POST", "/staff/login/code"): ("login",),
}
PARTNER_LANDING = "start"  # GET /?p=CODE may create a session, so it spends a start


def _next_midnight(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


@dataclass
class DailyKey:
    """32 random bytes for the current UTC day, in this process's memory or in Redis."""

    clock: Callable[[], datetime]
    redis: Any = None  # the Redis client of limits' RedisStorage, which limits types as Any
    _key: bytes = b""
    _day: str = ""

    def current(self) -> bytes:
        now = self.clock()
        day = now.date().isoformat()
        if self.redis is not None:
            return self._shared(day, now)
        if day != self._day:
            self._key, self._day = secrets.token_bytes(32), day
        return self._key

    def _shared(self, day: str, now: datetime) -> bytes:
        name = f"{NAMESPACE}:daily-key:{day}"
        expires = int(_next_midnight(now).timestamp())
        client = self.redis
        client.set(name, secrets.token_bytes(32), nx=True, exat=expires)
        value = client.get(name)
        return bytes(value)

    def rotate(self) -> None:
        """Forget the key now (tests; an operator who wants every counter unlinkable at once)."""
        self._key, self._day = b"", ""


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if redis_url:
            # limits' factory is typed for any of its storages; a redis:// URL gives this one.
            redis_storage = cast(RedisStorage, storage_from_string(redis_url, key_prefix=NAMESPACE))
            self.storage: MemoryStorage | RedisStorage = redis_storage
            redis_client = redis_storage.storage
        else:
            self.storage = MemoryStorage()
            redis_client = None
        self.daily = DailyKey(clock, redis_client)
        self.strategy = MovingWindowRateLimiter(self.storage)
        # Redis is a network round trip, so spending waits in a thread; the memory storage
        # answers in microseconds, less than the hop to a thread would cost.
        self.blocks = redis_client is not None

    def client_key(self, address: str) -> str:
        digest = hmac.new(self.daily.current(), address.encode(), hashlib.sha256).digest()
        return digest[:16].hex()

    def spend(self, names: tuple[str, ...], address: str) -> int | None:
        """None when the request may go on, else the seconds to wait before trying again."""
        key = self.client_key(address)
        for name in names:
            item, shared = LIMITS[name]
            identifiers = (name,) if shared else (name, key)
            if not self.strategy.hit(item, NAMESPACE, *identifiers):
                stats = self.strategy.get_window_stats(item, NAMESPACE, *identifiers)
                return max(1, int(stats.reset_time - time.time()) + 1)
        return None

    def reset(self) -> None:
        self.storage.reset()
