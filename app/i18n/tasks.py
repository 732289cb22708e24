"""Catalog maintenance through pybabel: extract to messages.pot, update the .po files, compile;
and `isolate`, which puts the left-to-right runs of right-to-left translations in Unicode
isolates (app/i18n/bidi.py), as the catalog lint asks."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from app.i18n import COMING, DEFAULT_LOCALE, LANGUAGES, RTL_LOCALES
from app.i18n.bidi import isolate_runs


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
        for locale in {**LANGUAGES, **COMING}:  # the coming languages' catalogs kept current too
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
    if action == "isolate":
        for locale in sorted(RTL_LOCALES):
            changed = isolate_catalog(root / "locales" / locale / "LC_MESSAGES" / "messages.po")
            print(f"{locale}: {changed} translations isolated")
        return 0
    return _pybabel(root, "compile", "-d", "locales", "--statistics")


def isolate_catalog(path: Path) -> int:
    """Isolate the bare left-to-right runs of every translation in `path`; how many changed.
    Written back as `pybabel update --no-wrap` writes it (width 0), so only those lines move."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    changed = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        plural = not isinstance(message.string, str)
        strings = tuple(message.string) if plural else (str(message.string),)
        isolated = tuple(isolate_runs(text) for text in strings)
        if isolated != strings:
            changed += 1
            message.string = isolated if plural else isolated[0]
    if changed:
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, ignore_obsolete=True)
    return changed
