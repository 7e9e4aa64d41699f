"""`wushe-desktop` itself: start-up to a Chinese main window, and back out."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from wushe_desktop import app as app_module
from wushe_desktop.services.database import open_db
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.logs import LOG_NAME
from wushe_desktop.ui.main_window import CASES, MainWindow
from wushe_desktop.ui.startup import Startup


def _close_main_window_when_shown(seen: list[MainWindow]) -> QTimer:
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget.attached and not widget.ctx.reader.busy:
                seen.append(widget)
                timer.stop()
                widget.close()

    timer.timeout.connect(check)
    timer.start()
    return timer


def test_demo_opens_the_main_window_and_quits_cleanly(qtbot: QtBot, tmp_path: Path, demo_template: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(demo_template, tmp_path / "demo")
    monkeypatch.setattr(app_module, "open_demo_database", lambda: open_db(tmp_path / "demo" / "demo.sqlite3"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    seen: list[MainWindow] = []
    timer = _close_main_window_when_shown(seen)
    logger = logging.getLogger("wushe_desktop")
    handlers = list(logger.handlers)
    try:
        assert app_module.main(["--demo"]) == 0
    finally:
        timer.stop()
        for handler in logger.handlers[len(handlers):]:
            logger.removeHandler(handler)
            handler.close()
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    assert len(seen) == 1
    assert seen[0].navigation.item(0).text() == "工作台"
    assert (tmp_path / "data" / "logs" / LOG_NAME).exists()


def test_database_target_prefers_the_option_then_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.setenv("WUSHE_DB", str(tmp_path / "env.sqlite3"))
    assert app_module.database_target(str(tmp_path / "opt.sqlite3")) == tmp_path / "opt.sqlite3"
    assert app_module.database_target(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv("WUSHE_DB")
    assert app_module.database_target(None) == tmp_path / "data" / "wushe.sqlite3"


def test_version_needs_no_qt(capsys: Any) -> None:
    with pytest.raises(SystemExit) as stop:
        app_module.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("wushe-desktop ")


def _startup(target: Path, tmp_path: Path) -> Startup:
    return Startup(target, settings=ini_settings(tmp_path))


def test_the_window_is_drawn_first_and_opens_the_screen_chosen_while_waiting(
        qtbot: QtBot, tmp_path: Path, demo_template: Path) -> None:
    import gc

    gc.unfreeze()
    shutil.copytree(demo_template, tmp_path / "station")
    startup = _startup(tmp_path / "station" / "demo.sqlite3", tmp_path)
    try:
        startup.begin()
        window = startup.window
        assert window is not None and window.isVisible() and not window.attached
        assert window.current_page().text() == "正在打开数据库…"  # type: ignore[attr-defined]
        window.navigation.setCurrentRow(CASES)  # the user clicks 个案 before the database is open
        with qtbot.waitSignal(startup.ready, timeout=30_000):
            pass
        assert window.attached and window.stack.currentIndex() == CASES
        assert isinstance(window.current_page(), CasesPage)
        assert window.windowTitle() == "五社联动社工站系统 — 毕克齐镇社工站"
        # start-up's objects are kept out of full garbage collections (pauses of up to 0.1 s at 100k)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5_000)
        qtbot.waitUntil(lambda: not startup.worker.busy and startup.ctx is not None
                        and not startup.ctx.reader.busy, timeout=20_000)
        window.close()
    finally:
        startup.shutdown()


def test_closing_the_window_before_the_database_is_open_ends_start_up(
        qtbot: QtBot, tmp_path: Path, demo_template: Path) -> None:
    shutil.copytree(demo_template, tmp_path / "station")
    startup = _startup(tmp_path / "station" / "demo.sqlite3", tmp_path)
    try:
        startup.begin()
        assert startup.window is not None
        with qtbot.waitSignal(startup.cancelled, timeout=5_000):
            startup.window.close()
    finally:
        startup.shutdown()


def test_quit_when_ready_says_timeout_and_fails_when_the_figures_never_come(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QWidget

    class NeverLoads(QWidget):
        loaded = Signal()

    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.page = NeverLoads(self)

        def current_page(self) -> QWidget:
            return self.page

    class App:
        def __init__(self) -> None:
            self.codes: list[int] = []

        def exit(self, code: int) -> None:
            self.codes.append(code)

    window = Window()
    qtbot.addWidget(window)
    window.setWindowTitle("五社联动社工站系统 — 毕克齐镇社工站")
    monkeypatch.setattr(app_module, "READY_TIMEOUT_MS", 10)
    stub = App()
    app_module._quit_when_ready(stub, window)
    qtbot.waitUntil(lambda: stub.codes == [1], timeout=5_000)
    assert capsys.readouterr().out == "timeout: 五社联动社工站系统 — 毕克齐镇社工站\n"
    window.page.loaded.emit()  # too late: said once only
    assert stub.codes == [1]
