"""The result-page items a scenario's answers show (no web, no database)."""

import datetime

from app.legal.facts import Facts
from app.legal.findings import evaluate
from app.results import applies
from tests.legal.walk import real_engine, walk
from tests.scenarios.loader import load_scenarios


def shown_items(scenario_name: str, page: str) -> set[str]:
    """Ids of the items of `page` that the scenario's result shows."""
    scenario = next(s for s in load_scenarios() if s.name == scenario_name)
    values = walk(scenario.answers).values
    codes = set(evaluate(Facts.from_answers(values, datetime.date.today())))
    items = real_engine().content.pages[page].items
    return {item.id for item in items if applies(item, values, codes)}


def shown_pages(scenario_name: str) -> set[str]:
    """Names of the result-page sections that the scenario's result shows."""
    scenario = next(s for s in load_scenarios() if s.name == scenario_name)
    values = walk(scenario.answers).values
    codes = set(evaluate(Facts.from_answers(values, datetime.date.today())))
    pages = real_engine().content.pages
    return {name for name, page in pages.items() if applies(page, values, codes)}


def shown_codes(scenario_name: str) -> set[str]:
    """The finding codes the scenario's result shows."""
    scenario = next(s for s in load_scenarios() if s.name == scenario_name)
    values = walk(scenario.answers).values
    return set(evaluate(Facts.from_answers(values, datetime.date.today())))
