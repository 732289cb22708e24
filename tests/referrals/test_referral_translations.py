"""Referrals in the person's language (issue 12 item 2, P1, P18): a card speaks the page's
language where the record is translated, says when it falls back to English (and marks that
text lang="en"), carries the organization's name as its heading, never shows how we found the
record; staff edit the translations; they travel through HSDS import and export."""

import json
import re
from collections.abc import Iterator
from datetime import date
from html import escape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.i18n import (
    COMING,
    DEFAULT_LOCALE,
    LANGUAGES,
    RTL_LOCALES,
    language_tag,
    reset_locale,
    use_locale,
)
from app.i18n.bidi import bare_runs
from app.referrals import models as m
from app.referrals.cards import CardText, ReferralCard, says_more
from app.referrals.hsds.exporter import export_hsds
from app.referrals.hsds.importer import import_hsds
from app.referrals.seed import DATA, seed_directory, stable_id
from app.staff.models import AuditEvent
from app.web.public import find_help
from tests.conftest import csrf_from
from tests.staff.helpers import make_user, sign_in, staff_csrf

DRIL = stable_id("service", "ice-dril")
# Every language with a catalog: the shipped ones and those coming (app.i18n.COMING).
SHIPPED = [code for code in {**LANGUAGES, **COMING} if code != DEFAULT_LOCALE]
NATIONAL = json.loads((DATA / "national.json").read_text(encoding="utf-8"))
SAMPLE = json.loads((DATA / "sample_region.json").read_text(encoding="utf-8"))


@pytest.fixture
def help_client(app: FastAPI) -> Iterator[TestClient]:
    if not any(getattr(route, "path", None) == "/help" for route in app.routes):
        app.include_router(find_help.router)
    with app.state.puente.db.write() as session:
        seed_directory(session)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def post_help(client: TestClient, lang: str, **fields: str) -> str:
    page = client.get(f"/help?lang={lang}")
    response = client.post("/help", data={"csrf": csrf_from(page.text), "detained": "no", **fields})
    assert response.status_code == 200
    return response.text


def card_of(html: str, text: str) -> str:
    """The card (from its <li class="card"> to the next card or the end) holding `text`."""
    for card in html.split('<li class="card')[1:]:
        if escape(text) in card:
            return card.split("</ul>\n</section>")[0]
    raise AssertionError(f"no card with {text!r}")


def _translation(key: str, locale: str) -> dict[str, str]:
    service = next(s for s in NATIONAL["services"] if s["key"] == key)
    return service["translations"][locale]


# ---- the national resources and the sample region ship translated


@pytest.mark.parametrize("data", [NATIONAL, SAMPLE], ids=["national", "sample_region"])
def test_every_seeded_service_is_translated_into_every_shipped_locale(data):
    for service in data["services"]:
        translations = service.get("translations", {})
        assert sorted(translations) == sorted(SHIPPED), service["key"]
        for locale, fields in translations.items():
            assert fields.get("name") and fields.get("description"), (service["key"], locale)
            for field in ("hours", "language_note"):
                assert bool(fields.get(field)) == bool(service.get(field)), (service["key"], field)
            for value in fields.values():
                assert value != service.get("description") and value != service["name"]
                assert "http" not in value  # web addresses stay on the record, untranslated


@pytest.mark.parametrize("data", [NATIONAL, SAMPLE], ids=["national", "sample_region"])
def test_latin_runs_in_right_to_left_translations_are_isolated(data):
    """As the catalogs' lint asks (app/i18n/bidi.py): "(A-number)" or "(ZIP)" in an Arabic
    description is drawn in its own direction, its parentheses beside it (P20)."""
    bare = [
        (service["key"], locale, field, bare_runs(value))
        for service in data["services"]
        for locale, fields in service.get("translations", {}).items()
        if locale in RTL_LOCALES
        for field, value in fields.items()
        if bare_runs(value)
    ]
    assert not bare, bare


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_card_shows_the_translated_fields(help_client, lang):
    html = post_help(help_client, lang, state="tx", detained="yes")
    dril = _translation("ice-dril", lang)
    card = card_of(html, dril["description"])
    for field in ("name", "description", "hours", "language_note"):
        assert dril[field] in card
    # Translated text is in the page's language: no lang="en" on it, no "In English" note.
    assert 'lang="en">' + dril["description"] not in card
    assert "Detention Reporting and Information Line" not in card
    assert "Eastern time" not in card
    # The organization's name is the heading (a proper name, marked as English).
    assert re.search(r'<h4 lang="en">U\.S\. Immigration and Customs Enforcement \(ICE\)</h4>', card)
    assert 'class="badge">' + ("En inglés" if lang == "es" else "بالإنجليزية") not in card


def test_english_page_has_no_lang_marks_and_the_organization_heads_the_card(help_client):
    html = post_help(help_client, "en", state="tx", detained="yes")
    card = card_of(html, "Monday to Friday, 8 a.m. to 8 p.m. Eastern time")
    assert "<h4>U.S. Immigration and Customs Enforcement (ICE)</h4>" in card
    assert "<strong>Detention Reporting and Information Line</strong>" in card
    assert 'lang="en"' not in card and "In English" not in card


def test_sample_services_say_they_are_samples_in_every_language():
    """The English names end "(sample)"; each translation ends with its language's word for it,
    the same word on all five (the bracket is what tells a reader the record is fictional)."""
    for locale in SHIPPED:
        marks = set()
        for service in SAMPLE["services"]:
            assert service["name"].endswith(" (sample)")
            name = service["translations"][locale]["name"]
            mark = re.search(r"[(（]([^()（）]+)[)）]$", name)
            assert mark, (service["key"], locale, name)
            marks.add(mark.group(1))
        assert len(marks) == 1 and marks != {"sample"}, (locale, marks)


@pytest.mark.parametrize("lang", ["km", "zh_Hans"])
def test_a_sample_card_speaks_the_page_language(help_client, lang):
    html = post_help(help_client, lang, zip="60608")
    sample = SAMPLE["services"][0]
    translated = sample["translations"][lang]
    card = card_of(html, translated["description"])
    assert escape(translated["name"]) in card
    assert sample["description"] not in card and sample["name"] not in card
    assert 'class="badge">' + {"km": "ជាភាសាអង់គ្លេស", "zh_Hans": "英语服务"}[lang] not in card


def _drop_translation(app: FastAPI, key: str, locale: str) -> None:
    """Takes one locale's text off a seeded service, through the ORM (so the directory's
    revision moves and the page reloads it)."""
    with app.state.puente.db.write() as session:
        row = session.exec(
            select(m.ServiceTranslation).where(
                m.ServiceTranslation.service_id == stable_id("service", key),
                m.ServiceTranslation.locale == locale,
            )
        ).one()
        session.delete(row)


@pytest.mark.parametrize(("lang", "note"), [("es", "En inglés"), ("ar", "بالإنجليزية")])
def test_an_untranslated_card_shows_the_english_marked_and_says_so(help_client, app, lang, note):
    sample = SAMPLE["services"][0]
    _drop_translation(app, sample["key"], lang)  # every seeded service ships translated
    html = post_help(help_client, lang, zip="60608")
    card = card_of(html, sample["description"])
    assert f'<p lang="en">{sample["description"]}</p>' in card
    assert f'<p class="badge">{note}</p>' in card


def test_a_partly_translated_card_marks_each_english_field():
    card = ReferralCard.model_construct(
        name="Bond help",
        organization_name="Example Legal Aid",
        description="Helps with bond hearings.",
        hours="Mondays",
        language_note=None,
        translations={"es": CardText(name="Ayuda con fianzas")},
        name_says_more=True,
    )
    token = use_locale("es")
    try:
        text = card.text()
    finally:
        reset_locale(token)
    assert text.name == ("Ayuda con fianzas", None)
    assert text.description == ("Helps with bond hearings.", "en")
    assert text.hours == ("Mondays", "en")
    assert text.language_note is None
    assert text.in_english == "some" and text.organization_lang == "en"


def test_the_service_name_is_left_out_when_it_only_repeats_the_organization(help_client):
    html = post_help(help_client, "en", state="tx")
    # EOIR's list is named for itself; CLINIC's "Affiliate directory" says more.
    card = card_of(html, "Find a nonprofit CLINIC affiliate")
    assert "<h4>Catholic Legal Immigration Network (CLINIC)</h4>" in card
    assert "<strong>Affiliate directory</strong>" in card


# ---- provenance stays with staff


def _provenance_strings() -> set[str]:
    found: set[str] = set()
    for service in NATIONAL["services"]:
        records = [service["provenance"], *(p["provenance"] for p in service.get("phones", []))]
        for provenance in records:
            for key in ("source_name", "source_edition", "verification_note", "verified_by"):
                if provenance.get(key):
                    found.add(provenance[key])
    return found | {"Puente sample data (fictional)", "Fictional demonstration record."}


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_public_pages_never_show_provenance(help_client, lang):
    pages = [
        post_help(help_client, lang, state="tx", detained="yes"),
        post_help(help_client, lang, zip="60608"),
        post_help(help_client, lang, zip="61820"),
    ]
    for html in pages:
        for text in _provenance_strings():
            assert text not in html, text
        for word in ("third-party", "archived", "Source:", "Fuente:", "المصدر:"):
            assert word not in html


def test_staff_pages_keep_provenance(help_client, app):
    make_user(app)
    sign_in(help_client, app, next_key="directory")
    page = help_client.get(f"/staff/directory/{stable_id('service', 'clinic-directory')}").text
    assert "CLINIC directory (seen in third-party code)" in page


# ---- staff edit the translations


def _sign_in_staff(client: TestClient, app) -> str:
    make_user(app)
    assert sign_in(client, app, next_key="directory").status_code == 303
    return staff_csrf(client, "/staff/directory")


def test_staff_edit_shows_on_the_public_card_at_once(help_client, app):
    before = post_help(
        help_client, "ar", state="tx", detained="yes"
    )  # this process now holds the directory
    assert "خط مساعدة تجريبي" not in before
    token = _sign_in_staff(help_client, app)
    path = f"/staff/directory/{DRIL}"
    form = help_client.get(path).text
    assert 'id="ar-description"' in form and 'dir="rtl"' in form
    assert _translation("ice-dril", "ar")["hours"] in form  # what is saved is shown
    saved = help_client.post(
        f"{path}/translations/ar",
        data={
            "csrf": token,
            "ar-name": "خط مساعدة تجريبي",
            "ar-description": "وصف جديد بالعربية.",
            "ar-hours": "",
            "ar-language_note": "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == path
    card = card_of(post_help(help_client, "ar", state="tx", detained="yes"), "وصف جديد بالعربية.")
    assert "<strong>خط مساعدة تجريبي</strong>" in card
    # The hours were emptied: the English stands in, marked, and the card says so.
    assert '<li lang="en">Monday to Friday, 8 a.m. to 8 p.m. Eastern time</li>' in card
    assert '<p class="badge">جزء منه بالإنجليزية</p>' in card
    # Spanish is untouched.
    assert _translation("ice-dril", "es")["description"] in post_help(
        help_client, "es", state="tx", detained="yes"
    )
    with app.state.puente.db.read() as session:
        events = [e.event for e in session.exec(select(AuditEvent))]
    assert "directory_translated" in events


def test_emptying_every_field_removes_the_translation(help_client, app):
    token = _sign_in_staff(help_client, app)
    data = {f"es-{f}": "" for f in ("name", "description", "hours", "language_note")}
    response = help_client.post(
        f"/staff/directory/{DRIL}/translations/es",
        data={"csrf": token, **data},
        follow_redirects=False,
    )
    assert response.status_code == 303
    card = card_of(post_help(help_client, "es", state="tx", detained="yes"), "Eastern time")
    assert '<p class="badge">En inglés</p>' in card
    with app.state.puente.db.read() as session:
        rows = session.exec(
            select(m.ServiceTranslation).where(m.ServiceTranslation.service_id == DRIL)
        ).all()
    assert sorted(row.locale for row in rows) == sorted(set(SHIPPED) - {"es"})


def test_translation_errors_name_the_field_and_the_language(help_client, app):
    token = _sign_in_staff(help_client, app)
    response = help_client.post(
        f"/staff/directory/{DRIL}/translations/es",
        data={"csrf": token, "es-name": "x" * 301},
    )
    assert response.status_code == 422
    assert 'href="#es-name"' in response.text
    assert "Service (Español): at most 300 characters." in response.text


def test_translation_forms_need_a_token_and_a_shipped_locale(help_client, app):
    token = _sign_in_staff(help_client, app)
    path = f"/staff/directory/{DRIL}/translations"
    assert help_client.post(f"{path}/es", data={"es-name": "Hola"}).status_code == 403
    assert help_client.post(f"{path}/en", data={"csrf": token}).status_code == 404
    assert help_client.post(f"{path}/de", data={"csrf": token}).status_code == 404  # not shipped


# ---- HSDS: translations travel as puente_service_translations


def test_translations_round_trip_through_hsds_json_and_tabular(seeded: Session, tmp_path):
    export_hsds(tmp_path / "d.json", "json", db=seeded)
    document = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    dril = next(s for s in document["contents"] if s["id"] == DRIL)
    assert dril["puente_hours"] == "Monday to Friday, 8 a.m. to 8 p.m. Eastern time"
    assert {t["locale"]: t["hours"] for t in dril["puente_service_translations"]} == {
        language_tag(locale): _translation("ice-dril", locale)["hours"] for locale in SHIPPED
    }
    export_hsds(tmp_path / "pkg", "tabular", db=seeded)
    assert (tmp_path / "pkg" / "puente_service_translations.csv").exists()

    def stored(session: Session) -> set[tuple[str, str, str | None, str | None]]:
        rows = session.exec(select(m.ServiceTranslation)).all()
        return {(r.service_id, r.locale, r.name, r.hours) for r in rows}

    expected = stored(seeded)
    seeded_services = len(NATIONAL["services"]) + len(SAMPLE["services"])
    assert len(expected) == seeded_services * len(SHIPPED)
    for source in (tmp_path / "d.json", tmp_path / "pkg"):
        for row in seeded.exec(select(m.ServiceTranslation)).all():
            seeded.delete(row)
        seeded.commit()
        assert stored(seeded) == set()
        report = import_hsds(source, db=seeded)
        assert report.ok, report.summary()
        assert stored(seeded) == expected


def test_import_refuses_two_translations_into_one_locale(seeded: Session, tmp_path):
    export_hsds(tmp_path / "d.json", "json", db=seeded)
    document = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    dril = next(s for s in document["contents"] if s["id"] == DRIL)
    twin = dict(dril["puente_service_translations"][0], id=stable_id("x", "twin"))
    dril["puente_service_translations"].append(twin)
    (tmp_path / "d.json").write_text(json.dumps(document), encoding="utf-8")
    report = import_hsds(tmp_path / "d.json", db=seeded)
    assert not report.ok
    assert any("second translation" in str(problem) for problem in report.problems)


def test_seed_adds_a_missing_locale_and_keeps_staff_wording(db: Session):
    seed_directory(db, today=date(2026, 12, 1))
    staff_row = db.exec(
        select(m.ServiceTranslation).where(
            m.ServiceTranslation.service_id == DRIL, m.ServiceTranslation.locale == "es"
        )
    ).one()
    staff_row.description = "Redacción del personal."
    removed = db.exec(
        select(m.ServiceTranslation).where(
            m.ServiceTranslation.service_id == DRIL, m.ServiceTranslation.locale == "ar"
        )
    ).one()
    db.delete(removed)
    db.commit()
    seed_directory(db, today=date(2026, 12, 1))
    rows = {
        r.locale: r
        for r in db.exec(
            select(m.ServiceTranslation).where(m.ServiceTranslation.service_id == DRIL)
        ).all()
    }
    assert rows["es"].description == "Redacción del personal."
    assert rows["ar"].description == _translation("ice-dril", "ar")["description"]


def test_a_name_that_repeats_the_organization_says_nothing_more():
    assert not says_more("Sample Clinic", "Sample Clinic (demonstration)")
    assert not says_more("  ", "Anything")
    assert says_more("Affiliate directory", "Catholic Legal Immigration Network (CLINIC)")
