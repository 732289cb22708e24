"""The three people of DESIGN.md (plans in bench/personas.py) and checks shared by journeys."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from app.i18n import language_tag, text_direction
from bench.personas import PLANS
from bench.respondent import Plan

LANGS = ("en", "es", "ar")
# Issue 14: whole journeys in four of the ten new languages, two scripts without spaces between
# words (Chinese, Khmer) and two Latin ones with many diacritics (Vietnamese, Haitian Creole),
# each with one of the three people so that every person walks in a new language too.
NEW_LANGUAGE_JOURNEYS = (
    ("zh_Hans", "affected"),
    ("vi", "family"),
    ("ht", "outreach"),
    ("km", "affected"),
)
# A partner code as an outreach worker's link or QR code carries it (R5.5: ^[A-Z0-9]{4,12}$).
SHARE_CODE = "TESTORG1"


@dataclass(frozen=True)
class Persona:
    name: str
    plan: Plan
    # The outreach worker hands out a link that may set the language.
    share_link: bool = False

    def entry(self, lang: str) -> str:
        if self.share_link:
            return f"/?p={SHARE_CODE}&lang={lang}"
        return f"/?lang={lang}"


PERSONAS = {
    name: Persona(name, plan, share_link=name == "outreach") for name, plan in PLANS.items()
}


def assert_language(page: Page, lang: str) -> None:
    """The page says which language it is in (its BCP 47 tag: zh-Hans for the zh_Hans catalog),
    and Arabic reads right to left."""
    html = page.locator("html")
    assert html.get_attribute("lang") == language_tag(lang), f"{page.url} is not in {lang}"
    assert html.get_attribute("dir") == text_direction(lang)


def assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow} px"
