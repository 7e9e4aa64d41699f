"""Recovery duties: the recovery sheet, the newest good automatic copy, the idle minutes."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.printing.pdf_checks import Pdf, font_problems
from wushe_desktop.errors import ImportFileError, ValidationError
from wushe_desktop.services.audit_log import AuditFilter, query_audit
from wushe_desktop.services.backup import automatic_backup
from wushe_desktop.services.context import CLI_ACTOR, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.services.recovery import (
    DEFAULT_IDLE_MINUTES,
    IDLE_SETTING,
    automatic_copies,
    idle_lock_minutes,
    print_recovery_sheet,
    restore_newest_automatic,
)
from wushe_desktop.services.station import set_setting
from wushe_desktop.storage.db import Database


def test_the_sheet_leaves_the_passphrase_blank_unless_asked(db: Database) -> None:
    blank = Pdf(print_recovery_sheet(db, CLI_ACTOR))
    text = blank.flat_text
    assert blank.page_count == 1
    for words in ("数据恢复单", "毕克齐镇社工站", "150121101000", "从备份恢复", "恢复口令", "请站长亲笔填写"):
        assert words in text
    assert PASSPHRASE.replace(" ", "") not in text
    assert font_problems(blank) == []
    printed = Pdf(print_recovery_sheet(db, CLI_ACTOR, PASSPHRASE))
    assert PASSPHRASE.replace(" ", "") in printed.flat_text
    rows = query_audit(db, CLI_ACTOR, AuditFilter(action="print")).rows
    assert [r.details["passphrase_printed"] for r in rows] == [True, False]
    assert all(PASSPHRASE not in str(r.details) for r in rows)
    with pytest.raises(ValidationError):
        print_recovery_sheet(db, CLI_ACTOR, "not the passphrase")


def test_a_damaged_database_is_replaced_by_the_newest_good_copy(db: Database, db_path: Path) -> None:
    automatic_backup(db, now=datetime(2026, 3, 1, 4, tzinfo=UTC))
    automatic_backup(db, now=datetime(2026, 3, 2, 4, tzinfo=UTC))
    db.dispose()
    copies = automatic_copies(db_path)
    assert [c.day.isoformat() for c in copies] == ["2026-03-02", "2026-03-01"]
    copies[0].path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)  # the newest copy is damaged too
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(b"garbage" * 100)
    used, result = restore_newest_automatic(db_path)
    assert used.day.isoformat() == "2026-03-01" and result.station_code == "150121101000"
    reopened = open_db(db_path)
    try:
        assert station_info(reopened).code == "150121101000"
    finally:
        reopened.dispose()
    assert result.kept is not None and result.kept.exists()


def test_no_copy_no_restore(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError):
        restore_newest_automatic(tmp_path / "none.sqlite3")


def test_idle_minutes(db: Database) -> None:
    assert idle_lock_minutes(db) == DEFAULT_IDLE_MINUTES
    set_setting(db, CLI_ACTOR, IDLE_SETTING, 3)
    assert idle_lock_minutes(db) == 3
    set_setting(db, CLI_ACTOR, IDLE_SETTING, "junk")
    assert idle_lock_minutes(db) == DEFAULT_IDLE_MINUTES


def test_copies_are_listed_even_when_the_folder_is_missing(tmp_path: Path) -> None:
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
    assert automatic_copies(tmp_path / "nothing" / "db.sqlite3") == []
