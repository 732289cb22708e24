"""What the rate limiter costs per request as the number of distinct visitors grows.

    python -m bench.ratelimit                           # memory, 100 to 100,000 visitors
    python -m bench.ratelimit --redis redis://127.0.0.1:6379/11
    cp bench/ratelimit.py /tmp/rl.py && cd /tmp && PYTHONPATH=/older/checkout python rl.py

For each size, a fresh limiter first sees that many distinct visitors (one start each); then
200 of them come back. Two figures, both process CPU time (every thread counts: the `limits`
memory storage swept its keys in a timer thread every 10 ms): back to back, 5,000 requests
as fast as they go (best of three); paced, a steady 200 requests a second for a few seconds
(about one worker's share at full load), less what the pacing itself costs. The limiter is
imported by name, so an older checkout measures itself.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from app.web.ratelimit import RateLimiter

RATE = 200  # requests a second
RETURNING = 200  # visitors who come back during the measurement


def address(number: int) -> str:
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


@dataclass
class Figure:
    visitors: int
    back_to_back_us: float
    paced_us: float
    fill_s: float


def back_to_back(limiter: RateLimiter, visitors: int, calls: int = 5_000) -> float:
    returning = [address(number) for number in range(min(RETURNING, visitors))]
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for call in range(calls):
            limiter.spend(("start",), returning[call % len(returning)])
        best = min(best, (time.process_time() - started) / calls)
    return best


def paced(spend: Callable[[str], object], visitors: int, seconds: float) -> float:
    """Process CPU per request."""
    requests = int(seconds * RATE)
    interval = 1 / RATE
    started_cpu, next_at = time.process_time(), time.perf_counter()
    for request in range(requests):
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        spend(address(request % min(RETURNING, visitors)))
    return (time.process_time() - started_cpu) / requests


def measure(limiter: RateLimiter, visitors: int, seconds: float) -> Figure:
    filled = time.perf_counter()
    for number in range(visitors):
        limiter.spend(("start",), address(number))
    fill_s = time.perf_counter() - filled
    # The pacing itself (sleeping, waking, timing) costs CPU too: measured with a call that
    # does nothing, and taken off.
    idle = paced(lambda _address: None, visitors, seconds)
    cpu = paced(lambda client: limiter.spend(("start",), client), visitors, seconds)
    tight = back_to_back(limiter, visitors)
    return Figure(visitors, tight * 1e6, max(0.0, cpu - idle) * 1e6, fill_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--redis", help="a Redis URL (keys under a prefix of the run's own)")
    options = parser.parse_args()
    print("| distinct visitors | back to back (µs/request) | paced (µs/request) | filling (s) |")
    print("|---:|---:|---:|---:|")
    for size in (int(part) for part in options.sizes.split(",")):
        if options.redis:
            prefix = f"puente-bench-{uuid.uuid4().hex[:8]}"
            limiter = RateLimiter(options.redis, prefix=prefix)
        else:
            limiter = RateLimiter()
        figure = measure(limiter, size, options.seconds)
        print(
            f"| {figure.visitors:,} | {figure.back_to_back_us:,.1f} | {figure.paced_us:,.1f} "
            f"| {figure.fill_s:,.1f} |",
            flush=True,
        )
        limiter.reset()
        if options.redis:
            limiter.daily.redis.delete(*limiter.daily.redis.keys(f"{prefix}:*") or ["-"])


if __name__ == "__main__":
    main()
