"""The activities screen: the list of activities, and one activity's own view.

Double-clicking an activity (or creating one with Ctrl+N) opens its view: what it was
(type, areas, groups, time, place, organisers with their five-society tags, counts,
summary), and three tabs — the sign-in roster (pick registered people and volunteers as
you type, add new faces, tick who came), the volunteers' hours (one grid, one write) and
the donations linked to it. Printing: a blank sign-in sheet with numbered rows, the
filled sign-in sheet and the activity record, each through the print preview.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import AttendeeRole, DonorType
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import WusheError
from wushe_desktop.services.activities import (
    ActivityDetail,
    AttendeeInput,
    activity_detail,
    add_attendees,
    remove_attendee,
    set_attendance,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import search_people
from wushe_desktop.services.printing import print_activity, print_signin_sheet
from wushe_desktop.services.resources import DonationView, list_donations
from wushe_desktop.services.staff import list_communities
from wushe_desktop.services.station import taxonomy
from wushe_desktop.services.volunteers import HoursView, list_hours, list_volunteers
from wushe_desktop.ui import activity_dialogs, messages
from wushe_desktop.ui.activity_dialogs import (
    ActivityForm,
    GridVolunteer,
    HoursGridDialog,
    NewFaceDialog,
    attendee_role_labels,
    count_labels,
    linkage_labels,
    organiser_role_labels,
)
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.labels import hours_status_labels
from wushe_desktop.ui.list_page import ListPage
from wushe_desktop.ui.list_sources import ActivityRow
from wushe_desktop.ui.lists import activities_spec
from wushe_desktop.ui.pdf_preview import preview_pdf
from wushe_desktop.ui.resource_dialogs import (
    DonationDialog,
    donation_form_labels,
    donor_type_labels,
    yuan,
)

# How many people and volunteers the roster search shows.
SEARCH_RESULTS = 30

# Typing pauses this long before the roster search runs.
SEARCH_DELAY_MS = 150

# Roster table columns.
R_SIGNED, R_NAME, R_ROLE, R_KIND = range(4)


@dataclass(frozen=True)
class Candidate:
    """Someone the roster search found: a person served or a volunteer."""

    name: str
    person_id: UUID | None
    volunteer_id: UUID | None
    detail: str


@dataclass(frozen=True)
class ActivityScreen:
    """Everything one activity's view shows."""

    detail: ActivityDetail
    hours: tuple[HoursView, ...]
    donations: tuple[DonationView, ...]
    labels: dict[str, dict[str, str]]
    community: str


def load_activity_screen(db: Any, actor: Actor, activity_id: UUID) -> ActivityScreen:
    """Read an activity with its roster, hours, donations and labels (reader worker)."""
    detail = activity_detail(db, actor, activity_id)
    labels = {kind.value: taxonomy(db, actor, kind, include_inactive=True)
              for kind in (TaxonomyKind.ACTIVITY_TYPE, TaxonomyKind.SERVICE_AREA, TaxonomyKind.PERSON_CATEGORY)}
    community = ""
    if detail.activity.community_id is not None:
        community = next((c.name for c in list_communities(db, actor) if c.uuid == detail.activity.community_id), "")
    return ActivityScreen(detail, tuple(list_hours(db, actor, activity_id=activity_id)),
                          tuple(list_donations(db, actor, activity_id=activity_id)), labels, community)


def search_candidates(db: Any, actor: Actor, text: str) -> list[Candidate]:
    """People served and volunteers matching the roster search box (reader worker)."""
    found = [Candidate(p.name, p.uuid, None, "" if p.age is None else str(p.age))
             for p in search_people(db, actor, text, SEARCH_RESULTS)]
    found += [Candidate(v.name, None, v.uuid, v.volunteer_no) for v in list_volunteers(db, actor, text, SEARCH_RESULTS)]
    return found


class ActivityPanel(QWidget):
    """One activity's view.

    Signals:
        loaded(): the activity is shown (after every reload).
        back(): the user wants the list again.
        message(str): a line for the status bar.
        roster_failed(): adding to the roster was refused (the reason is shown).
    """

    loaded = Signal()
    back = Signal()
    message = Signal(str)
    roster_failed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self._search_generation = 0
        self._muted = False
        self.reloads = ReloadWhenShown(self, ctx.events, self._concerns, self.reload, stale=False)
        self.activity_id: UUID | None = None
        self.screen_data: ActivityScreen | None = None

        self.back_button = QPushButton(self.tr("◀ Back to the list"), self)
        self.heading = QLabel(self)
        self.heading.setObjectName("pageTitle")
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.print_button = QPushButton(self.tr("Print"), self)
        menu = QMenu(self.print_button)
        self.blank_action = menu.addAction(self.tr("Blank sign-in sheet…"))
        self.filled_action = menu.addAction(self.tr("Sign-in sheet with the roster"))
        self.record_action = menu.addAction(self.tr("Activity record"))
        self.print_button.setMenu(menu)
        self.blank_action.triggered.connect(self.print_blank_sheet)
        self.filled_action.triggered.connect(self.print_filled_sheet)
        self.record_action.triggered.connect(self.print_record)

        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info_scroll = QScrollArea(self)
        info_scroll.setWidget(self.info)
        info_scroll.setWidgetResizable(True)

        # roster tab
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a person served or a volunteer: name, pinyin initials, ID tail"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.role = QComboBox(self)
        self.role.addItem(self.tr("As registered (served or volunteer)"), None)
        for role, label in attendee_role_labels().items():
            self.role.addItem(label, role)
        self.add_button = QPushButton(self.tr("Add to the roster"), self)
        self.new_face_button = QPushButton(self.tr("New face…"), self)
        self.roster_error = QLabel(self)
        self.roster_error.setWordWrap(True)
        self.roster_error.setStyleSheet("color: #b3261e;")
        self.roster_error.hide()
        self.roster = QTableWidget(0, 4, self)
        self.roster.setHorizontalHeaderLabels([self.tr("Came"), self.tr("Name"), self.tr("Took part as"),
                                               self.tr("Registered as")])
        self.roster.verticalHeader().setVisible(True)
        self.roster.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roster.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roster.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.roster.horizontalHeader().setStretchLastSection(True)
        self.remove_button = QPushButton(self.tr("Take off the roster"), self)
        self.roster_count = QLabel(self)
        pick = QVBoxLayout()
        pick.addWidget(self.search)
        pick.addWidget(self.results, 1)
        role_row = QHBoxLayout()
        role_row.addWidget(QLabel(self.tr("Took part as"), self))
        role_row.addWidget(self.role, 1)
        pick.addLayout(role_row)
        pick_buttons = QHBoxLayout()
        pick_buttons.addWidget(self.add_button)
        pick_buttons.addWidget(self.new_face_button)
        pick.addLayout(pick_buttons)
        pick.addWidget(self.roster_error)
        listed = QVBoxLayout()
        listed.addWidget(self.roster, 1)
        listed_buttons = QHBoxLayout()
        listed_buttons.addWidget(self.roster_count, 1)
        listed_buttons.addWidget(self.remove_button)
        listed.addLayout(listed_buttons)
        roster_tab = QWidget(self)
        roster_layout = QHBoxLayout(roster_tab)
        roster_layout.addLayout(pick, 2)
        roster_layout.addLayout(listed, 3)

        # hours tab
        self.hours_summary = QLabel(self)
        self.hours_summary.setWordWrap(True)
        self.hours_button = QPushButton(self.tr("Enter hours for the volunteers…"), self)
        self.hours_table = QTableWidget(0, 6, self)
        self.hours_table.setHorizontalHeaderLabels([self.tr("Volunteer"), self.tr("Date"), self.tr("Sign-in"),
                                                    self.tr("Sign-out"), self.tr("Hours counted"), self.tr("Status")])
        self.hours_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hours_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.hours_table.verticalHeader().setVisible(False)
        hours_tab = QWidget(self)
        hours_layout = QVBoxLayout(hours_tab)
        hours_top = QHBoxLayout()
        hours_top.addWidget(self.hours_summary, 1)
        hours_top.addWidget(self.hours_button)
        hours_layout.addLayout(hours_top)
        hours_layout.addWidget(self.hours_table, 1)

        # donations tab
        self.donation_button = QPushButton(self.tr("Record a donation for this activity…"), self)
        self.donations_table = QTableWidget(0, 5, self)
        self.donations_table.setHorizontalHeaderLabels([self.tr("Ledger number"), self.tr("Date"), self.tr("Donor"),
                                                        self.tr("What"), self.tr("Value (yuan)")])
        self.donations_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.donations_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.donations_table.verticalHeader().setVisible(False)
        donations_tab = QWidget(self)
        donations_layout = QVBoxLayout(donations_tab)
        donations_top = QHBoxLayout()
        donations_top.addStretch(1)
        donations_top.addWidget(self.donation_button)
        donations_layout.addLayout(donations_top)
        donations_layout.addWidget(self.donations_table, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(roster_tab, self.tr("Sign-in roster"))
        self.tabs.addTab(hours_tab, self.tr("Volunteer hours"))
        self.tabs.addTab(donations_tab, self.tr("Donations"))

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.print_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(info_scroll)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 860])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.results.itemActivated.connect(lambda _item: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.new_face_button.clicked.connect(self.add_new_face)
        self.remove_button.clicked.connect(self.remove_selected)
        self.roster.itemChanged.connect(self._tick_changed)
        self.back_button.clicked.connect(self.back.emit)
        self.edit_button.clicked.connect(self.edit)
        self.hours_button.clicked.connect(self.enter_hours)
        self.donation_button.clicked.connect(self.record_donation)

    # -- loading ---------------------------------------------------------------------------

    def open(self, activity_id: UUID) -> None:
        """Show an activity."""
        if activity_id != self.activity_id:
            self.screen_data = None
            self.heading.setText(self.tr("Reading…"))
            self.search.clear()
            self.results.clear()
            self.roster_error.hide()
            self.tabs.setCurrentIndex(0)
        self.activity_id = activity_id
        self.reload()

    def reload(self) -> None:
        """Read the activity again."""
        if self.activity_id is None:
            return
        self._generation += 1
        generation = self._generation
        self.reloads.stale = False
        self._ctx.reader.run(load_activity_screen, self._ctx.db, self._ctx.actor, self.activity_id,
                             on_done=lambda data: self._show(generation, data),
                             on_error=lambda exc: self._failed(generation, exc), parent=self)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            messages.show_error(self, error)

    def _show(self, generation: int, data: ActivityScreen) -> None:
        if generation != self._generation or self.activity_id != data.detail.activity.uuid:
            return
        self.screen_data = data
        a = data.detail.activity
        self.heading.setText(self.tr("{title} ({no})").format(title=a.title, no=a.activity_no))
        self.info.setText(self._info_html(data))
        self._show_roster(data)
        self._show_hours(data)
        self._show_donations(data)
        self.loaded.emit()

    def _info_html(self, data: ActivityScreen) -> str:
        a = data.detail.activity
        types = data.labels.get(TaxonomyKind.ACTIVITY_TYPE.value, {})
        areas = data.labels.get(TaxonomyKind.SERVICE_AREA.value, {})
        groups = data.labels.get(TaxonomyKind.PERSON_CATEGORY.value, {})
        sep = self.tr(", ")
        when = a.start_date.isoformat()
        if a.starts_at is not None:
            when += f" {a.starts_at.astimezone(self._ctx.station.zone):%H:%M}"
            if a.ends_at is not None:
                when += f"–{a.ends_at.astimezone(self._ctx.station.zone):%H:%M}"
        place = a.place if not data.community else f"{data.community} {a.place}".strip()
        rows = [
            (self.tr("Type"), types.get(a.activity_type, a.activity_type)),
            (self.tr("Service areas"), sep.join(areas.get(c, c) for c in a.service_areas)),
            (self.tr("Target groups"), sep.join(groups.get(c, c) for c in a.target_groups)),
            (self.tr("Date and time"), when),
            (self.tr("Place"), place),
        ]
        roles, parties = organiser_role_labels(), linkage_labels()
        organisers = "<br>".join(html.escape(self.tr("{role}: {name} ({party})").format(
            role=roles[o.role], name=o.name, party=parties[o.linkage_party])) for o in a.organisers)
        counts = "<br>".join(html.escape(self.tr("{label}: {count}").format(label=label, count=getattr(a, name)))
                             for name, label in count_labels().items())
        parts = [f"<b>{html.escape(k)}</b>：{html.escape(v) or '—'}" for k, v in rows]
        summary = html.escape(a.summary).replace("\n", "<br>")
        for caption, text in ((self.tr("Organisers"), organisers), (self.tr("Who took part (person-times)"), counts),
                              (self.tr("Summary"), summary)):
            parts.append(f"<b>{html.escape(caption)}</b><br>{text or '—'}")
        return "<br>".join(parts[:5]) + "<br><br>" + "<br><br>".join(parts[5:])

    def _show_roster(self, data: ActivityScreen) -> None:
        roles = attendee_role_labels()
        lines = data.detail.attendees
        position = self.roster.verticalScrollBar().value()
        self.roster.blockSignals(True)
        self.roster.setRowCount(len(lines))
        for row, line in enumerate(lines):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            tick.setCheckState(Qt.CheckState.Checked if line.signed else Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.UserRole, line.uuid)
            kind = (self.tr("Person served") if line.person_id else self.tr("Volunteer") if line.volunteer_id
                    else self.tr("Name only"))
            self.roster.setItem(row, R_SIGNED, tick)
            self.roster.setItem(row, R_NAME, QTableWidgetItem(line.name))
            self.roster.setItem(row, R_ROLE, QTableWidgetItem(roles[line.role]))
            self.roster.setItem(row, R_KIND, QTableWidgetItem(kind))
        self.roster.blockSignals(False)
        self.roster.verticalScrollBar().setValue(position)
        self._show_roster_count()

    def _show_roster_count(self) -> None:
        total = self.roster.rowCount()
        came = sum(1 for row in range(total) if self._ticked(row))
        self.roster_count.setText(self.tr("{total} on the roster, {came} ticked as present.").format(
            total=total, came=came))

    def _ticked(self, row: int) -> bool:
        item = self.roster.item(row, R_SIGNED)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _show_hours(self, data: ActivityScreen) -> None:
        d = data.detail
        on_roster = sum(1 for a in d.attendees if a.volunteer_id is not None)
        self.hours_summary.setText(self.tr(
            "{volunteers} volunteers on the roster; {lines} hour lines entered: {confirmed} hours confirmed, "
            "{pending} hours awaiting confirmation.").format(
            volunteers=on_roster, lines=d.hours_lines, confirmed=f"{d.hours_confirmed_tenths / 10:g}",
            pending=f"{d.hours_pending_tenths / 10:g}"))
        statuses = hours_status_labels()
        self.hours_table.setRowCount(len(data.hours))
        for row, line in enumerate(data.hours):
            cells = [line.volunteer_name, line.service_date.isoformat(),
                     f"{line.sign_in:%H:%M}" if line.sign_in else "", f"{line.sign_out:%H:%M}" if line.sign_out else "",
                     f"{line.credited_tenths / 10:g}", statuses[line.status]]
            for column, text in enumerate(cells):
                self.hours_table.setItem(row, column, QTableWidgetItem(text))

    def _show_donations(self, data: ActivityScreen) -> None:
        forms, donors = donation_form_labels(), donor_type_labels()
        self.donations_table.setRowCount(len(data.donations))
        for row, d in enumerate(data.donations):
            what = self.tr(", ").join(f"{i.name} {i.quantity}{i.unit}" for i in d.items) or forms[d.form]
            donor = donors[DonorType.ANONYMOUS] if d.donor_type == DonorType.ANONYMOUS else d.donor_name
            value = d.amount_fen or d.goods_value_fen
            for column, text in enumerate([d.ledger_no, d.received_on.isoformat(), donor, what, yuan(value)]):
                self.donations_table.setItem(row, column, QTableWidgetItem(text))

    # -- roster ----------------------------------------------------------------------------

    def run_search(self) -> None:
        """Search people and volunteers for the text typed."""
        self._timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self._ctx.reader.run(search_candidates, self._ctx.db, self._ctx.actor, text,
                             on_done=lambda found: self._show_candidates(generation, found), parent=self)

    def _show_candidates(self, generation: int, found: list[Candidate]) -> None:
        if generation != self._search_generation:
            return
        self.results.clear()
        for c in found:
            if c.volunteer_id is not None:
                text = self.tr("{name} · volunteer {no}").format(name=c.name, no=c.detail)
            elif c.detail:
                text = self.tr("{name} · person served, {age} years").format(name=c.name, age=c.detail)
            else:
                text = self.tr("{name} · person served").format(name=c.name)
            item = QListWidgetItem(text, self.results)
            item.setData(Qt.ItemDataRole.UserRole, c)
        if found:
            self.results.setCurrentRow(0)

    def add_selected(self) -> None:
        """Put the people and volunteers selected in the results on the roster."""
        if self.activity_id is None:
            return
        chosen = [item.data(Qt.ItemDataRole.UserRole) for item in self.results.selectedItems()]
        if not chosen:
            self._roster_refused_text(self.tr("Search for someone and select them first."))
            return
        role: AttendeeRole | None = self.role.currentData()
        lines = [AttendeeInput(person_id=c.person_id, volunteer_id=c.volunteer_id, role=role or (
            AttendeeRole.VOLUNTEER if c.volunteer_id is not None else AttendeeRole.BENEFICIARY)) for c in chosen]
        self._ctx.writer.run(add_attendees, self._ctx.db, self._ctx.actor, self.activity_id, lines,
                             on_done=lambda _ids: self._roster_saved(self.tr("Added to the roster.")),
                             on_error=self._roster_refused, parent=self)

    def add_new_face(self) -> None:
        """Someone not registered yet: add them by name (and register them)."""
        if self.activity_id is None:
            return
        if NewFaceDialog.ask(self, self._ctx, self.activity_id) is not None:
            self.roster_error.hide()
            self.reload()

    def remove_selected(self) -> None:
        """Take the selected line off the roster."""
        row = self.roster.currentRow()
        item = self.roster.item(row, R_SIGNED) if row >= 0 else None
        if item is None:
            return
        line_id: UUID = item.data(Qt.ItemDataRole.UserRole)
        self._ctx.writer.run(remove_attendee, self._ctx.db, self._ctx.actor, line_id,
                             on_done=lambda _r: self._roster_saved(self.tr("Taken off the roster.")),
                             on_error=self._roster_refused, parent=self)

    def set_ticked(self, row: int, present: bool) -> None:
        """Tick (or untick) a roster line, as a click on its box does."""
        item = self.roster.item(row, R_SIGNED)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)

    def _tick_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != R_SIGNED or self.activity_id is None:
            return
        line_id: UUID = item.data(Qt.ItemDataRole.UserRole)
        present = item.checkState() == Qt.CheckState.Checked
        self._show_roster_count()
        self._ctx.writer.run(set_attendance, self._ctx.db, self._ctx.actor, self.activity_id, {line_id: present},
                             on_done=lambda _n: self._emit_quietly("activities"),
                             on_error=self._tick_refused, parent=self)

    def _tick_refused(self, error: BaseException) -> None:
        messages.show_error(self, error)
        self.reload()

    def _emit_quietly(self, kind: str) -> None:
        self._muted = True
        try:
            self._ctx.events.changed.emit(kind)
        finally:
            self._muted = False

    def _roster_saved(self, text: str) -> None:
        self.roster_error.hide()
        self.search.clear()  # ready for the next name
        self.results.clear()
        self.message.emit(text)
        self._emit_quietly("activities")
        self.reload()

    def _roster_refused(self, error: BaseException) -> None:
        if isinstance(error, WusheError):
            self._roster_refused_text(messages.message_for(error))
        else:
            messages.show_error(self, error)

    def _roster_refused_text(self, text: str) -> None:
        self.roster_error.setText(text)
        self.roster_error.show()
        self.roster_failed.emit()

    # -- hours, donations, editing -------------------------------------------------------

    def grid_volunteers(self) -> list[GridVolunteer]:
        """Every volunteer on the roster, with the hours already entered for the activity."""
        data = self.screen_data
        if data is None:
            return []
        entered = {line.volunteer_id: line for line in data.hours
                   if line.service_date == data.detail.activity.start_date}
        return [GridVolunteer(a.volunteer_id, a.name, entered.get(a.volunteer_id))
                for a in data.detail.attendees if a.volunteer_id is not None]

    def enter_hours(self) -> None:
        """Open the hours grid for every volunteer on the roster."""
        data = self.screen_data
        if data is None:
            return
        volunteers = self.grid_volunteers()
        if not volunteers:
            messages.inform(self, self.tr("Volunteer hours"), self.tr(
                "No volunteer is on the roster yet. Add the volunteers who came on the Sign-in roster tab first."))
            return
        saved = HoursGridDialog.ask(self, self._ctx, data.detail.activity, volunteers)
        if saved is not None:
            self.message.emit(self.tr("Hours saved for {count} volunteers.").format(count=len(saved)))
            self.reload()

    def record_donation(self) -> None:
        """Record a donation linked to this activity."""
        if self.screen_data is None:
            return
        donation = DonationDialog.ask(self, self._ctx, self.screen_data.detail.activity)
        if donation is not None:
            self.message.emit(self.tr("Recorded in the ledger as {no}.").format(no=donation.ledger_no))
            self.reload()

    def edit(self) -> None:
        """Edit the activity (type, organisers, counts, summary…)."""
        if self.screen_data is None:
            return
        if ActivityForm.ask(self, self._ctx, self.screen_data.detail.activity) is not None:
            self.reload()

    # -- printing --------------------------------------------------------------------------

    def print_blank_sheet(self) -> None:
        """A sign-in sheet with numbered empty rows (asks how many)."""
        if self.screen_data is None:
            return
        rows = activity_dialogs.ask_blank_rows(self)
        if rows is None:
            return
        ctx, no = self._ctx, self.screen_data.detail.activity.activity_no
        preview_pdf(self, ctx, self.tr("Blank sign-in sheet"),
                    lambda: print_signin_sheet(ctx.db, ctx.actor, no, blank=True, rows=rows),
                    self.tr("sign-in-sheet-{no}").format(no=no) + ".pdf")

    def print_filled_sheet(self) -> None:
        """The sign-in sheet with the roster's names."""
        if self.screen_data is None:
            return
        ctx, no = self._ctx, self.screen_data.detail.activity.activity_no
        preview_pdf(self, ctx, self.tr("Sign-in sheet"), lambda: print_signin_sheet(ctx.db, ctx.actor, no),
                    self.tr("sign-in-sheet-{no}").format(no=no) + ".pdf")

    def print_record(self) -> None:
        """The activity record (活动记录表)."""
        if self.screen_data is None:
            return
        ctx, no = self._ctx, self.screen_data.detail.activity.activity_no
        preview_pdf(self, ctx, self.tr("Activity record"), lambda: print_activity(ctx.db, ctx.actor, no),
                    self.tr("activity-{no}").format(no=no) + ".pdf")

    # -- events ----------------------------------------------------------------------------

    def _concerns(self, kind: str) -> bool:
        """A change of these records shows on the open activity (not the panel's own, announced muted)."""
        return not self._muted and self.activity_id is not None and kind in (
            "activities", "resources", "hours", "people", "volunteers")


class ActivitiesPage(QWidget):
    """The activities screen: the list, or one activity's view.

    Signals:
        message(str): a line for the status bar.
    """

    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        spec = activities_spec()
        spec.new_record = lambda _parent: self._create()
        self.list_page: ListPage[ActivityRow] = ListPage(ctx, spec, self)
        self.panel = ActivityPanel(ctx, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.list_page.record_activated.connect(lambda row: self.open_activity(row.uuid))
        self.list_page.message.connect(self.message.emit)
        self.panel.message.connect(self.message.emit)
        self.panel.back.connect(self.show_list)

    def open_activity(self, activity_id: UUID) -> ActivityPanel:
        """Show one activity's view."""
        self.panel.open(activity_id)
        self.stack.setCurrentWidget(self.panel)
        return self.panel

    def show_list(self) -> None:
        """Back to the list."""
        self.stack.setCurrentWidget(self.list_page)

    def new_record(self) -> bool:
        """Ctrl+N: create an activity, then show it."""
        self._create()
        return True

    def _create(self) -> None:
        activity = ActivityForm.ask(self, self._ctx)
        if activity is not None:
            self.message.emit(self.tr("Activity {no} created.").format(no=activity.activity_no))
            self.open_activity(activity.uuid)

    def focus_search(self) -> None:
        """Ctrl+F: the list's search box (or the roster search in an activity)."""
        if self.stack.currentWidget() is self.panel:
            self.panel.tabs.setCurrentIndex(0)
            self.panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.show_list()
            self.list_page.focus_search()

    def print_page(self) -> None:
        """Ctrl+P: the activity record of the activity shown."""
        if self.stack.currentWidget() is self.panel:
            self.panel.print_record()
        else:
            self.message.emit(self.tr("Open an activity to print its sign-in sheet or its record."))
