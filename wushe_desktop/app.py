"""`wushe-desktop`: the GUI composition root.

Opens the embedded default database (or ``--db``), or with ``--demo`` a throwaway demo
database under the reserved demo station code, and shows the main window. Heavy
imports (Qt, the services) happen inside :func:`main`, so ``--version`` is instant.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from wushe_desktop import __version__


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wushe-desktop", description="五社联动 社工站桌面端")
    parser.add_argument("--version", action="version", version=f"wushe-desktop {__version__}")
    parser.add_argument("--db", help="database file (default: WUSHE_DB or the PC's data folder)")
    parser.add_argument("--demo", action="store_true", help="open a throwaway demo database")
    return parser.parse_args(argv)


def open_demo_database() -> object:
    """A new demo database in a temporary folder, as the reserved demo station."""
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.demo import DemoSize, generate_demo
    from wushe_desktop.services.station import DEMO_STATION_CODE, init_database

    folder = Path(tempfile.mkdtemp(prefix="wushe-demo-"))
    db, _ = init_database(folder / "demo.sqlite3", code=DEMO_STATION_CODE, name="毕克齐镇社工站（演示）",
                          banner="土默特左旗")
    generate_demo(db, CLI_ACTOR, DemoSize(cases=300))
    return db


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wushe-desktop`."""
    args = _parse(argv)
    from wushe_desktop.ui.main_window import run

    return run(db_target=args.db, demo=args.demo, open_demo=open_demo_database)


if __name__ == "__main__":
    sys.exit(main())
