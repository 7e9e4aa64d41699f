"""What every screen needs, passed down explicitly (no global application object).

:class:`UiContext` carries the open database handle (opaque here: ``ui`` never imports
``storage``), the acting user, this station, the two workers and a small event hub that
tells screens when records changed.

This module imports no service at load time (only inside :func:`load_opening`, which runs
on the worker): start-up imports it to draw the window before the database layer loads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from wushe_desktop.ui.worker import Worker

if TYPE_CHECKING:
    from wushe_desktop.services.context import Actor, StationInfo


class DataEvents(QObject):
    """Tells screens that records of a kind changed, so they reload when next shown.

    Signals:
        changed(str): the kind (``"people"``, ``"cases"``, ``"volunteers"``,
            ``"activities"``, ``"hours"``...).
    """

    changed = Signal(str)


@dataclass(frozen=True)
class RestartRequest:
    """Work to run while the database is closed (a restore).

    Attributes:
        job: ``job(db_path)`` runs on a worker with no connection open.
        describe: Turns the job's result into the sentence shown once the database is
            open again (GUI thread).
    """

    job: Callable[[Path], Any]
    describe: Callable[[Any], str]


class SessionControl(QObject):
    """Lets a screen ask start-up to close the database, run something, and open it again.

    Signals:
        restart_requested(object): a :class:`RestartRequest`. Start-up closes the window
            (the automatic backup runs first), runs the job, reopens the database, asks
            for the login again and shows the sentence.
    """

    restart_requested = Signal(object)


class ReloadWhenShown(QObject):
    """Reloads a screen when the records it shows change: at once if it is on screen,
    otherwise the next time it is shown — so hidden screens cost nothing.

    ``kinds`` says which :attr:`DataEvents.changed` kinds concern the screen (a set of
    kinds, or a test on the kind; ``None``: every kind). ``ready`` may hold a reload back
    on showing (e.g. while one is already on its way). The screen's reload clears
    :attr:`stale` when it starts.
    """

    def __init__(self, widget: QWidget, events: DataEvents, kinds: Collection[str] | Callable[[str], bool] | None,
                 reload: Callable[[], object], *, ready: Callable[[], bool] | None = None,
                 stale: bool = True) -> None:
        super().__init__(widget)
        self._widget = widget
        self._concerns: Callable[[str], bool] = (
            (lambda _kind: True) if kinds is None else kinds if callable(kinds) else frozenset(kinds).__contains__)
        self._reload = reload
        self._ready = ready
        #: Whether the screen shows out-of-date figures (reload when next shown).
        self.stale = stale
        events.changed.connect(self._changed)
        widget.installEventFilter(self)

    def _changed(self, kind: str) -> None:
        if not self._concerns(kind):
            return
        if self._widget.isVisible():
            self._reload()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale \
                and (self._ready is None or self._ready()):
            self._reload()
        return False


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
        username: The logged-in account ("" when the database has no accounts yet:
            then nobody logs in, and the window never locks).
        session: Asks start-up to close and reopen the database (a restore).
    """

    db: Any
    actor: Actor
    station: StationInfo
    writer: Worker
    reader: Worker
    events: DataEvents
    username: str = ""
    session: SessionControl = field(default_factory=SessionControl)

    def shutdown(self) -> None:
        """Finish queued work and stop both threads (before the database is closed)."""
        self.writer.shutdown()
        self.reader.shutdown()


@dataclass(frozen=True)
class Opening:
    """What start-up learns from a database before the main window opens.

    Attributes:
        station: This database's station.
        actor: Who acts (after the login, the logged-in account).
        needs_login: The database has accounts: ask for a login before anything else
            (``actor`` is then only a placeholder).
        username: The logged-in account ("" without accounts).
        session: Start-up's control for closing and reopening the database.
    """

    station: StationInfo
    actor: Actor
    needs_login: bool = False
    username: str = ""
    session: SessionControl | None = None


def load_opening(db: Any, fallback_name: str) -> Opening:
    """Read this station and choose who acts (runs on the worker).

    A database with login accounts needs a login (``needs_login``). Without any (a
    database made before accounts existed, or the demo), the GUI acts as the station head
    on file, or, with none on file, as a station head named ``fallback_name``.

    Args:
        db: The open database.
        fallback_name: The actor's name when no station head is on file.
    """
    from wushe_desktop.domain.enums import Role
    from wushe_desktop.services.accounts import has_accounts
    from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
    from wushe_desktop.services.staff import list_staff

    info = station_info(db)
    if has_accounts(db):
        return Opening(info, Actor(name="", role=Role.DEPUTY), needs_login=True)
    heads = [s for s in list_staff(db, CLI_ACTOR) if s.role == Role.STATION_HEAD]
    if heads:
        return Opening(info, Actor(name=heads[0].name, role=Role.STATION_HEAD, staff_id=heads[0].uuid))
    return Opening(info, Actor(name=fallback_name, role=Role.STATION_HEAD))


def make_context(db: Any, opening: Opening, writer: Worker | None = None) -> UiContext:
    """Start the workers for an opened database (reusing start-up's writer, if given)."""
    return UiContext(db=db, actor=opening.actor, station=opening.station,
                     writer=writer if writer is not None else Worker("writer"), reader=Worker("reader"),
                     events=DataEvents(), username=opening.username,
                     session=opening.session if opening.session is not None else SessionControl())
