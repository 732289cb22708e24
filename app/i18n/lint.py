"""A lint for translations (security.md R5.3): a catalog must not be able to inject markup.

With autoescape on, Jinja marks gettext output as safe, so HTML in a .po file is rendered, not
escaped. Each msgstr must carry exactly the tags of its msgid (only <strong>, <em>, <br> are
allowed at all), the same placeholders, and none of: <script, on…=, javascript:, hx-, style=.
In a right-to-left catalog, left-to-right runs that the bidi algorithm could misplace (a gloss
in parentheses, a form number, a phone number) must sit in Unicode isolates (app/i18n/bidi.py;
`python -m app.cli i18n isolate` adds them), and every isolate must be closed.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n import RTL_LOCALES
from app.i18n.bidi import bare_runs, unbalanced_isolates

ALLOWED_TAGS = frozenset({"strong", "em", "br"})
TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")
NUMBER = "num"  # the name ngettext gives the count in our templates (num=...)
FORBIDDEN = (
    re.compile(r"<\s*script", re.IGNORECASE),
    re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE),
    re.compile(r"javascript\s*:", re.IGNORECASE),
    re.compile(r"\bhx-", re.IGNORECASE),
    re.compile(r"\bdata-hx-", re.IGNORECASE),
    re.compile(r"style\s*=", re.IGNORECASE),
    re.compile(r"<\s*(iframe|object|embed|img|svg|math|link|meta|base|form)\b", re.IGNORECASE),
)


@dataclass(frozen=True)
class LintProblem:
    file: str
    line: int
    msgid: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} (msgid {self.msgid[:60]!r})"


def tags(text: str) -> Counter[str]:
    return Counter(
        f"{closing}{name.lower()}{attributes.strip()}"
        for closing, name, attributes in TAG.findall(text)
    )


def check_pair(msgid: str, msgstr: str, plural: bool = False, rtl: bool = False) -> list[str]:
    problems = []
    if unbalanced_isolates(msgstr):
        problems.append("an isolate (U+2066-U+2069) is opened and not closed, or the reverse")
    if rtl and (bare := bare_runs(msgstr)):
        problems.append(f"left-to-right text not isolated (python -m app.cli i18n isolate): {bare}")
    for pattern in FORBIDDEN:
        if pattern.search(msgstr):
            problems.append(f"forbidden markup {pattern.pattern!r} in msgstr")
    id_tags, str_tags = tags(msgid), tags(msgstr)
    if id_tags != str_tags:
        problems.append(f"tags differ: msgid has {sorted(id_tags)}, msgstr {sorted(str_tags)}")
    names = {tag.lstrip("/").split()[0] for tag in str_tags}
    if names - ALLOWED_TAGS:
        problems.append(f"tags outside the allowlist: {sorted(names - ALLOWED_TAGS)}")
    expected, found = sorted(PLACEHOLDER.findall(msgid)), sorted(PLACEHOLDER.findall(msgstr))
    if plural and NUMBER in expected and NUMBER not in found:
        # A plural form may say its number in words (Arabic's forms for 0, 1 and 2 do, as CLDR
        # intends); every other placeholder must still be there.
        expected.remove(NUMBER)
    if expected != found:
        problems.append("placeholders differ")
    return problems


def lint_po(path: Path) -> list[LintProblem]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    rtl = catalog_locale(path, catalog.locale) in RTL_LOCALES
    found = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:  # fuzzy: never compiled
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for index, translated in enumerate(strings):
            if not translated:
                continue
            source = ids[min(index, len(ids) - 1)]
            lineno = message.lineno or 0
            found += [
                LintProblem(str(path), lineno, source, problem)
                for problem in check_pair(source, translated, plural=len(strings) > 1, rtl=rtl)
            ]
    return found


def catalog_locale(path: Path, header: object) -> str:
    """The catalog's language: its header's, else the folder's (locales/ar/LC_MESSAGES)."""
    return str(header).split("_")[0] if header else path.parent.parent.name


def lint_locales(locales_dir: Path) -> list[LintProblem]:
    found = []
    for path in sorted(locales_dir.glob("*/LC_MESSAGES/*.po")):
        found += lint_po(path)
    return found
