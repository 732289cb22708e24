"""The result of a finished questionnaire: findings, page sections and referrals.

Facts come from the stored answers (app.legal), findings text from app/content/findings.yaml,
the result page's sections from app/content/pages/, and referrals from app.referrals. The chat's
result page, its printable version and the JSON API all use build_result.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from app.flow import texts
from app.flow.content import Conditional, Content, FindingNote
from app.flow.engine import Position
from app.flow.inputs import AnswerValue, zip_answer
from app.flow.places import court_answer
from app.flow.routing import conditions_hold
from app.flow.vocabulary import Urgency
from app.i18n import get_locale, loaded, spoken_language
from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.referrals.court_finder import CourtCard, active_court, case_line
from app.referrals.matching import ReferralRequest, ReferralResult, match_referrals
from app.referrals.needs import needs_from_findings
from app.referrals.placeholders import PLACEHOLDERS, Filled, Kind, Prose, fill, resolve
from app.referrals.snapshot import Directory

FINDING_KEY = "finding"


@dataclass(frozen=True)
class Finding:
    code: str
    urgency: Urgency
    title: str
    summary: Prose
    next_steps: Prose
    citations: list[str]
    draft: bool


@dataclass(frozen=True)
class CourtNote:
    """The immigration court the person chose from a list, or the one that hears the cases of
    the place they chose, else the one nearest to the ZIP they gave (issue 17), with how to
    check the hearing date; `has_case` when the answers say there is a case or ICE holds the
    person."""

    card: CourtCard
    has_case: bool
    about_them: bool  # the family path: "the person", not "you"
    case_line: Prose
    chosen: bool = False  # from a list: a court, or the court of a detention place


@dataclass
class Result:
    findings: list[Finding]
    referrals: ReferralResult
    sections: dict[str, Any]
    perspective: str
    court: CourtNote | None = None

    def by_urgency(self, urgency: Urgency) -> list[Finding]:
        return [finding for finding in self.findings if finding.urgency == urgency]

    @property
    def has_draft_text(self) -> bool:
        return any(finding.draft for finding in self.findings)


def _finding(
    content: Content,
    code: str,
    perspective: str,
    values: Mapping[str, Filled],
    notes: Sequence[FindingNote] = (),
) -> Finding:
    text = content.findings[code]
    context = f"finding.{code}"
    summary = fill(texts.translate(f"{context}.summary", text.summary, perspective), values)
    for note in notes:
        line = fill(texts.translate(f"note.{note.id}.text", note.text, perspective), values)
        summary = Prose((*summary.parts, " ", *line.parts))
    return Finding(
        code=code,
        urgency=text.urgency,
        title=texts.translate(f"{context}.title", text.title, perspective),
        summary=summary,
        next_steps=fill(
            texts.translate(f"{context}.next_steps", text.next_steps, perspective), values
        ),
        citations=list(text.citations),
        draft=text.review.status != "reviewed",
    )


@dataclass(frozen=True)
class Shown:
    """A page's or item's condition, split once: the finding codes apart from the answers'."""

    wanted: Sequence[str] | None
    avoided: Sequence[str] | None
    when: Mapping[str, Sequence[str]]
    when_not: Mapping[str, Sequence[str]]

    @classmethod
    def of(cls, item: Conditional) -> "Shown":
        when, when_not = dict(item.when), dict(item.when_not)
        return cls(when.pop(FINDING_KEY, None), when_not.pop(FINDING_KEY, None), when, when_not)

    def holds(self, values: Mapping[str, AnswerValue], codes: set[str]) -> bool:
        if self.wanted is not None and not codes.intersection(self.wanted):
            return False
        if self.avoided is not None and codes.intersection(self.avoided):
            return False
        return conditions_hold(self.when, self.when_not, values)


def applies(item: Conditional, values: Mapping[str, AnswerValue], codes: set[str]) -> bool:
    """Whether a page or item shows: its `when` holds and its `when_not` does not. In page data
    a condition may also name finding codes (`finding: [...]`): any of them in the result."""
    return Shown.of(item).holds(values, codes)


@dataclass(frozen=True)
class PageText:
    """One result page section in one language and perspective, every readable string
    translated, with the conditions that choose what of it shows."""

    shown: Shown
    data: dict[str, Any]  # the page as data for the template, its items apart
    items: tuple[tuple[Shown, dict[str, Any]], ...]


@lru_cache(maxsize=512)
def page_text(
    content: Content, name: str, locale: str, catalog: object, perspective: str
) -> PageText:
    """A section's text, translated once per language and perspective instead of on every
    result page (about a hundred catalog look-ups a page; docs/benchmarks.md), as templates'
    constant strings are translated when they compile. `locale` is the current one, whose
    catalog `pgettext` reads; that catalog keys the cache too, so catalogs loaded again (each
    app loads them) are read again. Nothing here depends on a person's answers."""
    page = content.pages[name]
    dumped = page.model_dump(exclude_none=True)
    dumped["items"] = list(dumped["items"])  # a tuple would not be translated (a list is)
    data = texts.translate_data(dumped, f"page.{name}", perspective)
    items = tuple(zip((Shown.of(item) for item in page.items), data.pop("items"), strict=True))
    return PageText(Shown.of(page), data, items)


def _sections(
    content: Content,
    perspective: str,
    values: Mapping[str, AnswerValue],
    codes: set[str],
    filled: Mapping[str, Filled],
) -> dict[str, Any]:
    """Each section whose condition holds, with only the items whose condition holds, their
    placeholders filled (on copies: the translated text is shared)."""
    locale = get_locale()
    catalog = loaded(locale)
    sections = {}
    for name in content.pages:
        text = page_text(content, name, locale, catalog, perspective)
        if text.shown.holds(values, codes):
            items = [dict(item) for shown, item in text.items if shown.holds(values, codes)]
            sections[name] = _with_values({**text.data, "items": items}, filled)
    return sections


def _with_values(section: Any, values: Mapping[str, Filled]) -> Any:
    """Fill the placeholders of every item's text, and turn an item's `phone` (a placeholder
    name) into the number its call button dials; without a number to show, no button."""
    for item in section.get("items", []) if isinstance(section, dict) else []:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("text"), str):
            item["text"] = fill(item["text"], values)
        if "phone" in item:
            phone = values.get(item["phone"]) if item["phone"] in PLACEHOLDERS else None
            item["phone"] = phone if phone is not None and phone.kind is Kind.phone else None
    return section


def build_result(content: Content, directory: Directory, position: Position, today: date) -> Result:
    """The result of a finished questionnaire: a pure function of the content, one snapshot of
    the directory, the answers and the day (the web layer reads the directory)."""
    values = position.values
    perspective = position.perspective
    facts = Facts.from_answers(values, today)
    codes = evaluate(facts)
    filled = resolve(directory, today)
    shown = set(codes)
    notes = [note for note in content.notes if applies(note, values, shown)]
    findings = [
        _finding(content, code, perspective, filled, [n for n in notes if n.goes_to(code)])
        for code in codes
    ]
    sections = _sections(content, perspective, values, shown, filled)
    request = ReferralRequest(
        needs=needs_from_findings(
            codes,
            detained=facts.held_now,
            hearing_soon=facts.hearing_within_30_days,
            case_pending=facts.criminal_case_open,
        ),
        state=facts.home_state,
        language=spoken_language(get_locale()),
        detained=facts.held_now,
        today=today,
    )
    referrals = match_referrals(directory, request)
    chosen = [court_answer(value)[0] for node, value in position.history if node.input == "court"]
    court = _court(directory, values, facts, filled, today, chosen[-1] if chosen else None)
    return Result(findings, referrals, sections, perspective, court)


def _court(
    directory: Directory,
    values: Mapping[str, AnswerValue],
    facts: Facts,
    filled: Mapping[str, Filled],
    today: date,
    chosen_code: str | None,
) -> CourtNote | None:
    """The court chosen from a list (or the chosen place's court), else the one kept with the
    ZIP answer, while it is active. (U.S. citizens, who have no case in immigration court,
    finish before the ZIP question.)"""
    card = active_court(directory, chosen_code, today)
    if card is None:
        _state, code = zip_answer(values.get("zip"))
        card = active_court(directory, code, today)
    if card is None:
        return None
    return CourtNote(
        card=card,
        has_case=facts.in_immigration_court or facts.ice_custody or card.code == chosen_code,
        about_them=facts.perspective == "they",
        case_line=case_line(filled),
        chosen=card.code == chosen_code,
    )
