"""library search: combining marks stay inside words (issue 14)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00

SQLite's unicode61 tokenizer takes letters and digits as parts of words (categories L*, N*, Co)
and everything else as a separator, so it cut Punjabi, Khmer and Arabic words at their vowel
signs: "ਵਕੀਲ" (lawyer) was indexed as "ਵਕ" and "ਲ". With the combining marks (Mc, Mn) added,
a word is whole. The index is built by the app from the articles and catalogs
(app/library/search.py), so the table is made again empty and the app refills it at start-up:
the digest is cleared. PostgreSQL's parser already keeps marks inside words: nothing to do.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = 'locale UNINDEXED, slug UNINDEXED, section UNINDEXED, title, heading, body, extra'


def _remake(tokenize: str) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute('DROP TABLE library_search')
    op.execute(f'CREATE VIRTUAL TABLE library_search USING fts5({_COLUMNS}, tokenize = "{tokenize}")')
    op.execute('DELETE FROM library_search_state')


def upgrade() -> None:
    _remake("porter unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'")


def downgrade() -> None:
    _remake('porter unicode61 remove_diacritics 2')
