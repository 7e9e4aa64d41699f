"""Local bookkeeping of the bundle exchange (DESIGN.md §6): none of these tables travel.

At a **centre**: the register of station keys (:class:`RegisteredStation`) and the
bundles it accepted (:class:`ImportedBundle`). The stations' records themselves live in
the ordinary synced tables, keyed by ``uuid`` with ``origin`` = the station's code
(docs/decisions.md §3).

At a **station**: the bundles it wrote (:class:`ExportLog`), the centre's card it
imported (:class:`CentreKey`) and the receipts (回执) the centre sent back
(:class:`ReceiptRecord`), whose high-water marks decide what the next incremental
export holds.

None of them has ``origin`` or ``row_version``: the tracking hook neither stamps nor
audits them; the services write their own audit rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.storage.models.base import Base
from wushe_desktop.storage.types import UTCDateTime, utcnow


class RegisteredStation(Base):
    """A station whose bundles this centre accepts (``wushe centre trust``).

    ``public_key`` is the station's current Ed25519 key. Keys it replaced (rotation, a
    new PC) stay in ``previous_keys`` so that bundles signed before the change still
    import; a revoked key never does. ``revoked_at`` is set while the current key is
    revoked (``wushe centre revoke``); registering a new card clears it.

    ``previous_keys`` is a list of ``{"public_key": base64, "fingerprint": str,
    "registered_at": iso, "retired_at": iso, "revoked_at": iso | None}``.
    """

    __tablename__ = "registered_station"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    banner_name: Mapped[str] = mapped_column(String(100), default="")
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    previous_keys: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ImportedBundle(Base):
    """A bundle this centre accepted and whose rows are in (one row per distinct file).

    ``status`` is ``imported``, or ``gap`` when bundles before it were never received
    (its rows are in all the same; a full export from the station heals the gap).
    """

    __tablename__ = "imported_bundle"
    __table_args__ = (UniqueConstraint("bundle_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_code: Mapped[str] = mapped_column(String(12), index=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    profile: Mapped[str] = mapped_column(String(20), default="supervision")
    row_version_from: Mapped[int] = mapped_column(BigInteger, default=0)
    row_version_to: Mapped[int] = mapped_column(BigInteger, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[str] = mapped_column(String(20), default="")  # the manifest's, UTC text
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="imported")


class ExportLog(Base):
    """A bundle this station wrote (who, when, what, and the file's hash)."""

    __tablename__ = "export_log"
    __table_args__ = (UniqueConstraint("sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))
    sequence: Mapped[int] = mapped_column(BigInteger)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    profile: Mapped[str] = mapped_column(String(20), default="supervision")
    row_version_from: Mapped[int] = mapped_column(BigInteger, default=0)
    row_version_to: Mapped[int] = mapped_column(BigInteger, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    centre_fingerprint: Mapped[str] = mapped_column(String(64), default="")  # the recipient's X25519 key


class CentreKey(Base):
    """A centre card this station imported (``wushe keys import-centre``).

    The active row is the centre bundles are sealed to and whose receipts are believed;
    replaced cards stay, inactive, for the record.
    """

    __tablename__ = "centre_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_code: Mapped[str] = mapped_column(String(12))
    centre_name: Mapped[str] = mapped_column(String(100))
    signing_key: Mapped[bytes] = mapped_column(LargeBinary(32))  # Ed25519: receipts, the card
    fingerprint: Mapped[str] = mapped_column(String(64))
    box_key: Mapped[bytes] = mapped_column(LargeBinary(32))  # X25519: bundles are sealed to it
    box_fingerprint: Mapped[str] = mapped_column(String(64))
    pseudonym_key: Mapped[bytes] = mapped_column(LargeBinary(32))  # the deidentified profile's key
    card_created_at: Mapped[str] = mapped_column(String(20), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReceiptRecord(Base):
    """A receipt (回执) from the centre, with the high-water marks it carried."""

    __tablename__ = "receipt_record"
    __table_args__ = (UniqueConstraint("receipt_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt_sha256: Mapped[str] = mapped_column(String(64))
    centre_fingerprint: Mapped[str] = mapped_column(String(64))
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    bundle_sequence: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[str] = mapped_column(String(20))  # the centre's time of import, UTC text
    row_version: Mapped[int] = mapped_column(BigInteger)  # high-water marks from here on
    high_bundle_sequence: Mapped[int] = mapped_column(BigInteger)
    number_sequences: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
