"""A full disk during a save: one clear error, nothing half-written, the database still sound.

SQLite's own "database or disk is full" (SQLITE_FULL) is produced for real by capping the
file's size with ``PRAGMA max_page_count`` on the writer's connections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from wushe_desktop.errors import DatabaseError
from wushe_desktop.services.checks import run_checks
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.storage.models import AuditLog, Person


def _cap_file_size(db: Database) -> None:
    """From now on the writer cannot grow the file beyond its current pages."""
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()  # new connections get the cap


def test_a_full_disk_during_a_save_is_one_clear_error_and_nothing_is_written(db_path: Path, actor: Actor) -> None:
    db = open_database(db_path)
    try:
        with db.read_sessions() as s:
            people = s.scalar(select(func.count()).select_from(Person))
            audit = s.scalar(select(func.count()).select_from(AuditLog))
        _cap_file_size(db)
        big_note = "家访记录：" + "老人独居，子女在外务工，需要定期探访。" * 400  # needs new pages
        with pytest.raises(DatabaseError) as raised:
            for n in range(50):  # free space inside the last pages is used up first
                create_person(db, actor, PersonInput(name="巴特尔·额尔敦" + "甲乙丙丁戊己庚辛壬癸"[n % 10],
                                                     notes=big_note))
        assert raised.value.code == "database.disk_full"
        written = n  # the people saved before the disk filled up are whole
    finally:
        db.dispose()
    db = open_database(db_path)  # no cap: as after freeing space
    try:
        with db.read_sessions() as s:
            assert s.scalar(select(func.count()).select_from(Person)) == people + written
            # each saved person has its audit row; the refused one has neither
            assert s.scalar(select(func.count()).select_from(AuditLog)) == audit + written
        assert all(f.ok for f in run_checks(db, actor))
    finally:
        db.dispose()
