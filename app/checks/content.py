"""validate-content: every proof DESIGN.md asks of the content, as one list of problems."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

from app.checks.finding_coverage import findings_text_problems, unreached_findings
from app.checks.placeholders import check_placeholders
from app.flow.articles import read_articles
from app.flow.content import Condition, Conditional, Content, Page, Problem, read_content
from app.flow.extract import content_messages
from app.flow.graph_check import check_condition, check_graph
from app.flow.yaml_loader import load_yaml_or_none
from app.i18n import DEFAULT_LOCALE, LANGUAGES
from app.i18n.review import ReviewFileError, load_families, load_review
from app.legal.findings import RULES
from app.results import FINDING_KEY


def check_content(
    content_dir: Path, locales_dir: Path, *, with_findings: bool = True
) -> list[Problem]:
    """Every problem, each naming its file and node. `with_findings=False` checks a
    questionnaire on its own (test fixtures that do not ask what the findings need)."""
    content, problems = read_content(content_dir)
    if content is None:
        return problems
    problems += check_graph(content)
    if with_findings and not problems:  # exploring a broken graph would only repeat its faults
        problems += check_findings(content)
        problems += check_pages(content)
        problems += check_notes(content)
    problems += check_articles(content_dir)
    problems += check_placeholders(content_dir, content_catalog(content_dir))
    problems += check_translations(content_dir, locales_dir)
    problems += check_review_files(locales_dir)
    return problems


def check_review_files(locales_dir: Path) -> list[Problem]:
    """families.toml and each language's review.toml read as documented (the app refuses to
    start otherwise: app.i18n.load_catalogs)."""
    try:
        families = load_families(locales_dir)
        for locale in LANGUAGES:
            if locale != DEFAULT_LOCALE:
                load_review(locales_dir, locale, families)
    except (ReviewFileError, OSError) as error:
        return [Problem(str(locales_dir), "-", str(error))]
    return []


def check_findings(content: Content) -> list[Problem]:
    """Every finding code has complete text, and some path through the questionnaire gives it."""
    problems = [
        Problem("app/content/findings.yaml", code, message)
        for code, message in findings_text_problems(content)
    ]
    if not problems:
        problems += [
            Problem("app/legal/findings.py", code, "no path through the questionnaire gives it")
            for code in sorted(unreached_findings(content, date.today()))
        ]
    return problems


def check_pages(content: Content) -> list[Problem]:
    """Conditions in page data name real questions, options and finding codes."""
    problems: list[Problem] = []
    for name, page in content.pages.items():
        file = f"app/content/pages/{name}.yaml"
        for item_id, item in _conditional_items(page, name):

            def report(message: str, file: str = file, item_id: str = item_id) -> None:
                problems.append(Problem(file, item_id, message))

            check_when(content, item.when, item.when_not, report)
    return problems


def check_when(
    content: Content, when: Condition, when_not: Condition, report: Callable[[str], None]
) -> None:
    """A `when`/`when_not` pair (page items and notes alike): questions and options must be real,
    and `finding:` must name finding codes."""
    for condition, values in (*when.items(), *when_not.items()):
        if condition != FINDING_KEY:
            check_condition(content, condition, values, report)
            continue
        for code in values:
            if code not in RULES:
                report(f"`finding: {code}` is not a finding code")


def check_notes(content: Content) -> list[Problem]:
    """Each note names real finding codes and its conditions real questions and options."""
    problems: list[Problem] = []
    for note in content.notes:

        def report(message: str, note_id: str = note.id) -> None:
            problems.append(Problem("app/content/notes.yaml", note_id, message))

        for code in (*note.findings, *note.except_findings):
            if code not in RULES:
                report(f"`{code}` is not a finding code")
        check_when(content, note.when, note.when_not, report)
    return problems


def check_articles(content_dir: Path) -> list[Problem]:
    """Articles parse; each finding code and result section an article explains is real and
    explained once; and once there is a library, every finding and every section of the result
    page has its article (issue 15: links both ways)."""
    articles, problems = read_articles(content_dir)
    # The result page's sections: one per page file, and the referrals at its end.
    sections = {path.stem for path in (content_dir / "pages").glob("*.yaml")} | {"who_can_help"}
    explained: dict[tuple[str, str], str] = {}
    for slug, article in articles.items():
        file = f"app/content/learn/{slug}.yaml"
        wanted = [("explains", code, code in RULES) for code in article.explains]
        wanted += [
            ("explains_sections", name, name in sections) for name in article.explains_sections
        ]
        for key, name, real in wanted:
            kind = "a finding code" if key == "explains" else "a result page section"
            if not real:
                problems.append(Problem(file, slug, f"`{key}: {name}` is not {kind}"))
            elif (key, name) in explained:
                message = f"`{key}: {name}` is already explained by {explained[key, name]}"
                problems.append(Problem(file, slug, message))
            else:
                explained[key, name] = slug
    if articles:
        problems += [
            Problem("app/content/learn", code, "no article `explains` this finding")
            for code in sorted(RULES)
            if ("explains", code) not in explained
        ]
        problems += [
            Problem("app/content/learn", name, "no article `explains_sections` this section")
            for name in sorted(sections)
            if ("explains_sections", name) not in explained
        ]
    return problems


def _conditional_items(page: Page, name: str) -> Iterator[tuple[str, Conditional]]:
    """The page itself and each of its items, named `page` and `page.item`."""
    yield name, page
    for item in page.items:
        yield f"{name}.{item.id}", item


def content_catalog(content_dir: Path) -> list[tuple[str, str, str]]:
    """Every (file, context, English) that content shows people."""
    found = []
    for path in sorted(content_dir.rglob("*.yaml")):
        for context, text in content_messages(path, load_yaml_or_none(path)):
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
