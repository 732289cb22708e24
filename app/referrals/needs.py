"""From a result's findings (shared/reference/findings.yaml) to the needs that matching uses."""

from collections.abc import Iterable

from app.referrals.vocabulary import Need

# Every finding code, and the needs it adds. A code with no need (a citizen, say) still leaves
# `general`, so a result always ends with somewhere to turn. A test checks this table against
# findings.yaml, so a new finding code cannot be forgotten here.
FINDING_NEEDS: dict[str, frozenset[Need]] = {
    # Status and citizenship: a lawyer should confirm, nothing crim-imm specific.
    "us_citizen_no_immigration_consequence": frozenset(),
    "check_derivative_citizenship": frozenset(),
    "naturalized_citizen_no_deportation": frozenset(),
    "denaturalization_risk": frozenset({Need.crim_imm}),
    "not_a_conviction_for_immigration": frozenset({Need.crim_imm}),
    # Grounds: the record may trigger removal or block status: crim-imm advice.
    "deportable_cs": frozenset({Need.crim_imm}),
    "deportable_marijuana_exception": frozenset({Need.crim_imm}),
    "inadmissible_cs": frozenset({Need.crim_imm}),
    "possible_aggravated_felony": frozenset({Need.crim_imm}),
    "aggravated_felony_likely": frozenset({Need.crim_imm}),
    "drug_abuser_addict_ground": frozenset({Need.crim_imm}),
    "reason_to_believe_trafficker_risk": frozenset({Need.crim_imm}),
    "federal_law_controls_marijuana": frozenset({Need.crim_imm}),
    "mellouli_mismatch_argument": frozenset({Need.crim_imm}),
    "admission_risk_warning": frozenset({Need.crim_imm}),
    # Detention and fast removal.
    "mandatory_detention_risk": frozenset({Need.crim_imm}),
    "bond_eligibility_contested": frozenset({Need.crim_imm}),
    "expedited_removal_risk": frozenset({Need.hearing_soon}),
    "reinstatement_risk": frozenset({Need.hearing_soon}),
    "administrative_removal_238b_risk": frozenset({Need.hearing_soon, Need.crim_imm}),
    "permanent_bar_after_removal": frozenset({Need.crim_imm}),
    "consular_notification": frozenset({Need.detained}),
    "detained_family_resources": frozenset({Need.detained}),
    # Relief and options.
    "lpr_cancellation_possible": frozenset({Need.crim_imm}),
    "lpr_cancellation_barred": frozenset({Need.crim_imm}),
    "stop_time_triggered": frozenset({Need.crim_imm}),
    "nonlpr_cancellation_barred": frozenset({Need.crim_imm}),
    "waiver_212h_possible": frozenset({Need.crim_imm}),
    "asylum_barred_likely": frozenset({Need.crim_imm}),
    "withholding_possible": frozenset({Need.crim_imm}),
    "withholding_barred_likely": frozenset({Need.crim_imm}),
    "cat_possible": frozenset({Need.crim_imm}),
    "voluntary_departure_barred": frozenset({Need.crim_imm}),
    "humanitarian_waiver_possible": frozenset({Need.crim_imm}),
    "former_212c_relief_possible": frozenset({Need.crim_imm}),
    "daca_tps_risk": frozenset({Need.crim_imm}),
    "naturalization_risk_do_not_apply_without_lawyer": frozenset({Need.crim_imm}),
    "travel_risk": frozenset({Need.crim_imm}),
    # Changing the conviction.
    "post_conviction_relief_worth_exploring": frozenset({Need.post_conviction}),
    "padilla_claim_worth_exploring": frozenset({Need.post_conviction}),
    "ninth_circuit_pre_2011_expungement_possible": frozenset({Need.post_conviction}),
    "pending_charges_consult_before_plea": frozenset({Need.pending_case, Need.crim_imm}),
    # Urgency.
    "urgent_hearing_soon": frozenset({Need.hearing_soon}),
    "needs_lawyer_urgently": frozenset(),
    # Added December 2026.
    "nonlpr_cancellation_possible": frozenset({Need.crim_imm}),
    "refugee_asylee_waiver_209c_possible": frozenset({Need.crim_imm}),
    "vawa_relief_possible": frozenset({Need.crim_imm}),
    # Held in jail on the criminal case (not always a pending one: a sentence may be served).
    "detainer_bail_warning": frozenset({Need.detained, Need.crim_imm}),
    # Appeal and reopening deadlines run in days, like a hearing.
    "reopen_or_appeal_deadlines": frozenset({Need.hearing_soon, Need.crim_imm}),
    "deportability_depends_on_amount": frozenset({Need.crim_imm}),
    # Only a vacatur for a legal defect helps: post-conviction counsel.
    "record_relief_does_not_remove_conviction": frozenset({Need.post_conviction}),
    "asylum_one_year_deadline": frozenset({Need.crim_imm}),
}


def needs_from_findings(
    codes: Iterable[str],
    *,
    detained: bool = False,
    hearing_soon: bool = False,
    case_pending: bool = False,
) -> frozenset[Need]:
    """The needs for a result: from its finding codes plus the facts the result already knows.

    `detained`, `hearing_soon` and `case_pending` come from the facts, so that matching works
    even when no finding names them. Unknown codes are ignored (a newer content release may
    add codes before this table learns them; the test above catches that in CI).
    """
    needs: set[Need] = {Need.general}
    for code in codes:
        needs |= FINDING_NEEDS.get(code, frozenset())
    if detained:
        needs.add(Need.detained)
    if hearing_soon:
        needs.add(Need.hearing_soon)
    if case_pending:
        needs |= {Need.pending_case, Need.crim_imm}
    return frozenset(needs)
