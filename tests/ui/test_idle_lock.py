"""The idle lock covers the window and opens again only with the password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from wushe_desktop.domain.enums import Role
from wushe_desktop.services import accounts
from wushe_desktop.services.accounts import create_account
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.main_window import MainWindow

HEAD_PW = "caoyuan-2026"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def head_ctx(db_path: Path) -> Iterator[UiContext]:
    db = open_db(db_path)
    create_account(db, CLI_ACTOR, "wulan", "乌兰", Role.STATION_HEAD, HEAD_PW)
    context = make_context(db, Opening(station_info(db), Actor(name="乌兰", role=Role.STATION_HEAD),
                                       username="wulan"))
    yield context
    context.shutdown()
    db.dispose()


@pytest.fixture
def head_window(qtbot: QtBot, head_ctx: UiContext, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(head_ctx, ini_settings(tmp_path))
    qtbot.addWidget(win)
    win.resize(1366, 700)
    win.show()
    yield win
    win.close()


def _unlock(qtbot: QtBot, window: MainWindow, password: str) -> Any:
    overlay = window.system.idle.overlay
    assert overlay is not None
    overlay.password.setText(password)
    overlay.unlock_button.click()
    qtbot.waitUntil(lambda: not window.system.idle._checking, timeout=10_000)
    return overlay


def test_idle_time_locks_and_the_password_unlocks(qtbot: QtBot, head_window: MainWindow) -> None:
    idle = head_window.system.idle
    qtbot.waitUntil(lambda: not head_window.ctx.reader.busy, timeout=10_000)
    assert idle.enabled and idle.minutes == 10 and idle.timer.isActive()
    idle.timer.timeout.emit()  # ten minutes without input
    assert idle.locked and idle.overlay is not None and idle.overlay.isVisible()
    assert idle.overlay.who.text().startswith("因一段时间无人操作，窗口已锁定。乌兰（站长）")
    # keys and shortcuts meant for the window are swallowed while locked
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert idle.eventFilter(head_window.navigation, key)
    overlay = _unlock(qtbot, head_window, "not-my-password")
    assert idle.locked and overlay.error.text().startswith("用户名或密码不对")
    _unlock(qtbot, head_window, HEAD_PW)
    assert not idle.locked and idle.timer.isActive()
    assert not idle.eventFilter(head_window.navigation, key)


def test_open_dialogs_are_covered_too(qtbot: QtBot, head_window: MainWindow) -> None:
    dialog = head_window.system.audit_log()
    qtbot.addWidget(dialog)
    head_window.system.lock()
    covers = head_window.system.idle._covers
    assert any(cover.parent() is dialog and cover.isVisible() for cover in covers)
    _unlock(qtbot, head_window, HEAD_PW)
    assert not head_window.system.idle._covers
    dialog.close()


def test_without_accounts_nothing_locks(window: MainWindow) -> None:
    assert not window.system.idle.enabled and "lock" not in window.system.actions
    window.system.idle.lock()
    assert not window.system.idle.locked
    assert QApplication.instance() is not None


@pytest.mark.parametrize("size", [(1366, 700), (800, 500)])
def test_the_lock_sentence_is_laid_out_whole(qtbot: QtBot, head_window: MainWindow, size: tuple[int, int],
                                             tmp_path: Path) -> None:
    head_window.resize(*size)
    head_window.system.lock()
    overlay = head_window.system.idle.overlay
    assert overlay is not None
    overlay.resize(*size)
    overlay.say("用户名或密码不对。再输错 4 次，账号将锁定 15 分钟。")
    qtbot.waitUntil(lambda: overlay.error.isVisible())
    overlay.grab().save(str(tmp_path / "lock.png"))
    for label in (overlay.who, overlay.error):
        # every wrapped line fits in the label's height, and the label lies inside the card
        assert label.height() >= label.heightForWidth(label.width()) >= label.fontMetrics().height()
        assert label.width() <= overlay.card.width() and label.font().pointSizeF() >= 10
    assert overlay.who.height() >= 2 * overlay.who.fontMetrics().height()  # the sentence takes two lines
    # nothing overlaps: title, sentence, password, error and buttons come one below another
    assert overlay.who.geometry().bottom() < overlay.password.geometry().top()
    assert overlay.password.geometry().bottom() < overlay.error.geometry().top()
    assert overlay.error.geometry().bottom() < overlay.unlock_button.geometry().top()
    assert overlay.card.geometry().bottom() <= overlay.height() and overlay.card.width() <= size[0]
    _unlock(qtbot, head_window, HEAD_PW)
