"""Search words for languages written without spaces between words (Chinese, Khmer).

Both engines split text at spaces and punctuation, so in these languages a whole phrase is one
token and a word inside it cannot be found. The classic answer, without a dictionary: index
every pair of neighbouring characters of each run of the script, and look a typed word up as
its pairs, all of which must be there. Each pair is written as digits (two zero-padded
seven-digit code points), because Porter stemming, accent folding and the engines' handling of
Khmer vowel signs would otherwise alter or split it; digits pass through both untouched. A
run's last character is also indexed alone, so a one-character search, as the prefix of the
pairs and of that token, finds every place the character appears.
"""

import itertools
import re
import unicodedata

UNSEGMENTED = frozenset({"zh_Hans", "km"})
MAX_PAIRS = 24  # pairs looked up per search; a long Khmer word is ten or more code points
MARGIN = 4  # times the results wanted asked of the engine, for `holds` to choose from
# Han ideographs (the basic block, extension A, compatibility forms, extensions B and on) and
# Khmer letters, vowel signs and marks; Khmer punctuation (U+17D4-U+17D6, U+17D8-U+17DA) and
# digits end a run, as spaces and punctuation do.
_RUN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u1780-\u17d3\u17d7\u17dc\u17dd]+"
)
_COENG = "\u17d2"


def runs(words: str) -> list[str]:
    """The runs of the scripts above, compatibility forms folded as the index folds them."""
    return _RUN.findall(unicodedata.normalize("NFKC", words))


def _code(char: str) -> str:
    return f"{ord(char):07d}"


def _pairs(run: str) -> list[str]:
    return [_code(first) + _code(second) for first, second in itertools.pairwise(run)]


def index_tokens(words: str) -> list[str]:
    """What the index holds for the text: each run's pairs, and its last character alone."""
    found = []
    for run in runs(words):
        found += _pairs(run)
        found.append(_code(run[-1]))
    return found


def query_tokens(words: str) -> list[str]:
    """What a search looks for: each run's pairs; a one-character run as its character alone
    (the caller matches every token as a prefix, so that finds the pairs it starts too)."""
    found = []
    for run in runs(words):
        found += _pairs(run) if len(run) > 1 else [_code(run)]
    return found[:MAX_PAIRS]


def holds(text: str, typed_runs: list[str]) -> bool:
    """Whether the text holds each run typed, whole: all of a word's pairs can be in a section
    apart from each other, and that section is not a match."""
    folded = unicodedata.normalize("NFKC", text)
    return all(run in folded for run in typed_runs)


def without_runs(words: str) -> str:
    """The text with the runs taken out, for the other words a search may hold (Latin names)."""
    return _RUN.sub(" ", unicodedata.normalize("NFKC", words))


def excerpt(body: str, terms: list[str], width: int = 90) -> tuple[tuple[str, bool], ...]:
    """About `width` characters of the body from just before the first term, each term marked,
    as (text, is a matched word): the engines' own snippets cut these languages at phrases, so
    they would mark a whole phrase or, for a match found through the pairs, nothing."""
    wanted = sorted({term for term in terms if term}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, wanted)), re.IGNORECASE) if wanted else None
    first = pattern.search(body) if pattern else None
    start = _cluster_start(body, max(0, first.start() - width // 4)) if first else 0
    end = _cluster_start(body, min(len(body), start + width))
    window = body[start:end]
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    place = 0
    for found in pattern.finditer(window) if pattern else ():
        parts += [(window[place : found.start()], False), (found.group(), True)]
        place = found.end()
    parts.append((window[place:] + ("…" if end < len(body) else ""), False))
    return tuple(part for part in parts if part[0])


def _cluster_start(text: str, place: int) -> int:
    """`place`, moved back so that it does not part a Khmer letter from its vowel sign or from
    the letter written below it (after the sign U+17D2)."""
    while 0 < place < len(text) and (
        unicodedata.category(text[place]).startswith("M") or text[place - 1] == _COENG
    ):
        place -= 1
    return place
