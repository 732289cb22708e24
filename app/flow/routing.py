"""Where a node leads: its rules, tried in order, each a set of equality or membership
conditions on the answers so far (and on derived facts, app/flow/derived.py)."""

from collections.abc import Mapping, Sequence
from typing import Any

from app.flow.content import Content, Node, Rule
from app.flow.derived import DERIVED
from app.flow.inputs import AnswerValue


def condition_holds(key: str, expected: Sequence[str], values: Mapping[str, AnswerValue]) -> bool:
    if key in values:
        actual: Any = values[key]
    elif key in DERIVED:
        actual = DERIVED[key](values)
    else:
        return False
    if isinstance(actual, list):
        return any(item in expected for item in actual)
    return actual is not None and str(actual) in expected


def conditions_hold(
    when: Mapping[str, Sequence[str]],
    when_not: Mapping[str, Sequence[str]],
    values: Mapping[str, AnswerValue],
) -> bool:
    return all(condition_holds(key, want, values) for key, want in when.items()) and not any(
        condition_holds(key, avoid, values) for key, avoid in when_not.items()
    )


def rule_applies(rule: Rule, values: Mapping[str, AnswerValue]) -> bool:
    return conditions_hold(rule.when, rule.when_not, values)


def next_node(content: Content, node: Node, values: Mapping[str, AnswerValue]) -> Node:
    for rule in node.rules:
        if rule_applies(rule, values):
            return content.node(rule.goto)
    # validate-content guarantees a default rule; this only guards hand-made content.
    raise LookupError(f"{node.file}: {node.id}: no rule applies")
