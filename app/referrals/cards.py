"""What one referral card shows, built from a service row. No HTML here: templates render it.

A card carries the service's public text in English and in every locale it was translated
into; `ReferralCard.text()` picks the page's language field by field, and says which fields are
English standing in (the template marks them `lang="en"` and says so in the page's language).
Provenance (where and how we found the record) stays off the card: staff pages show it.
"""

from collections.abc import Hashable
from datetime import date, timedelta
from typing import Literal, NamedTuple

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict

from app.places.phones import display_phone, tel_href
from app.referrals.models import Phone, Service
from app.referrals.vocabulary import PHONE_VERIFYING_METHODS, Cost, ProviderKind

# A number gets a call button only when a person verified it within this window.
PHONE_TRUST_WINDOW = timedelta(days=365)
DIRECTORY_LOCALE = "en"  # the language the directory's own fields are written in


class CardText(BaseModel):
    """A service's public text in one language; None where it has none."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    description: str | None = None
    hours: str | None = None
    language_note: str | None = None


class Shown(NamedTuple):
    text: str
    lang: str | None  # "en" when the English stands in for the page's language, else None


class LocalText(NamedTuple):
    """A card's text in the page's language, field by field."""

    name: Shown | None  # None when the service's name says nothing beyond the organization's
    description: Shown | None
    hours: Shown | None
    language_note: Shown | None
    organization_lang: str | None  # "en" on other pages: the directory's names are English
    in_english: Literal["all", "some"] | None  # how much of the text is the English fallback


class ReferralCard(BaseModel):
    """Everything a card shows. English text from the directory; enums are translated by the
    templates (`cost`, `provider_kind`); `languages` are ISO codes the template names."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    organization_name: str
    description: str | None
    hours: str | None = None
    language_note: str | None = None
    translations: dict[str, CardText] = {}  # by locale; English is in the fields above
    name_says_more: bool = True  # the service's name adds to the organization's (heading)
    languages: list[str]
    interpretation_available: bool
    cost: Cost
    provider_kind: ProviderKind
    serves_detained: bool
    detained_only: bool
    accepts_collect_calls: bool
    accepting_new_clients: bool | None
    crim_imm_expertise: bool
    in_person: bool
    city: str | None
    state: str | None
    distance_miles: float | None  # only for in-person services, when the origin is known
    phone: str | None  # display form; only when verified within 12 months
    phone_href: str | None  # tel: link for the same number
    phone_verified: bool
    has_unverified_phone: bool  # a number exists but nobody verified it lately: say so
    website: str | None
    last_verified: date | None
    # Provenance, for staff and the partner API's `source`; never printed on a public card.
    source_name: str
    source_url: str | None
    is_sample: bool
    is_national: bool
    curated: bool
    exact_need_match: bool

    # Display helpers for templates, in the locale being rendered (read at call time, so a
    # printable page rendering one column per language gets each column right).

    def text(self) -> LocalText:
        """The card's text in the page's language, English where a field is not translated."""
        locale = _current_locale_code()
        if locale == DIRECTORY_LOCALE:
            translated = CardText()
            english_lang = None
        else:
            translated = self.translations.get(locale, CardText())
            english_lang = DIRECTORY_LOCALE
        english = CardText(
            name=self.name,
            description=self.description,
            hours=self.hours,
            language_note=self.language_note,
        )
        shown: dict[str, Shown | None] = {}
        for field in ("name", "description", "hours", "language_note"):
            if field == "name" and not self.name_says_more:
                shown[field] = None
            elif value := getattr(translated, field):
                shown[field] = Shown(value, None)
            elif value := getattr(english, field):
                shown[field] = Shown(value, english_lang)
            else:
                shown[field] = None
        present = [item for item in shown.values() if item is not None]
        fallbacks = sum(1 for item in present if item.lang is not None)
        in_english: Literal["all", "some"] | None = None
        if fallbacks:
            in_english = "all" if fallbacks == len(present) else "some"
        return LocalText(
            name=shown["name"],
            description=shown["description"],
            hours=shown["hours"],
            language_note=shown["language_note"],
            organization_lang=english_lang,
            in_english=in_english,
        )

    def placed(
        self, distance: float | None, is_national: bool, exact_need_match: bool
    ) -> "ReferralCard":
        """This card for one person's request: its distance from them, whether it serves the
        whole country, whether it matched one of their needs exactly."""
        return self.model_copy(
            update={
                "distance_miles": round(distance, 1) if distance is not None else None,
                "is_national": is_national,
                "exact_need_match": exact_need_match,
            }
        )

    def language_names(self) -> list[str]:
        """Each language the service speaks, named in the page's language, or in its own where
        CLDR has no name in the page's (Haitian Creole has none)."""
        locale = _current_locale()
        return [locale.languages.get(code) or _own_name(code) for code in self.languages]

    def distance_text(self) -> str | None:
        """How far the office is from the person, in the page's language; None if unknown."""
        if self.distance_miles is None:
            return None
        from app.i18n import gettext, ngettext  # the request's language, as above

        if self.distance_miles < 1:
            return gettext("less than 1 mile away")
        miles = round(self.distance_miles)
        return ngettext("about %(num)s mile away", "about %(num)s miles away", miles) % {
            "num": miles
        }

    def shown_key(self) -> tuple[Hashable, ...]:
        """Everything the card holds but the person's distance from the office (only whether
        it is known), hashable: the same key is the same card, in a given language. Rendered
        cards are kept by it (app/web/templating.py, `Renderer.referral_card`)."""
        return tuple(
            value is None if name == "distance_miles" else _hashable(value)
            for name, value in self.__dict__.items()
        )

    def last_verified_text(self) -> str | None:
        if self.last_verified is None:
            return None
        from app.i18n import long_date  # the request's language; imported late to keep this pure

        return long_date(self.last_verified, _current_locale_code())


def _hashable(value: object) -> Hashable:
    """A card's field as a key: its lists as tuples, its translations as sorted pairs (their
    CardText values are frozen models, hashable as they are)."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def _own_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code


def _current_locale_code() -> str:
    from app.i18n import get_locale  # the request's locale; imported late to keep this pure

    return get_locale()


def _current_locale() -> Locale:
    try:
        return Locale.parse(_current_locale_code())
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def phone_is_trusted(phone: Phone, today: date) -> bool:
    verified = phone.verified_at
    return (
        verified is not None
        and verified <= today
        and today - verified <= PHONE_TRUST_WINDOW
        and phone.verification_method in PHONE_VERIFYING_METHODS
    )


def says_more(name: str, organization: str) -> bool:
    """Whether a service's name adds to its organization's ("Affiliate directory" under
    "Catholic Legal Immigration Network") rather than repeating it."""
    plain, within = name.casefold().strip(), organization.casefold()
    return bool(plain) and plain not in within


def _translations(service: Service) -> dict[str, CardText]:
    return {
        t.locale: CardText(
            name=t.name or None,
            description=t.description or None,
            hours=t.hours or None,
            language_note=t.language_note or None,
        )
        for t in service.translations
        if t.locale != DIRECTORY_LOCALE
    }


def _callable_phones(service: Service) -> list[Phone]:
    return [p for p in service.phones if (p.type or "voice") in {"voice", "cell", "textphone"}]


def build_card(service: Service, today: date) -> ReferralCard:
    """`service`'s card as it stands on `today`, the same for everyone: what differs from
    person to person (the distance, how it matched) is added by `ReferralCard.placed`."""
    phones = _callable_phones(service)
    trusted = sorted(
        (p for p in phones if phone_is_trusted(p, today)),
        key=lambda p: (p.verified_at or date.min, p.id),
        reverse=True,
    )
    best = trusted[0] if trusted else None
    physical = [
        sal.location for sal in service.at_locations if sal.location.location_type == "physical"
    ]
    address = next((a for loc in physical for a in loc.addresses), None)
    return ReferralCard(
        id=service.id,
        name=service.name,
        organization_name=service.organization.name,
        description=service.description,
        hours=service.hours,
        language_note=service.language_note,
        translations=_translations(service),
        name_says_more=says_more(service.name, service.organization.name),
        languages=sorted({lang.code for lang in service.languages if lang.code}),
        interpretation_available=bool((service.interpretation_services or "").strip()),
        cost=Cost(service.cost),
        provider_kind=ProviderKind(service.provider_kind),
        serves_detained=service.serves_detained,
        detained_only=service.detained_only,
        accepts_collect_calls=service.accepts_collect_calls,
        accepting_new_clients=service.accepting_new_clients,
        crim_imm_expertise=service.crim_imm_expertise,
        in_person=bool(physical),
        city=address.city if address else None,
        state=address.state_province if address else None,
        distance_miles=None,
        phone=display_phone(best.number) if best else None,
        phone_href=tel_href(best.number, best.extension) if best else None,
        phone_verified=best is not None,
        has_unverified_phone=best is None and bool(phones),
        website=service.url or service.organization.website,
        last_verified=service.verified_at,
        source_name=service.source_name,
        source_url=service.source_url,
        is_sample=service.is_sample,
        is_national=False,
        curated=service.curated,
        exact_need_match=False,
    )
