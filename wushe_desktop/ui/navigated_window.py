"""What the station's and the centre's main windows share: navigation on the left, one
screen at a time (each built the first time it is shown, so the window appears fast), a
status bar for short messages, the 系统 menu, and the size, splitter and screen
remembered in ``QSettings``.

A window can be drawn before its database is open (start-up shows it at once, then
opens the database on the worker): built with no context it shows its navigation, its
remembered size and a "please wait" screen, and :meth:`attach` gives it the open
database later. This module imports no service, so drawing the window does not wait for
the database layer to load.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.ui.context import UiContext

# How long a status bar message stays.
MESSAGE_MS = 8000

# The size a window opens with the first time (fits a 1366×768 screen with a taskbar).
DEFAULT_SIZE = (1280, 700)

STYLE_SHEET = """
QLabel#pageTitle { font-size: 16pt; font-weight: bold; padding: 2px 0 6px 0; }
QLabel#sectionTitle { font-weight: bold; }
QLabel#tileTitle { color: #555555; }
QLabel#tileValue { font-size: 18pt; font-weight: bold; color: #1f4e79; }
QLabel#tileYear { color: #555555; }
QFrame#tile { background: #f4f7fb; border: 1px solid #d5dde8; border-radius: 6px; }
QListWidget#navigation { font-size: 12pt; }
QListWidget#navigation::item { padding: 8px 10px; }
"""


class NavigatedWindow(QMainWindow):
    """A main window of screens chosen on the left.

    Subclasses give the navigation titles to ``__init__``, build a screen in
    :meth:`_build_page` and add their menus; then ``__init__`` calls
    :meth:`restore_layout` and, with a context, :meth:`attach`. Status labels and the
    title that need the open database go in :meth:`_attached`. ``SETTINGS_GROUP`` names
    where the layout is kept (the station's and the centre's windows keep theirs apart).
    """

    SETTINGS_GROUP = "window"

    def __init__(self, titles: list[str], settings: QSettings | None = None) -> None:
        super().__init__()
        self._ctx: UiContext | None = None
        self._settings = settings if settings is not None else QSettings()
        self.setStyleSheet(STYLE_SHEET)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        for title in titles:
            QListWidgetItem(title, self.navigation)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setMinimumWidth(130)
        self.navigation.setMaximumWidth(220)
        self.stack = QStackedWidget(self)
        self._pages: dict[int, QWidget] = {}
        self._holders: list[QWidget] = []
        for _ in titles:
            holder = QWidget(self.stack)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
            self._holders.append(holder)
        # shown until the database is open (the screen chosen meanwhile is kept in _wanted)
        self.waiting = QLabel(QCoreApplication.translate("NavigatedWindow", "Opening the database…"), self.stack)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting)
        self._wanted = 0
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([160, DEFAULT_SIZE[0] - 160])
        self.setCentralWidget(self.splitter)
        self.navigation.currentRowChanged.connect(self.show_page)

    @property
    def ctx(self) -> UiContext:
        """The open database's context (only once :meth:`attach` gave it)."""
        if self._ctx is None:
            raise RuntimeError("the window's database is not open yet")
        return self._ctx

    @property
    def attached(self) -> bool:
        """Whether the window has its open database (else it shows "please wait")."""
        return self._ctx is not None

    def wanted_page(self) -> int:
        """The screen the window will show once its database is open."""
        return self._wanted if not self.attached else self.stack.currentIndex()

    def set_waiting_text(self, text: str) -> None:
        """What the window says while its database is being opened."""
        self.waiting.setText(text)

    def attach(self, ctx: UiContext) -> None:
        """Give the window its open database: status labels, the 系统 menu, the screen."""
        if self._ctx is not None:
            raise RuntimeError("the window already has a database")
        self._ctx = ctx
        self._attached()
        self.add_system_menu()
        self.show_page(self._wanted)

    def _attached(self) -> None:
        """Subclasses: the title and status labels that need the open database."""

    # -- screens ---------------------------------------------------------------------------

    def _build_page(self, index: int) -> QWidget:
        raise NotImplementedError

    def page(self, index: int) -> QWidget:
        """The screen at a navigation index, built on first use."""
        found = self._pages.get(index)
        if found is None:
            found = self._build_page(index)
            self._pages[index] = found
            layout = self._holders[index].layout()
            assert layout is not None
            layout.addWidget(found)
        return found

    def current_page(self) -> QWidget:
        """The screen shown now (the "please wait" screen until the database is open)."""
        if not self.attached:
            return self.waiting
        return self.page(self.stack.currentIndex())

    def show_page(self, index: int) -> QWidget:
        """Show a screen (and select it in the navigation); until the database is open,
        the choice is kept and shown once it is."""
        if not self.attached:
            self._wanted = index
            self.stack.setCurrentWidget(self.waiting)
            self._select(index)
            return self.waiting
        page = self.page(index)
        self.stack.setCurrentIndex(index)
        self._select(index)
        return page

    def _select(self, index: int) -> None:
        if self.navigation.currentRow() != index:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(index)
            self.navigation.blockSignals(False)

    def show_message(self, text: str) -> None:
        """A line in the status bar."""
        self.statusBar().showMessage(text, MESSAGE_MS)

    def add_system_menu(self) -> None:
        """系统: password, accounts, audit log, backups, idle lock (ui/system_menu.py)."""
        from wushe_desktop.ui.system_menu import SystemMenu  # it imports the dialogs it opens

        self.system = SystemMenu(self, self.ctx)

    # -- size and layout -----------------------------------------------------------------

    def restore_layout(self) -> None:
        """The size, splitter and screen the window had when last closed (or the defaults)."""
        settings, group = self._settings, self.SETTINGS_GROUP
        geometry = settings.value(f"{group}/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*self._default_size())
        state = settings.value(f"{group}/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = settings.value(f"{group}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        index = int(str(settings.value(f"{group}/page", 0)))
        self.show_page(index if 0 <= index < len(self._holders) else 0)

    @staticmethod
    def _default_size() -> tuple[int, int]:
        screen = QApplication.primaryScreen()
        if screen is None:
            return DEFAULT_SIZE
        available = screen.availableGeometry()
        return min(DEFAULT_SIZE[0], available.width()), min(DEFAULT_SIZE[1], available.height())

    def save_layout(self) -> None:
        """Remember the window's size, splitter and screen."""
        settings, group = self._settings, self.SETTINGS_GROUP
        settings.setValue(f"{group}/geometry", self.saveGeometry())
        settings.setValue(f"{group}/state", self.saveState())
        settings.setValue(f"{group}/splitter", self.splitter.saveState())
        settings.setValue(f"{group}/page", self.stack.currentIndex() if self.attached else self._wanted)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.attached:
            self.system.on_close()  # the day's automatic backup, on the writer (shutdown waits for it)
        super().closeEvent(event)
