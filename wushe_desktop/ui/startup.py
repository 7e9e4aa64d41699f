"""Start-up: open (or create, or fill with demo data) the database, then the main window.

Everything that touches the database runs on the writer worker, with a progress dialog
if it takes a while; the set-up wizard appears when the database does not exist yet.
Failures before the main window is up are shown as one Chinese sentence, then the
application quits with status 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication

from wushe_desktop.errors import WusheError
from wushe_desktop.services.database import open_db
from wushe_desktop.services.instance import InstanceLock, acquire_instance_lock
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import Opening, UiContext, load_opening, make_context
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
        self._opened(wizard.database)

    def _opened_locked(self, opened: tuple[InstanceLock, Any]) -> None:
        self.instance_lock = opened[0]
        self._opened(opened[1])

    def _opened(self, db: Any) -> None:
        self.db = db
        self.worker.run(load_opening, db, self.tr("Station head"), on_done=self._show_window,
                        on_error=self._open_failed)

    def _show_window(self, opening: Opening) -> None:
        self.ctx = make_context(self.db, opening, writer=self.worker)
        self.window = MainWindow(self.ctx, self._settings)
        self.window.show()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
        self.ready.emit(self.window)

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, WusheError):
            messages.inform(None, self.tr("Wushe Desktop"), messages.message_for(error))
        else:
            messages.show_error(None, error).exec()
        self.failed.emit()
