"""Read a roster file (xlsx or csv) into plain text rows.

This module only turns a file into rows of text keyed by canonical field names. It
does not validate values (ID numbers, phones, dates...) and does not touch the
database: the roster import service builds on top of it (DESIGN.md section 8, SCENARIOS
scenario 9).

Columns are matched by header name, Chinese or English, ignoring case, whitespace,
full-width/half-width differences, parentheses and a "required" marker (``*`` or
``（必填）``). Headers that are not understood are reported in
:attr:`RosterFile.unknown_columns`, never silently dropped. Every row keeps its real
spreadsheet row number so that problems can be pointed at the right row.

A file that cannot be read at all raises :class:`~wushe_desktop.errors.ImportFileError`
with one of these codes:

* ``roster.not_found``: the file does not exist.
* ``roster.xls_unsupported``: an old Excel ``.xls`` workbook (save it as ``.xlsx``).
* ``roster.unsupported_format``: any other extension (param ``extension``).
* ``roster.unreadable``: a corrupt or password-protected workbook, an I/O error.
* ``roster.encoding``: a csv file that is neither UTF-8 nor GB18030.
* ``roster.no_header``: an empty file, or one with only blank rows.
* ``roster.missing_column``: a required column is missing (param ``column``).
* ``roster.duplicate_column``: two headers map to the same field (param ``column``).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Final

from wushe_desktop.errors import ImportFileError

__all__ = [
    "PEOPLE_COLUMNS",
    "VOLUNTEER_COLUMNS",
    "RosterFile",
    "RosterKind",
    "RosterRow",
    "read_roster",
]


class RosterKind(StrEnum):
    """What a roster file lists."""

    PEOPLE = "people"
    VOLUNTEERS = "volunteers"


_ID_NUMBER_HEADERS: Final = (
    "证件号码",
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "id number",
    "id",
    "id_number",
)
_PHONE_HEADERS: Final = (
    "联系电话",
    "电话",
    "手机",
    "手机号",
    "phone",
    "mobile",
    "telephone",
)

PEOPLE_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "name": ("姓名", "name", "full name"),
        "sex": ("性别", "sex", "gender"),
        "ethnicity": ("民族", "ethnicity", "ethnic group"),
        "id_number": _ID_NUMBER_HEADERS,
        "birth_date": ("出生日期", "birth date", "date of birth", "birthday"),
        "phone": _PHONE_HEADERS,
        "address": ("现居住地", "现住址", "居住地址", "地址", "address", "current address"),
        "category": ("类别", "服务对象类别", "人员类别", "category", "categories"),
    }
)
"""People roster: canonical field -> header names that map to it."""

VOLUNTEER_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "name": ("姓名", "name"),
        "id_number": _ID_NUMBER_HEADERS,
        "phone": _PHONE_HEADERS,
        "skills": ("专业技能", "技能", "特长", "skills"),
        "team": ("所属队伍", "志愿服务队伍", "队伍", "team"),
    }
)
"""Volunteer roster: canonical field -> header names that map to it."""

_REQUIRED_COLUMNS: Final[Mapping[RosterKind, tuple[str, ...]]] = MappingProxyType(
    {
        RosterKind.PEOPLE: ("name",),
        RosterKind.VOLUNTEERS: ("name",),
    }
)

_COLUMNS_BY_KIND: Final[Mapping[RosterKind, Mapping[str, tuple[str, ...]]]] = MappingProxyType(
    {
        RosterKind.PEOPLE: PEOPLE_COLUMNS,
        RosterKind.VOLUNTEERS: VOLUNTEER_COLUMNS,
    }
)

_XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
_CSV_SUFFIXES: Final = frozenset({".csv"})
_XLS_SUFFIXES: Final = frozenset({".xls"})

_CSV_DELIMITERS: Final = (",", "\t", ";")
_DELIMITER_CHARS: Final = "".join(_CSV_DELIMITERS) + " \u3000"
# Records parsed per candidate delimiter when sniffing.
_SNIFF_RECORDS: Final = 20
# At most this many one-cell rows (a title, a subtitle...) may sit above the header.
_MAX_TITLE_ROWS: Final = 3
# Floats at or above this magnitude are shown the way Excel shows them (1.50121E+17):
# Excel keeps only 15 significant digits, so the digits of an 18-digit ID are lost.
_SCIENTIFIC_FROM: Final = 1e15

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream name inside a password-protected (OLE-wrapped) xlsx workbook.
_ENCRYPTED_STREAM: Final = "EncryptedPackage".encode("utf-16-le")

# Invisible characters that survive str.strip() but must not survive a cell.
_INVISIBLE: Final = "\u200b\u200c\u200d\u2060\ufeff"
# Markers of a required column in a header: "姓名*", "*姓名", "姓名（必填）".
_REQUIRED_MARKERS: Final = ("(必填)", "*")


@dataclass(frozen=True)
class RosterRow:
    """One non-blank data row of a roster.

    Attributes:
        row_number: Spreadsheet row number as the user sees it (for csv the header is
            row 1 when it is the first line; for xlsx the real sheet row).
        values: Canonical field -> cell text, stripped. Empty cells are ``''``;
            fields whose column is missing from the file are absent.
    """

    row_number: int
    values: Mapping[str, str]


@dataclass(frozen=True)
class RosterFile:
    """A roster file read into plain text rows.

    Attributes:
        kind: What the roster lists.
        columns: Canonical field -> the header text as written in the file.
        unknown_columns: Headers that were not understood, in file order.
        rows: Non-blank data rows, in file order.
        encoding: For csv: ``'utf-8'``, ``'utf-8-sig'``, ``'gb18030'`` (or
            ``'utf-16'`` for a file with a UTF-16 byte-order mark); ``None`` for xlsx.
    """

    kind: RosterKind
    columns: Mapping[str, str]
    unknown_columns: tuple[str, ...]
    rows: tuple[RosterRow, ...]
    encoding: str | None


# A raw row: its real row number and the text of every cell, in column order.
_RawRow = tuple[int, list[str]]


def read_roster(path: Path, kind: RosterKind) -> RosterFile:
    """Read a roster file into plain text rows.

    The format is chosen by extension: ``.xlsx``/``.xlsm`` (first worksheet only, the
    active one) or ``.csv`` (UTF-8 with or without BOM, or GB18030; delimiter ``,``,
    tab or ``;``). The header is the first non-blank row, unless that row holds a single
    cell (a title such as "XX嘎查志愿者花名册") and a row below it names known columns.

    Args:
        path: The file to read.
        kind: Whether the file lists people (service users) or volunteers.

    Returns:
        The columns found and the non-blank data rows, values as text.

    Raises:
        ImportFileError: The file cannot be read at all; see the module docstring for
            the codes.
    """
    kind = RosterKind(kind)
    path = Path(path)
    if not path.is_file():
        raise ImportFileError("roster.not_found", detail=str(path))
    suffix = path.suffix.lower()
    if suffix in _XLS_SUFFIXES:
        raise ImportFileError(
            "roster.xls_unsupported",
            detail="old Excel .xls workbook: save it as .xlsx (Excel Workbook) and retry",
        )
    if suffix in _XLSX_SUFFIXES:
        return _read_xlsx(path, kind)
    if suffix in _CSV_SUFFIXES:
        return _read_csv(path, kind)
    raise ImportFileError(
        "roster.unsupported_format",
        detail="expected .xlsx, .xlsm or .csv",
        extension=suffix,
    )


# --- headers ------------------------------------------------------------------------


def normalize_header(text: str) -> str:
    """Reduce a header to the form used to match it against known names.

    Full-width characters become half-width (NFKC), case and whitespace are ignored,
    a required marker (``*`` or ``（必填）``) at either end is dropped, then
    parentheses are dropped.

    Args:
        text: Header text as written in the file.

    Returns:
        The normalized key, e.g. ``"姓名"`` for ``" 姓名（必填） "``, ``"idnumber"``
        for ``"ID Number"``.
    """
    key = unicodedata.normalize("NFKC", text).casefold()
    key = "".join(ch for ch in key if not ch.isspace() and ch not in _INVISIBLE and ch != "_")
    changed = True
    while changed and key:
        changed = False
        for marker in _REQUIRED_MARKERS:
            if key.endswith(marker):
                key = key[: -len(marker)]
                changed = True
            if key.startswith(marker):
                key = key[len(marker) :]
                changed = True
    return key.replace("(", "").replace(")", "")


def _alias_table(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Build normalized header -> canonical field for one roster kind."""
    table: dict[str, str] = {}
    for field, aliases in columns.items():
        for alias in (field, *aliases):
            key = normalize_header(alias)
            if table.get(key, field) != field:
                # Two fields sharing a header name: a bug in the tables above.
                raise AssertionError(f"header {alias!r} maps to two fields")
            table[key] = field
    return table


_ALIASES: Final[Mapping[RosterKind, Mapping[str, str]]] = MappingProxyType(
    {kind: MappingProxyType(_alias_table(cols)) for kind, cols in _COLUMNS_BY_KIND.items()}
)


def _known_field(header: str, aliases: Mapping[str, str]) -> str | None:
    """The canonical field a header maps to, or None."""
    if not header:
        return None
    return aliases.get(normalize_header(header))


# --- cell text ------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Strip whitespace (full-width too) and invisible characters at both ends."""
    return text.strip().strip(_INVISIBLE).strip()


def _float_text(value: float) -> str:
    """Text for a float cell, as close as possible to what Excel shows."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= _SCIENTIFIC_FROM:
        # Excel's "General" format: six significant digits, e.g. 1.50121E+17. The
        # validator recognises this text as an ID number mangled by Excel.
        mantissa, exponent = f"{abs(value):.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        sign = "-" if value < 0 else ""
        return f"{sign}{mantissa}E{exponent}"
    if value.is_integer():
        return str(int(value))
    # 15 significant digits, as Excel keeps: 0.1 + 0.2 reads "0.3", not a repr.
    return format(value, ".15g")


def _cell_text(value: object) -> str:
    """Turn one spreadsheet cell value into stripped text.

    Args:
        value: A value from openpyxl (or a csv string).

    Returns:
        The text: numbers without a spurious ``.0``, dates as ``YYYY-MM-DD``,
        booleans as ``是``/``否``, ``''`` for an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, date):
        # datetime is a date too: only the day matters in a roster.
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return _clean(str(value))


# --- header detection and rows -------------------------------------------------------------


def _nonempty_count(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if cell)


def _maps_known_column(cells: Sequence[str], aliases: Mapping[str, str]) -> bool:
    return any(_known_field(cell, aliases) is not None for cell in cells)


def _build_roster(
    kind: RosterKind, raw_rows: Iterable[_RawRow], encoding: str | None
) -> RosterFile:
    """Find the header, map the columns and collect the non-blank data rows.

    Args:
        kind: What the roster lists.
        raw_rows: Every row of the sheet in order, with its real row number.
        encoding: The csv encoding, or None for xlsx.

    Returns:
        The roster.

    Raises:
        ImportFileError: ``roster.no_header``, ``roster.missing_column`` or
            ``roster.duplicate_column``.
    """
    aliases = _ALIASES[kind]
    nonblank: Iterator[_RawRow] = (row for row in raw_rows if any(row[1]))

    # Look ahead over leading one-cell rows (titles): at most _MAX_TITLE_ROWS of them
    # plus the row after them.
    leading: list[_RawRow] = []
    for row in nonblank:
        leading.append(row)
        if _nonempty_count(row[1]) > 1 or len(leading) > _MAX_TITLE_ROWS:
            break
    if not leading:
        raise ImportFileError("roster.no_header", detail="the file has no non-blank row")

    header_at = 0
    for index in range(1, len(leading)):
        if _maps_known_column(leading[index][1], aliases):
            header_at = index
            break
    header_cells = leading[header_at][1]
    pending = leading[header_at + 1 :]

    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, header in enumerate(header_cells):
        if not header:
            # A column without a header: nothing to name it by.
            continue
        field = _known_field(header, aliases)
        if field is None:
            unknown.append(header)
        elif field in columns:
            raise ImportFileError(
                "roster.duplicate_column",
                detail=f"headers {columns[field]!r} and {header!r} both mean {field!r}",
                column=field,
            )
        else:
            columns[field] = header
            positions[field] = position

    for required in _REQUIRED_COLUMNS[kind]:
        if required not in columns:
            raise ImportFileError(
                "roster.missing_column",
                # No cell texts here: a "header" that is really a data row would put
                # personal data into the log.
                detail=f"no such column in header row {leading[header_at][0]}",
                column=required,
            )

    fields = tuple(positions.items())
    rows: list[RosterRow] = []
    for row_number, cells in itertools.chain(pending, nonblank):
        width = len(cells)
        values = {field: (cells[pos] if pos < width else "") for field, pos in fields}
        rows.append(RosterRow(row_number=row_number, values=values))

    return RosterFile(
        kind=kind,
        columns=columns,
        unknown_columns=tuple(unknown),
        rows=tuple(rows),
        encoding=encoding,
    )


# --- container sniffing ----------------------------------------------------------------


def _read_head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise _unreadable(exc) from exc


def _reject_ole(path: Path) -> None:
    """Raise a clear error for an OLE2 file (old .xls or encrypted xlsx) under a new name."""
    if _read_head(path, len(_OLE_MAGIC)) != _OLE_MAGIC:
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc) from exc
    if _ENCRYPTED_STREAM in data:
        raise ImportFileError(
            "roster.unreadable",
            detail="the workbook is password-protected: remove the password and save again",
            reason="encrypted",
        )
    raise ImportFileError(
        "roster.xls_unsupported",
        detail="an old Excel .xls workbook with a new name: save it as .xlsx and retry",
    )


# --- xlsx ------------------------------------------------------------------------------

# What openpyxl and the libraries under it raise on a damaged workbook. SyntaxError
# covers xml.etree's ParseError and lxml's XMLSyntaxError.
_XLSX_ERRORS: Final = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
    OSError,
)


def _unreadable(exc: BaseException) -> ImportFileError:
    return ImportFileError("roster.unreadable", detail=f"{type(exc).__name__}: {exc}")


def _read_xlsx(path: Path, kind: RosterKind) -> RosterFile:
    """Read the active worksheet of an xlsx/xlsm workbook, streaming."""
    _reject_ole(path)
    # Imported here so that csv-only use never pays for openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    errors = (InvalidFileException, *_XLSX_ERRORS)
    with warnings.catch_warnings():
        # openpyxl warns about parts it cannot keep (data validation extensions,
        # missing default style...); none of them matter for reading values.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except errors as exc:
            raise _unreadable(exc) from exc
        try:
            try:
                sheet = workbook.active
                if sheet is None or not hasattr(sheet, "reset_dimensions"):
                    raise ImportFileError(
                        "roster.no_header", detail="the active sheet is not a worksheet"
                    )
                # Many writers store a wrong <dimension>: without this, read-only mode
                # would cut every row to it.
                sheet.reset_dimensions()
                values: Iterator[Sequence[object]] = iter(sheet.iter_rows(values_only=True))
            except errors as exc:
                raise _unreadable(exc) from exc
            try:
                return _build_roster(kind, _xlsx_rows(values, errors), None)
            finally:
                # A generator left half-read (an error in the header) holds the sheet
                # XML open inside the zip: close it before the workbook.
                close = getattr(values, "close", None)
                if close is not None:
                    close()
        finally:
            # Read-only workbooks keep the zip open (and locked on Windows).
            workbook.close()


def _xlsx_rows(
    values: Iterator[Sequence[object]], errors: tuple[type[BaseException], ...]
) -> Iterator[_RawRow]:
    """Number the sheet's rows and turn their cells into text.

    openpyxl yields every row from row 1 on, filling gaps, so counting gives the real
    row number. The sheet XML is parsed lazily: a damaged sheet fails here, and only
    the errors raised by openpyxl itself become ``roster.unreadable``.
    """
    row_number = 0
    while True:
        try:
            row = next(values)
        except StopIteration:
            return
        except errors as exc:
            raise _unreadable(exc) from exc
        row_number += 1
        yield row_number, [_cell_text(value) for value in row]


# --- csv -------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """Decode csv bytes.

    Returns:
        The text and the encoding that decoded it.

    Raises:
        ImportFileError: ``roster.encoding`` when no supported encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export, renamed to .csv.
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "roster.encoding",
        detail=f"not {' / '.join(candidates)}: save the file as CSV UTF-8 and retry",
    )


def _sniff_delimiter(text: str, aliases: Mapping[str, str]) -> str:
    """Choose the delimiter among comma, tab and semicolon.

    The winner names the most known columns in one of the first records, then splits
    the first non-blank record into the most cells; ties go to the comma.
    """
    best = ","
    best_score = (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        known = 0
        first_width = 0
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for index, record in enumerate(reader):
                if index >= _SNIFF_RECORDS:
                    break
                cells = [_clean(cell) for cell in record]
                # A record of nothing but delimiters (",,") is blank whatever the
                # delimiter: it must not make a wrong delimiter look better.
                if not any(cell.strip(_DELIMITER_CHARS) for cell in cells):
                    continue
                if not first_width:
                    first_width = len(cells)
                known = max(known, sum(1 for c in cells if _known_field(c, aliases)))
        except csv.Error:
            continue
        score = (known, first_width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, kind: RosterKind) -> RosterFile:
    """Read a csv roster in UTF-8 (with or without BOM) or GB18030."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc) from exc
    if data.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            "roster.unreadable",
            detail="this is an Excel workbook named .csv: rename it to .xlsx",
        )
    if data.startswith(_OLE_MAGIC):
        _reject_ole(path)
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text, _ALIASES[kind])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Each csv record is one spreadsheet row (a quoted cell may span lines).
    raw_rows = (
        (row_number, [_clean(cell) for cell in record])
        for row_number, record in enumerate(reader, start=1)
    )
    try:
        return _build_roster(kind, raw_rows, encoding)
    except csv.Error as exc:
        raise ImportFileError("roster.unreadable", detail=f"csv: {exc}") from exc
