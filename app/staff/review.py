"""Content review: every question, finding and page, its review record, and whether its text
changed since a reviewer looked at it. A review marked here is kept with a hash of the text."""

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from app.db import Database
from app.flow.content import Content
from app.i18n import DEFAULT_LOCALE, LANGUAGES, language_tag
from app.i18n.review import FamilyReview, catalog_level, load_families, load_review
from app.staff.audit import record
from app.staff.models import ContentReview


def _hash(data: Any) -> str:
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("review", "file")}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def items(content: Content) -> list[dict[str, Any]]:
    """(item id, kind, label, review from the YAML, hash of the text) for everything."""
    found = []
    for node in content.nodes.values():
        data = node.model_dump()
        review = data.pop("review")
        found.append(
            {
                "item": f"node:{node.id}",
                "kind": node.type,
                "label": node.id,
                "yaml": review,
                "hash": _hash(data),
            }
        )
    for code, raw in sorted(content.findings.items()):
        found.append(
            {
                "item": f"finding:{code}",
                "kind": "finding",
                "label": code,
                "yaml": raw.review.model_dump(exclude_none=True),
                "hash": _hash(raw.model_dump(exclude_none=True)),
            }
        )
    for name, page in sorted(content.pages.items()):
        found.append(
            {
                "item": f"page:{name}",
                "kind": "page",
                "label": name,
                "yaml": {},  # a page has no review record of its own; its items do
                "hash": _hash(page.model_dump(exclude_none=True)),
            }
        )
    return found


def overview(db: Database, content: Content) -> list[dict[str, Any]]:
    with db.read() as session:
        latest: dict[str, ContentReview] = {}
        for row in session.exec(select(ContentReview).order_by(col(ContentReview.id))):
            latest[row.item] = row
    rows = []
    for entry in items(content):
        marked = latest.get(entry["item"])
        yaml = entry["yaml"]
        if marked is not None:
            status, role, day = "reviewed", marked.role, marked.reviewed_on.isoformat()
            changed: bool | None = marked.text_hash != entry["hash"]
        else:
            status = str(yaml.get("status") or "draft")
            role, day = str(yaml.get("role") or ""), str(yaml.get("date") or "")
            changed = None  # unknown: reviewed outside this site, no text recorded
        rows.append({**entry, "status": status, "role": role, "date": day, "changed": changed})
    return rows


def mark_reviewed(
    db: Database, content: Content, item: str, staff_id: int, role: str, today: date
) -> bool:
    entry = next((e for e in items(content) if e["item"] == item), None)
    if entry is None:
        return False
    with db.write() as session:
        session.add(
            ContentReview(
                item=item,
                text_hash=entry["hash"],
                role=role[:80] or "staff",
                reviewed_on=today,
                staff_id=staff_id,
            )
        )
        record(session, staff_id, "content_reviewed", item)
    return True


def _family_cell(review: FamilyReview) -> dict[str, str]:
    day = review.on.isoformat() if review.on else ""
    return {"level": review.level.name.lower(), "by": review.by, "date": day}


def translations(locales_dir: Path) -> dict[str, Any]:
    """Each translated language's review status per string family (locales/<code>/review.toml),
    for the table above the content items."""
    families = load_families(locales_dir)
    rows = []
    for code, name in LANGUAGES.items():
        if code == DEFAULT_LOCALE:
            continue
        review = load_review(locales_dir, code, families)
        rows.append(
            {
                "code": code,
                "tag": language_tag(code),  # for lang=: BCP 47 (zh-Hans), not the catalog's code
                "name": name,
                "catalog": catalog_level(review).name.lower(),
                "families": [_family_cell(review[f.key]) for f in families],
            }
        )
    return {"families": [{"key": f.key, "label": f.label} for f in families], "rows": rows}
