"""court corrections: staff correct a court and mark it verified (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:00:00

A court remembers which fields a staff member corrected, so that the next import of EOIR's
table leaves them as corrected, and who last verified it. Who corrected what, and when, is in
the audit log.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('ref_court') as batch:
        batch.add_column(sa.Column('verified_by', _TEXT(length=200), nullable=True))
        batch.add_column(sa.Column('corrected_fields', _TEXT(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ref_court') as batch:
        batch.drop_column('corrected_fields')
        batch.drop_column('verified_by')
