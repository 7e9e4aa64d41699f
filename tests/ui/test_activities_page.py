"""The activities screen: scenario 4 (重阳节) through the forms, the roster, the hours grid,
the linked donation and the printouts, on the real demo database."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import AttendeeRole, LinkageParty, OrganiserRole
from wushe_desktop.services.activities import (
    ActivityInput,
    ActivityView,
    AttendeeInput,
    activity_detail,
    add_attendees,
    create_activity,
    get_activity,
)
from wushe_desktop.services.people import search_people
from wushe_desktop.services.resources import list_donations
from wushe_desktop.services.stats import Period, Stats, station_stats
from wushe_desktop.services.volunteers import VolunteerInput, list_hours, register_volunteer
from wushe_desktop.ui import activities_page, activity_dialogs
from wushe_desktop.ui.activities_page import ActivitiesPage, ActivityPanel
from wushe_desktop.ui.activity_dialogs import ActivityForm, HoursGridDialog, NewFaceDialog
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.resource_dialogs import DonationDialog

#: Twelve volunteers sharing a rare surname, so one search finds exactly them.
VOLUNTEERS = ("禤志强", "禤丽娜", "禤宝山", "禤桂兰", "禤德胜", "禤秀英", "禤金山", "禤玉兰", "禤福林", "禤长海",
              "禤凤英", "禤淑珍")


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> Iterator[ActivitiesPage]:
    screen = ActivitiesPage(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    yield screen
    wait_idle(qtbot, ctx)


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Callable[[], bytes], str]]:
    """What the screen sent to the print preview (title, build, file name)."""
    sent: list[tuple[str, Callable[[], bytes], str]] = []
    monkeypatch.setattr(activities_page, "preview_pdf",
                        lambda _parent, _ctx, title, build, name: sent.append((title, build, name)))
    return sent


def _stats(ctx: UiContext, day: date) -> Stats:
    return station_stats(ctx.db, ctx.actor, Period(day, day))[1]


def _open(qtbot: QtBot, page: ActivitiesPage, activity_id: Any) -> ActivityPanel:
    panel = page.panel
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        page.open_activity(activity_id)
    return panel


def _festival(ctx: UiContext, title: str = "重阳节敬老活动") -> ActivityView:
    return create_activity(ctx.db, ctx.actor, ActivityInput(title, "festival_visit", date.today()))


def _roster_names(ctx: UiContext, activity_id: Any) -> dict[str, tuple[AttendeeRole, bool]]:
    return {a.name: (a.role, a.signed) for a in activity_detail(ctx.db, ctx.actor, activity_id).attendees}


def test_scenario4_double_ninth_moves_the_figures_by_exactly_what_was_entered(
        qtbot: QtBot, ctx: UiContext, page: ActivitiesPage, monkeypatch: pytest.MonkeyPatch) -> None:
    day = date.today()
    before = _stats(ctx, day)
    for name in VOLUNTEERS:
        register_volunteer(ctx.db, ctx.actor, VolunteerInput(name=name))

    # a week before: 李娜 creates the activity with its organisers
    form = ActivityForm(ctx)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.ready, timeout=10_000):
        form.show()
    form.title.setText("重阳节敬老慰问活动")
    form.activity_type.setCurrentIndex(form.activity_type.findData("festival_visit"))
    form.area_boxes["elderly"].setChecked(True)
    form.area_boxes["governance"].setChecked(True)
    form.group_boxes["GL"].setChecked(True)
    form.starts_at.setText("9:00")
    form.ends_at.setText("11:30")
    form.place.setText("什报气村村委会")
    form.add_organiser("什报气村村民委员会", OrganiserRole.HOST, LinkageParty.COMMUNITY)
    form.add_organiser("土默特左旗老年协会", OrganiserRole.ORGANISER, LinkageParty.SOCIAL_ORG)
    form.add_organiser("毕克齐镇社工站志愿服务队", OrganiserRole.PARTNER, LinkageParty.VOLUNTEER_TEAM)
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    created = form.saved
    assert created is not None
    assert [(o.name, o.role, o.linkage_party) for o in created.organisers] == [
        ("什报气村村民委员会", OrganiserRole.HOST, LinkageParty.COMMUNITY),
        ("土默特左旗老年协会", OrganiserRole.ORGANISER, LinkageParty.SOCIAL_ORG),
        ("毕克齐镇社工站志愿服务队", OrganiserRole.PARTNER, LinkageParty.VOLUNTEER_TEAM)]
    assert created.service_areas == ("elderly", "governance") and created.starts_at is not None
    # 9:00 at the station (Asia/Shanghai), whatever zone the PC is set to (this one: UTC)
    assert f"{created.starts_at.astimezone(ZoneInfo('Asia/Shanghai')):%H:%M}" == "09:00"

    # Ctrl+N on the screen opens the form and then the new activity's view
    monkeypatch.setattr(ActivityForm, "ask", classmethod(lambda cls, parent, c, activity=None: created))
    with qtbot.waitSignal(page.panel.loaded, timeout=10_000):
        assert page.new_record() is True
    panel = page.panel
    assert page.stack.currentWidget() is panel and panel.activity_id == created.uuid
    assert "土默特左旗老年协会" in panel.info.text()

    # the roster: the twelve volunteers from one search, a registered elder, a new face
    panel.search.setText("禤")
    panel.run_search()
    qtbot.waitUntil(lambda: panel.results.count() == len(VOLUNTEERS), timeout=10_000)
    panel.results.selectAll()
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.add_button.click()
    elder = search_people(ctx.db, ctx.actor, "wgh")[0]
    assert panel.search.text() == "" and panel.results.count() == 0  # ready for the next name
    panel.search.setText("wgh")
    panel.run_search()
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=10_000)
    assert panel.results.item(0).text().startswith(f"{elder.name} · 服务对象")
    panel.results.item(0).setSelected(True)
    assert panel.role.currentData() is None  # as registered: a person served is served
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.add_button.click()
    face = NewFaceDialog(ctx, created.uuid, panel)
    qtbot.addWidget(face)
    face.name.setText("张凤兰")
    with qtbot.waitSignal(face.finished, timeout=10_000):
        face.save_button.click()
    assert face.saved is not None
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.reload()
    roster = _roster_names(ctx, created.uuid)
    assert {n for n, (role, _s) in roster.items() if role == AttendeeRole.VOLUNTEER} == set(VOLUNTEERS)
    assert roster[elder.name] == (AttendeeRole.BENEFICIARY, True) and "张凤兰" in roster
    assert any(p.name == "张凤兰" for p in search_people(ctx.db, ctx.actor, "张凤兰"))  # registered on the spot
    assert panel.roster.rowCount() == len(VOLUNTEERS) + 2

    # ticking attendance: the elder did not come after all, then did
    row = next(r for r in range(panel.roster.rowCount()) if panel.roster.item(r, 1).text() == elder.name)
    panel.set_ticked(row, False)
    wait_idle(qtbot, ctx)
    assert _roster_names(ctx, created.uuid)[elder.name][1] is False
    panel.set_ticked(row, True)
    wait_idle(qtbot, ctx)
    assert _roster_names(ctx, created.uuid)[elder.name][1] is True

    # hours for all twelve volunteers in one grid, one write
    writes: list[int] = []
    real_bulk = activity_dialogs.add_hours_bulk

    def counted_bulk(*args: Any, **kwargs: Any) -> Any:
        writes.append(len(args[3]))
        return real_bulk(*args, **kwargs)

    monkeypatch.setattr(activity_dialogs, "add_hours_bulk", counted_bulk)
    grid = HoursGridDialog(ctx, panel.screen_data.detail.activity, panel.grid_volunteers(), panel)  # type: ignore[union-attr]
    qtbot.addWidget(grid)
    assert grid.grid.rowCount() == 12 and grid.fill_in.text() == "09:00" and grid.fill_out.text() == "11:30"
    grid.fill_content.setText("陪伴老人、分发慰问品")
    grid.fill_empty_rows()
    grid.set_row(0, hours="2")  # 禤志强 left early: two hours
    with qtbot.waitSignal(grid.finished, timeout=10_000):
        grid.save_button.click()
    assert writes == [12]
    lines = list_hours(ctx.db, ctx.actor, activity_id=created.uuid)
    assert len(lines) == 12 and sorted(line.minutes for line in lines) == [120] + [150] * 11
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.reload()
    assert panel.hours_table.rowCount() == 12

    # the dairy's 50 boxes of milk, linked to the activity
    donation = DonationDialog(ctx, panel, activity=panel.screen_data.detail.activity)  # type: ignore[union-attr]
    qtbot.addWidget(donation)
    donation.donor_name.setText("毕克齐镇乳业有限公司")
    donation.items.item(0, 0).setText("纯牛奶")
    donation.items.item(0, 1).setText("250ml×24")
    donation.items.item(0, 2).setText("50")
    donation.items.item(0, 3).setText("箱")
    donation.items.item(0, 4).setText("60")
    donation.items.item(0, 5).setText("市场价")
    donation.receipt_no.setText("NMGCS-2026-1018")
    with qtbot.waitSignal(donation.finished, timeout=10_000):
        donation.save_button.click()
    assert donation.saved is not None and donation.saved.goods_value_fen == 300_000
    assert [d.uuid for d in list_donations(ctx.db, ctx.actor, activity_id=created.uuid)] == [donation.saved.uuid]

    # afterwards: the counts and the summary, through the edit form
    edit = ActivityForm(ctx, panel, get_activity(ctx.db, ctx.actor, created.uuid))
    qtbot.addWidget(edit)
    with qtbot.waitSignal(edit.ready, timeout=10_000):
        edit.show()
    assert edit.organisers.rowCount() == 3 and edit.starts_at.text() == "09:00"
    for name, value in (("social_workers", 3), ("volunteers", 12), ("caring_people", 8), ("beneficiaries", 60)):
        edit.counts[name].setValue(value)
    edit.summary.setPlainText("为 60 位老人送去慰问品，志愿者陪伴聊天、义诊。")
    with qtbot.waitSignal(edit.finished, timeout=10_000):
        edit.save_button.click()
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.reload()
    assert panel.donations_table.rowCount() == 1 and "纯牛奶" in panel.donations_table.item(0, 3).text()

    after = _stats(ctx, day)
    assert after.activities - before.activities == 1
    assert after.beneficiary_person_times - before.beneficiary_person_times == 60
    assert (after.participant_person_times.social_workers - before.participant_person_times.social_workers,
            after.participant_person_times.volunteers - before.participant_person_times.volunteers,
            after.participant_person_times.caring_people - before.participant_person_times.caring_people) == (3, 12, 8)
    assert round(after.goods_value_yuan - before.goods_value_yuan, 2) == 3000.0
    assert after.funds_raised_yuan == before.funds_raised_yuan


def _numbers(pdf: bytes) -> list[int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [int(n) for n in re.findall(r"(?m)^\s*(\d{1,3})\s*$", text)]


def test_the_blank_sign_in_sheet_has_80_numbered_rows(qtbot: QtBot, ctx: UiContext, page: ActivitiesPage,
                                                      printed: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def rows(_parent: object) -> int:
        asked.append(activity_dialogs.BLANK_ROWS)
        return activity_dialogs.BLANK_ROWS  # the user keeps the offered number

    monkeypatch.setattr(activity_dialogs, "ask_blank_rows", rows)
    activity = _festival(ctx, "重阳节敬老活动（签到表）")
    panel = _open(qtbot, page, activity.uuid)
    panel.blank_action.trigger()
    assert asked == [80]
    title, build, name = printed[-1]
    assert title == "空白签到表" and activity.activity_no in name
    pdf = build()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "本人签名" in text
    numbers = _numbers(pdf)
    assert set(range(1, 81)) <= set(numbers) and 81 not in numbers

    monkeypatch.setattr(activity_dialogs, "ask_blank_rows", lambda _parent: None)
    panel.print_blank_sheet()  # cancelled: nothing printed
    assert len(printed) == 1


def test_filled_sheet_and_activity_record_print_the_roster(qtbot: QtBot, ctx: UiContext, page: ActivitiesPage,
                                                           printed: list[Any]) -> None:
    activity = _festival(ctx, "健康讲座")
    add_attendees(ctx.db, ctx.actor, activity.uuid, [AttendeeInput(name="那仁高娃"), AttendeeInput(name="吴德胜")])
    panel = _open(qtbot, page, activity.uuid)
    panel.filled_action.trigger()
    panel.record_action.trigger()
    assert [t for t, _b, _n in printed] == ["签到表", "活动记录表"]
    for _title, build, _name in printed:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build())).pages)
        assert "那仁高娃" in re.sub(r"\s+", "", text)


def test_double_clicking_an_activity_in_the_list_opens_it(qtbot: QtBot, page: ActivitiesPage) -> None:
    qtbot.waitUntil(lambda: len(page.list_page.model.rows) > 0, timeout=10_000)
    row = page.list_page.model.rows[0]
    with qtbot.waitSignal(page.panel.loaded, timeout=10_000):
        page.list_page.record_activated.emit(row)
    assert page.stack.currentWidget() is page.panel and page.panel.activity_id == row.uuid
    assert page.panel.heading.text() == f"{row.title}（{row.activity_no}）"
    page.panel.back_button.click()
    assert page.stack.currentWidget() is page.list_page


def test_a_person_already_on_the_roster_is_refused_in_chinese(qtbot: QtBot, ctx: UiContext,
                                                              page: ActivitiesPage) -> None:
    activity = _festival(ctx, "入户探访")
    elder = search_people(ctx.db, ctx.actor, "wgh")[0]
    add_attendees(ctx.db, ctx.actor, activity.uuid, [AttendeeInput(person_id=elder.uuid)])
    panel = _open(qtbot, page, activity.uuid)
    panel.search.setText("wgh")
    panel.run_search()
    qtbot.waitUntil(lambda: panel.results.count() > 0, timeout=10_000)
    panel.results.item(0).setSelected(True)
    with qtbot.waitSignal(panel.roster_failed, timeout=10_000):
        panel.add_button.click()
    assert panel.roster_error.text() == "该人员已在签到名单中。"
    assert len(activity_detail(ctx.db, ctx.actor, activity.uuid).attendees) == 1


def test_a_refused_row_in_the_hours_grid_saves_nothing(qtbot: QtBot, ctx: UiContext, page: ActivitiesPage) -> None:
    activity = _festival(ctx, "志愿服务日")
    first = register_volunteer(ctx.db, ctx.actor, VolunteerInput(name="敖登格日乐")).volunteer
    second = register_volunteer(ctx.db, ctx.actor, VolunteerInput(name="斯琴图雅")).volunteer
    add_attendees(ctx.db, ctx.actor, activity.uuid, [
        AttendeeInput(volunteer_id=first.uuid, role=AttendeeRole.VOLUNTEER),
        AttendeeInput(volunteer_id=second.uuid, role=AttendeeRole.VOLUNTEER)])
    panel = _open(qtbot, page, activity.uuid)
    grid = HoursGridDialog(ctx, activity, panel.grid_volunteers(), panel)
    qtbot.addWidget(grid)
    grid.set_row(0, "09:00", "11:00")
    grid.set_row(1, "11:00", "09:00")
    with qtbot.waitSignal(grid.save_failed, timeout=10_000):
        grid.save_button.click()
    assert grid.row_results() == ["", "签退时间早于签到时间。"]
    assert grid.status.text().startswith("没有保存")
    assert list_hours(ctx.db, ctx.actor, activity_id=activity.uuid) == []
    grid.set_row(1, "xx", "")
    with qtbot.waitSignal(grid.save_failed, timeout=10_000):
        grid.save_button.click()
    assert grid.row_results()[1] == "时间请按 08:30 的格式填写。"


def test_the_activity_form_shows_errors_next_to_fields(qtbot: QtBot, ctx: UiContext) -> None:
    form = ActivityForm(ctx)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.ready, timeout=10_000):
        form.show()
    form.starts_at.setText("25:99")
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.save_button.click()
    assert form.errors() == {"title": "此项必须填写。", "starts_at": "时间请按 09:30 的格式填写。"}
    assert form.saved is None
