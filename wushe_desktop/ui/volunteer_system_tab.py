"""设置 → 志愿服务系统导出: the layout of the upload file for the national volunteer system.

The station cannot reach 全国志愿服务信息系统; the banner uploads a spreadsheet. Its layout
is the setting ``volunteer_system.template`` (``services.volunteer_system``): for each of
the two sheets (volunteers, service hours) a sheet name and its columns, each a header
text and the field it holds. Here the station head edits it (add, remove, move columns,
恢复默认, 保存 — checked by ``parse_template`` before it is stored) and anyone allowed to
see full ID numbers writes the file (导出到志愿服务系统表格…). Other roles see the layout
read-only and no export button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.errors import WusheError
from wushe_desktop.services.context import Actor
from wushe_desktop.services.permissions import Permission, allowed
from wushe_desktop.services.volunteer_system import (
    HOURS_FIELDS,
    VOLUNTEER_FIELDS,
    SheetTemplate,
    Template,
    VolunteerSystemExport,
    current_template,
    default_template,
    export_for_volunteer_system,
    save_template,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.worker import Job


def volunteer_field_labels() -> dict[str, str]:
    """What each field of the volunteers sheet holds, as the screen names it."""
    labels = {
        "volunteer_no": QCoreApplication.translate("VolunteerSystemTab", "Station's volunteer number"),
        "national_no": QCoreApplication.translate("VolunteerSystemTab", "Number in the national volunteer system"),
        "name": QCoreApplication.translate("VolunteerSystemTab", "Name"),
        "sex": QCoreApplication.translate("VolunteerSystemTab", "Sex (男/女)"),
        "birth_date": QCoreApplication.translate("VolunteerSystemTab", "Date of birth"),
        "id_type": QCoreApplication.translate("VolunteerSystemTab", "Kind of ID document"),
        "id_number": QCoreApplication.translate("VolunteerSystemTab", "ID number (in full)"),
        "phone": QCoreApplication.translate("VolunteerSystemTab", "Phone"),
        "address": QCoreApplication.translate("VolunteerSystemTab", "Address"),
        "political_status": QCoreApplication.translate("VolunteerSystemTab", "Political status"),
        "skills": QCoreApplication.translate("VolunteerSystemTab", "Skills"),
        "availability": QCoreApplication.translate("VolunteerSystemTab", "Times available"),
        "teams": QCoreApplication.translate("VolunteerSystemTab", "Teams (separated by 、)"),
        "registered_on": QCoreApplication.translate("VolunteerSystemTab", "Date registered at the station"),
        "insurance_policy": QCoreApplication.translate("VolunteerSystemTab", "Insurance policy number"),
        "insurance_until": QCoreApplication.translate("VolunteerSystemTab", "Insurance valid until"),
    }
    assert set(labels) == set(VOLUNTEER_FIELDS)
    return labels


def hours_field_labels() -> dict[str, str]:
    """What each field of the service-hours sheet holds, as the screen names it."""
    labels = {
        "volunteer_no": QCoreApplication.translate("VolunteerSystemTab", "Station's volunteer number"),
        "national_no": QCoreApplication.translate("VolunteerSystemTab", "Number in the national volunteer system"),
        "name": QCoreApplication.translate("VolunteerSystemTab", "Volunteer's name"),
        "id_number": QCoreApplication.translate("VolunteerSystemTab", "Volunteer's ID number (in full)"),
        "service_date": QCoreApplication.translate("VolunteerSystemTab", "Date of service"),
        "sign_in": QCoreApplication.translate("VolunteerSystemTab", "Signed in at"),
        "sign_out": QCoreApplication.translate("VolunteerSystemTab", "Signed out at"),
        "hours": QCoreApplication.translate("VolunteerSystemTab", "Hours credited (1 decimal)"),
        "place": QCoreApplication.translate("VolunteerSystemTab", "Place"),
        "content": QCoreApplication.translate("VolunteerSystemTab", "What was done"),
        "activity_no": QCoreApplication.translate("VolunteerSystemTab", "Activity number"),
        "activity_title": QCoreApplication.translate("VolunteerSystemTab", "Activity title"),
        "organiser": QCoreApplication.translate("VolunteerSystemTab", "Organising body (issuer on certificates, else the station)"),
        "evaluation": QCoreApplication.translate("VolunteerSystemTab", "Evaluation"),
        "recorded_by": QCoreApplication.translate("VolunteerSystemTab", "Recorded by"),
        "confirmed_by": QCoreApplication.translate("VolunteerSystemTab", "Confirmed by"),
        "confirmed_on": QCoreApplication.translate("VolunteerSystemTab", "Date confirmed"),
    }
    assert set(labels) == set(HOURS_FIELDS)
    return labels


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Ask where to save the Excel file (modal). Tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "Excel (*.xlsx)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


class SheetEditor(QGroupBox):
    """One sheet of the template: its name and its columns (header text + field).

    Signals:
        edited(): something was changed by the user.
    """

    edited = Signal()

    def __init__(self, title: str, labels: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.labels = dict(labels)
        self._filling = False
        self.sheet_name = QLineEdit(self)
        self.sheet_name.textEdited.connect(lambda _text: self.edited.emit())
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("VolunteerSystemTab", "Column header"), QCoreApplication.translate("VolunteerSystemTab", "Field")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(lambda _i: None if self._filling else self.edited.emit())
        self.add_button = QPushButton(QCoreApplication.translate("VolunteerSystemTab", "Add a column"), self)
        self.remove_button = QPushButton(QCoreApplication.translate("VolunteerSystemTab", "Remove"), self)
        self.up_button = QPushButton(QCoreApplication.translate("VolunteerSystemTab", "Move up"), self)
        self.down_button = QPushButton(QCoreApplication.translate("VolunteerSystemTab", "Move down"), self)
        self.add_button.clicked.connect(self.add_column)
        self.remove_button.clicked.connect(self.remove_column)
        self.up_button.clicked.connect(lambda: self.move_column(-1))
        self.down_button.clicked.connect(lambda: self.move_column(1))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("VolunteerSystemTab", "Sheet name"), self.sheet_name)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self._editable = True

    # -- contents --------------------------------------------------------------------------

    def _field_box(self, field: str) -> QComboBox:
        box = QComboBox(self.table)
        for key, label in self.labels.items():
            box.addItem(label, key)
        box.setCurrentIndex(max(0, box.findData(field)))
        box.setEnabled(self._editable)
        box.currentIndexChanged.connect(lambda _i: None if self._filling else self.edited.emit())
        return box

    def _put_row(self, row: int, header: str, field: str) -> None:
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(header))
        self.table.setCellWidget(row, 1, self._field_box(field))

    def set_sheet(self, sheet: SheetTemplate) -> None:
        """Show a sheet of a template."""
        self._filling = True
        try:
            self.sheet_name.setText(sheet.sheet)
            self.table.setRowCount(0)
            for row, (header, field) in enumerate(sheet.columns):
                self._put_row(row, header, field)
        finally:
            self._filling = False
        self.say("")

    def columns(self) -> list[tuple[str, str]]:
        """The (header, field) columns as shown."""
        found: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            box = self.table.cellWidget(row, 1)
            field = str(box.currentData()) if isinstance(box, QComboBox) else ""
            found.append(((item.text() if item is not None else "").strip(), field))
        return found

    def value(self) -> dict[str, Any]:
        """The sheet as the setting stores it."""
        return {"sheet": self.sheet_name.text().strip(), "columns": [list(c) for c in self.columns()]}

    def say(self, text: str) -> None:
        """A sentence under the sheet's table."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_editable(self, editable: bool) -> None:
        """Let the station head edit, or show read-only."""
        self._editable = editable
        self.sheet_name.setReadOnly(not editable)
        triggers = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                    | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setEditTriggers(triggers if editable else QAbstractItemView.EditTrigger.NoEditTriggers)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setVisible(editable)
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, 1)
            if box is not None:
                box.setEnabled(editable)

    # -- editing ---------------------------------------------------------------------------

    def add_column(self) -> None:
        """Add a column below the chosen one (or at the end), for a field not yet used."""
        used = {field for _h, field in self.columns()}
        field = next((key for key in self.labels if key not in used), next(iter(self.labels)))
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else self.table.rowCount()
        self._filling = True
        try:
            self._put_row(row, self.labels[field], field)
        finally:
            self._filling = False
        self.table.selectRow(row)
        self.edited.emit()

    def remove_column(self) -> None:
        """Remove the chosen column."""
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.selectRow(min(row, self.table.rowCount() - 1))
        self.edited.emit()

    def move_column(self, step: int) -> None:
        """Move the chosen column up (-1) or down (+1)."""
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        columns = self.columns()
        columns[row], columns[target] = columns[target], columns[row]
        self._filling = True
        try:
            for index in (row, target):
                header, field = columns[index]
                item = self.table.item(index, 0)
                if item is not None:
                    item.setText(header)
                box = self.table.cellWidget(index, 1)
                if isinstance(box, QComboBox):
                    box.setCurrentIndex(box.findData(field))
        finally:
            self._filling = False
        self.table.selectRow(target)
        self.edited.emit()


class VolunteerSystemTab(QWidget):
    """The settings tab 志愿服务系统导出.

    Signals:
        loaded(): the template is shown.
        saved(): the template is stored.
        exported(object): the file is written (:class:`VolunteerSystemExport`).
        message(str): a line for the status bar.
    """

    loaded = Signal()
    saved = Signal()
    exported = Signal(object)
    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.can_edit = allowed(ctx.actor.role, Permission.MANAGE_SETTINGS)
        self.can_export = (allowed(ctx.actor.role, Permission.EXPORT)
                           and allowed(ctx.actor.role, Permission.REVEAL_ID))
        self.dirty = False
        self.export_dialog: VolunteerSystemExportDialog | None = None
        intro = QLabel(self.tr("The banner uploads the station's volunteers and their confirmed hours to the "
                               "national volunteer service system (全国志愿服务信息系统) as an Excel file. Here you "
                               "set how that file looks: the name of each sheet and its columns, in order. Ask the "
                               "banner which layout they need."), self)
        intro.setWordWrap(True)
        self.volunteers = SheetEditor(self.tr("Sheet 1: volunteers"), volunteer_field_labels(), self)
        self.hours = SheetEditor(self.tr("Sheet 2: confirmed service hours"), hours_field_labels(), self)
        for editor in (self.volunteers, self.hours):
            editor.edited.connect(self._edited)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5300;")
        self.note.hide()
        self.reset_button = QPushButton(self.tr("Restore the default"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.export_button = QPushButton(self.tr("Export to the volunteer-system spreadsheet…"), self)
        self.reset_button.clicked.connect(self.restore_default)
        self.save_button.clicked.connect(lambda: self.save())
        self.export_button.clicked.connect(self.export)
        sheets = QHBoxLayout()
        sheets.addWidget(self.volunteers, 1)
        sheets.addWidget(self.hours, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sheets, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        for editor in (self.volunteers, self.hours):
            editor.set_editable(self.can_edit)
        self.reset_button.setVisible(self.can_edit)
        self.save_button.setVisible(self.can_edit)
        self.export_button.setVisible(self.can_export)
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the template in use (reader worker)."""
        self._ctx.reader.run(current_template, self._ctx.db, on_done=self._show, on_error=self._unreadable,
                             parent=self)

    def show_template(self, template: Template) -> None:
        """Put a template into both editors."""
        self.volunteers.set_sheet(template.volunteers)
        self.hours.set_sheet(template.hours)

    def _show(self, template: Template) -> None:
        self.show_template(template)
        self.dirty = False
        self._say("")
        self.loaded.emit()

    def _unreadable(self, error: BaseException) -> None:
        if not isinstance(error, WusheError):
            messages.show_error(self, error)
            return
        self.show_template(default_template())
        self.dirty = False
        self._say(self.tr("The stored layout cannot be used ({reason}). The default layout is shown; save it or "
                          "correct it.").format(reason=messages.message_for(error)))
        self.loaded.emit()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _edited(self) -> None:
        self.dirty = True

    # -- saving ----------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        """The template as shown, as the setting stores it."""
        return {"volunteers": self.volunteers.value(), "hours": self.hours.value()}

    def restore_default(self) -> None:
        """Show the default layout (stored once saved)."""
        self.show_template(default_template())
        self.dirty = True
        self._say(self.tr("The default layout is shown. Press Save to use it."))

    def _check(self) -> bool:
        ok = True
        for editor in (self.volunteers, self.hours):
            editor.say("")
            if not editor.columns():
                editor.say(self.tr("Add at least one column."))
                ok = False
            elif not editor.sheet_name.text().strip():
                editor.say(self.tr("Write the sheet's name."))
                ok = False
        return ok

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Check the layout and store it (writer worker; the service checks it again)."""
        if not self.can_edit or not self._check():
            return
        raw = self.value()

        def done(template: Template) -> None:
            self.show_template(template)
            self.dirty = False
            self._say("")
            self._ctx.events.changed.emit("settings")
            self.message.emit(self.tr("The layout of the volunteer-system file is saved."))
            self.saved.emit()
            if then is not None:
                then()

        self._ctx.writer.run(save_template, self._ctx.db, self._ctx.actor, raw, on_done=done,
                             on_error=self._refused, parent=self)

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, WusheError):
            messages.show_error(self, error)
            return
        sheet = str(error.params.get("sheet", ""))
        editor = {"volunteers": self.volunteers, "hours": self.hours}.get(sheet)
        if editor is not None:
            editor.say(messages.message_for(error))
        else:
            self._say(messages.message_for(error))

    # -- export ----------------------------------------------------------------------------

    def export(self) -> None:
        """导出到志愿服务系统表格…: save unsaved changes first (if wanted), then ask period and file."""
        if not self.can_export:
            return
        if self.dirty and self.can_edit:
            if not messages.confirm(self, self.tr("Export to the volunteer-system spreadsheet"),
                                    self.tr("The layout has changes that are not saved. Save them and export "
                                            "with the new layout?"), self.tr("Save and export"),
                                    self.tr("Cancel")):
                return
            self.save(then=self._open_export)
            return
        self._open_export()

    def _open_export(self) -> None:
        dialog = VolunteerSystemExportDialog(self._ctx, self)
        dialog.exported.connect(self.exported.emit)
        self.export_dialog = dialog
        dialog.open()


def _export_job(db: Any, actor: Actor, out: Path, date_from: date | None, date_to: date | None,
                progress: Callable[[int, int], None] | None = None) -> VolunteerSystemExport:
    return export_for_volunteer_system(db, actor, out, date_from=date_from, date_to=date_to, progress=progress)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class VolunteerSystemExportDialog(QDialog):
    """Ask the period (optional) and the file, then write the upload spreadsheet.

    Signals:
        exported(object): the file is written (:class:`VolunteerSystemExport`).
    """

    exported = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._job: Job | None = None
        self.result_export: VolunteerSystemExport | None = None
        today = today or date.today()
        self.setWindowTitle(self.tr("Export to the volunteer-system spreadsheet"))
        intro = QLabel(self.tr("Writes every registered volunteer, and the confirmed service hours, into an Excel "
                               "file laid out as set on the settings tab, for the banner to upload to the national "
                               "volunteer service system."), self)
        intro.setWordWrap(True)
        self.warning = QLabel(self.tr("The file holds the volunteers' full ID numbers. Save it only where others "
                                      "cannot read it, give it only to the person who uploads it, and delete it "
                                      "after uploading."), self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.limit = QCheckBox(self.tr("Only hours served in a period"), self)
        self.date_from = QDateEdit(_qdate(date(today.year, 1, 1)), self)
        self.date_to = QDateEdit(_qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            self.limit.toggled.connect(edit.setEnabled)
        period = QHBoxLayout()
        period.addWidget(self.limit)
        period.addWidget(QLabel(self.tr("from"), self))
        period.addWidget(self.date_from)
        period.addWidget(QLabel(self.tr("to"), self))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.file = QLineEdit(self)
        self.file.setPlaceholderText(self.tr("Where to save the Excel file"))
        choose = QPushButton(self.tr("Choose…"), self)
        choose.clicked.connect(self.choose_file)
        where = QHBoxLayout()
        where.addWidget(self.file, 1)
        where.addWidget(choose)
        form = QFormLayout()
        form.addRow(self.tr("Service hours"), period)
        form.addRow(self.tr("File"), where)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self._today = today

    def say(self, text: str) -> None:
        """A sentence under the fields."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def period(self) -> tuple[date | None, date | None]:
        """The hours' period chosen (``None``, ``None``: all)."""
        if not self.limit.isChecked():
            return None, None
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    def choose_file(self) -> bool:
        """Ask where to save; whether a file was chosen."""
        suggested = Path(self.file.text()) if self.file.text().strip() else \
            Path.home() / self.tr("volunteer-system-{day}.xlsx").format(day=self._today.isoformat())
        chosen = ask_save_path(self, self.tr("Save the volunteer-system spreadsheet"), suggested)
        if chosen is None:
            return False
        self.file.setText(str(chosen))
        return True

    def start(self) -> None:
        """Write the file (writer worker, with progress)."""
        if self._job is not None:
            return
        if not self.file.text().strip() and not self.choose_file():
            return
        path = Path(self.file.text().strip())
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
            self.file.setText(str(path))
        date_from, date_to = self.period()
        self.say("")
        self.buttons.setEnabled(False)
        self._job = self._ctx.writer.run(_export_job, self._ctx.db, self._ctx.actor, path, date_from, date_to,
                                         on_done=self._done, on_error=self._failed, parent=self,
                                         with_progress=True,
                                         progress_label=self.tr("Writing the volunteer-system spreadsheet…"))

    def _done(self, result: VolunteerSystemExport) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.result_export = result
        hours = f"{result.hours_tenths / 10:.1f}"
        messages.inform(self, self.windowTitle(), self.tr(
            "Written: {path}\n{volunteers} volunteers and {lines} lines of confirmed hours ({hours} hours).\n\nThe "
            "file holds full ID numbers: keep it safe and delete it after uploading.").format(
            path=str(result.path), volunteers=result.volunteers, lines=result.hours_lines, hours=hours))
        self.exported.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        if isinstance(error, WusheError):
            self.say(messages.message_for(error))
        else:
            messages.show_error(self, error)

    def reject(self) -> None:
        if self._job is None:
            super().reject()


__all__ = ["SheetEditor", "VolunteerSystemExportDialog", "VolunteerSystemTab", "ask_save_path",
           "hours_field_labels", "volunteer_field_labels"]
