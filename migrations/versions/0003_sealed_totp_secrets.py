"""room for sealed staff TOTP secrets (app/staff/sealed.py)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 06:10:00

Secrets already stored stay as they are; each is sealed at its owner's next sign-in.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user') as batch:
        batch.alter_column(
            'totp_secret',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
            type_=sqlmodel.sql.sqltypes.AutoString(length=200),
            existing_nullable=False,
        )


def downgrade() -> None:
    # Only possible while every secret still fits; sealed ones do not.
    with op.batch_alter_table('staff_user') as batch:
        batch.alter_column(
            'totp_secret',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
            type_=sqlmodel.sql.sqltypes.AutoString(length=64),
            existing_nullable=False,
        )
