"""Findings about detention and removal without a full hearing.

Sources: shared/reference/legal-facts.md §2.1–§2.6, §5.4, §5.5.
"""

from app.flow.vocabulary import ORDER_STATUSES
from app.legal.analysis import FelonyLevel, aggravated_felony, mandatory_detention
from app.legal.facts import UNKNOWN, Facts, Tri


def mandatory_detention_risk(facts: Facts) -> bool:
    """If ICE holds the person, the law likely requires detention without bond.

    Citations: INA 236(c)(1)(A)-(B), 8 U.S.C. 1226(c)(1)(A)-(B); Matter of Rojas, 23 I&N Dec. 117
    (BIA 2001); Nielsen v. Preap, 139 S. Ct. 954 (2019); legal-facts.md §2.1.
    """
    return facts.is_noncitizen and mandatory_detention(facts) is Tri.YES


def bond_eligibility_contested(facts: Facts) -> bool:
    """Whether a judge can hold a bond hearing is disputed for people never admitted.

    Shown to people who were not admitted, and to people held by ICE whose admission is not
    known, unless mandatory detention already applies. Admitted people held under INA 236(a)
    can ask a judge for bond (8 CFR 1236.1(d), 1003.19): the act-now page item `bond_hearing`
    tells them so instead (legal-review-2026-12.md D15). Citations: INA 235(b)(2)(A), 236(a),
    8 U.S.C. 1225(b)(2)(A), 1226(a); Matter of Yajure Hurtado, 29 I&N Dec. 216 (BIA 2025);
    Maldonado Bautista v. Santacruz (C.D. Cal. 2025); legal-facts.md §2.1 (changing fast).
    """
    if not facts.is_noncitizen or mandatory_detention(facts) is Tri.YES:
        return False
    return facts.admitted is Tri.NO or (facts.ice_custody and facts.admitted is Tri.UNKNOWN)


def expedited_removal_risk(facts: Facts) -> bool:
    """A person who entered without inspection and has been here under 2 years, and is not in
    court, can be removed by an officer without a judge.

    Parolees and people already in immigration court are outside it; an unknown year is left to
    a lawyer with this warning. Citations: INA 235(b)(1), 8 U.S.C. 1225(b)(1);
    90 FR 8139 (Jan. 24, 2025); legal-facts.md §2.5.
    """
    entered_without_inspection = facts.status == "ewi" or (
        facts.entry_way == "without_inspection" and facts.status not in ORDER_STATUSES
    )
    if not facts.is_noncitizen or not entered_without_inspection or facts.in_immigration_court:
        return False
    years = facts.years_since(facts.entry_year)
    return years is None or years <= 2


def reinstatement_risk(facts: Facts) -> bool:
    """Coming back without permission after a removal lets ICE reinstate the old order.

    It needs an illegal reentry: a return with papers, or on parole, is not one
    (legal-review-2026-12.md D19). An unknown way of entry keeps the warning for a lawyer.
    Citations: INA 241(a)(5), 8 U.S.C. 1231(a)(5); 8 CFR 208.31 (reasonable fear);
    legal-facts.md §2.6.
    """
    return facts.status == "removed_before" and facts.entry_way not in {"inspected", "parole"}


def administrative_removal_238b_risk(facts: Facts) -> bool:
    """A person without a green card with an aggravated felony can be removed by ICE on form I-851.

    Citations: INA 238(b), 8 U.S.C. 1228(b) (form I-851, 10 days to respond);
    legal-facts.md §2.4.
    """
    if not facts.is_noncitizen:
        return False
    if facts.immigration_case == "i851":
        return True
    # 238(b) is an alternative to a hearing before a judge: a person already in immigration
    # court is not normally served an I-851 (legal-review-2026-12.md D14).
    if facts.in_immigration_court:
        return False
    return facts.status not in {"green_card", UNKNOWN} and aggravated_felony(facts) in {
        FelonyLevel.LIKELY,
        FelonyLevel.POSSIBLE,
    }


def permanent_bar_after_removal(facts: Facts) -> bool:
    """After removal, an aggravated felon may never return without permission to reapply.

    Citations: INA 212(a)(9)(A)(i)-(ii), 8 U.S.C. 1182(a)(9)(A); legal-facts.md §2.3.
    """
    return facts.is_noncitizen and aggravated_felony(facts) is FelonyLevel.LIKELY


def consular_notification(facts: Facts) -> bool:
    """A person who is held may ask for the consulate to be told (required for some countries).

    Citations: Vienna Convention on Consular Relations art. 36; 8 CFR 236.1(e);
    legal-facts.md §5.4.
    """
    return facts.held_now and not facts.is_citizen


def detained_family_resources(facts: Facts) -> bool:
    """Someone looking for a held relative gets the locator, court line and help lists.

    Citations: ICE Online Detainee Locator (locator.ice.gov); EOIR Automated Case Information,
    1-800-898-7180; EOIR List of Pro Bono Legal Service Providers (8 CFR 1003.61);
    legal-facts.md §5.2, §5.5. Not for a U.S. citizen held in a jail: the locator does not show
    people held only on criminal charges and no immigration court has their case (second legal
    walk, P12); a citizen held by ICE still gets it.
    """
    citizen_in_jail = facts.is_citizen and facts.detained == "jail"
    return (
        facts.asker in {"family", "community"}
        and facts.detained in {"ice", "jail", UNKNOWN}
        and not citizen_in_jail
    )


def detainer_bail_warning(facts: Facts) -> bool:
    """A noncitizen held in a jail or prison on the criminal case may have an ICE detainer: a
    request that the jail keep the person up to 48 hours so ICE can take them. Posting bail or
    finishing the sentence can then mean a transfer to ICE, so the family should ask the defense
    lawyer about a detainer before paying bail.

    Citations: 8 CFR 287.7(a), (d) (detainers; 48 hours); INA 287(d), 8 U.S.C. 1357(d);
    legal-facts.md §7 (detainer); legal-review-2026-12.md D23.
    """
    return facts.is_noncitizen and facts.detained == "jail"
