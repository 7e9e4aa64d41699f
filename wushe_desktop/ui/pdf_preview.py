"""Print preview: every printed form is shown first, then printed or saved as a PDF.

The PDF is built by a ``services.printing.print_*`` call (which writes the audit row of
the print, so it runs on the writer worker); :func:`preview_pdf` runs it and opens a
:class:`PdfPreviewDialog` on the result. The dialog shows the pages with QtPdf, prints
them on a system printer (each page rendered at the printer's resolution, within the
page range the user chose) and saves the very bytes that were previewed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext

# The preview's size on first opening (fits a 1366×768 screen).
PREVIEW_SIZE = (900, 680)
ZOOM_STEP = 1.25


def save_pdf_file(path: Path, pdf: bytes) -> None:
    """Write the PDF next to its final name first, then move it in place (no half file).

    Raises:
        OSError: the folder is not writable or the disk is full (nothing is left behind).
    """
    handle, temp = tempfile.mkstemp(prefix=".wushe-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the document's pages (the printer's page range, if one was chosen).

    Returns:
        The number of pages sent to the printer.
    """
    count = document.pageCount()
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(count, printer.toPage() or count)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        for number in range(first, last + 1):
            if printed:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            size = document.pagePointSize(number - 1).toSize()
            size.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(number - 1, QSize(size.width(), size.height()))
            painter.drawImage(0, 0, image)
            printed += 1
    finally:
        painter.end()
    return printed


class PdfPreviewDialog(QDialog):
    """Shows a PDF's pages, with 打印…, 另存为 PDF… and 关闭."""

    def __init__(self, parent: QWidget | None, title: str, pdf: bytes, suggested_name: str) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages_label = QLabel(self.tr("{count} page(s)").format(count=self.document.pageCount()), self)
        zoom_in = QPushButton(self.tr("Zoom in"), self)
        zoom_out = QPushButton(self.tr("Zoom out"), self)
        fit = QPushButton(self.tr("Fit width"), self)
        zoom_in.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        zoom_out.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        tools = QHBoxLayout()
        tools.addWidget(self.pages_label)
        tools.addStretch(1)
        for button in (zoom_out, zoom_in, fit):
            button.setAutoDefault(False)
            tools.addWidget(button)

        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(self.tr("&Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(self.tr("Save as &PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_as)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(*PREVIEW_SIZE)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def print_pages(self) -> None:
        """Ask for a printer (and a page range), then print."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setFromTo(1, self.document.pageCount())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if print_document(self.document, printer) == 0:
            messages.inform(self, self.windowTitle(), self.tr(
                "The printer could not be started. Check that it is switched on and connected, or save the "
                "form as a PDF and print that."))

    def save_as(self, path: Path | None = None) -> Path | None:
        """Save the previewed PDF (asks where, unless a path is given)."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self.suggested_name,
                                                    self.tr("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            save_pdf_file(path, self.pdf)
        except OSError as exc:
            messages.inform(self, self.windowTitle(), self.tr(
                "The PDF could not be saved to {path}: {reason}. Choose another folder (a USB stick may be "
                "full or write-protected).").format(path=str(path), reason=exc.strerror or str(exc)))
            return None
        return path


def preview_pdf(parent: QWidget, ctx: UiContext, title: str, build: Callable[[], bytes],
                suggested_name: str, on_shown: Callable[[PdfPreviewDialog], None] | None = None) -> None:
    """Build a printout on the writer worker (it audits the print), then preview it.

    Args:
        parent: The window the preview belongs to.
        ctx: The open station.
        title: The preview window's title (the form's name).
        build: Makes the PDF bytes, e.g. ``lambda: print_case_file(ctx.db, ctx.actor, no)``.
        suggested_name: The file name offered by 另存为 PDF….
        on_shown: Called with the dialog once it is shown (tests, batch printing).
    """

    def show(pdf: bytes) -> None:
        dialog = PdfPreviewDialog(parent, title, pdf, suggested_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if on_shown is not None:
            on_shown(dialog)

    ctx.writer.run(build, on_done=show, parent=parent,
                   progress_label=QCoreApplication.translate("PdfPreviewDialog", "Preparing the printout…"))
