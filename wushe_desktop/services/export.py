"""Station export: the signed, encrypted bundle (``.wsb``) the centre imports (DESIGN.md §6).

An **incremental** export holds every synced row of this station whose ``row_version``
is above what the centre's newest receipt (回执) acknowledges — not merely above the last
export, so a lost USB stick loses nothing and bundles may overlap (the centre's import is
idempotent). Soft-deleted rows travel with their ``deleted_at``: a deletion is a change.
A **full** export holds every row. Rows are read in one read transaction (one snapshot:
the version clock and the rows agree), streamed in batches and written through
``sync.bundle.write_bundle`` (compressed, encrypted to the centre's X25519 key from its
card, the manifest signed with the station's key).

Bundles are numbered one up per export, above both the last export and the newest
receipt's bundle sequence (so numbering continues after a restore), and chained by the
SHA-256 of the previous bundle file. Every export writes an :class:`ExportLog` row and an
audit row. :func:`sync_status` is what the sync screen (数据同步) shows.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Time,
    Uuid,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from wushe_desktop.domain.enums import StationMode
from wushe_desktop.errors import ConfigError
from wushe_desktop.services.context import Actor, own_station, reading, require_mode, transaction
from wushe_desktop.services.keys import active_centre_key, signing_private_key
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.station import DEMO_STATION_CODE
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import SYNCED_MODELS, AuditLog, ExportLog, ReceiptRecord
from wushe_desktop.storage.tracking import AuditEntry, append_audit, current_version
from wushe_desktop.storage.types import UTCDateTime
from wushe_desktop.sync import bundle
from wushe_desktop.sync.common import EMPTY_AUDIT_HEAD, AuditHead

__all__ = [
    "EXPORT_BATCH",
    "ExportLogEntry",
    "ExportResult",
    "SyncStatus",
    "acknowledged_version",
    "export_bundle",
    "export_log",
    "json_ready",
    "suggested_bundle_name",
    "sync_status",
]

#: Rows fetched per round trip while streaming a table.
EXPORT_BATCH: Final = 5000

#: ``progress(rows written, rows to write)``; raise from it to cancel (nothing is kept).
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_bundle` wrote.

    Attributes:
        path: The bundle file.
        sequence: Its sequence number.
        full: A full export (else the changes the centre has not acknowledged).
        profile: ``supervision`` or ``deidentified``.
        rows: Rows in the bundle.
        table_counts: Rows per table.
        row_version_from: Rows above this version...
        row_version_to: ... up to this one (the station clock at export).
        sha256: SHA-256 of the file (the receipt names it; the next bundle chains to it).
        size: File size in bytes.
        centre_name: The centre it is encrypted to.
        demo: Exported from the reserved demo station (a centre refuses it).
    """

    path: Path
    sequence: int
    full: bool
    profile: str
    rows: int
    table_counts: dict[str, int]
    row_version_from: int
    row_version_to: int
    sha256: str
    size: int
    centre_name: str
    demo: bool


@dataclass(frozen=True)
class SyncStatus:
    """Where the exchange with the centre stands (the sync screen).

    Attributes:
        centre_name: The imported centre card's centre ("" before a card is imported).
        centre_fingerprint: Its Ed25519 fingerprint.
        last_export_at: When the newest bundle was written (``None``: never).
        last_export_sequence: Its sequence number.
        last_export_rows: Its rows.
        last_receipt_at: When the centre imported the bundle of the newest receipt.
        acknowledged_version: The row version the newest receipt acknowledges.
        acknowledged_sequence: The bundle sequence it acknowledges.
        unacknowledged_rows: Rows changed since (what the next incremental export holds).
    """

    centre_name: str
    centre_fingerprint: str
    last_export_at: datetime | None
    last_export_sequence: int | None
    last_export_rows: int
    last_receipt_at: str | None
    acknowledged_version: int
    acknowledged_sequence: int
    unacknowledged_rows: int


# --- rows to JSON ----------------------------------------------------------------------


def _to_text(value: Any) -> Any:
    return value if value is None else str(value)


def _to_iso(value: Any) -> Any:
    return value if value is None else value.isoformat()


def _to_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _writer(column: Any) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes JSON (``None``: as it is)."""
    col_type = column.type
    if getattr(col_type, "enum_cls", None) is not None:
        return _to_value
    base = col_type.impl_instance if isinstance(col_type, TypeDecorator) else col_type
    if isinstance(base, Uuid):
        return _to_text  # canonical lower-case text
    if isinstance(base, Date | DateTime | Time):
        return _to_iso
    return None


def json_ready(table: Table) -> Callable[[Any], dict[str, Any]]:
    """A function turning a result row of ``select(table)`` into a JSON-ready dict.

    UUIDs become canonical strings, dates, times and (UTC) datetimes ISO 8601 text,
    enums their values; JSON columns, numbers, booleans and text stay as they are.
    """
    names = [c.name for c in table.columns]
    converters = [(i, fn) for i, c in enumerate(table.columns) if (fn := _writer(c)) is not None]

    def convert(row: Any) -> dict[str, Any]:
        values = list(row)
        for i, fn in converters:
            values[i] = fn(values[i])
        return dict(zip(names, values, strict=True))

    return convert


def _json_value(value: str) -> Any:
    """A JSON column's stored text as its value (orjson; the stdlib for what orjson refuses)."""
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return json.loads(value)  # e.g. integers beyond 64 bits; NaN is then refused by the writer


def _sqlite_converter(table: Table) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """A function turning a raw ``SELECT *`` row of ``table`` (SQLite's stored values) into
    the JSON-ready dict :func:`json_ready` makes from ``select(table)``.

    The stored forms are SQLAlchemy's: UUIDs as 32 hex digits (dashes added), UTC times as
    naive ``YYYY-MM-DD HH:MM:SS.ffffff`` (``T`` and ``+00:00`` added), booleans as 0/1,
    JSON as text, dates, times and enum values as their text. Skipping SQLAlchemy's
    per-row processing is several times faster (export is measured against a raw read,
    DESIGN.md §9); a test holds the two equal. The function is generated once per table
    (one dict display, no per-column calls): column names come from our own models.
    """
    items = []
    for i, column in enumerate(table.columns):
        col_type = column.type
        base = col_type.impl_instance if isinstance(col_type, TypeDecorator) else col_type
        value = f"v[{i}]"
        if isinstance(col_type, Uuid):
            value = f"(None if (x := v[{i}]) is None else f'{{x[:8]}}-{{x[8:12]}}-{{x[12:16]}}-{{x[16:20]}}-{{x[20:]}}')"
        elif isinstance(col_type, UTCDateTime):
            value = f"(None if (x := v[{i}]) is None else x[:10] + 'T' + x[11:] + '+00:00')"
        elif isinstance(base, Boolean):
            value = f"(None if (x := v[{i}]) is None else bool(x))"
        elif isinstance(base, JSON):
            value = f"(None if (x := v[{i}]) is None else json_value(x))"
        elif isinstance(base, DateTime):  # a naive time: ISO 8601 with T, as isoformat() writes it
            value = f"(None if (x := v[{i}]) is None else x[:10] + 'T' + x[11:])"
        items.append(f"{column.name!r}: {value}")
    source = "def convert(v):\n    return {" + ", ".join(items) + "}\n"
    namespace: dict[str, Any] = {"json_value": _json_value}
    exec(compile(source, f"<export {table.name}>", "exec"), namespace)  # our own column names
    convert: Callable[[tuple[Any, ...]], dict[str, Any]] = namespace["convert"]
    return convert


def _sqlite_rows(session: Session, table: Table, station: str, low: int, high: int) -> Iterator[dict[str, Any]]:
    """A table's synced rows, read in batches with the driver of the session's connection
    (so in the session's snapshot); only one batch is in memory at a time."""
    convert = _sqlite_converter(table)
    names = ", ".join('"' + c.name.replace('"', '""') + '"' for c in table.columns)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    cursor = raw.execute(f'SELECT {names} FROM "{table.name}" WHERE origin = ? AND row_version > ? '
                         "AND row_version <= ? ORDER BY row_version", (station, low, high))
    try:
        while batch := cursor.fetchmany(EXPORT_BATCH):
            yield from map(convert, batch)
    finally:
        cursor.close()


# The fast path for SQLite: SQLite itself writes each payload line (json_object), so Python
# handles one ``bytes`` per row, and SQLite's work runs without the GIL beside the thread that
# compresses and encrypts. The values are those of _sqlite_converter (a test holds the lines,
# parsed, equal to its dicts): UUIDs with dashes, times with T and +00:00, booleans as
# true/false, JSON columns embedded as JSON. SQLite writes strings exactly as orjson does
# (UTF-8, the same escapes) but a REAL with 15 significant digits only; no synced table has a
# float column, and a table with a column type not handled here takes the dict path. (A
# Python function for the UUIDs costs fewer instructions but takes the GIL four times a row:
# slower beside the compressing thread.)
_PLAIN_TYPES: Final = (String, Integer, Date, Time)
_SQL_NAME_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,62}")


def _sqlite_value(column: Any) -> str | None:
    """The SQL expression of a column's JSON value in ``json_object`` (``None``: not handled)."""
    col_type = column.type
    base = col_type.impl_instance if isinstance(col_type, TypeDecorator) else col_type
    x = f'"{column.name}"'
    if isinstance(col_type, Uuid):  # stored as 32 hex digits
        return f"substr({x},1,8)||'-'||substr({x},9,4)||'-'||substr({x},13,4)||'-'||substr({x},17,4)||'-'||substr({x},21)"
    if isinstance(col_type, UTCDateTime):  # stored as naive UTC "YYYY-MM-DD HH:MM:SS.ffffff"
        return f"substr({x},1,10)||'T'||substr({x},12)||'+00:00'"
    if isinstance(base, Boolean):
        return f"CASE WHEN {x} IS NULL THEN NULL WHEN {x} THEN json('true') ELSE json('false') END"
    if isinstance(base, JSON):
        return f"json({x})"
    if isinstance(base, DateTime):  # a naive time: ISO 8601 with T
        return f"substr({x},1,10)||'T'||substr({x},12)"
    if isinstance(base, _PLAIN_TYPES):
        return x  # text and integers as stored; dates, times and enum values are text
    return None


@functools.cache
def _sqlite_lines_query(table: Table) -> str | None:
    """``SELECT`` of a table's payload lines (BLOBs: never decoded) with each row's ``uuid``,
    ``origin`` and ``row_version`` for the writer's checks; ``None``: take the dict path."""
    values = {c.name: _sqlite_value(c) for c in table.columns}
    if (None in values.values() or not all(map(_SQL_NAME_RE.fullmatch, [table.name, *values]))
            or not {"uuid", "origin", "row_version"} <= values.keys()):
        return None
    members = ", ".join(f"'{name}', {value}" for name, value in values.items())
    line = f"""CAST('{{"t":"{table.name}","r":' || json_object({members}) || '}}' AS BLOB)"""
    return (f'SELECT {line}, {values["uuid"]}, "origin", "row_version" FROM "{table.name}" '
            "WHERE origin = ? AND row_version > ? AND row_version <= ? ORDER BY row_version")


def _sqlite_lines(session: Session, query: str, station: str, low: int,
                  high: int) -> Generator[list[tuple[bytes, Any, Any, Any]], None, None]:
    """Batches of a table's ``(line, uuid, origin, row_version)``, read in the session's snapshot."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    cursor = raw.execute(query, (station, low, high))
    try:
        while batch := cursor.fetchmany(EXPORT_BATCH):
            yield batch
    finally:
        cursor.close()


def _rows(db: Database, session: Session, table: Table, station: str, low: int,
          high: int) -> Generator[dict[str, Any], None, None]:
    if db.is_sqlite:
        yield from _sqlite_rows(session, table, station, low, high)
        return
    stmt = (select(*table.columns).where(table.c.origin == station, table.c.row_version > low,
                                         table.c.row_version <= high)
            .order_by(table.c.row_version).execution_options(yield_per=EXPORT_BATCH))
    convert = json_ready(table)
    for row in session.execute(stmt):
        yield convert(row)


# --- high-water marks ------------------------------------------------------------------


def _newest_receipt(session: Session) -> ReceiptRecord | None:
    return session.scalars(select(ReceiptRecord).order_by(ReceiptRecord.received_at.desc(),
                                                          ReceiptRecord.id.desc())).first()


def acknowledged_version(session: Session) -> int:
    """The row version the newest receipt acknowledges (0 before the first receipt).

    "Newest" is by the centre's time of import, so a receipt imported late (out of order)
    does not move the mark back, and one issued by a centre restored from a backup does.
    """
    newest = _newest_receipt(session)
    return int(newest.row_version) if newest is not None else 0


def _previous_bundle(session: Session) -> tuple[int, str]:
    """(sequence, file SHA-256) of the newest bundle known from the log or the receipts."""
    log = session.scalars(select(ExportLog).order_by(ExportLog.sequence.desc())).first()
    rec = session.scalars(select(ReceiptRecord).order_by(ReceiptRecord.high_bundle_sequence.desc(),
                                                         ReceiptRecord.id.desc())).first()
    seq_log = int(log.sequence) if log is not None else 0
    seq_rec = int(rec.high_bundle_sequence) if rec is not None else 0
    if log is not None and seq_log >= seq_rec:
        return seq_log, log.file_sha256
    if rec is not None and seq_rec:
        same = session.scalars(select(ReceiptRecord.bundle_sha256)
                               .where(ReceiptRecord.bundle_sequence == seq_rec)).first()
        return seq_rec, same or ""
    return 0, ""


def _audit_head(session: Session) -> AuditHead:
    row = session.execute(select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)).first()
    return EMPTY_AUDIT_HEAD if row is None else AuditHead(int(row[0]), str(row[1]))


def _schema_revision(session: Session) -> str:
    return str(session.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _count(session: Session, table: Table, station: str, low: int, high: int) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(
        table.c.origin == station, table.c.row_version > low, table.c.row_version <= high)) or 0)


@functools.cache
def _sqlite_count_query(tables: tuple[Table, ...]) -> str:
    """One statement counting the synced rows in ``(?1, ?2]`` of every table (SQLAlchemy
    building and compiling 38 counts cost more than SQLite answering them)."""
    return "SELECT " + " + ".join(
        f'(SELECT count(*) FROM "{t.name}" WHERE origin = ?1 AND row_version > ?2 AND row_version <= ?3)'
        for t in tables)


def _count_all(db: Database, session: Session, tables: list[Table], station: str, low: int, high: int) -> int:
    """Synced rows of the station in ``(low, high]``, in the session's snapshot."""
    if not db.is_sqlite:
        return sum(_count(session, t, station, low, high) for t in tables)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    return int(raw.execute(_sqlite_count_query(tuple(tables)), (station, low, high)).fetchone()[0])


# --- export ----------------------------------------------------------------------------


def export_bundle(db: Database, actor: Actor, out: Path, *, full: bool = False,
                  profile: bundle.Profile | str = bundle.Profile.SUPERVISION,
                  progress: Progress | None = None, now: datetime | None = None) -> ExportResult:
    """Write this station's bundle for the centre whose card it imported.

    Args:
        db: A station database.
        actor: Who exports (needs ``export``).
        out: The ``.wsb`` file, or a folder (then ``<station>-<sequence>[-full].wsb`` in it).
        full: Every row, not only those the centre has not acknowledged.
        profile: ``supervision`` (default: every record) or ``deidentified``.
        progress: ``(rows written, rows to write)``; raise from it to cancel (then no
            file is left and nothing is logged).
        now: Time of export (default: now).

    Returns:
        The file and what it holds.

    Raises:
        ConfigError: ``station.is_centre``, ``export.no_centre_card`` (import the
            centre's card first), ``keys.private_missing`` (make a new key pair).
        OSError: The file cannot be written (nothing is logged then).
    """
    require(actor, Permission.EXPORT)
    require_mode(db, StationMode.STATION)
    profile = bundle.Profile(profile)
    now = now or datetime.now(UTC)
    with reading(db, actor) as session:  # one snapshot: the clock and the rows agree
        station = own_station(session).code
        centre = active_centre_key(session)
        if centre is None:
            raise ConfigError("export.no_centre_card")
        signing_key = signing_private_key(db, session, station)
        high = current_version(session)
        low = 0 if full else min(acknowledged_version(session), high)
        prev_sequence, prev_sha = _previous_bundle(session)
        sequence = prev_sequence + 1
        tables: list[Table] = [m.__table__ for m in SYNCED_MODELS]  # type: ignore[attr-defined]
        total = _count_all(db, session, tables, station, low, high)
        # Always a temporary name beside the destination: a cancelled or failed export
        # leaves no file, and never removes a file the user chose to replace.
        folder = out if out.is_dir() else out.parent
        target = folder / f".wushe-export-{secrets.token_hex(4)}.wsb"
        readers: list[Generator[Any, None, None]] = []

        def rows_of(table: Table) -> Iterator[dict[str, Any]] | bundle.EncodedRows:
            query = _sqlite_lines_query(table) if db.is_sqlite and profile is bundle.Profile.SUPERVISION else None
            if query is not None:
                lines = _sqlite_lines(session, query, station, low, high)
                readers.append(lines)
                return bundle.EncodedRows(lines)
            rows = _rows(db, session, table, station, low, high)
            readers.append(rows)
            return rows

        try:
            info = bundle.write_bundle(
                target, station_code=station, sequence=sequence, prev_bundle_sha256=prev_sha, full=full,
                row_version_from=low, row_version_to=high, schema_revision=_schema_revision(session),
                audit_head=_audit_head(session),
                tables=((t.name, rows_of(t)) for t in tables),
                signing_key=signing_key, centre_public_key=bytes(centre.box_key), profile=profile,
                pseudonym_key=bytes(centre.pseudonym_key) if profile is bundle.Profile.DEIDENTIFIED else None,
                created_at=now, progress=progress, total_rows=total,
            )
        except BaseException:
            target.unlink(missing_ok=True)  # cancelled or failed (even after the last row)
            raise
        finally:
            for reader in readers:  # a reader left half-way closes its cursor while the snapshot is open
                reader.close()
        centre_name, centre_box = centre.centre_name, centre.box_fingerprint
    path = target
    try:
        path = out / bundle.suggested_file_name(info.manifest) if out.is_dir() else out
        target.replace(path)
        rows = sum(info.manifest.table_counts.values())
        with transaction(db, actor, Permission.EXPORT) as session:
            session.add(ExportLog(exported_at=now, actor=actor.name[:60], sequence=sequence, full=full,
                                  profile=profile.value, row_version_from=low, row_version_to=high, rows=rows,
                                  file_sha256=info.sha256, file_name=path.name[:255],
                                  centre_fingerprint=centre_box))
            append_audit(session, AuditEntry("export", "bundle", "", {
                "sequence": sequence, "full": full, "profile": profile.value, "rows": rows,
                "row_version_from": low, "row_version_to": high, "sha256": info.sha256}))
    except BaseException:
        path.unlink(missing_ok=True)  # an unlogged bundle would break the sequence
        raise
    return ExportResult(path, sequence, full, profile.value, rows, dict(info.manifest.table_counts), low, high,
                        info.sha256, info.size, centre_name, station == DEMO_STATION_CODE)


def sync_status(db: Database, actor: Actor) -> SyncStatus:
    """Last export, last receipt and the rows the centre has not acknowledged yet."""
    with reading(db, actor, Permission.READ) as session:
        station = own_station(session).code
        centre = active_centre_key(session)
        log = session.scalars(select(ExportLog).order_by(ExportLog.sequence.desc())).first()
        newest = _newest_receipt(session)
        low = int(newest.row_version) if newest is not None else 0
        high = current_version(session)
        tables: list[Table] = [m.__table__ for m in SYNCED_MODELS]  # type: ignore[attr-defined]
        pending = _count_all(db, session, tables, station, low, high)
        return SyncStatus(
            centre_name=centre.centre_name if centre else "", centre_fingerprint=centre.fingerprint if centre else "",
            last_export_at=log.exported_at if log else None, last_export_sequence=int(log.sequence) if log else None,
            last_export_rows=int(log.rows) if log else 0, last_receipt_at=newest.received_at if newest else None,
            acknowledged_version=low, acknowledged_sequence=int(newest.high_bundle_sequence) if newest else 0,
            unacknowledged_rows=pending,
        )


@dataclass(frozen=True)
class ExportLogEntry:
    """One bundle this station wrote (the sync screen's export log).

    Attributes:
        exported_at: When (UTC).
        actor: Who exported it.
        sequence: Its sequence number.
        full: A full export.
        profile: ``supervision`` or ``deidentified``.
        rows: Rows in the bundle.
        file_name: The file's name (the folder is not kept).
        sha256: SHA-256 of the file.
    """

    exported_at: datetime
    actor: str
    sequence: int
    full: bool
    profile: str
    rows: int
    file_name: str
    sha256: str


def export_log(db: Database, actor: Actor, limit: int = 200) -> list[ExportLogEntry]:
    """The bundles this station wrote, newest first (at most ``limit``)."""
    with reading(db, actor, Permission.READ) as session:
        logs = session.scalars(select(ExportLog).order_by(ExportLog.sequence.desc()).limit(limit))
        return [ExportLogEntry(log.exported_at, log.actor, int(log.sequence), bool(log.full), log.profile,
                               int(log.rows), log.file_name, log.file_sha256) for log in logs]


def suggested_bundle_name(db: Database, actor: Actor, *, full: bool = False) -> str:
    """The file name the next export gets in a folder: ``<station>-<sequence>[-full].wsb``.

    The same name :func:`export_bundle` gives when it is handed a folder (no personal
    data in it).
    """
    with reading(db, actor, Permission.READ) as session:
        station = own_station(session).code
        sequence = _previous_bundle(session)[0] + 1
    return f"{station}-{sequence:06d}{'-full' if full else ''}.wsb"
