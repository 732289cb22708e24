"""Findings about citizenship: a U.S. citizen has no immigration consequence to fear.

Sources: shared/reference/legal-facts.md §0 rule 11 and §3.10.
"""

from app.legal.facts import Facts


def _naturalized_before_any_conduct(facts: Facts) -> bool:
    """A naturalized citizen whose drug CONDUCT all came after the oath.

    The conduct date decides, not the arrest or the case: the N-400 asks about offenses
    committed even without an arrest, and concealing them, or lacking good moral character in
    the statutory period, can support revocation (INA 340(a); 18 U.S.C. 1425; Maslenjak v.
    United States, 582 U.S. 335 (2017); legal-review-2026-12.md D03).
    """
    return facts.status == "citizen_naturalized" and facts.naturalized_when == "conduct_after"


def us_citizen_no_immigration_consequence(facts: Facts) -> bool:
    """A U.S. citizen cannot be deported or found inadmissible.

    Citations: legal-facts.md §0 rule 11 and §3.10 (citizens, whether born, derived or
    naturalized, cannot be deported).
    A naturalized citizen whose drug conduct may have come before naturalization is left to
    denaturalization_risk.
    """
    return facts.status == "citizen_birth" or _naturalized_before_any_conduct(facts)


def check_derivative_citizenship(facts: Facts) -> bool:
    """The person may already be a citizen through a parent: check before anything else.

    Where it shows, the other findings say "if you are not already a citizen"
    (app/content/notes.yaml). A "don't know" about the parents gets its own line in "What a
    lawyer must still find out" instead (app/content/pages/unknowns.yaml), which costs the
    result page far less than this finding and a note on every other one (issue 11).
    Citations: INA 320, 8 U.S.C. 1431 (Child Citizenship Act of 2000); former INA 321;
    acquisition at birth abroad to a citizen parent; legal-facts.md §0 rule 11, §3.10.
    """
    return facts.parent_citizen in {"before_18", "at_birth"}


def naturalized_citizen_no_deportation(facts: Facts) -> bool:
    """A naturalized citizen whose drug conduct all came after naturalization is not deportable.

    Citations: legal-facts.md §3.10 (offenses after naturalization do not make a citizen
    deportable); INA 237(a), 8 U.S.C. 1227(a) (applies to "aliens" only).
    """
    return _naturalized_before_any_conduct(facts)


def denaturalization_risk(facts: Facts) -> bool:
    """Conduct before naturalization that was hidden or disqualifying may put citizenship at risk.

    Citations: INA 340(a), 8 U.S.C. 1451(a); 18 U.S.C. 1425; Maslenjak v. United States,
    582 U.S. 335 (2017); legal-facts.md §3.10. Conduct before the oath, or an unknown order of
    events, is a lawyer's check (so is any other answer, such as an older stored one).
    """
    return facts.status == "citizen_naturalized" and not _naturalized_before_any_conduct(facts)
