"""One screen for a list of records: search as you type, a filter, sorting, Excel export.

The page is configured by a :class:`ListSpec` (columns, source, filter) rather than
subclassed. Every query runs on the reader worker; results come back by signal and an
answer to an older keystroke is dropped, so typing never waits for the database. A
result arrives as its count and first page; further pages are read on the reader as the
table scrolls (``RecordTableModel.set_result``), so a list of 100k records opens at once.
A search counts at most 1,000 matches ("1000+ 条"); the exact number shows once the
table has been scrolled to the last of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.paths import data_dir
from wushe_desktop.ui.context import ReloadWhenShown, UiContext
from wushe_desktop.ui.excel import write_xlsx
from wushe_desktop.ui.list_sources import SEARCH_LIMIT, ListRequest, ListResult, ListSource
from wushe_desktop.ui.messages import show_error
from wushe_desktop.ui.table_model import ROW_ROLE, Column, RecordTableModel
from wushe_desktop.ui.worker import Job

R = TypeVar("R")

# Space above and below a table row's text (pixels).
ROW_PADDING = 8

# Widest a column is made when sized to its contents (pixels).
MAX_COLUMN_WIDTH = 320

# Typing pauses this long before the search runs (keystrokes in between are merged).
SEARCH_DELAY_MS = 150

# A query still running after this long says so in the count label (a sort by contacts at
# 100k cases takes about a second; quicker answers never flash the text).
BUSY_DELAY_MS = 300

# Rows whose text sizes the columns (QHeaderView::setResizeContentsPrecision): the first
# screen's, not every row read.
SIZE_ROWS = 40


@dataclass
class ListSpec(Generic[R]):
    """What makes one list screen.

    Attributes:
        kind: The record kind (``"people"``...), as in ``DataEvents.changed``.
        title: The screen's heading.
        source: Where rows come from (used on the reader worker).
        columns: The table's columns.
        search_hint: The search box's placeholder.
        filter_all: The filter's "everything" entry; empty for no filter.
        filter_options: The filter's entries (code, text), given the vocabulary labels.
        labels: Vocabulary labels the columns read; refreshed with every result.
        new_record: Opens the form for a new record (``None``: not available yet).
        export_name: The suggested Excel file name (without extension).
    """

    kind: str
    title: str
    source: ListSource[R]
    columns: list[Column[R]]
    search_hint: str
    export_name: str
    filter_all: str = ""
    filter_options: Callable[[dict[str, dict[str, str]]], list[tuple[str, str]]] | None = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    new_record: Callable[[QWidget], None] | None = None


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """Ask where to save the Excel file (modal). Tests replace this function."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "Excel (*.xlsx)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


class ListPage(QWidget, Generic[R]):
    """A list screen.

    Signals:
        loaded(): a result arrived and is shown.
        message(str): a line for the status bar.
        record_activated(object): a row was double-clicked or chosen (the frozen row).
    """

    loaded = Signal()
    message = Signal(str)
    record_activated = Signal(object)

    def __init__(self, ctx: UiContext, spec: ListSpec[R], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.spec = spec
        self._generation = 0
        self.reloads = ReloadWhenShown(self, ctx.events, (spec.kind,), self._reload_changed)
        self._select_first = False
        self._sort: tuple[int, bool] | None = None
        self._filter_codes: list[str] = []
        self._sized = False
        self._pending = False
        self._request = ListRequest()
        self._query_job: Job | None = None
        self._result: ListResult[R] | None = None

        self.model: RecordTableModel[R] = RecordTableModel(spec.columns, self)
        self.model.sort_requested.connect(self._on_sort)

        heading = QLabel(spec.title, self)
        heading.setObjectName("pageTitle")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(spec.search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.filter = QComboBox(self)
        self.filter.setVisible(bool(spec.filter_all))
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("New…"), self)
        self.new_button.setVisible(spec.new_record is not None)
        self.export_button = QPushButton(self.tr("Export to Excel"), self)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + ROW_PADDING)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(SIZE_ROWS)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(self._on_double_click)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.filter)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(self.new_record)
        self.export_button.clicked.connect(self.export)

    # -- actions the main window calls -----------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_record(self) -> bool:
        """Open the new-record form (Ctrl+N); False if this list has none yet."""
        if self.spec.new_record is None:
            return False
        self.spec.new_record(self)
        return True

    def show_record(self, key: str) -> None:
        """Find a record by its number or name and select it (from the dashboard)."""
        self._select_first = True
        self.filter.setCurrentIndex(0)
        self.search.setText(key)
        self._search_now()

    @property
    def busy(self) -> bool:
        """Whether a query is on its way."""
        return self._pending

    def refresh(self) -> None:
        """Run the query for the current search, filter and sort."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        code = self._filter_codes[self.filter.currentIndex() - 1] if self.filter.currentIndex() > 0 else ""
        sort_key: Callable[[Any], Any] | None = None
        sort_field = ""
        descending = False
        if self._sort is not None:
            column = self.spec.columns[self._sort[0]]
            descending = self._sort[1]
            sort_field = self.spec.source.sort_field(self._sort[0]) or ""
            if not sort_field:
                sort_key = column.sort_key or column.text
        request = self._request = ListRequest(self.search.text(), code, sort_key, descending, sort_field)
        self.reloads.stale = False
        self._pending = True
        if self.model.total == 0:
            self.count_label.setText(self.tr("Reading…"))
        else:
            self._busy_timer.start()
        if self._query_job is not None and not self._query_job.done:
            self._query_job.withdraw()  # its answer is out of date: never make the new one wait for it
        self._query_job = self._ctx.reader.run(
            self.spec.source.query, self._ctx.db, self._ctx.actor, request,
            on_done=lambda result: self._on_result(generation, result),
            on_error=lambda exc: self._on_error(generation, exc), parent=self)

    def reload(self) -> None:
        """Read the records again (they changed) and show the current query."""
        self.spec.source.invalidate()
        self.refresh()

    def export(self) -> None:
        """Export every row of the current result to an Excel file."""
        suggested = Path.home() / f"{self.spec.export_name}-{date.today().isoformat()}.xlsx"
        if not suggested.parent.is_dir():
            suggested = data_dir() / suggested.name
        path = ask_save_path(self, self.tr("Export to Excel"), suggested)
        if path is None:
            return
        columns = self.spec.columns
        rows = self.model.rows
        complete = self.model.complete
        request, source, ctx = self._request, self.spec.source, self._ctx
        headers = [c.title for c in columns]
        numeric = [i for i, c in enumerate(columns) if c.numeric]

        def cells() -> list[list[str]]:
            every = rows if complete else source.page(ctx.db, ctx.actor, request, 0, None)
            return [[c.text(r) for c in columns] for r in every]

        def job() -> int:
            return write_xlsx(path, self.spec.title, headers, cells(), numeric)

        self._ctx.reader.run(job, on_done=lambda n: self.message.emit(
            self.tr("Exported {count} rows to {path}.").format(count=n, path=str(path))),
            parent=self, progress_label=self.tr("Exporting the list to Excel…"))

    # -- internals ----------------------------------------------------------------------------

    def _search_now(self) -> None:
        self.refresh()

    def _show_busy(self) -> None:
        if self._pending:
            self.count_label.setText(self.tr("Reading…"))

    def _on_sort(self, column: int, descending: bool) -> None:
        self._sort = (column, descending)
        self.refresh()

    def _on_result(self, generation: int, result: ListResult[R]) -> None:
        if generation != self._generation:
            return  # an answer to an older keystroke
        self._pending = False
        self._busy_timer.stop()
        self._result = result
        self.spec.labels.clear()
        self.spec.labels.update(result.labels)
        self._fill_filter(result.labels)
        fetch = None if result.count <= len(result.rows) and not result.more else (
            lambda offset, count: self._fetch_page(generation, offset, count))
        self.model.set_result(result.rows, result.count, fetch, more=result.more)
        if not self._sized and result.rows:
            self._sized = True
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount() - 1):
                width = min(self.table.columnWidth(column) + 12, MAX_COLUMN_WIDTH)
                self.table.setColumnWidth(column, width)
        self._show_count(result)
        if self._select_first and result.rows:
            self.table.selectRow(0)
            self.table.scrollTo(self.model.index(0, 0))
        self._select_first = False
        self.loaded.emit()

    def _fetch_page(self, generation: int, offset: int, count: int) -> None:
        """Read the next page of the shown result on the reader (the table scrolled to it)."""
        def arrived(rows: tuple[R, ...]) -> None:
            if generation == self._generation:
                self.model.append_rows(offset, rows)
                if self._result is not None and self._result.more and not self.model.more:
                    # scrolled to the last match of a search counted as "1000+": now exact
                    self._result = replace(self._result, total=self.model.total, more=False)
                    self._show_count(self._result)

        self._ctx.reader.run(self.spec.source.page, self._ctx.db, self._ctx.actor, self._request, offset, count,
                             on_done=arrived, on_error=lambda exc: self._on_error(generation, exc), parent=self)

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self._busy_timer.stop()
        self.count_label.setText(self.tr("The list could not be read."))
        show_error(self, exc)

    def _show_count(self, result: ListResult[R]) -> None:
        count = result.count
        if count == 0:
            text = self.tr("No records found.") if result.total_unfiltered else self.tr("No records yet.")
        elif result.more:
            text = self.tr("{count}+ of {total} records").format(count=count, total=result.total_unfiltered)
        elif (result.total is None and self.search.text().strip() and self.spec.kind == "people"
              and count >= SEARCH_LIMIT):  # the whole-list path: the people search's first hits
            text = self.tr("Showing the first {count} matches; type more to narrow the search.").format(count=count)
        elif count == result.total_unfiltered:
            text = self.tr("{count} records").format(count=count)
        else:
            text = self.tr("{count} of {total} records").format(count=count, total=result.total_unfiltered)
        self.count_label.setText(text)

    def _fill_filter(self, labels: dict[str, dict[str, str]]) -> None:
        if not self.spec.filter_all or self.spec.filter_options is None or self._filter_codes:
            return
        options: Sequence[tuple[str, str]] = self.spec.filter_options(labels)
        self._filter_codes = [code for code, _ in options]
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(self.spec.filter_all)
        for _code, text in options:
            self.filter.addItem(text)
        self.filter.setCurrentIndex(0)
        self.filter.blockSignals(False)

    def _on_double_click(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.record_activated.emit(row)

    def _reload_changed(self) -> None:
        """The records changed: forget what the source read, then read again."""
        self.spec.source.invalidate()
        self.refresh()
