"""Activity forms: the activity record (活动记录表) and the sign-in sheet (签到表)."""

from __future__ import annotations

from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from wushe_desktop.printing.data import (
    MAX_SIGN_IN_ROWS,
    ActivityForm,
    Attendee,
    PrintContext,
    SignInSheet,
)
from wushe_desktop.printing.layout import (
    Signature,
    field_table,
    fmt_date,
    fmt_datetime,
    fmt_yuan,
    heading,
    join,
    list_table,
    para,
    phone_text,
    render,
    signature_block,
    text_table,
    title_block,
)

__all__ = [
    "ACTIVITY_TITLE",
    "MAX_SIGN_IN_ROWS",
    "SIGN_IN_TITLE",
    "activity_story",
    "build_activity_pdf",
    "build_sign_in_sheet_pdf",
    "sign_in_story",
]

ACTIVITY_TITLE = "活动记录表"
SIGN_IN_TITLE = "活动签到表"


def _period(form: ActivityForm) -> str:
    start = fmt_datetime(form.starts_at)
    if form.ends_at is None:
        return start
    if form.ends_at.date() == form.starts_at.date():
        return f"{start}–{form.ends_at:%H:%M}"
    return f"{start} 至 {fmt_datetime(form.ends_at)}"


def _roster_summary(attendees: tuple[Attendee, ...]) -> str:
    """``名单共 300 人：服务对象 250 人，志愿者 40 人 ...`` in first-seen role order."""
    counts = Counter(a.role or "未注明" for a in attendees)
    parts = [f"{role} {n} 人" for role, n in counts.items()]
    return f"名单共 {len(attendees)} 人" + (f"：{'，'.join(parts)}" if parts else "")


def activity_story(form: ActivityForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of an activity record (活动记录表)."""
    organisers = join(
        (
            o.name + (f"（{join([o.role, o.party], '，')}）" if o.role or o.party else "")
            for o in form.organisers
        ),
        "；",
    )
    c = form.counts
    story: list[Flowable] = [
        *title_block(ACTIVITY_TITLE, f"活动编号：{form.activity_no}"),
        field_table(
            [
                [("活动名称", form.title)],
                [("活动类型", form.activity_type), ("服务领域", join(form.service_areas))],
                [("活动时间", _period(form))],
                [("活动地点", form.place)],
                [("目标人群", join(form.target_groups))],
                [("主办/承办/协办", organisers)],
                [("负责人", form.lead), ("工作人员", join(form.staff))],
            ]
        ),
        text_table([("活动目标", form.objectives), ("活动内容/流程", form.programme)]),
        heading("一、参与人数（人次）"),
        list_table(
            ["社工", "志愿者", "爱心人士", "服务对象", "其他", "合计", "受益人次"],
            [
                [
                    str(c.social_workers),
                    str(c.volunteers),
                    str(c.caring_people),
                    str(c.clients),
                    str(c.others),
                    str(c.total),
                    str(form.beneficiaries),
                ]
            ],
            [1] * 7,
            align=["C"] * 7,
        ),
    ]
    sections = iter("二三四五")
    if form.donations:
        story.append(heading(f"{next(sections)}、接收捐赠"))
        story.append(
            list_table(
                ["序号", "登记号", "捐赠人", "形式", "金额/物资", "价值（元）", "票据"],
                [
                    [
                        str(i),
                        d.ledger_no,
                        d.donor_name or "匿名",
                        d.form,
                        fmt_yuan(d.amount_fen) + " 元" if d.amount_fen else d.goods_text,
                        fmt_yuan(d.amount_fen + d.goods_value_fen),
                        d.receipt,
                    ]
                    for i, d in enumerate(form.donations, start=1)
                ],
                [1.3, 4.6, 2.8, 1.3, 3.6, 2, 3.2],
                align=["C", "L", "L", "C", "L", "R", "L"],
                footer=["", "合计", "", "", "",
                        fmt_yuan(sum(d.amount_fen + d.goods_value_fen for d in form.donations)), ""],
            )
        )
    if form.spending:
        total = sum(s.amount_fen for s in form.spending)
        story.append(heading(f"{next(sections)}、经费/物资使用"))
        story.append(
            list_table(
                ["序号", "项目", "数量", "金额（元）", "来源"],
                [
                    [str(i), s.item, s.quantity, fmt_yuan(s.amount_fen), s.source]
                    for i, s in enumerate(form.spending, start=1)
                ],
                [1, 5, 2, 2.4, 4],
                align=["C", "L", "C", "R", "L"],
                footer=["", "合计", "", fmt_yuan(total), ""],
            )
        )
    story.append(heading(f"{next(sections)}、成效与反思"))
    story.append(text_table([("满意度/成效", form.outcomes), ("问题与反思", form.reflection)]))
    story.append(
        field_table(
            [
                [("记录人", form.recorder), ("审核人", form.approver)],
                [("审核日期", fmt_date(form.approved_on))],
            ]
        )
    )
    story.append(
        signature_block([Signature("记录人签名"), Signature("审核人签名", form.approved_on)])
    )
    if form.attendees:
        story.append(CondPageBreak(60 * mm))  # never a heading with one row under it
        story.append(heading("附：参与人员名单"))
        story.append(para(_roster_summary(form.attendees)))
        story.append(Spacer(1, 4))
        story.append(
            list_table(
                ["序号", "姓名", "身份", "所在村（社区）/单位", "联系电话"],
                [
                    [str(i), a.name, a.role, a.unit, phone_text(a.phone, ctx)]
                    for i, a in enumerate(form.attendees, start=1)
                ],
                [1.1, 4.6, 1.8, 4.6, 2.6],
                align=["C", "L", "C", "L", "C"],
            )
        )
    return story


def build_activity_pdf(form: ActivityForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print an activity record with participant counts and the roster (活动记录表).

    Args:
        form: The activity data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        activity_story(form, ctx),
        ctx,
        title=ACTIVITY_TITLE,
        subject=form.activity_no,
        invariant=invariant,
    )


def sign_in_story(sheet: SignInSheet, ctx: PrintContext) -> list[Flowable]:
    """The flowables of a sign-in sheet (签到表), blank or filled.

    Raises:
        ValueError: If ``rows`` is negative or above :data:`MAX_SIGN_IN_ROWS`.
    """
    if not 0 <= sheet.rows <= MAX_SIGN_IN_ROWS:
        raise ValueError(f"rows must be between 0 and {MAX_SIGN_IN_ROWS}, got {sheet.rows}")
    attendees = () if sheet.blank else sheet.attendees
    rows: list[list[str]] = [
        [str(i), a.name, a.role, a.unit, phone_text(a.phone, ctx), ""]
        for i, a in enumerate(attendees, start=1)
    ]
    rows.extend([str(i), "", "", "", "", ""] for i in range(len(rows) + 1, sheet.rows + 1))
    when = (
        fmt_datetime(sheet.starts_at) if sheet.starts_at else "　　　　年　　月　　日　　时　　分"
    )
    return [
        *title_block(SIGN_IN_TITLE, f"活动编号：{sheet.activity_no}" if sheet.activity_no else ""),
        field_table(
            [
                [("活动名称", sheet.title)],
                [("活动时间", when), ("活动地点", sheet.place)],
                [("组织单位", sheet.organiser or ctx.station_name)],
            ]
        ),
        Spacer(1, 6),
        list_table(
            ["序号", "姓名", "身份", "所在村（社区）/单位", "联系电话", "本人签名"],
            rows,
            [1.1, 3.6, 1.8, 3.8, 2.6, 3.2],
            align=["C", "L", "C", "L", "C", "L"],
            row_height=24,
        ),
        signature_block([Signature("组织方负责人签名")]),
    ]


def build_sign_in_sheet_pdf(
    sheet: SignInSheet, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print a sign-in sheet (签到表): numbered empty rows, or the roster then empty rows.

    Args:
        sheet: The sheet data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.

    Raises:
        ValueError: If ``sheet.rows`` is out of range.
    """
    return render(
        sign_in_story(sheet, ctx),
        ctx,
        title=SIGN_IN_TITLE,
        subject=sheet.activity_no,
        invariant=invariant,
    )
