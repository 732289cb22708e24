"""Every third-party module that app/ and migrations/ import belongs to a distribution that
pyproject.toml declares (a transitive dependency can vanish in any upgrade: `cryptography` was
used by app/staff/sealed.py but only installed because something else required it)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from app.config import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def normalized(name: str) -> str:
    """PEP 503: case, dots, dashes and underscores do not tell two distributions apart."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalized(re.split(r"[\s\[=<>!~;]", requirement, maxsplit=1)[0])


def imported_top_levels(folder: Path) -> dict[str, str]:
    """Each absolute import's top-level name, with the first file that imports it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_declared() -> None:
    declared = {requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distributions = packages_distributions()
    undeclared = []
    for folder in (ROOT / "app", ROOT / "migrations"):
        for module, where in imported_top_levels(folder).items():
            if module in sys.stdlib_module_names or module == "app":
                continue
            owners = {normalized(name) for name in distributions.get(module, [])}
            if not owners & declared:
                undeclared.append(
                    f"{module} ({where}): from {sorted(owners) or 'nothing installed'}"
                )
    assert not undeclared, "undeclared in pyproject.toml:\n" + "\n".join(undeclared)
