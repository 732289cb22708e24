"""Proofs about the questionnaire graph, each problem naming its file and node.

Every goto and condition points at something that exists; every question offers a way to say
"I don't know"; every node is reachable from the start; there is no cycle; every non-result
node has a default rule, so every path ends in a result.
"""

from collections.abc import Callable

from app.flow.content import UNKNOWN_VALUES, Content, Node, Problem
from app.flow.derived import DERIVED


def check_graph(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for node in content.nodes.values():
        problems += _check_node(content, node)
    problems += _check_cycles(content)
    reachable = _reachable(content)
    problems += [
        Problem(node.file, node.id, "unreachable from the start node")
        for node in content.nodes.values()
        if node.id not in reachable
    ]
    if not any(node.type == "result" for node in content.nodes.values()):
        problems.append(Problem("flow", "-", "there is no result node"))
    problems += _check_conditions_can_hold(content)
    return problems


def _check_node(content: Content, node: Node) -> list[Problem]:
    problems = []

    def report(message: str) -> None:
        problems.append(Problem(node.file, node.id, message))

    if node.id in DERIVED:
        report("id collides with a derived fact of the same name")
    for rule in node.rules:
        if rule.goto not in content.nodes:
            report(f"`goto: {rule.goto}` names no node")
        for key, values in (*rule.when.items(), *rule.when_not.items()):
            check_condition(content, key, values, report)
    if node.type != "result":
        if not node.rules:
            report("dead end: no `next`")
        elif node.rules[-1].when or node.rules[-1].when_not:
            report("dead end: the last rule in `next` must have no condition (the default)")
    if node.type == "question":
        if node.input in ("single", "multiple", "court"):
            values = node.option_values
            if len(set(values)) != len(values):
                report("option values must be unique")
            if not UNKNOWN_VALUES.intersection(values):
                report('needs an "I don\'t know" or "I\'d rather not say" option')
        elif node.unknown is None:
            report('needs `unknown:` (the value stored for "I don\'t know")')
        if node.input in ("year", "number") and node.minimum is None:
            report("needs `min`")
    return problems


def check_condition(
    content: Content, key: str, values: tuple[str, ...], report: Callable[[str], None]
) -> None:
    if key in DERIVED:
        return
    target = content.nodes.get(key)
    if target is None or target.type != "question":
        report(f"condition on {key!r}, which is neither a question nor a derived fact")
        return
    if target.input in ("single", "multiple"):
        for value in values:
            if target.option(value) is None:
                report(f"condition {key}={value!r}: {key} has no such option")


def _check_cycles(content: Content) -> list[Problem]:
    state: dict[str, str] = {}
    problems: list[Problem] = []

    def visit(node_id: str) -> None:
        state[node_id] = "open"
        for rule in content.nodes[node_id].rules:
            target = rule.goto
            if target not in content.nodes:
                continue
            if state.get(target) == "open":
                node = content.nodes[node_id]
                problems.append(Problem(node.file, node.id, f"cycle: `goto: {target}` loops back"))
            elif target not in state:
                visit(target)
        state[node_id] = "done"

    for node_id in content.nodes:
        if node_id not in state:
            visit(node_id)
    return problems


def _reachable(content: Content) -> set[str]:
    seen = {content.start}
    stack = [content.start]
    while stack:
        for rule in content.nodes[stack.pop()].rules:
            if rule.goto in content.nodes and rule.goto not in seen:
                seen.add(rule.goto)
                stack.append(rule.goto)
    return seen


def _check_conditions_can_hold(content: Content) -> list[Problem]:
    """A condition on a question that can never come before the rule would silently never match."""
    before = _predecessors(content)
    problems = []
    for node in content.nodes.values():
        for rule in node.rules:
            for key in (*rule.when, *rule.when_not):
                if key in content.nodes and key not in before.get(node.id, set()) | {node.id}:
                    problems.append(
                        Problem(node.file, node.id, f"condition on {key!r}, not asked before here")
                    )
    return problems


def _predecessors(content: Content) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {node_id: set() for node_id in content.nodes}
    for node in content.nodes.values():
        for rule in node.rules:
            if rule.goto in parents:
                parents[rule.goto].add(node.id)
    memo: dict[str, set[str]] = {}

    def ancestors(node_id: str, seen: frozenset[str]) -> set[str]:
        if node_id in memo:
            return memo[node_id]
        found: set[str] = set()
        for parent in parents[node_id]:
            if parent not in seen:
                found |= {parent} | ancestors(parent, seen | {node_id})
        memo[node_id] = found
        return found

    return {node_id: ancestors(node_id, frozenset()) for node_id in content.nodes}
