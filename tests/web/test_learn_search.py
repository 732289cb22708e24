"""The library's search (issue 15, 4), its links both ways (2), the rights card (3) and the
glossary: search finds a section in each shipped language, survives any input, keeps nothing;
every finding and every result section has an article; the card has an English side and a
side in the page's language.

The search tests run on PostgreSQL too: DATABASE_URL=postgresql+psycopg://... pytest this file.
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import SQLModel

from app.checks.content import check_articles
from app.flow.articles import read_articles
from app.legal.findings import RULES
from app.library.search import MAX_QUERY, ensure_index, search
from app.referrals.seed import seed_directory
from tests.conftest import REAL_CONTENT, csrf_from
from tests.web.test_learn import in_locale

ARTICLES, _problems = read_articles(REAL_CONTENT)
RESULT_SECTIONS = {path.stem for path in (REAL_CONTENT / "pages").glob("*.yaml")}

# (language, words typed, the section that must be among the results)
FINDS = [
    ("en", "notarios lawyers", "/learn/choosing-help#notarios"),
    ("en", "fingerprint", "/learn/finding-out#arrest"),  # a prefix, and Porter stems
    ("es", "abogados notarios", "/learn/choosing-help#notarios"),
    ("es", "deportacion acelerada", "/learn/words#expedited_removal"),  # no accent typed
    ("ar", "المحامي", "/learn/choosing-help#notarios"),  # with the article, text has none
    ("ar", "الكفالة", "/learn/someone-held#bond"),
]


def post_search(client: TestClient, lang: str, query: str) -> object:
    token = csrf_from(client.get(f"/learn/search?lang={lang}").text)
    return client.post(f"/learn/search?lang={lang}", data={"csrf": token, "q": query})


def test_every_finding_code_has_an_article() -> None:
    explained = {code for article in ARTICLES.values() for code in article.explains}
    assert sorted(set(RULES) - explained) == []


def test_every_result_section_has_an_article() -> None:
    explained = {name for article in ARTICLES.values() for name in article.explains_sections}
    assert sorted((RESULT_SECTIONS | {"who_can_help"}) - explained) == []


def test_validate_content_names_a_finding_without_an_article(tmp_path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    path = content / "learn" / "citizens.yaml"
    path.write_text(path.read_text().replace("  - denaturalization_risk\n", ""))
    problems = [str(problem) for problem in check_articles(content)]
    assert (
        "app/content/learn: denaturalization_risk: no article `explains` this finding" in problems
    )


@pytest.mark.parametrize(("lang", "query", "href"), FINDS)
def test_search_finds_a_section_in_the_page_s_language(
    real_client: TestClient, lang: str, query: str, href: str
) -> None:
    response = post_search(real_client, lang, query)
    assert response.status_code == 200
    html = response.text
    assert f'href="{href}"' in html, html.split("results-heading", 1)[-1][:2000]
    assert (
        f"<title>{in_locale(lang, 'Library')} · Puente</title>" in html
    )  # never the words searched
    assert "sid" not in response.cookies, "searching must not start a session"


def test_the_words_found_are_marked(real_client: TestClient) -> None:
    html = post_search(real_client, "en", "lawyers").text
    assert "<mark>lawyer" in html


def test_search_results_are_in_the_page_s_language_only(real_client: TestClient) -> None:
    html = post_search(real_client, "es", "abogado").text
    assert "Cómo elegir a alguien que le ayude" in html
    assert "Choosing someone to help you" not in html


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b", "a* OR -b", "'; DROP TABLE x; --", "ä" * 3, "***"]
)
def test_any_input_is_an_answer_never_an_error(real_client: TestClient, query: str) -> None:
    response = post_search(real_client, "en", query)
    assert response.status_code == 200


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_an_empty_or_long_query_is_explained(real_client: TestClient, lang: str) -> None:
    empty = post_search(real_client, lang, "   ")
    assert empty.status_code == 422
    assert in_locale(lang, "Type a word to search for.") in empty.text
    long = post_search(real_client, lang, "a" * (MAX_QUERY + 1))
    assert long.status_code == 422
    assert 'aria-invalid="true"' in long.text


def test_nothing_found_says_so(real_client: TestClient) -> None:
    html = post_search(real_client, "en", "zzzqqq").text
    assert "Nothing found." in html


def test_the_library_page_has_a_search_form_that_works_without_javascript(
    real_client: TestClient,
) -> None:
    html = real_client.get("/learn").text
    assert '<form method="post" action="/learn/search"' in html
    assert 'name="q"' in html and 'name="csrf"' in html


def test_the_index_is_rebuilt_only_when_the_text_changes(real_app) -> None:
    state = real_app.state.puente
    ensure_index(state.db, state.articles)
    assert ensure_index(state.db, state.articles) is False
    fewer = dict(list(state.articles.items())[:2])
    assert ensure_index(state.db, fewer) is True
    assert search(state.db, "en", "notarios") == []  # choosing-help is no longer indexed
    assert ensure_index(state.db, state.articles) is True
    assert search(state.db, "en", "notarios")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_card_has_an_english_side_and_one_in_the_page_s_language(
    real_client: TestClient, lang: str
) -> None:
    with real_client.app.state.puente.db.write() as session:
        seed_directory(session)
    html = real_client.get(f"/learn/card?lang={lang}").text
    assert html.count('class="rights-card"') == 2
    assert '<section class="rights-card" lang="en" dir="ltr"' in html
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<section class="rights-card" lang="{lang}" dir="{direction}"' in html
    assert "I am using my right to remain silent." in html
    assert in_locale(lang, "Your rights") in html
    assert 'href="tel:' in html, "the phone lines are filled from the directory"


def test_an_english_card_has_a_spanish_back_or_the_one_asked_for(real_client: TestClient) -> None:
    html = real_client.get("/learn/card?lang=en").text
    assert '<section class="rights-card" lang="es"' in html
    asked = real_client.get("/learn/card?lang=en&back=ar").text
    assert '<section class="rights-card" lang="ar" dir="rtl"' in asked
    unknown = real_client.get("/learn/card?lang=en&back=xx").text
    assert '<section class="rights-card" lang="es"' in unknown


def test_the_glossary_gives_each_term_an_anchor(real_client: TestClient) -> None:
    html = real_client.get("/learn/words").text
    for anchor in ("a_number", "notice_to_appear", "accredited_representative", "habeas_corpus"):
        assert f'<dt id="{anchor}">' in html


def test_the_result_links_sections_and_the_glossary(real_client: TestClient) -> None:
    from tests.web.test_results import finish_in_chat, scenario

    with real_client.app.state.puente.db.write() as session:
        seed_directory(session)
    page = finish_in_chat(real_client, scenario("self_pending_case_plea_offer"))
    assert '<a href="/learn/words">' in page
    assert '<a href="/q/result/rights">' in page  # the rights are a page of their own
    rights = real_client.get("/q/result/rights").text
    assert '<a href="/learn/card">Read more: A rights card to print</a>' in rights


def _row_counts(client: TestClient) -> dict[str, int]:
    engine = client.app.state.puente.db.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def test_reading_and_searching_write_nothing(real_client: TestClient) -> None:
    # Issue 15: the library keeps nothing about who reads what, in any table.
    before = _row_counts(real_client)
    for path in ("/learn", "/learn/someone-held", "/learn/words?lang=ar", "/learn/search"):
        assert real_client.get(path).status_code == 200
    assert post_search(real_client, "es", "abogado").status_code == 200
    assert _row_counts(real_client) == before
