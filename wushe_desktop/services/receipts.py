"""Receipts (回执) at the station: what the centre holds, so nothing is sent or numbered twice.

The centre writes a signed receipt for every bundle it accepts (``<bundle>.receipt``).
Imported here (``wushe receipt import``), it is verified with the Ed25519 key of the
centre card this station imported, recorded (:class:`ReceiptRecord`), and its high-water
marks take effect:

- the next incremental export starts above the newest receipt's ``row_version``
  (``services.export``);
- every record-number sequence (``case/2025``, ``volunteer/0``...) is raised to at least
  the highest number the centre holds, so that after a restore from an older backup no
  case, volunteer, activity, certificate or ledger number is issued twice (DESIGN.md §11);
- the station's own audit chain is compared with the head the centre received: a
  different hash at the same position means the local log was rewritten (unless the
  station was restored from a backup since).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import StationMode
from wushe_desktop.errors import ConfigError
from wushe_desktop.services.context import Actor, own_station, require_mode, transaction
from wushe_desktop.services.export import acknowledged_version
from wushe_desktop.services.keys import active_centre_key
from wushe_desktop.services.numbers import FORMATS, raise_floor
from wushe_desktop.services.permissions import Permission
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    SYNCED_MODELS,
    AuditLog,
    ExportLog,
    NumberSequence,
    ReceiptRecord,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit, current_version
from wushe_desktop.sync import receipt
from wushe_desktop.sync.envelope import MAX_ENVELOPE_BYTES
from wushe_desktop.sync.errors import Code, ReceiptError

__all__ = ["ReceiptResult", "import_receipt"]

_RESTORE_ACTION: Final = "restore"


@dataclass(frozen=True)
class ReceiptResult:
    """The outcome of :func:`import_receipt`.

    Attributes:
        centre_fingerprint: The centre key that signed it.
        bundle_sequence: The bundle the receipt is for.
        known_bundle: That bundle is in this station's export log.
        received_at: When the centre imported it (UTC text).
        row_version: The row version the centre holds now (the next export starts above).
        high_bundle_sequence: The highest bundle sequence the centre holds.
        already_imported: This receipt was imported before; nothing changed.
        floors_raised: Number sequences raised to the centre's highs (``kind/year`` → new last).
        unacknowledged_rows: Rows changed above the newest receipt (the next export).
        audit_mismatch: The station's audit log differs from the head the centre received
            at the same position although no restore happened since: it was rewritten.
    """

    centre_fingerprint: str
    bundle_sequence: int
    known_bundle: bool
    received_at: str
    row_version: int
    high_bundle_sequence: int
    already_imported: bool
    floors_raised: dict[str, int]
    unacknowledged_rows: int
    audit_mismatch: bool


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_ENVELOPE_BYTES + 1)
    except OSError as exc:
        raise ReceiptError(Code.RECEIPT_INVALID, f"cannot read {path}: {type(exc).__name__}") from exc


def import_receipt(db: Database, actor: Actor, path: Path, *, now: datetime | None = None) -> ReceiptResult:
    """Verify a receipt from the centre and take over its high-water marks.

    Args:
        db: A station database.
        actor: Who imports it (needs ``export``).
        path: The ``.receipt`` file the centre wrote beside the bundle.
        now: Time of import (default: now).

    Returns:
        What the centre holds now, and what changed here.

    Raises:
        ConfigError: ``station.is_centre``, ``export.no_centre_card``.
        ReceiptError: ``receipt.invalid``, ``receipt.signature``, ``receipt.wrong_centre``
            (not signed by the centre whose card was imported), ``receipt.wrong_station``,
            ``receipt.format_version``.
    """
    now = now or datetime.now(UTC)
    require_mode(db, StationMode.STATION)
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    with transaction(db, actor, Permission.EXPORT) as session:
        station = own_station(session).code
        centre = active_centre_key(session)
        if centre is None:
            raise ConfigError("export.no_centre_card")
        verified = receipt.read_receipt(data, bytes(centre.signing_key), station_code=station)
        high = verified.high_water
        already = session.scalar(select(ReceiptRecord.id).where(ReceiptRecord.receipt_sha256 == digest)) is not None
        known = session.scalar(select(ExportLog.id).where(ExportLog.file_sha256 == verified.bundle_sha256)) is not None
        raised: dict[str, int] = {}
        if not already:
            session.add(ReceiptRecord(
                receipt_sha256=digest, centre_fingerprint=verified.centre_key_fingerprint,
                bundle_sha256=verified.bundle_sha256, bundle_sequence=verified.bundle_sequence,
                received_at=verified.received_at, row_version=high.row_version,
                high_bundle_sequence=high.bundle_sequence, number_sequences=dict(high.number_sequences),
                audit_seq=high.audit_head.seq, audit_hash=high.audit_head.hash, imported_at=now,
            ))
            session.flush()
            for key, value in sorted(high.number_sequences.items()):
                kind, _, year_text = key.partition("/")
                if kind not in FORMATS or not year_text.isdigit():
                    continue
                year = int(year_text)
                before = session.get(NumberSequence, (kind, year))
                if before is None or before.last < value:
                    raise_floor(session, kind, year, value)
                    raised[key] = value
            append_audit(session, AuditEntry("receipt", "bundle", "", {
                "bundle_sequence": verified.bundle_sequence, "row_version": high.row_version,
                "floors_raised": raised}))
        mismatch = _audit_mismatch(session, high.audit_head.seq, high.audit_head.hash)
        low = acknowledged_version(session)
        top = current_version(session)
        pending = 0
        for model in SYNCED_MODELS:
            pending += int(session.scalar(select(func.count()).select_from(model).where(
                model.origin == station, model.row_version > low, model.row_version <= top)) or 0)
        return ReceiptResult(
            centre_fingerprint=verified.centre_key_fingerprint, bundle_sequence=verified.bundle_sequence,
            known_bundle=known, received_at=verified.received_at, row_version=high.row_version,
            high_bundle_sequence=high.bundle_sequence, already_imported=already, floors_raised=raised,
            unacknowledged_rows=pending, audit_mismatch=mismatch,
        )


def _audit_mismatch(session: Session, seq: int, expected: str) -> bool:
    """Whether the local audit row at ``seq`` differs from the centre's copy of the head,
    with no restore since (a restore legitimately writes a new history from there)."""
    if seq <= 0:
        return False
    local = session.scalar(select(AuditLog.hash).where(AuditLog.seq == seq))
    if local is None or local == expected:
        return False
    restored = session.scalar(select(AuditLog.seq).where(AuditLog.action == _RESTORE_ACTION, AuditLog.seq <= seq)
                              .limit(1))
    return restored is None
