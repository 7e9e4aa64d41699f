"""The export's fast SQLite readers give exactly the rows ``json_ready`` makes through SQLAlchemy:
the dict reader, and the lines SQLite writes itself (parsed, the same rows)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, time
from typing import Any

import orjson
import pytest
from sqlalchemy import JSON, Column, Float, Integer, MetaData, String, Table, Time, select

from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.export import _rows, _sqlite_lines, _sqlite_lines_query, json_ready
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import SYNCED_MODELS, Person
from wushe_desktop.storage.types import UTCDateTime
from wushe_desktop.sync import bundle

STATION = "150121101000"


def _same(table: Table, fast: dict[str, Any], slow: dict[str, Any]) -> bool:
    if fast.keys() != slow.keys():
        return False
    for column in table.columns:
        a, b = fast[column.name], slow[column.name]
        if isinstance(column.type, UTCDateTime) and a is not None and b is not None:
            # the stored text keeps ".000000" where isoformat() drops it: the same instant
            if datetime.fromisoformat(a) != datetime.fromisoformat(b) or not a.endswith("+00:00"):
                return False
        elif isinstance(column.type, Time) and a is not None and b is not None:
            if time.fromisoformat(a) != time.fromisoformat(b):  # "09:00:00.000000" as stored
                return False
        elif a != b or type(a) is not type(b):
            return False
    return True


def test_every_synced_table_reads_the_same_as_through_sqlalchemy(db: Database, actor: Actor) -> None:
    generate_demo(db, actor, DemoSize(cases=12, volunteers=6, activities=4), seed=3)
    with transaction(db, actor) as s:  # a soft-deleted row travels with its deleted_at
        s.scalars(select(Person).limit(1)).one().deleted_at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    tables_with_rows = 0
    with db.read_sessions() as session:
        for model in SYNCED_MODELS:
            table: Table = model.__table__  # type: ignore[attr-defined]
            fast = list(_rows(db, session, table, STATION, 0, 2**62))
            convert = json_ready(table)
            stmt = select(table).where(table.c.origin == STATION).order_by(table.c.row_version)
            slow = [convert(row) for row in session.execute(stmt)]
            assert len(fast) == len(slow), table.name
            assert all(_same(table, f, s) for f, s in zip(fast, slow, strict=True)), table.name
            for row in fast:  # and every row is a valid bundle line
                assert orjson.loads(bundle.encode_line(table.name, row)) == {"t": table.name, "r": row}
            tables_with_rows += bool(fast)
    assert tables_with_rows >= 10


def _lines(session: Any, table: Table, low: int = 0, high: int = 2**62) -> list[tuple[bytes, Any, Any, Any]]:
    query = _sqlite_lines_query(table)
    assert query is not None, table.name
    return [item for batch in _sqlite_lines(session, query, STATION, low, high) for item in batch]


def test_every_synced_table_is_written_by_sqlite_with_the_same_rows(db: Database, actor: Actor) -> None:
    generate_demo(db, actor, DemoSize(cases=12, volunteers=6, activities=4), seed=3)
    with transaction(db, actor) as s:
        person = s.scalars(select(Person).limit(1)).one()
        person.deleted_at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
        person.notes = '王桂兰 "引号" \\ \t\n\x01 \u2028 😀 </script>'  # escapes as orjson writes them
    tables_with_rows = 0
    with db.read_sessions() as session:
        for model in SYNCED_MODELS:
            table: Table = model.__table__  # type: ignore[attr-defined]
            dicts = list(_rows(db, session, table, STATION, 0, 2**62))
            lines = _lines(session, table)
            assert len(lines) == len(dicts), table.name
            for (line, row_uuid, origin, version), row in zip(lines, dicts, strict=True):
                assert type(line) is bytes and b"\n" not in line
                assert orjson.loads(line) == {"t": table.name, "r": row}, table.name
                assert (row_uuid, origin, version) == (row["uuid"], row["origin"], row["row_version"])
                if not any(isinstance(c.type, JSON) for c in table.columns):  # nested JSON may keep \\u escapes
                    assert line == bundle.encode_line(table.name, row), table.name
            tables_with_rows += bool(lines)
    assert tables_with_rows >= 10


def _dict_versions(db: Database, session: Any, table: Table, station: str, low: int, high: int) -> list[int]:
    return [r["row_version"] for r in _rows(db, session, table, station, low, high)]


def _line_versions(db: Database, session: Any, table: Table, station: str, low: int, high: int) -> list[int]:
    query = _sqlite_lines_query(table)
    assert query is not None
    return [v for batch in _sqlite_lines(session, query, station, low, high) for _line, _u, _o, v in batch]


@pytest.mark.parametrize("versions_read", [_dict_versions, _line_versions], ids=["dicts", "sqlite-lines"])
def test_rows_are_read_within_the_range_and_the_station(db: Database, actor: Actor, versions_read: Any) -> None:
    generate_demo(db, actor, DemoSize(cases=6, volunteers=2, activities=2), seed=5)
    table: Table = Person.__table__  # type: ignore[attr-defined]
    with db.read_sessions() as session:
        versions = versions_read(db, session, table, STATION, 0, 2**62)
        assert versions == sorted(versions) and len(versions) > 2
        low, high = versions[0], versions[-2]
        assert versions_read(db, session, table, STATION, low, high) == [v for v in versions if low < v <= high]
        assert versions_read(db, session, table, "150121999999", 0, 2**62) == []


def test_a_table_with_a_type_sqlite_would_write_differently_takes_the_dict_path() -> None:
    def table(*columns: Column[Any]) -> Table:
        return Table("t", MetaData(), Column("uuid", String(32)), Column("origin", String(12)),
                     Column("row_version", Integer), *columns)

    assert _sqlite_lines_query(table(Column("n", Integer))) is not None
    assert _sqlite_lines_query(table(Column("hours", Float))) is None  # REAL: SQLite writes 15 digits
    assert _sqlite_lines_query(Table("t", MetaData(), Column("uuid", String(32)))) is None  # no origin


@pytest.mark.parametrize("stored", ["NOT-A-UUID-0000000000000000000000", "ABCDEF01234567890ABCDEF012345678"])
def test_a_malformed_stored_uuid_is_refused_by_the_writer(db: Database, actor: Actor, stored: str) -> None:
    generate_demo(db, actor, DemoSize(cases=2, volunteers=1, activities=1), seed=7)
    table: Table = Person.__table__  # type: ignore[attr-defined]
    with closing(sqlite3.connect(db.path)) as conn, conn:  # foreign keys off: a damaged file, as it were
        conn.execute("UPDATE person SET uuid = ? WHERE rowid = (SELECT min(rowid) FROM person)", (stored,))
    with db.read_sessions() as session:
        batch = _lines(session, table)
    with pytest.raises(ValueError, match="uuid"):
        bundle._checked_lines("person", batch, STATION, 0, 2**62)
