"""Recording a donation (捐赠登记) and a distribution (发放) in the charity ledger.

Both forms check what they can on the spot (amounts in yuan, dates, a value for every
goods line) and leave the rest to the service (``services.resources``), whose refusals
appear in Chinese under the field they name. Saving runs on the writer worker and then
tells the other screens (``"resources"``, and ``"activities"`` when an activity is
linked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind
from wushe_desktop.errors import ValidationError, ValidationErrors, WusheError
from wushe_desktop.services.activities import ActivityView, list_activities
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonView
from wushe_desktop.services.resources import (
    DistributionInput,
    DistributionView,
    DonationInput,
    DonationItemInput,
    DonationView,
    clean_donation,
    distribute,
    list_donations,
    record_donation,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.fields import FieldRow
from wushe_desktop.ui.person_form import PersonPicker, fitting_size

# Sizes the forms open with, if the screen has room.
DONATION_SIZE = (960, 660)
DISTRIBUTION_SIZE = (620, 520)

# Activities offered when linking a donation or a distribution (newest first).
ACTIVITY_CHOICES = 200

# The goods grid's columns.
ITEM_NAME, ITEM_SPEC, ITEM_QUANTITY, ITEM_UNIT, ITEM_VALUE, ITEM_BASIS, ITEM_EXPIRY = range(7)
ITEM_FIELDS = {"name": ITEM_NAME, "spec": ITEM_SPEC, "quantity": ITEM_QUANTITY, "unit": ITEM_UNIT,
               "unit_value_fen": ITEM_VALUE, "valuation_basis": ITEM_BASIS, "expiry": ITEM_EXPIRY}



def donor_type_labels() -> dict[DonorType, str]:
    """Kinds of donor."""
    return {
        DonorType.INDIVIDUAL: QCoreApplication.translate("ResourceLabels", "Individual"),
        DonorType.COMPANY: QCoreApplication.translate("ResourceLabels", "Company"),
        DonorType.SOCIAL_ORG: QCoreApplication.translate("ResourceLabels", "Social organisation"),
        DonorType.PUBLIC_BODY: QCoreApplication.translate("ResourceLabels", "Public body"),
        DonorType.ANONYMOUS: QCoreApplication.translate("ResourceLabels", "Anonymous"),
    }


def donation_form_labels() -> dict[DonationForm, str]:
    """Forms a donation takes."""
    return {
        DonationForm.MONEY: QCoreApplication.translate("ResourceLabels", "Money"),
        DonationForm.GOODS: QCoreApplication.translate("ResourceLabels", "Goods"),
        DonationForm.SERVICE: QCoreApplication.translate("ResourceLabels", "Service"),
        DonationForm.OTHER: QCoreApplication.translate("ResourceLabels", "Other"),
    }


def receipt_kind_labels() -> dict[ReceiptKind, str]:
    """What happened about the donation receipt."""
    return {
        ReceiptKind.PAPER: QCoreApplication.translate("ResourceLabels", "Paper receipt"),
        ReceiptKind.ELECTRONIC: QCoreApplication.translate("ResourceLabels", "Electronic receipt"),
        ReceiptKind.PENDING: QCoreApplication.translate("ResourceLabels", "Receipt not issued yet"),
        ReceiptKind.WAIVED: QCoreApplication.translate("ResourceLabels", "Donor did not want a receipt"),
        ReceiptKind.ANONYMOUS: QCoreApplication.translate("ResourceLabels", "Anonymous (no receipt)"),
    }


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals, e.g. ``3000.00``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def parse_yuan(text: str) -> int | None:
    """Yuan typed by a person (``120``, ``35.5``, ``1,200.00``) in fen; ``None`` if empty.

    Raises:
        ValueError: not an amount with at most two decimals, or below zero.
    """
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("元", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return int(value * 100)


def qdate(value: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    """A date field with a calendar, showing 2026-10-18."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(qdate(value or date.today()))
    return edit


def line_errors(error: WusheError, fields: set[str], lines_field: str) -> dict[str, str]:
    """Field → sentence, with errors about a numbered line gathered under ``lines_field``
    as "Line N: …"; errors of unknown fields under the empty string."""
    items = error.errors if isinstance(error, ValidationErrors) else [error]
    found: dict[str, str] = {}
    for item in items:
        text = messages.message_for(item)
        line = item.params.get("line")
        if isinstance(line, int):
            key = lines_field
            text = QCoreApplication.translate("ResourceLabels", "Line {number}: {text}").format(
                number=line + 1, text=text)
        else:
            key = item.field if item.field in fields else ""
        found[key] = f"{found[key]}\n{text}" if key in found else text
    return found


@dataclass(frozen=True)
class DonationChoices:
    """What the donation form offers: recent activities."""

    activities: tuple[ActivityView, ...]


def load_donation_choices(db: Any, actor: Actor) -> DonationChoices:
    """Recent activities to link (reader worker)."""
    return DonationChoices(tuple(list_activities(db, actor)[:ACTIVITY_CHOICES]))


class DonationDialog(QDialog):
    """The form that records a donation in the ledger.

    Signals:
        ready(): the choices arrived; the form can be filled.
        save_failed(): saving was refused (the errors are shown).
    """

    ready = Signal()
    save_failed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, activity: ActivityView | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._activity = activity
        self._today = today or date.today()
        self.saved: DonationView | None = None
        self.setWindowTitle(self.tr("Record a donation"))

        self.received_on = date_edit(self, self._today)
        self.donor_type = QComboBox(self)
        for kind, label in donor_type_labels().items():
            self.donor_type.addItem(label, kind)
        self.donor_type.setCurrentIndex(self.donor_type.findData(DonorType.COMPANY))
        self.donor_name = QLineEdit(self)
        self.donor_id_no = QLineEdit(self)
        self.donor_id_no.setPlaceholderText(self.tr("ID number or unified social credit code (may stay empty)"))
        self.donor_contact = QLineEdit(self)
        self.publish_consent = QCheckBox(self.tr("The donor agrees to be named in public"), self)
        self.form = QComboBox(self)
        for form_kind, form_label in donation_form_labels().items():
            self.form.addItem(form_label, form_kind)
        self.form.setCurrentIndex(self.form.findData(DonationForm.GOODS))
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("In yuan, e.g. 2000 or 350.50"))
        self.items = QTableWidget(0, 7, self)
        self.items.setHorizontalHeaderLabels([
            self.tr("Goods"), self.tr("Specification"), self.tr("Quantity"), self.tr("Unit"),
            self.tr("Value per unit (yuan)"), self.tr("Valued by"), self.tr("Expiry (optional)")])
        self.items.verticalHeader().setVisible(True)
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.setMinimumHeight(150)
        self.add_item_button = QPushButton(self.tr("Add a goods line"), self)
        self.remove_item_button = QPushButton(self.tr("Remove the selected line"), self)
        self.value_label = QLabel(self)
        self.recipient_name = QLineEdit(self)
        self.recipient_name.setPlaceholderText(self.tr("The charity that legally received the money"))
        self.restricted = QCheckBox(self.tr("Restricted to a purpose"), self)
        self.purpose = QLineEdit(self)
        self.receipt_kind = QComboBox(self)
        for receipt_choice, receipt_label in receipt_kind_labels().items():
            if receipt_choice != ReceiptKind.ANONYMOUS:
                self.receipt_kind.addItem(receipt_label, receipt_choice)
        self.receipt_no = QLineEdit(self)
        self.receipt_date = QLineEdit(self)
        self.receipt_date.setPlaceholderText(self.tr("e.g. 2026-10-20 (may stay empty)"))
        self.receipt_handler = QLineEdit(self)
        self.receipt_handler.setText(ctx.actor.name)
        self.activity = QComboBox(self)
        self.activity.addItem(self.tr("Not linked to an activity"), None)
        if activity is not None:
            self.activity.addItem(self._activity_text(activity), activity.uuid)
            self.activity.setCurrentIndex(1)
            self.activity.setEnabled(False)

        self.rows: dict[str, FieldRow] = {}
        donor = QFormLayout()
        donor.addRow(self.tr("Date received"), self._row("received_on", self.received_on))
        donor.addRow(self.tr("Donor type"), self._row("donor_type", self.donor_type))
        donor.addRow(self.tr("Donor"), self._row("donor_name", self.donor_name))
        donor.addRow(self.tr("Donor's ID or code"), self._row("donor_id_no", self.donor_id_no))
        donor.addRow(self.tr("Donor's contact"), self._row("donor_contact", self.donor_contact))
        donor.addRow("", self.publish_consent)
        donor.addRow(self.tr("Linked activity"), self._row("activity_id", self.activity))
        receipt = QFormLayout()
        receipt.addRow(self.tr("Form"), self._row("form", self.form))
        self.amount_caption = QLabel(self.tr("Amount (yuan)"), self)
        receipt.addRow(self.amount_caption, self._row("amount_fen", self.amount))
        receipt.addRow(self.tr("Received by (charity)"), self._row("recipient_name", self.recipient_name))
        receipt.addRow(self.restricted, self._row("purpose", self.purpose))
        receipt.addRow(self.tr("Receipt"), self._row("receipt_kind", self.receipt_kind))
        receipt.addRow(self.tr("Receipt number"), self._row("receipt_no", self.receipt_no))
        receipt.addRow(self.tr("Receipt date"), self._row("receipt_date", self.receipt_date))
        receipt.addRow(self.tr("Handled by"), self._row("receipt_handler", self.receipt_handler))
        columns = QHBoxLayout()
        columns.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns.addLayout(donor, 1)
        columns.addSpacing(12)
        columns.addLayout(receipt, 1)

        self.goods_box = QWidget(self)
        goods_layout = QVBoxLayout(self.goods_box)
        goods_layout.setContentsMargins(0, 0, 0, 0)
        goods_title = QLabel(self.tr("Goods received"), self.goods_box)
        goods_title.setObjectName("sectionTitle")
        goods_buttons = QHBoxLayout()
        goods_buttons.addWidget(self.add_item_button)
        goods_buttons.addWidget(self.remove_item_button)
        goods_buttons.addStretch(1)
        goods_buttons.addWidget(self.value_label)
        goods_layout.addWidget(goods_title)
        goods_layout.addWidget(self._row("items", self.items))
        goods_layout.addLayout(goods_buttons)

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
        fields.addWidget(self.goods_box)
        fields.addWidget(self.form_error)
        fields.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(*fitting_size(DONATION_SIZE, self))

        self.add_item_button.clicked.connect(lambda: self.add_item())
        self.remove_item_button.clicked.connect(self._remove_item)
        self.items.itemChanged.connect(lambda _item: self._show_value())
        self.form.currentIndexChanged.connect(self._form_changed)
        self.donor_type.currentIndexChanged.connect(self._donor_changed)
        self.restricted.toggled.connect(self.purpose.setEnabled)
        self.purpose.setEnabled(False)
        self.add_item()
        self._form_changed()
        if activity is None:
            self.save_button.setEnabled(False)
            ctx.reader.run(load_donation_choices, ctx.db, ctx.actor, on_done=self._fill_choices, parent=self)
        else:
            self.ready.emit()

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, activity: ActivityView | None = None) -> DonationView | None:
        """Show the form modally; the recorded donation, or ``None`` if cancelled."""
        dialog = cls(ctx, parent, activity=activity)
        dialog.exec()
        return dialog.saved

    # -- goods lines -----------------------------------------------------------------------

    def add_item(self, name: str = "", quantity: int | None = None, unit: str = "", value: str = "",
                 spec: str = "", basis: str = "") -> int:
        """Add a goods line (pre-filled if given); its row number."""
        row = self.items.rowCount()
        self.items.blockSignals(True)
        self.items.insertRow(row)
        texts = {ITEM_NAME: name, ITEM_SPEC: spec, ITEM_QUANTITY: "" if quantity is None else str(quantity),
                 ITEM_UNIT: unit or self.tr("piece"), ITEM_VALUE: value, ITEM_BASIS: basis, ITEM_EXPIRY: ""}
        for column, text in texts.items():
            self.items.setItem(row, column, QTableWidgetItem(text))
        self.items.blockSignals(False)
        self._show_value()
        return row

    def _remove_item(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)
            self._show_value()

    def _cell(self, row: int, column: int) -> str:
        item = self.items.item(row, column)
        return item.text().strip() if item is not None else ""

    def _item_lines(self) -> tuple[tuple[DonationItemInput, ...], dict[str, str]]:
        """The goods lines typed, and what is wrong with them as the form sees it."""
        lines: list[DonationItemInput] = []
        problems: list[str] = []
        for row in range(self.items.rowCount()):
            texts = [self._cell(row, c) for c in range(7)]
            if not any(texts[c] for c in (ITEM_NAME, ITEM_SPEC, ITEM_QUANTITY, ITEM_VALUE, ITEM_EXPIRY)):
                continue  # an untouched line
            said: list[str] = []
            try:
                quantity = int(texts[ITEM_QUANTITY]) if texts[ITEM_QUANTITY] else 0
            except ValueError:
                said.append(self.tr("type the quantity as a whole number"))
                quantity = 0
            value: int | None = None
            try:
                value = parse_yuan(texts[ITEM_VALUE])
                if value is None:
                    said.append(self.tr("fill in the value per unit in yuan (an estimate at market price is "
                                        "fine)"))
            except ValueError:
                said.append(self.tr("type the value per unit in yuan, like 60 or 12.50"))
            expiry: date | None = None
            if texts[ITEM_EXPIRY]:
                try:
                    expiry = date.fromisoformat(texts[ITEM_EXPIRY])
                except ValueError:
                    said.append(self.tr("type the expiry date like 2026-12-31"))
            if said:
                problems.append(self.tr("Line {number}: {text}.").format(number=row + 1, text="; ".join(said)))
            lines.append(DonationItemInput(name=texts[ITEM_NAME], quantity=quantity, unit=texts[ITEM_UNIT],
                                           spec=texts[ITEM_SPEC], unit_value_fen=value or 0,
                                           valuation_basis=texts[ITEM_BASIS], expiry=expiry))
        return tuple(lines), ({"items": "\n".join(problems)} if problems else {})

    def _show_value(self) -> None:
        total = 0
        for row in range(self.items.rowCount()):
            try:
                total += int(self._cell(row, ITEM_QUANTITY) or 0) * (parse_yuan(self._cell(row, ITEM_VALUE)) or 0)
            except ValueError:
                continue
        self.value_label.setText(self.tr("Total value: {amount} yuan").format(amount=yuan(total)))

    # -- the form --------------------------------------------------------------------------

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def donation_input(self) -> tuple[DonationInput, dict[str, str]]:
        """The form as the service's input, and the problems the form itself found."""
        problems: dict[str, str] = {}
        form: DonationForm = self.form.currentData()
        amount = 0
        if form == DonationForm.MONEY:
            try:
                amount = parse_yuan(self.amount.text()) or 0
            except ValueError:
                problems["amount_fen"] = self.tr("Type the amount in yuan, like 2000 or 350.50.")
        items: tuple[DonationItemInput, ...] = ()
        if form == DonationForm.GOODS:
            items, item_problems = self._item_lines()
            problems.update(item_problems)
        receipt_date: date | None = None
        if self.receipt_date.text().strip():
            try:
                receipt_date = date.fromisoformat(self.receipt_date.text().strip())
            except ValueError:
                problems["receipt_date"] = messages.message_for(ValidationError("date.format"))
        data = DonationInput(
            received_on=pydate(self.received_on.date()),
            donor_type=self.donor_type.currentData(),
            form=form,
            donor_name=self.donor_name.text(),
            donor_id_no=self.donor_id_no.text(),
            donor_contact=self.donor_contact.text(),
            publish_consent=self.publish_consent.isChecked(),
            amount_fen=amount,
            items=items,
            restricted=self.restricted.isChecked(),
            purpose=self.purpose.text() if self.restricted.isChecked() else "",
            recipient_name=self.recipient_name.text(),
            receipt_kind=self.receipt_kind.currentData(),
            receipt_no=self.receipt_no.text(),
            receipt_date=receipt_date,
            receipt_handler=self.receipt_handler.text(),
            activity_id=self.activity.currentData(),
        )
        return data, problems

    def validate(self) -> DonationInput | None:
        """Check the form; show errors under their fields; the input if valid."""
        data, found = self.donation_input()
        try:
            clean_donation(data, today=self._today)
        except WusheError as exc:
            for name, text in line_errors(exc, set(self.rows), "items").items():
                if name == "items" and name in found:
                    found[name] = f"{found[name]}\n{text}"  # problems of other lines
                else:
                    found.setdefault(name, text)  # the form's own finding says more
        self._show_errors(found)
        return None if found else data

    def save(self) -> None:
        """Validate, then record the donation on the writer worker."""
        data = self.validate()
        if data is None:
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        self._ctx.writer.run(record_donation, self._ctx.db, self._ctx.actor, data,
                             on_done=self._saved, on_error=self._refused, parent=self)

    def _show_errors(self, found: dict[str, str]) -> None:
        for name, row in self.rows.items():
            row.set_error(found.get(name, ""))
        leftover = [text for name, text in found.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))
        for name in ("received_on", "donor_name", "donor_id_no", "amount_fen", "items", "recipient_name",
                     "purpose", "receipt_no", "receipt_date", "receipt_handler"):
            if name in found:
                self.rows[name].field.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def _saved(self, donation: DonationView) -> None:
        self.saved = donation
        self._ctx.events.changed.emit("resources")
        if donation.activity_id is not None:
            self._ctx.events.changed.emit("activities")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError):
            self._show_errors(line_errors(error, set(self.rows), "items"))
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def _row(self, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        return row

    def _activity_text(self, activity: ActivityView) -> str:
        return self.tr("{date} {title}").format(date=activity.start_date.isoformat(), title=activity.title)

    def _fill_choices(self, choices: DonationChoices) -> None:
        for activity in choices.activities:
            self.activity.addItem(self._activity_text(activity), activity.uuid)
        self.save_button.setEnabled(True)
        self.ready.emit()

    def _form_changed(self) -> None:
        form = self.form.currentData()
        money = form == DonationForm.MONEY
        self.amount_caption.setVisible(money)
        self.rows["amount_fen"].setVisible(money)
        self.goods_box.setVisible(form == DonationForm.GOODS)

    def _donor_changed(self) -> None:
        anonymous = self.donor_type.currentData() == DonorType.ANONYMOUS
        self.donor_name.setEnabled(not anonymous)
        self.publish_consent.setEnabled(not anonymous)
        self.receipt_kind.setEnabled(not anonymous)
        if anonymous:
            self.donor_name.clear()
            self.publish_consent.setChecked(False)


# ---------------------------------------------------------------------------
# Distribution
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionChoices:
    """What the distribution form offers: donations with stock, recent activities."""

    donations: tuple[DonationView, ...]
    activities: tuple[ActivityView, ...]


def load_distribution_choices(db: Any, actor: Actor) -> DistributionChoices:
    """Donations with something left and recent activities (reader worker)."""
    return DistributionChoices(tuple(list_donations(db, actor, in_stock=True)),
                               tuple(list_activities(db, actor)[:ACTIVITY_CHOICES]))


class DistributionDialog(QDialog):
    """The form that records money or goods handed out to a person or used in an activity.

    Signals:
        ready(): the choices arrived; the form can be filled.
        save_failed(): saving was refused (the errors are shown).
    """

    ready = Signal()
    save_failed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today or date.today()
        self._person: PersonView | None = None
        self.saved: DistributionView | None = None
        self.setWindowTitle(self.tr("Record a distribution"))

        self.donation = QComboBox(self)
        self.item = QComboBox(self)
        self.quantity = QSpinBox(self)
        self.quantity.setRange(0, 1_000_000)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("In yuan"))
        self.left_label = QLabel(self)
        self.distributed_on = date_edit(self, self._today)
        self.to_person = QRadioButton(self.tr("A person served"), self)
        self.to_activity = QRadioButton(self.tr("Used in an activity"), self)
        self.to_person.setChecked(True)
        group = QButtonGroup(self)  # the two choices sit in different rows
        group.addButton(self.to_person)
        group.addButton(self.to_activity)
        self.person_label = QLabel(self.tr("None chosen"), self)
        self.person_button = QPushButton(self.tr("Choose…"), self)
        self.activity = QComboBox(self)
        self.handler = QLineEdit(self)
        self.handler.setText(ctx.actor.name)
        self.signed = QCheckBox(self.tr("The receiver signed for it"), self)
        self.notes = QLineEdit(self)

        self.rows: dict[str, FieldRow] = {}
        person_box = QWidget(self)
        person_layout = QHBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.to_person)
        person_layout.addWidget(self.person_label, 1)
        person_layout.addWidget(self.person_button)
        activity_box = QWidget(self)
        activity_layout = QHBoxLayout(activity_box)
        activity_layout.setContentsMargins(0, 0, 0, 0)
        activity_layout.addWidget(self.to_activity)
        activity_layout.addWidget(self.activity, 1)
        form = QFormLayout()
        form.addRow(self.tr("From donation"), self._row("donation_id", self.donation))
        self.item_caption = QLabel(self.tr("Goods"), self)
        form.addRow(self.item_caption, self._row("item_id", self.item))
        self.quantity_caption = QLabel(self.tr("Quantity"), self)
        form.addRow(self.quantity_caption, self._row("quantity", self.quantity))
        self.amount_caption = QLabel(self.tr("Amount (yuan)"), self)
        form.addRow(self.amount_caption, self._row("amount_fen", self.amount))
        form.addRow("", self.left_label)
        form.addRow(self.tr("Date"), self._row("distributed_on", self.distributed_on))
        form.addRow(self.tr("Given to"), self._row("person_id", person_box))
        form.addRow("", self._row("activity_id", activity_box))
        form.addRow(self.tr("Handled by"), self._row("handler", self.handler))
        form.addRow("", self.signed)
        form.addRow(self.tr("Notes"), self._row("notes", self.notes))

        self.form_error = QLabel(self)
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #b3261e;")
        self.form_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(*fitting_size(DISTRIBUTION_SIZE, self))

        self.save_button.setEnabled(False)
        self.donation.currentIndexChanged.connect(self._donation_changed)
        self.item.currentIndexChanged.connect(self._show_left)
        self.person_button.clicked.connect(self._choose_person)
        self.to_person.toggled.connect(self._target_changed)
        self._target_changed()
        ctx.reader.run(load_distribution_choices, ctx.db, ctx.actor, on_done=self._fill_choices, parent=self)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext) -> DistributionView | None:
        """Show the form modally; the distribution recorded, or ``None`` if cancelled."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.saved

    def errors(self) -> dict[str, str]:
        """The error line shown under each field (empty ones left out)."""
        return {name: row.error.text() for name, row in self.rows.items() if row.error.isVisible()}

    def set_person(self, person: PersonView) -> None:
        """The person who receives it."""
        self._person = person
        self.person_label.setText(person.name)
        self.to_person.setChecked(True)

    def choose_donation(self, donation_id: UUID) -> None:
        """Select a donation among the choices."""
        for index in range(self.donation.count()):
            if self.donation.itemData(index).uuid == donation_id:
                self.donation.setCurrentIndex(index)
                return

    def distribution_input(self) -> tuple[DistributionInput | None, dict[str, str]]:
        """The form as the service's input (``None`` without a donation), and the
        problems the form itself found."""
        donation: DonationView | None = self.donation.currentData()
        problems: dict[str, str] = {}
        if donation is None:
            problems["donation_id"] = self.tr("There is nothing left to hand out: record a donation first.")
            return None, problems
        amount = 0
        if donation.form == DonationForm.MONEY:
            try:
                amount = parse_yuan(self.amount.text()) or 0
            except ValueError:
                problems["amount_fen"] = self.tr("Type the amount in yuan, like 2000 or 350.50.")
        to_person = self.to_person.isChecked()
        data = DistributionInput(
            donation_id=donation.uuid, distributed_on=pydate(self.distributed_on.date()),
            handler=self.handler.text(),
            item_id=self.item.currentData() if donation.form == DonationForm.GOODS else None,
            quantity=self.quantity.value() if donation.form == DonationForm.GOODS else 0,
            amount_fen=amount,
            person_id=self._person.uuid if to_person and self._person is not None else None,
            activity_id=self.activity.currentData() if not to_person else None,
            signed=self.signed.isChecked(), notes=self.notes.text())
        return data, problems

    def save(self) -> None:
        """Record the distribution on the writer worker; errors under their fields."""
        data, problems = self.distribution_input()
        self._show_errors(problems)
        if data is None or problems:
            self.save_failed.emit()
            return
        self.save_button.setEnabled(False)
        self._ctx.writer.run(distribute, self._ctx.db, self._ctx.actor, data,
                             on_done=self._saved, on_error=self._refused, parent=self)

    def _show_errors(self, found: dict[str, str]) -> None:
        for name, row in self.rows.items():
            row.set_error(found.get(name, ""))
        leftover = [text for name, text in found.items() if name not in self.rows]
        self.form_error.setText("\n".join(leftover))
        self.form_error.setVisible(bool(leftover))

    def _saved(self, view: DistributionView) -> None:
        self.saved = view
        self._ctx.events.changed.emit("resources")
        if view.activity_id is not None:
            self._ctx.events.changed.emit("activities")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError):
            found = messages.field_errors(error)
            self._show_errors({("" if k not in self.rows else k): v for k, v in found.items()})
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def _row(self, name: str, field: QWidget) -> FieldRow:
        row = FieldRow(field, self)
        self.rows[name] = row
        return row

    def _fill_choices(self, choices: DistributionChoices) -> None:
        forms = donation_form_labels()
        for donation in choices.donations:
            donor = donation.donor_name or donor_type_labels()[DonorType.ANONYMOUS]
            self.donation.addItem(self.tr("{no} · {donor} · {form}").format(
                no=donation.ledger_no, donor=donor, form=forms[donation.form]), donation)
        for activity in choices.activities:
            self.activity.addItem(self.tr("{date} {title}").format(
                date=activity.start_date.isoformat(), title=activity.title), activity.uuid)
        self._donation_changed()
        self.save_button.setEnabled(True)
        self.ready.emit()

    def _donation_changed(self) -> None:
        donation: DonationView | None = self.donation.currentData()
        goods = donation is not None and donation.form == DonationForm.GOODS
        self.item.clear()
        if donation is not None and goods:
            for item in donation.items:
                if item.remaining > 0:
                    text = self.tr("{name} {spec}").format(name=item.name, spec=item.spec).strip()
                    self.item.addItem(text, item.uuid)
        for widget in (self.item_caption, self.rows["item_id"], self.quantity_caption, self.rows["quantity"]):
            widget.setVisible(goods)
        for widget in (self.amount_caption, self.rows["amount_fen"]):
            widget.setVisible(not goods)
        self._show_left()

    def _show_left(self) -> None:
        donation: DonationView | None = self.donation.currentData()
        if donation is None:
            self.left_label.setText("")
        elif donation.form == DonationForm.GOODS:
            item_id = self.item.currentData()
            item = next((i for i in donation.items if i.uuid == item_id), None)
            self.left_label.setText("" if item is None else self.tr("Left: {count} {unit}").format(
                count=item.remaining, unit=item.unit))
        else:
            self.left_label.setText(self.tr("Left: {amount} yuan").format(amount=yuan(donation.remaining_fen)))

    def _target_changed(self) -> None:
        to_person = self.to_person.isChecked()
        self.person_button.setEnabled(to_person)
        self.activity.setEnabled(not to_person)

    def _choose_person(self) -> None:
        person = PersonPicker.ask(self, self._ctx)
        if person is not None:
            self.set_person(person)
