"""The language switcher's markup with the thirteen names issue 14 will ship (English and
twelve more): each in its own name and script, with its language tag (issue 14, item 4).
Laid out on a phone in tests/browser/test_language_switcher.py."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.i18n import COMING, LANGUAGES

# Catalog codes as gettext names them (zh_Hans, pt_BR): the page must turn them into tags.
THIRTEEN = {**LANGUAGES, **COMING}


def render_start(client: TestClient, monkeypatch: pytest.MonkeyPatch, lang: str) -> str:
    monkeypatch.setattr("app.web.context.LANGUAGES", THIRTEEN)
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_language_is_named_in_its_own_script_with_its_tag(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    html = render_start(client, monkeypatch, lang)
    nav = html[html.index('<nav class="languages"') :]
    nav = nav[: nav.index("</nav>")]
    assert "<details>" in nav and "<summary>" in nav, "the list must open without JavaScript"
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)"[^>]*>([^<]+)</a>', nav)
    tags = {code: code.replace("_", "-") for code in THIRTEEN}
    assert [(lang_, hreflang, name) for _, lang_, hreflang, name in links] == [
        (tags[code], tags[code], name) for code, name in THIRTEEN.items()
    ]
    assert [href for href, *_ in links] == [f"/?lang={code}" for code in THIRTEEN]
    assert f'aria-current="true">{THIRTEEN[lang]}</a>' in nav
    # Closed, it shows the page's language in its own name and script.
    assert f'<span lang="{lang}">{THIRTEEN[lang]}</span></summary>' in nav
