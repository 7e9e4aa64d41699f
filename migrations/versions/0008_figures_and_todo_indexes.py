"""indexes for the figures' case counts and the dashboard's to-do lists

Each index holds every column its query reads, after ``origin`` and ``deleted_at`` where a
station's live rows are read (``IS NULL`` is an equality to SQLite and PostgreSQL alike),
so the figures and the to-do lists read index ranges instead of fetching 100k table rows
(docs/performance.md, "Cold start to the dashboard's figures"):

* ``ix_case_file_stats_person``: the cases that count (live, accepted) with their client,
  for the distinct people served and for counting service records case by case;
* ``ix_case_file_stats_intake`` / ``ix_case_file_stats_closed``: cases opened, active at a
  date and closed;
* ``ix_activity_attendee_stats_person``: an activity's beneficiaries on the roster;
* ``ix_case_file_todo``: the cases of some stages (no contact for a while, openings
  awaiting approval) with the intake date;
* ``ix_case_closure_approval`` / ``ix_service_plan_approval``: closures and plans awaiting
  approval, and approved plans by review date, found without reading every case;
* ``ix_service_plan_case_version``: a case's plans, newest version first (plan reviews due).

Plain indexes, not partial ones (the open-time check walks every index with ``INDEXED
BY``, which SQLite refuses for a partial index). Only indexes are added: no row or value
changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_case_file_stats_person', 'case_file', ['origin', 'deleted_at', 'accepted', 'person_id', 'uuid']),
    ('ix_case_file_stats_intake', 'case_file', ['origin', 'deleted_at', 'accepted', 'intake_date', 'closed_on']),
    ('ix_case_file_stats_closed', 'case_file', ['origin', 'deleted_at', 'accepted', 'closed_on']),
    ('ix_activity_attendee_stats_person', 'activity_attendee',
     ['activity_id', 'deleted_at', 'role', 'person_id', 'origin']),
    ('ix_case_file_todo', 'case_file', ['origin', 'deleted_at', 'stage', 'opening_status', 'intake_date', 'uuid']),
    ('ix_case_closure_approval', 'case_closure', ['approval_status', 'deleted_at', 'case_id']),
    ('ix_service_plan_approval', 'service_plan',
     ['approval_status', 'deleted_at', 'review_on', 'made_on', 'case_id', 'version']),
    ('ix_service_plan_case_version', 'service_plan',
     ['case_id', 'deleted_at', 'version', 'approval_status', 'review_on', 'made_on', 'uuid']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
