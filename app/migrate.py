"""Running Alembic migrations from Python (the CLI, the container entrypoint, the tests)."""

from alembic import command
from alembic.config import Config

from app import paths
from app.db import ensure_sqlite_folder


def alembic_config(database_url: str) -> Config:
    # Built here rather than read from alembic.ini, which stays in the checkout for the
    # `alembic` command line (revision --autogenerate): an installed app has no checkout.
    config = Config()
    config.set_main_option("script_location", str(paths.MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str) -> None:
    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), "head")


def downgrade_to_base(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")
