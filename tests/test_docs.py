"""The README documents every setting and both commands (as datasette's test_docs does)."""

import pytest

from app.config import ROOT, Settings

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name.upper()}`" in README


def test_the_two_commands_are_in_the_readme() -> None:
    assert "make run" in README and "make test" in README
    assert (ROOT / ".ci" / "run").read_text().count("make test") >= 2
