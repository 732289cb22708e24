"""Unit tests of the finding rules on Facts: the distinctions the law turns on."""

import datetime
import itertools

import pytest

from app.flow.vocabulary import Urgency
from app.legal.analysis import FelonyLevel, aggravated_felony, stop_time
from app.legal.facts import UNKNOWN, Facts, Tri
from app.legal.findings import RULES, URGENCY, evaluate

TODAY = datetime.date(2026, 11, 29)
PERSON = {
    "who": "self",
    "detained": "not_detained",
    "immigration_case": "no_case",
    "open_case": "closed",
}


def facts(**answers):
    return Facts.from_answers({**PERSON, **answers}, TODAY)


def conviction(kind="possession", drug="cocaine", disposition="plea", year=2016, **more):
    return {
        "case_count": "one",
        "offense_kind": kind,
        "drug": drug,
        "disposition": disposition,
        "plea_year": year,
        **more,
    }


def codes(**answers):
    return evaluate(facts(**answers))


# ---- Facts


def test_unknown_answers_become_explicit_unknowns_not_guesses():
    f = facts(status="dont_know", green_card_year="dont_know", conduct=["prefer_not"])
    assert f.status == UNKNOWN
    assert f.green_card_year == UNKNOWN
    assert f.conduct == frozenset({UNKNOWN})
    assert f.plea_year is None  # not asked on this path
    assert f.admitted is Tri.UNKNOWN


def test_facts_are_frozen():
    with pytest.raises(AttributeError):
        facts().status = "green_card"  # type: ignore[misc]


def test_zip_state_becomes_home_state():
    assert facts(zip="CA").home_state == "ca"
    assert facts(zip="dont_know", home_state="tx").home_state == "tx"


# ---- Citizens


def test_citizen_by_birth_has_no_immigration_consequence_even_with_a_conviction():
    found = codes(status="citizen_birth", **conviction(kind="intent_or_sale"))
    assert "us_citizen_no_immigration_consequence" in found
    assert not {"deportable_cs", "inadmissible_cs", "aggravated_felony_likely"} & set(found)


def test_possible_derived_citizen_is_checked_but_not_declared_a_citizen():
    found = codes(
        status="green_card", green_card_year=2001, parent_citizen="before_18", **conviction()
    )
    assert "check_derivative_citizenship" in found
    assert "us_citizen_no_immigration_consequence" not in found


# ---- Deportable vs inadmissible


def test_deportability_needs_an_admission():
    assert "deportable_cs" in codes(status="visa", **conviction())
    ewi = codes(status="ewi", **conviction())
    assert "deportable_cs" not in ewi and "inadmissible_cs" in ewi
    unknown = codes(status="daca", entry_way="dont_know", **conviction())
    assert "deportable_cs" not in unknown and "inadmissible_cs" in unknown


def test_marijuana_exception_is_for_deportability_and_a_single_offense_only():
    single = codes(
        status="green_card",
        green_card_year=2010,
        **conviction(drug="marijuana_30g_or_less", year=2020),
    )
    assert "deportable_marijuana_exception" in single
    assert "deportable_cs" not in single and "inadmissible_cs" in single
    second = codes(
        status="green_card",
        green_card_year=2010,
        **conviction(
            drug="marijuana_30g_or_less",
            year=2020,
            case_count="two_or_more",
            other_cases=["possession"],
            other_convicted="convicted",
            repeat_charged="not_repeat",
        ),
    )
    assert "deportable_marijuana_exception" not in second and "deportable_cs" in second
    more = codes(
        status="green_card",
        green_card_year=2010,
        **conviction(drug="marijuana_over_30g", year=2020),
    )
    assert "deportable_cs" in more
    sale = codes(
        status="green_card",
        green_card_year=2010,
        **conviction(kind="intent_or_sale", drug="marijuana_30g_or_less", year=2020),
    )
    assert "deportable_marijuana_exception" not in sale


def test_unknown_marijuana_amount_gives_no_confident_deportability_finding():
    found = codes(
        status="green_card",
        green_card_year=2010,
        **conviction(drug="marijuana_amount_unknown", year=2020),
    )
    assert not {"deportable_cs", "deportable_marijuana_exception"} & set(found)
    assert "inadmissible_cs" in found


# ---- Aggravated felony


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (conviction(kind="intent_or_sale"), FelonyLevel.LIKELY),
        (conviction(kind="trafficking", drug="heroin_fentanyl"), FelonyLevel.LIKELY),
        (conviction(kind="possession"), FelonyLevel.NO),
        (conviction(kind="sharing_marijuana", drug="marijuana_30g_or_less"), FelonyLevel.NO),
        (conviction(kind="intent_or_sale", drug="not_named"), FelonyLevel.POSSIBLE),
        (conviction(kind="dont_know"), FelonyLevel.POSSIBLE),
        (
            conviction(kind="intent_or_sale", disposition="program_no_plea", year=None),
            FelonyLevel.NO,
        ),
        (
            conviction(kind="intent_or_sale", disposition="dont_know", year=None),
            FelonyLevel.POSSIBLE,
        ),
        (
            conviction(
                case_count="two_or_more",
                other_cases=["possession"],
                other_convicted="convicted",
                repeat_charged="not_repeat",
            ),
            FelonyLevel.NO,
        ),
        (
            conviction(
                case_count="two_or_more",
                other_cases=["possession"],
                other_convicted="convicted",
                repeat_charged="repeat",
            ),
            FelonyLevel.LIKELY,
        ),
        (
            conviction(
                case_count="two_or_more",
                other_cases=["possession"],
                other_convicted="convicted",
                repeat_charged="dont_know",
            ),
            FelonyLevel.POSSIBLE,
        ),
        (
            conviction(
                case_count="two_or_more",
                other_cases=["intent_or_sale"],
                other_convicted="dont_know",
            ),
            FelonyLevel.POSSIBLE,
        ),
    ],
)
def test_aggravated_felony_levels(answers, level):
    assert aggravated_felony(facts(status="visa", **answers)) is level


# ---- What counts as a conviction


@pytest.mark.parametrize(
    ("disposition", "is_conviction"),
    [
        ("plea", True),
        ("trial_conviction", True),
        ("deferred_with_plea", True),
        ("expunged", True),
        ("program_no_plea", False),
        ("juvenile", False),
        ("federal_first_offender", False),
        ("vacated", False),
        ("dismissed", False),
    ],
)
def test_conviction_for_immigration(disposition, is_conviction):
    found = codes(status="ewi", **conviction(disposition=disposition))
    assert ("inadmissible_cs" in found) is is_conviction
    assert ("not_a_conviction_for_immigration" in found) is (not is_conviction)


def test_expungement_does_not_help_but_vacatur_for_a_defect_does():
    expunged = codes(
        status="green_card",
        green_card_year=2000,
        **conviction(disposition="expunged", year=2015, case_state="tx"),
    )
    assert "deportable_cs" in expunged and "post_conviction_relief_worth_exploring" in expunged
    vacated = codes(
        status="green_card", green_card_year=2000, **conviction(disposition="vacated", year=None)
    )
    assert "deportable_cs" not in vacated and "not_a_conviction_for_immigration" in vacated


def test_ninth_circuit_rule_needs_a_pre_2011_first_possession_plea_in_the_circuit():
    base = {"status": "green_card", "green_card_year": 2000}
    yes = codes(**base, **conviction(disposition="expunged", year=2009, case_state="ca"))
    assert "ninth_circuit_pre_2011_expungement_possible" in yes
    late = codes(**base, **conviction(disposition="expunged", year=2013, case_state="ca"))
    east = codes(**base, **conviction(disposition="expunged", year=2009, case_state="ny"))
    influence = codes(
        **base,
        **conviction(kind="under_influence", disposition="expunged", year=2009, case_state="ca"),
    )
    for found in (late, east, influence):
        assert "ninth_circuit_pre_2011_expungement_possible" not in found


def test_a_pardon_is_not_offered_as_a_cure():
    assert not any("pardon" in code for code in RULES)


# ---- Relief


def test_stop_time_uses_the_first_admission():
    recent = facts(
        status="green_card",
        green_card_year=2015,
        first_admission_year=2015,
        **conviction(year=2019),
    )
    assert stop_time(recent) is Tri.YES
    earlier = facts(
        status="green_card",
        green_card_year=2015,
        first_admission_year=2008,
        **conviction(year=2019),
    )
    assert stop_time(earlier) is Tri.NO
    close = facts(status="green_card", green_card_year=2010, **conviction(year=2017))
    assert stop_time(close) is Tri.UNKNOWN


def test_any_drug_conviction_bars_non_green_card_cancellation():
    found = codes(status="ewi", **conviction(drug="marijuana_30g_or_less"))
    assert "nonlpr_cancellation_barred" in found
    assert "nonlpr_cancellation_barred" not in codes(
        status="green_card", green_card_year=2000, **conviction()
    )


def test_asylum_withholding_and_torture_protection_differ():
    trafficking = codes(
        status="asylum_applicant",
        entry_way="without_inspection",
        fear="yes_officials",
        **conviction(kind="trafficking"),
    )
    assert {"asylum_barred_likely", "withholding_barred_likely", "cat_possible"} <= set(trafficking)
    assert "withholding_possible" not in trafficking
    possession = codes(status="ewi", fear="yes_officials", **conviction())
    assert {"withholding_possible", "cat_possible"} <= set(possession)
    assert "asylum_barred_likely" not in possession
    no_fear = codes(status="ewi", fear="dont_know", **conviction())
    assert not {"withholding_possible", "cat_possible"} & set(no_fear)


def test_padilla_applies_from_2010_and_state_vehicles_before():
    base = {"status": "green_card", "green_card_year": 1995}
    new = codes(**base, **conviction(year=2014, lawyer_advice="no_or_wrong"))
    old = codes(**base, **conviction(year=2005, lawyer_advice="no_or_wrong", case_state="ca"))
    assert "padilla_claim_worth_exploring" in new
    assert "padilla_claim_worth_exploring" not in old
    assert "post_conviction_relief_worth_exploring" in old


def test_admission_to_an_officer_warns_without_claiming_inadmissibility():
    found = codes(status="visa", case_count="none", conduct=["told_officer"])
    assert "admission_risk_warning" in found and "travel_risk" in found
    assert "inadmissible_cs" not in found


# ---- Detention and urgency


def test_hearing_soon_means_within_30_days():
    assert "urgent_hearing_soon" in codes(status="visa", immigration_case="hearing_30_days")
    assert "urgent_hearing_soon" not in codes(status="visa", immigration_case="hearing_later")


def test_expedited_removal_only_for_recent_entries_without_inspection_outside_court():
    assert "expedited_removal_risk" in codes(status="ewi", case_count="none", entry_year=2026)
    assert "expedited_removal_risk" not in codes(status="ewi", case_count="none", entry_year=2015)
    assert "expedited_removal_risk" not in codes(
        status="parole", case_count="none", entry_year=2026
    )
    assert "expedited_removal_risk" not in codes(
        status="ewi", case_count="none", entry_year=2026, immigration_case="hearing_later"
    )


def test_learner_gets_only_general_warnings():
    assert evaluate(Facts.from_answers({"who": "learn", "learn_info": "ok"}, TODAY)) == [
        "admission_risk_warning"
    ]


def test_evaluate_orders_by_urgency_then_contract_order():
    found = codes(
        status="visa",
        immigration_case="hearing_2_weeks",
        open_case="open_plea_offer",
        fear="yes_officials",
        **conviction(kind="intent_or_sale"),
    )
    ranks = [list(Urgency).index(URGENCY[code]) for code in found]
    assert ranks == sorted(ranks)
    positions = list(RULES)
    for first, second in itertools.pairwise(found):
        if URGENCY[first] == URGENCY[second]:
            assert positions.index(first) < positions.index(second)


# ---- Added December 2026 (legal-review-2026-12.md D20-D35)


def test_nonlpr_cancellation_needs_a_judge_ten_years_a_relative_and_no_conviction():
    base = {"status": "ewi", "immigration_case": "hearing_later", "case_count": "none"}
    assert "nonlpr_cancellation_possible" in codes(**base, entry_year=2012, family_ties=["child"])
    for change in (
        {"entry_year": 2020, "family_ties": ["child"]},  # under 10 years
        {"entry_year": 2012, "family_ties": ["none"]},  # no qualifying relative
        {"entry_year": 2012, "family_ties": ["child"], "immigration_case": "no_case"},
    ):
        assert "nonlpr_cancellation_possible" not in codes(**{**base, **change}), change
    barred = codes(status="ewi", immigration_case="hearing_later", **conviction())
    assert "nonlpr_cancellation_possible" not in barred
    assert "nonlpr_cancellation_barred" in barred


def test_nonlpr_cancellation_stays_a_may_when_the_record_or_years_are_unknown():
    unknown = codes(status="ewi", immigration_case="hearing_later", case_count="prefer_not")
    assert "nonlpr_cancellation_possible" in unknown
    no_year = codes(
        status="ewi", immigration_case="hearing_later", case_count="none",
        entry_year="dont_know", family_ties=["dont_know"],
    )  # fmt: skip
    assert "nonlpr_cancellation_possible" in no_year
    assert "nonlpr_cancellation_possible" not in codes(
        status="green_card", immigration_case="hearing_later", case_count="none"
    )


def test_the_209c_waiver_is_for_refugees_and_asylees_with_a_drug_issue():
    assert "refugee_asylee_waiver_209c_possible" in codes(status="refugee_asylee", **conviction())
    assert "refugee_asylee_waiver_209c_possible" not in codes(
        status="refugee_asylee", case_count="none", conduct=["none"]
    )
    assert "refugee_asylee_waiver_209c_possible" not in codes(
        status="asylum_applicant", **conviction()
    )


def test_vawa_needs_abuse_by_a_citizen_or_green_card_family_member():
    abused = codes(status="visa", victim=["family_abuse"], **conviction())
    assert {"vawa_relief_possible", "humanitarian_waiver_possible"} <= set(abused)
    assert "vawa_relief_possible" not in codes(
        status="visa", victim=["crime_victim"], **conviction()
    )


def test_detainer_warning_is_for_noncitizens_in_jail_only():
    assert "detainer_bail_warning" in codes(detained="jail", status="green_card")
    assert "detainer_bail_warning" not in codes(detained="ice", status="green_card")
    assert "detainer_bail_warning" not in codes(detained="jail", status="citizen_birth")


def test_reopen_deadlines_for_an_order_but_not_after_a_reentry_without_inspection():
    assert "reopen_or_appeal_deadlines" in codes(status="ewi", immigration_case="removal_order")
    assert "reopen_or_appeal_deadlines" in codes(status="removed_before", entry_way="dont_know")
    reinstated = codes(status="removed_before", entry_way="without_inspection")
    assert "reopen_or_appeal_deadlines" not in reinstated
    assert "reinstatement_risk" in reinstated


def test_unknown_marijuana_amount_for_an_admitted_person_depends_on_the_amount():
    unknown = conviction(drug="marijuana_amount_unknown")
    assert "deportability_depends_on_amount" in codes(status="visa", **unknown)
    assert "deportability_depends_on_amount" not in codes(status="ewi", **unknown)
    assert "deportability_depends_on_amount" not in codes(
        status="visa", **conviction(drug="marijuana_30g_or_less")
    )
    second = {**unknown, "case_count": "two_or_more", "other_convicted": "convicted"}
    assert "deportability_depends_on_amount" not in codes(status="visa", **second)


def test_record_relief_warning_for_expunged_convictions_only():
    assert "record_relief_does_not_remove_conviction" in codes(
        status="green_card", **conviction(disposition="expunged")
    )
    assert "record_relief_does_not_remove_conviction" not in codes(
        status="green_card", **conviction(disposition="vacated")
    )


def test_asylum_deadline_for_people_who_fear_return_and_have_not_applied():
    assert "asylum_one_year_deadline" in codes(status="ewi", fear="yes_others")
    for status in ("asylum_applicant", "refugee_asylee", "removed_before"):
        assert "asylum_one_year_deadline" not in codes(status=status, fear="yes_others"), status
    assert "asylum_one_year_deadline" not in codes(status="ewi", fear="no_fear")
    barred = codes(status="ewi", fear="yes_officials", **conviction(kind="trafficking"))
    assert "asylum_one_year_deadline" not in barred
    assert "asylum_barred_likely" in barred


def test_an_order_never_left_is_reopened_not_reinstated():
    # D08: reinstatement needs a return after removal (INA 241(a)(5)); a person who never left
    # faces the order itself, which may be reopened (INA 240(b)(5)(C), 240(c)(7)).
    never_left = codes(status="order_never_left", entry_way="without_inspection")
    assert "reinstatement_risk" not in never_left
    assert "expedited_removal_risk" not in never_left
    assert {"reopen_or_appeal_deadlines", "urgent_hearing_soon"} <= set(never_left)


def test_the_30_gram_exception_is_shown_right_before_inadmissibility():
    # D47: the good news next to the bad, so "inadmissible" is not read as "deportable".
    found = codes(status="green_card", **conviction(drug="marijuana_30g_or_less"))
    assert found.index("deportable_marijuana_exception") + 1 == found.index("inadmissible_cs")
