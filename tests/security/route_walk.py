"""Which routes of an app take unsafe methods, and whether the CSRF check covers them, read
from the app's own route table (so a new route can never be forgotten by a hand-kept list)."""

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Mount, Route

from app.web.deps import API_PREFIX, UNSAFE_METHODS, check_csrf
from app.web.static_files import VersionedStatic


def calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    """Every dependency a route resolves, however deep."""
    for sub in dependant.dependencies:
        yield sub.call
        yield from calls(sub)


def resolved_by(route: Route, context: RouteContext) -> frozenset[Any]:
    """What a route runs before its handler: an APIRoute's dependencies, as included; a plain
    route's `add_csrf_checked_route` endpoint (app.web.deps) names its check; any other, nothing."""
    if isinstance(route, APIRoute):
        return frozenset(calls(context.dependant))
    check = getattr(route.endpoint, "checks", None)
    return frozenset({check}) if check is not None else frozenset()


def is_exempt(path: str) -> bool:
    """The rule (app.web.deps.API_PREFIX): the bearer-token JSON API carries no cookie."""
    return path.startswith(API_PREFIX)


class UnsafeRoute(NamedTuple):
    method: str
    path: str
    covered: bool
    dependencies: frozenset[Any]  # what it resolves as included: its router's, its own


def unsafe_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[UnsafeRoute]:
    """Every unsafe method that a route accepts."""
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, Mount):
            # Static files answer GET and HEAD only (tests/web/test_static_files.py: 405).
            if isinstance(route.app, StaticFiles | VersionedStatic):
                continue
            if not route.routes:  # an opaque ASGI app: nothing shows what it accepts
                yield UnsafeRoute("*", prefix + route.path, False, frozenset())
            yield from unsafe_routes(route.routes, prefix + route.path)
            continue
        if not isinstance(route, Route):
            continue
        path = prefix + (context.path or route.path)
        resolved = resolved_by(route, context)
        for method in sorted(UNSAFE_METHODS & set(context.methods or ())):
            yield UnsafeRoute(method, path, check_csrf in resolved, resolved)


def uncovered(routes: list[BaseRoute]) -> list[str]:
    return [
        f"{route.method} {route.path}"
        for route in unsafe_routes(routes)
        if not route.covered and not is_exempt(route.path)
    ]
