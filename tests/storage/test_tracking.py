"""Row versions and the audit chain are written with every change."""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from wushe_desktop.domain.enums import CommunityKind
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.storage.audit import verify_chain
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog, Community
from wushe_desktop.storage.tracking import EPOCH_SHIFT, current_version


def test_insert_update_delete_take_rising_versions_and_audit_rows(db: Database, actor: Actor) -> None:
    with transaction(db, actor) as s:
        c = Community(name="什报气村", kind=CommunityKind.VILLAGE)
        s.add(c)
        s.flush()
        v1 = c.row_version
        assert c.origin == "150121101000"
    with transaction(db, actor) as s:
        c2 = s.get(Community, c.uuid)
        assert c2 is not None
        c2.name = "什报气村委会"
    with transaction(db, actor) as s:
        c3 = s.get(Community, c.uuid)
        assert c3 is not None
        v2 = c3.row_version
        from wushe_desktop.storage.types import utcnow

        c3.deleted_at = utcnow()
    with db.read_sessions() as s:
        c4 = s.get(Community, c.uuid)
        assert c4 is not None
        assert v1 < v2 < c4.row_version == current_version(s)
        rows = s.scalars(select(AuditLog).where(AuditLog.entity_uuid == str(c.uuid)).order_by(AuditLog.seq)).all()
        assert [r.action for r in rows] == ["insert", "update", "delete"]
        assert rows[1].details["fields"] == ["name"]
        assert all("什报气" not in str(r.details) for r in rows)  # names of fields, never values
    assert verify_chain(db).ok


def test_a_failed_transaction_leaves_no_version_and_no_audit_row(db: Database, actor: Actor) -> None:
    with db.read_sessions() as s:
        before = (current_version(s), s.scalar(select(func.count()).select_from(AuditLog)))
    try:
        with transaction(db, actor) as s:
            s.add(Community(name="乌兰嘎查", kind=CommunityKind.GACHA))
            s.flush()
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with db.read_sessions() as s:
        assert (current_version(s), s.scalar(select(func.count()).select_from(AuditLog))) == before


def test_tampering_with_an_audit_row_is_detected(db: Database, actor: Actor) -> None:
    for name in ("一村", "二村", "三村"):
        with transaction(db, actor) as s:
            s.add(Community(name=name, kind=CommunityKind.VILLAGE))
    assert verify_chain(db).ok
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE audit_log SET actor = '某人' WHERE seq = 3")
    conn.commit()
    conn.close()
    result = verify_chain(db)
    assert not result.ok
    assert result.first_broken == 3


def test_deleting_an_audit_row_is_detected(db: Database, actor: Actor) -> None:
    for name in ("一村", "二村", "三村"):
        with transaction(db, actor) as s:
            s.add(Community(name=name, kind=CommunityKind.VILLAGE))
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.commit()
    conn.close()
    result = verify_chain(db)
    assert not result.ok and result.first_broken == 2


def test_epoch_outranks_counter() -> None:
    assert (1 << EPOCH_SHIFT) > (1 << EPOCH_SHIFT) - 1
