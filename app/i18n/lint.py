"""A lint for translations (security.md R5.3): a catalog must not be able to inject markup.

With autoescape on, Jinja marks gettext output as safe, so HTML in a .po file is rendered, not
escaped. Each msgstr must carry exactly the tags of its msgid (only <strong>, <em>, <br> are
allowed at all), the same placeholders, and none of: <script, on…=, javascript:, hx-, style=.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

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


def check_pair(msgid: str, msgstr: str, plural: bool = False) -> list[str]:
    problems = []
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
                for problem in check_pair(source, translated, plural=len(strings) > 1)
            ]
    return found


def lint_locales(locales_dir: Path) -> list[LintProblem]:
    found = []
    for path in sorted(locales_dir.glob("*/LC_MESSAGES/*.po")):
        found += lint_po(path)
    return found
