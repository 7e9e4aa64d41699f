"""批量打印: a month's service records or a period's volunteer certificates in one PDF.

The dialog first counts what would print (on the reader), then builds the PDF on the
writer with a progress dialog and 取消 (``services.print_batch``: a cancelled certificate
batch issues no number), then previews it with 打印/另存为 PDF.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.services.print_batch import (
    BatchPrint,
    certificate_batch_count,
    month_record_count,
    print_certificates,
    print_month_records,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.worker import Job

RECORDS, CERTIFICATES = "records", "certificates"


class BatchPrintDialog(QDialog):
    """Choose what to print in one go, see how many, then print with progress and cancel.

    Signals:
        counted(int): the number of forms the current choice prints was shown.
        previewed(object): the preview dialog was opened (with the PDF).
    """

    counted = Signal(int)
    previewed = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today or date.today()
        self._asked = 0
        self.count: int | None = None
        self.result_batch: BatchPrint | None = None
        self.preview: PdfPreviewDialog | None = None
        self.job: Job | None = None  # the batch being printed
        self.setWindowTitle(self.tr("Batch printing"))

        self.records_radio = QRadioButton(self.tr("Service records of a month (every case)"), self)
        self.certificates_radio = QRadioButton(
            self.tr("Volunteer service certificates of a period (every volunteer with confirmed hours)"), self)
        self.records_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.records_radio)
        group.addButton(self.certificates_radio)

        day = self._today
        self.month_edit = QDateEdit(QDate(day.year, day.month, 1), self)
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.from_edit = QDateEdit(QDate(day.year, 1, 1), self)
        self.to_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")

        grid = QGridLayout()
        grid.addWidget(self.records_radio, 0, 0, 1, 4)
        grid.addWidget(QLabel(self.tr("Month:"), self), 1, 1)
        grid.addWidget(self.month_edit, 1, 2)
        grid.addWidget(self.certificates_radio, 2, 0, 1, 4)
        grid.addWidget(QLabel(self.tr("From:"), self), 3, 1)
        grid.addWidget(self.from_edit, 3, 2)
        grid.addWidget(QLabel(self.tr("To:"), self), 4, 1)
        grid.addWidget(self.to_edit, 4, 2)
        grid.setColumnMinimumWidth(0, 20)
        grid.setColumnStretch(3, 1)

        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        self.count_label.setObjectName("sectionTitle")
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # room for the longest note (three lines), so the dialog never clips it
        self.note_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 4)

        self.print_button = QPushButton(self.tr("Print preview…"), self)
        self.print_button.setDefault(True)
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.start)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Close"))

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.count_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)

        for radio in (self.records_radio, self.certificates_radio):
            radio.toggled.connect(self._choice_changed)
        for edit in (self.month_edit, self.from_edit, self.to_edit):
            edit.dateChanged.connect(self.recount)
        self._choice_changed()

    # -- what is chosen ------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """``records`` or ``certificates``."""
        return RECORDS if self.records_radio.isChecked() else CERTIFICATES

    def month(self) -> date:
        """The first day of the month chosen."""
        value = self.month_edit.date().toPython()
        assert isinstance(value, date)
        return value.replace(day=1)

    def period(self) -> tuple[date, date]:
        """The period chosen for certificates (both ends included)."""
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    def _choice_changed(self) -> None:
        records = self.kind == RECORDS
        self.month_edit.setEnabled(records)
        self.from_edit.setEnabled(not records)
        self.to_edit.setEnabled(not records)
        self.recount()

    # -- counting ------------------------------------------------------------------------

    def recount(self) -> None:
        """Count what the current choice would print (on the reader)."""
        self._asked += 1
        asked = self._asked
        self.count = None
        self.print_button.setEnabled(False)
        self.count_label.setText(self.tr("Counting…"))
        self.note_label.setText("")
        ctx = self._ctx
        if self.kind == RECORDS:
            ctx.reader.run(month_record_count, ctx.db, ctx.actor, self.month(),
                           on_done=lambda found: self._show_count(asked, found), parent=self)
            return
        start, end = self.period()
        if start > end:
            self.count_label.setText(self.tr("The end of the period is before its start."))
            return
        ctx.reader.run(certificate_batch_count, ctx.db, ctx.actor, start, end,
                       on_done=lambda found: self._show_count(asked, found), parent=self)

    def _show_count(self, asked: int, found: int | tuple[int, int]) -> None:
        if asked != self._asked:  # the choice changed meanwhile
            return
        if isinstance(found, tuple):
            count, cases = found
            text = self.tr("{count} service record(s) of {cases} case(s) in {month}.").format(
                count=count, cases=cases, month=f"{self.month():%Y-%m}")
            note = self.tr("Each record prints on its own page(s), in case-number order.")
        else:
            count = found
            start, end = self.period()
            text = self.tr("{count} volunteer(s) with confirmed hours from {start} to {end}.").format(
                count=count, start=start.isoformat(), end=end.isoformat())
            note = self.tr("Each gets a numbered certificate in the register; a certificate already issued for "
                           "the same period and hours prints again marked as a copy. If you cancel, no "
                           "number is issued.")
        if count == 0:
            text = self.tr("Nothing to print in the period chosen.")
            note = ""
        self.count = count
        self.count_label.setText(text)
        self.note_label.setText(note)
        self.print_button.setEnabled(count > 0)
        self.counted.emit(count)

    # -- printing ------------------------------------------------------------------------

    def start(self) -> None:
        """Build the PDF on the writer with progress and cancel, then preview it."""
        ctx = self._ctx
        self.print_button.setEnabled(False)
        if self.kind == RECORDS:
            month = self.month()
            title = self.tr("Service records {month}").format(month=f"{month:%Y-%m}")
            name = self.tr("service-records-{month}").format(month=f"{month:%Y-%m}") + ".pdf"
            job = ctx.writer.run(print_month_records, ctx.db, ctx.actor, month,
                                 on_done=lambda b: self._done(b, title, name), on_error=self._failed, parent=self,
                                 with_progress=True, cancellable=True,
                                 progress_label=self.tr("Printing service records…"))
        else:
            start, end = self.period()
            title = self.tr("Volunteer certificates {start} to {end}").format(
                start=start.isoformat(), end=end.isoformat())
            name = self.tr("certificates-{start}-{end}").format(start=start.isoformat(), end=end.isoformat()) + ".pdf"
            job = ctx.writer.run(print_certificates, ctx.db, ctx.actor, start, end,
                                 on_done=lambda b: self._done(b, title, name), on_error=self._failed, parent=self,
                                 with_progress=True, cancellable=True,
                                 progress_label=self.tr("Printing certificates…"))
        self.job = job
        # done, failed or cancelled: the button comes back
        job.finished.connect(lambda: self.print_button.setEnabled(bool(self.count)))

    def _failed(self, error: BaseException) -> None:
        messages.show_error(self, error)

    def _done(self, batch: BatchPrint, title: str, name: str) -> None:
        self.result_batch = batch
        if batch.issued or batch.copies:
            self._ctx.events.changed.emit("volunteers")
        dialog = PdfPreviewDialog(self, title, batch.pdf, name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.destroyed.connect(self._preview_closed)
        dialog.show()
        self.previewed.emit(dialog)

    def _preview_closed(self) -> None:
        self.preview = None
