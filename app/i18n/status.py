"""`puente i18n status`: each catalog's coverage against messages.pot and its review status per
string family, as a Markdown table. The README holds a copy between two markers; a test keeps
the copy equal to the command's output, and `i18n status --write-readme` refreshes it."""

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.i18n import DEFAULT_LOCALE, LANGUAGES
from app.i18n.review import (
    LEVEL_LABELS,
    Family,
    FamilyReview,
    catalog_level,
    family_of,
    load_families,
    load_review,
)

README_BEGIN = (
    "<!-- i18n status: begin (written by `python -m app.cli i18n status --write-readme`) -->"
)
README_END = "<!-- i18n status: end -->"


@dataclass(frozen=True)
class Coverage:
    code: str
    total: int
    translated: int
    fuzzy: int
    empty: int  # missing from the catalog, or with an empty msgstr

    @property
    def percent(self) -> str:
        # Rounded down: a catalog shows 100% only when nothing is missing.
        share = math.floor(1000 * self.translated / self.total) / 10 if self.total else 100.0
        return f"{share:g}%"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _done(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def coverage(code: str, template: Catalog, catalog: Catalog) -> Coverage:
    translated = fuzzy = 0
    total = 0
    for source in template:
        if not source.id:
            continue
        total += 1
        message = catalog.get(source.id, context=source.context)
        if message is None:
            continue
        if message.fuzzy:
            fuzzy += 1
        elif _done(message):
            translated += 1
    return Coverage(code, total, translated, fuzzy, total - translated - fuzzy)


def family_sizes(template: Catalog, families: tuple[Family, ...]) -> Counter[str]:
    """How many messages of messages.pot each family holds."""
    return Counter(
        family_of((path for path, _ in message.locations), families)
        for message in template
        if message.id
    )


def _review_cell(review: FamilyReview) -> str:
    return review.label + (f" ({review.by}, {review.on.isoformat()})" if review.on else "")


def status_table(locales_dir: Path) -> str:
    """The Markdown table: one row per translated language, one review column per family."""
    template = _read(locales_dir / "messages.pot")
    families = load_families(locales_dir)
    sizes = family_sizes(template, families)
    header = ["language", "translated", "%", "fuzzy", "empty", "catalog review"] + [
        f"{family.label} ({sizes[family.key]})" for family in families
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for code, name in LANGUAGES.items():
        if code == DEFAULT_LOCALE:
            continue
        po = locales_dir / code / "LC_MESSAGES" / "messages.po"
        counts = coverage(code, template, _read(po, code)) if po.is_file() else None
        review = load_review(locales_dir, code, families)
        if counts:
            figures = [f"{counts.translated}/{counts.total}", counts.percent]
            figures += [str(counts.fuzzy), str(counts.empty)]
        else:
            figures = ["no catalog", "0%", "0", str(sum(sizes.values()))]
        cells = [f"{name} (`{code}`)", *figures, LEVEL_LABELS[catalog_level(review)]] + [
            _review_cell(review[family.key]) for family in families
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def readme_table(readme: str) -> str | None:
    """The table between the README's markers, or None when they are missing."""
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        return None
    return readme[start + len(README_BEGIN) : end].strip("\n") + "\n"


def with_table(readme: str, table: str) -> str:
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_BEGIN!r} … {README_END!r} markers")
    return readme[: start + len(README_BEGIN)] + "\n" + table + readme[end:]
