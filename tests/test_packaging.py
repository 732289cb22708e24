"""`pip install .` gives a working site: the wheel holds every package and every file the app
reads, compiles the catalogs itself, and the installed `puente` runs from any directory."""

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from app.config import ROOT, Settings

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
SETTINGS = {name.upper() for name in Settings.model_fields}
# What a fresh clone lacks or a build leaves: none of it may be needed to build the wheel.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "build", "*.egg-info", "__pycache__", "*.mo",
    ".pytest_cache", ".ruff_cache", ".hypothesis", "test-artifacts", "tests", "bench", "docs",
    "zips.idx",
)  # fmt: skip


def test_every_package_under_app_is_in_the_wheel() -> None:
    """setuptools is given an explicit list (the top level is flat): a new package must join it."""
    on_disk = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "app").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    assert on_disk <= set(SETUPTOOLS["packages"])


def test_the_wheel_maps_the_folders_app_paths_reads() -> None:
    from app import paths

    mapped = SETUPTOOLS["package-dir"]
    for folder in (paths.TEMPLATES, paths.STATIC, paths.LOCALES, paths.MIGRATIONS):
        assert mapped[f"app.{folder.name}"] == folder.name


def _shipped_files(folder: Path, prefix: str) -> set[str]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}"
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".mo")
    }


@pytest.mark.slow
def test_the_wheel_installs_a_puente_that_runs_outside_the_checkout(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    dist = tmp_path / "dist"
    # Offline: the dev environment's setuptools and babel build it (no isolated build env).
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(source)],
        cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = dist.glob("puente-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    expected = (
        _shipped_files(ROOT / "templates", "app/templates")
        | _shipped_files(ROOT / "static", "app/static")
        | _shipped_files(ROOT / "locales", "app/locales")
        | _shipped_files(ROOT / "migrations", "app/migrations")
        | _shipped_files(ROOT / "app", "app")
        | {"app/locales/es/LC_MESSAGES/messages.mo", "app/locales/ar/LC_MESSAGES/messages.mo"}
        | {"app/places/data/zips.idx"}
    )
    assert expected - names == set()

    # A throwaway venv that borrows the dev environment's dependencies (after its own
    # site-packages, so the installed app is the one imported).
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    own_site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    )
    (Path(own_site.strip()) / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    puente = str(venv / "bin" / "puente")
    assert "validate-content" in _run([puente, "--help"], cwd=elsewhere)
    assert "is valid" in _run([puente, "validate-content"], cwd=elsewhere)
    # The coverage and review table from the shipped .po and review.toml files.
    assert "| Español (`es`) |" in _run([puente, "i18n", "status"], cwd=elsewhere)
    assert "up to date" in _run([puente, "migrate"], cwd=elsewhere)
    assert (elsewhere / "var" / "puente.db").is_file()  # the default database, where it runs

    served = _run([str(python), "-c", SERVE_ONE_PAGE], cwd=elsewhere)
    assert served.split() == [str(venv), "200", "200", "True", "True"], served


# Run inside the installed venv: where app comes from, then the home page in Spanish (compiled
# catalogs) and the stylesheet (static files), from the database `puente migrate` made.
SERVE_ONE_PAGE = """
import sys
from fastapi.testclient import TestClient
import app
from app.main import create_app
with TestClient(create_app()) as client:
    page = client.get("/?lang=es")
    css = client.get("/static/css/puente.css")
print(sys.prefix, page.status_code, css.status_code, 'lang="es"' in page.text,
      "Lo que un caso de drogas" in page.text)
assert app.__file__.startswith(sys.prefix), app.__file__
"""


def _run(command: list[str], cwd: Path | None = None) -> str:
    env = {
        name: value
        for name, value in os.environ.items()
        # Every setting at its default (SQLite in var/ where it runs), whatever CI exported.
        if name.upper() not in SETTINGS and name != "PYTHONPATH"
    }
    env["PURGE_INTERVAL_HOURS"] = "0"
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout
