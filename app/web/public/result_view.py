"""The result page as data: the summary on its first screen, the jump links, the folded
sections and, for the printable page, the answers behind each finding (P6, P17).

The templates in templates/components/result/ render these; no logic is left to them.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from app.flow.engine import Position
from app.flow.vocabulary import Urgency
from app.i18n import gettext as _
from app.legal.basis import answers_behind
from app.referrals.matching import ReferralResult
from app.results import Finding, Result

TOP_FINDINGS = 3  # one line each on the first screen; the rest are a tap away
# The content sections the result shows after the findings, in this order, each folded; first
# what a lawyer must still find out (issue 11), which follows from the findings above it.
DETAIL_SECTIONS = ("unknowns", "family", "outreach", "rights", "options", "documents")
# Those that are a page of their own (/q/result/<name>), linked from the result: the general
# ones. Folded, they still cost their bytes, and in Khmer, Punjabi or Russian the heaviest result
# did not fit its 14 KB with them (issue 14). The printable page shows them all.
OWN_PAGE_SECTIONS = ("family", "outreach", "rights", "documents")


def summary(result: Result, held_now: bool) -> dict[str, Any]:
    """What the first phone screen says: whether to act today, the findings that matter most,
    and one organization to call (the first card with a checked number, else the first
    number of the "Act now" steps)."""
    return {
        "urgent": held_now or bool(result.by_urgency(Urgency.act_now)),
        "top_findings": [
            {"code": finding.code, "title": finding.title}
            for finding in result.findings[:TOP_FINDINGS]
        ],
        "first_call": first_call(result.referrals, result.sections.get("act_now")),
    }


def first_call(referrals: ReferralResult, act_now: Any) -> dict[str, str] | None:
    for card in [*referrals.local, *referrals.national]:
        if card.phone and card.phone_href:
            note = _("Free") if card.cost == "free" else ""
            text = card.text()  # the service's name in the page's language, as on its card
            name, lang = text.name or (card.organization_name, text.organization_lang)
            return {
                "name": name,
                "lang": lang or "",
                "phone": card.phone,
                "href": card.phone_href,
                "note": note,
            }
    for item in act_now.get("items", []) if isinstance(act_now, dict) else []:
        phone = item.get("phone")
        if phone is not None and phone.href:
            return {
                "name": item["title"],
                "lang": "",
                "phone": phone.text,
                "href": phone.href,
                "note": "",
            }
    return None


def detail_sections(sections: Mapping[str, Any]) -> list[str]:
    return [
        name
        for name in DETAIL_SECTIONS
        if isinstance(sections.get(name), dict) and sections[name].get("items")
    ]


def split_sections(shown_sections: Sequence[str]) -> tuple[list[str], list[str]]:
    """The shown sections folded on the result, and those on pages of their own, in order."""
    on_result = [name for name in shown_sections if name not in OWN_PAGE_SECTIONS]
    own_pages = [name for name in shown_sections if name in OWN_PAGE_SECTIONS]
    return on_result, own_pages


def more_links(result: Result, own_pages: Sequence[str]) -> list[dict[str, str]]:
    """The sections on pages of their own, as links under "More for your situation"."""
    return [
        {"href": f"/q/result/{name}", "text": str(result.sections[name]["heading"])}
        for name in own_pages
    ]


def jump_links(
    result: Result, shown_sections: Sequence[str], has_act_now: bool
) -> list[dict[str, str]]:
    """The headings below the summary, in page order; only those the page shows."""
    links = []
    if has_act_now:
        act_now = result.sections.get("act_now")
        heading = act_now.get("heading") if isinstance(act_now, dict) else None
        links.append({"id": "act-now-heading", "text": heading or _("Act now")})
    if any(finding.urgency != Urgency.act_now for finding in result.findings):
        links.append({"id": "meaning-heading", "text": _("What this may mean")})
    on_result, own_pages = split_sections(shown_sections)
    links += [
        {"id": f"section-{name}", "text": str(result.sections[name]["heading"])}
        for name in on_result
    ]
    if own_pages:
        links.append({"id": "more-heading", "text": _("More for your situation")})
    if result.court is not None:  # templates/components/_court.html, the same heading
        heading = (
            _("The immigration court that may have the case")
            if result.court.has_case
            else _("The immigration court nearest to the ZIP code you gave")
        )
        links.append({"id": "court-heading", "text": heading})
    links.append({"id": "help-heading", "text": _("Who can help")})
    return links


def basis(
    findings: Sequence[Finding], position: Position, today: date, bubbles: Sequence[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Finding code -> the answers it rests on, as transcript bubbles (question and answer in
    the page's language)."""
    by_id = {bubble["id"]: bubble for bubble in bubbles}
    values = position.values
    return {
        finding.code: [
            by_id[question]
            for question in answers_behind(finding.code, values, today)
            if question in by_id
        ]
        for finding in findings
    }
