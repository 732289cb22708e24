"""audit events: how many times a refusal happened in its minute

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:00:00

Refused sign-ins, rate-limited attempts, role and CSRF refusals are all audited (F9); anyone
can cause them, so identical ones in the same minute share a row and count up here instead of
adding a row each.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(sa.Column('times', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_column('times')
