"""Casework (个案): the case and its stage records (domain.md §2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseSource,
    CaseStage,
    ContactMode,
    EvaluationKind,
    LegalBasis,
    ObjectiveStatus,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Willingness,
)
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue, UTCDateTime


class Case(Base, Synced):
    """个案, with its intake registration (接案登记) on the same row."""

    __tablename__ = "case_file"
    __table_args__ = (UniqueConstraint("origin", "case_no"),)

    case_no: Mapped[str] = mapped_column(String(40))  # {station}-{yyyy}-{seq:04d}
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")), index=True)
    worker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None, index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("service_project")), default=None)
    intake_date: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[CaseSource] = mapped_column(EnumValue(CaseSource))
    referrer: Mapped[str] = mapped_column(String(200), default="")
    referrer_contact: Mapped[str] = mapped_column(String(100), default="")
    service_area: Mapped[str] = mapped_column(String(40))  # taxonomy service_area code
    presenting_problem: Mapped[str] = mapped_column(Text, default="")
    initial_impression: Mapped[str] = mapped_column(Text, default="")
    risk_level: Mapped[RiskLevel] = mapped_column(EnumValue(RiskLevel), default=RiskLevel.LOW)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    willingness: Mapped[Willingness] = mapped_column(EnumValue(Willingness), default=Willingness.VOLUNTARY)
    accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    not_accepted_reason: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[CaseStage] = mapped_column(EnumValue(CaseStage), index=True)
    stage_before_suspension: Mapped[CaseStage | None] = mapped_column(EnumValue(CaseStage), default=None)
    opening_status: Mapped[ApprovalStatus] = mapped_column(EnumValue(ApprovalStatus), default=ApprovalStatus.PENDING)
    opening_by: Mapped[str] = mapped_column(String(60), default="")
    opening_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    opening_comment: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)  # set when a closure is approved
    child_protection_flag: Mapped[bool] = mapped_column(Boolean, default=False)

class Assessment(Base, Synced):
    """需求评估 (预估)."""

    __tablename__ = "assessment"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[str] = mapped_column(Text, default="")
    physical_health: Mapped[str] = mapped_column(Text, default="")
    psychological: Mapped[str] = mapped_column(Text, default="")
    family: Mapped[str] = mapped_column(Text, default="")
    economic: Mapped[str] = mapped_column(Text, default="")
    housing: Mapped[str] = mapped_column(Text, default="")
    social_support: Mapped[str] = mapped_column(Text, default="")
    education_employment: Mapped[str] = mapped_column(Text, default="")
    rights_legal: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # need, domain, priority, agreed
    scales: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # scale_name, score, date
    summary: Mapped[str] = mapped_column(Text, default="")
    risk_level: Mapped[RiskLevel] = mapped_column(EnumValue(RiskLevel), default=RiskLevel.LOW)
    child_harm_suspected: Mapped[bool] = mapped_column(Boolean, default=False)
    assessor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    supervisor_comment: Mapped[str] = mapped_column(Text, default="")

class ServicePlan(Base, Synced):
    """服务计划, versioned per case; the station head approves it."""

    __tablename__ = "service_plan"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    made_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date, default=None)
    overall_aim: Mapped[str] = mapped_column(Text, default="")
    focus: Mapped[str] = mapped_column(Text, default="")
    models: Mapped[list[str]] = mapped_column(JSON, default=list)  # taxonomy intervention_model codes
    strategies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    partners: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    expected_duration: Mapped[str] = mapped_column(String(60), default="")
    frequency: Mapped[str] = mapped_column(String(60), default="")
    client_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    client_agreed_on: Mapped[date | None] = mapped_column(Date, default=None)
    approval_status: Mapped[ApprovalStatus] = mapped_column(EnumValue(ApprovalStatus), default=ApprovalStatus.DRAFT)
    approval_by: Mapped[str] = mapped_column(String(60), default="")
    approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    approval_comment: Mapped[str] = mapped_column(Text, default="")

class PlanObjective(Base, Synced):
    """具体目标 of a plan."""

    __tablename__ = "plan_objective"

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("service_plan")), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[ObjectiveStatus] = mapped_column(EnumValue(ObjectiveStatus), default=ObjectiveStatus.OPEN)

class ServiceRecord(Base, Synced):
    """个案服务记录: one contact (介入)."""

    __tablename__ = "service_record"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        Index("ix_service_record_case_date", "case_id", "service_date"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")))
    seq: Mapped[int] = mapped_column(Integer)  # 第N次
    service_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    duration_min: Mapped[int] = mapped_column(Integer, default=0)
    location: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[ContactMode] = mapped_column(EnumValue(ContactMode))
    participants: Mapped[str] = mapped_column(Text, default="")
    objective_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("plan_objective")), default=None)
    content: Mapped[str] = mapped_column(Text, default="")
    client_response: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    worker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    supervisor_comment: Mapped[str] = mapped_column(Text, default="")

class ResourceLink(Base, Synced):
    """链接资源: a resource linked in a service record (money, goods, service, policy)."""

    __tablename__ = "resource_link"

    service_record_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("service_record")), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # funds / goods / service / policy
    provider: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(200), default="")
    value_fen: Mapped[int] = mapped_column(Integer, default=0)
    donation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("donation")), default=None)

class Evaluation(Base, Synced):
    """评估: process or outcome evaluation."""

    __tablename__ = "evaluation"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[EvaluationKind] = mapped_column(EnumValue(EvaluationKind), default=EvaluationKind.OUTCOME)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    attainment: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # objective_id, level
    overall_attainment: Mapped[Attainment | None] = mapped_column(EnumValue(Attainment), default=None)
    pre_score: Mapped[str] = mapped_column(String(40), default="")
    post_score: Mapped[str] = mapped_column(String(40), default="")
    satisfaction: Mapped[int | None] = mapped_column(Integer, default=None)  # 1–5
    narrative: Mapped[str] = mapped_column(Text, default="")
    evaluator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)

class Closure(Base, Synced):
    """结案报告; the case closes when the station head approves it."""

    __tablename__ = "case_closure"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    closed_on: Mapped[date] = mapped_column(Date)
    closure_type: Mapped[str] = mapped_column(String(40))  # taxonomy closure_type code
    reason: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    goal_attainment: Mapped[str] = mapped_column(Text, default="")
    client_changes: Mapped[str] = mapped_column(Text, default="")
    unresolved: Mapped[str] = mapped_column(Text, default="")
    preparation: Mapped[str] = mapped_column(Text, default="")
    follow_up_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    client_feedback: Mapped[str] = mapped_column(Text, default="")
    worker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("referral")), default=None)
    approval_status: Mapped[ApprovalStatus] = mapped_column(EnumValue(ApprovalStatus), default=ApprovalStatus.PENDING)
    approval_by: Mapped[str] = mapped_column(String(60), default="")
    approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    approval_comment: Mapped[str] = mapped_column(Text, default="")

class Referral(Base, Synced):
    """转介 (out or in)."""

    __tablename__ = "referral"

    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("case_file")), default=None, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")))
    referred_on: Mapped[date] = mapped_column(Date, index=True)
    direction: Mapped[ReferralDirection] = mapped_column(EnumValue(ReferralDirection))
    from_party: Mapped[str] = mapped_column(String(200), default="")
    to_party: Mapped[str] = mapped_column(String(200), default="")
    to_contact: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    services_summary: Mapped[str] = mapped_column(Text, default="")
    disclosed_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    client_consented: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_basis: Mapped[LegalBasis] = mapped_column(EnumValue(LegalBasis), default=LegalBasis.SEPARATE_CONSENT)
    outcome: Mapped[ReferralOutcome] = mapped_column(EnumValue(ReferralOutcome), default=ReferralOutcome.PENDING)
    outcome_on: Mapped[date | None] = mapped_column(Date, default=None)
    follow_up: Mapped[str] = mapped_column(Text, default="")

class FollowUp(Base, Synced):
    """跟进记录 after closure."""

    __tablename__ = "follow_up"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    followed_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(40), default="")
    result: Mapped[str] = mapped_column(Text, default="")

class ChildProtectionReport(Base, Synced):
    """强制报告 (未成年人保护法 Art. 11): who was told of suspected harm, and when."""

    __tablename__ = "child_protection_report"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("case_file")), index=True)
    flagged_on: Mapped[date] = mapped_column(Date)
    concern: Mapped[str] = mapped_column(Text, default="")
    informed_party: Mapped[str] = mapped_column(String(100), default="")  # 公安/民政/教育...
    informed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    informed_by: Mapped[str] = mapped_column(String(60), default="")
