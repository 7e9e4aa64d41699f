"""Shared layout helpers: formatting, masking, line breaking, progress."""

from __future__ import annotations

from datetime import date, datetime, time

import print_samples as s
import pytest
from reportlab.platypus import Paragraph

from wushe_desktop import printing as p
from wushe_desktop.printing.fonts import FONT_NAME, register_font, styles
from wushe_desktop.printing.layout import (
    content_width,
    fmt_date,
    fmt_datetime,
    fmt_hours,
    fmt_time_range,
    fmt_yuan,
    id_text,
    phone_text,
)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (123_456, "1,234.56"), (-5, "-0.05"), (100_000_000, "1,000,000.00")],
)
def test_fmt_yuan(fen: int, text: str) -> None:
    assert fmt_yuan(fen) == text


def test_fmt_yuan_none_is_blank() -> None:
    assert fmt_yuan(None) == ""


@pytest.mark.parametrize(
    ("tenths", "text"), [(0, "0.0"), (5, "0.5"), (365, "36.5"), (1000, "100.0")]
)
def test_fmt_hours(tenths: int, text: str) -> None:
    assert fmt_hours(tenths) == text


def test_dates_and_times() -> None:
    assert fmt_date(date(2024, 3, 2)) == "2024年3月2日"
    assert fmt_date(None) == ""
    assert fmt_datetime(datetime(2024, 10, 11, 9, 5)) == "2024年10月11日 09:05"
    assert fmt_time_range(time(9, 30), time(10, 40)) == "09:30–10:40"
    assert fmt_time_range(None, time(10, 40)) == "10:40"


def test_masking_follows_the_context() -> None:
    masked, revealed = s.ctx(), s.ctx(reveal=True)
    assert id_text(s.WANG_ID, masked) == "150121********028X"
    assert id_text(s.WANG_ID, revealed) == s.WANG_ID
    assert phone_text("13847112345", masked) == "138****2345"
    assert phone_text("0471-3312345", masked) == "0471-***2345"
    assert phone_text("13847112345", revealed) == "13847112345"
    assert id_text(None, masked) == "" and phone_text("", masked) == ""


def test_font_registers_once() -> None:
    assert register_font() == register_font() == FONT_NAME
    assert styles() is styles()
    assert {st.fontName for st in vars(styles()).values()} == {FONT_NAME}
    assert {st.wordWrap for st in vars(styles()).values()} == {"CJK"}


@pytest.mark.parametrize("style_name", ["cell", "body"])
def test_no_line_starts_with_closing_punctuation(style_name: str) -> None:
    """Chinese line-breaking rules: ，。、：；！？） never start a line."""
    style = getattr(styles(), style_name)
    text = s.long_note(1500).replace("\n", "")
    for width in (120.0, 233.0, 397.0, content_width()):
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 10_000)
        starts = [
            "".join(line[1])[:1]
            if isinstance(line, tuple)
            else "".join(w.text for w in line.words)[:1]
            for line in paragraph.blPara.lines
        ]
        assert len(starts) > 3
        assert not [c for c in starts if c in "，。、：；！？）》”"], width


def test_case_file_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    p.build_case_file_pdf(
        s.case_file(records=2), s.ctx(), progress=lambda done, total: seen.append((done, total))
    )
    assert seen
    totals = {total for _, total in seen}
    assert len(totals) == 1
    dones = [done for done, _ in seen]
    assert dones == sorted(dones)
    assert seen[-1][0] == seen[-1][1]
