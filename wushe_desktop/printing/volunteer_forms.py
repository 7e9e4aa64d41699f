"""Volunteer forms: the registration form (志愿者登记表) and the service record
certificate (志愿服务记录证明)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wushe_desktop.errors import ValidationError
from wushe_desktop.printing.data import CertificateForm, PrintContext, RelatedPerson, VolunteerForm
from wushe_desktop.printing.fonts import FONT_NAME, styles
from wushe_desktop.printing.layout import (
    Signature,
    content_width,
    field_table,
    fmt_date,
    fmt_date_short,
    fmt_hours,
    heading,
    id_text,
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
    "CERTIFICATE_TITLE",
    "VOLUNTEER_TITLE",
    "SealBox",
    "build_certificate_pdf",
    "build_volunteer_form_pdf",
    "certificate_story",
    "volunteer_story",
]

VOLUNTEER_TITLE = "志愿者登记表"
CERTIFICATE_TITLE = "志愿服务记录证明"


def _related(person: RelatedPerson | None, ctx: PrintContext) -> str:
    if person is None:
        return ""
    text = person.name + (f"（{person.relation}）" if person.relation else "")
    if person.phone:
        text += f"  电话：{phone_text(person.phone, ctx)}"
    return text


# ---------------------------------------------------------------------------
# Registration form
# ---------------------------------------------------------------------------


def volunteer_story(form: VolunteerForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the volunteer registration form (志愿者登记表)."""
    st = styles()
    rows: list[list[tuple[str, str]]] = [
        [("姓名", form.name), ("性别", form.sex)],
        [("民族", form.ethnicity), ("出生日期", fmt_date(form.birth_date))],
        [("证件类型", form.id_type), ("证件号码", id_text(form.id_number, ctx))],
        [("联系电话", phone_text(form.phone, ctx)), ("政治面貌", form.political_status)],
        [("文化程度", form.education), ("全国系统编号", form.national_no or "未注册")],
        [("居住地址", form.residence)],
        [("专业技能", join(form.skills))],
        [("服务意向", form.preferences)],
        [("可服务时间", form.availability)],
        [("所属队伍", join(form.teams))],
        [("保险情况", form.insurance)],
        [("紧急联系人", _related(form.emergency_contact, ctx))],
    ]
    if form.guardian is not None:
        rows.append([("监护人", _related(form.guardian, ctx))])
    rows.append([("登记日期", fmt_date(form.registered_on)), ("登记人", form.registrar)])
    declaration = (
        "本人自愿成为志愿者，承诺以上信息真实、准确、完整，遵守志愿服务的有关规定，"
        "在力所能及的范围内参加志愿服务。本人同意本站记录本人的个人基本信息、志愿服务情况、"
        "培训、表彰奖励和评价情况，用于志愿服务管理、录入民政部门指定的志愿服务信息系统"
        "和出具志愿服务记录证明；未经本人同意，本站不向他人公开本人信息。"
    )
    signatures = [Signature("志愿者签名")]
    if form.guardian is not None:
        relation = f"（{form.guardian.relation}）" if form.guardian.relation else ""
        signatures.append(Signature(f"监护人签名{relation}"))
    signatures.append(Signature("登记人签名", form.registered_on))
    return [
        *title_block(VOLUNTEER_TITLE, f"志愿者编号：{form.volunteer_no}"),
        field_table(rows, label_width=26 * mm),
        heading("志愿者承诺"),
        para(declaration, st.body),
        *(
            [para("未成年志愿者须经监护人同意，并由监护人在下方签名。", st.body)]
            if form.guardian is not None
            else []
        ),
        signature_block(signatures),
    ]


def build_volunteer_form_pdf(
    form: VolunteerForm, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print the volunteer registration form, for the volunteer's signature.

    Args:
        form: The volunteer data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        volunteer_story(form, ctx),
        ctx,
        title=VOLUNTEER_TITLE,
        subject=form.volunteer_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Certificate
# ---------------------------------------------------------------------------


class SealBox(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A dashed circle where the issuer's official seal (公章) is stamped."""

    def __init__(self, diameter: float = 40 * mm) -> None:
        """Args: diameter: the circle's diameter in points."""
        super().__init__()
        self.diameter = diameter
        self.width = diameter
        self.height = diameter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The circle's bounding square."""
        return self.diameter, self.diameter

    def draw(self) -> None:
        """Dashed circle with a grey hint in the middle."""
        canv = self.canv
        radius = self.diameter / 2
        canv.saveState()
        canv.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
        canv.setDash(3, 3)
        canv.setLineWidth(0.8)
        canv.circle(radius, radius, radius - 1, stroke=1, fill=0)
        canv.setFillColor(colors.Color(0.6, 0.6, 0.6))
        canv.setFont(FONT_NAME, 9)
        canv.drawCentredString(radius, radius - 3, "（盖章处）")
        canv.restoreState()


def _check_certificate(form: CertificateForm) -> None:
    if form.period_from > form.period_to:
        raise ValidationError("period.order", field="date_to")
    if form.hours_tenths <= 0:
        raise ValidationError("certificate.no_hours", field="hours")
    if form.lines:
        listed = sum(line.hours_tenths for line in form.lines)
        if listed != form.hours_tenths:
            raise ValueError(
                f"certificate lines add up to {listed} tenths, not {form.hours_tenths}"
            )


def certificate_story(form: CertificateForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of a volunteer service record certificate.

    Raises:
        ValidationError: ``certificate.no_hours`` (field ``hours``) when the period
            holds no confirmed hours; ``period.order`` when the period ends before it
            starts.
        ValueError: If the listed lines do not add up to the certified hours (a bug in
            the caller).
    """
    _check_certificate(form)
    st = styles()
    copy = form.copy or ctx.copy
    title = CERTIFICATE_TITLE + ("（副本）" if copy else "")
    identity = join(
        [
            f"证件类型：{form.id_type}" if form.id_type else "",
            f"证件号码：{id_text(form.id_number, ctx)}" if form.id_number else "",
            f"志愿者编号：{form.volunteer_no}",
        ],
        "，",
    )
    hours = fmt_hours(form.hours_tenths)
    statement = (
        f"兹证明 {form.volunteer_name}（{identity}）于 {fmt_date(form.period_from)} 至 "
        f"{fmt_date(form.period_to)} 期间参加{form.issuing_body}组织的志愿服务，"
        f"经确认的志愿服务时长累计 {hours} 小时。"
    )
    story: list[Flowable] = [
        *title_block(title, f"证明编号：{form.cert_no}"),
        Spacer(1, 6),
        para(statement, st.body),
        para("特此证明。", st.body),
        Spacer(1, 8),
        field_table(
            [
                [("志愿者姓名", form.volunteer_name), ("志愿者编号", form.volunteer_no)],
                [("证件类型", form.id_type), ("证件号码", id_text(form.id_number, ctx))],
                [("服务期间", f"{fmt_date(form.period_from)} 至 {fmt_date(form.period_to)}")],
                [("服务时长", f"{hours} 小时（仅计已确认的服务记录）")],
            ],
            label_width=26 * mm,
        ),
        text_table(
            [("服务内容", form.content_summary), ("备注", form.remarks)], label_width=26 * mm
        ),
    ]
    issuer = Table(
        [
            [para("出具单位：", st.cell), para(form.issuing_body, st.cell)],
            [para("负责人：", st.cell), para(form.person_in_charge, st.cell)],
            [para("经办人：", st.cell), para(form.handler, st.cell)],
            [para("联系方式：", st.cell), para(form.contact, st.cell)],
            [para("出具日期：", st.cell), para(fmt_date(form.issued_on), st.cell)],
        ],
        colWidths=[22 * mm, 70 * mm],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
    )
    seal_row = Table(
        [[issuer, SealBox()]],
        colWidths=[content_width() - 50 * mm, 50 * mm],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ]
        ),
    )
    story.append(KeepTogether([Spacer(1, 14), seal_row]))
    story.append(Spacer(1, 10))
    story.append(
        para(
            "注：志愿服务时长为实际服务时间，不含往返途中时间，仅统计经确认的服务记录。"
            "本证明依据本单位志愿服务记录如实、无偿出具，涂改无效。",
            st.small,
        )
    )
    if form.lines:
        story.append(heading("附：志愿服务记录明细"))
        story.append(
            list_table(
                ["序号", "服务日期", "活动/项目", "服务内容", "时长（小时）"],
                [
                    [
                        str(i),
                        fmt_date_short(line.service_date),
                        line.activity,
                        line.content,
                        fmt_hours(line.hours_tenths),
                    ]
                    for i, line in enumerate(form.lines, start=1)
                ],
                [1, 2.3, 5, 4.5, 2],
                align=["C", "C", "L", "L", "R"],
                footer=["", "合计", "", "", hours],
            )
        )
    return story


def build_certificate_pdf(
    form: CertificateForm, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print a volunteer service record certificate (志愿服务记录证明).

    A reprint (``form.copy`` or ``ctx.copy``) is marked 副本 in the title and on every page.

    Args:
        form: The certificate data (confirmed hours only).
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.

    Raises:
        ValidationError: ``certificate.no_hours`` when there are no confirmed hours in
            the period, ``period.order`` for a reversed period.
        ValueError: If the listed lines do not add up to the certified hours.
    """
    story = certificate_story(form, ctx)
    return render(
        story,
        ctx,
        title=CERTIFICATE_TITLE,
        subject=form.cert_no,
        copy=form.copy,
        invariant=invariant,
    )
