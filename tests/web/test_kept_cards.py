"""Referral cards rendered once and kept (Renderer.referral_card): a page built from kept cards
is the page built by rendering every card afresh, in several languages and at several
distances; one kept card serves people at different distances, each shown their own; and a
change to a card's content is a card of its own."""

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

from app import i18n, paths
from app.referrals.cards import ReferralCard
from app.web.templating import CARD, Renderer, make_environment
from tests.referrals.test_referral_web import help_client, post_help  # noqa: F401  # a fixture

MILES = re.compile(r"(?:about \d+ miles? away|less than 1 mile away)")
# Chicago ZIPs at different distances from the sample directory's Illinois offices.
ZIPS = ["60608", "60614", "60007"]


class RenderedAfresh(Renderer):
    """Every card rendered from its template each time, as before cards were kept."""

    def referral_card(self, card: ReferralCard, heading: str) -> Markup:
        html = self.env.get_template(CARD).render(
            card=card, heading=heading, distance=card.distance_text()
        )
        return Markup(html)  # rendered with autoescape


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_pages_of_kept_cards_read_as_pages_rendered_afresh(
    help_client: TestClient,  # noqa: F811
    lang: str,
) -> None:
    state = help_client.app.state.puente  # type: ignore[attr-defined]
    kept = state.renderer
    afresh = RenderedAfresh(
        {code: make_environment(paths.TEMPLATES, code) for code in i18n.LANGUAGES}
    )
    for zip_code in ZIPS * 2:  # the second time round, every card is kept already
        state.renderer = afresh
        expected = post_help(help_client, lang=lang, zip=zip_code, language="en")
        state.renderer = kept
        page = post_help(help_client, lang=lang, zip=zip_code, language="en")
        assert page.status_code == expected.status_code == 200
        assert page.text.count('<li class="card') > 1, zip_code
        assert _without_tokens(page.text) == _without_tokens(expected.text), zip_code
    assert len(kept.cards) > 0


def test_one_kept_card_shows_each_person_their_own_distance(
    help_client: TestClient,  # noqa: F811
) -> None:
    renderer: Renderer = help_client.app.state.puente.renderer  # type: ignore[attr-defined]
    distances = [MILES.findall(post_help(help_client, zip=ZIPS[0], language="en").text)]
    kept_after_first = len(renderer.cards)
    for zip_code in ZIPS[1:]:
        distances.append(MILES.findall(post_help(help_client, zip=zip_code, language="en").text))
    assert len(renderer.cards) == kept_after_first  # the same cards, kept once
    assert len({tuple(found) for found in distances}) == len(ZIPS)  # each their own distances
    assert all(distances)


def test_a_card_changed_in_any_way_but_its_distance_is_a_card_of_its_own(
    help_client: TestClient,  # noqa: F811
) -> None:
    page = post_help(help_client, zip="60608", language="en")
    assert page.status_code == 200
    renderer: Renderer = help_client.app.state.puente.renderer  # type: ignore[attr-defined]
    card = _a_card_with_a_phone(help_client)
    token = i18n.use_locale("en")
    try:
        shown = renderer.referral_card(card, "h3")
        farther = card.model_copy(update={"distance_miles": (card.distance_miles or 0) + 20})
        assert farther.shown_key() == card.shown_key()
        assert renderer.referral_card(farther, "h3") != shown  # the same card, its own distance
        unknown = card.model_copy(update={"distance_miles": None})
        renumbered = card.model_copy(update={"phone": "(312) 555-0199"})
        for other in (unknown, renumbered):
            assert other.shown_key() != card.shown_key()
        assert "555-0199" in renderer.referral_card(renumbered, "h3")
        assert "miles away" not in renderer.referral_card(unknown, "h3")
        assert renderer.referral_card(card, "h4") != shown  # its heading is part of its key
    finally:
        i18n.reset_locale(token)


def _a_card_with_a_phone(client: TestClient) -> ReferralCard:
    from datetime import date

    from app.referrals.matching import ReferralRequest, match_referrals

    state = client.app.state.puente  # type: ignore[attr-defined]
    request = ReferralRequest(zip="60608", today=date.today())
    found = match_referrals(state.directory_now(), request)
    cards = [card for card in found.local if card.phone and card.distance_miles is not None]
    assert cards
    return cards[0]


def _without_tokens(html: str) -> str:
    """The page but its CSRF token, which each request renews."""
    return re.sub(r'name="csrf" value="[^"]*"', "", html)


def test_a_directory_text_that_looks_like_a_mark_is_shown_as_it_is(
    help_client: TestClient,  # noqa: F811
) -> None:
    """Marks are private-use characters around a name; a staff member could paste such
    characters into a service's description. The card still renders, with them as they are."""
    renderer: Renderer = help_client.app.state.puente.renderer  # type: ignore[attr-defined]
    pasted = "Walk-ins \ue000distance\ue000 and \ue000csrf\ue000 welcome"
    card = _a_card_with_a_phone(help_client).model_copy(update={"description": pasted})
    token = i18n.use_locale("en")
    try:
        for _ in range(2):  # rendered, then kept
            shown = renderer.referral_card(card, "h3")
            assert "Walk-ins" in shown and "\ue000csrf\ue000" in shown
            assert MILES.search(shown)  # the real distance, put in where the mark was
    finally:
        i18n.reset_locale(token)
