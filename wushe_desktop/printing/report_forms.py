"""Station-level forms: the charity resource ledger (慈善资源台账), the monthly station
report (月度工作报告) with its five-society chart, and the supervision list (督导清单)."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from wushe_desktop.printing.data import (
    LedgerForm,
    LinkageLine,
    MonthlyFigures,
    MonthlyReport,
    PrintContext,
    SupervisionList,
)
from wushe_desktop.printing.fonts import FONT_NAME, register_font, styles
from wushe_desktop.printing.layout import (
    Signature,
    content_width,
    fmt_date,
    fmt_date_short,
    fmt_hours,
    fmt_yuan,
    heading,
    list_table,
    para,
    render,
    signature_block,
    text_table,
    title_block,
    yes_no,
)

__all__ = [
    "LEDGER_TITLE",
    "MONTHLY_TITLE",
    "SUPERVISION_TITLE",
    "build_ledger_pdf",
    "build_monthly_report_pdf",
    "build_supervision_list_pdf",
    "ledger_story",
    "linkage_chart",
    "monthly_report_story",
    "supervision_story",
]

LEDGER_TITLE = "慈善资源台账"
MONTHLY_TITLE = "社工站月度工作报告"
SUPERVISION_TITLE = "高风险个案督导清单"


def _month(value: date) -> str:
    return f"{value.year}年{value.month:02d}月"


# ---------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------


def ledger_story(form: LedgerForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the charity resource ledger of one month."""
    del ctx
    money = sum(line.amount_fen for line in form.lines)
    goods = sum(line.goods_value_fen for line in form.lines)
    summary = (
        f"本月登记 {len(form.lines)} 笔；货币 {fmt_yuan(money)} 元，物资估值 {fmt_yuan(goods)} 元，"
        f"合计 {fmt_yuan(money + goods)} 元。货币捐赠由接收主体（慈善组织）入账并开具票据，"
        "本台账仅作登记。"
    )
    wide = content_width(wide=True)
    return [
        *title_block(f"{LEDGER_TITLE}（{_month(form.month)}）"),
        para(summary),
        Spacer(1, 6),
        list_table(
            [
                "序号",
                "登记号",
                "接收日期",
                "捐赠人",
                "类型",
                "形式",
                "金额（元）",
                "物资明细",
                "估值（元）",
                "用途/定向",
                "接收主体",
                "票据",
                "同意公开",
                "经办人",
            ],
            [
                [
                    str(i),
                    line.ledger_no,
                    fmt_date_short(line.received_on),
                    line.donor_name or "匿名",
                    line.donor_type,
                    line.form,
                    fmt_yuan(line.amount_fen) if line.amount_fen else "",
                    line.goods_text,
                    fmt_yuan(line.goods_value_fen) if line.goods else "",
                    line.purpose,
                    line.recipient,
                    line.receipt,
                    yes_no(line.publish_consent),
                    line.handler,
                ]
                for i, line in enumerate(form.lines, start=1)
            ],
            # In millimetres: dates and numbers must not wrap.
            [7, 21, 19, 27, 12, 10, 19, 40, 17, 22, 22, 24, 9, 12],
            width=wide,
            align=["C", "C", "C", "L", "C", "C", "R", "L", "R", "L", "L", "L", "C", "C"],
            dense=True,
            footer=[
                "",
                "合计",
                "",
                "",
                "",
                "",
                fmt_yuan(money),
                "",
                fmt_yuan(goods),
                "",
                "",
                "",
                "",
                "",
            ],
        ),
        signature_block([Signature("制表人签名"), Signature("站长审核签名")], width=wide * 0.7),
    ]


def build_ledger_pdf(form: LedgerForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the charity resource ledger of one month (landscape).

    Args:
        form: The month's donations.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(ledger_story(form, ctx), ctx, title=LEDGER_TITLE, wide=True, invariant=invariant)


# ---------------------------------------------------------------------------
# Monthly report
# ---------------------------------------------------------------------------


def _figure_rows(month: MonthlyFigures, year: MonthlyFigures | None) -> list[list[str]]:
    """指标（单位） | 本月 | 本年累计, twice per line."""

    def rows_of(f: MonthlyFigures) -> list[tuple[str, str, str]]:
        return [
            ("开展活动", str(f.activities), "场"),
            ("社工参与", str(f.social_worker_times), "人次"),
            ("志愿者参与", str(f.volunteer_times), "人次"),
            ("爱心人士参与", str(f.caring_people_times), "人次"),
            ("受益人次", str(f.beneficiary_person_times), "人次"),
            ("受益人数", str(f.beneficiary_persons), "人"),
            ("新开个案", str(f.cases_opened), "个"),
            ("在案个案（期末）", str(f.cases_active), "个"),
            ("结案个案", str(f.cases_closed), "个"),
            ("转介个案", str(f.cases_referred), "个"),
            ("个案服务记录", str(f.service_records), "次"),
            ("登记志愿者（期末）", str(f.volunteers), "人"),
            ("志愿服务时长", fmt_hours(f.volunteer_hours_tenths), "小时"),
            ("链接善款", fmt_yuan(f.funds_raised_fen), "元"),
            ("物资折价", fmt_yuan(f.goods_value_fen), "元"),
        ]

    this = rows_of(month)
    ytd = rows_of(year) if year is not None else [("", "", "")] * len(this)
    cells = [
        [f"{name}（{unit}）", value, other[1]]
        for (name, value, unit), other in zip(this, ytd, strict=True)
    ]
    # Two figures per line keeps the table, the linkage table and the chart on one page.
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:] + [["", "", ""]] * (2 * half - len(cells))
    return [a + b for a, b in zip(left, right, strict=True)]


def linkage_chart(
    lines: tuple[LinkageLine, ...], *, width: float, height: float = 62 * mm
) -> Drawing:
    """A bar chart of each five-society party's person-times (reportlab graphics).

    Args:
        lines: The parties, in print order.
        width: Width of the drawing in points.
        height: Height of the drawing in points.

    Returns:
        The drawing, every label in the CJK font.
    """
    register_font()
    drawing = Drawing(width, height)
    # The renderer's starting state would otherwise select Times-Roman.
    drawing.initialFontName = FONT_NAME
    drawing.initialFontSize = 9
    chart = VerticalBarChart()
    chart.x = 36
    chart.y = 24
    chart.width = width - 56
    chart.height = height - 48
    values = [line.person_times for line in lines]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [line.party for line in lines]
    chart.categoryAxis.labels.fontName = FONT_NAME
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = max(values, default=0)
    chart.valueAxis.valueMax = max(10, int(top * 1.2) + 1)
    chart.valueAxis.valueStep = None
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].fillColor = colors.Color(0.27, 0.45, 0.68)
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 14
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT_NAME
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 7
    drawing.add(chart)
    drawing.add(
        String(
            width / 2,
            height - 12,
            "五社联动参与人次",
            fontName=FONT_NAME,
            fontSize=10,
            textAnchor="middle",
        )
    )
    return drawing


def monthly_report_story(report: MonthlyReport, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the monthly station report."""
    width = content_width()
    story: list[Flowable] = [
        *title_block(
            f"{MONTHLY_TITLE}（{_month(report.month)}）",
            f"站点：{ctx.station_name}（{ctx.station_code}）",
        ),
        heading("一、主要指标"),
        list_table(
            ["指标", "本月", "本年累计", "指标", "本月", "本年累计"],
            _figure_rows(report.figures, report.year_to_date),
            [4.4, 2, 2, 4.4, 2, 2],
            align=["L", "R", "R", "L", "R", "R"],
        ),
        heading("二、五社联动情况"),
    ]
    if report.linkage:
        lines = report.linkage
        story.append(
            list_table(
                ["联动主体", "参与主体数", "联动活动场次", "参与人次", "链接资源（元）", "说明"],
                [
                    [
                        line.party,
                        str(line.participants),
                        str(line.activities),
                        str(line.person_times),
                        fmt_yuan(line.resources_fen),
                        line.note,
                    ]
                    for line in lines
                ],
                [2.6, 1.8, 2, 1.8, 2.4, 4.4],
                align=["L", "R", "R", "R", "R", "L"],
                footer=[
                    "合计",
                    str(sum(line.participants for line in lines)),
                    "",
                    str(sum(line.person_times for line in lines)),
                    fmt_yuan(sum(line.resources_fen for line in lines)),
                    "",
                ],
            )
        )
        story.append(Spacer(1, 8))
        story.append(linkage_chart(lines, width=width))
    else:
        story.append(para("（本月无五社联动记录）"))
    story.append(heading("三、工作情况"))
    story.append(
        text_table(
            [
                ("主要工作与亮点", report.highlights),
                ("存在问题", report.problems),
                ("下月工作计划", report.next_plan),
            ],
            label_width=28 * mm,
        )
    )
    story.append(
        signature_block(
            [
                Signature(
                    f"填报人签名（{report.prepared_by}）" if report.prepared_by else "填报人签名"
                ),
                Signature(
                    f"站长审核签名（{report.reviewed_by}）"
                    if report.reviewed_by
                    else "站长审核签名"
                ),
            ]
        )
    )
    return story


def build_monthly_report_pdf(
    report: MonthlyReport, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print the monthly station report with the five-society indicators and chart.

    Args:
        report: The month's figures and texts.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(monthly_report_story(report, ctx), ctx, title=MONTHLY_TITLE, invariant=invariant)


# ---------------------------------------------------------------------------
# Supervision list
# ---------------------------------------------------------------------------


def supervision_story(form: SupervisionList, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the supervision list (high-risk cases without recent contact)."""
    del ctx
    wide = content_width(wide=True)
    subtitle = f"截至 {fmt_date(form.as_of)}，超过 {form.threshold_days} 天未服务的高风险个案，共 {len(form.rows)} 个"
    story: list[Flowable] = [*title_block(SUPERVISION_TITLE, subtitle)]
    if form.rows:
        story.append(
            list_table(
                [
                    "序号",
                    "个案编号",
                    "服务对象",
                    "风险等级",
                    "危机个案",
                    "当前阶段",
                    "负责社工",
                    "最近服务",
                    "未服务天数",
                    "下次计划",
                    "备注",
                ],
                [
                    [
                        str(i),
                        row.case_no,
                        row.client_name,
                        row.risk_level,
                        yes_no(row.crisis),
                        row.stage,
                        row.worker,
                        fmt_date_short(row.last_contact) or "从未服务",
                        "" if row.days_since is None else str(row.days_since),
                        row.next_planned,
                        row.note,
                    ]
                    for i, row in enumerate(form.rows, start=1)
                ],
                [1, 4.8, 3.4, 1.5, 1.5, 1.8, 2, 2.4, 1.8, 3, 3.4],
                width=wide,
                align=["C", "C", "L", "C", "C", "C", "C", "C", "R", "L", "L"],
            )
        )
    else:
        story.append(para("无符合条件的个案。", styles().body))
    story.append(
        text_table([("督导意见", "")], width=wide, label_width=28 * mm, min_height=60),
    )
    story.append(
        signature_block(
            [Signature(f"督导签名（{form.supervisor}）" if form.supervisor else "督导签名")],
            width=wide * 0.7,
        )
    )
    return story


def build_supervision_list_pdf(
    form: SupervisionList, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print the supervision list: high-risk cases without recent contact (landscape).

    Args:
        form: The list.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        supervision_story(form, ctx), ctx, title=SUPERVISION_TITLE, wide=True, invariant=invariant
    )
