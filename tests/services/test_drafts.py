"""Drafts of unsaved forms: one per form, record and user; local, never audited."""

from __future__ import annotations

import pytest

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import ValidationError
from wushe_desktop.services import drafts
from wushe_desktop.services.audit_log import query_audit
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.drafts import discard_draft, list_drafts, load_draft, save_draft
from wushe_desktop.storage.db import Database

WULAN = Actor(name="乌兰", role=Role.STATION_HEAD)
LI = Actor(name="李明", role=Role.SOCIAL_WORKER)


def test_a_draft_round_trips_and_is_replaced(db: Database) -> None:
    before = query_audit(db, CLI_ACTOR).total
    save_draft(db, WULAN, "assessment", "c0ffee00-0000-4000-8000-000000000001", {"notes": "老人独居，", "score": 3})
    save_draft(db, WULAN, "assessment", "c0ffee00-0000-4000-8000-000000000001", {"notes": "老人独居，腿脚不便"})
    save_draft(db, WULAN, "person", None, {"name": "王桂花"})
    save_draft(db, LI, "person", None, {"name": "别人的"})
    found = load_draft(db, WULAN, "assessment", "c0ffee00-0000-4000-8000-000000000001")
    assert found is not None and found.data == {"notes": "老人独居，腿脚不便"}
    mine = list_drafts(db, WULAN)
    assert sorted((d.form, d.record_uuid) for d in mine) == [
        ("assessment", "c0ffee00-0000-4000-8000-000000000001"), ("person", None)]
    assert load_draft(db, WULAN, "person", None).data == {"name": "王桂花"}  # type: ignore[union-attr]
    assert discard_draft(db, WULAN, "person", None) == 1
    assert load_draft(db, WULAN, "person", None) is None
    assert load_draft(db, LI, "person", None) is not None
    assert query_audit(db, CLI_ACTOR).total == before  # drafts are local: no audit rows


def test_an_oversized_draft_is_refused(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drafts, "MAX_DRAFT_CHARS", 10)
    with pytest.raises(ValidationError) as caught:
        save_draft(db, WULAN, "person", None, {"notes": "x" * 50})
    assert caught.value.code == "draft.too_large"
    assert list_drafts(db, WULAN) == []
