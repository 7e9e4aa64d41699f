"""The upload spreadsheet for the national volunteer system: template as data, full IDs as text."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from wushe_desktop.domain.enums import Role
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import ConfigError, PermissionDenied, ValidationError, WusheError
from wushe_desktop.services.context import Actor
from wushe_desktop.services.station import set_setting
from wushe_desktop.services.volunteer_system import (
    DEFAULT_TEMPLATE,
    SETTING_KEY,
    current_template,
    default_template,
    export_for_volunteer_system,
    parse_template,
    save_template,
    template_value,
)
from wushe_desktop.services.volunteers import (
    HoursInput,
    VolunteerInput,
    add_hours,
    confirm_hours,
    register_volunteer,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog

ID_X = "15010219900307004"  # female (even), check character X
ID = ID_X + id_number_check_char(ID_X)


@pytest.fixture
def volunteers(db: Database, actor: Actor) -> Database:
    """苏日娜 (ID ending in X) with two confirmed lines and one pending; 巴特尔 with none."""
    assert ID.endswith("X")
    suri = register_volunteer(db, actor, VolunteerInput(
        name="苏日娜", id_number=ID, phone="13847112345", teams=("青年志愿服务队",), national_no="NV150102001"),
        today=date(2026, 3, 1)).volunteer
    register_volunteer(db, actor, VolunteerInput(name="巴特尔·额尔敦", phone="13904711234"), today=date(2026, 3, 1))
    lines = [add_hours(db, actor, HoursInput(suri.uuid, date(2026, 3, 14), sign_in=time(9, 0), sign_out=time(12, 30),
                                              place="什报气村", content="陪伴独居老人"), today=date(2026, 11, 1)),
             add_hours(db, actor, HoursInput(suri.uuid, date(2026, 10, 2), minutes=120, content="重阳节活动"),
                       today=date(2026, 11, 1))]
    confirm_hours(db, actor, [line.uuid for line in lines])
    add_hours(db, actor, HoursInput(suri.uuid, date(2026, 10, 20), minutes=60), today=date(2026, 11, 1))
    return db


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = load_workbook(path)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_default_template_writes_both_sheets_with_full_ids_as_text(volunteers: Database, actor: Actor,
                                                                 tmp_path: Path) -> None:
    result = export_for_volunteer_system(volunteers, actor, tmp_path / "上传.xlsx")
    assert (result.volunteers, result.hours_lines, result.hours_tenths) == (2, 2, 55)
    sheets = _sheets(result.path)
    assert list(sheets) == ["志愿者信息", "服务时长"]
    people = sheets["志愿者信息"]
    assert people[0][:5] == ["姓名", "性别", "出生日期", "证件类型", "证件号码"]
    suri = next(row for row in people if row[0] == "苏日娜")
    assert suri[4] == ID and isinstance(suri[4], str)  # full, as text: Excel would round a number
    assert suri[1] == "女" and suri[2] == "1990-03-07"
    assert "青年志愿服务队" in suri
    assert any(row[0] == "巴特尔·额尔敦" for row in people)
    hours = sheets["服务时长"]
    assert hours[0][6] == "服务时长（小时）"
    assert [(row[3], row[6]) for row in hours[1:]] == [("2026-03-14", 3.5), ("2026-10-02", 2.0)]  # pending left out
    assert hours[1][4:6] == ["09:00", "12:30"]


def test_period_limits_the_hours_but_not_the_volunteers(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    result = export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx", date_from=date(2026, 10, 1),
                                         date_to=date(2026, 10, 31))
    assert (result.volunteers, result.hours_lines, result.hours_tenths) == (2, 1, 20)


def test_the_template_is_a_setting(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    set_setting(volunteers, actor, SETTING_KEY, {
        "volunteers": {"sheet": "志愿者", "columns": [["证件号码", "id_number"], ["志愿者姓名", "name"]]},
        "hours": {"sheet": "时长", "columns": [["证件号码", "id_number"], ["时长", "hours"], ["日期", "service_date"]]},
    })
    sheets = _sheets(export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx").path)
    assert sheets["志愿者"][0] == ["证件号码", "志愿者姓名"]
    assert sheets["时长"][1] == [ID, 3.5, "2026-03-14"]


def test_a_bad_template_is_named_and_nothing_is_written(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    broken = {"volunteers": DEFAULT_TEMPLATE["volunteers"],
              "hours": {"sheet": "时长", "columns": [["身高", "height"]]}}
    with pytest.raises(ConfigError) as raised:
        parse_template(broken)
    assert raised.value.code == "volunteer_system.unknown_field"
    assert raised.value.params["field_name"] == "height"
    set_setting(volunteers, actor, SETTING_KEY, broken)
    with pytest.raises(ConfigError):
        export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(ConfigError) as raised:
        parse_template({"volunteers": {"columns": []}})
    assert raised.value.code == "volunteer_system.bad_template"


def test_the_current_template_is_saved_checked_and_audited(volunteers: Database, actor: Actor,
                                                           tmp_path: Path) -> None:
    assert current_template(volunteers) == default_template()
    assert template_value(default_template()) == DEFAULT_TEMPLATE
    mine = parse_template({"volunteers": {"sheet": "志愿者", "columns": [["姓名", "name"], ["身份证号", "id_number"]]},
                           "hours": {"sheet": "时长", "columns": [["姓名", "name"], ["小时", "hours"]]}})
    assert save_template(volunteers, actor, mine) == mine
    assert current_template(volunteers) == mine
    with volunteers.read_sessions() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "setting")).all()
        assert [row.details for row in rows] == [{"key": SETTING_KEY}]
    sheets = _sheets(export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx").path)
    assert sheets["志愿者"][0] == ["姓名", "身份证号"] and sheets["时长"][0] == ["姓名", "小时"]

    with pytest.raises(PermissionDenied):
        save_template(volunteers, Actor("李娜", Role.SOCIAL_WORKER), default_template())
    hours = DEFAULT_TEMPLATE["hours"]
    refused = [
        ({"volunteers": {"sheet": "志愿者/2026", "columns": [["姓名", "name"]]}, "hours": hours},
         "volunteer_system.bad_sheet_name"),
        ({"volunteers": {"sheet": "志愿者" * 11, "columns": [["姓名", "name"]]}, "hours": hours},
         "volunteer_system.bad_sheet_name"),
        ({"volunteers": {"sheet": "服务时长", "columns": [["姓名", "name"]]}, "hours": hours},
         "volunteer_system.same_sheet_names"),
        ({"volunteers": {"sheet": "志愿者", "columns": []}, "hours": hours}, "volunteer_system.bad_template"),
    ]
    for bad, code in refused:
        with pytest.raises(ConfigError) as raised:
            save_template(volunteers, actor, bad)
        assert raised.value.code == code
    assert current_template(volunteers) == mine  # nothing stored by a refused save


def test_needs_export_and_reveal_and_is_audited(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    worker = Actor(name="李娜", role=Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        export_for_volunteer_system(volunteers, worker, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx")
    with volunteers.read_sessions() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "volunteer_system_export")).one()
        assert row.details["volunteers"] == 2 and row.details["hours_lines"] == 2


def test_reversed_period_is_refused(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as raised:
        export_for_volunteer_system(volunteers, actor, tmp_path / "x.xlsx", date_from=date(2026, 11, 1),
                                    date_to=date(2026, 1, 1))
    assert raised.value.code == "period.order"


def test_an_unwritable_place_is_a_clear_error(volunteers: Database, actor: Actor, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "U盘"
    not_a_folder.write_text("a file where a folder should be")
    with pytest.raises(WusheError) as raised:
        export_for_volunteer_system(volunteers, actor, not_a_folder / "x.xlsx")
    assert raised.value.code == "export.cannot_write"
    with volunteers.read_sessions() as s:  # nothing recorded as exported
        assert s.scalars(select(AuditLog).where(AuditLog.action == "volunteer_system_export")).first() is None
