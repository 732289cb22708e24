"""Findings about changing the conviction, and about a criminal case that is still open.

Sources: shared/reference/legal-facts.md §4.
"""

from app.flow.vocabulary import (
    NINTH_CIRCUIT_STATES,
    NUNEZ_REYES_YEAR,
    PADILLA_YEAR,
    POSSESSION_KINDS,
)
from app.legal.citizenship import denaturalization_risk
from app.legal.facts import UNKNOWN, Facts, Tri, year_before


def post_conviction_relief_worth_exploring(facts: Facts) -> bool:
    """Going back to criminal court to undo a plea for a legal defect may change the outcome.

    Worth exploring when the defense lawyer gave no advice or wrong advice (or it is not known),
    when there was no lawyer, when the record was only expunged (which does not help, while a
    vacatur for a legal defect does), or for a California deferred-entry plea (Cal. Penal Code
    1203.43). Citations: Matter of Pickering, 23 I&N Dec. 621 (BIA 2003); Matter of Roldan,
    22 I&N Dec. 512 (BIA 1999); Cal. Penal Code 1473.7; N.Y. CPL 440.10; legal-facts.md §4.1, §4.5.
    """
    if not facts.is_noncitizen or facts.main_conviction is not Tri.YES or not facts.plea_based:
        return False
    advice_doubtful = facts.lawyer_advice in {"no_or_wrong", "no_lawyer", UNKNOWN}
    california_deferred = facts.case_state == "ca" and facts.disposition == "deferred_with_plea"
    return advice_doubtful or facts.disposition == "expunged" or california_deferred


def padilla_claim_worth_exploring(facts: Facts) -> bool:
    """A plea from 2010 on, after no advice or wrong advice about deportation: a possible
    ineffective-assistance claim.

    Padilla is not retroactive to pleas final before March 31, 2010; a 2010 plea is included for
    a lawyer to check the date. Citations: Padilla v. Kentucky, 559 U.S. 356 (2010); Chaidez v.
    United States, 568 U.S. 342 (2013); Lee v. United States, 582 U.S. 357 (2017);
    legal-facts.md §4.2.
    """
    return (
        facts.is_noncitizen
        and facts.main_conviction is Tri.YES
        and facts.plea_based
        and facts.lawyer_advice == "no_or_wrong"
        and year_before(facts.plea_year, PADILLA_YEAR) is Tri.NO
    )


def ninth_circuit_pre_2011_expungement_possible(facts: Facts) -> bool:
    """Where the immigration case is heard in the Ninth Circuit, an expunged first simple-
    possession plea from before July 14, 2011 may not count.

    The rule binds immigration judges in the Ninth Circuit, so it follows where the removal case
    is heard (Facts.ninth_circuit), not where the plea was made; when that is unknown, a plea
    made in a Ninth Circuit state keeps the finding for a lawyer to check. It covers the
    dispositions the Federal First Offender Act covers: an expunged plea and a deferred plea that
    ends in dismissal (18 U.S.C. 3607(a)); and simple possession or the drug tools that go with
    it (Cardenas-Uriarte v. INS, 227 F.3d 1132 (9th Cir. 2000)), not being under the influence
    (Nunez-Reyes). Only a first offense, and the plea year must be known (2011 is included for a
    lawyer to check the date). Citations: Lujan-Armendariz v. INS, 222 F.3d 728 (9th Cir. 2000);
    Nunez-Reyes v. Holder, 646 F.3d 684 (9th Cir. 2011) (en banc); legal-facts.md §4.1;
    legal-review-2026-12.md D07.
    """
    heard_in_ninth = facts.ninth_circuit is Tri.YES or (
        facts.ninth_circuit is Tri.UNKNOWN and facts.case_state in NINTH_CIRCUIT_STATES
    )
    return (
        facts.is_noncitizen
        and facts.disposition in {"expunged", "deferred_with_plea"}
        and facts.offense_kind in POSSESSION_KINDS
        and heard_in_ninth
        and facts.other_conviction is Tri.NO
        and year_before(facts.plea_year, NUNEZ_REYES_YEAR + 1) is Tri.YES
    )


def pending_charges_consult_before_plea(facts: Facts) -> bool:
    """The criminal case is still open: immigration advice must come BEFORE any plea.

    Anyone whom a plea could cost a status or citizenship: every noncitizen, and a naturalized
    citizen whose drug conduct may have come before the oath (a plea admitting it can be used
    to seek denaturalization; a note on the finding says so). Citations: Padilla v. Kentucky,
    559 U.S. 356 (2010); INA 340(a), 8 U.S.C. 1451(a); legal-facts.md §3.10, §4.2, §8.2;
    issue 11 ("naturalized citizens included").
    """
    return (facts.is_noncitizen or denaturalization_risk(facts)) and facts.criminal_case_open


def record_relief_does_not_remove_conviction(facts: Facts) -> bool:
    """An expunged, sealed or set-aside conviction (including state marijuana record clearing)
    still counts for immigration; so does a pardoned drug conviction. Only a vacatur for a
    legal defect removes it.

    The questionnaire does not ask about pardons (no finding turns on one); the text names them
    because people in marijuana-legal states often believe a pardon or clearing ended the
    matter. Citations: INA 101(a)(48)(A); Matter of Roldan, 22 I&N Dec. 512 (BIA 1999);
    Matter of Pickering, 23 I&N Dec. 621 (BIA 2003); INA 237(a)(2)(A)(vi), 8 U.S.C.
    1227(a)(2)(A)(vi) (a pardon does not reach 237(a)(2)(B)); legal-facts.md §4.1, §4.4;
    legal-review-2026-12.md D26.
    """
    return facts.is_noncitizen and facts.disposition == "expunged"
