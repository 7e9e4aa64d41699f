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

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
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
    QSizePolicy,
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
    PersonInput,
    PersonView,
    SaveResult,
    clean_person,
    create_person,
    search_people,
)
from wushe_desktop.services.staff import CommunityView, list_communities
from wushe_desktop.services.station import taxonomy
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import sex_labels

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


class FieldRow(QWidget):
    """A field with its error line beneath it."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(field)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_error(self, text: str) -> None:
        """Show (or with an empty text, hide) the error line."""
        self.error.setText(text)
        self.error.setVisible(bool(text))


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


class PersonForm(QDialog):
    """The form that registers a person.

    Signals:
        ready(): the vocabularies arrived; the form can be filled.
        save_failed(): saving was refused (the errors are shown).
    """

    ready = Signal()
    save_failed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._dirty = False
        self._touched: set[str] = set()
        self._refused: dict[str, str] = {}  # the service's refusals, kept until the field changes
        self._guardian: PersonView | None = None
        self.saved: SaveResult | None = None
        self.choices: FormChoices | None = None
        self.setWindowTitle(self.tr("Register a person served"))

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
        id_layout.addWidget(self.id_number)
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
        layout.addWidget(scroll, 1)
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
        ctx.reader.run(load_choices, ctx.db, ctx.actor, on_done=self._fill_choices, parent=self)

    # -- public --------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext) -> SaveResult | None:
        """Show the form modally; the saved person, or ``None`` if cancelled."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.saved

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
        self._ctx.writer.run(create_person, self._ctx.db, self._ctx.actor, self.person_input(),
                             on_done=self._saved, on_error=self._save_refused, parent=self)

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

    def _fill_choices(self, choices: FormChoices) -> None:
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
        self.ready.emit()

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

    def _mark_dirty(self, *_args: object) -> None:
        self._dirty = True

    def _edited(self, name: str) -> None:
        self._dirty = True
        self._touched.add(name)
        self._refused.pop(name, None)

    def _left_field(self) -> None:
        if self._touched:
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
        self._ctx.reader.run(find_same_id, self._ctx.db, self._ctx.actor, number,
                             on_done=lambda people: self._show_duplicate(number, people), parent=self)

    def _show_duplicate(self, number: str, people: list[PersonView]) -> None:
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

    def _focus_first_error(self) -> None:
        shown = self.errors()
        for name in FIELD_ORDER:
            if name in shown:
                self.rows[name].field.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _saved(self, result: SaveResult) -> None:
        self.saved = result
        self._dirty = False
        self._ctx.events.changed.emit("people")
        self.accept()

    def _save_refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError) and (error.field in self.rows or isinstance(error, ValidationErrors)):
            self._refused = {name: text for name, text in messages.field_errors(error).items()
                             if name in self.rows}
            self.validate(only_touched=True)
            self._focus_first_error()
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def _confirm_discard(self) -> bool:
        return messages.confirm(self, self.tr("Unsaved changes"),
                                self.tr("What you typed in this form is not saved yet. Close it and lose it?"),
                                self.tr("Close without saving"), self.tr("Keep editing"))

    def reject(self) -> None:
        if self._dirty and not self._confirm_discard():
            return
        self._dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty and not self._confirm_discard():
            event.ignore()
            return
        self._dirty = False
        super().closeEvent(event)

