"""Every printed form, read back with pypdf: names, masked numbers, pages, totals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import print_samples as s
import pytest
from pdf_checks import Pdf, flat, font_problems
from print_builds import FORMS, built

from wushe_desktop import printing as p
from wushe_desktop.errors import ValidationError
from wushe_desktop.printing.data import MonthlyFigures

PRINT_DATE = "打印日期：2024年5月6日"


# ---------------------------------------------------------------------------
# What every form shares
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_page_has_header_and_footer(name: str) -> None:
    pdf = built(name)
    title = FORMS[name][1]
    total = pdf.page_count
    for number, text in enumerate(pdf.texts, start=1):
        assert f"第 {number} 页 共 {total} 页" in text, (name, number)
        assert PRINT_DATE in text
        assert "打印人：李娜" in text
        assert s.STATION in text
        if title:
            assert title in text


@pytest.mark.parametrize("name", sorted(FORMS))
def test_fonts_are_embedded_and_never_standard(name: str) -> None:
    assert font_problems(built(name)) == []


@pytest.mark.parametrize("name", ["intake", "case-file", "monthly-report", "certificate-copy"])
def test_invariant_output_is_byte_stable(name: str) -> None:
    assert FORMS[name][0]() == built(name).data


def test_metadata_names_the_form_and_station() -> None:
    meta = built("intake").reader.metadata
    assert meta is not None
    assert meta.title == "个案接案登记表"
    assert meta.author == s.STATION


def test_form_without_invariant_builds() -> None:
    pdf = Pdf(p.build_intake_pdf(s.intake(), s.ctx()))
    assert pdf.page_count == 1
    assert "王桂花" in pdf.flat_text


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


def test_intake_masks_id_and_phone_by_default() -> None:
    text = built("intake").flat_text
    assert s.WANG_ID == "15012119420312028X"
    assert "150121********028X" in text
    assert s.WANG_ID not in text
    assert "138****2345" in text
    assert s.WANG_PHONE not in text
    assert "13912345678" not in text  # the emergency contact's phone
    assert "139****5678" in text


def test_intake_reveals_numbers_when_the_caller_chooses() -> None:
    text = Pdf(p.build_intake_pdf(s.intake(), s.ctx(reveal=True))).flat_text
    assert s.WANG_ID in text
    assert s.WANG_PHONE in text
    assert "********" not in text


def test_child_intake_prints_guardian_masked() -> None:
    text = built("intake-child").flat_text
    assert "其其格" in text
    assert "9岁" in text
    assert "其木格（母亲）" in text
    assert f"{s.QIMUGE_ID[:6]}********{s.QIMUGE_ID[-4:]}" in text
    assert s.QIMUGE_ID not in text and s.QIQIGE_ID not in text
    assert "139****8866" in text


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("volunteer", s.WUYUN_ID),
        ("volunteer", s.WUYUN_PHONE),
        ("certificate", s.WUYUN_ID),
        ("referral", s.WANG_ID),
        ("activity", "13900000000"),
        ("sign-in-filled", "13900000003"),
    ],
)
def test_no_form_prints_a_raw_number_by_default(name: str, raw: str) -> None:
    assert raw not in built(name).flat_text


# ---------------------------------------------------------------------------
# Casework forms
# ---------------------------------------------------------------------------


def test_intake_content() -> None:
    pdf = built("intake")
    text = pdf.flat_text
    assert pdf.page_count == 1
    for expected in (
        "个案编号：150121101000-2024-0007",
        "接案日期：2024年3月12日",
        "王桂花",
        "1942年3月12日（82岁）",
        "高龄老人、独居老人、低保",
        "社工外展·走访",
        "张建国",
        "接案社工签名：",
        "审核人签名：",
    ):
        assert flat(expected) in text


def test_consent_has_clauses_and_guardian_signature() -> None:
    text = built("consent").flat_text
    for expected in (
        "知情同意书",
        "保密及其例外",
        "强制报告",
        "撤回同意",
        "未成年人个人信息",
        "监护人签名（母亲）：",
        "服务对象签名：",
        "文本版本：2024-01",
    ):
        assert flat(expected) in text


def test_assessment_plan_record_evaluation_closure_referral() -> None:
    expectations = {
        "assessment": (
            "日常生活能力量表（ADL）",
            "75分（轻度依赖）",
            "居家安全（防跌倒、防煤气中毒）",
            "督导签名：",
        ),
        "plan": (
            "提升老人居家安全",
            "连续8周按时探访",
            "土左旗慈善总会",
            "■服务对象已确认",
            "第 1 版",
        ),
        "record": (
            "第 1 次服务",
            "09:30–10:40",
            "1小时10分钟",
            "燃气报警器1台",
            "128.00",
            "社工签名：",
        ),
        "evaluation": ("结果评估", "GDS-15：6分", "部分达成", "评估社工签名："),
        "closure": ("目标实现", "24次", "28小时", "2024-10-30", "站长/督导审批签名："),
        "referral": (
            "转介表（转出）",
            "土默特左旗残疾人联合会康复中心",
            "0471-3325566",
            "单独同意",
            "150121********028X",
            "接收方签名（盖章）：",
        ),
    }
    for name, strings in expectations.items():
        text = built(name).flat_text
        for expected in strings:
            assert flat(expected) in text, (name, expected)


def test_case_file_has_cover_contents_and_sections_in_order() -> None:
    pdf = built("case-file")
    assert "个案档案" in pdf.text(0) and "内部资料" in pdf.text(0)
    assert "卷内目录" in pdf.text(1)
    titles = [title for title, _ in pdf.outline()]
    assert titles == [
        "个案档案封面",
        "卷内目录",
        "个案接案登记表",
        "知情同意书",
        "需求评估表",
        "服务计划表（第 1 版）",
        "个案服务记录表（第 1 次）",
        "个案服务记录表（第 2 次）",
        "个案服务记录表（第 3 次）",
        "个案评估表（结果评估）",
        "转介表（转出）",
        "结案报告",
    ]
    _check_contents_page_numbers(pdf, contents_pages=1)


def _check_contents_page_numbers(pdf: Pdf, contents_pages: int) -> None:
    """The contents list's page ranges match where each section really starts and ends."""
    outline = pdf.outline()
    pages = [page for _, page in outline]
    assert pages == sorted(pages)
    expected: list[str] = []
    for index, (title, start) in enumerate(outline):
        # Each section's header carries its title from its first page on.
        assert title in pdf.text(start - 1), (title, start)
        end = outline[index + 1][1] - 1 if index + 1 < len(outline) else pdf.page_count
        if index >= 2:  # the contents list names the documents, not the cover or itself
            expected.append(str(start) if end == start else f"{start}-{end}")
    # Page numbers are drawn when the file is saved, after the footer of their page.
    drawn: list[str] = []
    for page in range(1, 1 + contents_pages):
        tail = pdf.text(page).split(PRINT_DATE, 1)[1]
        drawn.extend(tail.split())
    assert drawn == expected


def test_case_file_page_numbers_are_continuous() -> None:
    pdf = built("case-file")
    assert pdf.page_count >= 12
    assert f"第 {pdf.page_count} 页 共 {pdf.page_count} 页" in pdf.text(pdf.page_count - 1)


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------


def test_activity_counts_and_roster() -> None:
    text = built("activity").flat_text
    assert flat("“邻里守望·温暖同行”重阳节敬老暨义诊活动") in text
    # 社工 3, 志愿者 15, 爱心人士 4, 服务对象 62, 其他 2, 合计 86, 受益人次 62
    assert "社工志愿者爱心人士服务对象其他合计受益人次31546228662" in text
    assert "名单共12人" in text
    assert "3,720.00" in text and "3,900.00" in text
    assert "王桂花001" in text and "孙德胜012" in text


def test_blank_sign_in_sheet_numbers_80_rows() -> None:
    pdf = built("sign-in-blank")
    assert pdf.page_count >= 3
    numbers = [line.strip() for text in pdf.texts for line in text.splitlines()]
    assert [n for n in numbers if n.isdigit()][:80] == [str(i) for i in range(1, 81)]
    for text in pdf.texts:
        assert "本人签名" in text  # header row on every page
    assert "组织方负责人签名：" in pdf.texts[-1]


def test_filled_sign_in_sheet_lists_roster_then_blank_rows() -> None:
    pdf = built("sign-in-filled")
    text = pdf.flat_text
    assert "王桂花001" in text and "孙德胜012" in text
    numbers = [line.strip() for t in pdf.texts for line in t.splitlines() if line.strip().isdigit()]
    assert [int(n) for n in numbers if int(n) <= 30][-1] == 30


def test_sign_in_sheet_refuses_absurd_row_counts() -> None:
    with pytest.raises(ValueError, match="rows"):
        p.build_sign_in_sheet_pdf(s.sign_in(blank=True, rows=100_000), s.ctx())


# ---------------------------------------------------------------------------
# Volunteers
# ---------------------------------------------------------------------------


def test_volunteer_form_for_signature() -> None:
    text = built("volunteer").flat_text
    for expected in (
        "乌云·巴图",
        "150121********029X",
        "151****2288",
        "蒙汉双语翻译",
        "志愿者承诺",
        "志愿者签名：",
        "登记人签名：",
    ):
        assert flat(expected) in text
    minor = built("volunteer-minor").flat_text
    assert "监护人签名（母亲）：" in minor and "未成年志愿者须经监护人同意" in minor


def test_certificate_contents() -> None:
    text = built("certificate").flat_text
    for expected in (
        "志愿服务记录证明",
        "证明编号：ZM-2024-0009",
        "乌云·巴图",
        "150121********029X",
        "ZYZ-2024-0015",
        "2024年1月1日至2024年6月30日",
        "10.5小时",
        "土默特左旗毕克齐镇人民政府",
        "经办人：李娜",
        "负责人：赵站长",
        "联系方式：0471-3311000",
        "出具日期：2024年7月3日",
        "（盖章处）",
        "合计10.5",
    ):
        assert flat(expected) in text, expected
    assert "副本" not in text


def test_certificate_reprint_is_marked_copy() -> None:
    pdf = built("certificate-copy")
    assert "志愿服务记录证明（副本）" in pdf.flat_text
    for text in pdf.texts:
        assert "副本" in text


def test_context_copy_marks_any_form() -> None:
    pdf = Pdf(p.build_intake_pdf(s.intake(), s.ctx(copy=True)))
    assert "（副本）" in pdf.text(0)


def test_certificate_refused_without_confirmed_hours() -> None:
    with pytest.raises(ValidationError) as caught:
        p.build_certificate_pdf(s.certificate(hours_tenths=0), s.ctx())
    assert caught.value.code == "certificate.no_hours"


def test_certificate_refuses_reversed_period() -> None:
    form = replace(s.certificate(), period_from=date(2024, 7, 1))
    with pytest.raises(ValidationError) as caught:
        p.build_certificate_pdf(form, s.ctx())
    assert caught.value.code == "period.order"


def test_certificate_lines_must_add_up() -> None:
    with pytest.raises(ValueError, match="add up"):
        p.build_certificate_pdf(replace(s.certificate(), hours_tenths=99), s.ctx())


# ---------------------------------------------------------------------------
# Station forms
# ---------------------------------------------------------------------------


def test_ledger_totals() -> None:
    pdf = built("ledger")
    text = pdf.flat_text
    assert "慈善资源台账（2024年05月）" in text
    assert "本月登记3笔；货币2,500.50元，物资估值7,400.00元，合计9,900.50元" in text
    assert "合计2,500.507,400.00" in text
    assert "匿名" in text and "纯牛奶100箱" in text
    width, height = pdf.reader.pages[0].mediabox.width, pdf.reader.pages[0].mediabox.height
    assert width > height  # landscape


def test_monthly_report_figures_linkage_and_chart() -> None:
    text = built("monthly-report").flat_text
    for expected in (
        "社工站月度工作报告（2024年05月）",
        "志愿服务时长（小时）183.5721.0",
        "链接善款（元）2,500.50",
        "五社联动参与人次",
        "社会慈善资源",
        "9,900.50",
        "填报人签名（乌兰）：",
    ):
        assert flat(expected) in text, expected
    # Chart bar labels are drawn as text.
    assert "48" in text and "32" in text


def test_monthly_figures_from_stats_json() -> None:
    doc = {
        "activities": 6,
        "funds_raised_yuan": 12.35,
        "goods_value_yuan": 0.1,
        "participant_person_times": {"social_workers": 1, "volunteers": 2, "caring_people": 3},
        "beneficiary_person_times": 4,
        "beneficiary_persons": 5,
        "cases": {"opened": 6, "active": 7, "closed": 8, "referred": 9},
        "service_records": 10,
        "volunteers": 11,
        "volunteer_hours": 183.5,
    }
    figures = MonthlyFigures.from_stats_json(doc)
    assert figures.funds_raised_fen == 1235
    assert figures.goods_value_fen == 10
    assert figures.volunteer_hours_tenths == 1835
    assert (figures.cases_opened, figures.cases_referred, figures.caring_people_times) == (6, 9, 3)


def test_monthly_report_without_linkage() -> None:
    report = replace(s.monthly(), linkage=(), year_to_date=None)
    text = Pdf(p.build_monthly_report_pdf(report, s.ctx())).flat_text
    assert "本月无五社联动记录" in text


def test_supervision_list() -> None:
    text = built("supervision-list").flat_text
    for expected in (
        "高风险个案督导清单",
        "超过14天未服务的高风险个案，共5个",
        "150121101000-2024-0001",
        "从未服务",
        "独居，电话无人接听",
        s.LONG_NAME,
        "督导签名（高督导）：",
    ):
        assert flat(expected) in text, expected


def test_empty_supervision_list() -> None:
    text = Pdf(p.build_supervision_list_pdf(s.supervision(0), s.ctx())).flat_text
    assert "无符合条件的个案" in text
