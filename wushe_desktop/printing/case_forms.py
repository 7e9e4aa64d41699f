"""Casework forms: intake, consent, assessment, plan, service record, evaluation,
closure, referral, and the whole case file with its cover and contents list.

Each form has a ``*_story`` function (its flowables, reused by the case file) and a
public ``build_*_pdf`` function: frozen data in, PDF bytes out.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from wushe_desktop.printing.data import (
    AssessmentForm,
    CaseFile,
    ClosureForm,
    ConsentForm,
    EvaluationForm,
    IntakeForm,
    PersonBlock,
    PlanForm,
    PrintContext,
    ReferralForm,
    RelatedPerson,
    ServiceRecordForm,
)
from wushe_desktop.printing.fonts import styles
from wushe_desktop.printing.layout import (
    PageRef,
    SectionStart,
    Signature,
    checkbox,
    content_width,
    field_table,
    fmt_date,
    fmt_date_short,
    fmt_time_range,
    fmt_yuan,
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
    yes_no,
)

__all__ = [
    "ASSESSMENT_TITLE",
    "CASE_FILE_TITLE",
    "CLOSURE_TITLE",
    "CONSENT_TITLE",
    "EVALUATION_TITLE",
    "INTAKE_TITLE",
    "PLAN_TITLE",
    "RECORD_TITLE",
    "REFERRAL_TITLE",
    "assessment_story",
    "build_assessment_pdf",
    "build_case_file_pdf",
    "build_closure_pdf",
    "build_consent_pdf",
    "build_evaluation_pdf",
    "build_intake_pdf",
    "build_plan_pdf",
    "build_referral_pdf",
    "build_service_record_pdf",
    "closure_story",
    "consent_story",
    "evaluation_story",
    "intake_story",
    "plan_story",
    "referral_story",
    "service_record_story",
]

INTAKE_TITLE = "个案接案登记表"
CONSENT_TITLE = "知情同意书"
ASSESSMENT_TITLE = "需求评估表"
PLAN_TITLE = "服务计划表"
RECORD_TITLE = "个案服务记录表"
EVALUATION_TITLE = "个案评估表"
CLOSURE_TITLE = "结案报告"
REFERRAL_TITLE = "转介表"
CASE_FILE_TITLE = "个案档案"


def _related(person: RelatedPerson | None, ctx: PrintContext) -> str:
    """``其木格（母亲）  电话：138****5678``."""
    if person is None:
        return ""
    text = person.name + (f"（{person.relation}）" if person.relation else "")
    if person.id_number:
        text += f"  证件号码：{id_text(person.id_number, ctx)}"
    if person.phone:
        text += f"  电话：{phone_text(person.phone, ctx)}"
    return text


def _birth(person: PersonBlock) -> str:
    text = fmt_date(person.birth_date)
    if person.age is not None:
        text = f"{text}（{person.age}岁）" if text else f"{person.age}岁"
    return text


def _minutes(total: int | None) -> str:
    """``90分钟`` or ``12小时30分钟``."""
    if total is None:
        return ""
    hours, minutes = divmod(total, 60)
    if hours == 0:
        return f"{minutes}分钟"
    return f"{hours}小时" + (f"{minutes}分钟" if minutes else "")


def _person_section(person: PersonBlock, ctx: PrintContext) -> list[Flowable]:
    """服务对象基本情况: the grid, then the household table if any."""
    phones = join((phone_text(p, ctx) for p in person.phones), "，")
    rows: list[list[tuple[str, str]]] = [
        [("姓名", person.name), ("性别", person.sex)],
        [("民族", person.ethnicity), ("出生日期", _birth(person))],
        [("证件类型", person.id_type), ("证件号码", id_text(person.id_number, ctx))],
        [("联系电话", phones), ("对象类别", join(person.categories))],
        [("现居住地", person.address)],
    ]
    if person.hukou_address:
        rows.append([("户籍地址", person.hukou_address)])
    if person.marital_status or person.education or person.employment:
        rows.append([("婚姻状况", person.marital_status), ("文化程度", person.education)])
        if person.employment:
            rows.append([("就业状况", person.employment)])
    rows.append([("健康状况", person.health), ("残疾情况", person.disability)])
    if person.guardian is not None:
        rows.append([("监护人", _related(person.guardian, ctx))])
    if person.emergency_contact is not None:
        rows.append([("紧急联系人", _related(person.emergency_contact, ctx))])
    story: list[Flowable] = [field_table(rows)]
    if person.household:
        story.append(Spacer(1, 6))
        story.append(para("家庭成员", styles().cell))
        story.append(
            list_table(
                ["姓名", "关系", "年龄", "职业/学校", "健康状况", "同住", "联系电话"],
                [
                    [
                        m.name,
                        m.relation,
                        "" if m.age is None else str(m.age),
                        m.occupation,
                        m.health,
                        yes_no(m.lives_with),
                        phone_text(m.phone, ctx),
                    ]
                    for m in person.household
                ],
                [3, 1.6, 1.2, 2.6, 2.6, 1.1, 2.8],
                align=["L", "C", "C", "L", "L", "C", "C"],
            )
        )
    return story


# ---------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------


def intake_story(form: IntakeForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the intake registration (个案接案登记表)."""
    if form.consent_signed:
        consent = join(
            [
                "已签署",
                fmt_date(form.consent_date),
                f"签署人：{form.consent_signer}" if form.consent_signer else "",
                f"关系：{form.consent_relation}" if form.consent_relation else "",
            ],
            "  ",
        )
    else:
        consent = "未签署"
    accepted = {True: "接案", False: "不接案", None: "待定"}[form.accepted]
    story: list[Flowable] = [
        *title_block(
            INTAKE_TITLE, f"个案编号：{form.case_no}    接案日期：{fmt_date(form.intake_date)}"
        ),
        heading("一、服务对象基本情况"),
        *_person_section(form.client, ctx),
        heading("二、接案信息"),
        field_table(
            [
                [("个案来源", form.source), ("服务领域", form.service_area)],
                [("转介单位/人", form.referrer)],
                [("风险等级", form.risk_level), ("危机个案", yes_no(form.crisis))],
                [("服务对象意愿", form.willingness), ("是否接案", accepted)],
            ]
        ),
        text_table(
            [
                ("求助问题/主要问题", form.presenting_problem),
                ("初步判断", form.initial_impression),
                *(
                    [("不接案原因/转介去向", form.not_accepted_reason)]
                    if form.accepted is False
                    else []
                ),
            ]
        ),
        field_table(
            [
                [("知情同意", consent)],
                [("接案社工", form.worker), ("审核人", form.approver)],
                [("审核日期", fmt_date(form.approved_on))],
            ]
        ),
        signature_block(
            [Signature("接案社工签名", form.intake_date), Signature("审核人签名", form.approved_on)]
        ),
    ]
    return story


def build_intake_pdf(form: IntakeForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the intake registration (个案接案登记表).

    Args:
        form: The intake data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        intake_story(form, ctx), ctx, title=INTAKE_TITLE, subject=form.case_no, invariant=invariant
    )


# ---------------------------------------------------------------------------
# Informed consent
# ---------------------------------------------------------------------------


def consent_story(form: ConsentForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the informed consent form (知情同意书)."""
    st = styles()
    station = ctx.station_name
    clauses = [
        f"一、服务内容。{station}（以下简称“本站”）将为服务对象提供以下社会工作服务："
        f"{form.services or '个案服务'}。服务遵循自愿原则，服务对象可随时提出终止服务。",
        "二、个人信息的处理。为提供上述服务，本站将收集和使用以下个人信息："
        f"{join(form.pi_items) or '姓名、性别、出生日期、联系方式、现居住地'}。"
        f"处理目的：{join(form.purposes) or '提供和记录社会工作服务'}。"
        "本站仅在实现上述目的所必需的范围内处理个人信息。",
        "三、敏感个人信息。"
        + (
            f"以下信息属于敏感个人信息，需经您单独同意方可处理：{join(form.sensitive_items)}。"
            f"{checkbox(False, '同意')}　{checkbox(False, '不同意')}"
            if form.sensitive_items
            else "本次服务不处理敏感个人信息。"
        ),
        "四、保密及其例外。社工对服务中获知的信息予以保密，未经同意不向第三方提供。"
        "但以下情形除外：服务对象或他人的生命安全面临严重危险；涉嫌违法犯罪；"
        "发现未成年人遭受或疑似遭受侵害，依法须履行强制报告义务；法律法规另有规定。"
        "督导和个案研讨时将隐去可识别身份的信息。",
        "五、您的权利。您有权查阅、复制、更正、补充您的个人信息，"
        "有权撤回同意或要求删除；撤回同意不影响此前已进行的处理。"
        f"联系方式：{form.station_contact or station}。",
        f"六、保存期限。{form.retention or '服务记录按档案管理规定保存，期满后删除或匿名化处理。'}",
    ]
    story: list[Flowable] = [
        *title_block(CONSENT_TITLE, f"个案编号：{form.case_no}"),
        field_table(
            [
                [("服务对象", form.client_name), ("负责社工", form.worker)],
                *([[("监护人", _related(form.guardian, ctx))]] if form.guardian else []),
            ]
        ),
        Spacer(1, 8),
    ]
    story.extend(para(text, st.body) for text in clauses)
    story.append(Spacer(1, 4))
    story.append(
        para(
            "本人已阅读（或已听社工讲解）并理解以上内容，同意接受服务并同意本站按上述方式处理本人的个人信息。",
            st.body,
        )
    )
    signatures = [Signature("服务对象签名", form.signed_on)]
    if form.guardian is not None:
        relation = f"（{form.guardian.relation}）" if form.guardian.relation else ""
        signatures.append(Signature(f"监护人签名{relation}", form.signed_on))
    signatures.append(Signature("社工签名", form.signed_on))
    story.append(signature_block(signatures))
    if form.text_version:
        story.append(Spacer(1, 6))
        story.append(para(f"文本版本：{form.text_version}", st.small))
    return story


def build_consent_pdf(form: ConsentForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the informed consent form (知情同意书).

    Args:
        form: The consent data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        consent_story(form, ctx),
        ctx,
        title=CONSENT_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Needs assessment
# ---------------------------------------------------------------------------


def assessment_story(form: AssessmentForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the needs assessment (需求评估表)."""
    del ctx  # no personal numbers on this form
    story: list[Flowable] = [
        *title_block(
            ASSESSMENT_TITLE, f"个案编号：{form.case_no}    评估日期：{fmt_date(form.assessed_on)}"
        ),
        field_table(
            [
                [("服务对象", form.client_name), ("评估编号", form.assessment_no)],
                [("评估方式", join(form.methods)), ("评估社工", form.assessor)],
                [("资料来源", form.sources)],
            ]
        ),
        heading("一、服务对象状况"),
        text_table(
            [
                ("生理健康状况", form.physical_health),
                ("心理与情绪", form.psychological),
                ("家庭状况", form.family),
                ("经济状况", form.economic),
                ("居住环境", form.housing),
                ("社会支持网络", form.social_support),
                ("教育/就业", form.education_employment),
                ("权益与法律问题", form.rights_legal),
                ("优势与资源", form.strengths),
            ]
        ),
        heading("二、问题与需求清单"),
    ]
    if form.needs:
        story.append(
            list_table(
                ["序号", "问题/需求", "领域", "优先级", "服务对象认同"],
                [
                    [
                        str(i),
                        n.need,
                        n.domain,
                        "" if n.priority is None else str(n.priority),
                        yes_no(n.agreed),
                    ]
                    for i, n in enumerate(form.needs, start=1)
                ],
                [1, 7, 2.2, 1.4, 2],
                align=["C", "L", "C", "C", "C"],
            )
        )
    else:
        story.append(para("（未列出）"))
    if form.scales:
        story.append(heading("三、评估工具与得分"))
        story.append(
            list_table(
                ["量表/工具", "得分/结果", "评估日期"],
                [[s.scale, s.score, fmt_date_short(s.scored_on)] for s in form.scales],
                [6, 3, 2.5],
                align=["L", "C", "C"],
            )
        )
    story.append(heading("四、预估摘要"))
    story.append(text_table([("预估摘要", form.summary), ("督导意见", form.supervisor_comment)]))
    story.append(
        signature_block([Signature("评估社工签名", form.assessed_on), Signature("督导签名")])
    )
    return story


def build_assessment_pdf(
    form: AssessmentForm, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print the needs assessment (需求评估表).

    Args:
        form: The assessment data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        assessment_story(form, ctx),
        ctx,
        title=ASSESSMENT_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Service plan
# ---------------------------------------------------------------------------


def plan_story(form: PlanForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the service plan (服务计划表)."""
    del ctx
    agreed = checkbox(form.client_agreed, "服务对象已确认") + (
        f"  {fmt_date(form.client_agreed_on)}" if form.client_agreed_on else ""
    )
    story: list[Flowable] = [
        *title_block(
            PLAN_TITLE,
            f"个案编号：{form.case_no}    制定日期：{fmt_date(form.drawn_up_on)}    第 {form.revision} 版",
        ),
        field_table(
            [
                [("服务对象", form.client_name), ("计划编号", form.plan_no)],
                [("预计周期", form.duration), ("服务频次", form.frequency)],
                [("介入模式", join(form.models))],
            ]
        ),
        text_table([("总目标", form.overall_aim), ("关注问题/对象", form.focus)]),
        heading("一、具体目标"),
    ]
    story.append(
        list_table(
            ["序号", "具体目标", "评估指标", "预期完成", "状态"],
            [
                [str(i), o.objective, o.indicator, fmt_date_short(o.target_date), o.status]
                for i, o in enumerate(form.objectives, start=1)
            ],
            [1, 6, 4.5, 2.3, 1.6],
            align=["C", "L", "L", "C", "C"],
        )
    )
    story.append(heading("二、介入策略与行动"))
    story.append(
        list_table(
            ["序号", "策略与行动", "负责方", "计划时间", "频次"],
            [
                [str(i), a.action, a.responsible, a.when, a.frequency]
                for i, a in enumerate(form.actions, start=1)
            ],
            [1, 7, 2.3, 2.6, 2],
            align=["C", "L", "C", "C", "C"],
        )
    )
    if form.partners:
        story.append(heading("三、合作方与资源链接"))
        story.append(
            list_table(
                ["合作方", "资源类型", "五社属性", "预期投入"],
                [[p.name, p.resource, p.party, p.expected] for p in form.partners],
                [5, 2.5, 2.5, 4],
                align=["L", "C", "C", "L"],
            )
        )
    story.append(heading("四、确认与审批"))
    story.append(
        field_table(
            [
                [("服务对象确认", agreed)],
                [("负责社工", form.worker), ("审批人", form.approver)],
                [("审批日期", fmt_date(form.approved_on))],
            ]
        )
    )
    story.append(text_table([("审批意见", form.approval_comment)]))
    story.append(
        signature_block(
            [
                Signature("服务对象（监护人）签名", form.client_agreed_on),
                Signature("社工签名", form.drawn_up_on),
                Signature("督导/站长签名", form.approved_on),
            ]
        )
    )
    return story


def build_plan_pdf(form: PlanForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the service plan (服务计划表).

    Args:
        form: The plan data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        plan_story(form, ctx), ctx, title=PLAN_TITLE, subject=form.case_no, invariant=invariant
    )


# ---------------------------------------------------------------------------
# Per-contact service record
# ---------------------------------------------------------------------------


def service_record_story(form: ServiceRecordForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of one service record (个案服务记录表)."""
    del ctx
    when = join(
        [fmt_time_range(form.start_time, form.end_time), _minutes(form.duration_minutes)], "  "
    )
    story: list[Flowable] = [
        *title_block(RECORD_TITLE, f"个案编号：{form.case_no}    第 {form.seq} 次服务"),
        field_table(
            [
                [("服务对象", form.client_name), ("记录编号", form.record_no)],
                [("服务日期", fmt_date(form.service_date)), ("服务时间", when)],
                [("服务地点", form.location), ("服务方式", form.mode)],
                [("参与人员", form.participants)],
                [("本次目标", form.goal)],
            ]
        ),
        text_table(
            [
                ("服务内容/过程", form.content),
                ("服务对象反应与变化", form.client_response),
                ("社工评估/分析", form.analysis),
            ],
            min_height=40,
        ),
    ]
    if form.resources:
        story.append(
            list_table(
                ["链接资源类型", "提供方", "价值（元）", "说明"],
                [[r.kind, r.provider, fmt_yuan(r.value_fen), r.note] for r in form.resources],
                [2.2, 4, 2, 5],
                align=["C", "L", "R", "L"],
            )
        )
    story.append(
        text_table([("下一步计划", form.next_steps), ("督导意见", form.supervisor_comment)])
    )
    story.append(
        field_table([[("社工", form.worker)]]),
    )
    story.append(signature_block([Signature("社工签名", form.service_date), Signature("督导签名")]))
    return story


def build_service_record_pdf(
    form: ServiceRecordForm, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print one per-contact service record (个案服务记录表).

    Args:
        form: The record data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        service_record_story(form, ctx),
        ctx,
        title=RECORD_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def evaluation_story(form: EvaluationForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of an evaluation (个案评估表)."""
    del ctx
    story: list[Flowable] = [
        *title_block(
            EVALUATION_TITLE, f"个案编号：{form.case_no}    评估日期：{fmt_date(form.evaluated_on)}"
        ),
        field_table(
            [
                [("服务对象", form.client_name), ("评估类型", form.kind)],
                [("评估方法", join(form.methods))],
                [("前测", form.pre_score), ("后测", form.post_score)],
                [("满意度", form.satisfaction), ("评估社工", form.evaluator)],
            ]
        ),
        heading("目标达成情况"),
        list_table(
            ["序号", "目标", "达成情况", "说明"],
            [
                [str(i), r.objective, r.attainment, r.note]
                for i, r in enumerate(form.results, start=1)
            ],
            [1, 6, 2.2, 6],
            align=["C", "L", "C", "L"],
        ),
        text_table([("评估说明", form.narrative)]),
        signature_block([Signature("评估社工签名", form.evaluated_on), Signature("督导签名")]),
    ]
    return story


def build_evaluation_pdf(
    form: EvaluationForm, ctx: PrintContext, *, invariant: bool = False
) -> bytes:
    """Print an evaluation (个案评估表).

    Args:
        form: The evaluation data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        evaluation_story(form, ctx),
        ctx,
        title=EVALUATION_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Closure
# ---------------------------------------------------------------------------


def closure_story(form: ClosureForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the closure report (结案报告)."""
    del ctx
    story: list[Flowable] = [
        *title_block(
            CLOSURE_TITLE, f"个案编号：{form.case_no}    结案日期：{fmt_date(form.closed_on)}"
        ),
        field_table(
            [
                [("服务对象", form.client_name), ("结案类型", form.closure_type)],
                [("接案日期", fmt_date(form.opened_on)), ("结案日期", fmt_date(form.closed_on))],
                [
                    ("服务次数", "" if form.contacts is None else f"{form.contacts}次"),
                    ("服务总时长", _minutes(form.total_minutes)),
                ],
            ]
        ),
        text_table(
            [
                ("结案原因", form.closure_reason),
                ("服务概况", form.services_summary),
                ("目标达成情况", form.goal_attainment),
                ("服务对象改变", form.client_changes),
                ("遗留问题", form.unresolved),
                ("结案前准备", form.preparation),
            ]
        ),
        heading("跟进计划"),
        list_table(
            ["序号", "计划日期", "跟进方式", "跟进结果"],
            [
                [str(i), fmt_date_short(f.planned_on), f.method, f.result]
                for i, f in enumerate(form.follow_ups, start=1)
            ],
            [1, 2.4, 2.4, 8],
            align=["C", "C", "C", "L"],
        ),
        text_table([("服务对象意见", form.client_feedback)]),
        field_table(
            [
                [("负责社工", form.worker), ("审批人", form.approver)],
                [("审批日期", fmt_date(form.approved_on))],
            ]
        ),
        signature_block(
            [
                Signature("服务对象（监护人）签名"),
                Signature("社工签名", form.closed_on),
                Signature("站长/督导审批签名", form.approved_on),
            ]
        ),
    ]
    return story


def build_closure_pdf(form: ClosureForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the closure report (结案报告).

    Args:
        form: The closure data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        closure_story(form, ctx),
        ctx,
        title=CLOSURE_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# Referral
# ---------------------------------------------------------------------------


def referral_story(form: ReferralForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of a referral form (转介表)."""
    if form.consent:
        consent = checkbox(True, "服务对象已单独同意提供上述信息") + (
            f"  {fmt_date(form.consent_date)}" if form.consent_date else ""
        )
    else:
        consent = checkbox(False, "服务对象单独同意")
    if form.legal_basis:
        consent += f"  依据：{form.legal_basis}"
    client = [
        ("服务对象", form.client_name),
        (
            "性别/年龄",
            join(
                [form.client_sex, "" if form.client_age is None else f"{form.client_age}岁"], "，"
            ),
        ),
    ]
    story: list[Flowable] = [
        *title_block(
            f"{REFERRAL_TITLE}（{form.direction}）" if form.direction else REFERRAL_TITLE,
            f"转介编号：{form.referral_no}    转介日期：{fmt_date(form.referred_on)}",
        ),
        field_table(
            [
                [("个案编号", form.case_no), ("转介方向", form.direction)],
                client,
                *(
                    [[("证件号码", id_text(form.client_id_number, ctx))]]
                    if form.client_id_number
                    else []
                ),
            ]
        ),
        heading("一、转介双方"),
        field_table(
            [
                [("转出机构", form.from_org)],
                [("转出社工", form.from_worker), ("联系电话", form.from_phone)],
                [("接收机构", form.to_org)],
                [("接收联系人", form.to_contact), ("联系电话", form.to_phone)],
            ]
        ),
        heading("二、转介内容"),
        text_table([("转介原因", form.reason), ("已提供服务摘要", form.services_summary)]),
        field_table(
            [
                [("提供的个人信息", join(form.disclosed_items))],
                [("服务对象同意", consent)],
                [("附件", join(form.attachments))],
            ]
        ),
        heading("三、接收反馈与跟进"),
        field_table(
            [
                [("接收结果", form.outcome), ("反馈日期", fmt_date(form.outcome_date))],
                [("反馈人", form.outcome_contact)],
            ]
        ),
        text_table([("跟进情况", form.follow_up)]),
        signature_block(
            [
                Signature("转出方签名（盖章）", form.referred_on),
                Signature("接收方签名（盖章）", form.outcome_date),
                Signature("服务对象（监护人）签名", form.consent_date),
            ]
        ),
    ]
    return story


def build_referral_pdf(form: ReferralForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print a referral form (转介表).

    Args:
        form: The referral data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.
    """
    return render(
        referral_story(form, ctx),
        ctx,
        title=REFERRAL_TITLE,
        subject=form.case_no,
        invariant=invariant,
    )


# ---------------------------------------------------------------------------
# The whole case file
# ---------------------------------------------------------------------------


def _cover(case: CaseFile, ctx: PrintContext) -> list[Flowable]:
    st = styles()
    width = content_width() * 0.8
    return [
        Spacer(1, 40 * mm),
        para(CASE_FILE_TITLE, st.cover_title),
        Spacer(1, 6 * mm),
        para("内部资料　注意保密", st.title),
        Spacer(1, 25 * mm),
        field_table(
            [
                [("个案编号", case.case_no)],
                [("服务对象", case.client_name)],
                [("服务领域", case.service_area)],
                [("负责社工", case.worker)],
                [("个案状态", case.status)],
                [("接案日期", fmt_date(case.opened_on))],
                [("结案日期", fmt_date(case.closed_on))],
                [("建档单位", ctx.station_name)],
            ],
            width=width,
            label_width=30 * mm,
        ),
    ]


def build_case_file_pdf(
    case: CaseFile,
    ctx: PrintContext,
    *,
    invariant: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Print the whole case file: cover, contents, then every document in order.

    Documents: intake, consent, assessments, plans, service records, evaluations,
    referrals, closure; each starts on a new page, page numbers run through the file
    and the contents list gives each document's pages.

    Args:
        case: The case file data.
        ctx: Station, print date and masking choice.
        invariant: Byte-stable output, for tests.
        progress: ``progress(done, total)`` while laying out (a long file takes
            seconds; run it off the GUI thread).

    Returns:
        The PDF bytes.
    """
    sections: list[tuple[str, str, list[Flowable]]] = []  # title, date, story

    def add(title: str, when: str, story: list[Flowable]) -> None:
        sections.append((title, when, story))

    add(INTAKE_TITLE, fmt_date_short(case.intake.intake_date), intake_story(case.intake, ctx))
    if case.consent is not None:
        add(CONSENT_TITLE, fmt_date_short(case.consent.signed_on), consent_story(case.consent, ctx))
    for n, assessment in enumerate(case.assessments, start=1):
        title = ASSESSMENT_TITLE if len(case.assessments) == 1 else f"{ASSESSMENT_TITLE}（{n}）"
        add(title, fmt_date_short(assessment.assessed_on), assessment_story(assessment, ctx))
    for plan in case.plans:
        title = f"{PLAN_TITLE}（第 {plan.revision} 版）"
        add(title, fmt_date_short(plan.drawn_up_on), plan_story(plan, ctx))
    for record in case.records:
        title = f"{RECORD_TITLE}（第 {record.seq} 次）"
        add(title, fmt_date_short(record.service_date), service_record_story(record, ctx))
    for evaluation in case.evaluations:
        title = f"{EVALUATION_TITLE}（{evaluation.kind}）" if evaluation.kind else EVALUATION_TITLE
        add(title, fmt_date_short(evaluation.evaluated_on), evaluation_story(evaluation, ctx))
    for referral in case.referrals:
        title = (
            f"{REFERRAL_TITLE}（{referral.direction}）" if referral.direction else REFERRAL_TITLE
        )
        add(title, fmt_date_short(referral.referred_on), referral_story(referral, ctx))
    if case.closure is not None:
        add(CLOSURE_TITLE, fmt_date_short(case.closure.closed_on), closure_story(case.closure, ctx))

    keys = [f"section-{i}" for i in range(1, len(sections) + 1)]
    contents = list_table(
        ["序号", "文件名称", "日期", "页号"],
        [
            [str(i), title, when, PageRef(key)]
            for i, ((title, when, _), key) in enumerate(zip(sections, keys, strict=True), start=1)
        ],
        [1.2, 8, 2.6, 2],
        align=["C", "L", "C", "C"],
    )
    story: list[Flowable] = [
        SectionStart(f"{CASE_FILE_TITLE}封面", "cover"),
        *_cover(case, ctx),
        PageBreak(),
        SectionStart("卷内目录", "contents"),
        *title_block("卷内目录", f"个案编号：{case.case_no}    服务对象：{case.client_name}"),
        contents,
    ]
    for (title, _when, section), key in zip(sections, keys, strict=True):
        story.append(PageBreak())
        story.append(SectionStart(title, key))
        story.extend(section)
    return render(
        story,
        ctx,
        title=f"{CASE_FILE_TITLE} {case.case_no}",
        subject=case.case_no,
        invariant=invariant,
        progress=progress,
    )
