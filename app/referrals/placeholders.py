"""Named placeholders in content text (`{eoir_phone}`), filled from the directory when shown.

A phone number or web address of a national resource is a fact of the directory
(app/referrals/data/national.json, then staff edits), not of the prose. Content strings and
their translations carry only the placeholder's name, so a translator never retypes a number
and a changed number shows at once on every page, in every language. The values come from the
per-process directory snapshot (app/referrals/snapshot.py), after translation.

No HTML here: `fill` returns the text as parts, and templates/components/_prose.html marks a
value up (a `tel:` or web link in a left-to-right isolate, so a number never reads backwards
in Arabic). The JSON API reads the same parts as plain text (`str(prose)`).
"""

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.places.phones import display_phone, tel_href
from app.referrals.cards import phone_is_trusted
from app.referrals.models import Service
from app.referrals.seed import stable_id
from app.referrals.snapshot import Directory

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(\w+)\}")
_reported: set[str] = set()  # records already reported missing by this process


class Field(StrEnum):
    phone = "phone"  # the service's callable number, verified within the trust window
    website = "website"  # the service's web address


@dataclass(frozen=True)
class Placeholder:
    service_key: str  # the key in app/referrals/data/national.json (the record's id is its uuid5)
    field: Field
    name: str  # the resource's proper name, shown instead when the value cannot be

    @property
    def service_id(self) -> str:
        return stable_id("service", self.service_key)


# Every name content may use. validate-content rejects any other (app/checks/content.py).
PLACEHOLDERS: Mapping[str, Placeholder] = {
    "eoir_phone": Placeholder("eoir-acis", Field.phone, "EOIR Automated Case Information"),
    "ice_phone": Placeholder(
        "ice-dril", Field.phone, "ICE Detention Reporting and Information Line"
    ),
    "ice_locator": Placeholder("ice-locator", Field.website, "ICE Online Detainee Locator"),
}


class Kind(StrEnum):
    phone = "phone"  # text is a number, href a tel: link
    web = "web"  # text is an address, href the link
    name = "name"  # only the resource's name; href its website when the directory has one


@dataclass(frozen=True)
class Filled:
    """One placeholder's value as shown. Always left-to-right text (numbers, addresses and
    the resources' English proper names)."""

    kind: Kind
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Prose:
    """Content text with its placeholders filled: plain strings and values, in order."""

    parts: tuple[str | Filled, ...]

    def __str__(self) -> str:
        return "".join(part if isinstance(part, str) else part.text for part in self.parts)

    def __bool__(self) -> bool:
        return any(self.parts)


def placeholder_names(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def fill(text: str, values: Mapping[str, Filled]) -> Prose:
    """`text` split at its placeholders, each replaced by its value. `values` is only read
    when the text names a placeholder (most texts name none: see `LazyValues`)."""
    if "{" not in text:  # most texts: no placeholder, and no regular expression to run
        return Prose((text,) if text else ())
    parts: list[str | Filled] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        value = values.get(match.group(1)) if match.group(1) in PLACEHOLDERS else None
        if value is None:  # not a known name: validate-content refuses it, so leave it as text
            continue
        parts.append(text[position : match.start()])
        parts.append(value)
        position = match.end()
    parts.append(text[position:])
    return Prose(tuple(part for part in parts if part))


def resolve(directory: Directory, today: date) -> dict[str, Filled]:
    """The value of every placeholder from the directory as it stands on `today`."""
    wanted = {placeholder.service_id for placeholder in PLACEHOLDERS.values()}
    services = {s.id: s for s in directory.visible(today) if s.id in wanted}
    return {
        name: _value(placeholder, services.get(placeholder.service_id), today)
        for name, placeholder in PLACEHOLDERS.items()
    }


def _value(placeholder: Placeholder, service: Service | None, today: date) -> Filled:
    if service is not None and placeholder.field is Field.phone:
        trusted = sorted(
            (p for p in service.phones if phone_is_trusted(p, today)),
            key=lambda p: (p.verified_at or date.min, p.id),
            reverse=True,
        )
        if trusted:
            best = trusted[0]
            return Filled(
                Kind.phone, display_phone(best.number), tel_href(best.number, best.extension)
            )
    if service is not None and placeholder.field is Field.website and service.url:
        return Filled(Kind.web, _without_scheme(service.url), service.url)
    # Missing, hidden for an overdue review, or no verified number: the name alone, never a
    # number nobody vouches for (DESIGN.md; referrals.md §6.4). Said once per process; it
    # names a directory record, nothing about the person.
    if placeholder.service_key not in _reported:
        _reported.add(placeholder.service_key)
        log.warning(
            "directory record %s has no %s to show", placeholder.service_key, placeholder.field
        )
    return Filled(Kind.name, placeholder.name, service.url if service is not None else None)


def _without_scheme(url: str) -> str:
    return re.sub(r"^https?://", "", url).rstrip("/")


class LazyValues(Mapping[str, Filled]):
    """Placeholder values loaded on first use, so a page whose texts name no placeholder never
    reads the directory."""

    def __init__(self, load: Callable[[], Mapping[str, Filled]]) -> None:
        self._load = load
        self._values: Mapping[str, Filled] | None = None

    def _loaded(self) -> Mapping[str, Filled]:
        if self._values is None:
            self._values = self._load()
        return self._values

    def __getitem__(self, name: str) -> Filled:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())
