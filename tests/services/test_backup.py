"""Backups on demand and automatic, rotation, and restore (DESIGN.md §5, §8, §11)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import nacl.pwhash.argon2id as argon2id
import pytest
from sqlalchemy import func, select

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import (
    DatabaseError,
    ImportFileError,
    PermissionDenied,
    StateError,
    ValidationError,
    WusheError,
)
from wushe_desktop.services.backup import (
    automatic_backup,
    backup_now,
    inspect_backup,
    restore,
    select_to_keep,
    set_recovery_passphrase,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.station import PASSPHRASE_ENV, get_setting, init_database
from wushe_desktop.storage import backup as backup_file
from wushe_desktop.storage.audit import verify_chain
from wushe_desktop.storage.db import Database, current_revision, head_revision, open_database
from wushe_desktop.storage.models import AuditLog, Person, Setting, VersionClock
from wushe_desktop.storage.sqlite import integrity_problems
from wushe_desktop.storage.tracking import EPOCH_SHIFT, current_version

PASSPHRASE = "correct horse battery"  # the station fixture's (tests/conftest.py)
FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_file, "KDF_OPSLIMIT", argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(backup_file, "KDF_MEMLIMIT", argon2id.MEMLIMIT_MIN)


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def people(db_path: Path) -> set[str]:
    db = open_database(db_path)
    try:
        with db.read_sessions() as s:
            return set(s.scalars(select(Person.name).where(Person.deleted_at.is_(None))))
    finally:
        db.dispose()


def add(db: Database, actor: Actor, name: str) -> int:
    return create_person(db, actor, PersonInput(name=name)).person.row_version


def actions(db: Database) -> list[str]:
    with db.read_sessions() as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.seq)))


# -- restore from an encrypted backup ------------------------------------------------------


def test_backup_then_restore_brings_the_old_state_back_with_a_higher_epoch(
        db: Database, db_path: Path, actor: Actor, stick: Path) -> None:
    add(db, actor, "王桂花")
    made = backup_now(db, actor, stick, PASSPHRASE, now=NOW)
    assert made.path.parent == stick and made.path.name.startswith("wushe-150121101000-")
    assert made.size == made.path.stat().st_size and not made.passphrase_set
    assert actions(db)[-1] == "backup"
    newest_before = add(db, actor, "李二小")
    db.dispose()

    info = inspect_backup(made.path)
    assert (info.encrypted, info.station_code, info.station_name) == (True, "150121101000", "毕克齐镇社工站")
    stages: list[str] = []
    result = restore(db_path, made.path, PASSPHRASE, now=NOW + timedelta(hours=1), progress=stages.append)
    assert stages == ["decrypt", "check", "keep", "epoch", "replace"]

    assert result.station_code == "150121101000" and result.encrypted and result.epoch == 1
    assert result.backup_created_at == info.created_at and not result.needs_new_key
    assert result.kept is not None and result.kept.parent == db_path.parent / "backups"
    assert result.kept.name.startswith("before-restore-")
    assert people(db_path) == {"王桂花"}
    assert people(result.kept) >= {"王桂花", "李二小"}  # nothing is lost: the replaced state is kept
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []

    again = open_database(db_path)
    try:
        with again.read_sessions() as s:
            clock = s.get(VersionClock, 1)
            assert clock is not None and (clock.epoch, clock.counter) >= (1, 0)
        newest_after = add(again, actor, "赵三")
        assert newest_after > newest_before and newest_after >> EPOCH_SHIFT == 1
        assert verify_chain(again).ok
        with again.read_sessions() as s:
            row = s.scalars(select(AuditLog).where(AuditLog.action == "restore")).one()
            assert row.details["epoch"] == 1 and row.details["kept"] == result.kept.name
            assert current_version(s) == newest_after
    finally:
        again.dispose()


def test_every_restore_raises_the_epoch_above_the_replaced_database(
        db: Database, db_path: Path, actor: Actor, stick: Path) -> None:
    made = backup_now(db, actor, stick / "a.wbak", PASSPHRASE)
    db.dispose()
    assert restore(db_path, made.path, PASSPHRASE).epoch == 1
    edited = open_database(db_path)
    exported = add(edited, actor, "导出过的记录")  # the centre may have this version already
    edited.dispose()
    # The same old backup (epoch 0) again: the epoch must still climb, to 2.
    assert restore(db_path, made.path, PASSPHRASE).epoch == 2
    later = open_database(db_path)
    try:
        assert add(later, actor, "恢复后新记录") > exported
    finally:
        later.dispose()


def test_a_wrong_passphrase_leaves_everything_as_it_was(db: Database, db_path: Path, actor: Actor,
                                                        stick: Path) -> None:
    made = backup_now(db, actor, stick, PASSPHRASE)
    add(db, actor, "王桂花")
    db.dispose()
    before = db_path.read_bytes()
    with pytest.raises(ValidationError) as info:
        restore(db_path, made.path, "correct horse batery")
    assert info.value.code == "backup.wrong_passphrase" and info.value.field == "passphrase"
    assert db_path.read_bytes() == before and not (db_path.parent / "backups").exists()


def test_the_passphrase_comes_from_the_environment(db: Database, db_path: Path, actor: Actor, stick: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as missing:
        backup_now(db, actor, stick)
    assert missing.value.code == "passphrase.missing"
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    made = backup_now(db, actor, stick)
    db.dispose()
    assert restore(db_path, made.path).station_code == "150121101000"


@pytest.mark.parametrize("damage", ["flip", "truncate", "not_a_backup"])
def test_a_damaged_file_is_refused_before_anything_changes(db: Database, db_path: Path, actor: Actor,
                                                           stick: Path, damage: str) -> None:
    made = backup_now(db, actor, stick, PASSPHRASE)
    db.dispose()
    data = bytearray(made.path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "truncate":
        del data[len(data) - 100 :]
    else:
        data = bytearray("社工站工作日志\n".encode())
    made.path.write_bytes(bytes(data))
    before = db_path.read_bytes()
    with pytest.raises(ImportFileError) as info:
        restore(db_path, made.path, PASSPHRASE)
    assert info.value.code == ("backup.not_a_backup" if damage == "not_a_backup" else "backup.corrupt")
    assert db_path.read_bytes() == before and not (db_path.parent / "backups").exists()
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []


def test_restore_on_a_new_pc_needs_a_new_key(db: Database, actor: Actor, stick: Path, tmp_path: Path) -> None:
    add(db, actor, "王桂花")
    made = backup_now(db, actor, stick, PASSPHRASE)
    new_pc = tmp_path / "new-pc" / "wushe.sqlite3"
    result = restore(new_pc, made.path, PASSPHRASE)
    assert result.needs_new_key and result.kept is None and result.epoch == 1
    assert people(new_pc) == {"王桂花"}
    assert not (new_pc.parent / "keys").exists()


def test_a_backup_of_another_station_is_refused(db: Database, db_path: Path, actor: Actor, stick: Path,
                                                tmp_path: Path) -> None:
    other, _ = init_database(tmp_path / "other" / "other.sqlite3", code="150121102000", name="察素齐镇社工站",
                             passphrase=PASSPHRASE)
    made = backup_now(other, actor, stick, PASSPHRASE)
    other.dispose()
    db.dispose()
    with pytest.raises(StateError) as info:
        restore(db_path, made.path, PASSPHRASE)
    assert info.value.code == "backup.other_station"
    assert info.value.params == {"backup": "150121102000", "current": "150121101000"}
    assert restore(db_path, made.path, PASSPHRASE, allow_other_station=True).station_code == "150121102000"


def test_an_older_schema_is_upgraded_on_restore(tmp_path: Path) -> None:
    result = restore(tmp_path / "pc" / "wushe.sqlite3", FIXTURES / "schema-0001.sqlite3")
    assert result.schema_revision == "0001" and not result.encrypted
    db = open_database(tmp_path / "pc" / "wushe.sqlite3")
    try:
        assert current_revision(db.engine) == head_revision() and verify_chain(db).ok
        assert db.backups == []
    finally:
        db.dispose()


def test_a_plain_automatic_copy_restores_and_a_damaged_one_does_not(db: Database, db_path: Path,
                                                                    actor: Actor) -> None:
    add(db, actor, "王桂花")
    copy = automatic_backup(db, NOW).path
    add(db, actor, "李二小")
    db.dispose()
    result = restore(db_path, copy, None)
    assert not result.encrypted and result.epoch == 1 and people(db_path) == {"王桂花"}
    data = bytearray(copy.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * (4096 * 2)
    broken = copy.with_name("broken.sqlite3")
    broken.write_bytes(bytes(data))
    before = db_path.read_bytes()
    with pytest.raises(ImportFileError) as info:
        restore(db_path, broken, None)
    assert info.value.code == "backup.corrupt" and db_path.read_bytes() == before


def test_a_damaged_current_database_is_kept_byte_for_byte(db: Database, db_path: Path, actor: Actor,
                                                          stick: Path) -> None:
    made = backup_now(db, actor, stick, PASSPHRASE)
    db.dispose()
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * (4096 * 2)
    db_path.write_bytes(bytes(data))
    result = restore(db_path, made.path, PASSPHRASE)
    assert result.kept is not None and result.kept.read_bytes() == bytes(data)
    assert people(db_path) == set()


def test_only_a_settings_manager_restores(db: Database, db_path: Path, actor: Actor, stick: Path) -> None:
    made = backup_now(db, actor, stick, PASSPHRASE)
    db.dispose()
    with pytest.raises(PermissionDenied):
        restore(db_path, made.path, PASSPHRASE, actor=Actor("李明", Role.SOCIAL_WORKER))


# -- backup on demand ------------------------------------------------------------------------


def test_the_first_backup_sets_a_missing_recovery_passphrase(db: Database, actor: Actor, stick: Path) -> None:
    with db.sessions.begin() as s:
        s.delete(s.get(Setting, "recovery.verifier"))
    with pytest.raises(ValidationError) as short:
        backup_now(db, actor, stick, "short")
    assert short.value.code == "passphrase.too_short"
    made = backup_now(db, actor, stick / "first.wbak", "a new passphrase")
    assert made.passphrase_set
    verifier = get_setting(db, "recovery.verifier")
    assert verifier.startswith("$argon2id$") and backup_file.read_backup_header(made.path).verifier == verifier
    assert actions(db)[-2:] == ["setting", "backup"]
    with pytest.raises(ValidationError) as wrong:
        backup_now(db, actor, stick / "second.wbak", PASSPHRASE)
    assert wrong.value.code == "passphrase.wrong" and not (stick / "second.wbak").exists()


def test_a_new_recovery_passphrase_replaces_a_lost_one(db: Database, db_path: Path, actor: Actor,
                                                       stick: Path) -> None:
    old = backup_now(db, actor, stick / "old.wbak", PASSPHRASE)
    with pytest.raises(PermissionDenied):
        set_recovery_passphrase(db, Actor("李明", Role.SOCIAL_WORKER), "another passphrase")
    set_recovery_passphrase(db, actor, "another passphrase")
    assert actions(db)[-1] == "setting"
    with pytest.raises(ValidationError):
        backup_now(db, actor, stick / "new.wbak", PASSPHRASE)
    new = backup_now(db, actor, stick / "new.wbak", "another passphrase")
    db.dispose()
    # Old backups keep the passphrase they were made with.
    with pytest.raises(ValidationError) as info:
        restore(db_path, old.path, "another passphrase")
    assert info.value.code == "backup.wrong_passphrase"
    assert restore(db_path, old.path, PASSPHRASE).epoch == 1
    assert restore(db_path, new.path, "another passphrase").epoch == 2


def test_a_backup_cannot_overwrite_the_database_itself(db: Database, db_path: Path, actor: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        backup_now(db, actor, db_path, PASSPHRASE)
    assert info.value.code == "backup.same_as_database"


def test_a_full_stick_leaves_no_partial_backup(db: Database, actor: Actor, stick: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DatabaseError) as info:
        backup_now(db, actor, stick, PASSPHRASE)
    assert info.value.code == "database.disk_full"
    assert list(stick.iterdir()) == []
    assert actions(db)[-1] != "backup"


def test_a_full_disk_while_keeping_the_current_database_replaces_nothing(
        db: Database, db_path: Path, actor: Actor, stick: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = backup_now(db, actor, stick, PASSPHRASE)
    add(db, actor, "王桂花")
    db.dispose()
    before = db_path.read_bytes()
    real = backup_file.plain_copy

    def full(source: Path, target: Path) -> None:
        if target.name.startswith("before-restore-"):
            raise DatabaseError("database.disk_full", path=str(target.parent))
        real(source, target)

    monkeypatch.setattr(backup_file, "plain_copy", full)
    with pytest.raises(DatabaseError) as info:
        restore(db_path, made.path, PASSPHRASE)
    assert info.value.code == "database.disk_full"
    assert db_path.read_bytes() == before and people(db_path) == {"王桂花"}


# -- automatic copies and rotation ------------------------------------------------------------


def test_retention_keeps_seven_days_four_weeks_twelve_months() -> None:
    today = date(2026, 11, 25)  # a Wednesday
    every_day = [today - timedelta(days=n) for n in range(500)]
    keep = select_to_keep(every_day, today)
    daily = {today - timedelta(days=n) for n in range(7)}
    # The newest copy of each of the 4 newest ISO weeks: this week's (today) and three Sundays.
    weekly = {today, date(2026, 11, 22), date(2026, 11, 15), date(2026, 11, 8)}
    # The newest copy of each of the 12 newest months: today, then each month's last day.
    monthly = {today} | {
        (date(y, m, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for y, m in [(2026, 10), (2026, 9), (2026, 8), (2026, 7), (2026, 6), (2026, 5), (2026, 4), (2026, 3),
                     (2026, 2), (2026, 1), (2025, 12)]
    }
    assert keep == daily | weekly | monthly
    assert len(keep) == 7 + 2 + 11  # Sunday 22 November is one of the seven days


def test_retention_with_gaps_and_a_clock_that_went_back() -> None:
    today = date(2026, 11, 25)
    sparse = [date(2026, 11, 1), date(2026, 10, 3), date(2026, 6, 30), date(2025, 1, 1)]
    # A PC switched off for weeks keeps its older copies: seven newest days that have one.
    assert select_to_keep(sparse, today) == set(sparse)
    assert select_to_keep([], today) == set()
    future = date(2027, 3, 1)  # the clock went back after a power cut: never delete on its word
    assert future in select_to_keep([future, *sparse], today)
    assert select_to_keep([today - timedelta(days=n) for n in range(10)], today, daily=2, weekly=0,
                          monthly=0) == {today, today - timedelta(days=1)}


def test_automatic_copies_are_daily_plain_and_rotated(db: Database, db_path: Path, actor: Actor) -> None:
    folder = db_path.parent / "backups" / "auto"
    folder.mkdir(parents=True)
    for n in range(1, 40):
        (folder / f"station-{(date(2026, 11, 25) - timedelta(days=n)).isoformat()}.sqlite3").write_bytes(b"old")
    (folder / "keep-me.txt").write_text("不是自动备份", encoding="utf-8")
    first = automatic_backup(db, NOW)  # 10:00 in Asia/Shanghai
    assert first.path == folder / "station-2026-11-25.sqlite3"
    assert integrity_problems(first.path) == []
    every_day = [date(2026, 11, 25) - timedelta(days=n) for n in range(40)]
    expected = {f"station-{d.isoformat()}.sqlite3" for d in select_to_keep(every_day, date(2026, 11, 25))}
    assert len(expected) == 10  # 7 days, the weeks of 15 and 8 November, 31 October
    assert {p.name for p in folder.iterdir()} == expected | {"keep-me.txt"}
    assert len(first.removed) == 40 - len(expected)
    # Taken again on close the same day: the day's copy is replaced by the newest state.
    add(db, actor, "王桂花")
    second = automatic_backup(db, NOW + timedelta(hours=8))
    assert second.path == first.path and second.removed == ()
    assert people_in(second.path) == {"王桂花"}
    # 16:30 UTC is already the next day in Shanghai.
    assert automatic_backup(db, NOW + timedelta(hours=14, minutes=30)).path.name == "station-2026-11-26.sqlite3"
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []


def people_in(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM person WHERE deleted_at IS NULL")}
    finally:
        conn.close()


def test_a_damaged_database_never_pushes_good_copies_out(db: Database, db_path: Path, tmp_path: Path) -> None:
    good = automatic_backup(db, NOW).path
    kept = good.read_bytes()
    db.dispose()
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * (4096 * 2)
    db_path.write_bytes(bytes(data))
    broken = Database(db.url, db.engine, db.read_engine, db.sessions, db.read_sessions, db_path)
    with pytest.raises(WusheError) as info:
        automatic_backup(broken, NOW + timedelta(hours=1))
    assert info.value.code == "database.corrupt"
    assert good.read_bytes() == kept
    assert sorted(p.name for p in good.parent.iterdir()) == [good.name]


def test_counts_are_unchanged_by_a_backup(db: Database, actor: Actor, stick: Path) -> None:
    add(db, actor, "王桂花")
    with db.read_sessions() as s:
        before = s.scalar(select(func.count()).select_from(Person))
    backup_now(db, actor, stick, PASSPHRASE)
    automatic_backup(db, NOW)
    with db.read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == before
    shutil.rmtree(stick)
