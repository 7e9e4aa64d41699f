"""Registering a person served (登记服务对象), with inline validation in Chinese.

Validation is the service's own (``services.people.clean_person``, plain Python, run as
the user leaves a field): each error appears under the field it names. A valid ID number
is looked up (on the reader worker) so a person already registered is flagged before
saving; the service refuses a duplicate anyway. A child under 14 needs a guardian chosen
from the people already registered (PIPL Art. 31). Closing with unsaved changes asks
first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
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
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import IdDocumentType
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import age_on, mask_id_number, parse_id_number
from wushe_desktop.errors import ValidationError, ValidationErrors, WusheError
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import (
    CHILD_CONSENT_AGE,
    CategoryStatus,
    ConsentInput,
    ConsentView,
    HouseholdInput,
    HouseholdView,
    PersonInput,
    PersonRecord,
    PersonView,
    SaveResult,
    add_household_member,
    clean_person,
    create_person,
    end_category,
    person_for_edit,
    record_consent,
    reveal_id_number,
    search_people,
    update_person,
    withdraw_consent,
)
from wushe_desktop.services.staff import CommunityView, list_communities
from wushe_desktop.services.station import taxonomy
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper, register_draft_form, resume_next, show_screen
from wushe_desktop.ui.fields import FieldRow, select_data
from wushe_desktop.ui.labels import sex_labels
from wushe_desktop.ui.record_dialog import RecordDialog

# The size the form opens with, if the screen has room.
FORM_SIZE = (920, 580)

# Category tick boxes per row.
CATEGORY_COLUMNS = 5

# Fields the form shows errors for, in the order of the form (the first one gets focus).
FIELD_ORDER = ("name", "sex", "ethnicity", "id_number", "birth_date", "guardian_id", "phone", "address", "")


@dataclass(frozen=True)
class FormChoices:
    """The vocabularies a person form offers."""

    ethnicities: dict[str, str]
    categories: dict[str, str]
    communities: tuple[CommunityView, ...]


def load_choices(db: Any, actor: Actor) -> FormChoices:
    """Read the form's vocabularies (runs on the reader worker)."""
    return FormChoices(taxonomy(db, actor, TaxonomyKind.ETHNICITY), taxonomy(db, actor, TaxonomyKind.PERSON_CATEGORY),
                       tuple(list_communities(db, actor)))


def load_edit(db: Any, actor: Actor, person_id: UUID) -> tuple[FormChoices, PersonRecord]:
    """The vocabularies and the person to edit (reader worker)."""
    return load_choices(db, actor), person_for_edit(db, actor, person_id)


# Why a full ID number was shown, as written into the audit log.
REVEAL_PURPOSE = "核对人员信息"


def find_same_id(db: Any, actor: Actor, id_number: str) -> list[PersonView]:
    """People already registered whose masked ID number equals this one's (reader worker)."""
    masked = mask_id_number(id_number)
    return [p for p in search_people(db, actor, id_number[-4:], limit=50) if p.id_number_masked == masked]


def fitting_size(wanted: tuple[int, int], widget: QWidget) -> tuple[int, int]:
    """A window size no larger than the screen the widget is on (minus a margin)."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry()
    return min(wanted[0], room.width() - 40), min(wanted[1], room.height() - 60)


class PersonPicker(QDialog):
    """Choose a person already registered (e.g. a child's guardian)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.chosen: PersonView | None = None
        self.setWindowTitle(self.tr("Choose a person"))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name, pinyin initials or last digits of the ID number"))
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
        self.resize(420, 420)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext) -> PersonView | None:
        """Show the picker; the person chosen, or ``None``."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.chosen

    def _run_search(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self._ctx.reader.run(search_people, self._ctx.db, self._ctx.actor, text, 50,
                             on_done=lambda people: self._show(generation, people), parent=self)

    def _show(self, generation: int, people: list[PersonView]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for person in people:
            text = self.tr("{name}, {age} years, {id}").format(
                name=person.name, age="" if person.age is None else person.age, id=person.id_number_masked or "")
            item = QListWidgetItem(text, self.results)
            item.setData(Qt.ItemDataRole.UserRole, person)
        if people:
            self.results.setCurrentRow(0)

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.accept()


class PersonForm(RecordDialog):
    """The form that registers a person, or (given ``person_id``) edits one.

    In edit mode the ID number is never shown in full unless the user asks (显示完整证件号:
    a permission, audited); leaving the field empty keeps the stored number. Further tabs
    show the category history (a category is ended with a date), consents (record,
    withdraw) and household members; those changes are saved at once, each on its own.

    Signals:
        ready(): the vocabularies (and the person) arrived; the form can be filled.
        save_failed(): saving was refused (the errors are shown).
        record_changed(): the person's categories, consents or household were reloaded.
    """

    ready = Signal()
    record_changed = Signal()
    field_order = FIELD_ORDER
    changes = "people"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, person_id: UUID | None = None) -> None:
        super().__init__(ctx, parent)
        self._guardian: PersonView | None = None
        self.person_id = person_id
        self.record: PersonRecord | None = None
        self.saved: SaveResult | None = None
        self.choices: FormChoices | None = None
        self.setWindowTitle(self.tr("Register a person served") if person_id is None
                            else self.tr("Edit a person served"))

        self.name = QLineEdit(self)
        self.sex = QComboBox(self)
        self.sex.addItem(self.tr("Not given"), None)
        for sex, label in sex_labels().items():
            self.sex.addItem(label, sex)
        self.ethnicity = QComboBox(self)
        self.id_type = QComboBox(self)
        for kind, label in self._id_types().items():
            self.id_type.addItem(label, kind)
        self.id_number = QLineEdit(self)
        self.id_number.setPlaceholderText(self.tr("18 characters; birth date and sex are read from it"))
        self.id_warning = QLabel(self)
        self.id_warning.setObjectName("duplicateWarning")
        self.id_warning.setWordWrap(True)
        self.id_warning.setStyleSheet("color: #8a5300;")
        self.id_warning.hide()
        self.birth_date = QLineEdit(self)
        self.birth_date.setPlaceholderText(self.tr("e.g. 1956-03-12 (not needed with an ID number)"))
        self.guardian_label = QLabel(self.tr("None chosen"), self)
        self.guardian_button = QPushButton(self.tr("Choose…"), self)
        self.guardian_relation = QLineEdit(self)
        self.guardian_relation.setPlaceholderText(self.tr("Relation, e.g. grandmother"))
        self.phone = QLineEdit(self)
        self.community = QComboBox(self)
        self.address = QLineEdit(self)
        self.lives_alone = QCheckBox(self.tr("Lives alone"), self)
        self.categories = QGroupBox(self.tr("Categories (tick every one that applies today)"), self)
        self.category_grid = QGridLayout(self.categories)
        self.category_boxes: dict[str, QCheckBox] = {}
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(60)

        self.rows: dict[str, FieldRow] = {}
        guardian_box = QWidget(self)
        guardian_layout = QHBoxLayout(guardian_box)
        guardian_layout.setContentsMargins(0, 0, 0, 0)
        guardian_layout.addWidget(self.guardian_label, 1)
        guardian_layout.addWidget(self.guardian_button)
        guardian_layout.addWidget(self.guardian_relation, 1)
        id_box = QWidget(self)
        id_layout = QVBoxLayout(id_box)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.setSpacing(1)
        id_line = QHBoxLayout()
        id_line.setContentsMargins(0, 0, 0, 0)
        id_line.addWidget(self.id_number, 1)
        self.reveal_button = QPushButton(self.tr("Show full ID number"), self)
        self.reveal_button.setVisible(False)
        self.reveal_button.clicked.connect(self.reveal_id)
        id_line.addWidget(self.reveal_button)
        id_layout.addLayout(id_line)
        id_layout.addWidget(self.id_warning)
        id_box.setFocusProxy(self.id_number)
        guardian_box.setFocusProxy(self.guardian_button)

        left = QFormLayout()
        left.addRow(self.tr("Name"), self._row("name", self.name))
        left.addRow(self.tr("Sex"), self._row("sex", self.sex))
        left.addRow(self.tr("Ethnicity"), self._row("ethnicity", self.ethnicity))
        left.addRow(self.tr("ID document"), self._row("id_type", self.id_type))
        left.addRow(self.tr("ID number"), self._row("id_number", id_box))
        left.addRow(self.tr("Birth date"), self._row("birth_date", self.birth_date))
        self.guardian_caption = QLabel(self.tr("Guardian"), self)
        left.addRow(self.guardian_caption, self._row("guardian_id", guardian_box))
        right = QFormLayout()
        right.addRow(self.tr("Phone"), self._row("phone", self.phone))
        right.addRow(self.tr("Village or community"), self._row("community_id", self.community))
        right.addRow(self.tr("Address"), self._row("address", self.address))
        right.addRow("", self.lives_alone)
        right.addRow(self.tr("Notes"), self._row("notes", self.notes))
        columns = QHBoxLayout()
        columns.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)

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
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.triggered.connect(self._save_shortcut)
        self.addAction(self.save_action)

        # the fields scroll, the buttons stay: usable on a small screen or at 150% scaling
        body = QWidget(self)
        fields = QVBoxLayout(body)
        fields.addLayout(columns)
        fields.addWidget(self.categories)
        fields.addWidget(self.form_error)
        fields.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        self.tabs: QTabWidget | None = None
        if person_id is None:
            layout.addWidget(scroll, 1)
        else:
            self.tabs = QTabWidget(self)
            self.tabs.addTab(scroll, self.tr("Details"))
            self.status_tab = StatusTab(self)
            self.consent_tab = ConsentTab(self)
            self.household_tab = HouseholdTab(self)
            self.tabs.addTab(self.status_tab, self.tr("Category history"))
            self.tabs.addTab(self.consent_tab, self.tr("Consent"))
            self.tabs.addTab(self.household_tab, self.tr("Household"))
            self.status_tab.end_button.clicked.connect(self.end_selected_category)
            self.consent_tab.add_button.clicked.connect(self.add_consent)
            self.consent_tab.withdraw_button.clicked.connect(self.withdraw_selected_consent)
            self.household_tab.add_button.clicked.connect(self.add_household)
            layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(*fitting_size(FORM_SIZE, self))

        self._set_guardian_visible(False)
        self.save_button.setEnabled(False)
        for edit, name in ((self.name, "name"), (self.id_number, "id_number"), (self.birth_date, "birth_date"),
                           (self.phone, "phone"), (self.address, "address"),
                           (self.guardian_relation, "guardian_id")):
            edit.textChanged.connect(lambda _text, name=name: self._edited(name))
            edit.editingFinished.connect(self._left_field)
        for combo in (self.sex, self.ethnicity, self.id_type, self.community):
            combo.currentIndexChanged.connect(self._mark_dirty)
        self.id_number.textChanged.connect(self._update_guardian_visibility)
        self.birth_date.textChanged.connect(self._update_guardian_visibility)
        self.id_number.editingFinished.connect(self._check_duplicate)
        self.lives_alone.toggled.connect(self._mark_dirty)
        self.notes.textChanged.connect(self._mark_dirty)
        self.guardian_button.clicked.connect(self._choose_guardian)
        if person_id is None:
            ctx.reader.run(load_choices, ctx.db, ctx.actor, on_done=self._fill_choices, parent=self)
        else:
            ctx.reader.run(load_edit, ctx.db, ctx.actor, person_id, on_done=self._fill_edit,
                           on_error=self._load_failed, parent=self)

    # -- public --------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, person_id: UUID | None = None) -> SaveResult | None:
        """Show the form modally (new, or editing ``person_id``); the saved person, or ``None``."""
        dialog = cls(ctx, parent, person_id)
        dialog.exec()
        return dialog.saved

    @property
    def editing(self) -> bool:
        """Whether the form edits a registered person."""
        return self.person_id is not None

    @property
    def dirty(self) -> bool:
        """Whether something was typed that is not saved."""
        return self._dirty

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def person_input(self) -> PersonInput:
        """The form as the service's input (a birth date that does not parse is raised)."""
        return self._collect(self._birth_date())

    def _collect(self, birth_date: date | None) -> PersonInput:
        categories = tuple(code for code, box in self.category_boxes.items() if box.isChecked())
        return PersonInput(
            name=self.name.text(),
            sex=self.sex.currentData(),
            ethnicity=self.ethnicity.currentData() or "",
            id_type=self.id_type.currentData() or IdDocumentType.RESIDENT_ID,
            id_number=self.id_number.text(),
            birth_date=birth_date,
            phone=self.phone.text(),
            community_id=self.community.currentData(),
            address=self.address.text().strip(),
            lives_alone=self.lives_alone.isChecked(),
            guardian_id=self._guardian.uuid if self._guardian is not None and self._guardian_needed() else None,
            guardian_relation=self.guardian_relation.text().strip() if self._guardian_needed() else "",
            notes=self.notes.toPlainText().strip(),
            categories=categories,
        )

    def validate(self, only_touched: bool = False) -> PersonInput | None:
        """Check the form; show errors under their fields; the cleaned input if valid."""
        found: dict[str, str] = dict(self._refused)
        cleaned: PersonInput | None = None
        birth: date | None = None
        try:
            birth = self._birth_date()
        except WusheError as exc:
            found.update(messages.field_errors(exc))
        warnings: list[ValidationError] = []
        try:
            cleaned, warnings = clean_person(self._collect(birth))
        except WusheError as exc:
            for name, text in messages.field_errors(exc).items():
                found.setdefault(name, text)
        for name in self._refused:
            self._touched.add(name)
        for warning in warnings:
            if warning.code == "person.minor_needs_guardian":
                found["guardian_id"] = messages.message_for(warning)
        shown = {k: v for k, v in found.items() if not only_touched or k in self._touched}
        for name, row in self.rows.items():
            row.set_error(shown.get(name, ""))
        leftover = [text for name, text in shown.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))
        return None if found else cleaned

    def save(self) -> None:
        """Validate, then register the person on the writer worker."""
        self._touched.update(self.rows)
        data = self.validate()
        if data is None:
            self._focus_first_error()
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        if self.person_id is None:
            self._ctx.writer.run(create_person, self._ctx.db, self._ctx.actor, self.person_input(),
                                 on_done=self._saved, on_error=self._save_refused, parent=self)
            return
        keep = not self.id_number.text().strip()
        self._ctx.writer.run(lambda db, actor, pid, data: update_person(db, actor, pid, data, keep_id_number=keep),
                             self._ctx.db, self._ctx.actor, self.person_id, self.person_input(),
                             on_done=self._saved, on_error=self._save_refused, parent=self)

    def reveal_id(self) -> None:
        """Show the full ID number in the field (needs the permission; audited)."""
        if self.person_id is None:
            return
        self.reveal_button.setEnabled(False)
        self._ctx.writer.run(reveal_id_number, self._ctx.db, self._ctx.actor, self.person_id, REVEAL_PURPOSE,
                             on_done=self._revealed, on_error=self._reveal_refused, parent=self)

    def end_selected_category(self) -> None:
        """End the chosen current category on a date the user gives."""
        status = self.status_tab.selected()
        if status is None or self.person_id is None or self.choices is None:
            return
        label = self.choices.categories.get(status.category, status.category)
        on = EndDateDialog.ask(self, label, status.valid_from)
        if on is None:
            return
        self._write_then_reload(end_category, self.person_id, status.category, on)

    def add_consent(self) -> None:
        """Record a signed consent."""
        if self.person_id is None:
            return
        default_signer = self.name.text().strip() if not self._guardian_needed() else ""
        consent = ConsentDialog.ask(self, default_signer, self._guardian_needed())
        if consent is not None:
            self._write_then_reload(record_consent, self.person_id, consent)

    def withdraw_selected_consent(self) -> None:
        """Record that the chosen consent was withdrawn."""
        consent = self.consent_tab.selected()
        if consent is None or consent.withdrawn_on is not None:
            return
        on = EndDateDialog.ask(self, consent.purpose, consent.signed_on, withdraw=True)
        if on is not None:
            self._write_then_reload(withdraw_consent, consent.uuid, on)

    def add_household(self) -> None:
        """Add a household member."""
        if self.person_id is None:
            return
        member = HouseholdDialog.ask(self)
        if member is not None:
            self._write_then_reload(add_household_member, self.person_id, member)

    # -- internals -------------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def _id_types(self) -> dict[IdDocumentType, str]:
        return {
            IdDocumentType.RESIDENT_ID: self.tr("Resident ID card"),
            IdDocumentType.HMT_RESIDENCE: self.tr("Residence permit (Hong Kong, Macao, Taiwan)"),
            IdDocumentType.FOREIGN_PERMANENT: self.tr("Foreigner's permanent residence ID card"),
            IdDocumentType.PASSPORT: self.tr("Passport"),
            IdDocumentType.NONE: self.tr("None"),
        }

    def _row(self, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        return row

    def _fill_edit(self, loaded: tuple[FormChoices, PersonRecord]) -> None:
        choices, record = loaded
        self.record = record
        self._fill_choices(choices, emit=False)
        data = record.data
        self.name.setText(data.name)
        select_data(self.sex, data.sex)
        select_data(self.ethnicity, data.ethnicity)
        select_data(self.id_type, data.id_type)
        if record.id_number_masked:
            self.id_number.setPlaceholderText(self.tr("On file: {masked}").format(masked=record.id_number_masked))
            self.id_number.setToolTip(self.tr("Leave empty to keep the number on file; type a new number to "
                                              "replace it."))
            self.reveal_button.setVisible(True)
        self.birth_date.setText(data.birth_date.isoformat() if data.birth_date else "")
        self.phone.setText(data.phone)
        select_data(self.community, data.community_id)
        self.address.setText(data.address)
        self.lives_alone.setChecked(data.lives_alone)
        self.notes.setPlainText(data.notes)
        self.guardian_relation.setText(data.guardian_relation)
        if record.guardian is not None:
            self._guardian = record.guardian
            self.guardian_label.setText(record.guardian.name)
        for code in data.categories:
            box = self.category_boxes.get(code)
            if box is not None:
                box.setChecked(True)
                box.setEnabled(False)
                box.setToolTip(self.tr("Held now. To end it, use the Category history tab."))
        self._fill_record_lists(record)
        self._update_guardian_visibility()
        self._dirty = False
        self._touched.clear()
        self._keep_draft()
        self.ready.emit()

    def _fill_record_lists(self, record: PersonRecord) -> None:
        labels = self.choices.categories if self.choices is not None else {}
        self.status_tab.show_statuses(record.statuses, labels)
        self.consent_tab.show_consents(record.consents)
        self.household_tab.show_members(record.household)

    def _load_failed(self, error: BaseException) -> None:
        messages.show_error(self.parentWidget(), error)
        self._dirty = False
        super().reject()

    def _revealed(self, number: str | None) -> None:
        self.reveal_button.setEnabled(True)
        if number:
            self.id_number.setText(number)
            self.reveal_button.setVisible(False)

    def _reveal_refused(self, error: BaseException) -> None:
        self.reveal_button.setEnabled(True)
        messages.show_error(self, error)

    def _write_then_reload(self, fn: Any, *args: Any) -> None:
        def job(db: Any, actor: Actor) -> PersonRecord:
            fn(db, actor, *args)
            assert self.person_id is not None
            return person_for_edit(db, actor, self.person_id)

        self._ctx.writer.run(job, self._ctx.db, self._ctx.actor, on_done=self._reloaded,
                             on_error=self._write_refused, parent=self)

    def _write_refused(self, error: BaseException) -> None:
        messages.show_error(self, error)

    def _reloaded(self, record: PersonRecord) -> None:
        self.record = record
        self._fill_record_lists(record)
        for code, box in self.category_boxes.items():
            if not box.isEnabled() and code not in record.data.categories:
                box.setEnabled(True)
                box.setChecked(False)
                box.setToolTip("")
        self._ctx.events.changed.emit("people")
        self.record_changed.emit()

    def _fill_choices(self, choices: FormChoices, emit: bool = True) -> None:
        self.choices = choices
        self.ethnicity.addItem(self.tr("Not given"), "")
        for code, label in choices.ethnicities.items():
            self.ethnicity.addItem(label, code)
        self.community.addItem(self.tr("Not given"), None)
        for community in choices.communities:
            self.community.addItem(community.name, community.uuid)
        for i, (code, label) in enumerate(choices.categories.items()):
            box = QCheckBox(label, self.categories)
            box.toggled.connect(self._mark_dirty)
            self.category_boxes[code] = box
            self.category_grid.addWidget(box, i // CATEGORY_COLUMNS, i % CATEGORY_COLUMNS)
        self._dirty = False
        self.save_button.setEnabled(True)
        if emit:
            self._keep_draft()
            self.ready.emit()

    def _keep_draft(self) -> None:
        """Keep what is typed as a draft (offered back after a crash); offer one left from before."""
        fields: dict[str, QWidget] = {
            "name": self.name, "sex": self.sex, "ethnicity": self.ethnicity, "id_type": self.id_type,
            "birth_date": self.birth_date, "guardian_relation": self.guardian_relation, "phone": self.phone,
            "community_id": self.community, "address": self.address, "lives_alone": self.lives_alone,
            "notes": self.notes, **{f"category:{code}": box for code, box in self.category_boxes.items()}}
        if self.person_id is None:  # a number shown in full on request is not copied into a draft
            fields["id_number"] = self.id_number
        self.drafts = DraftKeeper(self, self._ctx, "person", str(self.person_id) if self.person_id else None,
                                  fields, about={"name": self.name.text().strip()})
        self.name.textChanged.connect(self._name_draft)
        self.drafts.offer_existing()

    def _birth_date(self) -> date | None:
        text = self.birth_date.text().strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationErrors([ValidationError("date.format", field="birth_date")]) from None

    def _age(self) -> int | None:
        today = date.today()
        try:
            if self.id_type.currentData() == IdDocumentType.RESIDENT_ID and self.id_number.text().strip():
                return age_on(parse_id_number(self.id_number.text(), today=today).birth_date, today)
            birth = self._birth_date()
            return age_on(birth, today) if birth is not None and birth <= today else None
        except WusheError:
            return None

    def _guardian_needed(self) -> bool:
        age = self._age()
        return age is not None and age < CHILD_CONSENT_AGE

    def _set_guardian_visible(self, visible: bool) -> None:
        self.guardian_caption.setVisible(visible)
        self.rows["guardian_id"].setVisible(visible)

    def _update_guardian_visibility(self) -> None:
        self._set_guardian_visible(self._guardian_needed())

    def _check_duplicate(self) -> None:
        self.id_warning.hide()
        text = self.id_number.text().strip()
        if self.id_type.currentData() != IdDocumentType.RESIDENT_ID or not text:
            return
        try:
            number = parse_id_number(text).number
        except WusheError:
            return
        self._ctx.reader.run(find_same_id, self._ctx.db, self._ctx.actor, number,
                             on_done=lambda people: self._show_duplicate(number, people), parent=self)

    def _show_duplicate(self, number: str, people: list[PersonView]) -> None:
        people = [p for p in people if p.uuid != self.person_id]
        if not people or self.id_number.text().strip().upper() != number:
            return
        self.id_warning.setText(self.tr("Already registered with this ID number: {names}. Do not register them "
                                        "twice.").format(names=", ".join(p.name for p in people)))
        self.id_warning.show()

    def _choose_guardian(self) -> None:
        person = PersonPicker.ask(self, self._ctx)
        if person is not None:
            self._set_guardian(person)

    def _set_guardian(self, person: PersonView) -> None:
        self._guardian = person
        self.guardian_label.setText(person.name)
        self._mark_dirty()
        self._touched.add("guardian_id")
        self.validate(only_touched=True)


def _date_text(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


class _RecordList(QWidget):
    """A list of a person's records with buttons beneath (a tab of the edit form)."""

    def __init__(self, parent: QWidget, hint: str) -> None:
        super().__init__(parent)
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.items = QListWidget(self)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.items, 1)
        layout.addLayout(self.buttons)

    def _fill(self, rows: list[tuple[str, object]]) -> None:
        self.items.clear()
        for text, value in rows:
            item = QListWidgetItem(text, self.items)
            item.setData(Qt.ItemDataRole.UserRole, value)
        if rows:
            self.items.setCurrentRow(0)

    def _selected(self) -> Any:
        item = self.items.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class StatusTab(_RecordList):
    """Every category the person holds or held, with dates; current ones can be ended."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr(
            "Categories such as subsistence allowance are reviewed: when one ends, choose it and give the date it "
            "ended. The history stays on file."))
        self.end_button = QPushButton(self.tr("End category…"), self)
        self.buttons.addWidget(self.end_button)
        self.items.currentItemChanged.connect(lambda *_a: self._update())

    def show_statuses(self, statuses: tuple[CategoryStatus, ...], labels: dict[str, str]) -> None:
        """Show the statuses (current first)."""
        today = date.today()
        rows: list[tuple[str, object]] = []
        for status in statuses:
            label = labels.get(status.category, status.category)
            if status.current(today) and status.valid_to is None:
                text = self.tr("{category}: since {start}").format(
                    category=label, start=_date_text(status.valid_from) or self.tr("unknown"))
            else:
                text = self.tr("{category}: {start} to {end} (ended)").format(
                    category=label, start=_date_text(status.valid_from) or self.tr("unknown"),
                    end=_date_text(status.valid_to))
            rows.append((text, status))
        self._fill(rows)
        self._update()

    def selected(self) -> CategoryStatus | None:
        """The chosen status, if it can still be ended."""
        status = self._selected()
        return status if isinstance(status, CategoryStatus) and status.valid_to is None else None

    def _update(self) -> None:
        self.end_button.setEnabled(self.selected() is not None)


class ConsentTab(_RecordList):
    """The consents on file."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr(
            "Signed informed consent forms. A child under 14 has the consent signed by the guardian."))
        self.add_button = QPushButton(self.tr("Record consent…"), self)
        self.withdraw_button = QPushButton(self.tr("Withdrawn…"), self)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.withdraw_button)
        self.items.currentItemChanged.connect(lambda *_a: self._update())

    def show_consents(self, consents: tuple[ConsentView, ...]) -> None:
        """Show the consents, newest first."""
        rows: list[tuple[str, object]] = []
        for consent in consents:
            text = self.tr("{date} {purpose}, signed by {signer} ({relation})").format(
                date=_date_text(consent.signed_on), purpose=consent.purpose, signer=consent.signer_name,
                relation=consent.signer_relation)
            if consent.withdrawn_on is not None:
                text += self.tr(", withdrawn on {date}").format(date=_date_text(consent.withdrawn_on))
            rows.append((text, consent))
        self._fill(rows)
        self._update()

    def selected(self) -> ConsentView | None:
        """The chosen consent."""
        consent = self._selected()
        return consent if isinstance(consent, ConsentView) else None

    def _update(self) -> None:
        consent = self.selected()
        self.withdraw_button.setEnabled(consent is not None and consent.withdrawn_on is None)


class HouseholdTab(_RecordList):
    """The household members."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, self.tr("The people in the household (family members)."))
        self.add_button = QPushButton(self.tr("Add member…"), self)
        self.buttons.addWidget(self.add_button)

    def show_members(self, members: tuple[HouseholdView, ...]) -> None:
        """Show the members."""
        rows: list[tuple[str, object]] = []
        for member in members:
            parts = [member.name, member.relation]
            if member.birth_year:
                parts.append(self.tr("born {year}").format(year=member.birth_year))
            if member.phone_masked:
                parts.append(member.phone_masked)
            parts.append(self.tr("lives together") if member.co_resident else self.tr("lives elsewhere"))
            rows.append(("  ".join(parts), member))
        self._fill(rows)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _SmallForm(QDialog):
    """A short modal form with OK / Cancel and an error line."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.check_and_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        """Show a sentence under the fields."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def check_and_accept(self) -> None:
        """Accept if :meth:`problem` finds nothing."""
        problem = self.problem()
        self.show_error(problem)
        if not problem:
            self.accept()

    def problem(self) -> str:
        """What is wrong with the fields ("" if nothing)."""
        return ""


class EndDateDialog(_SmallForm):
    """Asks on which day a category ended (or a consent was withdrawn)."""

    def __init__(self, parent: QWidget | None, what: str, earliest: date | None, withdraw: bool = False) -> None:
        super().__init__(parent, self.tr("Consent withdrawn") if withdraw else self.tr("End a category"))
        self.earliest = earliest
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(_qdate(date.today()))
        self.date.setMaximumDate(_qdate(date.today()))
        self.form.addRow(QLabel(what, self))
        self.form.addRow(self.tr("Withdrawn on") if withdraw else self.tr("Ended on"), self.date)

    @classmethod
    def ask(cls, parent: QWidget | None, what: str, earliest: date | None, withdraw: bool = False) -> date | None:
        """The day chosen, or ``None`` if cancelled."""
        dialog = cls(parent, what, earliest, withdraw)
        return _pydate(dialog.date.date()) if dialog.exec() == QDialog.DialogCode.Accepted else None

    def problem(self) -> str:
        if self.earliest is not None and _pydate(self.date.date()) < self.earliest:
            return self.tr("The date is before {date}, when it began.").format(date=self.earliest.isoformat())
        return ""


class ConsentDialog(_SmallForm):
    """A signed consent form (知情同意书)."""

    def __init__(self, parent: QWidget | None, signer: str, child: bool) -> None:
        super().__init__(parent, self.tr("Record consent"))
        self.purpose = QLineEdit(self.tr("Case services and keeping the records"), self)
        self.signer = QLineEdit(signer, self)
        self.relation = QLineEdit("" if child else self.tr("Self"), self)
        self.relation.setPlaceholderText(self.tr("Self, or the guardian's relation, e.g. grandmother"))
        self.signed_on = QDateEdit(self)
        self.signed_on.setCalendarPopup(True)
        self.signed_on.setDisplayFormat("yyyy-MM-dd")
        self.signed_on.setDate(_qdate(date.today()))
        self.signed_on.setMaximumDate(_qdate(date.today()))
        self.form.addRow(self.tr("Purpose"), self.purpose)
        self.form.addRow(self.tr("Signed by"), self.signer)
        self.form.addRow(self.tr("Relation"), self.relation)
        self.form.addRow(self.tr("Signed on"), self.signed_on)
        self.resize(460, self.sizeHint().height())

    @classmethod
    def ask(cls, parent: QWidget | None, signer: str, child: bool) -> ConsentInput | None:
        """The consent entered, or ``None`` if cancelled."""
        dialog = cls(parent, signer, child)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def value(self) -> ConsentInput:
        """The fields as the service's input."""
        relation = self.relation.text().strip()
        return ConsentInput(purpose=self.purpose.text().strip(), signer_name=self.signer.text().strip(),
                            signed_on=_pydate(self.signed_on.date()),
                            signer_relation="本人" if relation in ("", self.tr("Self")) else relation)

    def problem(self) -> str:
        if not self.purpose.text().strip():
            return self.tr("Write what the consent covers.")
        if not self.signer.text().strip():
            return self.tr("Write who signed.")
        return ""


class HouseholdDialog(_SmallForm):
    """A household member."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, self.tr("Add a household member"))
        self.member_name = QLineEdit(self)
        self.relation = QLineEdit(self)
        self.relation.setPlaceholderText(self.tr("e.g. son, spouse"))
        self.birth_year = QSpinBox(self)
        self.birth_year.setRange(0, date.today().year)
        self.birth_year.setSpecialValueText(self.tr("Not given"))
        self.birth_year.setValue(0)
        self.phone = QLineEdit(self)
        self.occupation = QLineEdit(self)
        self.co_resident = QCheckBox(self.tr("Lives in the same household"), self)
        self.co_resident.setChecked(True)
        self.form.addRow(self.tr("Name"), self.member_name)
        self.form.addRow(self.tr("Relation"), self.relation)
        self.form.addRow(self.tr("Year of birth"), self.birth_year)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Occupation"), self.occupation)
        self.form.addRow("", self.co_resident)
        self.resize(420, self.sizeHint().height())

    @classmethod
    def ask(cls, parent: QWidget | None) -> HouseholdInput | None:
        """The member entered, or ``None`` if cancelled."""
        dialog = cls(parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def value(self) -> HouseholdInput:
        """The fields as the service's input."""
        return HouseholdInput(name=self.member_name.text().strip(), relation=self.relation.text().strip(),
                              birth_year=self.birth_year.value() or None, occupation=self.occupation.text().strip(),
                              co_resident=self.co_resident.isChecked(), phone=self.phone.text().strip())

    def problem(self) -> str:
        try:
            clean_person(PersonInput(name=self.member_name.text(), phone=self.phone.text()))
        except WusheError as exc:
            return messages.message_for(exc)
        if not self.relation.text().strip():
            return self.tr("Write the relation, e.g. son.")
        return ""


def open_person_draft(window: QWidget, ctx: UiContext, draft: Any) -> None:
    """After a crash: the person form (new, or the person edited) filled from its draft."""
    try:
        person_id = UUID(draft.record_uuid) if draft.record_uuid else None
    except ValueError:
        return
    show_screen(window, "people")
    resume_next(draft)
    form = PersonForm(ctx, window, person_id)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.open()


register_draft_form("person", lambda: QCoreApplication.translate("PersonForm", "person's registration form"),
                    open_person_draft)
