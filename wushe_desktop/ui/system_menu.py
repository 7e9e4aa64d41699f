"""The 系统 menu of the main window and the duties that come with it.

Menu entries (each shown only to roles that may use it): 修改密码…, 账号管理…, 审计日志…,
备份到…, 从备份恢复…, 打印数据恢复单…, 更改恢复口令…, 锁定窗口 (Ctrl+L). The menu also owns the idle
lock and the automatic backups: one when the window closes (:meth:`SystemMenu.on_close`)
and one when the day changes while the window stays open.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from wushe_desktop.services.permissions import Permission, allowed
from wushe_desktop.services.recovery import DEFAULT_IDLE_MINUTES, idle_lock_minutes
from wushe_desktop.ui.audit_viewer import AuditViewer
from wushe_desktop.ui.backup_dialogs import (
    BackupDialog,
    ChangePassphraseDialog,
    RecoverySheetDialog,
    RestoreDialog,
    restore_request,
    take_automatic_backup,
)
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.idle_lock import IdleLock
from wushe_desktop.ui.login_dialog import AccountsDialog, ChangePasswordDialog

#: How often the window checks whether the day changed (for the daily automatic copy).
DAILY_CHECK_MS = 30 * 60_000


class SystemMenu(QObject):
    """Builds the 系统 menu on ``window`` and runs the idle lock and automatic backups."""

    def __init__(self, window: QMainWindow, ctx: UiContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.dialog: QWidget | None = None
        role = ctx.actor.role
        menu = window.menuBar().addMenu(self.tr("S&ystem"))
        self.menu = menu
        self.actions: dict[str, QAction] = {}
        if ctx.username:
            self._add("password", self.tr("Change password…"), self.change_password)
        if allowed(role, Permission.MANAGE_USERS):
            self._add("accounts", self.tr("Accounts…"), self.accounts)
            self._add("audit", self.tr("Audit log…"), self.audit_log)
        menu.addSeparator()
        if allowed(role, Permission.EXPORT):
            self._add("backup", self.tr("Back up to…"), self.backup)
        if allowed(role, Permission.MANAGE_SETTINGS):
            self._add("restore", self.tr("Restore from a backup…"), self.restore)
            self._add("sheet", self.tr("Print the recovery sheet…"), self.recovery_sheet)
            self._add("passphrase", self.tr("Change the recovery passphrase…"), self.change_passphrase)
        if ctx.username:
            menu.addSeparator()
            lock = self._add("lock", self.tr("Lock the window"), self.lock)
            lock.setShortcut(QKeySequence("Ctrl+L"))
        self.idle = IdleLock(window, ctx, DEFAULT_IDLE_MINUTES)
        if ctx.username:
            ctx.reader.run(idle_lock_minutes, ctx.db, on_done=self.idle.set_minutes, on_error=lambda _e: None)
        self._backup_day = date.today()
        self.daily = QTimer(self)
        self.daily.setInterval(DAILY_CHECK_MS)
        self.daily.timeout.connect(self.check_day)
        self.daily.start()

    def _add(self, key: str, text: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.menu.addAction(action)
        self.actions[key] = action
        return action

    def _show(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.show()
        return dialog

    # -- entries -------------------------------------------------------------------------

    def change_password(self) -> ChangePasswordDialog:
        """修改密码…"""
        dialog = ChangePasswordDialog(self.ctx.db, self.ctx.writer, self.ctx.username, self.window)
        dialog.accepted.connect(lambda: self.window.statusBar().showMessage(self.tr("Your password is changed."),
                                                                            8000))
        dialog.open()
        self.dialog = dialog
        return dialog

    def accounts(self) -> AccountsDialog:
        """账号管理…"""
        dialog = AccountsDialog(self.ctx, self.window)
        dialog.open()
        self.dialog = dialog
        return dialog

    def audit_log(self) -> AuditViewer:
        """审计日志…"""
        viewer = AuditViewer(self.ctx, self.window)
        self._show(viewer)
        return viewer

    def backup(self) -> BackupDialog:
        """备份到…"""
        dialog = BackupDialog(self.ctx, self.window)
        dialog.open()
        self.dialog = dialog
        return dialog

    def restore(self) -> RestoreDialog:
        """从备份恢复…: once chosen and confirmed, start-up closes, restores and reopens."""
        dialog = RestoreDialog(self.ctx.writer, self.window, current_code=self.ctx.station.code)
        dialog.accepted.connect(lambda: self._restore_chosen(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _restore_chosen(self, dialog: RestoreDialog) -> None:
        if dialog.choice is not None:
            self.ctx.session.restart_requested.emit(restore_request(dialog.choice, self.ctx.actor))

    def recovery_sheet(self) -> RecoverySheetDialog:
        """打印数据恢复单…"""
        dialog = RecoverySheetDialog(self.ctx, self.window)
        dialog.open()
        self.dialog = dialog
        return dialog

    def change_passphrase(self) -> ChangePassphraseDialog:
        """更改恢复口令…"""
        dialog = ChangePassphraseDialog(self.ctx, self.window)
        dialog.changed.connect(lambda: self.window.statusBar().showMessage(
            self.tr("The recovery passphrase is changed. Make a new backup now."), 8000))
        dialog.open()
        self.dialog = dialog
        return dialog

    def lock(self) -> None:
        """锁定窗口 (Ctrl+L): lock now."""
        self.idle.lock()

    # -- automatic backups -----------------------------------------------------------------

    def check_day(self, today: date | None = None) -> bool:
        """Take the day's automatic copy when the day changed while open; returns whether."""
        today = today or date.today()
        if today == self._backup_day:
            return False
        self._backup_day = today
        take_automatic_backup(self.ctx)
        return True

    def on_close(self) -> None:
        """The window closes: queue the automatic copy (start-up's shutdown waits for it)."""
        self.daily.stop()
        take_automatic_backup(self.ctx)
