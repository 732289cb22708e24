"""The hot path's shortcuts (issue 16) do what the long way did: the same HTML with strings
translated when templates compile, the same form as Starlette's parser, the same errors from
the driver's connection as from SQLAlchemy's, the same refusal of a forged form on the
answer's plain route."""

import asyncio

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from app import i18n, paths
from app.config import Settings
from app.db import Database, make_engine
from app.flow.content import load_content
from app.flow.engine import Engine
from app.respondents.sessions import SessionStore
from app.web.deps import _read_form, add_csrf_checked_route
from app.web.templating import Renderer, make_environment
from tests.conftest import FIXTURE_CONTENT
from tests.security.flow_helpers import start

BODIES = [
    b"csrf=abc&question=who&value=self",
    b"value=a&value=b&value=c",  # a multiple choice: every value, in order
    b"code=K7QM+3XPA%2D9DTR&empty=&bare",  # plus is a space, escapes decoded, blanks kept
    b"name=%C3%A9l%20y%20ella",  # UTF-8 percent escapes
    b"broken=%E9%ZZ",  # not UTF-8, not an escape: replaced or kept as Starlette does
]


async def _parse(body: bytes, fast: bool) -> list[tuple[str, object]]:
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        chunk, sent = (b"" if sent else body), True
        return {"type": "http.request", "body": chunk, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/q",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
        "query_string": b"",
    }
    request = Request(scope, receive)
    form = await _read_form(request) if fast else await request.form()
    return list(form.multi_items())


@pytest.mark.parametrize("body", BODIES)
def test_urlencoded_forms_parse_as_starlette_parses_them(body: bytes) -> None:
    assert asyncio.run(_parse(body, fast=True)) == asyncio.run(_parse(body, fast=False))


def test_too_many_fields_are_refused_as_starlette_refuses_them() -> None:
    with pytest.raises(Exception) as raised:
        asyncio.run(_parse(b"&".join([b"a=1"] * 1001), fast=True))
    assert getattr(raised.value, "status_code", None) == 400


def test_a_plain_route_runs_its_handler_only_after_the_csrf_check(app: FastAPI) -> None:
    """The answer's plain route (app.web.deps.add_csrf_checked_route) refuses a forged form as
    the router dependency does, and its handler never sees it."""
    forms: list[dict[str, str]] = []

    async def handler(request: Request, form: FormData) -> Response:
        forms.append({key: str(value) for key, value in form.items()})
        return Response(status_code=204)

    router = APIRouter()
    add_csrf_checked_route(router, "/q/plain", handler)
    app.include_router(router)
    with TestClient(app) as client:
        token = start(client)
        forged = client.post("/q/plain", data={"csrf": "0" * 32, "value": "a"})
        assert forged.status_code == 403 and "came from another site" in forged.text
        assert forms == []
        assert client.post("/q/plain", data={"csrf": token, "value": "a"}).status_code == 204
    assert forms == [{"csrf": token, "value": "a"}]


def test_an_unreachable_postgresql_is_sqlalchemys_operational_error() -> None:
    """The driver's own connection answers a dead server as SQLAlchemy would: 503, not 500."""
    settings = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
        secret_key="test-secret-key-for-csrf-tokens-only",
        db_pool_timeout=1,
    )
    store = SessionStore(Database(make_engine(settings)), Engine(load_content(FIXTURE_CONTENT)))
    with pytest.raises(OperationalError):
        store.get("a-session-id")
    with pytest.raises(OperationalError):
        store.answer("a-session-id", "who", "self")


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_pages_read_the_same_with_strings_translated_at_compile_time(
    client: TestClient, lang: str
) -> None:
    """Every respondent page of a session, rendered by the per-language environments and by
    one that translates every string at render time (as before issue 16), is the same."""
    client.get(f"/?lang={lang}")
    token = start(client)
    client.post("/q", data={"csrf": token, "question": "who", "value": "self"})
    state = client.app.state.puente  # type: ignore[attr-defined]
    runtime = Renderer({code: make_environment(paths.TEMPLATES) for code in i18n.LANGUAGES})
    compiled = state.renderer
    for page in ["/", "/q/start", "/q", "/privacy", "/resume", "/help"]:
        state.renderer = compiled
        fast = client.get(page)
        state.renderer = runtime
        slow = client.get(page)
        state.renderer = compiled
        assert fast.status_code == slow.status_code == 200, page
        assert fast.text == slow.text, page  # the same session: the same CSRF tokens too


def test_a_template_is_compiled_once_and_then_read_from_a_plain_dict() -> None:
    """app.web.templating.Environment keeps compiled templates for the process's life, out of
    Jinja's locked LRU; with globals of its own a template still goes Jinja's way."""
    env = make_environment(paths.TEMPLATES, "en")
    chat = env.get_template("chat.html")
    imported = env.get_template("macros/answer_bubble.html")  # as `{% from %}` asks for it
    env.cache.clear()  # Jinja's cache: emptied, so only the plain dict can give the same objects
    assert env.get_template("chat.html") is chat
    assert env.get_template("macros/answer_bubble.html") is imported
    assert env.get_template("chat.html", globals={"extra": 1}) is not chat
