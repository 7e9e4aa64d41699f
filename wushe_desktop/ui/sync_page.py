"""The 数据同步 screen (station mode): bundles to the banner centre and receipts back.

What it shows comes from ``services.export.sync_status`` and ``export_log``: the last
export, the newest receipt, how many rows the centre has not acknowledged yet, and one
plain sentence saying what to do next (green once the centre holds everything). What it
does goes through the services the command line uses: ``export_bundle`` (on the writer
worker, with progress and Cancel: the service writes under a temporary name, so a
cancelled export leaves no file), ``import_receipt``, ``preview_centre_card`` then
``import_centre_card`` (the fingerprint is shown for a phone check before the key is
trusted), ``export_card_with_print`` (card file and printable card) and ``rotate_keys``
(station head only). Scenario 6 in SCENARIOS.md is the walk-through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.services.context import Actor
from wushe_desktop.services.export import (
    ExportLogEntry,
    ExportResult,
    SyncStatus,
    export_bundle,
    export_log,
    suggested_bundle_name,
    sync_status,
)
from wushe_desktop.services.keys import (
    CentreCardResult,
    RotationResult,
    import_centre_card,
    preview_centre_card,
    rotate_keys,
)
from wushe_desktop.services.permissions import Permission, allowed
from wushe_desktop.services.print_keys import KeyCardExport, export_card_with_print, print_key_card
from wushe_desktop.services.receipts import ReceiptResult, import_receipt
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.pdf_preview import preview_pdf
from wushe_desktop.ui.worker import Cancelled, Job

# The status sentence's colours: all acknowledged, or something to do.
GREEN = "background: #e3f4e6; color: #1d6b2c; border: 1px solid #9fd3aa;"
AMBER = "background: #fdf3dc; color: #7a5300; border: 1px solid #e8c77a;"

# The settings key of the folder the last bundle went to (a USB stick, usually).
FOLDER_KEY = "sync/lastFolder"


# -- file dialogs (tests replace these functions) ------------------------------------------


def ask_save_file(parent: QWidget, title: str, suggested: Path, filter_text: str) -> Path | None:
    """Ask where to save a file (modal)."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filter_text)
    return Path(name) if name else None


def ask_open_file(parent: QWidget, title: str, folder: Path, filter_text: str) -> Path | None:
    """Ask for a file to open (modal)."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), filter_text)
    return Path(name) if name else None


def ask_folder(parent: QWidget, title: str, folder: Path) -> Path | None:
    """Ask for a folder (modal)."""
    name = QFileDialog.getExistingDirectory(parent, title, str(folder))
    return Path(name) if name else None


@dataclass(frozen=True)
class SyncData:
    """What the screen shows, read in one job on the reader worker."""

    status: SyncStatus
    log: tuple[ExportLogEntry, ...]


def load_sync(db: Any, actor: Actor) -> SyncData:
    """Read the sync status and the export log (runs on the reader worker)."""
    return SyncData(sync_status(db, actor), tuple(export_log(db, actor)))


def local_time(value: datetime | str | None) -> str:
    """A UTC time (or ISO text) as this PC's local ``YYYY-MM-DD HH:MM``; "" for none."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
    if value.tzinfo is None:  # stored UTC times come back naive from some drivers
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


class SyncPage(QWidget):
    """The 数据同步 screen.

    Signals:
        loaded(): the status and the log are shown.
        message(str): a line for the status bar.
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(self, ctx: UiContext, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings if settings is not None else QSettings()
        self.reloads = ReloadWhenShown(self, ctx.events, None, self.refresh)
        self._pending = False
        self.data: SyncData | None = None
        self.last_export: ExportResult | None = None
        self.last_job: Job | None = None
        role = ctx.actor.role
        self._may_export = allowed(role, Permission.EXPORT)
        self._may_manage = allowed(role, Permission.MANAGE_SETTINGS)

        heading = QLabel(self.tr("Data sync"), self)
        heading.setObjectName("pageTitle")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        # What to do next, in one sentence.
        self.next_label = QLabel(self)
        self.next_label.setObjectName("syncNext")
        self.next_label.setWordWrap(True)
        self.next_label.setMargin(8)
        self.next_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        status_box = QGroupBox(self.tr("Where the exchange with the centre stands"), self)
        grid = QGridLayout(status_box)
        grid.setColumnStretch(1, 1)
        self.centre_value = QLabel(self)
        self.export_value = QLabel(self)
        self.receipt_value = QLabel(self)
        self.pending_value = QLabel(self)
        rows = [(self.tr("Centre"), self.centre_value), (self.tr("Last export"), self.export_value),
                (self.tr("Last receipt"), self.receipt_value),
                (self.tr("Records the centre has not acknowledged"), self.pending_value)]
        for i, (title, value) in enumerate(rows):
            name = QLabel(title + self.tr(":"), self)
            name.setObjectName("sectionTitle")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, i, 1)

        # Export a bundle.
        export_box = QGroupBox(self.tr("Export a data bundle for the centre"), self)
        self.incremental_radio = QRadioButton(self.tr("Changes the centre has not acknowledged (usual)"), self)
        self.full_radio = QRadioButton(self.tr("Full export (every record; when the centre asks for one)"), self)
        self.incremental_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.incremental_radio)
        self._kind_group.addButton(self.full_radio)
        self.profile_combo = QComboBox(self)
        self.profile_combo.addItem(self.tr("Supervision: every record (default)"), "supervision")
        self.profile_combo.addItem(self.tr("De-identified: names replaced, ID numbers masked"), "deidentified")
        self.export_button = QPushButton(self.tr("Export data bundle…"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        profile_row = QHBoxLayout()
        profile_row.addWidget(QLabel(self.tr("Content:"), self))
        profile_row.addWidget(self.profile_combo, 1)
        export_layout = QVBoxLayout(export_box)
        export_layout.addWidget(self.incremental_radio)
        export_layout.addWidget(self.full_radio)
        export_layout.addLayout(profile_row)
        export_buttons = QHBoxLayout()
        export_buttons.addWidget(self.export_button)
        export_buttons.addStretch(1)
        export_layout.addLayout(export_buttons)

        # Receipts and keys.
        keys_box = QGroupBox(self.tr("Receipts and keys"), self)
        self.receipt_button = QPushButton(self.tr("Import receipt…"), self)
        self.receipt_button.clicked.connect(self.import_receipt)
        self.centre_card_button = QPushButton(self.tr("Import centre card…"), self)
        self.centre_card_button.clicked.connect(self.import_centre_card)
        self.station_card_button = QPushButton(self.tr("Export station card…"), self)
        self.station_card_button.clicked.connect(self.export_station_card)
        self.rotate_button = QPushButton(self.tr("Change the station key…"), self)
        self.rotate_button.clicked.connect(self.rotate_key)
        keys_layout = QGridLayout(keys_box)
        keys_layout.addWidget(self.receipt_button, 0, 0)
        keys_layout.addWidget(self.centre_card_button, 0, 1)
        keys_layout.addWidget(self.station_card_button, 1, 0)
        keys_layout.addWidget(self.rotate_button, 1, 1)
        note = QLabel(self.tr("Import the centre's receipt after each visit to the centre. A new card or a key "
                              "change must be checked with the centre by phone."), self)
        note.setWordWrap(True)
        keys_layout.addWidget(note, 2, 0, 1, 2)

        if not self._may_export:
            why = self.tr("Only the station head can export bundles and import receipts.")
            for button in (self.export_button, self.receipt_button, self.station_card_button):
                button.setEnabled(False)
                button.setToolTip(why)
        if not self._may_manage:
            why = self.tr("Only the station head can import the centre's card or change the station key.")
            for button in (self.centre_card_button, self.rotate_button):
                button.setEnabled(False)
                button.setToolTip(why)

        actions = QHBoxLayout()
        actions.addWidget(export_box, 3)
        actions.addWidget(keys_box, 2)

        log_title = QLabel(self.tr("Export log"), self)
        log_title.setObjectName("sectionTitle")
        self.log_table = QTableWidget(0, 7, self)
        self.log_table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Exported at"), self.tr("By"), self.tr("Kind"), self.tr("Records"),
            self.tr("File"), self.tr("File hash (SHA-256)")])
        self.log_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_table.verticalHeader().setVisible(False)
        header = self.log_table.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.log_table.setMinimumHeight(160)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.next_label)
        layout.addWidget(status_box)
        layout.addLayout(actions)
        layout.addWidget(log_title)
        layout.addWidget(self.log_table, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- reading -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a refresh is on its way."""
        return self._pending

    @property
    def all_acknowledged(self) -> bool:
        """Whether the centre holds every record (the sentence is green)."""
        return self.data is not None and self._is_green(self.data.status)

    @staticmethod
    def _is_green(status: SyncStatus) -> bool:
        return bool(status.centre_name) and status.unacknowledged_rows == 0 and status.acknowledged_version > 0

    def refresh(self) -> None:
        """Read the status and the log again (on the reader worker)."""
        self.reloads.stale = False
        self._pending = True
        self._ctx.reader.run(load_sync, self._ctx.db, self._ctx.actor, on_done=self._show, parent=self)

    def _show(self, data: SyncData) -> None:
        self._pending = False
        self.data = data
        status = data.status
        self.centre_value.setText(
            self.tr("{name} (key fingerprint {fingerprint})").format(name=status.centre_name,
                                                                     fingerprint=status.centre_fingerprint)
            if status.centre_name else self.tr("No centre card imported yet."))
        if status.last_export_at is None:
            self.export_value.setText(self.tr("None yet."))
        else:
            newest = data.log[0] if data.log else None
            self.export_value.setText(self.tr("Bundle no. {sequence}, {when}, {rows} records, file {file}").format(
                sequence=status.last_export_sequence, when=local_time(status.last_export_at),
                rows=status.last_export_rows, file=newest.file_name if newest else ""))
        if status.last_receipt_at is None:
            self.receipt_value.setText(self.tr("None yet."))
        else:
            self.receipt_value.setText(self.tr("The centre imported bundle no. {sequence} on {when}.").format(
                sequence=status.acknowledged_sequence, when=local_time(status.last_receipt_at)))
        self.pending_value.setText(str(status.unacknowledged_rows))
        green = self._is_green(status)
        self.next_label.setText(self.next_step(status))
        self.next_label.setStyleSheet("QLabel#syncNext { font-size: 12pt; border-radius: 4px; %s }"
                                       % (GREEN if green else AMBER))
        self.next_label.setProperty("green", green)
        self._show_log(data.log)
        self.loaded.emit()

    def next_step(self, status: SyncStatus) -> str:
        """What the station should do next, in one sentence."""
        if not status.centre_name:
            return self.tr("Import the centre's card first (Import centre card…): bundles are encrypted to the "
                           "centre's key.")
        if status.unacknowledged_rows == 0 and status.acknowledged_version > 0:
            return self.tr("The centre has acknowledged every record; there is nothing to send.")
        if status.last_export_sequence is None:
            return self.tr("Nothing has been exported yet: put in the USB stick and click Export data bundle.")
        if status.last_export_sequence > status.acknowledged_sequence:
            return self.tr("Bundle no. {sequence} was exported on {when} and the centre has not acknowledged it "
                           "yet: take it to the centre and import the receipt the centre gives back.").format(
                sequence=status.last_export_sequence, when=local_time(status.last_export_at))
        return self.tr("{count} records changed since the centre's last receipt: export a data bundle and take "
                       "it to the centre.").format(count=status.unacknowledged_rows)

    def _show_log(self, log: tuple[ExportLogEntry, ...]) -> None:
        table = self.log_table
        table.setRowCount(len(log))
        profiles = {"supervision": self.tr("supervision"), "deidentified": self.tr("de-identified")}
        for r, entry in enumerate(log):
            kind = self.tr("full") if entry.full else self.tr("changes")
            cells = [str(entry.sequence), local_time(entry.exported_at), entry.actor,
                     f"{kind} · {profiles.get(entry.profile, entry.profile)}", str(entry.rows), entry.file_name,
                     entry.sha256]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 6:
                    item.setToolTip(entry.sha256)
                table.setItem(r, c, item)

    # -- folders ---------------------------------------------------------------------------

    def _folder(self) -> Path:
        saved = self._settings.value(FOLDER_KEY)
        if isinstance(saved, str) and Path(saved).is_dir():
            return Path(saved)
        return Path.home()

    def _remember(self, path: Path) -> None:
        self._settings.setValue(FOLDER_KEY, str(path if path.is_dir() else path.parent))

    # -- export ----------------------------------------------------------------------------

    def export(self) -> None:
        """Ask where, then write the bundle (progress, Cancel) on the writer worker."""
        if self.data is not None and not self.data.status.centre_name:
            messages.inform(self, self.tr("Export data bundle"), self.next_step(self.data.status))
            return
        full = self.full_radio.isChecked()
        self._ctx.reader.run(partial(suggested_bundle_name, full=full), self._ctx.db, self._ctx.actor,
                             on_done=lambda name: self._export_to(name, full), parent=self)

    def _export_to(self, name: str, full: bool) -> None:
        path = ask_save_file(self, self.tr("Export data bundle"), self._folder() / name,
                             self.tr("Data bundles (*.wsb)"))
        if path is None:
            return
        if path.suffix.lower() != ".wsb":
            path = path.with_name(path.name + ".wsb")
        self._remember(path)
        profile = str(self.profile_combo.currentData())
        job = self._ctx.writer.run(
            partial(export_bundle, full=full, profile=profile), self._ctx.db, self._ctx.actor, path,
            on_done=self._exported, parent=self, with_progress=True, cancellable=True,
            progress_label=self.tr("Exporting the data bundle… (Cancel leaves no file behind)"))
        job.finished.connect(lambda: self._export_finished(job))
        self.last_job = job

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        self.message.emit(self.tr("Bundle no. {sequence} exported ({rows} records): {path}").format(
            sequence=result.sequence, rows=result.rows, path=str(result.path)))
        self._ctx.events.changed.emit("sync")

    def _export_finished(self, job: Job) -> None:
        if isinstance(job.error, Cancelled):
            self.message.emit(self.tr("The export was cancelled; no file was written."))

    # -- receipts and keys -----------------------------------------------------------------

    def import_receipt(self) -> None:
        """Ask for the centre's receipt file, then import it."""
        path = ask_open_file(self, self.tr("Import receipt"), self._folder(),
                             self.tr("Receipts (*.receipt);;All files (*)"))
        if path is None:
            return
        self._remember(path)
        self._ctx.writer.run(import_receipt, self._ctx.db, self._ctx.actor, path, on_done=self._receipt_done,
                             parent=self)

    def _receipt_done(self, result: ReceiptResult) -> None:
        if result.already_imported:
            text = self.tr("This receipt was imported before; nothing changed.")
        else:
            text = self.tr("Receipt imported: the centre holds bundle no. {sequence}. Records not yet "
                           "acknowledged: {count}.").format(sequence=result.high_bundle_sequence,
                                                            count=result.unacknowledged_rows)
        if result.audit_mismatch:
            messages.inform(self, self.tr("Import receipt"), self.tr(
                "The receipt was imported, but this PC's change log differs from what the centre received "
                "earlier: the log may have been altered. Tell the station head and the centre."))
        self.message.emit(text)
        self._ctx.events.changed.emit("sync")

    def import_centre_card(self) -> None:
        """Ask for the centre's card, show its fingerprint, and trust it once confirmed."""
        path = ask_open_file(self, self.tr("Import centre card"), self._folder(),
                             self.tr("Cards (*.card);;All files (*)"))
        if path is None:
            return
        self._remember(path)
        self._ctx.reader.run(preview_centre_card, self._ctx.db, path,
                             on_done=lambda card: self._confirm_centre_card(path, card), parent=self)

    def _confirm_centre_card(self, path: Path, card: CentreCardResult) -> None:
        title = self.tr("Import centre card")
        if card.unchanged:
            self.message.emit(self.tr("This centre card is already imported; nothing changed."))
            return
        text = self.tr("Centre: {name} ({code})\nKey fingerprint: {fingerprint}\nEncryption key fingerprint: "
                       "{box}\n\nPhone the centre and have them read the fingerprints aloud, group by group. "
                       "Trust the card only if every group matches.").format(
            name=card.centre_name, code=card.centre_code, fingerprint=card.fingerprint, box=card.box_fingerprint)
        if card.replaced_fingerprint:
            text += "\n\n" + self.tr("It replaces the centre card imported before (fingerprint {old}); bundles "
                                     "will be encrypted to the new centre.").format(old=card.replaced_fingerprint)
        if not messages.confirm(self, title, text, self.tr("The fingerprints match: trust it"), self.tr("Cancel")):
            return
        self._ctx.writer.run(
            partial(import_centre_card, replace=bool(card.replaced_fingerprint), expect_fingerprint=card.fingerprint),
            self._ctx.db, self._ctx.actor, path, on_done=self._centre_card_done, parent=self)

    def _centre_card_done(self, result: CentreCardResult) -> None:
        self.message.emit(self.tr("Centre card imported: {name}, fingerprint {fingerprint}.").format(
            name=result.centre_name, fingerprint=result.fingerprint))
        self._ctx.events.changed.emit("sync")

    def export_station_card(self) -> None:
        """Write the station's card and its printable card into a folder, then preview the paper card."""
        folder = ask_folder(self, self.tr("Export station card"), self._folder())
        if folder is None:
            return
        self._remember(folder)
        self._ctx.writer.run(export_card_with_print, self._ctx.db, self._ctx.actor, folder,
                             on_done=self._card_done, parent=self)

    def _card_done(self, result: KeyCardExport) -> None:
        self.message.emit(self.tr("Station card written: {path} (fingerprint {fingerprint}); printable card: "
                                  "{pdf}").format(path=str(result.card.path), fingerprint=result.card.fingerprint,
                                                  pdf=str(result.pdf_path)))
        pdf = result.pdf
        preview_pdf(self, self._ctx, self.tr("Key registration card"), lambda: pdf, result.pdf_path.name)

    def rotate_key(self) -> None:
        """Make a new key pair (station head), after a clear warning."""
        if not messages.confirm(self, self.tr("Change the station key"), self.tr(
                "A new key pair replaces the station's key. The centre must register the new key before it "
                "accepts this station's bundles: take the key change file and the new card to the centre. "
                "Change the key only when the centre asks for it or the old key may have leaked. Change it now?"),
                self.tr("Change the key"), self.tr("Cancel")):
            return
        folder = ask_folder(self, self.tr("Folder for the key change file and the new card"), self._folder())
        if folder is None:
            return
        self._remember(folder)
        self._ctx.writer.run(partial(rotate_keys, out_dir=folder), self._ctx.db, self._ctx.actor,
                             on_done=self._rotated, parent=self)

    def _rotated(self, result: RotationResult) -> None:
        self.message.emit(self.tr("New station key: fingerprint {fingerprint}. New card: {path}").format(
            fingerprint=result.new_fingerprint, path=str(result.card_path)))
        self._ctx.events.changed.emit("sync")
        ctx = self._ctx
        preview_pdf(self, ctx, self.tr("Key registration card"), lambda: print_key_card(ctx.db, ctx.actor),
                    result.card_path.with_suffix(".pdf").name)

    # -- reloading -------------------------------------------------------------------------


__all__ = ["SyncData", "SyncPage", "load_sync", "local_time"]
