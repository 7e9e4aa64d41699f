"""Long names, long notes and many rows wrap and flow onto further pages; nothing is lost."""

from __future__ import annotations

import re
from dataclasses import replace

import print_samples as s
import pytest
from pdf_checks import Pdf, flat, font_problems

from wushe_desktop import printing as p
from wushe_desktop.printing.data import Attendee, SignInSheet


def _decoration(pdf: Pdf, index: int, title: str) -> list[str]:
    """The header and footer strings of page ``index``."""
    return [
        s.STATION,
        s.CASE_NO,
        title,
        "打印人：李娜",
        f"第 {index + 1} 页 共 {pdf.page_count} 页",
        "打印日期：2024年5月6日",
    ]


def _body(pdf: Pdf, title: str) -> str:
    """All pages' text without headers and footers, whitespace removed."""
    parts = []
    for index, text in enumerate(pdf.texts):
        for decoration in _decoration(pdf, index, title):
            # Headers and footers are drawn after the page's content: the last occurrence.
            head, _, tail = text.rpartition(decoration)
            text = head + tail
        parts.append(text)
    return flat("".join(parts))


def test_fifty_character_mongolian_name_wraps_without_loss() -> None:
    assert len(s.LONG_NAME) == 50 and s.LONG_NAME.count("·") == 7
    pdf = Pdf(
        p.build_intake_pdf(s.intake(replace(s.wang(), name=s.LONG_NAME)), s.ctx(), invariant=True)
    )
    assert pdf.page_count == 1
    assert s.LONG_NAME in pdf.flat_text
    cert = Pdf(p.build_certificate_pdf(s.certificate(name=s.LONG_NAME), s.ctx(), invariant=True))
    assert cert.flat_text.count(s.LONG_NAME) == 2  # the statement and the table
    sheet = SignInSheet(
        title=s.LONG_NAME + "家庭支持小组活动",
        blank=False,
        rows=5,
        attendees=(Attendee(s.LONG_NAME, "服务对象"),),
    )
    sheet_pdf = Pdf(p.build_sign_in_sheet_pdf(sheet, s.ctx()))
    assert sheet_pdf.flat_text.count(s.LONG_NAME) == 2
    assert font_problems(pdf) == []


def test_three_thousand_character_note_flows_over_pages() -> None:
    note = s.long_note(3000)
    assert len(note) == 3000
    pdf = Pdf(p.build_service_record_pdf(s.record(7, note), s.ctx(), invariant=True))
    assert pdf.page_count >= 2
    body = _body(pdf, "个案服务记录表")
    assert flat(note) in body  # every character, in order, across the page break
    markers = re.findall(r"【第\d+段】", note)
    assert len(markers) > 20
    for number, text in enumerate(pdf.texts, start=1):
        assert f"第 {number} 页 共 {pdf.page_count} 页" in text
    # What follows the note is still there, after it.
    assert body.index(flat(note)) < body.index("下周二再次家访")


@pytest.fixture(scope="module")
def big_activity() -> Pdf:
    return Pdf(p.build_activity_pdf(s.activity(300), s.ctx(), invariant=True))


def test_three_hundred_attendees_repeat_the_table_header(big_activity: Pdf) -> None:
    pdf = big_activity
    assert pdf.page_count >= 8
    header = "所在村（社区）/单位"
    first = next(i for i, text in enumerate(pdf.texts) if "附：参与人员名单" in text)
    for index in range(first, pdf.page_count):
        assert header in pdf.text(index), index
        assert f"第 {index + 1} 页 共 {pdf.page_count} 页" in pdf.text(index)
    text = pdf.flat_text
    assert "名单共300人：服务对象129人，志愿者43人，爱心人士43人，社工43人，其他42人" in text
    for attendee in s.attendees(300):
        assert attendee.name in text
    assert font_problems(pdf) == []


@pytest.fixture(scope="module")
def big_case_file() -> Pdf:
    return Pdf(p.build_case_file_pdf(s.case_file(records=200), s.ctx(), invariant=True))


def test_case_file_with_two_hundred_records(big_case_file: Pdf) -> None:
    pdf = big_case_file
    total = pdf.page_count
    assert total >= 2 + 200 + 6
    outline = pdf.outline()
    titles = [title for title, _ in outline]
    assert titles[:3] == ["个案档案封面", "卷内目录", "个案接案登记表"]
    assert titles.count("个案服务记录表（第 1 次）") == 1
    assert "个案服务记录表（第 200 次）" in titles
    assert titles[-1] == "结案报告"
    starts = [page for _, page in outline]
    assert starts == sorted(starts) and starts[-1] <= total
    # Spot checks (reading all pages back would take longer than building them).
    contents_pages = starts[2] - starts[1]
    assert contents_pages >= 5  # 208 entries
    for index in {0, 1, starts[2] - 1, total // 2, total - 2, total - 1}:
        assert f"第 {index + 1} 页 共 {total} 页" in pdf.text(index)
    for title, start in outline[2:]:
        if title in ("个案服务记录表（第 100 次）", "个案服务记录表（第 200 次）", "结案报告"):
            assert title in pdf.text(start - 1)
    # The contents list's page numbers agree with where the sections start.
    drawn: list[str] = []
    for page in range(1, 1 + contents_pages):
        drawn.extend(pdf.text(page).split("打印日期：2024年5月6日", 1)[1].split())
    assert len(drawn) == len(outline) - 2
    assert [int(entry.split("-")[0]) for entry in drawn] == starts[2:]
    assert drawn[-1] == str(total)  # the closure report is the last page
