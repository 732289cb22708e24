"""A respondent without a browser: read the question a page (or htmx fragment) shows and pick
an answer from a small plan, as the browser journeys do.

Used by the benchmark, the drills and the budget tests. It parses only our own templates'
markup (the `#current` section of chat.html), so it needs no HTML library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PlanValue = str | list[str]
Plan = Mapping[str, PlanValue]
UNKNOWN = "unknown"  # a plan value meaning: press "I don't know"
DONT_KNOW_VALUES = ("dont_know", "prefer_not", "not_sure", "unknown")
TYPED_DEFAULTS = {"year": "2015", "number": "1", "zip": "10001"}

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
_QUESTION = re.compile(r'name="question" value="([^"]+)"')
_KIND = re.compile(r'data-input="([a-z]+)"')
_OPTION = re.compile(r'<(?:input|option)[^>]*?value="([^"]*)"')
_SELECT = re.compile(r"<select[^>]*>(.*?)</select>", re.S)
_CHOICES = re.compile(r'<input type="(?:radio|checkbox)" name="value"[^>]*?value="([^"]*)"')


@dataclass(frozen=True)
class Question:
    """The question shown in a page's or a fragment's `#current` section."""

    id: str
    kind: str  # single, multiple, year, number, zip, court (radios or a select), info
    options: tuple[str, ...]
    has_unknown: bool


def csrf_token(html: str) -> str | None:
    match = _CSRF.search(html)
    return match.group(1) if match else None


def current_question(html: str) -> Question | None:
    start = html.find('id="current"')
    if start < 0:
        return None
    section = html[start:]
    question, kind = _QUESTION.search(section), _KIND.search(section)
    if not question or not kind:
        return None
    select = _SELECT.search(section)
    if select:
        options = tuple(value for value in _OPTION.findall(select.group(1)) if value)
    else:
        options = tuple(_CHOICES.findall(section))
    return Question(question.group(1), kind.group(1), options, 'name="unknown"' in section)


def pick(options: tuple[str, ...] | list[str], wanted: PlanValue | None) -> list[str]:
    """The option value(s) to choose: the planned ones, else a don't-know one, else the first."""
    if isinstance(wanted, list):
        chosen = [value for value in wanted if value in options]
        if chosen:
            return chosen
    elif wanted in options:
        return [str(wanted)]
    for fallback in DONT_KNOW_VALUES:
        if fallback in options:
            return [fallback]
    if not options:
        raise ValueError("a choice question without options")
    return [options[0]]


def answer_form(question: Question, plan: Plan, csrf: str) -> dict[str, str | list[str]]:
    """The form fields a person would post to answer `question` following `plan`."""
    fields: dict[str, str | list[str]] = {"csrf": csrf, "question": question.id}
    wanted = plan.get(question.id)
    if question.kind == "info":
        return {**fields, "value": "ok"}
    if wanted == UNKNOWN or (
        question.kind in TYPED_DEFAULTS and wanted is None and question.has_unknown
    ):
        return {**fields, "unknown": "1"}
    if question.kind in TYPED_DEFAULTS:
        return {**fields, "value": str(wanted or TYPED_DEFAULTS[question.kind])}
    return {**fields, "value": pick(question.options, wanted)}
