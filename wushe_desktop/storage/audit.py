"""Verifying the audit chain (``wushe audit verify``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog
from wushe_desktop.storage.tracking import GENESIS_HASH, audit_hash


@dataclass(frozen=True)
class ChainResult:
    """Outcome of a chain check: ``first_broken`` is the first bad seq, if any."""

    ok: bool
    rows: int
    head_seq: int
    head_hash: str
    first_broken: int | None = None
    reason: str = ""


def verify_chain(db: Database, batch: int = 5000) -> ChainResult:
    """Walk the audit log in order and recompute every link."""
    prev_hash, expected_seq, rows = GENESIS_HASH, 1, 0
    with db.read_sessions() as session:
        stmt = select(AuditLog).order_by(AuditLog.seq).execution_options(yield_per=batch)
        for row in session.scalars(stmt):
            if row.seq != expected_seq:
                return ChainResult(False, rows, expected_seq - 1, prev_hash, expected_seq, "missing")
            if row.prev_hash != prev_hash:
                return ChainResult(False, rows, expected_seq - 1, prev_hash, row.seq, "link")
            digest = audit_hash(prev_hash, row.seq, row.at, row.actor, row.role, row.action, row.entity,
                                row.entity_uuid, dict(row.details or {}))
            if digest != row.hash:
                return ChainResult(False, rows, expected_seq - 1, prev_hash, row.seq, "hash")
            prev_hash, expected_seq, rows = row.hash, expected_seq + 1, rows + 1
    return ChainResult(True, rows, expected_seq - 1, prev_hash)
