"""Words with combining marks are whole words to the library's search (issue 14): Punjabi's
vowel signs (Mc, Mn) are inside its words, and so are Arabic's vowel marks before they are
dropped. Before, a regular expression's \\w and SQLite's unicode61 cut "ਵਕੀਲ" (lawyer) into
"ਵਕ" and "ਲ", and "ਲ" as a prefix found sections about courts and nothing about lawyers.

Run on PostgreSQL too: DATABASE_URL=postgresql+psycopg://... pytest this file.
"""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.library.search import entries, query_words, search, words_of

# (language, a word, a word that shares only its first letters or a cut-off part with it)
WHOLE = [
    ("pa", "ਵਕੀਲ", "ਅਦਾਲਤ"),  # lawyer; court, which holds "ਲ" after its vowel sign
    ("pa", "ਇਮੀਗ੍ਰੇਸ਼ਨ", "ਗ"),  # immigration
]


def test_a_word_keeps_its_marks() -> None:
    assert words_of("ਵਕੀਲ ਇਮੀਗ੍ਰੇਸ਼ਨ, مُحامٍ Tiếng") == ["ਵਕੀਲ", "ਇਮੀਗ੍ਰੇਸ਼ਨ", "مُحامٍ", "Tiếng"]
    assert words_of("ੀ ੀਲ _x_") == ["ਲ", "x"]  # a mark alone is no word; _ separates
    assert query_words("ਵਕੀਲ") == ["ਵਕੀਲ"]
    assert query_words("مُحامٍ", arabic=True) == ["محام"]


def _sections(app: FastAPI, locale: str) -> dict[str, str]:
    return {
        f"/learn/{row.slug}#{row.section}": row.text
        for row in entries(app.state.puente.articles)
        if row.locale == locale
    }


@pytest.mark.parametrize(("lang", "word", "_other"), WHOLE)
def test_a_punjabi_word_finds_only_the_sections_that_hold_it(
    real_app: FastAPI, lang: str, word: str, _other: str
) -> None:
    with TestClient(real_app):  # starting the app builds the index
        hits = search(real_app.state.puente.db, lang, word)
    texts = _sections(real_app, lang)
    holding = {href for href, text in texts.items() if word in text}
    assert holding, f"the catalog no longer has {word}"
    found = {hit.href for hit in hits}
    assert found and found <= holding, found - holding
    marked = [part for hit in hits for part, matched in hit.snippet if matched]
    assert marked and all(word in part for part in marked), marked


def test_the_sqlite_index_holds_whole_punjabi_words(real_app: FastAPI) -> None:
    """The index's own words (migration 0009), not only the search: a prefix typed by a person
    matches the start of a whole word, never a piece after a vowel sign."""
    database = real_app.state.puente.db
    if not database.is_sqlite:
        pytest.skip("PostgreSQL's parser keeps marks inside words without a migration")
    with TestClient(real_app), database.engine.connect() as connection:
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, library_search, row)"
        )
        terms = {row[0] for row in connection.exec_driver_sql("SELECT term FROM temp.terms")}
    assert "ਵਕੀਲ" in terms and "ਵਕ" not in terms
