"""The shipped CJK font is TrueType, loads in reportlab and covers GB 2312 (DESIGN.md §7).

Only the font file is checked here, through reportlab's own parser (no extra dependency):
every character of GB 2312 (symbols, level-1 and level-2 hanzi), ``·`` (U+00B7, the
separator in Mongolian names) and printable ASCII must map to a real, non-empty glyph.
"""

from __future__ import annotations

import string
import struct
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FONT_PATH = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
LICENCE_PATH = FONT_PATH.with_name("LICENSE-wqy-microhei.txt")
MIDDLE_DOT = "\u00b7"


def gb2312_chars(first_row: int, last_row: int) -> list[str]:
    """Decode every assigned GB 2312 code point in rows ``first_row``..``last_row`` (0xA1-0xF7)."""
    chars: list[str] = []
    for high in range(first_row, last_row + 1):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # unassigned slots, e.g. 0xD7FA-0xD7FE
                continue
    return chars


HANZI = gb2312_chars(0xB0, 0xF7)
ALL_GB2312 = gb2312_chars(0xA1, 0xF7)


@pytest.fixture(scope="module")
def face() -> TTFontFace:
    font = TTFont("WQY", str(FONT_PATH), subfontIndex=0)
    return font.face


def missing(face: TTFontFace, chars: list[str]) -> list[str]:
    cmap: dict[int, int] = face.charToGlyph
    return [ch for ch in chars if cmap.get(ord(ch), 0) == 0]


def test_enumeration_is_complete() -> None:
    assert len(HANZI) == 3755 + 3008 == 6763
    assert len(ALL_GB2312) == 7445
    assert "啊" in HANZI and "齄" in HANZI


def test_files_are_shipped() -> None:
    assert FONT_PATH.stat().st_size > 1_000_000
    assert "Apache" in LICENCE_PATH.read_text(encoding="utf-8")


def test_subfont_zero_is_micro_hei(face: TTFontFace) -> None:
    assert face.name == b"WenQuanYiMicroHei"


def test_every_gb2312_hanzi_has_a_glyph(face: TTFontFace) -> None:
    assert missing(face, HANZI) == []


def test_every_gb2312_character_has_a_glyph(face: TTFontFace) -> None:
    assert missing(face, ALL_GB2312) == []


def test_middle_dot_digits_and_latin_have_glyphs(face: TTFontFace) -> None:
    extra = [MIDDLE_DOT, *string.digits, *string.ascii_letters, *string.punctuation]
    assert missing(face, extra) == []


def test_hanzi_glyphs_have_outlines(face: TTFontFace) -> None:
    """A cmap entry pointing at an empty glyph would print a blank, not a character."""
    index_to_loc_format = struct.unpack(">h", face.get_table("head")[50:52])[0]
    loca = face.get_table("loca")
    if index_to_loc_format == 0:
        offsets = [2 * v for v in struct.unpack(f">{len(loca) // 2}H", loca)]
    else:
        offsets = list(struct.unpack(f">{len(loca) // 4}L", loca))
    cmap: dict[int, int] = face.charToGlyph
    empty = [
        ch
        for ch in [*HANZI, MIDDLE_DOT]
        if offsets[cmap[ord(ch)] + 1] - offsets[cmap[ord(ch)]] == 0
    ]
    assert empty == []
