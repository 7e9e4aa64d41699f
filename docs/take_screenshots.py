"""Save a screenshot of every main screen to docs/screenshots/ (for the user manual).

Opens a throwaway demo database (as ``wushe-desktop --demo`` does) offscreen, shows each
screen of the main window at the size of a 1366×768 screen with a taskbar, and saves
``QWidget.grab()`` of the window as PNG; then the person form and the set-up wizard.

    python docs/take_screenshots.py [--out docs/screenshots] [--cases 300]

Look at the pictures afterwards: Chinese everywhere, no boxes, no English, nothing cut
off.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1366, 768)
# A maximised window on a 1366×768 screen with a 40-pixel taskbar and a title bar.
WINDOW_SIZE = (1366, 700)


def _wait_until(predicate: Callable[[], bool], timeout_ms: int = 30_000) -> None:
    """Run the event loop until ``predicate()`` holds (or fail after the timeout)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: TID251 - a GUI tool

    loop = QEventLoop()
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if predicate() or clock.elapsed() > timeout_ms:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    if not predicate():
        raise TimeoutError("the screen did not finish loading")


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--scale", type=float, default=1.0, help="display scaling, e.g. 1.5 for 150%%")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="wushe-shots-"))
    # an offscreen screen of 1366×768 (the offscreen default is 800×600)
    screen = {"screens": [{"name": "screen", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1],
                           "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}
    (scratch / "screen.json").write_text(json.dumps(screen), encoding="utf-8")
    os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={scratch / 'screen.json'}")
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ["WUSHE_DATA_DIR"] = str(scratch / "data")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings  # noqa: TID251 - a GUI tool
    from PySide6.QtWidgets import QApplication  # noqa: TID251

    from wushe_desktop.app import open_demo_database
    from wushe_desktop.ui.context import load_opening, make_context
    from wushe_desktop.ui.i18n import install_font, install_translations
    from wushe_desktop.ui.main_window import MainWindow
    from wushe_desktop.ui.person_form import PersonForm
    from wushe_desktop.ui.setup_wizard import SetupWizard

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_font(app)
    install_translations(app)

    db = open_demo_database(args.cases)
    ctx = make_context(db, load_opening(db, "站长"))
    settings = QSettings(str(scratch / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    window.resize(round(WINDOW_SIZE[0] / args.scale), round(WINDOW_SIZE[1] / args.scale))
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    names = ["dashboard", "people", "cases", "volunteers", "activities", "resources", "statistics", "sync",
             "settings"]
    for index, name in enumerate(names):
        page = window.show_page(index)
        _wait_until(lambda page=page: not getattr(page, "busy", False) and not ctx.reader.busy)
        app.processEvents()
        path = args.out / f"{index + 1:02d}-{name}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    form = PersonForm(ctx, window)
    if args.scale == 1:
        form.resize(920, 580)
    form.show()
    _wait_until(lambda: form.choices is not None)
    form.name.setText("其其格")
    form.id_number.setText("150121201603150021")
    form.save()
    _wait_until(lambda: not ctx.writer.busy and not ctx.reader.busy)
    path = args.out / "10-person-form.png"
    form.grab().save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    form.done(0)  # close without the unsaved-changes question

    wizard = SetupWizard(ctx.writer, scratch / "new.sqlite3")
    wizard.show()
    _wait_until(lambda: wizard.station_page.table is not None)
    wizard.station_page.search.setText("毕克齐")
    shots = [("11-setup-station.png", lambda: None),
             ("12-setup-people.png", lambda: (wizard.people_page.communities.setPlainText(
                 "什报气村\n毕克齐社区\n巴彦嘎查"), wizard.people_page.head.setText("乌兰"))),
             ("13-setup-passphrase.png", lambda: (wizard.passphrase_page.first.setText("草原上的社工站很好"),
                                                   wizard.passphrase_page.second.setText("草原上的社工站很好")))]
    for i, (name, fill) in enumerate(shots):
        if i:
            wizard.next()
        fill()
        path = args.out / name
        wizard.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    wizard.reject()

    window.close()
    ctx.shutdown()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
