"""service translations: a directory record's public text per locale (issue 12, P1)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00

A service's name, description, hours and language note in each shipped locale other than
English, one row per service and locale; the English stays on the service, which gains the
hours and the language note that used to be folded into its description.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('ref_service') as batch:
        batch.add_column(sa.Column('hours', _TEXT(length=500), nullable=True))
        batch.add_column(sa.Column('language_note', _TEXT(length=500), nullable=True))
    op.create_table('ref_service_translation',
    sa.Column('id', _TEXT(length=36), nullable=False),
    sa.Column('service_id', _TEXT(), nullable=False),
    sa.Column('locale', _TEXT(length=10), nullable=False),
    sa.Column('name', _TEXT(length=300), nullable=True),
    sa.Column('description', _TEXT(), nullable=True),
    sa.Column('hours', _TEXT(length=500), nullable=True),
    sa.Column('language_note', _TEXT(length=500), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['ref_service.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'locale', name='uq_ref_service_translation_locale'),
    )
    with op.batch_alter_table('ref_service_translation') as batch:
        batch.create_index(
            batch.f('ix_ref_service_translation_service_id'), ['service_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('ref_service_translation') as batch:
        batch.drop_index(batch.f('ix_ref_service_translation_service_id'))
    op.drop_table('ref_service_translation')
    with op.batch_alter_table('ref_service') as batch:
        batch.drop_column('language_note')
        batch.drop_column('hours')
