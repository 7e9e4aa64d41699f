"""The main window on a small demo database: every screen, Chinese, keyboard, layout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import CaseStage
from wushe_desktop.services.people import search_people
from wushe_desktop.ui import list_page as list_page_module
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.list_page import ListPage
from wushe_desktop.ui.list_sources import CaseRow, PersonRow
from wushe_desktop.ui.main_window import (
    ACTIVITIES,
    CASES,
    DASHBOARD,
    PEOPLE,
    SETTINGS,
    VOLUNTEERS,
    MainWindow,
)
from wushe_desktop.ui.person_form import PersonForm
from wushe_desktop.ui.volunteers_page import VolunteersPage

NAV_ZH = ["工作台", "服务对象", "个案", "志愿者", "活动", "慈善资源", "统计报表", "数据同步", "设置"]
# Latin text a Chinese screen may show: product names, record numbers, the search example.
ALLOWED_LATIN = re.compile(r"Excel|wgh|\d|[A-Z]\d")


def _texts(widget: QWidget) -> list[str]:
    """Every text a person can read on a widget and its children."""
    texts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget) and child is not widget:
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
        elif isinstance(child, QLineEdit):
            texts.append(child.placeholderText())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QComboBox):
            texts.extend(child.itemText(i) for i in range(child.count()))
        elif isinstance(child, QListWidget):
            texts.extend(child.item(i).text() for i in range(child.count()))
        elif isinstance(child, QTreeWidget):
            header = child.headerItem()
            texts.extend(header.text(i) for i in range(header.columnCount()))
        elif isinstance(child, QTableView) and child.model() is not None:
            model = child.model()
            texts.extend(str(model.headerData(i, Qt.Orientation.Horizontal)) for i in range(model.columnCount()))
    return texts


def _english(texts: list[str]) -> list[str]:
    return [t for t in texts if re.search(r"[A-Za-z]{2,}", ALLOWED_LATIN.sub("", t))]


def _loaded(qtbot: QtBot, ctx: UiContext, page: QWidget) -> None:
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not getattr(page, "busy", False), timeout=10_000)


def test_every_screen_opens_in_chinese(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == NAV_ZH
    for index in range(len(NAV_ZH)):
        window.navigation.setCurrentRow(index)
        page = window.current_page()
        assert window.stack.currentIndex() == index
        _loaded(qtbot, ctx, page)
        assert _english(_texts(page)) == [], NAV_ZH[index]
        listed = getattr(page, "list_page", None)
        if isinstance(listed, ListPage):
            assert listed.model.total > 0
            assert re.fullmatch(r"共 \d+ 条", listed.count_label.text())
    assert _english(_texts(window.statusBar())) == []
    assert window.export_label.text() == "上次导出：尚未导出"
    assert window.user_label.text() == "当前用户：乌兰（站长）"
    assert window.windowTitle().endswith("毕克齐镇社工站")


def test_every_list_model_passes_the_model_tester(qtbot: QtBot, window: MainWindow, ctx: UiContext,
                                                  qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for index in (PEOPLE, CASES, VOLUNTEERS, ACTIVITIES):
        page = _list_of(window.show_page(index))
        _loaded(qtbot, ctx, page)
        qtmodeltester.check(page.model)


def _cases_list(window: MainWindow) -> ListPage[CaseRow]:
    page = window.show_page(CASES)
    assert isinstance(page, CasesPage)
    return page.list_page


def _list_of(screen: QWidget) -> ListPage[Any]:
    """The list on a records screen (each screen holds its list beside a record's own view)."""
    page = getattr(screen, "list_page", None)
    assert isinstance(page, ListPage), screen
    return page


def _people_page(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> ListPage[PersonRow]:
    page = _list_of(window.show_page(PEOPLE))
    _loaded(qtbot, ctx, page)
    return page


def _search(qtbot: QtBot, page: ListPage[object], text: str) -> list[object]:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.search.setText(text)
    return list(page.model.rows)


def test_search_as_you_type_by_pinyin_initials_id_tail_and_phone(qtbot: QtBot, window: MainWindow,
                                                                 ctx: UiContext) -> None:
    page = _people_page(qtbot, window, ctx)
    rows = _search(qtbot, page, "wgh")
    assert rows and {r.name for r in rows} == {"王桂花"}  # type: ignore[attr-defined]
    person = rows[0]
    tail = person.id_masked[-4:]  # type: ignore[attr-defined]
    by_tail = _search(qtbot, page, tail)
    assert person in by_tail
    assert all(r.id_masked.endswith(tail) or r.phone_masked.endswith(tail) for r in by_tail)  # type: ignore[attr-defined]
    by_name = _search(qtbot, page, "王桂")
    assert person in by_name
    everyone = _search(qtbot, page, "")
    assert len(everyone) == page.model.total > len(by_name)

    cases = _cases_list(window)
    _loaded(qtbot, ctx, cases)
    found = _search(qtbot, cases, "wgh")
    assert found and {r.name for r in found} == {"王桂花"}  # type: ignore[attr-defined]


def test_the_answer_to_an_older_keystroke_is_dropped(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    page = _people_page(qtbot, window, ctx)
    page.search.setText("w")
    page.refresh()
    page.search.setText("wgh")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    wait_idle(qtbot, ctx)
    assert {r.name for r in page.model.rows} == {"王桂花"}


def test_people_filter_by_category_and_cases_by_stage(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    page = _people_page(qtbot, window, ctx)
    assert page.filter.itemText(0) == "全部类别"
    index = page.filter.findText("低保")
    assert index > 0
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.filter.setCurrentIndex(index)
    assert page.model.total > 0
    assert all("DB" in r.categories for r in page.model.rows)

    cases = _cases_list(window)
    _loaded(qtbot, ctx, cases)
    stage = cases.filter.findText("介入")
    with qtbot.waitSignal(cases.loaded, timeout=10_000):
        cases.filter.setCurrentIndex(stage)
    rows: list[CaseRow] = list(cases.model.rows)  # type: ignore[arg-type]
    assert rows and all(r.stage == CaseStage.INTERVENTION for r in rows)
    assert re.fullmatch(r"\d+ 条（共 \d+ 条）", cases.count_label.text())


def test_clicking_a_header_sorts(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    page = _cases_list(window)
    _loaded(qtbot, ctx, page)
    contacts = [c.title for c in page.spec.columns].index("服务次数")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.table.sortByColumn(contacts, Qt.SortOrder.DescendingOrder)
    counts = [r.service_records for r in page.model.rows]
    assert counts == sorted(counts, reverse=True)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.table.sortByColumn(contacts, Qt.SortOrder.AscendingOrder)
    counts = [r.service_records for r in page.model.rows]
    assert counts == sorted(counts)


def test_export_the_visible_list_to_excel(qtbot: QtBot, window: MainWindow, ctx: UiContext, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    page = _people_page(qtbot, window, ctx)
    _search(qtbot, page, "wgh")
    target = tmp_path / "名单.xlsx"
    monkeypatch.setattr(list_page_module, "ask_save_path", lambda *_args: target)
    messages: list[str] = []
    page.message.connect(messages.append)
    page.export_button.click()
    wait_idle(qtbot, ctx)
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "性别", "年龄", "证件号码", "联系电话", "类别", "现居住地")
    assert {r[0] for r in rows[1:]} == {"王桂花"}
    assert all(isinstance(r[3], str) and "*" in r[3] for r in rows[1:])  # masked, kept as text
    assert messages == [f"已导出 {len(rows) - 1} 行到 {target}。"]


def test_keyboard_shortcuts(qtbot: QtBot, window: MainWindow, ctx: UiContext,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    page = _people_page(qtbot, window, ctx)
    window.find_action.trigger()
    assert page.search.hasFocus() or QApplication.focusWidget() is page.search
    opened: list[object] = []
    monkeypatch.setattr(PersonForm, "ask", classmethod(lambda cls, parent, c: opened.append(c)))
    window.new_action.trigger()
    assert opened == [ctx]
    window.show_page(SETTINGS)
    window.new_action.trigger()
    assert window.statusBar().currentMessage() == "本页面暂时不能新建记录。"
    window.print_action.trigger()
    assert window.statusBar().currentMessage() == "本页面暂不支持打印。"
    window.save_action.trigger()
    assert window.statusBar().currentMessage().startswith("本页面没有需要保存的内容")


def test_the_window_remembers_its_size_and_screen(qtbot: QtBot, ctx: UiContext, ui_settings: QSettings) -> None:
    first = MainWindow(ctx, ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # the offscreen screen is 800×600
    first.show_page(VOLUNTEERS)
    saved = first.size()
    first.close()
    second = MainWindow(ctx, ui_settings)
    qtbot.addWidget(second)
    assert second.size() == saved
    assert saved.width() == 760
    assert second.stack.currentIndex() == VOLUNTEERS
    wait_idle(qtbot, ctx)


def test_every_screen_fits_1366_by_768(window: MainWindow, qtbot: QtBot, ctx: UiContext) -> None:
    for index in range(len(NAV_ZH)):
        window.show_page(index)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 700, (NAV_ZH[index], hint)
    wait_idle(qtbot, ctx)


def test_dashboard_lines_open_their_records(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    dashboard = window.show_page(DASHBOARD)
    _loaded(qtbot, ctx, dashboard)
    items = dashboard.todo_items()  # type: ignore[attr-defined]
    case_item = next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole + 1)[0] == "case")
    case_no = case_item.data(0, Qt.ItemDataRole.UserRole + 1)[1]
    dashboard.todo_tree.itemActivated.emit(case_item, 0)  # type: ignore[attr-defined]
    cases = window.current_page()
    assert isinstance(cases, CasesPage) and window.stack.currentIndex() == CASES
    workspace = cases.workspace
    qtbot.waitUntil(lambda: workspace.data is not None and not workspace.busy, timeout=10_000)
    assert cases.showing_case() and workspace.data is not None and workspace.data.detail.case.case_no == case_no

    window.show_page(DASHBOARD)
    hours_item = next(i for i in dashboard.todo_items()  # type: ignore[attr-defined]
                      if i.data(0, Qt.ItemDataRole.UserRole + 1)[0] == "volunteer")
    name = hours_item.data(0, Qt.ItemDataRole.UserRole + 1)[1]
    dashboard.todo_tree.itemActivated.emit(hours_item, 0)  # type: ignore[attr-defined]
    volunteers = window.current_page()
    assert isinstance(volunteers, VolunteersPage) and window.stack.currentIndex() == VOLUNTEERS
    # the head lands on the hours awaiting confirmation, with that volunteer's lines ticked
    assert volunteers.tabs.currentWidget() is volunteers.pending
    qtbot.waitUntil(lambda: bool(volunteers.pending.ticked()), timeout=10_000)
    wait_idle(qtbot, ctx)
    assert {line.volunteer_name for line in volunteers.pending.ticked()} == {name}


def test_a_new_person_appears_in_the_list(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    page = _people_page(qtbot, window, ctx)
    before = page.model.total
    people = search_people(ctx.db, ctx.actor, "wgh")
    assert people
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.events.changed.emit("people")
    assert page.model.total == before
