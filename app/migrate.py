"""Running Alembic migrations from Python (the CLI, the container entrypoint, the tests)."""

from alembic import command
from alembic.config import Config

from app.config import ROOT
from app.db import ensure_sqlite_folder


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str) -> None:
    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), "head")


def downgrade_to_base(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")
