"""Key information of this database (the bundle work adds export, import, rotation)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wushe_desktop.services.context import own_station
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import StationKey


@dataclass(frozen=True)
class KeyInfo:
    """This database's station/centre and its active key fingerprint."""

    code: str
    name: str
    fingerprint: str


def show_keys(db: Database) -> KeyInfo:
    """The active key's fingerprint (``wushe keys show``)."""
    with db.read_sessions() as s:
        st = own_station(s)
        fp = s.scalar(select(StationKey.fingerprint).where(StationKey.active.is_(True)))
        return KeyInfo(st.code, st.name, fp or "")
