"""One program per database: an exclusive OS lock on ``<database>.lock`` (issue 6 §4).

Two windows of Wushe Desktop writing the same station database would each keep their
own caches, drafts and worker threads; SQLite would keep the file consistent, but the
user would see stale lists and lost drafts. So the GUI takes :class:`DatabaseLock` before
it opens the database and holds it for the life of the process.

The lock is the operating system's, not a marker file: ``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows. The kernel drops it when the holder closes it or dies
(crash, power cut, SIGKILL), so there is never a stale lock to clean up by hand. The
``.lock`` file itself is left in place on release: deleting it would let a second
process lock a fresh file while a third still holds the old, unlinked one.

``flock`` locks belong to an open file description, so a second :class:`DatabaseLock`
on the same database is refused even inside the same process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from wushe_desktop.errors import DatabaseError

LOCK_SUFFIX = ".lock"

__all__ = ["LOCK_SUFFIX", "DatabaseLock", "lock_path_for"]


def lock_path_for(db_path: str | Path) -> Path:
    """The lock file beside a database: ``station.sqlite3`` -> ``station.sqlite3.lock``.

    Args:
        db_path: Path of the SQLite database file.

    Returns:
        The absolute path of its lock file.
    """
    path = Path(db_path).expanduser().resolve()
    return path.with_name(path.name + LOCK_SUFFIX)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DatabaseLock:
    """An exclusive, process-lifetime lock on one database.

    Use it as a context manager, or call :meth:`acquire` and later :meth:`release`::

        lock = DatabaseLock(db_path).acquire()   # DatabaseError("database.in_use")
        ...
        lock.release()

    Attributes:
        db_path: The database the lock guards.
        lock_path: The ``.lock`` file beside it.
    """

    def __init__(self, db_path: str | Path) -> None:
        """Prepare a lock for ``db_path``; nothing is locked until :meth:`acquire`.

        Args:
            db_path: Path of the SQLite database file (it need not exist yet).
        """
        self.db_path = Path(db_path)
        self.lock_path = lock_path_for(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock without waiting.

        Returns:
            ``self``, for chaining.

        Raises:
            DatabaseError: ``database.in_use`` when another window (or program) holds
                the lock; ``database.readonly`` when the lock file cannot be created or
                opened (a read-only folder or medium, no permission).
        """
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseError("database.readonly", path=str(self.lock_path.parent),
                                detail=str(exc)) from exc
        try:
            locked = _try_lock(fd)
        except OSError as exc:  # e.g. a file system without locks
            os.close(fd)
            raise DatabaseError("database.readonly", path=str(self.lock_path.parent),
                                detail=str(exc)) from exc
        if not locked:
            os.close(fd)
            raise DatabaseError("database.in_use", path=str(self.db_path))
        self._fd = fd
        self._write_pid(fd)
        return self

    @staticmethod
    def _write_pid(fd: int) -> None:
        """Leave the holder's process id in the file, for people (never trusted by code)."""
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except OSError:
            pass  # the lock is what matters; the note is a courtesy

    def release(self) -> None:
        """Drop the lock (safe to call twice). The lock file stays, on purpose."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            pass  # closing the descriptor drops the lock anyway
        finally:
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        """Acquire on entering a ``with`` block."""
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Release on leaving a ``with`` block."""
        self.release()

    def __del__(self) -> None:
        """Do not leak the descriptor if the owner forgot to release."""
        if getattr(self, "_fd", None) is not None:
            self.release()
