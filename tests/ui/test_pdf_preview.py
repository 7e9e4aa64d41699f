"""The print preview: shows the audited printout, saves exactly those bytes, prints pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.services.printing import page_count, print_monthly_report
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog, preview_pdf, print_document


@pytest.fixture
def owner(qtbot: QtBot) -> QWidget:
    """The window the preview belongs to (kept alive by the test)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _preview(qtbot: QtBot, ctx: UiContext, parent: QWidget) -> PdfPreviewDialog:
    shown: list[PdfPreviewDialog] = []
    preview_pdf(parent, ctx, "社工站月度工作报告", lambda: print_monthly_report(ctx.db, ctx.actor, "2026-10"),
                "月度报告-2026-10.pdf", on_shown=shown.append)
    wait_idle(qtbot, ctx)
    assert len(shown) == 1
    return shown[0]


def test_preview_shows_every_page_of_the_printout(qtbot: QtBot, ctx: UiContext, owner: QWidget) -> None:
    dialog = _preview(qtbot, ctx, owner)
    assert dialog.pdf.startswith(b"%PDF")
    assert dialog.document.pageCount() == page_count(dialog.pdf) >= 1
    assert dialog.pages_label.text() == f"共 {page_count(dialog.pdf)} 页"
    assert dialog.print_button.text() == "打印(&P)…"
    dialog.close()


def test_save_as_writes_the_previewed_bytes(qtbot: QtBot, ctx: UiContext, owner: QWidget, tmp_path: Path) -> None:
    dialog = _preview(qtbot, ctx, owner)
    saved = dialog.save_as(tmp_path / "报告")
    assert saved == tmp_path / "报告.pdf"
    assert saved.read_bytes() == dialog.pdf
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]  # no temporary file left


def test_save_to_a_missing_folder_says_so_and_writes_nothing(qtbot: QtBot, ctx: UiContext, owner: QWidget, tmp_path: Path,
                                                            told: list[str]) -> None:
    dialog = _preview(qtbot, ctx, owner)
    assert dialog.save_as(tmp_path / "不存在" / "报告.pdf") is None
    assert len(told) == 1 and "无法将 PDF 保存到" in told[0]
    assert list(tmp_path.iterdir()) == []


def test_printing_renders_every_page_in_the_range(qtbot: QtBot, ctx: UiContext, owner: QWidget, tmp_path: Path) -> None:
    dialog = _preview(qtbot, ctx, owner)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(dialog.document, printer) == dialog.document.pageCount()
    assert page_count((tmp_path / "printed.pdf").read_bytes()) == dialog.document.pageCount()
