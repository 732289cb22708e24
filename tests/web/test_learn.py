"""The library (issue 15): every article in every shipped language, within the page budget,
with its sources and the draft notice; a neutral title; an unknown slug is the translated
not-found page; validate-content names the file and slug of a broken article."""

import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from markupsafe import escape

from app.checks.content import check_content
from app.flow.articles import read_articles
from app.flow.yaml_loader import load_yaml
from app.i18n import gettext, reset_locale, use_locale
from app.referrals.seed import seed_directory
from bench.weights import PAGE_BUDGET, STYLESHEET, gzip_size
from tests.conftest import REAL_CONTENT
from tests.web.test_results import finish_in_chat, scenario

ARTICLES, _problems = read_articles(REAL_CONTENT)
LANGS = ("en", "es", "ar")
LOCALES = REAL_CONTENT.parent.parent / "locales"


def in_locale(lang: str, english: str) -> str:
    token = use_locale(lang)
    try:
        return gettext(english)
    finally:
        reset_locale(token)


def test_the_issue_s_articles_are_there() -> None:
    assert _problems == []
    assert len(ARTICLES) >= 7


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(ARTICLES))
def test_every_article_renders_with_sources_notice_and_help(
    real_client: TestClient, slug: str, lang: str
) -> None:
    article = ARTICLES[slug]
    response = real_client.get(f"/learn/{slug}?lang={lang}")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}"' in html
    for source in article.sources:
        assert str(escape(source)) in html, source
    notice = in_locale(lang, "Draft: a lawyer has not yet reviewed this text.")
    assert (notice in html) is article.draft
    assert 'href="/help"' in html and 'href="/q/start"' in html
    # The tab shows only "Library", never what the article is about (DESIGN.md Privacy).
    assert f"<title>{in_locale(lang, 'Library')} · Puente</title>" in html
    assert "{" not in html.split("<main", 1)[1], "a placeholder was left unfilled"
    css = sum(gzip_size(real_client.get(path).content) for path in STYLESHEET.findall(html))
    assert gzip_size(response.content) + css <= PAGE_BUDGET


@pytest.mark.parametrize("lang", LANGS)
def test_the_library_lists_every_article(real_client: TestClient, lang: str) -> None:
    response = real_client.get(f"/learn?lang={lang}")
    assert response.status_code == 200
    for slug in ARTICLES:
        assert f'href="/learn/{slug}"' in response.text
    assert "sid" not in response.cookies, "reading the library must not start a session"


def test_the_start_page_and_footer_link_to_the_library(real_client: TestClient) -> None:
    html = real_client.get("/").text
    assert html.count('href="/learn"') == 2  # the start page's line and the footer


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_article_is_the_translated_not_found_page(
    real_client: TestClient, lang: str
) -> None:
    response = real_client.get(f"/learn/no-such-article?lang={lang}")
    assert response.status_code == 404
    assert in_locale(lang, "This page does not exist.") in response.text


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "app" / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


def rewrite(path: Path, change) -> None:
    data = load_yaml(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_validate_content_names_an_article_without_sources(content_copy: Path) -> None:
    rewrite(content_copy / "learn" / "court-steps.yaml", lambda data: data.pop("sources"))
    problems = [str(p) for p in check_content(content_copy, LOCALES)]
    assert "app/content/learn/court-steps.yaml: court-steps: `sources` is missing" in problems


def test_validate_content_names_an_unknown_key(content_copy: Path) -> None:
    def typo(data: dict) -> None:
        data["sections"][0]["paragrahps"] = ["A typo."]

    rewrite(content_copy / "learn" / "finding-out.yaml", typo)
    problems = [str(p) for p in check_content(content_copy, LOCALES)]
    expected = (
        "app/content/learn/finding-out.yaml: finding-out: "
        "`sections.0.paragrahps` is not a known key (a typo?)"
    )
    assert expected in problems


def test_validate_content_names_a_slug_that_is_not_the_file_name(content_copy: Path) -> None:
    rewrite(content_copy / "learn" / "family-plan.yaml", lambda data: data.update(slug="other"))
    problems = [str(p) for p in check_content(content_copy, LOCALES)]
    assert any(
        p.startswith("app/content/learn/family-plan.yaml: family-plan: `slug`") for p in problems
    )


def test_validate_content_wants_article_translations(content_copy: Path) -> None:
    def change(data: dict) -> None:
        data["title"] = "A title nobody has translated"

    rewrite(content_copy / "learn" / "choosing-help.yaml", change)
    problems = [str(p) for p in check_content(content_copy, LOCALES)]
    assert any("choosing-help" in p and "es: translation" in p for p in problems), problems


def test_a_finding_s_card_links_to_the_article_that_explains_it(real_client: TestClient) -> None:
    with real_client.app.state.puente.db.write() as session:
        seed_directory(session)
    page = finish_in_chat(real_client, scenario("self_pending_case_plea_offer"))
    assert "pending_charges_consult_before_plea" in ARTICLES["choosing-help"].explains
    assert 'id="finding-pending_charges_consult_before_plea"' in page
    assert '<a href="/learn/choosing-help">Read more: Choosing someone to help you</a>' in page


def test_validate_content_names_an_explained_code_that_is_not_a_finding(
    content_copy: Path,
) -> None:
    rewrite(content_copy / "learn" / "family-plan.yaml", lambda d: d.update(explains=["no_such"]))
    problems = [str(p) for p in check_content(content_copy, LOCALES)]
    expected = (
        "app/content/learn/family-plan.yaml: family-plan: `explains: no_such` is not a finding code"
    )
    assert expected in problems
