"""The frozen data the printed forms are made from: the only input of the templates.

The service layer fills these from the database; the templates never look anything up.
Rules every field follows:

* Labels of enums and taxonomy codes (性别, 风险等级, 服务方式, 服务领域 ...) arrive as
  already resolved Chinese strings, e.g. ``sex="女"``, ``risk_level="高"``.
* ID numbers and phone numbers arrive raw (unmasked); the templates mask them unless
  :attr:`PrintContext.reveal_ids` is set (printing them in full is the caller's choice,
  and the caller audits it).
* Money is in fen (integer, 1 yuan = 100 fen) and volunteer hours in tenths of an hour,
  never floats. Durations of contacts are in minutes.
* An empty string or ``None`` prints as an empty cell (or a blank line to fill by hand).
* Sequences are tuples, printed in the order given; the service layer sorts them.

Standard library only (plus :mod:`wushe_desktop.domain`), like the rest of the package's
inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = [
    "MAX_SIGN_IN_ROWS",
    "ActivityForm",
    "AssessmentForm",
    "Attendee",
    "CaseFile",
    "CertificateForm",
    "CertificateLine",
    "ClosureForm",
    "ConsentForm",
    "EvaluationForm",
    "FollowUp",
    "GoodsItem",
    "HouseholdMember",
    "IntakeForm",
    "LedgerForm",
    "LedgerLine",
    "LinkageLine",
    "LinkedResource",
    "MonthlyFigures",
    "MonthlyReport",
    "NeedItem",
    "ObjectiveResult",
    "Organiser",
    "ParticipantCounts",
    "PersonBlock",
    "PlanAction",
    "PlanForm",
    "PlanObjective",
    "PlanPartner",
    "PrintContext",
    "ReferralForm",
    "RelatedPerson",
    "ScaleScore",
    "ServiceRecordForm",
    "SignInSheet",
    "SpendingLine",
    "SupervisionList",
    "SupervisionRow",
    "VolunteerForm",
]


# ---------------------------------------------------------------------------
# Shared blocks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintContext:
    """Who prints what, where: shared by every form.

    Attributes:
        station_name: The station's name for the page header (e.g. ``毕克齐镇社工站``).
        station_code: The township's 12-digit statistical division code.
        printed_on: The print date shown in every footer (the caller's "today").
        printed_by: Name of the staff member printing, shown in the footer.
        reveal_ids: Print ID and phone numbers in full. Masked when False (default);
            the caller decides and audits the choice.
        copy: Mark every page as a copy (副本), e.g. a reprint of an issued certificate.
    """

    station_name: str
    station_code: str
    printed_on: date
    printed_by: str = ""
    reveal_ids: bool = False
    copy: bool = False


@dataclass(frozen=True)
class RelatedPerson:
    """A guardian (监护人), emergency contact (紧急联系人) or similar person.

    Attributes:
        name: Full name.
        relation: Relation to the client, e.g. ``母亲``.
        phone: Raw phone number (masked when printed unless revealed).
        id_number: Raw ID number (masked when printed unless revealed).
    """

    name: str
    relation: str = ""
    phone: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class HouseholdMember:
    """One line of the household table (家庭成员).

    Attributes:
        name: Full name.
        relation: Relation to the client.
        age: Age in years, if known.
        occupation: Occupation or school.
        health: Health situation.
        lives_with: Whether the member lives with the client (同住).
        phone: Raw phone number.
    """

    name: str
    relation: str = ""
    age: int | None = None
    occupation: str = ""
    health: str = ""
    lives_with: bool = True
    phone: str | None = None


@dataclass(frozen=True)
class PersonBlock:
    """The client's basic information (服务对象基本情况, domain.md §2.3.1).

    Attributes:
        name: Legal name, up to 50 characters, may contain ``·``.
        sex: Label, ``男`` or ``女``.
        ethnicity: Label, e.g. ``蒙古族``.
        birth_date: Date of birth.
        age: Age in years at the form's date (computed by the caller).
        id_type: Label of the ID document type, e.g. ``居民身份证``.
        id_number: Raw ID number.
        phones: Raw phone numbers.
        address: Current residence (现居住地), village and detail.
        hukou_address: Registered (hukou) address.
        categories: Labels of the service-object categories (服务对象类别).
        health: Health situation, chronic illness.
        disability: Disability category, grade and certificate number, as one text.
        marital_status: Label, optional.
        education: Label, optional.
        employment: Label, optional.
        guardian: The guardian (mandatory for clients under 14).
        emergency_contact: The emergency contact.
        household: Household members.
    """

    name: str
    sex: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    age: int | None = None
    id_type: str = ""
    id_number: str | None = None
    phones: tuple[str, ...] = ()
    address: str = ""
    hukou_address: str = ""
    categories: tuple[str, ...] = ()
    health: str = ""
    disability: str = ""
    marital_status: str = ""
    education: str = ""
    employment: str = ""
    guardian: RelatedPerson | None = None
    emergency_contact: RelatedPerson | None = None
    household: tuple[HouseholdMember, ...] = ()


# ---------------------------------------------------------------------------
# Casework forms (domain.md §2.3)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeForm:
    """个案接案登记表 — intake registration (domain.md §2.3.2).

    Attributes:
        case_no: Case number ``{station}-{yyyy}-{seq}``.
        intake_date: Date of intake.
        client: The client's basic information.
        source: Label of the case source (个案来源).
        referrer: Referring unit or person and contact, when referred.
        service_area: Label of the service area (6+X).
        presenting_problem: 求助问题/主要问题.
        initial_impression: 初步判断.
        risk_level: Label, ``高``/``中``/``低``.
        crisis: Crisis case (危机个案).
        willingness: Label, ``自愿``/``非自愿``.
        accepted: Whether the case is accepted; None while undecided.
        not_accepted_reason: Reason, or where the person was referred, if not accepted.
        consent_signed: Whether informed consent was signed.
        consent_date: Date of the consent.
        consent_signer: Who signed the consent.
        consent_relation: The signer's relation to the client (``本人``, ``母亲``...).
        worker: Intake social worker.
        approver: Station head or supervisor who approved the opening.
        approved_on: Date of approval.
    """

    case_no: str
    intake_date: date
    client: PersonBlock
    source: str = ""
    referrer: str = ""
    service_area: str = ""
    presenting_problem: str = ""
    initial_impression: str = ""
    risk_level: str = ""
    crisis: bool = False
    willingness: str = ""
    accepted: bool | None = None
    not_accepted_reason: str = ""
    consent_signed: bool = False
    consent_date: date | None = None
    consent_signer: str = ""
    consent_relation: str = ""
    worker: str = ""
    approver: str = ""
    approved_on: date | None = None


@dataclass(frozen=True)
class ConsentForm:
    """知情同意书 — informed consent and service agreement (domain.md §2.2, §7).

    The clauses on confidentiality and its limits, and on the client's rights, are the
    template's fixed text; the lists below fill it in.

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        guardian: Guardian signing for a minor or a person lacking capacity.
        services: What the station will provide (服务内容).
        purposes: Purposes of processing personal information.
        pi_items: Personal information items collected.
        sensitive_items: Sensitive items needing separate consent (health, minors...).
        retention: How long the records are kept, e.g. ``结案后保存10年``.
        station_contact: Where the client can ask, correct or withdraw (phone, address).
        worker: The social worker explaining the form.
        signed_on: Date signed; None prints a blank date line.
        text_version: Version of the consent text, printed small at the end.
    """

    case_no: str
    client_name: str
    guardian: RelatedPerson | None = None
    services: str = ""
    purposes: tuple[str, ...] = ()
    pi_items: tuple[str, ...] = ()
    sensitive_items: tuple[str, ...] = ()
    retention: str = ""
    station_contact: str = ""
    worker: str = ""
    signed_on: date | None = None
    text_version: str = ""


@dataclass(frozen=True)
class NeedItem:
    """One line of the problem/need list (问题与需求清单).

    Attributes:
        need: The need or problem.
        domain: The area it belongs to (生理, 心理, 家庭...).
        priority: 1 is the most urgent.
        agreed: Whether the client agrees with it.
    """

    need: str
    domain: str = ""
    priority: int | None = None
    agreed: bool = True


@dataclass(frozen=True)
class ScaleScore:
    """A scale used in an assessment and its score (评估工具与得分).

    Attributes:
        scale: Name of the scale, e.g. ``日常生活能力量表(ADL)``.
        score: The score as printed (``65``, ``中度依赖``).
        scored_on: Date of the test.
    """

    scale: str
    score: str
    scored_on: date | None = None


@dataclass(frozen=True)
class AssessmentForm:
    """需求评估表 — needs assessment (domain.md §2.3.3).

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        assessment_no: Assessment number.
        assessed_on: Date of assessment.
        methods: Labels of the methods (面谈, 家访...).
        sources: Information sources.
        physical_health: 生理健康状况.
        psychological: 心理与情绪.
        family: 家庭状况.
        economic: 经济状况.
        housing: 居住环境.
        social_support: 社会支持网络.
        education_employment: 教育/就业.
        rights_legal: 权益与法律问题.
        strengths: 优势与资源.
        needs: Problem and need list.
        scales: Scales and scores.
        summary: Assessment summary (self / family / social system).
        assessor: Assessing social worker.
        supervisor_comment: Supervisor's comment.
    """

    case_no: str
    client_name: str
    assessed_on: date
    assessment_no: str = ""
    methods: tuple[str, ...] = ()
    sources: str = ""
    physical_health: str = ""
    psychological: str = ""
    family: str = ""
    economic: str = ""
    housing: str = ""
    social_support: str = ""
    education_employment: str = ""
    rights_legal: str = ""
    strengths: str = ""
    needs: tuple[NeedItem, ...] = ()
    scales: tuple[ScaleScore, ...] = ()
    summary: str = ""
    assessor: str = ""
    supervisor_comment: str = ""


@dataclass(frozen=True)
class PlanObjective:
    """One specific objective of a plan (具体目标).

    Attributes:
        objective: The objective.
        indicator: How attainment is measured.
        target_date: When it should be reached.
        status: Label of its status (进行中, 已达成, 已放弃).
    """

    objective: str
    indicator: str = ""
    target_date: date | None = None
    status: str = ""


@dataclass(frozen=True)
class PlanAction:
    """One strategy or action of a plan (介入策略与行动).

    Attributes:
        action: What is done.
        responsible: Who does it (社工, 服务对象, a partner).
        when: Planned time, as text (``2024年4月``, ``每周二``).
        frequency: Frequency, as text.
    """

    action: str
    responsible: str = ""
    when: str = ""
    frequency: str = ""


@dataclass(frozen=True)
class PlanPartner:
    """A partner or resource the plan links (合作方/资源链接计划).

    Attributes:
        name: Organisation or person.
        resource: Kind of resource (资金, 物资, 服务, 政策).
        party: Label of the five-society party (社区, 社会组织 ...).
        expected: Expected value or contribution, as text.
    """

    name: str
    resource: str = ""
    party: str = ""
    expected: str = ""


@dataclass(frozen=True)
class PlanForm:
    """服务计划表 — service plan (domain.md §2.3.4).

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        drawn_up_on: Date the plan was drawn up.
        plan_no: Plan number.
        revision: Revision number (1 for the first plan).
        overall_aim: 总目标.
        objectives: Specific objectives.
        focus: Problems and persons targeted.
        models: Labels of the intervention models.
        actions: Strategies and actions.
        partners: Partners and resources.
        duration: Expected duration (预计服务周期), as text.
        frequency: Expected frequency, as text.
        client_agreed: Whether the client agreed to the plan.
        client_agreed_on: Date of the client's agreement.
        worker: Responsible social worker.
        approver: Supervisor or station head approving it.
        approved_on: Date of approval.
        approval_comment: Approver's comment.
    """

    case_no: str
    client_name: str
    drawn_up_on: date
    plan_no: str = ""
    revision: int = 1
    overall_aim: str = ""
    objectives: tuple[PlanObjective, ...] = ()
    focus: str = ""
    models: tuple[str, ...] = ()
    actions: tuple[PlanAction, ...] = ()
    partners: tuple[PlanPartner, ...] = ()
    duration: str = ""
    frequency: str = ""
    client_agreed: bool = False
    client_agreed_on: date | None = None
    worker: str = ""
    approver: str = ""
    approved_on: date | None = None
    approval_comment: str = ""


@dataclass(frozen=True)
class LinkedResource:
    """A resource linked during a contact (链接资源).

    Attributes:
        kind: Label: 资金, 物资, 服务, 政策.
        provider: Who provides it.
        value_fen: Value in fen, if any.
        note: Details.
    """

    kind: str
    provider: str = ""
    value_fen: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ServiceRecordForm:
    """个案服务记录表 — one contact with the client (domain.md §2.3.5).

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        seq: Session number within the case (第N次).
        service_date: Date of the contact.
        record_no: Record number.
        start_time: Start time.
        end_time: End time.
        duration_minutes: Duration in minutes.
        location: Where it took place.
        mode: Label of the mode (面谈, 家访, 电话...).
        participants: Who took part.
        goal: Session goal (the linked plan objective).
        content: Content and process; may be long (thousands of characters).
        client_response: Client's response and changes.
        analysis: The worker's analysis.
        resources: Resources linked.
        next_steps: Next steps.
        worker: Social worker.
        supervisor_comment: Supervisor's comment.
    """

    case_no: str
    client_name: str
    seq: int
    service_date: date
    record_no: str = ""
    start_time: time | None = None
    end_time: time | None = None
    duration_minutes: int | None = None
    location: str = ""
    mode: str = ""
    participants: str = ""
    goal: str = ""
    content: str = ""
    client_response: str = ""
    analysis: str = ""
    resources: tuple[LinkedResource, ...] = ()
    next_steps: str = ""
    worker: str = ""
    supervisor_comment: str = ""


@dataclass(frozen=True)
class ObjectiveResult:
    """Attainment of one objective in an evaluation.

    Attributes:
        objective: The objective.
        attainment: Label: 完全达成, 部分达成, 未达成.
        note: Evidence or comment.
    """

    objective: str
    attainment: str = ""
    note: str = ""


@dataclass(frozen=True)
class EvaluationForm:
    """个案评估表 — process or outcome evaluation (domain.md §2.3.6).

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        evaluated_on: Date of evaluation.
        kind: Label: 过程评估 or 结果评估.
        methods: Labels of the methods (目标达成评量, 前后测, 满意度...).
        results: Attainment per objective.
        pre_score: Pre-test score, as printed.
        post_score: Post-test score, as printed.
        satisfaction: Satisfaction, as printed (``4.5/5``, ``90%``).
        narrative: The evaluation text.
        evaluator: Evaluating social worker.
    """

    case_no: str
    client_name: str
    evaluated_on: date
    kind: str = ""
    methods: tuple[str, ...] = ()
    results: tuple[ObjectiveResult, ...] = ()
    pre_score: str = ""
    post_score: str = ""
    satisfaction: str = ""
    narrative: str = ""
    evaluator: str = ""


@dataclass(frozen=True)
class FollowUp:
    """A planned or done follow-up after closure (跟进计划).

    Attributes:
        planned_on: Planned date.
        method: How (电话, 家访...).
        result: What came of it.
    """

    planned_on: date | None
    method: str = ""
    result: str = ""


@dataclass(frozen=True)
class ClosureForm:
    """结案报告 — closure report (domain.md §2.3.7).

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        closed_on: Closure date.
        opened_on: Intake date of the case.
        closure_type: Label of the closure type (目标实现, 转介 ...).
        closure_reason: Details of the reason.
        contacts: Number of service contacts (computed by the caller).
        total_minutes: Total service time in minutes (computed by the caller).
        services_summary: Services provided.
        goal_attainment: Goal attainment.
        client_changes: Changes in the client.
        unresolved: Unresolved issues.
        preparation: Closure preparation.
        follow_ups: Follow-up plan.
        client_feedback: Client's feedback.
        worker: Responsible social worker.
        approver: Station head or supervisor approving the closure.
        approved_on: Date of approval.
    """

    case_no: str
    client_name: str
    closed_on: date
    opened_on: date | None = None
    closure_type: str = ""
    closure_reason: str = ""
    contacts: int | None = None
    total_minutes: int | None = None
    services_summary: str = ""
    goal_attainment: str = ""
    client_changes: str = ""
    unresolved: str = ""
    preparation: str = ""
    follow_ups: tuple[FollowUp, ...] = ()
    client_feedback: str = ""
    worker: str = ""
    approver: str = ""
    approved_on: date | None = None


@dataclass(frozen=True)
class ReferralForm:
    """转介表 — referral form, outward or inward (domain.md §2.3.8).

    Phones of the two parties are organisations' work numbers and print in full; the
    client's ID number is masked unless revealed.

    Attributes:
        referral_no: Referral number.
        referred_on: Date of referral.
        direction: Label: 转出 or 转入.
        case_no: Case number.
        client_name: The client's name.
        client_sex: Label.
        client_age: Age in years.
        client_id_number: Raw ID number, only when it is among the disclosed items.
        from_org: Referring organisation.
        from_worker: Referring worker.
        from_phone: Referring party's work phone.
        to_org: Receiving organisation.
        to_contact: Receiving contact person.
        to_phone: Receiving party's work phone.
        reason: Reason for referral.
        services_summary: Services provided so far.
        disclosed_items: Labels of the personal information items disclosed.
        consent: Whether the client gave separate consent to the disclosure.
        consent_date: Date of that consent.
        legal_basis: Label of the legal basis (单独同意, 法定职责 ...).
        attachments: Names of the attached documents.
        outcome: Label of the receiving party's answer (待反馈, 已接收, 未接收).
        outcome_date: Date of the answer.
        outcome_contact: Who answered.
        follow_up: Follow-up result.
    """

    referral_no: str
    referred_on: date
    direction: str
    case_no: str
    client_name: str
    client_sex: str = ""
    client_age: int | None = None
    client_id_number: str | None = None
    from_org: str = ""
    from_worker: str = ""
    from_phone: str = ""
    to_org: str = ""
    to_contact: str = ""
    to_phone: str = ""
    reason: str = ""
    services_summary: str = ""
    disclosed_items: tuple[str, ...] = ()
    consent: bool = False
    consent_date: date | None = None
    legal_basis: str = ""
    attachments: tuple[str, ...] = ()
    outcome: str = ""
    outcome_date: date | None = None
    outcome_contact: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class CaseFile:
    """The whole case file (个案档案), printed with a cover and a contents list.

    Sections print in casework order: intake, consent, assessments, plans, service
    records, evaluations, referrals, closure. Each document starts on a new page.

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        intake: The intake registration.
        service_area: Label of the service area, for the cover.
        worker: Responsible social worker, for the cover.
        status: Label of the case's stage (服务中, 已结案 ...), for the cover.
        opened_on: Intake date, for the cover.
        closed_on: Closure date, for the cover.
        consent: The informed consent form, if recorded.
        assessments: Needs assessments, oldest first.
        plans: Service plans (revisions), oldest first.
        records: Service records, by session number.
        evaluations: Evaluations, oldest first.
        referrals: Referrals, oldest first.
        closure: The closure report, if closed.
    """

    case_no: str
    client_name: str
    intake: IntakeForm
    service_area: str = ""
    worker: str = ""
    status: str = ""
    opened_on: date | None = None
    closed_on: date | None = None
    consent: ConsentForm | None = None
    assessments: tuple[AssessmentForm, ...] = ()
    plans: tuple[PlanForm, ...] = ()
    records: tuple[ServiceRecordForm, ...] = ()
    evaluations: tuple[EvaluationForm, ...] = ()
    referrals: tuple[ReferralForm, ...] = ()
    closure: ClosureForm | None = None


# ---------------------------------------------------------------------------
# Activities (domain.md §4)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Organiser:
    """An organiser or partner of an activity (主办/承办/协办).

    Attributes:
        name: Organisation name.
        role: Label: 主办, 承办 or 协办.
        party: Label of its five-society party.
    """

    name: str
    role: str = ""
    party: str = ""


@dataclass(frozen=True)
class ParticipantCounts:
    """Participants of an activity by role, as recorded (参与人次).

    Attributes:
        social_workers: 社工.
        volunteers: 志愿者.
        caring_people: 爱心人士.
        clients: 服务对象.
        others: 其他.
    """

    social_workers: int = 0
    volunteers: int = 0
    caring_people: int = 0
    clients: int = 0
    others: int = 0

    @property
    def total(self) -> int:
        """All participants."""
        return (
            self.social_workers + self.volunteers + self.caring_people + self.clients + self.others
        )


@dataclass(frozen=True)
class Attendee:
    """One person on an activity's roster or sign-in sheet.

    Attributes:
        name: Full name.
        role: Label of the role (服务对象, 社工, 志愿者, 爱心人士, 其他).
        unit: Village, community or work unit.
        phone: Raw phone number.
    """

    name: str
    role: str = ""
    unit: str = ""
    phone: str | None = None


@dataclass(frozen=True)
class SpendingLine:
    """Money or materials used by an activity (经费/物资使用).

    Attributes:
        item: What was used.
        quantity: Quantity with unit, as text.
        amount_fen: Amount in fen.
        source: Where it came from.
    """

    item: str
    quantity: str = ""
    amount_fen: int = 0
    source: str = ""


@dataclass(frozen=True)
class ActivityForm:
    """活动记录表 — activity record with participant counts (domain.md §4).

    Attributes:
        activity_no: Activity number.
        title: Title.
        starts_at: Start.
        ends_at: End.
        activity_type: Label of the activity type.
        service_areas: Labels of the service areas.
        target_groups: Labels of the target groups.
        place: Village or community and place.
        organisers: Organisers and partners.
        lead: Person in charge.
        staff: Staff members.
        objectives: 活动目标.
        programme: 活动内容/流程.
        counts: Recorded participant counts by role.
        beneficiaries: Beneficiaries (受益人次).
        attendees: The roster, printed as a table (may hold hundreds of people).
        donations: Donations received at the activity (the charity ledger's lines).
        spending: Money and materials used.
        outcomes: Satisfaction and outcomes.
        reflection: Issues and reflection.
        recorder: Who recorded it.
        approver: Who approved it.
        approved_on: Date of approval.
    """

    activity_no: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    activity_type: str = ""
    service_areas: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    place: str = ""
    organisers: tuple[Organiser, ...] = ()
    lead: str = ""
    staff: tuple[str, ...] = ()
    objectives: str = ""
    programme: str = ""
    counts: ParticipantCounts = field(default_factory=ParticipantCounts)
    beneficiaries: int = 0
    attendees: tuple[Attendee, ...] = ()
    donations: tuple[LedgerLine, ...] = ()
    spending: tuple[SpendingLine, ...] = ()
    outcomes: str = ""
    reflection: str = ""
    recorder: str = ""
    approver: str = ""
    approved_on: date | None = None


#: Most rows a sign-in sheet prints (about 35 pages); more is a caller's mistake.
MAX_SIGN_IN_ROWS = 1000


@dataclass(frozen=True)
class SignInSheet:
    """签到表 — a sign-in sheet, blank or filled from the roster.

    Attributes:
        activity_no: Activity number (may be empty for a sheet printed beforehand).
        title: Activity title.
        starts_at: Start of the activity; None leaves the time to fill by hand.
        place: Place.
        organiser: Organising unit.
        blank: Print numbered empty rows only, ignoring ``attendees``.
        rows: Number of rows of a blank sheet; a filled sheet is padded with empty
            numbered rows up to this number, for walk-ins.
        attendees: The roster (filled sheet).
    """

    title: str
    activity_no: str = ""
    starts_at: datetime | None = None
    place: str = ""
    organiser: str = ""
    blank: bool = True
    rows: int = 30
    attendees: tuple[Attendee, ...] = ()


# ---------------------------------------------------------------------------
# Volunteers (domain.md §3)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerForm:
    """志愿者登记表 — volunteer registration, signed by the volunteer (domain.md §3.3).

    Attributes:
        volunteer_no: The station's volunteer number.
        name: Full name.
        sex: Label.
        ethnicity: Label.
        birth_date: Date of birth.
        id_type: Label of the ID document type.
        id_number: Raw ID number.
        phone: Raw phone number.
        national_no: Number on the national volunteer system, if registered.
        political_status: Label, optional.
        education: Label, optional.
        residence: Residence area and address.
        skills: Labels of the skills.
        preferences: Service preferences.
        availability: Available service time.
        teams: Volunteer teams.
        insurance: Insurance policy and period, as text.
        emergency_contact: Emergency contact.
        guardian: Guardian of a minor volunteer (signs the consent).
        registered_on: Date of registration.
        registrar: Staff member who registered the volunteer.
    """

    volunteer_no: str
    name: str
    sex: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    id_type: str = ""
    id_number: str | None = None
    phone: str | None = None
    national_no: str = ""
    political_status: str = ""
    education: str = ""
    residence: str = ""
    skills: tuple[str, ...] = ()
    preferences: str = ""
    availability: str = ""
    teams: tuple[str, ...] = ()
    insurance: str = ""
    emergency_contact: RelatedPerson | None = None
    guardian: RelatedPerson | None = None
    registered_on: date | None = None
    registrar: str = ""


@dataclass(frozen=True)
class CertificateLine:
    """One confirmed service line listed on a certificate.

    Only confirmed (or corrected) lines may be passed: the certificate certifies
    confirmed hours only.

    Attributes:
        service_date: Date of service.
        activity: Activity or project.
        content: Service content or post.
        hours_tenths: Credited hours in tenths of an hour.
    """

    service_date: date
    activity: str
    hours_tenths: int
    content: str = ""


@dataclass(frozen=True)
class CertificateForm:
    """志愿服务记录证明 — volunteer service record certificate (domain.md §3.5).

    Attributes:
        cert_no: Certificate number from the certificate register.
        volunteer_name: Full name.
        id_type: Label of the ID document type.
        id_number: Raw ID number.
        volunteer_no: Volunteer number.
        period_from: First day of the period covered.
        period_to: Last day of the period covered.
        hours_tenths: Confirmed hours in the period, in tenths (must be positive).
        content_summary: Summary of the service content.
        issuing_body: Name of the issuing organisation (a station setting).
        person_in_charge: The issuer's person in charge (负责人).
        handler: Handling officer (经办人).
        contact: The issuer's contact (work phone or address; printed in full).
        issued_on: Date of issue.
        lines: Confirmed service lines listed as an appendix; when given, their hours
            must add up to ``hours_tenths``.
        remarks: Remarks (备注).
        copy: A reprint of an issued certificate: marked 副本.
    """

    cert_no: str
    volunteer_name: str
    volunteer_no: str
    period_from: date
    period_to: date
    hours_tenths: int
    issuing_body: str
    issued_on: date
    id_type: str = "居民身份证"
    id_number: str | None = None
    content_summary: str = ""
    person_in_charge: str = ""
    handler: str = ""
    contact: str = ""
    lines: tuple[CertificateLine, ...] = ()
    remarks: str = ""
    copy: bool = False


# ---------------------------------------------------------------------------
# Charity resources (domain.md §5.3)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodsItem:
    """One line of donated goods (物资明细).

    Attributes:
        name: Item name.
        quantity: Quantity (as text, e.g. ``20``, ``2.5``).
        unit: Unit (袋, 箱, 件).
        spec: Specification.
        value_fen: Estimated total value of the line, in fen.
    """

    name: str
    quantity: str = ""
    unit: str = ""
    spec: str = ""
    value_fen: int = 0


@dataclass(frozen=True)
class LedgerLine:
    """One donation in the charity resource ledger.

    Attributes:
        ledger_no: Ledger number (捐赠登记号).
        received_on: Date received.
        donor_name: Donor's name; empty for anonymous donors.
        donor_type: Label of the donor type.
        form: Label of the donation form (货币, 实物, 服务, 其他).
        amount_fen: Money received, in fen.
        goods: Goods lines.
        purpose: Restriction or purpose (定向/非定向 and details).
        recipient: Legal recipient (the charity that received the money).
        receipt: Receipt kind and number, or the recorded reason there is none.
        handler: Handling officer.
        publish_consent: Whether the donor agreed to publish the name.
        note: Remarks.
    """

    ledger_no: str
    received_on: date
    donor_name: str
    donor_type: str = ""
    form: str = ""
    amount_fen: int = 0
    goods: tuple[GoodsItem, ...] = ()
    purpose: str = ""
    recipient: str = ""
    receipt: str = ""
    handler: str = ""
    publish_consent: bool = False
    note: str = ""

    @property
    def goods_value_fen(self) -> int:
        """Total estimated value of the goods lines."""
        return sum(item.value_fen for item in self.goods)

    @property
    def goods_text(self) -> str:
        """The goods lines as one text: ``牛奶 50箱（250ml×12）；…``."""
        return "；".join(g.name + (f" {g.quantity}{g.unit}" if g.quantity else "") + (f"（{g.spec}）" if g.spec else "")
                        for g in self.goods)


@dataclass(frozen=True)
class LedgerForm:
    """慈善资源台账 — the charity resource ledger of one month.

    Attributes:
        month: Any day of the month covered.
        lines: Donations received in the month.
        prepared_by: Who prepared the ledger (制表人).
    """

    month: date
    lines: tuple[LedgerLine, ...] = ()
    prepared_by: str = ""


# ---------------------------------------------------------------------------
# Station report and supervision (DESIGN.md §8, domain.md §8)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyFigures:
    """The station's figures over a period: the keys of ``wushe stats --json``.

    Attributes:
        activities: ``activities``.
        funds_raised_fen: ``funds_raised_yuan``, in fen.
        goods_value_fen: ``goods_value_yuan``, in fen.
        social_worker_times: ``participant_person_times.social_workers``.
        volunteer_times: ``participant_person_times.volunteers``.
        caring_people_times: ``participant_person_times.caring_people``.
        beneficiary_person_times: ``beneficiary_person_times``.
        beneficiary_persons: ``beneficiary_persons``.
        cases_opened: ``cases.opened``.
        cases_active: ``cases.active``.
        cases_closed: ``cases.closed``.
        cases_referred: ``cases.referred``.
        service_records: ``service_records``.
        volunteers: ``volunteers``.
        volunteer_hours_tenths: ``volunteer_hours``, in tenths of an hour.
    """

    activities: int = 0
    funds_raised_fen: int = 0
    goods_value_fen: int = 0
    social_worker_times: int = 0
    volunteer_times: int = 0
    caring_people_times: int = 0
    beneficiary_person_times: int = 0
    beneficiary_persons: int = 0
    cases_opened: int = 0
    cases_active: int = 0
    cases_closed: int = 0
    cases_referred: int = 0
    service_records: int = 0
    volunteers: int = 0
    volunteer_hours_tenths: int = 0

    @classmethod
    def from_stats_json(cls, doc: Mapping[str, Any]) -> MonthlyFigures:
        """Read the document ``wushe stats --json`` prints (DESIGN.md §8).

        Args:
            doc: The parsed JSON object; yuan and hours are numbers with decimals.

        Returns:
            The figures, money in fen and hours in tenths (rounded half up).

        Raises:
            KeyError: If a key of DESIGN.md §8 is missing.
        """
        participants = doc["participant_person_times"]
        cases = doc["cases"]
        return cls(
            activities=int(doc["activities"]),
            funds_raised_fen=_scaled(doc["funds_raised_yuan"], 100),
            goods_value_fen=_scaled(doc["goods_value_yuan"], 100),
            social_worker_times=int(participants["social_workers"]),
            volunteer_times=int(participants["volunteers"]),
            caring_people_times=int(participants["caring_people"]),
            beneficiary_person_times=int(doc["beneficiary_person_times"]),
            beneficiary_persons=int(doc["beneficiary_persons"]),
            cases_opened=int(cases["opened"]),
            cases_active=int(cases["active"]),
            cases_closed=int(cases["closed"]),
            cases_referred=int(cases["referred"]),
            service_records=int(doc["service_records"]),
            volunteers=int(doc["volunteers"]),
            volunteer_hours_tenths=_scaled(doc["volunteer_hours"], 10),
        )


def _scaled(value: Any, factor: int) -> int:
    """``value * factor`` rounded half up, without float artefacts (12.35 yuan → 1235)."""
    return int((Decimal(str(value)) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LinkageLine:
    """One party of the five-society linkage (五社联动) in the month.

    Attributes:
        party: Label of the party: 社区, 社会组织, 社会工作者, 社区志愿者, 社会慈善资源.
        participants: Organisations, teams or people of that party taking part.
        activities: Activities the party took part in.
        person_times: Person-times of that party.
        resources_fen: Value of the resources it brought, in fen.
        note: Remarks.
    """

    party: str
    participants: int = 0
    activities: int = 0
    person_times: int = 0
    resources_fen: int = 0
    note: str = ""


@dataclass(frozen=True)
class MonthlyReport:
    """社工站月度工作报告 — the monthly station report.

    Attributes:
        month: Any day of the month reported.
        figures: The month's figures.
        year_to_date: Figures from 1 January to the month's end, if wanted.
        linkage: Five-society breakdown, one line per party (charted as bars).
        highlights: Main work and highlights.
        problems: Problems.
        next_plan: Plan for next month.
        prepared_by: Who filled the report.
        reviewed_by: Station head who reviewed it.
    """

    month: date
    figures: MonthlyFigures
    year_to_date: MonthlyFigures | None = None
    linkage: tuple[LinkageLine, ...] = ()
    highlights: str = ""
    problems: str = ""
    next_plan: str = ""
    prepared_by: str = ""
    reviewed_by: str = ""


@dataclass(frozen=True)
class SupervisionRow:
    """A high-risk case without recent contact.

    Attributes:
        case_no: Case number.
        client_name: The client's name.
        risk_level: Label.
        crisis: Crisis case.
        stage: Label of the case stage.
        worker: Responsible social worker.
        last_contact: Date of the last service record; None if never.
        days_since: Days since the last contact (or since intake if never).
        next_planned: Next planned contact, as text.
        note: Remarks.
    """

    case_no: str
    client_name: str
    risk_level: str = ""
    crisis: bool = False
    stage: str = ""
    worker: str = ""
    last_contact: date | None = None
    days_since: int | None = None
    next_planned: str = ""
    note: str = ""


@dataclass(frozen=True)
class SupervisionList:
    """督导清单 — high-risk cases without recent contact, for the supervisor.

    Attributes:
        as_of: Reference date.
        threshold_days: A case is listed when not contacted for this many days.
        rows: The cases, in the order to print (most overdue first, say).
        supervisor: Supervisor's name.
    """

    as_of: date
    threshold_days: int
    rows: tuple[SupervisionRow, ...] = ()
    supervisor: str = ""
