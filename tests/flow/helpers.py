"""Helpers for content tests: copy the fixture questionnaire, change it, give it catalogs."""

import shutil
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from app.checks.content import content_catalog
from app.config import ROOT
from app.flow.yaml_loader import load_yaml
from app.i18n import DEFAULT_LOCALE, LANGUAGES
from tests.conftest import FIXTURE_CONTENT

FLOW_FILE = "flow/00-small.yaml"


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def edit_nodes(content_dir: Path, change: Any) -> None:
    """Load the fixture's nodes, let `change` mutate the list, write it back."""
    path = content_dir / FLOW_FILE
    nodes = load_yaml(path)
    change(nodes)
    path.write_text(yaml.safe_dump(nodes, allow_unicode=True, sort_keys=False), "utf-8")


def node(nodes: list[dict[str, Any]], node_id: str) -> dict[str, Any]:
    return next(item for item in nodes if item["id"] == node_id)


def write_catalogs(content_dir: Path, locales_dir: Path, skip: str | None = None) -> None:
    """Complete catalogs for every shipped locale (optionally leaving out one context)."""
    for locale in LANGUAGES:
        if locale == DEFAULT_LOCALE:
            continue
        catalog = Catalog(locale=locale)
        for _file, context, text in content_catalog(content_dir):
            if context != skip:
                catalog.add(text, string=f"[{locale}] {text}", context=context)
        folder = locales_dir / locale / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.po").open("wb") as handle:
            write_po(handle, catalog)
    # The string families that review statuses are given for ship beside the catalogs.
    shutil.copyfile(ROOT / "locales" / "families.toml", locales_dir / "families.toml")
