"""The embedded CJK fonts and the paragraph styles of every printed form.

The main TrueType font is shipped (``resources/fonts/wqy-microhei.ttc``, subfont 0,
WenQuanYi Micro Hei; DESIGN.md §7). reportlab embeds the glyphs a document uses as
subsets, so a PDF opens on a PC without any Chinese font. Every style, table style, chart
label and canvas string uses this font: a standard-14 font (Helvetica) would print
Chinese as blanks and is never referenced.

Micro Hei has no CJK Extension A/B characters, which appear in names (䶮, 㛃, 𠮷). A
second font, ``resources/fonts/wushe-han-fallback.ttf`` (Noto Sans CJK SC cut down to
Extension A and B, TrueType outlines, SIL OFL), supplies them **per character**, in one
place: :func:`fallback_markup` wraps the characters Micro Hei lacks in ``<font>`` tags
for paragraphs, and :func:`string_width` / :func:`draw_string` split canvas strings into
runs. :mod:`~wushe_desktop.printing.layout` calls them for every paragraph, table cell
and page header, so a form never prints a rare name as an empty box.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as rl_ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as rl_paragraph

from wushe_desktop.paths import resource_path

__all__ = [
    "FALLBACK_FONT_NAME",
    "FONT_NAME",
    "Styles",
    "draw_string",
    "fallback_chars",
    "fallback_markup",
    "font_runs",
    "needs_fallback",
    "register_font",
    "string_width",
    "styles",
]

#: The name the font is registered under in reportlab.
FONT_NAME: Final = "WQYMicroHei"
_FONT_FILE: Final = ("fonts", "wqy-microhei.ttc")
#: The name of the rare-character font (CJK Extension A and B) in reportlab.
FALLBACK_FONT_NAME: Final = "WusheHanFallback"
_FALLBACK_FILE: Final = ("fonts", "wushe-han-fallback.ttf")

# Full-width punctuation that must not start a line (GB/T 15834 标点禁则). reportlab's
# list covers Japanese usage and lacks the Chinese comma, colon, semicolon, ! ? and
# closing quotes, so a line could begin with "，".
_CHINESE_CANNOT_START: Final = "，：；！？”’》〉」』）】〕…·%"

_lock = threading.Lock()


def _utf16_hex(code: int) -> str:
    """A code point as the hex of its UTF-16BE code units (a surrogate pair above U+FFFF)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap``, writing characters above U+FFFF as UTF-16."""
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


@cache
def register_font() -> str:
    """Register the shipped TrueType font with reportlab (once per process).

    Returns:
        The font name to use in styles and on canvases (:data:`FONT_NAME`).

    Raises:
        FileNotFoundError: If the font file is missing (a broken installation).
    """
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            path = resource_path(*_FONT_FILE)
            if not path.is_file():
                raise FileNotFoundError(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        if FALLBACK_FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            path = resource_path(*_FALLBACK_FILE)
            if not path.is_file():
                raise FileNotFoundError(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(FALLBACK_FONT_NAME, str(path)))
        # reportlab writes a supplementary-plane character (𠮷, U+20BB7) into the
        # ToUnicode map as <20BB7>, which readers reject: copy-paste and text search of
        # the PDF would lose it. The map it should write uses UTF-16 (a surrogate pair).
        rl_ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        # reportlab reads these module globals when wrapping CJK text (one copy for
        # multi-fragment paragraphs, one for single-fragment ones); extending them is
        # idempotent and only changes where lines break.
        for module in (rl_paragraph, rl_textsplit):
            missing = "".join(c for c in _CHINESE_CANNOT_START if c not in module.ALL_CANNOT_START)
            if missing:
                module.ALL_CANNOT_START += missing
    return FONT_NAME


def _cmap(name: str) -> frozenset[int]:
    """The code points a registered font maps to a real glyph."""
    face = pdfmetrics.getFont(name).face
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


@cache
def fallback_chars() -> frozenset[str]:
    """The characters the main font lacks and the fallback font has (Ext-A/B hanzi)."""
    register_font()
    return frozenset(chr(code) for code in _cmap(FALLBACK_FONT_NAME) - _cmap(FONT_NAME))


def needs_fallback(text: str) -> bool:
    """Whether any character of ``text`` prints in the fallback font."""
    return not fallback_chars().isdisjoint(text)


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` split into (font name, run) pieces, each run printable in its font.

    A character neither font has stays in the main font (it prints as the font's
    missing-glyph box, as before).
    """
    rare = fallback_chars()
    return [(font, "".join(run)) for font, run in
            groupby(text, key=lambda ch: FALLBACK_FONT_NAME if ch in rare else FONT_NAME)]


def fallback_markup(markup: str) -> str:
    """Paragraph markup with every run of rare characters wrapped in ``<font name=...>``.

    ``markup`` is already escaped paragraph text: tags and entities are ASCII, and only
    non-ASCII characters are ever wrapped, so the markup stays well formed.
    """
    if not needs_fallback(markup):
        return markup
    return "".join(run if font == FONT_NAME else f'<font name="{FALLBACK_FONT_NAME}">{run}</font>'
                   for font, run in font_runs(markup))


def string_width(text: str, size: float) -> float:
    """Width of a one-line string in points, each character in the font that prints it."""
    if not needs_fallback(text):
        return float(pdfmetrics.stringWidth(text, FONT_NAME, size))
    return float(sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text)))


def draw_string(canvas: Any, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """Draw a one-line string on a reportlab canvas, rare characters in the fallback font.

    Args:
        canvas: The canvas; its font is left set to the main font at ``size``.
        x: The left end, centre or right end (see ``align``).
        y: The baseline.
        text: Plain text.
        size: Font size in points.
        align: ``"left"``, ``"centre"`` or ``"right"``.
    """
    width = string_width(text, size)
    start = x - width if align == "right" else x - width / 2 if align == "centre" else x
    # One text object: the runs stay one line for copy-paste and text search.
    line = canvas.beginText(start, y)
    for font, run in font_runs(text):
        line.setFont(font, size)
        line.textOut(run)
    canvas.drawText(line)
    canvas.setFont(FONT_NAME, size)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the forms (all in the CJK font, ``wordWrap="CJK"``).

    Attributes:
        title: The form's title at the top of its first page.
        subtitle: A line under the title (numbers, dates).
        heading: Section headings (一、基本情况).
        body: Running text.
        cell: Table cell text.
        cell_center: Centred table cell text (numbers, short codes).
        cell_right: Right-aligned table cell text (amounts).
        label: Field labels in form grids.
        header_cell: Column headers of list tables.
        small: Notes and footnotes.
        dense_cell: Cell text of dense (many-column) tables.
        dense_center: Centred cell text of dense tables.
        dense_right: Right-aligned cell text of dense tables.
        cover_title: The big title of a case-file cover.
    """

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    label: ParagraphStyle
    header_cell: ParagraphStyle
    small: ParagraphStyle
    dense_cell: ParagraphStyle
    dense_center: ParagraphStyle
    dense_right: ParagraphStyle
    cover_title: ParagraphStyle


def _style(name: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_NAME,
        fontSize=size,
        leading=leading,
        wordWrap="CJK",
        textColor=colors.black,
        **extra,
    )


@cache
def styles() -> Styles:
    """The shared styles; registers the font on first use.

    Returns:
        The styles, built once per process.
    """
    register_font()
    return Styles(
        title=_style("title", 17, 24, alignment=TA_CENTER, spaceAfter=4),
        subtitle=_style("subtitle", 9.5, 13, alignment=TA_CENTER, spaceAfter=6),
        heading=_style("heading", 11.5, 16, spaceBefore=8, spaceAfter=4),
        body=_style("body", 10.5, 17, alignment=TA_LEFT, firstLineIndent=21, spaceAfter=3),
        cell=_style("cell", 9.5, 13.5),
        cell_center=_style("cell_center", 9.5, 13.5, alignment=TA_CENTER),
        cell_right=_style("cell_right", 9.5, 13.5, alignment=TA_RIGHT),
        label=_style("label", 9.5, 13.5, alignment=TA_CENTER),
        header_cell=_style("header_cell", 9.5, 13.5, alignment=TA_CENTER),
        small=_style("small", 8.5, 12),
        dense_cell=_style("dense_cell", 8.5, 12),
        dense_center=_style("dense_center", 8.5, 12, alignment=TA_CENTER),
        dense_right=_style("dense_right", 8.5, 12, alignment=TA_RIGHT),
        cover_title=_style("cover_title", 30, 40, alignment=TA_CENTER),
    )
