"""Report how many questions people answer before the result.

Run: /work/main/.venv/bin/python -m tests.legal.path_lengths
Counts questions (info steps are listed apart) on every scenario path, and the longest path the
graph allows (an upper bound: not every branch combination can happen).
"""

import statistics

from tests.legal.walk import real_engine, walk
from tests.scenarios.loader import load_scenarios


def scenario_lengths() -> dict[str, tuple[int, int]]:
    """Scenario name -> (questions, info steps) on its path."""
    lengths = {}
    for scenario in load_scenarios():
        position = walk(scenario.answers)
        infos = sum(1 for node, _ in position.history if node.type == "info")
        lengths[scenario.name] = (position.questions_answered, infos)
    return lengths


def main() -> None:
    lengths = scenario_lengths()
    questions = sorted(q for q, _ in lengths.values())
    for name, (count, infos) in sorted(lengths.items(), key=lambda item: item[1]):
        print(f"{count:3d} questions, {infos} info  {name}")
    print(f"scenarios: {len(questions)}; shortest {questions[0]}, "
          f"median {statistics.median(questions)}, longest {questions[-1]}")
    print(f"longest path the graph allows: {real_engine().remaining(real_engine().start)}")


if __name__ == "__main__":
    main()
