"""Reading the audit log: a filtered, paged view for the audit viewer (审计日志).

Read-only. Filters combine (all optional): a date range in the station's time zone,
the actor (as written in the row), the action and the record kind (``entity``). Rows come
newest first, a page at a time, with the total count of the filter, so the viewer can
page through hundreds of thousands of rows. The hash chain is verified separately with
:func:`verify_audit` (``storage.audit.verify_chain``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, func, select

from wushe_desktop.services.context import Actor, reading, zone_named
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.station import get_setting
from wushe_desktop.storage.audit import ChainResult, verify_chain
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog

#: Rows per page when the caller does not say.
PAGE_SIZE = 200
#: The most rows one page may hold.
MAX_PAGE_SIZE = 2000


@dataclass(frozen=True)
class AuditFilter:
    """What to show (every field optional).

    Attributes:
        date_from: First day (station time zone), inclusive.
        date_to: Last day, inclusive.
        actor: The actor's name exactly as written in the rows.
        action: The action (``login``, ``print``, ``update``...).
        entity: The record kind (``case``, ``person``, ``user_account``...).
    """

    date_from: date | None = None
    date_to: date | None = None
    actor: str | None = None
    action: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the viewer shows it (``details`` never hold personal values)."""

    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    entity: str
    entity_uuid: str
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    """A page of rows, newest first, and how many rows the filter matches."""

    rows: tuple[AuditRow, ...]
    total: int
    offset: int


@dataclass(frozen=True)
class AuditChoices:
    """The values the filters offer (what occurs in the log), and today in the station's
    time zone (the default end of the date range)."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]
    entities: tuple[str, ...]
    today: date


def _zone(db: Database) -> tzinfo | None:
    return zone_named(get_setting(db, "timezone"))


def _bounds(db: Database, flt: AuditFilter) -> tuple[datetime | None, datetime | None]:
    zone = _zone(db)

    def start_of(day: date) -> datetime:
        moment = datetime.combine(day, time.min)
        return moment.replace(tzinfo=zone) if zone else moment.astimezone()

    low = start_of(flt.date_from) if flt.date_from else None
    high = start_of(flt.date_to + timedelta(days=1)) if flt.date_to else None
    return low, high


def _filtered(stmt: Select[Any], db: Database, flt: AuditFilter) -> Select[Any]:
    low, high = _bounds(db, flt)
    if low is not None:
        stmt = stmt.where(AuditLog.at >= low)
    if high is not None:
        stmt = stmt.where(AuditLog.at < high)
    if flt.actor:
        stmt = stmt.where(AuditLog.actor == flt.actor)
    if flt.action:
        stmt = stmt.where(AuditLog.action == flt.action)
    if flt.entity:
        stmt = stmt.where(AuditLog.entity == flt.entity)
    return stmt


def query_audit(db: Database, actor: Actor, flt: AuditFilter | None = None, *, offset: int = 0,
                limit: int = PAGE_SIZE) -> AuditPage:
    """A page of the audit log, newest first (needs ``manage_users``: the head).

    Raises:
        PermissionDenied: ``permission.manage_users``.
    """
    require(actor, Permission.MANAGE_USERS)
    flt = flt or AuditFilter()
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    with reading(db, actor) as s:
        total = s.scalar(_filtered(select(func.count()).select_from(AuditLog), db, flt)) or 0
        rows = s.scalars(_filtered(select(AuditLog), db, flt).order_by(AuditLog.seq.desc())
                         .offset(offset).limit(limit)).all()
        return AuditPage(tuple(AuditRow(r.seq, r.at, r.actor, r.role, r.action, r.entity, r.entity_uuid,
                                        dict(r.details or {})) for r in rows), int(total), offset)


def audit_choices(db: Database, actor: Actor) -> AuditChoices:
    """The actors, actions and record kinds that occur in the log (for the filter lists)."""
    require(actor, Permission.MANAGE_USERS)
    with reading(db, actor) as s:
        def distinct(column: Any) -> tuple[str, ...]:
            return tuple(v for v in s.scalars(select(column).distinct().order_by(column)).all() if v)

        zone = _zone(db)
        today = datetime.now(zone).date() if zone else date.today()
        return AuditChoices(distinct(AuditLog.actor), distinct(AuditLog.action), distinct(AuditLog.entity), today)


def verify_audit(db: Database, actor: Actor) -> ChainResult:
    """Verify the whole hash chain (``first_broken`` names the first bad entry)."""
    require(actor, Permission.MANAGE_USERS)
    return verify_chain(db)


__all__ = ["PAGE_SIZE", "AuditChoices", "AuditFilter", "AuditPage", "AuditRow", "audit_choices", "query_audit",
           "verify_audit"]
