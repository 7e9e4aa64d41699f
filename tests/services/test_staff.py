"""Staff, communities and supervision records."""

from __future__ import annotations

from datetime import date

import pytest

from wushe_desktop.domain.enums import CommunityKind, Role, SupervisionForm
from wushe_desktop.errors import PermissionDenied, ValidationError
from wushe_desktop.services.context import Actor
from wushe_desktop.services.staff import (
    StaffInput,
    SupervisionInput,
    add_community,
    add_staff,
    add_training,
    list_communities,
    list_staff,
    record_supervision,
    staff_leaves,
)
from wushe_desktop.storage.db import Database


def test_staff_lifecycle(db: Database, actor: Actor) -> None:
    wulan = add_staff(db, actor, StaffInput("乌兰", Role.STATION_HEAD, phone="0471-1234567", sw_cert_level="社会工作师"))
    lina = add_staff(db, actor, StaffInput("李娜", Role.SOCIAL_WORKER, phone="13812345678"))
    assert {s.name for s in list_staff(db, actor)} == {"乌兰", "李娜"}
    add_training(db, actor, lina.uuid, date(2026, 10, 1), "儿童保护专题培训", 65, today=date(2026, 11, 25))
    staff_leaves(db, actor, lina.uuid, date(2026, 11, 20))
    assert [s.name for s in list_staff(db, actor)] == ["乌兰"]
    assert wulan.phone == "0471-1234567"
    with pytest.raises(PermissionDenied):
        add_staff(db, Actor("李娜", Role.SOCIAL_WORKER), StaffInput("张伟", Role.SOCIAL_WORKER))


def test_communities_are_unique_by_name(db: Database, actor: Actor) -> None:
    add_community(db, actor, "什报气村", CommunityKind.VILLAGE, "150121101201")
    add_community(db, actor, "乌兰嘎查", CommunityKind.GACHA)
    with pytest.raises(ValidationError) as info:
        add_community(db, actor, "什报气村", CommunityKind.VILLAGE)
    assert info.value.code == "community.duplicate"
    assert {c.name for c in list_communities(db, actor)} == {"什报气村", "乌兰嘎查"}


def test_supervision_record_rejects_future_dates(db: Database, actor: Actor) -> None:
    today = date(2026, 11, 25)
    record_supervision(db, actor, SupervisionInput(date(2026, 11, 20), "高娃", SupervisionForm.GROUP, 20), today=today)
    with pytest.raises(ValidationError) as info:
        record_supervision(db, actor, SupervisionInput(date(2026, 11, 26), "高娃", SupervisionForm.GROUP, 20),
                           today=today)
    assert info.value.code == "date.future"
