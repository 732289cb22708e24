"""The progress hint's estimate (app/flow/progress.py), checked against the scenario paths:
55 realistic people, each with the number of questions they really had left at every step."""

import statistics

from app.flow import progress
from app.flow.content import load_content
from tests.conftest import FIXTURE_CONTENT
from tests.legal.walk import real_engine, walk
from tests.scenarios.loader import load_scenarios

# The estimate this module replaced (an average over each node's branches) was off by 3.2
# questions on average along these paths.
MEAN_ERROR_BUDGET = 2.5


def _errors_along_scenarios() -> list[int]:
    engine = real_engine()
    errors = []
    for scenario in load_scenarios():
        asked = [node for node, _ in walk(scenario.answers).history if node.type == "question"]
        for index, node in enumerate(asked):
            really_left = len(asked) - index
            errors.append(abs(engine.remaining(node) - really_left))
    return errors


def test_the_hint_is_close_to_what_people_really_have_left():
    errors = _errors_along_scenarios()
    assert statistics.fmean(errors) <= MEAN_ERROR_BUDGET


def test_the_first_question_does_not_promise_a_short_questionnaire():
    engine = real_engine()
    asked = [walk(scenario.answers).questions_answered for scenario in load_scenarios()]
    # Half the scenario people answer 15 or more; "about 6" (the old hint) misled them.
    assert engine.remaining(engine.start) >= 8
    assert engine.remaining(engine.start) <= statistics.median(asked)


def test_the_same_content_always_gives_the_same_hints():
    content = load_content(FIXTURE_CONTENT)
    first = dict(progress.typical_remaining(content))
    progress.typical_remaining.cache_clear()
    assert progress.typical_remaining(content) == first


def test_every_reached_question_counts_itself_and_results_count_nothing():
    content = load_content(FIXTURE_CONTENT)
    reached = progress.typical_remaining(content)
    assert reached, "no simulated person got anywhere"
    for node_id, ahead in reached.items():
        node = content.nodes[node_id]
        assert node.type != "result"
        assert ahead >= (1 if node.type == "question" else 0), node_id
