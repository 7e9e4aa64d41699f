"""What every screen needs, passed down explicitly (no global application object).

:class:`UiContext` carries the open database handle (opaque here: ``ui`` never imports
``storage``), the acting user, this station, the two workers and a small event hub that
tells screens when records changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from wushe_desktop.domain.enums import Role
from wushe_desktop.services.context import CLI_ACTOR, Actor, StationInfo, station_info
from wushe_desktop.services.staff import list_staff
from wushe_desktop.ui.worker import Worker


class DataEvents(QObject):
    """Tells screens that records of a kind changed, so they reload when next shown.

    Signals:
        changed(str): the kind (``"people"``, ``"cases"``, ``"volunteers"``,
            ``"activities"``, ``"hours"``...).
    """

    changed = Signal(str)


@dataclass
class UiContext:
    """The open station as the screens use it.

    Attributes:
        db: The open database handle (from ``services.database.open_db`` or
            ``services.station.init_database``), passed to services untouched.
        actor: Who is acting (audit rows, permissions).
        station: This database's station.
        writer: The worker for database writes, in order.
        reader: The worker for lists, search and figures (reads on their own connection).
        events: Change notifications between screens.
    """

    db: Any
    actor: Actor
    station: StationInfo
    writer: Worker
    reader: Worker
    events: DataEvents

    def shutdown(self) -> None:
        """Finish queued work and stop both threads (before the database is closed)."""
        self.writer.shutdown()
        self.reader.shutdown()


@dataclass(frozen=True)
class Opening:
    """What start-up learns from a database before the main window opens."""

    station: StationInfo
    actor: Actor


def load_opening(db: Any, fallback_name: str) -> Opening:
    """Read this station and choose who acts (runs on the worker).

    Until logins exist (issue 3 later), the GUI acts as the station head on file, or,
    with none on file, as a station head named ``fallback_name``.

    Args:
        db: The open database.
        fallback_name: The actor's name when no station head is on file.
    """
    info = station_info(db)
    heads = [s for s in list_staff(db, CLI_ACTOR) if s.role == Role.STATION_HEAD]
    if heads:
        return Opening(info, Actor(name=heads[0].name, role=Role.STATION_HEAD, staff_id=heads[0].uuid))
    return Opening(info, Actor(name=fallback_name, role=Role.STATION_HEAD))


def make_context(db: Any, opening: Opening, writer: Worker | None = None) -> UiContext:
    """Start the workers for an opened database (reusing start-up's writer, if given)."""
    return UiContext(db=db, actor=opening.actor, station=opening.station,
                     writer=writer if writer is not None else Worker("writer"), reader=Worker("reader"),
                     events=DataEvents())
