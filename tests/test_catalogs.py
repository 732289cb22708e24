"""Every shipped language is complete: every string in Python, templates and content YAML is
extracted, translated (not fuzzy, not empty), and keeps the msgid's placeholders and tags."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from app.config import ROOT
from app.i18n import COMING, DEFAULT_LOCALE, LANGUAGES

# The coming languages' catalogs are held to the same standard, so they stay whole until they ship.
LOCALES = [code for code in {**LANGUAGES, **COMING} if code != DEFAULT_LOCALE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What extraction finds in the sources right now (not the committed messages.pot)."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return load(target)


def _key(message_id: object, context: str | None) -> tuple[str, str | None]:
    singular = message_id[0] if isinstance(message_id, tuple) else message_id
    return str(singular), context


@pytest.mark.parametrize("locale", LOCALES)
def test_every_extracted_string_is_translated(fresh_template: Catalog, locale: str) -> None:
    catalog = load(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po", locale)
    problems = []
    for message in fresh_template:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        strings = translated.string if translated else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if translated is None:
            problems.append(f"missing: {_key(message.id, message.context)}")
        elif translated.fuzzy or not all(values):
            problems.append(f"untranslated or fuzzy: {_key(message.id, message.context)}")
    assert not problems, f"{locale}: {len(problems)} problems, first: {problems[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_tags_match_the_source(locale: str) -> None:
    catalog = load(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po", locale)
    problems = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue  # fuzzy entries are never compiled; the completeness test reports them
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        want_placeholders = set(PLACEHOLDER.findall(sources[-1]))
        want_tags = sorted(TAG.findall(sources[0]))
        for target in targets:
            if set(PLACEHOLDER.findall(target)) - want_placeholders or (
                len(sources) == 1 and set(PLACEHOLDER.findall(target)) != want_placeholders
            ):
                problems.append(f"placeholders differ: {sources[0]!r} -> {target!r}")
            if sorted(TAG.findall(target)) != want_tags:
                problems.append(f"tags differ: {sources[0]!r} -> {target!r}")
    assert not problems, problems[:5]


def test_placeholder_check_catches_a_broken_translation() -> None:
    source, broken = "Enter a number of at least %(minimum)s.", "Escriba un número de %(minimo)s."
    assert set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(broken))
    assert sorted(TAG.findall("<strong>Hi</strong>")) != sorted(TAG.findall("Hola"))
