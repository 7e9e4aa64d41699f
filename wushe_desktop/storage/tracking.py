"""Row versions and audit rows, written in the same transaction as every change.

The ORM hook (:func:`install`) stamps every new, changed or soft-deleted synced row with
the next ``row_version`` from the station-wide clock and appends one hash-chained audit
row per change. Bulk paths that use Core ``executemany`` call :func:`reserve_versions`
and :func:`append_audit` themselves (docs/decisions.md §5).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from wushe_desktop.errors import ConfigError
from wushe_desktop.storage.models import AuditLog, Synced, VersionClock
from wushe_desktop.storage.types import utcnow

EPOCH_SHIFT = 40
GENESIS_HASH = "0" * 64

#: Columns whose change alone is bookkeeping, not an edit worth a version.
_BOOKKEEPING = frozenset({"row_version", "updated_at", "created_at"})


@dataclass(frozen=True)
class ActorInfo:
    """Who is acting, as the storage layer records it (set by services per session)."""

    name: str
    role: str
    origin: str  # the code of this database's own station (or centre)


def bind_actor(session: Session, actor: ActorInfo) -> None:
    """Tell the hook who acts in this session and which station owns new rows."""
    session.info["actor"] = actor


def _actor(session: Session) -> ActorInfo:
    actor = session.info.get("actor")
    if not isinstance(actor, ActorInfo):
        raise ConfigError("session.no_actor", detail="a change was flushed without an actor")
    return actor


def compose_version(epoch: int, counter: int) -> int:
    """``row_version`` = epoch << 40 | counter."""
    return (epoch << EPOCH_SHIFT) | counter


def reserve_versions(session: Session, n: int) -> Iterator[int]:
    """Reserve ``n`` consecutive row versions with one statement.

    The UPDATE also takes SQLite's write lock, so the audit head read afterwards cannot
    change under us.
    """
    if n <= 0:
        return iter(())
    row = session.execute(
        update(VersionClock)
        .where(VersionClock.id == 1)
        .values(counter=VersionClock.counter + n)
        .returning(VersionClock.epoch, VersionClock.counter)
    ).one()
    epoch, last = int(row[0]), int(row[1])
    return (compose_version(epoch, c) for c in range(last - n + 1, last + 1))


def current_version(session: Session) -> int:
    """The highest row version issued so far."""
    row = session.execute(select(VersionClock.epoch, VersionClock.counter).where(VersionClock.id == 1)).one()
    return compose_version(int(row[0]), int(row[1]))


def audit_hash(prev_hash: str, seq: int, at: datetime, actor: str, role: str, action: str,
               entity: str, entity_uuid: str, details: dict[str, Any]) -> str:
    """The chained hash of one audit row (docs/decisions.md §5)."""
    body = json.dumps(
        [seq, format_at(at), actor, role, action, entity, entity_uuid, details],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def format_at(at: datetime) -> str:
    """Canonical text of an audit timestamp (UTC, microseconds)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    """An audit row before it is numbered and chained."""

    action: str
    entity: str = ""
    entity_uuid: str = ""
    details: dict[str, Any] | None = None


def _audit_head(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)).first()
    return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))


def _chain(session: Session, entries: Sequence[AuditEntry], actor: ActorInfo) -> list[dict[str, Any]]:
    seq, prev = _audit_head(session)
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        details = dict(entry.details or {})
        digest = audit_hash(prev, seq, at, actor.name, actor.role, entry.action, entry.entity,
                            entry.entity_uuid, details)
        rows.append({
            "seq": seq, "at": at, "actor": actor.name, "role": actor.role, "action": entry.action,
            "entity": entry.entity, "entity_uuid": entry.entity_uuid, "details": details,
            "prev_hash": prev, "hash": digest,
        })
        prev = digest
    return rows


def append_audit(session: Session, *entries: AuditEntry) -> None:
    """Append audit rows now (events that change no record: print, export, bulk counts)."""
    session.flush()
    actor = _actor(session)
    # Take the write lock first (SQLite), so the chain head cannot move while we append.
    session.execute(update(VersionClock).where(VersionClock.id == 1).values(counter=VersionClock.counter))
    rows = _chain(session, entries, actor)
    if rows:
        session.execute(insert(AuditLog), rows)


def _changed_fields(obj: Synced) -> list[str]:
    state = inspect(obj)
    return sorted(
        attr.key for attr in state.attrs
        if attr.key not in _BOOKKEEPING and attr.history.has_changes()
    )


def _before_flush(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    changes: list[tuple[Synced, str, list[str]]] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            changes.append((obj, "insert", []))
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            fields = _changed_fields(obj)
            if not fields:
                continue
            action = "delete" if "deleted_at" in fields and obj.deleted_at is not None else "update"
            changes.append((obj, action, fields))
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise ConfigError("storage.hard_delete", detail=f"{type(obj).__name__} must be soft-deleted")
    if not changes:
        return
    actor = _actor(session)
    now = utcnow()
    with session.no_autoflush:
        versions = reserve_versions(session, len(changes))
        entries: list[AuditEntry] = []
        for (obj, action, fields), version in zip(changes, versions, strict=True):
            if obj.uuid is None:
                obj.uuid = uuid.uuid4()
            if action == "insert":
                if obj.origin is None:
                    obj.origin = actor.origin
                if obj.created_at is None:
                    obj.created_at = now
            obj.row_version = version
            obj.updated_at = now
            table = type(obj).__table__.name  # type: ignore[attr-defined]
            details: dict[str, Any] = {"row_version": version}
            if fields:
                details["fields"] = [f for f in fields if f != "deleted_at"]
            entries.append(AuditEntry(action, table, str(obj.uuid), details))
        for row in _chain(session, entries, actor):
            session.add(AuditLog(**row))


def install(session_factory: Any) -> None:
    """Attach the hook to a sessionmaker (or Session class)."""
    event.listen(session_factory, "before_flush", _before_flush)
