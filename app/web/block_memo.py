"""Rendered blocks kept for reuse: the question an answer leads to is the same markup for
everyone who reaches it at the same point in the same language, and so is the bubble of the
answer just given but for the answer itself. An answer fragment takes them from here instead of
building their views and rendering them again (docs/benchmarks.md, "Question blocks reused").

The caller names the blocks, a key and a function that builds the values those blocks read
(`Reused`); the blocks are rendered from those values alone, so what they show can depend on
nothing the key does not say. A value that differs from person to person (the CSRF token, the
answer in a bubble) is rendered as a mark, and put in, escaped as autoescape would have, each
time the block is used. So only content is kept: nothing anyone chose or typed is ever part of
a key or of kept markup.
"""

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any


def mark(name: str) -> str:
    """Where a person's value goes in a kept block: a name between two characters of Unicode's
    private use area, which no template or content text holds and autoescape leaves as they
    are, so the mark comes out of rendering unchanged."""
    return f"\ue000{name}\ue000"


CSRF_MARK = mark("csrf")
MARKS = re.compile("\ue000\\w+\ue000")  # every mark: put in by app.web.templating
# Bounded by size, not count: a question is 2-6 thousand characters (prompt, options and the
# step's forms), stored at one byte each in Latin scripts and two in Arabic or Khmer. A million
# characters, 1-2 MB a worker, hold a few hundred questions: the common branches in several
# languages.
CAPACITY = 1_000_000


@dataclass(frozen=True)
class Reused:
    """Blocks of a page whose markup, in one language, follows from `key` alone but for the
    person's values, which `values` renders as marks and `personal` holds for this request."""

    blocks: frozenset[str]
    key: Hashable
    values: Callable[[], dict[str, Any]]  # what those blocks read; built only to render them
    personal: Mapping[str, str] = field(default_factory=dict)  # mark -> this request's value


class BlockMemo:
    """The most recently used rendered blocks, at most `capacity` characters of them, with
    CSRF_MARK where the token goes."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.size = 0  # characters kept
        self._kept: OrderedDict[Hashable, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable) -> str | None:
        html = self._kept.get(key)
        if html is not None:
            self._kept.move_to_end(key)
        return html

    def keep(self, key: Hashable, html: str) -> None:
        replaced = self._kept.pop(key, None)
        self.size += len(html) - (len(replaced) if replaced is not None else 0)
        self._kept[key] = html
        while self.size > self.capacity:
            _, dropped = self._kept.popitem(last=False)
            self.size -= len(dropped)
