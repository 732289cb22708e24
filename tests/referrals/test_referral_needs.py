"""From findings to needs."""

from pathlib import Path

import pytest
import yaml

from app.referrals.needs import FINDING_NEEDS, needs_from_findings
from app.referrals.vocabulary import NEED_TERMS, Need


def _findings_yaml() -> Path | None:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "reference" / "findings.yaml"
        if candidate.is_file():
            return candidate
    return None


def test_every_finding_code_has_an_entry():
    path = _findings_yaml()
    if path is None:
        pytest.skip("shared/reference/findings.yaml is not beside the repository")
    codes = set(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert codes == set(FINDING_NEEDS)


def test_every_need_has_terms():
    assert set(NEED_TERMS) == set(Need)


@pytest.mark.parametrize(
    ("codes", "facts", "expected"),
    [
        ([], {}, {"general"}),
        (["us_citizen_no_immigration_consequence"], {}, {"general"}),
        (["deportable_cs"], {}, {"general", "crim_imm"}),
        (["detained_family_resources"], {}, {"general", "detained"}),
        (["urgent_hearing_soon"], {}, {"general", "hearing_soon"}),
        (["padilla_claim_worth_exploring"], {}, {"general", "post_conviction"}),
        (["post_conviction_relief_worth_exploring"], {}, {"general", "post_conviction"}),
        (["pending_charges_consult_before_plea"], {}, {"general", "pending_case", "crim_imm"}),
        ([], {"detained": True}, {"general", "detained"}),
        ([], {"hearing_soon": True}, {"general", "hearing_soon"}),
        ([], {"case_pending": True}, {"general", "pending_case", "crim_imm"}),
        (["a_code_from_the_future"], {}, {"general"}),
    ],
)
def test_needs_from_findings(codes, facts, expected):
    assert needs_from_findings(codes, **facts) == frozenset(expected)
