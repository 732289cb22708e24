"""T4.7: a Hypothesis state machine over start, answer (valid and invalid), back, resume,
delete and a restart of the app on the same database. After every step the database equals a
model kept here; a result depends only on the answers; nothing answers 5xx. Resuming and
replacing a code move a session to a new id (F11): the machine follows it, and the old id opens
nothing.

It runs on SQLite, and on PostgreSQL too when DATABASE_URL names it (CI's second pass)."""

import os
import tempfile
from functools import cache
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sqlalchemy import create_engine
from sqlmodel import Session, select

from app.main import create_app
from app.migrate import upgrade
from app.respondents.models import RespondentSession
from app.tables import metadata
from tests.conftest import KEPT_BETWEEN_TESTS, make_settings, own_postgres_database


@cache
def database_url() -> str:
    """A migrated database of the machine's own, made when the machine first runs."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = own_postgres_database(url, f"machine_{worker}")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='puente-sm-')) / 'machine.db'}"
    upgrade(url)
    return url


# How the fixture questionnaire stores each kind of answer (tests/fixtures/content/flow).
VALID = {
    "who": st.sampled_from(["self", "family", "dont_know"]),
    "intro": st.just("ok"),
    "case_year": st.integers(1950, 2025),
    "children_count": st.integers(0, 30),
    "relative_detained": st.sampled_from(["yes", "no", "dont_know"]),
    "zip": st.sampled_from([("90012", "ca"), ("10001", "ny"), ("dont_know", "dont_know")]),
    "goals": st.sampled_from([["travel"], ["citizenship"], ["travel", "citizenship"]]),
}
INVALID = st.sampled_from(["", "not-an-option", "99999", -5, ["dont_know", "travel"], 3000])


class Sessions(RuleBasedStateMachine):
    sessions = Bundle("sessions")

    def __init__(self) -> None:
        super().__init__()
        engine = create_engine(database_url())
        with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name not in KEPT_BETWEEN_TESTS:
                    connection.execute(table.delete())
        engine.dispose()
        self.model: dict[str, list[list]] = {}
        self.codes: dict[str, str] = {}
        self.moved: dict[str, str] = {}  # a session's first token -> its id now (F11)
        self.results: dict[str, dict] = {}
        self._boot()

    def _boot(self) -> None:
        self.app = create_app(make_settings(database_url()))
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def teardown(self) -> None:
        self.app.state.puente.db.dispose()

    def _now(self, token: str) -> str:
        return self.moved.get(token, token)

    def _call(self, method: str, path: str, token: str | None = None, **kwargs):
        self.app.state.limiter.reset()
        headers = {"Authorization": f"Bearer {self._now(token)}"} if token else {}
        response = self.client.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 500, (method, path, response.text)
        return response

    @rule(target=sessions)
    def start(self) -> str:
        response = self._call("POST", "/api/v1/sessions", json={"locale": "en"})
        token = response.json()["token"]
        self.model[token] = []
        return token

    @rule(token=sessions, data=st.data())
    def answer(self, token: str, data) -> None:
        response = self._call("GET", "/api/v1/session", token)
        if token not in self.model:
            assert response.status_code == 404
            return
        step = response.json()["step"]
        if step["type"] == "result":
            return
        question = step["id"]
        stored = data.draw(VALID[question])
        sent = stored[0] if isinstance(stored, tuple) else stored
        kept = stored[1] if isinstance(stored, tuple) else stored
        if question in ("case_year", "children_count", "zip") and sent == "dont_know":
            sent = kept = "dont_know"
        response = self._call(
            "POST", "/api/v1/session/answers", token, json={"question": question, "value": sent}
        )
        assert response.status_code == 200, response.text
        self.model[token].append([question, kept])

    @rule(token=sessions, value=INVALID)
    def answer_badly(self, token: str, value) -> None:
        response = self._call("GET", "/api/v1/session", token)
        if token not in self.model or response.json()["step"]["type"] == "result":
            return
        question = response.json()["step"]["id"]
        bad = self._call(
            "POST", "/api/v1/session/answers", token, json={"question": question, "value": value}
        )
        if bad.status_code == 200:  # some "invalid" values are valid for some questions
            self.model[token].append([question, bad.json() and self._stored(token)[-1][1]])
        else:
            assert bad.status_code in (409, 422)

    @rule(token=sessions)
    def back(self, token: str) -> None:
        response = self._call("POST", "/api/v1/session/back", token)
        if token not in self.model:
            assert response.status_code == 404
            return
        assert response.status_code == 200
        if self.model[token]:
            self.model[token].pop()

    @rule(token=sessions)
    def save_code(self, token: str) -> None:
        if token in self.model:
            before = self._now(token)
            issued = self.app.state.puente.store.issue_resume_code(before)
            assert (issued.session_id == before) == (token not in self.codes)  # a first code
            self.codes[token] = issued.code
            self._move(token, issued.session_id)

    @rule(token=sessions)
    def resume(self, token: str) -> None:
        if token in self.codes:
            row = self.app.state.puente.store.resume(self.codes[token])
            assert (row is not None) == (token in self.model)
            if row is not None:
                assert row.id != self._now(token) and row.answers == self.model[token]
                self._move(token, row.id)

    def _move(self, token: str, new_id: str) -> None:
        old_id, self.moved[token] = self._now(token), new_id
        if old_id != new_id:
            stale = {"Authorization": f"Bearer {old_id}"}
            assert self.client.get("/api/v1/session", headers=stale).status_code == 404

    @rule(token=sessions)
    def delete(self, token: str) -> None:
        response = self._call("DELETE", "/api/v1/session", token)
        assert response.status_code == (204 if token in self.model else 404)
        self.model.pop(token, None)

    @rule()
    def restart(self) -> None:
        self.app.state.puente.db.dispose()
        self._boot()

    @rule(token=sessions)
    def result(self, token: str) -> None:
        response = self._call("GET", "/api/v1/session/result", token)
        if token not in self.model:
            assert response.status_code == 404
            return
        if response.status_code == 409:
            return
        assert response.status_code == 200
        key = repr(self.model[token])
        findings = [f["code"] for f in response.json()["findings"]]
        assert self.results.setdefault(key, findings) == findings  # only the answers count

    def _stored(self, token: str) -> list:
        with Session(self.app.state.puente.db.engine) as session:
            row = session.get(RespondentSession, self._now(token))
            return row.answers if row else []

    @invariant()
    def database_equals_model(self) -> None:
        if not hasattr(self, "app"):
            return
        with Session(self.app.state.puente.db.engine) as session:
            rows = {row.id: row.answers for row in session.exec(select(RespondentSession))}
        assert rows == {self._now(token): answers for token, answers in self.model.items()}


Sessions.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
test_sessions_state_machine = Sessions.TestCase
