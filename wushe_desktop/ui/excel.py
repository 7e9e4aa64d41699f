"""Writing a list to an Excel workbook (openpyxl), for "export this list to Excel".

Plain Python, run on the worker. Every cell is written as text except the numeric
columns, so ID numbers and record numbers never turn into numbers (DESIGN.md §8).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from wushe_desktop.errors import WusheError

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
               numeric_columns: Sequence[int] = ()) -> int:
    """Write one sheet: a header row, then the rows.

    Args:
        path: The ``.xlsx`` file to write (replaced if it exists).
        title: The sheet's name.
        headers: Column headers.
        rows: Cell texts, row by row.
        numeric_columns: Indexes of columns written as numbers where they parse.

    Returns:
        How many data rows were written.

    Raises:
        WusheError: ``export.cannot_write`` if the file cannot be written (open in
            Excel, a read-only stick...).
    """
    from openpyxl import Workbook  # deferred: a large import
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _SHEET_FORBIDDEN.sub("_", title)[:31] or "Sheet1"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    numeric = set(numeric_columns)
    count = 0
    for row in rows:
        values: list[object] = []
        for i, text in enumerate(row):
            if i in numeric:
                try:
                    number = float(text)
                except ValueError:
                    values.append(text)
                else:
                    values.append(int(number) if number.is_integer() else number)
            else:
                values.append(text)
        sheet.append(values)
        count += 1
    for i, header in enumerate(headers, start=1):
        width = max([len(str(header)) * 2] + [len(str(r[i - 1])) for r in rows[:200]] + [6])
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(width + 2, 40)
    sheet.freeze_panes = "A2"
    try:
        book.save(path)
    except OSError as exc:
        raise WusheError("export.cannot_write", field="path", detail=str(exc)) from exc
    return count
