"""Catalog maintenance through pybabel: extract to messages.pot, update the .po files, compile."""

import subprocess
import sys
from pathlib import Path

from app.i18n import DEFAULT_LOCALE, LANGUAGES


def _pybabel(root: Path, *args: str) -> int:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    return subprocess.call(command, cwd=root)  # noqa: S603 - fixed arguments, our own tool


def run(action: str, root: Path) -> int:
    pot = "locales/messages.pot"
    if action == "extract":
        return _pybabel(
            root,
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            pot,
            "--sort-by-file",
            "--no-wrap",
            "-k",
            "_",
            "--add-comments=Translators:",
            "--project=Puente",
            ".",
        )
    if action == "update":
        status = 0
        for locale in LANGUAGES:
            if locale != DEFAULT_LOCALE:
                status |= _pybabel(
                    root,
                    "update",
                    "-i",
                    pot,
                    "-d",
                    "locales",
                    "-l",
                    locale,
                    "--no-wrap",
                    "--ignore-obsolete",
                )
        return status
    return _pybabel(root, "compile", "-d", "locales", "--statistics")
