"""Which findings the questionnaire can produce: a seeded random exploration of its paths.

The graph check proves every path ends in a result; this proves every finding code has some
path to it (and text to show). Walks choose uniformly among allowed answers, and year and number
questions try the values where the law changes (1997, 2010, 2011, the last years), so rare
combinations are reached in a few thousand walks. The seed is fixed: results are repeatable.
"""

import random
from datetime import date

from app.flow.content import EXCLUSIVE_VALUES, Content, Node
from app.flow.engine import Engine
from app.flow.inputs import AnswerValue
from app.legal.facts import Facts
from app.legal.findings import RULES, evaluate

PIVOT_YEARS = (1990, 1996, 1997, 2005, 2009, 2010, 2011, 2012)
ZIPS = ("10001", "90012", "78207", "33130", "60608")


def _values(node: Node, today: date) -> list[AnswerValue]:
    if node.type == "info":
        return ["ok"]
    if node.input == "single":
        return list(node.option_values)
    if node.input == "multiple":
        plain = [v for v in node.option_values if v not in EXCLUSIVE_VALUES]
        each_alone: list[AnswerValue] = [[v] for v in node.option_values]
        return [*each_alone, plain[:2], plain[1:3], plain]
    unknown = [node.unknown] if node.unknown else []
    if node.input == "zip":
        return [*ZIPS, *unknown]
    low = node.minimum or 0
    high = node.maximum if node.maximum is not None else today.year
    candidates = {low, high, *(today.year - n for n in (1, 3, 6, 8, 12))}
    if node.input == "year":
        candidates |= set(PIVOT_YEARS)
    else:
        candidates |= {1, 2, 3}
    return [*sorted(v for v in candidates if low <= v <= high), *unknown]


def explore(content: Content, today: date, budget: int, seed: int = 20261129) -> set[str]:
    """Finding codes reached by a coverage-guided search over complete paths.

    Like a fuzzer: a path that reaches a new finding code or a new answer joins the corpus, and
    later walks keep a random prefix of a corpus path and answer the rest at random. Deep
    combinations (a state, a disposition, a year, a count) are found far sooner than by plain
    random walks.
    """
    engine = Engine(content)
    rng = random.Random(seed)  # noqa: S311 - a repeatable exploration, not a secret
    corpus: list[list[list[AnswerValue]]] = [[]]
    seen_answers: set[tuple[str, str]] = set()
    reached: set[str] = set()
    for _ in range(budget):
        base = rng.choice(corpus)
        position = engine.replay(base[: rng.randint(0, len(base))])
        new = False
        while not position.finished:
            value = rng.choice(_values(position.node, today))
            key = (position.node.id, repr(value))
            if key not in seen_answers:
                seen_answers.add(key)
                new = True
            position = engine.answer(position, position.node.id, value, today)
        codes = set(evaluate(Facts.from_answers(position.values, today)))
        if new or not codes <= reached:
            corpus.append(position.stored)
            reached |= codes
        if reached >= set(RULES):
            break
    return reached


# Walks stop as soon as every code is reached, so a generous budget costs little when all is
# well. 3,000 no longer sufficed once the victim question gained an option (December 2026):
# the seeded search then needed about 8,000 walks to reach the Ninth Circuit expungement.
DEFAULT_BUDGET = 12000


def unreached_findings(content: Content, today: date, budget: int = DEFAULT_BUDGET) -> set[str]:
    return set(RULES) - explore(content, today, budget)


def findings_text_problems(content: Content) -> list[tuple[str, str]]:
    """(code, message) for every finding code without text, and text for no finding code.
    Each entry's fields were checked when the content was read (FindingText)."""
    problems = [
        (code, "no text in findings.yaml") for code in RULES if code not in content.findings
    ]
    problems += [(code, "not a finding code") for code in content.findings if code not in RULES]
    return problems
