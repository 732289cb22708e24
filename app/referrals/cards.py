"""What one referral card shows, built from a service row. No HTML here: templates render it."""

from datetime import date, timedelta

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from pydantic import BaseModel, ConfigDict

from app.places.phones import display_phone, tel_href
from app.referrals.models import Phone, Service
from app.referrals.vocabulary import PHONE_VERIFYING_METHODS, Cost, ProviderKind

# A number gets a call button only when a person verified it within this window.
PHONE_TRUST_WINDOW = timedelta(days=365)


class ReferralCard(BaseModel):
    """Everything a card shows. English text from the directory; enums are translated by the
    templates (`cost`, `provider_kind`); `languages` are ISO codes the template names."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    organization_name: str
    description: str | None
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
    source_name: str
    source_url: str | None
    is_sample: bool
    is_national: bool
    curated: bool
    exact_need_match: bool

    # Display helpers for templates, in the locale being rendered (read at call time, so a
    # printable page rendering one column per language gets each column right).

    def language_names(self) -> list[str]:
        locale = _current_locale()
        return [locale.languages.get(code, code) for code in self.languages]

    def last_verified_text(self) -> str | None:
        if self.last_verified is None:
            return None
        return format_date(self.last_verified, format="long", locale=_current_locale())


def _current_locale() -> Locale:
    from app.i18n import get_locale  # the request's locale; imported late to keep this pure

    try:
        return Locale.parse(get_locale())
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


def _callable_phones(service: Service) -> list[Phone]:
    return [p for p in service.phones if (p.type or "voice") in {"voice", "cell", "textphone"}]


def build_card(
    service: Service,
    *,
    today: date,
    distance: float | None,
    is_national: bool,
    exact_need_match: bool,
) -> ReferralCard:
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
        distance_miles=round(distance, 1) if distance is not None else None,
        phone=display_phone(best.number) if best else None,
        phone_href=tel_href(best.number, best.extension) if best else None,
        phone_verified=best is not None,
        has_unverified_phone=best is None and bool(phones),
        website=service.url or service.organization.website,
        last_verified=service.verified_at,
        source_name=service.source_name,
        source_url=service.source_url,
        is_sample=service.is_sample,
        is_national=is_national,
        curated=service.curated,
        exact_need_match=exact_need_match,
    )
