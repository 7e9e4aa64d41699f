"""Start-up: open (or create, or fill with demo data) the database, then the main window.

Everything that touches the database runs on the writer worker, with a progress dialog
if it takes a while; the set-up wizard appears when the database does not exist yet (it
can also restore a backup there: scenario 8). A database with login accounts asks for a
login first; the window then acts as that account. A damaged database at start is
replaced, if the user agrees, by the newest good automatic copy (the damaged file is kept
aside). A restore chosen from the window's menu closes the database, restores, reopens
it and asks for the login again. Failures before the main window is up are shown as one
Chinese sentence, then the application quits with status 1.

The window comes first: for an existing database (and ``--demo``) the station's window
is drawn at once, saying "opening the database…", while the worker imports the database
layer, opens (or migrates, or fills) the database and loads the first screen's module;
then the window is given the open database (or the login is asked over it). Nothing here
imports a service at load time, so drawing the window does not wait for SQLAlchemy. A
database last opened as a centre opens without that first window (the centre has its own).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from wushe_desktop.errors import DatabaseError, WusheError
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import (
    Opening,
    RestartRequest,
    SessionControl,
    UiContext,
    load_opening,
    make_context,
)
from wushe_desktop.ui.main_window import MainWindow, screen_class
from wushe_desktop.ui.worker import Worker

if TYPE_CHECKING:
    from wushe_desktop.services.instance import InstanceLock
    from wushe_desktop.ui.login_dialog import LoginDialog
    from wushe_desktop.ui.setup_wizard import SetupWizard

#: QSettings key: the database files last opened as a centre (they open without the station's window first).
CENTRE_FILES_KEY = "startup/centreDatabases"


def open_db(target: Path) -> Any:
    """Open a database (the database layer is imported here, on the worker)."""
    from wushe_desktop.services.database import open_db as open_database

    return open_database(target)


def open_locked(target: Path) -> tuple[InstanceLock, Any]:
    """Claim the database for this window, then open it (runs on the worker).

    Raises:
        DatabaseError: ``database.in_use`` when another window has it open, or any
            error of opening it (the claim is then given up).
    """
    from wushe_desktop.services.instance import acquire_instance_lock

    lock = acquire_instance_lock(target)
    try:
        return lock, open_db(target)
    except BaseException:
        lock.release()
        raise


log = logging.getLogger("wushe_desktop.ui.startup")

#: Database errors at start for which an automatic copy is offered.
DAMAGED_CODES = frozenset({"database.corrupt", "database.foreign", "database.not_sqlite"})


def recover_locked(target: Path) -> tuple[InstanceLock, Any, str]:
    """Claim a damaged database, replace it with the newest good automatic copy and open
    it (runs on the worker); returns the lock, the database and the copy's day."""
    from wushe_desktop.services.instance import acquire_instance_lock
    from wushe_desktop.services.recovery import restore_newest_automatic

    lock = acquire_instance_lock(target)
    try:
        copy, _result = restore_newest_automatic(target)
        return lock, open_db(target), copy.day.isoformat()
    except BaseException:
        lock.release()
        raise


def freeze_start_up_objects() -> None:
    """Keep the objects start-up made out of Python's garbage collector's full passes.

    Start-up leaves hundreds of thousands of long-lived objects (SQLAlchemy's mappers, Qt
    wrappers, the screens); a full collection walked them all, holding the interpreter lock
    for up to 0.1 s while the window waited (measured at 100k cases). ``gc.freeze`` moves
    them to a generation that is never collected; what is made later is collected as usual.
    """
    gc.collect()
    gc.freeze()


def prepare_opening(db: Any, fallback_name: str, first_screen: int) -> Opening:
    """Read who opens the database (:func:`load_opening`) and import the first screen's
    module, so the main thread finds it loaded (runs on the worker)."""
    opening = load_opening(db, fallback_name)
    screen_class(first_screen)
    import wushe_desktop.ui.system_menu  # noqa: F401 - the window adds its menu when the database is open

    return opening


class Startup(QObject):
    """Opens the database and shows the main window.

    Signals:
        window_shown(object): a main window is on screen for the first time (perhaps still
            saying "opening the database…").
        ready(object): the main window has its open database (the window).
        failed(): start-up gave up (the user was told why) or the wizard was cancelled.
        cancelled(): the window was closed before its database was open.
    """

    window_shown = Signal(object)
    ready = Signal(object)
    failed = Signal()
    cancelled = Signal()

    def __init__(self, target: Path, open_demo: Callable[[], Any] | None = None,
                 settings: QSettings | None = None) -> None:
        """Prepare start-up.

        Args:
            target: The database file to open, or to create with the wizard.
            open_demo: Makes a throwaway demo database instead (``--demo``).
            settings: Where the window keeps its size (default ``QSettings()``).
        """
        super().__init__()
        self._target = target
        self._open_demo = open_demo
        self._settings = settings
        self.worker = Worker("writer")
        self.db: Any = None
        self.instance_lock: InstanceLock | None = None
        self.ctx: UiContext | None = None
        self.window: MainWindow | None = None
        self.wizard: SetupWizard | None = None
        self.login: LoginDialog | None = None
        self.shown: QtWidgets.QWidget | None = None
        self.session = SessionControl()
        self.session.restart_requested.connect(self.restart)
        self._login_as: tuple[str, Any] | None = None
        self._notice = ""
        self._sheet: tuple[str | None] | None = None
        self._announced = False
        self.ready.connect(self._window_ready)

    def begin(self) -> None:
        """Start (call once the event loop runs or is about to)."""
        if self._open_demo is not None:
            label = self.tr("Preparing the demo database…")
            self._draw_window(label)
            self.worker.run(self._open_demo, on_done=self._opened, on_error=self._open_failed,
                            parent=self.window)
        elif self._target.exists():
            label = self.tr("Opening the database…")
            drawn = not self._opened_as_centre() and self._draw_window(label)
            self.worker.run(open_locked, self._target, on_done=self._opened_locked, on_error=self._open_failed,
                            parent=self.window, progress_label=None if drawn else label)
        else:
            from wushe_desktop.ui.setup_wizard import SetupWizard

            wizard = SetupWizard(self.worker, self._target)
            wizard.finished.connect(lambda _result: self._wizard_done(wizard))
            self.wizard = wizard
            wizard.show()

    def _draw_window(self, waiting: str) -> bool:
        """The station's window at once, saying ``waiting`` until its database is open."""
        window = MainWindow(None, self._settings)
        window.set_waiting_text(waiting)
        window.installEventFilter(self)
        self.window = window
        window.show()
        self._announce(window)
        return True

    def _announce(self, window: QtWidgets.QWidget) -> None:
        if not self._announced:
            self._announced = True
            self.window_shown.emit(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window before its database is open ends start-up."""
        if watched is self.window and event.type() == QEvent.Type.Close and not self.window.attached:
            self.cancelled.emit()
        return False

    def _settings_store(self) -> QSettings:
        return self._settings if self._settings is not None else QSettings()

    def _opened_as_centre(self) -> bool:
        value = self._settings_store().value(CENTRE_FILES_KEY, [])
        return str(self._target.resolve()) in (value if isinstance(value, list) else [value])

    def _remember_mode(self, centre: bool) -> None:
        if self._open_demo is not None:
            return
        store = self._settings_store()
        value = store.value(CENTRE_FILES_KEY, [])
        files = [str(v) for v in (value if isinstance(value, list) else [value]) if v]
        path = str(self._target.resolve())
        if centre and path not in files:
            store.setValue(CENTRE_FILES_KEY, [*files, path])
        elif not centre and path in files:
            store.setValue(CENTRE_FILES_KEY, [f for f in files if f != path])

    def shutdown(self) -> None:
        """After the event loop ended: finish queued work, close the database, free it."""
        if self.ctx is not None:
            self.ctx.shutdown()
        else:
            self.worker.shutdown()
        if self.db is not None:
            self.db.dispose()
            self.db = None
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None

    def _wizard_done(self, wizard: SetupWizard) -> None:
        self.wizard = None
        wizard.deleteLater()
        if wizard.database is None:
            self.failed.emit()
            return
        self.instance_lock = wizard.instance_lock
        if wizard.head_login is not None:  # a new station: the head who set it up goes straight in
            self._login_as = wizard.head_login
            self._sheet = (wizard.sheet_passphrase,)
        if wizard.restored is not None:
            from wushe_desktop.ui.backup_dialogs import describe_restore

            self._notice = describe_restore(wizard.restored)
        self._opened(wizard.database)

    def _opened_locked(self, opened: tuple[InstanceLock, Any]) -> None:
        self.instance_lock = opened[0]
        self._opened(opened[1])

    def _opened(self, db: Any) -> None:
        self.db = db
        first = self.window.wanted_page() if self.window is not None and not self.window.attached else 0
        self.worker.run(prepare_opening, db, self.tr("Station head"), first, on_done=self._opening_loaded,
                        on_error=self._open_failed)

    def _opening_loaded(self, opening: Opening) -> None:
        """Ask for the login if the database has accounts, then show the window."""
        opening = dataclasses.replace(opening, session=self.session)
        if self._login_as is not None:
            username, actor = self._login_as
            self._login_as = None
            self._show_window(dataclasses.replace(opening, actor=actor, username=username, needs_login=False))
            return
        if not opening.needs_login:
            self._show_window(opening)
            return
        from wushe_desktop.ui.login_dialog import LoginDialog

        dialog = LoginDialog(self.db, self.worker, opening.station, settings=self._settings)
        dialog.finished.connect(lambda code: self._logged_in(dialog, opening, code))
        self.login = dialog
        dialog.show()

    def _logged_in(self, dialog: LoginDialog, opening: Opening, code: int) -> None:
        self.login = None
        dialog.deleteLater()
        found = dialog.result_login
        if code != QDialog.DialogCode.Accepted or found is None:
            self._drop_unopened_window()
            self.failed.emit()
            return
        self._show_window(dataclasses.replace(opening, actor=found.actor, username=found.account.username,
                                              needs_login=False))

    def _window_ready(self, window: QtWidgets.QWidget) -> None:
        """The window is up: say what happened before, offer the recovery sheet and drafts."""
        self.shown = window
        ctx = self.ctx
        if ctx is None:
            return
        if self._notice:
            notice, self._notice = self._notice, ""
            QTimer.singleShot(0, lambda: messages.inform(window, self.tr("Wushe Desktop"), notice))
        if self._sheet is not None:
            from wushe_desktop.ui.backup_dialogs import show_recovery_sheet

            passphrase = self._sheet[0]
            self._sheet = None
            show_recovery_sheet(window, ctx, passphrase)
        from wushe_desktop.ui.drafts import offer_drafts

        offer_drafts(window, ctx)

    # -- restore while running -----------------------------------------------------------

    def restart(self, request: RestartRequest) -> None:
        """Close the window and the database, run ``request.job`` (a restore), reopen."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)
        shown, self.shown = self.shown, None
        if shown is not None:
            shown.close()
            shown.deleteLater()
        self.window = None
        if self.ctx is not None:
            self.ctx.shutdown()  # the close-time automatic backup finishes first
            self.ctx = None
        path = Path(self.db.path) if self.db is not None and self.db.path is not None else self._target
        if self.db is not None:
            self.db.dispose()
            self.db = None
        self.worker = Worker("writer")

        def work() -> tuple[Any, Any]:
            result = request.job(path)
            return result, open_db(path)

        def done(found: tuple[Any, Any]) -> None:
            self._notice = request.describe(found[0])
            self._opened(found[1])

        def failed(error: BaseException) -> None:
            # nothing was replaced: tell why, then open the database as it was
            messages.inform(None, self.tr("Wushe Desktop"), messages.message_for(error)
                            if isinstance(error, WusheError) else repr(error))
            self.worker.run(open_db, path, on_done=self._opened, on_error=self._open_failed)

        self.worker.run(work, on_done=done, on_error=failed,
                        progress_label=self.tr("Restoring the backup… Do not switch the PC off."))

    def _show_window(self, opening: Opening) -> None:
        from wushe_desktop.domain.enums import StationMode

        centre = opening.station.mode == StationMode.CENTRE
        self._remember_mode(centre)
        if centre:  # a centre database: the centre's window
            from wushe_desktop.ui.centre_window import CentreWindow, centre_opening

            self._drop_unopened_window()
            opening = centre_opening(opening)
            self.ctx = make_context(self.db, opening, writer=self.worker)
            self.centre_window = CentreWindow(self.ctx, self._settings)
            shown: QtWidgets.QWidget = self.centre_window
            shown.show()
        else:
            self.ctx = make_context(self.db, opening, writer=self.worker)
            if self.window is not None and not self.window.attached:
                self.window.attach(self.ctx)
                shown = self.window
            else:
                shown = self.window = MainWindow(self.ctx, self._settings)
                shown.show()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
        self._announce(shown)
        self.ready.emit(shown)
        QTimer.singleShot(0, freeze_start_up_objects)  # once the first screen is built

    def _drop_unopened_window(self) -> None:
        """Take away the window drawn before its database was open (the database is a centre's,
        or start-up gives up)."""
        window = self.window
        if window is not None and not window.attached:
            self.window = None
            window.removeEventFilter(self)
            window.hide()
            window.deleteLater()

    def _open_failed(self, error: BaseException) -> None:
        self._drop_unopened_window()  # the sentence comes alone, then start-up ends
        if self._offer_copy(error):
            return
        if isinstance(error, WusheError):
            messages.inform(None, self.tr("Wushe Desktop"), messages.message_for(error))
        else:
            messages.show_error(None, error).exec()
        self.failed.emit()

    def _offer_copy(self, error: BaseException) -> bool:
        """A damaged database at start: offer the newest automatic copy (True: offered and taken)."""
        if (self._open_demo is not None or not isinstance(error, DatabaseError) or error.code not in DAMAGED_CODES
                or self.db is not None):
            return False
        from wushe_desktop.services.recovery import automatic_copies

        copies = automatic_copies(self._target)
        if not copies:
            return False
        text = self.tr("{problem}\n\nThere is an automatic backup of {day}. Open it instead? The damaged file is "
                       "kept aside in the backups folder; what was recorded after the backup must be entered "
                       "again.").format(problem=messages.message_for(error), day=copies[0].day.isoformat())
        if not messages.confirm(None, self.tr("Wushe Desktop"), text, self.tr("Open the backup"), self.tr("Quit")):
            return False

        def done(found: tuple[InstanceLock, Any, str]) -> None:
            self._notice = self.tr("The automatic backup of {day} is open. Check the records of the last days and "
                                   "enter again what is missing.").format(day=found[2])
            self._opened_locked((found[0], found[1]))

        def failed(again: BaseException) -> None:
            log.warning("no automatic copy could be restored: %r", again)
            if isinstance(again, WusheError):
                messages.inform(None, self.tr("Wushe Desktop"), messages.message_for(again))
            else:
                messages.show_error(None, again).exec()
            self.failed.emit()

        self.worker.run(recover_locked, self._target, on_done=done, on_error=failed,
                        progress_label=self.tr("Opening the automatic backup…"))
        return True
