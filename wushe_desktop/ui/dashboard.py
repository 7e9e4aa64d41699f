"""The dashboard (工作台): this month's and this year's figures and the to-do list.

The figures are exactly those of ``services.stats.station_stats`` (what ``wushe stats``
prints) over :func:`month_period` and :func:`year_period`. The chart 近几个月 compares
this month so far with the months before it (:func:`trend_periods`), one key figure at
a time (activities, service records, beneficiary person-times, volunteer hours), each bar
``station_stats`` of its month; the to-do list comes from
``services.cases.todo`` (with the day counts from the ``todo.*`` settings) and the
volunteer-hour lines awaiting confirmation from ``services.volunteers.list_hours``. Each
to-do line opens its record's screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.services.cases import Todo, TodoItem, TodoList, todo
from wushe_desktop.services.context import Actor
from wushe_desktop.services.station import settings
from wushe_desktop.services.stats import Period, Stats, TrendFigures, station_figures
from wushe_desktop.services.volunteers import HoursView, list_hours
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.labels import stage_labels, stat_labels

LABEL_COLOUR = "#333333"

# A to-do group opens by itself when it has at most this many lines.
EXPANDED_LIMIT = 8

# At most this many lines per to-do group (the group's title gives the total).
TODO_LIMIT = 50

# Months in the trend chart: this month and the ones before it.
TREND_MONTHS = 6
TREND_COLOUR = "#4f81bd"


def month_period(today: date) -> Period:
    """This month so far: the first of the month to today, both included."""
    return Period(today.replace(day=1), today)


def year_period(today: date) -> Period:
    """This year so far: 1 January to today, both included."""
    return Period(date(today.year, 1, 1), today)


def trend_periods(today: date, months: int = TREND_MONTHS) -> list[Period]:
    """The last ``months`` calendar months, oldest first; the last one is this month so far."""
    periods = [month_period(today)]
    first = today.replace(day=1)
    for _ in range(months - 1):
        last = first - timedelta(days=1)
        first = last.replace(day=1)
        periods.insert(0, Period(first, last))
    return periods


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one job on the reader worker.

    ``trend`` holds the trend chart's figures of :func:`trend_periods`, oldest first (the
    last is this month so far; each equals that month's ``station_stats``).
    """

    today: date
    month: Stats
    year: Stats
    todo: Todo
    pending_hours: tuple[HoursView, ...]
    no_contact_days: int
    trend: tuple[tuple[Period, TrendFigures], ...] = ()


def load_dashboard(db: Any, actor: Actor, today: date | None = None) -> DashboardData:
    """Read the dashboard's figures and to-do lists (runs on the reader worker).

    Args:
        db: The open database.
        actor: Who is looking.
        today: The day the periods end on (default: today).
    """
    today = today or date.today()
    config = settings(db)
    no_contact_days = int(config["todo.no_contact_days"])
    months = trend_periods(today)
    (month, year), figures = station_figures(db, actor, [month_period(today), year_period(today)],
                                             months, today)
    trend = tuple(zip(months, figures, strict=True))
    lists = todo(db, actor, today, no_contact_days=no_contact_days,
                 plan_review_days=int(config["todo.plan_review_days"]), limit=TODO_LIMIT)
    pending = list_hours(db, actor, status=HoursStatus.PENDING)
    return DashboardData(today, month, year, lists, tuple(pending), no_contact_days, trend)


def _count(value: int) -> str:
    return str(value)


def _hours(value: float) -> str:
    return f"{value:.1f}"


def _yuan(value: float) -> str:
    return f"{value:,.2f}"


@dataclass(frozen=True)
class Figure:
    """One tile: its key (as in ``stats --json``), title and how it reads."""

    key: str
    title: str
    value: Callable[[Stats], Any]
    text: Callable[[Any], str]


class Tile(QFrame):
    """A labelled figure: this month large, this year below."""

    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(figure.title, self)
        self.title.setObjectName("tileTitle")
        self.month = QLabel("—", self)
        self.month.setObjectName("tileValue")
        self.year = QLabel("", self)
        self.year.setObjectName("tileYear")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.month)
        layout.addWidget(self.year)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_values(self, month: Stats, year: Stats) -> None:
        """Show this month's and this year's value."""
        self.month.setText(self.figure.text(self.figure.value(month)))
        self.year.setText(self.tr("This year: {value}").format(value=self.figure.text(self.figure.value(year))))


# What a to-do line opens: ("case", case number) or ("volunteer", volunteer name).
TODO_TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class DashboardPage(QWidget):
    """The 工作台 screen.

    Signals:
        loaded(): figures and to-do lists are shown.
        open_case(str): a to-do line about a case was opened (its case number).
        open_volunteer(str): a volunteer-hours line was opened (the volunteer's name).
    """

    loaded = Signal()
    open_case = Signal(str)
    open_volunteer = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.reloads = ReloadWhenShown(self, ctx.events, None, self.refresh)
        self._pending = False
        self.data: DashboardData | None = None

        heading = QLabel(self.tr("Dashboard"), self)
        heading.setObjectName("pageTitle")
        self.period_label = QLabel(self)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.period_label, 1)
        top.addWidget(self.refresh_button)

        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, figure in enumerate(self._figures()):
            tile = Tile(figure, self)
            self.tiles[figure.key] = tile
            grid.addWidget(tile, i // 4, i % 4)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Participants in activities, by role"))
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(360, 260)
        self.month_set: QBarSet | None = None
        self.year_set: QBarSet | None = None

        # This month against the months before, one figure at a time.
        self.trend_combo = QComboBox(self)
        for figure in self._trend_figures():
            self.trend_combo.addItem(figure.title, figure.key)
        self.trend_combo.currentIndexChanged.connect(self._show_trend)
        self.trend_chart = QChart()
        self.trend_chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.trend_chart.legend().setVisible(False)
        self.trend_chart.setMargins(QMargins(4, 4, 4, 4))
        self.trend_view = QChartView(self.trend_chart, self)
        self.trend_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.trend_view.setMinimumSize(360, 230)
        self.trend_set: QBarSet | None = None
        trend_page = QWidget(self)
        trend_box = QVBoxLayout(trend_page)
        trend_box.setContentsMargins(0, 4, 0, 0)
        trend_top = QHBoxLayout()
        trend_top.addWidget(QLabel(self.tr("Figure:"), trend_page))
        trend_top.addWidget(self.trend_combo, 1)
        trend_box.addLayout(trend_top)
        trend_box.addWidget(self.trend_view, 1)
        self.charts = QTabWidget(self)
        self.charts.addTab(trend_page, self.tr("Recent months"))
        self.charts.addTab(self.chart_view, self.tr("Participants"))

        todo_title = QLabel(self.tr("To do"), self)
        todo_title.setObjectName("sectionTitle")
        self.todo_tree = QTreeWidget(self)
        self.todo_tree.setHeaderLabels([self.tr("Item"), self.tr("Date")])
        self.todo_tree.setRootIsDecorated(True)
        self.todo_tree.setUniformRowHeights(True)
        self.todo_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.todo_tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.todo_tree.header().setStretchLastSection(False)
        self.todo_tree.itemActivated.connect(self._on_item_activated)
        todo_box = QVBoxLayout()
        todo_box.addWidget(todo_title)
        todo_box.addWidget(self.todo_tree, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(self.charts, 4)
        bottom.addLayout(todo_box, 5)

        # in a scroll area, so the screen stays usable on a small screen or at 150% scaling
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addLayout(bottom, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _figures(self) -> list[Figure]:
        names = stat_labels()  # the one table of figure names (ui/labels.py)
        return [
            Figure("activities", names["activities"], lambda s: s.activities, _count),
            Figure("service_records", names["service_records"], lambda s: s.service_records, _count),
            Figure("beneficiary_person_times", names["beneficiary_person_times"],
                   lambda s: s.beneficiary_person_times, _count),
            Figure("beneficiary_persons", names["beneficiary_persons"], lambda s: s.beneficiary_persons, _count),
            Figure("cases.opened", names["cases.opened"], lambda s: s.cases.opened, _count),
            Figure("cases.active", names["cases.active"], lambda s: s.cases.active, _count),
            Figure("cases.closed", names["cases.closed"], lambda s: s.cases.closed, _count),
            Figure("cases.referred", names["cases.referred"], lambda s: s.cases.referred, _count),
            Figure("volunteers", names["volunteers"], lambda s: s.volunteers, _count),
            Figure("volunteer_hours", names["volunteer_hours"], lambda s: s.volunteer_hours, _hours),
            Figure("funds_raised_yuan", names["funds_raised_yuan"], lambda s: s.funds_raised_yuan, _yuan),
            Figure("goods_value_yuan", names["goods_value_yuan"], lambda s: s.goods_value_yuan, _yuan),
        ]

    def _trend_figures(self) -> list[Figure]:
        """The figures the trend chart can show (keys as in ``stats --json``)."""
        keys = ("activities", "service_records", "beneficiary_person_times", "volunteer_hours")
        by_key = {figure.key: figure for figure in self._figures()}
        return [by_key[key] for key in keys]

    def trend_values(self, key: str) -> list[float]:
        """The values of one figure per month of the trend, oldest first (for tests)."""
        if key not in {f.key for f in self._trend_figures()}:
            raise KeyError(key)
        return [float(getattr(figures, key)) for _, figures in (self.data.trend if self.data else ())]

    @property
    def busy(self) -> bool:
        """Whether a refresh is on its way."""
        return self._pending

    def refresh(self) -> None:
        """Read the figures and to-do lists again (on the reader worker)."""
        self.reloads.stale = False
        self._pending = True
        self._ctx.reader.run(load_dashboard, self._ctx.db, self._ctx.actor, on_done=self._show, parent=self)

    def _show(self, data: DashboardData) -> None:
        self._pending = False
        self.data = data
        self.period_label.setText(self.tr("This month: {start} to {end}").format(
            start=data.today.replace(day=1).isoformat(), end=data.today.isoformat()))
        for tile in self.tiles.values():
            tile.show_values(data.month, data.year)
        self._show_chart(data)
        self._show_trend()
        self._show_todo(data)
        self.loaded.emit()

    def _show_chart(self, data: DashboardData) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        month_set = QBarSet(self.tr("This month"))
        year_set = QBarSet(self.tr("This year"))
        for stats, bar in ((data.month, month_set), (data.year, year_set)):
            p = stats.participant_person_times
            bar.append([p.social_workers, p.volunteers, p.caring_people])
            bar.setLabelColor(QColor(LABEL_COLOUR))  # the default is white, unreadable above a bar
        series = QBarSeries()
        series.append(month_set)
        series.append(year_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([self.tr("Social workers"), self.tr("Volunteers"), self.tr("Caring people")])
        axis_y = QValueAxis()
        top = max([1.0, *(month_set.at(i) for i in range(3)), *(year_set.at(i) for i in range(3))])
        axis_y.setRange(0, top * 1.15)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%d")
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.month_set, self.year_set = month_set, year_set

    def _show_trend(self) -> None:
        """Draw the chosen figure for each month of the trend (this month last, so far)."""
        data = self.data
        if data is None or not data.trend:
            return
        key = str(self.trend_combo.currentData())
        figure = next(f for f in self._trend_figures() if f.key == key)
        chart = self.trend_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bar = QBarSet(figure.title)
        values = self.trend_values(key)
        bar.append(values)
        bar.setColor(QColor(TREND_COLOUR))
        bar.setLabelColor(QColor(LABEL_COLOUR))
        series = QBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        names = [self.tr("Month {month}").format(month=p.date_from.month) if p.date_from is not None else ""
                 for p, _ in data.trend]
        names[-1] = self.tr("This month")
        axis_x.append(names)
        axis_y = QValueAxis()
        axis_y.setRange(0, max([1.0, *values]) * 1.15)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%.1f" if key == "volunteer_hours" else "%d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        chart.setTitle(self.tr("{figure}: this month and the {count} months before").format(
            figure=figure.title, count=len(data.trend) - 1))
        self.trend_set = bar

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.todo_tree, [title, ""])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _case_lines(self, title: str, lines: TodoList) -> None:
        stages = stage_labels()
        group = self._group(title)
        for line in lines.items:
            self._case_line(group, line, stages[line.stage])
        self._more(group, lines.total - len(lines.items))
        group.setExpanded(0 < len(lines.items) <= EXPANDED_LIMIT)

    def _more(self, group: QTreeWidgetItem, left_out: int) -> None:
        if left_out > 0:
            QTreeWidgetItem(group, [self.tr("… and {count} more, oldest first above").format(count=left_out),
                                    ""]).setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _case_line(self, group: QTreeWidgetItem, line: TodoItem, stage: str) -> None:
        text = self.tr("{case_no} {name} ({stage})").format(case_no=line.case_no, name=line.person_name,
                                                             stage=stage)
        child = QTreeWidgetItem(group, [text, line.on.isoformat()])
        child.setData(0, TODO_TARGET_ROLE, ("case", line.case_no))
        child.setToolTip(0, self.tr("Open this case"))

    def _show_todo(self, data: DashboardData) -> None:
        tree = self.todo_tree
        tree.clear()
        lists = data.todo
        self._case_lines(self.tr("Cases with no contact for over {days} days ({count})").format(
            days=data.no_contact_days, count=lists.no_contact.total), lists.no_contact)
        self._case_lines(self.tr("Closures awaiting approval ({count})").format(
            count=lists.closures_pending.total), lists.closures_pending)
        self._case_lines(self.tr("Case openings awaiting approval ({count})").format(
            count=lists.openings_pending.total), lists.openings_pending)
        self._case_lines(self.tr("Service plans awaiting approval ({count})").format(
            count=lists.plans_pending.total), lists.plans_pending)
        self._case_lines(self.tr("Service plans due for review ({count})").format(
            count=lists.plan_reviews_due.total), lists.plan_reviews_due)
        group = self._group(self.tr("Volunteer hours awaiting confirmation ({count})").format(
            count=len(data.pending_hours)))
        for line in data.pending_hours[:TODO_LIMIT]:
            text = self.tr("{name}: {hours} hours").format(name=line.volunteer_name,
                                                           hours=f"{line.credited_tenths / 10:.1f}")
            child = QTreeWidgetItem(group, [text, line.service_date.isoformat()])
            child.setData(0, TODO_TARGET_ROLE, ("volunteer", line.volunteer_name))
            child.setToolTip(0, self.tr("Open this volunteer"))
        self._more(group, len(data.pending_hours) - TODO_LIMIT)
        group.setExpanded(False)

    def todo_items(self) -> list[QTreeWidgetItem]:
        """Every line of the to-do list that opens a record (for tests and keyboard use)."""
        found: list[QTreeWidgetItem] = []
        for i in range(self.todo_tree.topLevelItemCount()):
            group = self.todo_tree.topLevelItem(i)
            if group is not None:
                found.extend(child for j in range(group.childCount())
                             if (child := group.child(j)) is not None and child.data(0, TODO_TARGET_ROLE))
        return found

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, TODO_TARGET_ROLE)
        if not target:
            return
        kind, key = target
        if kind == "case":
            self.open_case.emit(key)
        else:
            self.open_volunteer.emit(key)

