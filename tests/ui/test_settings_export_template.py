"""设置 → 志愿服务系统导出: edit the upload file's layout, save it checked, export with it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import Role
from wushe_desktop.services.context import Actor
from wushe_desktop.services.volunteer_system import (
    current_template,
    default_template,
    save_template,
)
from wushe_desktop.ui import volunteer_system_tab as tab_module
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.settings_page import SettingsPage
from wushe_desktop.ui.volunteer_system_tab import SheetEditor, VolunteerSystemTab


@pytest.fixture
def tab(qtbot: QtBot, ctx: UiContext) -> Iterator[VolunteerSystemTab]:
    save_template(ctx.db, ctx.actor, default_template())  # each test starts from the default layout
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    page.tabs.setCurrentWidget(page.volunteer_system)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "志愿服务系统导出"
    yield page.volunteer_system
    wait_idle(qtbot, ctx)


def _row_of(editor: SheetEditor, header: str) -> int:
    return [h for h, _f in editor.columns()].index(header)


def _saved(qtbot: QtBot, tab: VolunteerSystemTab) -> None:
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.save_button.click()


def test_an_edited_layout_is_saved_and_the_export_follows_it(qtbot: QtBot, tab: VolunteerSystemTab, ctx: UiContext,
                                                             tmp_path: Path, told: list[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    volunteers = tab.volunteers
    assert volunteers.sheet_name.text() == "志愿者信息" and volunteers.columns()[0] == ("姓名", "name")
    field_box = volunteers.table.cellWidget(0, 1)
    assert field_box.currentText() == "姓名" and field_box.findText("证件号码（完整）") >= 0
    volunteers.table.item(0, 0).setText("志愿者姓名")  # rename a header
    volunteers.table.selectRow(_row_of(volunteers, "证件类型"))
    volunteers.remove_button.click()  # remove a column
    volunteers.table.selectRow(_row_of(volunteers, "联系电话"))
    volunteers.up_button.click()  # 联系电话 before 证件号码 now
    hours = tab.hours
    hours.sheet_name.setText("时长记录")
    hours.table.selectRow(hours.table.rowCount() - 1)
    hours.add_button.click()  # a new last column, for a field not used yet
    assert hours.columns()[-1] == ("站内志愿者编号", "volunteer_no")
    _saved(qtbot, tab)

    stored = current_template(ctx.db)
    wanted_volunteers = [h for h, _f in default_template().volunteers.columns if h != "证件类型"]
    wanted_volunteers[0] = "志愿者姓名"
    at = wanted_volunteers.index("联系电话")
    wanted_volunteers[at - 1], wanted_volunteers[at] = wanted_volunteers[at], wanted_volunteers[at - 1]
    assert [h for h, _f in stored.volunteers.columns] == wanted_volunteers
    assert stored.volunteers.columns[0] == ("志愿者姓名", "name")
    assert stored.hours.sheet == "时长记录" and stored.hours.columns[-1] == ("站内志愿者编号", "volunteer_no")

    out = tmp_path / "upload.xlsx"
    monkeypatch.setattr(tab_module, "ask_save_path", lambda _p, _t, _s: out)
    tab.export_button.click()
    dialog = tab.export_dialog
    assert dialog is not None and dialog.isVisible() and "完整证件号码" in dialog.warning.text()
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        dialog.export_button.click()  # no file typed: asks where (replaced above)
    result = blocker.args[0]
    assert result.path == out and result.volunteers > 0
    assert told and f"{result.volunteers} 名志愿者" in told[-1] and "完整证件号码" in told[-1]
    book = load_workbook(out)
    assert book.sheetnames == ["志愿者信息", "时长记录"]
    rows = list(book["志愿者信息"].iter_rows(values_only=True))
    assert list(rows[0]) == wanted_volunteers and len(rows) == result.volunteers + 1
    hour_rows = list(book["时长记录"].iter_rows(values_only=True))
    assert list(hour_rows[0]) == [h for h, _f in stored.hours.columns] and len(hour_rows) == result.hours_lines + 1

    # Only the hours of a period (none in 2000); the volunteers are all there still.
    tab.export_button.click()
    again = tab.export_dialog
    assert again is not None and again is not dialog
    again.limit.setChecked(True)
    again.date_from.setDate(date(2000, 1, 1))
    again.date_to.setDate(date(2000, 12, 31))
    again.file.setText(str(tmp_path / "2000"))
    with qtbot.waitSignal(again.exported, timeout=30_000) as second:
        again.export_button.click()
    assert second.args[0].path == tmp_path / "2000.xlsx"
    assert (second.args[0].volunteers, second.args[0].hours_lines) == (result.volunteers, 0)

    tab.reset_button.click()
    assert tab.volunteers.columns() == list(default_template().volunteers.columns)
    _saved(qtbot, tab)
    assert current_template(ctx.db) == default_template()


def test_unsaved_changes_are_saved_before_the_export(qtbot: QtBot, tab: VolunteerSystemTab, ctx: UiContext,
                                                     tmp_path: Path, questions: list[str]) -> None:
    tab.hours.table.item(0, 0).setText("志愿者")
    tab.export_button.click()
    assert questions and "尚未保存" in questions[-1]
    qtbot.waitUntil(lambda: tab.export_dialog is not None, timeout=10_000)
    assert current_template(ctx.db).hours.columns[0] == ("志愿者", "name")
    assert tab.export_dialog is not None
    tab.export_dialog.reject()


def test_a_bad_layout_cannot_be_saved(qtbot: QtBot, tab: VolunteerSystemTab, ctx: UiContext) -> None:
    before = current_template(ctx.db)
    hours = tab.hours
    while hours.table.rowCount():
        hours.table.selectRow(0)
        hours.remove_button.click()
    tab.save_button.click()
    assert hours.error.text() == "请至少添加一列。"
    wait_idle(qtbot, ctx)
    assert current_template(ctx.db) == before

    tab.show_template(before)
    tab.volunteers.sheet_name.setText("志愿者/2026")
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.volunteers.error.isVisible(), timeout=10_000)
    assert "志愿者/2026" in tab.volunteers.error.text() and "反斜杠" in tab.volunteers.error.text()
    assert current_template(ctx.db) == before

    tab.volunteers.sheet_name.setText(before.hours.sheet)  # both sheets with one name
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.hours.error.isVisible(), timeout=10_000)
    assert tab.hours.error.text() == "两个表的名称不能相同。"
    wait_idle(qtbot, ctx)
    assert current_template(ctx.db) == before


def test_a_social_worker_sees_the_layout_read_only_and_cannot_export(qtbot: QtBot, ctx: UiContext) -> None:
    worker = make_context(ctx.db, Opening(ctx.station, Actor("李娜", Role.SOCIAL_WORKER)))
    try:
        page = SettingsPage(worker)
        qtbot.addWidget(page)
        page.show()
        tab = page.volunteer_system
        page.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: tab.volunteers.table.rowCount() > 0, timeout=10_000)
        assert tab.volunteers.sheet_name.isReadOnly() and not tab.volunteers.table.cellWidget(0, 1).isEnabled()
        assert not tab.volunteers.add_button.isVisible() and not tab.hours.remove_button.isVisible()
        assert not tab.save_button.isVisible() and not tab.reset_button.isVisible()
        assert not tab.export_button.isVisible()
        tab.export()
        assert tab.export_dialog is None
        wait_idle(qtbot, worker)
    finally:
        worker.shutdown()
