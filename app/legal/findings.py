"""`evaluate(facts)`: the finding codes that apply, most urgent first.

One pure function per code of shared/reference/findings.yaml lives in the topic modules
(citizenship, grounds, detention, relief, protection, conviction, urgency); each cites its law
in its docstring. The codes, their order and their urgency are a contract with
app/content/findings.yaml; tests check that the three agree.
"""

from collections.abc import Callable
from typing import Final

from app.flow.vocabulary import Urgency
from app.legal import citizenship, conviction, detention, grounds, protection, relief, urgency
from app.legal.facts import Facts

FindingRule = Callable[[Facts], bool]

# In the order of shared/reference/findings.yaml: the stable order within one urgency.
RULES: Final[dict[str, FindingRule]] = {
    # Status and citizenship
    "us_citizen_no_immigration_consequence": citizenship.us_citizen_no_immigration_consequence,
    "check_derivative_citizenship": citizenship.check_derivative_citizenship,
    "naturalized_citizen_no_deportation": citizenship.naturalized_citizen_no_deportation,
    "denaturalization_risk": citizenship.denaturalization_risk,
    "not_a_conviction_for_immigration": grounds.not_a_conviction_for_immigration,
    # Grounds
    "deportable_cs": grounds.deportable_cs,
    "deportable_marijuana_exception": grounds.deportable_marijuana_exception,
    "inadmissible_cs": grounds.inadmissible_cs,
    "possible_aggravated_felony": grounds.possible_aggravated_felony,
    "aggravated_felony_likely": grounds.aggravated_felony_likely,
    "drug_abuser_addict_ground": grounds.drug_abuser_addict_ground,
    "reason_to_believe_trafficker_risk": grounds.reason_to_believe_trafficker_risk,
    "federal_law_controls_marijuana": grounds.federal_law_controls_marijuana,
    "mellouli_mismatch_argument": grounds.mellouli_mismatch_argument,
    "admission_risk_warning": grounds.admission_risk_warning,
    # Detention and fast removal
    "mandatory_detention_risk": detention.mandatory_detention_risk,
    "bond_eligibility_contested": detention.bond_eligibility_contested,
    "expedited_removal_risk": detention.expedited_removal_risk,
    "reinstatement_risk": detention.reinstatement_risk,
    "administrative_removal_238b_risk": detention.administrative_removal_238b_risk,
    "permanent_bar_after_removal": detention.permanent_bar_after_removal,
    "consular_notification": detention.consular_notification,
    "detained_family_resources": detention.detained_family_resources,
    # Relief and options
    "lpr_cancellation_possible": relief.lpr_cancellation_possible,
    "lpr_cancellation_barred": relief.lpr_cancellation_barred,
    "stop_time_triggered": relief.stop_time_triggered,
    "nonlpr_cancellation_barred": relief.nonlpr_cancellation_barred,
    "waiver_212h_possible": relief.waiver_212h_possible,
    "asylum_barred_likely": relief.asylum_barred_likely,
    "withholding_possible": relief.withholding_possible,
    "withholding_barred_likely": relief.withholding_barred_likely,
    "cat_possible": relief.cat_possible,
    "voluntary_departure_barred": relief.voluntary_departure_barred,
    "humanitarian_waiver_possible": relief.humanitarian_waiver_possible,
    "former_212c_relief_possible": relief.former_212c_relief_possible,
    "daca_tps_risk": relief.daca_tps_risk,
    "naturalization_risk_do_not_apply_without_lawyer": (
        relief.naturalization_risk_do_not_apply_without_lawyer
    ),
    "travel_risk": relief.travel_risk,
    # Changing the conviction
    "post_conviction_relief_worth_exploring": conviction.post_conviction_relief_worth_exploring,
    "padilla_claim_worth_exploring": conviction.padilla_claim_worth_exploring,
    "ninth_circuit_pre_2011_expungement_possible": (
        conviction.ninth_circuit_pre_2011_expungement_possible
    ),
    "pending_charges_consult_before_plea": conviction.pending_charges_consult_before_plea,
    # Urgency
    "urgent_hearing_soon": urgency.urgent_hearing_soon,
    "needs_lawyer_urgently": urgency.needs_lawyer_urgently,
    # Added December 2026 (legal-review-2026-12.md)
    "nonlpr_cancellation_possible": relief.nonlpr_cancellation_possible,
    "refugee_asylee_waiver_209c_possible": protection.refugee_asylee_waiver_209c_possible,
    "vawa_relief_possible": protection.vawa_relief_possible,
    "detainer_bail_warning": detention.detainer_bail_warning,
    "reopen_or_appeal_deadlines": urgency.reopen_or_appeal_deadlines,
    "deportability_depends_on_amount": grounds.deportability_depends_on_amount,
    "record_relief_does_not_remove_conviction": conviction.record_relief_does_not_remove_conviction,
    "asylum_one_year_deadline": protection.asylum_one_year_deadline,
}

# The urgency of each code; app/content/findings.yaml carries the same value (a test checks).
_URGENCY_VALUES: Final[dict[str, str]] = {
    "urgent_hearing_soon": "act_now",
    "needs_lawyer_urgently": "act_now",
    "pending_charges_consult_before_plea": "act_now",
    "administrative_removal_238b_risk": "act_now",
    "reinstatement_risk": "act_now",
    "expedited_removal_risk": "act_now",
    "detained_family_resources": "act_now",
    # Bail can be paid, and a 30-day appeal window can close, within days.
    "detainer_bail_warning": "act_now",
    "reopen_or_appeal_deadlines": "act_now",
    "check_derivative_citizenship": "important",
    "denaturalization_risk": "important",
    "deportable_cs": "important",
    "inadmissible_cs": "important",
    "possible_aggravated_felony": "important",
    "aggravated_felony_likely": "important",
    "drug_abuser_addict_ground": "important",
    "reason_to_believe_trafficker_risk": "important",
    "mellouli_mismatch_argument": "important",
    "admission_risk_warning": "important",
    "mandatory_detention_risk": "important",
    "bond_eligibility_contested": "important",
    "permanent_bar_after_removal": "important",
    "consular_notification": "important",
    "lpr_cancellation_possible": "important",
    "lpr_cancellation_barred": "important",
    "stop_time_triggered": "important",
    "nonlpr_cancellation_barred": "important",
    "waiver_212h_possible": "important",
    "asylum_barred_likely": "important",
    "withholding_possible": "important",
    "withholding_barred_likely": "important",
    "cat_possible": "important",
    "humanitarian_waiver_possible": "important",
    "former_212c_relief_possible": "important",
    "daca_tps_risk": "important",
    "naturalization_risk_do_not_apply_without_lawyer": "important",
    "travel_risk": "important",
    "post_conviction_relief_worth_exploring": "important",
    "padilla_claim_worth_exploring": "important",
    "ninth_circuit_pre_2011_expungement_possible": "important",
    "nonlpr_cancellation_possible": "important",
    "refugee_asylee_waiver_209c_possible": "important",
    "vawa_relief_possible": "important",
    "deportability_depends_on_amount": "important",
    "record_relief_does_not_remove_conviction": "important",
    "asylum_one_year_deadline": "important",
    "us_citizen_no_immigration_consequence": "good_to_know",
    "naturalized_citizen_no_deportation": "good_to_know",
    "not_a_conviction_for_immigration": "good_to_know",
    "deportable_marijuana_exception": "good_to_know",
    "federal_law_controls_marijuana": "good_to_know",
    "voluntary_departure_barred": "good_to_know",
}

URGENCY: Final[dict[str, Urgency]] = {code: Urgency(v) for code, v in _URGENCY_VALUES.items()}
_URGENCY_RANK: Final = {urgency: rank for rank, urgency in enumerate(Urgency)}
_POSITION: Final = {code: index for index, code in enumerate(RULES)}


# Good news that qualifies a harder finding is shown right before it, whatever its urgency, so
# that "you cannot be deported for this" is read before "this can keep you out"
# (legal-review-2026-12.md D47). The urgency a finding carries is unchanged.
SHOWN_BEFORE: Final = {"deportable_marijuana_exception": "inadmissible_cs"}


def _order(code: str) -> tuple[int, int, int]:
    anchor = SHOWN_BEFORE.get(code)
    if anchor is not None:
        return (_URGENCY_RANK[URGENCY[anchor]], _POSITION[anchor], 0)
    return (_URGENCY_RANK[URGENCY[code]], _POSITION[code], 1)


def evaluate(facts: Facts) -> list[str]:
    """The codes that apply to these facts: act_now, then important, then good_to_know; within
    one urgency, in the order of shared/reference/findings.yaml; a finding in SHOWN_BEFORE sits
    right before the one it qualifies."""
    codes = [code for code, rule in RULES.items() if rule(facts)]
    return sorted(codes, key=_order)
