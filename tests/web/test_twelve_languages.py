"""Twelve languages besides English (issue 14): a requested language finds its catalog whatever
tag it arrives as, pages name it with a BCP 47 tag, and dates and language names come out in
the language even where Babel's CLDR data is thin (Haitian Creole)."""

import re
from datetime import date
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from app import i18n
from app.i18n import language_tag, long_date, supported
from app.referrals.cards import ReferralCard
from app.referrals.hsds.models import HsdsServiceTranslation


@pytest.mark.parametrize(
    ("requested", "served"),
    [
        ("zh_Hans", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-TW", "zh_Hans"),  # a Traditional reader reads Simplified better than English
        ("pt_BR", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("fil", "tl"),
        ("tl-PH", "tl"),
        ("pa-IN", "pa"),
        ("pa-Guru", "pa"),
        ("pa-Arab-PK", None),  # Shahmukhi readers cannot read Gurmukhi
        ("km-KH", "km"),
        ("ht", "ht"),
        ("fr-CA", "fr"),
        ("ru", "ru"),
        ("ko-KR", "ko"),
        ("vi", "vi"),
        ("de", None),
    ],
)
def test_a_requested_language_finds_its_catalog(requested: str, served: str | None) -> None:
    assert supported(requested) == served


def test_every_shipped_code_is_its_own_answer_and_has_a_tag() -> None:
    assert len(i18n.LANGUAGES) == 13
    for code in i18n.LANGUAGES:
        assert supported(code) == code
        assert supported(language_tag(code)) == code
    assert language_tag("zh_Hans") == "zh-Hans" and language_tag("pt_BR") == "pt-BR"


def test_haitian_creole_dates_have_month_names() -> None:
    assert long_date(date(2026, 12, 3), "ht") == "3 desanm 2026"
    assert long_date(date(2026, 1, 9), "ht") == "9 janvye 2026"
    assert long_date(date(2026, 12, 3), "fr") == "3 décembre 2026"


def test_a_card_names_languages_in_the_page_language_or_their_own() -> None:
    card = ReferralCard.model_construct(languages=["es", "en"])
    token = i18n.use_locale("ht")  # CLDR has no language names in Haitian Creole
    try:
        assert card.language_names() == ["español", "English"]
    finally:
        i18n.reset_locale(token)
    token = i18n.use_locale("ko")
    try:
        assert card.language_names() == ["스페인어", "영어"]
    finally:
        i18n.reset_locale(token)


def test_hsds_carries_tags_and_the_directory_keeps_catalog_codes() -> None:
    translation = HsdsServiceTranslation(id=str(uuid4()), locale="zh-Hans", name="法律援助")
    assert translation.locale == "zh_Hans"  # what a Chinese page asks the directory for
    assert translation.model_dump(mode="json")["locale"] == "zh-Hans"
    assert HsdsServiceTranslation(id=str(uuid4()), locale="pt_BR").locale == "pt_BR"
    assert HsdsServiceTranslation(id=str(uuid4()), locale="es-MX").locale == "es-MX"  # not ours


def test_a_language_not_shipped_is_not_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "LANGUAGES", {"en": "English", "es": "Español", "ar": "العربية"})
    assert supported("zh-CN") is None and supported("pt-BR") is None and supported("es") == "es"


LANG_ATTRIBUTE = re.compile(r'\b(?:lang|hreflang)="([^"]*)"')


@pytest.mark.parametrize(
    "path", ["/", "/share", "/share/flyer?with=zh_Hans", "/learn/card", "/learn", "/help"]
)
@pytest.mark.parametrize("lang", ["zh_Hans", "pt_BR"])
def test_lang_attributes_are_bcp47_tags_never_catalog_codes(
    real_client: TestClient, path: str, lang: str
) -> None:
    """`zh_Hans` names a catalog; a lang attribute takes `zh-Hans` (axe: valid-lang)."""
    separator = "&" if "?" in path else "?"
    page = real_client.get(f"{path}{separator}lang={lang}").text
    values = set(LANG_ATTRIBUTE.findall(page))
    assert language_tag(lang) in values
    assert not [value for value in values if "_" in value], values
