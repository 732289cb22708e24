"""Simulated respondents: each one goes through a whole questionnaire the way htmx does, with
pauses to read, then opens the result, asks for a resume code and resumes with it.

Shared by the benchmark (bench.load) and the fault drills (bench.drills, tests/drills), which
pass an `Observer` to learn every acknowledged answer and every resume code.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bench.http import Client, Response
from bench.respondent import Plan, answer_form, csrf_token, current_question

HTMX = {"HX-Request": "true", "HX-Current-URL": "/q"}
_CODE = re.compile(r'<p class="code"[^>]*>([^<]+)</p>')
MAX_STEPS = 80
T = TypeVar("T")
# The server trusts X-Forwarded-For from loopback (uvicorn --proxy-headers), as behind the
# production proxy. Each simulated person gets an address of the IPv6 documentation prefix
# (RFC 3849, 2001:db8::/32), so the per-client rate limits see many people, as in real use:
# header values only, never contacted.


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own, so it also works where an event loop is already
    running in this thread (Playwright's sync API in the same pytest session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def synthetic_address(rng: random.Random) -> str:
    """A documentation address in a /64 of its own: the limits count an IPv6 client by its /64,
    so addresses that differ only in their last 64 bits would all be one client."""
    return f"2001:db8:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}::{rng.getrandbits(16):x}"


class Failed(Exception):
    """A response that a person's browser would show as an error."""

    def __init__(self, what: str, status: int | None = None) -> None:
        super().__init__(f"{what}: HTTP {status}" if status else what)
        self.kind = f"{what.split(' ')[0]} HTTP {status}" if status else what


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    completed: int = 0

    def record(self, kind: str, response: Response) -> None:
        self.latencies.setdefault(kind, []).append(response.seconds)

    @property
    def answers(self) -> int:
        return len(self.latencies.get("answer", []))


class Observer:
    """Told of every acknowledged answer and issued code (the drills check them afterwards)."""

    def answered(self, session_id: str, question: str, form: dict[str, str | list[str]]) -> None:
        """An answer the server acknowledged with a success response."""

    def code_issued(self, code: str, session_id: str, question: str | None) -> None:
        """A resume code the server showed, and where its session stood."""


@dataclass
class Persona:
    lang: str
    plan: Plan
    pause: tuple[float, float]  # seconds to read and answer, uniform between the two
    resume: bool = True  # ask for a code at the end and resume with it in a fresh client


async def start_session(client: Client) -> Response:
    """The safety page, then its start button: a new session (the sid cookie is set)."""
    safety = await client.get("/q/start")
    return await client.post("/q/start", {"csrf": csrf_token(safety.text) or ""})


def _expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise Failed(what, response.status)
    return response


async def one_questionnaire(
    host: str,
    port: int,
    persona: Persona,
    stats: Stats,
    rng: random.Random,
    deadline: float,
    observer: Observer | None = None,
    retry_stale: bool = True,
) -> None:
    """Start, answer every question, see the result, and resume elsewhere with the code."""
    forwarded = {"X-Forwarded-For": synthetic_address(rng)}
    client = Client(host, port, retry_stale=retry_stale, default_headers=forwarded)
    try:
        start = _expect(await client.get(f"/?lang={persona.lang}"), 200, "start page")
        stats.record("page", start)
        safety = _expect(await client.get("/q/start"), 200, "safety page")
        stats.record("page", safety)
        token = csrf_token(safety.text) or csrf_token(start.text) or ""
        started = await client.post("/q/start", {"csrf": token})
        stats.record("start", _expect(started, 303, "start"))
        session_id = client.cookies.get("sid", "")
        page = _expect(await client.get("/q"), 200, "first question")
        stats.record("page", page)
        csrf = csrf_token(page.text) or ""
        question = current_question(page.text)
        finished = False
        for _ in range(MAX_STEPS):
            if question is None:
                raise Failed("no question in the page or fragment")
            await asyncio.sleep(rng.uniform(*persona.pause))
            if time.monotonic() > deadline:
                return  # leave mid-questionnaire, as people do
            form = answer_form(question, persona.plan, csrf)
            answer = _expect(await client.post("/q", form, HTMX), 200, f"answer {question.id}")
            stats.record("answer", answer)
            if observer:
                observer.answered(session_id, question.id, form)
            if answer.header("hx-redirect"):
                finished = True
                break
            question = current_question(answer.text)
        if not finished:
            raise Failed(f"no result after {MAX_STEPS} answers")
        stats.record("result", _expect(await client.get("/q/result"), 200, "result"))
        if persona.resume:
            await _resume_elsewhere(
                client, host, port, csrf, stats, observer, session_id, synthetic_address(rng)
            )
        stats.completed += 1
    finally:
        await client.close()


async def _resume_elsewhere(
    client: Client,
    host: str,
    port: int,
    csrf: str,
    stats: Stats,
    observer: Observer | None,
    session_id: str,
    address: str,
) -> None:
    shown = _expect(await client.post("/q/code", {"csrf": csrf}), 200, "resume code")
    match = _CODE.search(shown.text)
    if not match:
        raise Failed("no resume code on the page")
    code = match.group(1).strip()
    if observer:
        observer.code_issued(code, session_id, None)
    other = Client(host, port, default_headers={"X-Forwarded-For": address})
    try:
        form = _expect(await other.get("/resume"), 200, "resume form")
        resumed = await other.post("/resume", {"csrf": csrf_token(form.text) or "", "code": code})
        stats.record("resume", _expect(resumed, 303, "resume"))
    finally:
        await other.close()


async def respondent_loop(
    host: str,
    port: int,
    personas: list[Persona],
    stats: Stats,
    seed: int,
    deadline: float,
    observer: Observer | None = None,
    retry_stale: bool = True,
) -> None:
    """One simulated person after another on the same 'device', until the deadline."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        persona = rng.choice(personas)
        try:
            await one_questionnaire(
                host, port, persona, stats, rng, deadline, observer, retry_stale
            )
        except Failed as failure:
            stats.errors[failure.kind] += 1
            await asyncio.sleep(0.5)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            stats.errors[type(error).__name__] += 1
            await asyncio.sleep(0.5)
