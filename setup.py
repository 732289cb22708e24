"""The wheel's one build step beyond pyproject.toml: compile the gettext catalogs into it.

Compiled catalogs (.mo) are build output that git ignores, so a wheel built from a fresh clone
would otherwise install a site that silently speaks English only. The .po files are compiled
straight into the build folder (the checkout is left alone), where pyproject.toml maps
locales/ to app/locales.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path(__file__).resolve().parent / "locales"


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
            relative = po_path.relative_to(LOCALES).with_suffix(".mo")
            mo_path = Path(self.build_lib) / "app" / "locales" / relative
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=relative.parts[0])
            with mo_path.open("wb") as target:
                write_mo(target, catalog)  # fuzzy entries left out, as `pybabel compile` does


setup(cmdclass={"build_py": BuildWithCatalogs})
