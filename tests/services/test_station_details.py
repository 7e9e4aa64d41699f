"""Changing the station's own details from the settings screen."""

from __future__ import annotations

import pytest

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import PermissionDenied, ValidationError
from wushe_desktop.services.context import Actor, station_info
from wushe_desktop.services.station import station_details, update_station_details
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog, Station


def test_station_head_changes_name_address_and_phone(db: Database, actor: Actor) -> None:
    info = update_station_details(db, actor, name=" 毕克齐镇社会工作服务站 ", address="毕克齐镇政府院内",
                                  phone="0471 3312345")
    assert info.name == "毕克齐镇社会工作服务站" and station_info(db).name == info.name
    details = station_details(db, actor)
    assert (details.info.code, details.address, details.phone) == ("150121101000", "毕克齐镇政府院内", "0471-3312345")
    with db.read_sessions() as session:
        station = session.query(Station).filter(Station.is_self.is_(True)).one()
        assert (station.address, station.phone) == ("毕克齐镇政府院内", "0471-3312345")
        last = session.query(AuditLog).order_by(AuditLog.seq.desc()).first()
        assert last is not None and last.entity == "station"


def test_station_details_are_checked_and_need_the_permission(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        update_station_details(db, actor, name=" ", address="", phone="")
    assert info.value.code == "station.name_empty"
    with pytest.raises(PermissionDenied):
        update_station_details(db, Actor("李娜", Role.SOCIAL_WORKER), name="x", address="", phone="")
    assert station_info(db).name == "毕克齐镇社工站"
