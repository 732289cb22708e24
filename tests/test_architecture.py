"""The package drawing in docs/architecture.md, enforced: every import points down, no cycles.

Each unit (a package of app/, a top-level module, or a web area) sits on one layer. A module may
import its own unit and any unit on a lower layer, never one beside or above it; imports inside
functions and under TYPE_CHECKING count too, so a late import cannot hide an upward arrow.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Bottom first. One line of docs/architecture.md each.
LAYERS: list[tuple[str, ...]] = [
    ("app.paths",),
    ("app.config",),
    ("app.db",),
    ("app.i18n",),
    ("app.places",),
    ("app.flow",),
    ("app.library",),
    ("app.legal",),
    ("app.referrals",),
    ("app.staff",),
    ("app.partners",),
    ("app.stats",),
    ("app.respondents",),
    ("app.results",),
    ("app.tables", "app.migrate"),
    ("app.web",),
    ("app.web.public", "app.web.api", "app.web.staff"),
    ("app.checks",),
    ("app.main", "app.cli"),
]
LAYER_OF = {unit: depth for depth, units in enumerate(LAYERS) for unit in units}
WEB_AREAS = ("public", "api", "staff")


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] == "web" and parts[2] in WEB_AREAS:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def imported_modules(path: Path) -> set[str]:
    """Every app module a file names in an import, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("app.")}


def known_modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py") if path != APP / "__init__.py"}


def import_graph() -> dict[str, set[str]]:
    modules = known_modules()
    return {
        name: {target for target in imported_modules(path) if target in modules}
        for name, path in modules.items()
    }


def test_every_unit_has_a_layer():
    units = {unit_of(name) for name in known_modules() if name != "app"}
    assert units <= set(LAYER_OF), sorted(units - set(LAYER_OF))


def test_every_import_points_down():
    upward = [
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        for target in targets
        if unit_of(source) != unit_of(target)
        and LAYER_OF[unit_of(target)] >= LAYER_OF[unit_of(source)]
    ]
    assert upward == []


def test_no_module_imports_itself_back():
    graph = import_graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], on_path: set[str], done: set[str]) -> None:
        for target in sorted(graph[node]):
            if target in on_path:
                cycles.append([*path[path.index(target) :], target])
            elif target not in done:
                on_path.add(target)
                visit(target, [*path, target], on_path, done)
                on_path.discard(target)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], {start}, done)
    assert cycles == []


def test_the_top_level_of_app_stays_small():
    modules = [path.stem for path in APP.glob("*.py") if path.stem != "__init__"]
    assert len(modules) <= 8, sorted(modules)
