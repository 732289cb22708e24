"""Option values of the questionnaire that the legal logic and the routing both depend on.

The questionnaire (app/content/flow/*.yaml) stores option values, never labels. The sets below
name the groups of values that mean the same thing to the law, so that `app/flow/derived.py`
(routing) and `app/legal/facts.py` (findings) classify answers the same way. A test checks that
every value named here exists in the YAML.
"""

from enum import StrEnum
from typing import Final


class Urgency(StrEnum):
    """How soon a finding asks the person to act, most urgent first: iterating gives the order
    of the result page, of the findings' sort and of the statistics. The values are stored
    (statistics), sent (the API's `Finding.urgency`) and written in app/content/findings.yaml,
    so never rename one."""

    act_now = "act_now"
    important = "important"
    good_to_know = "good_to_know"


# Values that mean "no answer": the person does not know or would rather not say.
UNKNOWN_VALUES: Final = frozenset({"dont_know", "prefer_not"})

# `disposition`: how the most serious drug case ended.
# A plea or finding of guilt plus any penalty is a conviction, even when judgment is deferred
# or the record is later expunged (INA 101(a)(48)(A); Matter of Roldan). legal-facts.md §1.8.
CONVICTION_DISPOSITIONS: Final = frozenset(
    {"plea", "trial_conviction", "deferred_with_plea", "expunged"}
)
# No plea and no finding of guilt, juvenile court, the Federal First Offender Act, a vacatur
# for a legal defect (Matter of Pickering), or a case not yet over: not a conviction (§1.8, §4.1).
NON_CONVICTION_DISPOSITIONS: Final = frozenset(
    {"program_no_plea", "juvenile", "dismissed", "still_open", "vacated", "federal_first_offender"}
)
# Dispositions that rest on a plea, where the defense lawyer's immigration advice matters
# (Padilla v. Kentucky). legal-facts.md §4.2.
PLEA_DISPOSITIONS: Final = frozenset({"plea", "deferred_with_plea", "expunged"})

# `offense_kind` values that describe sale or trafficking: the drug "illicit trafficking"
# aggravated felony (INA 101(a)(43)(B)) and the "reason to believe" ground (INA 212(a)(2)(C)).
TRAFFICKING_KINDS: Final = frozenset({"intent_or_sale", "trafficking"})
# Simple possession and the paraphernalia that goes with it (Matter of Davey). legal-facts.md §1.1.
POSSESSION_KINDS: Final = frozenset({"possession", "paraphernalia"})

# `drug` values.
MARIJUANA_DRUGS: Final = frozenset(
    {"marijuana_30g_or_less", "marijuana_over_30g", "marijuana_amount_unknown"}
)
# Drugs that are on the federal schedules (21 U.S.C. 802), so the Mellouli question does not arise.
# "other_listed" names drugs people know by name that are federally listed too: MDMA, LSD,
# psilocybin and GHB (Schedule I), ketamine, anabolic steroids and buprenorphine (Schedule III)
# (21 U.S.C. 812; 21 CFR 1308.11-1308.13; legal-review-2026-12.md D01).
FEDERAL_DRUGS: Final = MARIJUANA_DRUGS | frozenset(
    {"cocaine", "methamphetamine", "heroin_fentanyl", "pills", "other_listed"}
)
# THC products and hemp: cannabis, but hemp left the federal definition of marijuana on
# Dec. 20, 2018 (21 U.S.C. 802(16)(B)), so a state law that still reaches hemp may be broader
# than the federal list (a Mellouli question), and the amount decides the 30 g exception
# (legal-review-2026-12.md D37).
CANNABIS_PRODUCTS: Final = frozenset({"thc_or_hemp"})
# Only a lawyer's word that the substance is on the state list alone takes a drug off the
# federal list; "not sure" stays unknown and counts against the person where they carry the
# burden (Pereida v. Wilkinson, 592 U.S. 224 (2021)).
STATE_ONLY_DRUGS: Final = frozenset({"state_only"})
# The record or the person cannot tie the case to a federally listed drug (Mellouli v. Lynch).
UNNAMED_DRUGS: Final = (
    frozenset({"not_named", "dont_know", "prefer_not"}) | CANNABIS_PRODUCTS | STATE_ONLY_DRUGS
)

# `victim` values that may open a visa for victims with its own waiver of drug grounds
# (U visa 212(d)(14), T visa 212(d)(13), SIJS 245(h)); abuse by a citizen or green-card
# family member is a crime that may found a U visa as well as VAWA. legal-facts.md §3.8.
HUMANITARIAN_VICTIMS: Final = frozenset(
    {"crime_victim", "trafficking_victim", "child_abuse", "family_abuse"}
)

# `status` values.
CITIZEN_STATUSES: Final = frozenset({"citizen_birth", "citizen_naturalized"})
# Statuses that mean the person was inspected and admitted (INA 101(a)(13)(A)).
ADMITTED_STATUSES: Final = frozenset({"green_card", "visa"})
# Statuses that mean the person was never admitted: entry without inspection or parole.
NOT_ADMITTED_STATUSES: Final = frozenset({"ewi", "parole"})
# Statuses whose way of entry the questionnaire asks about (`entry_way`), because the status
# alone does not say whether the person was admitted.
ENTRY_WAY_STATUSES: Final = frozenset(
    {
        "refugee_asylee",
        "asylum_applicant",
        "daca",
        "tps",
        "removed_before",
        "order_never_left",
        "dont_know",
        "prefer_not",
    }
)
# Statuses with an earlier removal order: "removed_before" left (or was removed) and came back,
# which may let ICE reinstate the order (INA 241(a)(5)); "order_never_left" never left, so the
# order can still be carried out or reopened (INA 240(b)(5)(C), 240(c)(7)). Both need the order
# dealt with before any other relief (legal-review-2026-12.md D08).
ORDER_STATUSES: Final = frozenset({"removed_before", "order_never_left"})
# Statuses where a parent's citizenship may have passed to the person (INA 320, former 321):
# derivation needs a green card before 18, so ask those who have or may have had one.
DERIVATION_STATUSES: Final = frozenset(
    {"green_card", "refugee_asylee", "removed_before", "dont_know", "prefer_not"}
)

# The federal circuit of each state or territory (28 U.S.C. 41). Only the Ninth Circuit has a
# rule of its own that the findings use (Lujan-Armendariz / Nunez-Reyes, legal-facts.md §4.1).
NINTH_CIRCUIT_STATES: Final = frozenset(
    {"ak", "az", "ca", "hi", "id", "mt", "nv", "or", "wa", "gu", "mp"}
)

# Years that anchor rules in the findings.
PADILLA_YEAR: Final = 2010  # Padilla v. Kentucky applies to pleas final on or after 2010-03-31.
NUNEZ_REYES_YEAR: Final = 2011  # Ninth Circuit expungement rule for pleas before 2011-07-14.
FORMER_212C_YEAR: Final = 1997  # Pleas before 1997-04-01 (INS v. St. Cyr).
