"""Migrations agree with the models, and old databases upgrade with nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from wushe_desktop.errors import DatabaseError
from wushe_desktop.services.checks import run_checks
from wushe_desktop.services.context import Actor
from wushe_desktop.storage.db import current_revision, head_revision, open_database
from wushe_desktop.storage.models import Base, Case, ServiceRecord

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.sqlite3", create=True)
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()


def _contents(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every table's columns and rows (sorted), read with plain sqlite3."""
    raw = sqlite3.connect(path)
    try:
        tables = [r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        found = {}
        for table in tables:
            columns = [r[1] for r in raw.execute(f'PRAGMA table_info("{table}")')]
            rows = raw.execute(f'SELECT * FROM "{table}"').fetchall()
            found[table] = (columns, sorted(rows, key=repr))
        return found
    finally:
        raw.close()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("schema-*.sqlite3")))
def test_every_released_schema_upgrades_and_keeps_its_records(tmp_path: Path, actor: Actor, fixture: str) -> None:
    """A database made by an earlier release opens in this one with every row and value kept.

    Tables and columns may be added by later migrations; every table and column the old
    release had keeps all its rows and values, and a backup of the old file is taken first.
    """
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    before = _contents(path)
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.read_sessions() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == len(before["case_file"][1]) > 0
            assert s.scalar(select(func.count()).select_from(ServiceRecord)) == len(before["service_record"][1]) > 0
        assert all(f.ok for f in run_checks(db, actor))
        assert db.backups and all(b.is_file() for b in db.backups)  # the pre-migration copy
        assert _contents(db.backups[0]) == before
    finally:
        db.dispose()
    after = _contents(path)
    for table, (columns, rows) in before.items():
        assert table in after, f"table {table} was dropped"
        new_columns, new_rows = after[table]
        keep = [new_columns.index(c) for c in columns]
        assert sorted((tuple(r[i] for i in keep) for r in new_rows), key=repr) == rows, table


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert info.value.code == "database.too_new"
    assert path.read_bytes() == before


def test_foreign_and_corrupt_files_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as info:
        open_database(foreign)
    assert info.value.code == "database.foreign"
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseError) as info:
        open_database(text)
    assert info.value.code == "database.not_sqlite"
    broken = tmp_path / "broken.sqlite3"
    data = bytearray((FIXTURES / "schema-0001.sqlite3").read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    broken.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as info:
        open_database(broken)
    assert info.value.code == "database.corrupt"
    with pytest.raises(DatabaseError) as info:
        open_database(tmp_path / "missing.sqlite3")
    assert info.value.code == "database.missing"


def test_schema_head_constant_matches_the_migrations() -> None:
    from wushe_desktop.storage.db import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD
