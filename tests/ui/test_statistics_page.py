"""The 统计报表 screen: exactly the figures of ``station_stats`` for the period, and the Excel file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings, wait_idle

from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.stats import Period, Stats, station_stats
from wushe_desktop.ui import statistics_page
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.statistics_page import (
    CUSTOM,
    LAST_MONTH,
    THIS_YEAR,
    StatisticsPage,
    period_for,
)

TODAY = date.today()


def _flat(stats: Stats) -> dict[str, Any]:
    """The ``stats --json`` figures as key → value (nested keys joined with a dot)."""
    doc = stats.to_json(stations=[], period=Period())
    flat: dict[str, Any] = {}
    for key, value in doc.items():
        if key in ("stations", "from", "to"):
            continue
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> StatisticsPage:
    widget = StatisticsPage(ctx, ini_settings(tmp_path), today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    wait_idle(qtbot, ctx)
    return widget


def _check(page: StatisticsPage, ctx: UiContext, period: Period) -> None:
    _, expected = station_stats(ctx.db, CLI_ACTOR, period, TODAY)
    shown = page.shown_values()
    flat = _flat(expected)
    assert set(shown) == set(flat)  # every key of stats --json, and nothing else
    for key, value in flat.items():
        assert _number(shown[key]) == pytest.approx(value), key


def test_this_month_is_what_station_stats_says(page: StatisticsPage, ctx: UiContext) -> None:
    assert page.result is not None and page.result.period == period_for("month", TODAY)
    _check(page, ctx, Period(TODAY.replace(day=1), TODAY))


@pytest.mark.parametrize("choice", [THIS_YEAR, LAST_MONTH])
def test_other_periods(qtbot: QtBot, page: StatisticsPage, ctx: UiContext, choice: str) -> None:
    page.period_combo.setCurrentIndex(page.period_combo.findData(choice))
    wait_idle(qtbot, ctx)
    period = period_for(choice, TODAY)
    assert page.result is not None and page.result.period == period
    _check(page, ctx, period)
    # The year has figures (the demo spans twelve months), so the check compares real numbers.
    if choice == THIS_YEAR:
        assert page.result.stats.service_records > 0 or page.result.stats.activities > 0


def test_custom_period_and_a_wrong_order(qtbot: QtBot, page: StatisticsPage, ctx: UiContext) -> None:
    page.period_combo.setCurrentIndex(page.period_combo.findData(CUSTOM))
    start = date(TODAY.year - 1, TODAY.month, 1)
    page.from_edit.setDate(QDate(start.year, start.month, start.day))
    page.to_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    page.show_button.click()
    wait_idle(qtbot, ctx)
    _check(page, ctx, Period(start, TODAY))
    assert page.result is not None and page.result.stats.service_records > 0
    before = page.result
    page.from_edit.setDate(QDate(TODAY.year + 1, 1, 1))
    page.show_button.click()
    wait_idle(qtbot, ctx)
    assert page.error_label.isVisible() and page.error_label.text() == page.tr("The start date is after the end date.")
    assert page.result is before


def test_chart_bars_are_the_figures(qtbot: QtBot, page: StatisticsPage, ctx: UiContext) -> None:
    page.period_combo.setCurrentIndex(page.period_combo.findData(THIS_YEAR))
    wait_idle(qtbot, ctx)
    assert page.result is not None and page.bar_set is not None
    charted = [line for line in page.lines() if line.chart]
    bars = [page.bar_set.at(i) for i in range(page.bar_set.count())]
    assert bars == [float(line.value(page.result.stats)) for line in reversed(charted)]


def test_excel_has_the_same_numbers(qtbot: QtBot, page: StatisticsPage, ctx: UiContext, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    page.period_combo.setCurrentIndex(page.period_combo.findData(THIS_YEAR))
    wait_idle(qtbot, ctx)
    target = tmp_path / "统计.xlsx"
    monkeypatch.setattr(statistics_page, "ask_save_path", lambda *_args: target)
    with qtbot.waitSignal(page.message, timeout=10_000):
        page.export_excel()
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (page.tr("Figure"), page.tr("Value"))
    by_title = {title: value for title, value in rows[1:]}
    assert page.result is not None
    _, expected = station_stats(ctx.db, CLI_ACTOR, period_for(THIS_YEAR, TODAY), TODAY)
    flat = _flat(expected)
    for line in page.lines():
        assert by_title[line.title] == pytest.approx(flat[line.key]), line.key
    assert isinstance(by_title["开展活动（场）"], int)


def test_monthly_report_is_previewed(qtbot: QtBot, page: StatisticsPage, ctx: UiContext) -> None:
    page.print_page()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=20_000)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()]
    assert dialogs[0].pdf.startswith(b"%PDF") and dialogs[0].document.pageCount() >= 1
    assert f"{TODAY:%Y-%m}" in dialogs[0].suggested_name
    for dialog in dialogs:
        dialog.close()
