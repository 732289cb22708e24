"""Findings (issue 11) and library pages (issue 15) keep a reading age of about 12:
`python -m app.cli reading-level`."""

import statistics

from app.checks.reading_level import (
    GRADE_FOR_READING_AGE_12,
    article_texts,
    finding_texts,
    grade,
    syllables,
)
from app.cli import main
from app.config import ROOT
from app.flow.articles import load_articles
from tests.legal.walk import real_engine


def test_syllables_and_grade_follow_the_formula():
    assert [syllables(w) for w in ("cat", "lawyer", "deported", "immigration")] == [1, 2, 3, 4]
    # 6 words, 1 sentence, 6 syllables: 0.39 * 6 + 11.8 * 1 - 15.59
    assert round(grade("The cat sat on the mat."), 2) == -1.45
    assert grade("Immigration consequences are complicated.") > grade("Ask a lawyer now.")


def test_median_finding_grade_is_about_reading_age_12():
    # "About 12" is a school grade of about 7; a year over is still "about", two is not.
    grades = [grade(text) for _, text in finding_texts(real_engine().content)]
    assert statistics.median(grades) <= GRADE_FOR_READING_AGE_12 + 1


def test_the_command_prints_the_median(capsys):
    assert main(["reading-level"]) == 0
    printed = capsys.readouterr().out
    assert "findings:" in printed and "library sections:" in printed


def test_library_pages_keep_a_reading_age_of_about_12():
    # Issue 15: each article "reading age about 12". The median section stays about grade 7,
    # and no page as a whole drifts two grades past it (a hard section is one paragraph, a
    # hard page is a page nobody finishes).
    articles = list(load_articles(ROOT / "app" / "content").values())
    sections = article_texts(articles)
    assert statistics.median(grade(text) for _, text in sections) <= GRADE_FOR_READING_AGE_12 + 1
    pages: dict[str, list[str]] = {}
    for name, text in article_texts(articles):
        pages.setdefault(name.split("#")[0], []).append(text)
    hard = {slug: round(grade(" ".join(texts)), 1) for slug, texts in pages.items()}
    assert len(hard) >= 14, hard
    assert max(hard.values()) <= GRADE_FOR_READING_AGE_12 + 2, hard
