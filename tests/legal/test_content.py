"""The legal content files keep their contract: codes, urgency, sources, review, conditions."""

import re
from pathlib import Path

import pytest
import yaml

from app.flow import vocabulary
from app.flow.content import load_content
from app.flow.derived import DERIVED, DERIVED_VALUES
from app.flow.yaml_loader import load_yaml
from app.legal.findings import RULES, URGENCY
from tests.legal.walk import REAL_CONTENT

# The contract lives outside the repository (shared/reference/findings.yaml); where it is not
# mounted (CI), app/content/findings.yaml stands in, and the contract comparison is skipped.
SHARED_CONTRACT = Path("/work/shared/reference/findings.yaml")
FINDINGS = load_yaml(REAL_CONTENT / "findings.yaml")
CONTRACT = yaml.safe_load(SHARED_CONTRACT.read_text()) if SHARED_CONTRACT.exists() else FINDINGS
CONTENT = load_content(REAL_CONTENT)
PAGES = {path.stem: load_yaml(path) for path in sorted((REAL_CONTENT / "pages").glob("*.yaml"))}
TEXT_FORM = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
STIGMA = re.compile(r"\billegal (alien|immigrant)s?\b|\billegals\b|criminal alien|\bjunkie", re.I)


def test_findings_text_covers_the_contract_exactly():
    if not SHARED_CONTRACT.exists():
        pytest.skip("shared/reference is not mounted here")
    assert list(FINDINGS) == list(CONTRACT) == list(RULES)


def test_findings_text_and_rules_name_the_same_codes_in_order():
    assert list(FINDINGS) == list(RULES)


@pytest.mark.parametrize("code", list(CONTRACT))
def test_each_finding_has_every_field(code):
    finding = FINDINGS[code]
    assert finding["urgency"] == URGENCY[code]
    for key in ("title", "summary", "next_steps"):
        assert finding[key], (code, key)
    assert finding["citations"] and all(isinstance(c, str) for c in finding["citations"])
    assert finding["sources"]
    assert finding["review"] == {"status": "draft"}


def test_every_node_has_sources_and_a_draft_review():
    for node in CONTENT.nodes.values():
        assert node.sources, node.id
        assert node.review.status == "draft", node.id


def test_every_question_offers_i_dont_know():
    for node in CONTENT.nodes.values():
        if node.type != "question":
            continue
        if node.input in ("single", "multiple", "court"):
            assert {"dont_know", "prefer_not"} & set(node.option_values), node.id
        else:
            assert node.unknown == "dont_know", node.id


def test_year_questions_have_sensible_bounds():
    for node in CONTENT.nodes.values():
        if node.input == "year":
            assert node.minimum is not None and 1900 < node.minimum < 2000, node.id


def test_prompts_speaking_to_you_have_a_they_form():
    # `who` and `helper_mode` come before anyone is answering about someone else.
    for node in CONTENT.nodes.values():
        if node.id in {"who", "helper_mode"}:
            continue
        texts = [node.prompt] + [option.label for option in node.options]
        for text in texts:
            if TEXT_FORM.search(text.you):
                assert text.they, f"{node.id}: {text.you!r} needs a `they` form"


def test_no_stigmatizing_labels_anywhere():
    for path in REAL_CONTENT.rglob("*.yaml"):
        assert not STIGMA.search(path.read_text(encoding="utf-8")), path


def test_addict_only_appears_as_the_words_of_the_law():
    for path in REAL_CONTENT.rglob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "addict" in line.lower() and "addict_ground" not in line:
                assert '"drug abuser or addict"' in line or "(the words" in line, (path, line)


def test_vocabulary_values_exist_in_the_questionnaire():
    options = {node.id: set(node.option_values) for node in CONTENT.nodes.values()}
    groups = {
        "disposition": [vocabulary.CONVICTION_DISPOSITIONS, vocabulary.NON_CONVICTION_DISPOSITIONS],
        "offense_kind": [vocabulary.TRAFFICKING_KINDS, vocabulary.POSSESSION_KINDS],
        "drug": [vocabulary.FEDERAL_DRUGS, vocabulary.UNNAMED_DRUGS],
        "status": [
            vocabulary.CITIZEN_STATUSES,
            vocabulary.ADMITTED_STATUSES,
            vocabulary.NOT_ADMITTED_STATUSES,
            vocabulary.ENTRY_WAY_STATUSES,
        ],
        "case_state": [vocabulary.NINTH_CIRCUIT_STATES],
        "victim": [vocabulary.HUMANITARIAN_VICTIMS],
    }
    for question, sets in groups.items():
        for values in sets:
            assert values <= options[question], (question, values - options[question])


def test_state_questions_list_all_states_dc_and_territories():
    for question in ("case_state", "home_state"):
        codes = set(CONTENT.nodes[question].option_values) - {"dont_know", "outside_us"}
        assert len(codes) == 56 and {"ca", "tx", "dc", "pr", "gu", "vi", "as", "mp"} <= codes


def test_derived_facts_do_not_collide_with_questions_and_list_their_values():
    assert not set(DERIVED) & set(CONTENT.nodes)
    assert set(DERIVED) == set(DERIVED_VALUES)


def _check_condition(condition, where):
    for key, expected in (condition or {}).items():
        values = expected if isinstance(expected, list) else [expected]
        if key == "finding":
            assert set(values) <= set(CONTRACT), where
            continue
        if key in DERIVED:
            assert set(values) <= set(DERIVED_VALUES[key]), where
            continue
        node = CONTENT.nodes.get(key)
        assert node is not None and node.type == "question", (where, key)
        if node.input in ("single", "multiple"):
            assert set(values) <= set(node.option_values), (where, key, values)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_items_are_structured_and_conditions_are_valid(page):
    data = PAGES[page]
    assert data["heading"]
    _check_condition(data.get("when"), page)
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids))
    for item in data["items"]:
        where = f"{page}.{item['id']}"
        assert item["title"] and item["text"], where
        assert item["sources"] and item["review"] == {"status": "draft"}, where
        _check_condition(item.get("when"), where)


def test_rights_and_options_items_all_have_a_condition():
    for page in ("rights", "options"):
        for item in PAGES[page]["items"]:
            assert "when" in item, (page, item["id"])


# No phone number is written in content at all: tests/web/test_placeholder_pages.py.
