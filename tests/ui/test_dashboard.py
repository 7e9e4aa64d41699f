"""The dashboard shows exactly the figures of `wushe stats` and the to-do lists."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.services.cases import todo
from wushe_desktop.services.stats import Period, Stats, station_stats
from wushe_desktop.services.volunteers import list_hours
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.dashboard import (
    TREND_MONTHS,
    DashboardPage,
    month_period,
    trend_periods,
    year_period,
)


def _flat(stats: Stats) -> dict[str, object]:
    doc = stats.to_json(stations=[], period=Period())
    flat: dict[str, object] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _text(key: str, value: object) -> str:
    if key.endswith("_yuan"):
        return f"{value:,.2f}"
    if key == "volunteer_hours":
        return f"{value:.1f}"
    return str(value)


def _shown(qtbot: QtBot, ctx: UiContext) -> DashboardPage:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    wait_idle(qtbot, ctx)
    return page


def test_periods_are_this_month_and_this_year_so_far() -> None:
    today = date(2026, 11, 25)
    assert month_period(today) == Period(date(2026, 11, 1), today)
    assert year_period(today) == Period(date(2026, 1, 1), today)


def test_trend_months_end_with_this_month_so_far() -> None:
    today = date(2026, 2, 14)
    assert trend_periods(today) == [
        Period(date(2025, 9, 1), date(2025, 9, 30)), Period(date(2025, 10, 1), date(2025, 10, 31)),
        Period(date(2025, 11, 1), date(2025, 11, 30)), Period(date(2025, 12, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 1, 31)), Period(date(2026, 2, 1), today)]


def test_trend_chart_bars_are_the_stats_of_each_month(qtbot: QtBot, ctx: UiContext) -> None:
    page = _shown(qtbot, ctx)
    assert page.data is not None
    today = page.data.today
    expected = [station_stats(ctx.db, ctx.actor, period, today)[1] for period in trend_periods(today)]
    assert len(expected) == TREND_MONTHS
    figures = {"activities": lambda s: s.activities, "service_records": lambda s: s.service_records,
               "beneficiary_person_times": lambda s: s.beneficiary_person_times,
               "volunteer_hours": lambda s: s.volunteer_hours}
    assert [page.trend_combo.itemData(i) for i in range(page.trend_combo.count())] == list(figures)
    assert sum(s.service_records for s in expected) > 0  # the demo has records in these months
    for index, (key, value) in enumerate(figures.items()):
        page.trend_combo.setCurrentIndex(index)
        bars = page.trend_set
        assert bars is not None
        assert [bars.at(i) for i in range(bars.count())] == [pytest.approx(float(value(s))) for s in expected], key
    axis = page.trend_chart.axes()[0]
    assert axis.categories()[-1] == "本月"
    assert axis.categories()[0] == f"{trend_periods(today)[0].date_from.month}月"


def test_tiles_show_the_figures_of_stats(qtbot: QtBot, ctx: UiContext) -> None:
    page = _shown(qtbot, ctx)
    assert page.data is not None
    today = page.data.today
    _, month = station_stats(ctx.db, ctx.actor, month_period(today), today)
    _, year = station_stats(ctx.db, ctx.actor, year_period(today), today)
    month_values, year_values = _flat(month), _flat(year)
    assert len(page.tiles) == 12
    assert year.activities > 0 and year.service_records > 0  # the demo spans this year
    for key, tile in page.tiles.items():
        assert tile.month.text() == _text(key, month_values[key]), key
        assert tile.year.text() == f"本年：{_text(key, year_values[key])}", key
    participants = [month.participant_person_times.social_workers, month.participant_person_times.volunteers,
                    month.participant_person_times.caring_people]
    assert page.month_set is not None and page.year_set is not None
    assert [page.month_set.at(i) for i in range(3)] == participants
    assert [page.year_set.at(i) for i in range(3)] == [year.participant_person_times.social_workers,
                                                        year.participant_person_times.volunteers,
                                                        year.participant_person_times.caring_people]
    assert page.period_label.text() == f"本月：{today.replace(day=1).isoformat()} 至 {today.isoformat()}"


def test_todo_lists_follow_the_services(qtbot: QtBot, ctx: UiContext) -> None:
    page = _shown(qtbot, ctx)
    lists = todo(ctx.db, ctx.actor)
    pending = list_hours(ctx.db, ctx.actor, status=HoursStatus.PENDING)
    titles = [page.todo_tree.topLevelItem(i).text(0) for i in range(page.todo_tree.topLevelItemCount())]
    assert titles == [
        f"超过 30 天未联系的个案（{lists.no_contact.total}）",
        f"待审批的结案（{lists.closures_pending.total}）",
        f"待审批的开案（{lists.openings_pending.total}）",
        f"待审批的服务计划（{lists.plans_pending.total}）",
        f"到期需复核的服务计划（{lists.plan_reviews_due.total}）",
        f"待确认的志愿服务时长（{len(pending)}）",
    ]
    assert lists.no_contact.total and lists.closures_pending.total and pending  # the demo has each kind
    first = page.todo_tree.topLevelItem(0).child(0)
    line = lists.no_contact.items[0]
    assert first.text(0).startswith(f"{line.case_no} {line.person_name}（")
    assert first.text(1) == line.on.isoformat()


def test_a_change_refreshes_the_dashboard(qtbot: QtBot, ctx: UiContext) -> None:
    page = _shown(qtbot, ctx)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.changed.emit("activities")
    page.hide()
    ctx.events.changed.emit("people")
    assert not page.busy  # hidden: it waits until shown again
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
