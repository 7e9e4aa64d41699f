"""SQLite specifics, mapped once: connection settings, online backup, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 10_000

SQLITE_MAGIC = b"SQLite format 3\x00"


def configure_engine(engine: Engine, *, immediate: bool) -> None:
    """Apply the connection settings of DESIGN.md §5 to every new connection.

    pysqlite's own transaction handling is turned off so that ``BEGIN`` is ours: write
    engines use ``BEGIN IMMEDIATE`` (take the write lock up front, so a writer never fails
    half-way on a lock upgrade); read engines use a plain deferred ``BEGIN``.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def looks_like_sqlite(path: Path) -> bool:
    """Whether the file starts with the SQLite header (an empty file counts as not)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's online backup API (never a file copy of WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


#: Small tables checked in full (``PRAGMA quick_check(table)``) every time a database opens:
#: what the app reads before anything else (schema revision, station, settings, keys).
OPEN_CHECK_TABLES = ("alembic_version", "station", "setting", "version_clock", "station_key",
                     "user_account", "centre_key", "number_sequence")


def open_time_problem(path: Path) -> str:
    """The cheap check run at every open ("" when it finds nothing); DESIGN.md §9 cold start.

    A full ``PRAGMA quick_check`` reads every page (seconds on a 1 GB station), so at open
    we only: parse the schema; read the first row of every table and the first entry of
    every index (each b-tree's root page and its leftmost path, where a torn or
    overwritten file shows first); and ``quick_check`` the few small tables read at start.
    The full ``integrity_check`` is :func:`integrity_problems` (``wushe check``, and the
    GUI's background check after start). docs/decisions.md explains the choice.

    Raises:
        sqlite3.DatabaseError: SQLite found the file malformed on the way.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        objects = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite_%'").fetchall()
        tables = {name for kind, name, _t in objects if kind == "table"}
        for kind, name, table in objects:
            if kind == "table":
                conn.execute(f'SELECT * FROM "{name}" LIMIT 1').fetchall()
            elif table in tables:
                conn.execute(f'SELECT 1 FROM "{table}" INDEXED BY "{name}" LIMIT 1').fetchall()
        for name in OPEN_CHECK_TABLES:
            if name in tables:
                found = conn.execute(f'PRAGMA quick_check("{name}")').fetchone()
                if found is None or found[0] != "ok":
                    return str(found[0]) if found else "quick_check gave no answer"
        return ""
    finally:
        conn.close()


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` findings (empty when sound)."""
    conn = sqlite3.connect(str(path))
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
        return problems
    finally:
        conn.close()
