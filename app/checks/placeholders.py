"""validate-content: placeholders in content text name a value the renderer fills.

Content names national numbers and addresses by placeholder (`{eoir_phone}`); the values come
from the directory (app/referrals/placeholders.py). A name the registry lacks, or a placeholder
in a string the renderer does not fill, would reach people as raw braces.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.flow.content import Problem
from app.flow.yaml_loader import load_yaml_or_none
from app.referrals.placeholders import PLACEHOLDERS, Field, placeholder_names

# The strings app/results.py and the chat views fill: a question's help, a finding's summary
# and next steps, a page item's text (contexts as app/flow/texts.py builds them), an
# article's paragraphs and points (app/flow/articles.py).
FILLED_CONTEXT = re.compile(
    r"^(\w+\.help|finding\.\w+\.(summary|next_steps)|page\.\w+\.items\.\w+\.text"
    r"|learn\.[\w-]+\.\w+\.(p|point)\d+)(\.they)?$"
)


def check_placeholders(content_dir: Path, catalog: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """`catalog`: every (file, context, English) content shows (checks.content.content_catalog)."""
    problems = []
    for file, context, text in catalog:
        # `zip.help` → zip; `finding.travel_risk.summary` → travel_risk; a page item → its path
        node = context.removesuffix(".they").rsplit(".", 1)[0].split(".", 1)[-1]
        for name in placeholder_names(text):
            if name not in PLACEHOLDERS:
                known = ", ".join(sorted(PLACEHOLDERS))
                problems.append(
                    Problem(file, node, f"unknown placeholder {{{name}}} (known: {known})")
                )
            elif not FILLED_CONTEXT.match(context):
                problems.append(
                    Problem(
                        file,
                        node,
                        f"{{{name}}} in {context!r}: only help, summary, "
                        "next_steps and page item text are filled",
                    )
                )
    for path in sorted((content_dir / "pages").glob("*.yaml")):
        file = str(path.relative_to(content_dir))
        for item in _items(load_yaml_or_none(path)):
            phone = item.get("phone")
            if phone is None:
                continue
            placeholder = PLACEHOLDERS.get(str(phone))
            if placeholder is None or placeholder.field is not Field.phone:
                phones = ", ".join(n for n, p in PLACEHOLDERS.items() if p.field is Field.phone)
                message = f"`phone: {phone}` is not a phone placeholder (known: {phones})"
                problems.append(Problem(file, str(item.get("id", "-")), message))
    return problems


def _items(data: Any) -> list[dict[str, Any]]:
    items = data.get("items", []) if isinstance(data, dict) else []
    return [item for item in items if isinstance(item, dict)]
