"""The banner centre's screens (DESIGN.md §2, §6; SCENARIOS.md 6 and 10).

- :class:`OverviewPage` (总览): one row per registered station with its figures
  (``services.stats.centre_stats_by_station``) for a month, a year or any period, a totals row, the
  last bundle per station and overdue stations highlighted; export to Excel.
- :class:`ImportPage` (导入数据包): bundle files chosen or dropped; a dry run (预览) says
  what each would change; the import says, per bundle, accepted (and where its receipt
  is) or refused (one sentence, and where the quarantined copy is).
- :class:`StationsPage` (站点登记): the register of station keys: register a card after
  comparing its fingerprint with the printed card (:class:`TrustDialog`), revoke a
  station, and the centre's own card to hand to stations.
- :class:`SupervisionPage` (督导查阅): a station's cases, read-only, filtered to high
  risk and no recent contact, and the printed supervision list; its second tab,
  :class:`AcrossStationsPanel` (跨站服务对象), lists people served (or volunteers
  registered) by more than one station, matched by ID number, shown masked.

Every database call runs on a worker (reads on ``ctx.reader``, writes on ``ctx.writer``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.case_stage import WORKING_STAGES
from wushe_desktop.domain.enums import CaseStage, RiskLevel
from wushe_desktop.errors import WusheError
from wushe_desktop.services.centre import (
    DEFAULT_OVERDUE_DAYS,
    ImportOutcome,
    SharedPerson,
    StationStatus,
    TrustResult,
    centre_list,
    centre_overdue_days,
    import_bundle,
    people_across_stations,
    quarantine_dir,
    revoke_station,
    station_statuses,
    trust_station,
)
from wushe_desktop.services.centre_files import (
    BUNDLE_SUFFIX,
    CardPreview,
    bundle_files,
    bundle_table_counts,
    preview_card,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.keys import CardResult, KeyInfo, export_card, show_keys
from wushe_desktop.services.printing import print_supervision_list
from wushe_desktop.services.station import set_setting
from wushe_desktop.services.stats import Period, Stats, centre_stats_by_station
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.excel import write_xlsx
from wushe_desktop.ui.labels import risk_labels, stage_labels, stat_labels, stat_short_labels
from wushe_desktop.ui.pdf_preview import preview_pdf

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
        """Mark a string for translation (lupdate); returns it unchanged."""
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

OVERDUE_COLOUR = QColor("#fde2e2")
REVOKED_COLOUR = QColor("#e6e6e6")
REFUSED_COLOUR = QColor("#fde2e2")
ACCEPTED_COLOUR = QColor("#e3f4e1")

#: Days without contact the supervision filter and print start with.
DEFAULT_NO_CONTACT_DAYS = 30


def _local(moment: datetime | None) -> str:
    """A stored UTC time as the PC's local ``YYYY-MM-DD HH:MM``."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _item(text: str, *, numeric: bool = False, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(parent: QWidget, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    return label


# --- figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatColumn:
    """One figure of a station's ``Stats`` as a column: its key, heading and value."""

    key: str
    title: str
    value: Callable[[Stats], float]
    decimals: int = 0

    def text(self, stats: Stats) -> str:
        value = self.value(stats)
        return f"{value:.{self.decimals}f}" if self.decimals else str(int(value))


def stat_columns() -> list[StatColumn]:
    """Every key of ``wushe stats`` in the order of the statistics form, headed by the short
    names of the one figure-name table (ui/labels.py; the full name is the header's tooltip)."""
    names = stat_short_labels()
    return [
        StatColumn("activities", names["activities"], lambda s: s.activities),
        StatColumn("participant_person_times.social_workers", names["participant_person_times.social_workers"],
                   lambda s: s.participant_person_times.social_workers),
        StatColumn("participant_person_times.volunteers", names["participant_person_times.volunteers"],
                   lambda s: s.participant_person_times.volunteers),
        StatColumn("participant_person_times.caring_people", names["participant_person_times.caring_people"],
                   lambda s: s.participant_person_times.caring_people),
        StatColumn("beneficiary_person_times", names["beneficiary_person_times"],
                   lambda s: s.beneficiary_person_times),
        StatColumn("beneficiary_persons", names["beneficiary_persons"], lambda s: s.beneficiary_persons),
        StatColumn("cases.opened", names["cases.opened"], lambda s: s.cases.opened),
        StatColumn("cases.active", names["cases.active"], lambda s: s.cases.active),
        StatColumn("cases.closed", names["cases.closed"], lambda s: s.cases.closed),
        StatColumn("cases.referred", names["cases.referred"], lambda s: s.cases.referred),
        StatColumn("service_records", names["service_records"], lambda s: s.service_records),
        StatColumn("volunteers", names["volunteers"], lambda s: s.volunteers),
        StatColumn("volunteer_hours", names["volunteer_hours"], lambda s: s.volunteer_hours, 1),
        StatColumn("funds_raised_yuan", names["funds_raised_yuan"], lambda s: s.funds_raised_yuan, 2),
        StatColumn("goods_value_yuan", names["goods_value_yuan"], lambda s: s.goods_value_yuan, 2),
    ]


@dataclass(frozen=True)
class OverviewRow:
    """A registered station, its last bundle and its figures (``None``: nothing received)."""

    status: StationStatus
    stats: Stats | None


@dataclass(frozen=True)
class OverviewData:
    """What the overview shows for one period."""

    period: Period
    rows: tuple[OverviewRow, ...]
    total: Stats
    overdue_days: int = DEFAULT_OVERDUE_DAYS


def load_overview(db: Any, actor: Actor, period: Period, today: date | None = None) -> OverviewData:
    """Every registered station with its figures, and the sum (runs on the reader)."""
    overdue_days = centre_overdue_days(db)
    statuses = station_statuses(db, actor, overdue_days=overdue_days)
    by_station, total = centre_stats_by_station(db, actor, period, today)
    # a station registered but with no bundle imported yet has no figures (None)
    rows = tuple(OverviewRow(status, by_station.get(status.code)) for status in statuses)
    return OverviewData(period, rows, total, overdue_days)


def save_overdue_days(db: Any, actor: Actor, days: int) -> None:
    """Keep the centre's overdue limit (runs on the writer)."""
    set_setting(db, actor, "centre.overdue_days", days)


def month_bounds(day: date, today: date) -> Period:
    """The month of ``day``; the current month ends today."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(first, min(last, today) if first <= today else last)


def year_bounds(year: int, today: date) -> Period:
    """A calendar year; the current year ends today."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return Period(first, min(last, today) if first <= today else last)


class OverviewPage(QWidget):
    """总览: every station's figures for a period, the last bundles, overdue stations."""

    MONTH, YEAR, CUSTOM = range(3)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._pending = False
        self.reloads = ReloadWhenShown(self, ctx.events, ("bundles", "stations"), self.refresh,
                                       ready=lambda: not self._pending)
        self._request = 0
        self.data: OverviewData | None = None
        self.columns = stat_columns()
        today_q = QDate.currentDate() if today is None else QDate(today.year, today.month, today.day)

        self.kind = QComboBox(self)
        self.kind.addItems([self.tr("Month"), self.tr("Year"), self.tr("Custom period")])
        self.month = QDateEdit(today_q, self)
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(today_q.year())
        self.date_from = QDateEdit(QDate(today_q.year(), 1, 1), self)
        self.date_to = QDateEdit(today_q, self)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.to_label = QLabel(self.tr("to"), self)
        self.refresh_button = QPushButton(self.tr("Show"), self)
        self.excel_button = QPushButton(self.tr("Export to Excel…"), self)
        self.excel_button.setEnabled(False)
        self.overdue_days = QSpinBox(self)
        self.overdue_days.setRange(7, 366)
        self.overdue_days.setValue(DEFAULT_OVERDUE_DAYS)
        self.overdue_days.setSuffix(self.tr(" days"))
        self.overdue_days.setToolTip(self.tr("A station is overdue when no bundle of it was imported for this many "
                                             "days."))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period:"), self))
        for w in (self.kind, self.month, self.year, self.date_from, self.to_label, self.date_to,
                  self.refresh_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Overdue after:"), self))
        bar.addWidget(self.overdue_days)
        bar.addWidget(self.excel_button)

        self.table = _table(self, self.headers())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        full_names = stat_labels()
        for index, column in enumerate(self.columns, start=3):
            header_item = self.table.horizontalHeaderItem(index)
            if header_item is not None:
                header_item.setToolTip(full_names[column.key])
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Overview"), self))
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.excel_button.clicked.connect(self._ask_excel)
        self.overdue_days.editingFinished.connect(self._overdue_days_changed)
        self._kind_changed(self.MONTH)

    def headers(self) -> list[str]:
        """The table's column headings."""
        return [self.tr("Station"), self.tr("Last bundle"), self.tr("Status"), *(c.title for c in self.columns)]

    @property
    def busy(self) -> bool:
        """Whether figures are on their way."""
        return self._pending

    def today(self) -> date:
        return self._today or date.today()

    def period(self) -> Period:
        """The period the filter shows (may raise ``period.order`` for a custom period)."""
        today = self.today()
        kind = self.kind.currentIndex()
        if kind == self.MONTH:
            return month_bounds(self.month.date().toPython(), today)  # type: ignore[arg-type]
        if kind == self.YEAR:
            return year_bounds(self.year.value(), today)
        return Period(self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[arg-type]

    def _kind_changed(self, kind: int) -> None:
        self.month.setVisible(kind == self.MONTH)
        self.year.setVisible(kind == self.YEAR)
        for w in (self.date_from, self.to_label, self.date_to):
            w.setVisible(kind == self.CUSTOM)
        if kind != self.CUSTOM:
            self.refresh()

    def refresh(self) -> None:
        """Read the figures again (on the reader worker)."""
        try:
            period = self.period()
        except WusheError as error:
            messages.show_error(self, error)
            return
        self.reloads.stale = False
        self._pending = True
        self._request += 1
        request = self._request

        def show(data: OverviewData) -> None:
            if request == self._request:  # an older request's answer is not shown
                self._show(data)

        def failed(error: BaseException) -> None:
            if request == self._request:
                self._pending = False
                messages.show_error(self, error)

        self._ctx.reader.run(load_overview, self._ctx.db, self._ctx.actor, period, self._today,
                             on_done=show, on_error=failed, parent=self)

    def status_text(self, status: StationStatus) -> str:
        """The station's state in a few words."""
        if status.revoked:
            return self.tr("Key revoked")
        parts = []
        if status.last_sequence is None:
            parts.append(self.tr("Nothing received"))
        if status.overdue:
            parts.append(self.tr("Overdue"))
        if status.last_gap:
            parts.append(self.tr("Bundles missing"))
        return self.tr("; ").join(parts) or self.tr("Up to date")

    def last_bundle_text(self, status: StationStatus) -> str:
        if status.last_sequence is None:
            return self.tr("None yet")
        return self.tr("No. {sequence}, {when}").format(sequence=status.last_sequence,
                                                         when=_local(status.last_imported_at))

    def rows_as_text(self) -> list[list[str]]:
        """The table's rows (totals last) as shown, for the Excel file."""
        if self.data is None:
            return []
        out: list[list[str]] = []
        for row in self.data.rows:
            st = row.status
            figures = [c.text(row.stats) if row.stats is not None else "0" for c in self.columns]
            out.append([st.name, self.last_bundle_text(st), self.status_text(st), *figures])
        out.append([self.tr("Total"), "", "", *(c.text(self.data.total) for c in self.columns)])
        return out

    def _show(self, data: OverviewData) -> None:
        self._pending = False
        self.data = data
        rows = self.rows_as_text()
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, texts in enumerate(rows):
            status = data.rows[r].status if r < len(data.rows) else None
            for c, text in enumerate(texts):
                item = _item(text, numeric=c >= 3, data=status.code if status else None)
                if status is not None and c == 0:
                    item.setToolTip(self.tr("Station code: {code}").format(code=status.code))
                if status is None:
                    item.setFont(bold)
                elif status.revoked:
                    item.setBackground(QBrush(REVOKED_COLOUR))
                elif status.overdue:
                    item.setBackground(QBrush(OVERDUE_COLOUR))
                self.table.setItem(r, c, item)
        overdue = [row.status.name for row in data.rows if row.status.overdue]
        period = data.period
        span = self.tr("{start} to {end}").format(start=period.date_from.isoformat() if period.date_from else "",
                                                  end=period.date_to.isoformat() if period.date_to else "")
        text = self.tr("{count} stations registered; figures for {span}.").format(count=len(data.rows), span=span)
        if overdue:
            text += " " + self.tr("Overdue (no bundle for over {days} days, highlighted): {names}.").format(
                days=data.overdue_days, names="、".join(overdue))
        self.summary.setText(text)
        self.excel_button.setEnabled(True)
        self.overdue_days.blockSignals(True)
        self.overdue_days.setValue(data.overdue_days)
        self.overdue_days.blockSignals(False)

    def _overdue_days_changed(self) -> None:
        """Keep the new limit, then show the overview by it."""
        days = self.overdue_days.value()
        if self.data is not None and days == self.data.overdue_days:
            return
        self._ctx.writer.run(save_overdue_days, self._ctx.db, self._ctx.actor, days, parent=self,
                             on_done=lambda _none: self.refresh())

    def _ask_excel(self) -> None:
        name = self.tr("Station figures {start} to {end}.xlsx")
        period = self.data.period if self.data else Period()
        name = name.format(start=period.date_from or "", end=period.date_to or "")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to Excel"), name, self.tr("Excel files (*.xlsx)"))
        if path:
            self.export_excel(Path(path))

    def export_excel(self, path: Path, on_done: Callable[[int], None] | None = None) -> None:
        """Write the table, as shown, to an Excel file (on the reader worker)."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        headers, rows = self.headers(), self.rows_as_text()
        numeric = list(range(3, len(headers)))

        def done(count: int) -> None:
            messages.inform(self, self.tr("Export to Excel"), self.tr(
                "Saved {count} stations and the totals to {path}.").format(count=count - 1, path=str(path)))
            if on_done is not None:
                on_done(count)

        self._ctx.reader.run(write_xlsx, path, self.tr("Station figures"), headers, rows, numeric,
                             on_done=done, parent=self)


# --- import ----------------------------------------------------------------------------


#: Names of the tables a bundle carries (translated by :func:`table_labels`).
_TABLES: dict[str, str] = {
    "station": QT_TRANSLATE_NOOP("CentrePages", "station details"),
    "community": QT_TRANSLATE_NOOP("CentrePages", "villages and communities"),
    "taxonomy_item": QT_TRANSLATE_NOOP("CentrePages", "list entries"),
    "staff": QT_TRANSLATE_NOOP("CentrePages", "staff"),
    "staff_certificate": QT_TRANSLATE_NOOP("CentrePages", "staff certificates"),
    "staff_training": QT_TRANSLATE_NOOP("CentrePages", "staff training"),
    "social_organisation": QT_TRANSLATE_NOOP("CentrePages", "social organisations"),
    "service_project": QT_TRANSLATE_NOOP("CentrePages", "service projects"),
    "person": QT_TRANSLATE_NOOP("CentrePages", "people served"),
    "person_status": QT_TRANSLATE_NOOP("CentrePages", "categories of people"),
    "household_member": QT_TRANSLATE_NOOP("CentrePages", "household members"),
    "case_file": QT_TRANSLATE_NOOP("CentrePages", "cases"),
    "consent": QT_TRANSLATE_NOOP("CentrePages", "consents"),
    "assessment": QT_TRANSLATE_NOOP("CentrePages", "assessments"),
    "service_plan": QT_TRANSLATE_NOOP("CentrePages", "service plans"),
    "plan_objective": QT_TRANSLATE_NOOP("CentrePages", "plan objectives"),
    "referral": QT_TRANSLATE_NOOP("CentrePages", "referrals"),
    "case_closure": QT_TRANSLATE_NOOP("CentrePages", "closures"),
    "evaluation": QT_TRANSLATE_NOOP("CentrePages", "evaluations"),
    "follow_up": QT_TRANSLATE_NOOP("CentrePages", "follow-ups"),
    "child_protection_report": QT_TRANSLATE_NOOP("CentrePages", "child protection reports"),
    "supervision_record": QT_TRANSLATE_NOOP("CentrePages", "supervision records"),
    "volunteer_team": QT_TRANSLATE_NOOP("CentrePages", "volunteer teams"),
    "volunteer": QT_TRANSLATE_NOOP("CentrePages", "volunteers"),
    "volunteer_team_member": QT_TRANSLATE_NOOP("CentrePages", "team members"),
    "volunteer_training": QT_TRANSLATE_NOOP("CentrePages", "volunteer training"),
    "volunteer_certificate": QT_TRANSLATE_NOOP("CentrePages", "volunteer certificates"),
    "work_group": QT_TRANSLATE_NOOP("CentrePages", "groups"),
    "group_member": QT_TRANSLATE_NOOP("CentrePages", "group members"),
    "activity": QT_TRANSLATE_NOOP("CentrePages", "activities"),
    "activity_organiser": QT_TRANSLATE_NOOP("CentrePages", "activity organisers"),
    "activity_attendee": QT_TRANSLATE_NOOP("CentrePages", "activity attendees"),
    "volunteer_hours": QT_TRANSLATE_NOOP("CentrePages", "volunteer hours"),
    "donation": QT_TRANSLATE_NOOP("CentrePages", "donations"),
    "donation_item": QT_TRANSLATE_NOOP("CentrePages", "donated items"),
    "distribution": QT_TRANSLATE_NOOP("CentrePages", "distributions"),
    "service_record": QT_TRANSLATE_NOOP("CentrePages", "service records"),
    "resource_link": QT_TRANSLATE_NOOP("CentrePages", "resource links"),
}


def table_labels() -> dict[str, str]:
    """Chinese names of the tables a bundle carries."""
    return {table: QCoreApplication.translate("CentrePages", text) for table, text in _TABLES.items()}


@dataclass(frozen=True)
class BundleResult:
    """One bundle's outcome and, for an accepted one, its rows per table."""

    outcome: ImportOutcome
    tables: dict[str, int]


def run_imports(db: Any, actor: Actor, paths: Sequence[Path], dry_run: bool,
                explain: Callable[[WusheError], str], progress: Callable[[int, int], None]) -> list[BundleResult]:
    """Import (or dry-run) each bundle in order, reporting files done (runs on the writer)."""
    results: list[BundleResult] = []
    progress(0, len(paths))
    for i, path in enumerate(paths):
        outcome = import_bundle(db, actor, path, dry_run=dry_run, explain=explain)
        tables: dict[str, int] = {}
        if outcome.accepted:
            try:
                tables = bundle_table_counts(path)
            except WusheError:
                tables = {}
        results.append(BundleResult(outcome, tables))
        progress(i + 1, len(paths))
    return results


def explain_refusal(error: WusheError) -> str:
    """The sentence written beside a quarantined file (the screen's own sentence)."""
    return messages.message_for(error)


class ImportPage(QWidget):
    """导入数据包: choose or drop bundles, preview what each would change, import them."""

    imported = Signal()

    FILE, STATION, SEQUENCE, RESULT = range(4)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.paths: list[Path] = []
        self.results: dict[Path, BundleResult] = {}
        self._running = False
        self.setAcceptDrops(True)

        self.files_button = QPushButton(self.tr("Choose files…"), self)
        self.folder_button = QPushButton(self.tr("Choose a folder…"), self)
        self.clear_button = QPushButton(self.tr("Clear the list"), self)
        self.preview_button = QPushButton(self.tr("Preview (writes nothing)"), self)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setDefault(True)
        hint = QLabel(self.tr("Choose the stations' bundle files (.wsb), or drag them onto this window. Preview "
                              "first: it checks every bundle and says what it would change, without writing "
                              "anything."), self)
        hint.setWordWrap(True)
        bar = QHBoxLayout()
        for b in (self.files_button, self.folder_button, self.clear_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.import_button)

        self.table = _table(self, [self.tr("File"), self.tr("Station"), self.tr("Bundle No."), self.tr("Result")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.RESULT, QHeaderView.ResizeMode.Stretch)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("Select a bundle to read what happened to it."))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Import bundles"), self))
        layout.addWidget(hint)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.files_button.clicked.connect(self._ask_files)
        self.folder_button.clicked.connect(self._ask_folder)
        self.clear_button.clicked.connect(self.clear)
        self.preview_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.table.itemSelectionChanged.connect(self._show_detail)
        self._update_buttons()

    # -- the list of files ----------------------------------------------------------------

    def _ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose bundle files"), "",
                                                self.tr("Data bundles (*.wsb);;All files (*)"))
        self.add_files([Path(n) for n in names])

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder with the bundles"))
        if folder:
            self.add_files([Path(folder)])

    def add_files(self, chosen: Sequence[Path]) -> int:
        """Add files (folders stand for their .wsb files); returns how many were new."""
        if self._running:
            return 0
        found = bundle_files(chosen)
        known = {p.resolve() for p in self.paths}
        new = [p for p in found if p.resolve() not in known]
        self.paths.extend(new)
        if chosen and not found:
            self.summary.setText(self.tr("No bundle files (.wsb) were found there."))
        elif new:
            self.summary.setText(self.tr("{count} bundles in the list. Preview them first, then import.").format(
                count=len(self.paths)))
        self._fill()
        return len(new)

    def clear(self) -> None:
        if self._running:
            return
        self.paths.clear()
        self.results.clear()
        self.summary.clear()
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.paths))
        for r, path in enumerate(self.paths):
            result = self.results.get(path)
            outcome = result.outcome if result else None
            station = ""
            if outcome is not None and outcome.station_code:
                station = f"{outcome.station_name}（{outcome.station_code}）" if outcome.station_name \
                    else outcome.station_code
            seq = str(outcome.sequence) if outcome is not None and outcome.sequence else ""
            verdict = self.verdict(outcome) if outcome is not None else self.tr("Not checked yet")
            cells = [path.name, station, seq, verdict]
            for c, text in enumerate(cells):
                item = _item(text, numeric=c == self.SEQUENCE, data=str(path))
                if outcome is not None:
                    item.setBackground(QBrush(ACCEPTED_COLOUR if outcome.accepted else REFUSED_COLOUR))
                self.table.setItem(r, c, item)
        self._update_buttons()
        self._show_detail()

    def _update_buttons(self) -> None:
        has = bool(self.paths) and not self._running
        for b in (self.preview_button, self.import_button, self.clear_button):
            b.setEnabled(has)
        for b in (self.files_button, self.folder_button):
            b.setEnabled(not self._running)

    # -- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()

    # -- running --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a preview or import is on its way."""
        return self._running

    def run(self, *, dry_run: bool) -> None:
        """Preview or import every bundle in the list (on the writer worker, with progress)."""
        if not self.paths or self._running:
            return
        self._running = True
        self._update_buttons()
        paths = list(self.paths)
        label = self.tr("Checking the bundles…") if dry_run else self.tr("Importing the bundles…")

        def done(results: list[BundleResult]) -> None:
            self._running = False
            for path, result in zip(paths, results, strict=True):
                self.results[path] = result
            self._fill()
            self._summarise(results, dry_run)
            if self.table.rowCount():
                self.table.selectRow(0)
            if not dry_run:
                self._ctx.events.changed.emit("bundles")
                self.imported.emit()

        def failed(error: BaseException) -> None:
            self._running = False
            self._update_buttons()
            messages.show_error(self, error)

        self._ctx.writer.run(run_imports, self._ctx.db, self._ctx.actor, paths, dry_run, explain_refusal,
                             on_done=done, on_error=failed, parent=self, progress_label=label, with_progress=True)

    def _summarise(self, results: Sequence[BundleResult], dry_run: bool) -> None:
        good = sum(r.outcome.accepted for r in results)
        bad = len(results) - good
        if dry_run:
            text = self.tr("Preview: {good} of {total} bundles can be imported; {bad} would be refused. Nothing was "
                           "written.").format(good=good, total=len(results), bad=bad)
        else:
            text = self.tr("Imported {good} of {total} bundles; a receipt was written for each.").format(
                good=good, total=len(results))
            if bad:
                text += " " + self.tr("{bad} refused: their copies and the reasons are in {folder}.").format(
                    bad=bad, folder=str(self.quarantine_folder(results)))
        self.summary.setText(text)

    @staticmethod
    def quarantine_folder(results: Sequence[BundleResult]) -> Path:
        for r in results:
            if r.outcome.quarantined is not None:
                return r.outcome.quarantined.parent
        return Path()

    # -- describing outcomes --------------------------------------------------------------

    def verdict(self, outcome: ImportOutcome) -> str:
        """A few words: what happened to the bundle."""
        if not outcome.accepted:
            return self.tr("Refused: {reason}").format(reason=self.reason(outcome))
        if outcome.dry_run:
            if outcome.already_imported:
                return self.tr("Already imported; nothing would change")
            return self.tr("Can be imported: {new} new, {updated} updated").format(new=outcome.new,
                                                                                   updated=outcome.updated)
        if outcome.already_imported:
            return self.tr("Already imported before; nothing changed")
        return self.tr("Imported: {new} new, {updated} updated").format(new=outcome.new, updated=outcome.updated)

    @staticmethod
    def reason(outcome: ImportOutcome) -> str:
        if outcome.error is not None:
            return messages.message_for(outcome.error)
        return outcome.reason

    def describe(self, result: BundleResult) -> str:
        """Everything about one bundle, in sentences."""
        o = result.outcome
        lines = [self.tr("File: {path}").format(path=str(o.path))]
        if not o.accepted:
            lines.append(self.tr("Refused: {reason}").format(reason=self.reason(o)))
            if o.quarantined is not None:
                lines.append(self.tr("A copy of the file and the reason are in the quarantine folder: {path}").format(
                    path=str(o.quarantined)))
            elif o.dry_run:
                lines.append(self.tr("This was a preview: nothing was written."))
            return "\n".join(lines)
        kind = self.tr("full") if o.full else self.tr("changes only")
        lines.append(self.tr("Station: {name} ({code}); bundle No. {sequence} ({kind}); {rows} records.").format(
            name=o.station_name, code=o.station_code, sequence=o.sequence, kind=kind, rows=o.rows))
        verb = self.tr("Would change") if o.dry_run else self.tr("Changed")
        lines.append(self.tr("{verb}: {new} new, {updated} updated, {unchanged} unchanged.").format(
            verb=verb, new=o.new, updated=o.updated, unchanged=o.unchanged))
        if result.tables:
            labels = table_labels()
            parts = [f"{labels.get(t, t)} {n}" for t, n in result.tables.items()]
            lines.append(self.tr("Records by kind: {parts}").format(parts="，".join(parts)))
        if o.already_imported:
            lines.append(self.tr("This very bundle was imported before; nothing changes."))
        elif o.older:
            lines.append(self.tr("A newer bundle of this station was imported before; nothing newer is rolled back."))
        if o.gap is not None:
            first, last = o.gap
            span = str(first) if first == last else f"{first}–{last}"
            lines.append(self.tr("Bundle(s) No. {span} never arrived. Ask the station to make a full export "
                                 "(导出数据包, 完整导出) and bring it.").format(span=span))
        elif o.rows_may_be_missing:
            lines.append(self.tr("Some changes may be missing. Ask the station to make a full export and bring it."))
        if o.dry_run:
            lines.append(self.tr("This was a preview: nothing was written."))
        elif o.receipt_path is not None:
            where = self.tr("beside the bundle") if o.receipt_beside else self.tr(
                "in the centre's folder (the bundle's folder could not be written)")
            lines.append(self.tr("Receipt written {where}: {path}. Give it to the station.").format(
                where=where, path=str(o.receipt_path)))
        else:
            lines.append(self.tr("The receipt could not be written; import the bundle again from a folder that "
                                 "can be written."))
        return "\n".join(lines)

    def _show_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.detail.clear()
            return
        path = self.paths[rows[0].row()] if rows[0].row() < len(self.paths) else None
        result = self.results.get(path) if path is not None else None
        if result is None:
            self.detail.setPlainText(self.tr("File: {path}\nNot checked yet: press Preview.").format(
                path=str(path)) if path else "")
        else:
            self.detail.setPlainText(self.describe(result))

    def quarantine(self) -> Path:
        return quarantine_dir(self._ctx.db)


def dropped_paths(mime: Any) -> list[Path]:
    """Local files and folders in dropped data (bundles, or folders holding them)."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() == BUNDLE_SUFFIX]


# --- the register of stations ----------------------------------------------------------


class TrustDialog(QDialog):
    """Shows a card's station and fingerprint; registers it only after the admin compared it."""

    def __init__(self, preview: CardPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        rotation = preview.kind == "rotation"
        self.setWindowTitle(self.tr("Register a key change") if rotation else self.tr("Register a station"))
        form = QFormLayout()
        if rotation:
            form.addRow(self.tr("Station code:"), QLabel(preview.code, self))
            form.addRow(self.tr("Key replaced:"), QLabel(preview.old_fingerprint, self))
        else:
            form.addRow(self.tr("Station:"), QLabel(preview.name, self))
            form.addRow(self.tr("Station code:"), QLabel(preview.code, self))
            form.addRow(self.tr("Banner:"), QLabel(preview.banner_name, self))
        self.fingerprint = QLabel(preview.fingerprint, self)
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(14)
        font.setBold(True)
        self.fingerprint.setFont(font)
        form.addRow(self.tr("Key fingerprint:"), self.fingerprint)
        ask = QLabel(self.tr(
            "Compare this fingerprint, group by group, with the one printed on the station's card (or read out "
            "by the station head on the phone). Register only if every group is the same; if any differs, do "
            "not register and call the station."), self)
        ask.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.confirm_button = buttons.addButton(self.tr("The fingerprint matches: register"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("It differs: do not register"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ask)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)


def load_register(db: Any, actor: Actor) -> tuple[KeyInfo, list[StationStatus]]:
    """The centre's own keys and every registered station (runs on the reader)."""
    return show_keys(db), station_statuses(db, actor)


class StationsPage(QWidget):
    """站点登记: register station cards, revoke stations, hand out the centre's card."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pending = False
        self.reloads = ReloadWhenShown(self, ctx.events, ("bundles", "stations"), self.refresh,
                                       ready=lambda: not self._pending)
        self.statuses: list[StationStatus] = []
        self.keys: KeyInfo | None = None
        self.trust_dialog: TrustDialog | None = None

        own = QGroupBox(self.tr("This centre's card"), self)
        self.centre_label = QLabel(self)
        self.centre_label.setWordWrap(True)
        self.centre_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_card_button = QPushButton(self.tr("Save the centre's card…"), self)
        own_layout = QHBoxLayout(own)
        own_layout.addWidget(self.centre_label, 1)
        own_layout.addWidget(self.save_card_button, 0, Qt.AlignmentFlag.AlignTop)

        self.register_button = QPushButton(self.tr("Register a station card…"), self)
        self.revoke_button = QPushButton(self.tr("Revoke the selected station…"), self)
        self.revoke_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.register_button)
        bar.addWidget(self.revoke_button)
        bar.addStretch(1)
        self.table = _table(self, [self.tr("Station code"), self.tr("Station"), self.tr("Banner"),
                                   self.tr("Key fingerprint"), self.tr("Registered on"), self.tr("Status"),
                                   self.tr("Bundles")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Station register"), self))
        layout.addWidget(own)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.save_card_button.clicked.connect(self._ask_card_folder)
        self.register_button.clicked.connect(self._ask_card)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    @property
    def busy(self) -> bool:
        return self._pending

    def refresh(self) -> None:
        self.reloads.stale = False
        self._pending = True

        def failed(error: BaseException) -> None:
            self._pending = False
            messages.show_error(self, error)

        self._ctx.reader.run(load_register, self._ctx.db, self._ctx.actor, on_done=self._show, on_error=failed,
                             parent=self)

    def _show(self, loaded: tuple[KeyInfo, list[StationStatus]]) -> None:
        self._pending = False
        self.keys, self.statuses = loaded
        info = self.keys
        lines = [self.tr("{name} ({code})").format(name=info.name, code=info.code),
                 self.tr("Signing key fingerprint (receipts): {fp}").format(fp=info.fingerprint),
                 self.tr("Encryption key fingerprint (bundles): {fp}").format(fp=info.box_fingerprint or "—"),
                 self.tr("Give the stations this centre's card file and read the signing key fingerprint to them "
                         "on the phone.")]
        self.centre_label.setText("\n".join(lines))
        self.table.setRowCount(len(self.statuses))
        for r, st in enumerate(self.statuses):
            state = self.tr("Revoked") if st.revoked else self.tr("Registered")
            cells = [st.code, st.name, st.banner_name, st.fingerprint, _local(st.registered_at), state,
                     str(st.bundles)]
            for c, text in enumerate(cells):
                item = _item(text, numeric=c == 6, data=st.code)
                if st.revoked:
                    item.setBackground(QBrush(REVOKED_COLOUR))
                self.table.setItem(r, c, item)
        self._selection_changed()

    def selected(self) -> StationStatus | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.statuses):
            return None
        return self.statuses[rows[0].row()]

    def _selection_changed(self) -> None:
        st = self.selected()
        self.revoke_button.setEnabled(st is not None and not st.revoked)

    # -- registering ----------------------------------------------------------------------

    def _ask_card(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the station's card"), "",
                                              self.tr("Station cards (*.card *.json);;All files (*)"))
        if name:
            self.register_card(Path(name))

    def register_card(self, path: Path) -> None:
        """Read a card, then ask the admin to compare its fingerprint (:class:`TrustDialog`)."""
        self._ctx.reader.run(preview_card, path, on_done=lambda preview: self._ask_trust(path, preview),
                             on_error=self._card_refused, parent=self)

    def _card_refused(self, error: BaseException) -> None:
        messages.show_error(self, error)

    def _ask_trust(self, path: Path, preview: CardPreview) -> None:
        dialog = TrustDialog(preview, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.trust_dialog = dialog

        def answered(result: int) -> None:
            self.trust_dialog = None
            if result == QDialog.DialogCode.Accepted.value:
                self._trust(path, preview)

        dialog.finished.connect(answered)
        dialog.open()

    def _trust(self, path: Path, preview: CardPreview) -> None:
        """Register the card, refusing it unless its fingerprint is still the one compared."""
        def done(result: TrustResult) -> None:
            texts = {
                "registered": self.tr("Registered {name} ({code}) with key fingerprint {fp}."),
                "unchanged": self.tr("{name} ({code}) was already registered with this key; nothing changed."),
                "replaced": self.tr("Registered the new key of {name} ({code}): {fp}. It replaces {previous}."),
                "rotated": self.tr("Registered the key change of {name} ({code}): {fp} replaces {previous}."),
            }
            text = texts.get(result.status, texts["registered"]).format(
                name=result.name, code=result.code, fp=result.fingerprint, previous=result.previous_fingerprint)
            if result.other_banner:
                text += " " + self.tr("Note: this station is not in this centre's banner.")
            messages.inform(self, self.tr("Station register"), text)
            self._ctx.events.changed.emit("stations")

        db, actor, expected = self._ctx.db, self._ctx.actor, preview.fingerprint
        self._ctx.writer.run(lambda: trust_station(db, actor, path, expect_fingerprint=expected),
                             on_done=done, parent=self)

    # -- revoking -------------------------------------------------------------------------

    def revoke_selected(self) -> None:
        st = self.selected()
        if st is None or st.revoked:
            return
        question = self.tr("Revoke the key of {name} ({code})? Its bundles will be refused until it registers a "
                           "new card. Do this only if its PC was lost or its key may be known to others.").format(
            name=st.name, code=st.code)
        if not messages.confirm(self, self.tr("Revoke a station"), question, self.tr("Revoke"),
                                self.tr("Keep it")):
            return

        def done(result: Any) -> None:
            messages.inform(self, self.tr("Station register"), self.tr(
                "Revoked the key of {name} ({code}). Register its new card when it has one.").format(
                name=result.name, code=result.code))
            self._ctx.events.changed.emit("stations")

        self._ctx.writer.run(revoke_station, self._ctx.db, self._ctx.actor, st.code, on_done=done, parent=self)

    # -- the centre's card ----------------------------------------------------------------

    def _ask_card_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose where to save the centre's card"))
        if folder:
            self.save_centre_card(Path(folder))

    def save_centre_card(self, folder: Path) -> None:
        """Write this centre's card into a folder (a USB stick) for the stations."""
        def done(card: CardResult) -> None:
            messages.inform(self, self.tr("This centre's card"), self.tr(
                "Saved the centre's card to {path}. Give it to the stations and read them its fingerprint: "
                "{fp}.").format(path=str(card.path), fp=card.fingerprint))

        self._ctx.writer.run(export_card, self._ctx.db, self._ctx.actor, folder, on_done=done, parent=self)

    # -- reloading ------------------------------------------------------------------------


# --- supervision -----------------------------------------------------------------------


def no_contact_since(case: dict[str, Any], today: date, days: int) -> bool:
    """A working case whose last contact (or, without one, its intake) is over ``days`` ago.

    The same rule as the supervision list (``services.cases.todo``).
    """
    if CaseStage(case["stage"]) not in WORKING_STAGES:
        return False
    last = case.get("last_contact") or case.get("intake_date")
    return last is not None and date.fromisoformat(last) < today - timedelta(days=days)


class AcrossStationsPanel(QWidget):
    """跨站服务对象: people (or volunteers) more than one station holds, by masked ID number.

    One top-level row per person (masked ID number, how many stations, total records),
    one child row per station (its name, the name or pseudonym it holds, its records).
    """

    KINDS = ("person", "volunteer")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pending = False
        self.reloads = ReloadWhenShown(self, ctx.events, ("bundles", "stations"), self.refresh,
                                       ready=lambda: not self._pending)
        self.people: list[SharedPerson] = []

        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("People served"), "person")
        self.kind.addItem(self.tr("Volunteers"), "volunteer")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Show:"), self))
        bar.addWidget(self.kind)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        note = QLabel(self.tr("People held by more than one station, matched by ID number (also between a station "
                              "that sends full records and one that sends de-identified data). ID numbers are shown "
                              "masked; a de-identified station's name is its code name."), self)
        note.setWordWrap(True)
        self.count_label = QLabel(self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(5)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self._set_headers()

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(bar)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tree, 1)

        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)

    @property
    def busy(self) -> bool:
        return self._pending

    def current_kind(self) -> str:
        return str(self.kind.currentData() or "person")

    def _set_headers(self) -> None:
        records = self.tr("Cases") if self.current_kind() == "person" else self.tr("Service entries")
        self.tree.setHeaderLabels([self.tr("ID number (masked)"), self.tr("Station"), self.tr("Name held"),
                                   records, self.tr("Records from")])

    def refresh(self) -> None:
        """Reload the list for the chosen kind."""
        self.reloads.stale = False
        self._pending = True
        self._ctx.reader.run(people_across_stations, self._ctx.db, self._ctx.actor, self.current_kind(),
                             on_done=self._show, on_error=self._failed, parent=self)

    def _failed(self, error: BaseException) -> None:
        self._pending = False
        messages.show_error(self, error)

    def _show(self, people: list[SharedPerson]) -> None:
        self._pending = False
        self.people = people
        self._set_headers()
        self.tree.clear()
        full, deidentified = self.tr("Full records"), self.tr("De-identified")
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for person in people:
            top = QTreeWidgetItem([person.masked_id, self.tr("{count} stations").format(count=person.station_count),
                                   "", str(sum(h.records for h in person.holdings)), ""])
            top.setData(0, Qt.ItemDataRole.UserRole, person.id_hash)
            top.setTextAlignment(3, right)
            bold = QFont(top.font(0))
            bold.setBold(True)
            top.setFont(0, bold)
            for holding in person.holdings:
                child = QTreeWidgetItem(["", f"{holding.station_name}（{holding.station_code}）", holding.name,
                                         str(holding.records), deidentified if holding.deidentified else full])
                child.setTextAlignment(3, right)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        if not people:
            text = self.tr("No one is held by more than one station.")
        elif self.current_kind() == "person":
            text = self.tr("{count} people served by more than one station.").format(count=len(people))
        else:
            text = self.tr("{count} volunteers registered at more than one station.").format(count=len(people))
        self.count_label.setText(text)

    def rows_as_text(self) -> list[list[str]]:
        """Every row shown (people and their stations), as text (tests, checks)."""
        rows: list[list[str]] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            rows.append([top.text(c) for c in range(self.tree.columnCount())])
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    rows.append([child.text(c) for c in range(self.tree.columnCount())])
        return rows


class SupervisionPage(QWidget):
    """督导查阅: a station's cases, read-only; filter; print the supervision list.

    A second tab lists the people more than one station holds (:class:`AcrossStationsPanel`).
    """

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._pending = False
        self.reloads = ReloadWhenShown(self, ctx.events, ("bundles", "stations"), self.refresh,
                                       ready=lambda: not self._pending)
        self.cases: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []

        self.station = QComboBox(self)
        self.station.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.high_risk = QCheckBox(self.tr("High risk only"), self)
        self.no_contact = QCheckBox(self.tr("No contact for over"), self)
        self.days = QSpinBox(self)
        self.days.setRange(1, 365)
        self.days.setValue(DEFAULT_NO_CONTACT_DAYS)
        self.days.setSuffix(self.tr(" days"))
        self.print_button = QPushButton(self.tr("Print the supervision list…"), self)
        self.print_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Station:"), self))
        bar.addWidget(self.station)
        bar.addWidget(self.high_risk)
        bar.addWidget(self.no_contact)
        bar.addWidget(self.days)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        note = QLabel(self.tr("Read-only copies of the station's cases as its last bundle brought them. The printed "
                              "list holds the high-risk cases with no contact for the days chosen."), self)
        note.setWordWrap(True)
        self.count_label = QLabel(self)
        self.table = _table(self, [self.tr("Case No."), self.tr("Client"), self.tr("Stage"), self.tr("Risk"),
                                   self.tr("Intake date"), self.tr("Social worker"), self.tr("Service records"),
                                   self.tr("Last contact")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)

        self.tabs = QTabWidget(self)
        cases_tab = QWidget(self.tabs)
        cases_layout = QVBoxLayout(cases_tab)
        cases_layout.addWidget(note)
        cases_layout.addLayout(bar)
        cases_layout.addWidget(self.count_label)
        cases_layout.addWidget(self.table, 1)
        self.across = AcrossStationsPanel(ctx, self.tabs)
        self.tabs.addTab(cases_tab, self.tr("Cases by station"))
        self.tabs.addTab(self.across, self.tr("Across stations"))

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Supervision"), self))
        layout.addWidget(self.tabs, 1)

        self.station.currentIndexChanged.connect(lambda _i: self.load_cases())
        for box in (self.high_risk, self.no_contact):
            box.toggled.connect(lambda _on: self.apply_filter())
        self.days.valueChanged.connect(lambda _v: self.apply_filter())
        self.print_button.clicked.connect(self.print_list)

    @property
    def busy(self) -> bool:
        return self._pending

    def today(self) -> date:
        return self._today or date.today()

    def station_code(self) -> str:
        return str(self.station.currentData() or "")

    def refresh(self) -> None:
        """Reload the stations (then the chosen station's cases)."""
        self.reloads.stale = False
        self._pending = True
        self._ctx.reader.run(station_statuses, self._ctx.db, self._ctx.actor, on_done=self._show_stations,
                             on_error=self._failed, parent=self)

    def _failed(self, error: BaseException) -> None:
        self._pending = False
        messages.show_error(self, error)

    def _show_stations(self, statuses: list[StationStatus]) -> None:
        current = self.station_code()
        self.station.blockSignals(True)
        self.station.clear()
        for st in statuses:
            if st.bundles:
                self.station.addItem(f"{st.name}（{st.code}）", st.code)
        index = max(self.station.findData(current), 0)
        self.station.setCurrentIndex(index if self.station.count() else -1)
        self.station.blockSignals(False)
        if not self.station.count():
            self._pending = False
            self.cases = []
            self.apply_filter()
            self.count_label.setText(self.tr("No station has sent a bundle yet."))
            return
        self.load_cases()

    def load_cases(self) -> None:
        code = self.station_code()
        if not code:
            return
        self._pending = True

        def show(cases: list[dict[str, Any]]) -> None:
            self._pending = False
            self.cases = cases
            self.apply_filter()

        self._ctx.reader.run(centre_list, self._ctx.db, self._ctx.actor, "cases", code, on_done=show,
                             on_error=self._failed, parent=self)

    def apply_filter(self) -> None:
        today, days = self.today(), self.days.value()
        shown = [c for c in self.cases
                 if (not self.high_risk.isChecked() or c["risk_level"] == RiskLevel.HIGH.value)
                 and (not self.no_contact.isChecked() or no_contact_since(c, today, days))]
        self.shown = shown
        stages, risks = stage_labels(), risk_labels()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(shown))
        for r, c in enumerate(shown):
            cells = [c["case_no"] or "", c["name"] or "", stages.get(CaseStage(c["stage"]), c["stage"]),
                     risks.get(RiskLevel(c["risk_level"]), c["risk_level"]), c["intake_date"] or "",
                     c["worker"] or "", str(c["service_records"]), c["last_contact"] or ""]
            for col, text in enumerate(cells):
                item = _item(text, numeric=col == 6)
                if col == 6:
                    item.setData(Qt.ItemDataRole.DisplayRole, int(c["service_records"]))
                if c["risk_level"] == RiskLevel.HIGH.value:
                    item.setForeground(QBrush(QColor("#a61b1b")))
                self.table.setItem(r, col, item)
        self.table.setSortingEnabled(True)
        if self.station.count():
            self.count_label.setText(self.tr("{shown} of {total} cases shown.").format(shown=len(shown),
                                                                                     total=len(self.cases)))
        self.print_button.setEnabled(bool(self.station_code()))

    def print_list(self) -> None:
        """Preview and print the supervision list of the chosen station."""
        code, days, today = self.station_code(), self.days.value(), self._today
        if not code:
            return
        db, actor = self._ctx.db, self._ctx.actor
        preview_pdf(self, self._ctx, self.tr("Supervision list"),
                    lambda: print_supervision_list(db, actor, days, today=today, station=code),
                    self.tr("Supervision list {code}.pdf").format(code=code))

