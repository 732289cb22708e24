"""Sliding-window counters for the rate limits, in this process's memory or in Redis.

A rate of N per S seconds keeps, per client, the count of the current fixed window of S seconds
and of the window before it; a request is refused when the previous count, weighted by how much
of it still overlaps the last S seconds, plus the current count reaches N (the "sliding window
counter" of Cloudflare and others: within about 1% of an exact moving window, with two integers
per client instead of one timestamp per request).

Cost per request does not depend on the number of clients: two dictionary look-ups per rate, no
timer and no sweep. When a window ends its dictionary becomes the previous one and the one
before is dropped whole. The memory store holds at most `max_keys` clients per rate; past that,
new clients are not counted until the window ends (fail open: the table is a memory bound, and
refusing everyone new would let one flood of fresh addresses deny the site to all).

In Redis one Lua script checks every rate of a request and counts them all or none, atomically,
so every worker and instance shares one count per client.
"""

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import redis
import redis.asyncio
from redis.exceptions import RedisError

log = logging.getLogger("puente.ratelimit")

MAX_KEYS = 20_000  # clients per rate in one window (about 80 bytes each, twice: ~3.2 MB)
REDIS_RETRY_SECONDS = 5.0  # after a Redis error, count in memory this long before trying again
REDIS_TIMEOUT = 0.5  # seconds: a Redis that hangs must not hold every request with it


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


class Charge(NamedTuple):  # a tuple: made for every request, so made cheaply
    """One rate that a request spends: `bucket` names the limit and rate, `key` the client."""

    bucket: str
    rate: Rate
    key: bytes


def wait_seconds(rate: Rate, previous: int, current: int, now: float) -> int:
    """Seconds until one more request fits, if no other request comes meanwhile."""
    start = now // rate.seconds * rate.seconds
    room = rate.count - 1 - current  # what the previous window's weight must fall to
    if room >= 0 and previous > 0:
        fits_at = start + rate.seconds * (1 - room / previous)
    else:  # the current window alone is full: it must become the previous one and fade
        fits_at = start + rate.seconds * (2 - (rate.count - 1) / max(current, 1))
    return max(1, math.ceil(fits_at - now))


def _refused(rate: Rate, previous: int, current: int, now: float) -> bool:
    overlap = 1 - (now % rate.seconds) / rate.seconds
    return previous * overlap + current + 1 > rate.count


class _Window:
    """The counts of one rate: this window's and the one before."""

    __slots__ = ("current", "number", "previous")

    def __init__(self) -> None:
        self.number = -1
        self.current: dict[bytes, int] = {}
        self.previous: dict[bytes, int] = {}

    def roll(self, number: int) -> None:
        if number <= self.number:  # this window (or a clock stepped back: count it here)
            return
        self.previous = self.current if number == self.number + 1 else {}
        self.current, self.number = {}, number


@dataclass
class MemoryWindows:
    """Counts in this process only: with several workers, each counts its own requests."""

    max_keys: int = MAX_KEYS
    windows: dict[str, _Window] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def spend(self, charges: Sequence[Charge], now: float) -> int | None:
        """None when every rate has room (and then each is counted), else seconds to wait."""
        with self.lock:
            found = []
            for charge in charges:
                window = self.windows.get(charge.bucket)
                if window is None:
                    window = self.windows[charge.bucket] = _Window()
                window.roll(int(now // charge.rate.seconds))
                current = window.current.get(charge.key, 0)
                previous = window.previous.get(charge.key, 0)
                if _refused(charge.rate, previous, current, now):
                    return wait_seconds(charge.rate, previous, current, now)
                found.append((window, charge.key, current))
            for window, key, current in found:
                if current or len(window.current) < self.max_keys:
                    window.current[key] = current + 1
            return None

    def reset(self) -> None:
        with self.lock:
            self.windows.clear()


# KEYS: the current and previous window's key of each rate, in pairs.
# ARGV: per rate its count, the weight of the previous window, and the seconds to keep the key.
# Returns {0} when every rate had room (all were counted), else {i, previous, current} of the
# first rate that was full (nothing was counted).
SPEND_SCRIPT = """
local rates = #KEYS / 2
for i = 1, rates do
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local limit = tonumber(ARGV[3 * i - 2])
  if previous * tonumber(ARGV[3 * i - 1]) + current + 1 > limit then
    return {i, previous, current}
  end
end
for i = 1, rates do
  redis.call('INCR', KEYS[2 * i - 1])
  redis.call('EXPIRE', KEYS[2 * i - 1], ARGV[3 * i])
end
return {0}
"""


class RedisWindows:
    """Counts in Redis, shared by every worker and instance that uses the same Redis.

    A request spends on the event loop through redis-py's asyncio client (`spend_async`): the
    hop to a thread and back for the blocking client cost about twice the CPU of the script's
    round trip itself (docs/benchmarks.md, session 12). Each event loop gets a client of its
    own, made on the loop's first spend: an asyncio connection belongs to the loop that opened
    it (a worker has one loop; tests run several). The blocking client stays for the daily
    key, which is read once a day, and for `reset`.

    If Redis fails, this process counts in memory for a few seconds and then tries again: the
    site stays up, and the limits hold per process meanwhile (the error type is logged).
    """

    def __init__(
        self,
        url: str,
        prefix: str,
        fallback: MemoryWindows,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        self.prefix = prefix
        self.fallback = fallback
        self.monotonic = monotonic
        self.script = self.client.register_script(SPEND_SCRIPT)
        self.down_until = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._async_script: Any = None

    def spend(self, charges: Sequence[Charge], now: float) -> int | None:
        """The blocking form of `spend_async` (tests, scripts): never on the event loop."""
        if self.monotonic() < self.down_until:
            return self.fallback.spend(charges, now)
        keys, args = self._arguments(charges, now)
        try:
            answer = self.script(keys=keys, args=args)
        except (RedisError, OSError) as error:
            return self._unavailable(error, charges, now)
        return self._outcome(answer, charges, now)

    async def spend_async(self, charges: Sequence[Charge], now: float) -> int | None:
        """None when every rate has room (and then each is counted), else seconds to wait."""
        if self.monotonic() < self.down_until:
            return self.fallback.spend(charges, now)
        keys, args = self._arguments(charges, now)
        try:
            answer = await self._script_of_this_loop()(keys=keys, args=args)
        except (RedisError, OSError) as error:
            return self._unavailable(error, charges, now)
        return self._outcome(answer, charges, now)

    def _script_of_this_loop(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            client = redis.asyncio.Redis.from_url(
                self.url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
            self._async_script = client.register_script(SPEND_SCRIPT)
            self._loop = loop
        return self._async_script

    def _arguments(self, charges: Sequence[Charge], now: float) -> tuple[list[str], list[Any]]:
        keys: list[str] = []
        args: list[str | int] = []
        for charge in charges:
            number = int(now // charge.rate.seconds)
            name = f"{self.prefix}:{charge.bucket}:{charge.key.hex()}"
            keys += [f"{name}:{number}", f"{name}:{number - 1}"]
            overlap = 1 - (now % charge.rate.seconds) / charge.rate.seconds
            args += [charge.rate.count, repr(overlap), 2 * charge.rate.seconds]
        return keys, args

    def _outcome(self, answer: Any, charges: Sequence[Charge], now: float) -> int | None:
        if answer[0] == 0:
            return None
        rate = charges[int(answer[0]) - 1].rate
        return wait_seconds(rate, int(answer[1]), int(answer[2]), now)

    def _unavailable(self, error: Exception, charges: Sequence[Charge], now: float) -> int | None:
        log.warning("rate limit store unavailable (%s); counting in memory", type(error).__name__)
        self.down_until = self.monotonic() + REDIS_RETRY_SECONDS
        return self.fallback.spend(charges, now)

    def reset(self) -> None:
        """Forget every count under this prefix (tests; an operator lifting a block)."""
        for name in self.client.scan_iter(match=f"{self.prefix}:*", count=1000):
            self.client.delete(name)
        self.fallback.reset()
