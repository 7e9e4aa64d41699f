"""A table model over frozen rows that fills the view page by page (STYLE.md §6).

The model never holds ORM objects: rows are frozen dataclasses built from service
results. It exposes them :data:`PAGE_SIZE` at a time through ``canFetchMore`` /
``fetchMore``, so the view only ever asks for the rows it scrolls to and a list of 100k
records appears at once. Given a ``fetch`` callback (:meth:`RecordTableModel.set_result`),
it holds only the rows read so far: when the view scrolls past them it asks ``fetch`` for
the next page (the list screen reads it on the reader worker) and
:meth:`RecordTableModel.append_rows` adds it. Sorting is asked for by signal: the list screen sorts on the
reader worker (see :func:`sort_rows`) and hands the sorted rows back with
:meth:`RecordTableModel.set_rows`, so a large sort never blocks the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

R = TypeVar("R")

# Rows added to the view per ``fetchMore``.
PAGE_SIZE = 200

# The item data role that returns the frozen row object of an index.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex

# What data() answers, as plain ints (comparing Qt's enum members costs more at each paint).
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_ROW = int(ROW_ROLE)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _ROW})
_LEFT = (Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header and how a row shows in it.

    Attributes:
        title: The translated header.
        text: The cell text of a row (a pure function: also used for Excel export on
            the worker thread, so it must not call Qt).
        sort_key: What sorting compares (default: the text); ``None`` values sort last.
        numeric: Right-aligned, exported as a number.
    """

    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False


def _key(column: Column[R]) -> Callable[[R], tuple[bool, Any]]:
    getter = column.sort_key or column.text

    def key(row: R) -> tuple[bool, Any]:
        value = getter(row)
        return (value is None or value == "", value if value is not None else "")

    return key


def sort_rows(rows: Sequence[R], column: Column[R], descending: bool) -> list[R]:
    """Rows sorted by a column (stable; empty values last in both directions).

    Pure Python, meant for the worker thread.
    """
    key = _key(column)
    present = [r for r in rows if not key(r)[0]]
    missing = [r for r in rows if key(r)[0]]
    present.sort(key=lambda r: key(r)[1], reverse=descending)
    return present + missing


def text_of(value: object) -> str:
    """A plain value as a cell shows it (dates as YYYY-MM-DD, None as empty)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Frozen rows shown page by page.

    Signals:
        sort_requested(int, bool): column, descending — the view's header was clicked.
    """

    sort_requested = Signal(int, bool)

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._alignments = [_RIGHT if c.numeric else _LEFT for c in self._columns]
        self._rows: list[R] = []
        self._shown = 0
        self._inserting = False
        self._total = 0
        self._fetch: Callable[[int, int], None] | None = None
        self._fetching = False
        self._more = False

    # -- our API ------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column[R]]:
        """The columns, in order."""
        return list(self._columns)

    @property
    def rows(self) -> Sequence[R]:
        """The rows of the current result read so far (all of them without ``fetch``)."""
        return tuple(self._rows)

    @property
    def total(self) -> int:
        """How many rows the current result has."""
        return self._total

    @property
    def more(self) -> bool:
        """Whether the result may hold more rows than :attr:`total` (its count was capped)."""
        return self._more

    @property
    def complete(self) -> bool:
        """Whether every row of the result has been read."""
        return len(self._rows) >= self._total and not self._more

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace the result with all its rows; the view starts again with the first page."""
        self.set_result(rows, len(rows), None)

    def set_result(self, rows: Sequence[R], total: int, fetch: Callable[[int, int], None] | None,
                   more: bool = False) -> None:
        """Replace the result: its first rows, how many it has, and how to ask for more.

        ``fetch(offset, count)`` is called (once at a time) when the view needs rows past
        those read; answer with :meth:`append_rows`. ``more``: the result has at least
        ``total`` rows (a capped count); pages are asked for until one comes back short.
        """
        self.beginResetModel()
        self._rows = list(rows)
        self._total = max(total, len(self._rows))
        self._fetch = fetch
        self._fetching = False
        self._more = more and fetch is not None
        self._shown = min(PAGE_SIZE, len(self._rows))
        self.endResetModel()

    def append_rows(self, offset: int, rows: Sequence[R]) -> None:
        """Rows read by ``fetch`` from ``offset`` (an answer for an older result is dropped).

        A page shorter than asked ends the result (the last page, or records deleted
        meanwhile): :attr:`total` becomes the number of rows read.
        """
        if offset != len(self._rows):
            return
        self._fetching = False
        self._rows.extend(rows)
        if len(rows) < PAGE_SIZE:
            self._total = len(self._rows)
            self._more = False
        else:
            self._total = max(self._total, len(self._rows))
        self._insert_until(self._shown + PAGE_SIZE)

    def row_at(self, row: int) -> R | None:
        """The frozen row shown at a view row, if any."""
        return self._rows[row] if 0 <= row < self._shown else None

    def show_row(self, row: int) -> None:
        """Fetch pages until the given result row is in the view."""
        self._insert_until(row + 1)

    # -- Qt overrides ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role at each paint (~2000 calls): the roles this
        # model answers are tested first, as plain ints, and the alignments were made once.
        if role not in _ROLES or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not 0 <= row < self._shown or not 0 <= col < len(self._columns):
            return None
        if role == _ALIGNMENT:
            return self._alignments[col]
        if role == _ROW:
            return self._rows[row]
        return self._columns[col].text(self._rows[row])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1) if 0 <= section < self._shown else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid() or self._inserting:
            return False
        return self._shown < len(self._rows) or self._can_read_more()

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        if self._shown < len(self._rows):
            self._insert_until(self._shown + PAGE_SIZE)
        elif self._can_read_more():
            assert self._fetch is not None
            self._fetching = True
            self._fetch(len(self._rows), PAGE_SIZE)

    def _can_read_more(self) -> bool:
        return self._fetch is not None and not self._fetching and (len(self._rows) < self._total or self._more)

    def _insert_until(self, end: int) -> None:
        """Show rows up to ``end`` (exclusive); views may ask again while we insert: no."""
        first, last = self._shown, min(end, len(self._rows)) - 1
        if self._inserting or last < first:
            return
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), first, last)
            self._shown = last + 1
            self.endInsertRows()
        finally:
            self._inserting = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._columns):
            self.sort_requested.emit(column, order == Qt.SortOrder.DescendingOrder)
