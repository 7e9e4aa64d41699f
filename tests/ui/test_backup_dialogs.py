"""Backups from the window: on close, daily, to a USB folder; restore through the dialog."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.ui.uihelpers import ini_settings, wait_idle
from wushe_desktop.services.backup import auto_backup_dir, backup_now
from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.database import open_db
from wushe_desktop.services.station import get_setting, set_setting
from wushe_desktop.ui.backup_dialogs import RestoreDialog
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.startup import Startup


def test_closing_takes_the_days_copy_and_rotates(qtbot: QtBot, ctx: UiContext, window: MainWindow) -> None:
    folder = auto_backup_dir(ctx.db.path)
    folder.mkdir(parents=True, exist_ok=True)
    stem = ctx.db.path.stem
    for day in range(1, 10):  # old copies from January 2020, one a day
        (folder / f"{stem}-2020-01-{day:02d}.sqlite3").write_bytes(b"old")
    window.close()
    wait_idle(qtbot, ctx)
    fresh = [p for p in folder.iterdir() if "2020-" not in p.name]  # dated in the station's time zone
    assert len(fresh) == 1 and fresh[0].stat().st_size > 10_000
    names = {p.name for p in folder.iterdir()}
    # 7 days: today and 9..4 January; the weeks and the month keep nothing older
    assert f"{stem}-2020-01-04.sqlite3" in names and f"{stem}-2020-01-03.sqlite3" not in names
    assert len(names) == 7


def test_a_new_day_while_open_takes_another_copy(qtbot: QtBot, ctx: UiContext, window: MainWindow) -> None:
    system = window.system
    assert not system.check_day(date.today())
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    assert system.check_day(tomorrow)
    wait_idle(qtbot, ctx)
    assert list(auto_backup_dir(ctx.db.path).glob(f"{ctx.db.path.stem}-????-??-??.sqlite3"))


def test_back_up_to_a_folder(qtbot: QtBot, ctx: UiContext, window: MainWindow, tmp_path: Path,
                             told: list[str]) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    dialog = window.system.backup()
    dialog.folder.setText(str(stick))
    dialog.passphrase.setText("wrong passphrase")
    dialog.start()
    wait_idle(qtbot, ctx)
    assert dialog.error.text() == "恢复口令不正确，请对照恢复单重新输入。" and not list(stick.iterdir())
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.start()
    files = list(stick.glob("*.wbak"))
    assert len(files) == 1 and told and str(files[0]) in told[-1]


def test_restore_from_the_menu_replaces_the_data_and_reopens(qtbot: QtBot, tmp_path: Path, demo_template: Path,
                                                             told: list[str], questions: list[str]) -> None:
    shutil.copytree(demo_template, tmp_path / "copy")
    target = tmp_path / "copy" / "demo.sqlite3"
    db = open_db(target)
    made = backup_now(db, CLI_ACTOR, tmp_path, PASSPHRASE)
    set_setting(db, CLI_ACTOR, "todo.no_contact_days", 45)  # after the backup
    db.dispose()
    startup = Startup(target, settings=ini_settings(tmp_path))
    try:
        with qtbot.waitSignal(startup.ready, timeout=30_000) as blocker:
            startup.begin()
        window = blocker.args[0]
        assert isinstance(window, MainWindow)
        dialog = window.system.restore()
        assert isinstance(dialog, RestoreDialog)
        with qtbot.waitSignal(dialog.inspected, timeout=10_000):
            dialog.set_file(made.path)
        dialog.passphrase.setText("not it")
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
        assert dialog.error.text().startswith("这个口令打不开该备份") and dialog.isVisible()
        dialog.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(startup.ready, timeout=60_000) as again:
            dialog.restore_button.click()
        assert again.args[0] is not window
        qtbot.addWidget(again.args[0])
        assert startup.db is not None and get_setting(startup.db, "todo.no_contact_days") == 30
        qtbot.waitUntil(lambda: any("备份已恢复" in t for t in told), timeout=10_000)
        assert any("替换" in q for q in questions)
        assert list((tmp_path / "copy" / "backups").glob("before-restore-*.sqlite3"))
        qtbot.waitUntil(lambda: startup.ctx is not None and not startup.ctx.reader.busy
                        and not startup.worker.busy, timeout=10_000)
        again.args[0].close()
    finally:
        startup.shutdown()


def test_a_damaged_database_opens_the_newest_automatic_copy(qtbot: QtBot, tmp_path: Path, demo_template: Path,
                                                            told: list[str], questions: list[str]) -> None:
    shutil.copytree(demo_template, tmp_path / "copy")
    target = tmp_path / "copy" / "demo.sqlite3"
    db = open_db(target)
    from wushe_desktop.services.backup import automatic_backup

    automatic_backup(db)
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8000)
    startup = Startup(target, settings=ini_settings(tmp_path))
    try:
        with qtbot.waitSignal(startup.ready, timeout=60_000) as blocker:
            startup.begin()
        qtbot.addWidget(blocker.args[0])
        assert questions and "自动备份" in questions[0]
        qtbot.waitUntil(lambda: any("已打开" in t for t in told), timeout=10_000)
        qtbot.waitUntil(lambda: startup.ctx is not None and not startup.ctx.reader.busy
                        and not startup.worker.busy, timeout=10_000)
        blocker.args[0].close()
    finally:
        startup.shutdown()
