"""Intermediate legal conclusions that several findings share.

Each function answers one legal question from the facts with YES, NO or UNKNOWN (or a level),
so that a finding built on an unknown answer stays a "a lawyer should check" finding.
Citations point to shared/reference/legal-facts.md.
"""

from enum import StrEnum

from app.flow.vocabulary import MARIJUANA_DRUGS, POSSESSION_KINDS, TRAFFICKING_KINDS
from app.legal.facts import UNKNOWN, Facts, Tri


class FelonyLevel(StrEnum):
    """How likely a drug-trafficking aggravated felony (INA 101(a)(43)(B)) is."""

    LIKELY = "likely"
    POSSIBLE = "possible"
    NO = "no"


def aggravated_felony(facts: Facts) -> FelonyLevel:
    """Whether the record holds a drug-trafficking aggravated felony (legal-facts §1.5).

    Sale, distribution and possession with intent of a federally listed drug: likely.
    Simple possession: no (Lopez v. Gonzales), even a second one, unless the later case was
    charged and proven as a repeat offense (Carachuri-Rosendo v. Holder). Social sharing of a
    small amount of marijuana for free: no (Moncrieffe v. Holder). Anything unknown about a
    conviction that may be for sale: possible, for a lawyer to analyse.
    """
    main, other = facts.main_conviction, facts.other_conviction
    if main is Tri.NO and other is Tri.NO:
        return FelonyLevel.NO
    level = FelonyLevel.NO
    if main is Tri.YES:
        if facts.offense_kind in TRAFFICKING_KINDS:
            level = FelonyLevel.LIKELY if facts.drug_is_federal is Tri.YES else FelonyLevel.POSSIBLE
            # A marijuana sale statute that reaches sharing a small amount for no pay is not
            # categorically an aggravated felony (Moncrieffe v. Holder; 21 U.S.C. 841(b)(4)):
            # a lawyer must read the statute and record (legal-review-2026-12.md D06).
            if facts.offense_kind == "intent_or_sale" and facts.drug in MARIJUANA_DRUGS:
                level = FelonyLevel.POSSIBLE
        elif facts.offense_kind == UNKNOWN:
            level = FelonyLevel.POSSIBLE
        elif (
            facts.offense_kind == "possession"
            and other is Tri.YES
            and ("possession" in facts.other_cases)
        ):
            level = {
                "repeat": FelonyLevel.LIKELY,
                "not_repeat": FelonyLevel.NO,
            }.get(facts.repeat_charged or "", FelonyLevel.POSSIBLE)
    elif main is Tri.UNKNOWN and facts.offense_kind in TRAFFICKING_KINDS:
        level = FelonyLevel.POSSIBLE
    # Another case about sale, or of an unknown kind, that may have ended in a conviction.
    other_may_be_sale = bool(facts.other_cases & (TRAFFICKING_KINDS | {UNKNOWN}))
    if level is FelonyLevel.NO and other is not Tri.NO and other_may_be_sale:
        level = FelonyLevel.POSSIBLE
    return level


def small_marijuana_exception(facts: Facts) -> Tri:
    """Whether the only conviction is one possession of 30 g or less of marijuana (§1.1)."""
    return facts.only_conviction_is_small_marijuana


def controlled_substance_conviction(facts: Facts) -> Tri:
    """Whether there is a conviction relating to a federally controlled substance (§1.1, §1.3).

    For inadmissibility and relief the person carries the burden (Pereida v. Wilkinson), so a
    record that does not name the drug still counts against them, and so does "not sure"; only
    a substance that a lawyer told the person is on their state's list alone leaves the question
    open (Mellouli v. Lynch). Ecstasy, LSD, ketamine and the like are federally listed
    (legal-review-2026-12.md D01).
    """
    if facts.conviction is not Tri.YES:
        return facts.conviction
    only_main = facts.other_conviction is not Tri.YES
    if only_main and facts.main_conviction is Tri.YES and facts.state_only_drug:
        return Tri.UNKNOWN
    return Tri.YES


def deportable_for_drugs(facts: Facts) -> Tri:
    """Whether INA 237(a)(2)(B)(i) likely applies: admitted, convicted, federal drug, no exception.

    Deportability needs an admission (§0 rule 2), DHS must tie the conviction to a federally
    listed drug (Mellouli), and the single 30 g marijuana possession is excepted (§1.1).
    """
    if facts.admitted is not Tri.YES:
        return facts.admitted if facts.admitted is Tri.UNKNOWN else Tri.NO
    if facts.conviction is not Tri.YES:
        return facts.conviction
    exception = small_marijuana_exception(facts)
    if exception is Tri.YES:
        return Tri.NO
    if exception is Tri.UNKNOWN:
        return Tri.UNKNOWN
    if facts.main_conviction is Tri.YES and facts.drug_is_federal is Tri.YES:
        return Tri.YES
    return Tri.UNKNOWN


def stop_time(facts: Facts) -> Tri:
    """Whether a drug offense was committed within 7 years of first admission (§3.1, Barton).

    The offense date counts, not the plea date. The offense came before the plea, so a plea
    within 7 years of admission means the offense was too. A plea 7 or 8 years after leaves
    the offense date open; from 9 years on, the rule is treated as not shown (a lawyer checks).
    """
    if facts.conviction is not Tri.YES or facts.main_conviction is not Tri.YES:
        return Tri.UNKNOWN if facts.conviction is not Tri.NO else Tri.NO
    admission, plea = facts.admission_year, facts.plea_year
    if not isinstance(admission, int) or not isinstance(plea, int):
        return Tri.UNKNOWN
    if plea < admission + 7:
        return Tri.YES
    if plea < admission + 9 or facts.other_conviction is not Tri.NO:
        return Tri.UNKNOWN
    return Tri.NO


def years_as_resident_enough(facts: Facts) -> Tri:
    """Whether the green card is at least 5 years old (INA 240A(a)(1)); a year is only a range."""
    years = facts.years_since(facts.green_card_year)
    if years is None:
        return Tri.UNKNOWN
    if years >= 6:
        return Tri.YES
    return Tri.NO if years <= 4 else Tri.UNKNOWN


def mandatory_detention(facts: Facts) -> Tri:
    """Whether INA 236(c) would likely require detention without bond (§2.1).

    It reaches people deportable for a drug conviction (236(c)(1)(B)) and people inadmissible
    for a 212(a)(2) offense, including "reason to believe" trafficking (236(c)(1)(A)).
    """
    if facts.admitted is Tri.YES:
        return Tri.YES if deportable_for_drugs(facts) is Tri.YES else Tri.NO
    conviction = controlled_substance_conviction(facts)
    if facts.admitted is Tri.NO:
        if conviction is Tri.YES or facts.any_trafficking_case:
            return Tri.YES
        return Tri.NO
    # Admission unknown: either ground applies when the conviction is plainly covered by both.
    if (
        conviction is Tri.YES
        and small_marijuana_exception(facts) is Tri.NO
        and facts.drug_is_federal is Tri.YES
    ):
        return Tri.YES
    return Tri.UNKNOWN


# How many misdemeanors each answer to `other_crimes` stands for; "serious" (a felony) passes
# both limits on its own, and a DACA "significant misdemeanor" passes DACA's on its own but is
# one misdemeanor for TPS (8 CFR 244.4 counts misdemeanors, not kinds).
_OTHER_MISDEMEANORS = {
    "none": 0,
    "one_minor": 1,
    "significant_misdemeanor": 1,
    "two_minor": 2,
    "three_or_more_minor": 3,
}
# The number of misdemeanors that ends eligibility (legal-facts §2.2, §3.11).
_MISDEMEANOR_LIMIT = {"daca": 3, "tps": 2}


def record_over_daca_tps_limit(facts: Facts) -> Tri:
    """Whether the whole criminal record, drug and other, may pass the DACA or TPS limit.

    TPS: a felony or two or more misdemeanors (8 CFR 244.4; INA 244(c)(2)(B)(i)). DACA: a
    felony, a significant misdemeanor, or three or more misdemeanors (DHS DACA criteria). A drug
    conviction counts as at least one misdemeanor; an unknown one may. legal-facts §2.2, §3.11.
    """
    limit = _MISDEMEANOR_LIMIT.get(facts.status or "")
    if limit is None:
        return Tri.NO
    if facts.other_crimes == "serious" or (
        facts.status == "daca" and facts.other_crimes == "significant_misdemeanor"
    ):
        return Tri.YES
    other = _OTHER_MISDEMEANORS.get(facts.other_crimes or "")
    if other is None:  # not answered
        return Tri.UNKNOWN
    if other >= limit:
        return Tri.YES
    drug = 2 if facts.other_conviction is Tri.YES else 1
    if facts.conviction is Tri.NO or other + drug < limit:
        return Tri.NO
    return Tri.YES if facts.conviction is Tri.YES else Tri.UNKNOWN


def has_drug_issue(facts: Facts) -> bool:
    """Anything in the answers that an immigration officer could hold against the person.

    A conviction (or an unknown outcome), a case still open (an officer at the border can
    treat a returning green-card holder who committed a drug offense as seeking admission, no
    conviction needed: Matter of Rivens; §2.7), a case about sale, or conduct such as telling
    an officer about drug use or work in the cannabis business (§1.3, §1.4, §1.9).
    """
    known_clean = facts.conviction is Tri.NO or facts.case_count is None
    return (
        not known_clean
        or facts.criminal_case_open
        or facts.any_trafficking_case
        or facts.conduct_admission
        or facts.cannabis_work
        or UNKNOWN in facts.conduct
    )


def is_possession_only(facts: Facts) -> bool:
    """The most serious case is simple possession or its paraphernalia (not sale)."""
    return facts.offense_kind in POSSESSION_KINDS
