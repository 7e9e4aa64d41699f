"""The embedded CJK font and the paragraph styles of every printed form.

One TrueType font is shipped (``resources/fonts/wqy-microhei.ttc``, subfont 0, WenQuanYi
Micro Hei; DESIGN.md §7). reportlab embeds the glyphs a document uses as subsets, so a
PDF opens on a PC without any Chinese font. Every style, table style, chart label and
canvas string uses this font: a standard-14 font (Helvetica) would print Chinese as
blanks and is never referenced.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Final

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as rl_paragraph

from wushe_desktop.paths import resource_path

__all__ = ["FONT_NAME", "Styles", "register_font", "styles"]

#: The name the font is registered under in reportlab.
FONT_NAME: Final = "WQYMicroHei"
_FONT_FILE: Final = ("fonts", "wqy-microhei.ttc")

# Full-width punctuation that must not start a line (GB/T 15834 标点禁则). reportlab's
# list covers Japanese usage and lacks the Chinese comma, colon, semicolon, ! ? and
# closing quotes, so a line could begin with "，".
_CHINESE_CANNOT_START: Final = "，：；！？”’》〉」』）】〕…·%"

_lock = threading.Lock()


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
        # reportlab reads these module globals when wrapping CJK text (one copy for
        # multi-fragment paragraphs, one for single-fragment ones); extending them is
        # idempotent and only changes where lines break.
        for module in (rl_paragraph, rl_textsplit):
            missing = "".join(c for c in _CHINESE_CANNOT_START if c not in module.ALL_CANNOT_START)
            if missing:
                module.ALL_CANNOT_START += missing
    return FONT_NAME


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
