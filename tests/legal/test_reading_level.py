"""Findings keep a reading age of about 12 (issue 11): `python -m app.cli reading-level`."""

import statistics

from app.checks.reading_level import GRADE_FOR_READING_AGE_12, finding_texts, grade, syllables
from app.cli import main
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
    assert "median Flesch-Kincaid grade" in capsys.readouterr().out
