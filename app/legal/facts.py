"""Typed facts built from the stored answers of one questionnaire.

Answers are option values (see app/content/flow/*.yaml). An answer of "I don't know" or "I'd
rather not say" becomes an explicit UNKNOWN, never a guess; a question that was not asked on the
person's path (because it could not matter) becomes None. Findings must treat UNKNOWN as "a
lawyer should check" and never turn it into a confident finding.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.flow.derived import disposition_in_law, has_conviction, perspective, was_admitted
from app.flow.inputs import zip_answer
from app.flow.vocabulary import (
    CANNABIS_PRODUCTS,
    CONVICTION_DISPOSITIONS,
    FEDERAL_DRUGS,
    MARIJUANA_DRUGS,
    NINTH_CIRCUIT_STATES,
    PLEA_DISPOSITIONS,
    POSSESSION_KINDS,
    STATE_ONLY_DRUGS,
    TRAFFICKING_KINDS,
    UNKNOWN_VALUES,
)

AnswerValue = str | int | list[str]

UNKNOWN: Final = "unknown"
"""The value of any categorical fact the person did not know or chose not to give."""


class Tri(StrEnum):
    """A yes/no fact that may be unknown."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def _choice(answers: Mapping[str, AnswerValue | None], key: str) -> str | None:
    """A single-choice answer; UNKNOWN for "I don't know" or "rather not say"; None if not asked."""
    value = answers.get(key)
    if value is None:
        return None
    if isinstance(value, list | int):
        raise TypeError(f"answer {key!r} should be a single choice, got {value!r}")
    return UNKNOWN if value in UNKNOWN_VALUES else value


def _choices(answers: Mapping[str, AnswerValue], key: str) -> frozenset[str]:
    """A multiple-choice answer; {UNKNOWN} when the person did not know; empty if not asked."""
    value = answers.get(key)
    if value is None:
        return frozenset()
    values = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]  # an int: TypeError, wanted
    if any(v in UNKNOWN_VALUES for v in values):
        return frozenset({UNKNOWN})
    return frozenset(v for v in values if v != "none")


def _year(answers: Mapping[str, AnswerValue], key: str) -> int | str | None:
    """A year answer: an int, UNKNOWN, or None if not asked."""
    value = answers.get(key)
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return UNKNOWN


@dataclass(frozen=True, slots=True)
class Facts:
    """What the answers establish about the person, with unknowns kept explicit.

    Categorical fields hold the option value, UNKNOWN, or None when not asked. Year fields hold
    an int, UNKNOWN or None. Multiple-choice fields are frozensets (containing UNKNOWN when the
    person did not know).
    """

    today: datetime.date
    asker: str | None
    perspective: str
    detained: str | None
    immigration_case: str | None
    open_case: str | None
    status: str | None
    naturalized_when: str | None
    green_card_year: int | str | None
    entry_way: str | None
    parent_citizen: str | None
    case_count: str | None
    offense_kind: str | None
    drug: str | None
    disposition: str | None
    plea_year: int | str | None
    lawyer_advice: str | None
    case_state: str | None
    sentence: str | None
    other_cases: frozenset[str]
    other_convicted: str | None
    repeat_charged: str | None
    other_crimes: str | None
    first_admission_year: int | str | None
    entry_year: int | str | None
    conduct: frozenset[str]
    victim: frozenset[str]
    fear: str | None
    family_ties: frozenset[str]
    home_state: str | None
    conviction: Tri
    admitted: Tri

    @classmethod
    def from_answers(cls, answers: Mapping[str, AnswerValue], today: datetime.date) -> Facts:
        """Build facts from question id -> stored answer (only questions answered on the path)."""
        # The ZIP is stored as the state, perhaps with the nearest court (app/flow/inputs.py);
        # the fallback question stores a state value too. Either gives the state where the
        # person is now. Referrals need a state code or nothing, so unknown is None here.
        zip_state, _court = zip_answer(answers.get("zip"))
        home_state = _choice(answers, "home_state")
        if isinstance(zip_state, str) and zip_state not in UNKNOWN_VALUES:
            home_state = zip_state.lower()
        if home_state == UNKNOWN:
            home_state = None
        return cls(
            today=today,
            asker=_choice(answers, "who"),
            perspective=perspective(answers),
            detained=_choice(answers, "detained"),
            immigration_case=_choice(answers, "immigration_case"),
            open_case=_choice(answers, "open_case"),
            status=_choice(answers, "status"),
            naturalized_when=_choice(answers, "naturalized_when"),
            green_card_year=_year(answers, "green_card_year"),
            entry_way=_choice(answers, "entry_way"),
            parent_citizen=_choice(answers, "parent_citizen"),
            case_count=_choice(answers, "case_count"),
            offense_kind=_choice(answers, "offense_kind"),
            drug=_choice(answers, "drug"),
            disposition=_choice({"disposition": disposition_in_law(answers)}, "disposition"),
            plea_year=_year(answers, "plea_year"),
            lawyer_advice=_choice(answers, "lawyer_advice"),
            case_state=_choice(answers, "case_state"),
            sentence=_choice(answers, "sentence"),
            other_cases=_choices(answers, "other_cases"),
            other_convicted=_choice(answers, "other_convicted"),
            repeat_charged=_choice(answers, "repeat_charged"),
            other_crimes=_choice(answers, "other_crimes"),
            first_admission_year=_year(answers, "first_admission_year"),
            entry_year=_year(answers, "entry_year"),
            conduct=_choices(answers, "conduct"),
            victim=_choices(answers, "victim"),
            fear=_choice(answers, "fear"),
            family_ties=_choices(answers, "family_ties"),
            home_state=home_state,
            conviction=Tri(has_conviction(answers)),
            admitted=Tri(was_admitted(answers)),
        )

    # ---- Who and what: small, named questions the findings ask of the facts.

    @property
    def about_a_person(self) -> bool:
        """False for someone who only wants to learn or to hear about Puente.

        Every path that is about a person asks whether that person is held.
        """
        return self.detained is not None

    @property
    def is_citizen(self) -> bool:
        """A U.S. citizen by birth or naturalization (derivation is only ever "check")."""
        return self.status in {"citizen_birth", "citizen_naturalized"}

    @property
    def is_noncitizen(self) -> bool:
        """Answered about a person who is not (or may not be) a U.S. citizen."""
        return self.about_a_person and self.status is not None and not self.is_citizen

    @property
    def is_green_card_holder(self) -> bool:
        return self.status == "green_card"

    @property
    def ice_custody(self) -> bool:
        return self.detained == "ice"

    @property
    def held_now(self) -> bool:
        return self.detained in {"ice", "jail"}

    @property
    def in_immigration_court(self) -> bool:
        return self.immigration_case in {
            "hearing_2_weeks",
            "hearing_30_days",
            "hearing_later",
            "hearing_date_unknown",
        }

    @property
    def hearing_within_30_days(self) -> bool:
        """'Hearing soon' means within 30 days (findings.yaml, urgent_hearing_soon)."""
        return self.immigration_case in {"hearing_2_weeks", "hearing_30_days"}

    @property
    def criminal_case_open(self) -> bool:
        return self.open_case in {"open_plea_offer", "open_no_offer"} or (
            self.disposition == "still_open"
        )

    # ---- The record.

    @property
    def main_conviction(self) -> Tri:
        """Whether the most serious case is a conviction for immigration law (INA 101(a)(48)(A))."""
        if self.disposition in CONVICTION_DISPOSITIONS:
            return Tri.YES
        if self.disposition is None or self.disposition == UNKNOWN:
            return Tri.UNKNOWN
        return Tri.NO

    @property
    def plea_based(self) -> bool:
        return self.disposition in PLEA_DISPOSITIONS

    @property
    def trafficking_kind(self) -> Tri:
        """Whether the most serious case is about sale, intent to sell or trafficking."""
        if self.offense_kind in TRAFFICKING_KINDS:
            return Tri.YES
        if self.offense_kind in {None, UNKNOWN}:
            return Tri.UNKNOWN
        return Tri.NO

    @property
    def any_trafficking_case(self) -> bool:
        """Any case (convicted or not) about sale or trafficking: "reason to believe" material."""
        return self.offense_kind in TRAFFICKING_KINDS or bool(self.other_cases & TRAFFICKING_KINDS)

    @property
    def involves_marijuana(self) -> bool:
        return (
            self.drug in MARIJUANA_DRUGS | CANNABIS_PRODUCTS
            or self.offense_kind == "sharing_marijuana"
            or ("sharing_marijuana" in self.other_cases)
        )

    @property
    def drug_is_federal(self) -> Tri:
        """Whether the drug is known to be on the federal schedules (21 U.S.C. 802).

        NO only when a lawyer told the person the substance is on the state list alone
        (Mellouli); THC products may be hemp (21 U.S.C. 802(16)(B)), so they stay unknown.
        """
        if self.drug in FEDERAL_DRUGS:
            return Tri.YES
        if self.drug in STATE_ONLY_DRUGS:
            return Tri.NO
        return Tri.UNKNOWN

    @property
    def state_only_drug(self) -> bool:
        """A lawyer said the substance is on the person's state list only (Mellouli v. Lynch)."""
        return self.drug in STATE_ONLY_DRUGS

    @property
    def other_conviction(self) -> Tri:
        """Whether a case other than the most serious one ended in a conviction."""
        if self.case_count in {"none", "one"}:
            return Tri.NO
        return {"convicted": Tri.YES, "not_convicted": Tri.NO}.get(
            self.other_convicted or "", Tri.UNKNOWN
        )

    @property
    def only_conviction_is_small_marijuana(self) -> Tri:
        """The 30 g exception: one offense of possession for own use (INA 237(a)(2)(B)(i)).

        YES only when every element is known; UNKNOWN when the amount or the other cases are.
        """
        if self.main_conviction is not Tri.YES:
            return Tri.NO
        if self.offense_kind not in POSSESSION_KINDS | {UNKNOWN}:
            return Tri.NO
        # Hashish and other cannabis products count as marijuana for the exception (INS General
        # Counsel Legal Opinion 96-3), so a THC product leaves it open: the amount decides.
        if self.drug not in {"marijuana_30g_or_less", "marijuana_amount_unknown", UNKNOWN} | (
            CANNABIS_PRODUCTS
        ):
            return Tri.NO
        if self.other_conviction is Tri.YES:
            return Tri.NO
        if (
            self.offense_kind in POSSESSION_KINDS
            and self.drug == "marijuana_30g_or_less"
            and self.other_conviction is Tri.NO
        ):
            return Tri.YES
        return Tri.UNKNOWN

    @property
    def ninth_circuit(self) -> Tri:
        """Whether the immigration case is, or would be, heard in the Ninth Circuit.

        Circuit law follows the removal case, not the state of the plea: review lies in the
        circuit where the immigration judge sits (INA 242(b)(2), 8 U.S.C. 1252(b)(2)), and the
        case is heard where the person is held or lives, which is the state the person is in
        now (legal-review-2026-12.md D07). An unknown state stays unknown.
        """
        if self.home_state in NINTH_CIRCUIT_STATES:
            return Tri.YES
        if self.home_state is None:
            return Tri.UNKNOWN
        return Tri.NO

    @property
    def admission_year(self) -> int | str | None:
        """First admission of a green-card holder: the earlier of a visa entry and the card."""
        years = [y for y in (self.first_admission_year, self.green_card_year) if isinstance(y, int)]
        if years:
            return min(years)
        return UNKNOWN if self.is_green_card_holder else None

    @property
    def conduct_admission(self) -> bool:
        return "told_officer" in self.conduct

    @property
    def conduct_use_or_treatment(self) -> bool:
        return bool({"told_doctor", "treatment"} & self.conduct)

    @property
    def cannabis_work(self) -> bool:
        return "cannabis_work" in self.conduct

    @property
    def fears_return(self) -> Tri:
        if self.fear in {"yes_officials", "yes_others"}:
            return Tri.YES
        if self.fear == "no_fear":
            return Tri.NO
        return Tri.UNKNOWN

    def years_since(self, year: int | str | None) -> int | None:
        """Whole calendar years from `year` to today, or None when the year is not known."""
        return self.today.year - year if isinstance(year, int) else None


def year_before(year: int | str | None, cutoff: int) -> Tri:
    """YES if a possibly unknown year is before `cutoff`, NO if it is `cutoff` or later."""
    if not isinstance(year, int):
        return Tri.UNKNOWN
    return Tri.YES if year < cutoff else Tri.NO
