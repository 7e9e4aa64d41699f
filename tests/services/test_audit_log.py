"""The audit viewer's query: filters, paging, choices, chain verification."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import PermissionDenied
from wushe_desktop.services.audit_log import AuditFilter, audit_choices, query_audit, verify_audit
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.station import set_setting
from wushe_desktop.storage.db import Database


def test_filters_and_pages(db: Database) -> None:
    for n in range(5):
        set_setting(db, CLI_ACTOR, "todo.no_contact_days", 30 + n)
    everything = query_audit(db, CLI_ACTOR)
    assert everything.total >= 6 and everything.rows[0].seq > everything.rows[-1].seq
    settings = query_audit(db, CLI_ACTOR, AuditFilter(action="setting"), limit=2)
    assert settings.total == 5 and len(settings.rows) == 2
    rest = query_audit(db, CLI_ACTOR, AuditFilter(action="setting"), offset=4, limit=2)
    assert len(rest.rows) == 1 and rest.rows[0].seq < settings.rows[-1].seq
    assert query_audit(db, CLI_ACTOR, AuditFilter(actor=CLI_ACTOR.name, entity="setting")).total == 5
    today = date.today()
    assert query_audit(db, CLI_ACTOR, AuditFilter(date_from=today - timedelta(days=1),
                                                  date_to=today + timedelta(days=1))).total == everything.total
    assert query_audit(db, CLI_ACTOR, AuditFilter(date_to=today - timedelta(days=3))).total == 0
    choices = audit_choices(db, CLI_ACTOR)
    assert "setting" in choices.actions and CLI_ACTOR.name in choices.actors and "station" in choices.entities


def test_only_the_head_reads_the_log(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        query_audit(db, Actor(name="李明", role=Role.SOCIAL_WORKER))


def test_a_tampered_row_is_named(db: Database) -> None:
    set_setting(db, CLI_ACTOR, "todo.no_contact_days", 45)
    assert verify_audit(db, CLI_ACTOR).ok
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute("UPDATE audit_log SET actor = '别人' WHERE seq = 2")
    conn.close()
    result = verify_audit(db, CLI_ACTOR)
    assert not result.ok and result.first_broken == 2
