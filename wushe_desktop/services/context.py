"""The acting user and the one-transaction-per-use-case helper.

Every service function takes an :class:`Actor` first and opens exactly one transaction
with :func:`transaction` (STYLE.md §3). Results leave as frozen dataclasses.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import Role, StationMode
from wushe_desktop.domain.taxonomy import DEFAULT_SETTINGS
from wushe_desktop.errors import ConfigError
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.storage.db import Database, map_operational_error
from wushe_desktop.storage.models import Setting, Station
from wushe_desktop.storage.tracking import ActorInfo, bind_actor


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in member of staff, or the command line.

    Attributes:
        name: Display name written into audit rows.
        role: The role whose permissions apply.
        staff_id: The staff record, if the actor is one (the CLI is not).
    """

    name: str
    role: Role
    staff_id: uuid.UUID | None = None


#: The command line acts as the local administrator (DESIGN.md §8).
CLI_ACTOR = Actor(name="本机管理员(命令行)", role=Role.LOCAL_ADMIN)


@dataclass(frozen=True)
class StationInfo:
    """This database's own station or centre.

    ``timezone`` is the station's zone (setting ``timezone``): the day a record belongs
    to, and the clock times on forms and screens, are the station's, whatever zone the
    PC itself is set to.
    """

    code: str
    name: str
    banner_code: str
    banner_name: str
    mode: StationMode
    timezone: str = str(DEFAULT_SETTINGS["timezone"])

    @property
    def zone(self) -> tzinfo | None:
        """The station's zone (``None``: the PC's own, if the setting names no known zone)."""
        return zone_named(self.timezone)


def zone_named(name: Any) -> tzinfo | None:
    """The zone a ``timezone`` setting names, or ``None`` (use the PC's own) if none or unknown."""
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def station_zone(session: Session) -> tzinfo | None:
    """The station's time zone, read in an open session (see :class:`StationInfo`)."""
    row = session.get(Setting, "timezone")
    return zone_named(row.value if row is not None else DEFAULT_SETTINGS["timezone"])


def _info(session: Session, st: Station) -> StationInfo:
    row = session.get(Setting, "timezone")
    name = row.value if row is not None else DEFAULT_SETTINGS["timezone"]
    return StationInfo(st.code, st.name, st.banner_code, st.banner_name, st.mode, str(name or ""))


def own_station(session: Session, mode: StationMode | None = None) -> Station:
    """This database's own station row, optionally refusing the wrong mode.

    Raises:
        ConfigError: ``station.not_initialised``; with ``mode``, ``station.is_centre``
            (a station action on a centre) or ``station.not_centre`` (the reverse).
    """
    station = session.scalars(select(Station).where(Station.is_self.is_(True))).first()
    if station is None:
        raise ConfigError("station.not_initialised")
    if mode is not None and station.mode != mode:
        raise ConfigError("station.is_centre" if mode == StationMode.STATION else "station.not_centre")
    return station


@contextmanager
def transaction(db: Database, actor: Actor, permission: Permission | None = None) -> Iterator[Session]:
    """One write transaction for one use case, with the actor bound for audit rows."""
    if permission is not None:
        require(actor, permission)
    try:
        with db.sessions.begin() as session:
            station = own_station(session)
            bind_actor(session, ActorInfo(actor.name, actor.role.value, station.code))
            yield session
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


@contextmanager
def reading(db: Database, actor: Actor, permission: Permission | None = None) -> Iterator[Session]:
    """A read-only session on the read engine (lists, search, stats)."""
    if permission is not None:
        require(actor, permission)
    try:
        with db.read_sessions() as session:
            yield session
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


def station_info(db: Database) -> StationInfo:
    """Read this database's own station."""
    with db.read_sessions() as session:
        return _info(session, own_station(session))


def require_mode(db: Database, mode: StationMode) -> StationInfo:
    """This database's station, refusing the wrong mode (see :func:`own_station`)."""
    with db.read_sessions() as session:
        return _info(session, own_station(session, mode))
