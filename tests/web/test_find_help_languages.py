"""The find-help page's language list names each language as Babel's CLDR data does."""

from babel import Locale

from app.web.public.find_help import LANGUAGE_CHOICES, LANGUAGE_CODES


def test_each_language_is_named_in_itself_as_cldr_names_it():
    for code, name in LANGUAGE_CHOICES:
        own = Locale.parse(code).get_language_name(code)
        assert own, code
        assert name == own[:1].upper() + own[1:], code


def test_codes_are_unique_and_english_spanish_arabic_come_first():
    codes = [code for code, _ in LANGUAGE_CHOICES]
    assert len(codes) == len(LANGUAGE_CODES)
    assert codes[:3] == ["en", "es", "ar"]
