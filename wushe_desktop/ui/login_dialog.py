"""Logging in, passwords and accounts (登录、修改密码、忘记密码、账号管理).

- :class:`LoginDialog` — shown at start when the database has accounts; a wrong password
  or a locked account is said in one Chinese sentence under the fields. An account whose
  password the head reset must choose a new one before going on.
- :class:`ChangePasswordDialog` — anyone changes their own password (the old one proves
  who they are).
- :class:`ForgotPasswordDialog` — the station head, locked out, sets a new password with
  the station's recovery passphrase (DESIGN.md §11; audited by the service).
- :class:`AccountsDialog` — the head creates accounts, resets passwords and switches
  accounts off (someone left) or on again.

Password checks run on a worker (Argon2id takes a moment); nothing here touches the
database on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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

from wushe_desktop.domain.enums import Role, StationMode
from wushe_desktop.errors import WusheError
from wushe_desktop.services.accounts import (
    MIN_PASSWORD_LENGTH,
    ROLES_BY_MODE,
    AccountView,
    LoginResult,
    authenticate,
    change_password,
    create_account,
    list_accounts,
    reset_head_with_passphrase,
    reset_password,
    set_account_active,
)
from wushe_desktop.services.context import StationInfo
from wushe_desktop.services.staff import StaffView, list_staff
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.fields import error_label
from wushe_desktop.ui.labels import role_labels
from wushe_desktop.ui.worker import Job, Worker

#: Where the last user name typed is remembered (never the password).
LAST_USER_KEY = "login/lastUser"


def password_field(parent: QWidget) -> QLineEdit:
    """A line edit that hides what is typed."""
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _WorkerDialog(QDialog):
    """A small form that runs one service call on a worker and shows its error inline."""

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._job: Job | None = None
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)

    @property
    def busy(self) -> bool:
        """Whether a call is running."""
        return self._job is not None

    def say(self, text: str) -> None:
        """Show a sentence under the fields ("" hides it)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def submit(self, fn: Any, *args: Any) -> None:
        """Run ``fn(*args)`` on the worker; :meth:`done_ok` or :meth:`failed` follow."""
        if self._job is not None:
            return
        self.say("")
        self.buttons.setEnabled(False)
        self._job = self._worker.run(fn, *args, on_done=self._finished, on_error=self._failed, parent=self,
                                     progress_label=self.tr("Checking…"))

    def _finished(self, result: Any) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        self.done_ok(result)

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self.buttons.setEnabled(True)
        if isinstance(error, WusheError):
            self.failed(error)
        else:
            messages.show_error(self, error)

    def done_ok(self, result: Any) -> None:
        """The call succeeded (default: close the dialog as accepted)."""
        self.accept()

    def failed(self, error: WusheError) -> None:
        """The call was refused (default: its sentence under the fields)."""
        self.say(messages.message_for(error))

    def reject(self) -> None:
        if self._job is None:
            super().reject()


def _check_new_passwords(dialog: _WorkerDialog, first: QLineEdit, second: QLineEdit) -> bool:
    """Whether the two new passwords agree (else says so)."""
    if first.text() != second.text():
        dialog.say(QCoreApplication.translate("_WorkerDialog",
                                              "The two new passwords differ. Type the same password twice."))
        second.setFocus()
        return False
    return True


class LoginDialog(_WorkerDialog):
    """Log in to this station (start-up, before the main window).

    After :meth:`exec` returns Accepted, :attr:`result_login` holds the login.
    """

    def __init__(self, db: Any, worker: Worker, station: StationInfo, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(worker, parent)
        self._db = db
        self._settings = settings if settings is not None else QSettings()
        self.result_login: LoginResult | None = None
        self.change_dialog: ChangePasswordDialog | None = None
        self.forgot_dialog: ForgotPasswordDialog | None = None
        self.setWindowTitle(self.tr("Log in: {station}").format(station=station.name))
        heading = QLabel(station.name, self)
        heading.setObjectName("pageTitle")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        hint = QLabel(self.tr("Log in with your own user name and password."), self)
        self.username = QLineEdit(self)
        self.password = password_field(self)
        last = self._settings.value(LAST_USER_KEY, "")
        self.username.setText(str(last or ""))
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.login_button = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.forgot_button = self.buttons.addButton(self.tr("Forgot password…"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)
        self.forgot_button.clicked.connect(self.forgot)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.password if self.username.text() else self.username).setFocus()

    def log_in(self) -> None:
        """Check the user name and password (on the worker)."""
        if not self.username.text().strip():
            self.say(messages.message_for(WusheError("account.username_empty")))
            self.username.setFocus()
            return
        self.submit(authenticate, self._db, self.username.text(), self.password.text())

    def done_ok(self, result: Any) -> None:
        assert isinstance(result, LoginResult)
        self._settings.setValue(LAST_USER_KEY, result.account.username)
        if result.account.must_change_password:
            change = ChangePasswordDialog(self._db, self._worker, result.account.username, self, forced=True,
                                          old_password=self.password.text())
            change.finished.connect(lambda code: self._changed(result, code))
            self.change_dialog = change
            change.open()
            return
        self.result_login = result
        self.password.clear()
        self.accept()

    def _changed(self, result: LoginResult, code: int) -> None:
        self.change_dialog = None
        if code != QDialog.DialogCode.Accepted:
            self.password.clear()
            self.say(self.tr("Choose a new password to go on."))
            return
        self.result_login = result
        self.password.clear()
        self.accept()

    def failed(self, error: WusheError) -> None:
        super().failed(error)
        self.password.clear()
        self.password.setFocus()

    def forgot(self) -> None:
        """The head resets their password with the recovery passphrase."""
        dialog = ForgotPasswordDialog(self._db, self._worker, self, username=self.username.text().strip())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._reset_done(dialog.username.text().strip()))
        self.forgot_dialog = dialog
        dialog.open()

    def _reset_done(self, username: str) -> None:
        self.username.setText(username)
        self.password.clear()
        self.say("")
        self.password.setFocus()


class ChangePasswordDialog(_WorkerDialog):
    """Change one's own password (also forced after the head reset it)."""

    def __init__(self, db: Any, worker: Worker, username: str, parent: QWidget | None = None, *,
                 forced: bool = False, old_password: str = "") -> None:
        super().__init__(worker, parent)
        self._db = db
        self._username = username
        self.setWindowTitle(self.tr("Change password"))
        intro = QLabel(self.tr("The station head set a temporary password for you. Choose your own password now; "
                               "only you should know it.") if forced else
                       self.tr("Type your current password, then the new one twice."), self)
        intro.setWordWrap(True)
        self.old = password_field(self)
        self.old.setText(old_password)
        self.new = password_field(self)
        self.again = password_field(self)
        hint = QLabel(self.tr("At least {count} characters, not only digits.").format(count=MIN_PASSWORD_LENGTH),
                      self)
        form = QFormLayout()
        form.addRow(self.tr("User name"), QLabel(username, self))
        form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        form.addRow("", hint)
        self.ok_button = self.buttons.addButton(self.tr("Change password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        (self.new if old_password else self.old).setFocus()

    def change(self) -> None:
        """Change the password (on the worker)."""
        if _check_new_passwords(self, self.new, self.again):
            self.submit(change_password, self._db, self._username, self.old.text(), self.new.text())


class ForgotPasswordDialog(_WorkerDialog):
    """A locked-out station head sets a new password with the recovery passphrase."""

    def __init__(self, db: Any, worker: Worker, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(worker, parent)
        self._db = db
        self.setWindowTitle(self.tr("Forgot password"))
        intro = QLabel(self.tr("Only the station head can do this here, with the recovery passphrase from the "
                               "recovery sheet in the safe. Other staff: ask the station head to reset your "
                               "password."), self)
        intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setText(username)
        self.passphrase = password_field(self)
        self.new = password_field(self)
        self.again = password_field(self)
        form = QFormLayout()
        form.addRow(self.tr("Station head's user name"), self.username)
        form.addRow(self.tr("Recovery passphrase"), self.passphrase)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        self.buttons.addButton(self.tr("Set new password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.reset)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def reset(self) -> None:
        """Check the passphrase and set the new password (on the worker)."""
        if _check_new_passwords(self, self.new, self.again):
            self.submit(reset_head_with_passphrase, self._db, self.passphrase.text(), self.username.text(),
                        self.new.text())

    def done_ok(self, result: Any) -> None:
        messages.inform(self, self.tr("Forgot password"),
                        self.tr("The new password is set and the account is unlocked. Log in with it now."))
        self.accept()


class NewAccountDialog(_WorkerDialog):
    """The head creates a login account for a member of staff."""

    def __init__(self, ctx: UiContext, staff: list[StaffView], parent: QWidget | None = None) -> None:
        super().__init__(ctx.writer, parent)
        self._ctx = ctx
        self.setWindowTitle(self.tr("New account"))
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("Letters or pinyin, e.g. wulan"))
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        labels = role_labels()
        for role in sorted(ROLES_BY_MODE[ctx.station.mode], key=lambda r: list(Role).index(r)):
            self.role.addItem(labels.get(role, role.value), role)
        default = Role.SOCIAL_WORKER if ctx.station.mode == StationMode.STATION else Role.SUPERVISOR
        self.role.setCurrentIndex(max(0, self.role.findData(default)))
        self.staff = QComboBox(self)
        self.staff.addItem(self.tr("(not linked to a staff record)"), None)
        for member in staff:
            self.staff.addItem(member.name, member.uuid)
        self.staff.currentIndexChanged.connect(self._staff_chosen)
        self.password = password_field(self)
        self.again = password_field(self)
        form = QFormLayout()
        form.addRow(self.tr("Staff member"), self.staff)
        form.addRow(self.tr("Name shown"), self.display_name)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        hint = QLabel(self.tr("Give the password to the person in private; they can change it later under "
                              "System → Change password."), self)
        hint.setWordWrap(True)
        self.buttons.addButton(self.tr("Create account"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _staff_chosen(self, _index: int) -> None:
        if self.staff.currentData() is not None and not self.display_name.text().strip():
            self.display_name.setText(self.staff.currentText())

    def save(self) -> None:
        """Create the account (on the writer)."""
        if not _check_new_passwords(self, self.password, self.again):
            return
        role = Role(self.role.currentData())
        self.submit(create_account, self._ctx.db, self._ctx.actor, self.username.text(), self.display_name.text(),
                    role, self.password.text(), self.staff.currentData())


class ResetPasswordDialog(_WorkerDialog):
    """The head sets a temporary password for someone (they change it at their next login)."""

    def __init__(self, ctx: UiContext, account: AccountView, parent: QWidget | None = None) -> None:
        super().__init__(ctx.writer, parent)
        self._ctx = ctx
        self._account = account
        self.setWindowTitle(self.tr("Reset password"))
        intro = QLabel(self.tr("Set a temporary password for {name} ({username}). The account is unlocked, and "
                               "they must choose their own password at the next login.").format(
            name=account.display_name, username=account.username), self)
        intro.setWordWrap(True)
        self.password = password_field(self)
        self.again = password_field(self)
        form = QFormLayout()
        form.addRow(self.tr("Temporary password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        self.buttons.addButton(self.tr("Reset password"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.reset)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def reset(self) -> None:
        """Reset the password (on the writer)."""
        if _check_new_passwords(self, self.password, self.again):
            self.submit(reset_password, self._ctx.db, self._ctx.actor, self._account.username, self.password.text())


class AccountsDialog(QDialog):
    """The station head's list of login accounts: create, reset password, switch off or on."""

    COLUMNS = 5

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.accounts: list[AccountView] = []
        self._staff: list[StaffView] = []
        self.form: QDialog | None = None
        self.setWindowTitle(self.tr("Accounts"))
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name shown"), self.tr("Role"),
                                              self.tr("Status"), self.tr("Last login")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton(self.tr("New account…"), self)
        self.reset_button = QPushButton(self.tr("Reset password…"), self)
        self.toggle_button = QPushButton(self.tr("Switch off"), self)
        close = QPushButton(self.tr("Close"), self)
        row = QHBoxLayout()
        for button in (self.new_button, self.reset_button, self.toggle_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        note = QLabel(self.tr("An account that is switched off cannot log in; its records and audit entries "
                              "stay. Every change here is written to the audit log."), self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addLayout(row)
        self.new_button.clicked.connect(self.new_account)
        self.reset_button.clicked.connect(self.reset_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.resize(760, 460)
        self.reload()

    def reload(self) -> None:
        """Read the accounts and staff again (reader worker)."""
        def read(db: Any, actor: Any) -> tuple[list[AccountView], list[StaffView]]:
            return list_accounts(db, actor), list_staff(db, actor)

        self.ctx.reader.run(read, self.ctx.db, self.ctx.actor, on_done=self._loaded, parent=self)

    def _loaded(self, found: tuple[list[AccountView], list[StaffView]]) -> None:
        self.accounts, self._staff = found
        labels = role_labels()
        self.table.setRowCount(len(self.accounts))
        for r, account in enumerate(self.accounts):
            values = [account.username, account.display_name, labels.get(account.role, account.role.value),
                      self._status(account),
                      account.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M") if account.last_login_at else ""]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self._selection_changed()

    def _status(self, account: AccountView) -> str:
        if not account.active:
            return self.tr("Switched off")
        if account.locked_until is not None:
            return self.tr("Locked until {time}").format(time=account.locked_until.astimezone().strftime("%H:%M"))
        if account.must_change_password:
            return self.tr("Must change password")
        return self.tr("Active")

    def selected(self) -> AccountView | None:
        """The account chosen in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        account = self.selected()
        self.reset_button.setEnabled(account is not None)
        self.toggle_button.setEnabled(account is not None)
        self.toggle_button.setText(self.tr("Switch on") if account is not None and not account.active
                                   else self.tr("Switch off"))

    def new_account(self) -> None:
        """Create an account."""
        self._open(NewAccountDialog(self.ctx, self._staff, self))

    def reset_selected(self) -> None:
        """Set a temporary password for the chosen account."""
        account = self.selected()
        if account is not None:
            self._open(ResetPasswordDialog(self.ctx, account, self))

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.reload)
        self.form = dialog
        dialog.open()

    def toggle_selected(self) -> None:
        """Switch the chosen account off (asks first) or on again."""
        account = self.selected()
        if account is None:
            return
        if account.active and not messages.confirm(
                self, self.tr("Switch off"),
                self.tr("Switch off the account {username} ({name})? They can no longer log in; their records "
                        "stay.").format(username=account.username, name=account.display_name),
                self.tr("Switch off"), self.tr("Cancel")):
            return
        self.ctx.writer.run(set_account_active, self.ctx.db, self.ctx.actor, account.username, not account.active,
                            on_done=lambda _view: self.reload(), parent=self)


def select_row(table: QTableWidget, row: int) -> None:
    """Select one row of a table (tests and keyboard users)."""
    table.setCurrentCell(row, 0)
    table.selectRow(row)
    table.setFocus(Qt.FocusReason.OtherFocusReason)
