"""Each catalog's review status per string family (locales/families.toml, locales/<code>/
review.toml), the note on pages whose legal text no legal professional has checked, and the
coverage table of `puente i18n status`, which the README copies."""

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app import i18n, paths
from app.checks.content import check_review_files
from app.cli import main
from app.config import ROOT
from app.i18n import DEFAULT_LOCALE, LANGUAGES
from app.i18n.review import (
    Level,
    ReviewFileError,
    family_of,
    legal_text_checked,
    load_families,
    load_review,
)
from app.i18n.status import coverage, readme_table, status_table
from app.main import create_app
from tests.conftest import make_settings
from tests.security.test_links import ORIGIN, PAYLOADS, browser_resolve, links_of

FAMILIES = load_families(paths.LOCALES)
NOTE = {
    "es": "Un abogado todavía no ha revisado esta traducción.",
    "ar": "لم يراجع محامٍ هذه الترجمة بعد.",
}
CHECKED = 'status = "legal-professional"\nby = "immigration attorney"\ndate = 2026-12-01\n'


@pytest.mark.parametrize(
    ("locations", "family"),
    [
        (["app/content/findings.yaml"], "legal"),
        (["app/content/flow/02-status.yaml"], "questions"),
        (["app/content/learn/card.yaml"], "library"),
        (["templates/find_help.html"], "referrals"),
        (["templates/staff/review.html"], "staff"),
        (["templates/start.html"], "interface"),
        (["somewhere/new.py"], "interface"),
        # A string shared by a staff page and a public page is reviewed as the public one.
        (["templates/staff/review.html", "templates/base.html"], "interface"),
        (["templates/learn/article.html", "templates/macros/finding_card.html"], "legal"),
    ],
)
def test_a_message_belongs_to_the_most_demanding_family_of_its_files(
    locations: list[str], family: str
) -> None:
    assert family_of(locations, FAMILIES) == family


def test_every_shipped_language_has_a_readable_status_for_every_family() -> None:
    for code in LANGUAGES:
        if code != DEFAULT_LOCALE:
            review = load_review(paths.LOCALES, code, FAMILIES)
            assert set(review) == {family.key for family in FAMILIES}


def _locales_copy(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(paths.LOCALES, target)
    return target


def test_a_language_without_a_review_file_is_machine_assisted(tmp_path: Path) -> None:
    locales = _locales_copy(tmp_path)
    (locales / "es" / "review.toml").unlink()
    review = load_review(locales, "es", FAMILIES)
    assert {entry.level for entry in review.values()} == {Level.MACHINE}
    assert not legal_text_checked(review, FAMILIES)


@pytest.mark.parametrize(
    "text",
    [
        '[legal]\nstatus = "checked"\n',
        '[legal]\nstatus = "legal-professional"\n',  # who and when are missing
        '[legal]\nstatus = "fluent-speaker"\nby = "interpreter"\n',
        '[lega]\nstatus = "machine-assisted"\n',
        "[legal\n",
    ],
)
def test_a_review_file_that_claims_too_little_evidence_is_refused(
    tmp_path: Path, text: str
) -> None:
    locales = _locales_copy(tmp_path)
    (locales / "es" / "review.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ReviewFileError):
        load_review(locales, "es", FAMILIES)
    assert check_review_files(locales), "validate-content lets it pass"
    assert not check_review_files(paths.LOCALES)


def test_only_the_legal_families_decide_whether_legal_text_is_checked(tmp_path: Path) -> None:
    locales = _locales_copy(tmp_path)
    legal = [family.key for family in FAMILIES if family.legal]
    assert {"legal", "questions", "library"} <= set(legal)
    text = "".join(f"[{key}]\n{CHECKED}\n" for key in legal)
    (locales / "es" / "review.toml").write_text(text, encoding="utf-8")
    review = load_review(locales, "es", FAMILIES)
    assert legal_text_checked(review, FAMILIES)
    assert review["interface"].level == Level.MACHINE
    fluent = text.replace('"legal-professional"', '"fluent-speaker"', 1)
    (locales / "es" / "review.toml").write_text(fluent, encoding="utf-8")
    assert not legal_text_checked(load_review(locales, "es", FAMILIES), FAMILIES)


@pytest.mark.parametrize("code", ["es", "ar"])
def test_a_page_in_an_unchecked_language_says_so_and_links_to_english(
    client: TestClient, code: str
) -> None:
    page = client.get(f"/privacy?lang={code}")
    assert page.status_code == 200
    assert NOTE[code] in page.text
    assert 'href="/privacy?lang=en" hreflang="en"' in page.text
    english = client.get("/privacy?lang=en")
    assert "this translation" not in english.text and NOTE[code] not in english.text


def test_a_language_whose_legal_text_is_checked_shows_no_note(
    clean_db: str, tmp_path: Path
) -> None:
    locales = _locales_copy(tmp_path)
    text = "".join(f"[{f.key}]\n{CHECKED}\n" for f in FAMILIES if f.legal)
    (locales / "es" / "review.toml").write_text(text, encoding="utf-8")
    settings = make_settings(clean_db).model_copy(update={"locales_dir": locales})
    app = create_app(settings)
    try:
        with TestClient(app, base_url="http://testserver") as client:
            spanish = client.get("/privacy?lang=es").text
            arabic = client.get("/privacy?lang=ar").text
    finally:
        app.state.puente.db.dispose()
        i18n.load_catalogs(paths.LOCALES)  # the shipped status back, for the tests after

    assert "Política" in spanish or "guardamos" in spanish  # still Spanish
    assert NOTE["es"] not in spanish
    assert NOTE["ar"] in arabic


def _catalog(*entries: tuple[str, str, bool]) -> Catalog:
    catalog = Catalog(locale="es")
    for msgid, msgstr, fuzzy in entries:
        catalog.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    return catalog


def test_coverage_counts_fuzzy_empty_and_missing_and_never_rounds_up() -> None:
    template = _catalog(*((f"m{i}", "", False) for i in range(1000)))
    po = _catalog(
        *((f"m{i}", "t", False) for i in range(997)), ("m997", "t", True), ("m998", "", False)
    )
    counts = coverage("es", template, po)
    assert (counts.total, counts.translated, counts.fuzzy, counts.empty) == (1000, 997, 1, 2)
    assert counts.percent == "99.7%"
    nearly = coverage("es", template, _catalog(*((f"m{i}", "t", False) for i in range(999))))
    assert nearly.percent == "99.9%"


def test_the_readme_table_is_the_status_command_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["i18n", "status"]) == 0
    printed = capsys.readouterr().out
    assert printed == status_table(paths.LOCALES)
    for code in LANGUAGES:
        if code != DEFAULT_LOCALE:
            assert f"(`{code}`)" in printed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table(readme) == printed, (
        "README's i18n table is stale: run python -m app.cli i18n status --write-readme"
    )


@pytest.mark.parametrize("path", PAYLOADS)
def test_the_link_to_english_stays_on_our_origin(client: TestClient, path: str) -> None:
    # The same path the language links use (F7): a hostile path never becomes another host.
    response = client.get(f"http://testserver{path}", headers={"Cookie": "lang=es"})
    note = response.text[response.text.index(NOTE["es"]) :]
    english = links_of(note[: note.index("</p>")])[0]
    resolved = urlsplit(browser_resolve(f"{ORIGIN}{path}", english))
    assert (resolved.scheme, resolved.netloc) == ("https", "puente.example"), (path, english)


def test_a_new_language_needs_only_its_code_to_show_in_the_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before its catalog exists: no catalog, machine-assisted everywhere, no file to write.
    import app.i18n.status as status

    monkeypatch.setattr(status, "LANGUAGES", {**LANGUAGES, "de": "Deutsch"})
    row = next(line for line in status_table(paths.LOCALES).splitlines() if "(`de`)" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    with (paths.LOCALES / "messages.pot").open("rb") as handle:
        total = sum(1 for message in read_po(handle) if message.id)
    assert cells[1:5] == ["no catalog", "0%", "0", str(total)]
    assert set(cells[5:]) == {"machine-assisted"}
