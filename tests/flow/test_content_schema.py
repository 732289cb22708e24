"""The JSON Schema for content editors (docs/content.schema.json) is the models' own, and the
one list of input kinds is what the JSON API shows."""

from pathlib import Path

from app.flow.content import INPUT_KINDS
from app.flow.content_schema import content_schema, schema_text
from app.web.api.schemas import API_INPUT, Step

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "content.schema.json"


def test_schema_file_matches_the_models() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "regenerate: python -m app.flow.content_schema > docs/content.schema.json"
    )


def test_schema_refuses_unknown_keys_and_names_each_file() -> None:
    definitions = content_schema()["$defs"]
    assert definitions["Node"]["additionalProperties"] is False
    assert {"FlowFile", "FindingsFile", "PageFile"} <= set(definitions)


def test_input_kinds_are_one_list_in_the_content_and_the_contract_s_in_the_api() -> None:
    node_input = content_schema()["$defs"]["Node"]["properties"]["input"]["anyOf"][0]
    api_input = Step.model_json_schema()["properties"]["input"]["anyOf"][0]
    assert node_input["enum"] == list(INPUT_KINDS)
    assert INPUT_KINDS == ("single", "multiple", "year", "number", "zip", "court")
    # DESIGN.md's Step contract: a court question is served as a single choice.
    assert api_input["enum"] == ["single", "multiple", "year", "number", "zip"]
    assert set(API_INPUT) == set(INPUT_KINDS) and API_INPUT["court"] == "single"
