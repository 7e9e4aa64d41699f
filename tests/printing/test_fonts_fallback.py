"""Rare name characters (CJK Extension A/B) print in the fallback font, never as boxes.

WenQuanYi Micro Hei has no 䶮 (U+4DAE, Ext-A), 㛃 (U+36C3, Ext-A) or 𠮷 (U+20BB7, Ext-B);
``resources/fonts/wushe-han-fallback.ttf`` supplies them character by character. A PDF
is read back with pypdf (the text a reader can copy or search) and its fonts are listed
from the PDF's own font resources (what ``pdffonts`` shows; checked with poppler too
where it is installed).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from wushe_desktop.printing.data import PrintContext
from wushe_desktop.printing.fonts import (
    FALLBACK_FONT_NAME,
    FONT_NAME,
    fallback_chars,
    fallback_markup,
    font_runs,
    string_width,
)
from wushe_desktop.printing.layout import field_table, list_table, para, render
from wushe_desktop.services import printing as p
from wushe_desktop.services.context import Actor
from wushe_desktop.services.volunteers import VolunteerInput, register_volunteer
from wushe_desktop.storage.db import Database

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
RARE_NAME = "吉𠮷䶮·㛃"  # Ext-B, Ext-A, the Mongolian-name dot, Ext-A


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts the pages use, without the subset tag (``AAAAAA+``)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded TrueType
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_fallback_font_file_covers_ext_a_and_b_and_is_small() -> None:
    path = FONTS / "wushe-han-fallback.ttf"
    assert path.stat().st_size < 5_000_000
    licence = (FONTS / "LICENSE-wushe-han-fallback.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans CJK" in licence
    cmap = TTFont("probe", str(path)).face.charToGlyph
    ext_a = [c for c in cmap if 0x3400 <= c <= 0x4DBF and cmap[c]]
    ext_b = [c for c in cmap if 0x20000 <= c <= 0x2A6DF and cmap[c]]
    assert len(ext_a) >= 6582  # every Ext-A character of Unicode 3.0
    assert len(ext_b) >= 2000  # the Ext-B characters in use in names and place names
    for ch in "𠮷䶮㛃":
        assert cmap.get(ord(ch), 0) != 0


def test_only_characters_the_main_font_lacks_fall_back() -> None:
    rare = fallback_chars()
    assert {"𠮷", "䶮", "㛃"} <= rare
    assert not rare & set("王桂花·毕克齐镇（）0123456789")
    assert font_runs(RARE_NAME) == [(FONT_NAME, "吉"), (FALLBACK_FONT_NAME, "𠮷䶮"), (FONT_NAME, "·"),
                                    (FALLBACK_FONT_NAME, "㛃")]
    assert fallback_markup("王桂花&amp;<br/>") == "王桂花&amp;<br/>"
    assert fallback_markup("刘䶮<br/>") == f'刘<font name="{FALLBACK_FONT_NAME}">䶮</font><br/>'
    assert string_width("刘䶮", 10) == pytest.approx(20, abs=1)  # two full-width characters


def test_paragraphs_cells_and_page_headers_print_rare_characters() -> None:
    ctx = PrintContext(station_name="毕克齐镇社工站", station_code="150121101000",
                       printed_on=date(2026, 11, 25), printed_by="苏𠮷娜", reveal_ids=False)
    story = [
        para(f"服务对象{RARE_NAME}，其子刘䶮。"),
        field_table([[("姓名", RARE_NAME), ("性别", "男")]]),  # a short value: a plain table cell
        list_table(["序号", "姓名"], [["1", "刘䶮"]], [1, 3]),
    ]
    pdf = render(story, ctx, title="测试表", subject="巴特尔·𠮷")
    text = text_of(pdf)
    assert text.count("𠮷") >= 4  # paragraph, cell, header subject, footer printer
    assert text.count("䶮") >= 3 and "㛃" in text
    assert "打印人：苏𠮷娜" in text
    assert embedded_fonts(pdf) == {"WenQuanYiMicroHei-0", "WusheHanFallback-Regular"}


def test_plain_forms_embed_only_the_main_font() -> None:
    ctx = PrintContext(station_name="毕克齐镇社工站", station_code="150121101000",
                       printed_on=date(2026, 11, 25), printed_by="李娜", reveal_ids=False)
    pdf = render([para("王桂花"), field_table([[("姓名", "王桂花")]])], ctx, title="测试表")
    assert embedded_fonts(pdf) == {"WenQuanYiMicroHei-0"}


def test_a_volunteer_with_a_rare_name_prints_it(db: Database, actor: Actor, tmp_path: Path) -> None:
    saved = register_volunteer(db, actor, VolunteerInput(name=RARE_NAME, phone="13800001111"))
    pdf = p.print_volunteer_form(db, actor, saved.volunteer.volunteer_no, today=date(2026, 11, 25))
    text = text_of(pdf)
    assert RARE_NAME in text
    assert embedded_fonts(pdf) == {"WenQuanYiMicroHei-0", "WusheHanFallback-Regular"}
    pdffonts = shutil.which("pdffonts")
    if pdffonts is not None:  # poppler, where installed: both fonts listed, both embedded
        path = tmp_path / "volunteer.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
        lines = [line for line in listing.splitlines() if "+" in line]
        assert any("WusheHanFallback" in line for line in lines)
        assert any("WenQuanYiMicroHei" in line for line in lines)
        assert all(" yes " in line for line in lines)
