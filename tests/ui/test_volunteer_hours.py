"""Scenario 1: the station head confirms every volunteer-hour line awaiting confirmation in
one action (its own copy of the demo database, since it changes the figures)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.services.volunteers import list_hours
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.main_window import VOLUNTEERS, MainWindow
from wushe_desktop.ui.volunteers_page import PENDING_TAB, VolunteersPage


def test_confirm_every_awaiting_line_in_one_action(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    waiting = list_hours(ctx.db, ctx.actor, status=HoursStatus.PENDING)
    assert len(waiting) == 14  # the demo's to-do list (scenario 1)
    page = window.show_page(VOLUNTEERS)
    assert isinstance(page, VolunteersPage)
    view = page.pending
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        page.tabs.setCurrentIndex(PENDING_TAB)
    assert {line.uuid for line in view.lines} == {line.uuid for line in waiting}
    assert page.tabs.tabText(PENDING_TAB) == "待确认时长（14）"
    assert not view.confirm_button.isEnabled()  # nothing ticked yet

    view.all_button.click()
    assert len(view.ticked()) == 14 and view.confirm_button.text() == "确认勾选的 14 条"
    changed: list[str] = []
    ctx.events.changed.connect(changed.append)
    messages: list[str] = []
    page.message.connect(messages.append)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.confirm_button.click()
    wait_idle(qtbot, ctx)

    assert list_hours(ctx.db, ctx.actor, status=HoursStatus.PENDING) == []
    confirmed = {line.uuid: line for line in list_hours(ctx.db, ctx.actor)}
    assert all(confirmed[line.uuid].status == HoursStatus.CONFIRMED
               and confirmed[line.uuid].confirmed_by == ctx.actor.name for line in waiting)
    assert {"hours", "volunteers"} <= set(changed)
    total = sum(line.credited_tenths for line in waiting) / 10
    assert messages[-1] == f"已确认 14 条记录，共 {total:.1f} 小时。"
    assert view.lines == [] and page.tabs.tabText(PENDING_TAB) == "待确认时长"
