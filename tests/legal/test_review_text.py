"""Finding texts that the December 2026 legal review found wrong say the corrected thing.

A scenario checks which codes appear; these check what a code says where the review's
correction was to the words alone (legal-review-2026-12.md, cited per test).
"""

from pathlib import Path

import yaml

FINDINGS = yaml.safe_load(
    (Path(__file__).parents[2] / "app" / "content" / "findings.yaml").read_text(encoding="utf-8")
)


def _text(code: str, field: str = "summary") -> str:
    value = FINDINGS[code][field]
    return " ".join(value.values()) if isinstance(value, dict) else value


def test_d05_the_30_gram_exception_carries_over_to_citizenship():
    # INA 101(f)(3) excepts a single 30 g possession from the good-moral-character bar.
    text = _text("deportable_marijuana_exception")
    assert "becoming a citizen" not in text
    assert "citizenship rules make the same exception" in text


def test_d10_inadmissibility_is_not_the_main_charge_for_people_without_papers():
    # They are charged under INA 212(a)(6)(A)(i); the drug ground bars relief and brings 236(c).
    text = _text("inadmissible_cs")
    assert "main reason the government uses" not in text
    assert "blocks most ways to get papers" in text


def test_d16_the_seven_years_run_from_admission_not_entry():
    # INA 240A(a)(2); Barton v. Barr: admission in any status starts the clock.
    text = _text("lpr_cancellation_barred")
    assert "after entry" not in text
    assert "let in with papers, in any status" in text


def test_d12_withholding_is_not_promised_for_a_drug_conviction():
    # A drug offense short of an aggravated felony can still be a particularly serious crime
    # (Matter of N-A-M-; Matter of M-H-).
    text = _text("withholding_possible")
    assert "does not seem to block it" not in text
    assert "a judge looks at the facts" in text
