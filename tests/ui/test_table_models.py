"""The table model of frozen rows: pages on demand, passes qtmodeltester; list sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from wushe_desktop.domain.enums import CaseStage
from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.lists import list_records
from wushe_desktop.ui.excel import write_xlsx
from wushe_desktop.ui.list_sources import CasesSource, ListRequest, PeopleSource
from wushe_desktop.ui.table_model import (
    PAGE_SIZE,
    ROW_ROLE,
    Column,
    RecordTableModel,
    sort_rows,
    text_of,
)


@dataclass(frozen=True)
class Row:
    no: int
    name: str
    day: date | None


COLUMNS: list[Column[Row]] = [
    Column("No", lambda r: str(r.no), lambda r: r.no, numeric=True),
    Column("Name", lambda r: r.name),
    Column("Day", lambda r: text_of(r.day), lambda r: r.day),
]
ROWS = [Row(i, f"name {i % 7}", date(2026, 1, 1 + i % 28) if i % 5 else None) for i in range(1000)]


def test_rows_come_page_by_page(qtmodeltester: Any) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    model.set_rows(ROWS)
    assert model.rowCount() == PAGE_SIZE and model.total == 1000
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    assert model.data(model.index(999, 1)) == "name 5"
    assert model.data(model.index(3, 0), ROW_ROLE) == ROWS[3]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Day"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    qtmodeltester.check(model)


def test_an_empty_model_passes_too(qtmodeltester: Any) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    qtmodeltester.check(model)
    assert not model.canFetchMore(QModelIndex())


def test_show_row_fetches_up_to_it() -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    model.set_rows(ROWS)
    model.show_row(750)
    assert model.rowCount() == 751 and model.row_at(750) == ROWS[750]
    assert model.row_at(900) is None


def test_sorting_is_asked_for_by_signal(qtbot: QtBot) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    model.set_rows(ROWS)
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(2, Qt.SortOrder.DescendingOrder)
    assert blocker.args == [2, True]
    ordered = sort_rows(ROWS, COLUMNS[2], descending=True)
    days = [r.day for r in ordered]
    assert days[:len([d for d in days if d])] == sorted([d for d in days if d], reverse=True)
    assert days[-1] is None  # empty values last, whichever the direction
    assert sort_rows(ROWS, COLUMNS[2], descending=False)[-1].day is None


def test_people_source_filters_and_searches(demo_db: Any) -> None:
    source = PeopleSource()
    everyone = source.query(demo_db, CLI_ACTOR, ListRequest())
    assert len(everyone.rows) == everyone.total_unfiltered == len(list_records(demo_db, CLI_ACTOR, "people"))
    assert everyone.labels["person_category"]["DB"] == "低保"
    poor = source.query(demo_db, CLI_ACTOR, ListRequest(filter_value="DB"))
    assert poor.rows and all("DB" in r.categories for r in poor.rows)
    found = source.query(demo_db, CLI_ACTOR, ListRequest(text="wgh"))
    assert {r.name for r in found.rows} == {"王桂花"}
    by_age = source.query(demo_db, CLI_ACTOR, ListRequest(sort_key=lambda r: r.age, descending=True))
    ages = [r.age for r in by_age.rows if r.age is not None]
    assert ages == sorted(ages, reverse=True)


def test_cases_source_searches_numbers_and_initials(demo_db: Any) -> None:
    source = CasesSource()
    rows = source.query(demo_db, CLI_ACTOR, ListRequest()).rows
    case_no = rows[5].case_no
    assert [r.case_no for r in source.query(demo_db, CLI_ACTOR, ListRequest(text=case_no)).rows] == [case_no]
    seq = case_no[-4:]
    assert case_no in {r.case_no for r in source.query(demo_db, CLI_ACTOR, ListRequest(text=seq)).rows}
    closed = source.query(demo_db, CLI_ACTOR, ListRequest(filter_value=CaseStage.CLOSED.value)).rows
    assert closed and all(r.stage == CaseStage.CLOSED for r in closed)


def test_excel_keeps_text_as_text(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    count = write_xlsx(target, "服务对象: 名单", ["姓名", "证件号码", "年龄"],
                       [["王桂花", "150121********1234", "82"], ["其其格", "000123", ""]], numeric_columns=[2])
    assert count == 2
    sheet = load_workbook(target).active
    assert sheet.title == "服务对象_ 名单"
    assert list(sheet.iter_rows(values_only=True)) == [("姓名", "证件号码", "年龄"),
                                                        ("王桂花", "150121********1234", 82),
                                                        ("其其格", "000123", None)]
