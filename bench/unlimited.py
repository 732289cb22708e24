"""The production app with a rate limiter that lets everything through, for the CPU benchmarks'
`--no-rate-limits`: to tell the limiter's cost from the rest. Never used outside bench/.

A module on its own (it imports only `app.main`), so that bench.cpu can also load it as the
uvicorn factory of a server started from another checkout (`--baseline`)."""

from typing import Any


def without_rate_limits(app: Any) -> Any:
    limiter = app.state.limiter
    timer = getattr(getattr(limiter, "storage", None), "timer", None)
    if timer is not None:
        timer.cancel()  # the limits memory storage's expiry sweep, every 10 ms
    limiter.blocks = False
    # The middleware holds this same object: spending is now free and never refused.
    limiter.spend = lambda names, address: None
    return app


def app_without_rate_limits() -> Any:
    """uvicorn --factory puente_bench_unlimited:app_without_rate_limits"""
    from app.main import app_from_env

    return without_rate_limits(app_from_env())
