"""The export's fast SQLite reader gives exactly the rows ``json_ready`` makes through SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import orjson
from sqlalchemy import Table, Time, select

from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.export import _rows, json_ready
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


def test_rows_are_read_a_batch_at_a_time_within_the_range(db: Database, actor: Actor) -> None:
    generate_demo(db, actor, DemoSize(cases=6, volunteers=2, activities=2), seed=5)
    table: Table = Person.__table__  # type: ignore[attr-defined]
    with db.read_sessions() as session:
        versions = [r["row_version"] for r in _rows(db, session, table, STATION, 0, 2**62)]
        assert versions == sorted(versions) and len(versions) > 2
        low, high = versions[0], versions[-2]
        middle = [r["row_version"] for r in _rows(db, session, table, STATION, low, high)]
        assert middle == [v for v in versions if low < v <= high]
        assert list(_rows(db, session, table, "150121999999", 0, 2**62)) == []
