"""list indexes; deferrable foreign keys on PostgreSQL

Indexes for the lists' default orders and filters at 100k cases (docs/performance.md).
On PostgreSQL (a region-level centre) every foreign key becomes DEFERRABLE INITIALLY
IMMEDIATE, so the centre's importer can defer the check to commit (SET CONSTRAINTS ALL
DEFERRED): a bundle's rows come table by table and a row may name a parent that comes
later. SQLite defers with PRAGMA defer_foreign_keys and needs no change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_person_origin_created', 'person', ['origin', 'created_at']),
    ('ix_case_file_origin_stage', 'case_file', ['origin', 'stage', 'case_no']),
    ('ix_case_file_origin_intake', 'case_file', ['origin', 'intake_date']),
    ('ix_activity_origin_start', 'activity', ['origin', 'start_date']),
    ('ix_activity_origin_type', 'activity', ['origin', 'activity_type', 'start_date']),
    ('ix_person_status_category', 'person_status', ['category', 'person_id']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        inspector = sa.inspect(bind)
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                if fk.get('name'):
                    op.execute(sa.text(
                        f'ALTER TABLE "{table}" ALTER CONSTRAINT "{fk["name"]}" DEFERRABLE INITIALLY IMMEDIATE'))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        inspector = sa.inspect(bind)
        for table in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(table):
                if fk.get('name'):
                    op.execute(sa.text(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{fk["name"]}" NOT DEFERRABLE'))
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
