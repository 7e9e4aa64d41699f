"""A second instance on the same database is refused; the lock never outlives its holder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wushe_desktop.errors import DatabaseError
from wushe_desktop.services.instance import acquire_instance_lock
from wushe_desktop.storage.lock import DatabaseLock, lock_path_for

HOLDER = """
import sys, time
from wushe_desktop.storage.lock import DatabaseLock
lock = DatabaseLock(sys.argv[1]).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_second_lock_in_same_process_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite3"
    with DatabaseLock(db) as first:
        assert first.held
        assert lock_path_for(db).exists()
        with pytest.raises(DatabaseError) as info:
            DatabaseLock(db).acquire()
        assert info.value.code == "database.in_use"
    assert not first.held


def test_lock_released_after_close(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite3"
    first = DatabaseLock(db).acquire()
    first.release()
    first.release()  # twice is harmless
    second = DatabaseLock(db).acquire()
    assert second.held
    second.release()
    assert lock_path_for(db).exists(), "the lock file stays; only the OS lock goes"


def test_locks_on_different_databases_are_independent(tmp_path: Path) -> None:
    with DatabaseLock(tmp_path / "a.sqlite3"), DatabaseLock(tmp_path / "b.sqlite3") as b:
        assert b.held


def test_service_handle_refuses_a_second_window(db_path: Path) -> None:
    handle = acquire_instance_lock(db_path)
    try:
        assert handle.held
        with pytest.raises(DatabaseError) as info:
            acquire_instance_lock(str(db_path))
        assert info.value.code == "database.in_use"
        with pytest.raises(DatabaseError):
            acquire_instance_lock(f"sqlite:///{db_path}")
    finally:
        handle.release()
    with acquire_instance_lock(db_path) as again:
        assert again.held


def test_server_database_needs_no_lock() -> None:
    handle = acquire_instance_lock("postgresql://centre@localhost/wushe")
    assert not handle.held and handle.db_path is None
    handle.release()


def test_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseError) as info:
            DatabaseLock(db).acquire()
        assert info.value.code == "database.in_use"
        assert lock_path_for(db).read_text().strip() == str(holder.pid)
    finally:
        holder.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    with DatabaseLock(db) as lock:
        assert lock.held


def test_read_only_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(DatabaseError) as info:
        DatabaseLock(tmp_path / "station.sqlite3").acquire()
    assert info.value.code == "database.readonly"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="POSIX permissions; root ignores them")
def test_real_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(DatabaseError) as info:
            DatabaseLock(folder / "station.sqlite3").acquire()
        assert info.value.code == "database.readonly"
    finally:
        folder.chmod(0o755)
