"""The 统计报表 screen: the station's figures for a period, a chart, Excel and the monthly report.

The figures are exactly those of ``services.stats.station_stats`` (what ``wushe stats
--json`` prints, DESIGN.md §8), one line per key with its Chinese name, for this month,
this year, last month or any period from–to (both ends included). 导出到 Excel writes the
same lines; 打印月报 previews ``services.printing.print_monthly_report`` for a month;
批量打印 opens :class:`~wushe_desktop.ui.batch_print_dialog.BatchPrintDialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.services.context import Actor
from wushe_desktop.services.printing import print_monthly_report
from wushe_desktop.services.stats import Period, Stats, station_stats
from wushe_desktop.ui.batch_print_dialog import BatchPrintDialog
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.excel import write_xlsx
from wushe_desktop.ui.labels import stat_labels
from wushe_desktop.ui.pdf_preview import preview_pdf

# The chart's bar colour and its value labels' colour.
BAR_COLOUR = "#4f81bd"
LABEL_COLOUR = "#333333"

# Period choices in the combo box.
THIS_MONTH, LAST_MONTH, THIS_YEAR, CUSTOM = "month", "last_month", "year", "custom"

FOLDER_KEY = "statistics/lastFolder"


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Ask where to save the Excel file (modal). Tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "Excel (*.xlsx)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def period_for(choice: str, today: date, custom: tuple[date, date] | None = None) -> Period:
    """The period of a choice: this month or this year so far, last month, or from–to.

    Raises:
        ValidationError: ``period.order`` when a custom start is after its end.
    """
    if choice == THIS_MONTH:
        return Period(today.replace(day=1), today)
    if choice == LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if choice == THIS_YEAR:
        return Period(date(today.year, 1, 1), today)
    assert custom is not None
    return Period(*custom)


def _count(value: Any) -> str:
    return str(value)


def _hours(value: Any) -> str:
    return f"{value:.1f}"


def _yuan(value: Any) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class Line:
    """One figure: its key as in ``stats --json``, its Chinese name and how it reads."""

    key: str
    title: str
    value: Callable[[Stats], Any]
    text: Callable[[Any], str]
    chart: bool = False  # a count of things in the period, drawn as a bar


@dataclass(frozen=True)
class StatsResult:
    """The figures of one period (read on the reader worker)."""

    code: str
    period: Period
    stats: Stats


def load_stats(db: Any, actor: Actor, period: Period, today: date | None = None) -> StatsResult:
    """The station's figures for a period (runs on the reader worker)."""
    code, stats = station_stats(db, actor, period, today)
    return StatsResult(code, period, stats)


class StatisticsPage(QWidget):
    """The 统计报表 screen.

    Signals:
        loaded(): the figures of the chosen period are shown.
        message(str): a line for the status bar.
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext, settings: QSettings | None = None, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings if settings is not None else QSettings()
        self._today = today
        self.reloads = ReloadWhenShown(self, ctx.events, None, self.refresh)
        self._pending = False
        self.result: StatsResult | None = None

        heading = QLabel(self.tr("Statistics and reports"), self)
        heading.setObjectName("pageTitle")
        self.period_combo = QComboBox(self)
        self.period_combo.addItem(self.tr("This month"), THIS_MONTH)
        self.period_combo.addItem(self.tr("Last month"), LAST_MONTH)
        self.period_combo.addItem(self.tr("This year"), THIS_YEAR)
        self.period_combo.addItem(self.tr("From – to"), CUSTOM)
        self.from_edit = QDateEdit(self)
        self.to_edit = QDateEdit(self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        day = self.today()
        self.from_edit.setDate(QDate(day.year, day.month, 1))
        self.to_edit.setDate(QDate(day.year, day.month, day.day))
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.clicked.connect(self.refresh)
        self.period_combo.currentIndexChanged.connect(self._on_choice)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Period:"), self))
        top.addWidget(self.period_combo)
        top.addWidget(self.from_edit)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.to_edit)
        top.addWidget(self.show_button)

        self.period_label = QLabel(self)
        self.period_label.setObjectName("sectionTitle")

        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Figure"), self.tr("Value")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(340)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Counts in the period"))
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(False)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(360, 300)
        self.bar_set: QBarSet | None = None

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.excel_button = QPushButton(self.tr("Export to Excel…"), self)
        self.excel_button.clicked.connect(self.export_excel)
        self.month_edit = QDateEdit(self)
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setDate(QDate(day.year, day.month, 1))
        self.report_button = QPushButton(self.tr("Print monthly report…"), self)
        self.report_button.clicked.connect(self.print_page)
        self.batch_button = QPushButton(self.tr("Batch printing…"), self)
        self.batch_button.setToolTip(self.tr("All service records of a month, or the certificates of every "
                                             "volunteer with confirmed hours in a period, in one PDF"))
        self.batch_button.clicked.connect(self.open_batch_print)
        bottom = QHBoxLayout()
        bottom.addWidget(self.excel_button)
        bottom.addWidget(self.batch_button)
        bottom.addStretch(1)
        bottom.addWidget(QLabel(self.tr("Monthly report for:"), self))
        bottom.addWidget(self.month_edit)
        bottom.addWidget(self.report_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.period_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._on_choice()

    def lines(self) -> list[Line]:
        """Every figure of ``stats --json``, in its order, with its Chinese name (ui/labels.py)."""
        names = stat_labels()
        return [
            Line("activities", names["activities"], lambda s: s.activities, _count, True),
            Line("funds_raised_yuan", names["funds_raised_yuan"], lambda s: s.funds_raised_yuan, _yuan),
            Line("goods_value_yuan", names["goods_value_yuan"], lambda s: s.goods_value_yuan, _yuan),
            Line("participant_person_times.social_workers", names["participant_person_times.social_workers"],
                 lambda s: s.participant_person_times.social_workers, _count, True),
            Line("participant_person_times.volunteers", names["participant_person_times.volunteers"],
                 lambda s: s.participant_person_times.volunteers, _count, True),
            Line("participant_person_times.caring_people", names["participant_person_times.caring_people"],
                 lambda s: s.participant_person_times.caring_people, _count, True),
            Line("beneficiary_person_times", names["beneficiary_person_times"],
                 lambda s: s.beneficiary_person_times, _count, True),
            Line("beneficiary_persons", names["beneficiary_persons"], lambda s: s.beneficiary_persons, _count, True),
            Line("cases.opened", names["cases.opened"], lambda s: s.cases.opened, _count, True),
            Line("cases.active", names["cases.active"], lambda s: s.cases.active, _count),
            Line("cases.closed", names["cases.closed"], lambda s: s.cases.closed, _count, True),
            Line("cases.referred", names["cases.referred"], lambda s: s.cases.referred, _count, True),
            Line("service_records", names["service_records"], lambda s: s.service_records, _count, True),
            Line("volunteers", names["volunteers"], lambda s: s.volunteers, _count),
            Line("volunteer_hours", names["volunteer_hours"], lambda s: s.volunteer_hours, _hours),
        ]

    def today(self) -> date:
        """The day "this month" and "this year" end on."""
        return self._today or date.today()

    # -- period -----------------------------------------------------------------------------

    def _on_choice(self) -> None:
        custom = self.period_combo.currentData() == CUSTOM
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        if not custom:
            period = period_for(str(self.period_combo.currentData()), self.today())
            assert period.date_from is not None and period.date_to is not None
            self.from_edit.setDate(QDate(period.date_from.year, period.date_from.month, period.date_from.day))
            self.to_edit.setDate(QDate(period.date_to.year, period.date_to.month, period.date_to.day))
            self.refresh()

    def period(self) -> Period | None:
        """The chosen period, or ``None`` (with the reason shown) when from is after to."""
        start = self.from_edit.date().toPython()
        end = self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        if start > end:
            self.error_label.setText(self.tr("The start date is after the end date."))
            self.error_label.setVisible(True)
            return None
        self.error_label.setVisible(False)
        return Period(start, end)

    # -- reading ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether figures are on their way."""
        return self._pending

    def refresh(self) -> None:
        """Read the figures of the chosen period (on the reader worker)."""
        period = self.period()
        if period is None:
            return
        self.reloads.stale = False
        self._pending = True
        self._ctx.reader.run(load_stats, self._ctx.db, self._ctx.actor, period, self.today(), on_done=self._show,
                             parent=self)

    def _show(self, result: StatsResult) -> None:
        self._pending = False
        self.result = result
        period = result.period
        assert period.date_from is not None and period.date_to is not None
        self.period_label.setText(self.tr("Figures from {start} to {end} (both days included)").format(
            start=period.date_from.isoformat(), end=period.date_to.isoformat()))
        lines = self.lines()
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            name = QTableWidgetItem(line.title)
            name.setData(Qt.ItemDataRole.UserRole, line.key)
            value = QTableWidgetItem(line.text(line.value(result.stats)))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, value)
        self._show_chart(result.stats, [line for line in lines if line.chart])
        self.month_edit.setDate(QDate(period.date_to.year, period.date_to.month, 1))
        self.loaded.emit()

    def shown_values(self) -> dict[str, str]:
        """Key → the value as the table shows it (for tests and the Excel file)."""
        found: dict[str, str] = {}
        for r in range(self.table.rowCount()):
            name, value = self.table.item(r, 0), self.table.item(r, 1)
            if name is not None and value is not None:
                found[str(name.data(Qt.ItemDataRole.UserRole))] = value.text()
        return found

    def _show_chart(self, stats: Stats, lines: list[Line]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        # Top to bottom in the table's order (a horizontal bar chart draws its first category lowest).
        lines = list(reversed(lines))
        bar = QBarSet(self.tr("Count"))
        values = [float(line.value(stats)) for line in lines]
        bar.append(values)
        bar.setColor(QColor(BAR_COLOUR))
        bar.setLabelColor(QColor(LABEL_COLOUR))
        series = QHorizontalBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([line.title for line in lines])
        axis_x = QValueAxis()
        axis_x.setRange(0, max([1.0, *values]) * 1.15)
        axis_x.applyNiceNumbers()
        axis_x.setLabelFormat("%d")
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self.bar_set = bar

    # -- output ----------------------------------------------------------------------------

    def _folder(self) -> Path:
        saved = self._settings.value(FOLDER_KEY)
        if isinstance(saved, str) and Path(saved).is_dir():
            return Path(saved)
        return Path.home()

    def export_excel(self) -> None:
        """Write the figures shown to an Excel file (figure, value)."""
        result = self.result
        if result is None:
            return
        period = result.period
        assert period.date_from is not None and period.date_to is not None
        suggested = self._folder() / self.tr("statistics-{start}-{end}.xlsx").format(
            start=period.date_from.isoformat(), end=period.date_to.isoformat())
        path = ask_save_path(self, self.tr("Export to Excel"), suggested)
        if path is None:
            return
        self._settings.setValue(FOLDER_KEY, str(path.parent))
        lines = self.lines()
        headers = [self.tr("Figure"), self.tr("Value")]
        rows = [[line.title, line.text(line.value(result.stats))] for line in lines]
        rows.append([self.tr("Period"), self.tr("{start} to {end}").format(
            start=period.date_from.isoformat(), end=period.date_to.isoformat())])
        rows.append([self.tr("Station"), f"{self._ctx.station.name} ({result.code})"])
        title = self.tr("Statistics")
        self._ctx.reader.run(partial(write_xlsx, numeric_columns=[1]), path, title, headers, rows,
                             on_done=lambda _n: self.message.emit(
                                 self.tr("Figures exported to {path}.").format(path=str(path))),
                             parent=self, progress_label=self.tr("Exporting to Excel…"))

    def print_page(self) -> None:
        """Preview the monthly report (社工站月度工作报告) of the month chosen."""
        month = self.month_edit.date().toPython()
        assert isinstance(month, date)
        ctx = self._ctx
        first = month.replace(day=1)
        preview_pdf(self, ctx, self.tr("Monthly report"),
                    lambda: print_monthly_report(ctx.db, ctx.actor, first, today=self._today),
                    self.tr("monthly-report-{month}.pdf").format(month=f"{first:%Y-%m}"))

    def open_batch_print(self) -> BatchPrintDialog:
        """Open 批量打印 (a month's service records or a period's certificates)."""
        dialog = BatchPrintDialog(self._ctx, self, today=self._today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- reloading -------------------------------------------------------------------------

