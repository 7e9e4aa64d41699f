"""The settings screen: station details, lists, star thresholds, villages, staff, read-only roles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import Role
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.services.context import Actor
from wushe_desktop.services.staff import StaffInput, list_communities, list_staff
from wushe_desktop.services.station import settings, station_details, taxonomy
from wushe_desktop.services.volunteers import list_volunteers, volunteer_summary
from wushe_desktop.ui import settings_page as page_module
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.people_page import PeoplePage
from wushe_desktop.ui.settings_page import SettingsPage


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> Iterator[SettingsPage]:
    widget = SettingsPage(ctx)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    wait_idle(qtbot, ctx)
    yield widget
    wait_idle(qtbot, ctx)


def _saved(qtbot: QtBot, page: SettingsPage, button: Any) -> None:
    with qtbot.waitSignal(page.saved, timeout=10_000):
        button.click()
    wait_idle(qtbot, page._ctx)


def _choose(page: SettingsPage, kind: TaxonomyKind) -> None:
    page.list_kind.setCurrentIndex(page.list_kind.findData(kind))


def test_station_details_and_issuing_body_are_saved(qtbot: QtBot, page: SettingsPage, ctx: UiContext) -> None:
    assert page.code_label.text() == ctx.station.code and page.banner_label.text() == "土默特左旗"
    page.station_address.setText("毕克齐镇政府院内二楼")
    page.station_phone.setText("0471-3312345")
    page.issuing_body.setText("土默特左旗毕克齐镇社会工作服务站")
    _saved(qtbot, page, page.station_save)
    details = station_details(ctx.db, ctx.actor)
    assert (details.address, details.phone) == ("毕克齐镇政府院内二楼", "0471-3312345")
    assert settings(ctx.db)["certificate.issuing_body"] == "土默特左旗毕克齐镇社会工作服务站"


def test_a_renamed_category_shows_in_the_people_filter(qtbot: QtBot, page: SettingsPage, ctx: UiContext,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    people = PeoplePage(ctx)
    qtbot.addWidget(people)
    with qtbot.waitSignal(people.list_page.loaded, timeout=20_000):
        people.show()
    old = taxonomy(ctx.db, ctx.actor, TaxonomyKind.PERSON_CATEGORY)["DB"]
    assert people.list_page.filter.findText(old) > 0

    _choose(page, TaxonomyKind.PERSON_CATEGORY)
    qtbot.waitUntil(lambda: page.list_items.count() > 0 and page.entries is not None
                    and page.entries.kind == TaxonomyKind.PERSON_CATEGORY, timeout=10_000)
    row = next(i for i in range(page.list_items.count()) if page.list_items.item(i).text() == old)
    page.list_items.setCurrentRow(row)
    monkeypatch.setattr(page_module, "ask_text", lambda *_args: "城乡低保")
    _saved(qtbot, page, page.list_rename)

    assert taxonomy(ctx.db, ctx.actor, TaxonomyKind.PERSON_CATEGORY)["DB"] == "城乡低保"
    qtbot.waitUntil(lambda: people.list_page.filter.findText("城乡低保") > 0, timeout=20_000)
    assert people.list_page.filter.findText(old) < 0


def test_an_added_entry_can_be_stopped(qtbot: QtBot, page: SettingsPage, ctx: UiContext,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _choose(page, TaxonomyKind.ACTIVITY_TYPE)
    qtbot.waitUntil(lambda: page.entries is not None and page.entries.kind == TaxonomyKind.ACTIVITY_TYPE,
                    timeout=10_000)
    monkeypatch.setattr(page_module, "ask_text", lambda *_args: "那达慕")
    _saved(qtbot, page, page.list_add)
    qtbot.waitUntil(lambda: page.entries is not None and "那达慕" in page.entries.labels.values(), timeout=10_000)
    assert "那达慕" in taxonomy(ctx.db, ctx.actor, TaxonomyKind.ACTIVITY_TYPE).values()
    row = next(i for i in range(page.list_items.count()) if page.list_items.item(i).text() == "那达慕")
    page.list_items.setCurrentRow(row)
    assert page.list_toggle.text() == "停用"
    _saved(qtbot, page, page.list_toggle)
    assert "那达慕" not in taxonomy(ctx.db, ctx.actor, TaxonomyKind.ACTIVITY_TYPE).values()
    qtbot.waitUntil(lambda: any(page.list_items.item(i).text() == "那达慕（已停用）"
                                for i in range(page.list_items.count())), timeout=10_000)


def test_star_thresholds_change_a_volunteers_star_level(qtbot: QtBot, page: SettingsPage, ctx: UiContext) -> None:
    summaries = [volunteer_summary(ctx.db, ctx.actor, v.uuid) for v in list_volunteers(ctx.db, ctx.actor)]
    best = max(summaries, key=lambda s: s.total_confirmed_tenths)
    hours = best.total_confirmed_tenths // 10
    assert hours >= 2
    # Thresholds just around the volunteer's hours: two stars reached, three not.
    wanted = [hours // 2, hours, hours + 1, hours + 2, hours + 3]
    for spin, value in zip(page.star_spins, wanted, strict=True):
        spin.setValue(value)
    _saved(qtbot, page, page.hours_save)
    assert settings(ctx.db)["stars.thresholds_hours"] == wanted
    after = volunteer_summary(ctx.db, ctx.actor, best.volunteer.uuid)
    assert (after.star_level, after.next_star_hours) == (2, hours + 1)

    page.star_spins[1].setValue(1)  # not above the first one: refused before saving
    page.hours_save.click()
    assert page.star_error.text() == "每一星级所需时长必须高于上一级。"
    assert settings(ctx.db)["stars.thresholds_hours"] == wanted


def test_villages_and_staff(qtbot: QtBot, page: SettingsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    page.community_name.setText("讨速号村")
    _saved(qtbot, page, page.community_add)
    assert "讨速号村" in {c.name for c in list_communities(ctx.db, ctx.actor)}
    qtbot.waitUntil(lambda: any(page.communities.item(i).text().startswith("讨速号村")
                                for i in range(page.communities.count())), timeout=10_000)

    monkeypatch.setattr(page_module, "ask_staff",
                        lambda _parent: StaffInput(name="阿如娜", role=Role.SOCIAL_WORKER, phone="13904712222"))
    _saved(qtbot, page, page.staff_add)
    assert "阿如娜" in {s.name for s in list_staff(ctx.db, ctx.actor)}


def test_other_roles_see_the_settings_read_only(qtbot: QtBot, ctx: UiContext) -> None:
    worker = make_context(ctx.db, Opening(ctx.station, Actor("李娜", Role.SOCIAL_WORKER)))
    try:
        page = SettingsPage(worker)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            page.show()
        assert page.read_only_note.isVisible()
        assert page.read_only_note.text() == "只有站长可以修改设置，您可以在此查看。"
        assert page.station_name.isReadOnly() and not page.station_save.isEnabled()
        assert not page.hours_save.isEnabled() and not page.list_add.isEnabled()
        assert not page.staff_add.isEnabled() and not page.staff_handover.isEnabled()
        assert page.station_name.text() == station_details(ctx.db, ctx.actor).info.name
        wait_idle(qtbot, worker)
    finally:
        worker.shutdown()


def test_the_screen_fits_1366x768(qtbot: QtBot, page: SettingsPage) -> None:
    page.resize(1366 - 180, 768 - 120)
    assert page.minimumSizeHint().width() <= 1366 - 180
    assert page.minimumSizeHint().height() <= 768 - 120
