"""Casework (个案工作): intake to closure, the station head's approvals, referrals, to-dos.

One function per user action, each owning one transaction (STYLE.md §3), returning
frozen views, never ORM rows. The stage rules live in :mod:`wushe_desktop.domain.case_stage`;
this module builds their :class:`~wushe_desktop.domain.case_stage.CaseFacts` from the
database and applies the moves. Approvals (opening, plan, closure) follow
docs/decisions.md §1: only ``Permission.APPROVE`` decides, a return needs a comment, and
each decision leaves the hook's ``update`` audit row plus an ``approve``/``return`` row.

Invariant kept here for the statistics (DESIGN.md §8): ``Case.closed_on`` is set to the
closure record's date exactly when a closure is approved, and cleared on reopening;
``Case.accepted`` is false exactly for cases that were never opened (不开案).

Field checks of one form are collected: one fault raises :class:`ValidationError`,
several raise :class:`ValidationErrors`. Refused moves raise :class:`StateError`.

Error codes introduced here (besides the stage machine's ``case.stage.*``,
``case.closed``, ``case.not_opened_yet``, ``case.suspended`` and the shared
``date.future`` / ``date.order``):

* ``case.not_found``, ``plan.not_found``, ``closure.not_found``,
  ``service_record.not_found``, ``referral.not_found``, ``staff.not_found``
  (NotFoundError);
* intake: ``case.referrer_required``, ``case.service_area_required``,
  ``case.service_area_unknown`` (param ``value``), ``case.not_accepted_reason_required``,
  ``case.child_needs_guardian_consent`` (param ``age``), ``case.person_cannot_change``,
  ``case.decline_via_stage``, ``case.intake_locked``, ``staff.inactive``,
  ``project.not_found``;
* approvals: ``approval.comment_required``, ``approval.not_pending`` (param ``status``),
  ``approval.not_returned``, ``approval.not_submittable`` (param ``status``);
* records: ``case.stage.wrong_for_record`` (param ``stage``), ``case.stage.use_reopen``,
  ``case.not_closed``, ``case.reopen_reason_required``, ``assessment.need_empty``,
  ``assessment.scale_name_empty`` (param ``index``), ``child_protection.informed_party_required``;
* plans: ``plan.aim_required``, ``plan.objectives_required``, ``plan.objective_empty``
  (param ``index``), ``plan.model_unknown`` (param ``value``), ``plan.pending_approval``,
  ``plan.not_latest``;
* service records: ``time.order``, ``service_record.duration_negative``,
  ``service_record.objective_not_in_case``, ``resource.kind_unknown``,
  ``resource.value_negative``, ``resource.donation_not_found`` (param ``index``);
* evaluation: ``evaluation.objective_not_in_case``, ``evaluation.objective_repeated``
  (param ``index``), ``evaluation.satisfaction_range`` (params ``min``, ``max``);
* closure: ``closure.type_required``, ``closure.type_unknown`` (param ``value``),
  ``closure.needs_referral``, ``closure.referral_not_of_case``, ``closure.already_pending``;
* referral: ``referral.needs_consent``, ``referral.to_party_required``,
  ``referral.from_party_required``, ``referral.person_not_of_case``;
* hand-over: ``handover.same_staff``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from wushe_desktop.domain.case_stage import (
    CLOSED_STAGES,
    OPEN_STAGES,
    WORKING_STAGES,
    CaseFacts,
    check_can_add_record,
    check_move,
    missing_for_next,
)
from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseSource,
    CaseStage,
    ContactMode,
    EvaluationKind,
    LegalBasis,
    LinkageParty,
    ObjectiveStatus,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Willingness,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import age_on, check_date_order, check_not_future
from wushe_desktop.errors import NotFoundError, StateError, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.numbers import format_number, highest_suffix, issue_number
from wushe_desktop.services.people import (
    CHILD_CONSENT_AGE,
    ConsentInput,
    add_consent,
    get_person_row,
    has_valid_consent,
)
from wushe_desktop.services.permissions import Permission
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Assessment,
    Case,
    ChildProtectionReport,
    Closure,
    Donation,
    Evaluation,
    FollowUp,
    Person,
    PlanObjective,
    Referral,
    ResourceLink,
    ServicePlan,
    ServiceProject,
    ServiceRecord,
    Staff,
    TaxonomyItem,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.storage.types import utcnow

S = CaseStage
A = ApprovalStatus

#: ``number_sequence`` kind of case numbers (``{station}-{yyyy}-{seq:04d}``).
CASE_NUMBER_KIND: Final = "case"
#: The closure_type code of a closure by referral (the case ends REFERRED, 已转介).
REFERRAL_CLOSURE_TYPE: Final = "referred"
#: ``FollowUp.method`` of the row that keeps a reopening's reason.
REOPEN_METHOD: Final = "reopen"
#: Kinds of a linked resource (链接资源): 资金 / 物资 / 服务 / 政策.
RESOURCE_KINDS: Final = frozenset({"funds", "goods", "service", "policy"})
SATISFACTION_RANGE: Final = (1, 5)

_ASSESSMENT_STAGES: Final = frozenset({S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION})
_PLAN_STAGES: Final = frozenset({S.PLANNING, S.INTERVENTION})
_EVALUATION_STAGES: Final = frozenset({S.INTERVENTION, S.EVALUATION})
#: Cases a departing worker hands over: everything not finished.
_HANDOVER_STAGES: Final = OPEN_STAGES | {S.FOLLOW_UP}


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeInput:
    """个案接案登记表 (intake registration) as filled in. Empty strings mean "not given"."""

    person_id: UUID
    intake_date: date
    source: CaseSource
    service_area: str  # taxonomy service_area code (6+X)
    presenting_problem: str = ""
    initial_impression: str = ""
    risk_level: RiskLevel = RiskLevel.LOW
    crisis: bool = False
    willingness: Willingness = Willingness.VOLUNTARY
    worker_id: UUID | None = None
    project_id: UUID | None = None
    referrer: str = ""  # required when source is REFERRAL
    referrer_contact: str = ""
    accepted: bool = True
    not_accepted_reason: str = ""  # required when not accepted


@dataclass(frozen=True)
class NeedInput:
    """One line of the 问题与需求清单 (problem and need list)."""

    need: str
    domain: str = ""
    priority: int = 1
    agreed: bool = False


@dataclass(frozen=True)
class ScaleInput:
    """One assessment scale and its score (评估工具与得分)."""

    scale_name: str
    score: str
    on: date | None = None


@dataclass(frozen=True)
class AssessmentInput:
    """需求评估表 (预估, needs assessment)."""

    assessed_on: date
    summary: str = ""
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
    needs: tuple[NeedInput, ...] = ()
    scales: tuple[ScaleInput, ...] = ()
    risk_level: RiskLevel = RiskLevel.LOW
    child_harm_suspected: bool = False
    assessor_id: UUID | None = None
    supervisor_comment: str = ""


@dataclass(frozen=True)
class ObjectiveInput:
    """One 具体目标 (specific objective) of a plan."""

    text: str
    indicator: str = ""
    target_date: date | None = None


@dataclass(frozen=True)
class StrategyInput:
    """One 介入策略与行动 line: what is done, by whom, when."""

    action: str
    responsible: str = ""  # 社工 / 服务对象 / 合作方
    planned_on: date | None = None
    frequency: str = ""


@dataclass(frozen=True)
class PartnerInput:
    """One 合作方/资源链接计划 line."""

    party: str
    resource_type: str = ""
    expected_value: str = ""
    linkage: LinkageParty | None = None


@dataclass(frozen=True)
class PlanInput:
    """服务计划表 (service plan); saving makes a new version."""

    made_on: date
    overall_aim: str
    objectives: tuple[ObjectiveInput, ...]
    review_on: date | None = None
    focus: str = ""
    models: tuple[str, ...] = ()  # taxonomy intervention_model codes
    strategies: tuple[StrategyInput, ...] = ()
    partners: tuple[PartnerInput, ...] = ()
    expected_duration: str = ""
    frequency: str = ""
    client_agreed: bool = False
    client_agreed_on: date | None = None


@dataclass(frozen=True)
class ResourceInput:
    """A resource linked during a contact (链接资源)."""

    kind: str  # funds / goods / service / policy
    provider: str = ""
    description: str = ""
    value_fen: int = 0
    donation_id: UUID | None = None


@dataclass(frozen=True)
class ServiceRecordInput:
    """个案服务记录表 (one contact). ``duration_min`` None: computed from the times."""

    service_date: date
    mode: ContactMode
    content: str = ""
    start_time: time | None = None
    end_time: time | None = None
    duration_min: int | None = None
    location: str = ""
    participants: str = ""
    objective_id: UUID | None = None
    client_response: str = ""
    analysis: str = ""
    next_steps: str = ""
    worker_id: UUID | None = None
    resources: tuple[ResourceInput, ...] = ()


@dataclass(frozen=True)
class ObjectiveAttainment:
    """Attainment of one plan objective (完全达成 / 部分达成 / 未达成)."""

    objective_id: UUID
    level: Attainment
    note: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    """评估: process (过程评估) or outcome (结果评估) evaluation."""

    evaluated_on: date
    kind: EvaluationKind = EvaluationKind.OUTCOME
    methods: tuple[str, ...] = ()
    attainment: tuple[ObjectiveAttainment, ...] = ()
    overall_attainment: Attainment | None = None
    pre_score: str = ""
    post_score: str = ""
    satisfaction: int | None = None  # 1–5
    narrative: str = ""
    evaluator_id: UUID | None = None


@dataclass(frozen=True)
class FollowUpPlanItem:
    """A planned follow-up (跟进计划) in a closure report."""

    on: date
    method: str = ""


@dataclass(frozen=True)
class ClosureInput:
    """结案报告 (closure report)."""

    closed_on: date
    closure_type: str  # taxonomy closure_type code; "referred" needs referral_id
    reason: str = ""
    summary: str = ""
    goal_attainment: str = ""
    client_changes: str = ""
    unresolved: str = ""
    preparation: str = ""
    follow_up_plan: tuple[FollowUpPlanItem, ...] = ()
    client_feedback: str = ""
    worker_id: UUID | None = None
    referral_id: UUID | None = None


@dataclass(frozen=True)
class ReferralInput:
    """转介表 (referral form), outward (转出) or inward (转入)."""

    direction: ReferralDirection
    person_id: UUID
    referred_on: date
    to_party: str = ""
    from_party: str = ""  # an outward referral defaults to this station's name
    to_contact: str = ""
    reason: str = ""
    services_summary: str = ""
    disclosed_items: tuple[str, ...] = ()
    client_consented: bool = False
    legal_basis: LegalBasis = LegalBasis.SEPARATE_CONSENT
    case_id: UUID | None = None


# ---------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """A case as lists and forms see it."""

    uuid: UUID
    case_no: str
    person_id: UUID
    person_name: str
    intake_date: date
    source: CaseSource
    referrer: str
    service_area: str
    presenting_problem: str
    risk_level: RiskLevel
    crisis: bool
    willingness: Willingness
    accepted: bool
    not_accepted_reason: str
    stage: CaseStage
    stage_before_suspension: CaseStage | None
    opening_status: ApprovalStatus
    opening_by: str
    opening_comment: str
    worker_id: UUID | None
    project_id: UUID | None
    closed_on: date | None
    child_protection_flag: bool
    row_version: int
    initial_impression: str = ""
    referrer_contact: str = ""


@dataclass(frozen=True)
class ObjectiveView:
    """A plan objective."""

    uuid: UUID
    seq: int
    text: str
    indicator: str
    target_date: date | None
    status: ObjectiveStatus


@dataclass(frozen=True)
class PlanView:
    """One version of a service plan with its objectives."""

    uuid: UUID
    case_id: UUID
    version: int
    made_on: date
    review_on: date | None
    overall_aim: str
    focus: str
    models: tuple[str, ...]
    client_agreed: bool
    approval_status: ApprovalStatus
    approval_by: str
    approval_comment: str
    objectives: tuple[ObjectiveView, ...]
    row_version: int


@dataclass(frozen=True)
class AssessmentResult:
    """A saved assessment.

    Attributes:
        report_needed: Harm to a child is suspected and no mandatory report
            (强制报告) is on file yet: the UI asks who was informed and when.
    """

    assessment_id: UUID
    case: CaseView
    report_needed: bool


@dataclass(frozen=True)
class ChildProtectionView:
    """A mandatory report (强制报告, 未成年人保护法 Art. 11)."""

    uuid: UUID
    case_id: UUID
    flagged_on: date
    concern: str
    informed_party: str
    informed_at: datetime | None
    informed_by: str


@dataclass(frozen=True)
class ResourceView:
    """A linked resource."""

    uuid: UUID
    kind: str
    provider: str
    description: str
    value_fen: int
    donation_id: UUID | None


@dataclass(frozen=True)
class ServiceRecordView:
    """One contact (第N次) with its linked resources."""

    uuid: UUID
    case_id: UUID
    seq: int
    service_date: date
    start_time: time | None
    end_time: time | None
    duration_min: int
    location: str
    mode: ContactMode
    participants: str
    objective_id: UUID | None
    content: str
    client_response: str
    analysis: str
    next_steps: str
    worker_id: UUID | None
    supervisor_comment: str
    resources: tuple[ResourceView, ...]
    row_version: int


@dataclass(frozen=True)
class ServiceRecordDefaults:
    """What a new service record form starts with (scenario 2)."""

    case_id: UUID
    case_no: str
    person_name: str
    next_seq: int
    service_date: date
    worker_id: UUID | None
    mode: ContactMode
    objective_id: UUID | None
    objective_text: str


@dataclass(frozen=True)
class EvaluationView:
    """A saved evaluation."""

    uuid: UUID
    case_id: UUID
    evaluated_on: date
    kind: EvaluationKind
    overall_attainment: Attainment | None
    attainment: tuple[ObjectiveAttainment, ...]
    satisfaction: int | None


@dataclass(frozen=True)
class ClosureView:
    """A closure report and its approval, with the case's stage after it."""

    uuid: UUID
    case_id: UUID
    case_no: str
    closed_on: date
    closure_type: str
    referral_id: UUID | None
    approval_status: ApprovalStatus
    approval_by: str
    approval_comment: str
    case_stage: CaseStage
    reason: str = ""
    summary: str = ""
    goal_attainment: str = ""
    client_changes: str = ""
    unresolved: str = ""
    client_feedback: str = ""
    follow_up_plan: tuple[FollowUpPlanItem, ...] = ()


@dataclass(frozen=True)
class ReferralView:
    """A referral."""

    uuid: UUID
    case_id: UUID | None
    person_id: UUID
    direction: ReferralDirection
    referred_on: date
    from_party: str
    to_party: str
    reason: str
    disclosed_items: tuple[str, ...]
    client_consented: bool
    legal_basis: LegalBasis
    outcome: ReferralOutcome
    outcome_on: date | None


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up after closure (跟进记录), or a reopening's reason (``reopened``)."""

    uuid: UUID
    case_id: UUID
    followed_on: date
    method: str
    result: str
    reopened: bool = False


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case screen shows at the top.

    Attributes:
        missing_for_next: Codes of what blocks the next main-line step
            (``opening_approval``, ``assessment``, ``plan``, ``plan_approval``,
            ``evaluation``, ``closure``, ``closure_approval``).
        latest_plan: The newest plan version, whatever its status.
        current_plan: The newest approved version (the one being carried out).
        closure: The closure record of the current episode (None after a reopening).
    """

    case: CaseView
    missing_for_next: tuple[str, ...]
    latest_plan: PlanView | None
    current_plan: PlanView | None
    service_record_count: int
    last_contact: date | None
    closure: ClosureView | None
    child_protection_reports: int


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list (工作台).

    Attributes:
        on: The date that put the line on the list: last contact (or intake), the
            closure date, the intake date, the plan's date, or the review due date.
        record_id: The plan or closure to open, where the line is about one.
    """

    case_id: UUID
    case_no: str
    person_name: str
    stage: CaseStage
    risk_level: RiskLevel
    worker_id: UUID | None
    on: date
    record_id: UUID | None = None


@dataclass(frozen=True)
class TodoList:
    """The first ``limit`` lines of a to-do list and how many there are in all."""

    items: tuple[TodoItem, ...]
    total: int


@dataclass(frozen=True)
class Todo:
    """The casework to-do lists of scenario 1."""

    no_contact: TodoList
    closures_pending: TodoList
    openings_pending: TodoList
    plans_pending: TodoList
    plan_reviews_due: TodoList


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _raise_all(errors: Sequence[ValidationError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(list(errors))


def _check_day(errors: list[ValidationError], value: date, *, today: date, field: str,
               not_before: date | None = None, earlier_field: str = "intake_date") -> None:
    """Collect ``date.future`` and ``date.order`` for one typed date."""
    try:
        check_not_future(value, today=today, field=field)
        if not_before is not None:
            check_date_order(not_before, value, field=field, earlier_field=earlier_field)
    except ValidationError as exc:
        errors.append(exc)


def _case_row(session: Session, case_id: UUID) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFoundError("case.not_found", field="case_id")
    return case


def _plan_row(session: Session, plan_id: UUID) -> ServicePlan:
    plan = session.get(ServicePlan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise NotFoundError("plan.not_found", field="plan_id")
    return plan


def _closure_row(session: Session, closure_id: UUID) -> Closure:
    closure = session.get(Closure, closure_id)
    if closure is None or closure.deleted_at is not None:
        raise NotFoundError("closure.not_found", field="closure_id")
    return closure


def _record_row(session: Session, record_id: UUID) -> ServiceRecord:
    record = session.get(ServiceRecord, record_id)
    if record is None or record.deleted_at is not None:
        raise NotFoundError("service_record.not_found", field="record_id")
    return record


def _referral_row(session: Session, referral_id: UUID) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or referral.deleted_at is not None:
        raise NotFoundError("referral.not_found", field="referral_id")
    return referral


def _staff_row(session: Session, staff_id: UUID, field: str) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None or staff.deleted_at is not None:
        raise NotFoundError("staff.not_found", field=field)
    return staff


def _check_staff(session: Session, errors: list[ValidationError], staff_id: UUID | None, field: str,
                 *, must_be_active: bool = False) -> None:
    if staff_id is None:
        return
    staff = session.get(Staff, staff_id)
    if staff is None or staff.deleted_at is not None:
        errors.append(ValidationError("staff.not_found", field=field))
    elif must_be_active and (not staff.active or staff.left_on is not None):
        errors.append(ValidationError("staff.inactive", field=field))


def _codes(session: Session, kind: TaxonomyKind) -> set[str]:
    """Codes of one of this station's vocabularies (inactive ones stay valid in records)."""
    origin = own_station(session).code
    return set(session.scalars(select(TaxonomyItem.code).where(
        TaxonomyItem.origin == origin, TaxonomyItem.kind == kind.value, TaxonomyItem.deleted_at.is_(None))))


def _require_stage(case: Case, allowed: Iterable[CaseStage]) -> None:
    if case.stage not in allowed:
        raise StateError("case.stage.wrong_for_record", field="stage", stage=case.stage.value)


def _decision(approve: bool, comment: str) -> tuple[ApprovalStatus, str]:
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError("approval.comment_required", field="comment")
    return (A.APPROVED if approve else A.RETURNED), comment


def _audit_decision(session: Session, entity: str, row_id: UUID, record: str, status: ApprovalStatus) -> None:
    """The decision itself (approved or returned), beside the hook's ``update`` row."""
    action = "approve" if status == A.APPROVED else "return"
    append_audit(session, AuditEntry(action, entity, str(row_id), {"record": record}))


def _latest_plan(session: Session, case_id: UUID) -> ServicePlan | None:
    return session.scalars(select(ServicePlan).where(
        ServicePlan.case_id == case_id, ServicePlan.deleted_at.is_(None))
        .order_by(ServicePlan.version.desc()).limit(1)).first()


def _current_plan(session: Session, case_id: UUID) -> ServicePlan | None:
    """The newest approved plan version: the one being carried out."""
    return session.scalars(select(ServicePlan).where(
        ServicePlan.case_id == case_id, ServicePlan.deleted_at.is_(None),
        ServicePlan.approval_status == A.APPROVED)
        .order_by(ServicePlan.version.desc()).limit(1)).first()


def _current_closure(session: Session, case: Case) -> Closure | None:
    """The closure record of the case's current episode.

    Submissions are ordered by ``row_version`` (the station clock, immune to a PC clock
    that went back): a new closure can only be submitted after the previous one was
    decided, so the newest row is the newest submission. An approved closure on a case
    that is no longer closed was approved before a reopening and no longer counts.
    """
    closure = session.scalars(select(Closure).where(
        Closure.case_id == case.uuid, Closure.deleted_at.is_(None))
        .order_by(Closure.row_version.desc()).limit(1)).first()
    if closure is not None and closure.approval_status == A.APPROVED and case.stage not in CLOSED_STAGES:
        return None
    return closure


def _has_fresh_evaluation(session: Session, case_id: UUID) -> bool:
    """An evaluation on file, made after the last approved closure if the case was reopened."""
    since = session.scalar(select(func.max(Closure.row_version)).where(
        Closure.case_id == case_id, Closure.deleted_at.is_(None), Closure.approval_status == A.APPROVED))
    stmt = select(Evaluation.uuid).where(Evaluation.case_id == case_id, Evaluation.deleted_at.is_(None))
    if since is not None:
        stmt = stmt.where(Evaluation.row_version > since)
    return session.scalar(stmt.limit(1)) is not None


def _facts(session: Session, case: Case) -> CaseFacts:
    """What the stage machine needs to know, read from the database."""
    has_assessment = session.scalar(select(Assessment.uuid).where(
        Assessment.case_id == case.uuid, Assessment.deleted_at.is_(None)).limit(1)) is not None
    plan = _latest_plan(session, case.uuid)
    closure = _current_closure(session, case)
    return CaseFacts(
        stage=case.stage,
        opening_status=case.opening_status,
        has_assessment=has_assessment,
        plan_status=plan.approval_status if plan is not None else None,
        has_evaluation=_has_fresh_evaluation(session, case.uuid),
        closure_status=closure.approval_status if closure is not None else None,
        closure_is_referral=closure is not None and closure.closure_type == REFERRAL_CLOSURE_TYPE,
        stage_before_suspension=case.stage_before_suspension,
    )


def _case_view(session: Session, case: Case) -> CaseView:
    person = session.get(Person, case.person_id)
    return CaseView(
        uuid=case.uuid, case_no=case.case_no, person_id=case.person_id,
        person_name=person.name if person is not None else "", intake_date=case.intake_date,
        source=case.source, referrer=case.referrer, service_area=case.service_area,
        presenting_problem=case.presenting_problem, risk_level=case.risk_level, crisis=case.crisis,
        willingness=case.willingness, accepted=case.accepted, not_accepted_reason=case.not_accepted_reason,
        stage=case.stage, stage_before_suspension=case.stage_before_suspension,
        opening_status=case.opening_status, opening_by=case.opening_by, opening_comment=case.opening_comment,
        worker_id=case.worker_id, project_id=case.project_id, closed_on=case.closed_on,
        child_protection_flag=case.child_protection_flag, row_version=case.row_version,
        initial_impression=case.initial_impression, referrer_contact=case.referrer_contact,
    )


def _plan_view(session: Session, plan: ServicePlan) -> PlanView:
    objectives = session.scalars(select(PlanObjective).where(
        PlanObjective.plan_id == plan.uuid, PlanObjective.deleted_at.is_(None)).order_by(PlanObjective.seq))
    return PlanView(
        uuid=plan.uuid, case_id=plan.case_id, version=plan.version, made_on=plan.made_on,
        review_on=plan.review_on, overall_aim=plan.overall_aim, focus=plan.focus, models=tuple(plan.models),
        client_agreed=plan.client_agreed, approval_status=plan.approval_status, approval_by=plan.approval_by,
        approval_comment=plan.approval_comment,
        objectives=tuple(ObjectiveView(o.uuid, o.seq, o.text, o.indicator, o.target_date, o.status)
                         for o in objectives),
        row_version=plan.row_version,
    )


def _closure_view(closure: Closure, case: Case) -> ClosureView:
    return ClosureView(
        uuid=closure.uuid, case_id=closure.case_id, case_no=case.case_no, closed_on=closure.closed_on,
        closure_type=closure.closure_type, referral_id=closure.referral_id,
        approval_status=closure.approval_status, approval_by=closure.approval_by,
        approval_comment=closure.approval_comment, case_stage=case.stage,
        reason=closure.reason, summary=closure.summary, goal_attainment=closure.goal_attainment,
        client_changes=closure.client_changes, unresolved=closure.unresolved,
        client_feedback=closure.client_feedback,
        follow_up_plan=tuple(FollowUpPlanItem(date.fromisoformat(f["date"]), str(f.get("method") or ""))
                             for f in closure.follow_up_plan if f.get("date")),
    )


def _referral_view(referral: Referral) -> ReferralView:
    return ReferralView(
        uuid=referral.uuid, case_id=referral.case_id, person_id=referral.person_id,
        direction=referral.direction, referred_on=referral.referred_on, from_party=referral.from_party,
        to_party=referral.to_party, reason=referral.reason, disclosed_items=tuple(referral.disclosed_items),
        client_consented=referral.client_consented, legal_basis=referral.legal_basis,
        outcome=referral.outcome, outcome_on=referral.outcome_on,
    )


def _record_views(session: Session, records: Sequence[ServiceRecord]) -> list[ServiceRecordView]:
    """Views of service records, their resource links read with one query."""
    links: dict[UUID, list[ResourceView]] = {r.uuid: [] for r in records}
    if records:
        for link in session.scalars(select(ResourceLink).where(
                ResourceLink.service_record_id.in_(list(links)), ResourceLink.deleted_at.is_(None))
                .order_by(ResourceLink.row_version)):
            links[link.service_record_id].append(ResourceView(
                link.uuid, link.kind, link.provider, link.description, link.value_fen, link.donation_id))
    return [ServiceRecordView(
        uuid=r.uuid, case_id=r.case_id, seq=r.seq, service_date=r.service_date, start_time=r.start_time,
        end_time=r.end_time, duration_min=r.duration_min, location=r.location, mode=r.mode,
        participants=r.participants, objective_id=r.objective_id, content=r.content,
        client_response=r.client_response, analysis=r.analysis, next_steps=r.next_steps,
        worker_id=r.worker_id, supervisor_comment=r.supervisor_comment, resources=tuple(links[r.uuid]),
        row_version=r.row_version,
    ) for r in records]


def _case_objective_ids(session: Session, case_id: UUID) -> set[UUID]:
    """Objectives of every live plan version of a case."""
    return set(session.scalars(select(PlanObjective.uuid)
                               .join(ServicePlan, ServicePlan.uuid == PlanObjective.plan_id)
                               .where(ServicePlan.case_id == case_id, ServicePlan.deleted_at.is_(None),
                                      PlanObjective.deleted_at.is_(None))))


# ---------------------------------------------------------------------------
# Intake and opening (接案, 开案审批)
# ---------------------------------------------------------------------------


def _intake_errors(session: Session, data: IntakeInput, today: date) -> list[ValidationError]:
    errors: list[ValidationError] = []
    _check_day(errors, data.intake_date, today=today, field="intake_date")
    if data.source == CaseSource.REFERRAL and not data.referrer.strip():
        errors.append(ValidationError("case.referrer_required", field="referrer"))
    area = data.service_area.strip()
    if not area:
        errors.append(ValidationError("case.service_area_required", field="service_area"))
    elif area not in _codes(session, TaxonomyKind.SERVICE_AREA):
        errors.append(ValidationError("case.service_area_unknown", field="service_area", value=area))
    if not data.accepted and not data.not_accepted_reason.strip():
        errors.append(ValidationError("case.not_accepted_reason_required", field="not_accepted_reason"))
    _check_staff(session, errors, data.worker_id, "worker_id", must_be_active=True)
    if data.project_id is not None:
        project = session.get(ServiceProject, data.project_id)
        if project is None or project.deleted_at is not None:
            errors.append(ValidationError("project.not_found", field="project_id"))
    return errors


def _child_errors(session: Session, person: Person, on: date) -> list[ValidationError]:
    """A child under 14 needs a guardian and a consent on file (PIPL Art. 31)."""
    if person.birth_date is None:
        return []
    if person.birth_date > on:
        return [ValidationError("date.order", field="intake_date", earlier_field="birth_date")]
    age = age_on(person.birth_date, on)
    if age >= CHILD_CONSENT_AGE:
        return []
    has_guardian = person.guardian_id is not None or bool(person.guardian_relation)
    if has_guardian and has_valid_consent(session, person.uuid):
        return []
    return [ValidationError("case.child_needs_guardian_consent", field="person_id", age=age)]


def _apply_intake(case: Case, data: IntakeInput) -> None:
    case.person_id = data.person_id
    case.intake_date = data.intake_date
    case.source = data.source
    case.referrer = data.referrer.strip()
    case.referrer_contact = data.referrer_contact.strip()
    case.service_area = data.service_area.strip()
    case.presenting_problem = data.presenting_problem
    case.initial_impression = data.initial_impression
    case.risk_level = data.risk_level
    case.crisis = data.crisis
    case.willingness = data.willingness
    case.worker_id = data.worker_id
    case.project_id = data.project_id


def _issue_case_no(session: Session, year: int) -> str:
    origin = own_station(session).code
    prefix = format_number(CASE_NUMBER_KIND, origin, year, 0)[:-4]  # "{station}-{yyyy}-"
    floor = highest_suffix(session, Case.case_no, prefix, Case.origin == origin)
    return format_number(CASE_NUMBER_KIND, origin, year, issue_number(session, CASE_NUMBER_KIND, year, floor=floor))


def open_case(db: Database, actor: Actor, data: IntakeInput, *, today: date | None = None,
              consent: ConsentInput | None = None) -> CaseView:
    """Register an intake (接案登记) and give the case its number.

    Accepted: stage INTAKE, opening PENDING (awaiting the station head's approval).
    Not accepted: stage NOT_OPENED, ``accepted`` false, opening DRAFT; the reason is
    kept and the case never counts as opened. An accepted child under 14 needs a
    guardian on the person record and a valid consent.

    Args:
        consent: A consent signed at the intake (e.g. by a child's guardian), recorded
            in the same transaction and linked to the new case: if the intake is
            refused, the consent is not kept either.

    Raises:
        NotFoundError: ``person.not_found``.
        ValidationError | ValidationErrors: see the module's list of intake codes, and
            the consent's (``services.people.add_consent``).
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        person = get_person_row(s, data.person_id)
        signed = add_consent(s, person, consent, today=today) if consent is not None else None
        errors = _intake_errors(s, data, today)
        if data.accepted:
            errors += _child_errors(s, person, data.intake_date)
        _raise_all(errors)
        case = Case(case_no=_issue_case_no(s, data.intake_date.year), accepted=data.accepted,
                    not_accepted_reason="" if data.accepted else data.not_accepted_reason.strip(),
                    stage=S.INTAKE if data.accepted else S.NOT_OPENED,
                    opening_status=A.PENDING if data.accepted else A.DRAFT)
        _apply_intake(case, data)
        s.add(case)
        s.flush()
        if signed is not None and signed.case_id is None:
            signed.case_id = case.uuid
            s.flush()
        return _case_view(s, case)


def update_intake(db: Database, actor: Actor, case_id: UUID, data: IntakeInput,
                  *, today: date | None = None) -> CaseView:
    """Correct an intake before its opening is approved (e.g. after a return).

    The case number never changes, nor does the person. Declining a case goes through
    :func:`move_stage` to NOT_OPENED with a reason.

    Raises:
        StateError: ``case.intake_locked`` (opening approved or case past intake).
        ValidationError | ValidationErrors: the intake codes, ``case.person_cannot_change``,
            ``case.decline_via_stage``.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        if case.stage != S.INTAKE or case.opening_status == A.APPROVED:
            raise StateError("case.intake_locked", field="stage", stage=case.stage.value)
        errors = _intake_errors(s, data, today)
        if data.person_id != case.person_id:
            errors.append(ValidationError("case.person_cannot_change", field="person_id"))
        if not data.accepted:
            errors.append(ValidationError("case.decline_via_stage", field="accepted"))
        errors += _child_errors(s, get_person_row(s, case.person_id), data.intake_date)
        _raise_all(errors)
        _apply_intake(case, data)
        s.flush()
        return _case_view(s, case)


def decide_opening(db: Database, actor: Actor, case_id: UUID, approve: bool, comment: str = "") -> CaseView:
    """The station head approves the opening (开案审批) or returns it with a comment.

    Raises:
        PermissionDenied: the actor may not approve.
        ValidationError: ``approval.comment_required`` (returning without a comment).
        StateError: ``approval.not_pending``.
    """
    with transaction(db, actor, Permission.APPROVE) as s:
        status, comment = _decision(approve, comment)
        case = _case_row(s, case_id)
        if case.stage != S.INTAKE or case.opening_status != A.PENDING:
            raise StateError("approval.not_pending", field="opening_status", status=case.opening_status.value)
        case.opening_status, case.opening_comment = status, comment
        case.opening_by, case.opening_at = actor.name, utcnow()
        _audit_decision(s, "case_file", case.uuid, "opening", status)
        return _case_view(s, case)


def resubmit_opening(db: Database, actor: Actor, case_id: UUID) -> CaseView:
    """Submit a returned opening again (RETURNED → PENDING).

    Raises:
        StateError: ``approval.not_returned``.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        if case.stage != S.INTAKE or case.opening_status != A.RETURNED:
            raise StateError("approval.not_returned", field="opening_status", status=case.opening_status.value)
        case.opening_status = A.PENDING
        s.flush()
        return _case_view(s, case)


# ---------------------------------------------------------------------------
# Assessment and mandatory reporting (预估, 强制报告)
# ---------------------------------------------------------------------------


def record_assessment(db: Database, actor: Actor, case_id: UUID, data: AssessmentInput,
                      *, today: date | None = None) -> AssessmentResult:
    """Record a needs assessment; allowed again at any later working stage (全程评估).

    The case takes the assessment's risk level. Suspected harm to a child sets the
    case's child-protection flag; ``report_needed`` then tells the UI to ask who was
    informed (:func:`record_child_protection_report`).

    Raises:
        StateError: ``case.stage.wrong_for_record`` outside ASSESSMENT … EVALUATION.
        ValidationError | ValidationErrors: dates, empty need or scale lines.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        _require_stage(case, _ASSESSMENT_STAGES)
        errors: list[ValidationError] = []
        _check_day(errors, data.assessed_on, today=today, field="assessed_on", not_before=case.intake_date)
        errors += [ValidationError("assessment.need_empty", field="needs", index=i)
                   for i, n in enumerate(data.needs) if not n.need.strip()]
        errors += [ValidationError("assessment.scale_name_empty", field="scales", index=i)
                   for i, sc in enumerate(data.scales) if not sc.scale_name.strip()]
        _check_staff(s, errors, data.assessor_id, "assessor_id")
        _raise_all(errors)
        row = Assessment(
            case_id=case.uuid, assessed_on=data.assessed_on, methods=list(data.methods), sources=data.sources,
            physical_health=data.physical_health, psychological=data.psychological, family=data.family,
            economic=data.economic, housing=data.housing, social_support=data.social_support,
            education_employment=data.education_employment, rights_legal=data.rights_legal,
            strengths=data.strengths, summary=data.summary, risk_level=data.risk_level,
            child_harm_suspected=data.child_harm_suspected, assessor_id=data.assessor_id,
            supervisor_comment=data.supervisor_comment,
            needs=[{"need": n.need.strip(), "domain": n.domain, "priority": n.priority, "agreed": n.agreed}
                   for n in data.needs],
            scales=[{"scale_name": sc.scale_name.strip(), "score": sc.score,
                     "date": sc.on.isoformat() if sc.on else None} for sc in data.scales],
        )
        s.add(row)
        case.risk_level = data.risk_level
        report_needed = False
        if data.child_harm_suspected:
            case.child_protection_flag = True
            report_needed = s.scalar(select(ChildProtectionReport.uuid).where(
                ChildProtectionReport.case_id == case.uuid,
                ChildProtectionReport.deleted_at.is_(None)).limit(1)) is None
        s.flush()
        return AssessmentResult(row.uuid, _case_view(s, case), report_needed)


def record_child_protection_report(db: Database, actor: Actor, case_id: UUID, informed_party: str,
                                   informed_at: datetime, concern: str = "", *,
                                   today: date | None = None) -> ChildProtectionView:
    """Record who was told of suspected harm to a child, and when (强制报告).

    Args:
        informed_party: 公安 / 民政 / 教育 ... as typed.
        informed_at: When they were told; an aware datetime (the UI converts local time).
        concern: What was reported.

    Raises:
        ValidationError | ValidationErrors: ``child_protection.informed_party_required``,
            ``date.future`` (field ``informed_at``).
        ValueError: a naive ``informed_at`` (a programming error).
    """
    today = today or date.today()
    if informed_at.tzinfo is None:
        raise ValueError("informed_at must be timezone-aware")
    party = informed_party.strip()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        errors: list[ValidationError] = []
        if not party:
            errors.append(ValidationError("child_protection.informed_party_required", field="informed_party"))
        _check_day(errors, informed_at.date(), today=today, field="informed_at")
        _raise_all(errors)
        case = _case_row(s, case_id)
        row = ChildProtectionReport(case_id=case.uuid, flagged_on=today, concern=concern, informed_party=party,
                                    informed_at=informed_at, informed_by=actor.name)
        s.add(row)
        case.child_protection_flag = True
        s.flush()
        return ChildProtectionView(row.uuid, row.case_id, row.flagged_on, row.concern, row.informed_party,
                                   row.informed_at, row.informed_by)


# ---------------------------------------------------------------------------
# Service plan (服务计划)
# ---------------------------------------------------------------------------


def save_plan(db: Database, actor: Actor, case_id: UUID, data: PlanInput,
              *, today: date | None = None) -> PlanView:
    """Save a new plan version (previous + 1) as a DRAFT, with its objectives.

    Allowed in PLANNING and, to revise the plan, in INTERVENTION. The approved version
    stays current until the new one is approved.

    Raises:
        StateError: ``case.stage.wrong_for_record``, ``plan.pending_approval`` (the
            latest version awaits a decision).
        ValidationError | ValidationErrors: see the module's list of plan codes.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        _require_stage(case, _PLAN_STAGES)
        latest = _latest_plan(s, case.uuid)
        if latest is not None and latest.approval_status == A.PENDING:
            raise StateError("plan.pending_approval", field="plan", version=latest.version)
        errors: list[ValidationError] = []
        _check_day(errors, data.made_on, today=today, field="made_on", not_before=case.intake_date)
        if not data.overall_aim.strip():
            errors.append(ValidationError("plan.aim_required", field="overall_aim"))
        if not data.objectives:
            errors.append(ValidationError("plan.objectives_required", field="objectives"))
        for i, objective in enumerate(data.objectives):
            if not objective.text.strip():
                errors.append(ValidationError("plan.objective_empty", field="objectives", index=i))
            if objective.target_date is not None and objective.target_date < data.made_on:
                errors.append(ValidationError("date.order", field="objectives", index=i, earlier_field="made_on"))
        if data.review_on is not None and data.review_on < data.made_on:
            errors.append(ValidationError("date.order", field="review_on", earlier_field="made_on"))
        if data.client_agreed_on is not None:
            _check_day(errors, data.client_agreed_on, today=today, field="client_agreed_on")
        if data.models:
            known = _codes(s, TaxonomyKind.INTERVENTION_MODEL)
            errors += [ValidationError("plan.model_unknown", field="models", value=m)
                       for m in data.models if m not in known]
        _raise_all(errors)
        plan = ServicePlan(
            case_id=case.uuid, version=(latest.version if latest is not None else 0) + 1, made_on=data.made_on,
            review_on=data.review_on, overall_aim=data.overall_aim.strip(), focus=data.focus,
            models=list(data.models),
            strategies=[{"action": st.action, "responsible": st.responsible, "frequency": st.frequency,
                         "planned_on": st.planned_on.isoformat() if st.planned_on else None}
                        for st in data.strategies],
            partners=[{"party": p.party, "resource_type": p.resource_type, "expected_value": p.expected_value,
                       "linkage": p.linkage.value if p.linkage else None} for p in data.partners],
            expected_duration=data.expected_duration, frequency=data.frequency, client_agreed=data.client_agreed,
            client_agreed_on=data.client_agreed_on, approval_status=A.DRAFT,
        )
        s.add(plan)
        s.flush()
        for seq, objective in enumerate(data.objectives, start=1):
            s.add(PlanObjective(plan_id=plan.uuid, seq=seq, text=objective.text.strip(),
                                indicator=objective.indicator, target_date=objective.target_date))
        s.flush()
        return _plan_view(s, plan)


def submit_plan(db: Database, actor: Actor, plan_id: UUID) -> PlanView:
    """Submit a draft or returned plan for approval (→ PENDING).

    Raises:
        StateError: ``approval.not_submittable`` (already pending or approved),
            ``plan.not_latest`` (a newer version exists).
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        plan = _plan_row(s, plan_id)
        if plan.approval_status not in (A.DRAFT, A.RETURNED):
            raise StateError("approval.not_submittable", field="approval_status", status=plan.approval_status.value)
        latest = _latest_plan(s, plan.case_id)
        if latest is not None and latest.uuid != plan.uuid:
            raise StateError("plan.not_latest", field="plan", latest=latest.version)
        plan.approval_status = A.PENDING
        s.flush()
        return _plan_view(s, plan)


def decide_plan(db: Database, actor: Actor, plan_id: UUID, approve: bool, comment: str = "") -> PlanView:
    """The station head approves a pending plan or returns it with a comment.

    Raises:
        PermissionDenied: the actor may not approve.
        ValidationError: ``approval.comment_required``.
        StateError: ``approval.not_pending``.
    """
    with transaction(db, actor, Permission.APPROVE) as s:
        status, comment = _decision(approve, comment)
        plan = _plan_row(s, plan_id)
        if plan.approval_status != A.PENDING:
            raise StateError("approval.not_pending", field="approval_status", status=plan.approval_status.value)
        plan.approval_status, plan.approval_comment = status, comment
        plan.approval_by, plan.approval_at = actor.name, utcnow()
        _audit_decision(s, "service_plan", plan.uuid, "plan", status)
        return _plan_view(s, plan)


# ---------------------------------------------------------------------------
# Stage moves
# ---------------------------------------------------------------------------


def move_stage(db: Database, actor: Actor, case_id: UUID, target: CaseStage, *, reason: str = "") -> CaseView:
    """Move a case along the stage machine (:func:`~wushe_desktop.domain.case_stage.check_move`).

    Suspending remembers the stage left; resuming returns to it. Moving from INTAKE to
    NOT_OPENED declines the case (``reason`` required, ``accepted`` becomes false).
    Closing happens by approving a closure (:func:`decide_closure`), reopening by
    :func:`reopen_case`.

    Raises:
        StateError: the stage machine's ``case.stage.*`` codes, ``case.stage.use_reopen``.
        ValidationError: ``case.not_accepted_reason_required``.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        source = case.stage
        if target == S.INTERVENTION and source in CLOSED_STAGES:
            raise StateError("case.stage.use_reopen", field="stage")
        check_move(_facts(s, case), target)
        if target == S.NOT_OPENED:
            if not reason.strip():
                raise ValidationError("case.not_accepted_reason_required", field="not_accepted_reason")
            case.accepted, case.not_accepted_reason = False, reason.strip()
            if case.opening_status == A.PENDING:
                case.opening_status = A.DRAFT  # withdrawn: no longer awaits the station head
        if target == S.SUSPENDED:
            case.stage_before_suspension = source
        elif source == S.SUSPENDED:
            case.stage_before_suspension = None
        case.stage = target
        s.flush()
        return _case_view(s, case)


# ---------------------------------------------------------------------------
# Service records (个案服务记录, 介入)
# ---------------------------------------------------------------------------


def _record_errors(session: Session, case: Case, data: ServiceRecordInput, today: date) -> list[ValidationError]:
    errors: list[ValidationError] = []
    _check_day(errors, data.service_date, today=today, field="service_date", not_before=case.intake_date)
    if data.start_time is not None and data.end_time is not None and data.end_time < data.start_time:
        errors.append(ValidationError("time.order", field="end_time", earlier_field="start_time"))
    if data.duration_min is not None and data.duration_min < 0:
        errors.append(ValidationError("service_record.duration_negative", field="duration_min"))
    if data.objective_id is not None and data.objective_id not in _case_objective_ids(session, case.uuid):
        errors.append(ValidationError("service_record.objective_not_in_case", field="objective_id"))
    _check_staff(session, errors, data.worker_id, "worker_id")
    for i, res in enumerate(data.resources):
        if res.kind not in RESOURCE_KINDS:
            errors.append(ValidationError("resource.kind_unknown", field="resources", index=i, kind=res.kind))
        if res.value_fen < 0:
            errors.append(ValidationError("resource.value_negative", field="resources", index=i))
        if res.donation_id is not None:
            donation = session.get(Donation, res.donation_id)
            if donation is None or donation.deleted_at is not None:
                errors.append(ValidationError("resource.donation_not_found", field="resources", index=i))
    return errors


def _duration(data: ServiceRecordInput) -> int:
    if data.duration_min is not None:
        return data.duration_min
    if data.start_time is not None and data.end_time is not None:
        start = data.start_time.hour * 60 + data.start_time.minute
        return data.end_time.hour * 60 + data.end_time.minute - start
    return 0


def _apply_record(record: ServiceRecord, data: ServiceRecordInput) -> None:
    record.service_date, record.mode = data.service_date, data.mode
    record.start_time, record.end_time, record.duration_min = data.start_time, data.end_time, _duration(data)
    record.location, record.participants = data.location, data.participants
    record.objective_id, record.worker_id = data.objective_id, data.worker_id
    record.content, record.client_response = data.content, data.client_response
    record.analysis, record.next_steps = data.analysis, data.next_steps


def _set_resources(session: Session, record: ServiceRecord, resources: Sequence[ResourceInput]) -> None:
    """Make the record's live links equal ``resources``; unchanged links are left alone."""
    existing = list(session.scalars(select(ResourceLink).where(
        ResourceLink.service_record_id == record.uuid, ResourceLink.deleted_at.is_(None))))
    wanted = [(r.kind, r.provider.strip(), r.description.strip(), r.value_fen, r.donation_id) for r in resources]
    have = [(lk.kind, lk.provider, lk.description, lk.value_fen, lk.donation_id) for lk in existing]
    if Counter(wanted) == Counter(have):
        return
    now = utcnow()
    for link in existing:
        link.deleted_at = now
    for kind, provider, description, value_fen, donation_id in wanted:
        session.add(ResourceLink(service_record_id=record.uuid, kind=kind, provider=provider,
                                 description=description, value_fen=value_fen, donation_id=donation_id))


def add_service_record(db: Database, actor: Actor, case_id: UUID, data: ServiceRecordInput,
                       *, today: date | None = None) -> ServiceRecordView:
    """Add a contact (第N次: the case's next number, never reused) with its resources.

    Raises:
        StateError: ``case.closed``, ``case.not_opened_yet``, ``case.suspended``.
        ValidationError | ValidationErrors: see the module's list of service record codes.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        check_can_add_record(case.stage)
        _raise_all(_record_errors(s, case, data, today))
        seq = (s.scalar(select(func.max(ServiceRecord.seq)).where(ServiceRecord.case_id == case.uuid)) or 0) + 1
        record = ServiceRecord(case_id=case.uuid, seq=seq)
        _apply_record(record, data)
        s.add(record)
        s.flush()
        _set_resources(s, record, data.resources)
        s.flush()
        return _record_views(s, [record])[0]


def update_service_record(db: Database, actor: Actor, record_id: UUID, data: ServiceRecordInput,
                          *, today: date | None = None) -> ServiceRecordView:
    """Edit a contact and its resources (the case must still be open for records).

    Raises:
        NotFoundError: ``service_record.not_found``.
        StateError: as :func:`add_service_record`.
        ValidationError | ValidationErrors: as :func:`add_service_record`.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        record = _record_row(s, record_id)
        case = _case_row(s, record.case_id)
        check_can_add_record(case.stage)
        _raise_all(_record_errors(s, case, data, today))
        _apply_record(record, data)
        _set_resources(s, record, data.resources)
        s.flush()
        return _record_views(s, [record])[0]


def delete_service_record(db: Database, actor: Actor, record_id: UUID) -> None:
    """Soft-delete a contact and its resource links (its number is not reused).

    Raises:
        NotFoundError: ``service_record.not_found``.
        StateError: as :func:`add_service_record`.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        record = _record_row(s, record_id)
        check_can_add_record(_case_row(s, record.case_id).stage)
        now = utcnow()
        record.deleted_at = now
        for link in s.scalars(select(ResourceLink).where(
                ResourceLink.service_record_id == record.uuid, ResourceLink.deleted_at.is_(None))):
            link.deleted_at = now


def service_record_defaults(db: Database, actor: Actor, case_id: UUID,
                            *, today: date | None = None) -> ServiceRecordDefaults:
    """What a new contact form starts with: today, the worker, a home visit, and the
    current approved plan's first open objective (scenario 2).

    The worker is the acting member of staff, else the case's worker.
    """
    today = today or date.today()
    with reading(db, actor, Permission.READ) as s:
        case = _case_row(s, case_id)
        person = s.get(Person, case.person_id)
        objective: PlanObjective | None = None
        plan = _current_plan(s, case.uuid)
        if plan is not None:
            objective = s.scalars(select(PlanObjective).where(
                PlanObjective.plan_id == plan.uuid, PlanObjective.deleted_at.is_(None),
                PlanObjective.status == ObjectiveStatus.OPEN).order_by(PlanObjective.seq).limit(1)).first()
        last_seq = s.scalar(select(func.max(ServiceRecord.seq)).where(ServiceRecord.case_id == case.uuid)) or 0
        return ServiceRecordDefaults(
            case_id=case.uuid, case_no=case.case_no, person_name=person.name if person is not None else "",
            next_seq=last_seq + 1, service_date=today, worker_id=actor.staff_id or case.worker_id,
            mode=ContactMode.HOME_VISIT, objective_id=objective.uuid if objective is not None else None,
            objective_text=objective.text if objective is not None else "",
        )


# ---------------------------------------------------------------------------
# Evaluation (评估)
# ---------------------------------------------------------------------------


def record_evaluation(db: Database, actor: Actor, case_id: UUID, data: EvaluationInput,
                      *, today: date | None = None) -> EvaluationView:
    """Record a process or outcome evaluation, with attainment per objective.

    An objective fully attained becomes ACHIEVED; one rated partial or none is OPEN
    again unless it was dropped.

    Raises:
        StateError: ``case.stage.wrong_for_record`` outside INTERVENTION/EVALUATION.
        ValidationError | ValidationErrors: dates and the evaluation codes.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        _require_stage(case, _EVALUATION_STAGES)
        errors: list[ValidationError] = []
        _check_day(errors, data.evaluated_on, today=today, field="evaluated_on", not_before=case.intake_date)
        low, high = SATISFACTION_RANGE
        if data.satisfaction is not None and not low <= data.satisfaction <= high:
            errors.append(ValidationError("evaluation.satisfaction_range", field="satisfaction", min=low, max=high))
        known = _case_objective_ids(s, case.uuid)
        seen: set[UUID] = set()
        for i, item in enumerate(data.attainment):
            if item.objective_id not in known:
                errors.append(ValidationError("evaluation.objective_not_in_case", field="attainment", index=i))
            elif item.objective_id in seen:
                errors.append(ValidationError("evaluation.objective_repeated", field="attainment", index=i))
            seen.add(item.objective_id)
        _check_staff(s, errors, data.evaluator_id, "evaluator_id")
        _raise_all(errors)
        row = Evaluation(
            case_id=case.uuid, evaluated_on=data.evaluated_on, kind=data.kind, methods=list(data.methods),
            attainment=[{"objective_id": str(a.objective_id), "level": a.level.value, "note": a.note}
                        for a in data.attainment],
            overall_attainment=data.overall_attainment, pre_score=data.pre_score, post_score=data.post_score,
            satisfaction=data.satisfaction, narrative=data.narrative, evaluator_id=data.evaluator_id,
        )
        s.add(row)
        levels = {a.objective_id: a.level for a in data.attainment}
        if levels:
            for objective in s.scalars(select(PlanObjective).where(PlanObjective.uuid.in_(list(levels)))):
                if levels[objective.uuid] == Attainment.FULL:
                    objective.status = ObjectiveStatus.ACHIEVED
                elif objective.status == ObjectiveStatus.ACHIEVED:
                    objective.status = ObjectiveStatus.OPEN
        s.flush()
        return EvaluationView(row.uuid, row.case_id, row.evaluated_on, row.kind, row.overall_attainment,
                              data.attainment, row.satisfaction)


# ---------------------------------------------------------------------------
# Closure and reopening (结案)
# ---------------------------------------------------------------------------


def submit_closure(db: Database, actor: Actor, case_id: UUID, data: ClosureInput,
                   *, today: date | None = None) -> ClosureView:
    """Submit a closure report for the station head's approval (status PENDING).

    Only in EVALUATION, with an evaluation on file. After a return, the corrected
    report is submitted again with this function (the returned one keeps its comment).

    Raises:
        StateError: ``case.stage.wrong_for_record``, ``case.stage.needs_evaluation``,
            ``closure.already_pending``.
        ValidationError | ValidationErrors: dates and the closure codes.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        _require_stage(case, {S.EVALUATION})
        facts = _facts(s, case)
        if facts.closure_status == A.PENDING:
            raise StateError("closure.already_pending", field="closure")
        if not facts.has_evaluation:
            raise StateError("case.stage.needs_evaluation", field="stage")
        errors: list[ValidationError] = []
        _check_day(errors, data.closed_on, today=today, field="closed_on", not_before=case.intake_date)
        closure_type = data.closure_type.strip()
        if not closure_type:
            errors.append(ValidationError("closure.type_required", field="closure_type"))
        elif closure_type not in _codes(s, TaxonomyKind.CLOSURE_TYPE):
            errors.append(ValidationError("closure.type_unknown", field="closure_type", value=closure_type))
        if closure_type == REFERRAL_CLOSURE_TYPE and data.referral_id is None:
            errors.append(ValidationError("closure.needs_referral", field="referral_id"))
        if data.referral_id is not None:
            referral = s.get(Referral, data.referral_id)
            if (referral is None or referral.deleted_at is not None or referral.case_id != case.uuid
                    or referral.direction != ReferralDirection.OUT):
                errors.append(ValidationError("closure.referral_not_of_case", field="referral_id"))
        _check_staff(s, errors, data.worker_id, "worker_id")
        _raise_all(errors)
        closure = Closure(
            case_id=case.uuid, closed_on=data.closed_on, closure_type=closure_type, reason=data.reason,
            summary=data.summary, goal_attainment=data.goal_attainment, client_changes=data.client_changes,
            unresolved=data.unresolved, preparation=data.preparation, client_feedback=data.client_feedback,
            follow_up_plan=[{"date": f.on.isoformat(), "method": f.method} for f in data.follow_up_plan],
            worker_id=data.worker_id, referral_id=data.referral_id, approval_status=A.PENDING,
        )
        s.add(closure)
        s.flush()
        return _closure_view(closure, case)


def decide_closure(db: Database, actor: Actor, closure_id: UUID, approve: bool, comment: str = "") -> ClosureView:
    """The station head approves a closure (the case closes) or returns it.

    Approving moves the case to CLOSED, or REFERRED for a closure by referral, and sets
    ``Case.closed_on`` to the closure's date. Returning keeps the case in EVALUATION.

    Raises:
        PermissionDenied: the actor may not approve.
        ValidationError: ``approval.comment_required``.
        StateError: ``approval.not_pending``, or the stage machine's refusal.
    """
    with transaction(db, actor, Permission.APPROVE) as s:
        status, comment = _decision(approve, comment)
        closure = _closure_row(s, closure_id)
        if closure.approval_status != A.PENDING:
            raise StateError("approval.not_pending", field="approval_status", status=closure.approval_status.value)
        case = _case_row(s, closure.case_id)
        if status == A.APPROVED:
            is_referral = closure.closure_type == REFERRAL_CLOSURE_TYPE
            target = S.REFERRED if is_referral else S.CLOSED
            check_move(replace(_facts(s, case), closure_status=A.APPROVED, closure_is_referral=is_referral), target)
            case.stage, case.closed_on = target, closure.closed_on
        closure.approval_status, closure.approval_comment = status, comment
        closure.approval_by, closure.approval_at = actor.name, utcnow()
        _audit_decision(s, "case_closure", closure.uuid, "closure", status)
        return _closure_view(closure, case)


def reopen_case(db: Database, actor: Actor, case_id: UUID, reason: str, *, today: date | None = None) -> CaseView:
    """Reopen a closed or referred case (→ INTERVENTION); ``closed_on`` is cleared.

    The reason is kept as a follow-up row (method ``reopen``), so it travels with the
    case; closing again needs a new evaluation and a new approved closure.

    Raises:
        ValidationError: ``case.reopen_reason_required``.
        StateError: ``case.not_closed``.
    """
    today = today or date.today()
    reason = reason.strip()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        if not reason:
            raise ValidationError("case.reopen_reason_required", field="reason")
        case = _case_row(s, case_id)
        if case.stage not in CLOSED_STAGES:
            raise StateError("case.not_closed", field="stage", stage=case.stage.value)
        check_move(_facts(s, case), S.INTERVENTION)
        s.add(FollowUp(case_id=case.uuid, followed_on=today, method=REOPEN_METHOD, result=reason))
        case.stage, case.closed_on = S.INTERVENTION, None
        s.flush()
        return _case_view(s, case)


# ---------------------------------------------------------------------------
# Referrals (转介) and follow-ups (跟进)
# ---------------------------------------------------------------------------


def make_referral(db: Database, actor: Actor, data: ReferralInput, *, today: date | None = None) -> ReferralView:
    """Record a referral out of or into the station.

    Disclosing personal information to another body needs the client's separate
    consent (PIPL Art. 23) unless a statutory duty or an emergency is the legal basis
    (Art. 13).

    Raises:
        NotFoundError: ``person.not_found``, ``case.not_found``.
        ValidationError | ValidationErrors: see the module's list of referral codes.
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_person_row(s, data.person_id)
        errors: list[ValidationError] = []
        intake: date | None = None
        if data.case_id is not None:
            case = _case_row(s, data.case_id)
            intake = case.intake_date
            if case.person_id != data.person_id:
                errors.append(ValidationError("referral.person_not_of_case", field="person_id"))
        _check_day(errors, data.referred_on, today=today, field="referred_on", not_before=intake)
        from_party = data.from_party.strip()
        if data.direction == ReferralDirection.OUT:
            if not data.to_party.strip():
                errors.append(ValidationError("referral.to_party_required", field="to_party"))
            if not data.client_consented and data.legal_basis not in (LegalBasis.STATUTORY_DUTY,
                                                                      LegalBasis.EMERGENCY):
                errors.append(ValidationError("referral.needs_consent", field="client_consented"))
            from_party = from_party or own_station(s).name
        elif not from_party:
            errors.append(ValidationError("referral.from_party_required", field="from_party"))
        _raise_all(errors)
        row = Referral(
            case_id=data.case_id, person_id=data.person_id, referred_on=data.referred_on, direction=data.direction,
            from_party=from_party, to_party=data.to_party.strip(), to_contact=data.to_contact.strip(),
            reason=data.reason, services_summary=data.services_summary, disclosed_items=list(data.disclosed_items),
            client_consented=data.client_consented, legal_basis=data.legal_basis,
        )
        s.add(row)
        s.flush()
        return _referral_view(row)


def record_referral_outcome(db: Database, actor: Actor, referral_id: UUID, outcome: ReferralOutcome,
                            outcome_on: date, follow_up: str = "", *, today: date | None = None) -> ReferralView:
    """Record the receiving party's answer (接收反馈) and the follow-up result.

    Raises:
        NotFoundError: ``referral.not_found``.
        ValidationError: ``date.future``, ``date.order`` (before the referral).
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        row = _referral_row(s, referral_id)
        errors: list[ValidationError] = []
        _check_day(errors, outcome_on, today=today, field="outcome_on", not_before=row.referred_on,
                   earlier_field="referred_on")
        _raise_all(errors)
        row.outcome, row.outcome_on, row.follow_up = outcome, outcome_on, follow_up
        s.flush()
        return _referral_view(row)


def add_follow_up(db: Database, actor: Actor, case_id: UUID, followed_on: date, method: str = "",
                  result: str = "", *, today: date | None = None) -> FollowUpView:
    """Record a follow-up contact after closure (跟进记录).

    Raises:
        StateError: ``case.stage.wrong_for_record`` unless CLOSED, REFERRED or FOLLOW_UP.
        ValidationError: ``date.future``, ``date.order`` (before the closure date).
    """
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        case = _case_row(s, case_id)
        _require_stage(case, CLOSED_STAGES)
        errors: list[ValidationError] = []
        _check_day(errors, followed_on, today=today, field="followed_on", not_before=case.closed_on,
                   earlier_field="closed_on")
        _raise_all(errors)
        row = FollowUp(case_id=case.uuid, followed_on=followed_on, method=method.strip(), result=result)
        s.add(row)
        s.flush()
        return FollowUpView(row.uuid, row.case_id, row.followed_on, row.method, row.result)


def hand_over_cases(db: Database, actor: Actor, from_staff_id: UUID, to_staff_id: UUID) -> int:
    """Hand every unfinished case of a departing worker to another, in one action.

    Closed, referred and never-opened cases keep their worker (the record of who served).
    Each case gets its audit row, and one ``handover`` row names both workers and the count.

    Returns:
        How many cases changed hands.

    Raises:
        PermissionDenied: needs ``approve`` (the station head).
        NotFoundError: ``staff.not_found``.
        ValidationError: ``handover.same_staff``, ``staff.inactive``.
    """
    with transaction(db, actor, Permission.APPROVE) as s:
        if from_staff_id == to_staff_id:
            raise ValidationError("handover.same_staff", field="to_staff_id")
        _staff_row(s, from_staff_id, "from_staff_id")
        target = _staff_row(s, to_staff_id, "to_staff_id")
        if not target.active or target.left_on is not None:
            raise ValidationError("staff.inactive", field="to_staff_id")
        origin = own_station(s).code
        cases = s.scalars(select(Case).where(
            Case.origin == origin, Case.worker_id == from_staff_id, Case.deleted_at.is_(None),
            Case.stage.in_(list(_HANDOVER_STAGES)))).all()
        for case in cases:
            case.worker_id = to_staff_id
        append_audit(s, AuditEntry("handover", "staff", str(from_staff_id),
                                   {"to_staff": str(to_staff_id), "cases": len(cases)}))
        return len(cases)


# ---------------------------------------------------------------------------
# Read side
# ---------------------------------------------------------------------------


def get_case(db: Database, actor: Actor, case_id: UUID) -> CaseDetail:
    """A case with what its screen shows at the top (stage, what is missing, plan...).

    Raises:
        NotFoundError: ``case.not_found``.
    """
    with reading(db, actor, Permission.READ) as s:
        case = _case_row(s, case_id)
        latest, current = _latest_plan(s, case.uuid), _current_plan(s, case.uuid)
        count, last = s.execute(select(func.count(), func.max(ServiceRecord.service_date)).where(
            ServiceRecord.case_id == case.uuid, ServiceRecord.deleted_at.is_(None))).one()
        reports = s.scalar(select(func.count()).select_from(ChildProtectionReport).where(
            ChildProtectionReport.case_id == case.uuid, ChildProtectionReport.deleted_at.is_(None))) or 0
        closure = _current_closure(s, case)
        return CaseDetail(
            case=_case_view(s, case),
            missing_for_next=tuple(missing_for_next(_facts(s, case))),
            latest_plan=_plan_view(s, latest) if latest is not None else None,
            current_plan=_plan_view(s, current) if current is not None else None,
            service_record_count=int(count), last_contact=last,
            closure=_closure_view(closure, case) if closure is not None else None,
            child_protection_reports=int(reports),
        )


def find_case_by_no(db: Database, actor: Actor, case_no: str) -> CaseView:
    """The live case with this number (e.g. ``150121101000-2026-0007``).

    Raises:
        NotFoundError: ``case.not_found``.
    """
    with reading(db, actor, Permission.READ) as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no.strip(), Case.deleted_at.is_(None))).first()
        if case is None:
            raise NotFoundError("case.not_found", field="case_no")
        return _case_view(s, case)


def list_referrals(db: Database, actor: Actor, case_id: UUID) -> list[ReferralView]:
    """A case's live referrals, oldest first (the case screen offers their outcome)."""
    with reading(db, actor, Permission.READ) as s:
        case = _case_row(s, case_id)
        return [_referral_view(r) for r in s.scalars(select(Referral).where(
            Referral.case_id == case.uuid, Referral.deleted_at.is_(None))
            .order_by(Referral.referred_on, Referral.row_version))]


def list_follow_ups(db: Database, actor: Actor, case_id: UUID) -> list[FollowUpView]:
    """A case's follow-ups after closure and reopenings (``reopened``, the reason in
    ``result``), oldest first."""
    with reading(db, actor, Permission.READ) as s:
        case = _case_row(s, case_id)
        return [FollowUpView(f.uuid, f.case_id, f.followed_on, "" if f.method == REOPEN_METHOD else f.method,
                             f.result, f.method == REOPEN_METHOD)
                for f in s.scalars(select(FollowUp).where(FollowUp.case_id == case.uuid, FollowUp.deleted_at.is_(None))
                                   .order_by(FollowUp.followed_on, FollowUp.row_version))]


def list_service_records(db: Database, actor: Actor, case_id: UUID) -> list[ServiceRecordView]:
    """A case's live contacts in order (第1次, 第2次 ...), with their resources."""
    with reading(db, actor, Permission.READ) as s:
        case = _case_row(s, case_id)
        records = s.scalars(select(ServiceRecord).where(
            ServiceRecord.case_id == case.uuid, ServiceRecord.deleted_at.is_(None))
            .order_by(ServiceRecord.seq)).all()
        return _record_views(s, records)


_TodoSelect = Select[*tuple[Any, ...]]


def _todo_list(session: Session, stmt: _TodoSelect, limit: int, *, due_after: int | None = None,
               once: bool = False) -> TodoList:
    """Run a to-do query: the first ``limit`` lines and the total.

    ``stmt`` selects ``(case uuid, case_no, stage, risk, worker, on, record uuid)`` from
    rows that name their case; with ``due_after`` an eighth column (the plan's date) gives
    ``on`` when the row has none: the review falls due that many days after the plan was
    made. The client's name is joined here, for the page only: every case has exactly one
    client, so the total counts the same rows without reading a person. With ``once`` (a
    list whose condition is costly to test, case by case) the lines are found in one
    pass, the total riding on each as a window count taken before LIMIT.
    """
    page = stmt.join(Person, Person.uuid == Case.person_id).add_columns(Person.name)
    total = 0
    if once:
        page = page.add_columns(func.count().over())
    else:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items: list[TodoItem] = []
    for row in session.execute(page.limit(limit)):
        on = row[5] if row[5] is not None or due_after is None else row[7] + timedelta(days=due_after)
        name = row[8] if due_after is not None else row[7]
        items.append(TodoItem(case_id=row[0], case_no=row[1], person_name=name, stage=row[2],
                              risk_level=row[3], worker_id=row[4], on=on, record_id=row[6]))
        if once:
            total = row[-1]
    if due_after is not None:
        items.sort(key=lambda item: (item.on, item.case_no))
    return TodoList(tuple(items), int(total))


def todo(db: Database, actor: Actor, today: date | None = None, no_contact_days: int = 30,
         plan_review_days: int = 90, *, station: str | None = None, worker_id: UUID | None = None,
         risk_level: RiskLevel | None = None, limit: int = 200) -> Todo:
    """The casework to-do lists of the dashboard (scenario 1) and of supervision (scenario 10).

    * ``no_contact``: cases in ASSESSMENT … EVALUATION whose last live service record
      (or, without one, the intake) is more than ``no_contact_days`` before ``today``;
      oldest first.
    * ``closures_pending``, ``openings_pending``, ``plans_pending``: awaiting the
      station head.
    * ``plan_reviews_due``: cases in ASSESSMENT, PLANNING or INTERVENTION (not yet
      being evaluated for closure) whose newest plan is approved and due for review:
      its ``review_on`` has come, or, without one, it was made more than
      ``plan_review_days`` ago (``on`` is then the plan's date plus that interval).

    Each list is one set-based query (correlated aggregate subqueries, no per-case
    round trips). The UI takes the day counts from the ``todo.*`` settings.

    Args:
        station: Whose cases (a centre passes a station code); default this station.
        worker_id: Only this worker's cases ("my cases").
        risk_level: Only cases at this risk level.
        limit: At most this many lines per list (``total`` counts all).
    """
    today = today or date.today()
    with reading(db, actor, Permission.READ) as s:
        origin = station or own_station(s).code
        filters: list[ColumnElement[bool]] = [Case.origin == origin, Case.deleted_at.is_(None)]
        if worker_id is not None:
            filters.append(Case.worker_id == worker_id)
        if risk_level is not None:
            filters.append(Case.risk_level == risk_level)
        head = (Case.uuid, Case.case_no, Case.stage, Case.risk_level, Case.worker_id)
        working = Case.stage.in_(list(WORKING_STAGES))

        last_record = (select(func.max(ServiceRecord.service_date))
                       .where(ServiceRecord.case_id == Case.uuid, ServiceRecord.deleted_at.is_(None))
                       .correlate(Case).scalar_subquery())
        contact = func.coalesce(last_record, Case.intake_date)
        no_contact = (select(*head, contact, Case.uuid)
                      .where(*filters, working, contact < today - timedelta(days=no_contact_days))
                      .order_by(contact, Case.case_no))

        closures = (select(*head, Closure.closed_on, Closure.uuid)
                    .join(Case, Case.uuid == Closure.case_id)
                    .where(*filters, Closure.deleted_at.is_(None), Closure.approval_status == A.PENDING)
                    .order_by(Closure.closed_on, Case.case_no))

        openings = (select(*head, Case.intake_date, Case.uuid)
                    .where(*filters, Case.stage == S.INTAKE, Case.opening_status == A.PENDING)
                    .order_by(Case.intake_date, Case.case_no))

        plans = (select(*head, ServicePlan.made_on, ServicePlan.uuid)
                 .join(Case, Case.uuid == ServicePlan.case_id)
                 .where(*filters, ServicePlan.deleted_at.is_(None), ServicePlan.approval_status == A.PENDING)
                 .order_by(ServicePlan.made_on, Case.case_no))

        newer = aliased(ServicePlan)
        is_latest = ~(select(newer.uuid).where(newer.case_id == ServicePlan.case_id, newer.deleted_at.is_(None),
                                               newer.version > ServicePlan.version)
                      .correlate(ServicePlan).exists())
        made_before = today - timedelta(days=plan_review_days)
        reviews = (select(*head, ServicePlan.review_on, ServicePlan.uuid, ServicePlan.made_on)
                   .join(Case, Case.uuid == ServicePlan.case_id)
                   .where(*filters, Case.stage.in_(list(WORKING_STAGES - {S.EVALUATION})),
                          ServicePlan.deleted_at.is_(None), ServicePlan.approval_status == A.APPROVED,
                          or_(ServicePlan.review_on <= today,
                              and_(ServicePlan.review_on.is_(None), ServicePlan.made_on <= made_before)),
                          is_latest)
                   .order_by(func.coalesce(ServicePlan.review_on, ServicePlan.made_on), Case.case_no))
        return Todo(
            no_contact=_todo_list(s, no_contact, limit, once=True),
            closures_pending=_todo_list(s, closures, limit),
            openings_pending=_todo_list(s, openings, limit),
            plans_pending=_todo_list(s, plans, limit),
            plan_reviews_due=_todo_list(s, reviews, limit, due_after=plan_review_days),
        )
