"""T5.1 rate limits, T5.2 the translation lint, T5.3 injection payloads, T5.4 redirects."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import paths
from app.config import ROOT
from app.i18n.lint import lint_locales, lint_po
from app.web.security import local_path, route_for
from app.web.static_files import manifest
from tests.conftest import csrf_from
from tests.security.flow_helpers import start

# T5.1 ------------------------------------------------------------------------------------------
# The rate limits have their own modules: tests/security/test_ratelimit.py (counting, whose
# budget, forged posts, the heavy pages, a room on one Wi-Fi) and test_ratelimit_redis.py.


# T5.2 ------------------------------------------------------------------------------------------


def test_shipped_catalogs_pass_the_lint() -> None:
    assert [str(problem) for problem in lint_locales(ROOT / "locales")] == []


BAD_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Choose one of the answers."
msgstr "Elija una. <img src=x onerror=alert(1)>"

msgid "Read <strong>this</strong> first."
msgstr "Lea <strong>esto</strong> primero <a href=\\"javascript:alert(1)\\">aquí</a>."

msgid "Go on"
msgstr "<b hx-get=\\"/q/delete\\" hx-trigger=\\"load\\">Siga</b>"

msgid "Plain"
msgstr "<span style=\\"color:red\\">Llano</span><script>x()</script>"

msgid "Question %(number)s"
msgstr "Pregunta %(numero)s"

msgid "Fine <em>here</em>"
msgstr "Bien <em>aquí</em>"
"""


def test_a_catalog_with_markup_fails_the_lint(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_text(BAD_PO, encoding="utf-8")
    problems = lint_po(path)
    flagged = {problem.msgid for problem in problems}
    assert flagged == {
        "Choose one of the answers.",
        "Read <strong>this</strong> first.",
        "Go on",
        "Plain",
        "Question %(number)s",
    }
    text = " ".join(str(problem) for problem in problems)
    for needle in ("on[a-z]+", "javascript", "hx-", "style", "script", "placeholders"):
        assert needle in text


PLURAL_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"

msgid "about %(num)s more question in %(place)s"
msgid_plural "about %(num)s more questions in %(place)s"
msgstr[0] "one more in %(place)s"
msgstr[1] "two more in %(place)s"
msgstr[2] "%(num)s more in %(place)s"

msgid "%(num)s answer from %(place)s"
msgid_plural "%(num)s answers from %(place)s"
msgstr[0] "one answer"
msgstr[1] "two answers from %(place)s"
msgstr[2] "%(num)s answers from %(plaza)s"
"""


def test_a_plural_form_may_say_its_number_in_words_but_keeps_every_other_placeholder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "messages.po"
    path.write_text(PLURAL_PO, encoding="utf-8")
    problems = [(problem.msgid, problem.message) for problem in lint_po(path)]
    # The first message is fine; the second drops %(place)s in one form and renames it in another.
    assert problems == [
        ("%(num)s answer from %(place)s", "placeholders differ"),
        ("%(num)s answers from %(place)s", "placeholders differ"),
    ]


RTL_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ar\\n"

msgid "Keep your A-number (\\"A-number\\")."
msgstr "احتفظ بالرقم A (\\"A-number\\")."

msgid "Call 1-800-898-7180."
msgstr "اتصل بالرقم \u20681-800-898-7180\u2069."

msgid "Form I-862"
msgstr "النموذج \u2068I-862"

msgid "ICE"
msgstr "ICE"
"""


def test_a_right_to_left_catalog_isolates_its_left_to_right_runs(tmp_path: Path) -> None:
    """P2, P20: a gloss or a number left bare in Arabic fails the lint, as does an isolate
    left open; the same strings in a left-to-right catalog pass."""
    path = tmp_path / "messages.po"
    path.write_text(RTL_PO, encoding="utf-8")
    problems = [(problem.msgid, problem.message.split(" (")[0]) for problem in lint_po(path)]
    assert problems == [
        ('Keep your A-number ("A-number").', "left-to-right text not isolated"),
        ("Form I-862", "an isolate"),
        ("Form I-862", "left-to-right text not isolated"),  # an open isolate isolates nothing
    ]
    path.write_text(RTL_PO.replace("Language: ar", "Language: es"), encoding="utf-8")
    assert [problem.msgid for problem in lint_po(path)] == ["Form I-862"]


# T5.3 ------------------------------------------------------------------------------------------

PAYLOADS = [
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "' hx-get='/q/delete' hx-trigger='load",
    '"><svg onload=alert(1)>',
    "{{7*7}}",
]
static_url = manifest(paths.STATIC).url
OUR_SCRIPTS = {static_url("vendor/htmx-2.0.11.min.js"), static_url("js/app.js")}
OUR_HX = {"hx-post", "hx-target", "hx-swap", "hx-swap-oob", "hx-get", "hx-boost", "hx-select"}


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


# The only <svg> our pages carry: a decorative icon, hidden from screen readers, no handlers.
OUR_ICON = {"class": "icon", "aria-hidden": "true"}


def _clean(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    for tag, attributes in parser.found:
        if tag == "script":
            assert attributes.get("src") in OUR_SCRIPTS, attributes
        if tag == "svg" and attributes == OUR_ICON | {"viewbox": attributes.get("viewbox")}:
            continue  # our own decorative icon (the language switcher's globe)
        assert tag not in ("img", "svg", "iframe", "object", "embed"), tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert not name.startswith("hx-") or name in OUR_HX, (tag, name)
            if name == "hx-post" or name == "hx-get":
                assert value in ("/q",), value
            assert not (value or "").lower().lstrip().startswith("javascript:"), (tag, name)
    assert "{{7*7}}" not in html or "49" not in html  # no template evaluation of input


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_are_inert(client: TestClient, payload: str) -> None:
    _clean(client.get("/", params={"p": payload}, follow_redirects=True).text)
    _clean(client.get("/", params={"lang": payload}).text)
    _clean(client.get("/q/start", params={"lang": payload, "p": payload}).text)
    _clean(client.get(f"/no-such/{payload}").text)
    token = start(client)
    for question in ("who", payload):
        for value in (payload, [payload, "self"]):
            response = client.post("/q", data={"csrf": token, "question": question, "value": value})
            _clean(response.text)
            response = client.post(
                "/q",
                data={"csrf": token, "question": question, "value": value},
                headers={"HX-Request": "true"},
            )
            _clean(response.text)
    for path in ("/q/change", "/q/back"):
        _clean(client.post(path, data={"csrf": token, "question": payload}).text)
    resume_token = csrf_from(client.get("/resume").text)
    _clean(client.post("/resume", data={"csrf": resume_token, "code": payload}).text)
    api = client.post("/api/v1/sessions", json={"locale": "en", "partner": payload})
    assert api.status_code == 422 and payload not in api.text
    _clean(client.get("/", headers={"Accept-Language": payload}).text)


# T5.4 ------------------------------------------------------------------------------------------

REDIRECT_PAYLOADS = [
    "//evil.com",
    "/\\evil.com",
    "https:evil.com",
    "%2F%2Fevil.com",
    "javascript:alert(1)",
    "https://evil.com",
    "/%2F%2Fevil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    " //evil.com",
    "///evil.com",
    "/@evil.com",
]


@pytest.mark.parametrize("payload", REDIRECT_PAYLOADS)
def test_redirect_payloads_stay_on_our_origin(client: TestClient, payload: str) -> None:
    assert local_path(payload, "/") == "/"
    assert route_for(payload, {"results": "/q/result"}, "/") == "/"
    response = client.get("/", params={"p": payload, "next": payload}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_route_keys_choose_the_target() -> None:
    assert route_for("results", {"results": "/q/result"}, "/") == "/q/result"
    assert route_for(None, {"results": "/q/result"}, "/q") == "/q"
