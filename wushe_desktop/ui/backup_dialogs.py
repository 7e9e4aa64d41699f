"""Backups from the GUI: 备份到… (an encrypted copy on a USB stick), 从备份恢复…, and the
automatic copies taken on close and once a day.

- :class:`BackupDialog` — choose a folder (a USB stick), type the recovery passphrase;
  ``services.backup.backup_now`` writes an encrypted ``.wbak`` there on the writer.
- :class:`RestoreDialog` — choose a backup file; what it holds (station, date) is shown
  (``inspect_backup``); the passphrase is checked against the backup before anything is
  closed; then the caller restores (start-up closes the database first, runs
  ``services.backup.restore`` and opens the restored database, with a new login).
- :class:`ChangePassphraseDialog` — 更改恢复口令…: a new recovery passphrase, typed twice
  (``services.backup.set_recovery_passphrase`` judges it), then a new recovery sheet.
- :func:`take_automatic_backup` — the day's automatic copy on the writer; a failure is
  logged, never shown (closing must not hang on it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.errors import WusheError
from wushe_desktop.services.backup import (
    BACKUP_SUFFIX,
    BackupInfo,
    BackupResult,
    RestoreResult,
    automatic_backup,
    backup_now,
    inspect_backup,
    restore,
    set_recovery_passphrase,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.recovery import check_backup_passphrase, print_recovery_sheet
from wushe_desktop.services.station import MIN_PASSPHRASE_LENGTH
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import RestartRequest, UiContext
from wushe_desktop.ui.fields import error_label
from wushe_desktop.ui.login_dialog import password_field
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.worker import Job, Worker

log = logging.getLogger("wushe_desktop.ui.backup")


def take_automatic_backup(ctx: UiContext) -> Job | None:
    """Queue the day's automatic copy on the writer (close, and once a day).

    Errors are logged only: a failed automatic copy must never stop the window closing.
    """
    def failed(error: BaseException) -> None:
        log.warning("automatic backup failed: %r", error)

    try:
        return ctx.writer.run(automatic_backup, ctx.db, on_error=failed)
    except RuntimeError:  # the worker is already shut down
        return None


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def describe_backup_time(created_at: str) -> str:
    """A backup's time as people read it (local time), or "" if unknown."""
    if not created_at:
        return ""
    try:
        return datetime.fromisoformat(created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return created_at


class BackupDialog(QDialog):
    """备份到…: an encrypted backup into a chosen folder (a USB stick)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._job: Job | None = None
        self.result_backup: BackupResult | None = None
        self.setWindowTitle(self.tr("Back up to…"))
        intro = QLabel(self.tr("Writes an encrypted copy of all the station's data into a folder you choose, "
                               "best on a USB stick kept away from this PC. It is locked with the recovery "
                               "passphrase on the recovery sheet."), self)
        intro.setWordWrap(True)
        self.folder = QLineEdit(folder, self)
        choose = QPushButton(self.tr("Choose folder…"), self)
        choose.clicked.connect(self.choose_folder)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        self.passphrase = password_field(self)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), where)
        form.addRow(self.tr("Recovery passphrase"), self.passphrase)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton(self.tr("Back up now"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def choose_folder(self) -> None:
        """Pick the folder (a USB stick)."""
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder for the backup"),
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def say(self, text: str) -> None:
        """A sentence under the fields."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def start(self) -> None:
        """Write the backup (writer worker)."""
        if self._job is not None:
            return
        folder = Path(self.folder.text().strip()) if self.folder.text().strip() else None
        if folder is None or not folder.is_dir():
            self.say(self.tr("Choose a folder that exists, for example the USB stick."))
            return
        if not self.passphrase.text():
            self.say(messages.message_for(WusheError("passphrase.missing")))
            return
        self.say("")
        self.buttons.setEnabled(False)
        self._job = self.ctx.writer.run(backup_now, self.ctx.db, self.ctx.actor, folder, self.passphrase.text(),
                                        on_done=self._done, on_error=self._failed, parent=self,
                                        progress_label=self.tr("Writing the encrypted backup…"))

    def _done(self, result: BackupResult) -> None:
        self._job = None
        self.result_backup = result
        self.buttons.setEnabled(True)
        messages.inform(self, self.tr("Back up to…"),
                        self.tr("The backup is written: {path} ({size}). Keep the USB stick away from this PC.")
                        .format(path=str(result.path), size=_size_text(result.size)))
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


@dataclass(frozen=True)
class RestoreChoice:
    """What the user chose in :class:`RestoreDialog`."""

    backup: Path
    passphrase: str | None
    info: BackupInfo


class RestoreDialog(QDialog):
    """从备份恢复…: choose a backup, see what it holds, type the passphrase.

    Accepted once the passphrase opens the backup and the user confirmed;
    :attr:`choice` then holds the file and passphrase for the caller to restore.

    Signals:
        inspected(object): the chosen file was read (its :class:`BackupInfo`).
    """

    inspected = Signal(object)

    def __init__(self, worker: Worker, parent: QWidget | None = None, *, current_code: str | None = None,
                 start_folder: str = "") -> None:
        super().__init__(parent)
        self._worker = worker
        self._current_code = current_code
        self._start_folder = start_folder
        self._job: Job | None = None
        self.info: BackupInfo | None = None
        self.choice: RestoreChoice | None = None
        self.setWindowTitle(self.tr("Restore from a backup"))
        intro = QLabel(self.tr("Choose the backup file (.wbak, usually on the backup USB stick). The data on this "
                               "PC is replaced by the backup's; the current database is kept aside in the "
                               "backups folder first."), self)
        intro.setWordWrap(True)
        self.file = QLineEdit(self)
        self.file.setReadOnly(True)
        choose = QPushButton(self.tr("Choose backup file…"), self)
        choose.clicked.connect(self.choose_file)
        where = QHBoxLayout()
        where.addWidget(self.file, 1)
        where.addWidget(choose)
        self.station = QLabel("", self)
        self.taken = QLabel("", self)
        self.kind = QLabel("", self)
        self.passphrase = password_field(self)
        self.passphrase.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.tr("Backup file"), where)
        form.addRow(self.tr("Station"), self.station)
        form.addRow(self.tr("Taken on"), self.taken)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Recovery passphrase"), self.passphrase)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(self.tr("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

    def say(self, text: str) -> None:
        """A sentence under the fields."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def choose_file(self) -> None:
        """Pick the backup file."""
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the backup file"), self._start_folder,
            self.tr("Wushe backups (*{suffix} *.sqlite3);;All files (*)").format(suffix=BACKUP_SUFFIX))
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        """Read what a backup file holds (worker)."""
        self.file.setText(str(path))
        self.info = None
        self.restore_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        for label in (self.station, self.taken, self.kind):
            label.setText("")
        self.say("")
        self._worker.run(inspect_backup, path, on_done=lambda info: self._inspected(path, info),
                         on_error=self._failed, parent=self)

    def _inspected(self, path: Path, info: BackupInfo) -> None:
        if Path(self.file.text()) != path:
            return  # another file was chosen meanwhile
        self.info = info
        self.station.setText(self.tr("{name} ({code})").format(name=info.station_name, code=info.station_code))
        self.taken.setText(describe_backup_time(info.created_at) or self.tr("(an automatic copy; see the file's date)"))
        self.kind.setText(self.tr("Encrypted backup") if info.encrypted else self.tr("Automatic copy (not encrypted)"))
        self.passphrase.setEnabled(info.encrypted)
        self.restore_button.setEnabled(True)
        if self._current_code and info.station_code != self._current_code:
            self.say(messages.message_for(WusheError("backup.other_station", backup=info.station_code,
                                                     current=self._current_code)))
            self.restore_button.setEnabled(False)
        elif info.encrypted:
            self.passphrase.setFocus()
        self.inspected.emit(info)

    def go(self) -> None:
        """Check the passphrase against the backup (worker), then confirm."""
        if self.info is None or self._job is not None:
            return
        path = Path(self.file.text())
        secret = self.passphrase.text() if self.info.encrypted else ""
        self.say("")
        self.buttons.setEnabled(False)
        if self.info.encrypted:
            self._job = self._worker.run(check_backup_passphrase, path, secret,
                                         on_done=lambda _r: self._checked(path, secret), on_error=self._failed,
                                         parent=self, progress_label=self.tr("Checking the passphrase…"))
        else:
            self._checked(path, "")

    def _checked(self, path: Path, secret: str) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        assert self.info is not None
        taken = describe_backup_time(self.info.created_at) or path.name
        if not messages.confirm(self, self.tr("Restore from a backup"),
                                self.tr("Replace the data on this PC with the backup of {name} taken {taken}? "
                                        "Everything recorded after the backup is no longer in the program (the "
                                        "current database is kept aside in the backups folder).").format(
                                    name=self.info.station_name, taken=taken),
                                self.tr("Restore"), self.tr("Cancel")):
            return
        self.choice = RestoreChoice(path, secret or None, self.info)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        if isinstance(error, WusheError):
            self.say(messages.message_for(error))
            if error.code == "backup.wrong_passphrase":
                self.passphrase.clear()
                self.passphrase.setFocus()
        else:
            messages.show_error(self, error)

    def reject(self) -> None:
        if self._job is None:
            super().reject()


class RecoverySheetDialog(QDialog):
    """打印数据恢复单…: leave the passphrase box blank (written by hand) or print it on the sheet."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, passphrase: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._job: Job | None = None
        self.setWindowTitle(self.tr("Print the recovery sheet"))
        intro = QLabel(self.tr("The recovery sheet says where the backups are and how to bring the station back "
                               "on a new PC. Print it, write the recovery passphrase in its box by hand, sign it "
                               "and lock it in the station's safe."), self)
        intro.setWordWrap(True)
        self.blank = QRadioButton(self.tr("Leave the passphrase box blank (write it by hand; safer)"), self)
        self.printed = QRadioButton(self.tr("Print the passphrase on the sheet"), self)
        self.blank.setChecked(not passphrase)
        self.printed.setChecked(bool(passphrase))
        self.passphrase = password_field(self)
        self.passphrase.setText(passphrase)
        self.passphrase.setPlaceholderText(self.tr("The recovery passphrase, to print it"))
        self.passphrase.setEnabled(bool(passphrase))
        self.printed.toggled.connect(self.passphrase.setEnabled)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.tr("Preview and print…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.blank)
        layout.addWidget(self.printed)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def go(self) -> None:
        """Check the passphrase (if it is to be printed), then show the preview."""
        secret = self.passphrase.text() if self.printed.isChecked() else ""
        if self.printed.isChecked() and not secret:
            self.error.setText(messages.message_for(WusheError("passphrase.missing")))
            self.error.show()
            return
        show_recovery_sheet(self.parentWidget() or self, self.ctx, secret or None, on_error=self._failed)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        parent = self.parentWidget()
        messages.show_error(parent, error)


class ChangePassphraseDialog(QDialog):
    """更改恢复口令…: choose a new recovery passphrase (the station head only).

    The old passphrase is not asked for (it may be lost). The service judges the new one
    (too short: its sentence appears under the field). Once changed, the dialog offers
    to print a new recovery sheet.

    Signals:
        changed(): the new passphrase is stored.
    """

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._job: Job | None = None
        self.sheet_dialog: RecoverySheetDialog | None = None
        self.setWindowTitle(self.tr("Change the recovery passphrase"))
        intro = QLabel(self.tr("The recovery passphrase locks the backups that leave this PC (Back up to…) and "
                               "lets the station head set a new password when theirs is forgotten. Choose a new "
                               "one when the old one is lost or someone else may know it."), self)
        intro.setWordWrap(True)
        self.warning = QLabel(self.tr("Backups made before stay locked with the OLD passphrase: they open only with "
                                      "it. Keep the old recovery sheet as long as you keep those backups, and make "
                                      "a new backup right after the change."), self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.new = password_field(self)
        self.again = password_field(self)
        self.new_error = error_label(self)
        self.again_error = error_label(self)
        hint = QLabel(self.tr("At least {count} characters. A short sentence is easier to remember than a jumble "
                              "of letters.").format(count=MIN_PASSPHRASE_LENGTH), self)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("New recovery passphrase"), self.new)
        form.addRow("", self.new_error)
        form.addRow(self.tr("New passphrase again"), self.again)
        form.addRow("", self.again_error)
        form.addRow("", hint)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Change the passphrase"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.new.setFocus()

    def _say(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def change(self) -> None:
        """Store the new passphrase (writer worker) once both boxes agree."""
        if self._job is not None:
            return
        for label in (self.new_error, self.again_error, self.error):
            self._say(label, "")
        secret = self.new.text()
        if not secret:
            self._say(self.new_error, self.tr("Type the new recovery passphrase."))
            self.new.setFocus()
            return
        if self.again.text() != secret:
            self._say(self.again_error, messages.message_for(WusheError("passphrase.mismatch")))
            self.again.clear()
            self.again.setFocus()
            return
        self.buttons.setEnabled(False)
        self._job = self.ctx.writer.run(set_recovery_passphrase, self.ctx.db, self.ctx.actor, secret,
                                        on_done=self._done, on_error=self._failed, parent=self,
                                        progress_label=self.tr("Storing the new passphrase…"))

    def _done(self, _result: object) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.ctx.events.changed.emit("settings")
        self.changed.emit()
        self.accept()
        parent = self.parentWidget()
        if messages.confirm(parent, self.tr("Change the recovery passphrase"),
                            self.tr("The recovery passphrase is changed. Print a new recovery sheet now, write the "
                                    "new passphrase on it and lock it in the safe?"),
                            self.tr("Print the recovery sheet…"), self.tr("Later")):
            self.sheet_dialog = RecoverySheetDialog(self.ctx, parent)
            self.sheet_dialog.open()

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        if isinstance(error, WusheError):
            on_field = error.field == "passphrase"
            self._say(self.new_error if on_field else self.error, messages.message_for(error))
            if on_field:
                self.again.clear()
                self.new.selectAll()
                self.new.setFocus()
        else:
            messages.show_error(self, error)

    def reject(self) -> None:
        if self._job is None:
            super().reject()


def show_recovery_sheet(parent: QWidget, ctx: UiContext, passphrase: str | None, *,
                        on_error: Any = None, on_shown: Any = None) -> None:
    """Build the recovery sheet (writer: the print is audited) and preview it."""
    title = QCoreApplication.translate("RecoverySheetDialog", "Recovery sheet")

    def build() -> bytes:
        return print_recovery_sheet(ctx.db, ctx.actor, passphrase)

    def show(pdf: bytes) -> None:
        dialog = PdfPreviewDialog(parent, title, pdf, f"{title}.pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if on_shown is not None:
            on_shown(dialog)

    ctx.writer.run(build, on_done=show, on_error=on_error, parent=parent,
                   progress_label=QCoreApplication.translate("PdfPreviewDialog", "Preparing the printout…"))


def restore_to(db_path: Path, choice: RestoreChoice, actor: Actor) -> RestoreResult:
    """Restore a chosen backup over ``db_path`` (worker; no connection may be open)."""
    return restore(Path(db_path), choice.backup, choice.passphrase, actor=actor)


def describe_restore(result: RestoreResult) -> str:
    """What the user is told once the restored database is open."""
    text = QCoreApplication.translate("RestoreDialog", "The backup of {name} is restored. The database that was replaced is kept at "
                               "{kept}.").format(name=result.station_name,
                                                 kept=str(result.kept) if result.kept else "-")
    if result.needs_new_key:
        text += "\n\n" + QCoreApplication.translate("RestoreDialog", "This PC has no signing key of the station. Before the next export, "
                                             "make a new key on the Data sync screen and read its fingerprint to "
                                             "the banner centre on the phone, so that they register it again.")
    return text


def restore_request(choice: RestoreChoice, actor: Actor) -> RestartRequest:
    """What start-up runs with the database closed: the restore, then the sentence to show."""
    def job(db_path: Path) -> RestoreResult:
        return restore_to(db_path, choice, actor)

    return RestartRequest(job, lambda result: describe_restore(result))


__all__ = [
    "BackupDialog",
    "ChangePassphraseDialog",
    "RecoverySheetDialog",
    "RestoreChoice",
    "RestoreDialog",
    "describe_backup_time",
    "describe_restore",
    "restore_request",
    "restore_to",
    "show_recovery_sheet",
    "take_automatic_backup",
]
