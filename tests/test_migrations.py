"""Alembic owns the schema: the migrations create exactly what the models describe, and go
down and up again cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.migrate import downgrade_to_base, upgrade
from app.tables import include_name, metadata


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_down_and_up_again(database_url: str) -> None:
    downgrade_to_base(database_url)
    engine = create_engine(database_url)
    assert "respondent_session" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(database_url)
    engine = create_engine(database_url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
