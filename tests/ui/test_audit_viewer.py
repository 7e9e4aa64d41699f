"""The audit viewer shows logins and prints, filters them, and reports a broken chain."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pytestqt.qtbot import QtBot

from tests.ui.uihelpers import wait_idle
from wushe_desktop.domain.enums import Role
from wushe_desktop.services import accounts
from wushe_desktop.services.accounts import authenticate, create_account
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.services.recovery import print_recovery_sheet
from wushe_desktop.ui.audit_viewer import AuditViewer
from wushe_desktop.ui.context import Opening, UiContext, make_context


@pytest.fixture
def head_ctx(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UiContext]:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    db = open_db(db_path)
    create_account(db, CLI_ACTOR, "wulan", "乌兰", Role.STATION_HEAD, "caoyuan-2026")
    login = authenticate(db, "wulan", "caoyuan-2026")
    print_recovery_sheet(db, login.actor)
    context = make_context(db, Opening(station_info(db), login.actor, username="wulan"))
    yield context
    context.shutdown()
    db.dispose()


def _viewer(qtbot: QtBot, ctx: UiContext) -> AuditViewer:
    viewer = AuditViewer(ctx)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, ctx)
    return viewer


def test_logins_and_prints_are_listed(qtbot: QtBot, head_ctx: UiContext) -> None:
    viewer = _viewer(qtbot, head_ctx)
    assert viewer.chain.text().startswith("审计链核对无误")
    rows = viewer.rows_text()
    assert rows[0][2:6] == ["乌兰", "站长", "打印", "站点"] and "recovery_sheet" in rows[0][6]
    assert rows[1][2:6] == ["wulan", "站长", "登录", "账号"]
    total = viewer.page.total if viewer.page else 0
    assert total > 100 and viewer.position.text() == f"第 1 页，共 2 页（{total} 条）"
    assert not viewer.previous_button.isEnabled()
    viewer.next_button.click()
    wait_idle(qtbot, head_ctx)
    assert viewer.table.rowCount() == total - 100 and viewer.rows_text()[-1][0] == "1"
    viewer.action.setCurrentIndex(viewer.action.findData("login"))
    viewer.search()
    wait_idle(qtbot, head_ctx)
    assert [r[4] for r in viewer.rows_text()] == ["登录"]


def test_a_social_worker_cannot_open_it(qtbot: QtBot, head_ctx: UiContext, told: list[str]) -> None:
    head_ctx.actor = Actor(name="李明", role=Role.SOCIAL_WORKER)
    viewer = AuditViewer(head_ctx)
    qtbot.addWidget(viewer)
    wait_idle(qtbot, head_ctx)
    assert viewer.table.rowCount() == 0


def test_a_chain_edited_behind_the_programs_back_is_reported(qtbot: QtBot, head_ctx: UiContext) -> None:
    conn = sqlite3.connect(head_ctx.db.path)
    with conn:
        conn.execute("UPDATE audit_log SET actor = '别人' WHERE seq = 3")
    conn.close()
    viewer = _viewer(qtbot, head_ctx)
    assert viewer.chain.text().startswith("审计链在第 3 条处断开")
