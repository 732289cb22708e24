"""validate-content: the fixture passes, and a deliberately broken copy fails for each rule,
with a message that names the file and the node."""

from pathlib import Path
from typing import Any

import pytest

from app import cli
from app.checks.content import check_content
from app.i18n import LANGUAGES
from tests.flow.helpers import FLOW_FILE, copy_fixture, edit_nodes, node, write_catalogs


def problems_for(
    tmp_path: Path, change: Any = None, skip_translation: str | None = None
) -> list[str]:
    content_dir = copy_fixture(tmp_path)
    if change is not None:
        edit_nodes(content_dir, change)
    locales_dir = tmp_path / "locales"
    write_catalogs(content_dir, locales_dir, skip=skip_translation)
    problems = check_content(content_dir, locales_dir, with_findings=False)
    return [str(problem) for problem in problems]


def test_fixture_content_is_valid(tmp_path: Path) -> None:
    assert problems_for(tmp_path) == []


def _duplicate(nodes: list[dict[str, Any]]) -> None:
    nodes.append(dict(node(nodes, "intro")))


def _missing_goto(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "intro")["next"] = "nowhere"


def _cycle(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "children_count")["next"] = "case_year"


def _unreachable(nodes: list[dict[str, Any]]) -> None:
    orphan = dict(node(nodes, "intro"), id="orphan")
    nodes.append(orphan)


def _dead_end(nodes: list[dict[str, Any]]) -> None:
    del node(nodes, "case_year")["next"]


def _conditional_last_rule(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "goals")["next"] = [{"when": {"goals": ["travel"]}, "goto": "result_general"}]


def _unknown_condition_key(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "goals")["next"][0]["when"] = {"no_such_question": "x"}


def _unknown_condition_value(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "goals")["next"][0]["when"] = {"goals": ["fly_to_the_moon"]}


def _condition_not_asked_before(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "who")["next"][0]["when"] = {"goals": ["travel"]}


def _no_dont_know(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "goals")["options"] = node(nodes, "goals")["options"][:2]


def _no_unknown_value(nodes: list[dict[str, Any]]) -> None:
    del node(nodes, "case_year")["unknown"]


def _no_sources(nodes: list[dict[str, Any]]) -> None:
    del node(nodes, "zip")["sources"]


def _reviewed_without_reviewer(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "zip")["review"] = {"status": "reviewed"}


def _bad_input_kind(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "zip")["input"] = "free_text"


def _unknown_key(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "zip")["promt"] = "A typo of prompt"


def _option_without_label(nodes: list[dict[str, Any]]) -> None:
    del node(nodes, "goals")["options"][0]["label"]


def _no_result(nodes: list[dict[str, Any]]) -> None:
    for item in nodes:
        if item["type"] == "result":
            item["type"] = "info"
            item["next"] = "who"


def _unknown_placeholder(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "zip")["help"] = "Or call {no_such_line}."


def _placeholder_where_not_filled(nodes: list[dict[str, Any]]) -> None:
    node(nodes, "zip")["prompt"] = "Call {eoir_phone}?"


BROKEN = [
    (_duplicate, "intro", "duplicate id"),
    (_missing_goto, "intro", "names no node"),
    (_cycle, "children_count", "cycle"),
    (_unreachable, "orphan", "unreachable"),
    (_dead_end, "case_year", "dead end"),
    (_conditional_last_rule, "goals", "dead end"),
    (_unknown_condition_key, "goals", "neither a question nor a derived fact"),
    (_unknown_condition_value, "goals", "has no such option"),
    (_condition_not_asked_before, "who", "not asked before here"),
    (_no_dont_know, "goals", "I don't know"),
    (_no_unknown_value, "case_year", "unknown"),
    (_no_sources, "zip", "sources"),
    (_reviewed_without_reviewer, "zip", "reviewer"),
    (_bad_input_kind, "zip", "`input` must be one of"),
    (_unknown_key, "zip", "`promt` is not a known key"),
    (_option_without_label, "goals", "`options.0.label` is missing"),
    (_no_result, "-", "no result node"),
    (_unknown_placeholder, "zip", "unknown placeholder {no_such_line}"),
    (_placeholder_where_not_filled, "zip", "only help, summary"),
]


@pytest.mark.parametrize(
    ("change", "node_id", "message"), BROKEN, ids=lambda v: getattr(v, "__name__", None)
)
def test_each_rule_fails_when_broken(
    tmp_path: Path, change: Any, node_id: str, message: str
) -> None:
    problems = problems_for(tmp_path, change)
    assert any(f": {node_id}: " in problem and message in problem for problem in problems), problems


def test_every_problem_in_a_file_is_listed(tmp_path: Path) -> None:
    def break_three_things(nodes: list[dict[str, Any]]) -> None:
        node(nodes, "zip")["input"] = "free_text"
        del node(nodes, "zip")["sources"]
        node(nodes, "case_year")["min"] = "nineteen ninety"

    problems = problems_for(tmp_path, break_three_things)
    for node_id, message in [
        ("zip", "`input` must be one of"),
        ("zip", "`sources` is missing"),
        ("case_year", "`min` must be a whole number"),
    ]:
        assert any(
            FLOW_FILE in problem and f": {node_id}: {message}" in problem for problem in problems
        ), (message, problems)


def test_missing_translation_names_file_and_node(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, skip_translation="goals.option.travel")
    assert any(
        FLOW_FILE in problem and ": goals: " in problem and "goals.option.travel" in problem
        for problem in problems
    ), problems
    # Once per shipped language but English.
    assert len([p for p in problems if "goals.option.travel" in p]) == len(LANGUAGES) - 1


def test_invalid_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    content_dir = copy_fixture(tmp_path)
    (content_dir / FLOW_FILE).write_text("- id: who\n  prompt: {unclosed\n", "utf-8")
    problems = [str(p) for p in check_content(content_dir, tmp_path / "locales")]
    assert any("not valid YAML" in problem for problem in problems)


def test_command_exits_non_zero_and_names_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content_dir = copy_fixture(tmp_path)
    edit_nodes(content_dir, _missing_goto)
    status = cli.main(["validate-content", "--content", str(content_dir)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{FLOW_FILE}: intro: `goto: nowhere` names no node" in err
