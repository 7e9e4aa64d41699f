"""Opening, creating and upgrading a database; the engines and session factories.

One function, :func:`open_database`, turns a path or URL into a :class:`Database`:
it refuses what is not ours with a coded :class:`~wushe_desktop.errors.DatabaseError`,
and upgrades an older schema after an online backup (DESIGN.md §5, STYLE.md §8).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from wushe_desktop.errors import DatabaseError
from wushe_desktop.paths import migrations_dir
from wushe_desktop.storage import sqlite as sqlite_mod
from wushe_desktop.storage import tracking


@dataclass
class Database:
    """An open database: a write engine (one writer) and a read engine (lists, search)."""

    url: str
    engine: Engine
    read_engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]
    path: Path | None = None
    backups: list[Path] = field(default_factory=list)  # taken by this open (pre-migration)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection (before replacing or deleting the file)."""
        self.engine.dispose()
        self.read_engine.dispose()


def to_url(target: str | Path) -> str:
    """A path or SQLAlchemy URL as a URL."""
    text_target = str(target)
    if "://" in text_target:
        return text_target
    return f"sqlite:///{Path(text_target).expanduser().resolve()}"


def _server(url: str) -> str:
    """``host:port/database`` of a server URL (never its password), for messages."""
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}{f':{parsed.port}' if parsed.port else ''}/{parsed.database or ''}"


def _check_url(url: str) -> None:
    """Refuse an address no installed driver can use, before anything connects."""
    try:
        parsed = make_url(url)
        parsed.get_dialect().import_dbapi()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseError("database.bad_url", url=_hidden(url), detail=str(exc)) from exc
    except ImportError as exc:
        raise DatabaseError("database.driver_missing", driver=parsed.drivername, detail=str(exc)) from exc


def _hidden(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1]


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _engine(url: str, *, immediate: bool) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, poolclass=NullPool if immediate else None)
        sqlite_mod.configure_engine(engine, immediate=immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


#: The newest schema revision, kept here so that opening an up-to-date database needs
#: no Alembic import (start-up time); a test checks it equals the migrations' head.
SCHEMA_HEAD = "0008"


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    """The newest schema revision of the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision a database is at (None: not one of ours, or empty)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if value is None else str(value)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise DatabaseError("database.missing", path=str(path))
    if path.is_dir():
        raise DatabaseError("database.not_a_file", path=str(path))
    if path.stat().st_size and not sqlite_mod.looks_like_sqlite(path):
        raise DatabaseError("database.not_sqlite", path=str(path))
    try:
        bad = sqlite_mod.open_time_problem(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError("database.corrupt", path=str(path), detail=str(exc)) from exc
    if bad:
        raise DatabaseError("database.corrupt", path=str(path), detail=bad)


def upgrade(db_url: str, *, backup_dir: Path | None,
            progress: Callable[[str], None] | None = None) -> list[Path]:
    """Bring a database to the head revision; returns the backups taken.

    SQLite: an online backup first (unless the database is new), then the migration on
    its own connection with foreign keys off, then ``PRAGMA foreign_key_check``.
    """
    path = _sqlite_path(db_url)
    engine = create_engine(db_url, poolclass=NullPool)
    backups: list[Path] = []
    try:
        current = current_revision(engine)
        if current == SCHEMA_HEAD:
            return backups
        from alembic import command
        from alembic.script import ScriptDirectory

        head = head_revision()
        known = {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError("database.too_new", revision=current)
        if current is not None and path is not None and backup_dir is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            target = backup_dir / f"{path.stem}-before-{head}-{stamp}.sqlite3"
            if progress:
                progress("backup")
            sqlite_mod.online_backup(path, target)
            backups.append(target)
        if progress:
            progress("migrate")
        with engine.connect() as conn:
            if path is not None:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            if path is not None:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError("database.migration_foreign_keys", count=len(broken))
        return backups
    finally:
        engine.dispose()


def open_database(target: str | Path, *, create: bool = False, backup_dir: Path | None = None) -> Database:
    """Open (or with ``create`` make) a database and bring its schema up to date.

    Raises:
        DatabaseError: ``database.missing``, ``database.exists`` (create on an existing
            file), ``database.not_sqlite``, ``database.corrupt``, ``database.foreign``
            (a SQLite file that is not a Wushe database), ``database.too_new``,
            ``database.locked``, ``database.readonly``; for a server address
            ``database.bad_url``, ``database.driver_missing``, ``database.server_unreachable``,
            ``database.server_login_refused``, ``database.server_no_database``.
    """
    url = to_url(target)
    _check_url(url)
    path = _sqlite_path(url)
    if path is not None:
        if create:
            if path.exists() and path.stat().st_size > 0:
                raise DatabaseError("database.exists", path=str(path))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError("database.readonly", path=str(path.parent), detail=str(exc)) from exc
        else:
            _check_file(path)
            _refuse_foreign(url)
    try:
        if path is None and create:
            _refuse_non_empty_server_database(url)
        backups = upgrade(url, backup_dir=backup_dir or (path.parent / "backups" if path else None))
    except OperationalError as exc:
        raise map_operational_error(exc, path, None if path else _server(url)) from exc
    engine = _engine(url, immediate=True)
    read_engine = _engine(url, immediate=False)
    sessions = sessionmaker(engine, expire_on_commit=False)
    tracking.install(sessions)
    read_sessions = sessionmaker(read_engine, expire_on_commit=False)
    return Database(url, engine, read_engine, sessions, read_sessions, path, backups)


def _refuse_non_empty_server_database(url: str) -> None:
    """``create`` on a server database (PostgreSQL) that already holds tables: refused."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        tables = inspect(engine).get_table_names()  # a connection error is mapped by the caller
    finally:
        engine.dispose()
    if tables:
        raise DatabaseError("database.exists", path=make_url(url).render_as_string())


def _refuse_foreign(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        tables = set(inspect(engine).get_table_names())
    except SADatabaseError as exc:
        raise DatabaseError("database.corrupt", detail=str(exc)) from exc
    finally:
        engine.dispose()
    if tables and "alembic_version" not in tables:
        raise DatabaseError("database.foreign", tables=len(tables))


def map_operational_error(exc: OperationalError, path: Path | None, server: str | None = None) -> DatabaseError:
    """Map SQLite's and the database server's error messages to our codes (done once,
    here: STYLE.md §1). ``server`` names a PostgreSQL server (``host:port/database``)."""
    message = str(exc.orig).lower() if exc.orig else str(exc).lower()
    where = str(path) if path else ""
    if server is not None:
        if "password authentication failed" in message or "authentication failed" in message \
                or "no password supplied" in message or ("role" in message and "does not exist" in message):
            return DatabaseError("database.server_login_refused", server=server)
        if "database" in message and "does not exist" in message:
            return DatabaseError("database.server_no_database", server=server)
        if "connection" in message or "could not translate host name" in message or "timeout" in message \
                or "timed out" in message:
            return DatabaseError("database.server_unreachable", server=server, detail=message)
    if "locked" in message or "busy" in message:
        return DatabaseError("database.locked", path=where)
    if "readonly" in message or "read-only" in message:
        return DatabaseError("database.readonly", path=where)
    if "disk is full" in message or "database or disk is full" in message:
        return DatabaseError("database.disk_full", path=where)
    if "malformed" in message or "not a database" in message:
        return DatabaseError("database.corrupt", path=where)
    if "unable to open" in message:
        return DatabaseError("database.cannot_open", path=where)
    return DatabaseError("database.error", path=where, detail=message)


__all__ = [
    "Database",
    "current_revision",
    "head_revision",
    "map_operational_error",
    "open_database",
    "to_url",
    "upgrade",
]
