"""Matching: every hard filter, every ranking rule, the limits and the national fallback."""

from datetime import timedelta

import pytest
from pydantic import ValidationError
from referral_helpers import FACILITY_ID, TODAY

from app.places.location import ZipError
from app.referrals.matching import ReferralRequest, match_referrals
from app.referrals.snapshot import load_directory

CHICAGO_ZIP = "60608"  # Cook County, IL (41.85, -87.67)
CHAMPAIGN_ZIP = "61820"  # Champaign County, IL


def ask(db, **kwargs):
    kwargs.setdefault("today", TODAY)
    if "needs" in kwargs:
        kwargs["needs"] = frozenset(kwargs["needs"])
    return match_referrals(load_directory(db), ReferralRequest(**kwargs))


def names(cards):
    return [card.name for card in cards]


# ---- hard filters


def test_empty_directory_gives_empty_lists(directory):
    result = ask(directory.db, zip=CHICAGO_ZIP)
    assert result.local == [] and result.national == []
    assert result.state == "il"


def test_only_active_services(directory):
    directory.service("Open")
    directory.service("Closed", status="inactive")
    directory.service("Paused", status="temporarily closed")
    assert names(ask(directory.db, state="il").local) == ["Open"]


def test_past_review_date_is_hidden(directory):
    directory.service("Fresh", review_in_days=1)
    directory.service("Due today", review_in_days=0)
    directory.service("Overdue", review_in_days=-1)
    directory.service("Never reviewed", review_in_days=None)
    assert set(names(ask(directory.db, state="il").local)) == {"Fresh", "Due today"}


def test_need_must_match(directory):
    directory.service("Post-conviction only", terms=("puente:post_conviction_relief",))
    directory.service("Removal", terms=("puente:removal_defense",))
    result = ask(directory.db, state="il", needs={"hearing_soon"})
    assert names(result.local) == ["Removal"]


def test_need_matches_through_a_list_parent(directory):
    # A service tagged only with the LIST parent (as imported data might be) still matches.
    directory.service("LIST-tagged", terms=("IM-01-00-00-00",))
    assert names(ask(directory.db, state="il", needs={"crim_imm"}).local) == ["LIST-tagged"]


def test_untagged_service_never_matches(directory):
    directory.service("No terms", terms=())
    assert ask(directory.db, state="il").local == []


def test_detained_people_see_only_services_for_detained_people(directory):
    directory.service("Walk-in only")
    directory.service("Detained too", serves_detained=True)
    directory.service("Detained only", serves_detained=True, detained_only=True)
    detained = ask(directory.db, state="il", detained=True, needs={"detained"})
    assert set(names(detained.local)) == {"Detained too", "Detained only"}
    free = ask(directory.db, state="il")
    assert set(names(free.local)) == {"Walk-in only", "Detained too"}


@pytest.mark.parametrize(
    ("area", "request_kwargs", "matches"),
    [
        ({"state": "il"}, {"state": "il"}, True),
        ({"state": "il"}, {"state": "wi"}, False),
        ({"state": "il"}, {"zip": CHICAGO_ZIP}, True),
        ({"county": "Cook County"}, {"zip": CHICAGO_ZIP}, True),
        ({"county": "Cook County"}, {"zip": CHAMPAIGN_ZIP}, False),
        ({"county": "Cook County"}, {"state": "il"}, False),  # county unknown without a ZIP
        ({"zip": CHICAGO_ZIP}, {"zip": CHICAGO_ZIP}, True),
        ({"zip": CHICAGO_ZIP}, {"zip": "60601"}, False),
        ({"radius": (41.88, -87.63, 10)}, {"zip": CHICAGO_ZIP}, True),
        ({"radius": (40.11, -88.24, 10)}, {"zip": CHICAGO_ZIP}, False),
        ({"radius": (41.88, -87.63, 10)}, {"state": "il"}, False),  # no coordinates
        ({"state": None}, {"state": "il"}, False),  # no area at all
    ],
)
def test_area_filter(directory, area, request_kwargs, matches):
    directory.service("Here", **area)
    assert bool(ask(directory.db, **request_kwargs).local) is matches


def test_radius_without_centre_uses_the_office(directory):
    directory.service("Near office", state=None, office=(41.85, -87.67), radius=(None, None, 5))
    directory.service("Far office", state=None, office=(40.11, -88.24), radius=(None, None, 5))
    directory.service("No office", state=None, radius=(None, None, 500))
    assert names(ask(directory.db, zip=CHICAGO_ZIP).local) == ["Near office"]


def test_facility_and_its_court_bring_their_services(directory):
    directory.service(
        "Visits the facility", state=None, serves_detained=True, facilities=(FACILITY_ID,)
    )
    directory.service("Takes the court", state=None, serves_detained=True, courts=("TST",))
    directory.service("Other state", state="wi", serves_detained=True)
    result = ask(directory.db, facility_id=FACILITY_ID, detained=True, needs={"detained"})
    assert set(names(result.local)) == {"Visits the facility", "Takes the court"}
    assert result.state == "il"  # from the facility


def test_unknown_facility_is_ignored(directory):
    directory.service("Statewide")
    result = ask(directory.db, facility_id="no-such-facility", state="il")
    assert names(result.local) == ["Statewide"]


# ---- ranking


def test_curated_first(directory):
    directory.service("Plain", verified_days_ago=1)
    directory.service("Best bet", curated=True, verified_days_ago=300)
    assert names(ask(directory.db, state="il").local) == ["Best bet", "Plain"]


def test_exact_need_before_broader(directory):
    directory.service("General removal", terms=("puente:removal_defense",), verified_days_ago=1)
    directory.service("Crim-imm", terms=("puente:crim_imm_advice",), verified_days_ago=200)
    result = ask(directory.db, state="il", needs={"crim_imm"})
    assert names(result.local) == ["Crim-imm", "General removal"]
    assert [c.exact_need_match for c in result.local] == [True, False]


def test_crim_imm_expertise_flag_counts_as_exact(directory):
    directory.service("Generalist", verified_days_ago=1)
    directory.service("Expert", crim_imm_expertise=True, verified_days_ago=100)
    assert names(ask(directory.db, state="il", needs={"crim_imm"}).local)[0] == "Expert"


def test_language_before_interpretation_before_none(directory):
    directory.service("English only", languages=("en",), verified_days_ago=1)
    directory.service(
        "Interpreters", languages=("en",), interpretation="By phone", verified_days_ago=2
    )
    directory.service("Spanish speakers", languages=("en", "es"), verified_days_ago=3)
    result = ask(directory.db, state="il", language="es")
    assert names(result.local) == ["Spanish speakers", "Interpreters", "English only"]


def test_distance_orders_in_person_services_only(directory):
    directory.service("Far office", office=(41.99, -87.66), verified_days_ago=1)
    directory.service("Near office", office=(41.852, -87.67), verified_days_ago=100)
    directory.service("Phone only", verified_days_ago=200)
    result = ask(directory.db, zip=CHICAGO_ZIP)
    assert names(result.local) == ["Phone only", "Near office", "Far office"]
    by_name = {c.name: c for c in result.local}
    assert by_name["Phone only"].distance_miles is None
    assert by_name["Near office"].distance_miles < 1 < by_name["Far office"].distance_miles
    assert by_name["Near office"].in_person and not by_name["Phone only"].in_person


def test_a_card_is_built_once_a_day_and_placed_for_each_person(directory):
    """Everyone asking on one day shares a service's card (Directory.card); the distance and
    the match are each person's own and never land on the shared card. A new day builds the
    card again: a number checked a year ago today gets no call button tomorrow."""
    directory.service("Office", office=(41.852, -87.67), phone_verified_days_ago=365)
    copy = load_directory(directory.db)
    near = match_referrals(copy, ReferralRequest(today=TODAY, zip=CHICAGO_ZIP)).local[0]
    far = match_referrals(copy, ReferralRequest(today=TODAY, zip=CHAMPAIGN_ZIP)).local[0]
    assert near.distance_miles < 1 < far.distance_miles
    (service,) = copy.services
    shared = copy.card(service, TODAY)
    assert copy.card(service, TODAY) is shared
    assert shared.distance_miles is None and shared.phone == near.phone == "312-555-0199"
    tomorrow = TODAY + timedelta(days=1)
    later = match_referrals(copy, ReferralRequest(today=tomorrow, zip=CHICAGO_ZIP)).local[0]
    assert later.phone is None and later.has_unverified_phone
    assert later.distance_miles == near.distance_miles


def test_no_distance_without_a_zip(directory):
    directory.service("Office", office=(41.85, -87.67))
    assert ask(directory.db, state="il").local[0].distance_miles is None


def test_fresher_verification_first(directory):
    directory.service("Old check", verified_days_ago=300)
    directory.service("New check", verified_days_ago=5)
    directory.service("Never checked", verified_days_ago=None)
    assert names(ask(directory.db, state="il").local) == ["New check", "Old check", "Never checked"]


def test_ranking_is_stable_for_ties(directory):
    for name in ("Charlie", "alpha", "Bravo"):
        directory.service(name)
    assert names(ask(directory.db, state="il").local) == ["alpha", "Bravo", "Charlie"]


# ---- limits and national fallbacks


def test_at_most_five_local(directory):
    for i in range(7):
        directory.service(f"Local {i}")
    assert len(ask(directory.db, state="il").local) == 5


def test_national_fallback_when_fewer_than_three_local(directory):
    directory.service("Nationwide", national=True, state=None)
    directory.service("Local A")
    directory.service("Local B")
    result = ask(directory.db, state="il")
    assert names(result.local) == ["Local A", "Local B"]
    assert names(result.national) == ["Nationwide"]
    assert result.national[0].is_national and not result.local[0].is_national


def test_no_national_fallback_with_three_local(directory):
    directory.service("Nationwide", national=True, state=None)
    for name in ("A", "B", "C"):
        directory.service(name)
    result = ask(directory.db, state="il")
    assert len(result.local) == 3 and result.national == []


def test_national_only_without_location(directory):
    directory.service("Nationwide", national=True, state=None)
    directory.service("Local")
    result = ask(directory.db)
    assert result.local == [] and names(result.national) == ["Nationwide"]


def test_national_fallbacks_obey_the_hard_filters(directory):
    directory.service(
        "National detained line",
        national=True,
        state=None,
        serves_detained=True,
        detained_only=True,
        terms=("puente:detention_information",),
    )
    directory.service("National overdue", national=True, state=None, review_in_days=-3)
    directory.service("National directory", national=True, state=None)
    free = ask(directory.db, state="il")
    assert names(free.national) == ["National directory"]
    detained = ask(directory.db, state="il", detained=True, needs={"detained"})
    assert names(detained.national) == ["National detained line"]


# ---- what a card shows


def test_call_button_only_for_a_number_verified_within_a_year(directory):
    directory.service("Fresh number", phone_verified_days_ago=365)
    directory.service("Stale number", phone_verified_days_ago=366)
    directory.service("Third-party number", phone_method="third_party")
    directory.service("No number", phone=None)
    cards = {c.name: c for c in ask(directory.db, state="il").local}
    fresh = cards["Fresh number"]
    assert fresh.phone == "312-555-0199" and fresh.phone_href == "tel:+13125550199"
    assert fresh.phone_verified and not fresh.has_unverified_phone
    for name in ("Stale number", "Third-party number"):
        assert cards[name].phone is None and cards[name].phone_href is None
        assert not cards[name].phone_verified and cards[name].has_unverified_phone
    assert not cards["No number"].has_unverified_phone and cards["No number"].phone is None


def test_future_verification_date_is_not_trusted(directory):
    directory.service("From the future", phone_verified_days_ago=-10)
    assert ask(directory.db, state="il").local[0].phone is None


def test_card_carries_trust_and_sample_labels(directory):
    directory.service("Card", is_sample=True, cost="sliding_scale")
    card = ask(directory.db, state="il").local[0]
    assert card.last_verified is not None and card.source_name == "Test source"
    assert card.is_sample and card.cost == "sliding_scale"
    assert card.organization_name == "Card org"


# ---- privacy and bad input


def test_zip_is_never_in_the_result(directory):
    directory.service("Local")
    result = ask(directory.db, zip=CHICAGO_ZIP)
    assert result.state == "il"
    assert CHICAGO_ZIP not in result.model_dump_json()


@pytest.mark.parametrize(
    ("zip_code", "error"),
    [
        ("00000", ZipError.unknown_zip),
        ("96799", ZipError.territory_zip),
        ("09001", ZipError.military_zip),
    ],
)
def test_unusable_zip_is_reported_and_state_still_works(directory, zip_code, error):
    directory.service("Statewide")
    result = ask(directory.db, zip=zip_code, state="il")
    assert result.zip_error == error
    assert names(result.local) == ["Statewide"]


@pytest.mark.parametrize(
    "bad",
    [
        {"zip": "6060"},
        {"zip": "abcde"},
        {"language": "Spanish"},
        {"needs": {"nonsense"}},
    ],
)
def test_request_rejects_bad_values(bad):
    with pytest.raises(ValidationError):
        ReferralRequest(today=TODAY, **bad)


def test_request_normalizes_state_case():
    assert ReferralRequest(today=TODAY, state="IL").state == "il"


@pytest.mark.parametrize("value", ["zz", "unknown", "dont_know", "", "Illinois", 42])
def test_request_reads_an_unknown_state_as_none(value):
    assert ReferralRequest(today=TODAY, state=value).state is None


def test_defense_lawyer_tip_for_pending_cases(directory):
    assert ask(directory.db, needs={"pending_case"}).show_defense_lawyer_tip
    assert not ask(directory.db, needs={"general"}).show_defense_lawyer_tip
