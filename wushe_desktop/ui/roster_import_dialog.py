"""Importing a roster from Excel or WPS (导入花名册), scenario 9.

Choose the file (xlsx, or csv in UTF-8 or GB18030 as WPS saves it) and whether it lists
people served or volunteers; the preview (``services.roster_import``, a dry run on the
reader worker) shows how many rows are good and every problem of every bad row — row
number, column, and a Chinese sentence — before anything is written. Importing is all
or nothing by default; the bad rows can be left out only by ticking the box that says so.
The import runs on the writer worker with progress, and refuses a file that changed since
its preview. Importing the same file again adds only the people not yet registered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.errors import ValidationError
from wushe_desktop.services.roster_files import RosterKind
from wushe_desktop.services.roster_import import ImportReport, RowProblem, import_roster
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.person_form import fitting_size

# The size the dialog opens with, if the screen has room.
DIALOG_SIZE = (900, 620)

# Colour of a row that is only a point to check (a warning), not a problem.
WARNING_COLOUR = "#8a5300"


def ask_open_path(parent: QWidget, title: str) -> Path | None:
    """Ask which roster file to read (modal). Tests replace this function."""
    name, _ = QFileDialog.getOpenFileName(
        parent, title, str(Path.home()),
        QCoreApplication.translate("RosterImportDialog", "Rosters (*.xlsx *.xlsm *.xls *.csv);;All files (*)"))
    return Path(name) if name else None


def problem_text(problem: RowProblem) -> str:
    """The Chinese sentence for one problem of one row."""
    params: dict[str, Any] = dict(problem.params)
    return messages.message_for(ValidationError(problem.code, field=problem.field, **params))


class RosterImportDialog(QDialog):
    """Preview a roster, then import its good rows.

    Signals:
        previewed(): a preview (or an import's report) is shown.
        imported(): the import was written.
        failed(): the file could not be read or the import was refused.
    """

    previewed = Signal()
    imported = Signal()
    failed = Signal()

    def __init__(self, ctx: UiContext, kind: RosterKind = RosterKind.PEOPLE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self.imported_report: ImportReport | None = None
        self.setWindowTitle(self.tr("Import a roster from Excel"))

        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("No file chosen yet"))
        self.choose_button = QPushButton(self.tr("Choose file…"), self)
        self.people_radio = QRadioButton(self.tr("People served"), self)
        self.volunteers_radio = QRadioButton(self.tr("Volunteers"), self)
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.people_radio)
        self._kinds.addButton(self.volunteers_radio)
        (self.volunteers_radio if kind == RosterKind.VOLUNTEERS else self.people_radio).setChecked(True)
        self.preview_button = QPushButton(self.tr("Check again"), self)
        self.preview_button.setToolTip(self.tr("Read the file again, e.g. after correcting it."))
        self.preview_button.setEnabled(False)

        self.summary = QLabel(self.tr(
            "Choose the roster file. It is checked first; nothing is saved until you press Import."), self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.problems = QTableWidget(0, 3, self)
        self.problems.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"), self.tr("Problem")])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setWordWrap(True)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.skip_bad = QCheckBox(self)
        self.skip_bad.setVisible(False)
        self.decision = QLabel(self)
        self.decision.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("File"), self))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel(self.tr("The roster lists"), self))
        kind_row.addWidget(self.people_radio)
        kind_row.addWidget(self.volunteers_radio)
        kind_row.addStretch(1)
        kind_row.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(kind_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.decision)
        layout.addWidget(self.buttons)
        self.resize(*fitting_size(DIALOG_SIZE, self))

        self.choose_button.clicked.connect(self.choose_file)
        self.preview_button.clicked.connect(self.preview)
        self._kinds.buttonToggled.connect(self._kind_toggled)
        self.skip_bad.toggled.connect(lambda _c: self._update_decision())

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: UiContext, kind: RosterKind = RosterKind.PEOPLE) -> ImportReport | None:
        """Show the dialog modally; the report of the import written, or ``None``."""
        dialog = cls(ctx, kind, parent)
        dialog.exec()
        return dialog.imported_report

    @property
    def kind(self) -> RosterKind:
        """What the roster lists, as chosen."""
        return RosterKind.VOLUNTEERS if self.volunteers_radio.isChecked() else RosterKind.PEOPLE

    def choose_file(self) -> None:
        """Ask for the file, then preview it."""
        path = ask_open_path(self, self.tr("Choose the roster file"))
        if path is not None:
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        """Use this file and preview it."""
        self.path = path
        self.file_edit.setText(str(path))
        self.preview_button.setEnabled(True)
        self.preview()

    def preview(self) -> None:
        """Check the file (nothing is written) and show what importing it would do."""
        if self.path is None:
            return
        self.report = None
        self.imported_report = None
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Checking the file…"))
        self._ctx.reader.run(self._dry_run, self._ctx.db, self._ctx.actor, self.path, self.kind,
                             on_done=self._show_preview, on_error=self._refused, parent=self,
                             progress_label=self.tr("Checking the roster…"), with_progress=True)

    def run_import(self) -> None:
        """Import the good rows (and leave the bad ones out only if the box is ticked)."""
        report = self.report
        if report is None or self.path is None or not self._can_import(report):
            return
        skip = frozenset(report.blocking_rows) if self.skip_bad.isChecked() else frozenset()
        path, kind, digest = self.path, report.kind, report.file_sha256
        self.import_button.setEnabled(False)

        def job(db: Any, actor: Any, progress: Any) -> ImportReport:
            return import_roster(db, actor, path, kind, skip_rows=skip, expect_sha256=digest, progress=progress)

        self._ctx.writer.run(job, self._ctx.db, self._ctx.actor, on_done=self._show_imported,
                             on_error=self._refused, parent=self, with_progress=True,
                             progress_label=self.tr("Importing the roster…"))

    # -- internals -------------------------------------------------------------------------------

    @staticmethod
    def _dry_run(db: Any, actor: Any, path: Path, kind: RosterKind, progress: Any) -> ImportReport:
        return import_roster(db, actor, path, kind, dry_run=True, progress=progress)

    def _kind_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.preview()

    def _good_rows(self, report: ImportReport) -> int:
        return report.added + report.updated + report.unchanged

    def _bad_rows(self, report: ImportReport) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in report.problems}))

    def _can_import(self, report: ImportReport) -> bool:
        bad = self._bad_rows(report)
        return (report.added + report.updated) > 0 and (not bad or self.skip_bad.isChecked())

    def _show_preview(self, report: ImportReport) -> None:
        self.report = report
        bad = self._bad_rows(report)
        self.summary.setText(self._summary(report, bad))
        self._fill_problems(report)
        self.skip_bad.blockSignals(True)
        self.skip_bad.setChecked(False)
        self.skip_bad.blockSignals(False)
        self.skip_bad.setText(self.tr("Leave out the {count} rows with problems and import the other {good} rows")
                              .format(count=len(bad), good=self._good_rows(report)))
        self.skip_bad.setVisible(bool(bad) and self._good_rows(report) > 0)
        self._update_decision()
        self.previewed.emit()

    def _summary(self, report: ImportReport, bad: tuple[int, ...]) -> str:
        lines = [self.tr("The file has {total} rows: {good} can be imported, {bad} have problems.").format(
            total=report.total_rows, good=self._good_rows(report), bad=len(bad))]
        lines.append(self.tr("New: {added}. Already registered: {known} (not added again; {updated} of them get "
                             "changed details).").format(added=report.added, known=report.updated + report.unchanged,
                                                         updated=report.updated))
        if report.unknown_columns:
            lines.append(self.tr("Columns not used (ignored): {columns}").format(
                columns="、".join(report.unknown_columns)))
        return "\n".join(lines)

    def _fill_problems(self, report: ImportReport) -> None:
        entries = [(p, False) for p in report.problems] + [(w, True) for w in report.warnings]
        self.problems.setRowCount(len(entries))
        warning_brush = QBrush(QColor(WARNING_COLOUR))
        for i, (problem, warning) in enumerate(entries):
            text = problem_text(problem)
            if warning:
                text = self.tr("To check (does not block): {text}").format(text=text)
            cells = [QTableWidgetItem(str(problem.row)), QTableWidgetItem(problem.column), QTableWidgetItem(text)]
            cells[0].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, cell in enumerate(cells):
                if warning:
                    cell.setForeground(warning_brush)
                self.problems.setItem(i, column, cell)
        self.problems.resizeRowsToContents()

    def _update_decision(self) -> None:
        report = self.report
        if report is None:
            return
        bad = self._bad_rows(report)
        new_or_changed = report.added + report.updated
        if new_or_changed == 0 and not bad:
            text = self.tr("Everyone in this file is already registered with the same details: there is nothing "
                           "to import.")
        elif bad and not self.skip_bad.isChecked():
            text = self.tr("Nothing is saved while rows have problems. Correct them in the file and press Check "
                           "again, or tick the box to leave them out.")
        elif bad:
            text = self.tr("Import will save {good} rows; the {count} rows with problems are left out.").format(
                good=self._good_rows(report), count=len(bad))
        else:
            text = self.tr("All rows are good. Import will save them.")
        self.decision.setText(text)
        self.import_button.setEnabled(self._can_import(report))

    def _show_imported(self, report: ImportReport) -> None:
        if not report.written:
            # Someone changed the records meanwhile and rows now fail: show why.
            self._show_preview(report)
            self.failed.emit()
            return
        self.imported_report = report
        self.report = None
        self.import_button.setEnabled(False)
        self.skip_bad.setVisible(False)
        self.summary.setText(self.tr(
            "Imported. New: {added}. Already registered: {known} ({updated} of them updated). Left out: {skipped} "
            "rows.").format(added=report.added, known=report.updated + report.unchanged, updated=report.updated,
                            skipped=len(report.skipped_rows)))
        self.decision.setText(self.tr("The import is saved. Close this window to see the list."))
        self._ctx.events.changed.emit("people" if report.kind == RosterKind.PEOPLE else "volunteers")
        self.imported.emit()

    def _refused(self, error: BaseException) -> None:
        self.summary.setText(self.tr("The file could not be used."))
        self.problems.setRowCount(0)
        self.skip_bad.setVisible(False)
        self.decision.setText("")
        messages.show_error(self, error)
        self.failed.emit()
