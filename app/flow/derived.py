"""Derived facts that routing conditions in app/content/flow/*.yaml may use.

A condition in the flow can only test equality or membership on one key at a time, and all keys
of a condition must match. When a question should be asked if ANY of several things is true,
the OR lives here, in a small pure function of the answers given so far, and the YAML tests its
result. Each function returns a short string (quoted in the YAML, so that YAML never reads it as
a boolean) or None when the fact does not apply; None never matches a condition.

The engine imports DERIVED. Names here must not collide with question ids.
"""

from collections.abc import Callable, Mapping
from typing import Final

from app.flow.vocabulary import (
    ADMITTED_STATUSES,
    CITIZEN_STATUSES,
    CONVICTION_DISPOSITIONS,
    NON_CONVICTION_DISPOSITIONS,
    NOT_ADMITTED_STATUSES,
    ORDER_STATUSES,
    POSSESSION_KINDS,
    TRAFFICKING_KINDS,
    UNKNOWN_VALUES,
    UNNAMED_DRUGS,
)

AnswerValue = str | int | list[str]
Answers = Mapping[str, AnswerValue]


def perspective(answers: Answers) -> str:
    """Whom the questions are about: "they" when someone answers for another person.

    Text in the YAML may have a `you` and a `they` form; the engine picks one with this fact.
    A family member or friend answers about the person, and so does a community helper who is
    going through the questions with someone.
    """
    who = answers.get("who")
    if who == "family" or (who == "community" and answers.get("helper_mode") == "with_person"):
        return "they"
    return "you"


def says_citizen(answers: Answers) -> str:
    """Return "yes" when the person said they are a U.S. citizen, else "no".

    Result-page items about encounters with immigration officers are for noncitizens (and for
    people who only want to learn); this lets a page item say so with a plain `when`.
    """
    return "yes" if answers.get("status") in CITIZEN_STATUSES else "no"


def disposition_in_law(answers: Answers) -> str | None:
    """How the most serious case ended, as immigration law sees it (INA 101(a)(48)(A)).

    People sort their own case, and two common endings look like "no conviction" but are not:
    a dismissal after a guilty or no-contest plea or an admission of the facts (a completed
    deferred adjudication), and a vacatur or set-aside given after probation, a program or to
    clear the record. Both are rehabilitative relief that leaves the conviction in place
    (Matter of Roldan, 22 I&N Dec. 512 (BIA 1999)); only a vacatur for a legal defect removes
    it (Matter of Pickering, 23 I&N Dec. 621 (BIA 2003)). So a dismissal followed by "there
    was a plea" or "I don't know", and a vacatur for rehabilitation or for an unknown reason,
    read as "expunged": a conviction that was later cleared. legal-review-2026-12.md D04.
    """
    disposition = answers.get("disposition")
    plea = answers.get("plea_before_dismissal")
    if disposition == "dismissed" and (plea == "plea_or_admission" or plea in UNKNOWN_VALUES):
        return "expunged"
    why = answers.get("vacated_why")
    if disposition == "vacated" and (why == "rehabilitation" or why in UNKNOWN_VALUES):
        return "expunged"
    return disposition if isinstance(disposition, str) else None


def has_conviction(answers: Answers) -> str:
    """Return "yes", "no" or "unknown": whether any drug case ended in a conviction.

    Immigration law has its own meaning of conviction (INA 101(a)(48)(A)); questions about
    conduct without a conviction and family ties for cancellation are only asked when
    this is "no", and the victim-visa question only when it is not "no".
    """
    case_count = answers.get("case_count")
    if case_count == "none":
        return "no"
    if case_count == "prefer_not" or case_count is None:
        return "unknown"
    disposition = disposition_in_law(answers)
    if disposition in CONVICTION_DISPOSITIONS:
        main = "yes"
    elif disposition in NON_CONVICTION_DISPOSITIONS:
        main = "no"
    else:
        main = "unknown"
    if case_count != "two_or_more":
        return main
    other = {"convicted": "yes", "not_convicted": "no"}.get(str(answers.get("other_convicted")))
    parts = {main, other or "unknown"}
    if "yes" in parts:
        return "yes"
    return "no" if parts == {"no"} else "unknown"


def single_small_marijuana(answers: Answers) -> str | None:
    """Return "yes" when the only conviction is one possession of 30 g or less of marijuana.

    That is the one drug conviction a 212(h) waiver can forgive (INA 212(h); legal-facts §3.3),
    so family ties are asked about in that case even for a green-card holder.
    """
    if (
        answers.get("offense_kind") in POSSESSION_KINDS
        and answers.get("drug") == "marijuana_30g_or_less"
        and disposition_in_law(answers) in CONVICTION_DISPOSITIONS
        and (
            answers.get("case_count") == "one" or answers.get("other_convicted") == "not_convicted"
        )
    ):
        return "yes"
    return None


def was_admitted(answers: Answers) -> str:
    """Return "yes", "no" or "unknown": whether the person was inspected and admitted to the U.S.

    Deportability grounds need an admission; people who entered without inspection or on
    parole face the inadmissibility grounds and expedited removal instead (legal-facts §0.2).
    """
    status = answers.get("status")
    if status in ADMITTED_STATUSES:
        return "yes"
    if status in NOT_ADMITTED_STATUSES:
        return "no"
    entry_way = answers.get("entry_way")
    if entry_way == "inspected":
        return "yes"
    if entry_way in {"without_inspection", "parole"}:
        return "no"
    return "unknown"


def case_state_matters(answers: Answers) -> str | None:
    """Return "yes" when the state of the court can change a finding.

    The state decides Ninth Circuit expungement (pleas before 2011), California's deferred-entry
    and 1473.7 vacaturs, older pleas that only state vehicles can reach (before Padilla, 2010),
    and whether a state drug list is broader than the federal one (Mellouli).
    """
    disposition = disposition_in_law(answers)
    if disposition not in CONVICTION_DISPOSITIONS | {"dont_know"}:
        return None
    plea_year = answers.get("plea_year")
    old_or_unknown_plea = not isinstance(plea_year, int) or plea_year < 2010
    if (
        disposition in {"deferred_with_plea", "expunged"}
        or answers.get("drug") in UNNAMED_DRUGS
        or old_or_unknown_plea
    ):
        return "yes"
    return None


def earlier_admission_matters(answers: Answers) -> str | None:
    """Return "yes" when a green-card holder's first admission year could change the stop-time rule.

    The 7 years for green-card cancellation run from the first admission in any status
    (INA 240A(a)(2)). If the plea came within 7 years of the green card, an earlier visa entry
    may mean the offense fell outside those 7 years (Barton v. Barr; legal-facts §3.1).
    """
    green_card_year = answers.get("green_card_year")
    plea_year = answers.get("plea_year")
    if (
        answers.get("status") == "green_card"
        and isinstance(green_card_year, int)
        and isinstance(plea_year, int)
        and plea_year - green_card_year < 7
    ):
        return "yes"
    return None


def entry_year_matters(answers: Answers) -> str | None:
    """Return "yes" when the year of coming to the U.S. can change a finding.

    It decides expedited removal (under 2 years, for people not admitted and not yet in court;
    legal-facts §2.5) and the 10 years for non-green-card cancellation (only open to people
    with no drug conviction; §3.2).
    """
    status = answers.get("status")
    # With a removal order, neither can apply until the order is dealt with (D08).
    if status in CITIZEN_STATUSES | ORDER_STATUSES or status == "green_card":
        return None
    not_in_court = answers.get("immigration_case") in {"no_case", "dont_know"}
    if has_conviction(answers) == "no" or (was_admitted(answers) != "yes" and not_in_court):
        return "yes"
    return None


def victim_visa_matters(answers: Answers) -> str | None:
    """Return "yes" when a visa for victims may be the only way past a drug record.

    U and T visas and SIJS have special waivers (INA 212(d)(14), 212(d)(13), 245(h)); they matter
    for a person without a green card whose record is not a single small marijuana possession
    (that one has the 212(h) waiver). legal-facts §3.8.
    """
    if answers.get("status") in CITIZEN_STATUSES or answers.get("status") == "green_card":
        return None
    if single_small_marijuana(answers):
        return None
    if has_conviction(answers) != "no" or answers.get("offense_kind") in TRAFFICKING_KINDS:
        return "yes"
    return None


def family_ties_matter(answers: Answers) -> str | None:
    """Return "yes" when a U.S.-citizen or green-card relative could open a form of relief.

    Non-green-card cancellation needs hardship to such a relative and no drug conviction
    (INA 240A(b)(1)); the 212(h) waiver of a single small marijuana possession needs one for
    the hardship route (legal-facts §3.2, §3.3).
    """
    status = answers.get("status")
    if status in CITIZEN_STATUSES:
        return None
    if single_small_marijuana(answers):
        return "yes"
    if status not in ORDER_STATUSES | {"green_card"} and has_conviction(answers) == "no":
        return "yes"
    return None


def other_crimes_matter(answers: Answers) -> str | None:
    """Return "yes" when convictions that are not about drugs can change what the result says.

    DACA and TPS count every conviction toward their limits (TPS: a felony or two misdemeanors;
    DACA: a felony, a significant misdemeanor or three misdemeanors; legal-facts §2.2, §3.11);
    for TPS that includes the single 30 g marijuana possession, which the TPS waiver may forgive
    but which still counts as one misdemeanor. The 30 g exception itself is about a single
    drug offense (INA 237(a)(2)(B)(i); Matter of Davey; §1.1): a conviction for something else
    does not change it, so nobody else is asked (the exception's text always says that other
    convictions have rules of their own: app/content/notes.yaml).
    """
    if answers.get("status") in {"daca", "tps"}:
        return "yes"
    return None


IN_COURT_CASES: Final = frozenset(
    {"hearing_2_weeks", "hearing_30_days", "hearing_later", "hearing_date_unknown"}
)


def state_known(answers: Answers) -> bool:
    """Whether the ZIP answer (kept as "fl" or ["fl", "KRO"]) or the state question gave a state."""
    zip_value = answers.get("zip")
    state = zip_value[0] if isinstance(zip_value, list) and zip_value else zip_value
    if not isinstance(state, str) or state in UNKNOWN_VALUES:
        state = answers.get("home_state")
    return isinstance(state, str) and state not in UNKNOWN_VALUES


def court_question(answers: Answers) -> str | None:
    """Return "held" or "case" when the person's court can be asked from a list (issue 17).

    "held": the person is held by ICE, or the relative someone asks about is held (ICE or jail):
    the list is of the state's detention places, each with the court that hears its cases.
    "case": the person has a case in immigration court: the list is of the state's courts.
    Only once a state is known (the list is that state's), so never for "I don't know".
    """
    if not state_known(answers):
        return None
    detained = answers.get("detained")
    if detained == "ice" or (perspective(answers) == "they" and detained == "jail"):
        return "held"
    if answers.get("immigration_case") in IN_COURT_CASES:
        return "case"
    return None


DERIVED: Final[dict[str, Callable[[Answers], str | None]]] = {
    "perspective": perspective,
    "says_citizen": says_citizen,
    "disposition_in_law": disposition_in_law,
    "has_conviction": has_conviction,
    "single_small_marijuana": single_small_marijuana,
    "was_admitted": was_admitted,
    "case_state_matters": case_state_matters,
    "earlier_admission_matters": earlier_admission_matters,
    "entry_year_matters": entry_year_matters,
    "victim_visa_matters": victim_visa_matters,
    "family_ties_matter": family_ties_matter,
    "other_crimes_matter": other_crimes_matter,
    "court_question": court_question,
}

# Every value each derived fact can return, for the content validator.
DERIVED_VALUES: Final[dict[str, tuple[str, ...]]] = {
    "perspective": ("you", "they"),
    "says_citizen": ("yes", "no"),
    "disposition_in_law": tuple(
        sorted(CONVICTION_DISPOSITIONS | NON_CONVICTION_DISPOSITIONS | UNKNOWN_VALUES)
    ),
    "has_conviction": ("yes", "no", "unknown"),
    "single_small_marijuana": ("yes",),
    "was_admitted": ("yes", "no", "unknown"),
    "case_state_matters": ("yes",),
    "earlier_admission_matters": ("yes",),
    "entry_year_matters": ("yes",),
    "victim_visa_matters": ("yes",),
    "family_ties_matter": ("yes",),
    "other_crimes_matter": ("yes",),
    "court_question": ("held", "case"),
}
