"""The forms of the case workspace: intake (接案), assessment, plan, service record,
evaluation, closure, the station head's decisions, referral, reopening and follow-up.

Every form follows the person form's pattern: fields with their error line beneath,
the service's own validation (its :class:`~wushe_desktop.errors.ValidationErrors` carry
``field`` names, shown under the field they name), and the save running on
``ctx.writer``; after a save the form emits ``ctx.events.changed("cases")`` and closes.
A refusal that names no field (a permission, a stage rule) is shown above the buttons,
in Chinese, and nothing is changed.

Forms are opened with ``open()`` (window-modal, never blocking the caller), so the
workspace, and the tests, keep working with them while they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseSource,
    ContactMode,
    EvaluationKind,
    LegalBasis,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Willingness,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import ValidationError, ValidationErrors, WusheError
from wushe_desktop.services.cases import (
    AssessmentInput,
    AssessmentResult,
    CaseView,
    ClosureInput,
    ClosureView,
    EvaluationInput,
    FollowUpPlanItem,
    IntakeInput,
    NeedInput,
    ObjectiveAttainment,
    ObjectiveInput,
    PlanInput,
    PlanView,
    ReferralInput,
    ReferralView,
    ResourceInput,
    ScaleInput,
    ServiceRecordDefaults,
    ServiceRecordInput,
    ServiceRecordView,
    StrategyInput,
    add_follow_up,
    add_service_record,
    make_referral,
    open_case,
    record_assessment,
    record_child_protection_report,
    record_evaluation,
    record_referral_outcome,
    reopen_case,
    resubmit_opening,
    save_plan,
    submit_closure,
    submit_plan,
    update_intake,
    update_service_record,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import (
    CHILD_CONSENT_AGE,
    ConsentInput,
    PersonView,
    get_person,
    search_people,
)
from wushe_desktop.services.staff import StaffView, list_staff
from wushe_desktop.services.station import taxonomy
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper
from wushe_desktop.ui.fields import FieldRow
from wushe_desktop.ui.labels import risk_labels
from wushe_desktop.ui.record_dialog import confirm_discard

# Resource kinds offered when linking a resource (the service's RESOURCE_KINDS).
RESOURCE_KIND_ORDER = ("goods", "funds", "service", "policy")

# How long typing pauses before the person search runs.
SEARCH_DELAY_MS = 150


def source_labels() -> dict[CaseSource, str]:
    """Where a case came from."""
    return {CaseSource.SELF: QCoreApplication.translate("CaseLabels", "Asked for help"), CaseSource.INTRODUCED: QCoreApplication.translate("CaseLabels", "Introduced by someone"),
            CaseSource.REFERRAL: QCoreApplication.translate("CaseLabels", "Referred by an organisation"), CaseSource.OUTREACH: QCoreApplication.translate("CaseLabels", "Outreach visit"),
            CaseSource.SCREENING: QCoreApplication.translate("CaseLabels", "Screening")}


def willingness_labels() -> dict[Willingness, str]:
    """Whether the client came willingly."""
    return {Willingness.VOLUNTARY: QCoreApplication.translate("CaseLabels", "Voluntary"), Willingness.INVOLUNTARY: QCoreApplication.translate("CaseLabels", "Not voluntary")}


def mode_labels() -> dict[ContactMode, str]:
    """How a contact happened."""
    return {ContactMode.HOME_VISIT: QCoreApplication.translate("CaseLabels", "Home visit"), ContactMode.INTERVIEW: QCoreApplication.translate("CaseLabels", "Interview"),
            ContactMode.PHONE: QCoreApplication.translate("CaseLabels", "Phone"), ContactMode.ONLINE: QCoreApplication.translate("CaseLabels", "Online"),
            ContactMode.ACCOMPANIMENT: QCoreApplication.translate("CaseLabels", "Accompanying (doctor, offices)"),
            ContactMode.RESOURCE_LINKING: QCoreApplication.translate("CaseLabels", "Linking resources"), ContactMode.CASE_CONFERENCE: QCoreApplication.translate("CaseLabels", "Case conference")}


def resource_kind_labels() -> dict[str, str]:
    """Kinds of a linked resource."""
    return {"goods": QCoreApplication.translate("CaseLabels", "Goods"), "funds": QCoreApplication.translate("CaseLabels", "Money"), "service": QCoreApplication.translate("CaseLabels", "Service"), "policy": QCoreApplication.translate("CaseLabels", "Policy")}


def attainment_labels() -> dict[Attainment, str]:
    """How far an objective was reached."""
    return {Attainment.FULL: QCoreApplication.translate("CaseLabels", "Fully reached"), Attainment.PARTIAL: QCoreApplication.translate("CaseLabels", "Partly reached"),
            Attainment.NONE: QCoreApplication.translate("CaseLabels", "Not reached")}


def evaluation_kind_labels() -> dict[EvaluationKind, str]:
    """Process or outcome evaluation."""
    return {EvaluationKind.OUTCOME: QCoreApplication.translate("CaseLabels", "Outcome evaluation"), EvaluationKind.PROCESS: QCoreApplication.translate("CaseLabels", "Process evaluation")}


def legal_basis_labels() -> dict[LegalBasis, str]:
    """Why personal information may be passed on."""
    return {LegalBasis.SEPARATE_CONSENT: QCoreApplication.translate("CaseLabels", "The client's separate consent"), LegalBasis.CONSENT: QCoreApplication.translate("CaseLabels", "Consent"),
            LegalBasis.STATUTORY_DUTY: QCoreApplication.translate("CaseLabels", "A statutory duty"), LegalBasis.EMERGENCY: QCoreApplication.translate("CaseLabels", "An emergency")}


def outcome_labels() -> dict[ReferralOutcome, str]:
    """The receiving party's answer to a referral."""
    return {ReferralOutcome.PENDING: QCoreApplication.translate("CaseLabels", "No answer yet"), ReferralOutcome.ACCEPTED: QCoreApplication.translate("CaseLabels", "Accepted"),
            ReferralOutcome.DECLINED: QCoreApplication.translate("CaseLabels", "Declined")}


def fen_text(fen: int) -> str:
    """¥ amount of integer fen, e.g. 20000 → "200" and 12345 → "123.45"."""
    yuan = Decimal(fen) / 100
    return f"{yuan:f}".rstrip("0").rstrip(".") if "." in f"{yuan:f}" else f"{yuan:f}"


def parse_yuan(text: str, field: str) -> int:
    """Yuan as typed ("200", "¥200", "12.5") → integer fen.

    Raises:
        ValidationError: ``resource.value_negative`` or ``number.format`` on ``field``.
    """
    cleaned = text.strip().replace("¥", "").replace("￥", "").replace(",", "").replace("元", "").strip()
    if not cleaned:
        return 0
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError("number.format", field=field) from None
    if value < 0:
        raise ValidationError("resource.value_negative", field=field)
    return int((value * 100).to_integral_value())


def parse_optional_date(text: str, field: str) -> date | None:
    """A date typed as 2026-03-12 (empty: none).

    Raises:
        ValidationError: ``date.format`` on ``field``.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("date.format", field=field) from None


def parse_time(text: str, field: str) -> time | None:
    """A time typed as 9:30 or 14:05 (empty: none).

    Raises:
        ValidationError: ``time.format`` on ``field``.
    """
    text = text.strip().replace("：", ":")
    if not text:
        return None
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValidationError("time.format", field=field) from None


def raise_collected(errors: Sequence[ValidationError]) -> None:
    """Raise the errors a form found itself, as the services do."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(list(errors))


def fit_size(widget: QWidget, wanted: tuple[int, int]) -> tuple[int, int]:
    """A window size no larger than the screen (minus a margin for the taskbar)."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry()
    return min(wanted[0], room.width() - 40), min(wanted[1], room.height() - 60)


def qdate(value: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


def day_of(edit: QDateEdit) -> date:
    """The date a date field shows."""
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    """A date field (2026-03-12) with a calendar, no later than today."""
    edit = QDateEdit(parent)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setDate(qdate(value or date.today()))
    return edit


def text_box(parent: QWidget, lines: int = 3, hint: str = "") -> QPlainTextEdit:
    """A several-line text field; Tab moves on instead of typing a tab."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 16)
    if hint:
        box.setPlaceholderText(hint)
    return box


class Choice(QComboBox):
    """A drop-down whose entries carry Python values (enums, UUIDs) unchanged.

    (A QComboBox's item data turns a ``StrEnum`` into a plain string and cannot find a
    UUID again, so the values are kept here, by index.)
    """

    def __init__(self, parent: QWidget | None = None, items: dict[Any, str] | None = None,
                 current: Any = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        if items is not None:
            self.set_items(items, current)

    def set_items(self, items: dict[Any, str], current: Any = None) -> None:
        """Replace the entries (``{value: text}``) and select ``current``."""
        self.clear()
        self._values = list(items)
        for text in items.values():
            self.addItem(text)
        self.set_value(current)

    def value(self) -> Any:
        """The value of the entry chosen (``None`` with no entries)."""
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_value(self, value: Any) -> bool:
        """Choose the entry with this value; False (and no change) if there is none."""
        if value in self._values:
            self.setCurrentIndex(self._values.index(value))
            return True
        return False


@dataclass(frozen=True)
class CaseChoices:
    """Vocabularies and staff the case forms offer (read on the reader worker)."""

    staff: tuple[StaffView, ...]
    service_areas: dict[str, str]
    closure_types: dict[str, str]
    categories: dict[str, str]


def load_case_choices(db: Any, actor: Actor) -> CaseChoices:
    """Read the case forms' vocabularies and the station's staff (reader worker)."""
    return CaseChoices(tuple(list_staff(db, actor, include_inactive=True)),
                       taxonomy(db, actor, TaxonomyKind.SERVICE_AREA),
                       taxonomy(db, actor, TaxonomyKind.CLOSURE_TYPE),
                       taxonomy(db, actor, TaxonomyKind.PERSON_CATEGORY))


class LineTable(QWidget):
    """An editable table of lines (needs, objectives, resources...) with add/remove buttons.

    Columns with choices show a drop-down in each line. The lines are kept in a form's
    draft (``draft_value`` / ``set_draft_value``; ``draft_changed`` on every edit).
    """

    draft_changed = Signal()

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None,
                 choices: dict[int, dict[str, str]] | None = None, rows: int = 1, height: int = 120) -> None:
        super().__init__(parent)
        self._choices = choices or {}
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(height)
        self.add_button = QPushButton(QCoreApplication.translate("LineTable", "Add a line"), self)
        self.remove_button = QPushButton(QCoreApplication.translate("LineTable", "Remove line"), self)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for _ in range(rows):
            self.add_row()
        self.table.itemChanged.connect(lambda _item: self.draft_changed.emit())
        self.table.model().rowsInserted.connect(lambda *_a: self.draft_changed.emit())
        self.table.model().rowsRemoved.connect(lambda *_a: self.draft_changed.emit())

    def draft_value(self) -> list[list[str]]:
        """The lines typed, for a draft."""
        return self.values()

    def set_draft_value(self, value: Any) -> None:
        """Put a draft's lines back."""
        if isinstance(value, list):
            self.set_rows([[str(cell) for cell in line] for line in value if isinstance(line, list)])

    def add_row(self, values: Sequence[str] = ()) -> int:
        """Append a line (values by column; a choice column takes its code)."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column in range(self.table.columnCount()):
            value = values[column] if column < len(values) else ""
            if column in self._choices:
                combo = Choice(self.table, self._choices[column], value or None)
                combo.currentIndexChanged.connect(lambda _i: self.draft_changed.emit())
                self.table.setCellWidget(row, column, combo)
            else:
                self.table.setItem(row, column, QTableWidgetItem(value))
        return row

    def remove_current(self) -> None:
        """Remove the selected line."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        """Replace every line."""
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)
        if not rows:
            self.add_row()

    def values(self) -> list[list[str]]:
        """The lines with something typed in a text column (choice columns give codes)."""
        found: list[list[str]] = []
        for row in range(self.table.rowCount()):
            line: list[str] = []
            typed = False
            for column in range(self.table.columnCount()):
                widget = self.table.cellWidget(row, column)
                if isinstance(widget, Choice):
                    line.append(str(widget.value() or ""))
                    continue
                item = self.table.item(row, column)
                text = item.text().strip() if item is not None else ""
                typed = typed or bool(text)
                line.append(text)
            if typed:
                found.append(line)
        return found


class CaseFormDialog(QDialog):
    """A case form: fields with inline errors, 保存 / 取消, saved on the writer worker.

    Subclasses build their fields with :meth:`add_row` and give the save as
    :meth:`job` (a function and its arguments, run on ``ctx.writer``).

    Signals:
        saved(object): the service's result, after ``ctx.events.changed("cases")``.
        save_failed(): the save was refused (the errors are shown).
    """

    saved = Signal(object)
    save_failed = Signal()

    #: A refusal's field → the field it is shown under (e.g. consent errors).
    FIELD_ALIASES: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None,
                 size: tuple[int, int] = (760, 600)) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.result_value: Any = None
        self.rows: dict[str, FieldRow] = {}
        self.drafts: DraftKeeper | None = None
        self.setWindowTitle(title)
        self.body = QWidget(self)
        self.form = QFormLayout(self.body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_error = QLabel(self)
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #b3261e;")
        self.form_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(QCoreApplication.translate("CaseFormDialog", "&Save"))
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("CaseFormDialog", "Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter", QKeySequence.StandardKey.Save):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(self._save_shortcut)
        scroll = QScrollArea(self)
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.resize(*fit_size(self, size))

    # -- building ------------------------------------------------------------------------

    def add_row(self, name: str, label: str, field: QWidget) -> FieldRow:
        """A labelled field whose errors (``field == name``) show beneath it."""
        row = FieldRow(field, self.body)
        self.rows[name] = row
        self.form.addRow(label, row)
        return row

    def keep_draft(self, form: str, record: UUID | None, fields: dict[str, QWidget],
                   case_id: UUID | None = None) -> DraftKeeper:
        """Keep the fields as a draft of ``form`` for ``record`` (scenario 7), and offer back
        a draft left from before (call once the fields are filled)."""
        about = {"case": str(case_id)} if case_id is not None else {}
        self.drafts = DraftKeeper(self, self._ctx, form, str(record) if record is not None else None, fields,
                                  about=about)
        self.drafts.offer_existing()
        return self.drafts

    def name_draft(self, name: str) -> None:
        """Whose form it is (the client's name), shown when the draft is offered back at start."""
        if self.drafts is not None and name:
            self.drafts.about["name"] = name

    # -- saving --------------------------------------------------------------------------

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The save: a function and its arguments (raise a coded error for a bad field)."""
        raise NotImplementedError

    def errors(self) -> dict[str, str]:
        """The error lines shown, by field ("" for the line above the buttons)."""
        shown = {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}
        if self.form_error.isVisible():
            shown[""] = self.form_error.text()
        return shown

    def clear_errors(self) -> None:
        """Hide every error line."""
        for row in self.rows.values():
            row.set_error("")
        self.form_error.hide()

    def show_errors(self, error: WusheError) -> None:
        """Each error under its field; the rest above the buttons; focus on the first."""
        self.clear_errors()
        leftover: list[str] = []
        first: FieldRow | None = None
        for name, text in messages.field_errors(error).items():
            name = self.FIELD_ALIASES.get(name, name)
            row = self.rows.get(name)
            if row is None or not row.isVisibleTo(self):
                leftover.append(text)
                continue
            shown = row.error.text()
            row.set_error(f"{shown}\n{text}" if shown else text)
            first = first or row
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))
        if first is not None:
            first.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        """Check what the form can check itself, then save on the writer worker."""
        self.clear_errors()
        try:
            fn, args = self.job()
        except WusheError as exc:
            self.show_errors(exc)
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        self._ctx.writer.run(fn, *args, on_done=self._saved, on_error=self._refused, parent=self)

    def _save_shortcut(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def _saved(self, result: Any) -> None:
        self.result_value = result
        if self.drafts is not None:  # saved: the draft is not needed any more
            self.drafts.discard()
        self._ctx.events.changed.emit("cases")
        self.saved.emit(result)
        self.accept()

    def reject(self) -> None:
        """Cancel: if something was typed, ask first; the draft is thrown away with the form."""
        if self.drafts is not None and self.drafts.changed and not confirm_discard(self):
            return
        if self.drafts is not None:
            self.drafts.discard()
        super().reject()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError):
            self.show_errors(error)
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()


# ---------------------------------------------------------------------------
# Intake (接案)
# ---------------------------------------------------------------------------


def open_case_job(db: Any, actor: Actor, data: IntakeInput, consent: ConsentInput | None) -> Any:
    """Register the intake (and the consent signed with it) in one transaction."""
    return open_case(db, actor, data, consent=consent)


def update_intake_job(db: Any, actor: Actor, case_id: UUID, data: IntakeInput, resubmit: bool) -> CaseView:
    """Correct the intake and, if asked (after a return), submit the opening again."""
    case = update_intake(db, actor, case_id, data)
    return resubmit_opening(db, actor, case_id) if resubmit else case


class ClientBox(QWidget):
    """The intake's client search and choice; the chosen client is kept in the draft."""

    draft_changed = Signal()

    def __init__(self, dialog: IntakeDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    def draft_value(self) -> dict[str, str] | None:
        """The chosen client (uuid and name), or ``None``."""
        person = self._dialog.person
        return None if person is None else {"uuid": str(person.uuid), "name": person.name}

    def set_draft_value(self, value: Any) -> None:
        """Choose the draft's client again (read on the reader worker)."""
        if isinstance(value, dict) and value.get("uuid"):
            self._dialog.choose_person_id(UUID(str(value["uuid"])))


class IntakeDialog(CaseFormDialog):
    """接案登记: a registered person, where the case came from, the problem, risk, worker and
    the consent signed at intake (a child's by the guardian)."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"guardian_id": "person_id", "signed_on": "signed_on"}

    ready = Signal()
    searched = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, case: CaseView | None = None,
                 person: PersonView | None = None) -> None:
        title = (QCoreApplication.translate("IntakeDialog", "Intake: open a case") if case is None else
                 QCoreApplication.translate("IntakeDialog", "Edit intake {case_no}").format(case_no=case.case_no))
        super().__init__(ctx, title, parent, size=(820, 700) if case is None else (820, 520))
        self.person: PersonView | None = None
        self.case = case  # editing this case's intake (接案信息), before its opening is approved
        self.choices: CaseChoices | None = None
        self._generation = 0
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type a name, pinyin initials (e.g. qqg) or the ID number's last "
                                               "4 digits"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setFixedHeight(96)
        self.chosen_label = QLabel(self.tr("No one chosen yet."), self)
        self.chosen_label.setWordWrap(True)
        person_box = ClientBox(self)
        self.client_box = person_box
        person_layout = QVBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.setSpacing(2)
        person_layout.addWidget(self.search)
        person_layout.addWidget(self.results)
        person_layout.addWidget(self.chosen_label)
        person_box.setFocusProxy(self.search)

        self.intake_date = date_edit(self)
        self.source = Choice(self)
        self.source.set_items(source_labels())
        self.referrer = QLineEdit(self)
        self.referrer.setPlaceholderText(self.tr("Who referred, e.g. 什报气村委会 (needed for a referral)"))
        self.referrer_contact = QLineEdit(self)
        self.referrer_contact.setPlaceholderText(self.tr("Referrer's contact person or phone"))
        self.service_area = Choice(self)
        self.problem = text_box(self, 3, self.tr("What the client or referrer says the problem is"))
        self.impression = text_box(self, 2, self.tr("The worker's first impression"))
        self.risk = Choice(self)
        self.risk.set_items(risk_labels())
        self.crisis = QCheckBox(self.tr("Crisis: needs help at once"), self)
        self.willingness = Choice(self)
        self.willingness.set_items(willingness_labels())
        self.worker = Choice(self)
        self.take_on = QCheckBox(self.tr("Open the case (untick if the case is not taken on)"), self)
        self.take_on.setChecked(True)
        self.not_accepted_reason = QLineEdit(self)
        self.not_accepted_reason.setPlaceholderText(self.tr("Why the case is not taken on"))

        self.consent = QCheckBox(self.tr("Consent form signed at this intake"), self)
        self.consent.setChecked(True)
        self.signer_name = QLineEdit(self)
        self.signer_relation = QLineEdit(self)
        self.signer_relation.setPlaceholderText(self.tr("本人, or the guardian's relation (e.g. 祖母)"))
        self.signer_relation.setText("本人")
        self.signed_on = date_edit(self)
        self.child_note = QLabel(self)
        self.child_note.setWordWrap(True)
        self.child_note.setStyleSheet("color: #8a5300;")
        self.child_note.hide()

        self.resubmit = QCheckBox(self.tr("Submit to the station head again when saved"), self)
        if case is not None and case.opening_status == ApprovalStatus.RETURNED:
            note = QLabel(self.tr("Sent back by {name}: {comment}").format(
                name=case.opening_by, comment=case.opening_comment), self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            self.form.addRow(note)
            self.resubmit.setChecked(True)
        self.add_row("person_id", self.tr("Client"), person_box)
        self.add_row("intake_date", self.tr("Intake date"), self.intake_date)
        self.add_row("source", self.tr("Source"), self.source)
        self.add_row("referrer", self.tr("Referrer"), self.referrer)
        self.add_row("referrer_contact", self.tr("Referrer contact"), self.referrer_contact)
        self.add_row("service_area", self.tr("Service area"), self.service_area)
        self.add_row("presenting_problem", self.tr("Presenting problem"), self.problem)
        self.add_row("initial_impression", self.tr("First impression"), self.impression)
        risk_box = QWidget(self)
        risk_layout = QHBoxLayout(risk_box)
        risk_layout.setContentsMargins(0, 0, 0, 0)
        risk_layout.addWidget(self.risk)
        risk_layout.addWidget(self.crisis)
        risk_layout.addWidget(QLabel(self.tr("Willingness"), self))
        risk_layout.addWidget(self.willingness)
        risk_layout.addStretch(1)
        risk_box.setFocusProxy(self.risk)
        self.add_row("risk_level", self.tr("Risk level"), risk_box)
        self.add_row("worker_id", self.tr("Social worker"), self.worker)
        self.add_row("accepted", "", self.take_on)
        self.add_row("not_accepted_reason", self.tr("Reason not taken on"), self.not_accepted_reason)
        self.form.addRow("", self.child_note)
        self.add_row("consent", "", self.consent)
        self.add_row("signer_name", self.tr("Signed by"), self.signer_name)
        self.add_row("signer_relation", self.tr("Signer is the client's"), self.signer_relation)
        self.add_row("signed_on", self.tr("Signed on"), self.signed_on)
        self.add_row("resubmit", "", self.resubmit)
        if case is not None:
            self.search.hide()
            self.results.hide()
            if person is not None:
                self.person = person
                self.chosen_label.setText(self.tr("{name} ({age} years, {id}); the client of a case does not "
                                                  "change.").format(
                    name=person.name, age="?" if person.age is None else person.age,
                    id=person.id_number_masked or self.tr("no ID number")))
            self.intake_date.setDate(qdate(case.intake_date))
            self.source.set_value(case.source)
            self.referrer.setText(case.referrer)
            self.referrer_contact.setText(case.referrer_contact)
            self.problem.setPlainText(case.presenting_problem)
            self.impression.setPlainText(case.initial_impression)
            self.risk.set_value(case.risk_level)
            self.crisis.setChecked(case.crisis)
            self.willingness.set_value(case.willingness)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.results.currentItemChanged.connect(lambda item, _old: self._choose(item))
        self.source.currentIndexChanged.connect(self._update_visibility)
        self.take_on.toggled.connect(self._update_visibility)
        self.consent.toggled.connect(self._update_visibility)
        self._update_visibility()
        self.save_button.setEnabled(False)
        ctx.reader.run(load_case_choices, ctx.db, ctx.actor, on_done=self._fill, parent=self)

    def _fill(self, choices: CaseChoices) -> None:
        self.choices = choices
        self.service_area.set_items({"": self.tr("Choose…"), **choices.service_areas})
        workers = {s.uuid: s.name for s in choices.staff if s.active}
        worker = self._ctx.actor.staff_id
        if self.case is not None:
            self.service_area.set_value(self.case.service_area)
            worker = self.case.worker_id
            if worker is not None and worker not in workers:  # a former worker stays until changed
                workers[worker] = next((s.name for s in choices.staff if s.uuid == worker), "")
        self.worker.set_items({None: self.tr("Not assigned yet"), **workers}, worker)
        self.save_button.setEnabled(True)
        fields: dict[str, QWidget] = {
            "intake_date": self.intake_date, "source": self.source, "referrer": self.referrer,
            "referrer_contact": self.referrer_contact, "service_area": self.service_area,
            "presenting_problem": self.problem, "initial_impression": self.impression, "risk_level": self.risk,
            "crisis": self.crisis, "willingness": self.willingness, "worker_id": self.worker}
        if self.case is None:
            fields.update({"person": self.client_box, "accepted": self.take_on,
                           "not_accepted_reason": self.not_accepted_reason, "consent": self.consent,
                           "signer_name": self.signer_name, "signer_relation": self.signer_relation,
                           "signed_on": self.signed_on})
            self.keep_draft("case_intake", None, fields)
        else:
            self.keep_draft("case_intake", self.case.uuid, fields, case_id=self.case.uuid)
            self.name_draft(self.person.name if self.person is not None else "")
        self.ready.emit()

    def choose_person_id(self, person_id: UUID) -> None:
        """Take the person with this uuid as the client (from a draft)."""
        def found(person: PersonView) -> None:
            self.choose_person(person)

        self._ctx.reader.run(get_person, self._ctx.db, self._ctx.actor, person_id, on_done=found,
                             on_error=lambda _error: None, parent=self)

    def run_search(self) -> None:
        """Search the people registered (name, pinyin initials, ID tail) on the reader."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        self._ctx.reader.run(search_people, self._ctx.db, self._ctx.actor, text, 30,
                             on_done=lambda people: self._show_results(generation, people), parent=self)

    def _show_results(self, generation: int, people: list[PersonView]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        categories = self.choices.categories if self.choices is not None else {}
        for person in people:
            cats = "、".join(categories.get(c, c) for c in person.categories)
            text = self.tr("{name}, {age} years, {id} {categories} {address}").format(
                name=person.name, age="?" if person.age is None else person.age,
                id=person.id_number_masked or "", categories=cats, address=person.address)
            item = QListWidgetItem(" ".join(text.split()), self.results)
            item.setData(Qt.ItemDataRole.UserRole, person)
        if len(people) == 1:
            self.results.setCurrentRow(0)
        self.searched.emit()

    def choose_person(self, person: PersonView) -> None:
        """Take this person as the client."""
        self.person = person
        self.client_box.draft_changed.emit()
        if self.drafts is not None and self.case is None:
            self.drafts.about["name"] = person.name
        age = "?" if person.age is None else str(person.age)
        self.chosen_label.setText(self.tr("Chosen: {name} ({age} years, {id})").format(
            name=person.name, age=age, id=person.id_number_masked or self.tr("no ID number")))
        child = person.age is not None and person.age < CHILD_CONSENT_AGE
        if child:
            self.child_note.setText(self.tr(
                "{name} is under {limit}: the case is opened only with a guardian on the person's record and the "
                "guardian's signed consent. Type the guardian's name and relation below.").format(
                name=person.name, limit=CHILD_CONSENT_AGE))
            if self.signer_relation.text().strip() == "本人":
                self.signer_relation.clear()
            if self.signer_name.text().strip() in ("", person.name):
                self.signer_name.clear()
            self.consent.setChecked(True)
        else:
            if not self.signer_name.text().strip():
                self.signer_name.setText(person.name)
        self.child_note.setVisible(child)
        self.rows["person_id"].set_error("")

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.choose_person(item.data(Qt.ItemDataRole.UserRole))

    def _update_visibility(self) -> None:
        referral = self.source.value() == CaseSource.REFERRAL
        for name in ("referrer", "referrer_contact"):
            self._set_row_visible(name, referral or bool(self.referrer.text().strip()))
        editing = self.case is not None
        accepted = self.take_on.isChecked()
        self._set_row_visible("accepted", not editing)
        self._set_row_visible("not_accepted_reason", not accepted and not editing)
        signed = self.consent.isChecked()
        self._set_row_visible("consent", not editing)
        for name in ("signer_name", "signer_relation", "signed_on"):
            self._set_row_visible(name, signed and not editing)
        self._set_row_visible("resubmit", editing and self.case is not None
                              and self.case.opening_status == ApprovalStatus.RETURNED)

    def _set_row_visible(self, name: str, visible: bool) -> None:
        row = self.rows[name]
        row.setVisible(visible)
        label = self.form.labelForField(row)
        if label is not None:
            label.setVisible(visible)

    def intake_input(self) -> IntakeInput:
        """The form as the service's input (raises for a missing client)."""
        if self.person is None:
            raise ValidationError("case.person_required", field="person_id")
        return IntakeInput(
            person_id=self.person.uuid, intake_date=day_of(self.intake_date),
            source=self.source.value(), service_area=self.service_area.value() or "",
            presenting_problem=self.problem.toPlainText().strip(),
            initial_impression=self.impression.toPlainText().strip(), risk_level=self.risk.value(),
            crisis=self.crisis.isChecked(), willingness=self.willingness.value(),
            worker_id=self.worker.value(), referrer=self.referrer.text(),
            referrer_contact=self.referrer_contact.text(), accepted=self.take_on.isChecked(),
            not_accepted_reason=self.not_accepted_reason.text(),
            project_id=self.case.project_id if self.case is not None else None,
        )

    def consent_input(self) -> ConsentInput | None:
        """The consent signed at intake, if ticked."""
        if not self.consent.isChecked() or not self.take_on.isChecked():
            return None
        return ConsentInput(purpose="个案服务", signer_name=self.signer_name.text(),
                            signed_on=day_of(self.signed_on),
                            signer_relation=self.signer_relation.text().strip())

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        if self.case is not None:
            return update_intake_job, (self._ctx.db, self._ctx.actor, self.case.uuid, self.intake_input(),
                                       self.resubmit.isVisibleTo(self) and self.resubmit.isChecked())
        return open_case_job, (self._ctx.db, self._ctx.actor, self.intake_input(), self.consent_input())


# ---------------------------------------------------------------------------
# Assessment (预估) and the mandatory report (强制报告)
# ---------------------------------------------------------------------------


class AssessmentDialog(CaseFormDialog):
    """需求评估表: the situation by domain, needs, scales, risk and the child-protection flag."""

    def __init__(self, ctx: UiContext, case_id: UUID, risk: RiskLevel, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("AssessmentDialog", "Needs assessment"), parent,
                         size=(860, 700))
        self.case_id = case_id
        self.assessed_on = date_edit(self)
        self.summary = text_box(self, 3, self.tr("The main problems and needs, in a few sentences"))
        self.domains: dict[str, QPlainTextEdit] = {}
        grid_box = QWidget(self)
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (name, label) in enumerate(self._domain_labels().items()):
            box = text_box(self, 2)
            box.setPlaceholderText(label)
            self.domains[name] = box
            grid.addWidget(box, i // 2, i % 2)
        grid_box.setFocusProxy(next(iter(self.domains.values())))
        self.needs = LineTable([self.tr("Need"), self.tr("Priority (1 = first)")], self, rows=2, height=90)
        self.scales = LineTable([self.tr("Scale"), self.tr("Score")], self, rows=1, height=70)
        self.risk = Choice(self)
        self.risk.set_items(risk_labels(), risk)
        self.child_harm = QCheckBox(self.tr("Signs that a child is harmed or neglected (mandatory report, "
                                            "Minors Protection Law Art. 11)"), self)
        self.add_row("assessed_on", self.tr("Assessed on"), self.assessed_on)
        self.add_row("summary", self.tr("Summary"), self.summary)
        self.add_row("domains", self.tr("Situation"), grid_box)
        self.add_row("needs", self.tr("Needs"), self.needs)
        self.add_row("scales", self.tr("Scales"), self.scales)
        self.add_row("risk_level", self.tr("Risk level"), self.risk)
        self.add_row("child_harm_suspected", "", self.child_harm)
        self.keep_draft("case_assessment", case_id, {
            "assessed_on": self.assessed_on, "summary": self.summary, **self.domains, "needs": self.needs,
            "scales": self.scales, "risk_level": self.risk, "child_harm_suspected": self.child_harm},
            case_id=case_id)

    def _domain_labels(self) -> dict[str, str]:
        return {"physical_health": self.tr("Physical health"), "psychological": self.tr("Psychological"),
                "family": self.tr("Family"), "economic": self.tr("Economic"), "housing": self.tr("Housing"),
                "social_support": self.tr("Social support"), "education_employment": self.tr("School or work"),
                "strengths": self.tr("Strengths and resources")}

    def assessment_input(self) -> AssessmentInput:
        """The form as the service's input."""
        needs = []
        for need, priority in self.needs.values():
            needs.append(NeedInput(need=need, priority=int(priority) if priority.isdigit() else 1))
        scales = tuple(ScaleInput(scale_name=name, score=score) for name, score in self.scales.values())
        texts = {name: box.toPlainText().strip() for name, box in self.domains.items()}
        return AssessmentInput(
            assessed_on=day_of(self.assessed_on), summary=self.summary.toPlainText().strip(),
            physical_health=texts["physical_health"], psychological=texts["psychological"],
            family=texts["family"], economic=texts["economic"], housing=texts["housing"],
            social_support=texts["social_support"], education_employment=texts["education_employment"],
            strengths=texts["strengths"], needs=tuple(needs), scales=scales, risk_level=self.risk.value(),
            child_harm_suspected=self.child_harm.isChecked(), assessor_id=self._ctx.actor.staff_id)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return record_assessment, (self._ctx.db, self._ctx.actor, self.case_id, self.assessment_input())

    @property
    def report_needed(self) -> bool:
        """Whether the saved assessment asks who was informed (强制报告)."""
        return isinstance(self.result_value, AssessmentResult) and self.result_value.report_needed


class ChildProtectionDialog(CaseFormDialog):
    """强制报告: who was informed of suspected harm to a child, and when."""

    def __init__(self, ctx: UiContext, case_id: UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("ChildProtectionDialog", "Mandatory report"), parent,
                         size=(620, 420))
        self.case_id = case_id
        note = QLabel(self.tr("Suspected harm to a child must be reported at once to the police, civil affairs "
                              "or education authorities (Minors Protection Law Art. 11). Record who was informed "
                              "and when."), self)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.informed_party = QLineEdit(self)
        self.informed_party.setPlaceholderText(self.tr("e.g. 毕克齐派出所, 镇民政办, the school"))
        self.informed_at = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.informed_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.informed_at.setCalendarPopup(True)
        self.concern = text_box(self, 3, self.tr("What was reported"))
        self.add_row("informed_party", self.tr("Informed"), self.informed_party)
        self.add_row("informed_at", self.tr("When"), self.informed_at)
        self.add_row("concern", self.tr("Concern"), self.concern)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        value = self.informed_at.dateTime()
        day, moment = value.date(), value.time()
        informed = datetime(day.year(), day.month(), day.day(), moment.hour(), moment.minute())
        zone = self._ctx.station.zone  # the time on the station's clock, whatever the PC's zone
        informed = informed.replace(tzinfo=zone) if zone is not None else informed.astimezone()
        return record_child_protection_report, (self._ctx.db, self._ctx.actor, self.case_id,
                                                self.informed_party.text(), informed,
                                                self.concern.toPlainText().strip())


# ---------------------------------------------------------------------------
# Service plan (服务计划)
# ---------------------------------------------------------------------------


def save_plan_job(db: Any, actor: Actor, case_id: UUID, data: PlanInput, submit: bool) -> PlanView:
    """Save a new plan version and, if asked, submit it for the station head's approval."""
    plan = save_plan(db, actor, case_id, data)
    return submit_plan(db, actor, plan.uuid) if submit else plan


class PlanDialog(CaseFormDialog):
    """服务计划表: the overall aim, objectives (at least one), strategies; saved as a new version."""

    def __init__(self, ctx: UiContext, case_id: UUID, latest: PlanView | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("PlanDialog", "Service plan"), parent, size=(860, 680))
        self.case_id = case_id
        if latest is not None and latest.approval_status == ApprovalStatus.RETURNED and latest.approval_comment:
            note = QLabel(self.tr("Sent back by {name}: {comment}").format(
                name=latest.approval_by, comment=latest.approval_comment), self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            self.form.addRow(note)
        self.made_on = date_edit(self)
        self.review_on = QLineEdit(self)
        self.review_on.setPlaceholderText(self.tr("e.g. 2027-03-01 (empty: reviewed after 90 days)"))
        self.aim = text_box(self, 2, self.tr("What the service aims at overall"))
        self.focus = QLineEdit(self)
        self.objectives = LineTable([self.tr("Objective"), self.tr("How we know it is reached"),
                                     self.tr("By (2027-03-01)")], self, rows=2, height=110)
        self.strategies = LineTable([self.tr("Action"), self.tr("Who"), self.tr("How often")], self, rows=2,
                                    height=100)
        self.duration = QLineEdit(self)
        self.duration.setPlaceholderText(self.tr("e.g. 6 months"))
        self.frequency = QLineEdit(self)
        self.frequency.setPlaceholderText(self.tr("e.g. weekly home visit"))
        self.client_agreed = QCheckBox(self.tr("The client agreed to the plan"), self)
        self.submit = QCheckBox(self.tr("Submit to the station head for approval when saved"), self)
        self.submit.setChecked(True)
        self.add_row("made_on", self.tr("Made on"), self.made_on)
        self.add_row("overall_aim", self.tr("Overall aim"), self.aim)
        self.add_row("focus", self.tr("Focus"), self.focus)
        self.add_row("objectives", self.tr("Objectives"), self.objectives)
        self.add_row("strategies", self.tr("Strategies"), self.strategies)
        self.add_row("expected_duration", self.tr("Expected duration"), self.duration)
        self.add_row("frequency", self.tr("Frequency"), self.frequency)
        self.add_row("review_on", self.tr("Review on"), self.review_on)
        self.add_row("client_agreed", "", self.client_agreed)
        self.add_row("submit", "", self.submit)
        if latest is not None:
            self.aim.setPlainText(latest.overall_aim)
            self.focus.setText(latest.focus)
            self.client_agreed.setChecked(latest.client_agreed)
            self.objectives.set_rows([[o.text, o.indicator, o.target_date.isoformat() if o.target_date else ""]
                                      for o in latest.objectives])
        self.keep_draft("case_plan", case_id, {
            "made_on": self.made_on, "review_on": self.review_on, "overall_aim": self.aim, "focus": self.focus,
            "objectives": self.objectives, "strategies": self.strategies, "expected_duration": self.duration,
            "frequency": self.frequency, "client_agreed": self.client_agreed, "submit": self.submit},
            case_id=case_id)

    def plan_input(self) -> PlanInput:
        """The form as the service's input (raises for a date it cannot read)."""
        errors: list[ValidationError] = []
        objectives: list[ObjectiveInput] = []
        for text, indicator, target in self.objectives.values():
            try:
                objectives.append(ObjectiveInput(text, indicator, parse_optional_date(target, "objectives")))
            except ValidationError as exc:
                errors.append(exc)
        review: date | None = None
        try:
            review = parse_optional_date(self.review_on.text(), "review_on")
        except ValidationError as exc:
            errors.append(exc)
        raise_collected(errors)
        return PlanInput(
            made_on=day_of(self.made_on), overall_aim=self.aim.toPlainText(),
            objectives=tuple(objectives), review_on=review, focus=self.focus.text().strip(),
            strategies=tuple(StrategyInput(action=a, responsible=r, frequency=f)
                             for a, r, f in self.strategies.values()),
            expected_duration=self.duration.text().strip(), frequency=self.frequency.text().strip(),
            client_agreed=self.client_agreed.isChecked(),
            client_agreed_on=day_of(self.made_on) if self.client_agreed.isChecked() else None,
        )

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return save_plan_job, (self._ctx.db, self._ctx.actor, self.case_id, self.plan_input(),
                               self.submit.isChecked())


# ---------------------------------------------------------------------------
# Service record (个案服务记录)
# ---------------------------------------------------------------------------


class ServiceRecordDialog(CaseFormDialog):
    """个案服务记录: a contact. A new one starts from the defaults (today, the worker, a home
    visit, the plan's current objective), so only the note needs typing; Ctrl+Enter saves."""

    def __init__(self, ctx: UiContext, case_id: UUID, staff: Sequence[StaffView], plan: PlanView | None,
                 defaults: ServiceRecordDefaults | None = None, record: ServiceRecordView | None = None,
                 parent: QWidget | None = None) -> None:
        seq = record.seq if record is not None else defaults.next_seq if defaults is not None else 0
        title = (QCoreApplication.translate("ServiceRecordDialog", "Service record no. {seq}").format(seq=seq))
        super().__init__(ctx, title, parent, size=(820, 680))
        self.case_id = case_id
        self.record = record
        self.service_date = date_edit(self)
        self.mode = Choice(self)
        self.mode.set_items(mode_labels())
        self.start = QLineEdit(self)
        self.start.setPlaceholderText("9:30")
        self.end = QLineEdit(self)
        self.end.setPlaceholderText("10:30")
        self.duration = QSpinBox(self)
        self.duration.setRange(0, 24 * 60)
        self.duration.setSuffix(self.tr(" min"))
        self.duration.setSpecialValueText(self.tr("from the times"))
        time_box = QWidget(self)
        time_layout = QHBoxLayout(time_box)
        time_layout.setContentsMargins(0, 0, 0, 0)
        time_layout.addWidget(self.start)
        time_layout.addWidget(QLabel("–", self))
        time_layout.addWidget(self.end)
        time_layout.addWidget(QLabel(self.tr("or duration"), self))
        time_layout.addWidget(self.duration)
        time_box.setFocusProxy(self.start)
        self.location = QLineEdit(self)
        self.participants = QLineEdit(self)
        self.objective = Choice(self)
        objectives: dict[Any, str] = {None: self.tr("No particular objective")}
        if plan is not None:
            for o in plan.objectives:
                objectives[o.uuid] = f"{o.seq}. {o.text}"
        if record is not None and record.objective_id is not None and record.objective_id not in objectives:
            objectives[record.objective_id] = self.tr("(an objective of an earlier plan)")
        self.objective.set_items(objectives)
        self.worker = Choice(self)
        self.worker.set_items({None: self.tr("Not given"), **{s.uuid: s.name for s in staff}})
        self.content = text_box(self, 6, self.tr("What happened during the contact (Ctrl+Enter saves)"))
        self.content.setTabChangesFocus(True)
        self.response = text_box(self, 2, self.tr("How the client responded"))
        self.next_steps = text_box(self, 2, self.tr("What comes next"))
        kinds = resource_kind_labels()
        self.resources = LineTable([self.tr("Kind"), self.tr("What"), self.tr("From"), self.tr("Value (yuan)")],
                                   self, choices={0: kinds}, rows=0, height=80)

        self.add_row("service_date", self.tr("Date"), self.service_date)
        self.add_row("mode", self.tr("Mode"), self.mode)
        self.add_row("content", self.tr("Note"), self.content)
        self.add_row("objective_id", self.tr("Plan objective"), self.objective)
        self.add_row("worker_id", self.tr("Social worker"), self.worker)
        self.add_row("end_time", self.tr("Time"), time_box)
        self.add_row("location", self.tr("Place"), self.location)
        self.add_row("participants", self.tr("Others present"), self.participants)
        self.add_row("client_response", self.tr("Client's response"), self.response)
        self.add_row("next_steps", self.tr("Next steps"), self.next_steps)
        self.add_row("resources", self.tr("Linked resources"), self.resources)
        self.rows["duration_min"] = self.rows["end_time"]
        self.rows["start_time"] = self.rows["end_time"]

        if record is not None:
            self._fill_record(record)
        elif defaults is not None:
            self.service_date.setDate(qdate(defaults.service_date))
            self.mode.set_value(defaults.mode)
            self.objective.set_value(defaults.objective_id)
            self.worker.set_value(defaults.worker_id)
        fields: dict[str, QWidget] = {
            "service_date": self.service_date, "mode": self.mode, "start_time": self.start, "end_time": self.end,
            "duration_min": self.duration, "location": self.location, "participants": self.participants,
            "objective_id": self.objective, "worker_id": self.worker, "content": self.content,
            "client_response": self.response, "next_steps": self.next_steps, "resources": self.resources}
        if record is None:  # a new record: one draft per case
            self.keep_draft("service_record_new", case_id, fields, case_id=case_id)
        else:
            self.keep_draft("service_record", record.uuid, fields, case_id=case_id)
        self.content.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_record(self, record: ServiceRecordView) -> None:
        self.service_date.setDate(qdate(record.service_date))
        self.mode.set_value(record.mode)
        self.start.setText(record.start_time.strftime("%H:%M") if record.start_time else "")
        self.end.setText(record.end_time.strftime("%H:%M") if record.end_time else "")
        if record.start_time is None or record.end_time is None:
            self.duration.setValue(record.duration_min)
        self.location.setText(record.location)
        self.participants.setText(record.participants)
        self.objective.set_value(record.objective_id)
        self.worker.set_value(record.worker_id)
        self.content.setPlainText(record.content)
        self.response.setPlainText(record.client_response)
        self.next_steps.setPlainText(record.next_steps)
        self.resources.set_rows([[r.kind, r.description, r.provider, fen_text(r.value_fen)]
                                 for r in record.resources])
        if not record.resources:
            self.resources.table.setRowCount(0)

    def add_resource(self, kind: str, description: str, provider: str = "", value_yuan: str = "") -> None:
        """Link a resource (e.g. a food parcel worth ¥200 from the charity supermarket)."""
        self.resources.add_row([kind, description, provider, value_yuan])

    def record_input(self) -> ServiceRecordInput:
        """The form as the service's input (raises for a time or amount it cannot read)."""
        errors: list[ValidationError] = []
        start = end = None
        try:
            start = parse_time(self.start.text(), "start_time")
            end = parse_time(self.end.text(), "end_time")
        except ValidationError as exc:
            errors.append(exc)
        resources: list[ResourceInput] = []
        for kind, description, provider, value in self.resources.values():
            try:
                resources.append(ResourceInput(kind=kind, description=description, provider=provider,
                                               value_fen=parse_yuan(value, "resources")))
            except ValidationError as exc:
                errors.append(exc)
        raise_collected(errors)
        duration = self.duration.value()
        return ServiceRecordInput(
            service_date=day_of(self.service_date), mode=self.mode.value(),
            content=self.content.toPlainText().strip(), start_time=start, end_time=end,
            duration_min=duration if duration > 0 or start is None or end is None else None,
            location=self.location.text().strip(), participants=self.participants.text().strip(),
            objective_id=self.objective.value(), client_response=self.response.toPlainText().strip(),
            next_steps=self.next_steps.toPlainText().strip(), worker_id=self.worker.value(),
            resources=tuple(resources),
        )

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        data = self.record_input()
        if self.record is not None:
            return update_service_record, (self._ctx.db, self._ctx.actor, self.record.uuid, data)
        return add_service_record, (self._ctx.db, self._ctx.actor, self.case_id, data)


# ---------------------------------------------------------------------------
# Evaluation and closure (评估, 结案)
# ---------------------------------------------------------------------------


class EvaluationDialog(CaseFormDialog):
    """评估: how far each objective of the current plan was reached, satisfaction, narrative."""

    def __init__(self, ctx: UiContext, case_id: UUID, plan: PlanView | None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("EvaluationDialog", "Evaluation"), parent, size=(780, 600))
        self.case_id = case_id
        self.evaluated_on = date_edit(self)
        self.kind = Choice(self)
        self.kind.set_items(evaluation_kind_labels())
        self.add_row("evaluated_on", self.tr("Evaluated on"), self.evaluated_on)
        self.add_row("kind", self.tr("Kind"), self.kind)
        levels: dict[Any, str] = {None: self.tr("Not rated"), **attainment_labels()}
        self.attainment: dict[UUID, Choice] = {}
        for objective in plan.objectives if plan is not None else ():
            combo = Choice(self, levels)
            self.attainment[objective.uuid] = combo
            label = QLabel(f"{objective.seq}. {objective.text}", self)
            label.setWordWrap(True)
            self.form.addRow(label, combo)
        self.overall = Choice(self)
        self.overall.set_items(levels)
        self.satisfaction = QSpinBox(self)
        self.satisfaction.setRange(0, 5)
        self.satisfaction.setSpecialValueText(self.tr("Not asked"))
        self.narrative = text_box(self, 5, self.tr("Changes seen, what worked, what did not"))
        self.add_row("overall_attainment", self.tr("Overall"), self.overall)
        self.add_row("satisfaction", self.tr("Satisfaction (1–5)"), self.satisfaction)
        self.add_row("narrative", self.tr("Evaluation"), self.narrative)
        self.rows["attainment"] = self.rows["overall_attainment"]
        self.keep_draft("case_evaluation", case_id, {
            "evaluated_on": self.evaluated_on, "kind": self.kind, "overall_attainment": self.overall,
            "satisfaction": self.satisfaction, "narrative": self.narrative,
            **{f"attainment:{uuid}": combo for uuid, combo in self.attainment.items()}}, case_id=case_id)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        attainment = tuple(ObjectiveAttainment(uuid, combo.value())
                           for uuid, combo in self.attainment.items() if combo.value() is not None)
        data = EvaluationInput(
            evaluated_on=day_of(self.evaluated_on), kind=self.kind.value(), attainment=attainment,
            overall_attainment=self.overall.value(),
            satisfaction=self.satisfaction.value() or None, narrative=self.narrative.toPlainText().strip(),
            evaluator_id=self._ctx.actor.staff_id)
        return record_evaluation, (self._ctx.db, self._ctx.actor, self.case_id, data)


class ClosureDialog(CaseFormDialog):
    """结案报告: type, reason, summary, changes, what is left, follow-up; sent to the station head."""

    def __init__(self, ctx: UiContext, case_id: UUID, closure_types: dict[str, str],
                 referrals: Sequence[ReferralView], parent: QWidget | None = None,
                 returned: ClosureView | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("ClosureDialog", "Closure report"), parent, size=(800, 680))
        self.case_id = case_id
        if returned is not None:
            note = QLabel(self.tr("Sent back by {name}: {comment}").format(
                name=returned.approval_by, comment=returned.approval_comment), self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            self.form.addRow(note)
        self.closed_on = date_edit(self)
        self.closure_type = Choice(self)
        self.closure_type.set_items({"": self.tr("Choose…"), **closure_types})
        self.referral = Choice(self)
        outward = {r.uuid: f"{r.referred_on.isoformat()} → {r.to_party}" for r in referrals
                   if r.direction == ReferralDirection.OUT}
        self.referral.set_items({None: self.tr("None"), **outward})
        self.reason = text_box(self, 2)
        self.summary = text_box(self, 4, self.tr("The service given, in a few sentences"))
        self.goals = text_box(self, 2, self.tr("How far the objectives were reached"))
        self.changes = text_box(self, 2, self.tr("What changed for the client"))
        self.unresolved = text_box(self, 2, self.tr("What is left, and who will take care of it"))
        self.feedback = text_box(self, 2, self.tr("The client's view"))
        self.follow_up_on = QLineEdit(self)
        self.follow_up_on.setPlaceholderText(self.tr("e.g. 2027-02-01 (empty: no follow-up planned)"))
        self.follow_up_method = QLineEdit(self)
        self.follow_up_method.setPlaceholderText(self.tr("e.g. phone call"))
        self.add_row("closed_on", self.tr("Closed on"), self.closed_on)
        self.add_row("closure_type", self.tr("Closure type"), self.closure_type)
        self.add_row("referral_id", self.tr("Referral"), self.referral)
        self.add_row("reason", self.tr("Reason"), self.reason)
        self.add_row("summary", self.tr("Service summary"), self.summary)
        self.add_row("goal_attainment", self.tr("Objectives"), self.goals)
        self.add_row("client_changes", self.tr("Changes"), self.changes)
        self.add_row("unresolved", self.tr("Left to do"), self.unresolved)
        self.add_row("client_feedback", self.tr("Client's feedback"), self.feedback)
        self.add_row("follow_up_on", self.tr("Follow-up on"), self.follow_up_on)
        self.add_row("follow_up_method", self.tr("Follow-up by"), self.follow_up_method)
        if returned is not None:  # the report sent back, to be corrected rather than typed again
            self.closed_on.setDate(qdate(returned.closed_on))
            self.closure_type.set_value(returned.closure_type)
            self.referral.set_value(returned.referral_id)
            for box, text in ((self.reason, returned.reason), (self.summary, returned.summary),
                              (self.goals, returned.goal_attainment), (self.changes, returned.client_changes),
                              (self.unresolved, returned.unresolved), (self.feedback, returned.client_feedback)):
                box.setPlainText(text)
            if returned.follow_up_plan:
                self.follow_up_on.setText(returned.follow_up_plan[0].on.isoformat())
                self.follow_up_method.setText(returned.follow_up_plan[0].method)
        self.keep_draft("case_closure", case_id, {
            "closed_on": self.closed_on, "closure_type": self.closure_type, "referral_id": self.referral,
            "reason": self.reason, "summary": self.summary, "goal_attainment": self.goals,
            "client_changes": self.changes, "unresolved": self.unresolved, "client_feedback": self.feedback,
            "follow_up_on": self.follow_up_on, "follow_up_method": self.follow_up_method}, case_id=case_id)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        follow = parse_optional_date(self.follow_up_on.text(), "follow_up_on")
        plan = (FollowUpPlanItem(follow, self.follow_up_method.text().strip()),) if follow is not None else ()
        data = ClosureInput(
            closed_on=day_of(self.closed_on), closure_type=self.closure_type.value() or "",
            reason=self.reason.toPlainText().strip(), summary=self.summary.toPlainText().strip(),
            goal_attainment=self.goals.toPlainText().strip(), client_changes=self.changes.toPlainText().strip(),
            unresolved=self.unresolved.toPlainText().strip(), client_feedback=self.feedback.toPlainText().strip(),
            follow_up_plan=plan, worker_id=self._ctx.actor.staff_id, referral_id=self.referral.value())
        return submit_closure, (self._ctx.db, self._ctx.actor, self.case_id, data)


# ---------------------------------------------------------------------------
# The station head's decision (审批)
# ---------------------------------------------------------------------------


class DecisionDialog(CaseFormDialog):
    """Approve, or send back with a comment: the opening, a plan or a closure."""

    def __init__(self, ctx: UiContext, title: str, question: str,
                 decide: Callable[[bool, str], tuple[Callable[..., Any], tuple[Any, ...]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent, size=(560, 360))
        self._decide = decide
        self.approving = True
        text = QLabel(question, self)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.comment = text_box(self, 4, self.tr("A comment (needed when sending back)"))
        self.add_row("comment", self.tr("Comment"), self.comment)
        self.save_button.setText(self.tr("&Approve"))
        self.return_button = self.buttons.addButton(self.tr("Send &back"), QDialogButtonBox.ButtonRole.ActionRole)
        self.return_button.clicked.connect(self.send_back)

    def approve(self) -> None:
        """Approve (the comment is optional)."""
        self.approving = True
        self.save()

    def send_back(self) -> None:
        """Send back with the comment."""
        self.approving = False
        self.save()

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        approving, self.approving = self.approving, True
        return self._decide(approving, self.comment.toPlainText())


# ---------------------------------------------------------------------------
# Referral, reopening, follow-up
# ---------------------------------------------------------------------------


class ReferralDialog(CaseFormDialog):
    """转介表: referring the client out to another body, with what is disclosed and why."""

    def __init__(self, ctx: UiContext, case_id: UUID, person_id: UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("ReferralDialog", "Referral"), parent, size=(760, 500))
        self.case_id, self.person_id = case_id, person_id
        self.referred_on = date_edit(self)
        self.to_party = QLineEdit(self)
        self.to_party.setPlaceholderText(self.tr("e.g. 土默特左旗医院, 镇司法所"))
        self.to_contact = QLineEdit(self)
        self.reason = text_box(self, 3)
        self.services = text_box(self, 3, self.tr("The service given so far"))
        self.disclosed = QLineEdit(self)
        self.disclosed.setPlaceholderText(self.tr("What is passed on, e.g. 基本信息, 联系方式, 服务记录"))
        self.consented = QCheckBox(self.tr("The client agreed separately to passing on this information"), self)
        self.legal_basis = Choice(self)
        self.legal_basis.set_items(legal_basis_labels())
        self.add_row("referred_on", self.tr("Referred on"), self.referred_on)
        self.add_row("to_party", self.tr("Referred to"), self.to_party)
        self.add_row("to_contact", self.tr("Contact there"), self.to_contact)
        self.add_row("reason", self.tr("Reason"), self.reason)
        self.add_row("services_summary", self.tr("Services so far"), self.services)
        self.add_row("disclosed_items", self.tr("Information passed on"), self.disclosed)
        self.add_row("client_consented", "", self.consented)
        self.add_row("legal_basis", self.tr("Legal basis"), self.legal_basis)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        items = tuple(i.strip() for i in self.disclosed.text().replace("，", ",").replace("、", ",").split(",")
                      if i.strip())
        data = ReferralInput(
            direction=ReferralDirection.OUT, person_id=self.person_id, referred_on=day_of(self.referred_on),
            to_party=self.to_party.text(), to_contact=self.to_contact.text(), reason=self.reason.toPlainText(),
            services_summary=self.services.toPlainText(), disclosed_items=items,
            client_consented=self.consented.isChecked(), legal_basis=self.legal_basis.value(),
            case_id=self.case_id)
        return make_referral, (self._ctx.db, self._ctx.actor, data)


class ReferralOutcomeDialog(CaseFormDialog):
    """接收反馈: the receiving party's answer to a referral, and what followed."""

    def __init__(self, ctx: UiContext, referrals: Sequence[ReferralView], parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("ReferralOutcomeDialog", "Referral outcome"), parent,
                         size=(640, 330))
        self.referral = Choice(self)
        self.referral.set_items({r.uuid: f"{r.referred_on.isoformat()} → {r.to_party or r.from_party}"
                                   for r in referrals})
        if referrals:
            self.referral.setCurrentIndex(len(referrals) - 1)
        self.outcome = Choice(self)
        self.outcome.set_items(outcome_labels(), ReferralOutcome.ACCEPTED)
        self.outcome_on = date_edit(self)
        self.follow_up = text_box(self, 3, self.tr("What happened after the referral"))
        self.add_row("referral_id", self.tr("Referral"), self.referral)
        self.add_row("outcome", self.tr("Answer"), self.outcome)
        self.add_row("outcome_on", self.tr("Answered on"), self.outcome_on)
        self.add_row("follow_up", self.tr("Follow-up"), self.follow_up)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return record_referral_outcome, (self._ctx.db, self._ctx.actor, self.referral.value(),
                                         self.outcome.value(), day_of(self.outcome_on),
                                         self.follow_up.toPlainText().strip())


class ReopenDialog(CaseFormDialog):
    """重新开案: a closed case is worked on again; the reason is kept with the case."""

    def __init__(self, ctx: UiContext, case_id: UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("ReopenDialog", "Reopen the case"), parent, size=(560, 320))
        self.case_id = case_id
        note = QLabel(self.tr("The case goes back to intervention. Closing it again needs a new evaluation and a "
                              "closure report approved by the station head."), self)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.reason = text_box(self, 4, self.tr("Why the case is opened again"))
        self.add_row("reason", self.tr("Reason"), self.reason)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return reopen_case, (self._ctx.db, self._ctx.actor, self.case_id, self.reason.toPlainText())


class FollowUpDialog(CaseFormDialog):
    """跟进记录: a contact after closure."""

    def __init__(self, ctx: UiContext, case_id: UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("FollowUpDialog", "Follow-up"), parent, size=(560, 320))
        self.case_id = case_id
        self.followed_on = date_edit(self)
        self.method = QLineEdit(self)
        self.method.setPlaceholderText(self.tr("e.g. phone call, home visit"))
        self.outcome = text_box(self, 4, self.tr("How the client is doing"))
        self.add_row("followed_on", self.tr("Date"), self.followed_on)
        self.add_row("method", self.tr("How"), self.method)
        self.add_row("result", self.tr("Result"), self.outcome)

    def job(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return add_follow_up, (self._ctx.db, self._ctx.actor, self.case_id, day_of(self.followed_on),
                               self.method.text(), self.outcome.toPlainText())
