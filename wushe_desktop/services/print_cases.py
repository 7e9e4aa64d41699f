"""Print data of casework: a case's documents as the frozen forms the templates take.

Each builder reads through :class:`~wushe_desktop.services.print_common.Sources` (one
read session per print) and returns a dataclass of :mod:`wushe_desktop.printing.data`.
Labels are resolved here; ID and phone numbers stay raw (the templates mask them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseStage,
    LinkageParty,
    ReferralDirection,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import NotFoundError
from wushe_desktop.printing.data import (
    AssessmentForm,
    CaseFile,
    ClosureForm,
    ConsentForm,
    EvaluationForm,
    FollowUp,
    HouseholdMember,
    IntakeForm,
    LinkedResource,
    NeedItem,
    ObjectiveResult,
    PersonBlock,
    PlanAction,
    PlanForm,
    PlanObjective,
    PlanPartner,
    ReferralForm,
    RelatedPerson,
    ScaleScore,
    ServiceRecordForm,
)
from wushe_desktop.services.print_common import Sources, age_at, disability_text, parse_iso_date
from wushe_desktop.services.print_labels import RESOURCE_KIND_LABELS, enum_label
from wushe_desktop.storage import models as m

__all__ = [
    "CHILD_AGE",
    "assessment_forms",
    "case_by_no",
    "case_file",
    "client_name",
    "closure_form",
    "consent_form",
    "evaluation_forms",
    "intake_form",
    "person_block",
    "plan_forms",
    "record_count",
    "record_forms",
    "recorded_consent_form",
    "referral_forms",
]

#: Under this age a client's personal information is sensitive as a whole (PIPL Art. 28, 31).
CHILD_AGE = 14
#: What the station records of a client when no consent row lists the items.
DEFAULT_PI_ITEMS = ("姓名", "性别", "出生日期", "证件号码", "联系电话", "现居住地", "家庭情况")
#: Items that are sensitive personal information (PIPL Art. 28) when a consent lists them.
SENSITIVE_WORDS = ("健康", "医疗", "残疾", "病", "宗教", "行踪", "金融", "账户", "生物识别", "犯罪")
#: Words in a referral's disclosed items that mean the ID number went along.
ID_ITEM_WORDS = ("证件", "身份证")
#: ``FollowUp.method`` of a reopening's record (services.cases.REOPEN_METHOD): not a follow-up.
REOPEN_METHOD = "reopen"


def case_by_no(src: Sources, case_no: str) -> m.Case:
    """This station's live case with that number.

    Raises:
        NotFoundError: ``case.not_found`` (field ``case_no``).
    """
    case = src.session.scalars(select(m.Case).where(
        m.Case.case_no == case_no.strip(), m.Case.deleted_at.is_(None))).first()
    if case is None:
        raise NotFoundError("case.not_found", field="case_no")
    return case


def _person(src: Sources, person_id: UUID | None) -> m.Person | None:
    return src.session.get(m.Person, person_id) if person_id is not None else None


def _client(src: Sources, case: m.Case) -> m.Person:
    person = _person(src, case.person_id)
    if person is None:
        raise NotFoundError("person.not_found", field="person_id")
    return person


def _guardian(src: Sources, person: m.Person) -> RelatedPerson | None:
    guardian = _person(src, person.guardian_id)
    if guardian is None:
        return None
    return RelatedPerson(name=guardian.name, relation=person.guardian_relation or "监护人",
                         phone=guardian.phone or None, id_number=guardian.id_number)


def person_block(src: Sources, person: m.Person, on: date) -> PersonBlock:
    """The client's basic information as of a form's date."""
    categories = src.session.scalars(
        select(m.PersonStatus.category).where(
            m.PersonStatus.person_id == person.uuid, m.PersonStatus.deleted_at.is_(None),
            (m.PersonStatus.valid_to.is_(None)) | (m.PersonStatus.valid_to >= on))
        .order_by(m.PersonStatus.valid_from, m.PersonStatus.created_at)).all()
    household = src.session.scalars(select(m.HouseholdMember).where(
        m.HouseholdMember.person_id == person.uuid, m.HouseholdMember.deleted_at.is_(None))
        .order_by(m.HouseholdMember.created_at)).all()
    emergency = (RelatedPerson(name=person.emergency_name, relation=person.emergency_relation,
                               phone=person.emergency_phone or None)
                 if person.emergency_name else None)
    return PersonBlock(
        name=person.name,
        sex=enum_label(person.sex),
        ethnicity=src.taxonomies.label(TaxonomyKind.ETHNICITY, person.ethnicity),
        birth_date=person.birth_date,
        age=age_at(person.birth_date, on),
        id_type=enum_label(person.id_type),
        id_number=person.id_number,
        phones=tuple(p for p in (person.phone, person.phone2) if p),
        address=src.address(person),
        hukou_address=person.hukou_address,
        categories=src.taxonomies.labels(TaxonomyKind.PERSON_CATEGORY, dict.fromkeys(categories)),
        health=person.health,
        disability=disability_text(person, reveal=src.reveal),
        marital_status=person.marital_status,
        education=person.education,
        employment=person.employment,
        guardian=_guardian(src, person),
        emergency_contact=emergency,
        household=tuple(
            HouseholdMember(name=h.name, relation=h.relation,
                            age=on.year - h.birth_year if h.birth_year else None,
                            occupation=h.occupation, health=h.health, lives_with=h.co_resident,
                            phone=h.phone or None)
            for h in household),
    )


def _consent_row(src: Sources, case: m.Case) -> m.Consent | None:
    """The case's newest consent still in force, else the client's own general one."""
    rows = src.session.scalars(select(m.Consent).where(
        m.Consent.person_id == case.person_id, m.Consent.deleted_at.is_(None),
        m.Consent.withdrawn_on.is_(None),
        (m.Consent.case_id == case.uuid) | (m.Consent.case_id.is_(None)))
        .order_by(m.Consent.signed_on.desc(), m.Consent.row_version.desc())).all()
    return next((c for c in rows if c.case_id == case.uuid), rows[0] if rows else None)


def intake_form(src: Sources, case: m.Case) -> IntakeForm:
    """个案接案登记表 of a case."""
    person = _client(src, case)
    consent = _consent_row(src, case)
    if case.stage == CaseStage.NOT_OPENED or not case.accepted:
        accepted: bool | None = False
    elif case.opening_status == ApprovalStatus.APPROVED:
        accepted = True
    else:
        accepted = None
    approved = case.opening_status == ApprovalStatus.APPROVED
    referrer = "  ".join(p for p in (case.referrer, case.referrer_contact) if p)
    return IntakeForm(
        case_no=case.case_no,
        intake_date=case.intake_date,
        client=person_block(src, person, case.intake_date),
        source=enum_label(case.source),
        referrer=referrer,
        service_area=src.taxonomies.label(TaxonomyKind.SERVICE_AREA, case.service_area),
        presenting_problem=case.presenting_problem,
        initial_impression=case.initial_impression,
        risk_level=enum_label(case.risk_level),
        crisis=case.crisis,
        willingness=enum_label(case.willingness),
        accepted=accepted,
        not_accepted_reason=case.not_accepted_reason,
        consent_signed=consent is not None,
        consent_date=consent.signed_on if consent is not None else None,
        consent_signer=consent.signer_name if consent is not None else "",
        consent_relation=consent.signer_relation if consent is not None else "",
        worker=src.staff_name(case.worker_id),
        approver=case.opening_by if approved else "",
        approved_on=src.local_date(case.opening_at) if approved else None,
    )


def consent_form(src: Sources, case: m.Case) -> ConsentForm:
    """知情同意书 of a case: the recorded consent, or a form to be signed (date left blank)."""
    return _consent(src, case, _consent_row(src, case))


def recorded_consent_form(src: Sources, case: m.Case) -> ConsentForm | None:
    """知情同意书 of a case as recorded, or None when no consent is on file (the case file)."""
    consent = _consent_row(src, case)
    return _consent(src, case, consent) if consent is not None else None


def _consent(src: Sources, case: m.Case, consent: m.Consent | None) -> ConsentForm:
    person = _client(src, case)
    age = age_at(person.birth_date, src.today)
    items = tuple(consent.scope) if consent is not None and consent.scope else DEFAULT_PI_ITEMS
    sensitive = [i for i in items if any(word in i for word in SENSITIVE_WORDS)]
    if consent is None and person.health:
        sensitive.append("健康状况")
    if age is not None and age < CHILD_AGE:
        sensitive.append("不满十四周岁未成年人的个人信息")
    guardian = _guardian(src, person)
    if guardian is None and consent is not None and consent.signer_relation not in ("", "本人"):
        guardian = RelatedPerson(name=consent.signer_name, relation=consent.signer_relation)
    area = src.taxonomies.label(TaxonomyKind.SERVICE_AREA, case.service_area)
    return ConsentForm(
        case_no=case.case_no,
        client_name=person.name,
        guardian=guardian,
        services=f"个案服务（{area}）" if area else "个案服务",
        purposes=(consent.purpose,) if consent is not None and consent.purpose else (),
        pi_items=items,
        sensitive_items=tuple(dict.fromkeys(sensitive)),
        station_contact=src.station_contact(),
        worker=src.staff_name(case.worker_id),
        signed_on=consent.signed_on if consent is not None else None,
        text_version=f"第{consent.notice_version}版" if consent is not None and consent.notice_version else "",
    )


def client_name(src: Sources, case: m.Case) -> str:
    """The name of the case's client."""
    return _client(src, case).name


def record_count(src: Sources, case: m.Case) -> int:
    """How many live service records the case has."""
    return int(src.session.scalar(select(func.count()).select_from(m.ServiceRecord).where(
        m.ServiceRecord.case_id == case.uuid, m.ServiceRecord.deleted_at.is_(None))) or 0)


def assessment_forms(src: Sources, case: m.Case, client_name: str) -> tuple[AssessmentForm, ...]:
    """The case's needs assessments, oldest first."""
    rows = src.session.scalars(select(m.Assessment).where(
        m.Assessment.case_id == case.uuid, m.Assessment.deleted_at.is_(None))
        .order_by(m.Assessment.assessed_on, m.Assessment.row_version)).all()
    return tuple(
        AssessmentForm(
            case_no=case.case_no, client_name=client_name, assessed_on=a.assessed_on,
            methods=tuple(a.methods), sources=a.sources, physical_health=a.physical_health,
            psychological=a.psychological, family=a.family, economic=a.economic, housing=a.housing,
            social_support=a.social_support, education_employment=a.education_employment,
            rights_legal=a.rights_legal, strengths=a.strengths,
            needs=tuple(NeedItem(need=str(n.get("need", "")), domain=str(n.get("domain") or ""),
                                 priority=_int(n.get("priority")), agreed=bool(n.get("agreed", True)))
                        for n in a.needs),
            scales=tuple(ScaleScore(scale=str(sc.get("scale_name", "")), score=str(sc.get("score", "")),
                                    scored_on=parse_iso_date(sc.get("date")))
                         for sc in a.scales),
            summary=a.summary, assessor=src.staff_name(a.assessor_id) or src.staff_name(case.worker_id),
            supervisor_comment=a.supervisor_comment,
        )
        for a in rows)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _objectives(src: Sources, plan_ids: Sequence[UUID]) -> dict[UUID, list[m.PlanObjective]]:
    found: dict[UUID, list[m.PlanObjective]] = {}
    if plan_ids:
        for o in src.session.scalars(select(m.PlanObjective).where(
                m.PlanObjective.plan_id.in_(list(plan_ids)), m.PlanObjective.deleted_at.is_(None))
                .order_by(m.PlanObjective.seq)):
            found.setdefault(o.plan_id, []).append(o)
    return found


def _objective_texts(src: Sources, case: m.Case) -> dict[UUID, str]:
    """Every objective of every plan version of the case, by uuid."""
    rows = src.session.execute(
        select(m.PlanObjective.uuid, m.PlanObjective.text)
        .join(m.ServicePlan, m.ServicePlan.uuid == m.PlanObjective.plan_id)
        .where(m.ServicePlan.case_id == case.uuid)).all()
    return {row[0]: str(row[1]) for row in rows}


def plan_forms(src: Sources, case: m.Case, client_name: str) -> tuple[PlanForm, ...]:
    """The case's service plan versions, oldest first."""
    plans = src.session.scalars(select(m.ServicePlan).where(
        m.ServicePlan.case_id == case.uuid, m.ServicePlan.deleted_at.is_(None))
        .order_by(m.ServicePlan.version)).all()
    objectives = _objectives(src, [p.uuid for p in plans])
    worker = src.staff_name(case.worker_id)
    forms = []
    for p in plans:
        approved = p.approval_status == ApprovalStatus.APPROVED
        forms.append(PlanForm(
            case_no=case.case_no, client_name=client_name, drawn_up_on=p.made_on, revision=p.version,
            overall_aim=p.overall_aim,
            objectives=tuple(PlanObjective(objective=o.text, indicator=o.indicator, target_date=o.target_date,
                                           status=enum_label(o.status))
                             for o in objectives.get(p.uuid, [])),
            focus=p.focus,
            models=src.taxonomies.labels(TaxonomyKind.INTERVENTION_MODEL, p.models),
            actions=tuple(_action(a) for a in p.strategies),
            partners=tuple(_partner(a) for a in p.partners),
            duration=p.expected_duration, frequency=p.frequency, client_agreed=p.client_agreed,
            client_agreed_on=p.client_agreed_on, worker=worker,
            approver=p.approval_by if approved else "",
            approved_on=src.local_date(p.approval_at) if approved else None,
            approval_comment=p.approval_comment,
        ))
    return tuple(forms)


def _action(raw: dict[str, Any]) -> PlanAction:
    planned = parse_iso_date(raw.get("planned_on"))
    when = f"{planned.year}年{planned.month}月{planned.day}日" if planned else ""
    return PlanAction(action=str(raw.get("action", "")), responsible=str(raw.get("responsible") or ""),
                      when=when, frequency=str(raw.get("frequency") or ""))


def _partner(raw: dict[str, Any]) -> PlanPartner:
    linkage = raw.get("linkage")
    party = enum_label(LinkageParty(linkage)) if linkage in set(LinkageParty) else ""
    return PlanPartner(name=str(raw.get("party", "")), resource=str(raw.get("resource_type") or ""),
                       party=party, expected=str(raw.get("expected_value") or ""))


def record_forms(src: Sources, case: m.Case, client_name: str, seq: int | None = None) -> tuple[ServiceRecordForm, ...]:
    """The case's live service records by session number, or only the one numbered ``seq``."""
    stmt = select(m.ServiceRecord).where(m.ServiceRecord.case_id == case.uuid, m.ServiceRecord.deleted_at.is_(None))
    if seq is not None:
        stmt = stmt.where(m.ServiceRecord.seq == seq)
    records = src.session.scalars(stmt.order_by(m.ServiceRecord.seq)).all()
    resources: dict[UUID, list[m.ResourceLink]] = {}
    if records:
        for link in src.session.scalars(select(m.ResourceLink).where(
                m.ResourceLink.service_record_id.in_([r.uuid for r in records]),
                m.ResourceLink.deleted_at.is_(None)).order_by(m.ResourceLink.created_at)):
            resources.setdefault(link.service_record_id, []).append(link)
    goals = _objective_texts(src, case)
    return tuple(
        ServiceRecordForm(
            case_no=case.case_no, client_name=client_name, seq=r.seq, service_date=r.service_date,
            start_time=r.start_time, end_time=r.end_time, duration_minutes=r.duration_min or None,
            location=r.location, mode=enum_label(r.mode), participants=r.participants,
            goal=goals.get(r.objective_id, "") if r.objective_id is not None else "",
            content=r.content, client_response=r.client_response, analysis=r.analysis,
            resources=tuple(LinkedResource(kind=RESOURCE_KIND_LABELS.get(link.kind, link.kind),
                                           provider=link.provider, value_fen=link.value_fen or None,
                                           note=link.description)
                            for link in resources.get(r.uuid, [])),
            next_steps=r.next_steps, worker=src.staff_name(r.worker_id),
            supervisor_comment=r.supervisor_comment,
        )
        for r in records)


def evaluation_forms(src: Sources, case: m.Case, client_name: str) -> tuple[EvaluationForm, ...]:
    """The case's evaluations, oldest first."""
    rows = src.session.scalars(select(m.Evaluation).where(
        m.Evaluation.case_id == case.uuid, m.Evaluation.deleted_at.is_(None))
        .order_by(m.Evaluation.evaluated_on, m.Evaluation.row_version)).all()
    goals = {str(k): v for k, v in _objective_texts(src, case).items()}

    def result(raw: dict[str, Any]) -> ObjectiveResult:
        level = raw.get("level")
        return ObjectiveResult(objective=goals.get(str(raw.get("objective_id")), ""),
                               attainment=enum_label(Attainment(level)) if level in set(Attainment) else "",
                               note=str(raw.get("note") or ""))

    return tuple(
        EvaluationForm(
            case_no=case.case_no, client_name=client_name, evaluated_on=e.evaluated_on,
            kind=enum_label(e.kind), methods=tuple(e.methods),
            results=tuple(result(raw) for raw in e.attainment),
            pre_score=e.pre_score, post_score=e.post_score,
            satisfaction=f"{e.satisfaction}/5" if e.satisfaction is not None else "",
            narrative=e.narrative, evaluator=src.staff_name(e.evaluator_id) or src.staff_name(case.worker_id),
        )
        for e in rows)


def _discloses_id(items: Sequence[str]) -> bool:
    return any(word in item for item in items for word in ID_ITEM_WORDS)


def referral_forms(src: Sources, case: m.Case) -> tuple[ReferralForm, ...]:
    """The case's referrals, oldest first."""
    rows = src.session.scalars(select(m.Referral).where(
        m.Referral.case_id == case.uuid, m.Referral.deleted_at.is_(None))
        .order_by(m.Referral.referred_on, m.Referral.row_version)).all()
    forms = []
    for r in rows:
        person = _person(src, r.person_id) or _client(src, case)
        outward = r.direction == ReferralDirection.OUT
        forms.append(ReferralForm(
            referral_no="", referred_on=r.referred_on, direction=enum_label(r.direction), case_no=case.case_no,
            client_name=person.name, client_sex=enum_label(person.sex),
            client_age=age_at(person.birth_date, r.referred_on),
            client_id_number=person.id_number if _discloses_id(r.disclosed_items) else None,
            from_org=r.from_party, from_worker=src.staff_name(case.worker_id) if outward else "",
            from_phone=src.station.phone if outward else "",
            to_org=r.to_party, to_contact=r.to_contact, reason=r.reason, services_summary=r.services_summary,
            disclosed_items=tuple(r.disclosed_items), consent=r.client_consented,
            legal_basis=enum_label(r.legal_basis), outcome=enum_label(r.outcome), outcome_date=r.outcome_on,
            follow_up=r.follow_up,
        ))
    return tuple(forms)


def closure_form(src: Sources, case: m.Case, client_name: str) -> ClosureForm | None:
    """The case's newest closure report (by the station clock), or None."""
    closure = src.session.scalars(select(m.Closure).where(
        m.Closure.case_id == case.uuid, m.Closure.deleted_at.is_(None))
        .order_by(m.Closure.row_version.desc()).limit(1)).first()
    if closure is None:
        return None
    contacts, minutes = src.session.execute(
        select(func.count(), func.coalesce(func.sum(m.ServiceRecord.duration_min), 0)).where(
            m.ServiceRecord.case_id == case.uuid, m.ServiceRecord.deleted_at.is_(None),
            m.ServiceRecord.service_date <= closure.closed_on)).one()
    planned = [FollowUp(planned_on=parse_iso_date(f.get("date")), method=str(f.get("method") or ""))
               for f in closure.follow_up_plan]
    done = [FollowUp(planned_on=f.followed_on, method=f.method, result=f.result)
            for f in src.session.scalars(select(m.FollowUp).where(
                m.FollowUp.case_id == case.uuid, m.FollowUp.deleted_at.is_(None),
                m.FollowUp.method != REOPEN_METHOD, m.FollowUp.followed_on >= closure.closed_on)
                .order_by(m.FollowUp.followed_on))]
    approved = closure.approval_status == ApprovalStatus.APPROVED
    return ClosureForm(
        case_no=case.case_no, client_name=client_name, closed_on=closure.closed_on, opened_on=case.intake_date,
        closure_type=src.taxonomies.label(TaxonomyKind.CLOSURE_TYPE, closure.closure_type),
        closure_reason=closure.reason, contacts=int(contacts), total_minutes=int(minutes),
        services_summary=closure.summary, goal_attainment=closure.goal_attainment,
        client_changes=closure.client_changes, unresolved=closure.unresolved, preparation=closure.preparation,
        follow_ups=tuple(planned + done), client_feedback=closure.client_feedback,
        worker=src.staff_name(closure.worker_id or case.worker_id),
        approver=closure.approval_by if approved else "",
        approved_on=src.local_date(closure.approval_at) if approved else None,
    )


def case_file(src: Sources, case: m.Case) -> CaseFile:
    """The whole case file, every document in casework order."""
    intake = intake_form(src, case)
    name = intake.client.name
    return CaseFile(
        case_no=case.case_no, client_name=name, intake=intake, service_area=intake.service_area,
        worker=intake.worker, status=enum_label(case.stage), opened_on=case.intake_date,
        closed_on=case.closed_on,
        consent=recorded_consent_form(src, case),
        assessments=assessment_forms(src, case, name),
        plans=plan_forms(src, case, name),
        records=record_forms(src, case, name),
        evaluations=evaluation_forms(src, case, name),
        referrals=referral_forms(src, case),
        closure=closure_form(src, case, name),
    )
