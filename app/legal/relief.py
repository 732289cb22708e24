"""Findings about relief and options a lawyer may use, and what the record blocks.

Sources: shared/reference/legal-facts.md §2.2, §2.7, §3.
"""

from app.flow.vocabulary import FORMER_212C_YEAR, HUMANITARIAN_VICTIMS, ORDER_STATUSES
from app.legal.analysis import (
    FelonyLevel,
    aggravated_felony,
    controlled_substance_conviction,
    deportable_for_drugs,
    has_drug_issue,
    record_over_daca_tps_limit,
    small_marijuana_exception,
    stop_time,
    years_as_resident_enough,
)
from app.legal.facts import UNKNOWN, Facts, Tri, year_before


def _faces_drug_removal_as_resident(facts: Facts) -> bool:
    """A green-card holder whose record may make them deportable, so cancellation matters."""
    return (
        facts.is_green_card_holder
        and deportable_for_drugs(facts) is not Tri.NO
        and (facts.conviction is Tri.YES)
    )


def lpr_cancellation_possible(facts: Facts) -> bool:
    """A green-card holder may meet the minimums for cancellation of removal.

    5 years as a resident, 7 years of residence after admission not cut off by the stop-time
    rule, no aggravated felony. Shown unless one of them is known to fail: an unknown plea or
    green-card year, a plea 7 or 8 years after admission, or a second conviction leaves it a
    "may be possible; a lawyer must check the dates" finding (its text says so), never silence
    (legal-review-2026-12.md D20). The grant is discretionary.
    Citations: INA 240A(a), 8 U.S.C. 1229b(a); INA 240A(d)(1); Barton v. Barr, 140 S. Ct. 1442
    (2020); legal-facts.md §3.1.
    """
    return (
        _faces_drug_removal_as_resident(facts)
        and aggravated_felony(facts) is not FelonyLevel.LIKELY
        and stop_time(facts) is not Tri.YES
        and years_as_resident_enough(facts) is not Tri.NO
    )


def lpr_cancellation_barred(facts: Facts) -> bool:
    """Cancellation for a green-card holder appears out of reach.

    An aggravated felony, a drug offense inside the first 7 years (stop-time), or fewer than
    5 years with the green card. Citations: INA 240A(a)(1)-(3), (d)(1); Barton v. Barr,
    140 S. Ct. 1442 (2020); legal-facts.md §3.1.
    """
    return _faces_drug_removal_as_resident(facts) and (
        aggravated_felony(facts) is FelonyLevel.LIKELY
        or stop_time(facts) is Tri.YES
        or years_as_resident_enough(facts) is Tri.NO
    )


def stop_time_triggered(facts: Facts) -> bool:
    """A drug offense committed within 7 years of first admission stopped the cancellation clock.

    The date of the offense counts, not of the conviction. Citations: INA 240A(d)(1)(B),
    8 U.S.C. 1229b(d)(1)(B); Barton v. Barr, 140 S. Ct. 1442 (2020); legal-facts.md §3.1.
    """
    return facts.is_green_card_holder and stop_time(facts) is Tri.YES


def nonlpr_cancellation_barred(facts: Facts) -> bool:
    """Any drug conviction, even one small marijuana possession, bars cancellation for a person
    without a green card.

    Citations: INA 240A(b)(1)(C), 8 U.S.C. 1229b(b)(1)(C); Matter of Bustamante, 25 I&N Dec. 564
    (BIA 2011); legal-facts.md §3.2.
    """
    return (
        facts.is_noncitizen
        and not facts.is_green_card_holder
        and controlled_substance_conviction(facts) is Tri.YES
    )


def _ten_years_here(facts: Facts) -> Tri:
    """Whether the person has been in the U.S. 10 years (INA 240A(b)(1)(A)); a year is a range.

    The entry year is the last return, so short trips (which do not break presence) may make it
    too late: a lawyer counts the days. Not asked on some paths (None): unknown.
    """
    years = facts.years_since(facts.entry_year)
    if years is None:
        return Tri.UNKNOWN
    if years >= 11:
        return Tri.YES
    return Tri.NO if years <= 9 else Tri.UNKNOWN


def _qualifying_relative(facts: Facts) -> Tri:
    """A U.S.-citizen or green-card spouse, parent or child (INA 240A(b)(1)(D)).

    The family question is asked of every noncitizen without a green card whose record holds
    no conviction (app/flow/derived.py, family_ties_matter); on other paths it was not asked,
    so an empty answer there is unknown, not "none".
    """
    if facts.family_ties & {"spouse", "parent", "child"}:
        return Tri.YES
    if UNKNOWN in facts.family_ties or facts.conviction is not Tri.NO:
        return Tri.UNKNOWN
    return Tri.NO


def nonlpr_cancellation_possible(facts: Facts) -> bool:
    """A person without a green card, in (or likely headed to) immigration court, may ask a judge
    for cancellation: 10 years here, good moral character, no disqualifying conviction, and
    exceptional and extremely unusual hardship to a U.S.-citizen or green-card spouse, parent or
    child. Capped at 4,000 grants a year; only a judge grants it, so people not in court are
    not pointed to it. Unknown presence, relative or record keep it a "may be possible".

    Not for someone with an old removal order (reinstatement or reopening comes first) or a
    drug conviction, which bars it (nonlpr_cancellation_barred). Citations: INA 240A(b)(1),
    8 U.S.C. 1229b(b)(1); INA 240A(d)(1) (stop-time); INA 240A(e)(1) (annual cap);
    legal-facts.md §3.2.
    """
    facing_a_judge = (
        facts.in_immigration_court or facts.ice_custody or facts.immigration_case == UNKNOWN
    )
    return (
        facts.is_noncitizen
        and not facts.is_green_card_holder
        and facts.status not in ORDER_STATUSES
        and facing_a_judge
        and controlled_substance_conviction(facts) is not Tri.YES
        and _ten_years_here(facts) is not Tri.NO
        and _qualifying_relative(facts) is not Tri.NO
    )


def waiver_212h_possible(facts: Facts) -> bool:
    """One small marijuana possession may be forgiven by a 212(h) waiver, given a path to a
    green card or visa: a citizen or green-card relative, conduct 15 or more years ago, or an
    existing green card.

    Citations: INA 212(h), 8 U.S.C. 1182(h); Matter of Balao (BIA); legal-facts.md §3.3.
    """
    if not facts.is_noncitizen or small_marijuana_exception(facts) is not Tri.YES:
        return False
    relative = bool(facts.family_ties & {"spouse", "parent", "child"})
    years = facts.years_since(facts.plea_year)
    long_ago = years is not None and years >= 15
    return relative or long_ago or facts.is_green_card_holder


def _seeks_protection(facts: Facts) -> bool:
    return facts.fears_return is Tri.YES or facts.status == "asylum_applicant"


def asylum_barred_likely(facts: Facts) -> bool:
    """An aggravated felony is a particularly serious crime that bars asylum.

    Citations: INA 208(b)(2)(A)(ii), (B)(i), 8 U.S.C. 1158(b)(2); Lopez v. Gonzales, 549 U.S. 47
    (2006); legal-facts.md §3.4.
    """
    return (
        facts.is_noncitizen
        and _seeks_protection(facts)
        and aggravated_felony(facts) is FelonyLevel.LIKELY
    )


def withholding_possible(facts: Facts) -> bool:
    """Withholding of removal is not blocked by the record on these facts, for a person who fears
    return: no conviction, or a conviction that is not an aggravated felony and no 5-year sentence.

    Citations: INA 241(b)(3), 8 U.S.C. 1231(b)(3); Matter of N-A-M-, 24 I&N Dec. 336 (BIA 2007);
    legal-facts.md §3.5.
    """
    if not facts.is_noncitizen or facts.fears_return is not Tri.YES:
        return False
    if facts.conviction is Tri.UNKNOWN:
        return False
    return aggravated_felony(facts) is FelonyLevel.NO and facts.sentence != "five_years_or_more"


def withholding_barred_likely(facts: Facts) -> bool:
    """A drug-trafficking aggravated felony is presumed a particularly serious crime.

    Citations: INA 241(b)(3)(B), 8 U.S.C. 1231(b)(3)(B); Matter of Y-L-, A-G- & R-S-,
    23 I&N Dec. 270 (A.G. 2002); legal-facts.md §3.5.
    """
    return (
        facts.is_noncitizen
        and _seeks_protection(facts)
        and aggravated_felony(facts) is FelonyLevel.LIKELY
    )


def cat_possible(facts: Facts) -> bool:
    """A person who fears harm by officials, or harm officials would allow, should be screened
    for protection under the Convention Against Torture; deferral has no criminal bar.

    The condition matches the definition: torture by, or with the acquiescence of, a public
    official (the `yes_officials` answer names both). A fear of others, such as a gang, gets a
    line on withholding_possible saying that CAT may also fit if officials would take part or
    let it happen (app/content/notes.yaml), and an unknown fear a line of its own (issue 11).
    Citations: 8 CFR 1208.17 (deferral of removal); legal-facts.md §3.6.
    """
    return facts.is_noncitizen and facts.fear == "yes_officials"


def voluntary_departure_barred(facts: Facts) -> bool:
    """An aggravated felony bars voluntary departure.

    Citations: INA 240B, 8 U.S.C. 1229c; legal-facts.md §3.7.
    """
    return facts.is_noncitizen and aggravated_felony(facts) is FelonyLevel.LIKELY


def humanitarian_waiver_possible(facts: Facts) -> bool:
    """Victims of crime or trafficking, and abused or abandoned children, have special waivers.

    Abuse by a family member is also a crime that can found a U visa, the most forgiving of
    drugs, so it counts here as well as for VAWA (legal-facts.md §3.8: "assess the U-visa path").

    A person who says their status is such a case (U, T, VAWA or SIJS, waiting or approved)
    gets it too, with a note on how far each one forgives a drug record (app/content/notes.yaml).
    Citations: INA 212(d)(14) (U visa), 212(d)(13) (T visa), 245(h)(2)(B) (SIJS, only a single
    small marijuana possession for drugs), 8 U.S.C. 1182(d), 1255(h); legal-facts.md §3.8.
    """
    return facts.is_noncitizen and (
        bool(facts.victim & HUMANITARIAN_VICTIMS) or facts.status == "victim_petition"
    )


def former_212c_relief_possible(facts: Facts) -> bool:
    """A green-card holder who pleaded before April 1, 1997 may ask for the old 212(c) waiver.

    A plea in 1997 is included for a lawyer to check the date. Citations: former INA 212(c);
    INS v. St. Cyr, 533 U.S. 289 (2001); legal-facts.md §3.12.
    """
    return (
        facts.is_green_card_holder
        and facts.main_conviction is Tri.YES
        and year_before(facts.plea_year, FORMER_212C_YEAR + 1) is Tri.YES
    )


def daca_tps_risk(facts: Facts) -> bool:
    """A criminal record threatens DACA or TPS: a felony, a drug-distribution misdemeanor, too
    many misdemeanors (DACA three, TPS two, drug and other convictions together), or criminal
    inadmissibility with no waiver (TPS). Shown for any drug issue, and also when the other
    convictions pass a limit, or were not answered, even if the drug case is not a conviction.

    Citations: 8 CFR 244.4; INA 244(c)(2)(B)(i), 8 U.S.C. 1254a(c)(2)(B)(i); DHS DACA criteria
    (2012 policy, 2022 rule); legal-facts.md §2.2, §3.11.
    """
    return facts.status in {"daca", "tps"} and (
        has_drug_issue(facts) or record_over_daca_tps_limit(facts) is not Tri.NO
    )


def naturalization_risk_do_not_apply_without_lawyer(facts: Facts) -> bool:
    """A green-card holder with any drug case or drug conduct should not apply for citizenship
    without a lawyer: the application can lead to a removal case.

    Citations: INA 101(f)(3), 8 U.S.C. 1101(f)(3); USCIS Policy Manual vol. 12 pt. F ch. 2
    and 5; USCIS policy memo of Aug. 15, 2025; legal-facts.md §3.10.
    """
    any_case = facts.case_count not in {None, "none"}
    return facts.is_green_card_holder and (any_case or has_drug_issue(facts))


def travel_risk(facts: Facts) -> bool:
    """Leaving the U.S. with a drug record or drug conduct can mean being refused on return.

    Citations: INA 101(a)(13)(C)(v), 8 U.S.C. 1101(a)(13)(C)(v); Matter of Rivens, 25 I&N Dec.
    623 (BIA 2011); INA 212(a)(2)(A)(i)(II); legal-facts.md §2.7, §3.11 (advance parole).
    """
    return facts.is_noncitizen and not facts.held_now and has_drug_issue(facts)
