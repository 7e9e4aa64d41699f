"""indexes for the station's figures and the dashboard

The figures (``services.stats``) and the dashboard's to-do list read service records by
date and a case's newest record; both need only live rows (``deleted_at IS NULL``), so the
indexes are partial and hold every column those queries read (no table row is fetched).
Partial indexes work alike on SQLite and PostgreSQL. Only indexes are added: no row or
value changes (docs/performance.md, "Cold start to the dashboard's figures").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = 'deleted_at IS NULL'

# (name, table, columns), each partial on live rows.
INDEXES = (
    ('ix_service_record_live_date_case', 'service_record', ['service_date', 'case_id']),
    ('ix_service_record_live_case_date', 'service_record', ['case_id', 'service_date']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False,
                        sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
