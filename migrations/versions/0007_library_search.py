"""library search: the full-text index of the library's articles (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00

The index is built by the app from the articles and catalogs (app/library/search.py), so it
holds only published text, never anything a person typed. SQLite gets an FTS5 table; PostgreSQL
a table with a tsvector column and a GIN index. Neither is in the SQLModel metadata (an FTS5
table cannot be): app/tables.py keeps them out of the model comparison.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        'CREATE TABLE library_search_state (id INTEGER PRIMARY KEY, digest VARCHAR(64) NOT NULL)'
    )
    if op.get_bind().dialect.name == 'sqlite':
        # Porter stemming (English), accents folded; locale, slug and section are not searched.
        op.execute(
            'CREATE VIRTUAL TABLE library_search USING fts5('
            'locale UNINDEXED, slug UNINDEXED, section UNINDEXED, title, heading, body, extra, '
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        'CREATE TABLE library_search ('
        'id SERIAL PRIMARY KEY, locale VARCHAR(10) NOT NULL, slug VARCHAR(80) NOT NULL, '
        'section VARCHAR(80) NOT NULL, title TEXT NOT NULL, heading TEXT NOT NULL, '
        'body TEXT NOT NULL, document TSVECTOR NOT NULL)'
    )
    op.execute('CREATE INDEX library_search_document ON library_search USING GIN (document)')
    op.execute('CREATE INDEX library_search_locale ON library_search (locale)')


def downgrade() -> None:
    op.execute('DROP TABLE library_search')
    op.execute('DROP TABLE library_search_state')
