"""F13 (security-review-2026-12): broken content stops the app at start-up and fails
`validate-content` with lines that name the file and the node, never a raw traceback (a YAML
syntax error, an empty file, a `next` that names no node, a file that is not UTF-8 text)."""

from collections.abc import Callable
from pathlib import Path

import pytest

from app import cli
from app.checks.content import check_content
from app.flow.content import ContentError
from app.main import app_from_env, create_app
from tests.conftest import make_settings
from tests.flow.helpers import FLOW_FILE, copy_fixture, edit_nodes, node

Breakage = Callable[[Path], None]


def _syntax(content: Path) -> None:
    (content / FLOW_FILE).write_text("- id: who\n  type: [question\n", "utf-8")


def _empty(content: Path) -> None:
    (content / FLOW_FILE).write_text("", "utf-8")


def _dangling_next(content: Path) -> None:
    edit_nodes(content, lambda nodes: node(nodes, "intro").update(next="does_not_exist"))


def _binary(content: Path) -> None:
    (content / FLOW_FILE).write_bytes(b"\xff\xfe\x00\x01\x80garbage")


def _binary_findings(content: Path) -> None:
    (content / "findings.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00")


def _syntax_page(content: Path) -> None:
    next((content / "pages").glob("*.yaml")).write_text("items: [\n", "utf-8")


# breakage -> (file, node, words of the message)
CASES: dict[str, tuple[Breakage, str, str, str]] = {
    "syntax": (_syntax, FLOW_FILE, "-", "not valid YAML"),
    "empty": (_empty, FLOW_FILE, "-", "must be a list of nodes"),
    "dangling next": (_dangling_next, FLOW_FILE, "intro", "`goto: does_not_exist` names no node"),
    "binary": (_binary, FLOW_FILE, "-", "not UTF-8 text (byte 0xff at offset 0)"),
    "binary findings": (_binary_findings, "findings.yaml", "-", "not UTF-8 text"),
    "syntax page": (_syntax_page, "pages/", "", "not valid YAML"),
}


def _broken(tmp_path: Path, case: str) -> tuple[Path, str, str, str]:
    content = copy_fixture(tmp_path)
    breakage, file, node_id, words = CASES[case]
    breakage(content)
    return content, file, node_id, words


def _names_it(text: str, file: str, node_id: str, words: str) -> None:
    line = next((line for line in text.splitlines() if words in line), None)
    assert line is not None, text
    assert file in line and (not node_id or f": {node_id}: " in line), line
    assert "Traceback" not in text and 'File "' not in text


@pytest.mark.parametrize("case", CASES)
def test_validate_content_names_the_file_and_node(tmp_path: Path, case: str, capsys) -> None:
    content, file, node_id, words = _broken(tmp_path, case)
    problems = check_content(content, tmp_path / "locales", with_findings=False)
    _names_it("\n".join(map(str, problems)), file, node_id, words)
    assert cli.main(["validate-content", "--content", str(content)]) == 1
    _names_it(capsys.readouterr().err, file, node_id, words)


@pytest.mark.parametrize("case", CASES)
def test_start_up_refuses_broken_content_by_file_and_node(
    tmp_path: Path, case: str, clean_db: str
) -> None:
    content, file, node_id, words = _broken(tmp_path, case)
    with pytest.raises(ContentError) as refused:
        create_app(make_settings(clean_db, content))
    _names_it(str(refused.value), file, node_id, words)


def test_the_server_stops_with_lines_not_a_traceback(
    tmp_path: Path, clean_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, file, node_id, words = _broken(tmp_path, "dangling next")
    monkeypatch.setattr("app.main.configure_logging", lambda: None)  # no handler left behind
    monkeypatch.setenv("DATABASE_URL", clean_db)
    monkeypatch.setenv("CONTENT_DIR", str(content))
    with pytest.raises(SystemExit) as stopped:
        app_from_env()
    message = str(stopped.value.code)
    assert message.startswith("puente cannot start: the content has problems:")
    _names_it(message, file, node_id, words)
