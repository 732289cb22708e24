"""Rendered blocks kept for reuse: the question an answer leads to is the same markup for
everyone who reaches it at the same point in the same language, so an answer fragment takes it
from here instead of building its view and rendering it again (docs/benchmarks.md, "Question
blocks reused").

The caller names the blocks, a key and a function that builds the values those blocks read
(`Reused`); the blocks are rendered from those values alone, so what they show can depend on
nothing the key does not say. The one value that differs from person to person, the CSRF
token, is rendered as a mark and put in when a block is used. Only content is kept: the answer
route reuses the question only when it shows no error, so nothing anyone typed is ever a key
or kept markup.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

# A character of Unicode's private use area: no template or content text holds one, and
# autoescape leaves it as it is, so the mark comes out of rendering unchanged.
CSRF_MARK = "\ue000csrf\ue000"
# Bounded by size, not count: a question is 2-6 thousand characters (prompt, options and the
# step's forms), stored at one byte each in Latin scripts and two in Arabic or Khmer. A million
# characters, 1-2 MB a worker, hold a few hundred questions: the common branches in several
# languages.
CAPACITY = 1_000_000


@dataclass(frozen=True)
class Reused:
    """Blocks of a page whose markup, in one language, follows from `key` alone."""

    blocks: frozenset[str]
    key: Hashable
    values: Callable[[], dict[str, Any]]  # what those blocks read; built only to render them


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
