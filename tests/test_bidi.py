"""Left-to-right runs in right-to-left translations (app/i18n/bidi.py; journey review P2, P20)."""

import pytest

from app.i18n.bidi import FSI, PDI, bare_runs, isolate_runs, unbalanced_isolates


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        # Glosses in parentheses or quotes keep their brackets inside the isolate.
        ('اترك الرقم A ("A-number") الخاص بك', ['("A-number")']),
        ('"جناية مشدَّدة" ("aggravated felony")', ['("aggravated felony")']),
        ('(جلسة تُسمى "Joseph hearing")', ['"Joseph hearing"']),
        # Form and section numbers, phone numbers, codes and addresses.
        ("النموذج I-862 أو EOIR-33", ["I-862", "EOIR-33"]),
        ("إعفاء 212(c) القديم", ["212(c)"]),
        ("مثل 312-555-0123.", ["312-555-0123"]),  # the full stop stays with the sentence
        ("موقع regulations.gov", ["regulations.gov"]),
        ("مثل https://example.org.", ["https://example.org"]),
        ("أداة ICE Online Detainee Locator ({ice_locator})", ["ICE Online Detainee Locator"]),
        # One word, a bare number, a date: nothing the algorithm can misplace.
        ("لدى ICE و DACA في 29 نوفمبر 2026 خلال 5 أيام", []),
        # Placeholders and tags are not text.
        ("مكتب في %(city)s، اتصل بالرقم {eoir_phone} <strong>الآن</strong>", []),
        # Already isolated.
        (f'الرقم A {FSI}("A-number"){PDI}', []),
    ],
)
def test_bare_runs(text: str, runs: list[str]) -> None:
    assert bare_runs(text) == runs


def test_isolate_runs_wraps_each_run_once() -> None:
    text = 'اترك الرقم A ("A-number") واتصل بالرقم 1-800-898-7180.'
    isolated = isolate_runs(text)
    assert isolated == (
        f'اترك الرقم A {FSI}("A-number"){PDI} واتصل بالرقم {FSI}1-800-898-7180{PDI}.'
    )
    assert isolate_runs(isolated) == isolated
    assert bare_runs(isolated) == []


def test_unbalanced_isolates() -> None:
    assert not unbalanced_isolates(f"a {FSI}b{PDI} c")
    assert unbalanced_isolates(f"a {FSI}b c")
    assert unbalanced_isolates(f"a {PDI}b{FSI} c")
