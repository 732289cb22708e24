"""Derived facts that routing conditions may use beside the answers themselves.

Each is a pure function of the answers given so far on this path (question id -> stored value).
"""

from collections.abc import Callable, Mapping

AnswerValue = str | int | list[str]
Answers = Mapping[str, AnswerValue]


def perspective(answers: Answers) -> str:
    """'they' when someone answers about a family member or friend, so the text says "they"."""
    return "they" if answers.get("who") == "family" else "you"


DERIVED: dict[str, Callable[[Answers], str | None]] = {
    "perspective": perspective,
}
