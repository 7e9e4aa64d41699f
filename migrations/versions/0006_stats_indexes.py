"""indexes for the station's figures and the dashboard

The figures (``services.stats``) and the dashboard's to-do list read live service records
(``deleted_at IS NULL``) by date, and a case's newest live record. Each index holds every
column those queries read, so no table row is fetched, and ``deleted_at`` comes before the
date: ``IS NULL`` is an equality to SQLite and PostgreSQL alike, so one period's live rows
are one index range. (Not partial indexes: the open-time check walks every index with
``INDEXED BY``, which SQLite refuses for a partial one.) Only indexes are added: no row or
value changes (docs/performance.md, "Cold start to the dashboard's figures").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_service_record_deleted_date_case', 'service_record', ['deleted_at', 'service_date', 'case_id']),
    ('ix_service_record_case_deleted_date', 'service_record', ['case_id', 'deleted_at', 'service_date']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
