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


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("schema-*.sqlite3")))
def test_every_released_schema_upgrades_and_keeps_its_records(tmp_path: Path, actor: Actor, fixture: str) -> None:
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    raw = sqlite3.connect(path)
    before = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("case_file", "service_record", "person")}
    raw.close()
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.read_sessions() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == before["case_file"]
            assert s.scalar(select(func.count()).select_from(ServiceRecord)) == before["service_record"]
        assert all(f.ok for f in run_checks(db, actor))
    finally:
        db.dispose()


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
