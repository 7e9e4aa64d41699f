"""Realistic frozen data for the printed forms (tests, PNG renders).

People: 王桂花 (82, lives alone, the case client), 乌云·巴图 (a volunteer), 其其格 (9, a
child client) with her guardian 其木格. ID numbers are valid 18-digit numbers whose check
character is computed with :func:`id_number_check_char`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from wushe_desktop.domain.validation import id_number_check_char, normalize_name
from wushe_desktop.printing.data import (
    ActivityForm,
    AssessmentForm,
    Attendee,
    CaseFile,
    CertificateForm,
    CertificateLine,
    ClosureForm,
    ConsentForm,
    EvaluationForm,
    FollowUp,
    GoodsItem,
    HouseholdMember,
    IntakeForm,
    LedgerForm,
    LedgerLine,
    LinkageLine,
    LinkedResource,
    MonthlyFigures,
    MonthlyReport,
    NeedItem,
    ObjectiveResult,
    Organiser,
    ParticipantCounts,
    PersonBlock,
    PlanAction,
    PlanForm,
    PlanObjective,
    PlanPartner,
    PrintContext,
    ReferralForm,
    RelatedPerson,
    ScaleScore,
    ServiceRecordForm,
    SignInSheet,
    SpendingLine,
    SupervisionList,
    SupervisionRow,
    VolunteerForm,
)


def id_number(first17: str) -> str:
    """A valid 18-digit ID number from its first 17 digits."""
    return first17 + id_number_check_char(first17)


STATION = "毕克齐镇社工站"
STATION_CODE = "150121101000"
PRINTED_ON = date(2024, 5, 6)

WANG_ID = id_number("15012119420312028")  # 王桂花, f, check char X
WUYUN_ID = id_number("15012119900715029")  # 乌云·巴图, m, check char X
QIQIGE_ID = id_number("15012120150220008")  # 其其格, f, 9 years old
QIMUGE_ID = id_number("15012119881105052")  # 其木格, her mother
WANG_PHONE = "13847112345"
WUYUN_PHONE = "15104712288"
QIMUGE_PHONE = "13904718866"

CASE_NO = "150121101000-2024-0007"

#: A 50-character Mongolian name in Chinese transliteration, with separators.
LONG_NAME = normalize_name(
    "阿拉坦其其格·巴音孟和·额尔德尼毕力格·乌力吉图·那顺乌日图·宝音德力格尔·苏和巴特尔·赛音毕力格图"
)
assert len(LONG_NAME) == 50

_NOTE_SENTENCES = (
    "社工按约定时间入户探访，王桂花老人正在院中晾晒衣物，精神状态较上次明显好转。",
    "老人表示近一周按时服用降压药，血压控制在正常范围，夜间睡眠仍不太好。",
    "社工与老人一起回顾了上周制定的居家安全改造清单，卫生间扶手已由村委会协调安装完毕。",
    "老人提到儿子张建国上周末打来电话，答应五月中旬回家看望，说起此事时情绪愉快。",
    "社工运用优势视角，肯定了老人坚持每天散步和自己做饭的能力，鼓励其参加村里的老年协会活动。",
    "老人对参加集体活动仍有顾虑，担心走路慢给别人添麻烦，社工表示可以安排志愿者陪同前往。",
    "社工同时检查了家中燃气灶具和电线，发现厨房插座老化，已记录并准备联系村电工上门维修。",
    "本次服务还为老人代办了高龄津贴年审材料，复印了身份证和户口簿，约定下周交到苏木民政所。",
)


def long_note(length: int = 3000) -> str:
    """A realistic service note of exactly ``length`` characters, with numbered paragraphs.

    Each paragraph starts with a marker ``【第N段】`` so a test can find every part.
    """
    parts: list[str] = []
    n = 0
    while sum(len(p) for p in parts) < length + 200:
        n += 1
        sentences = "".join(_NOTE_SENTENCES[(n + i) % len(_NOTE_SENTENCES)] for i in range(3))
        parts.append(f"【第{n}段】{sentences}\n")
    text = "".join(parts)[:length]
    return text


def ctx(*, reveal: bool = False, copy: bool = False) -> PrintContext:
    """The station's print context."""
    return PrintContext(
        station_name=STATION,
        station_code=STATION_CODE,
        printed_on=PRINTED_ON,
        printed_by="李娜",
        reveal_ids=reveal,
        copy=copy,
    )


def wang() -> PersonBlock:
    """王桂花, 82, lives alone."""
    return PersonBlock(
        name="王桂花",
        sex="女",
        ethnicity="汉族",
        birth_date=date(1942, 3, 12),
        age=82,
        id_type="居民身份证",
        id_number=WANG_ID,
        phones=(WANG_PHONE, "0471-3312345"),
        address="土默特左旗毕克齐镇毕克齐村三组12号",
        hukou_address="内蒙古自治区呼和浩特市土默特左旗毕克齐镇毕克齐村",
        categories=("高龄老人", "独居老人", "低保"),
        health="高血压，膝关节退行性病变，行走需拄拐",
        disability="肢体残疾四级",
        marital_status="丧偶",
        education="小学",
        emergency_contact=RelatedPerson("张建国", "儿子", "13912345678"),
        household=(
            HouseholdMember("张建国", "儿子", 55, "在包头务工", "良好", False, "13912345678"),
            HouseholdMember("张秀英", "女儿", 52, "务农", "良好", False, "13604711234"),
        ),
    )


def intake(client: PersonBlock | None = None) -> IntakeForm:
    """Intake of 王桂花's case."""
    return IntakeForm(
        case_no=CASE_NO,
        intake_date=date(2024, 3, 12),
        client=client or wang(),
        source="社工外展·走访",
        referrer="毕克齐村村民委员会 王主任",
        service_area="老",
        presenting_problem="老人独居，子女均在外地，三月初在家中跌倒一次，"
        "自述做饭、洗澡有困难，希望得到生活照料和定期探访。",
        initial_impression="存在跌倒和突发疾病无人知晓的风险，社会支持网络薄弱，需要链接居家养老服务。",
        risk_level="中",
        crisis=False,
        willingness="自愿",
        accepted=True,
        consent_signed=True,
        consent_date=date(2024, 3, 12),
        consent_signer="王桂花",
        consent_relation="本人",
        worker="李娜",
        approver="赵站长",
        approved_on=date(2024, 3, 13),
    )


def child_intake() -> IntakeForm:
    """Intake of 其其格 (9), with her guardian 其木格."""
    client = PersonBlock(
        name="其其格",
        sex="女",
        ethnicity="蒙古族",
        birth_date=date(2015, 2, 20),
        age=9,
        id_type="居民身份证",
        id_number=QIQIGE_ID,
        address="土默特左旗毕克齐镇哈素嘎查",
        categories=("农村留守儿童",),
        guardian=RelatedPerson("其木格", "母亲", QIMUGE_PHONE, QIMUGE_ID),
    )
    return IntakeForm(
        case_no="150121101000-2024-0012",
        intake_date=date(2024, 4, 2),
        client=client,
        source="机构转介",
        referrer="毕克齐镇中心小学 班主任",
        service_area="小",
        presenting_problem="父亲外出务工，母亲其木格照顾两个孩子，孩子近期上课注意力不集中、成绩下降。",
        risk_level="低",
        willingness="自愿",
        accepted=True,
        consent_signed=True,
        consent_date=date(2024, 4, 2),
        consent_signer="其木格",
        consent_relation="母亲",
        worker="乌兰",
    )


def consent() -> ConsentForm:
    """Consent of 其其格's case, signed by her mother."""
    return ConsentForm(
        case_no="150121101000-2024-0012",
        client_name="其其格",
        guardian=RelatedPerson("其木格", "母亲", QIMUGE_PHONE),
        services="学业辅导、亲子沟通辅导、链接课后托管资源",
        purposes=("提供个案服务", "向督导汇报", "按规定向民政部门报送统计数据（不含身份信息）"),
        pi_items=("姓名", "性别", "出生日期", "就读学校", "监护人联系方式"),
        sensitive_items=("未成年人个人信息", "心理健康评估结果"),
        retention="结案后保存10年，期满后销毁。",
        station_contact="毕克齐镇社工站 0471-3311000（周一至周五）",
        worker="乌兰",
        signed_on=date(2024, 4, 2),
        text_version="2024-01",
    )


def assessment() -> AssessmentForm:
    """王桂花's needs assessment."""
    return AssessmentForm(
        case_no=CASE_NO,
        client_name="王桂花",
        assessed_on=date(2024, 3, 19),
        assessment_no="PG-2024-0007-1",
        methods=("家访", "面谈", "量表"),
        sources="本人陈述、村委会、邻居李大姐、卫生院健康档案",
        physical_health="高血压十余年，规律服药；膝关节疼痛，行走需拄拐，上下台阶困难。",
        psychological="独居后常感孤单，提到老伴时流泪，无自伤念头。",
        family="丧偶，一子一女均在外地，每月电话联系二至三次。",
        economic="低保及高龄津贴，月收入约一千二百元，基本够用。",
        housing="平房，院内地面不平，卫生间无扶手，冬季取暖用煤炉。",
        social_support="邻居偶尔帮忙买菜，村委会逢年过节慰问。",
        strengths="生活基本自理，乐观，愿意接受帮助，与邻里关系好。",
        needs=(
            NeedItem("居家安全（防跌倒、防煤气中毒）", "居住", 1, True),
            NeedItem("定期探访与紧急联络", "社会支持", 2, True),
            NeedItem("缓解孤独，参与社区活动", "心理", 3, False),
        ),
        scales=(
            ScaleScore("日常生活能力量表（ADL）", "75分（轻度依赖）", date(2024, 3, 19)),
            ScaleScore("老年抑郁量表（GDS-15）", "6分", date(2024, 3, 19)),
        ),
        summary="个人系统：生活基本自理但存在跌倒风险；家庭系统：子女支持以电话为主；"
        "社会系统：正式支持有限。建议以居家安全和社会支持网络建设为重点。",
        assessor="李娜",
        supervisor_comment="评估全面，注意冬季煤气安全。",
    )


def plan() -> PlanForm:
    """王桂花's service plan."""
    return PlanForm(
        case_no=CASE_NO,
        client_name="王桂花",
        drawn_up_on=date(2024, 3, 22),
        plan_no="JH-2024-0007-1",
        revision=1,
        overall_aim="提升老人居家安全和社会支持，使其能够安全、有尊严地居家养老。",
        objectives=(
            PlanObjective(
                "完成居家安全改造（扶手、防滑垫、燃气报警器）",
                "改造清单完成率",
                date(2024, 4, 30),
                "已达成",
            ),
            PlanObjective(
                "建立每周探访和紧急联络机制", "连续8周按时探访", date(2024, 5, 31), "进行中"
            ),
            PlanObjective("每月参加一次村老年协会活动", "参加次数", date(2024, 6, 30), "进行中"),
        ),
        focus="王桂花本人；子女张建国、张秀英；邻居李大姐。",
        models=("优势视角", "个案管理"),
        actions=(
            PlanAction("联系村委会和慈善资源安装扶手、燃气报警器", "社工", "2024年4月", "一次"),
            PlanAction("招募志愿者结对，每周探访", "社工、志愿者", "2024年4月起", "每周一次"),
            PlanAction("与子女电话会商照顾安排", "社工、服务对象", "2024年4月", "每月一次"),
        ),
        partners=(
            PlanPartner("毕克齐村村民委员会", "服务", "社区", "协调电工维修"),
            PlanPartner("土左旗慈善总会", "物资", "社会公益慈善资源", "燃气报警器1台"),
        ),
        duration="6个月",
        frequency="每周1次",
        client_agreed=True,
        client_agreed_on=date(2024, 3, 22),
        worker="李娜",
        approver="赵站长",
        approved_on=date(2024, 3, 25),
        approval_comment="同意。",
    )


def record(seq: int = 1, content: str | None = None) -> ServiceRecordForm:
    """One of 王桂花's service records."""
    day = date(2024, 3, 26) + timedelta(days=7 * (seq - 1))
    return ServiceRecordForm(
        case_no=CASE_NO,
        client_name="王桂花",
        seq=seq,
        service_date=day,
        record_no=f"FW-2024-0007-{seq:03d}",
        start_time=time(9, 30),
        end_time=time(10, 40),
        duration_minutes=70,
        location="服务对象家中",
        mode="家访",
        participants="社工李娜、志愿者乌云·巴图",
        goal="建立每周探访和紧急联络机制",
        content=content
        if content is not None
        else _NOTE_SENTENCES[seq % 8] + _NOTE_SENTENCES[(seq + 1) % 8],
        client_response="老人情绪稳定，主动讲述近况，对志愿者的陪伴表示感谢。",
        analysis="老人支持网络在逐步建立，需继续关注夜间睡眠问题。",
        resources=(LinkedResource("物资", "土左旗慈善总会", 12_800, "燃气报警器1台"),)
        if seq == 1
        else (),
        next_steps="下周二再次家访，带去村老年协会活动通知。",
        worker="李娜",
    )


def evaluation() -> EvaluationForm:
    """王桂花's outcome evaluation."""
    return EvaluationForm(
        case_no=CASE_NO,
        client_name="王桂花",
        evaluated_on=date(2024, 9, 20),
        kind="结果评估",
        methods=("目标达成评量", "前后测", "满意度"),
        results=(
            ObjectiveResult("完成居家安全改造", "完全达成", "扶手、防滑垫、报警器均已安装"),
            ObjectiveResult("建立每周探访和紧急联络机制", "完全达成", "志愿者结对探访24次"),
            ObjectiveResult("每月参加一次村老年协会活动", "部分达成", "参加4次"),
        ),
        pre_score="GDS-15：6分",
        post_score="GDS-15：3分",
        satisfaction="5/5",
        narrative="服务目标基本达成，老人孤独感明显减轻。",
        evaluator="李娜",
    )


def closure() -> ClosureForm:
    """王桂花's closure report."""
    return ClosureForm(
        case_no=CASE_NO,
        client_name="王桂花",
        closed_on=date(2024, 9, 30),
        opened_on=date(2024, 3, 12),
        closure_type="目标实现",
        closure_reason="服务目标已基本实现，老人同意结案。",
        contacts=24,
        total_minutes=24 * 70,
        services_summary="家访24次，链接居家安全改造资源3项，结对志愿者1名。",
        goal_attainment="三个具体目标中两个完全达成，一个部分达成。",
        client_changes="居家安全明显改善，情绪积极，开始参加老年协会活动。",
        unresolved="冬季取暖安全仍需关注。",
        preparation="提前一个月告知老人结案安排，志愿者继续按月探访。",
        follow_ups=(
            FollowUp(date(2024, 10, 30), "电话", ""),
            FollowUp(date(2024, 12, 30), "家访", ""),
        ),
        client_feedback="感谢社工和志愿者，希望以后还能常来看看。",
        worker="李娜",
        approver="赵站长",
        approved_on=date(2024, 10, 8),
    )


def referral() -> ReferralForm:
    """A referral out for 王桂花's knee treatment."""
    return ReferralForm(
        referral_no="ZJ-2024-0003",
        referred_on=date(2024, 6, 3),
        direction="转出",
        case_no=CASE_NO,
        client_name="王桂花",
        client_sex="女",
        client_age=82,
        client_id_number=WANG_ID,
        from_org="毕克齐镇社工站",
        from_worker="李娜",
        from_phone="0471-3311000",
        to_org="土默特左旗残疾人联合会康复中心",
        to_contact="刘医生",
        to_phone="0471-3325566",
        reason="膝关节疼痛加重，需要专业康复评估和辅具适配。",
        services_summary="已完成居家安全改造和每周探访。",
        disclosed_items=("姓名", "性别", "年龄", "身份证号码", "健康状况"),
        consent=True,
        consent_date=date(2024, 6, 1),
        legal_basis="单独同意",
        attachments=("残疾人证复印件",),
        outcome="已接收",
        outcome_date=date(2024, 6, 10),
        outcome_contact="刘医生",
        follow_up="已适配助行器一台。",
    )


def case_file(records: int = 3, note: str | None = None, client_name: str = "王桂花") -> CaseFile:
    """王桂花's whole case file with ``records`` service records."""
    client = wang()
    if client_name != client.name:
        client = replace(client, name=client_name)
    return CaseFile(
        case_no=CASE_NO,
        client_name=client_name,
        intake=intake(client),
        service_area="老",
        worker="李娜",
        status="已结案",
        opened_on=date(2024, 3, 12),
        closed_on=date(2024, 9, 30),
        consent=consent(),
        assessments=(assessment(),),
        plans=(plan(),),
        records=tuple(record(i, note) for i in range(1, records + 1)),
        evaluations=(evaluation(),),
        referrals=(referral(),),
        closure=closure(),
    )


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = (
    "桂花",
    "秀英",
    "建国",
    "志强",
    "淑珍",
    "海燕",
    "巴特尔",
    "其其格",
    "乌兰",
    "额尔敦",
    "玉兰",
    "德胜",
)
_ROLES = ("服务对象", "服务对象", "服务对象", "志愿者", "爱心人士", "社工", "其他")


def attendees(count: int) -> tuple[Attendee, ...]:
    """``count`` attendees with unique names (the index is part of the name)."""
    return tuple(
        Attendee(
            name=f"{_SURNAMES[i % 20]}{_GIVEN[i % 12]}{i + 1:03d}",
            role=_ROLES[i % 7],
            unit=("毕克齐村", "哈素嘎查", "腮忽洞村", "毕克齐镇中心小学")[i % 4],
            phone=f"139{i:08d}",
        )
        for i in range(count)
    )


def activity(count: int = 12) -> ActivityForm:
    """A community activity with ``count`` people on the roster."""
    return ActivityForm(
        activity_no="HD-2024-0031",
        title="“邻里守望·温暖同行”重阳节敬老暨义诊活动",
        starts_at=datetime(2024, 10, 11, 9, 0),
        ends_at=datetime(2024, 10, 11, 11, 30),
        activity_type="节日慰问",
        service_areas=("老",),
        target_groups=("高龄老人", "独居老人"),
        place="毕克齐村党群服务中心广场",
        organisers=(
            Organiser("毕克齐镇社工站", "主办", "社会工作者"),
            Organiser("毕克齐村村民委员会", "承办", "社区"),
            Organiser("土左旗蓝天志愿服务队", "协办", "社区志愿者"),
        ),
        lead="李娜",
        staff=("乌兰", "巴雅尔"),
        objectives="为辖区高龄、独居老人提供义诊和节日慰问，宣传防诈骗知识。",
        programme="1. 签到；2. 卫生院医生义诊（血压、血糖）；3. 防诈骗知识讲座；4. 发放慰问品；5. 合影。",
        counts=ParticipantCounts(
            social_workers=3, volunteers=15, caring_people=4, clients=62, others=2
        ),
        beneficiaries=62,
        attendees=attendees(count),
        donations=(
            LedgerLine("150121101000-J2024-0017", date(2024, 10, 11), "内蒙古伊利实业集团土左旗牧场",
                       donor_type="企业", form="实物",
                       goods=(GoodsItem("纯牛奶", "50", "箱", "250ml×16", 300_000),),
                       receipt="捐赠接收凭证 2024-017"),
        ),
        spending=(
            SpendingLine("慰问品（牛奶、月饼）", "62份", 372_000, "慈善总会定向捐赠"),
            SpendingLine("横幅、宣传单", "1批", 18_000, "站点运营经费"),
        ),
        outcomes="老人满意度调查平均4.8分（5分制）。",
        reflection="部分老人行动不便未能到场，下次应安排入户慰问。",
        recorder="乌兰",
        approver="赵站长",
        approved_on=date(2024, 10, 12),
    )


def sign_in(*, blank: bool, rows: int = 30, count: int = 0) -> SignInSheet:
    """A sign-in sheet, blank or with ``count`` people."""
    return SignInSheet(
        title="“邻里守望·温暖同行”重阳节敬老暨义诊活动",
        activity_no="HD-2024-0031",
        starts_at=None if blank else datetime(2024, 10, 11, 9, 0),
        place="毕克齐村党群服务中心广场",
        organiser="毕克齐镇社工站",
        blank=blank,
        rows=rows,
        attendees=attendees(count),
    )


def volunteer(*, minor: bool = False) -> VolunteerForm:
    """乌云·巴图's registration (or 其其格's, as a minor, with her guardian)."""
    if minor:
        return VolunteerForm(
            volunteer_no="ZYZ-2024-0102",
            name="其其格",
            sex="女",
            ethnicity="蒙古族",
            birth_date=date(2015, 2, 20),
            id_type="居民身份证",
            id_number=QIQIGE_ID,
            residence="毕克齐镇哈素嘎查",
            skills=("文艺表演",),
            preferences="敬老院文艺演出",
            availability="寒暑假周末",
            teams=("小小志愿者服务队",),
            guardian=RelatedPerson("其木格", "母亲", QIMUGE_PHONE),
            registered_on=date(2024, 4, 6),
            registrar="乌兰",
        )
    return VolunteerForm(
        volunteer_no="ZYZ-2024-0015",
        name="乌云·巴图",
        sex="男",
        ethnicity="蒙古族",
        birth_date=date(1990, 7, 15),
        id_type="居民身份证",
        id_number=WUYUN_ID,
        phone=WUYUN_PHONE,
        national_no="1501214400125",
        political_status="群众",
        education="大专",
        residence="土默特左旗毕克齐镇毕克齐村五组",
        skills=("驾驶", "蒙汉双语翻译", "电工"),
        preferences="助老探访、应急救援",
        availability="周末及节假日",
        teams=("土左旗蓝天志愿服务队",),
        insurance="志愿者意外险 保单号 PICC-2024-88123（2024-01-01至2024-12-31）",
        emergency_contact=RelatedPerson("萨仁", "妻子", "13604719876"),
        registered_on=date(2024, 1, 8),
        registrar="李娜",
    )


def certificate(
    *, copy: bool = False, hours_tenths: int | None = None, name: str = "乌云·巴图"
) -> CertificateForm:
    """乌云·巴图's certificate for the first half of 2024."""
    lines = (
        CertificateLine(date(2024, 1, 20), "春节前走访慰问高龄老人", 35, "陪同走访、搬运慰问品"),
        CertificateLine(date(2024, 3, 26), "王桂花个案结对探访", 15, "陪伴聊天、检查家中电线"),
        CertificateLine(date(2024, 4, 2), "王桂花个案结对探访", 15, "陪伴聊天"),
        CertificateLine(date(2024, 5, 12), "防汛应急演练", 40, "驾驶、物资转运"),
    )
    total = sum(line.hours_tenths for line in lines)
    return CertificateForm(
        cert_no="ZM-2024-0009",
        volunteer_name=name,
        volunteer_no="ZYZ-2024-0015",
        period_from=date(2024, 1, 1),
        period_to=date(2024, 6, 30),
        hours_tenths=total if hours_tenths is None else hours_tenths,
        issuing_body="土默特左旗毕克齐镇人民政府",
        issued_on=date(2024, 7, 3),
        id_type="居民身份证",
        id_number=WUYUN_ID,
        content_summary="助老探访、节日慰问、应急演练中的驾驶和物资转运。",
        person_in_charge="赵站长",
        handler="李娜",
        contact="0471-3311000",
        lines=lines if hours_tenths is None else (),
        remarks="",
        copy=copy,
    )


def ledger() -> LedgerForm:
    """May 2024's charity resources."""
    return LedgerForm(
        month=date(2024, 5, 1),
        prepared_by="巴雅尔",
        lines=(
            LedgerLine(
                "JZ-2024-0051",
                date(2024, 5, 6),
                "内蒙古伊利实业集团股份有限公司土左旗分公司",
                "企业",
                "实物",
                goods=(
                    GoodsItem("纯牛奶", "100", "箱", "250ml×24", 650_000),
                    GoodsItem("米粉", "20", "袋", "5kg", 90_000),
                ),
                purpose="定向：辖区高龄、独居老人",
                recipient="土默特左旗慈善总会",
                receipt="电子票据 NO.20240506001",
                handler="巴雅尔",
                publish_consent=True,
            ),
            LedgerLine(
                "JZ-2024-0052",
                date(2024, 5, 12),
                "张建国",
                "个人",
                "货币",
                amount_fen=200_000,
                purpose="非定向",
                recipient="土默特左旗慈善总会",
                receipt="纸质票据 NO.0012345",
                handler="李娜",
            ),
            LedgerLine(
                "JZ-2024-0053",
                date(2024, 5, 20),
                "",
                "匿名",
                "货币",
                amount_fen=50_050,
                purpose="非定向",
                recipient="土默特左旗慈善总会",
                receipt="匿名捐赠，已记录",
                handler="李娜",
            ),
        ),
    )


def monthly() -> MonthlyReport:
    """May 2024's monthly report."""
    return MonthlyReport(
        month=date(2024, 5, 1),
        figures=MonthlyFigures(
            activities=6,
            funds_raised_fen=250_050,
            goods_value_fen=740_000,
            social_worker_times=14,
            volunteer_times=48,
            caring_people_times=9,
            beneficiary_person_times=231,
            beneficiary_persons=157,
            cases_opened=3,
            cases_active=18,
            cases_closed=2,
            cases_referred=1,
            service_records=37,
            volunteers=64,
            volunteer_hours_tenths=1835,
        ),
        year_to_date=MonthlyFigures(activities=27, volunteer_hours_tenths=7210, cases_opened=11),
        linkage=(
            LinkageLine("社区", 4, 5, 32, 0, "村（嘎查）委会协调场地"),
            LinkageLine("社会组织", 2, 3, 11, 0),
            LinkageLine("社会工作者", 3, 6, 14, 0),
            LinkageLine("社区志愿者", 2, 6, 48, 0, "蓝天志愿服务队"),
            LinkageLine("社会慈善资源", 3, 2, 9, 990_050, "慈善总会、企业捐赠"),
        ),
        highlights="开展重阳节敬老义诊活动；完成3户老人居家安全改造。",
        problems="志愿者以中青年为主，工作日服务人手不足。",
        next_plan="开展防溺水宣传；推进留守儿童课后托管。",
        prepared_by="乌兰",
        reviewed_by="赵站长",
    )


def supervision(rows: int = 3) -> SupervisionList:
    """High-risk cases without contact for 14 days."""
    names = ("王桂花", "其其格", LONG_NAME, "巴特尔", "刘淑珍")
    return SupervisionList(
        as_of=PRINTED_ON,
        threshold_days=14,
        supervisor="高督导",
        rows=tuple(
            SupervisionRow(
                case_no=f"150121101000-2024-{i + 1:04d}",
                client_name=names[i % len(names)],
                risk_level="高",
                crisis=i % 2 == 0,
                stage="介入",
                worker="李娜",
                last_contact=None if i == 1 else PRINTED_ON - timedelta(days=20 + i),
                days_since=20 + i,
                next_planned="本周内家访",
                note="独居，电话无人接听" if i == 0 else "",
            )
            for i in range(rows)
        ),
    )
