"""The charity resources screen (慈善资源): the month's ledger and its balance.

One month at a time: what was received (money and goods, with the donor — or 匿名 —
and the receipt) and what was handed out (to a person or an activity), and the balance
of money and of goods value carried from month to month. Buttons record a donation
(Ctrl+N) or a distribution, and print the month's ledger (Ctrl+P).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import DonationForm, DonorType
from wushe_desktop.services.context import Actor
from wushe_desktop.services.printing import print_ledger
from wushe_desktop.services.resources import (
    LedgerDirection,
    LedgerLine,
    LedgerTotals,
    ledger,
    ledger_totals,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.pdf_preview import preview_pdf
from wushe_desktop.ui.resource_dialogs import (
    DistributionDialog,
    DonationDialog,
    donation_form_labels,
    donor_type_labels,
    pydate,
    qdate,
    receipt_kind_labels,
    yuan,
)

# Ledger table columns.
COLUMNS = ("date", "direction", "ledger_no", "donor", "what", "quantity", "amount", "counterpart", "receipt",
           "handler")


@dataclass(frozen=True)
class MonthLedger:
    """A month's ledger lines and balance."""

    month: date
    lines: tuple[LedgerLine, ...]
    totals: LedgerTotals


def load_month(db: Any, actor: Actor, month: date) -> MonthLedger:
    """The ledger and balance of a month (reader worker)."""
    return MonthLedger(month.replace(day=1), tuple(ledger(db, actor, month)), ledger_totals(db, actor, month))


class ResourcesPage(QWidget):
    """The charity resources ledger.

    Signals:
        loaded(): a month's ledger is shown.
        message(str): a line for the status bar.
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.reloads = ReloadWhenShown(self, ctx.events, ("resources",), self.refresh)
        self.data: MonthLedger | None = None

        heading = QLabel(self.tr("Charity resources"), self)
        heading.setObjectName("pageTitle")
        self.previous_button = QPushButton(self.tr("◀ Previous month"), self)
        self.month = QDateEdit(self)
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        self.month.setDate(qdate((today or date.today()).replace(day=1)))
        self.next_button = QPushButton(self.tr("Next month ▶"), self)
        self.donation_button = QPushButton(self.tr("Record a donation…"), self)
        self.distribution_button = QPushButton(self.tr("Record a distribution…"), self)
        self.print_button = QPushButton(self.tr("Print the month's ledger…"), self)
        self.money_label = QLabel(self)
        self.money_label.setObjectName("moneyBalance")
        self.goods_label = QLabel(self)
        self.goods_label.setObjectName("goodsBalance")
        self.count_label = QLabel(self)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("In/out"), self.tr("Ledger number"), self.tr("Donor"),
            self.tr("Money or goods"), self.tr("Quantity"), self.tr("Amount or value (yuan)"),
            self.tr("Received by / given to"), self.tr("Receipt"), self.tr("Handled by")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("counterpart"), QHeaderView.ResizeMode.Stretch)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month:"), self))
        bar.addWidget(self.previous_button)
        bar.addWidget(self.month)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.donation_button)
        bar.addWidget(self.distribution_button)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.money_label)
        layout.addWidget(self.goods_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.previous_button.clicked.connect(lambda: self.month.setDate(self.month.date().addMonths(-1)))
        self.next_button.clicked.connect(lambda: self.month.setDate(self.month.date().addMonths(1)))
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.donation_button.clicked.connect(self.new_record)
        self.distribution_button.clicked.connect(self.new_distribution)
        self.print_button.clicked.connect(self.print_page)

    # -- what the main window calls ------------------------------------------------------

    def selected_month(self) -> date:
        """The first day of the month shown."""
        return pydate(self.month.date()).replace(day=1)

    def set_month(self, month: date) -> None:
        """Show another month."""
        self.month.setDate(qdate(month.replace(day=1)))

    def new_record(self) -> bool:
        """Ctrl+N: record a donation."""
        donation = DonationDialog.ask(self, self._ctx)
        if donation is not None:
            self.message.emit(self.tr("Recorded in the ledger as {no}.").format(no=donation.ledger_no))
        return True

    def new_distribution(self) -> None:
        """Record money or goods handed out."""
        if DistributionDialog.ask(self, self._ctx) is not None:
            self.message.emit(self.tr("The distribution is recorded."))

    def print_page(self) -> None:
        """Ctrl+P: preview and print the month's ledger."""
        month = self.selected_month()
        ctx = self._ctx
        preview_pdf(self, ctx, self.tr("Charity resources ledger {month}").format(month=f"{month:%Y-%m}"),
                    lambda: print_ledger(ctx.db, ctx.actor, month),
                    self.tr("ledger-{month}").format(month=f"{month:%Y-%m}") + ".pdf")

    def refresh(self) -> None:
        """Read the month shown again."""
        self._generation += 1
        generation = self._generation
        self.reloads.stale = False
        self._ctx.reader.run(load_month, self._ctx.db, self._ctx.actor, self.selected_month(),
                             on_done=lambda data: self._show(generation, data),
                             on_error=lambda exc: self._failed(generation, exc), parent=self)

    # -- internals -------------------------------------------------------------------------

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            messages.show_error(self, error)

    def _show(self, generation: int, data: MonthLedger) -> None:
        if generation != self._generation:
            return
        self.data = data
        t = data.totals
        self.money_label.setText(self.tr(
            "Money: carried over {opening} yuan, received {received}, handed out {given}, balance {closing} "
            "yuan.").format(opening=yuan(t.money_opening), received=yuan(t.money_in), given=yuan(t.money_out),
                            closing=yuan(t.money_closing)))
        self.goods_label.setText(self.tr(
            "Goods (value): carried over {opening} yuan, received {received}, handed out {given}, in stock "
            "{closing} yuan.").format(opening=yuan(t.goods_opening), received=yuan(t.goods_in),
                                      given=yuan(t.goods_out), closing=yuan(t.goods_closing)))
        donors, forms, receipts = donor_type_labels(), donation_form_labels(), receipt_kind_labels()
        self.table.setRowCount(len(data.lines))
        for row, line in enumerate(data.lines):
            received = line.direction == LedgerDirection.IN
            donor = donors[DonorType.ANONYMOUS] if line.donor_type == DonorType.ANONYMOUS else line.donor_name
            what = forms[line.form] if line.form != DonationForm.GOODS or not line.item else \
                f"{line.item} {line.spec}".strip()
            receipt = ""
            if received:
                receipt = line.receipt_no or receipts[line.receipt_kind]
            cells = [line.on.isoformat(), self.tr("In") if received else self.tr("Out"), line.ledger_no, donor,
                     what, f"{line.quantity} {line.unit}".strip() if line.quantity else "",
                     yuan(line.amount_fen), line.counterpart, receipt, line.handler]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.count_label.setText(self.tr("No donations or distributions this month.") if not data.lines else
                                 self.tr("{count} ledger lines this month.").format(count=len(data.lines)))
        self.loaded.emit()

