"""Findings that decide how fast the person must act.

Sources: shared/reference/legal-facts.md §0 rule 10, §2.1, §2.4, §8.2 (urgency routing).
"""

from app.flow.vocabulary import ORDER_STATUSES
from app.legal.analysis import FelonyLevel, aggravated_felony
from app.legal.detention import expedited_removal_risk
from app.legal.facts import Facts


def urgent_hearing_soon(facts: Facts) -> bool:
    """An immigration hearing within 30 days, a response deadline (form I-851: 10 days; a removal
    order), or a person held by ICE, whose case moves fast.

    Shown even to someone who says they are a citizen: a citizen held by ICE must act at once.
    Citations: INA 238(b), 8 U.S.C. 1228(b); 8 CFR 1240.10; legal-facts.md §2.4, §5.2, §8.2.
    """
    return facts.about_a_person and (
        facts.hearing_within_30_days
        or facts.immigration_case in {"i851", "removal_order"}
        or facts.status == "order_never_left"
        or facts.ice_custody
    )


def needs_lawyer_urgently(facts: Facts) -> bool:
    """A lawyer (or accredited representative) is a priority, not a routine step.

    Held; in immigration court; a removal order, form I-851 or an earlier removal; a plea deal
    on the table; a possible aggravated felony; or a risk of removal without a judge.
    Citations: INA 240(b)(4), 8 U.S.C. 1229a(b)(4) (right to counsel at no government expense);
    8 CFR 1292.11-1292.20 (accredited representatives); legal-facts.md §0 rule 10, §5.2, §5.6.
    """
    if not facts.about_a_person:
        return False
    if facts.ice_custody or facts.in_immigration_court:
        return True
    if facts.is_citizen:
        return False
    return (
        facts.detained == "jail"
        or facts.immigration_case in {"i851", "removal_order"}
        or facts.status in ORDER_STATUSES
        or facts.open_case == "open_plea_offer"
        or aggravated_felony(facts) in {FelonyLevel.LIKELY, FelonyLevel.POSSIBLE}
        or expedited_removal_risk(facts)
    )


def reopen_or_appeal_deadlines(facts: Facts) -> bool:
    """A removal order (or a judge's decision) exists: the deadlines to appeal, reopen or
    reconsider are short and run from the decision, and a stay must be asked for separately.

    An old order the person never left under counts too, since it can still be reopened, and
    so does "deported before" after a lawful or unknown return; but not after a return without
    inspection, where the reinstated order "is not subject to being reopened" (INA 241(a)(5);
    reinstatement_risk).
    Citations: 8 CFR 1003.38(b) (BIA appeal, 30 days);
    INA 240(c)(7)(C)(i), 8 U.S.C. 1229a(c)(7)(C)(i) (reopen, 90 days); INA 240(c)(6)(B)
    (reconsider, 30 days); INA 240(b)(5)(C) (in absentia: 180 days, or any time without
    notice); INA 242(b)(1) (court of appeals, 30 days); legal-review-2026-12.md D08, D21.
    """
    old_order_open = facts.status == "order_never_left" or (
        facts.status == "removed_before" and facts.entry_way != "without_inspection"
    )
    return facts.is_noncitizen and (facts.immigration_case == "removal_order" or old_order_open)
