"""Languages: negotiation, per-request translations, text direction, formatting.

The locale of the current request lives in a context variable read by the gettext callables, so
concurrent requests in different languages never share or switch a global (the Jinja
environment is built once, with these callables installed).
"""

from contextvars import ContextVar, Token
from datetime import date
from pathlib import Path
from typing import cast

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.support import NullTranslations, Translations

from app.i18n.review import legal_text_checked, load_families, load_review

DEFAULT_LOCALE = "en"
# Shipped languages, each named in its own language and script for the switcher, in the order
# of issue 14 (roughly how many people in the US speak each at home), English first. Keys are
# the catalogs' codes (locales/<code>/); `language_tag` gives the BCP 47 tag for lang attributes.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "zh_Hans": "中文（简体）",
    "vi": "Tiếng Việt",
    "tl": "Tagalog",
    "ko": "한국어",
    "ar": "العربية",
    "ht": "Kreyòl ayisyen",
    "pt_BR": "Português (Brasil)",
    "fr": "Français",
    "ru": "Русский",
    "km": "ខ្មែរ",
    "pa": "ਪੰਜਾਬੀ",
}
# A language translated (locales/<code>/) but not yet shipped: its catalog is kept current and
# tested, and it ships once its pages pass the budget, layout and journey checks
# (`python -m bench.scenario_weights --coming` weighs the pages as they will be). None now: the
# ten of issue 14 shipped together.
COMING: dict[str, str] = {}
RTL_LOCALES = frozenset({"ar"})
# A requested language (its primary subtag) served by a shipped catalog of another code: any
# Chinese by Simplified Chinese (more readable than English for a Traditional reader), any
# Portuguese by Brazilian, Filipino by Tagalog.
_ALIASES = {"zh": "zh_Hans", "pt": "pt_BR", "fil": "tl"}
# Scripts a shipped catalog does not use: Punjabi in Shahmukhi (Pakistan) cannot read Gurmukhi.
_OTHER_SCRIPTS = frozenset({"pa-arab", "pa-pk"})
# Long dates where Babel's CLDR data has no month names (Haitian Creole prints "2026 M12 3").
_MONTHS = {
    "ht": (
        "janvye fevriye mas avril me jen jiyè out septanm oktòb novanm desanm".split(),
        "{day} {month} {year}",
    )
}

_current: ContextVar[str] = ContextVar("puente_locale", default=DEFAULT_LOCALE)
_catalogs: dict[str, NullTranslations] = {}
# Languages whose legal text no legal professional has checked yet (locales/<code>/review.toml):
# their pages say so, with a link to the English page.
_legal_unchecked: set[str] = set()


def load_catalogs(locales_dir: Path) -> None:
    """Load the compiled catalogs and their review status once at start-up; a missing
    catalog falls back to English."""
    families = load_families(locales_dir)
    _legal_unchecked.clear()
    for code in LANGUAGES:
        if code == DEFAULT_LOCALE:
            _catalogs[code] = NullTranslations()
            continue
        _catalogs[code] = Translations.load(str(locales_dir), [code], domain="messages")
        if not legal_text_checked(load_review(locales_dir, code, families), families):
            _legal_unchecked.add(code)


def legal_text_unchecked(code: str) -> bool:
    """Whether this language's legal text still waits for a legal professional's check (the
    English source has its own review: the draft notes)."""
    return code in _legal_unchecked


def set_locale(code: str) -> None:
    _current.set(code if code in LANGUAGES else DEFAULT_LOCALE)


def use_locale(code: str) -> Token[str]:
    """Set the locale for the rest of this request; pass the token to reset_locale after."""
    return _current.set(code)


def reset_locale(token: Token[str]) -> None:
    _current.reset(token)


def get_locale() -> str:
    return _current.get()


def _catalog() -> NullTranslations:
    return _catalogs.get(_current.get()) or NullTranslations()


def loaded(code: str) -> NullTranslations | None:
    """The catalog `load_catalogs` loaded for a language, or None before it ran: with the
    language, what a cache of translated text is keyed by (app.results)."""
    return _catalogs.get(code)


def translations(code: str) -> NullTranslations:
    """The loaded catalog of one language (English: none), e.g. to translate at compile time."""
    return _catalogs.get(code) or NullTranslations()


def gettext(message: str) -> str:
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    # Babel annotates its pgettext `str | object`; it returns a catalog string or the message.
    return cast(str, _catalog().pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _catalog().npgettext(context, singular, plural, n)


_ = gettext


def text_direction(code: str) -> str:
    return "rtl" if code in RTL_LOCALES else "ltr"


def language_tag(code: str) -> str:
    """A catalog's code as a BCP 47 tag for lang and hreflang ('zh_Hans' -> 'zh-Hans')."""
    return code.replace("_", "-")


def spoken_language(code: str) -> str:
    """The ISO 639 language of a catalog ('zh_Hans' -> 'zh', 'pt_BR' -> 'pt'), as the directory
    records the languages a service speaks."""
    return code.split("_")[0]


def supported(code: str | None) -> str | None:
    """The shipped locale for a requested code or tag ('es-MX' -> 'es', 'zh-CN' -> 'zh_Hans',
    'pt_BR' -> 'pt_BR'), or None."""
    if not code:
        return None
    tag = code.strip().lower().replace("_", "-")
    if any(tag.startswith(other) for other in _OTHER_SCRIPTS):
        return None
    base = tag.split("-")[0]
    shipped = _ALIASES.get(base, base)
    return shipped if shipped in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The best shipped locale in an Accept-Language header, by its q-values."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = supported(tag)
        if code and quality > 0:
            ranked.append((-quality, index, code))
    return min(ranked)[2] if ranked else None


def format_date(day: date) -> str:
    return long_date(day, get_locale())


def long_date(day: date, code: str) -> str:
    """A date as the language writes it in full ('3 de diciembre de 2026')."""
    if code in _MONTHS:
        months, pattern = _MONTHS[code]
        return pattern.format(day=day.day, month=months[day.month - 1], year=day.year)
    return babel_format_date(day, format="long", locale=Locale.parse(code))


def load_locale_data() -> None:
    """Babel's CLDR data for every shipped language, loaded now: long dates and language names
    (referral cards) read it. Called before the server forks its workers, so they share the
    data (about 6 MB) instead of each loading its own copy at its first such page."""
    for code in LANGUAGES:
        locale = Locale.parse(code)
        babel_format_date(date(2000, 1, 1), format="long", locale=locale)
        _ = locale.languages
