"""The set-up wizard creates a station database; start-up shows it when none exists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from tests.conftest import PASSPHRASE
from wushe_desktop.domain.enums import CommunityKind, Role
from wushe_desktop.services import accounts
from wushe_desktop.services.backup import backup_now
from wushe_desktop.services.context import CLI_ACTOR, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.services.instance import acquire_instance_lock
from wushe_desktop.services.staff import list_communities, list_staff
from wushe_desktop.services.station import get_setting, passphrase_matches
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.setup_wizard import SetupWizard, community_kind
from wushe_desktop.ui.startup import Startup
from wushe_desktop.ui.worker import Worker


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker("wizard")
    yield w
    w.shutdown()


def _wizard(qtbot: QtBot, worker: Worker, target: Path) -> SetupWizard:
    wizard = SetupWizard(worker, target)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.station_page.table is not None, timeout=10_000)
    return wizard


def _fill(wizard: SetupWizard) -> None:
    station = wizard.station_page
    station.search.setText("毕克齐")
    assert station.results.count() == 1
    assert station.results.item(0).text() == "毕克齐镇（呼和浩特市土默特左旗）"
    assert station.banner.text() == "土默特左旗"
    assert station.code.text() == "150121101000"
    assert station.name.text() == "毕克齐镇社工站"
    assert wizard.currentPage().isComplete()
    wizard.next()
    people = wizard.people_page
    assert wizard.currentPage() is people and not people.isComplete()
    people.communities.setPlainText("什报气村\n\n毕克齐社区\n巴彦嘎查\n什报气村\n")
    people.head.setText("乌兰")
    assert not people.isComplete()  # the head's login comes with the name
    people.username.setText("Wulan")
    people.password.setText("12345678")
    people.password_again.setText("12345678")
    wizard.next()
    assert wizard.currentPage() is people
    assert people.account_error.text().startswith("密码太简单")
    people.password.setText("caoyuan-2026")
    people.password_again.setText("caoyuan-2062")
    wizard.next()
    assert people.account_error.text() == "两次输入的密码不一致，请输入相同的密码。"
    people.password_again.setText("caoyuan-2026")
    wizard.next()
    assert wizard.currentPage() is wizard.passphrase_page


def test_the_wizard_creates_a_station(qtbot: QtBot, worker: Worker, tmp_path: Path) -> None:
    target = tmp_path / "station" / "wushe.sqlite3"
    wizard = _wizard(qtbot, worker, target)
    _fill(wizard)
    page = wizard.passphrase_page
    page.first.setText("short")
    page.second.setText("short")
    assert not page.isComplete()
    assert page.error.text() == "恢复口令至少需要 8 个字符。"
    page.first.setText("草原上的社工站")
    page.second.setText("草原上的社工站")
    assert not page.isComplete()  # 7 characters
    page.first.setText("草原上的社工站很好")
    page.second.setText("草原上的社工站很差")
    assert page.error.text() == "两次输入的口令不一致，请输入相同的口令。"
    page.second.setText("草原上的社工站很好")
    assert page.isComplete() and not page.error.isVisible()
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    db = wizard.database
    try:
        info = station_info(db)
        assert (info.code, info.name, info.banner_name) == ("150121101000", "毕克齐镇社工站", "土默特左旗")
        heads = [s for s in list_staff(db, CLI_ACTOR) if s.role == Role.STATION_HEAD]
        assert [h.name for h in heads] == ["乌兰"]
        communities = {c.name: c.kind for c in list_communities(db, CLI_ACTOR)}
        assert communities == {"什报气村": CommunityKind.VILLAGE, "毕克齐社区": CommunityKind.COMMUNITY,
                               "巴彦嘎查": CommunityKind.GACHA}
        assert passphrase_matches(get_setting(db, "recovery.verifier"), "草原上的社工站很好")
        assert wizard.instance_lock is not None and wizard.instance_lock.held
        account = accounts.authenticate(db, "wulan", "caoyuan-2026").account
        assert (account.display_name, account.role, account.staff_id) == ("乌兰", Role.STATION_HEAD, heads[0].uuid)
        assert wizard.head_login is not None and wizard.head_login[0] == "wulan"
        assert wizard.sheet_passphrase is None  # the box on the recovery sheet stays blank
    finally:
        db.dispose()
        assert wizard.instance_lock is not None
        wizard.instance_lock.release()
    assert (target.parent / "keys" / "150121101000.ed25519").exists()


def test_the_head_needs_a_real_name(qtbot: QtBot, worker: Worker, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, worker, tmp_path / "x.sqlite3")
    wizard.station_page.search.setText("毕克齐")
    wizard.next()
    wizard.people_page.head.setText("乌兰@")
    wizard.people_page.username.setText("wulan")
    wizard.people_page.password.setText("caoyuan-2026")
    wizard.people_page.password_again.setText("caoyuan-2026")
    wizard.next()
    assert wizard.currentPage() is wizard.people_page
    assert wizard.people_page.head_error.text() == "姓名中含有“@”，证件上的姓名不能包含该字符。"


def test_community_kinds_follow_the_name() -> None:
    assert community_kind("巴彦嘎查") == CommunityKind.GACHA
    assert community_kind("康居社区") == CommunityKind.COMMUNITY
    assert community_kind("什报气村") == CommunityKind.VILLAGE


def test_start_up_shows_the_wizard_without_a_database(qtbot: QtBot, tmp_path: Path) -> None:
    startup = Startup(tmp_path / "none.sqlite3", settings=ini_settings(tmp_path))
    startup.begin()
    try:
        assert startup.wizard is not None and startup.wizard.isVisible()
        qtbot.addWidget(startup.wizard)
        with qtbot.waitSignal(startup.failed, timeout=10_000):
            startup.wizard.reject()
    finally:
        qtbot.waitUntil(lambda: not startup.worker.busy, timeout=10_000)
        startup.shutdown()


def test_start_up_opens_an_existing_database(qtbot: QtBot, tmp_path: Path, demo_template: Path) -> None:
    shutil.copytree(demo_template, tmp_path / "copy")
    startup = Startup(tmp_path / "copy" / "demo.sqlite3",
                      settings=ini_settings(tmp_path))
    try:
        with qtbot.waitSignal(startup.ready, timeout=30_000) as blocker:
            startup.begin()
        window = blocker.args[0]
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        assert window.user_label.text() == "当前用户：乌兰（站长）"
        qtbot.waitUntil(lambda: not startup.worker.busy and startup.ctx is not None
                        and not startup.ctx.reader.busy, timeout=10_000)
        window.close()
        assert startup.instance_lock is not None and startup.instance_lock.held
    finally:
        startup.shutdown()
    assert startup.instance_lock is None and startup.db is None


def test_a_database_open_in_another_window_is_refused(qtbot: QtBot, tmp_path: Path, demo_template: Path,
                                                      told: list[str]) -> None:
    shutil.copytree(demo_template, tmp_path / "copy")
    target = tmp_path / "copy" / "demo.sqlite3"
    other_window = acquire_instance_lock(target)
    startup = Startup(target, settings=ini_settings(tmp_path))
    try:
        with qtbot.waitSignal(startup.failed, timeout=10_000):
            startup.begin()
        assert told == ["这个数据库已在另一个五社联动窗口中打开。请切换到那个窗口，或先关闭它。"]
        assert startup.window is None
    finally:
        startup.shutdown()
        other_window.release()



def test_a_new_pc_restores_the_stations_backup(qtbot: QtBot, worker: Worker, tmp_path: Path, db_path: Path,
                                               questions: list[str]) -> None:
    """Scenario 8: the wizard's 从备份恢复… restores an encrypted backup where the database goes."""
    old = open_db(db_path)
    try:
        accounts.create_account(old, CLI_ACTOR, "wulan", "乌兰", Role.STATION_HEAD, "caoyuan-2026")
        made = backup_now(old, CLI_ACTOR, tmp_path, PASSPHRASE)
    finally:
        old.dispose()
    target = tmp_path / "newpc" / "wushe.sqlite3"
    wizard = _wizard(qtbot, worker, target)
    dialog = wizard.restore_backup()
    with qtbot.waitSignal(dialog.inspected, timeout=10_000):
        dialog.set_file(made.path)
    assert dialog.station.text() == "毕克齐镇社工站（150121101000）" and dialog.kind.text() == "加密备份"
    dialog.passphrase.setText("wrong passphrase")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text().startswith("这个口令打不开该备份")
    assert not target.exists()
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        dialog.restore_button.click()
    assert questions and "毕克齐镇社工站" in questions[-1]
    assert wizard.result() == QWizard.DialogCode.Accepted and wizard.restored is not None
    db = wizard.database
    try:
        assert station_info(db).code == "150121101000"
        assert accounts.login(db, "wulan", "caoyuan-2026").name == "乌兰"
        assert wizard.restored.needs_new_key  # the key did not travel with the backup
        assert wizard.head_login is None  # a restored station asks for the login
    finally:
        db.dispose()
        assert wizard.instance_lock is not None
        wizard.instance_lock.release()
