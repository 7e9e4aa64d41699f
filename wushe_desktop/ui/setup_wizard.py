"""The set-up wizard on a new database (first run of ``wushe-desktop``).

Steps: the station's township, found by name in the region's division table (its code
and banner follow from it), the station's name; the villages and communities served and
the station head's name, login name and password; the recovery passphrase, typed twice
(and whether to print it on the recovery sheet). Finishing creates the database with
``services.station.init_database`` (key pair included) on the worker, records the head
as staff with a login account and the communities served, and hands the open database
back; start-up then shows the recovery sheet to print.

The first page also offers 从备份恢复… (scenario 8: the PC died): the chosen backup is
restored where the new database would have been, and start-up opens it with a login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from wushe_desktop.domain.divisions import Division, DivisionLevel, DivisionTable
from wushe_desktop.domain.enums import CommunityKind, Role
from wushe_desktop.domain.validation import normalize_name
from wushe_desktop.errors import ValidationError, WusheError
from wushe_desktop.services.accounts import (
    MIN_PASSWORD_LENGTH,
    check_password_policy,
    create_account,
    normalize_username,
)
from wushe_desktop.services.backup import RestoreResult
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.database import open_db
from wushe_desktop.services.instance import InstanceLock, acquire_instance_lock
from wushe_desktop.services.reference import division_table
from wushe_desktop.services.staff import StaffInput, add_community, add_staff, list_staff
from wushe_desktop.services.station import MIN_PASSPHRASE_LENGTH, init_database
from wushe_desktop.ui import messages
from wushe_desktop.ui.backup_dialogs import RestoreChoice, RestoreDialog, restore_to
from wushe_desktop.ui.fields import error_label
from wushe_desktop.ui.worker import Job, Worker

# Name endings that tell a village's kind (names are data typed in Chinese).
_GACHA_ENDING = "嘎查"
_COMMUNITY_ENDING = "社区"
# At most this many townships are listed for a search.
RESULT_LIMIT = 60


@dataclass(frozen=True)
class SetupData:
    """What the wizard collected."""

    code: str
    banner: str
    name: str
    communities: tuple[str, ...]
    head_name: str
    passphrase: str
    head_username: str = ""
    head_password: str = ""


def community_kind(name: str) -> CommunityKind:
    """Whether a place served is a gacha (嘎查), a community (社区) or a village."""
    if name.endswith(_GACHA_ENDING):
        return CommunityKind.GACHA
    if name.endswith(_COMMUNITY_ENDING):
        return CommunityKind.COMMUNITY
    return CommunityKind.VILLAGE


def create_station(target: Path, data: SetupData, today: date | None = None) -> Any:
    """Create and fill a new station database (runs on the worker).

    Args:
        target: The database file to create (refused if it exists).
        data: What the wizard collected.
        today: The head's joining date (default today).

    Returns:
        The open database.
    """
    db, _result = init_database(target, code=data.code, name=data.name, banner=data.banner,
                                passphrase=data.passphrase, actor_name=data.head_name)
    actor = Actor(name=data.head_name, role=Role.STATION_HEAD)
    head = add_staff(db, actor, StaffInput(name=data.head_name, role=Role.STATION_HEAD,
                                           joined_on=today or date.today()))
    for name in data.communities:
        add_community(db, actor, name, community_kind(name))
    if data.head_username:
        create_account(db, actor, data.head_username, data.head_name, Role.STATION_HEAD, data.head_password,
                       staff_id=head.uuid)
    return db


def head_actor(db: Any) -> Actor:
    """The head recorded by the wizard, as the actor of the first session (worker)."""
    heads = [s for s in list_staff(db, CLI_ACTOR) if s.role == Role.STATION_HEAD]
    return Actor(name=heads[0].name, role=Role.STATION_HEAD, staff_id=heads[0].uuid)


def restore_locked(target: Path, choice: RestoreChoice, actor: Actor) -> tuple[InstanceLock, Any, RestoreResult]:
    """Claim the database file, restore a backup there and open it (worker; a new PC)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire_instance_lock(target)
    try:
        result = restore_to(target, choice, actor)
        return lock, open_db(target), result
    except BaseException:
        lock.release()
        raise


def create_station_locked(target: Path, data: SetupData) -> tuple[InstanceLock, Any, Actor]:
    """Claim the new database for this window, then create it (runs on the worker).

    Returns:
        The instance lock (keep it while the database is open), the open database and
        the head as the first session's actor.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire_instance_lock(target)
    try:
        db = create_station(target, data)
        return lock, db, head_actor(db)
    except BaseException:
        lock.release()
        raise


class StationPage(QWizardPage):
    """Step 1: the township (code and banner follow) and the station's name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Your station"))
        self.setSubTitle(self.tr("Type part of your township's name, choose it from the list, and check the "
                                 "station's name."))
        self.table: DivisionTable | None = None
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Township name, e.g. the first two characters"))
        self.results = QListWidget(self)
        self.banner = QLineEdit(self)
        self.banner.setReadOnly(True)
        self.code = QLineEdit(self)
        self.code.setReadOnly(True)
        self.name = QLineEdit(self)
        self._name_edited = False
        self.name_error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Banner"), self.banner)
        form.addRow(self.tr("Station code"), self.code)
        form.addRow(self.tr("Station name"), self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Township"), self))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addLayout(form)
        layout.addWidget(self.name_error)
        self.restore_button = QPushButton(self.tr("Restore from a backup…"), self)
        restore_note = QLabel(self.tr("A new PC for a station that already worked with this program? Restore its "
                                      "backup instead of setting up a new station."), self)
        restore_note.setWordWrap(True)
        restore_row = QHBoxLayout()
        restore_row.addWidget(restore_note, 1)
        restore_row.addWidget(self.restore_button)
        layout.addLayout(restore_row)
        self.search.textChanged.connect(self._search)
        self.results.currentItemChanged.connect(lambda _cur, _prev: self._chosen())
        self.name.textEdited.connect(self._name_typed)
        self.name.textChanged.connect(lambda _t: self.completeChanged.emit())

    def set_table(self, table: DivisionTable) -> None:
        """The division table arrived (read on the worker)."""
        self.table = table
        self._search(self.search.text())

    def township(self) -> Division | None:
        """The township chosen."""
        item = self.results.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, Division) else None

    def _search(self, text: str) -> None:
        self.results.clear()
        if self.table is None or not text.strip():
            return
        hits = [d for d in self.table.search(text, limit=RESULT_LIMIT * 4) if d.level is DivisionLevel.TOWNSHIP]
        for division in hits[:RESULT_LIMIT]:
            parent = division.parent_code or division.code
            item = QListWidgetItem(self.tr("{name} ({where})").format(
                name=division.name, where=self.table.full_name(parent)), self.results)
            item.setData(Qt.ItemDataRole.UserRole, division)
        if self.results.count() == 1:
            self.results.setCurrentRow(0)

    def _chosen(self) -> None:
        township = self.township()
        banner = self.table.banner_of(township.code) if township is not None and self.table is not None else None
        self.banner.setText(banner.name if banner is not None else "")
        self.code.setText(township.code if township is not None else "")
        if township is not None and not self._name_edited:
            self.name.setText(self.tr("{township} social work station").format(township=township.name))
        self.completeChanged.emit()

    def _name_typed(self, _text: str) -> None:
        self._name_edited = True

    def isComplete(self) -> bool:
        return self.township() is not None and bool(self.name.text().strip())


class PeoplePage(QWizardPage):
    """Step 2: the villages and communities served, and the station head."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Who works here and where"))
        self.setSubTitle(self.tr("List the villages, gachas and communities the station serves, one per line. "
                                 "You can change them later in Settings."))
        self.communities = QPlainTextEdit(self)
        self.head = QLineEdit(self)
        self.head_error = error_label(self)
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("Letters or pinyin, e.g. wulan"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit(self)
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.account_error = error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Station head's name"), self.head)
        form.addRow("", self.head_error)
        form.addRow(self.tr("Head's user name"), self.username)
        form.addRow(self.tr("Head's password"), self.password)
        form.addRow(self.tr("Password again"), self.password_again)
        form.addRow("", QLabel(self.tr("At least {count} characters, not only digits. Everyone who uses this PC "
                                       "gets an account of their own later (System → Accounts).").format(
            count=MIN_PASSWORD_LENGTH), self))
        form.addRow("", self.account_error)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Villages and communities served"), self))
        layout.addWidget(self.communities, 1)
        layout.addLayout(form)
        for edit in (self.head, self.username, self.password, self.password_again):
            edit.textChanged.connect(lambda _t: self.completeChanged.emit())

    def community_names(self) -> tuple[str, ...]:
        """The names typed, blank lines and repeats left out, in order."""
        seen: dict[str, None] = {}
        for line in self.communities.toPlainText().splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
        return tuple(seen)

    def isComplete(self) -> bool:
        return all(edit.text().strip() for edit in (self.head, self.username, self.password, self.password_again))

    def validatePage(self) -> bool:
        try:
            normalize_name(self.head.text())
        except ValidationError as exc:
            self.head_error.setText(messages.message_for(exc))
            self.head_error.show()
            return False
        self.head_error.hide()
        problem = self.account_problem()
        self.account_error.setText(problem)
        self.account_error.setVisible(bool(problem))
        return not problem

    def account_problem(self) -> str:
        """What is wrong with the head's user name and passwords ("" if nothing)."""
        try:
            name = normalize_username(self.username.text())
            check_password_policy(self.password.text(), name)
        except WusheError as exc:
            return messages.message_for(exc)
        if self.password.text() != self.password_again.text():
            return self.tr("The two passwords differ. Type the same password twice.")
        return ""


class PassphrasePage(QWizardPage):
    """Step 3: the recovery passphrase, twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Recovery passphrase"))
        self.setSubTitle(self.tr("Backups are locked with this passphrase. Write it on the recovery sheet and "
                                 "keep the sheet in the station's safe: without it, a backup cannot be restored "
                                 "on a new PC."))
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label(self)
        hint = QLabel(self.tr("At least {count} characters. A short sentence is easier to remember than a "
                              "code.").format(count=MIN_PASSPHRASE_LENGTH), self)
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Passphrase"), self.first)
        form.addRow(self.tr("Passphrase again"), self.second)
        form.addRow("", hint)
        form.addRow("", self.error)
        self.print_on_sheet = QCheckBox(self.tr("Print the passphrase on the recovery sheet (otherwise you write "
                                                "it in by hand)"), self)
        sheet_note = QLabel(self.tr("When you finish, the recovery sheet opens for printing: sign it and lock it "
                                    "in the safe."), self)
        sheet_note.setWordWrap(True)
        form.addRow("", self.print_on_sheet)
        form.addRow("", sheet_note)
        self.first.textChanged.connect(self._check)
        self.second.textChanged.connect(self._check)

    def problem(self) -> str:
        """What is wrong with the passphrases typed, as a sentence ("" if nothing)."""
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_PASSPHRASE_LENGTH:
            return messages.message_for(ValidationError("passphrase.too_short", field="passphrase",
                                                        min=MIN_PASSPHRASE_LENGTH))
        if first != second:
            return messages.message_for(ValidationError("passphrase.mismatch", field="passphrase"))
        return ""

    def _check(self) -> None:
        problem = self.problem() if self.second.text() else ""
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problem()


class SetupWizard(QWizard):
    """Creates a new station database.

    Once accepted, :attr:`database` holds it open and :attr:`instance_lock` claims it for
    this window (release the lock after closing the database).
    """

    def __init__(self, worker: Worker, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._target = target
        self._job: Job | None = None
        self.database: Any = None
        self.instance_lock: InstanceLock | None = None
        self.head_login: tuple[str, Actor] | None = None
        self.sheet_passphrase: str | None = None
        self.restored: RestoreResult | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.setWindowTitle(self.tr("Set up the station"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.station_page = StationPage(self)
        self.people_page = PeoplePage(self)
        self.passphrase_page = PassphrasePage(self)
        for page in (self.station_page, self.people_page, self.passphrase_page):
            self.addPage(page)
        self.resize(760, 640)
        self.station_page.restore_button.clicked.connect(self.restore_backup)
        worker.run(division_table, on_done=self.station_page.set_table, parent=self)

    def setup_data(self) -> SetupData:
        """What the pages hold."""
        township = self.station_page.township()
        assert township is not None  # the first page is complete only with one
        return SetupData(code=township.code, banner=self.station_page.banner.text(),
                         name=self.station_page.name.text().strip(),
                         communities=self.people_page.community_names(),
                         head_name=normalize_name(self.people_page.head.text()),
                         passphrase=self.passphrase_page.first.text(),
                         head_username=normalize_username(self.people_page.username.text()),
                         head_password=self.people_page.password.text())

    def accept(self) -> None:
        if self.database is not None:
            super().accept()
            return
        if self._job is not None:
            return
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self._job = self._worker.run(create_station_locked, self._target, self.setup_data(),
                                     on_done=self._created, on_error=self._failed, parent=self,
                                     progress_label=self.tr("Creating the station's database and keys…"))

    def _created(self, made: tuple[InstanceLock, Any, Actor]) -> None:
        self._job = None
        self.instance_lock, self.database, actor = made
        self.head_login = (normalize_username(self.people_page.username.text()), actor)
        self.sheet_passphrase = (self.passphrase_page.first.text() if self.passphrase_page.print_on_sheet.isChecked()
                                 else None)
        super().accept()

    # -- scenario 8: a new PC ------------------------------------------------------------

    def restore_backup(self) -> RestoreDialog:
        """从备份恢复…: choose the backup and passphrase, then restore it here."""
        dialog = RestoreDialog(self._worker, self)
        dialog.accepted.connect(lambda: self._restore_chosen(dialog))
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def _restore_chosen(self, dialog: RestoreDialog) -> None:
        if dialog.choice is None or self._job is not None:
            return
        actor = Actor(name=self.tr("Set-up wizard (restore)"), role=Role.LOCAL_ADMIN)
        self.setEnabled(False)
        self._job = self._worker.run(restore_locked, self._target, dialog.choice, actor, on_done=self._restored,
                                     on_error=self._restore_failed, parent=self,
                                     progress_label=self.tr("Restoring the backup… Do not switch the PC off."))

    def _restored(self, made: tuple[InstanceLock, Any, RestoreResult]) -> None:
        self._job = None
        self.setEnabled(True)
        self.instance_lock, self.database, self.restored = made
        super().accept()

    def _restore_failed(self, error: BaseException) -> None:
        self._job = None
        self.setEnabled(True)
        messages.show_error(self, error)

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        messages.show_error(self, error)
