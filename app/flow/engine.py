"""Where a person is in the questionnaire, and where an answer takes them.

The stored answers, in order, are the whole state: replaying them from the start node gives the
current node, so going back is dropping the last answer and changing an earlier answer is
dropping it and everything after it. Nothing about a session is kept in memory.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.flow.content import Content, Node
from app.flow.derived import DERIVED
from app.flow.inputs import AnswerValue, PlaceOfZip, RawValue, check_value, state_of
from app.flow.places import CourtPlaces, NoPlaces, PlaceList
from app.flow.progress import typical_remaining
from app.flow.routing import next_node


class OutOfOrder(Exception):
    """The answer is not for the current question (a replayed or stale form)."""


@dataclass(frozen=True)
class Position:
    node: Node
    history: tuple[tuple[Node, AnswerValue], ...]
    # Worked out once, when the position is made: a step reads them several times (the
    # question's inputs, its court list, the perspective of every text). A position never
    # changes, and nothing changes the dict. (functools.cached_property takes a lock on every
    # read in Python 3.11.)
    values: dict[str, AnswerValue] = field(init=False, compare=False, repr=False)
    perspective: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        values = {node.id: value for node, value in self.history}
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "perspective", DERIVED["perspective"](values) or "you")

    @property
    def stored(self) -> list[list[Any]]:
        return [[node.id, value] for node, value in self.history]

    @property
    def finished(self) -> bool:
        return self.node.type == "result"

    @property
    def questions_answered(self) -> int:
        return sum(1 for node, _ in self.history if node.type == "question")


class Engine:
    def __init__(
        self,
        content: Content,
        place_of_zip: PlaceOfZip = state_of,
        places: CourtPlaces | None = None,
    ) -> None:
        """`place_of_zip`: what a ZIP answer keeps (app/flow/inputs.py); the app passes one
        that adds the nearest immigration court (app/referrals/court_finder.py). `places`: the
        lists of `court` questions (app/flow/places.py; the app's reads the directory)."""
        self.content = content
        self.place_of_zip = place_of_zip
        self.places: CourtPlaces = places or NoPlaces()
        self._remaining = typical_remaining(content)

    @property
    def start(self) -> Node:
        return self.content.node(self.content.start)

    def next_node(self, node: Node, values: Mapping[str, AnswerValue]) -> Node:
        """The node the rules lead to; a court question with nothing to list is passed over
        (a state with no court known, or no directory), as if it were not on the path."""
        following = next_node(self.content, node, values)
        while following.input == "court" and not self.choices(following, values).places:
            following = next_node(self.content, following, values)
        return following

    def choices(self, node: Node, values: Mapping[str, AnswerValue]) -> PlaceList:
        """The places a `court` question offers after these answers; nothing for other nodes."""
        return self.places.choices(node, values) if node.input == "court" else PlaceList()

    def replay(self, stored: Sequence[Sequence[Any]]) -> Position:
        """The position reached by stored answers, keeping the longest prefix that still fits."""
        node = self.start
        history: list[tuple[Node, AnswerValue]] = []
        values: dict[str, AnswerValue] = {}  # the answers so far, kept as they grow
        for entry in stored:
            if node.type == "result" or len(entry) != 2 or entry[0] != node.id:
                break
            history.append((node, entry[1]))
            values[node.id] = entry[1]
            node = self.next_node(node, values)
        return Position(node, tuple(history))

    def answer(self, position: Position, question_id: str, raw: RawValue, today: date) -> Position:
        """The position after answering the current question; raises OutOfOrder or InvalidAnswer."""
        if position.finished or question_id != position.node.id:
            raise OutOfOrder(question_id)
        node = position.node
        places = self.choices(node, position.values)
        value = check_value(node, raw, today, self.place_of_zip, places)
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
