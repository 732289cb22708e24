"""The result page's sections, translated once per language and perspective (app.results,
issue 16), read exactly as when every string was translated on each request."""

import datetime
from typing import Any

import pytest

from app import i18n, paths
from app.flow import texts
from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.referrals.placeholders import resolve
from app.referrals.snapshot import Directory
from app.results import _sections, _with_values, applies
from tests.legal.walk import real_engine, walk
from tests.scenarios.loader import load_scenarios

SCENARIOS = load_scenarios()
NO_DIRECTORY = Directory(revision=None, services=(), terms={}, facilities={})


def _the_long_way(position: Any, codes: set[str], filled: Any) -> dict[str, Any]:
    """Select the shown items, then translate every string: the code before the cache."""
    sections = {}
    values, perspective = position.values, position.perspective
    for name, page in real_engine().content.pages.items():
        if not applies(page, values, codes):
            continue
        data = page.model_dump(exclude_none=True)
        data["items"] = [
            dumped
            for dumped, item in zip(data["items"], page.items, strict=True)
            if applies(item, values, codes)
        ]
        translated = texts.translate_data(data, f"page.{name}", perspective)
        sections[name] = _with_values(translated, filled)
    return sections


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_sections_translated_once_read_as_translated_each_time(lang: str) -> None:
    i18n.load_catalogs(paths.LOCALES)
    today = datetime.date.today()
    filled = resolve(NO_DIRECTORY, today)
    content = real_engine().content
    token = i18n.use_locale(lang)
    translated = 0
    try:
        for scenario in SCENARIOS:
            position = walk(scenario.answers)
            codes = set(evaluate(Facts.from_answers(position.values, today)))
            for _ in range(2):  # the first call fills the cache, the second reads it
                cached = _sections(content, position.perspective, position.values, codes, filled)
                assert cached == _the_long_way(position, codes, filled), scenario.name
            english = {name: content.pages[name].heading.you for name in cached}
            translated += sum(cached[name]["heading"] != english[name] for name in cached)
    finally:
        i18n.reset_locale(token)
    assert (translated > 0) == (lang != "en")  # the catalogs were read, not English throughout
