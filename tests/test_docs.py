"""The README documents every setting and both commands, and every command the docs name
exists (as datasette's test_docs does)."""

import re

import pytest

from app.cli import build_parser
from app.config import ROOT, Settings

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name.upper()}`" in README


def test_the_two_commands_are_in_the_readme() -> None:
    assert "make run" in README and "make test" in README
    assert (ROOT / ".ci" / "run").read_text().count("make test") >= 2


# --- every command the docs name exists (review §10: Datasette's test_docs, extended) -------

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_SPAN = re.compile(r"`([^`\n]+)`")
INVOKED = re.compile(r"(?:^|\s)(?:puente|python -m app\.cli|app\.cli)\s+(.+)")
WORD = re.compile(r"[a-z][a-z0-9-]*(?:\\?\|[a-z][a-z0-9-]*)*")


def _commands_in(text: str) -> set[tuple[str, ...]]:
    """`puente X [Y|Z]` and `python -m app.cli X` in code spans, plus the README's table of
    subcommands (its rows name them bare); `a|b` names both."""
    named = set()
    for span in CODE_SPAN.findall(text):
        if invoked := INVOKED.search(span):
            named |= _words(invoked.group(1))
    commands = text.partition("\n## Commands\n")[2].partition("\n## ")[0]
    for row in re.findall(r"^\| `([^`]+)`", commands, flags=re.MULTILINE):
        named |= _words(row)
    return named


def _words(invocation: str) -> set[tuple[str, ...]]:
    first, _, rest = invocation.partition(" ")
    second = WORD.fullmatch(rest.split(" ")[0]) if rest else None
    seconds = second.group(0).replace("\\|", "|").split("|") if second else [""]
    return {(first, *([word] if word else [])) for word in seconds}


NAMED = sorted(set().union(*(_commands_in(path.read_text()) for path in DOCS)))


@pytest.mark.parametrize("words", NAMED, ids=" ".join)
def test_every_command_the_docs_name_exists(words: tuple[str, ...], capsys) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0, capsys.readouterr().err


def test_the_docs_name_the_commands() -> None:
    assert {("serve",), ("migrate",), ("validate-content",), ("i18n", "compile")} <= set(NAMED)
