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


# --- the lock files (make lock; `make lock-check` re-resolves them against the registry) -----

MAKEFILE = (ROOT / "Makefile").read_text()


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """Each pinned distribution: its version and how many hashes it carries."""
    entries: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=\S)", path.read_text()):
        if pin := re.match(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", block):
            entries[normalized(pin.group(1))] = (pin.group(2), block.count("--hash=sha256:"))
    return entries


def pins(requirements: list[str]) -> dict[str, str]:
    return {requirement_name(r): r.rpartition("==")[2] for r in requirements}


RUNTIME = locked(ROOT / "requirements.txt")
DEV = locked(ROOT / "requirements-dev.txt")


def test_every_direct_pin_is_locked_at_its_version() -> None:
    project = PYPROJECT["project"]
    for wanted, lock in (
        (project["dependencies"], RUNTIME),
        (project["optional-dependencies"]["dev"], DEV),
    ):
        for name, version in pins(wanted).items():
            assert lock.get(name, ("missing",))[0] == version, name


def test_the_dev_lock_keeps_every_runtime_version() -> None:
    assert {name: DEV.get(name) for name in RUNTIME} == RUNTIME


def test_every_locked_package_carries_hashes() -> None:
    assert [name for name, (_, hashes) in (RUNTIME | DEV).items() if hashes == 0] == []


def test_each_lock_file_names_the_make_lock_command_that_made_it() -> None:
    def variable(name: str) -> str:
        return re.search(rf"^{name} := (.+)$", MAKEFILE, flags=re.MULTILINE).group(1)

    tool = variable("LOCK").replace("$(BIN)/", "").replace(" --quiet", "")
    for file, arguments in (
        ("requirements.txt", "LOCK_RUNTIME"),
        ("requirements-dev.txt", "LOCK_DEV"),
    ):
        header = (ROOT / file).read_text().splitlines()[1]
        assert header == f"#    {tool} {variable(arguments)}"


def test_make_audit_checks_both_lock_files_strictly() -> None:
    # F22: `make audit` asks an advisory service about every pinned package; one it cannot
    # ask about fails the run (--strict), so a pass means every package was checked.
    recipe = MAKEFILE.split("\naudit: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/pip-audit" in recipe and "--strict" in recipe and "--require-hashes" in recipe
    assert "-r requirements.txt" in recipe and "-r requirements-dev.txt" in recipe
    assert "pip-audit" in pins(PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert "make audit" in (ROOT / "README.md").read_text()
