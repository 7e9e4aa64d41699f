"""Page frame and building blocks shared by every printed form.

Every page carries the station name and the form title (header), "第 x 页 共 y 页", the
print date and who printed it (footer). The total page count is known only when the
document is finished, so :class:`FormCanvas` keeps each finished page aside and draws the
headers and footers when the document is saved (the "two-pass canvas": content first,
decoration at save). The same deferral fills in the page numbers of a case file's
contents list in one layout pass.

Tables hold :class:`~reportlab.platypus.Paragraph` cells, so long names and notes wrap
instead of overflowing, and long rows split across pages; list tables repeat their header
row on every page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from typing import Any, Final, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import CondPageBreak

from wushe_desktop.domain.validation import mask_id_number, mask_phone
from wushe_desktop.printing.data import PrintContext
from wushe_desktop.printing.fonts import (
    FONT_NAME,
    draw_string,
    fallback_markup,
    needs_fallback,
    register_font,
    string_width,
    styles,
)

__all__ = [
    "CHECKED",
    "GRID_COLOR",
    "LABEL_BG",
    "UNCHECKED",
    "FormCanvas",
    "PageRef",
    "SectionStart",
    "Signature",
    "checkbox",
    "content_width",
    "field_table",
    "fmt_date",
    "fmt_date_short",
    "fmt_datetime",
    "fmt_hours",
    "fmt_time_range",
    "fmt_yuan",
    "heading",
    "id_text",
    "join",
    "list_table",
    "para",
    "phone_text",
    "render",
    "signature_block",
    "text_table",
    "title_block",
    "yes_no",
]

PAGE_PORTRAIT: Final = A4
PAGE_LANDSCAPE: Final = landscape(A4)
MARGIN_X: Final[float] = 18 * mm
MARGIN_TOP: Final[float] = 22 * mm
MARGIN_BOTTOM: Final[float] = 20 * mm
HEADER_BASELINE: Final[float] = 13 * mm  # from the top edge
FOOTER_BASELINE: Final[float] = 10 * mm  # from the bottom edge

GRID_COLOR: Final = colors.Color(0.25, 0.25, 0.25)
LABEL_BG: Final = colors.Color(0.93, 0.94, 0.96)
HEADER_BG: Final = colors.Color(0.86, 0.89, 0.93)
RULE_COLOR: Final = colors.Color(0.45, 0.45, 0.45)
CHECKED: Final = "■"
UNCHECKED: Final = "□"

_PAD: Final = 3.5


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------


_SPACES_RE: Final = re.compile(" {2,}")


def _markup(text: str) -> str:
    """Escape text for a Paragraph, keeping its line breaks and runs of spaces."""
    text = escape(text).replace("\r\n", "\n").replace("\n", "<br/>")
    # reportlab collapses spaces, the ideographic space included; no-break spaces stay.
    text = text.replace("\u3000", "\u00a0" * 3)
    # Rare name characters (CJK Ext-A/B) print in the fallback font, character by character.
    return fallback_markup(_SPACES_RE.sub(lambda m: "\u00a0" * len(m.group()), text))


class _Paragraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph that does not break its lines again when re-wrapped at the same width.

    A table wraps every cell twice (to size its row, then to draw it); breaking CJK text
    into lines is the costliest step of a long case file, and the result depends only
    on the width (style and text never change after creation).
    """

    _last_wrap: tuple[float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break into lines for ``availWidth`` unless the previous call already did."""
        last = self._last_wrap
        # split() may drop the line breaks (blPara) to force a fresh layout.
        if last is not None and last[0] == availWidth and "blPara" in self.__dict__:
            return availWidth, last[1]
        width, height = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, height)
        return width, height


def para(text: str, style: Any = None) -> Paragraph:
    """A Paragraph of plain text (escaped; ``\\n`` becomes a line break).

    Args:
        text: Plain text, never markup.
        style: A style from :func:`~wushe_desktop.printing.fonts.styles`; cell text by
            default.
    """
    return _Paragraph(_markup(text), style if style is not None else styles().cell)


def fmt_date(value: date | None) -> str:
    """``2024年3月12日``, or an empty string."""
    return f"{value.year}年{value.month}月{value.day}日" if value is not None else ""


def fmt_date_short(value: date | None) -> str:
    """``2024-03-12`` (for dense tables), or an empty string."""
    return value.isoformat() if value is not None else ""


def fmt_datetime(value: datetime | None) -> str:
    """``2024年3月12日 09:30``, or an empty string."""
    if value is None:
        return ""
    return f"{fmt_date(value.date())} {value:%H:%M}"


def fmt_time_range(start: time | None, end: time | None) -> str:
    """``09:00–10:30``; one end alone, or an empty string."""
    parts = [f"{t:%H:%M}" for t in (start, end) if t is not None]
    return "–".join(parts)


def fmt_yuan(fen: int | None) -> str:
    """An amount in fen as yuan with two decimals and thousands separators."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def fmt_hours(tenths: int) -> str:
    """Tenths of an hour as hours with one decimal (``365`` → ``36.5``)."""
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}"


def yes_no(value: bool | None) -> str:
    """``是`` / ``否``, or an empty string for None."""
    if value is None:
        return ""
    return "是" if value else "否"


def checkbox(checked: bool, label: str) -> str:
    """A printed check box with its label (``■ 同意`` / ``□ 同意``)."""
    return f"{CHECKED if checked else UNCHECKED} {label}"


def join(items: Iterable[str], sep: str = "、") -> str:
    """Join the non-empty items."""
    return sep.join(item for item in items if item)


def id_text(number: str | None, ctx: PrintContext) -> str:
    """An ID number as printed: masked (first 6, last 4) unless revealed."""
    if not number:
        return ""
    return number if ctx.reveal_ids else mask_id_number(number)


def phone_text(number: str | None, ctx: PrintContext) -> str:
    """A phone number as printed: masked (first 3, last 4) unless revealed."""
    if not number:
        return ""
    return number if ctx.reveal_ids else mask_phone(number)


# ---------------------------------------------------------------------------
# The canvas: headers, footers and page references drawn at save time
# ---------------------------------------------------------------------------


def _width(text: str, size: float) -> float:
    """Width of a string as :func:`~wushe_desktop.printing.fonts.draw_string` draws it, in points."""
    return string_width(text, size)


class FormCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that decorates pages once the page total is known.

    Each finished page's state is kept until :meth:`save`; then every page gets its
    header (station name, form title), footer (page x of y, print date, printer) and any
    deferred page references, and is written out. Section marks
    (:class:`SectionStart`) change the header title from their page on and record where
    each document of a case file starts.
    """

    def __init__(
        self,
        *args: Any,
        ctx: PrintContext,
        title: str,
        subject: str = "",
        copy: bool = False,
        **kwargs: Any,
    ) -> None:
        """Create the canvas (called by the doc template with reportlab's arguments).

        Args:
            *args: reportlab's positional arguments (the output file).
            ctx: Station, print date and masking choice.
            title: The header title until a section mark changes it.
            subject: What the pages are about (a case or activity number), centred in
                the header so that a loose page can be put back.
            copy: Mark every page 副本.
            **kwargs: reportlab's keyword arguments (page size, invariant...).
        """
        super().__init__(*args, **kwargs)
        self._ctx = ctx
        self._copy = copy
        self._subject = subject
        self._finished: list[dict[str, Any]] = []
        self._page_title = title
        self._running_title = title
        self._title_marked = False
        self._anchors: list[tuple[str, str, int]] = []  # key, title, page number
        self._refs: list[tuple[int, float, float, str, float]] = []  # page, x, y, key, size

    # -- hooks used by the flowables -------------------------------------------------

    def mark_section(self, title: str, key: str) -> None:
        """Start a section on the current page (see :class:`SectionStart`)."""
        if not self._title_marked:
            self._page_title = title
            self._title_marked = True
        self._running_title = title
        self._anchors.append((key, title, self.getPageNumber()))

    def add_page_ref(self, key: str, x: float, y: float, size: float) -> None:
        """Draw, at save time, the page range of section ``key`` centred at (x, y)."""
        self._refs.append((self.getPageNumber(), x, y, key, size))

    # -- page bookkeeping ------------------------------------------------------------

    def showPage(self) -> None:  # reportlab's name
        """Keep the finished page aside instead of writing it."""
        self._finished.append(dict(self.__dict__))
        self._page_title = self._running_title
        self._title_marked = False
        self._startPage()

    def save(self) -> None:
        """Decorate every kept page, write them out and finish the PDF."""
        total = len(self._finished)
        ranges = self._section_ranges(total)
        refs: dict[int, list[tuple[float, float, str, float]]] = {}
        for page, x, y, key, size in self._refs:
            refs.setdefault(page, []).append((x, y, key, size))
        anchors: dict[int, list[tuple[str, str]]] = {}
        for key, title, page in self._anchors:
            anchors.setdefault(page, []).append((key, title))
        for number, state in enumerate(self._finished, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            for x, y, key, size in refs.get(number, ()):
                self.saveState()
                self.setFont(FONT_NAME, size)
                self.drawCentredString(x, y, ranges.get(key, ""))  # digits only
                self.restoreState()
            for key, title in anchors.get(number, ()):
                self.bookmarkPage(key)
                self.addOutlineEntry(title, key, level=0)
            Canvas.showPage(self)
        self._finished.clear()
        Canvas.save(self)

    def _section_ranges(self, total: int) -> dict[str, str]:
        """Page range of each section: ``7`` or ``7-9``."""
        ranges: dict[str, str] = {}
        for index, (key, _title, start) in enumerate(self._anchors):
            following = self._anchors[index + 1][2] if index + 1 < len(self._anchors) else None
            end = max(start, following - 1) if following is not None else total
            ranges[key] = str(start) if end == start else f"{start}-{end}"
        return ranges

    def _decorate(self, number: int, total: int) -> None:
        """Header, footer and the copy mark of one page."""
        width, height = float(self._pagesize[0]), float(self._pagesize[1])
        left, right = MARGIN_X, width - MARGIN_X
        self.saveState()
        self.setFillColor(colors.black)
        self.setStrokeColor(RULE_COLOR)
        self.setLineWidth(0.5)

        station = self._ctx.station_name + ("（副本）" if self._copy else "")
        title = self._page_title
        subject = self._subject
        middle = width / 2

        def fits(size: float, subject: str) -> bool:
            half = _width(subject, size) / 2 + 12 if subject else 12
            return (
                left + _width(station, size) <= middle - half
                and right - _width(title, size) >= middle + half
            )

        size = 9.0
        while size > 6 and not fits(size, subject):
            size -= 0.5
        if subject and not fits(size, subject):
            subject = ""  # long names on both sides: the number gives way
        top = height - HEADER_BASELINE
        draw_string(self, left, top, station, size)
        if subject:
            draw_string(self, middle, top, subject, size, "centre")
        draw_string(self, right, top, title, size, "right")
        self.line(left, top - 4, right, top - 4)

        self.line(left, FOOTER_BASELINE + 11, right, FOOTER_BASELINE + 11)
        self.setFont(FONT_NAME, 8.5)
        if self._ctx.printed_by:
            draw_string(self, left, FOOTER_BASELINE, f"打印人：{self._ctx.printed_by}", 8.5)
        self.drawCentredString(width / 2, FOOTER_BASELINE, f"第 {number} 页 共 {total} 页")
        self.drawRightString(right, FOOTER_BASELINE, f"打印日期：{fmt_date(self._ctx.printed_on)}")

        if self._copy:
            self.setFillColor(colors.Color(0.55, 0.55, 0.55))
            self.setFillAlpha(0.18)
            self.setFont(FONT_NAME, 110)
            self.translate(width / 2, height / 2)
            self.rotate(35)
            self.drawCentredString(0, -40, "副本")
        self.restoreState()


class SectionStart(Flowable):  # type: ignore[misc]
    """Marks where a document of a case file starts (header title, contents, outline).

    Place it first on a fresh page (after a page break).
    """

    def __init__(self, title: str, key: str) -> None:
        """Args: title: the header title from here on; key: the section's unique key."""
        super().__init__()
        self.title = title
        self.key = key
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Tell the canvas that the section starts here."""
        canv = self.canv
        if isinstance(canv, FormCanvas):
            canv.mark_section(self.title, self.key)


class PageRef(Flowable):  # type: ignore[misc]
    """A cell whose text is the page range of a section, filled in at save time."""

    def __init__(self, key: str, size: float = 9.5) -> None:
        """Args: key: the section (see :class:`SectionStart`); size: the font size."""
        super().__init__()
        self.key = key
        self.size = size
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Fills the cell's width, one line high."""
        self.width = availWidth
        self.height = self.size * 1.42  # the leading of the cell style
        return self.width, self.height

    def draw(self) -> None:
        """Record where the number goes; :class:`FormCanvas` draws it when saving."""
        canv = self.canv
        if isinstance(canv, FormCanvas):
            # Same baseline as a one-line Paragraph cell: one font size below the top.
            x, y = canv.absolutePosition(self.width / 2, self.height - self.size)
            canv.add_page_ref(self.key, x, y, self.size)


# ---------------------------------------------------------------------------
# Document assembly
# ---------------------------------------------------------------------------


class _ProgressAdapter:
    """Turns reportlab's ``(kind, value)`` progress calls into ``progress(done, total)``."""

    def __init__(self, progress: Callable[[int, int], None], total: int) -> None:
        self._progress = progress
        self._total = max(total, 1)
        self._done = 0

    def __call__(self, kind: str, value: int) -> None:
        if kind == "PROGRESS":
            # Split flowables go back on the queue, so reportlab's count can step back.
            done = min(max(int(value), self._done), self._total)
            if done > self._done:
                self._done = done
                self._progress(done, self._total)
        elif kind == "FINISHED" and self._done < self._total:
            self._done = self._total
            self._progress(self._total, self._total)


def content_width(*, wide: bool = False) -> float:
    """Width of the text frame of a portrait (or landscape, ``wide``) page."""
    page = PAGE_LANDSCAPE if wide else PAGE_PORTRAIT
    return float(page[0] - 2 * MARGIN_X)


def render(
    story: list[Flowable],
    ctx: PrintContext,
    *,
    title: str,
    subject: str = "",
    wide: bool = False,
    copy: bool = False,
    invariant: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Lay out a story on A4 pages with the shared header and footer.

    Args:
        story: The flowables, in order.
        ctx: Station, print date and masking choice.
        title: The form title (header and PDF metadata).
        subject: A record number shown in the middle of every header (case number,
            activity number...), so that a loose page can be put back.
        wide: Landscape pages (wide tables).
        copy: Mark every page 副本 (also when ``ctx.copy`` is set).
        invariant: Byte-stable output (fixed dates and ids), for tests.
        progress: Called as ``progress(done, total)`` while the story is laid out
            (flowables placed so far, never decreasing), last with ``done == total``.

    Returns:
        The PDF file's bytes.
    """
    register_font()
    buffer = io.BytesIO()
    pagesize = PAGE_LANDSCAPE if wide else PAGE_PORTRAIT
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=ctx.station_name,
        subject=title,
        creator="wushe_desktop",
        invariant=1 if invariant else 0,
        initialFontName=FONT_NAME,
        initialFontSize=10.5,
        initialLeading=15,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    if progress is not None:
        doc.setProgressCallBack(_ProgressAdapter(progress, len(story)))
    maker = partial(FormCanvas, ctx=ctx, title=title, subject=subject, copy=copy or ctx.copy)
    doc.build(story, canvasmaker=maker)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------


def title_block(title: str, subtitle: str = "") -> list[Flowable]:
    """The form's title, with an optional line of numbers and dates under it."""
    st = styles()
    parts: list[Flowable] = [para(title, st.title)]
    if subtitle:
        parts.append(para(subtitle, st.subtitle))
    else:
        parts.append(Spacer(1, 4))
    return parts


def heading(text: str) -> Flowable:
    """A section heading (一、基本情况), kept with what follows it."""
    paragraph = para(text, styles().heading)
    paragraph.keepWithNext = True
    return paragraph


_ALIGN: Final = {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}


def _base_style(extra: Sequence[tuple[Any, ...]] = (), *, size: float = 9.5) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.42),
            ("TEXTCOLOR", (0, 0), (-1, -1), colors.black),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD + 1.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            *extra,
        ]
    )


Cell: TypeAlias = "str | Flowable"


def _cell(value: Cell, style: Any, width: float) -> Cell:
    """A table cell: a plain string when it fits on one line, else a wrapping Paragraph.

    Plain strings are drawn by the table itself in its FONTNAME/FONTSIZE/ALIGN, which is
    several times cheaper than a Paragraph (long lists and case files have thousands of
    cells); anything that could overflow becomes a Paragraph and wraps.

    Args:
        value: Text or a ready flowable.
        style: Paragraph style used when the text must wrap.
        width: The cell's width, paddings included.
    """
    if not isinstance(value, str):
        return value
    if (
        "\n" not in value
        and not needs_fallback(value)  # the table draws plain strings in the main font only
        and stringWidth(value, FONT_NAME, style.fontSize) <= width - 2 * _PAD - 1.5
    ):
        return value
    return para(value, style)


def field_table(
    rows: Sequence[Sequence[tuple[str, Cell]]],
    *,
    width: float | None = None,
    label_width: float = 24 * mm,
) -> Table:
    """A form grid of label/value pairs: ``| 姓名 | 王桂花 | 性别 | 女 |``.

    Args:
        rows: Each row holds one or more (label, value) pairs; a row with fewer pairs
            than the widest row stretches its last value to the right edge.
        width: Total width; the frame width by default.
        label_width: Width of each label column.

    Returns:
        The table (label cells shaded, values wrapping).
    """
    st = styles()
    total = width if width is not None else content_width()
    pairs = max((len(row) for row in rows), default=1)
    value_width = (total - pairs * label_width) / pairs
    widths = [label_width, value_width] * pairs
    data: list[list[Cell]] = []
    extra: list[tuple[Any, ...]] = [
        ("ALIGN", (2 * c, 0), (2 * c, -1), "CENTER") for c in range(pairs)
    ]
    for r, row in enumerate(rows):
        cells: list[Cell] = []
        for c, (label, value) in enumerate(row):
            spanned = (
                value_width + (pairs - c - 1) * (label_width + value_width)
                if c == len(row) - 1
                else value_width
            )
            cells.append(_cell(label, st.label, label_width))
            cells.append(_cell(value, st.cell, spanned))
            extra.append(("BACKGROUND", (2 * c, r), (2 * c, r), LABEL_BG))
        if len(row) < pairs:
            extra.append(("SPAN", (len(cells) - 1, r), (2 * pairs - 1, r)))
            extra.append(("ALIGN", (len(cells) - 1, r), (2 * pairs - 1, r), "LEFT"))
            cells.extend([""] * (2 * pairs - len(cells)))
        data.append(cells)
    return Table(data, colWidths=widths, style=_base_style(extra), splitInRow=1)


def text_table(
    rows: Sequence[tuple[str, Cell]],
    *,
    width: float | None = None,
    label_width: float = 24 * mm,
    min_height: float = 30,
) -> Table:
    """Long text fields: ``| 服务内容 | several paragraphs ... |``.

    Rows split across pages, so a note of thousands of characters flows on.

    Args:
        rows: (label, text) pairs, one per row.
        width: Total width; the frame width by default.
        label_width: Width of the label column.
        min_height: Minimum row height, so empty fields still look like a form.
    """
    st = styles()
    total = width if width is not None else content_width()
    value_width = total - label_width
    data = [
        [_cell(label, st.label, label_width), _cell(value, st.cell, value_width)]
        for label, value in rows
    ]
    # Top-aligned: a row split over pages keeps its label at the top of its first part.
    style = _base_style(
        [
            ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
            ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    return Table(
        data,
        colWidths=[label_width, value_width],
        style=style,
        splitInRow=1,
        minRowHeights=[min_height] * len(data),
    )


def list_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    weights: Sequence[float],
    *,
    width: float | None = None,
    align: Sequence[str] | None = None,
    footer: Sequence[Cell] | None = None,
    row_height: float | None = None,
    dense: bool = False,
) -> Table:
    """A table of records with its header row repeated on every page.

    Args:
        headers: Column titles.
        rows: Cell values (text or flowables).
        weights: Relative column widths.
        width: Total width; the frame width by default.
        align: Per column ``"L"``, ``"C"`` or ``"R"``; left by default.
        footer: A last row (totals), shaded like the header.
        row_height: Minimum height of data rows (room for a handwritten signature).
        dense: Smaller text, for tables with many columns.

    Returns:
        The table.
    """
    st = styles()
    total = width if width is not None else content_width()
    scale = total / sum(weights)
    widths = [w * scale for w in weights]
    aligns = list(align) if align is not None else ["L"] * len(headers)
    if dense:
        by_align = {"L": st.dense_cell, "C": st.dense_center, "R": st.dense_right}
    else:
        by_align = {"L": st.cell, "C": st.cell_center, "R": st.cell_right}
    column_styles = [by_align[a] for a in aligns]

    def line(values: Sequence[Cell]) -> list[Cell]:
        return [_cell(v, cs, w) for v, cs, w in zip(values, column_styles, widths, strict=True)]

    data: list[list[Cell]] = [
        [_cell(h, by_align["C"], w) for h, w in zip(headers, widths, strict=True)]
    ]
    data.extend(line(row) for row in rows)
    extra: list[tuple[Any, ...]] = [
        *(("ALIGN", (c, 1), (c, -1), _ALIGN[a]) for c, a in enumerate(aligns)),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
    ]
    if footer is not None:
        data.append(line(footer))
        extra.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_BG))
    heights = None
    if row_height is not None:
        heights = [0.0] + [row_height] * (len(data) - 1)
    return Table(
        data,
        colWidths=widths,
        style=_base_style(extra, size=by_align["L"].fontSize),
        repeatRows=1,
        splitInRow=1,
        minRowHeights=heights,
    )


@dataclass(frozen=True)
class Signature:
    """A signature line: ``社工签名：__________  日期：    年  月  日``.

    Attributes:
        label: What is signed (社工签名, 服务对象签名...).
        on: A date already known (printed on the date line); blank otherwise.
    """

    label: str
    on: date | None = None


def signature_block(signatures: Sequence[Signature], *, width: float | None = None) -> Flowable:
    """Signature and date lines, kept together and away from the page bottom.

    Args:
        signatures: One line each.
        width: Total width; the frame width by default.
    """
    st = styles()
    total = width if width is not None else content_width()
    label_w = max(stringWidth(s.label + "：", FONT_NAME, 10.5) for s in signatures) + 8
    date_label_w = 14 * mm
    date_w = 48 * mm
    line_w = max(total - label_w - date_label_w - date_w - 8 * mm, 30 * mm)
    data: list[list[Flowable | str]] = []
    for sig in signatures:
        when = fmt_date(sig.on) if sig.on is not None else "        年      月      日"
        data.append(
            [
                para(sig.label + "：", st.cell),
                "",
                "",
                para("日期：", st.cell),
                para(when, st.cell_center),
            ]
        )
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ("LINEBELOW", (4, 0), (4, -1), 0.6, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 12),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    table = Table(
        data,
        colWidths=[label_w, line_w, 8 * mm, date_label_w, date_w],
        style=style,
        hAlign="LEFT",
    )
    need = len(signatures) * 30 + 20
    return KeepTogether([CondPageBreak(need), Spacer(1, 8), table])
