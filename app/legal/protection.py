"""Findings about forms of protection tied to who the person is: refugees and asylees, victims
of abuse by a citizen or green-card family member, and people who fear return (asylum's
deadline).

Sources: shared/reference/legal-facts.md §3.4, §3.8, §3.9; legal-review-2026-12.md D22, D29,
D35.
"""

from app.flow.vocabulary import ORDER_STATUSES
from app.legal.analysis import FelonyLevel, aggravated_felony, has_drug_issue
from app.legal.facts import Facts, Tri


def refugee_asylee_waiver_209c_possible(facts: Facts) -> bool:
    """A refugee or asylee with a drug record may ask for the 209(c) waiver when adjusting to a
    green card; it is broader than 212(h) and can reach drug convictions and admissions.

    It cannot waive "reason to believe" trafficking (212(a)(2)(C)), and violent or dangerous
    crimes need extraordinary circumstances (Matter of Jean): the text says so rather than the
    rule staying silent, since a trafficking case may still leave other grounds to waive.
    Citations: INA 209(c), 8 U.S.C. 1159(c); Matter of H-N-, 22 I&N Dec. 1039 (BIA 1999);
    Matter of Jean, 23 I&N Dec. 373 (A.G. 2002); legal-facts.md §3.9.
    """
    return facts.status == "refugee_asylee" and has_drug_issue(facts)


def vawa_relief_possible(facts: Facts) -> bool:
    """Someone abused by a U.S.-citizen or green-card spouse, parent (or adult child) may self-
    petition under VAWA, or ask a judge for VAWA cancellation, without the abuser's help.

    A drug record still needs a waiver at the green-card stage (212(h), only for one small
    marijuana possession), though acts connected to the abuse can be overlooked for good moral
    character (INA 204(a)(1)(C)). Green-card holders are not asked (they already have status).
    Citations: INA 204(a)(1)(A)(iii), (B)(ii), 8 U.S.C. 1154(a)(1); INA 240A(b)(2),
    8 U.S.C. 1229b(b)(2); INA 212(h); legal-facts.md §3.2, §3.8.
    """
    return facts.is_noncitizen and "family_abuse" in facts.victim


def asylum_one_year_deadline(facts: Facts) -> bool:
    """A person who fears return and has not applied for asylum must apply within one year of
    the last arrival, unless changed or extraordinary circumstances explain the delay;
    withholding and CAT have no deadline.

    Not shown to refugees and asylees (already protected) or pending applicants (already
    filed); nor where an aggravated felony likely bars asylum anyway (asylum_barred_likely);
    nor to people with a removal order or an earlier removal, for whom asylum first needs the
    order reopened (reopen_or_appeal_deadlines) and a reinstated order allows no asylum at all
    (INA 241(a)(5)). Citations: INA 208(a)(2)(B), (D), 8 U.S.C. 1158(a)(2)(B), (D);
    8 CFR 1208.4(a); legal-facts.md §2.6, §3.4.
    """
    return (
        facts.is_noncitizen
        and facts.fears_return is Tri.YES
        and facts.status not in {"refugee_asylee", "asylum_applicant"} | ORDER_STATUSES
        and facts.immigration_case not in {"removal_order", "i851"}
        and aggravated_felony(facts) is not FelonyLevel.LIKELY
    )
