"""real immigration courts: EOIR's court table and facility table (issue 17)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00

The court gains the columns of EOIR's court table (address, phone, active, the release date)
and a note saying why a value is marked for checking; the facility gains EOIR's facility code,
address, phone and active flag. Existing rows stay active.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString

_COURT_COLUMNS = (
    ('address', _TEXT(length=300)),
    ('postal_code', _TEXT(length=5)),
    ('postal_code_suffix', _TEXT(length=4)),
    ('phone', _TEXT(length=20)),
    ('eoir_region', _TEXT(length=20)),
    ('retired_on', sa.Date()),
    ('record_modified_on', sa.Date()),
    ('coordinates_source', _TEXT(length=200)),
    ('check_note', _TEXT(length=1000)),
    ('verified_at', sa.Date()),
    ('source_date', sa.Date()),
)
_FACILITY_COLUMNS = (
    ('eoir_code', _TEXT(length=20)),
    ('address', _TEXT(length=300)),
    ('phone', _TEXT(length=20)),
)


def upgrade() -> None:
    with op.batch_alter_table('ref_court') as batch:
        for name, type_ in _COURT_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(
            sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table('ref_facility') as batch:
        for name, type_ in _FACILITY_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(
            sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table('ref_facility') as batch:
        for name in ('active', *(name for name, _ in reversed(_FACILITY_COLUMNS))):
            batch.drop_column(name)
    with op.batch_alter_table('ref_court') as batch:
        for name in ('active', *(name for name, _ in reversed(_COURT_COLUMNS))):
            batch.drop_column(name)
