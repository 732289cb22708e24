"""validate-content: every proof DESIGN.md asks of the content, as one list of problems."""

from pathlib import Path

from babel.messages.pofile import read_po

from app.babel_extract import content_messages
from app.flow.content import Problem, read_content
from app.flow.graph_check import check_graph
from app.flow.yaml_loader import load_yaml
from app.i18n import DEFAULT_LOCALE, LANGUAGES


def check_content(content_dir: Path, locales_dir: Path) -> list[Problem]:
    content, problems = read_content(content_dir)
    if content is None:
        return problems
    problems += check_graph(content)
    problems += check_translations(content_dir, locales_dir)
    return problems


def content_catalog(content_dir: Path) -> list[tuple[str, str, str]]:
    """Every (file, context, English) that content shows people."""
    found = []
    for path in sorted(content_dir.rglob("*.yaml")):
        for context, text in content_messages(path, load_yaml(path)):
            found.append((str(path.relative_to(content_dir)), context, text))
    return found


def check_translations(content_dir: Path, locales_dir: Path) -> list[Problem]:
    problems = []
    wanted = content_catalog(content_dir)
    for locale in LANGUAGES:
        if locale == DEFAULT_LOCALE:
            continue
        po_path = locales_dir / locale / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(Problem(str(po_path), "-", f"no catalog for {locale}"))
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for file, context, text in wanted:
            message = catalog.get(text, context=context)
            if message is None or not message.string or message.fuzzy:
                node = context.split(".")[0] if "." in context else context
                state = "missing" if message is None else "fuzzy" if message.fuzzy else "empty"
                problems.append(
                    Problem(file, node, f"{locale}: translation {state} for {context!r}")
                )
    return problems
