"""The settings screen (设置): station details, villages served, lists, hours and stars, staff,
and the layout of the volunteer-system upload file (志愿服务系统导出, ``volunteer_system_tab``).

Only the station head changes settings (the services refuse anyone else anyway); other
roles see the same tabs read-only. Each tab saves on its own, on the writer worker, and
tells other screens what changed (``"taxonomy"``, ``"settings"``, ``"staff"``...).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import CommunityKind, Role
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.services.cases import hand_over_cases
from wushe_desktop.services.context import Actor
from wushe_desktop.services.permissions import Permission, allowed
from wushe_desktop.services.staff import (
    CommunityView,
    StaffInput,
    StaffView,
    add_community,
    add_staff,
    list_communities,
    list_staff,
    remove_community,
    staff_leaves,
)
from wushe_desktop.services.station import (
    StationDetails,
    set_setting,
    set_taxonomy_item,
    settings,
    station_details,
    taxonomy,
    update_station_details,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import role_labels
from wushe_desktop.ui.volunteer_system_tab import VolunteerSystemTab

#: The idle-lock setting, shown when the database has it.
IDLE_LOCK_KEY = "lock.idle_minutes"

#: Roles the settings screen can give to staff.
STAFF_ROLES = (Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.DEPUTY)


@dataclass(frozen=True)
class TaxonomyEntries:
    """One editable list: code → label, and which codes are active."""

    kind: TaxonomyKind
    labels: dict[str, str]
    active: frozenset[str]


@dataclass(frozen=True)
class SettingsData:
    """Everything the settings screen shows."""

    station: StationDetails
    values: dict[str, Any]
    communities: tuple[CommunityView, ...]
    staff: tuple[StaffView, ...]


def load_settings(db: Any, actor: Actor) -> SettingsData:
    """Read the screen's data (reader worker)."""
    return SettingsData(station_details(db, actor), settings(db), tuple(list_communities(db, actor)),
                        tuple(list_staff(db, actor, include_inactive=True)))


def load_taxonomy(db: Any, actor: Actor, kind: TaxonomyKind) -> TaxonomyEntries:
    """One list with its inactive entries (reader worker)."""
    every = taxonomy(db, actor, kind, include_inactive=True)
    return TaxonomyEntries(kind, every, frozenset(taxonomy(db, actor, kind)))


def new_code(existing: dict[str, str]) -> str:
    """A code for an entry the station adds (``u1``, ``u2``...; codes never change)."""
    n = 1
    while f"u{n}" in existing:
        n += 1
    return f"u{n}"


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """Ask for one line of text (modal). Tests replace this function."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def taxonomy_kind_labels() -> dict[TaxonomyKind, str]:
    """The editable lists, as the screen names them."""
    return {
        TaxonomyKind.PERSON_CATEGORY: QCoreApplication.translate("SettingsPage", "Categories of people served"),
        TaxonomyKind.SERVICE_AREA: QCoreApplication.translate("SettingsPage", "Service areas"),
        TaxonomyKind.ACTIVITY_TYPE: QCoreApplication.translate("SettingsPage", "Activity types"),
        TaxonomyKind.CLOSURE_TYPE: QCoreApplication.translate("SettingsPage", "Ways a case ends"),
        TaxonomyKind.INTERVENTION_MODEL: QCoreApplication.translate("SettingsPage", "Intervention models"),
        TaxonomyKind.SKILL: QCoreApplication.translate("SettingsPage", "Volunteer skills"),
        TaxonomyKind.ETHNICITY: QCoreApplication.translate("SettingsPage", "Ethnicities"),
    }


class StaffDialog(QDialog):
    """Add a member of staff."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a member of staff"))
        self.staff_name = QLineEdit(self)
        self.role = QComboBox(self)
        roles = role_labels()
        for role in STAFF_ROLES:
            self.role.addItem(roles[role], role)
        self.phone = QLineEdit(self)
        self.employer = QLineEdit(self)
        self.employer.setPlaceholderText(self.tr("e.g. the social work organisation that employs them"))
        self.cert = QLineEdit(self)
        self.cert.setPlaceholderText(self.tr("e.g. assistant social worker"))
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.staff_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Employer"), self.employer)
        form.addRow(self.tr("Social work certificate"), self.cert)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())

    def value(self) -> StaffInput:
        """The fields as the service's input."""
        return StaffInput(name=self.staff_name.text(), role=Role(self.role.currentData()), phone=self.phone.text(),
                          employer=self.employer.text(), sw_cert_level=self.cert.text(), joined_on=date.today())

    @classmethod
    def ask(cls, parent: QWidget | None) -> StaffInput | None:
        """The member entered, or ``None``."""
        dialog = cls(parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_staff(parent: QWidget | None) -> StaffInput | None:
    """Ask for a new member of staff (tests replace this function)."""
    return StaffDialog.ask(parent)


def ask_choice(parent: QWidget, title: str, label: str, items: list[str]) -> int | None:
    """Ask to choose one of ``items`` (modal); its index. Tests replace this function."""
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(value) if ok and value in items else None


class SettingsPage(QWidget):
    """The settings screen.

    Signals:
        loaded(): the settings arrived and are shown.
        saved(str): a change was saved (what: ``"station"``, ``"taxonomy"``...).
        message(str): a line for the status bar.
    """

    loaded = Signal()
    saved = Signal(str)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: SettingsData | None = None
        self.entries: TaxonomyEntries | None = None
        self.can_edit = allowed(ctx.actor.role, Permission.MANAGE_SETTINGS)
        self.can_manage_staff = allowed(ctx.actor.role, Permission.MANAGE_USERS)
        self.can_hand_over = allowed(ctx.actor.role, Permission.APPROVE)

        heading = QLabel(self.tr("Settings"), self)
        heading.setObjectName("pageTitle")
        self.read_only_note = QLabel(self.tr(
            "Only the station head can change the settings. You can look at them here."), self)
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("color: #8a5300;")
        self.read_only_note.setVisible(not self.can_edit)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._station_tab(), self.tr("Station"))
        self.tabs.addTab(self._communities_tab(), self.tr("Villages and communities"))
        self.tabs.addTab(self._lists_tab(), self.tr("Lists"))
        self.tabs.addTab(self._hours_tab(), self.tr("Volunteer hours and stars"))
        self.tabs.addTab(self._staff_tab(), self.tr("Staff"))
        self.volunteer_system = VolunteerSystemTab(ctx, self)
        self.volunteer_system.message.connect(self.message.emit)
        self.volunteer_system.saved.connect(lambda: self.saved.emit("volunteer_system"))
        self.tabs.addTab(self.volunteer_system, self.tr("Volunteer system export"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.tabs, 1)
        self._apply_permissions()
        self.reload()
        self.load_list()

    # -- tabs ------------------------------------------------------------------------------------

    def _station_tab(self) -> QWidget:
        tab = QWidget(self)
        self.code_label = QLabel(tab)
        self.banner_label = QLabel(tab)
        self.station_name = QLineEdit(tab)
        self.station_address = QLineEdit(tab)
        self.station_phone = QLineEdit(tab)
        self.station_phone.setPlaceholderText(self.tr("e.g. 0471-3312345"))
        self.issuing_body = QLineEdit(tab)
        self.issuing_body.setPlaceholderText(self.tr("Printed on volunteer certificates, above the seal"))
        self.station_save = QPushButton(self.tr("Save station details"), tab)
        self.station_save.clicked.connect(self.save_station)
        form = QFormLayout()
        form.addRow(self.tr("Township code"), self.code_label)
        form.addRow(self.tr("Banner"), self.banner_label)
        form.addRow(self.tr("Station name"), self.station_name)
        form.addRow(self.tr("Address"), self.station_address)
        form.addRow(self.tr("Work phone"), self.station_phone)
        form.addRow(self.tr("Issuing body on certificates"), self.issuing_body)
        note = QLabel(self.tr("The township code and banner were set when the station was set up and do not "
                              "change: the centre knows the station by them."), tab)
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.station_save)
        layout.addLayout(row)
        layout.addStretch(1)
        return tab

    def _communities_tab(self) -> QWidget:
        tab = QWidget(self)
        self.communities = QListWidget(tab)
        self.community_name = QLineEdit(tab)
        self.community_name.setPlaceholderText(self.tr("e.g. 什报气村"))
        self.community_kind = QComboBox(tab)
        for kind, label in ((CommunityKind.VILLAGE, self.tr("Village")), (CommunityKind.GACHA, self.tr("Gacha")),
                            (CommunityKind.COMMUNITY, self.tr("Community"))):
            self.community_kind.addItem(label, kind)
        self.community_code = QLineEdit(tab)
        self.community_code.setMaxLength(12)
        self.community_add = QPushButton(self.tr("Add"), tab)
        self.community_remove = QPushButton(self.tr("Remove from the list"), tab)
        self.community_add.clicked.connect(self.add_community)
        self.community_remove.clicked.connect(self.remove_community)
        self.communities_hint = QLabel(tab)
        self.communities_hint.setWordWrap(True)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel(self.tr("Name"), tab))
        add_row.addWidget(self.community_name, 2)
        add_row.addWidget(self.community_kind)
        add_row.addWidget(QLabel(self.tr("Division code (optional)"), tab))
        add_row.addWidget(self.community_code, 1)
        add_row.addWidget(self.community_add)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.communities_hint)
        layout.addWidget(self.communities, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.community_remove)
        layout.addLayout(bottom)
        layout.addLayout(add_row)
        return tab

    def _lists_tab(self) -> QWidget:
        tab = QWidget(self)
        self.list_kind = QComboBox(tab)
        for kind, label in taxonomy_kind_labels().items():
            self.list_kind.addItem(label, kind)
        self.list_items = QListWidget(tab)
        self.list_add = QPushButton(self.tr("Add…"), tab)
        self.list_rename = QPushButton(self.tr("Rename…"), tab)
        self.list_toggle = QPushButton(self.tr("Stop using"), tab)
        self.list_add.clicked.connect(self.add_item)
        self.list_rename.clicked.connect(self.rename_item)
        self.list_toggle.clicked.connect(self.toggle_item)
        self.list_kind.currentIndexChanged.connect(lambda _i: self.load_list())
        self.list_items.currentItemChanged.connect(lambda *_a: self._update_list_buttons())
        note = QLabel(self.tr("Entries already used in records are never deleted: an entry no longer used is "
                              "stopped, and old records keep it. Renaming changes the name everywhere."), tab)
        note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("List"), tab))
        top.addWidget(self.list_kind, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.list_add, self.list_rename, self.list_toggle):
            buttons.addWidget(button)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.list_items, 1)
        layout.addLayout(buttons)
        return tab

    def _hours_tab(self) -> QWidget:
        tab = QWidget(self)
        stars = QGroupBox(self.tr("Star levels: confirmed hours needed for each star"), tab)
        star_form = QFormLayout(stars)
        self.star_spins: list[QSpinBox] = []
        for level in range(1, 6):
            spin = QSpinBox(stars)
            spin.setRange(1, 100_000)
            spin.setSuffix(self.tr(" hours"))
            self.star_spins.append(spin)
            star_form.addRow(self.tr("{count} stars").format(count=level), spin)
        self.star_error = QLabel(stars)
        self.star_error.setStyleSheet("color: #b3261e;")
        self.star_error.hide()
        star_form.addRow(self.star_error)
        other = QGroupBox(self.tr("Other"), tab)
        other_form = QFormLayout(other)
        self.daily_cap = QSpinBox(other)
        self.daily_cap.setRange(1, 24)
        self.daily_cap.setSuffix(self.tr(" hours"))
        self.no_contact_days = QSpinBox(other)
        self.no_contact_days.setRange(1, 365)
        self.no_contact_days.setSuffix(self.tr(" days"))
        self.idle_minutes = QSpinBox(other)
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setSuffix(self.tr(" minutes"))
        self.idle_minutes.setSpecialValueText(self.tr("Never"))
        other_form.addRow(self.tr("Most volunteer hours counted per day"), self.daily_cap)
        other_form.addRow(self.tr("Cases on the to-do list after no contact for"), self.no_contact_days)
        self.idle_label = QLabel(self.tr("Lock the screen after no use for"), other)
        other_form.addRow(self.idle_label, self.idle_minutes)
        self.hours_save = QPushButton(self.tr("Save"), tab)
        self.hours_save.clicked.connect(self.save_hours)
        columns = QHBoxLayout()
        columns.addWidget(stars, 1)
        columns.addWidget(other, 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(columns)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.hours_save)
        layout.addLayout(row)
        layout.addStretch(1)
        return tab

    def _staff_tab(self) -> QWidget:
        tab = QWidget(self)
        self.staff_table = QTableWidget(0, 4, tab)
        self.staff_table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Phone"),
                                                    self.tr("Status")])
        self.staff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.staff_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.staff_table.verticalHeader().setVisible(False)
        self.staff_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.staff_add = QPushButton(self.tr("Add staff…"), tab)
        self.staff_leave = QPushButton(self.tr("Has left…"), tab)
        self.staff_handover = QPushButton(self.tr("Hand over cases…"), tab)
        self.staff_add.clicked.connect(self.add_staff)
        self.staff_leave.clicked.connect(self.staff_left)
        self.staff_handover.clicked.connect(self.hand_over)
        note = QLabel(self.tr("When a social worker leaves, first hand their open cases over to a colleague; their "
                              "records stay with the station."), tab)
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.staff_add, self.staff_leave, self.staff_handover):
            buttons.addWidget(button)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.staff_table, 1)
        layout.addLayout(buttons)
        return tab

    def _apply_permissions(self) -> None:
        for edit in (self.station_name, self.station_address, self.station_phone, self.issuing_body):
            edit.setReadOnly(not self.can_edit)
        for widget in (self.station_save, self.community_add, self.community_remove, self.community_name,
                       self.community_kind, self.community_code, self.list_add, self.list_rename,
                       self.list_toggle, self.hours_save, self.daily_cap, self.no_contact_days, self.idle_minutes,
                       *self.star_spins):
            widget.setEnabled(self.can_edit)
        self.staff_add.setEnabled(self.can_manage_staff)
        self.staff_leave.setEnabled(self.can_manage_staff)
        self.staff_handover.setEnabled(self.can_hand_over)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the settings again."""
        self._ctx.reader.run(load_settings, self._ctx.db, self._ctx.actor, on_done=self._show, parent=self)

    def load_list(self) -> None:
        """Read the chosen list."""
        kind = TaxonomyKind(self.list_kind.currentData())
        self._ctx.reader.run(load_taxonomy, self._ctx.db, self._ctx.actor, kind, on_done=self._show_list,
                             parent=self)

    def _show(self, data: SettingsData) -> None:
        self.data = data
        info = data.station.info
        self.code_label.setText(info.code)
        self.banner_label.setText(info.banner_name)
        self.station_name.setText(info.name)
        self.station_address.setText(data.station.address)
        self.station_phone.setText(data.station.phone)
        self.issuing_body.setText(str(data.values.get("certificate.issuing_body") or ""))
        self.communities_hint.setText(self.tr(
            "The villages and communities {station} serves; forms offer them when an address is typed.").format(
            station=info.name))
        self.community_code.setPlaceholderText(info.code[:9] + "…")
        self.communities.clear()
        kinds = {CommunityKind.VILLAGE: self.tr("Village"), CommunityKind.GACHA: self.tr("Gacha"),
                 CommunityKind.COMMUNITY: self.tr("Community")}
        for community in data.communities:
            text = f"{community.name}（{kinds.get(community.kind, '')}）"
            if community.division_code:
                text += f"  {community.division_code}"
            item = QListWidgetItem(text, self.communities)
            item.setData(Qt.ItemDataRole.UserRole, community.uuid)
        thresholds = sorted(int(h) for h in data.values.get("stars.thresholds_hours", []))
        for spin, hours in zip(self.star_spins, thresholds, strict=False):
            spin.setValue(hours)
        self.daily_cap.setValue(int(data.values.get("hours.daily_cap_tenths", 80)) // 10)
        self.no_contact_days.setValue(int(data.values.get("todo.no_contact_days", 30)))
        has_idle = IDLE_LOCK_KEY in data.values
        self.idle_label.setVisible(has_idle)
        self.idle_minutes.setVisible(has_idle)
        if has_idle:
            self.idle_minutes.setValue(int(data.values[IDLE_LOCK_KEY] or 0))
        roles = role_labels()
        self.staff_table.setRowCount(len(data.staff))
        for row, member in enumerate(data.staff):
            cells = [member.name, roles.get(member.role, ""), member.phone,
                     self.tr("Working") if member.active else self.tr("Left")]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, member)
                self.staff_table.setItem(row, column, cell)
        self.loaded.emit()

    def _show_list(self, entries: TaxonomyEntries) -> None:
        if entries.kind != TaxonomyKind(self.list_kind.currentData()):
            return
        self.entries = entries
        current = self._current_code()
        self.list_items.clear()
        for code, label in entries.labels.items():
            text = label if code in entries.active else self.tr("{label} (not used any more)").format(label=label)
            item = QListWidgetItem(text, self.list_items)
            item.setData(Qt.ItemDataRole.UserRole, code)
            if code == current:
                self.list_items.setCurrentItem(item)
        self._update_list_buttons()

    def _current_code(self) -> str | None:
        item = self.list_items.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_list_buttons(self) -> None:
        code = self._current_code()
        chosen = code is not None and self.can_edit
        self.list_rename.setEnabled(chosen)
        self.list_toggle.setEnabled(chosen)
        active = self.entries is not None and code in self.entries.active
        self.list_toggle.setText(self.tr("Stop using") if active or code is None else self.tr("Use again"))

    # -- saving ----------------------------------------------------------------------------------

    def _write(self, what: str, fn: Any, *args: Any, done: str = "",
               then: Callable[[], None] | None = None) -> None:
        def finished(_result: object) -> None:
            self._ctx.events.changed.emit(what)
            if done:
                self.message.emit(done)
            if then is not None:
                then()
            self.saved.emit(what)

        self._ctx.writer.run(fn, self._ctx.db, self._ctx.actor, *args, on_done=finished,
                             on_error=self._refused, parent=self)

    def _refused(self, error: BaseException) -> None:
        messages.show_error(self, error)

    def save_station(self) -> None:
        """Save the station's name, address, phone and certificates' issuing body."""
        name, address, phone = self.station_name.text(), self.station_address.text(), self.station_phone.text()
        body = self.issuing_body.text().strip()

        def job(db: Any, actor: Actor) -> None:
            update_station_details(db, actor, name=name, address=address, phone=phone)
            set_setting(db, actor, "certificate.issuing_body", body)

        self._write("station", job, done=self.tr("The station details are saved."), then=self.reload)

    def add_community(self) -> None:
        """Add the village or community typed."""
        name = self.community_name.text()
        code = self.community_code.text().strip() or None
        kind = CommunityKind(self.community_kind.currentData())
        self.community_name.clear()
        self.community_code.clear()
        self._write("communities", add_community, name, kind, code, then=self.reload)

    def remove_community(self) -> None:
        """Take the chosen village or community off the list (people keep it)."""
        item = self.communities.currentItem()
        if item is None:
            return
        community_id: UUID = item.data(Qt.ItemDataRole.UserRole)
        if not messages.confirm(self, self.tr("Remove a village or community"), self.tr(
                "Remove {name} from the list? People already registered there keep it.").format(name=item.text()),
                self.tr("Remove"), self.tr("Keep")):
            return
        self._write("communities", remove_community, community_id, then=self.reload)

    def add_item(self) -> None:
        """Add an entry to the chosen list."""
        if self.entries is None:
            return
        label = ask_text(self, self.tr("Add an entry"), self.tr("Name of the new entry"))
        if label is None or not label.strip():
            return
        kind = self.entries.kind
        self._write("taxonomy", set_taxonomy_item, kind, new_code(self.entries.labels), label.strip(),
                    then=self.load_list)

    def rename_item(self) -> None:
        """Rename the chosen entry."""
        code = self._current_code()
        if self.entries is None or code is None:
            return
        label = ask_text(self, self.tr("Rename an entry"), self.tr("New name"), self.entries.labels[code])
        if label is None or not label.strip() or label.strip() == self.entries.labels[code]:
            return
        self._write("taxonomy", self._set_active, self.entries.kind, code, label.strip(),
                    code in self.entries.active, then=self.load_list)

    def toggle_item(self) -> None:
        """Stop using the chosen entry, or use it again."""
        code = self._current_code()
        if self.entries is None or code is None:
            return
        self._write("taxonomy", self._set_active, self.entries.kind, code, self.entries.labels[code],
                    code not in self.entries.active, then=self.load_list)

    @staticmethod
    def _set_active(db: Any, actor: Actor, kind: TaxonomyKind, code: str, label: str, active: bool) -> None:
        set_taxonomy_item(db, actor, kind, code, label, active=active)

    def save_hours(self) -> None:
        """Save the star thresholds and the other figures."""
        thresholds = [spin.value() for spin in self.star_spins]
        if any(b <= a for a, b in itertools.pairwise(thresholds)):
            self.star_error.setText(self.tr("Each star needs more hours than the one before."))
            self.star_error.show()
            return
        self.star_error.hide()
        values: dict[str, Any] = {"stars.thresholds_hours": thresholds,
                                  "hours.daily_cap_tenths": self.daily_cap.value() * 10,
                                  "todo.no_contact_days": self.no_contact_days.value()}
        if self.idle_minutes.isVisibleTo(self):
            values[IDLE_LOCK_KEY] = self.idle_minutes.value()

        def job(db: Any, actor: Actor) -> None:
            for key, value in values.items():
                set_setting(db, actor, key, value)

        self._write("settings", job, done=self.tr("The settings are saved."))

    def _chosen_staff(self) -> StaffView | None:
        row = self.staff_table.currentRow()
        cell = self.staff_table.item(row, 0) if row >= 0 else None
        member = cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None
        return member if isinstance(member, StaffView) else None

    def add_staff(self) -> None:
        """Add a member of staff."""
        data = ask_staff(self)
        if data is not None:
            self._write("staff", add_staff, data, then=self.reload)

    def staff_left(self) -> None:
        """Record that the chosen member of staff has left (today)."""
        member = self._chosen_staff()
        if member is None or not member.active:
            return
        if not messages.confirm(self, self.tr("A member of staff leaves"), self.tr(
                "Record that {name} left today? Hand their open cases over first.").format(name=member.name),
                self.tr("Record it"), self.tr("Cancel")):
            return
        self._write("staff", staff_leaves, member.uuid, date.today(), then=self.reload)

    def hand_over(self) -> None:
        """Hand every open case of the chosen worker to another."""
        member = self._chosen_staff()
        if member is None or self.data is None:
            return
        others = [s for s in self.data.staff if s.active and s.uuid != member.uuid]
        if not others:
            messages.inform(self, self.tr("Hand over cases"), self.tr("There is no other working member of staff."))
            return
        index = ask_choice(self, self.tr("Hand over cases"), self.tr(
            "Hand every open case of {name} to:").format(name=member.name), [s.name for s in others])
        if index is None:
            return
        target = others[index]
        self._ctx.writer.run(hand_over_cases, self._ctx.db, self._ctx.actor, member.uuid, target.uuid,
                             on_done=lambda count: self._handed_over(count, member.name, target.name),
                             on_error=self._refused, parent=self)

    def _handed_over(self, count: int, source: str, target: str) -> None:
        self._ctx.events.changed.emit("cases")
        self.message.emit(self.tr("{count} cases of {source} are now with {target}.").format(
            count=count, source=source, target=target))
        self.saved.emit("handover")
