"""Backups and restore: automatic copies in the data folder, encrypted copies to take away.

- :func:`automatic_backup` — a plain online backup into ``<data folder>/backups/auto/``,
  one file per day (taken on close and daily; the day's newest wins), then rotation that
  keeps 7 daily, 4 weekly and 12 monthly copies (:func:`select_to_keep`).
- :func:`backup_now` — an encrypted backup to a chosen file or folder (a USB stick),
  sealed with the station's recovery passphrase (DESIGN.md §8).
- :func:`restore` — from an encrypted backup (or a plain automatic copy): checks
  integrity, schema and station first, keeps the current database aside, replaces it
  whole, with its version epoch raised (DESIGN.md §5, §11) and the restore audited.

The signing key is not in any backup (docs/decisions.md §6): after a restore on a new PC
:attr:`RestoreResult.needs_new_key` says a new key pair must be made and re-registered
with the centre.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from wushe_desktop.errors import (
    ConfigError,
    DatabaseError,
    ImportFileError,
    StateError,
    ValidationError,
    WusheError,
)
from wushe_desktop.paths import migrations_dir
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info, transaction, zone_named
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.station import (
    PASSPHRASE_ENV,
    get_setting,
    hash_passphrase,
    key_path_for,
    passphrase_matches,
)
from wushe_desktop.storage import backup as backup_file
from wushe_desktop.storage import sqlite as sqlite_mod
from wushe_desktop.storage.db import (
    SCHEMA_HEAD,
    Database,
    current_revision,
    map_operational_error,
    open_database,
    to_url,
    upgrade,
)
from wushe_desktop.storage.models import Setting, StationKey, VersionClock
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.storage.types import utcnow
from wushe_desktop.sync import keys

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
BACKUP_SUFFIX = ".wbak"
VERIFIER_KEY = "recovery.verifier"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BackupResult:
    """An encrypted backup written by :func:`backup_now`.

    Attributes:
        path: The backup file.
        size: Its size in bytes.
        created_at: When it was taken (UTC).
        passphrase_set: The station had no recovery passphrase; this backup set it.
    """

    path: Path
    size: int
    created_at: datetime
    passphrase_set: bool


@dataclass(frozen=True)
class AutoBackupResult:
    """An automatic copy and the old copies rotation removed."""

    path: Path
    removed: tuple[Path, ...]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, shown before the user confirms a restore.

    ``created_at`` is empty for a plain copy (its file date is the best guide).
    """

    encrypted: bool
    station_code: str
    station_name: str
    schema_revision: str
    created_at: str


@dataclass(frozen=True)
class RestoreResult:
    """The outcome of :func:`restore`.

    Attributes:
        station_code: The restored station.
        station_name: Its name.
        schema_revision: The schema the backup was taken at (upgraded since, if older).
        backup_created_at: When the backup was taken ("" for a plain copy).
        encrypted: Whether it came from an encrypted backup.
        epoch: The new version epoch.
        kept: Where the replaced database was kept (None: there was none).
        needs_new_key: This PC has no matching private key: make a new key pair and have
            the centre re-register it (scenario 8).
    """

    station_code: str
    station_name: str
    schema_revision: str
    backup_created_at: str
    encrypted: bool
    epoch: int
    kept: Path | None
    needs_new_key: bool


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _sqlite_path(db: Database) -> Path:
    if db.path is None:
        raise ConfigError("backup.not_sqlite")
    return db.path


def resolve_passphrase(passphrase: str | None) -> str:
    """The passphrase given, else ``WUSHE_BACKUP_PASSPHRASE``.

    Raises:
        ValidationError: ``passphrase.missing`` (the CLI asks for it then).
    """
    value = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    if not value:
        raise ValidationError("passphrase.missing", field="passphrase")
    return value


def default_backup_name(code: str, now: datetime) -> str:
    """File name of a backup written into a chosen folder."""
    return f"wushe-{code}-{_stamp(now)}{BACKUP_SUFFIX}"


def backup_now(db: Database, actor: Actor, out: Path, passphrase: str | None = None, *,
               now: datetime | None = None, progress: Progress | None = None) -> BackupResult:
    """Write an encrypted backup to ``out`` (a file, or a folder to name one in).

    The passphrase comes from the argument or ``WUSHE_BACKUP_PASSPHRASE``. A station
    without a recovery passphrase gets this one now (its verifier is stored, audited);
    otherwise it must match the stored verifier. Needs ``export``.

    Raises:
        PermissionDenied: ``permission.export``.
        ConfigError: ``backup.not_sqlite`` (a PostgreSQL centre: use its own tools).
        ValidationError: ``passphrase.missing``, ``passphrase.too_short``,
            ``passphrase.wrong``, ``backup.same_as_database``.
        DatabaseError: ``database.disk_full``, ``backup.cannot_write``, ``database.corrupt``.
    """
    require(actor, Permission.EXPORT)
    source = _sqlite_path(db)
    secret = resolve_passphrase(passphrase)
    now = now or utcnow()
    info = station_info(db)
    target = out / default_backup_name(info.code, now) if out.is_dir() else out
    if target.resolve() == source.resolve():
        raise ValidationError("backup.same_as_database", field="out", path=str(target))
    verifier = get_setting(db, VERIFIER_KEY)
    passphrase_set = False
    if not verifier:
        verifier = hash_passphrase(secret)
        with transaction(db, actor, Permission.EXPORT) as s:
            if s.get(Setting, VERIFIER_KEY) is None:
                s.add(Setting(key=VERIFIER_KEY, value=verifier))
                append_audit(s, AuditEntry("setting", "setting", "", {"key": VERIFIER_KEY, "by": "backup"}))
                passphrase_set = True
        if not passphrase_set:  # set meanwhile by someone else
            verifier = get_setting(db, VERIFIER_KEY)
    if not passphrase_set and not passphrase_matches(str(verifier), secret):
        raise ValidationError("passphrase.wrong", field="passphrase")
    meta = {
        "station_code": info.code,
        "station_name": info.name,
        "mode": info.mode.value,
        "schema_revision": current_revision(db.engine) or "",
        "created_at": now.astimezone(UTC).isoformat(),
    }
    if progress:
        progress("backup")
    size = backup_file.write_encrypted_backup(source, target, secret, str(verifier), meta)
    with transaction(db, actor) as s:
        append_audit(s, AuditEntry("backup", "database", "", {"file": target.name, "size": size,
                                                               "encrypted": True}))
    return BackupResult(target, size, now, passphrase_set)


def set_recovery_passphrase(db: Database, actor: Actor, new_passphrase: str) -> None:
    """Choose a new recovery passphrase (a lost or exposed one; needs ``manage_settings``).

    The old passphrase is not asked for: it may be lost, and whoever holds the database can
    read it anyway. Backups made before keep the old passphrase; make a new one at once.

    Raises:
        PermissionDenied: ``permission.manage_settings``.
        ValidationError: ``passphrase.too_short``.
    """
    require(actor, Permission.MANAGE_SETTINGS)
    verifier = hash_passphrase(new_passphrase)
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as s:
        row = s.get(Setting, VERIFIER_KEY)
        if row is None:
            s.add(Setting(key=VERIFIER_KEY, value=verifier))
        else:
            row.value = verifier
        append_audit(s, AuditEntry("setting", "setting", "", {"key": VERIFIER_KEY}))


def select_to_keep(dates: Iterable[date], today: date, *, daily: int = KEEP_DAILY,
                   weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> set[date]:
    """Which dated copies rotation keeps.

    The newest copy of each of the ``daily`` newest days, ``weekly`` newest ISO weeks and
    ``monthly`` newest months that have a copy (so a PC switched off for a fortnight does
    not lose its older copies). Copies dated after ``today`` are kept: the clock may
    have gone back after a power cut, and nothing is deleted on a wrong clock's word.
    """
    known = set(dates)
    keep = {d for d in known if d > today}
    past = sorted((d for d in known if d <= today), reverse=True)

    def newest_per(period: Callable[[date], object], count: int) -> None:
        seen: set[object] = set()
        for day in past:
            if len(seen) >= count:
                return
            bucket = period(day)
            if bucket not in seen:
                seen.add(bucket)
                keep.add(day)

    newest_per(lambda d: d, daily)
    newest_per(lambda d: d.isocalendar()[:2], weekly)
    newest_per(lambda d: (d.year, d.month), monthly)
    return keep


def _station_zone(db: Database) -> tzinfo | None:
    try:
        return zone_named(get_setting(db, "timezone"))
    except SQLAlchemyError:
        return None  # the PC's own zone then


def auto_backup_dir(db_path: Path) -> Path:
    """The folder of the automatic copies of a database."""
    return db_path.parent / "backups" / "auto"


def automatic_backup(db: Database, now: datetime | None = None) -> AutoBackupResult:
    """Take the day's automatic copy (plain, in the data folder) and rotate old ones.

    Called on close and once a day. The copy is checked (``quick_check``) before it
    replaces the day's earlier copy, and rotation runs only after a good copy, so a
    damaged database never pushes good copies out. Not audited (it changes nothing).

    Raises:
        ConfigError: ``backup.not_sqlite``.
        DatabaseError: ``database.disk_full``, ``backup.cannot_write``, ``database.corrupt``.
    """
    source = _sqlite_path(db)
    now = now or utcnow()
    zone = _station_zone(db)
    today = now.astimezone(zone).date() if zone else now.astimezone().date()
    folder = auto_backup_dir(source)
    target = folder / f"{source.stem}-{today.isoformat()}.sqlite3"
    backup_file.plain_copy(source, target)
    pattern = re.compile(rf"^{re.escape(source.stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$")
    dated: dict[date, Path] = {}
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            with contextlib.suppress(ValueError):
                dated[date.fromisoformat(match.group(1))] = entry
    keep = select_to_keep(dated, today)
    removed: list[Path] = []
    for day, path in sorted(dated.items()):
        if day not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return AutoBackupResult(target, tuple(removed))


def _read_station(path: Path) -> tuple[str, str, str] | None:
    """(code, name, mode) of a database file's own station, or None."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT code, name, mode FROM station WHERE is_self = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))


def _read_epoch(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT epoch FROM version_clock WHERE id = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else int(row[0])


def _read_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    except (sqlite3.Error, TypeError):
        return None
    finally:
        conn.close()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # on use: Alembic is slow to import (start-up)

    return {rev.revision for rev in ScriptDirectory(str(migrations_dir())).walk_revisions()}


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup file holds (shown before asking whether to replace the database).

    Raises:
        ImportFileError: ``backup.not_found``, ``backup.not_a_backup``, ``backup.too_new``,
            ``backup.corrupt``.
    """
    if not path.is_file():
        raise ImportFileError("backup.not_found", path=str(path))
    if backup_file.is_backup_file(path):
        header = backup_file.read_backup_header(path)
        return BackupInfo(True, header.station_code, header.station_name, header.schema_revision,
                          header.created_at)
    if sqlite_mod.looks_like_sqlite(path):
        station = _read_station(path)
        if station is None:
            raise ImportFileError("backup.not_a_backup", path=str(path))
        return BackupInfo(False, station[0], station[1], _read_revision(path) or "", "")
    raise ImportFileError("backup.not_a_backup", path=str(path))


def _remove_with_sidecars(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal", ".tmp"))):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _check_candidate(work: Path, source: Path) -> tuple[str, str, str]:
    """Integrity, schema and station of a decrypted copy: (revision, code, name)."""
    try:
        problems = sqlite_mod.integrity_problems(work)
    except sqlite3.DatabaseError as exc:
        raise ImportFileError("backup.corrupt", path=str(source), detail=str(exc)) from exc
    if problems:
        raise ImportFileError("backup.corrupt", path=str(source), detail="; ".join(problems[:5]))
    revision = _read_revision(work)
    if revision is None:
        raise ImportFileError("backup.not_a_backup", path=str(source))
    if revision not in _known_revisions():
        raise ImportFileError("backup.too_new", path=str(source), revision=revision)
    station = _read_station(work)
    if station is None:
        raise ImportFileError("backup.no_station", path=str(source))
    return revision, station[0], station[1]


def _keep_current(db_path: Path, now: datetime) -> Path | None:
    """Keep the database about to be replaced in ``backups/`` (an online backup when it is
    sound, else its bytes and its WAL as they are)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = db_path.parent / "backups"
    kept = folder / f"before-restore-{_stamp(now)}.sqlite3"
    n = 1
    while kept.exists():
        n += 1
        kept = folder / f"before-restore-{_stamp(now)}-{n}.sqlite3"
    try:
        backup_file.plain_copy(db_path, kept)
    except DatabaseError as exc:
        if exc.code != "database.corrupt":
            raise
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(db_path, kept)
            wal = db_path.with_name(db_path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        except OSError as err:
            raise DatabaseError("backup.cannot_write", path=str(folder), detail=str(err)) from err
    return kept


def _key_missing(db: Database, code: str) -> bool:
    path = key_path_for(db, code)
    if not path.is_file():
        return True
    from nacl.signing import SigningKey

    try:
        public = bytes(SigningKey(keys.read_private_key(path)).verify_key)
    except (OSError, ValueError, TypeError):
        return True
    with db.read_sessions() as s:
        active = s.scalars(select(StationKey.public_key).where(StationKey.active.is_(True))).all()
    return public not in {bytes(k) for k in active}


def _raise_epoch(work: Path, actor: Actor, old_epoch: int | None, details: dict[str, object],
                 code: str) -> tuple[int, bool]:
    """Raise the version epoch of the restored copy above the backup's and the replaced
    database's, audit the restore there; returns (epoch, needs_new_key)."""
    db = open_database(work)
    try:
        with transaction(db, actor) as s:
            clock = s.get(VersionClock, 1)
            epoch = max(clock.epoch if clock else 0, old_epoch or 0) + 1
            s.execute(update(VersionClock).where(VersionClock.id == 1).values(epoch=epoch, counter=0))
            append_audit(s, AuditEntry("restore", "database", "", {**details, "epoch": epoch}))
        return epoch, _key_missing(db, code)
    finally:
        db.dispose()


def restore(db_path: Path, backup: Path, passphrase: str | None = None, *, actor: Actor = CLI_ACTOR,
            allow_other_station: bool = False, now: datetime | None = None,
            progress: Progress | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` with a backup.

    Every check runs on a copy first (decryption, ``integrity_check``, foreign keys, a
    known schema revision, the station), an older schema is upgraded on the copy, the
    current database is kept as ``backups/before-restore-<time>.sqlite3``, the copy's
    version epoch is raised above both the backup's and the replaced database's (so every
    later edit outranks whatever the centre received before) and the restore is audited
    in it; only then does the copy replace the file whole (a rename in the same folder).

    The caller closes every connection to ``db_path`` first (``Database.dispose``).

    Args:
        db_path: The database file to replace (need not exist: a new PC).
        backup: An encrypted backup, or a plain automatic copy.
        passphrase: The recovery passphrase (else ``WUSHE_BACKUP_PASSPHRASE``); not
            needed for a plain copy.
        actor: Who restores (needs ``manage_settings``); the command line by default.
        allow_other_station: Replace a database of another station.
        now: The current time (tests).
        progress: Called with a stage name: decrypt, check, keep, epoch, replace.

    Raises:
        ImportFileError: ``backup.not_found``, ``backup.unreadable``, ``backup.not_a_backup``,
            ``backup.too_new``, ``backup.corrupt``, ``backup.no_station``.
        ValidationError: ``backup.wrong_passphrase``, ``passphrase.missing``.
        StateError: ``backup.other_station`` (params ``backup``, ``current``).
        DatabaseError: ``database.disk_full``, ``backup.cannot_write``, and what opening
            the restored database may raise.
    """
    require(actor, Permission.MANAGE_SETTINGS)
    now = now or utcnow()
    db_path = Path(db_path).expanduser().resolve()
    if not backup.is_file():
        raise ImportFileError("backup.not_found", path=str(backup))
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError("database.readonly", path=str(db_path.parent), detail=str(exc)) from exc
    work = db_path.with_name(f".{db_path.name}.restore-{secrets.token_hex(4)}")
    try:
        if progress:
            progress("decrypt")
        created_at, header_code = "", ""
        if backup_file.is_backup_file(backup):
            header = backup_file.decrypt_backup(backup, resolve_passphrase(passphrase), work)
            created_at, header_code, encrypted = header.created_at, header.station_code, True
        elif sqlite_mod.looks_like_sqlite(backup):
            try:
                backup_file.plain_copy(backup, work)
            except DatabaseError as exc:
                if exc.code != "database.corrupt":
                    raise
                raise ImportFileError("backup.corrupt", path=str(backup), detail=exc.detail) from exc
            encrypted = False
        else:
            raise ImportFileError("backup.not_a_backup", path=str(backup))
        if progress:
            progress("check")
        revision, code, name = _check_candidate(work, backup)
        if header_code and header_code != code:
            raise ImportFileError("backup.corrupt", path=str(backup), detail="header and database disagree")
        current = _read_station(db_path) if db_path.exists() else None
        if current is not None and current[0] != code and not allow_other_station:
            raise StateError("backup.other_station", backup=code, current=current[0])
        old_epoch = _read_epoch(db_path) if db_path.exists() else None
        if revision != SCHEMA_HEAD:
            try:
                upgrade(to_url(work), backup_dir=None)
            except OperationalError as exc:
                raise map_operational_error(exc, work) from exc
        if progress:
            progress("keep")
        kept = _keep_current(db_path, now)
        if progress:
            progress("epoch")
        # The epoch rises and the restore is audited in the copy, before it takes the
        # database's place: there is no moment when the restored file has the old epoch.
        epoch, needs_key = _raise_epoch(work, actor, old_epoch, {
            "file": backup.name, "encrypted": encrypted, "backup_created_at": created_at,
            "schema_revision": revision, "kept": kept.name if kept else "",
        }, code)
        # One self-contained file before the rename: no WAL beside the copy.
        conn = sqlite3.connect(str(work))
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        if progress:
            progress("replace")
        try:
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    db_path.with_name(db_path.name + suffix).unlink()
            work.replace(db_path)
        except OSError as exc:
            raise DatabaseError("backup.cannot_write", path=str(db_path), detail=str(exc)) from exc
    except WusheError:
        raise
    except sqlite3.DatabaseError as exc:
        raise ImportFileError("backup.corrupt", path=str(backup), detail=str(exc)) from exc
    finally:
        _remove_with_sidecars(work)
    return RestoreResult(code, name, revision, created_at, encrypted, epoch, kept, needs_key)


__all__ = [
    "BACKUP_SUFFIX",
    "KEEP_DAILY",
    "KEEP_MONTHLY",
    "KEEP_WEEKLY",
    "AutoBackupResult",
    "BackupInfo",
    "BackupResult",
    "RestoreResult",
    "auto_backup_dir",
    "automatic_backup",
    "backup_now",
    "default_backup_name",
    "inspect_backup",
    "resolve_passphrase",
    "restore",
    "select_to_keep",
    "set_recovery_passphrase",
]
