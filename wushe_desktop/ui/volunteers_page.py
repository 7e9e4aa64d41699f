"""The volunteers screen (志愿者): the list, one volunteer's record, hours awaiting
confirmation across all volunteers, and the teams.

Three tabs. *Volunteers*: the searchable list beside the chosen volunteer's record
(particulars with the ID number masked, teams, confirmed total and star level, and the
service lines of a period with their status), with registration, editing, hours entry,
confirmation, correction and the certificate. *Hours awaiting confirmation*: every
pending line of every volunteer, ticked and confirmed in one action by the station head
(scenario 1). *Teams*: create a team, add and remove members.

Every read runs on the reader worker and every write on the writer worker; after a write
the screen announces ``"volunteers"`` / ``"hours"`` so the dashboard and lists reload.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.services.printing import print_volunteer_form
from wushe_desktop.services.volunteers import (
    HoursView,
    TeamView,
    VolunteerSummary,
    VolunteerView,
    add_to_team,
    confirm_hours,
    list_hours,
    list_team_members,
    list_teams,
    remove_from_team,
    volunteer_summary,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.labels import hours_status_labels, sex_labels
from wushe_desktop.ui.list_page import ListPage
from wushe_desktop.ui.list_sources import VolunteerRow
from wushe_desktop.ui.lists import volunteers_spec
from wushe_desktop.ui.pdf_preview import preview_pdf
from wushe_desktop.ui.table_model import ROW_ROLE
from wushe_desktop.ui.volunteer_dialogs import (
    CertificateDialog,
    CorrectionDialog,
    HoursDialog,
    TeamDialog,
    VolunteerForm,
    VolunteerPicker,
    date_edit,
    from_qdate,
    history_lines,
    hours_text,
    to_qdate,
)

# Where each tab sits.
LIST_TAB, PENDING_TAB, TEAMS_TAB = range(3)

# The data role of a table row's frozen record.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 7

# The star shown for each level reached (and not reached).
STAR, NO_STAR = "★", "☆"


def _table(parent: QWidget, headers: list[str], *, multi: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def _cell(text: str, record: object = None, numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if record is not None:
        item.setData(RECORD_ROLE, record)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fit_columns(table: QTableWidget, widest: int = 260) -> None:
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, min(table.columnWidth(column) + 10, widest))


class VolunteerDetail(QWidget):
    """One volunteer's record: particulars, stars, and the hours of a period.

    Signals:
        loaded(): the record (for the period chosen) is shown.
        message(str): a line for the status bar.
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.volunteer_id: UUID | None = None
        self.summary: VolunteerSummary | None = None

        self.stack = QStackedWidget(self)
        self.empty = QLabel(self.tr("Choose a volunteer in the list to see their record, or click New… to "
                                    "register one."), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("placeholderText")
        record = QWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(record)

        self.heading = QLabel(record)
        self.heading.setObjectName("sectionTitle")
        self.heading.setStyleSheet("font-size: 14pt;")
        self.stars = QLabel(record)
        self.stars.setObjectName("starLevel")
        self.stars.setStyleSheet("color: #b7791f; font-size: 12pt;")
        self.stars.setWordWrap(True)
        self.particulars: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        fields = [("sex_age", self.tr("Sex, age")), ("id", self.tr("ID number")), ("phone", self.tr("Phone")),
                  ("registered", self.tr("Registered on")), ("skills", self.tr("Skills")),
                  ("teams", self.tr("Teams")), ("available", self.tr("Available")),
                  ("insurance", self.tr("Insurance"))]
        for i, (key, caption) in enumerate(fields):
            label = QLabel(record)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.particulars[key] = label
            title = QLabel(caption + self.tr(":"), record)
            title.setStyleSheet("color: #555555;")
            grid.addWidget(title, i // 2, (i % 2) * 2)
            grid.addWidget(label, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.edit_button = QPushButton(self.tr("Edit…"), record)
        self.hours_button = QPushButton(self.tr("Enter hours…"), record)
        self.certificate_button = QPushButton(self.tr("Certificate…"), record)
        self.form_button = QPushButton(self.tr("Print registration form"), record)
        actions = QHBoxLayout()
        for button in (self.edit_button, self.hours_button, self.certificate_button, self.form_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.limit = QCheckBox(self.tr("Only the period from"), record)
        today = date.today()
        self.date_from = date_edit(record, date(today.year, 1, 1))
        self.date_to = date_edit(record, today)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        period = QHBoxLayout()
        period.addWidget(self.limit)
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("to"), record))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.totals = QLabel(record)
        self.totals.setObjectName("periodTotals")
        self.totals.setWordWrap(True)

        self.lines = _table(record, [self.tr("Date"), self.tr("Hours"), self.tr("Status"), self.tr("What was done"),
                                     self.tr("Place"), self.tr("Recorded by"), self.tr("Confirmed by")], multi=True)
        self.confirm_button = QPushButton(self.tr("Confirm selected"), record)
        self.correct_button = QPushButton(self.tr("Correct…"), record)
        self.history = QLabel(record)
        self.history.setObjectName("lineHistory")
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color: #555555;")
        below = QHBoxLayout()
        below.addWidget(self.history, 1)
        below.addWidget(self.confirm_button)
        below.addWidget(self.correct_button)

        layout = QVBoxLayout(record)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stars)
        layout.addLayout(grid)
        layout.addLayout(actions)
        layout.addLayout(period)
        layout.addWidget(self.totals)
        layout.addWidget(self.lines, 1)
        layout.addLayout(below)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.limit.toggled.connect(self._period_changed)
        self.date_from.dateChanged.connect(self._period_changed)
        self.date_to.dateChanged.connect(self._period_changed)
        self.lines.itemSelectionChanged.connect(self._selection_changed)
        self.lines.doubleClicked.connect(lambda _index: self.correct_selected())
        self.edit_button.clicked.connect(self.edit)
        self.hours_button.clicked.connect(self.enter_hours)
        self.certificate_button.clicked.connect(self.certificate)
        self.form_button.clicked.connect(self.print_form)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        ctx.events.changed.connect(self._on_data_changed)
        self._selection_changed()

    # -- public ------------------------------------------------------------------------

    @property
    def volunteer(self) -> VolunteerView | None:
        """The volunteer shown (once read)."""
        return self.summary.volunteer if self.summary is not None else None

    def period(self) -> tuple[date | None, date | None]:
        """The period the lines are filtered by (None ends: everything)."""
        if not self.limit.isChecked():
            return None, None
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def set_period(self, date_from: date | None, date_to: date | None) -> None:
        """Filter by a period (both None: the whole record)."""
        self.limit.blockSignals(True)
        self.date_from.blockSignals(True)
        self.date_to.blockSignals(True)
        self.limit.setChecked(date_from is not None or date_to is not None)
        if date_from is not None:
            self.date_from.setDate(to_qdate(date_from))
        if date_to is not None:
            self.date_to.setDate(to_qdate(date_to))
        self.limit.blockSignals(False)
        self.date_from.blockSignals(False)
        self.date_to.blockSignals(False)
        self._period_changed()

    def show_volunteer(self, volunteer_id: UUID | None) -> None:
        """Show a volunteer's record (``None``: the hint to choose one)."""
        self.volunteer_id = volunteer_id
        if volunteer_id is None:
            self.summary = None
            self.stack.setCurrentIndex(0)
            return
        self.reload()

    def reload(self) -> None:
        """Read the shown volunteer's record again for the period chosen."""
        if self.volunteer_id is None:
            return
        self._generation += 1
        generation = self._generation
        date_from, date_to = self.period()
        self._ctx.reader.run(volunteer_summary, self._ctx.db, self._ctx.actor, self.volunteer_id, date_from,
                             date_to, on_done=lambda summary: self._show(generation, summary),
                             on_error=lambda exc: self._failed(generation, exc), parent=self)

    def selected_lines(self) -> list[HoursView]:
        """The hours lines selected in the table."""
        rows = sorted({index.row() for index in self.lines.selectionModel().selectedRows()})
        found = []
        for row in rows:
            item = self.lines.item(row, 0)
            if item is not None:
                found.append(item.data(RECORD_ROLE))
        return found

    def edit(self) -> None:
        """Edit the volunteer's particulars."""
        if self.volunteer_id is None:
            return
        result = VolunteerForm.ask(self, self._ctx, self.volunteer_id)
        if result is not None:
            self.message.emit(self.tr("Saved: {name}.").format(name=result.volunteer.name))

    def enter_hours(self) -> None:
        """Enter a service line for this volunteer."""
        volunteer = self.volunteer
        if volunteer is None:
            return
        line = HoursDialog.ask(self, self._ctx, volunteer)
        if line is not None:
            self.message.emit(self.tr("{hours} hours entered for {name}; they await confirmation.").format(
                hours=hours_text(line.credited_tenths), name=line.volunteer_name))

    def certificate(self) -> None:
        """Open the certificate dialog with the period shown here."""
        volunteer = self.volunteer
        if volunteer is not None:
            CertificateDialog.ask(self, self._ctx, volunteer, *self.period())

    def print_form(self) -> None:
        """Preview and print the registration form (for the volunteer's signature)."""
        volunteer = self.volunteer
        if volunteer is None:
            return
        ctx, number = self._ctx, volunteer.volunteer_no
        preview_pdf(self, ctx, self.tr("Volunteer registration form"),
                    lambda: print_volunteer_form(ctx.db, ctx.actor, number),
                    self.tr("volunteer-form-{name}").format(name=volunteer.name) + ".pdf")

    def confirm_selected(self) -> None:
        """Confirm the selected lines that await confirmation (station head)."""
        pending = [line for line in self.selected_lines() if line.status == HoursStatus.PENDING]
        if not pending:
            self.message.emit(self.tr("Select lines awaiting confirmation first."))
            return
        confirm_lines(self, self._ctx, [line.uuid for line in pending], self.message.emit)

    def correct_selected(self) -> None:
        """Correct the selected line, keeping its history (station head)."""
        chosen = self.selected_lines()
        if len(chosen) != 1:
            self.message.emit(self.tr("Select one line to correct."))
            return
        line = chosen[0]
        if line.status == HoursStatus.VOID:
            self.message.emit(self.tr("This line was voided and cannot be corrected."))
            return
        corrected = CorrectionDialog.ask(self, self._ctx, line)
        if corrected is not None:
            self.message.emit(self.tr("Corrected to {hours} hours; the old value is kept in the history.").format(
                hours=hours_text(corrected.credited_tenths)))

    # -- internals -----------------------------------------------------------------------

    def _period_changed(self, *_args: object) -> None:
        self.date_from.setEnabled(self.limit.isChecked())
        self.date_to.setEnabled(self.limit.isChecked())
        self.reload()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            messages.show_error(self, error)

    def _show(self, generation: int, summary: VolunteerSummary) -> None:
        if generation != self._generation:
            return
        self.summary = summary
        v = summary.volunteer
        self.stack.setCurrentIndex(1)
        self.heading.setText(self.tr("{name}  ({number})").format(name=v.name, number=v.volunteer_no))
        stars = STAR * summary.star_level + NO_STAR * (5 - summary.star_level)
        if summary.next_star_hours is not None:
            star_text = self.tr("{stars}  {level}-star volunteer: {total} confirmed hours in all; the next star at "
                                "{next} hours.").format(stars=stars, level=summary.star_level,
                                                         total=hours_text(summary.total_confirmed_tenths),
                                                         next=summary.next_star_hours)
        else:
            star_text = self.tr("{stars}  {level}-star volunteer: {total} confirmed hours in all.").format(
                stars=stars, level=summary.star_level, total=hours_text(summary.total_confirmed_tenths))
        self.stars.setText(star_text)
        sexes = sex_labels()
        sex = sexes.get(v.sex, "") if v.sex else ""
        age = self.tr("{age} years").format(age=v.age) if v.age is not None else ""
        insurance = v.insurance_policy
        if v.insurance_until is not None:
            insurance = self.tr("{policy} (until {date})").format(policy=insurance,
                                                                  date=v.insurance_until.isoformat())
        values = {
            "sex_age": "，".join(x for x in (sex, age) if x),
            "id": v.id_number_masked or "",
            "phone": v.phone_masked,
            "registered": v.registered_on.isoformat(),
            "skills": v.skills_text,
            "teams": "、".join(v.teams),
            "available": v.availability,
            "insurance": insurance,
        }
        for key, label in self.particulars.items():
            label.setText(values[key] or "—")
        counted = sum(1 for line in summary.lines if line.counts)
        if summary.date_from is None and summary.date_to is None:
            totals = self.tr("All lines: {confirmed} confirmed hours ({count} lines); {pending} hours await "
                             "confirmation.")
        else:
            totals = self.tr("In this period: {confirmed} confirmed hours ({count} lines); {pending} hours await "
                             "confirmation.")
        self.totals.setText(totals.format(confirmed=hours_text(summary.confirmed_tenths), count=counted,
                                          pending=hours_text(summary.pending_tenths)))
        self._fill_lines(summary.lines)
        self.loaded.emit()

    def _fill_lines(self, lines: tuple[HoursView, ...]) -> None:
        statuses = hours_status_labels()
        self.lines.setRowCount(len(lines))
        for row, line in enumerate(lines):
            status = statuses[line.status]
            if line.corrections:
                status = self.tr("{status} (history: {count})").format(status=status, count=len(line.corrections))
            cells = [_cell(line.service_date.isoformat(), line), _cell(hours_text(line.credited_tenths), numeric=True),
                     _cell(status), _cell(line.content), _cell(line.place), _cell(line.recorded_by),
                     _cell(line.confirmed_by)]
            tip = "\n".join(history_lines(line))
            for column, item in enumerate(cells):
                if tip:
                    item.setToolTip(tip)
                if line.status == HoursStatus.PENDING:
                    item.setForeground(Qt.GlobalColor.darkYellow)
                elif line.status == HoursStatus.VOID:
                    item.setForeground(Qt.GlobalColor.gray)
                self.lines.setItem(row, column, item)
        _fit_columns(self.lines)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected_lines()
        self.confirm_button.setEnabled(any(line.status == HoursStatus.PENDING for line in chosen))
        self.correct_button.setEnabled(len(chosen) == 1 and chosen[0].status != HoursStatus.VOID)
        history = history_lines(chosen[0]) if len(chosen) == 1 else []
        self.history.setText("\n".join(history))

    def _on_data_changed(self, kind: str) -> None:
        if kind in ("hours", "volunteers") and self.volunteer_id is not None:
            self.reload()


def confirm_lines(parent: QWidget, ctx: UiContext, line_ids: list[UUID], report: Any) -> None:
    """Confirm lines on the writer worker; announce the change; report a status line.

    A refusal (a social worker may not confirm; a line confirmed meanwhile) shows its
    Chinese sentence and leaves every line as it was.
    """

    def done(lines: tuple[HoursView, ...]) -> None:
        ctx.events.changed.emit("hours")
        ctx.events.changed.emit("volunteers")
        report(QCoreApplication.translate("VolunteersPage", "Confirmed {count} lines, {hours} hours in all.").format(
            count=len(lines), hours=hours_text(sum(line.credited_tenths for line in lines))))

    def refused(error: BaseException) -> None:
        messages.show_error(parent, error)

    ctx.writer.run(confirm_hours, ctx.db, ctx.actor, line_ids, on_done=done, on_error=refused, parent=parent)


def load_pending(db: Any, actor: Any) -> list[HoursView]:
    """Every line awaiting confirmation (reader worker)."""
    return list_hours(db, actor, status=HoursStatus.PENDING)


class PendingHoursView(QWidget):
    """Every volunteer's hours awaiting confirmation, ticked and confirmed in one action.

    Signals:
        loaded(): the lines are shown.
        message(str): a line for the status bar.
        open_volunteer(object): "Open volunteer" for a line (the volunteer's uuid).
        count_changed(int): how many lines await confirmation.
    """

    loaded = Signal()
    message = Signal(str)
    open_volunteer = Signal(object)
    count_changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self._stale = True
        self._tick_name: str | None = None
        self.lines: list[HoursView] = []

        note = QLabel(self.tr("Tick the lines you have checked, then confirm them in one action. Confirmed hours "
                              "count for the volunteer's total, stars and certificates; later changes need a "
                              "correction with a reason."), self)
        note.setWordWrap(True)
        self.count_label = QLabel(self)
        self.table = _table(self, [self.tr("Volunteer"), self.tr("Date"), self.tr("Hours"), self.tr("What was done"),
                                   self.tr("Place"), self.tr("Recorded by")])
        self.all_button = QPushButton(self.tr("Tick all"), self)
        self.none_button = QPushButton(self.tr("Untick all"), self)
        self.open_button = QPushButton(self.tr("Open volunteer"), self)
        self.confirm_button = QPushButton(self.tr("Confirm ticked lines"), self)
        self.confirm_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (self.all_button, self.none_button, self.open_button, self.confirm_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button.clicked.connect(lambda: self.tick_all(False))
        self.open_button.clicked.connect(self._open_current)
        self.confirm_button.clicked.connect(self.confirm_ticked)
        self.table.itemChanged.connect(lambda _item: self._update_count())
        self.table.doubleClicked.connect(lambda _index: self._open_current())
        ctx.events.changed.connect(self._on_data_changed)

    def refresh(self) -> None:
        """Read the pending lines again."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        self._ctx.reader.run(load_pending, self._ctx.db, self._ctx.actor,
                             on_done=lambda lines: self._show(generation, lines), parent=self)

    def tick_volunteer(self, name: str) -> None:
        """Tick a volunteer's lines (now, or once the lines are read)."""
        self._tick_name = name
        if not self._stale and self.lines:
            self._apply_tick()

    def tick_all(self, on: bool) -> None:
        """Tick (or untick) every line."""
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                item.setCheckState(state)
        self.table.blockSignals(False)
        self._update_count()

    def ticked(self) -> list[HoursView]:
        """The lines ticked."""
        found = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                found.append(item.data(RECORD_ROLE))
        return found

    def confirm_ticked(self) -> None:
        """Confirm every ticked line in one action."""
        chosen = self.ticked()
        if not chosen:
            self.message.emit(self.tr("Tick the lines to confirm first."))
            return
        confirm_lines(self, self._ctx, [line.uuid for line in chosen], self.message.emit)

    def _show(self, generation: int, lines: list[HoursView]) -> None:
        if generation != self._generation:
            return
        self.lines = lines
        self.table.blockSignals(True)
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            first = _cell(line.volunteer_name, line)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Unchecked)
            cells = [first, _cell(line.service_date.isoformat()), _cell(hours_text(line.credited_tenths), numeric=True),
                     _cell(line.content), _cell(line.place), _cell(line.recorded_by)]
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        _fit_columns(self.table)
        self._apply_tick()
        self._update_count()
        self.count_changed.emit(len(lines))
        self.loaded.emit()

    def _apply_tick(self) -> None:
        name, self._tick_name = self._tick_name, None
        if not name:
            return
        self.table.blockSignals(True)
        first_row = -1
        for row, line in enumerate(self.lines):
            if line.volunteer_name == name:
                item = self.table.item(row, 0)
                if item is not None:
                    item.setCheckState(Qt.CheckState.Checked)
                first_row = row if first_row < 0 else first_row
        self.table.blockSignals(False)
        if first_row >= 0:
            self.table.selectRow(first_row)
            self.table.scrollTo(self.table.model().index(first_row, 0))
        self._update_count()

    def _update_count(self) -> None:
        ticked = len(self.ticked())
        self.count_label.setText(self.tr("{count} lines await confirmation; {ticked} ticked ({hours} hours).").format(
            count=len(self.lines), ticked=ticked,
            hours=hours_text(sum(line.credited_tenths for line in self.ticked()))))
        self.confirm_button.setText(self.tr("Confirm {count} ticked lines").format(count=ticked) if ticked
                                    else self.tr("Confirm ticked lines"))
        self.confirm_button.setEnabled(ticked > 0)

    def _open_current(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.open_volunteer.emit(item.data(RECORD_ROLE).volunteer_id)

    def _on_data_changed(self, kind: str) -> None:
        if kind in ("hours", "volunteers"):
            self.refresh()  # also while hidden: the tab's title shows the count

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()


def load_team_members(db: Any, actor: Any, team_id: UUID) -> list[VolunteerView]:
    """A team's members (reader worker)."""
    return list_team_members(db, actor, team_id)


class TeamsView(QWidget):
    """The station's volunteer teams and their members.

    Signals:
        loaded(): the teams are shown.
        members_loaded(): the chosen team's members are shown.
        message(str): a line for the status bar.
    """

    loaded = Signal()
    members_loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.reloads = ReloadWhenShown(self, ctx.events, ("volunteers",), self.refresh)
        self._generation = 0
        self._want_team: UUID | None = None
        self.teams: list[TeamView] = []
        self.members: list[VolunteerView] = []

        self.team_table = _table(self, [self.tr("Team"), self.tr("Leader"), self.tr("Leader's phone"),
                                        self.tr("Members")])
        self.new_button = QPushButton(self.tr("New team…"), self)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Teams"), self))
        left.addWidget(self.team_table, 1)
        left.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.members_title = QLabel(self.tr("Members"), self)
        self.members_title.setObjectName("sectionTitle")
        self.member_table = _table(self, [self.tr("Volunteer number"), self.tr("Name"), self.tr("Phone")])
        self.add_button = QPushButton(self.tr("Add a member…"), self)
        self.remove_button = QPushButton(self.tr("Remove from the team"), self)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_button)
        member_buttons.addWidget(self.remove_button)
        member_buttons.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.members_title)
        right.addWidget(self.member_table, 1)
        right.addLayout(member_buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addSpacing(12)
        layout.addLayout(right, 1)

        self.new_button.clicked.connect(self.new_team)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.team_table.itemSelectionChanged.connect(self._team_chosen)
        self.member_table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def current_team(self) -> TeamView | None:
        """The team chosen on the left."""
        row = self.team_table.currentRow()
        item = self.team_table.item(row, 0) if row >= 0 else None
        return item.data(RECORD_ROLE) if item is not None else None

    def current_member(self) -> VolunteerView | None:
        """The member chosen on the right."""
        rows = self.member_table.selectionModel().selectedRows()
        item = self.member_table.item(rows[0].row(), 0) if rows else None
        return item.data(RECORD_ROLE) if item is not None else None

    def refresh(self) -> None:
        """Read the teams again."""
        self.reloads.stale = False
        self._ctx.reader.run(list_teams, self._ctx.db, self._ctx.actor, on_done=self._show_teams, parent=self)

    def new_team(self) -> None:
        """Create a team."""
        team = TeamDialog.ask(self, self._ctx)
        if team is not None:
            self._want_team = team.uuid
            self.message.emit(self.tr("Team created: {name}.").format(name=team.name))

    def add_member(self) -> None:
        """Choose a volunteer and add them to the chosen team."""
        team = self.current_team()
        if team is None:
            return
        volunteer = VolunteerPicker.ask(self, self._ctx)
        if volunteer is not None:
            self.add(team, volunteer)

    def add(self, team: TeamView, volunteer: VolunteerView) -> None:
        """Add a volunteer to a team (on the writer worker)."""
        ctx = self._ctx

        def done(joined: bool) -> None:
            ctx.events.changed.emit("volunteers")
            self.message.emit(self.tr("{name} joined {team}.").format(name=volunteer.name, team=team.name) if joined
                              else self.tr("{name} is already in {team}.").format(name=volunteer.name,
                                                                                  team=team.name))

        self._want_team = team.uuid
        ctx.writer.run(add_to_team, ctx.db, ctx.actor, team.uuid, volunteer.uuid, date.today(), on_done=done,
                       parent=self)

    def remove_member(self) -> None:
        """Take the chosen member out of the team (after asking)."""
        team, member = self.current_team(), self.current_member()
        if team is None or member is None:
            return
        if not messages.confirm(self, self.tr("Remove from the team"),
                                self.tr("Remove {name} from {team}? Their hours and certificates stay as they "
                                        "are.").format(name=member.name, team=team.name),
                                self.tr("Remove"), self.tr("Keep")):
            return
        ctx = self._ctx

        def done(_result: object) -> None:
            ctx.events.changed.emit("volunteers")
            self.message.emit(self.tr("{name} left {team}.").format(name=member.name, team=team.name))

        self._want_team = team.uuid
        ctx.writer.run(remove_from_team, ctx.db, ctx.actor, team.uuid, member.uuid, on_done=done, parent=self)

    def _show_teams(self, teams: list[TeamView]) -> None:
        current = self.current_team()
        keep = self._want_team or (current.uuid if current is not None else None)
        self._want_team = None
        self.teams = teams
        self.team_table.blockSignals(True)
        self.team_table.setRowCount(len(teams))
        chosen = -1
        for row, team in enumerate(teams):
            cells = [_cell(team.name, team), _cell(team.leader_name), _cell(team.leader_phone_masked),
                     _cell(str(team.members), numeric=True)]
            for column, item in enumerate(cells):
                self.team_table.setItem(row, column, item)
            if team.uuid == keep:
                chosen = row
        self.team_table.blockSignals(False)
        _fit_columns(self.team_table)
        if teams:
            self.team_table.selectRow(max(chosen, 0))
        self._team_chosen()
        self.loaded.emit()

    def _team_chosen(self) -> None:
        team = self.current_team()
        self._generation += 1
        generation = self._generation
        self.member_table.setRowCount(0)
        self._update_buttons()
        if team is None:
            self.members_title.setText(self.tr("Members"))
            return
        self.members_title.setText(self.tr("Members of {team}").format(team=team.name))
        self._ctx.reader.run(load_team_members, self._ctx.db, self._ctx.actor, team.uuid,
                             on_done=lambda members: self._show_members(generation, members), parent=self)

    def _show_members(self, generation: int, members: list[VolunteerView]) -> None:
        if generation != self._generation:
            return
        self.members = members
        self.member_table.setRowCount(len(members))
        for row, v in enumerate(members):
            for column, item in enumerate([_cell(v.volunteer_no, v), _cell(v.name), _cell(v.phone_masked)]):
                self.member_table.setItem(row, column, item)
        _fit_columns(self.member_table)
        self._update_buttons()
        self.members_loaded.emit()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.current_team() is not None)
        self.remove_button.setEnabled(self.current_member() is not None)



class VolunteersPage(QWidget):
    """The 志愿者 screen.

    Signals:
        message(str): a line for the status bar.
    """

    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        spec = volunteers_spec()
        spec.new_record = lambda _parent: self.register()
        self.list_page: ListPage[VolunteerRow] = ListPage(ctx, spec, self)
        self.detail = VolunteerDetail(ctx, self)
        self.pending = PendingHoursView(ctx, self)
        self.teams = TeamsView(ctx, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_page)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.splitter, self.tr("Volunteers"))
        self.tabs.addTab(self.pending, self.tr("Hours awaiting confirmation"))
        self.tabs.addTab(self.teams, self.tr("Teams"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        for source in (self.list_page, self.detail, self.pending, self.teams):
            source.message.connect(self.message)
        self.list_page.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.list_page.record_activated.connect(lambda row: self.detail.show_volunteer(row.uuid))
        self.pending.open_volunteer.connect(self.show_volunteer)
        self.pending.count_changed.connect(self._pending_count)
        self.pending.refresh()

    # -- what the main window calls -----------------------------------------------------

    def new_record(self) -> bool:
        """Ctrl+N: register a volunteer."""
        self.register()
        return True

    def focus_search(self) -> None:
        """Ctrl+F: the list's search box."""
        self.tabs.setCurrentIndex(LIST_TAB)
        self.list_page.focus_search()

    def print_page(self) -> None:
        """Ctrl+P: the chosen volunteer's certificate."""
        if self.detail.volunteer is None:
            self.message.emit(self.tr("Choose a volunteer first."))
            return
        self.tabs.setCurrentIndex(LIST_TAB)
        self.detail.certificate()

    def register(self) -> None:
        """Register a volunteer and show them."""
        result = VolunteerForm.ask(self, self._ctx)
        if result is not None:
            self.message.emit(self.tr("Registered: {name} ({number}).").format(
                name=result.volunteer.name, number=result.volunteer.volunteer_no))
            self.show_record(result.volunteer.volunteer_no)

    def show_record(self, key: str) -> None:
        """Find a volunteer by number or name, select them and show their record."""
        self.tabs.setCurrentIndex(LIST_TAB)
        self.list_page.show_record(key)

    def show_volunteer(self, volunteer_id: UUID) -> None:
        """Show a volunteer's record (from the pending lines)."""
        self.tabs.setCurrentIndex(LIST_TAB)
        self.detail.show_volunteer(volunteer_id)

    def show_pending(self, name: str = "") -> None:
        """The hours awaiting confirmation, with a volunteer's lines ticked."""
        self.tabs.setCurrentIndex(PENDING_TAB)
        if name:
            self.pending.tick_volunteer(name)

    def open_volunteer(self, name: str) -> None:
        """From the dashboard: a volunteer's pending lines ticked, or their record if none wait."""
        if name and not any(line.volunteer_name == name for line in self.pending.lines) and self.pending.lines:
            self.show_record(name)
            return
        self.show_pending(name)

    # -- internals -----------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is not None:
            self.detail.show_volunteer(row.uuid)

    def _pending_count(self, count: int) -> None:
        self.tabs.setTabText(PENDING_TAB, self.tr("Hours awaiting confirmation ({count})").format(count=count)
                             if count else self.tr("Hours awaiting confirmation"))

    def select_list_row(self, row: int) -> None:
        """Select a row of the list (keyboard and tests)."""
        model = self.list_page.table.model()
        self.list_page.table.selectionModel().setCurrentIndex(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
