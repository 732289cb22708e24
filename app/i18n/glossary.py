"""The glossary of terms that must never vary (docs/translators.md), read from the doc itself,
and the check that every msgstr whose msgid uses a term renders it the agreed way.

The doc is the one source: its "Glossary" section has a table per language under a heading
ending in the code in backticks, e.g. "### Spanish (`es`)". Each row: the English forms (matched
as whole words, case-insensitively unless written in capitals: ICE), the rendering, and other
accepted forms (inflections, with notes in parentheses; a form ending in "…" is a stem, and
any form is found inside longer words, so a stem covers its endings and Arabic's attached
prefixes).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from app.i18n.lint import PLACEHOLDER

_SECTION = re.compile(r"^## Glossary\b.*?$(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_LANGUAGE = re.compile(r"^### .*\(`([a-z]{2,3}(?:[-_][A-Za-z]+)?)`\)\s*$")
# Arabic short vowels, shadda, sukun, dagger alif and the tatweel: written or not, the same word.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]
    rendering: str
    accepted: tuple[str, ...]  # the rendering first, then the other forms, all normalized
    pattern: re.Pattern[str]

    def used_in(self, msgid: str) -> bool:
        return bool(self.pattern.search(PLACEHOLDER.sub(" ", msgid)))

    def rendered_in(self, msgstr: str) -> bool:
        text = normalize(msgstr)
        return any(form in text for form in self.accepted)


def normalize(text: str) -> str:
    """Case, Unicode form, Arabic vowel marks and hamza seats do not make another word."""
    text = unicodedata.normalize("NFC", text)
    return _ARABIC_MARKS.sub("", text).translate(_ALEFS).casefold()


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _forms(cell: str) -> list[str]:
    """The forms in a cell, separated by commas; "(…)" is a note for people, not a form."""
    cell = re.sub(r"\([^)]*\)", "", cell)
    return [form.strip().removesuffix("…") for form in cell.split(",") if form.strip()]


def _term(english: list[str], rendering: str, others: list[str]) -> Term:
    words = "|".join(re.escape(form) for form in english)
    flags = 0 if all(form.isupper() for form in english) else re.IGNORECASE
    pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", flags)
    accepted = tuple(dict.fromkeys(normalize(form) for form in [rendering, *others]))
    return Term(tuple(english), rendering, accepted, pattern)


def parse_glossary(markdown: str) -> dict[str, list[Term]]:
    """The terms of each language, in the doc's order."""
    section = _SECTION.search(markdown)
    if section is None:
        raise ValueError("no '## Glossary' section")
    glossary: dict[str, list[Term]] = {}
    language: str | None = None
    for line in section.group(1).splitlines():
        heading = _LANGUAGE.match(line)
        if heading:
            language = heading.group(1)
            glossary[language] = []
            continue
        if language is None or not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = _cells(line)
        if len(cells) != 3 or cells[0].lower().startswith("english"):
            continue
        english, rendering = _forms(cells[0]), cells[1].strip()
        if not english or not rendering:
            raise ValueError(f"{language}: a glossary row needs English forms and a rendering")
        glossary[language].append(_term(english, rendering, _forms(cells[2])))
    return glossary


def read_glossary(doc: Path) -> dict[str, list[Term]]:
    return parse_glossary(doc.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Miss:
    term: str
    context: str | None
    msgid: str
    msgstr: str

    def __str__(self) -> str:
        where = f" [{self.context}]" if self.context else ""
        return f"{self.term!r} not rendered{where}: {self.msgid[:80]!r} -> {self.msgstr[:80]!r}"


def _pairs(catalog: Catalog) -> Iterable[tuple[str | None, str, str]]:
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for index, translated in enumerate(strings):
            if translated:
                yield message.context, ids[min(index, len(ids) - 1)], translated


def misses(catalog: Catalog, terms: list[Term]) -> list[Miss]:
    """Every translation whose source uses a term and which has none of its accepted forms."""
    found = []
    for context, msgid, msgstr in _pairs(catalog):
        for term in terms:
            if term.used_in(msgid) and not term.rendered_in(msgstr):
                found.append(Miss(term.english[0], context, msgid, msgstr))
    return found
