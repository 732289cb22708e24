"""Where the app's own files are, from a checkout or from an installed wheel.

A checkout keeps templates/, static/, locales/ and migrations/ beside app/; the wheel maps the
same folders inside the package (app/templates, …: pyproject.toml's package-dir), since an
installed package has no checkout around it. Everything that reads these files asks here.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE.parent
# A checkout has its pyproject.toml beside app/; site-packages never does.
FROM_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file()
_SHIPPED = _CHECKOUT if FROM_CHECKOUT else PACKAGE

TEMPLATES = _SHIPPED / "templates"
STATIC = _SHIPPED / "static"
LOCALES = _SHIPPED / "locales"
MIGRATIONS = _SHIPPED / "migrations"
CONTENT = PACKAGE / "content"
# Runtime files (the default SQLite database): the checkout's var/, or var/ in the working
# directory of an installed app.
VAR = _CHECKOUT / "var" if FROM_CHECKOUT else Path("var")
