"""Rate limits (security.md R5.1): which requests spend which limit, keyed so that no counter
ever holds a client address. The counting itself is in app.web.ratewindow.

The key of a client is HMAC-SHA256(daily key, network), cut to 16 bytes. The network is the
IPv4 address, or the /64 of an IPv6 address (one home or phone gets a whole /64, so counting
by address would give one person 2^64 budgets). The daily key is 32 random bytes kept only in
memory and replaced at 00:00 UTC and on restart, so a key cannot be linked to an address, nor
across days. With REDIS_URL set, counters live in Redis and so does the daily key (with an
expiry at the next midnight, never on disk if Redis runs without persistence, as the README
asks), so every worker and instance counts a client alike.

The figures are set for a room full of people on one connection (docs/decisions.md, "Rate
limits for a room on one Wi-Fi"). A form's limits are spent only once its CSRF token is
accepted (app.web.deps.check_csrf calls `spend_pending`), so forged posts spend nothing.
"""

import hmac
import logging
import math
import secrets
import socket
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

from app.web.ratewindow import (
    MAX_KEYS,
    REDIS_RETRY_SECONDS,
    Charge,
    MemoryWindows,
    Rate,
    RedisWindows,
)

log = logging.getLogger("puente.ratelimit")

NAMESPACE = "puente"
MINUTE, HOUR = 60, 3600
# name -> the rates a request spends, per client network; every one must have room.
LIMITS: dict[str, tuple[Rate, ...]] = {
    # 150 people in a quarter of an hour from one address: a waiting room or a clinic's
    # session, each with a second tab to spare; a script is held to 10 a minute on average.
    "start": (Rate(150, 15 * MINUTE),),
    # 150 people answering at once, one answer each 8 seconds (a person takes 10 to 30).
    "answer": (Rate(1_200, MINUTE),),
    # Codes have 100 bits: guessing is hopeless at any rate, so this only bounds the work.
    "resume": (Rate(60, HOUR),),
    # The heavy pages (result, printable, find help): a burst of 60, then one a second.
    "pages": (Rate(60, 10), Rate(600, 10 * MINUTE)),
    "login": (Rate(30, HOUR),),
}
BUCKETS = {
    name: tuple((f"{name}:{rate.count}/{rate.seconds}", rate) for rate in rates)
    for name, rates in LIMITS.items()
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
    ("POST", "/resume"): ("resume",),
    ("POST", "/staff/login"): ("login",),
    ("POST", "/staff/login/code"): ("login",),
    ("GET", "/q/result"): ("pages",),
    ("GET", "/help"): ("pages",),
    ("POST", "/help"): ("pages",),
    ("GET", "/api/v1/session/result"): ("pages",),
}
# Every page under it builds the result as /q/result does: the printable, the section pages.
RESULT_PAGES = "/q/result/"
PARTNER_LANDING = "start"  # GET /?p=CODE may create a session, so it spends a start
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"  # the JSON API has no CSRF token (a bearer header instead)
PENDING = "puente.ratelimit.pending"  # scope["state"] key: limits the CSRF check will spend


def limits_for(scope: MutableMapping[str, Any]) -> tuple[str, ...]:
    method, path = scope["method"], scope["path"]
    if method == "HEAD":  # answered by the GET handler, at the same cost
        method = "GET"
    if method == "GET" and path == "/" and b"p=" in scope.get("query_string", b""):
        return (PARTNER_LANDING,)
    if method == "GET" and path.startswith(RESULT_PAGES):
        return ("pages",)
    return ROUTES.get((method, path.rstrip("/") or "/"), ())


def after_csrf(scope: MutableMapping[str, Any]) -> bool:
    """True when the request's form carries a CSRF token: its limits wait for the check."""
    return scope["method"] in UNSAFE_METHODS and not scope["path"].startswith(API_PREFIX)


def client_address(scope: MutableMapping[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


_IPV4_MAPPED = bytes(10) + b"\xff\xff"


def network_of(address: str) -> str:
    """The unit a budget belongs to: an IPv4 address, or the /64 of an IPv6 address.

    An IPv6 address is read by the C library (`inet_pton`), not the `ipaddress` module, whose
    parsing in Python was a twentieth of an answer's CPU; the result is the same."""
    if ":" not in address:
        return address
    try:
        packed = socket.inet_pton(socket.AF_INET6, address.split("%", 1)[0])
    except (OSError, ValueError):  # not an address: keyed as it is
        return address
    if packed[:12] == _IPV4_MAPPED:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return socket.inet_ntop(socket.AF_INET, packed[12:])
    return "v6:" + packed[:8].hex()


def _next_midnight(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


@dataclass
class DailyKey:
    """32 random bytes for the current UTC day, in this process's memory or in Redis."""

    clock: Callable[[], datetime]
    redis: Any = None  # redis.Redis, when counts are shared
    prefix: str = NAMESPACE
    _key: bytes = b""
    _day: str = ""
    _retry_at: float | None = None  # a local key stands in for Redis's until then

    def current(self) -> bytes:
        now = self.clock()
        day = now.date().isoformat()
        if self._due(day):
            self._key, self._day = self._fetch(day, now), day
        return self._key

    def due(self) -> bool:
        """`current` would fetch the key (from Redis, when counts are shared)."""
        return self._due(self.clock().date().isoformat())

    def _due(self, day: str) -> bool:
        return day != self._day or (
            self._retry_at is not None and time.monotonic() > self._retry_at
        )

    def _fetch(self, day: str, now: datetime) -> bytes:
        self._retry_at = None
        if self.redis is None:
            return secrets.token_bytes(32)
        name = f"{self.prefix}:daily-key:{day}"
        # Seconds from this clock, not a moment: a Redis whose clock runs ahead of ours must
        # not drop the key at once.
        ttl = max(1, math.ceil((_next_midnight(now) - now).total_seconds()))
        offered = secrets.token_bytes(32)
        try:
            self.redis.set(name, offered, nx=True, ex=ttl)  # the first instance of the day wins
            return bytes(self.redis.get(name) or offered)
        except (RedisError, OSError) as error:
            log.warning("rate limit key unavailable (%s); using a local one", type(error).__name__)
            self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
            # Keep today's stand-in while Redis stays away, or every retry would reset counts.
            return self._key if day == self._day and self._key else secrets.token_bytes(32)

    def rotate(self) -> None:
        """Forget the key now (tests; an operator who wants every counter unlinkable at once)."""
        self._key, self._day = b"", ""


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        prefix: str = NAMESPACE,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.clock = clock
        memory = MemoryWindows(max_keys)
        self.windows: MemoryWindows | RedisWindows = memory
        client = None
        if redis_url:
            self.windows = RedisWindows(redis_url, f"{prefix}:count", memory)
            client = self.windows.client
        self.daily = DailyKey(clock, client, prefix)
        # Redis is a network round trip, so spending is awaited (`spend_async`); the memory
        # store answers in microseconds, inline.
        self.blocks = client is not None

    def client_key(self, address: str) -> bytes:
        return hmac.digest(self.daily.current(), network_of(address).encode(), "sha256")[:16]

    def spend(self, names: tuple[str, ...], address: str) -> int | None:
        """None when the request may go on (and it is counted), else seconds to wait."""
        return self.windows.spend(self._charges(names, address), self.clock().timestamp())

    def _charges(self, names: tuple[str, ...], address: str) -> list[Charge]:
        key = self.client_key(address)
        return [Charge(bucket, rate, key) for name in names for bucket, rate in BUCKETS[name]]

    async def spend_async(self, names: tuple[str, ...], address: str) -> int | None:
        """`spend` with Redis, awaited on the event loop. The daily key's read from Redis
        (once a day, and while Redis is away, every few seconds) goes to a thread."""
        if self.daily.due():
            await run_in_threadpool(self.daily.current)
        charges = self._charges(names, address)
        windows, now = self.windows, self.clock().timestamp()
        if not isinstance(windows, RedisWindows):  # counted in memory: nothing to wait for
            return windows.spend(charges, now)
        return await windows.spend_async(charges, now)

    def reset(self) -> None:
        self.windows.reset()


class RateLimited(Exception):
    """A form's limits were spent after its CSRF check and one was full (answered 429)."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


async def spend(limiter: RateLimiter, names: tuple[str, ...], address: str) -> int | None:
    if limiter.blocks:
        return await limiter.spend_async(names, address)
    return limiter.spend(names, address)


async def spend_pending(scope: MutableMapping[str, Any]) -> None:
    """Spends what the edge layer (app.web.middleware) left for the CSRF check, once the form
    is accepted."""
    names = scope.get("state", {}).pop(PENDING, None)
    if names:
        limiter = scope["app"].state.limiter  # the one the middleware was given (app.main)
        wait = await spend(limiter, names, client_address(scope))
        if wait is not None:
            raise RateLimited(wait)
