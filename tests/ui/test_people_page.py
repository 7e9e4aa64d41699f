"""The people screen: the list, opening a person to edit, the import button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.services.roster_files import RosterKind
from wushe_desktop.ui import people_page as page_module
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.list_sources import PersonRow
from wushe_desktop.ui.people_page import PeoplePage


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> Iterator[PeoplePage]:
    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1180, 640)
    with qtbot.waitSignal(widget.list_page.loaded, timeout=20_000):
        widget.show()
    yield widget
    wait_idle(qtbot, ctx)


def test_enter_and_double_click_open_the_person(qtbot: QtBot, page: PeoplePage,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[PersonRow] = []
    monkeypatch.setattr(PeoplePage, "edit_person", lambda _self, row: opened.append(row))
    page.list_page.table.setFocus()
    page.list_page.table.selectRow(2)
    qtbot.keyClick(page.list_page.table, Qt.Key.Key_Return)
    assert [r.uuid for r in opened] == [page.list_page.model.rows[2].uuid]
    page.list_page.table.doubleClicked.emit(page.list_page.model.index(0, 1))
    assert [r.uuid for r in opened][-1] == page.list_page.model.rows[0].uuid


def test_the_import_button_sits_beside_export_and_opens_the_roster_import(
        page: PeoplePage, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[RosterKind] = []
    monkeypatch.setattr(page_module.RosterImportDialog, "ask",
                        classmethod(lambda _cls, _parent, _ctx, kind: asked.append(kind)))
    assert page.import_button.text() == "从Excel导入…"
    assert page.import_button.isVisible()
    assert page.import_button.geometry().right() < page.list_page.export_button.geometry().left()
    page.import_button.click()
    assert asked == [RosterKind.PEOPLE]
