"""The volunteer screen's dialogs: registration, teams, hours, corrections, certificates.

Every form checks what it can with the service's own plain-Python validation as the user
leaves a field and shows each Chinese sentence under the field it names (as
:mod:`wushe_desktop.ui.person_form` does); the save runs on the writer worker and a
refusal from the service lands under its field too. Each dialog has an ``ask``
classmethod that owns the modal call, so callers' tests can replace it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import HoursStatus, IdDocumentType
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import mask_id_number, parse_hours_text, parse_id_number
from wushe_desktop.errors import ValidationError, ValidationErrors, WusheError
from wushe_desktop.services.activities import ActivityView, list_activities
from wushe_desktop.services.context import Actor
from wushe_desktop.services.printing import print_certificate
from wushe_desktop.services.station import taxonomy
from wushe_desktop.services.volunteers import (
    CertificateView,
    HoursInput,
    HoursView,
    TeamInput,
    TeamView,
    VolunteerInput,
    VolunteerSaveResult,
    VolunteerSummary,
    VolunteerView,
    add_hours,
    clean_volunteer,
    correct_hours,
    create_team,
    get_volunteer,
    list_certificates,
    list_teams,
    list_volunteers,
    register_volunteer,
    update_volunteer,
    volunteer_form_input,
    volunteer_summary,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper, register_draft_form, resume_next, show_screen
from wushe_desktop.ui.fields import FieldRow, error_label
from wushe_desktop.ui.labels import hours_status_labels, sex_labels
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog, preview_pdf
from wushe_desktop.ui.person_form import fitting_size
from wushe_desktop.ui.record_dialog import RecordDialog

# Sizes the dialogs open with, if the screen has room (all fit 1366×768).
FORM_SIZE = (940, 600)
HOURS_SIZE = (560, 430)
CERTIFICATE_SIZE = (760, 580)

# Skill tick boxes per row.
SKILL_COLUMNS = 4

# How far back the hours form offers activities (days).
ACTIVITY_DAYS = 400

# Fields of the volunteer form, in order (the first one with an error gets focus).
VOLUNTEER_FIELDS = ("name", "sex", "id_type", "id_number", "birth_date", "phone", "address", "registered_on",
                    "political_status", "skills", "skills_text", "availability", "national_no",
                    "insurance_policy", "insurance_until", "guardian_consent", "teams")


def hours_text(tenths: int) -> str:
    """Tenths of an hour as the screens show them: ``46.5``."""
    return f"{tenths / 10:.1f}"


def to_qdate(day: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """A QDate as a Python date."""
    return date(day.year(), day.month(), day.day())


def date_edit(parent: QWidget, day: date) -> QDateEdit:
    """A date field with a calendar, showing YYYY-MM-DD."""
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _parse_date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("date.format", field=field) from None


def _id_types() -> dict[IdDocumentType, str]:
    return {
        IdDocumentType.RESIDENT_ID: QCoreApplication.translate("VolunteerForm", "Resident ID card"),
        IdDocumentType.HMT_RESIDENCE: QCoreApplication.translate(
            "VolunteerForm", "Residence permit (Hong Kong, Macao, Taiwan)"),
        IdDocumentType.FOREIGN_PERMANENT: QCoreApplication.translate(
            "VolunteerForm", "Foreigner's permanent residence ID card"),
        IdDocumentType.PASSPORT: QCoreApplication.translate("VolunteerForm", "Passport"),
        IdDocumentType.NONE: QCoreApplication.translate("VolunteerForm", "None"),
    }


# ---------------------------------------------------------------------------
# Registration and editing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerFormData:
    """What the volunteer form needs before it can be filled (read on the reader worker)."""

    skills: dict[str, str]
    teams: tuple[TeamView, ...]
    current: VolunteerView | None
    stored: VolunteerInput | None


def load_volunteer_form(db: Any, actor: Actor, volunteer_id: UUID | None) -> VolunteerFormData:
    """The skills vocabulary, the teams and (to edit) the volunteer as stored."""
    current = get_volunteer(db, actor, volunteer_id) if volunteer_id is not None else None
    stored = volunteer_form_input(db, actor, volunteer_id) if volunteer_id is not None else None
    return VolunteerFormData(taxonomy(db, actor, TaxonomyKind.SKILL), tuple(list_teams(db, actor)), current, stored)


def find_volunteers_with_id(db: Any, actor: Actor, id_number: str) -> list[VolunteerView]:
    """Volunteers already registered whose masked ID number equals this one's (reader worker)."""
    masked = mask_id_number(id_number)
    return [v for v in list_volunteers(db, actor, id_number[-4:], limit=50) if v.id_number_masked == masked]


class VolunteerForm(RecordDialog):
    """Registers a volunteer (志愿者登记), or edits one.

    Signals:
        ready(): the vocabularies (and, to edit, the volunteer) arrived.
        save_failed(): saving was refused (the errors are shown).
    """

    ready = Signal()
    field_order = VOLUNTEER_FIELDS
    changes = "volunteers"

    def __init__(self, ctx: UiContext, volunteer_id: UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._volunteer_id = volunteer_id
        self.current: VolunteerView | None = None
        self.saved: VolunteerSaveResult | None = None
        self.setWindowTitle(self.tr("Register a volunteer") if volunteer_id is None else self.tr("Edit volunteer"))

        self.name = QLineEdit(self)
        self.sex = QComboBox(self)
        self.sex.addItem(self.tr("Not given"), None)
        for sex, label in sex_labels().items():
            self.sex.addItem(label, sex)
        self.id_type = QComboBox(self)
        for kind, label in _id_types().items():
            self.id_type.addItem(label, kind)
        self.id_number = QLineEdit(self)
        self.id_number.setPlaceholderText(self.tr("18 characters; birth date and sex are read from it"))
        self.id_warning = QLabel(self)
        self.id_warning.setObjectName("duplicateWarning")
        self.id_warning.setWordWrap(True)
        self.id_warning.setStyleSheet("color: #8a5300;")
        self.id_warning.hide()
        self.birth_date = QLineEdit(self)
        self.birth_date.setPlaceholderText(self.tr("e.g. 2004-03-15 (not needed with an ID number)"))
        self.phone = QLineEdit(self)
        self.address = QLineEdit(self)
        self.registered_on = QLineEdit(date.today().isoformat(), self)
        self.political_status = QLineEdit(self)
        self.political_status.setPlaceholderText(self.tr("e.g. Communist Youth League member"))
        self.skills_box = QGroupBox(self.tr("Skills"), self)
        self.skills_grid = QGridLayout(self.skills_box)
        self.skill_boxes: dict[str, QCheckBox] = {}
        self.skills_text = QLineEdit(self)
        self.skills_text.setPlaceholderText(self.tr("Other skills, in words"))
        self.availability = QLineEdit(self)
        self.availability.setPlaceholderText(self.tr("e.g. weekends, school holidays"))
        self.national_no = QLineEdit(self)
        self.insurance_policy = QLineEdit(self)
        self.insurance_until = QLineEdit(self)
        self.insurance_until.setPlaceholderText(self.tr("e.g. 2027-06-30"))
        self.guardian_consent = QCheckBox(self.tr("The guardian consents (volunteers under 18)"), self)
        self.guardian_warning = QLabel(self)
        self.guardian_warning.setObjectName("guardianWarning")
        self.guardian_warning.setWordWrap(True)
        self.guardian_warning.setStyleSheet("color: #8a5300;")
        self.guardian_warning.hide()
        self.teams = QListWidget(self)
        self.teams.setMaximumHeight(90)

        self.rows: dict[str, FieldRow] = {}
        id_box = QWidget(self)
        id_layout = QVBoxLayout(id_box)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.setSpacing(1)
        id_layout.addWidget(self.id_number)
        id_layout.addWidget(self.id_warning)
        id_box.setFocusProxy(self.id_number)
        consent_box = QWidget(self)
        consent_layout = QVBoxLayout(consent_box)
        consent_layout.setContentsMargins(0, 0, 0, 0)
        consent_layout.setSpacing(1)
        consent_layout.addWidget(self.guardian_consent)
        consent_layout.addWidget(self.guardian_warning)

        left = QFormLayout()
        left.addRow(self.tr("Name"), self._row("name", self.name))
        left.addRow(self.tr("Sex"), self._row("sex", self.sex))
        left.addRow(self.tr("ID document"), self._row("id_type", self.id_type))
        left.addRow(self.tr("ID number"), self._row("id_number", id_box))
        left.addRow(self.tr("Birth date"), self._row("birth_date", self.birth_date))
        left.addRow(self.tr("Phone"), self._row("phone", self.phone))
        left.addRow(self.tr("Address"), self._row("address", self.address))
        left.addRow(self.tr("Political status"), self._row("political_status", self.political_status))
        right = QFormLayout()
        right.addRow(self.tr("Registered on"), self._row("registered_on", self.registered_on))
        right.addRow(self.tr("Other skills"), self._row("skills_text", self.skills_text))
        right.addRow(self.tr("Available"), self._row("availability", self.availability))
        right.addRow(self.tr("National volunteer number"), self._row("national_no", self.national_no))
        right.addRow(self.tr("Insurance policy"), self._row("insurance_policy", self.insurance_policy))
        right.addRow(self.tr("Insured until"), self._row("insurance_until", self.insurance_until))
        right.addRow(self.tr("Teams"), self._row("teams", self.teams))
        right.addRow("", self._row("guardian_consent", consent_box))
        columns = QHBoxLayout()
        columns.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)

        self.form_error = error_label(self, "formError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save_action = QAction(self)
        save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save_action.triggered.connect(lambda: self.save() if self.save_button.isEnabled() else None)
        self.addAction(save_action)

        body = QWidget(self)
        fields = QVBoxLayout(body)
        fields.addLayout(columns)
        fields.addWidget(self.skills_box)
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

        self.save_button.setEnabled(False)
        for edit, name in ((self.name, "name"), (self.id_number, "id_number"), (self.birth_date, "birth_date"),
                           (self.phone, "phone"), (self.address, "address"), (self.registered_on, "registered_on"),
                           (self.political_status, "political_status"), (self.skills_text, "skills_text"),
                           (self.availability, "availability"), (self.national_no, "national_no"),
                           (self.insurance_policy, "insurance_policy"), (self.insurance_until, "insurance_until")):
            edit.textChanged.connect(lambda _text, name=name: self._edited(name))
            edit.editingFinished.connect(self._left_field)
        for combo in (self.sex, self.id_type):
            combo.currentIndexChanged.connect(self._mark_dirty)
        self.guardian_consent.toggled.connect(self._consent_toggled)
        self.id_number.editingFinished.connect(self._check_duplicate)
        ctx.reader.run(load_volunteer_form, ctx.db, ctx.actor, volunteer_id, on_done=self._fill, parent=self)

    # -- public ------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, volunteer_id: UUID | None = None) -> VolunteerSaveResult | None:
        """Show the form modally; the saved volunteer, or ``None`` if cancelled."""
        dialog = cls(ctx, volunteer_id, parent)
        dialog.exec()
        return dialog.saved

    @property
    def editing(self) -> bool:
        """Whether the form edits a registered volunteer."""
        return self._volunteer_id is not None

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def volunteer_input(self) -> VolunteerInput:
        """The form as the service's input (a date that does not parse is raised)."""
        found: list[ValidationError] = []
        dates: dict[str, date | None] = {}
        for name, edit in (("birth_date", self.birth_date), ("registered_on", self.registered_on),
                           ("insurance_until", self.insurance_until)):
            try:
                dates[name] = _parse_date(edit.text(), name)
            except ValidationError as exc:
                found.append(exc)
                dates[name] = None
        if found:
            raise ValidationErrors(found)
        teams = tuple(self.teams.item(i).text() for i in range(self.teams.count())
                      if self.teams.item(i).checkState() == Qt.CheckState.Checked)
        return VolunteerInput(
            name=self.name.text(), id_number=self.id_number.text(), phone=self.phone.text(),
            sex=self.sex.currentData(), birth_date=dates["birth_date"],
            id_type=self.id_type.currentData() or IdDocumentType.RESIDENT_ID,
            skills=tuple(code for code, box in self.skill_boxes.items() if box.isChecked()),
            skills_text=self.skills_text.text(), availability=self.availability.text(),
            address=self.address.text(), political_status=self.political_status.text(),
            registered_on=dates["registered_on"], national_no=self.national_no.text(),
            insurance_policy=self.insurance_policy.text(), insurance_until=dates["insurance_until"],
            guardian_consent=self.guardian_consent.isChecked(), teams=teams)

    def validate(self, only_touched: bool = False) -> VolunteerInput | None:
        """Check the form; show errors under their fields; the input if valid."""
        found: dict[str, str] = dict(self._refused)
        data: VolunteerInput | None = None
        warnings: list[ValidationError] = []
        try:
            data = self.volunteer_input()
            _cleaned, warnings = clean_volunteer(data)
        except WusheError as exc:
            for name, text in messages.field_errors(exc).items():
                found.setdefault(name, text)
        self._touched.update(self._refused)
        warning = next((w for w in warnings if w.code == "volunteer.minor_without_guardian_consent"), None)
        self.guardian_warning.setText(messages.message_for(warning) if warning is not None else "")
        self.guardian_warning.setVisible(warning is not None)
        shown = {k: v for k, v in found.items() if not only_touched or k in self._touched}
        for name, row in self.rows.items():
            row.set_error(shown.get(name, ""))
        leftover = [text for name, text in shown.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))
        return None if found else data

    def save(self) -> None:
        """Validate, then register (or update) the volunteer on the writer worker."""
        self._touched.update(self.rows)
        data = self.validate()
        if data is None:
            self._focus_first_error()
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        ctx = self._ctx
        if self._volunteer_id is None:
            ctx.writer.run(register_volunteer, ctx.db, ctx.actor, data, on_done=self._saved,
                           on_error=self._save_refused, parent=self)
        else:
            volunteer_id = self._volunteer_id
            ctx.writer.run(lambda: update_volunteer(ctx.db, ctx.actor, volunteer_id, data, keep_id_number=True,
                                                    keep_phone=True),
                           on_done=self._saved, on_error=self._save_refused, parent=self)

    # -- internals -----------------------------------------------------------------------

    def _row(self, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        return row

    def _fill(self, data: VolunteerFormData) -> None:
        for i, (code, label) in enumerate(data.skills.items()):
            box = QCheckBox(label, self.skills_box)
            box.toggled.connect(self._mark_dirty)
            self.skill_boxes[code] = box
            self.skills_grid.addWidget(box, i // SKILL_COLUMNS, i % SKILL_COLUMNS)
        member_of = set(data.stored.teams) if data.stored is not None else set()
        for team in data.teams:
            item = QListWidgetItem(team.name, self.teams)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if team.name in member_of else Qt.CheckState.Unchecked)
            if team.name in member_of:
                # leaving a team is done on the Teams tab, so history stays in one place
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("To leave this team, use the Teams tab."))
        if not data.teams:
            self.teams.hide()
            self.rows["teams"].set_error("")
        self.teams.itemChanged.connect(self._mark_dirty)
        self.current = data.current
        if data.stored is not None and data.current is not None:
            self._show_stored(data.stored, data.current)
        self._dirty = False
        self._touched.clear()
        self.save_button.setEnabled(True)
        self._keep_draft()
        self.ready.emit()

    def _keep_draft(self) -> None:
        """Keep what is typed as a draft (offered back after a crash); offer one left from before."""
        fields: dict[str, QWidget] = {
            "name": self.name, "sex": self.sex, "id_type": self.id_type, "birth_date": self.birth_date,
            "address": self.address, "registered_on": self.registered_on, "political_status": self.political_status,
            "skills_text": self.skills_text, "availability": self.availability, "national_no": self.national_no,
            "insurance_policy": self.insurance_policy, "insurance_until": self.insurance_until,
            "guardian_consent": self.guardian_consent,
            **{f"skill:{code}": box for code, box in self.skill_boxes.items()}}
        if self._volunteer_id is None:  # an edit's stored number and phone stay out of drafts
            fields.update({"id_number": self.id_number, "phone": self.phone})
        self.drafts = DraftKeeper(self, self._ctx, "volunteer",
                                  str(self._volunteer_id) if self._volunteer_id else None, fields,
                                  about={"name": self.name.text().strip()})
        self.name.textChanged.connect(self._name_draft)
        self.drafts.offer_existing()

    def _show_stored(self, stored: VolunteerInput, current: VolunteerView) -> None:
        self.name.setText(stored.name)
        self.sex.setCurrentIndex(max(0, self.sex.findData(stored.sex)))
        self.id_type.setCurrentIndex(max(0, self.id_type.findData(stored.id_type)))
        if current.id_number_masked:
            self.id_number.setPlaceholderText(self.tr("Recorded: {number}. Leave empty to keep it.").format(
                number=current.id_number_masked))
        if current.phone_masked:
            self.phone.setPlaceholderText(self.tr("Recorded: {number}. Leave empty to keep it.").format(
                number=current.phone_masked))
        self.birth_date.setText(stored.birth_date.isoformat() if stored.birth_date else "")
        self.address.setText(stored.address)
        self.registered_on.setText(stored.registered_on.isoformat() if stored.registered_on else "")
        self.political_status.setText(stored.political_status)
        for code, box in self.skill_boxes.items():
            box.setChecked(code in stored.skills)
        self.skills_text.setText(stored.skills_text)
        self.availability.setText(stored.availability)
        self.national_no.setText(stored.national_no)
        self.insurance_policy.setText(stored.insurance_policy)
        self.insurance_until.setText(stored.insurance_until.isoformat() if stored.insurance_until else "")
        self.guardian_consent.setChecked(stored.guardian_consent)

    def _consent_toggled(self, _checked: bool) -> None:
        self._dirty = True
        self.validate(only_touched=True)

    def _check_duplicate(self) -> None:
        self.id_warning.hide()
        text = self.id_number.text().strip()
        if self.id_type.currentData() != IdDocumentType.RESIDENT_ID or not text:
            return
        try:
            number = parse_id_number(text).number
        except WusheError:
            return
        self._ctx.reader.run(find_volunteers_with_id, self._ctx.db, self._ctx.actor, number,
                             on_done=lambda found: self._show_duplicate(number, found), parent=self)

    def _show_duplicate(self, number: str, found: list[VolunteerView]) -> None:
        others = [v for v in found if v.uuid != self._volunteer_id]
        if not others or self.id_number.text().strip().upper() != number:
            return
        self.id_warning.setText(self.tr("Already registered as a volunteer with this ID number: {names}. Do not "
                                        "register them twice.").format(
            names=", ".join(f"{v.name} ({v.volunteer_no})" for v in others)))
        self.id_warning.show()


def open_volunteer_draft(window: QWidget, ctx: UiContext, draft: Any) -> None:
    """After a crash: the volunteers screen and the registration form, filled from its draft."""
    try:
        volunteer_id = UUID(draft.record_uuid) if draft.record_uuid else None
    except ValueError:
        return
    show_screen(window, "volunteers")
    resume_next(draft)
    form = VolunteerForm(ctx, volunteer_id, window)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.open()


register_draft_form("volunteer", lambda: QCoreApplication.translate("VolunteerForm", "volunteer registration form"),
                    open_volunteer_draft)


# ---------------------------------------------------------------------------
# Small forms: a team, an hours line, a correction
# ---------------------------------------------------------------------------


class _SmallForm(QDialog):
    """A short form: fields with their error lines, Save and Cancel, save on the writer.

    Subclasses build their fields with :meth:`_row`, give :meth:`_job` (the service call,
    raising coded errors) and the event kinds to announce.
    """

    save_failed = Signal()
    kinds: tuple[str, ...] = ()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.saved: Any = None
        self.rows: dict[str, FieldRow] = {}
        self.form = QFormLayout()
        self.form_error = error_label(self, "formError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.body.addWidget(self.form_error)
        self.body.addStretch(1)
        self.body.addWidget(self.buttons)

    def _row(self, label: str, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        self.form.addRow(label, row)
        return row

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out), and the form's own."""
        shown = {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}
        if self.form_error.isVisible():
            shown[""] = self.form_error.text()
        return shown

    def show_errors(self, found: dict[str, str]) -> None:
        """Put each sentence under its field (unknown fields under the form)."""
        for name, row in self.rows.items():
            row.set_error(found.get(name, ""))
        leftover = [text for name, text in found.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))

    def _job(self) -> Callable[[], Any]:
        raise NotImplementedError

    def _field_for(self, name: str) -> str:
        """Where an error about a service field is shown (subclasses map names)."""
        return name

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError | ValidationErrors):
            found: dict[str, str] = {}
            for name, text in messages.field_errors(error).items():
                key = self._field_for(name)
                found[key] = f"{found[key]}\n{text}" if key in found else text
            self.show_errors(found)
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def save(self) -> None:
        """Check the fields, then run the service call on the writer worker."""
        try:
            job = self._job()
        except WusheError as exc:
            self._refused(exc)
            return
        self.show_errors({})
        self.save_button.setEnabled(False)
        self._ctx.writer.run(job, on_done=self._done, on_error=self._refused, parent=self)

    def _done(self, result: Any) -> None:
        self.saved = result
        for kind in self.kinds:
            self._ctx.events.changed.emit(kind)
        self.accept()


class TeamDialog(_SmallForm):
    """Creates a volunteer team (志愿服务队伍)."""

    kinds = ("volunteers",)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("New volunteer team"))
        self.name = QLineEdit(self)
        self.leader_name = QLineEdit(self)
        self.leader_phone = QLineEdit(self)
        self._row(self.tr("Team name"), "name", self.name)
        self._row(self.tr("Leader"), "leader_name", self.leader_name)
        self._row(self.tr("Leader's phone"), "leader_phone", self.leader_phone)
        self._finish_layout()
        self.resize(460, 260)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext) -> TeamView | None:
        """Show the form; the new team, or ``None``."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.saved if isinstance(dialog.saved, TeamView) else None

    def _job(self) -> Callable[[], Any]:
        ctx, data = self._ctx, TeamInput(self.name.text(), self.leader_name.text(), self.leader_phone.text())
        return lambda: create_team(ctx.db, ctx.actor, data)


def load_activities(db: Any, actor: Actor) -> list[ActivityView]:
    """The activities of the last :data:`ACTIVITY_DAYS` days, newest first (reader worker)."""
    return list_activities(db, actor, date.today() - timedelta(days=ACTIVITY_DAYS), None)


def _parse_time(text: str, field: str) -> time | None:
    text = text.strip().replace("：", ":")
    if not text:
        return None
    try:
        return time.fromisoformat(text if len(text) > 2 else f"{int(text):02d}:00")
    except ValueError:
        raise ValidationError("time.format", field=field) from None


class HoursDialog(_SmallForm):
    """Enters one service line for a volunteer, pending the station head's confirmation."""

    kinds = ("hours", "volunteers")

    def __init__(self, ctx: UiContext, volunteer: VolunteerView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.volunteer = volunteer
        self.setWindowTitle(self.tr("Enter volunteer hours: {name}").format(name=volunteer.name))
        self.service_date = date_edit(self, date.today())
        self.service_date.setMaximumDate(to_qdate(date.today()))
        self.activity = QComboBox(self)
        self.activity.addItem(self.tr("Not part of an activity"), None)
        self.activity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activity.setMinimumContentsLength(24)
        self.hours = QLineEdit(self)
        self.hours.setPlaceholderText(self.tr("e.g. 2.5 (actual service time, without travel)"))
        times = QWidget(self)
        times_layout = QHBoxLayout(times)
        times_layout.setContentsMargins(0, 0, 0, 0)
        self.sign_in = QLineEdit(self)
        self.sign_in.setPlaceholderText(self.tr("Sign-in, e.g. 09:00"))
        self.sign_out = QLineEdit(self)
        self.sign_out.setPlaceholderText(self.tr("Sign-out, e.g. 11:30"))
        times_layout.addWidget(self.sign_in)
        times_layout.addWidget(self.sign_out)
        self.place = QLineEdit(self)
        self.content = QPlainTextEdit(self)
        self.content.setFixedHeight(70)
        self.evaluation = QLineEdit(self)
        note = QLabel(self.tr("Give the hours, or the sign-in and sign-out times. The station head confirms the "
                              "line before it counts."), self)
        note.setWordWrap(True)
        self._row(self.tr("Service date"), "service_date", self.service_date)
        self._row(self.tr("Activity"), "activity_id", self.activity)
        self._row(self.tr("Hours"), "hours", self.hours)
        self._row(self.tr("Or times"), "sign_out", times)
        self._row(self.tr("Place"), "place", self.place)
        self._row(self.tr("What was done"), "content", self.content)
        self._row(self.tr("Evaluation"), "evaluation", self.evaluation)
        self.body.addWidget(note)
        self._finish_layout()
        self.resize(*fitting_size(HOURS_SIZE, self))
        ctx.reader.run(load_activities, ctx.db, ctx.actor, on_done=self._fill_activities, parent=self)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, volunteer: VolunteerView) -> HoursView | None:
        """Show the form; the new line, or ``None``."""
        dialog = cls(ctx, volunteer, parent)
        dialog.exec()
        return dialog.saved if isinstance(dialog.saved, HoursView) else None

    def _fill_activities(self, activities: list[ActivityView]) -> None:
        for activity in activities:
            self.activity.addItem(f"{activity.start_date.isoformat()} {activity.title}", activity.uuid)

    def _field_for(self, name: str) -> str:
        return {"minutes": "hours", "volunteer_id": "activity_id", "sign_in": "sign_out"}.get(name, name)

    def hours_input(self) -> HoursInput:
        """The form as the service's input (the hours and times read, or their errors raised)."""
        errors: list[ValidationError] = []
        minutes: int | None = None
        sign_in = sign_out = None
        if self.hours.text().strip():
            try:
                minutes = parse_hours_text(self.hours.text()) * 6
            except ValidationError as exc:
                errors.append(exc)
        for name, edit in (("sign_in", self.sign_in), ("sign_out", self.sign_out)):
            try:
                value = _parse_time(edit.text(), name)
            except ValidationError as exc:
                errors.append(ValidationError(exc.code, field="sign_out"))
                continue
            if name == "sign_in":
                sign_in = value
            else:
                sign_out = value
        if errors:
            raise ValidationErrors(errors)
        return HoursInput(volunteer_id=self.volunteer.uuid, service_date=from_qdate(self.service_date.date()),
                          minutes=minutes, sign_in=sign_in, sign_out=sign_out,
                          activity_id=self.activity.currentData(), place=self.place.text(),
                          content=self.content.toPlainText(), evaluation=self.evaluation.text())

    def _job(self) -> Callable[[], Any]:
        ctx, data = self._ctx, self.hours_input()
        return lambda: add_hours(ctx.db, ctx.actor, data)


def history_lines(line: HoursView) -> list[str]:
    """A line's corrections and voiding, one sentence each, oldest first."""
    found = []
    for entry in line.corrections:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        if entry.action == "void":
            found.append(QCoreApplication.translate("CorrectionDialog", "{when} {by} voided it ({old} h): {reason}")
                         .format(when=when, by=entry.by, old=hours_text(entry.old_tenths), reason=entry.reason))
        else:
            found.append(QCoreApplication.translate(
                "CorrectionDialog", "{when} {by} corrected {old} h to {new} h: {reason}").format(
                when=when, by=entry.by, old=hours_text(entry.old_tenths), new=hours_text(entry.new_tenths),
                reason=entry.reason))
    return found


class CorrectionDialog(_SmallForm):
    """Corrects a line's credited hours with a reason (history kept; station head only)."""

    kinds = ("hours", "volunteers")

    def __init__(self, ctx: UiContext, line: HoursView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.line = line
        self.setWindowTitle(self.tr("Correct volunteer hours"))
        status = hours_status_labels()[line.status]
        what = QLabel(self.tr("{name}, {date}: {hours} hours ({status}). {content}").format(
            name=line.volunteer_name, date=line.service_date.isoformat(), hours=hours_text(line.credited_tenths),
            status=status, content=line.content), self)
        what.setWordWrap(True)
        self.body.insertWidget(0, what)
        self.hours = QLineEdit(self)
        self.hours.setPlaceholderText(self.tr("The right hours, e.g. 6.5"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("e.g. time for writing the activity summary was left out"))
        self._row(self.tr("Correct hours"), "hours", self.hours)
        self._row(self.tr("Reason"), "reason", self.reason)
        self.history = QListWidget(self)
        self.history.setObjectName("correctionHistory")
        past = history_lines(line)
        for text in past or [self.tr("No corrections yet.")]:
            QListWidgetItem(text, self.history)
        self.history.setMaximumHeight(110)
        self.body.addWidget(QLabel(self.tr("History"), self))
        self.body.addWidget(self.history)
        self._finish_layout()
        self.resize(560, 400)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, line: HoursView) -> HoursView | None:
        """Show the form; the corrected line, or ``None``."""
        dialog = cls(ctx, line, parent)
        dialog.exec()
        return dialog.saved if isinstance(dialog.saved, HoursView) else None

    def _field_for(self, name: str) -> str:
        return "hours" if name == "minutes" else name

    def _job(self) -> Callable[[], Any]:
        tenths = parse_hours_text(self.hours.text())
        ctx, line_id, reason = self._ctx, self.line.uuid, self.reason.text()
        if not reason.strip():
            raise ValidationError("hours.reason_required", field="reason")
        return lambda: correct_hours(ctx.db, ctx.actor, line_id, reason=reason, tenths=tenths)


# ---------------------------------------------------------------------------
# Choosing a volunteer (adding team members)
# ---------------------------------------------------------------------------


class VolunteerPicker(QDialog):
    """Choose a registered volunteer by name, pinyin initials or number."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.chosen: VolunteerView | None = None
        self.setWindowTitle(self.tr("Choose a volunteer"))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, volunteer number or last digits of the ID "
                                               "number"))
        self.results = QListWidget(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self.results.itemActivated.connect(lambda _item: self._choose())
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        self.resize(460, 420)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext) -> VolunteerView | None:
        """Show the picker; the volunteer chosen, or ``None``."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.chosen

    def run_search(self) -> None:
        """Search for what is typed (on the reader worker)."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self._ctx.reader.run(list_volunteers, self._ctx.db, self._ctx.actor, text, 50,
                             on_done=lambda found: self._show(generation, found), parent=self)

    def _show(self, generation: int, found: list[VolunteerView]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for volunteer in found:
            item = QListWidgetItem(f"{volunteer.name}  {volunteer.volunteer_no}  {volunteer.id_number_masked or ''}",
                                   self.results)
            item.setData(Qt.ItemDataRole.UserRole, volunteer)
        if found:
            self.results.setCurrentRow(0)

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.accept()


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificatePlan:
    """What printing a certificate for a period would do (read before printing).

    Attributes:
        summary: The volunteer's lines and confirmed total in the period.
        existing: The register entry a print would reuse (same period and total), if any.
    """

    summary: VolunteerSummary
    existing: CertificateView | None

    @property
    def copy(self) -> bool:
        """The next print is a reprint, marked 副本."""
        return self.existing is not None and self.existing.prints >= 1


def certificate_plan(db: Any, actor: Actor, volunteer_id: UUID, date_from: date | None,
                     date_to: date | None) -> CertificatePlan:
    """The confirmed hours of a period and the register entry a print would reuse (reader).

    Mirrors :func:`wushe_desktop.services.printing.certificate_print`: an entry of the same
    volunteer, period and confirmed total is reprinted; otherwise a new one is issued.
    """
    summary = volunteer_summary(db, actor, volunteer_id, date_from, date_to)
    existing = [c for c in list_certificates(db, actor, volunteer_id)
                if (c.period_from, c.period_to, c.hours_tenths) == (date_from, date_to, summary.confirmed_tenths)]
    return CertificatePlan(summary, existing[0] if existing else None)


class CertificateDialog(QDialog):
    """Prints a 志愿服务记录证明: choose the period, see the confirmed hours it states, print.

    Signals:
        planned(): the period's hours and the register's answer are shown.
        printed(object): the preview of a print opened (the :class:`PdfPreviewDialog`).
    """

    planned = Signal()
    printed = Signal(object)

    def __init__(self, ctx: UiContext, volunteer: VolunteerView, date_from: date | None = None,
                 date_to: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.volunteer = volunteer
        self.plan: CertificatePlan | None = None
        self._generation = 0
        self.setWindowTitle(self.tr("Volunteer service certificate: {name}").format(name=volunteer.name))
        today = date.today()
        self.limit = QCheckBox(self.tr("Only the period from"), self)
        self.date_from = date_edit(self, date_from or date(today.year, 1, 1))
        self.date_to = date_edit(self, date_to or today)
        self.limit.setChecked(date_from is not None or date_to is not None)
        period = QHBoxLayout()
        period.addWidget(self.limit)
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("to"), self))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("certificateTotal")
        self.total_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.total_label.setWordWrap(True)
        self.register_label = QLabel(self)
        self.register_label.setObjectName("registerNote")
        self.register_label.setWordWrap(True)
        self.lines = QTableWidget(0, 4, self)
        self.lines.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Hours"), self.tr("Status"),
                                              self.tr("What was done")])
        self.lines.verticalHeader().setVisible(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(self.tr("Preview and print…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_certificate)
        buttons.rejected.connect(self.reject)
        self.print_button.setEnabled(False)
        note = QLabel(self.tr("Only confirmed hours are stated. The first print gets the next number in the "
                              "station's certificate register; every later print of the same certificate is "
                              "marked as a copy."), self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.total_label)
        layout.addWidget(self.register_label)
        layout.addWidget(self.lines, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(*fitting_size(CERTIFICATE_SIZE, self))
        self.limit.toggled.connect(self._period_changed)
        self.date_from.dateChanged.connect(self._period_changed)
        self.date_to.dateChanged.connect(self._period_changed)
        self._period_changed()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, volunteer: VolunteerView, date_from: date | None = None,
            date_to: date | None = None) -> None:
        """Show the dialog modally."""
        cls(ctx, volunteer, date_from, date_to, parent).exec()

    def period(self) -> tuple[date | None, date | None]:
        """The period chosen (None ends: the whole record)."""
        if not self.limit.isChecked():
            return None, None
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def refresh(self) -> None:
        """Read the period's confirmed hours and the register again."""
        self._generation += 1
        generation = self._generation
        self.print_button.setEnabled(False)
        date_from, date_to = self.period()
        self._ctx.reader.run(certificate_plan, self._ctx.db, self._ctx.actor, self.volunteer.uuid, date_from,
                             date_to, on_done=lambda plan: self._show(generation, plan),
                             on_error=lambda exc: self._failed(generation, exc), parent=self)

    def print_certificate(self) -> None:
        """Build the certificate on the writer (it issues or counts the print), then preview it."""
        plan = self.plan
        if plan is None:
            return
        ctx, number = self._ctx, self.volunteer.volunteer_no
        date_from, date_to = self.period()
        name = self.tr("certificate-{name}-{date}").format(name=self.volunteer.name,
                                                           date=date.today().isoformat()) + ".pdf"

        def shown(dialog: PdfPreviewDialog) -> None:
            ctx.events.changed.emit("volunteers")
            self.refresh()
            self.printed.emit(dialog)

        preview_pdf(self, ctx, self.tr("Volunteer service certificate"),
                    lambda: print_certificate(ctx.db, ctx.actor, number, date_from, date_to), name, on_shown=shown)

    def _period_changed(self, *_args: object) -> None:
        self.date_from.setEnabled(self.limit.isChecked())
        self.date_to.setEnabled(self.limit.isChecked())
        self.refresh()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.plan = None
        self.lines.setRowCount(0)
        self.total_label.setText(messages.message_for(error) if isinstance(error, WusheError) else "")
        self.register_label.setText("")
        if not isinstance(error, WusheError):
            messages.show_error(self, error)

    def _show(self, generation: int, plan: CertificatePlan) -> None:
        if generation != self._generation:
            return
        self.plan = plan
        summary = plan.summary
        counted = [line for line in summary.lines if line.counts]
        pending = [line for line in summary.lines if line.status == HoursStatus.PENDING]
        if summary.confirmed_tenths > 0:
            self.total_label.setText(self.tr("The certificate will state {hours} hours of volunteer service "
                                             "({count} confirmed lines).").format(
                hours=hours_text(summary.confirmed_tenths), count=len(counted)))
        else:
            self.total_label.setText(self.tr("No confirmed hours in this period: there is nothing to certify."))
        notes = []
        if pending:
            notes.append(self.tr("{count} lines ({hours} hours) await confirmation and are not counted.").format(
                count=len(pending), hours=hours_text(sum(line.credited_tenths for line in pending))))
        existing = plan.existing
        if existing is not None and plan.copy:
            notes.append(self.tr("Already issued as No. {number} and printed {prints} times: this print will be "
                                 "marked as a copy.").format(number=existing.cert_no, prints=existing.prints))
        elif existing is not None:
            notes.append(self.tr("Issued as No. {number}; not printed yet.").format(number=existing.cert_no))
        elif summary.confirmed_tenths > 0:
            notes.append(self.tr("Printing issues a new certificate with the next number in the register."))
        self.register_label.setText("\n".join(notes))
        self.register_label.setStyleSheet("color: #8a5300; font-weight: bold;" if plan.copy else "")
        statuses = hours_status_labels()
        self.lines.setRowCount(len(counted))
        for row, line in enumerate(counted):
            for column, text in enumerate((line.service_date.isoformat(), hours_text(line.credited_tenths),
                                           statuses[line.status], line.content)):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.lines.setItem(row, column, item)
        self.print_button.setEnabled(summary.confirmed_tenths > 0)
        self.print_button.setText(self.tr("Preview and print a copy…") if plan.copy
                                  else self.tr("Preview and print…"))
        self.planned.emit()

