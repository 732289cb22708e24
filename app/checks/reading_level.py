"""Reading level of the English finding texts and library pages: `python -m app.cli
reading-level`.

The Flesch-Kincaid grade of each finding (title, summary and next steps, the `you` form), and
their median. The issue asks for a reading age of about 12, which is a U.S. school grade of
about 7 (age = grade + 5); tests/legal/test_reading_level.py holds the median there.

Syllables are counted with the usual vowel-group rule rather than a dictionary (no package
needed), so figures differ a little from textstat's: the December 2026 review measured 6.3
with textstat 0.7.3 on the 44 findings of that time.
"""

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from app.flow.articles import Article
from app.flow.content import Content

GRADE_FOR_READING_AGE_12 = 7.0
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e or -ed/-es; every word has at least one."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 1  # a number is read as about one syllable a token
    if len(letters) <= 3:
        return 1
    letters = re.sub(r"(?:[^laeiouy]es|[^laeiouydt]ed|[^laeiouy]e)$", "", letters)
    letters = re.sub(r"^y", "", letters)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", letters)))


def grade(text: str) -> float:
    """Flesch-Kincaid grade: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() + " ")))
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * len(words) / sentences + 11.8 * per_word - 15.59


@dataclass(frozen=True)
class Measured:
    name: str
    grade: float


def finding_texts(content: Content) -> Iterable[tuple[str, str]]:
    for code, text in content.findings.items():
        parts = (text.title.you, text.summary.you, text.next_steps.you)
        # A title has no full stop; give it one so it counts as its own sentence.
        yield code, " ".join(part if part.rstrip()[-1:] in ".!?" else part + "." for part in parts)


def article_texts(articles: Iterable[Article]) -> Iterable[tuple[str, str]]:
    """Each library page's ordinary prose, one text a section (a heading and a bullet are
    sentences of their own). The glossary is left out: a definition names the hard word it
    defines, which is the point of it."""
    for article in articles:
        if article.layout == "glossary":
            continue
        for section in article.sections:
            parts = (section.heading, *section.paragraphs, *section.points)
            text = " ".join(part if part.rstrip()[-1:] in ".!?" else part + "." for part in parts)
            yield f"{article.slug}#{section.id}", text


def measure(texts: Iterable[tuple[str, str]]) -> list[Measured]:
    return sorted((Measured(name, grade(text)) for name, text in texts), key=lambda m: m.grade)


def _lines(kind: str, measured: list[Measured]) -> list[str]:
    grades = [m.grade for m in measured]
    above = [m for m in measured if m.grade > 8]
    return [
        f"{kind}: {len(measured)} texts, median Flesch-Kincaid grade "
        f"{statistics.median(grades):.1f} (reading age about 12 = grade "
        f"{GRADE_FOR_READING_AGE_12:.0f}), {len(above)} above grade 8",
        "hardest: " + ", ".join(f"{m.name} {m.grade:.1f}" for m in reversed(measured[-5:])),
    ]


def report(content: Content, articles: Iterable[Article] = ()) -> str:
    lines = _lines("findings", measure(finding_texts(content)))
    library = measure(article_texts(articles))
    if library:
        lines += _lines("library sections", library)
    return "\n".join(lines)
