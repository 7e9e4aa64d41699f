"""Opening a database for the faces (GUI, CLI) without them touching storage."""

from __future__ import annotations

from pathlib import Path

from wushe_desktop.storage.db import Database, open_database


def open_db(target: str | Path) -> Database:
    """Open an existing database, upgrading its schema after a backup if needed."""
    return open_database(target)
