"""What an answer costs the server (issue 16): guards on the causes, and a CPU budget.

The figures are in docs/benchmarks.md (`python -m bench.cpu`, `python -m bench.instructions`).
These tests keep what bought them: each cause of the old cost is checked exactly (database
statements per answer, middleware layers, the answer's plain route, strings translated
when templates compile), and the CPU per answer, measured here against a fixed piece of Python
run between the requests, must stay under a budget that the code without issue 16's work
exceeds by a seventh or more (CPU_BUDGET_RATIO). A ratio, not milliseconds: the machine is
shared and its speed varies by a factor of two or three, the ratio by much less.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import event
from starlette.routing import Mount, Route

from app import i18n
from app.main import create_app
from app.web.deps import check_csrf
from app.web.public import chat
from app.web.static_files import VersionedStatic
from bench import profile
from bench.asgi import Client
from bench.server import default_content_dir, migrated_sqlite
from bench.unlimited import without_rate_limits
from tests.conftest import make_settings

# All of a questionnaire's requests per answer, over the reference below: 5.7-6.2 on the code of
# issue 16 and 9.3-11.0 before it, measured side by side on the shared machine (load 3-6). Main
# then gained the court lookup of the ZIP answer, the result page's court and unknowns blocks,
# the limits a form spends after its CSRF check, and the fault catch: 7.2-8.1 with them, against
# 9.8-13.0 for main without issue 16's work, side by side (load 8-10, 3 December 2026). After the
# database threads, the template escaping and globals and the single CSRF HMAC (branch perf3):
# 7.85-8.26 against 8.70-9.27 for main at 9dc75b2, alternating, two runs each (load 10-11).
# Not tightened: the best of three on a loaded 2-core machine needs the margin above 8.26, and
# 8.5 already stands below main's best.
CPU_BUDGET_RATIO = 8.5
QUESTIONNAIRES = 8
FASTAPI_LAYERS = ("ServerError", "ExceptionTelemetry", "AppBodyLimit", "Exception", "AsyncExit")


@pytest.fixture(scope="module")
def fast_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    url = migrated_sqlite(tmp_path_factory.mktemp("cpu"))
    app = without_rate_limits(create_app(make_settings(url, default_content_dir())))
    yield app
    app.state.puente.db.dispose()


def _statements(app: FastAPI) -> list[str]:
    """Every SQL statement SQLite runs from now on, on connections opened from now on."""
    seen: list[str] = []
    engine = app.state.puente.db.engine
    engine.dispose()  # so every later connection is a new one, traced

    @event.listens_for(engine, "connect")
    def trace(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.set_trace_callback(seen.append)  # type: ignore[attr-defined]

    return seen


async def _to_first_question(client: Client) -> str:
    safety = await client.get("/q/start")
    await client.post("/q/start", {"csrf": profile.csrf_token(safety.text) or ""})
    page = await client.get("/q")
    return profile.csrf_token(page.text) or ""


def test_an_answer_is_one_short_transaction_of_three_statements(fast_app: FastAPI) -> None:
    async def run() -> list[str]:
        client = Client(fast_app, "2001:db8::a")
        csrf = await _to_first_question(client)
        page = await client.get("/q")
        question = profile.current_question(page.text)
        assert question is not None
        form = profile.answer_form(question, {}, csrf)
        await client.post("/q", form, profile.HTMX)  # the first answer also counts "started"
        question = profile.current_question((await client.get("/q")).text)
        assert question is not None
        seen.clear()
        answered = await client.post("/q", profile.answer_form(question, {}, csrf), profile.HTMX)
        assert answered.status == 200
        return list(seen)

    seen = _statements(fast_app)
    statements = [s.upper() for s in asyncio.run(run())]
    # No read before the write, no ORM flush, no statistics row when no count changes. It is
    # written on the event loop, so its BEGIN does not wait for the lock: no busy timeout for
    # it, and the usual one back at once (app/db/, `Database.without_waiting`).
    assert [s.split()[0] for s in statements] == [
        "PRAGMA",
        "BEGIN",
        "PRAGMA",
        "SELECT",
        "UPDATE",
        "COMMIT",
    ], statements
    assert statements[:3] == [
        "PRAGMA BUSY_TIMEOUT=0",
        "BEGIN IMMEDIATE",
        "PRAGMA BUSY_TIMEOUT=5000",
    ]


def test_the_question_page_reads_the_session_once(fast_app: FastAPI) -> None:
    async def run() -> list[str]:
        client = Client(fast_app, "2001:db8::b")
        await _to_first_question(client)
        seen.clear()
        assert (await client.get("/q")).status == 200
        return list(seen)

    seen = _statements(fast_app)
    assert [s.split()[0].upper() for s in asyncio.run(run())] == ["SELECT"]


def test_one_middleware_layer_of_our_own(fast_app: FastAPI) -> None:
    layers, layer = [], fast_app.build_middleware_stack()
    while layer is not fast_app.router:
        layers.append(type(layer).__name__)
        layer = layer.app  # type: ignore[attr-defined]  # each layer wraps the next
    # FastAPI's own five (errors, telemetry, its body limit, exceptions, exit stack) and ours.
    assert [name for name in layers if not name.startswith(FASTAPI_LAYERS)] == ["EdgeMiddleware"]
    assert len(layers) <= 6, layers


def test_static_files_are_matched_before_every_route(fast_app: FastAPI) -> None:
    """Routes are tried one by one, each for a few microseconds: in process, a stylesheet that
    came after all seventy cost about nine times what it costs first (docs/benchmarks.md),
    and every other request pays only the mount's prefix test."""
    # FastAPI's own /openapi.json comes first, before anything an app adds.
    first = next(r for r in fast_app.router.routes if getattr(r, "path", None) != "/openapi.json")
    assert isinstance(first, Mount) and first.path == "/static"
    assert isinstance(first.app, VersionedStatic)


def test_the_answer_is_a_plain_route_tried_right_after_the_static_files(
    fast_app: FastAPI,
) -> None:
    """POST /q, four requests in five, skips FastAPI's request handling and dependency solving
    (a plain Starlette route) and the matching of every other route and router; its one
    guard before the handler is the CSRF check (app.web.deps.add_csrf_checked_route). Forged
    posts to it are refused by tests/security/test_csrf_and_cookies.py like those to every
    other form."""
    routes = [
        context.original_route
        for context in iter_route_contexts(fast_app.routes)
        if getattr(context.original_route, "path", None) not in ("/openapi.json", "/static")
    ]
    answer = routes[0]
    assert type(answer) is Route and answer.path == "/q" and answer.methods == {"POST"}
    assert answer.endpoint.__wrapped__ is chat.answer  # type: ignore[attr-defined]
    assert answer.endpoint.checks is check_csrf  # type: ignore[attr-defined]
    assert not any(getattr(route, "endpoint", None) is chat.answer for route in routes[1:])
    # On the app's own router, not in an included one: FastAPI matches an included router
    # and then its routes, each through a layer of scopes of its own.
    assert answer in fast_app.router.routes


def test_constant_strings_are_translated_when_a_template_compiles(fast_app: FastAPI) -> None:
    """Rendering the chat page in Spanish calls gettext only for strings with values."""
    renderer = fast_app.state.puente.renderer
    called: list[str] = []
    original = i18n._catalog  # the one hook every gettext call passes

    def counting() -> object:
        called.append("x")
        return original()

    token = i18n.use_locale("es")
    try:
        template = renderer.env.get_template("pages/safety.html")
        i18n._catalog = counting  # type: ignore[assignment]
        spanish = {
            "code": "es",
            "tag": "es",
            "name": "Español",
            "current": True,
            "href": "?lang=es",
        }
        html = template.render(
            {
                "lang": "es",
                "dir": "ltr",
                "languages": [spanish],
                "current_language": spanish,
                "csrf": "x" * 32,
            }
        )
    finally:
        i18n._catalog = original
        i18n.reset_locale(token)
    assert "Antes de empezar" in html or "seguro" in html, html[:400]
    assert called == [], f"{len(called)} gettext calls at render time"


def _reference() -> None:
    """A fixed piece of pure Python, a few hundred microseconds, like rendering a step."""
    parts = []
    for index in range(600):
        item = {"id": index, "label": f"option {index}", "checked": index % 3 == 0}
        parts.append(f'<li id="{item["id"]}">{item["label"]}{" x" if item["checked"] else ""}')
    "".join(parts)


class _RatioMeter(profile.Meter):
    """bench.profile's meter with the reference run before every request, measured alike."""

    def __init__(self) -> None:
        super().__init__(None, None)
        self.reference_ms: list[float] = []

    async def measure(self, kind, request):  # type: ignore[no-untyped-def]
        started = time.process_time()
        _reference()
        self.reference_ms.append((time.process_time() - started) * 1000)
        return await super().measure(kind, request)


def _measured_ratio(fast_app: FastAPI) -> tuple[float, float]:
    """All requests' CPU per answer (ms) over 8 questionnaires, and its ratio to the reference."""

    async def run(meter: profile.Meter, count: int, seed: int) -> None:
        rng = random.Random(seed)
        for index in range(count):
            await profile.questionnaire(Client(fast_app, f"2001:db8:c:{index:x}::1"), meter, rng)

    meter = _RatioMeter()
    asyncio.run(run(meter, QUESTIONNAIRES, 1))
    answers = len(meter.cpu_ms["answer"])
    # Medians per request kind, so a request the machine happened to stall does not count.
    per_answer = (
        sum(statistics.median(values) * len(values) for values in meter.cpu_ms.values()) / answers
    )
    return per_answer, per_answer / statistics.median(meter.reference_ms)


def test_cpu_per_answer_stays_within_its_budget(fast_app: FastAPI) -> None:
    async def warm() -> None:  # templates compiled, caches full
        rng = random.Random(2)
        for index in range(3):
            client = Client(fast_app, f"2001:db8:d:{index:x}::1")
            await profile.questionnaire(client, profile.Meter(None, None), rng)

    asyncio.run(warm())
    # The best of up to three runs: a neighbour's burst can slow the requests of one run more
    # than its reference (one run in five read 10 x on a machine at load 9), a slower code
    # path slows every run.
    runs = []
    for _ in range(3):
        runs.append(_measured_ratio(fast_app))
        if runs[-1][1] <= CPU_BUDGET_RATIO:
            break
    per_answer, ratio = min(runs, key=lambda run: run[1])
    assert ratio <= CPU_BUDGET_RATIO, (
        f"{per_answer:.2f} ms per answer, {ratio:.2f} x the reference "
        f"(budget {CPU_BUDGET_RATIO}; runs: {[round(r, 2) for _, r in runs]}); "
        "bench.cpu and bench.instructions tell where it went"
    )
