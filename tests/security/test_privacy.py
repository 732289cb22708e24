"""T1.1 and T1.2: the respondent table holds only what DESIGN.md allows, and a full flow from a
known client address leaves no address, user agent or clear resume code anywhere."""

import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import DateTime, create_engine, inspect, text

from app.respondents.models import RespondentSession
from app.tables import metadata
from tests.conftest import csrf_from
from tests.security.flow_helpers import FULL_PATH, answer, start

# DESIGN.md, Privacy / security.md R1.1. Adding a column means changing this list on purpose,
# in a reviewed commit that also updates the "What we store" page.
RESPONDENT_COLUMNS = {
    "id",  # random session id
    "resume_hash",  # SHA-256 of the resume code
    "answers",  # option values, whole numbers, a state code
    "locale",
    "partner_id",
    "started_on",  # UTC day
    "active_on",  # UTC day
    "current_step",
    "finished",
}
# Names that would betray an identifying column in any table.
BANNED = re.compile(r"(^|_)(ip|ips|addr|address|user_agent|agent|referr?er|remote|client)($|_)")

CLIENT_IP = "203.0.113.7"
USER_AGENT = "Mozilla/5.0 (Linux; Android 9; PuenteProbe-7731) Chrome/99.0"
REFERRER = "https://referrer.example/some/page?who=probe7731"
IP_PATTERN = re.compile(r"\b203\.0\.113\.7\b|\b203-0-113-7\b|cb00:7107")


def test_respondent_columns_are_the_allowlist(database_url: str) -> None:
    engine = create_engine(database_url)
    migrated = {column["name"] for column in inspect(engine).get_columns("respondent_session")}
    engine.dispose()
    declared = set(RespondentSession.__table__.columns.keys())  # type: ignore[attr-defined]
    assert migrated == RESPONDENT_COLUMNS, "migrated respondent columns differ from the allowlist"
    assert declared == RESPONDENT_COLUMNS, "model respondent columns differ from the allowlist"


def test_no_respondent_column_holds_an_exact_time() -> None:
    table = RespondentSession.__table__  # type: ignore[attr-defined]
    assert not [c.name for c in table.columns if isinstance(c.type, DateTime)]


# The legal-aid directory (ref_*) holds organizations' public addresses and phone numbers,
# never anything about a respondent.
DIRECTORY_PREFIX = "ref_"


def test_no_table_has_an_identifying_column_name() -> None:
    offenders = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if BANNED.search(column.name) and not table.name.startswith(DIRECTORY_PREFIX)
    ]
    assert offenders == []


def _dump(database_url: str) -> str:
    engine = create_engine(database_url)
    lines = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"')):
                lines.append(f"{table.name}: {tuple(row)!r}")
    engine.dispose()
    return "\n".join(lines)


@pytest.fixture
def probe_client(app: FastAPI) -> TestClient:
    return TestClient(
        app,
        base_url="http://testserver",
        client=(CLIENT_IP, 51234),
        headers={"User-Agent": USER_AGENT, "Referer": REFERRER, "X-Forwarded-For": CLIENT_IP},
    )


def test_full_flow_leaves_no_address_agent_or_code(
    probe_client: TestClient,
    settings,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    with probe_client as client:
        client.get("/")
        token = start(client)
        for question, data in FULL_PATH[:3]:
            answer(client, token, question, data)
        code_page = client.post("/q/code", data={"csrf": token})
        code = re.search(r'class="code"[^>]*>([0-9A-Z-]+)<', code_page.text).group(1)
        for question, data in FULL_PATH[3:]:
            answer(client, token, question, data)
        client.get("/q")
        client.get("/nowhere-at-all")
        client.post("/q", data={"csrf": "forged", "question": "who", "value": "self"})
        # Resume from "another device" with the code, then delete nothing: rows stay to inspect.
        other = TestClient(
            client.app,
            base_url="http://testserver",
            client=(CLIENT_IP, 1),
            headers={"User-Agent": USER_AGENT},
        )
        resume_page = other.get("/resume")
        assert (
            other.post(
                "/resume",
                data={"csrf": csrf_from(resume_page.text), "code": code},
                follow_redirects=False,
            ).status_code
            == 303
        )
    out, err = capfd.readouterr()
    logs = "\n".join(record.getMessage() for record in caplog.records)
    dump = _dump(settings.database_url)
    assert "respondent_session" in dump  # the rows are there to inspect
    raw_code = code.replace("-", "")
    for name, where in (("logs", logs), ("stdout", out), ("stderr", err), ("database", dump)):
        assert not IP_PATTERN.search(where), f"client address in {name}"
        assert "PuenteProbe-7731" not in where, f"user agent in {name}"
        assert "probe7731" not in where, f"referrer in {name}"
        assert code not in where and raw_code not in where, f"clear resume code in {name}"


def test_no_request_is_traced_even_where_the_host_set_up_opentelemetry(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI traces each request (its path, the client's address) through the host's
    OpenTelemetry providers when any are set up; Puente turns that off. Here OpenTelemetry
    is made to look configured: a bare FastAPI app traces its request, Puente's does not."""
    import fastapi.telemetry._asgi as native

    traced: list[str] = []

    async def tracing(self: native.NativeTelemetry, **call: object) -> None:
        traced.append(str(call["scope"]["path"]))  # type: ignore[index]
        await call["app"](call["scope"], call["receive"], call["send"])  # type: ignore[operator]

    monkeypatch.setattr(native, "_unconfigured", lambda provider: False)
    monkeypatch.setattr(native.NativeTelemetry, "__call__", tracing)
    bare = FastAPI()
    bare.get("/ping")(lambda: "pong")
    with TestClient(bare) as client:
        assert client.get("/ping").status_code == 200
    assert traced == ["/ping"]
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200
    assert traced == ["/ping"]
