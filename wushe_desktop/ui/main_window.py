"""The main window (the station GUI is built out under issue 3).

For now: the bundled CJK font registered with Qt, Qt's Chinese translation loaded, and a
window that shows the station and its figures from the same service as `wushe stats`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from wushe_desktop.errors import WusheError
from wushe_desktop.paths import default_db_path, resource_path
from wushe_desktop.services.context import CLI_ACTOR, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.services.stats import Period, station_stats


def install_font_and_translations(app: QApplication) -> None:
    """Register the shipped CJK font and load Qt's own zh_CN strings."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        app.setFont(QFont(families[0], 10))
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


class MainWindow(QMainWindow):
    """Shows the station and this month's figures."""

    def __init__(self, db: Any) -> None:
        super().__init__()
        info = station_info(db)
        self.setWindowTitle(self.tr("Wushe Desktop — {name}").format(name=info.name))
        _, stats = station_stats(db, CLI_ACTOR, Period())
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(self.tr("Station: {name} ({code})").format(name=info.name, code=info.code)))
        layout.addWidget(QLabel(self.tr("Open cases: {n}").format(n=stats.cases.active)))
        layout.addWidget(QLabel(self.tr("Service records: {n}").format(n=stats.service_records)))
        self.setCentralWidget(body)
        self.resize(1024, 680)


def run(db_target: str | None, demo: bool, open_demo: Callable[[], Any]) -> int:
    """Start the application event loop."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_font_and_translations(app)
    try:
        db = open_demo() if demo else open_db(db_target or os.environ.get("WUSHE_DB") or default_db_path())
    except WusheError as exc:
        QMessageBox.critical(None, "五社联动", f"无法打开数据库（{exc.code}）。")
        return 1
    window = MainWindow(db)
    window.show()
    return app.exec()
