"""Report how many questions people answer before the result.

Run: /work/main/.venv/bin/python -m tests.legal.path_lengths
Counts questions (info steps are listed apart) on every scenario path, and the longest path the
graph allows (an upper bound: not every branch combination can happen).
"""

import functools
import statistics

from app.flow.content import Content
from tests.legal.walk import real_engine, walk
from tests.scenarios.loader import load_scenarios


def scenario_lengths(common_only: bool = False) -> dict[str, tuple[int, int]]:
    """Scenario name -> (questions, info steps) on its path; `common_only` leaves out the
    scenarios marked `edge` (fact patterns chosen to break the rules, tests/scenarios/loader.py)."""
    lengths = {}
    for scenario in load_scenarios():
        if common_only and scenario.edge:
            continue
        position = walk(scenario.answers)
        infos = sum(1 for node, _ in position.history if node.type == "info")
        lengths[scenario.name] = (position.questions_answered, infos)
    return lengths


def main() -> None:
    lengths = scenario_lengths()
    questions = sorted(q for q, _ in lengths.values())
    for name, (count, infos) in sorted(lengths.items(), key=lambda item: item[1]):
        print(f"{count:3d} questions, {infos} info  {name}")
    common = sorted(q for q, _ in scenario_lengths(common_only=True).values())
    print(
        f"scenarios: {len(questions)}; shortest {questions[0]}, "
        f"median {statistics.median(questions)}, longest {questions[-1]}"
    )
    print(
        f"common paths (scenarios not marked edge): {len(common)}; "
        f"median {statistics.median(common)}, longest {common[-1]}"
    )
    engine = real_engine()
    print(f"longest path the graph allows: {longest_questions(engine.content)}")
    print(f"the progress hint's estimate at the start: about {engine.remaining(engine.start)}")


def longest_questions(content: Content) -> int:
    """Questions on the longest path from the start (the graph is acyclic: validate-content)."""

    @functools.cache
    def longest(node_id: str) -> int:
        node = content.node(node_id)
        own = 1 if node.type == "question" else 0
        return own + max((longest(rule.goto) for rule in node.rules), default=0)

    return longest(content.start)


if __name__ == "__main__":
    main()
