"""The application's log file, where the bug dialog points (STYLE.md §1).

Bugs (plain exceptions) are written here with their traceback; the dialog that tells the
user about one names this file so support can ask for it.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "wushe-desktop.log"
_MAX_BYTES = 2_000_000
_BACKUPS = 3

_state: dict[str, Path] = {}


def configure_logging(folder: Path) -> Path:
    """Send log records of the application to a rotating file in ``folder``.

    Args:
        folder: The logs folder (created if missing), normally ``<data folder>/logs``.

    Returns:
        The log file's path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger("wushe_desktop")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    _state["path"] = path
    return path


def log_file() -> Path | None:
    """The log file configured by :func:`configure_logging`, if any."""
    return _state.get("path")
