"""F10 (security-review-2026-12): a fault is answered with the error page in the person's
language; the log gets the exception's type, the route and the request id, never a traceback
or the exception's message (which can quote an answer). Nothing reaches the server's own
"Exception in ASGI application" log: the test client re-raises anything that escapes the app."""

import logging
import os
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from app.main import create_app
from app.web.faults import LOG_FORMAT, RequestIdFilter, begin_request, end_request, request_id
from tests.conftest import make_settings
from tests.security.flow_helpers import start

SECRET = "answer-typed-by-a-person-90012"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("puente")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _faulty(app: FastAPI) -> FastAPI:
    @app.get("/boom/{item}")
    async def boom(item: str) -> None:
        raise ValueError(f"{SECRET} {item}")

    @app.get("/api/v1/boom")
    async def api_boom() -> None:
        raise KeyError(SECRET)

    return app


def _answered_in_spanish_and_logged_once(response: Response, log_lines: Lines, line: str) -> None:
    """The fault page in the person's language with its reference, and one log line: the
    reference, the exception's type and the route, nothing the person sent."""
    assert response.status_code == 500
    assert "Algo salió mal" in response.text and SECRET not in response.text
    reference = re.search(r'<code lang="en" dir="ltr">([0-9a-f]{12})</code>', response.text)
    assert reference, response.text
    assert log_lines.lines == [f"ERROR: [{reference.group(1)}] puente.errors: {line}"]


def test_a_fault_logs_its_type_and_request_id_only(app: FastAPI, log_lines: Lines) -> None:
    with TestClient(_faulty(app), raise_server_exceptions=True) as client:
        response = client.get("/boom/x", headers={"accept-language": "es"})
    _answered_in_spanish_and_logged_once(response, log_lines, "ValueError in GET /boom/{item}")
    assert response.headers["content-security-policy"]  # still behind the security headers


def test_an_api_fault_is_json_in_the_api_shape(app: FastAPI, log_lines: Lines) -> None:
    with TestClient(_faulty(app), raise_server_exceptions=True) as client:
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error" and SECRET not in response.text
    assert "Traceback" not in "\n".join(log_lines.lines)
    assert SECRET not in "\n".join(log_lines.lines)


def test_each_request_has_its_own_id(app: FastAPI, log_lines: Lines) -> None:
    with TestClient(_faulty(app)) as client:
        client.get("/boom/a")
        client.get("/boom/b")
    first, second = (re.search(r"\[(\w+)\]", line).group(1) for line in log_lines.lines)  # type: ignore[union-attr]
    assert first != second


def test_tracebacks_only_behind_the_development_setting(clean_db: str, log_lines: Lines) -> None:
    settings = make_settings(clean_db).model_copy(update={"log_tracebacks": True})
    app = create_app(settings)
    with TestClient(_faulty(app)) as client:
        client.get("/boom/x")
    app.state.puente.db.dispose()
    assert "Traceback" in "\n".join(log_lines.lines)


def test_a_fault_in_the_answer_names_its_route(
    app: FastAPI, log_lines: Lines, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer is a plain Starlette route (app.web.deps.add_csrf_checked_route): a fault in it is
    still the error page in the person's language and one log line naming POST /q."""

    def broken(*args: object) -> None:
        raise ValueError(SECRET)

    with TestClient(app, raise_server_exceptions=True) as client:
        token = start(client)
        monkeypatch.setattr(app.state.puente.store, "answer", broken)
        data = {"csrf": token, "question": "who", "value": SECRET}
        response = client.post("/q", data=data, headers={"accept-language": "es"})
    _answered_in_spanish_and_logged_once(response, log_lines, "ValueError in POST /q")


def test_request_ids_differ_between_requests_and_between_forked_workers() -> None:
    """Ids come from the random module's generator, which each forked worker reseeds: two
    workers forked from one master must not hand out the same ids."""

    def next_ids(count: int) -> list[str]:
        ids = []
        for _ in range(count):
            token = begin_request()
            ids.append(request_id())
            end_request(token)
        return ids

    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the forked worker: its ids to the parent, then gone
        os.write(writer, " ".join(next_ids(5)).encode())
        os._exit(0)
    os.close(writer)
    theirs = os.read(reader, 1000).decode().split()
    os.waitpid(child, 0)
    ours = next_ids(5)
    assert all(re.fullmatch(r"[0-9a-f]{12}", id_) for id_ in ours + theirs)
    assert len(set(ours)) == 5 and not set(ours) & set(theirs)
