"""JSON Schema of the content files, from the models in app/flow/content.py, for editors.

`python -m app.flow.content_schema > docs/content.schema.json` writes it; a test fails when the
file no longer matches the models. An editor points a file at its part, for example
`# yaml-language-server: $schema=../../../docs/content.schema.json#/$defs/FlowFile`.
"""

import json
from typing import Any

from pydantic import TypeAdapter

from app.flow.content import FindingNote, FindingText, Node, Page

FILES: dict[str, tuple[str, TypeAdapter[Any]]] = {
    "FlowFile": ("app/content/flow/*.yaml: the questionnaire's nodes", TypeAdapter(list[Node])),
    "FindingsFile": (
        "app/content/findings.yaml: the text of each finding code",
        TypeAdapter(dict[str, FindingText]),
    ),
    "NotesFile": (
        "app/content/notes.yaml: lines added to findings where a condition holds",
        TypeAdapter(list[FindingNote]),
    ),
    "PageFile": ("app/content/pages/*.yaml: a result-page section", TypeAdapter(Page)),
}


def content_schema() -> dict[str, Any]:
    top, definitions = TypeAdapter.json_schemas(
        [(name, "validation", adapter) for name, (_, adapter) in FILES.items()],
        ref_template="#/$defs/{model}",
    )
    files = {
        name: {**top[name, "validation"], "description": description}
        for name, (description, _) in FILES.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Puente content (docs/content.md)",
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in files],
        "$defs": {**definitions.get("$defs", {}), **files},
    }


def schema_text() -> str:
    return json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
