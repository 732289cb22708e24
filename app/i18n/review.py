"""Who has checked each translation, per catalog and per string family (docs/translators.md).

The families are defined once, in locales/families.toml, by the source files their messages
come from; each locale's status per family is in locales/<code>/review.toml. A locale without
that file, or a family left out of it, counts as machine-assisted: adding a language to
LANGUAGES and its catalog is all it takes, and nothing claims a review that did not happen.
"""

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

FAMILIES_FILE = "families.toml"
REVIEW_FILE = "review.toml"
DEFAULT_FAMILY = "interface"  # a source file no family names belongs to the interface


class Level(IntEnum):
    """How far a family's translation has been checked, least first."""

    MACHINE = 0
    FLUENT = 1
    LEGAL = 2


# The words review.toml uses, and what the status table and the staff page call each level.
LEVEL_KEYS = {
    "machine-assisted": Level.MACHINE,
    "fluent-speaker": Level.FLUENT,
    "legal-professional": Level.LEGAL,
}
LEVEL_LABELS = {
    Level.MACHINE: "machine-assisted",
    Level.FLUENT: "fluent speaker",
    Level.LEGAL: "legal professional",
}


class ReviewFileError(ValueError):
    """A families.toml or review.toml that cannot be read as documented."""


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    legal: bool  # says what the law is: unchecked, the page says so (base.html)
    files: tuple[str, ...]


@dataclass(frozen=True)
class FamilyReview:
    level: Level = Level.MACHINE
    by: str = ""  # a role, never a name
    on: date | None = None

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ReviewFileError(f"{path}: {error}") from error


def load_families(locales_dir: Path) -> tuple[Family, ...]:
    """The families in their file's order, which is also their priority (see family_of)."""
    path = locales_dir / FAMILIES_FILE
    families = []
    for key, table in _read_toml(path).items():
        if not isinstance(table, dict) or not isinstance(table.get("label"), str):
            raise ReviewFileError(f"{path}: [{key}] needs a label")
        files = table.get("files", [])
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ReviewFileError(f"{path}: [{key}] files must be a list of patterns")
        families.append(Family(key, table["label"], bool(table.get("legal")), tuple(files)))
    if DEFAULT_FAMILY not in {family.key for family in families}:
        raise ReviewFileError(f"{path}: the [{DEFAULT_FAMILY}] family is missing")
    return tuple(families)


def family_of(locations: Iterable[str], families: tuple[Family, ...]) -> str:
    """The family of a message found at these source paths: of all the families its
    locations belong to, the first in families.toml (the most demanding review wins)."""
    found = set()
    for location in locations:
        match = next(
            (f.key for f in families if any(fnmatchcase(location, p) for p in f.files)),
            DEFAULT_FAMILY,
        )
        found.add(match)
    return next((f.key for f in families if f.key in found), DEFAULT_FAMILY)


def _family_review(path: Path, key: str, table: object) -> FamilyReview:
    if not isinstance(table, dict) or table.get("status") not in LEVEL_KEYS:
        raise ReviewFileError(f"{path}: [{key}] status must be one of {sorted(LEVEL_KEYS)}")
    level, by, on = LEVEL_KEYS[table["status"]], table.get("by", ""), table.get("date")
    if not isinstance(by, str) or (on is not None and not isinstance(on, date)):
        raise ReviewFileError(f"{path}: [{key}] by is a role (text), date a TOML date")
    if level > Level.MACHINE and not (by.strip() and on):
        # A check is a claim made to the people who read the page: it says who and when.
        raise ReviewFileError(f"{path}: [{key}] a check above machine-assisted needs by and date")
    return FamilyReview(level, by.strip(), on)


def load_review(
    locales_dir: Path, code: str, families: tuple[Family, ...]
) -> dict[str, FamilyReview]:
    """One locale's status per family; families its file leaves out are machine-assisted."""
    path = locales_dir / code / REVIEW_FILE
    data = _read_toml(path) if path.is_file() else {}
    known = {family.key for family in families}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ReviewFileError(f"{path}: unknown families {unknown} (locales/{FAMILIES_FILE})")
    return {
        family.key: _family_review(path, family.key, data[family.key])
        if family.key in data
        else FamilyReview()
        for family in families
    }


def legal_text_checked(review: Mapping[str, FamilyReview], families: tuple[Family, ...]) -> bool:
    """Whether a legal professional has checked every family that says what the law is."""
    return all(review[f.key].level >= Level.LEGAL for f in families if f.legal)


def catalog_level(review: Mapping[str, FamilyReview]) -> Level:
    """A catalog is as checked as its least checked family."""
    return min((entry.level for entry in review.values()), default=Level.MACHINE)
