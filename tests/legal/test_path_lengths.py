"""The questionnaire stays short on the common paths (DESIGN.md budget: median at most 15)."""

import statistics

from tests.legal.path_lengths import scenario_lengths


def test_median_questions_on_scenario_paths_is_at_most_15():
    questions = [count for count, _ in scenario_lengths(common_only=True).values()]
    assert statistics.median(questions) <= 15
