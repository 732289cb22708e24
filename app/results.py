"""The result of a finished questionnaire: findings, page sections and referrals.

Facts come from the stored answers (app.legal), findings text from app/content/findings.yaml,
the result page's sections from app/content/pages/, and referrals from app.referrals. The chat's
result page, its printable version and the JSON API all use build_result.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.flow.content import Conditional, Page
from app.flow.engine import Position
from app.flow.inputs import AnswerValue
from app.flow.routing import conditions_hold
from app.flow.vocabulary import Urgency
from app.i18n import get_locale, texts
from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.referrals.matching import ReferralRequest, ReferralResult, match_referrals
from app.referrals.needs import needs_from_findings
from app.referrals.placeholders import PLACEHOLDERS, Filled, Kind, Prose, fill, resolve
from app.state import AppState
from app.web.api.schemas import FindingOut, ReferralOut, ResultOut

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


@dataclass
class Result:
    findings: list[Finding]
    referrals: ReferralResult
    sections: dict[str, Any]
    perspective: str

    def by_urgency(self, urgency: Urgency) -> list[Finding]:
        return [finding for finding in self.findings if finding.urgency == urgency]

    @property
    def has_draft_text(self) -> bool:
        return any(finding.draft for finding in self.findings)

    def as_api(self) -> ResultOut:
        cards = [*self.referrals.local, *self.referrals.national]
        return ResultOut(
            findings=[
                FindingOut(
                    code=f.code,
                    title=f.title,
                    summary=str(f.summary),
                    urgency=f.urgency,
                    citations=f.citations,
                )
                for f in self.findings
            ],
            referrals=[
                ReferralOut(
                    name=card.name,
                    description=card.description or "",
                    phone=card.phone,
                    website=card.website,
                    languages=card.languages,
                    national=card.is_national,
                    sample=card.is_sample,
                    source=card.source_name,
                    last_verified=card.last_verified.isoformat() if card.last_verified else None,
                )
                for card in cards
            ],
        )


def _finding(state: AppState, code: str, perspective: str, values: Mapping[str, Filled]) -> Finding:
    text = state.content.findings[code]
    context = f"finding.{code}"
    return Finding(
        code=code,
        urgency=text.urgency,
        title=texts.translate(f"{context}.title", text.title, perspective),
        summary=fill(texts.translate(f"{context}.summary", text.summary, perspective), values),
        next_steps=fill(
            texts.translate(f"{context}.next_steps", text.next_steps, perspective), values
        ),
        citations=list(text.citations),
        draft=text.review.status != "reviewed",
    )


def applies(item: Conditional, values: Mapping[str, AnswerValue], codes: set[str]) -> bool:
    """Whether a page or item shows: its `when` holds and its `when_not` does not. In page data
    a condition may also name finding codes (`finding: [...]`): any of them in the result."""
    when, when_not = dict(item.when), dict(item.when_not)
    wanted, avoided = when.pop(FINDING_KEY, None), when_not.pop(FINDING_KEY, None)
    if wanted is not None and not codes.intersection(wanted):
        return False
    if avoided is not None and codes.intersection(avoided):
        return False
    return conditions_hold(when, when_not, values)


def _select(page: Page, values: Mapping[str, AnswerValue], codes: set[str]) -> dict[str, Any]:
    """The page as data for the template, with only the items whose condition holds."""
    data = page.model_dump(exclude_none=True)
    data["items"] = [
        shown
        for shown, item in zip(data["items"], page.items, strict=True)
        if applies(item, values, codes)
    ]
    return data


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


def build_result(state: AppState, position: Position, today: date | None = None) -> Result:
    today = today or state.store.today()
    values = position.values
    perspective = position.perspective
    facts = Facts.from_answers(values, today)
    codes = evaluate(facts)
    with state.db.read() as session:
        directory = state.directory.get(session)
    filled = resolve(directory, today)
    findings = [_finding(state, code, perspective, filled) for code in codes]
    shown = set(codes)
    sections = {
        name: _with_values(
            texts.translate_data(_select(data, values, shown), f"page.{name}", perspective),
            filled,
        )
        for name, data in state.content.pages.items()
        if applies(data, values, shown)
    }
    request = ReferralRequest(
        needs=needs_from_findings(
            codes,
            detained=facts.held_now,
            hearing_soon=facts.hearing_within_30_days,
            case_pending=facts.criminal_case_open,
        ),
        state=facts.home_state,
        language=get_locale(),
        detained=facts.held_now,
        today=today,
    )
    referrals = match_referrals(directory, request)
    return Result(findings, referrals, sections, perspective)
