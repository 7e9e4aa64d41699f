"""A figure of ``stats`` has one name on every screen, the name the printed monthly report uses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings, wait_idle

from wushe_desktop.printing.data import MonthlyFigures
from wushe_desktop.printing.report_forms import _figure_rows
from wushe_desktop.ui.centre_pages import stat_columns
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.dashboard import DashboardPage
from wushe_desktop.ui.labels import STAT_KEYS, stat_labels, stat_short_labels
from wushe_desktop.ui.statistics_page import StatisticsPage


def test_the_table_names_every_figure_as_the_printed_report_does() -> None:
    full, short = stat_labels(), stat_short_labels()
    assert list(full) == list(short) == list(STAT_KEYS)
    rows = _figure_rows(MonthlyFigures(), None)
    printed = [row[0] for row in rows] + [row[3] for row in rows if row[3]]
    assert len(printed) == len(STAT_KEYS)
    for key, cell in zip(STAT_KEYS, printed, strict=True):
        # 开展活动（场） on paper and on screen; a unit that repeats the name is left off on screen
        assert full[key] in (cell, cell.rsplit("（", 1)[0]), key
        assert cell.startswith(short[key].split("（")[0]), key
    assert full["cases.referred"] == "转介个案（个）" and full["goods_value_yuan"] == "物资折价（元）"
    assert full["funds_raised_yuan"] == "链接善款（元）" and short["activities"] == "开展活动"


def test_dashboard_statistics_and_centre_show_the_same_names(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    full, short = stat_labels(), stat_short_labels()
    dashboard = DashboardPage(ctx)
    qtbot.addWidget(dashboard)
    statistics = StatisticsPage(ctx, ini_settings(tmp_path),
                                today=date.today())
    qtbot.addWidget(statistics)
    statistics.show()
    wait_idle(qtbot, ctx)
    on_dashboard = {key: tile.title.text() for key, tile in dashboard.tiles.items()}
    on_statistics = {str(statistics.table.item(r, 0).data(Qt.ItemDataRole.UserRole)): statistics.table.item(r, 0).text()
                     for r in range(statistics.table.rowCount())}
    assert set(on_statistics) == set(STAT_KEYS) and len(on_dashboard) == 12
    for key, text in on_dashboard.items():
        assert text == full[key] == on_statistics[key], key
    for key, text in on_statistics.items():
        assert text == full[key], key
    # the centre's overview: the short names (its header tooltips carry the full ones, see test_centre_window)
    assert {c.key: c.title for c in stat_columns()} == short
    # the trend chart offers the same names
    trend = [dashboard.trend_combo.itemText(i) for i in range(dashboard.trend_combo.count())]
    assert trend == [full[k] for k in ("activities", "service_records", "beneficiary_person_times",
                                       "volunteer_hours")]
    wait_idle(qtbot, ctx)
