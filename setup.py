"""The wheel's build steps beyond pyproject.toml: compile the gettext catalogs into it, and
build the packed ZIP index (app/places/zip_index.py) from the pinned `zipcodes` package.

Both are build output that git ignores, so a wheel built from a fresh clone would otherwise
install a site that silently speaks English only, or that builds its ZIP index at first start
in a folder it may not write to. Both are written straight into the build folder (the checkout
is left alone), where pyproject.toml maps locales/ to app/locales.
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
        self._build_zip_index()

    def _build_zip_index(self) -> None:
        import importlib.util
        import sys

        # Loaded by path: importing the `app` package would import the whole application.
        source = Path(__file__).resolve().parent / "app" / "places" / "zip_index.py"
        spec = importlib.util.spec_from_file_location("puente_zip_index", source)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
        module.build(Path(self.build_lib) / "app" / "places" / "data" / "zips.idx")


setup(cmdclass={"build_py": BuildWithCatalogs})
