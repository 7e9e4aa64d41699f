"""The activity form (活动记录), a new face on the sign-in roster, and the hours grid.

* :class:`ActivityForm` creates or edits an activity: type, service areas, target groups,
  date and time, place, the organisers with their five-society tags (五社: 社区, 社会组织,
  社会工作者, 志愿者, 慈善资源), participant counts by role (人次), beneficiaries and the
  summary. The service's refusals show under the field they name.
* :class:`NewFaceDialog` adds someone who is not registered yet to the roster, registering
  them as a person served with their name (and phone) when they are served.
* :class:`HoursGridDialog` enters the hours of every volunteer on the roster in one grid
  and one write (``services.volunteers.add_hours_bulk``: all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import AttendeeRole, LinkageParty, OrganiserRole
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import ValidationError, ValidationErrors, WusheError
from wushe_desktop.services.activities import (
    ActivityInput,
    ActivityView,
    AttendeeInput,
    OrganiserInput,
    add_attendees,
    clean_activity,
    create_activity,
    get_activity,
    update_activity,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, clean_person, create_person
from wushe_desktop.services.staff import CommunityView, list_communities
from wushe_desktop.services.station import taxonomy
from wushe_desktop.services.volunteers import HoursInput, HoursView, add_hours_bulk
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper, register_draft_form, resume_next, show_screen
from wushe_desktop.ui.fields import FieldRow
from wushe_desktop.ui.person_form import fitting_size
from wushe_desktop.ui.record_dialog import confirm_discard
from wushe_desktop.ui.resource_dialogs import date_edit, line_errors, pydate, qdate

# Sizes the dialogs open with, if the screen has room.
FORM_SIZE = (1000, 680)
HOURS_SIZE = (900, 600)

# Target-group tick boxes per row.
GROUP_COLUMNS = 5

# Rows a blank sign-in sheet has unless the user says otherwise (SCENARIOS.md 4).
BLANK_ROWS = 80

# The hours grid's columns.
H_NAME, H_IN, H_OUT, H_HOURS, H_CONTENT, H_RESULT = range(6)

# Count fields of an activity, in the order of the form.
COUNT_FIELDS = ("social_workers", "volunteers", "caring_people", "clients", "others", "beneficiaries")



def linkage_labels() -> dict[LinkageParty, str]:
    """The five societies (五社)."""
    return {
        LinkageParty.COMMUNITY: QCoreApplication.translate("ActivityLabels", "Community"),
        LinkageParty.SOCIAL_ORG: QCoreApplication.translate("ActivityLabels", "Social organisation"),
        LinkageParty.SOCIAL_WORKER: QCoreApplication.translate("ActivityLabels", "Social workers"),
        LinkageParty.VOLUNTEER_TEAM: QCoreApplication.translate("ActivityLabels", "Volunteers"),
        LinkageParty.CHARITY: QCoreApplication.translate("ActivityLabels", "Charity resources"),
    }


def organiser_role_labels() -> dict[OrganiserRole, str]:
    """主办 / 承办 / 协办."""
    return {
        OrganiserRole.HOST: QCoreApplication.translate("ActivityLabels", "Host"),
        OrganiserRole.ORGANISER: QCoreApplication.translate("ActivityLabels", "Organiser"),
        OrganiserRole.PARTNER: QCoreApplication.translate("ActivityLabels", "Partner"),
    }


def attendee_role_labels() -> dict[AttendeeRole, str]:
    """Roles on a sign-in roster."""
    return {
        AttendeeRole.BENEFICIARY: QCoreApplication.translate("ActivityLabels", "Served"),
        AttendeeRole.SOCIAL_WORKER: QCoreApplication.translate("ActivityLabels", "Social worker"),
        AttendeeRole.VOLUNTEER: QCoreApplication.translate("ActivityLabels", "Volunteer"),
        AttendeeRole.CARING_PERSON: QCoreApplication.translate("ActivityLabels", "Caring person"),
        AttendeeRole.OTHER: QCoreApplication.translate("ActivityLabels", "Other"),
    }


def count_labels() -> dict[str, str]:
    """Participant counts (person-times) by role."""
    return {
        "social_workers": QCoreApplication.translate("ActivityLabels", "Social workers"),
        "volunteers": QCoreApplication.translate("ActivityLabels", "Volunteers"),
        "caring_people": QCoreApplication.translate("ActivityLabels", "Caring people"),
        "clients": QCoreApplication.translate("ActivityLabels", "Case clients"),
        "others": QCoreApplication.translate("ActivityLabels", "Others"),
        "beneficiaries": QCoreApplication.translate("ActivityLabels", "Beneficiaries (person-times)"),
    }


def parse_time(text: str) -> time | None:
    """A time typed as ``9:00``, ``09:30`` or ``0930``; ``None`` if empty.

    Raises:
        ValueError: not a time of day.
    """
    cleaned = text.strip().replace("：", ":")
    if not cleaned:
        return None
    if ":" not in cleaned and cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    hours, _, minutes = cleaned.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    return time(int(hours), int(minutes))


def _station_moment(day: date, at: time, ctx: UiContext) -> datetime:
    """A clock time typed on the form, on that day, in the station's zone (not the PC's)."""
    zone = ctx.station.zone
    return datetime.combine(day, at, tzinfo=zone) if zone is not None else datetime.combine(day, at).astimezone()


def ask_blank_rows(parent: QWidget) -> int | None:
    """Ask how many numbered rows a blank sign-in sheet gets (modal). Tests replace this."""
    from wushe_desktop.printing.activity_forms import MAX_SIGN_IN_ROWS

    rows, ok = QInputDialog.getInt(
        parent, QCoreApplication.translate("ActivityLabels", "Blank sign-in sheet"), QCoreApplication.translate("ActivityLabels", "How many numbered rows?"), BLANK_ROWS, 1, MAX_SIGN_IN_ROWS)
    return rows if ok else None


# ---------------------------------------------------------------------------
# The activity form
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityChoices:
    """The vocabularies the activity form offers."""

    activity_types: dict[str, str]
    service_areas: dict[str, str]
    target_groups: dict[str, str]
    communities: tuple[CommunityView, ...]


def load_activity_choices(db: Any, actor: Actor) -> ActivityChoices:
    """Read the form's vocabularies (reader worker)."""
    return ActivityChoices(taxonomy(db, actor, TaxonomyKind.ACTIVITY_TYPE),
                           taxonomy(db, actor, TaxonomyKind.SERVICE_AREA),
                           taxonomy(db, actor, TaxonomyKind.PERSON_CATEGORY),
                           tuple(list_communities(db, actor)))


class ActivityForm(QDialog):
    """Create or edit an activity.

    Signals:
        ready(): the vocabularies arrived; the form can be filled.
        save_failed(): saving was refused (the errors are shown).
    """

    ready = Signal()
    save_failed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, activity: ActivityView | None = None,
                 *, on: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._activity = activity
        self.saved: ActivityView | None = None
        self.choices: ActivityChoices | None = None
        self.drafts: DraftKeeper | None = None  # kept from when the form is ready (scenario 7)
        self.setWindowTitle(self.tr("New activity") if activity is None else self.tr("Edit the activity"))

        self.title = QLineEdit(self)
        self.activity_type = QComboBox(self)
        self.start_date = date_edit(self, on)
        self.starts_at = QLineEdit(self)
        self.starts_at.setPlaceholderText(self.tr("e.g. 09:00"))
        self.ends_at = QLineEdit(self)
        self.ends_at.setPlaceholderText(self.tr("e.g. 11:30"))
        self.place = QLineEdit(self)
        self.community = QComboBox(self)
        self.areas = QGroupBox(self.tr("Service areas"), self)
        self.area_layout = QHBoxLayout(self.areas)
        self.area_boxes: dict[str, QCheckBox] = {}
        self.groups = QGroupBox(self.tr("Target groups"), self)
        self.group_grid = QGridLayout(self.groups)
        self.group_boxes: dict[str, QCheckBox] = {}
        self.organisers = QTableWidget(0, 3, self)
        self.organisers.setHorizontalHeaderLabels([self.tr("Organiser"), self.tr("Role"),
                                                   self.tr("Five-society party")])
        self.organisers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.organisers.verticalHeader().setVisible(False)
        self.organisers.setMinimumHeight(130)
        self.add_organiser_button = QPushButton(self.tr("Add an organiser"), self)
        self.remove_organiser_button = QPushButton(self.tr("Remove the selected organiser"), self)
        self.counts: dict[str, QSpinBox] = {}
        for name in COUNT_FIELDS:
            box = QSpinBox(self)
            box.setRange(0, 100_000)
            self.counts[name] = box
        self.objectives = QPlainTextEdit(self)
        self.objectives.setFixedHeight(54)
        self.summary = QPlainTextEdit(self)
        self.summary.setFixedHeight(80)

        self.rows: dict[str, FieldRow] = {}
        times = QWidget(self)
        times_layout = QHBoxLayout(times)
        times_layout.setContentsMargins(0, 0, 0, 0)
        times_layout.addWidget(self._row("starts_at", self.starts_at))
        times_layout.addWidget(QLabel(self.tr("to"), self))
        times_layout.addWidget(self._row("ends_at", self.ends_at))
        left = QFormLayout()
        left.addRow(self.tr("Title"), self._row("title", self.title))
        left.addRow(self.tr("Activity type"), self._row("activity_type", self.activity_type))
        left.addRow(self.tr("Date"), self._row("start_date", self.start_date))
        left.addRow(self.tr("Time (optional)"), times)
        left.addRow(self.tr("Place"), self._row("place", self.place))
        left.addRow(self.tr("Village or community"), self._row("community_id", self.community))
        left.addRow(self.tr("Objectives"), self._row("objectives", self.objectives))
        counts = QGroupBox(self.tr("Who took part (person-times)"), self)
        count_form = QFormLayout(counts)
        for name, label in count_labels().items():
            count_form.addRow(label, self._row(name, self.counts[name]))
        right = QVBoxLayout()
        right.addWidget(counts)
        organiser_buttons = QHBoxLayout()
        organiser_buttons.addWidget(self.add_organiser_button)
        organiser_buttons.addWidget(self.remove_organiser_button)
        organiser_buttons.addStretch(1)
        organisers = QGroupBox(self.tr("Organisers (five-society linkage)"), self)
        organiser_layout = QVBoxLayout(organisers)
        organiser_layout.addWidget(self._row("organisers", self.organisers))
        organiser_layout.addLayout(organiser_buttons)
        columns = QHBoxLayout()
        columns.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns.addLayout(left, 3)
        columns.addSpacing(12)
        columns.addLayout(right, 2)
        summary_form = QFormLayout()
        summary_form.addRow(self.tr("Summary"), self._row("summary", self.summary))

        self.form_error = QLabel(self)
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #b3261e;")
        self.form_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        body = QWidget(self)
        fields = QVBoxLayout(body)
        fields.addLayout(columns)
        fields.addWidget(self.areas)
        fields.addWidget(self.groups)
        fields.addWidget(organisers)
        fields.addLayout(summary_form)
        fields.addWidget(self.form_error)
        fields.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(*fitting_size(FORM_SIZE, self))

        self.add_organiser_button.clicked.connect(lambda: self.add_organiser())
        self.remove_organiser_button.clicked.connect(self._remove_organiser)
        self.save_button.setEnabled(False)
        ctx.reader.run(load_activity_choices, ctx.db, ctx.actor, on_done=self._fill_choices, parent=self)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, activity: ActivityView | None = None) -> ActivityView | None:
        """Show the form modally; the saved activity, or ``None`` if cancelled."""
        dialog = cls(ctx, parent, activity)
        dialog.exec()
        return dialog.saved

    # -- organisers ------------------------------------------------------------------------

    def add_organiser(self, name: str = "", role: OrganiserRole = OrganiserRole.PARTNER,
                      party: LinkageParty = LinkageParty.COMMUNITY) -> int:
        """Add an organiser line; its row number."""
        row = self.organisers.rowCount()
        self.organisers.insertRow(row)
        self.organisers.setItem(row, 0, QTableWidgetItem(name))
        roles = QComboBox(self.organisers)
        for value, label in organiser_role_labels().items():
            roles.addItem(label, value)
        roles.setCurrentIndex(roles.findData(role))
        parties = QComboBox(self.organisers)
        for party_value, party_label in linkage_labels().items():
            parties.addItem(party_label, party_value)
        parties.setCurrentIndex(parties.findData(party))
        self.organisers.setCellWidget(row, 1, roles)
        self.organisers.setCellWidget(row, 2, parties)
        self.organisers.resizeColumnToContents(1)
        self.organisers.resizeColumnToContents(2)
        return row

    def _remove_organiser(self) -> None:
        row = self.organisers.currentRow()
        if row >= 0:
            self.organisers.removeRow(row)

    def _organiser_inputs(self) -> tuple[OrganiserInput, ...]:
        found: list[OrganiserInput] = []
        for row in range(self.organisers.rowCount()):
            item = self.organisers.item(row, 0)
            name = item.text().strip() if item is not None else ""
            if not name:
                continue
            roles = self.organisers.cellWidget(row, 1)
            parties = self.organisers.cellWidget(row, 2)
            assert isinstance(roles, QComboBox) and isinstance(parties, QComboBox)
            found.append(OrganiserInput(name, roles.currentData(), parties.currentData()))
        return tuple(found)

    # -- the form --------------------------------------------------------------------------

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def activity_input(self) -> tuple[ActivityInput, dict[str, str]]:
        """The form as the service's input, and the problems the form itself found."""
        problems: dict[str, str] = {}
        day = pydate(self.start_date.date())
        moments: dict[str, datetime | None] = {}
        for name, edit in (("starts_at", self.starts_at), ("ends_at", self.ends_at)):
            try:
                at = parse_time(edit.text())
                moments[name] = None if at is None else _station_moment(day, at, self._ctx)
            except ValueError:
                problems[name] = self.tr("Type the time like 09:30.")
                moments[name] = None
        data = ActivityInput(
            title=self.title.text(),
            activity_type=self.activity_type.currentData() or "",
            start_date=day,
            service_areas=tuple(code for code, box in self.area_boxes.items() if box.isChecked()),
            target_groups=tuple(code for code, box in self.group_boxes.items() if box.isChecked()),
            starts_at=moments["starts_at"],
            ends_at=moments["ends_at"],
            community_id=UUID(self.community.currentData()) if self.community.currentData() else None,
            place=self.place.text(),
            lead_id=self._activity.lead_id if self._activity else None,
            project_id=self._activity.project_id if self._activity else None,
            group_id=self._activity.group_id if self._activity else None,
            session_no=self._activity.session_no if self._activity else None,
            objectives=self.objectives.toPlainText(),
            programme=self._activity.programme if self._activity else "",
            reflection=self._activity.reflection if self._activity else "",
            satisfaction=self._activity.satisfaction if self._activity else "",
            summary=self.summary.toPlainText(),
            organisers=self._organiser_inputs(),
            social_workers=self.counts["social_workers"].value(),
            volunteers=self.counts["volunteers"].value(),
            caring_people=self.counts["caring_people"].value(),
            clients=self.counts["clients"].value(),
            others=self.counts["others"].value(),
            beneficiaries=self.counts["beneficiaries"].value(),
        )
        return data, problems

    def validate(self) -> ActivityInput | None:
        """Check the form; show errors under their fields; the input if valid."""
        data, found = self.activity_input()
        try:
            clean_activity(data)
        except WusheError as exc:
            for name, text in line_errors(exc, set(self.rows), "organisers").items():
                found.setdefault(name, text)
        self._show_errors(found)
        return None if found else data

    def save(self) -> None:
        """Validate, then save on the writer worker."""
        data = self.validate()
        if data is None:
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        ctx = self._ctx
        if self._activity is None:
            ctx.writer.run(create_activity, ctx.db, ctx.actor, data, on_done=self._saved, on_error=self._refused,
                           parent=self)
        else:
            ctx.writer.run(update_activity, ctx.db, ctx.actor, self._activity.uuid, data, on_done=self._saved,
                           on_error=self._refused, parent=self)

    def _show_errors(self, found: dict[str, str]) -> None:
        for name, row in self.rows.items():
            row.set_error(found.get(name, ""))
        leftover = [text for name, text in found.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))
        for name, row in self.rows.items():
            if name in found:
                row.field.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def _saved(self, activity: ActivityView) -> None:
        self.saved = activity
        if self.drafts is not None:
            self.drafts.discard()
        self._ctx.events.changed.emit("activities")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError):
            self._show_errors(line_errors(error, set(self.rows), "organisers"))
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def _row(self, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        return row

    def _fill_choices(self, choices: ActivityChoices) -> None:
        self.choices = choices
        for code, label in choices.activity_types.items():
            self.activity_type.addItem(label, code)
        self.community.addItem(self.tr("Not given"), None)
        for community in choices.communities:
            self.community.addItem(community.name, str(community.uuid))  # QVariant compares strings, not UUIDs
        for code, label in choices.service_areas.items():
            box = QCheckBox(label, self.areas)
            self.area_boxes[code] = box
            self.area_layout.addWidget(box)
        self.area_layout.addStretch(1)
        for i, (code, label) in enumerate(choices.target_groups.items()):
            box = QCheckBox(label, self.groups)
            self.group_boxes[code] = box
            self.group_grid.addWidget(box, i // GROUP_COLUMNS, i % GROUP_COLUMNS)
        if self._activity is not None:
            self._fill(self._activity)
        self.save_button.setEnabled(True)
        self._keep_draft()
        self.ready.emit()

    def _keep_draft(self) -> None:
        """Keep what is typed (the summary above all) as a draft, offered back after a crash."""
        fields: dict[str, QWidget] = {
            "title": self.title, "activity_type": self.activity_type, "start_date": self.start_date,
            "starts_at": self.starts_at, "ends_at": self.ends_at, "place": self.place, "community_id": self.community,
            "objectives": self.objectives, "summary": self.summary, **self.counts,
            **{f"area:{code}": box for code, box in self.area_boxes.items()},
            **{f"group:{code}": box for code, box in self.group_boxes.items()}}
        self.drafts = DraftKeeper(self, self._ctx, "activity",
                                  str(self._activity.uuid) if self._activity is not None else None, fields,
                                  about={"name": self.title.text().strip()})
        self.title.textChanged.connect(self._name_draft)
        self.drafts.offer_existing()

    def _name_draft(self, text: str) -> None:
        if self.drafts is not None:
            self.drafts.about["name"] = text.strip()

    def reject(self) -> None:
        """Cancel: if something was typed, ask first; the draft is thrown away with the form."""
        if self.drafts is not None and self.drafts.changed and not confirm_discard(self):
            return
        if self.drafts is not None:
            self.drafts.discard()
        super().reject()

    def _fill(self, a: ActivityView) -> None:
        self.title.setText(a.title)
        index = self.activity_type.findData(a.activity_type)
        if index < 0:
            self.activity_type.addItem(a.activity_type, a.activity_type)
            index = self.activity_type.count() - 1
        self.activity_type.setCurrentIndex(index)
        self.start_date.setDate(qdate(a.start_date))
        for edit, at in ((self.starts_at, a.starts_at), (self.ends_at, a.ends_at)):
            edit.setText("" if at is None else f"{at.astimezone(self._ctx.station.zone):%H:%M}")
        self.place.setText(a.place)
        self.community.setCurrentIndex(max(0, self.community.findData(str(a.community_id))))
        for code, box in self.area_boxes.items():
            box.setChecked(code in a.service_areas)
        for code, box in self.group_boxes.items():
            box.setChecked(code in a.target_groups)
        for org in a.organisers:
            self.add_organiser(org.name, org.role, org.linkage_party)
        for name, spin in self.counts.items():
            spin.setValue(int(getattr(a, name)))
        self.objectives.setPlainText(a.objectives)
        self.summary.setPlainText(a.summary)


def open_activity_draft(window: QWidget, ctx: UiContext, draft: Any) -> None:
    """After a crash: the activities screen and the activity form, filled from its draft."""
    show_screen(window, "activities")
    resume_next(draft)

    def show(activity: ActivityView | None) -> None:
        form = ActivityForm(ctx, window, activity)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()

    if draft.record_uuid is None:
        show(None)
        return
    try:
        activity_id = UUID(draft.record_uuid)
    except ValueError:
        return
    ctx.reader.run(get_activity, ctx.db, ctx.actor, activity_id, on_done=show, parent=window)


register_draft_form("activity", lambda: QCoreApplication.translate("ActivityForm", "activity record"),
                    open_activity_draft)


# ---------------------------------------------------------------------------
# A new face on the roster
# ---------------------------------------------------------------------------


def add_new_face(db: Any, actor: Actor, activity_id: UUID, person: PersonInput | None, name: str,
                 role: AttendeeRole) -> tuple[UUID, ...]:
    """Put someone not registered yet on the roster (writer worker).

    With ``person`` they are first registered as a person served (name and phone are
    enough) and the roster line points at the new person; without it the line keeps the
    name only.
    """
    if person is not None:
        saved = create_person(db, actor, person).person
        return add_attendees(db, actor, activity_id, [AttendeeInput(person_id=saved.uuid, role=role)])
    return add_attendees(db, actor, activity_id, [AttendeeInput(name=name, role=role)])


class NewFaceDialog(QDialog):
    """Add someone who came but is not registered yet.

    Signals:
        save_failed(): saving was refused (the errors are shown).
    """

    save_failed = Signal()

    def __init__(self, ctx: UiContext, activity_id: UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._activity_id = activity_id
        self.saved: tuple[UUID, ...] | None = None
        self.setWindowTitle(self.tr("Add a new face"))
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("May stay empty"))
        self.role = QComboBox(self)
        for role, label in attendee_role_labels().items():
            self.role.addItem(label, role)
        self.register = QCheckBox(self.tr("Also register them as a person served (name and phone only; the rest "
                                          "can be added later)"), self)
        self.register.setChecked(True)
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        for key, label, field in (("name", self.tr("Name"), self.name), ("phone", self.tr("Phone"), self.phone),
                                  ("role", self.tr("Took part as"), self.role)):
            row = FieldRow(field, self)
            self.rows[key] = row
            form.addRow(label, row)
        form.addRow("", self.register)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.resize(*fitting_size((520, 240), self))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, activity_id: UUID) -> tuple[UUID, ...] | None:
        """Show the dialog modally; the new roster line, or ``None``."""
        dialog = cls(ctx, activity_id, parent)
        dialog.exec()
        return dialog.saved

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def save(self) -> None:
        """Check the name (and phone), then save on the writer worker."""
        person: PersonInput | None = None
        found: dict[str, str] = {}
        if self.register.isChecked():
            try:
                person, _warnings = clean_person(PersonInput(name=self.name.text(), phone=self.phone.text()))
            except WusheError as exc:
                found = messages.field_errors(exc)
        elif not self.name.text().strip():
            found = messages.field_errors(ValidationError("name.empty", field="name"))
        for key, row in self.rows.items():
            row.set_error(found.get(key, ""))
        if found:
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        self._ctx.writer.run(add_new_face, self._ctx.db, self._ctx.actor, self._activity_id, person,
                             self.name.text(), self.role.currentData(), on_done=self._saved,
                             on_error=self._refused, parent=self)

    def _saved(self, lines: tuple[UUID, ...]) -> None:
        self.saved = lines
        self._ctx.events.changed.emit("activities")
        if self.register.isChecked():
            self._ctx.events.changed.emit("people")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError):
            found = messages.field_errors(error)
            self.rows["name"].set_error("\n".join(found.values()))
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def _role_changed(self) -> None:
        # People served are registered by default; helpers usually are not.
        self.register.setChecked(self.role.currentData() == AttendeeRole.BENEFICIARY)


# ---------------------------------------------------------------------------
# Volunteer hours in one grid
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GridVolunteer:
    """A volunteer on the roster, and the hours already entered for this activity."""

    volunteer_id: UUID
    name: str
    entered: HoursView | None = None


class HoursGridDialog(QDialog):
    """Every volunteer on the roster in one grid: sign-in and sign-out, or the hours.

    Rows left empty are not saved; the rest are saved in one write, all or nothing, and
    a refused row shows why in its last column.

    Signals:
        save_failed(): saving was refused (the reasons are shown per row).
    """

    save_failed = Signal()

    def __init__(self, ctx: UiContext, activity: ActivityView, volunteers: list[GridVolunteer],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._activity = activity
        self._volunteers = volunteers
        self._rows_saved: list[int] = []
        self.saved: tuple[HoursView, ...] | None = None
        self.setWindowTitle(self.tr("Volunteer hours: {title}").format(title=activity.title))

        intro = QLabel(self.tr("Service date {date}. Type the sign-in and sign-out times, or the hours (e.g. 2.5) "
                               "when there was a break. Rows left empty are not saved; the station head confirms "
                               "the hours afterwards.").format(date=activity.start_date.isoformat()), self)
        intro.setWordWrap(True)
        self.fill_in = QLineEdit(self)
        self.fill_in.setPlaceholderText(self.tr("Sign-in, e.g. 08:30"))
        self.fill_out = QLineEdit(self)
        self.fill_out.setPlaceholderText(self.tr("Sign-out, e.g. 11:30"))
        self.fill_content = QLineEdit(self)
        self.fill_content.setPlaceholderText(self.tr("What they did"))
        if activity.starts_at is not None:
            self.fill_in.setText(f"{activity.starts_at.astimezone(self._ctx.station.zone):%H:%M}")
        if activity.ends_at is not None:
            self.fill_out.setText(f"{activity.ends_at.astimezone(self._ctx.station.zone):%H:%M}")
        self.fill_button = QPushButton(self.tr("Fill every empty row"), self)
        fill = QHBoxLayout()
        fill.addWidget(QLabel(self.tr("For everyone:"), self))
        fill.addWidget(self.fill_in)
        fill.addWidget(self.fill_out)
        fill.addWidget(self.fill_content, 1)
        fill.addWidget(self.fill_button)

        self.grid = QTableWidget(len(volunteers), 6, self)
        self.grid.setHorizontalHeaderLabels([self.tr("Volunteer"), self.tr("Sign-in"), self.tr("Sign-out"),
                                             self.tr("Hours"), self.tr("Service content"), self.tr("Check")])
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(H_CONTENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(H_RESULT, QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setVisible(True)
        grey = QColor("#777777")
        for row, volunteer in enumerate(volunteers):
            name = QTableWidgetItem(volunteer.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.grid.setItem(row, H_NAME, name)
            for column in (H_IN, H_OUT, H_HOURS, H_CONTENT, H_RESULT):
                self.grid.setItem(row, column, QTableWidgetItem(""))
            result = self.grid.item(row, H_RESULT)
            assert result is not None
            result.setFlags(result.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if volunteer.entered is not None:
                line = volunteer.entered
                texts = {H_IN: f"{line.sign_in:%H:%M}" if line.sign_in else "",
                         H_OUT: f"{line.sign_out:%H:%M}" if line.sign_out else "",
                         H_HOURS: f"{line.credited_tenths / 10:g}", H_CONTENT: line.content,
                         H_RESULT: self.tr("Already entered")}
                for column in range(H_NAME, H_RESULT + 1):
                    item = self.grid.item(row, column)
                    assert item is not None
                    if column in texts:
                        item.setText(texts[column])
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setForeground(grey)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(fill)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.fill_button.clicked.connect(self.fill_empty_rows)
        self.resize(*fitting_size(HOURS_SIZE, self))

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, activity: ActivityView,
            volunteers: list[GridVolunteer]) -> tuple[HoursView, ...] | None:
        """Show the grid modally; the lines saved, or ``None`` if cancelled."""
        dialog = cls(ctx, activity, volunteers, parent)
        dialog.exec()
        return dialog.saved

    def set_row(self, row: int, sign_in: str = "", sign_out: str = "", hours: str = "", content: str = "") -> None:
        """Type a row (tests, and the fill button)."""
        for column, text in ((H_IN, sign_in), (H_OUT, sign_out), (H_HOURS, hours), (H_CONTENT, content)):
            item = self.grid.item(row, column)
            assert item is not None
            item.setText(text)

    def row_results(self) -> list[str]:
        """The check column of every row."""
        return [self._text(row, H_RESULT) for row in range(self.grid.rowCount())]

    def fill_empty_rows(self) -> None:
        """Give every row that is still empty the times and content typed above the grid."""
        for row, volunteer in enumerate(self._volunteers):
            if volunteer.entered is None and not self._row_typed(row):
                self.set_row(row, self.fill_in.text().strip(), self.fill_out.text().strip(), "",
                             self.fill_content.text().strip())

    def hours_lines(self) -> tuple[list[HoursInput], list[int], dict[int, str]]:
        """The lines to save, the grid row of each, and the rows the grid itself refuses."""
        lines: list[HoursInput] = []
        rows: list[int] = []
        problems: dict[int, str] = {}
        for row, volunteer in enumerate(self._volunteers):
            if volunteer.entered is not None or not self._row_typed(row):
                continue
            try:
                sign_in = parse_time(self._text(row, H_IN))
                sign_out = parse_time(self._text(row, H_OUT))
            except ValueError:
                problems[row] = self.tr("Type the times like 08:30.")
                continue
            minutes: int | None = None
            hours_text = self._text(row, H_HOURS).replace("，", ".")
            if hours_text:
                try:
                    minutes = round(float(hours_text) * 60)
                except ValueError:
                    problems[row] = messages.message_for(ValidationError("hours.format"))
                    continue
            lines.append(HoursInput(volunteer_id=volunteer.volunteer_id, service_date=self._activity.start_date,
                                    minutes=minutes, sign_in=sign_in, sign_out=sign_out,
                                    activity_id=self._activity.uuid, content=self._text(row, H_CONTENT)))
            rows.append(row)
        return lines, rows, problems

    def save(self) -> None:
        """Save every typed row in one write (all or nothing)."""
        lines, rows, problems = self.hours_lines()
        self._show_results(problems)
        if problems:
            self.status.setText(self.tr("Nothing was saved: correct the rows marked in the last column."))
            self.save_failed.emit()
            return
        if not lines:
            self.status.setText(self.tr("Type the hours of at least one volunteer."))
            self.save_failed.emit()
            return
        self._rows_saved = rows
        self.save_button.setEnabled(False)
        self._ctx.writer.run(add_hours_bulk, self._ctx.db, self._ctx.actor, self._activity.uuid, lines,
                             on_done=self._saved, on_error=self._refused, parent=self)

    def _row_typed(self, row: int) -> bool:
        return any(self._text(row, c) for c in (H_IN, H_OUT, H_HOURS))

    def _text(self, row: int, column: int) -> str:
        item = self.grid.item(row, column)
        return item.text().strip() if item is not None else ""

    def _show_results(self, problems: dict[int, str]) -> None:
        for row, volunteer in enumerate(self._volunteers):
            if volunteer.entered is not None:
                continue
            item = self.grid.item(row, H_RESULT)
            assert item is not None
            item.setText(problems.get(row, ""))
            item.setForeground(QColor("#b3261e"))

    def _saved(self, lines: tuple[HoursView, ...]) -> None:
        self.saved = lines
        self._ctx.events.changed.emit("hours")
        self._ctx.events.changed.emit("volunteers")
        self._ctx.events.changed.emit("activities")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, WusheError):
            messages.show_error(self, error)
            self.save_failed.emit()
            return
        items = error.errors if isinstance(error, ValidationErrors) else [error]
        problems: dict[int, str] = {}
        general: list[str] = []
        for item in items:
            line = item.params.get("line")
            if isinstance(line, int) and 0 <= line < len(self._rows_saved):
                row = self._rows_saved[line]
                text = messages.message_for(item)
                problems[row] = f"{problems[row]} {text}" if row in problems else text
            else:
                general.append(messages.message_for(item))
        self._show_results(problems)
        self.status.setText("\n".join([self.tr("Nothing was saved: correct the rows marked in the last column."),
                                       *general]))
        self.save_failed.emit()
