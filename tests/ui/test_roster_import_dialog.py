"""Scenario 9: a WPS roster with two bad rows, previewed, imported without them, imported again."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from uihelpers import wait_idle

from wushe_desktop.services.volunteers import list_volunteers
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext, load_opening, make_context
from wushe_desktop.ui.roster_import_dialog import RosterImportDialog, RosterKind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"
BAD_ROSTER = FIXTURES / "volunteers_wps_bad.csv"  # GB18030, as WPS saves it; rows 6 and 8 are wrong


@pytest.fixture
def station(db: Database) -> Iterator[UiContext]:
    """A new station (no volunteers yet), as its head."""
    context = make_context(db, load_opening(db, "乌兰"))
    yield context
    context.shutdown()


@pytest.fixture
def dialog(qtbot: QtBot, station: UiContext) -> Iterator[RosterImportDialog]:
    widget = RosterImportDialog(station, RosterKind.VOLUNTEERS)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    wait_idle(qtbot, station)


def _preview(qtbot: QtBot, dialog: RosterImportDialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        dialog.set_file(path)


def _import(qtbot: QtBot, dialog: RosterImportDialog) -> None:
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()


def _problems(dialog: RosterImportDialog) -> list[tuple[str, str, str]]:
    table = dialog.problems
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]  # type: ignore[misc]


def _audit_rows(db: Database) -> int:
    with db.read_sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def test_bad_rows_are_all_shown_and_nothing_is_written_until_chosen(
        qtbot: QtBot, dialog: RosterImportDialog, station: UiContext) -> None:
    before = _audit_rows(station.db)
    _preview(qtbot, dialog, BAD_ROSTER)

    assert dialog.summary.text().startswith("文件共 8 行：6 行可以导入，2 行有问题。")
    assert _problems(dialog) == [
        ("6", "联系电话", "电话号码有 10 位，手机号码应为 11 位，请核对。"),
        ("8", "身份证号", "身份证号码最后一位（校验位）不正确，按前 17 位应为 1。请对照证件核对号码。"),
    ]
    assert "序号" in dialog.summary.text()  # columns the station does not use are named, not an error
    assert not dialog.import_button.isEnabled()
    assert dialog.skip_bad.isVisible() and not dialog.skip_bad.isChecked()
    assert list_volunteers(station.db, station.actor) == []
    assert _audit_rows(station.db) == before


def test_good_rows_are_imported_by_explicit_choice_and_again_adds_nothing(
        qtbot: QtBot, dialog: RosterImportDialog, station: UiContext, tmp_path: Path) -> None:
    changed: list[str] = []
    station.events.changed.connect(changed.append)
    _preview(qtbot, dialog, BAD_ROSTER)
    dialog.skip_bad.setChecked(True)
    assert dialog.import_button.isEnabled()
    assert dialog.decision.text() == "导入将保存 6 行，跳过有问题的 2 行。"
    _import(qtbot, dialog)

    names = {v.name for v in list_volunteers(station.db, station.actor)}
    assert names == {"阿拉坦仓", "其其格", "包·宝音", "赵丽娜", "巴特尔", "额尔敦·毕力格"}
    assert dialog.imported_report is not None and dialog.imported_report.skipped_rows == (6, 8)
    assert "新增 6 人" in dialog.summary.text()
    assert changed == ["volunteers"]

    # Next month: the same file again (a copy, as it arrives by e-mail).
    again = shutil.copy(BAD_ROSTER, tmp_path / "名册-12月.csv")
    _preview(qtbot, dialog, Path(again))
    assert "新增：0 人。已登记：6 人" in dialog.summary.text()
    dialog.skip_bad.setChecked(True)
    assert not dialog.import_button.isEnabled()  # nothing new to add
    assert len(list_volunteers(station.db, station.actor)) == 6


def test_an_unreadable_file_is_one_chinese_sentence(qtbot: QtBot, dialog: RosterImportDialog, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda _parent, error: shown.append(messages.message_for(error)))
    old = tmp_path / "名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        dialog.set_file(old)
    assert shown == ["无法读取旧版 .xls 文件，请在 Excel 或 WPS 中打开并另存为 .xlsx。"]
    assert not dialog.import_button.isEnabled()


def test_the_dialog_fits_a_small_screen(dialog: RosterImportDialog) -> None:
    assert dialog.width() <= 1366 and dialog.height() <= 768
