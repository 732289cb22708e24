"""T3.3 by construction: every route that takes POST, PUT, PATCH or DELETE passes the one CSRF
check (app.web.deps.check_csrf), unless the bearer-token JSON API's rule exempts it. Walks the
app's own route table, so a route added tomorrow is held to it without editing a list."""

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response

from app.web.deps import CSRF, bearer
from tests.security.flow_helpers import start
from tests.security.route_walk import is_exempt, uncovered, unsafe_routes


def test_every_unsafe_route_passes_the_csrf_check(app: FastAPI) -> None:
    assert uncovered(app.routes) == []
    checked = [route.path for route in unsafe_routes(app.routes) if route.covered]
    assert "/q" in checked and "/staff/login" in checked and "/help" in checked


async def _nothing() -> Response:
    return Response(status_code=204)


def test_the_walk_reports_a_route_without_the_check(app: FastAPI) -> None:
    """The check above can fail: a throwaway router without CSRF, beside the real routes."""
    throwaway = APIRouter()
    throwaway.add_api_route("/q/sneaky", _nothing, methods=["POST"])
    throwaway.add_api_route("/staff/sneaky/{item}", _nothing, methods=["DELETE", "GET"])
    throwaway.add_api_route("/q/read-only", _nothing, methods=["GET"])
    throwaway.add_api_route("/api/v1/by-rule", _nothing, methods=["PUT"])  # exempt: the API
    guarded = APIRouter(dependencies=[CSRF])
    guarded.add_api_route("/q/guarded", _nothing, methods=["PATCH"])
    app.include_router(throwaway)
    app.include_router(guarded)
    app.add_route("/plain", _nothing, methods=["POST"])  # outside FastAPI's dependencies
    app.mount("/opaque", _nothing)
    assert uncovered(app.routes) == [
        "POST /q/sneaky",
        "DELETE /staff/sneaky/{item}",
        "POST /plain",
        "* /opaque",
    ]


def test_the_exempt_api_takes_no_cookie_for_a_credential(client: TestClient, app) -> None:
    """Why the API needs no CSRF check: a respondent's cookie, which a browser would send from
    another site, opens nothing there; only the bearer token does."""
    start(client)
    assert client.cookies.get("sid")
    exempt = [route for route in unsafe_routes(app.routes) if is_exempt(route.path)]
    assert exempt
    for route in exempt:
        if bearer not in route.dependencies:
            continue  # needs no credential at all: POST /api/v1/sessions makes a new session
        body = {"question": "who", "value": "self"}
        response = client.request(route.method, route.path, json=body)
        assert response.status_code == 401, (route, response.text)
        assert response.json()["code"] == "missing_token"
