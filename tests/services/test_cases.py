"""Casework: intake to closure, approvals, the stage machine's refusals, to-dos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseSource,
    CaseStage,
    ContactMode,
    LegalBasis,
    ObjectiveStatus,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Role,
)
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import (
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
    ValidationErrors,
)
from wushe_desktop.services.cases import (
    AssessmentInput,
    CaseView,
    ClosureInput,
    EvaluationInput,
    IntakeInput,
    NeedInput,
    ObjectiveAttainment,
    ObjectiveInput,
    PlanInput,
    ReferralInput,
    ResourceInput,
    ServiceRecordInput,
    add_follow_up,
    add_service_record,
    decide_closure,
    decide_opening,
    decide_plan,
    delete_service_record,
    find_case_by_no,
    get_case,
    hand_over_cases,
    list_follow_ups,
    list_service_records,
    make_referral,
    move_stage,
    open_case,
    record_assessment,
    record_child_protection_report,
    record_evaluation,
    record_referral_outcome,
    reopen_case,
    resubmit_opening,
    save_plan,
    service_record_defaults,
    submit_closure,
    submit_plan,
    todo,
    update_intake,
    update_service_record,
)
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.numbers import highest_suffix, issue_number
from wushe_desktop.services.people import (
    ConsentInput,
    PersonInput,
    create_person,
    record_consent,
    update_person,
)
from wushe_desktop.storage.audit import verify_chain
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    AuditLog,
    FollowUp,
    NumberSequence,
    ResourceLink,
    Staff,
    TaxonomyItem,
)

S = CaseStage
A = ApprovalStatus
STATION = "150121101000"
TODAY = date(2026, 11, 25)
INTAKE_DAY = TODAY - timedelta(days=60)
HEAD = Actor("乌兰", Role.STATION_HEAD)
WORKER = Actor("李娜", Role.SOCIAL_WORKER)


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


def add_person(db: Database, name: str, birth: str, seq: str, **kw: object) -> UUID:
    data = PersonInput(name=name, id_number=make_id("150121", birth, seq), **kw)  # type: ignore[arg-type]
    return create_person(db, WORKER, data, today=TODAY).person.uuid


def add_staff(db: Database, name: str, *, active: bool = True) -> UUID:
    with transaction(db, HEAD) as s:
        staff = Staff(name=name, role=Role.SOCIAL_WORKER, active=active)
        s.add(staff)
        s.flush()
        return staff.uuid


def intake(db: Database, person_id: UUID, *, day: date = INTAKE_DAY, **kw: object) -> CaseView:
    fields: dict[str, object] = {"source": CaseSource.SELF, "service_area": "elderly",
                                 "presenting_problem": "独居，生活照料困难"}
    fields.update(kw)
    return open_case(db, WORKER, IntakeInput(person_id=person_id, intake_date=day, **fields),  # type: ignore[arg-type]
                     today=TODAY)


@dataclass
class Progress:
    plan_id: UUID | None = None
    objectives: tuple[UUID, ...] = ()


def advance(db: Database, case_id: UUID, target: CaseStage, *, records: tuple[date, ...] = (),
            review_on: date | None = None, risk: RiskLevel = RiskLevel.LOW) -> Progress:
    """Drive an intake along the main line up to ``target`` (ASSESSMENT … EVALUATION)."""
    decide_opening(db, HEAD, case_id, approve=True)
    move_stage(db, WORKER, case_id, S.ASSESSMENT)
    if target == S.ASSESSMENT:
        return Progress()
    record_assessment(db, WORKER, case_id, AssessmentInput(assessed_on=INTAKE_DAY + timedelta(days=2),
                                                           summary="需生活照料", risk_level=risk), today=TODAY)
    move_stage(db, WORKER, case_id, S.PLANNING)
    if target == S.PLANNING:
        return Progress()
    plan = save_plan(db, WORKER, case_id, PlanInput(
        made_on=INTAKE_DAY + timedelta(days=5), overall_aim="改善生活状况", review_on=review_on,
        objectives=(ObjectiveInput("保障基本生活"), ObjectiveInput("建立社会支持网络"))), today=TODAY)
    submit_plan(db, WORKER, plan.uuid)
    decide_plan(db, HEAD, plan.uuid, approve=True)
    move_stage(db, WORKER, case_id, S.INTERVENTION)
    progress = Progress(plan.uuid, tuple(o.uuid for o in plan.objectives))
    for day in records:
        add_service_record(db, WORKER, case_id, ServiceRecordInput(day, ContactMode.HOME_VISIT, "探访"),
                           today=TODAY)
    if target == S.INTERVENTION:
        return progress
    move_stage(db, WORKER, case_id, S.EVALUATION)
    record_evaluation(db, WORKER, case_id, EvaluationInput(
        evaluated_on=TODAY - timedelta(days=5),
        attainment=tuple(ObjectiveAttainment(o, Attainment.FULL) for o in progress.objectives)), today=TODAY)
    return progress


def closure(kind: str = "goals_achieved", referral_id: UUID | None = None,
            on: date = TODAY - timedelta(days=3)) -> ClosureInput:
    return ClosureInput(closed_on=on, closure_type=kind, reason="目标达成", summary="共服务多次",
                        referral_id=referral_id)


def code_of(info: pytest.ExceptionInfo[Exception]) -> str:
    return str(getattr(info.value, "code", ""))


@pytest.fixture
def wang(db: Database) -> UUID:
    return add_person(db, "王桂花", "19440312", "022", lives_alone=True, categories=("DB", "GL"))


# ---------------------------------------------------------------------------
# Scenario 3, end to end
# ---------------------------------------------------------------------------


def test_scenario_3_child_referred_to_closed_case(db: Database) -> None:
    granny = add_person(db, "其木格", "19560101", "024")
    child = add_person(db, "其其格", "20170605", "026", guardian_id=granny, guardian_relation="祖母")
    record_consent(db, WORKER, child, ConsentInput("个案服务", "其木格", INTAKE_DAY, signer_relation="祖母"),
                   today=TODAY)

    # Intake by referral: the referrer is required.
    with pytest.raises(ValidationError) as info:
        intake(db, child, source=CaseSource.REFERRAL, service_area="children")
    assert (code_of(info), info.value.field) == ("case.referrer_required", "referrer")
    case = intake(db, child, source=CaseSource.REFERRAL, referrer="什报气村村民委员会", service_area="children")
    assert case.case_no == f"{STATION}-2026-0001"
    assert (case.stage, case.opening_status, case.accepted) == (S.INTAKE, A.PENDING, True)

    # The station head approves the opening; the worker moves to assessment.
    decide_opening(db, HEAD, case.uuid, approve=True)
    move_stage(db, WORKER, case.uuid, S.ASSESSMENT)

    # Neglect raises the mandatory-report flag and asks who was informed.
    result = record_assessment(db, WORKER, case.uuid, AssessmentInput(
        assessed_on=INTAKE_DAY + timedelta(days=3), family="父母在呼和浩特务工，随祖母生活",
        needs=(NeedInput("学业辅导", "education", 1, True), NeedInput("情感陪伴")),
        summary="存在疏于照料迹象", risk_level=RiskLevel.HIGH, child_harm_suspected=True), today=TODAY)
    assert result.report_needed and result.case.child_protection_flag
    assert result.case.risk_level == RiskLevel.HIGH
    report = record_child_protection_report(db, WORKER, case.uuid, "毕克齐派出所",
                                            datetime(2026, 10, 1, 9, 30, tzinfo=UTC), "疑似疏于照料", today=TODAY)
    assert (report.informed_party, report.informed_by) == ("毕克齐派出所", "李娜")
    again = record_assessment(db, WORKER, case.uuid, AssessmentInput(
        assessed_on=INTAKE_DAY + timedelta(days=4), risk_level=RiskLevel.HIGH, child_harm_suspected=True),
        today=TODAY)
    assert not again.report_needed  # already reported

    # A plan with two objectives, submitted and approved.
    move_stage(db, WORKER, case.uuid, S.PLANNING)
    plan = save_plan(db, WORKER, case.uuid, PlanInput(
        made_on=INTAKE_DAY + timedelta(days=6), overall_aim="保障其其格的照料与学业",
        objectives=(ObjectiveInput("每周学业辅导", "每周1次"), ObjectiveInput("改善祖孙沟通")),
        models=("strengths",), client_agreed=True, client_agreed_on=INTAKE_DAY + timedelta(days=6)), today=TODAY)
    assert (plan.version, plan.approval_status, len(plan.objectives)) == (1, A.DRAFT, 2)
    assert submit_plan(db, WORKER, plan.uuid).approval_status == A.PENDING
    assert decide_plan(db, HEAD, plan.uuid, approve=True).approval_by == "乌兰"
    move_stage(db, WORKER, case.uuid, S.INTERVENTION)

    first, second = (o.uuid for o in plan.objectives)
    add_service_record(db, WORKER, case.uuid, ServiceRecordInput(
        INTAKE_DAY + timedelta(days=10), ContactMode.HOME_VISIT, "家访辅导作业", objective_id=first), today=TODAY)
    add_service_record(db, WORKER, case.uuid, ServiceRecordInput(
        INTAKE_DAY + timedelta(days=20), ContactMode.PHONE, "与父母通话", objective_id=second), today=TODAY)

    move_stage(db, WORKER, case.uuid, S.EVALUATION)
    record_evaluation(db, WORKER, case.uuid, EvaluationInput(
        evaluated_on=TODAY - timedelta(days=4), satisfaction=5,
        attainment=(ObjectiveAttainment(first, Attainment.FULL), ObjectiveAttainment(second, Attainment.FULL))),
        today=TODAY)

    # Closure: returned once with a comment, corrected, approved.
    submitted = submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    assert submitted.approval_status == A.PENDING
    returned = decide_closure(db, HEAD, submitted.uuid, approve=False, comment="请补充服务对象的改变")
    assert (returned.approval_status, returned.approval_comment, returned.case_stage) == (
        A.RETURNED, "请补充服务对象的改变", S.EVALUATION)
    assert get_case(db, WORKER, case.uuid).case.closed_on is None
    assert get_case(db, WORKER, case.uuid).missing_for_next == ("closure_approval",)
    shown = get_case(db, WORKER, case.uuid).closure  # the report sent back, for correcting
    assert shown is not None and (shown.reason, shown.summary, shown.follow_up_plan) == ("目标达成", "共服务多次", ())
    resubmitted = submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    approved = decide_closure(db, HEAD, resubmitted.uuid, approve=True)
    assert (approved.approval_status, approved.case_stage) == (A.APPROVED, S.CLOSED)

    detail = get_case(db, WORKER, case.uuid)
    assert detail.case.stage == S.CLOSED
    assert detail.case.closed_on == TODAY - timedelta(days=3)
    assert detail.case.person_name == "其其格"
    assert detail.missing_for_next == ()
    assert detail.service_record_count == 2 and detail.last_contact == INTAKE_DAY + timedelta(days=20)
    assert detail.current_plan is not None and detail.current_plan.version == 1
    assert [o.status for o in detail.current_plan.objectives] == [ObjectiveStatus.ACHIEVED] * 2
    assert detail.closure is not None and detail.closure.uuid == resubmitted.uuid
    assert detail.child_protection_reports == 1
    assert find_case_by_no(db, WORKER, case.case_no).uuid == case.uuid
    assert verify_chain(db).ok


# ---------------------------------------------------------------------------
# Intake rules
# ---------------------------------------------------------------------------


def test_child_under_14_needs_guardian_and_consent(db: Database) -> None:
    child = add_person(db, "其其格", "20170605", "026")
    with pytest.raises(ValidationError) as info:
        intake(db, child, service_area="children")
    assert code_of(info) == "case.child_needs_guardian_consent" and info.value.params["age"] == 9
    granny = add_person(db, "其木格", "19560101", "024")
    update_person(db, WORKER, child, PersonInput(name="其其格", id_number=make_id("150121", "20170605", "026"),
                                                 guardian_id=granny, guardian_relation="祖母"), today=TODAY)
    with pytest.raises(ValidationError) as info:  # a guardian but no consent yet
        intake(db, child, service_area="children")
    assert code_of(info) == "case.child_needs_guardian_consent"
    record_consent(db, WORKER, child, ConsentInput("个案服务", "其木格", INTAKE_DAY, signer_relation="祖母"),
                   today=TODAY)
    assert intake(db, child, service_area="children").stage == S.INTAKE
    # 14 and over: no guardian needed.
    teen = add_person(db, "巴特尔", "20100101", "011")
    assert intake(db, teen, service_area="children").stage == S.INTAKE


def test_not_accepted_intake_is_not_opened(db: Database, wang: UUID) -> None:
    with pytest.raises(ValidationError) as info:
        intake(db, wang, accepted=False)
    assert code_of(info) == "case.not_accepted_reason_required"
    case = intake(db, wang, accepted=False, not_accepted_reason="需求已由村委会解决")
    assert (case.stage, case.accepted, case.opening_status) == (S.NOT_OPENED, False, A.DRAFT)
    assert case.not_accepted_reason == "需求已由村委会解决"
    assert todo(db, HEAD, TODAY).openings_pending.total == 0
    with pytest.raises(StateError) as state:
        move_stage(db, WORKER, case.uuid, S.ASSESSMENT)
    assert code_of(state) == "case.stage.illegal"
    with pytest.raises(StateError) as state:
        decide_opening(db, HEAD, case.uuid, approve=True)
    assert code_of(state) == "approval.not_pending"
    # Declining later, from intake, also marks the case as never opened.
    other = intake(db, wang)
    with pytest.raises(ValidationError):
        move_stage(db, WORKER, other.uuid, S.NOT_OPENED)
    declined = move_stage(db, WORKER, other.uuid, S.NOT_OPENED, reason="服务对象拒绝服务")
    assert (declined.stage, declined.accepted, declined.opening_status) == (S.NOT_OPENED, False, A.DRAFT)


def test_intake_field_errors_are_reported_together(db: Database, wang: UUID) -> None:
    with pytest.raises(ValidationErrors) as info:
        intake(db, wang, day=TODAY + timedelta(days=1), source=CaseSource.REFERRAL, service_area="nonsense")
    assert {(e.code, e.field) for e in info.value.errors} == {
        ("date.future", "intake_date"), ("case.referrer_required", "referrer"),
        ("case.service_area_unknown", "service_area")}
    with pytest.raises(NotFoundError):
        intake(db, UUID(int=1))


def test_case_numbers_run_per_year_and_never_fall_behind(db: Database, wang: UUID) -> None:
    assert intake(db, wang).case_no == f"{STATION}-2026-0001"
    assert intake(db, wang).case_no == f"{STATION}-2026-0002"
    assert intake(db, wang, day=date(2025, 12, 30)).case_no == f"{STATION}-2025-0001"
    with transaction(db, HEAD) as s:  # a sequence row that fell behind (e.g. an old backup)
        row = s.get(NumberSequence, ("case", 2026))
        assert row is not None
        row.last = 0
    assert intake(db, wang).case_no == f"{STATION}-2026-0003"
    with transaction(db, HEAD) as s:
        assert [issue_number(s, "test", 0) for _ in range(3)] == [1, 2, 3]
        assert issue_number(s, "test", 0, floor=9) == 10
        for code in ("x-9999", "x-10000", "x-abc"):
            s.add(TaxonomyItem(kind="test", code=code, label=code))
        s.flush()
        assert highest_suffix(s, TaxonomyItem.code, "x-") == 10000


def test_returned_opening_is_corrected_and_resubmitted(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    with pytest.raises(ValidationError) as info:
        decide_opening(db, HEAD, case.uuid, approve=False, comment="  ")
    assert code_of(info) == "approval.comment_required"
    returned = decide_opening(db, HEAD, case.uuid, approve=False, comment="请补充转介人联系方式")
    assert (returned.opening_status, returned.opening_comment) == (A.RETURNED, "请补充转介人联系方式")
    with pytest.raises(StateError) as state:
        move_stage(db, WORKER, case.uuid, S.ASSESSMENT)
    assert code_of(state) == "case.stage.needs_opening_approval"
    fixed = update_intake(db, WORKER, case.uuid, IntakeInput(
        person_id=wang, intake_date=INTAKE_DAY, source=CaseSource.REFERRAL, service_area="elderly",
        referrer="什报气村村民委员会", referrer_contact="0471-1234567"), today=TODAY)
    assert fixed.source == CaseSource.REFERRAL and fixed.case_no == case.case_no
    assert get_case(db, WORKER, case.uuid).case.referrer_contact == "0471-1234567"
    assert resubmit_opening(db, WORKER, case.uuid).opening_status == A.PENDING
    assert decide_opening(db, HEAD, case.uuid, approve=True).opening_status == A.APPROVED
    with pytest.raises(StateError) as state:
        update_intake(db, WORKER, case.uuid, IntakeInput(
            person_id=wang, intake_date=INTAKE_DAY, source=CaseSource.SELF, service_area="elderly"), today=TODAY)
    assert code_of(state) == "case.intake_locked"


# ---------------------------------------------------------------------------
# The stage machine's refusals
# ---------------------------------------------------------------------------


def test_assessment_needs_approved_opening_and_no_stage_is_skipped(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    assessment = AssessmentInput(assessed_on=INTAKE_DAY + timedelta(days=1))
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.ASSESSMENT)
    assert code_of(info) == "case.stage.needs_opening_approval"
    with pytest.raises(StateError) as info:
        record_assessment(db, WORKER, case.uuid, assessment, today=TODAY)
    assert (code_of(info), info.value.params["stage"]) == ("case.stage.wrong_for_record", "intake")
    with pytest.raises(StateError) as info:
        add_service_record(db, WORKER, case.uuid, ServiceRecordInput(TODAY, ContactMode.PHONE), today=TODAY)
    assert code_of(info) == "case.not_opened_yet"
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.PLANNING)
    assert code_of(info) == "case.stage.illegal"
    decide_opening(db, HEAD, case.uuid, approve=True)
    move_stage(db, WORKER, case.uuid, S.ASSESSMENT)
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.PLANNING)
    assert code_of(info) == "case.stage.needs_assessment"
    with pytest.raises(StateError) as info:
        save_plan(db, WORKER, case.uuid, PlanInput(TODAY, "目标", (ObjectiveInput("一"),)), today=TODAY)
    assert code_of(info) == "case.stage.wrong_for_record"


def test_intervention_needs_an_approved_plan_and_plans_are_versioned(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    advance(db, case.uuid, S.PLANNING)
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.INTERVENTION)
    assert code_of(info) == "case.stage.needs_approved_plan"
    with pytest.raises(ValidationErrors) as errs:
        save_plan(db, WORKER, case.uuid, PlanInput(TODAY + timedelta(days=1), " ", (), models=("magic",)),
                  today=TODAY)
    assert {e.code for e in errs.value.errors} == {"date.future", "plan.aim_required", "plan.objectives_required",
                                                   "plan.model_unknown"}
    data = PlanInput(INTAKE_DAY + timedelta(days=5), "改善生活状况", (ObjectiveInput("保障基本生活"),))
    v1 = save_plan(db, WORKER, case.uuid, data, today=TODAY)
    submit_plan(db, WORKER, v1.uuid)
    with pytest.raises(StateError) as info:  # skipping the approval
        move_stage(db, WORKER, case.uuid, S.INTERVENTION)
    assert code_of(info) == "case.stage.needs_approved_plan"
    with pytest.raises(StateError) as info:
        save_plan(db, WORKER, case.uuid, data, today=TODAY)
    assert code_of(info) == "plan.pending_approval"
    decide_plan(db, HEAD, v1.uuid, approve=False, comment="目标需可测量")
    v2 = save_plan(db, WORKER, case.uuid, PlanInput(data.made_on, data.overall_aim,
                                                    (ObjectiveInput("每月探访2次", "探访次数"),)), today=TODAY)
    assert (v2.version, v2.approval_status) == (2, A.DRAFT)
    with pytest.raises(StateError) as info:
        submit_plan(db, WORKER, v1.uuid)
    assert code_of(info) == "plan.not_latest"
    submit_plan(db, WORKER, v2.uuid)
    decide_plan(db, HEAD, v2.uuid, approve=True)
    with pytest.raises(StateError) as info:
        decide_plan(db, HEAD, v2.uuid, approve=True)
    assert code_of(info) == "approval.not_pending"
    assert move_stage(db, WORKER, case.uuid, S.INTERVENTION).stage == S.INTERVENTION
    detail = get_case(db, WORKER, case.uuid)
    assert detail.latest_plan is not None and detail.latest_plan.version == 2
    assert detail.current_plan is not None and detail.current_plan.uuid == v2.uuid


def test_closing_needs_evaluation_and_an_approved_closure(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    progress = advance(db, case.uuid, S.INTERVENTION)
    with pytest.raises(StateError) as info:
        submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    assert code_of(info) == "case.stage.wrong_for_record"
    move_stage(db, WORKER, case.uuid, S.EVALUATION)
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.CLOSED)
    assert code_of(info) == "case.stage.needs_evaluation"
    with pytest.raises(StateError) as info:
        submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    assert code_of(info) == "case.stage.needs_evaluation"
    record_evaluation(db, WORKER, case.uuid, EvaluationInput(
        TODAY - timedelta(days=5), attainment=(ObjectiveAttainment(progress.objectives[0], Attainment.PARTIAL),)),
        today=TODAY)
    assert get_case(db, WORKER, case.uuid).missing_for_next == ("closure",)
    with pytest.raises(StateError) as info:  # closing without a closure record
        move_stage(db, WORKER, case.uuid, S.CLOSED)
    assert code_of(info) == "case.stage.needs_approved_closure"
    with pytest.raises(ValidationErrors) as errs:
        submit_closure(db, WORKER, case.uuid, closure("no_such_type", on=INTAKE_DAY - timedelta(days=1)),
                       today=TODAY)
    assert {(e.code, e.field) for e in errs.value.errors} == {("date.order", "closed_on"),
                                                              ("closure.type_unknown", "closure_type")}
    pending = submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    with pytest.raises(StateError) as info:  # pending is not approved
        move_stage(db, WORKER, case.uuid, S.CLOSED)
    assert code_of(info) == "case.stage.needs_approved_closure"
    with pytest.raises(StateError) as info:
        submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    assert code_of(info) == "closure.already_pending"
    assert decide_closure(db, HEAD, pending.uuid, approve=True).case_stage == S.CLOSED
    with pytest.raises(StateError) as info:
        decide_closure(db, HEAD, pending.uuid, approve=False, comment="再看看")
    assert code_of(info) == "approval.not_pending"


def test_closed_case_refuses_records_until_reopened(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    advance(db, case.uuid, S.EVALUATION, records=(INTAKE_DAY + timedelta(days=10),))
    first_closure = submit_closure(db, WORKER, case.uuid, closure(), today=TODAY)
    decide_closure(db, HEAD, first_closure.uuid, approve=True)
    record = list_service_records(db, WORKER, case.uuid)[0]
    new = ServiceRecordInput(TODAY, ContactMode.PHONE, "回访")
    with pytest.raises(StateError) as info:
        add_service_record(db, WORKER, case.uuid, new, today=TODAY)
    assert (code_of(info), info.value.params["stage"]) == ("case.closed", "closed")
    with pytest.raises(StateError) as info:
        update_service_record(db, WORKER, record.uuid, new, today=TODAY)
    assert code_of(info) == "case.closed"
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.INTERVENTION)
    assert code_of(info) == "case.stage.use_reopen"

    # Follow-up after closure, then reopen with a reason.
    with pytest.raises(ValidationError) as dates:
        add_follow_up(db, WORKER, case.uuid, TODAY - timedelta(days=10), "电话", today=TODAY)
    assert (code_of(dates), dates.value.params["earlier_field"]) == ("date.order", "closed_on")
    add_follow_up(db, WORKER, case.uuid, TODAY, "电话", "情况稳定", today=TODAY)
    with pytest.raises(ValidationError) as reason:
        reopen_case(db, WORKER, case.uuid, " ", today=TODAY)
    assert code_of(reason) == "case.reopen_reason_required"
    reopened = reopen_case(db, WORKER, case.uuid, "老人摔伤，需重新介入", today=TODAY)
    assert (reopened.stage, reopened.closed_on) == (S.INTERVENTION, None)
    with db.read_sessions() as s:
        reasons = s.scalars(select(FollowUp.result).where(FollowUp.case_id == case.uuid,
                                                          FollowUp.method == "reopen")).all()
        assert reasons == ["老人摔伤，需重新介入"]
        audit = s.scalars(select(AuditLog).where(AuditLog.entity_uuid == str(case.uuid))
                          .order_by(AuditLog.seq.desc()).limit(1)).one()
        assert audit.action == "update" and {"stage", "closed_on"} <= set(audit.details["fields"])
    assert get_case(db, WORKER, case.uuid).closure is None
    assert [(f.followed_on, f.method, f.result, f.reopened) for f in list_follow_ups(db, WORKER, case.uuid)] == [
        (TODAY, "电话", "情况稳定", False), (TODAY, "", "老人摔伤，需重新介入", True)]
    assert add_service_record(db, WORKER, case.uuid, new, today=TODAY).seq == 2

    # Closing again needs a fresh evaluation and a new approved closure.
    move_stage(db, WORKER, case.uuid, S.EVALUATION)
    with pytest.raises(StateError) as info:
        submit_closure(db, WORKER, case.uuid, closure(on=TODAY), today=TODAY)
    assert code_of(info) == "case.stage.needs_evaluation"
    record_evaluation(db, WORKER, case.uuid, EvaluationInput(TODAY), today=TODAY)
    second = submit_closure(db, WORKER, case.uuid, closure(on=TODAY), today=TODAY)
    decide_closure(db, HEAD, second.uuid, approve=True)
    assert get_case(db, WORKER, case.uuid).case.closed_on == TODAY


def test_referral_closure_ends_referred(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    advance(db, case.uuid, S.EVALUATION)
    out = ReferralInput(ReferralDirection.OUT, wang, TODAY - timedelta(days=4), to_party="土默特左旗残疾人联合会",
                        reason="需专业康复服务", disclosed_items=("姓名", "联系方式"), case_id=case.uuid)
    with pytest.raises(ValidationError) as info:
        make_referral(db, WORKER, out, today=TODAY)
    assert code_of(info) == "referral.needs_consent"
    statutory = make_referral(db, WORKER, ReferralInput(
        ReferralDirection.OUT, wang, TODAY - timedelta(days=4), to_party="毕克齐派出所",
        legal_basis=LegalBasis.STATUTORY_DUTY, case_id=case.uuid), today=TODAY)
    assert not statutory.client_consented
    inward = make_referral(db, WORKER, ReferralInput(ReferralDirection.IN, wang, TODAY - timedelta(days=4),
                                                     from_party="镇卫生院", case_id=case.uuid), today=TODAY)
    referral = make_referral(db, WORKER, ReferralInput(
        out.direction, out.person_id, out.referred_on, to_party=out.to_party, reason=out.reason,
        disclosed_items=out.disclosed_items, client_consented=True, case_id=case.uuid), today=TODAY)
    assert referral.from_party == "毕克齐镇社工站"

    with pytest.raises(ValidationError) as info:
        submit_closure(db, WORKER, case.uuid, closure("referred"), today=TODAY)
    assert code_of(info) == "closure.needs_referral"
    with pytest.raises(ValidationError) as info:
        submit_closure(db, WORKER, case.uuid, closure("referred", inward.uuid), today=TODAY)
    assert code_of(info) == "closure.referral_not_of_case"
    submitted = submit_closure(db, WORKER, case.uuid, closure("referred", referral.uuid), today=TODAY)
    approved = decide_closure(db, HEAD, submitted.uuid, approve=True)
    assert approved.case_stage == S.REFERRED
    assert get_case(db, WORKER, case.uuid).case.closed_on == TODAY - timedelta(days=3)
    outcome = record_referral_outcome(db, WORKER, referral.uuid, ReferralOutcome.ACCEPTED, TODAY, today=TODAY)
    assert (outcome.outcome, outcome.outcome_on) == (ReferralOutcome.ACCEPTED, TODAY)


def test_suspend_and_resume_return_to_the_stage_left(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    advance(db, case.uuid, S.INTERVENTION)
    suspended = move_stage(db, WORKER, case.uuid, S.SUSPENDED)
    assert suspended.stage_before_suspension == S.INTERVENTION
    with pytest.raises(StateError) as info:
        add_service_record(db, WORKER, case.uuid, ServiceRecordInput(TODAY, ContactMode.PHONE), today=TODAY)
    assert code_of(info) == "case.suspended"
    with pytest.raises(StateError) as info:
        move_stage(db, WORKER, case.uuid, S.PLANNING)
    assert code_of(info) == "case.stage.illegal"
    resumed = move_stage(db, WORKER, case.uuid, S.INTERVENTION)
    assert (resumed.stage, resumed.stage_before_suspension) == (S.INTERVENTION, None)


# ---------------------------------------------------------------------------
# Service records (scenario 2)
# ---------------------------------------------------------------------------


def test_home_visit_defaults_resources_and_record_numbers(db: Database, wang: UUID) -> None:
    li_na = add_staff(db, "李娜")
    worker = Actor("李娜", Role.SOCIAL_WORKER, staff_id=li_na)
    case = intake(db, wang, worker_id=li_na)
    progress = advance(db, case.uuid, S.INTERVENTION)
    defaults = service_record_defaults(db, worker, case.uuid, today=TODAY)
    assert (defaults.service_date, defaults.worker_id, defaults.mode, defaults.next_seq) == (
        TODAY, li_na, ContactMode.HOME_VISIT, 1)
    assert (defaults.objective_id, defaults.objective_text) == (progress.objectives[0], "保障基本生活")

    parcel = ResourceInput("goods", "慈善超市", "食品包", 20000)
    data = ServiceRecordInput(defaults.service_date, defaults.mode, "送食品包，了解近况",
                              objective_id=defaults.objective_id, worker_id=defaults.worker_id,
                              start_time=time(9, 30), end_time=time(10, 15), resources=(parcel,))
    record = add_service_record(db, worker, case.uuid, data, today=TODAY)
    assert (record.seq, record.duration_min) == (1, 45)
    assert [(r.kind, r.value_fen) for r in record.resources] == [("goods", 20000)]

    # Unchanged resources are left alone on edit; the number is never reused after a delete.
    edited = update_service_record(db, worker, record.uuid, ServiceRecordInput(
        data.service_date, data.mode, "送食品包，老人精神好", objective_id=data.objective_id, resources=(parcel,)),
        today=TODAY)
    assert edited.content == "送食品包，老人精神好" and edited.resources[0].uuid == record.resources[0].uuid
    delete_service_record(db, worker, record.uuid)
    assert list_service_records(db, worker, case.uuid) == []
    with db.read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(ResourceLink)
                        .where(ResourceLink.deleted_at.is_(None))) == 0
    again = add_service_record(db, worker, case.uuid, ServiceRecordInput(TODAY, ContactMode.PHONE), today=TODAY)
    assert again.seq == 2


def test_service_record_dates_objectives_and_resources_are_checked(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    advance(db, case.uuid, S.INTERVENTION)
    with pytest.raises(ValidationError) as info:
        add_service_record(db, WORKER, case.uuid, ServiceRecordInput(TODAY + timedelta(days=1), ContactMode.PHONE),
                           today=TODAY)
    assert (code_of(info), info.value.field) == ("date.future", "service_date")
    with pytest.raises(ValidationError) as info:  # before the intake
        add_service_record(db, WORKER, case.uuid, ServiceRecordInput(INTAKE_DAY - timedelta(days=1),
                                                                     ContactMode.PHONE), today=TODAY)
    assert (code_of(info), info.value.params["earlier_field"]) == ("date.order", "intake_date")
    other = intake(db, add_person(db, "乌云", "19500505", "013"))
    foreign = advance(db, other.uuid, S.INTERVENTION).objectives[0]
    with pytest.raises(ValidationErrors) as errs:
        add_service_record(db, WORKER, case.uuid, ServiceRecordInput(
            TODAY, ContactMode.RESOURCE_LINKING, objective_id=foreign, start_time=time(10), end_time=time(9),
            resources=(ResourceInput("gold", value_fen=-1), ResourceInput("funds", donation_id=UUID(int=7)))),
            today=TODAY)
    assert {(e.code, e.field) for e in errs.value.errors} == {
        ("service_record.objective_not_in_case", "objective_id"), ("time.order", "end_time"),
        ("resource.kind_unknown", "resources"), ("resource.value_negative", "resources"),
        ("resource.donation_not_found", "resources")}
    assert list_service_records(db, WORKER, case.uuid) == []


# ---------------------------------------------------------------------------
# Permissions, audit, hand-over, to-dos
# ---------------------------------------------------------------------------


def test_social_worker_cannot_approve(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    with pytest.raises(PermissionDenied) as info:
        decide_opening(db, WORKER, case.uuid, approve=True)
    assert code_of(info) == "permission.approve"
    with pytest.raises(PermissionDenied):  # the permission is checked before the comment
        decide_opening(db, WORKER, case.uuid, approve=False)
    assert get_case(db, WORKER, case.uuid).case.opening_status == A.PENDING
    advance(db, case.uuid, S.PLANNING)
    plan = save_plan(db, WORKER, case.uuid, PlanInput(TODAY, "目标", (ObjectiveInput("一"),)), today=TODAY)
    submit_plan(db, WORKER, plan.uuid)
    with pytest.raises(PermissionDenied):
        decide_plan(db, WORKER, plan.uuid, approve=True)
    with pytest.raises(PermissionDenied):
        hand_over_cases(db, WORKER, UUID(int=1), UUID(int=2))
    with pytest.raises(PermissionDenied):
        decide_closure(db, WORKER, UUID(int=3), approve=True)
    assert get_case(db, HEAD, case.uuid).latest_plan.approval_status == A.PENDING  # type: ignore[union-attr]


def test_approvals_leave_audit_rows_under_the_approver(db: Database, wang: UUID) -> None:
    case = intake(db, wang)
    decide_opening(db, HEAD, case.uuid, approve=False, comment="补充材料")
    resubmit_opening(db, WORKER, case.uuid)
    decide_opening(db, HEAD, case.uuid, approve=True)
    with db.read_sessions() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.entity == "case_file",
                                                AuditLog.entity_uuid == str(case.uuid)).order_by(AuditLog.seq)).all()
    decisions = [r for r in rows if r.actor == "乌兰"]
    assert [r.action for r in decisions] == ["update", "return", "update", "approve"]
    assert all(r.role == "station_head" for r in decisions)
    updates = [r for r in decisions if r.action == "update"]
    assert [set(r.details["fields"]) & {"opening_status", "opening_at", "opening_comment"} for r in updates] == [
        {"opening_status", "opening_at", "opening_comment"}] * 2
    assert all("补充材料" not in str(r.details) for r in rows)  # field names, never values
    assert verify_chain(db).ok


def test_hand_over_moves_only_unfinished_cases(db: Database, wang: UUID) -> None:
    leaving, taking, gone = add_staff(db, "张伟"), add_staff(db, "萨仁"), add_staff(db, "离职者", active=False)
    open_one = intake(db, wang, worker_id=leaving)
    declined = intake(db, wang, worker_id=leaving, accepted=False, not_accepted_reason="不符合条件")
    with pytest.raises(ValidationError) as info:
        hand_over_cases(db, HEAD, leaving, gone)
    assert code_of(info) == "staff.inactive"
    with pytest.raises(ValidationError) as info:
        hand_over_cases(db, HEAD, leaving, leaving)
    assert code_of(info) == "handover.same_staff"
    assert hand_over_cases(db, HEAD, leaving, taking) == 1
    assert get_case(db, HEAD, open_one.uuid).case.worker_id == taking
    assert get_case(db, HEAD, declined.uuid).case.worker_id == leaving
    with db.read_sessions() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "handover")).one()
        assert row.details == {"to_staff": str(taking), "cases": 1} and row.actor == "乌兰"


def test_todo_lists_the_right_cases(db: Database, wang: UUID) -> None:
    def day(n: int) -> date:
        return TODAY - timedelta(days=n)

    stale = intake(db, wang, risk_level=RiskLevel.HIGH)  # last contact 40 days ago, review date passed
    advance(db, stale.uuid, S.INTERVENTION, records=(day(50), day(40)), review_on=day(1), risk=RiskLevel.HIGH)
    recent = intake(db, wang)  # seen 10 days ago; plan without review date, made 55 days ago
    advance(db, recent.uuid, S.INTERVENTION, records=(day(10),))
    silent = intake(db, wang)  # assessment, never seen since intake (60 days)
    advance(db, silent.uuid, S.ASSESSMENT)
    waiting = intake(db, wang, day=day(2))  # opening pending
    planning = intake(db, wang)
    advance(db, planning.uuid, S.PLANNING)
    plan = save_plan(db, WORKER, planning.uuid, PlanInput(day(3), "目标", (ObjectiveInput("一"),)), today=TODAY)
    submit_plan(db, WORKER, plan.uuid)
    closing = intake(db, wang)
    advance(db, closing.uuid, S.EVALUATION, records=(day(20),))
    pending = submit_closure(db, WORKER, closing.uuid, closure(), today=TODAY)

    lists = todo(db, HEAD, TODAY, no_contact_days=30, plan_review_days=50)
    assert [(i.case_id, i.on) for i in lists.no_contact.items] == [
        (silent.uuid, INTAKE_DAY), (planning.uuid, INTAKE_DAY), (stale.uuid, day(40))]
    assert lists.no_contact.total == 3
    assert [(i.case_id, i.record_id) for i in lists.closures_pending.items] == [(closing.uuid, pending.uuid)]
    assert [(i.case_id, i.on) for i in lists.openings_pending.items] == [(waiting.uuid, day(2))]
    assert [(i.case_id, i.record_id) for i in lists.plans_pending.items] == [(planning.uuid, plan.uuid)]
    assert [(i.case_id, i.on) for i in lists.plan_reviews_due.items] == [
        (recent.uuid, INTAKE_DAY + timedelta(days=5 + 50)), (stale.uuid, day(1))]
    assert lists.no_contact.items[0].person_name == "王桂花"

    # Filters and the later review interval of the settings' default.
    high = todo(db, HEAD, TODAY, risk_level=RiskLevel.HIGH)
    assert [i.case_id for i in high.no_contact.items] == [stale.uuid]
    assert [i.case_id for i in todo(db, HEAD, TODAY).plan_reviews_due.items] == [stale.uuid]
    assert todo(db, HEAD, TODAY, limit=1).no_contact.total == 3
    assert len(todo(db, HEAD, TODAY, limit=1).no_contact.items) == 1
    # A new contact takes the case off the list.
    add_service_record(db, WORKER, stale.uuid, ServiceRecordInput(TODAY, ContactMode.PHONE), today=TODAY)
    assert stale.uuid not in {i.case_id for i in todo(db, HEAD, TODAY).no_contact.items}


def test_missing_case_and_record_are_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError) as info:
        get_case(db, WORKER, UUID(int=5))
    assert code_of(info) == "case.not_found"
    with pytest.raises(NotFoundError):
        find_case_by_no(db, WORKER, f"{STATION}-2026-9999")
    with pytest.raises(NotFoundError) as info:
        delete_service_record(db, WORKER, UUID(int=6))
    assert code_of(info) == "service_record.not_found"
