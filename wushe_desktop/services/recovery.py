"""Recovery duties of the GUI: the recovery sheet, the newest good automatic copy, idle lock.

- :func:`print_recovery_sheet` — the station's recovery sheet (audited like every print;
  whether the passphrase was printed on it is recorded, never the passphrase).
- :func:`automatic_copies` / :func:`restore_newest_automatic` — when the database at
  start is damaged, the newest automatic copy that passes the checks replaces it (the
  damaged file is kept aside by :func:`services.backup.restore`).
- :func:`idle_lock_minutes` — after how many idle minutes the window locks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import ImportFileError, ValidationError
from wushe_desktop.printing.data import PrintContext
from wushe_desktop.services.backup import RestoreResult, auto_backup_dir, restore
from wushe_desktop.services.context import Actor, station_info, transaction
from wushe_desktop.services.keys import show_keys
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.printing import page_count
from wushe_desktop.services.station import get_setting, passphrase_matches
from wushe_desktop.storage import backup as backup_file
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.tracking import AuditEntry, append_audit

if TYPE_CHECKING:  # the sheet's module imports reportlab: loaded on first print (start-up time)
    from wushe_desktop.printing.recovery_sheet import RecoverySheet

#: The setting that holds the idle minutes before the window locks (0: never).
IDLE_SETTING = "security.idle_lock_minutes"
#: Idle minutes when the setting was never chosen.
DEFAULT_IDLE_MINUTES = 10

#: Who restores an automatic copy when the database could not even be opened (nobody
#: can log in to a damaged database; whoever can read the file can read the data anyway).
STARTUP_ACTOR = Actor(name="启动时自动恢复", role=Role.LOCAL_ADMIN)


@dataclass(frozen=True)
class AutomaticCopy:
    """One automatic daily copy beside the database."""

    path: Path
    day: date


def automatic_copies(db_path: Path) -> list[AutomaticCopy]:
    """The automatic copies of a database, newest first."""
    folder = auto_backup_dir(Path(db_path))
    pattern = re.compile(rf"^{re.escape(Path(db_path).stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$")
    found: list[AutomaticCopy] = []
    if folder.is_dir():
        for entry in folder.iterdir():
            match = pattern.match(entry.name)
            if match and entry.is_file():
                try:
                    found.append(AutomaticCopy(entry, date.fromisoformat(match.group(1))))
                except ValueError:
                    continue
    return sorted(found, key=lambda c: c.day, reverse=True)


def restore_newest_automatic(db_path: Path, actor: Actor = STARTUP_ACTOR) -> tuple[AutomaticCopy, RestoreResult]:
    """Replace a damaged database with the newest automatic copy that passes the checks.

    The caller holds the database's instance lock and has no connection open to it.
    Damaged copies are skipped (an older one is tried).

    Raises:
        ImportFileError: ``backup.not_found`` when no copy exists; the last copy's error
            when none is good.
        DatabaseError: from writing the restored file.
    """
    last: ImportFileError | None = None
    for copy in automatic_copies(db_path):
        try:
            return copy, restore(Path(db_path), copy.path, actor=actor, allow_other_station=False)
        except ImportFileError as exc:
            last = exc
    if last is not None:
        raise last
    raise ImportFileError("backup.not_found", path=str(auto_backup_dir(Path(db_path))))


def check_backup_passphrase(backup: Path, passphrase: str) -> None:
    """Whether a passphrase opens an encrypted backup, checked against the verifier in its
    header before anything is closed or replaced (the restore checks it again, for real).

    Raises:
        ValidationError: ``passphrase.missing``, ``backup.wrong_passphrase``.
        ImportFileError: ``backup.not_found``, ``backup.not_a_backup``, ``backup.corrupt``.
    """
    if not passphrase:
        raise ValidationError("passphrase.missing", field="passphrase")
    if not backup.is_file():
        raise ImportFileError("backup.not_found", path=str(backup))
    if not backup_file.is_backup_file(backup):
        return  # a plain automatic copy needs no passphrase
    header = backup_file.read_backup_header(backup)
    if not passphrase_matches(header.verifier, passphrase):
        raise ValidationError("backup.wrong_passphrase", field="passphrase")


def recovery_sheet_data(db: Database, passphrase: str | None = None) -> RecoverySheet:
    """What the recovery sheet of this database says (no audit; see :func:`print_recovery_sheet`)."""
    from wushe_desktop.printing.recovery_sheet import RecoverySheet

    info = station_info(db)
    key = show_keys(db)
    where = str(db.path) if db.path is not None else ""
    autos = str(auto_backup_dir(db.path)) if db.path is not None else ""
    return RecoverySheet(info.name, info.code, info.banner_name, key.fingerprint, where, autos,
                         passphrase or None)


def print_recovery_sheet(db: Database, actor: Actor, passphrase: str | None = None, *,
                         today: date | None = None) -> bytes:
    """The recovery sheet as a PDF; the print is audited (with whether the passphrase is on it).

    Args:
        db: The open database.
        actor: Who prints (needs ``manage_settings``: the head).
        passphrase: Print this passphrase on the sheet (the head chose so); it must be the
            station's recovery passphrase. ``None`` leaves a box to write it by hand.
        today: The print date.

    Raises:
        PermissionDenied: ``permission.manage_settings``.
        ValidationError: ``passphrase.wrong`` (a passphrase that is not the station's).
    """
    require(actor, Permission.MANAGE_SETTINGS)
    if passphrase:
        verifier = get_setting(db, "recovery.verifier")
        if not isinstance(verifier, str) or not passphrase_matches(verifier, passphrase):
            raise ValidationError("passphrase.wrong", field="passphrase")
    sheet = recovery_sheet_data(db, passphrase)
    ctx = PrintContext(station_name=sheet.station_name, station_code=sheet.station_code,
                       printed_on=today or date.today(), printed_by=actor.name)
    from wushe_desktop.printing.recovery_sheet import build_recovery_sheet

    pdf = build_recovery_sheet(sheet, ctx)
    with transaction(db, actor) as s:
        append_audit(s, AuditEntry("print", "station", "", {"form": "recovery_sheet", "pages": page_count(pdf),
                                                            "passphrase_printed": bool(passphrase)}))
    return pdf


def idle_lock_minutes(db: Database) -> int:
    """Minutes without input before the window locks (0: never)."""
    value = get_setting(db, IDLE_SETTING)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return DEFAULT_IDLE_MINUTES
    try:
        minutes = int(value)
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return max(0, minutes)


__all__ = ["DEFAULT_IDLE_MINUTES", "IDLE_SETTING", "STARTUP_ACTOR", "AutomaticCopy", "automatic_copies",
           "check_backup_passphrase",
           "idle_lock_minutes", "print_recovery_sheet", "recovery_sheet_data", "restore_newest_automatic"]
