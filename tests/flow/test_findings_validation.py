"""validate-content on the shipped questionnaire: every finding has text and a path to it;
page conditions name real questions, options and codes. Broken copies fail, naming the place."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from app.checks.content import check_findings, check_pages
from app.checks.finding_coverage import unreached_findings
from app.flow.content import ContentError, load_content, read_content
from app.flow.yaml_loader import load_yaml
from app.legal import findings
from tests.conftest import REAL_CONTENT


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


def rewrite(path: Path, change) -> None:
    data = load_yaml(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_shipped_content_reaches_every_finding() -> None:
    content = load_content(REAL_CONTENT)
    assert check_findings(content) == []
    assert check_pages(content) == []


def test_missing_finding_text_is_named(content_copy: Path) -> None:
    rewrite(content_copy / "findings.yaml", lambda data: data["travel_risk"].pop("summary"))
    _content, problems = read_content(content_copy)
    assert [(Path(p.file).name, p.node, p.message) for p in problems] == [
        ("findings.yaml", "travel_risk", "`summary` is missing")
    ]


def test_finding_code_without_text_is_named(content_copy: Path) -> None:
    rewrite(content_copy / "findings.yaml", lambda data: data.pop("travel_risk"))
    problems = [str(p) for p in check_findings(load_content(content_copy))]
    assert "app/content/findings.yaml: travel_risk: no text in findings.yaml" in problems


def test_a_finding_no_path_gives_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(findings.RULES, "cat_possible", lambda facts: False)
    content = load_content(REAL_CONTENT)
    assert "cat_possible" in unreached_findings(content, date(2026, 11, 29), budget=300)
    problems = [str(p) for p in check_findings(content)]
    assert any("cat_possible: no path" in problem for problem in problems)


def test_page_condition_on_a_missing_option_is_named(content_copy: Path) -> None:
    def break_first_condition(data: dict) -> None:
        item = next(i for i in data["items"] if i.get("when"))
        item["when"] = {"detained": ["on_the_moon"]}

    rewrite(content_copy / "pages" / "rights.yaml", break_first_condition)
    problems = [str(p) for p in check_pages(load_content(content_copy))]
    assert any("pages/rights.yaml" in p and "has no such option" in p for p in problems)


def test_page_naming_an_unknown_finding_is_named(content_copy: Path) -> None:
    rewrite(
        content_copy / "pages" / "options.yaml",
        lambda data: data["items"][0].update(when={"finding": ["no_such_code"]}),
    )
    problems = [str(p) for p in check_pages(load_content(content_copy))]
    assert any("`finding: no_such_code` is not a finding code" in p for p in problems)


def test_unknown_key_in_a_page_item_names_the_page_and_item(content_copy: Path) -> None:
    rewrite(content_copy / "pages" / "rights.yaml", lambda data: data["items"][0].update(titel="x"))
    _content, problems = read_content(content_copy)
    assert [(Path(p.file).name, p.node, p.message) for p in problems] == [
        ("rights.yaml", "rights.at_home", "`items.0.titel` is not a known key (a typo?)")
    ]


def test_loading_refuses_an_urgency_outside_the_vocabulary(content_copy: Path) -> None:
    rewrite(content_copy / "findings.yaml", lambda data: data["travel_risk"].update(urgency="soon"))
    with pytest.raises(ContentError) as refused:
        load_content(content_copy)
    assert any(
        "findings.yaml: travel_risk: `urgency` Input should be 'act_now', 'important' or "
        "'good_to_know'" in str(problem)
        for problem in refused.value.problems
    )
