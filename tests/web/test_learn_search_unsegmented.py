"""The library's search in Chinese and Khmer, written without spaces between words, with the
coming languages switched on as they will be in `LANGUAGES`: a word inside a phrase is found
and marked in a readable snippet, only sections that hold it are found, the shipped languages
search as before, and no input is an error.

Run on PostgreSQL too: DATABASE_URL=postgresql+psycopg://... pytest this file.
"""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import i18n
from app.i18n import COMING, LANGUAGES
from app.library import segments
from app.library.search import MAX_QUERY, Hit, entries, search
from tests.web.test_learn import in_locale
from tests.web.test_learn_search import FINDS, post_search

# (language, a word found in the catalog only inside a longer phrase, a section that holds it)
INSIDE = [
    ("zh_Hans", "律师", "/learn/choosing-help#notarios"),  # 在许多国家，“notario”是律师。
    ("zh_Hans", "诈骗", "/learn/choosing-help#check"),  # 向USCIS、州律师协会或州总检察长举报诈骗。
    ("km", "មេធាវី", "/learn/choosing-help#check"),  # សូមពិនិត្យមេធាវីនៅលើគេហទំព័ររបស់គណៈមេធាវីរដ្ឋ
    ("km", "បោកប្រាស់", "/learn/choosing-help#check"),  # សូមរាយការណ៍ការបោកប្រាស់ទៅ USCIS
]
JUNK = ["。，、！？", "🙂🙂🙂 👍", "«»…—", "'; DROP TABLE x; --", '"律师 NEAR(', "្ៗ", "律" * 200]


@pytest.fixture(autouse=True)
def thirteen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "LANGUAGES", {**LANGUAGES, **COMING})


def _texts(app: FastAPI, locale: str) -> dict[str, str]:
    """Each indexed section's text in one language, by its address."""
    return {
        f"/learn/{row.slug}#{row.section}": row.text
        for row in entries(app.state.puente.articles)
        if row.locale == locale
    }


def _search(app: FastAPI, locale: str, query: str) -> list[Hit]:
    with TestClient(app):  # starting the app builds the index
        return search(app.state.puente.db, locale, query)


@pytest.mark.parametrize(("lang", "word", "href"), INSIDE)
def test_a_word_inside_a_phrase_is_found_and_marked(
    real_client: TestClient, lang: str, word: str, href: str
) -> None:
    text = _texts(real_client.app, lang)[href]  # type: ignore[arg-type]
    assert any(run.find(word) > 0 for run in segments.runs(text)), "the word starts no phrase"
    response = post_search(real_client, lang, word)
    assert response.status_code == 200
    html = response.text
    assert f'href="{href}"' in html, html.split("results-heading", 1)[-1][:2000]
    assert f"<mark>{word}</mark>" in html
    assert f"<title>{in_locale(lang, 'Library')} · Puente</title>" in html


@pytest.mark.parametrize(("lang", "word", "_href"), INSIDE)
def test_only_sections_holding_the_word_are_found_with_readable_snippets(
    real_app: FastAPI, lang: str, word: str, _href: str
) -> None:
    hits = _search(real_app, lang, word)
    texts = _texts(real_app, lang)
    assert hits
    for hit in hits:
        assert word in texts[hit.href], hit.href
        shown = "".join(part for part, _matched in hit.snippet).strip("…")
        assert shown and shown in texts[hit.href], "the snippet is the section's own text"


def test_one_character_finds_the_words_it_starts_and_ends(real_app: FastAPI) -> None:
    starts = _search(real_app, "zh_Hans", "律")  # 律师
    assert "/learn/choosing-help#notarios" in {hit.href for hit in starts}
    ends = _search(real_app, "zh_Hans", "骗")  # 诈骗, the last character of its phrase
    assert "/learn/choosing-help#check" in {hit.href for hit in ends}
    texts = _texts(real_app, "zh_Hans")
    assert all("律" in texts[hit.href] for hit in starts)


def test_latin_words_and_chinese_words_together(real_app: FastAPI) -> None:
    hits = _search(real_app, "zh_Hans", "notario 律师")
    assert "/learn/choosing-help#notarios" in {hit.href for hit in hits}
    assert "/learn/choosing-help#check" not in {hit.href for hit in hits}  # no "notario" there


@pytest.mark.parametrize(("lang", "query", "href"), FINDS)
def test_the_shipped_languages_search_as_before(
    real_client: TestClient, lang: str, query: str, href: str
) -> None:
    html = post_search(real_client, lang, query).text
    assert f'href="{href}"' in html


def test_english_snippets_are_still_the_engine_s(real_client: TestClient) -> None:
    assert "<mark>lawyer" in post_search(real_client, "en", "lawyers").text


@pytest.mark.parametrize("lang", ["zh_Hans", "km", "en", "es", "ar"])
def test_junk_is_an_answer_never_an_error(real_client: TestClient, lang: str) -> None:
    for query in JUNK:
        response = post_search(real_client, lang, query)
        expected = 422 if len(query) > MAX_QUERY else 200
        assert response.status_code == expected, query
        assert isinstance(search(real_client.app.state.puente.db, lang, query), list)  # type: ignore[attr-defined]


def test_pairs_are_digits_that_no_tokenizer_splits() -> None:
    shi, lv, first, liu = (f"{ord(char):07d}" for char in "是律师六")
    assert segments.index_tokens("是律师。六") == [shi + lv, lv + first, first, liu]
    assert segments.query_tokens("律师") == [lv + first]
    assert segments.query_tokens("律") == [lv]  # matched as a prefix
    khmer = segments.index_tokens("មេធាវី។")
    assert len(khmer) == 6 and all(token.isdigit() for token in khmer)  # vowel signs kept
    assert segments.query_tokens("Hello, world! 🙂") == []
