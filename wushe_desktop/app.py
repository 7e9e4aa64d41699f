"""`wushe-desktop`: the GUI composition root.

Opens the embedded default database (or ``--db``), or with ``--demo`` a throwaway demo
database under the reserved demo station code, and shows the main window; a database
that does not exist yet is created by the set-up wizard. Heavy imports (Qt, the
services) happen inside :func:`main`, so ``--version`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wushe_desktop import __version__

DEMO_STATION_NAME = "毕克齐镇社工站（演示）"
DEMO_BANNER = "土默特左旗"
DEMO_CASES = 300


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wushe-desktop", description="五社联动 社工站桌面端")
    parser.add_argument("--version", action="version", version=f"wushe-desktop {__version__}")
    parser.add_argument("--db", help="database file (default: WUSHE_DB or the PC's data folder)")
    parser.add_argument("--demo", action="store_true", help="open a throwaway demo database")
    # for the packaged app's smoke test: print the window title once the main window is up, then quit
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def open_demo_database(cases: int = DEMO_CASES) -> Any:
    """A new demo database in a temporary folder, as the reserved demo station."""
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.demo import DemoSize, generate_demo
    from wushe_desktop.services.station import DEMO_STATION_CODE, init_database

    folder = Path(tempfile.mkdtemp(prefix="wushe-demo-"))
    db, _ = init_database(folder / "demo.sqlite3", code=DEMO_STATION_CODE, name=DEMO_STATION_NAME,
                          banner=DEMO_BANNER)
    generate_demo(db, CLI_ACTOR, DemoSize(cases=cases))
    return db


def database_target(db_option: str | None) -> Path:
    """The database file to open: ``--db``, else ``WUSHE_DB``, else the PC's data folder."""
    from wushe_desktop.paths import default_db_path

    return Path(db_option or os.environ.get("WUSHE_DB") or default_db_path())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wushe-desktop`."""
    args = _parse(argv)
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from wushe_desktop.paths import data_dir, resource_path
    from wushe_desktop.ui.i18n import install_font, install_translations
    from wushe_desktop.ui.logs import configure_logging
    from wushe_desktop.ui.startup import Startup

    QCoreApplication.setOrganizationName("Wushe")
    QCoreApplication.setApplicationName("WusheDesktop")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_logging(data_dir() / "logs")
    install_font(app)
    install_translations(app)
    app.setWindowIcon(QIcon(str(resource_path("icons", "wushe-desktop.png"))))
    app.setQuitOnLastWindowClosed(False)  # until the main window is up (wizard, progress)

    startup = Startup(database_target(args.db), open_demo=open_demo_database if args.demo else None)
    status = {"code": 0}

    def give_up() -> None:
        status["code"] = 1
        app.quit()

    startup.failed.connect(give_up)
    startup.cancelled.connect(app.quit)
    if args.quit_when_ready:
        startup.window_shown.connect(_say_shown)
        startup.ready.connect(lambda window: _quit_when_ready(app, window))
    _install_excepthook()
    QTimer.singleShot(0, startup.begin)
    code = app.exec()
    startup.shutdown()
    return status["code"] or code


#: How long ``--quit-when-ready`` waits for the first screen's figures before quitting anyway.
READY_TIMEOUT_MS = 120_000


def _say_shown(window: Any) -> None:
    """``--quit-when-ready``: ``shown: <title>`` once the first window has been painted."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: print(f"shown: {window.windowTitle()}", flush=True))  # after its paint events


def _quit_when_ready(app: Any, window: Any) -> None:
    """``--quit-when-ready``: once the window has its database, say ``ready: <title>`` when
    its first screen shows its data, then quit (the packaged app's smoke test and the
    cold-start benchmark read the ``shown:`` and ``ready:`` lines).

    A screen without a ``loaded`` signal is ready at once. If the figures have not come
    after :data:`READY_TIMEOUT_MS`, it says ``timeout: <title>`` and exits with status 1.
    """
    from PySide6.QtCore import QTimer

    page = getattr(window, "current_page", None)
    first = page() if callable(page) else None
    loaded = getattr(first, "loaded", None)
    state = {"done": False}

    def finish(word: str = "ready", code: int = 0) -> None:
        if state["done"]:
            return
        state["done"] = True
        print(f"{word}: {window.windowTitle()}", flush=True)
        window.close()
        app.exit(code)

    if loaded is None:
        QTimer.singleShot(0, finish)
        return
    loaded.connect(lambda *_args: finish())
    QTimer.singleShot(READY_TIMEOUT_MS, lambda: finish("timeout", 1))


def _install_excepthook() -> None:
    """Show the bug dialog for an exception escaping a slot on the GUI thread."""
    from wushe_desktop.ui.messages import show_error

    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        if not isinstance(error, Exception):
            previous(kind, error, tb)
            return
        show_error(None, error)

    sys.excepthook = hook


if __name__ == "__main__":
    sys.exit(main())
