"""Where a person is in the questionnaire, and where an answer takes them.

The stored answers, in order, are the whole state: replaying them from the start node gives the
current node, so going back is dropping the last answer and changing an earlier answer is
dropping it and everything after it. Nothing about a session is kept in memory.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.flow.content import Content, Node, Rule
from app.flow.derived import DERIVED
from app.flow.inputs import AnswerValue, RawValue, check_value


class OutOfOrder(Exception):
    """The answer is not for the current question (a replayed or stale form)."""


@dataclass(frozen=True)
class Position:
    node: Node
    history: tuple[tuple[Node, AnswerValue], ...]

    @property
    def values(self) -> dict[str, AnswerValue]:
        return {node.id: value for node, value in self.history}

    @property
    def stored(self) -> list[list[Any]]:
        return [[node.id, value] for node, value in self.history]

    @property
    def perspective(self) -> str:
        return DERIVED["perspective"](self.values) or "you"

    @property
    def finished(self) -> bool:
        return self.node.type == "result"

    @property
    def questions_answered(self) -> int:
        return sum(1 for node, _ in self.history if node.type == "question")


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


def rule_applies(rule: Rule, values: Mapping[str, AnswerValue]) -> bool:
    return all(condition_holds(key, want, values) for key, want in rule.when.items()) and not any(
        condition_holds(key, avoid, values) for key, avoid in rule.when_not.items()
    )


class Engine:
    def __init__(self, content: Content) -> None:
        self.content = content
        self._remaining = _typical_remaining(content)

    @property
    def start(self) -> Node:
        return self.content.node(self.content.start)

    def next_node(self, node: Node, values: Mapping[str, AnswerValue]) -> Node:
        for rule in node.rules:
            if rule_applies(rule, values):
                return self.content.node(rule.goto)
        # validate-content guarantees a default rule; this only guards hand-made content.
        raise LookupError(f"{node.file}: {node.id}: no rule applies")

    def replay(self, stored: Sequence[Sequence[Any]]) -> Position:
        """The position reached by stored answers, keeping the longest prefix that still fits."""
        node = self.start
        history: list[tuple[Node, AnswerValue]] = []
        for entry in stored:
            if node.type == "result" or len(entry) != 2 or entry[0] != node.id:
                break
            history.append((node, entry[1]))
            node = self.next_node(node, dict((n.id, v) for n, v in history))
        return Position(node, tuple(history))

    def answer(self, position: Position, question_id: str, raw: RawValue, today: date) -> Position:
        """The position after answering the current question; raises OutOfOrder or InvalidAnswer."""
        if position.finished or question_id != position.node.id:
            raise OutOfOrder(question_id)
        value = check_value(position.node, raw, today)
        history = (*position.history, (position.node, value))
        values = {node.id: v for node, v in history}
        return Position(self.next_node(position.node, values), history)

    def back(self, position: Position) -> Position:
        """Drop the last answer (an info step's acknowledgement included)."""
        if not position.history:
            return position
        return Position(position.history[-1][0], position.history[:-1])

    def change(self, position: Position, question_id: str) -> Position:
        """Reopen an earlier question, dropping its answer and every later one."""
        for index, (node, _) in enumerate(position.history):
            if node.id == question_id:
                return Position(node, position.history[:index])
        raise OutOfOrder(question_id)

    def remaining(self, node: Node) -> int:
        """About how many more questions follow this node, itself included (progress hint)."""
        return round(self._remaining.get(node.id, 0.0))


def _typical_remaining(content: Content) -> dict[str, float]:
    """Questions left from each node, averaged over the branches it can take.

    The longest path overstates what most people answer and frightens them; an average over
    each node's distinct next nodes is an honest "about".
    """
    memo: dict[str, float] = {}

    def typical(node_id: str, seen: frozenset[str]) -> float:
        if node_id in memo:
            return memo[node_id]
        node = content.nodes.get(node_id)
        if node is None or node_id in seen:
            return 0.0
        own = 1.0 if node.type == "question" else 0.0
        targets = {rule.goto for rule in node.rules}
        after = [typical(target, seen | {node_id}) for target in sorted(targets)]
        memo[node_id] = own + (sum(after) / len(after) if after else 0.0)
        return memo[node_id]

    for node_id in content.nodes:
        typical(node_id, frozenset())
    return memo
