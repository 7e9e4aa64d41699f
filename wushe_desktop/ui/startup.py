"""Start-up: open (or create, or fill with demo data) the database, then the main window.

Everything that touches the database runs on the writer worker, with a progress dialog
if it takes a while; the set-up wizard appears when the database does not exist yet (it
can also restore a backup there: scenario 8). A database with login accounts asks for a
login first; the window then acts as that account. A damaged database at start is
replaced, if the user agrees, by the newest good automatic copy (the damaged file is kept
aside). A restore chosen from the window's menu closes the database, restores, reopens
it and asks for the login again. Failures before the main window is up are shown as one
Chinese sentence, then the application quits with status 1.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtWidgets
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from wushe_desktop.errors import DatabaseError, WusheError
from wushe_desktop.services.database import open_db
from wushe_desktop.services.instance import InstanceLock, acquire_instance_lock
from wushe_desktop.services.recovery import automatic_copies, restore_newest_automatic
from wushe_desktop.ui import messages
from wushe_desktop.ui.backup_dialogs import describe_restore, show_recovery_sheet
from wushe_desktop.ui.context import (
    Opening,
    RestartRequest,
    SessionControl,
    UiContext,
    load_opening,
    make_context,
)
from wushe_desktop.ui.drafts import offer_drafts
from wushe_desktop.ui.login_dialog import LoginDialog
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.setup_wizard import SetupWizard
from wushe_desktop.ui.worker import Worker


def open_locked(target: Path) -> tuple[InstanceLock, Any]:
    """Claim the database for this window, then open it (runs on the worker).

    Raises:
        DatabaseError: ``database.in_use`` when another window has it open, or any
            error of opening it (the claim is then given up).
    """
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
    lock = acquire_instance_lock(target)
    try:
        copy, _result = restore_newest_automatic(target)
        return lock, open_db(target), copy.day.isoformat()
    except BaseException:
        lock.release()
        raise


class Startup(QObject):
    """Opens the database and shows the main window.

    Signals:
        ready(object): the main window is shown (the window).
        failed(): start-up gave up (the user was told why) or the wizard was cancelled.
    """

    ready = Signal(object)
    failed = Signal()

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
        self.ready.connect(self._window_ready)

    def begin(self) -> None:
        """Start (call once the event loop runs or is about to)."""
        if self._open_demo is not None:
            self.worker.run(self._open_demo, on_done=self._opened, on_error=self._open_failed,
                            progress_label=self.tr("Preparing the demo database…"))
        elif self._target.exists():
            self.worker.run(open_locked, self._target, on_done=self._opened_locked, on_error=self._open_failed,
                            progress_label=self.tr("Opening the database…"))
        else:
            wizard = SetupWizard(self.worker, self._target)
            wizard.finished.connect(lambda _result: self._wizard_done(wizard))
            self.wizard = wizard
            wizard.show()

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
            self._notice = describe_restore(wizard.restored)
        self._opened(wizard.database)

    def _opened_locked(self, opened: tuple[InstanceLock, Any]) -> None:
        self.instance_lock = opened[0]
        self._opened(opened[1])

    def _opened(self, db: Any) -> None:
        self.db = db
        self.worker.run(load_opening, db, self.tr("Station head"), on_done=self._opening_loaded,
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
        dialog = LoginDialog(self.db, self.worker, opening.station, settings=self._settings)
        dialog.finished.connect(lambda code: self._logged_in(dialog, opening, code))
        self.login = dialog
        dialog.show()

    def _logged_in(self, dialog: LoginDialog, opening: Opening, code: int) -> None:
        self.login = None
        dialog.deleteLater()
        found = dialog.result_login
        if code != QDialog.DialogCode.Accepted or found is None:
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
            passphrase = self._sheet[0]
            self._sheet = None
            show_recovery_sheet(window, ctx, passphrase)
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
        from PySide6.QtWidgets import QWidget

        from wushe_desktop.domain.enums import StationMode
        from wushe_desktop.ui.centre_window import CentreWindow, centre_opening

        if opening.station.mode == StationMode.CENTRE:  # a centre database: the centre's window
            opening = centre_opening(opening)
            self.ctx = make_context(self.db, opening, writer=self.worker)
            self.centre_window = CentreWindow(self.ctx, self._settings)
            shown: QWidget = self.centre_window
        else:
            self.ctx = make_context(self.db, opening, writer=self.worker)
            shown = self.window = MainWindow(self.ctx, self._settings)
        shown.show()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
        self.ready.emit(shown)

    def _open_failed(self, error: BaseException) -> None:
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
