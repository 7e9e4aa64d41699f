"""系统 → 更改恢复口令…: a new recovery passphrase for the backups that leave the PC."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from uihelpers import wait_idle

from tests.conftest import PASSPHRASE
from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import ValidationError
from wushe_desktop.services.backup import backup_now, inspect_backup, restore
from wushe_desktop.services.context import Actor
from wushe_desktop.services.recovery import check_backup_passphrase
from wushe_desktop.storage.models import AuditLog
from wushe_desktop.ui.backup_dialogs import ChangePassphraseDialog, RecoverySheetDialog
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.system_menu import SystemMenu

NEW = "阿拉坦敖包2026春"


def test_the_head_changes_the_passphrase_and_new_backups_need_it(
        qtbot: QtBot, ctx: UiContext, window: MainWindow, tmp_path: Path, questions: list[str]) -> None:
    assert window.system.actions["passphrase"].text() == "更改恢复口令…"
    dialog = window.system.change_passphrase()
    assert isinstance(dialog, ChangePassphraseDialog) and "旧口令" in dialog.warning.text()

    dialog.new.setText("short")  # the service's rule: too short, said next to the field
    dialog.again.setText("short")
    dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.new_error.text() == "恢复口令至少需要 8 个字符。" and dialog.isVisible()

    dialog.new.setText(NEW)
    dialog.again.setText(NEW + "x")
    dialog.ok_button.click()
    assert dialog.again_error.text() == "两次输入的口令不一致，请输入相同的口令。"
    assert not dialog.new_error.isVisible()

    dialog.again.setText(NEW)
    with qtbot.waitSignal(dialog.changed, timeout=30_000):
        dialog.ok_button.click()
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    assert questions and "恢复单" in questions[-1]
    assert isinstance(dialog.sheet_dialog, RecoverySheetDialog) and dialog.sheet_dialog.isVisible()
    dialog.sheet_dialog.reject()

    # The audit says a setting changed, never the passphrase.
    with ctx.db.read_sessions() as s:
        last = s.scalars(select(AuditLog).where(AuditLog.action == "setting")).all()[-1]
        assert last.details == {"key": "recovery.verifier"}
        assert not any(NEW in str(row.details) for row in s.scalars(select(AuditLog)))

    # Backups from now on use the new passphrase; the old one is refused.
    with pytest.raises(ValidationError) as old:
        backup_now(ctx.db, ctx.actor, tmp_path, PASSPHRASE)
    assert old.value.code == "passphrase.wrong"
    stick = tmp_path / "usb"
    stick.mkdir()
    backup = window.system.backup()
    backup.folder.setText(str(stick))
    backup.passphrase.setText(NEW)
    with qtbot.waitSignal(backup.accepted, timeout=30_000):
        backup.start()
    made = next(stick.glob("*.wbak"))
    assert inspect_backup(made).encrypted
    with pytest.raises(ValidationError) as wrong:
        check_backup_passphrase(made, PASSPHRASE)
    assert wrong.value.code == "backup.wrong_passphrase"
    check_backup_passphrase(made, NEW)
    elsewhere = tmp_path / "new-pc" / "station.sqlite3"
    with pytest.raises(ValidationError) as refused:
        restore(elsewhere, made, PASSPHRASE)
    assert refused.value.code == "backup.wrong_passphrase" and not elsewhere.exists()
    assert restore(elsewhere, made, NEW).station_code == ctx.station.code


def test_a_social_worker_has_no_such_entry(qtbot: QtBot, ctx: UiContext, window: MainWindow) -> None:
    worker = make_context(ctx.db, Opening(ctx.station, Actor("李娜", Role.SOCIAL_WORKER)))
    try:
        menu = SystemMenu(window, worker)
        assert "passphrase" not in menu.actions and "sheet" not in menu.actions
        assert "passphrase" in window.system.actions
        wait_idle(qtbot, worker)
    finally:
        worker.shutdown()
