"""The derived facts that routing uses."""

from app.flow.derived import (
    DERIVED,
    case_state_matters,
    earlier_admission_matters,
    family_ties_matter,
    has_conviction,
    perspective,
    single_small_marijuana,
    was_admitted,
)


def test_perspective():
    assert perspective({"who": "self"}) == "you"
    assert perspective({"who": "family"}) == "they"
    assert perspective({"who": "community", "helper_mode": "with_person"}) == "they"
    assert perspective({"who": "prefer_not"}) == "you"
    assert perspective({}) == "you"


def test_has_conviction():
    assert has_conviction({"case_count": "none"}) == "no"
    assert has_conviction({"case_count": "one", "disposition": "deferred_with_plea"}) == "yes"
    assert has_conviction({"case_count": "one", "disposition": "juvenile"}) == "no"
    assert has_conviction({"case_count": "one", "disposition": "dont_know"}) == "unknown"
    two = {"case_count": "two_or_more", "disposition": "dismissed"}
    assert has_conviction({**two, "other_convicted": "convicted"}) == "yes"
    assert has_conviction({**two, "other_convicted": "not_convicted"}) == "no"
    assert has_conviction({**two, "other_convicted": "dont_know"}) == "unknown"


def test_single_small_marijuana_and_family_ties():
    answers = {
        "status": "green_card",
        "case_count": "one",
        "offense_kind": "possession",
        "drug": "marijuana_30g_or_less",
        "disposition": "plea",
    }
    assert single_small_marijuana(answers) == "yes"
    assert family_ties_matter(answers) == "yes"
    assert single_small_marijuana({**answers, "drug": "marijuana_over_30g"}) is None
    assert family_ties_matter({**answers, "drug": "cocaine"}) is None


def test_was_admitted():
    assert was_admitted({"status": "green_card"}) == "yes"
    assert was_admitted({"status": "ewi"}) == "no"
    assert was_admitted({"status": "daca", "entry_way": "inspected"}) == "yes"
    assert was_admitted({"status": "daca", "entry_way": "dont_know"}) == "unknown"


def test_state_and_admission_questions_only_when_they_can_matter():
    plea = {"disposition": "plea", "drug": "cocaine", "plea_year": 2015}
    assert case_state_matters(plea) is None
    assert case_state_matters({**plea, "plea_year": 2005}) == "yes"
    assert case_state_matters({**plea, "drug": "not_named"}) == "yes"
    assert case_state_matters({**plea, "disposition": "juvenile"}) is None
    green = {"status": "green_card", "green_card_year": 2015}
    assert earlier_admission_matters({**green, "plea_year": 2019}) == "yes"
    assert earlier_admission_matters({**green, "plea_year": 2023}) is None


def test_derived_functions_are_documented():
    for name, function in DERIVED.items():
        assert function.__doc__ and len(function.__doc__) > 40, name
