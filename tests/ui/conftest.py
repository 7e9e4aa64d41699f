"""GUI fixtures: Chinese installed once, a small demo database built once per run.

Every test here is marked ``gui`` (tests/conftest.py) and runs offscreen. Tests that
write copy the demo database first only where counts matter; the figures they compare
are always read back from the services, never hard-coded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.database import open_db
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.station import init_database
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext, load_opening, make_context
from wushe_desktop.ui.i18n import install_font, install_translations
from wushe_desktop.ui.main_window import MainWindow

STATION_CODE = "150121101000"  # 毕克齐镇, 土默特左旗
DEMO_CASES = 40


@pytest.fixture(scope="session", autouse=True)
def _chinese(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The bundled font and the zh_CN catalogues, as the application installs them.

    Window settings go to a private folder, never the real user's configuration.
    """
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, folder)
    install_font(qapp)
    install_translations(qapp)


@pytest.fixture(autouse=True)
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Yes/no questions asked during a test, each answered "yes" (a modal box would hang).

    Tests that care replace ``messages.confirm`` themselves or look at this list.
    """
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _yes: str, _no: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(messages, "confirm", confirm)
    return asked


@pytest.fixture(autouse=True)
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Modal notices shown during a test (recorded instead of waiting for a click)."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _parent, _title, text: shown.append(text))
    return shown


# The smallest screen a station PC has (DESIGN.md, issue 3): every window must fit it.
SCREEN = (1366, 768)


class _ShownWindows(QObject):
    """Notes every window that is shown and needs more room than the screen has."""

    def __init__(self) -> None:
        super().__init__()
        self.too_big: list[tuple[str, str, int, int]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() \
                and watched.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
            hint = watched.minimumSizeHint().expandedTo(watched.minimumSize())
            if hint.width() > SCREEN[0] or hint.height() > SCREEN[1]:
                self.too_big.append((type(watched).__name__, watched.windowTitle(), hint.width(), hint.height()))
        return False


@pytest.fixture(autouse=True)
def _windows_fit_the_screen(qapp: QApplication) -> Iterator[None]:
    """Every window or dialog a test shows fits a 1366×768 screen (the size its layout needs)."""
    watcher = _ShownWindows()
    qapp.installEventFilter(watcher)
    try:
        yield
    finally:
        qapp.removeEventFilter(watcher)
    assert watcher.too_big == [], "windows larger than 1366×768"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station database with a small demo (40 cases), built once per run."""
    folder = tmp_path_factory.mktemp("demo")
    db, _ = init_database(folder / "demo.sqlite3", code=STATION_CODE, name="毕克齐镇社工站",
                          passphrase="correct horse battery")
    generate_demo(db, CLI_ACTOR, DemoSize(cases=DEMO_CASES))
    db.dispose()
    return folder


@pytest.fixture(scope="module")
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo database, copied for this test module and opened."""
    target = tmp_path_factory.mktemp("module-demo") / "station"
    shutil.copytree(demo_template, target)
    db = open_db(target / "demo.sqlite3")
    yield db
    db.dispose()


@pytest.fixture
def ctx(demo_db: Any) -> Iterator[UiContext]:
    """The screens' context on the demo database, acting as its station head."""
    context = make_context(demo_db, load_opening(demo_db, "站长"))
    yield context
    context.shutdown()


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """A private settings file (never the real user's)."""
    return ini_settings(tmp_path)


@pytest.fixture
def window(qtbot: QtBot, ctx: UiContext, ui_settings: QSettings) -> Iterator[MainWindow]:
    """The main window on the demo database, shown."""
    win = MainWindow(ctx, ui_settings)
    qtbot.addWidget(win)
    win.resize(1366, 700)
    win.show()
    yield win
    win.close()
