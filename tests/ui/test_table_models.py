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


def test_a_fetching_model_asks_for_pages_past_what_it_read(qtmodeltester: Any) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    asked: list[tuple[int, int]] = []
    model.set_result(ROWS[:300], len(ROWS), lambda offset, count: asked.append((offset, count)))
    assert model.total == len(ROWS) and model.rowCount() == PAGE_SIZE and not model.complete
    while model.canFetchMore(QModelIndex()) and not asked:
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 300 and asked == [(300, PAGE_SIZE)]
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    model.append_rows(0, ROWS[:10])  # an answer for another offset (an older result): dropped
    assert model.rowCount() == 300
    model.append_rows(300, ROWS[300:500])
    assert model.rowCount() == 500 and model.row_at(499) == ROWS[499]
    model.append_rows(500, [])  # records deleted meanwhile: the result ends where the rows end
    assert model.total == 500 and model.complete and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_paged_source_pages_agree_with_the_whole_list(demo_db: Any) -> None:
    for source in (PeopleSource(), CasesSource()):
        whole = source.query(demo_db, CLI_ACTOR, ListRequest(paged=False)).rows
        first = source.query(demo_db, CLI_ACTOR, ListRequest())
        assert first.count == len(whole) == first.total_unfiltered
        pages = [*first.rows]
        while len(pages) < first.count:
            pages.extend(source.page(demo_db, CLI_ACTOR, ListRequest(), len(pages), 7))
        assert pages == list(whole)
    cases = CasesSource()
    by_contacts = cases.page(demo_db, CLI_ACTOR, ListRequest(sort_field="service_records", descending=True), 0,
                             None)
    counts = [r.service_records for r in by_contacts]
    assert counts == sorted(counts, reverse=True)
    people = PeopleSource()
    oldest_first = people.page(demo_db, CLI_ACTOR, ListRequest(sort_field="-birth_date", descending=True), 0, None)
    ages = [r.age for r in oldest_first if r.age is not None]
    assert ages == sorted(ages, reverse=True)
    one = people.query(demo_db, CLI_ACTOR, ListRequest(text="王"))  # a one-character name search
    assert one.count and all("王" in r.name for r in one.rows)
    poor = people.query(demo_db, CLI_ACTOR, ListRequest(filter_value="DB"))
    assert poor.count and all("DB" in r.categories for r in poor.rows)
    closed = cases.query(demo_db, CLI_ACTOR, ListRequest(filter_value=CaseStage.CLOSED.value))
    assert closed.count and all(r.stage == CaseStage.CLOSED for r in closed.rows)


def test_a_list_page_reads_further_pages_as_the_table_scrolls(qtbot: QtBot, ctx: Any,
                                                              monkeypatch: Any) -> None:
    from wushe_desktop.ui import list_sources
    from wushe_desktop.ui.list_page import ListPage
    from wushe_desktop.ui.lists import cases_spec

    monkeypatch.setattr(list_sources, "FETCH_SIZE", 5)
    page = ListPage(ctx, cases_spec())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    everything = list_records(ctx.db, CLI_ACTOR, "cases")
    assert page.model.total == len(everything) > 5 and page.model.rowCount() == 5
    assert f"{len(everything)}" in page.count_label.text()
    page.model.fetchMore(QModelIndex())  # the view scrolled to the end of what was read
    qtbot.waitUntil(lambda: page.model.rowCount() == len(everything), timeout=10_000)
    assert [r.case_no for r in page.model.rows] == [c["case_no"] for c in everything]


def test_a_capped_result_reads_pages_until_one_comes_back_short(qtmodeltester: Any) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    asked: list[tuple[int, int]] = []
    model.set_result(ROWS[:PAGE_SIZE], PAGE_SIZE, lambda offset, count: asked.append((offset, count)), more=True)
    assert model.more and not model.complete and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert asked == [(PAGE_SIZE, PAGE_SIZE)]  # past the count: it was capped
    model.append_rows(PAGE_SIZE, ROWS[PAGE_SIZE:2 * PAGE_SIZE])  # a full page: there may be more
    assert model.total == 2 * PAGE_SIZE and model.more and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.append_rows(2 * PAGE_SIZE, ROWS[2 * PAGE_SIZE:2 * PAGE_SIZE + 7])  # short: the end
    assert model.total == 2 * PAGE_SIZE + 7 and not model.more and model.complete
    assert not model.canFetchMore(QModelIndex()) and model.rowCount() == 2 * PAGE_SIZE + 7
    qtmodeltester.check(model)


def test_a_search_counted_past_the_limit_says_so_until_scrolled_to_its_end(qtbot: QtBot, ctx: Any,
                                                                        monkeypatch: Any) -> None:
    from wushe_desktop.services import lists
    from wushe_desktop.ui import list_sources
    from wushe_desktop.ui.list_page import ListPage
    from wushe_desktop.ui.lists import people_spec

    monkeypatch.setattr(lists, "COUNT_LIMIT", 3)
    monkeypatch.setattr(list_sources, "FETCH_SIZE", 2)
    page = ListPage(ctx, people_spec())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    everyone = page.model.total
    matching, _all = lists.count_records(ctx.db, CLI_ACTOR, lists.ListQuery("people", "w"))
    assert matching > 3
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.search.setText("w")
        page.refresh()
    assert page.count_label.text().startswith("3+") and str(everyone) in page.count_label.text()
    assert page.model.more and page.model.rowCount() == 2
    while page.model.more or page.model.rowCount() < page.model.total:  # the view scrolls to the end
        page.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not page.model._fetching, timeout=10_000)
    found = page.model.rows
    assert len(found) == len({r.uuid for r in found}) == matching == page.model.total
    assert "+" not in page.count_label.text() and page.count_label.text().startswith(str(matching))
