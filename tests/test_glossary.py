"""The glossary in docs/translators.md: each language has one, with the same terms, and every
string of its catalog that uses a term renders it the agreed way (issue 14, item 3)."""

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from app.config import ROOT
from app.i18n import COMING, DEFAULT_LOCALE, LANGUAGES
from app.i18n.glossary import misses, parse_glossary, read_glossary

DOC = ROOT / "docs" / "translators.md"
GLOSSARY = read_glossary(DOC)
LOCALES = [code for code in {**LANGUAGES, **COMING} if code != DEFAULT_LOCALE]
MUST = {
    "green card",
    "immigration judge",
    "Notice to Appear",
    "A-number",
    "deport",
    "conviction",
    "plea",
    "ICE",
    "detention",
    "bond",
    "lawyer",
    "accredited representative",
    "immigration court",
}


def _catalog(locale: str, *pairs: tuple[str, str]) -> Catalog:
    catalog = Catalog(locale=locale)
    for msgid, msgstr in pairs:
        catalog.add(msgid, msgstr)
    return catalog


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_has_the_whole_glossary(locale: str) -> None:
    assert locale in GLOSSARY, f"add a table for {locale} to the glossary in {DOC}"
    terms = {term.english[0] for term in GLOSSARY[locale]}
    assert MUST <= terms
    reference = {term.english[0] for term in GLOSSARY["es"]}
    assert terms == reference, "every language's table lists the same English terms"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_renders_each_term_the_agreed_way(locale: str) -> None:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    found = misses(catalog, GLOSSARY[locale])
    assert not found, f"{locale}: {len(found)} strings off the glossary:\n" + "\n".join(
        str(miss) for miss in found[:20]
    )


def test_a_second_rendering_of_a_term_is_caught() -> None:
    catalog = _catalog(
        "es",
        ("Immigration court in %(city)s", "Tribunal de inmigración de %(city)s"),
        ("Talk to a lawyer.", "Hable con un abogado."),
    )
    found = misses(catalog, GLOSSARY["es"])
    assert {miss.term for miss in found} == {"immigration court", "court"}


def test_arabic_vowel_marks_and_hamza_seats_do_not_make_another_word() -> None:
    terms = GLOSSARY["ar"]
    agreed = _catalog("ar", ("Bring the Notice to Appear.", "أحضِرْ إِشْعَارَ بالمُثُول."))
    assert misses(agreed, terms) == []
    other = _catalog("ar", ("Bring the Notice to Appear.", "أحضر إشعار الحضور."))
    assert [miss.term for miss in misses(other, terms)] == ["Notice to Appear"]


def test_english_terms_match_whole_words_capitals_and_not_placeholders() -> None:
    terms = {term.english[0]: term for term in GLOSSARY["es"]}
    assert not terms["detention"].used_in('This is called a "detainer".')
    assert terms["detention"].used_in("If you are detained")
    assert not terms["ICE"].used_in("Call the office; the ice is thin.")
    assert terms["ICE"].used_in("ICE officers")
    assert not terms["court"].used_in("The %(court)s or {court_name} list")
    assert terms["deport"].used_in("Deportation is possible")


def test_a_row_without_a_rendering_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_glossary("## Glossary\n\n### Spanish (`es`)\n\n| bond | | fianzas |\n")
    parsed = parse_glossary("## Glossary\n\n### X (`xx`)\n\n| bond | fianza | fianzas (plural) |\n")
    assert parsed["xx"][0].accepted == ("fianza", "fianzas")
