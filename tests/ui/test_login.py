"""Logging in, changing and resetting passwords, and the head's account management."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from tests.conftest import PASSPHRASE
from wushe_desktop.domain.enums import Role
from wushe_desktop.services import accounts
from wushe_desktop.services.accounts import create_account, list_accounts, reset_password
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.login_dialog import AccountsDialog, LoginDialog, select_row
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.startup import Startup
from wushe_desktop.ui.worker import Worker

HEAD_PW = "caoyuan-2026"
WORKER_PW = "shegong-2026"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def account_db(db_path: Path) -> Iterator[Any]:
    db = open_db(db_path)
    create_account(db, CLI_ACTOR, "wulan", "乌兰", Role.STATION_HEAD, HEAD_PW)
    create_account(db, CLI_ACTOR, "liming", "李明", Role.SOCIAL_WORKER, WORKER_PW)
    yield db
    db.dispose()


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker("login")
    yield w
    w.shutdown()


def _dialog(qtbot: QtBot, db: Any, worker: Worker, tmp_path: Path) -> LoginDialog:
    dialog = LoginDialog(db, worker, station_info(db), settings=ini_settings(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _try(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def test_wrong_password_then_right(qtbot: QtBot, account_db: Any, worker: Worker, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, account_db, worker, tmp_path)
    assert dialog.windowTitle() == "登录：毕克齐镇社工站"
    _try(qtbot, dialog, "wulan", "wrong-password")
    assert dialog.error.text() == "用户名或密码不对。再错 4 次，账号将被锁定 15 分钟。"
    assert dialog.password.text() == "" and dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _try(qtbot, dialog, "Wulan", HEAD_PW)
    assert dialog.result_login is not None
    assert dialog.result_login.actor == Actor(name="乌兰", role=Role.STATION_HEAD)


def test_five_wrong_passwords_lock_the_account(qtbot: QtBot, account_db: Any, worker: Worker,
                                               tmp_path: Path) -> None:
    dialog = _dialog(qtbot, account_db, worker, tmp_path)
    for _ in range(5):
        _try(qtbot, dialog, "liming", "not-my-password")
    assert dialog.error.text() == "密码错误次数太多，账号已被锁定。请 15 分钟后再试，或请站长重置密码。"
    _try(qtbot, dialog, "liming", WORKER_PW)  # even the right password waits for the lock
    assert "已被锁定" in dialog.error.text() and dialog.result_login is None


def test_a_reset_password_must_be_changed(qtbot: QtBot, account_db: Any, worker: Worker, tmp_path: Path) -> None:
    reset_password(account_db, CLI_ACTOR, "liming", "temporary-1")
    dialog = _dialog(qtbot, account_db, worker, tmp_path)
    _try(qtbot, dialog, "liming", "temporary-1")
    change = dialog.change_dialog
    assert change is not None and change.isVisible()
    change.new.setText("mine-at-last")
    change.again.setText("mine-at-lest")
    change.ok_button.click()
    assert change.error.text() == "两次输入的新密码不一致，请输入相同的密码。"
    change.again.setText("mine-at-last")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        change.ok_button.click()
    assert dialog.result_login is not None and dialog.result_login.account.username == "liming"
    assert accounts.login(account_db, "liming", "mine-at-last").name == "李明"


def test_the_head_resets_a_forgotten_password_with_the_passphrase(qtbot: QtBot, account_db: Any, worker: Worker,
                                                                   tmp_path: Path) -> None:
    dialog = _dialog(qtbot, account_db, worker, tmp_path)
    dialog.username.setText("wulan")
    dialog.forgot_button.click()
    forgot = dialog.forgot_dialog
    assert forgot is not None and forgot.username.text() == "wulan"
    forgot.passphrase.setText("not the passphrase")
    forgot.new.setText("new-head-pass")
    forgot.again.setText("new-head-pass")
    forgot.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not forgot.busy, timeout=10_000)
    assert forgot.error.text() == "恢复口令不正确，请对照恢复单重新输入。"
    forgot.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(forgot.accepted, timeout=10_000):
        forgot.buttons.accepted.emit()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _try(qtbot, dialog, "wulan", "new-head-pass")


def test_start_up_asks_for_the_login(qtbot: QtBot, account_db: Any, db_path: Path, tmp_path: Path) -> None:
    account_db.dispose()
    startup = Startup(db_path, settings=ini_settings(tmp_path))
    try:
        startup.begin()
        qtbot.waitUntil(lambda: startup.login is not None and startup.login.isVisible(), timeout=30_000)
        login = startup.login
        assert login is not None
        login.username.setText("liming")
        login.password.setText(WORKER_PW)
        with qtbot.waitSignal(startup.ready, timeout=30_000) as blocker:
            login.login_button.click()
        window = blocker.args[0]
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        assert window.user_label.text().startswith("当前用户：李明（")
        assert startup.ctx is not None and startup.ctx.username == "liming"
        assert "accounts" not in window.system.actions  # a social worker manages no accounts
        qtbot.waitUntil(lambda: not startup.worker.busy and startup.ctx is not None
                        and not startup.ctx.reader.busy, timeout=10_000)
        window.close()
    finally:
        startup.shutdown()


def test_quitting_the_login_ends_start_up(qtbot: QtBot, account_db: Any, db_path: Path, tmp_path: Path) -> None:
    account_db.dispose()
    startup = Startup(db_path, settings=ini_settings(tmp_path))
    try:
        startup.begin()
        qtbot.waitUntil(lambda: startup.login is not None and startup.login.isVisible(), timeout=30_000)
        assert startup.login is not None
        with qtbot.waitSignal(startup.failed, timeout=10_000):
            startup.login.quit_button.click()
        assert startup.window is None
    finally:
        startup.shutdown()


@pytest.fixture
def head_ctx(account_db: Any) -> Iterator[UiContext]:
    opening = Opening(station_info(account_db), Actor(name="乌兰", role=Role.STATION_HEAD), username="wulan")
    context = make_context(account_db, opening)
    yield context
    context.shutdown()


def test_the_head_manages_accounts(qtbot: QtBot, head_ctx: UiContext, questions: list[str]) -> None:
    dialog = AccountsDialog(head_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["wulan", "liming"]  # type: ignore[union-attr]
    dialog.new_account()
    form = dialog.form
    assert form is not None
    form.username.setText("bater")  # type: ignore[attr-defined]
    form.display_name.setText("巴特尔")  # type: ignore[attr-defined]
    form.password.setText("12345678")  # type: ignore[attr-defined]
    form.again.setText("12345678")  # type: ignore[attr-defined]
    form.buttons.accepted.emit()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not form.busy, timeout=10_000)  # type: ignore[attr-defined]
    assert form.error.text().startswith("密码太简单")  # type: ignore[attr-defined]
    form.password.setText("bater-pass-1")  # type: ignore[attr-defined]
    form.again.setText("bater-pass-1")  # type: ignore[attr-defined]
    form.buttons.accepted.emit()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=10_000)
    names = [a.username for a in dialog.accounts]
    select_row(dialog.table, names.index("liming"))
    assert dialog.toggle_button.text() == "停用"
    dialog.toggle_selected()
    qtbot.waitUntil(lambda: any(a.username == "liming" and not a.active for a in dialog.accounts), timeout=10_000)
    assert questions and "liming" in questions[-1]
    views = {a.username: a for a in list_accounts(head_ctx.db, CLI_ACTOR)}
    assert views["bater"].role == Role.SOCIAL_WORKER and not views["liming"].active
    select_row(dialog.table, [a.username for a in dialog.accounts].index("bater"))
    dialog.reset_selected()
    reset = dialog.form
    assert reset is not None
    reset.password.setText("temporary-2")  # type: ignore[attr-defined]
    reset.again.setText("temporary-2")  # type: ignore[attr-defined]
    with qtbot.waitSignal(reset.accepted, timeout=10_000):
        reset.buttons.accepted.emit()  # type: ignore[attr-defined]
    assert {a.username: a for a in list_accounts(head_ctx.db, CLI_ACTOR)}["bater"].must_change_password
    assert QDialog.DialogCode.Accepted == reset.result()
