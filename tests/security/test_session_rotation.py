"""F11: whoever holds a session's id holds the session, so resuming with a code and replacing a
code give it a new id. The device that did it gets the new id in its cookie; every other holder
of the old one (the device it was resumed from, a stale tab, a copied cookie, another instance)
meets the ordinary "no session" start page, never the answers."""

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from app.respondents.sessions import SessionNotFound
from tests.conftest import csrf_from
from tests.web.chat_helpers import answer, start

CODE = re.compile(r'class="code"[^>]*>([0-9A-Z-]+)<')
ANSWERED_WHO = "The next questions are about your case."  # the page after "who" = "self"


def _code(client: TestClient, csrf: str, **extra: str) -> str:
    page = client.post("/q/code", data={"csrf": csrf, **extra})
    assert page.status_code == 200
    return CODE.search(page.text).group(1)


def _resume(client: TestClient, code: str) -> int:
    token = csrf_from(client.get("/resume").text)
    response = client.post("/resume", data={"csrf": token, "code": code}, follow_redirects=False)
    return response.status_code


def _has_no_session(client: TestClient) -> None:
    """What a device without a session sees: the start page that says so, with a way back in."""
    shown = client.get("/q", follow_redirects=False)
    assert shown.status_code == 303 and shown.headers["location"] == "/?expired=1"
    page = client.get("/?expired=1").text
    assert "could not be found" in page and ANSWERED_WHO not in page
    assert 'href="/resume"' in page


def test_resuming_moves_the_session_to_a_new_id(app: FastAPI, settings) -> None:
    other_instance = create_app(settings)  # the same database, as a second server would be
    try:
        with TestClient(app) as first, TestClient(other_instance) as second:
            csrf = start(first)
            answer(first, "who", "self")
            code = _code(first, csrf)
            old_id = first.cookies.get("sid")

            assert _resume(second, code) == 303
            new_id = second.cookies.get("sid")
            assert new_id and new_id != old_id
            assert ANSWERED_WHO in second.get("/q").text  # the answers came along
            assert answer(second, "intro", "ok").headers["location"] == "/q#current"

            _has_no_session(first)  # the device it was resumed from, on either instance
            stale = first.post("/q", data={"csrf": csrf, "question": "intro", "value": "ok"})
            assert stale.url.path == "/" and "could not be found" in stale.text
            stored = app.state.puente.store
            assert stored.get(old_id) is None
            assert stored.get(new_id).answers == [["who", "self"], ["intro", "ok"]]
            api = first.get("/api/v1/session", headers={"Authorization": f"Bearer {old_id}"})
            assert api.status_code == 404
    finally:
        other_instance.state.puente.db.dispose()


def test_the_same_code_resumes_again_and_moves_it_again(app: FastAPI) -> None:
    """The code stays good (the person wrote it down); the last device to use it holds the
    session, and the device it moved from can take it back with the same code."""
    with TestClient(app) as phone, TestClient(app) as laptop:
        csrf = start(phone)
        answer(phone, "who", "self")
        code = _code(phone, csrf)
        assert _resume(laptop, code) == 303
        _has_no_session(phone)
        assert _resume(phone, code) == 303
        assert ANSWERED_WHO in phone.get("/q").text
        _has_no_session(laptop)


def test_a_replaced_code_leaves_only_the_device_that_asked(app: FastAPI) -> None:
    with TestClient(app) as asking, TestClient(app) as copied:
        csrf = start(asking)
        answer(asking, "who", "self")
        first_code = _code(asking, csrf)
        # A first code keeps the id: no one else can hold a session that never had a code,
        # and the forms of the page it was asked from stay valid (a reload re-posts one).
        held = asking.cookies.get("sid")
        copied.cookies.set("sid", held)  # whatever else holds the id: a copied cookie
        assert ANSWERED_WHO in copied.get("/q").text

        second_code = _code(asking, csrf, replace="yes")
        assert second_code != first_code
        assert asking.cookies.get("sid") not in (None, held)
        assert ANSWERED_WHO in asking.get("/q").text
        _has_no_session(copied)

        with TestClient(app) as elsewhere:
            assert _resume(elsewhere, first_code) == 422  # the replaced code is dead
            assert _resume(elsewhere, second_code) == 303


def test_a_reload_after_a_replacement_keeps_the_new_code(app: FastAPI) -> None:
    """The browser re-posts the replacing form on reload: its token was bound to the id the
    replacement retired, so it is refused as an expired form, and the new code written down
    is not replaced again (issue 12, P3)."""
    with TestClient(app) as client:
        csrf = start(client)
        _code(client, csrf)
        new_code = _code(client, csrf, replace="yes")
        again = client.post("/q/code", data={"csrf": csrf, "replace": "yes"})
        assert again.status_code == 403 and not CODE.search(again.text)
        assert ANSWERED_WHO not in again.text
        with TestClient(app) as elsewhere:
            assert _resume(elsewhere, new_code) == 303


def test_an_answer_in_flight_on_the_old_id_finds_no_session(app: FastAPI) -> None:
    """The store's side: the move and an answer are each one transaction (the row locked on
    PostgreSQL), so an answer on the old id after the move is refused, never written."""
    store = app.state.puente.store
    row = store.create("en")
    code = store.issue_resume_code(row.id).code
    resumed = store.resume(code)
    try:
        store.answer(row.id, "who", "self")
    except SessionNotFound:
        pass
    else:
        raise AssertionError("an answer on the old id was written")
    assert store.get(resumed.id).answers == []


def test_deleting_after_a_resume_deletes_the_session(app: FastAPI) -> None:
    with TestClient(app) as phone, TestClient(app) as laptop:
        csrf = start(phone)
        answer(phone, "who", "self")
        code = _code(phone, csrf)
        assert _resume(laptop, code) == 303
        new_id = laptop.cookies.get("sid")
        token = csrf_from(laptop.get("/q").text)
        # "confirm" for the confirmation step of the journey issue (ignored before it).
        deleted = laptop.post("/q/delete", data={"csrf": token, "confirm": "yes"})
        assert str(deleted.url).endswith("/?deleted=1")
        assert app.state.puente.store.get(new_id) is None
        assert _resume(phone, code) == 422
