"""One window per database: the GUI's way to refuse a second instance (issue 6 §4).

The GUI may not import :mod:`wushe_desktop.storage`, so it calls
:func:`acquire_instance_lock` here **before** opening the database (before any
migration) and keeps the returned handle for the life of the process::

    from wushe_desktop.services.instance import acquire_instance_lock

    try:
        instance = acquire_instance_lock(db_path)   # keep a reference!
    except DatabaseError as exc:                     # database.in_use / database.readonly
        show_message(exc.code)
        return
    database = open_db(db_path)
    ...
    app.aboutToQuit.connect(instance.release)        # optional: death releases it too

The lock is an OS lock, so a crash or a kill leaves no stale lock behind.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import make_url

from wushe_desktop.storage.lock import DatabaseLock

__all__ = ["InstanceLock", "acquire_instance_lock"]


class InstanceLock:
    """The handle the GUI keeps while it has a database open.

    Attributes:
        db_path: The locked database file, or ``None`` when the target is not a file
            (a server database such as the centre's PostgreSQL, which allows several
            clients and needs no lock).
    """

    def __init__(self, lock: DatabaseLock | None) -> None:
        """Wrap an acquired storage lock (or nothing, for a server database).

        Args:
            lock: The acquired lock, or ``None``.
        """
        self._lock = lock
        self.db_path: Path | None = lock.db_path if lock is not None else None

    @property
    def held(self) -> bool:
        """Whether a lock is held (always False for a server database)."""
        return self._lock is not None and self._lock.held

    def release(self) -> None:
        """Give the database up to another window (safe to call more than once)."""
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> InstanceLock:
        """Use the handle in a ``with`` block; it is already acquired."""
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Release on leaving a ``with`` block."""
        self.release()


def _file_of(target: str | Path) -> Path | None:
    text = str(target)
    if "://" not in text:
        return Path(text)
    url = make_url(text)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def acquire_instance_lock(target: str | Path) -> InstanceLock:
    """Claim a database for this process, refusing if another window has it.

    Args:
        target: The database path (or a SQLAlchemy URL; only SQLite files are locked).

    Returns:
        The handle; keep a reference for as long as the database is open.

    Raises:
        DatabaseError: ``database.in_use`` when another window of Wushe Desktop on this
            PC has the database open; ``database.readonly`` when the lock file beside the
            database cannot be created (read-only folder or medium).
    """
    path = _file_of(target)
    if path is None:
        return InstanceLock(None)
    return InstanceLock(DatabaseLock(path).acquire())
