"""keyed ID-number hashes kept by the centre

A de-identified bundle carries, beside each masked ID number, the keyed hash of the full
number (``sync.deidentify.id_hash``): ``id_hash`` for ``id_number``, ``donor_id_no_hash``
for ``donor_id_no``. The centre keeps them now, so it can find one person served (or one
volunteer registered) by two stations. At a station, and in rows from supervision
bundles, the columns stay empty. Indexed where the centre searches (person, volunteer).

Only columns and indexes are added (``ALTER TABLE ... ADD COLUMN`` on SQLite and
PostgreSQL alike, no table is copied), so every row and value is kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_person_id_hash'), ['id_hash'], unique=False)

    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_volunteer_id_hash'), ['id_hash'], unique=False)

    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('donor_id_no_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_column('donor_id_no_hash')

    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_id_hash'))
        batch_op.drop_column('id_hash')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_id_hash'))
        batch_op.drop_column('id_hash')
