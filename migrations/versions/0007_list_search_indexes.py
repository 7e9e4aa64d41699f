"""indexes for the lists' first screen and search as you type

A list shows live records (``deleted_at IS NULL``) of one station in its natural order, with
their number, and searches them as the user types (docs/performance.md, "Lists" and
"Search"). At 100k cases the count of live records and the first page read every table row
to test ``deleted_at``; these indexes hold it after ``origin`` (``IS NULL`` is an equality
to SQLite and PostgreSQL alike), then the list's order, so a count reads one index range
and the first page stops after 200 entries:

* ``ix_person_list``: people by ``created_at, uuid``, with the columns a search compares
  (name, initials, ID-number tail, phone), so a search that matches many people finds the
  first ones in order without fetching table rows;
* ``ix_person_name``: the name alone, the narrowest index a name search (any part of the
  name, also one character) can scan;
* ``ix_case_file_list`` and ``ix_case_file_stage_list``: cases by number, all or of one
  stage, with the client (a search by the client's name);
* ``ix_person_status_live``: the people holding a category today (the people list's
  filter), without fetching status rows.

Plain indexes, not partial ones (the open-time check walks every index with ``INDEXED
BY``, which SQLite refuses for a partial index). Only indexes are added: no row or value
changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('ix_person_list', 'person',
     ['origin', 'deleted_at', 'created_at', 'uuid', 'name', 'name_initials', 'id_tail', 'phone']),
    ('ix_person_name', 'person', ['name']),
    ('ix_case_file_list', 'case_file', ['origin', 'deleted_at', 'case_no', 'person_id']),
    ('ix_case_file_stage_list', 'case_file', ['origin', 'deleted_at', 'stage', 'case_no', 'person_id']),
    ('ix_person_status_live', 'person_status', ['origin', 'category', 'deleted_at', 'valid_to', 'person_id']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
