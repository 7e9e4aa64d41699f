"""Realistic demo data, fast enough for 100k cases (bulk inserts).

``wushe demo`` and ``wushe-desktop --demo`` use :func:`generate_demo`. It adds to what a
station holds, through the same bookkeeping as any change: every row takes a
``row_version`` from the station clock and each batch writes one audit row with its
counts (docs/decisions.md §5). The same seed gives the same content relative to today,
with fresh UUIDs and numbers. The named records make every scenario of SCENARIOS.md
playable: 王桂花 (scenario 2), 其木格 as a guardian (3), organisers and a dairy (4),
苏日娜's 46.5 hours (5), and the to-do list of scenario 1 (three high-risk cases without
contact for over 30 days, two closures awaiting approval, a plan due for review, 14
volunteer-hour lines awaiting confirmation: 12 from the newest activity, 2 of 苏日娜's).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    AttendeeRole,
    CaseSource,
    CaseStage,
    CommunityKind,
    ContactMode,
    DonationForm,
    DonorType,
    EvaluationKind,
    HoursStatus,
    LegalBasis,
    LinkageParty,
    ObjectiveStatus,
    OrganiserRole,
    ReceiptKind,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Role,
    Sex,
    StationMode,
    SupervisionForm,
)
from wushe_desktop.services import demo_content as content
from wushe_desktop.services.context import Actor, own_station, transaction
from wushe_desktop.services.numbers import format_number, reserve_numbers
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.text import name_keys
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    SYNCED_MODELS,
    Activity,
    ActivityAttendee,
    ActivityOrganiser,
    Assessment,
    Case,
    Closure,
    Community,
    Consent,
    Distribution,
    Donation,
    DonationItem,
    Evaluation,
    Person,
    PersonStatus,
    PlanObjective,
    Referral,
    ServicePlan,
    ServiceProject,
    ServiceRecord,
    SocialOrganisation,
    Staff,
    SupervisionRecord,
    Volunteer,
    VolunteerHours,
    VolunteerTeam,
    VolunteerTeamMember,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit, reserve_versions

CHUNK_CASES = 2000


@dataclass(frozen=True)
class DemoSize:
    """How much to add; volunteers and activities follow the cases when not given."""

    cases: int = 200
    volunteers: int | None = None
    activities: int | None = None

    def resolved(self) -> tuple[int, int, int]:
        volunteers = self.volunteers if self.volunteers is not None else min(max(20, self.cases // 20), 3000)
        activities = self.activities if self.activities is not None else min(max(24, self.cases // 20), 5000)
        return max(0, self.cases), max(0, volunteers), max(0, activities)


@dataclass(frozen=True)
class DemoReport:
    """Rows added per table."""

    counts: dict[str, int]


class _Batch:
    """Rows for bulk insert, keyed by table, with every column present in every row."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self._templates: dict[str, dict[str, Any]] = {}
        self._callables: dict[str, list[tuple[str, Any]]] = {}

    def _template(self, table: Table) -> None:
        fixed: dict[str, Any] = {}
        calls: list[tuple[str, Any]] = []
        for col in table.c:
            default = col.default
            if default is None:
                fixed[col.key] = None
            elif getattr(default, "is_scalar", False):
                fixed[col.key] = default.arg  # type: ignore[attr-defined]
            else:
                calls.append((col.key, default.arg))  # type: ignore[attr-defined]
                fixed[col.key] = None
        self._templates[table.name] = fixed
        self._callables[table.name] = calls

    def add(self, model: Any, **values: Any) -> uuid.UUID:
        table: Table = model.__table__
        if table.name not in self._templates:
            self._template(table)
        row = dict(self._templates[table.name])
        for key, fn in self._callables[table.name]:
            if key not in values:
                row[key] = fn(None)
        row.update(values)
        if row.get("uuid") is None:
            row["uuid"] = uuid.uuid4()
        self.rows.setdefault(table.name, []).append(row)
        return row["uuid"]  # type: ignore[no-any-return]

    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _flush(session: Session, batch: _Batch, origin: str, label: str) -> dict[str, int]:
    """Stamp versions, insert parents before children, write one audit row."""
    versions = reserve_versions(session, batch.total())
    now = datetime.now(UTC)
    counts: dict[str, int] = {}
    for model in SYNCED_MODELS:
        name = model.__table__.name  # type: ignore[attr-defined]
        rows = batch.rows.get(name)
        if not rows:
            continue
        for row in rows:
            row["origin"] = origin
            row["row_version"] = next(versions)
            row["created_at"] = row["updated_at"] = now
        session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        counts[name] = len(rows)
    append_audit(session, AuditEntry("bulk", "demo", "", {"batch": label, "counts": counts}))
    return counts


@dataclass
class _Context:
    """What the generators share: station, staff, places, pools of ids."""

    rnd: content.DemoRandom
    today: date
    station_code: str
    township: str
    region: str
    staff: dict[str, uuid.UUID]
    workers: list[uuid.UUID]
    communities: list[tuple[uuid.UUID, str]]
    orgs: dict[str, uuid.UUID]
    team_id: uuid.UUID
    project_id: uuid.UUID
    people: list[uuid.UUID] = field(default_factory=list)
    names: dict[uuid.UUID, str] = field(default_factory=dict)  # person uuid → name (consent signers)
    volunteers: list[uuid.UUID] = field(default_factory=list)
    case_years: dict[int, list[int]] = field(default_factory=dict)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)


# --- people -------------------------------------------------------------------------


def _add_person(b: _Batch, ctx: _Context, *, name: str | None = None, sex: Sex | None = None,
                age: int, categories: tuple[str, ...] = (), lives_alone: bool = False,
                village: tuple[uuid.UUID, str] | None = None, guardian: uuid.UUID | None = None,
                guardian_relation: str = "", disability: bool = False) -> uuid.UUID:
    rnd = ctx.rnd
    sex = sex or rnd.choice([Sex.MALE, Sex.FEMALE])
    name = name or rnd.person_name(sex)
    birth = ctx.today - timedelta(days=age * 365 + rnd.randrange(0, 360))
    region = ctx.region if rnd.random() > 0.05 else rnd.choice(["152601", "152701", "152101"])  # historical codes
    id_number = rnd.id_number(region, birth, sex)
    village = village or rnd.choice(ctx.communities)
    pinyin, initials = name_keys(name)
    values: dict[str, Any] = dict(
        name=name, name_pinyin=pinyin, name_initials=initials, sex=sex,
        ethnicity="02" if any(ch in name for ch in "巴特其苏乌额朝宝达孟毕那阿布斯哈格萨娜托高琪图塔") else "01",
        id_number=id_number, id_tail=id_number[-4:], birth_date=birth, phone=rnd.mobile(),
        community_id=village[0], address=f"{ctx.township}{village[1]}{rnd.randrange(1, 9)}组",
        hukou_address=f"{ctx.township}{village[1]}", lives_alone=lives_alone, guardian_id=guardian,
        guardian_relation=guardian_relation,
    )
    if disability:
        values["disability_category"] = rnd.randrange(1, 8)
        values["disability_grade"] = rnd.randrange(1, 5)
        values["disability_cert_no"] = f"{id_number}{values['disability_category']}{values['disability_grade']}"
    pid = b.add(Person, **values)
    since = ctx.day(rnd.randrange(200, 1500))
    for code in categories:
        b.add(PersonStatus, person_id=pid, category=code, valid_from=since, source="民政台账")
    ctx.people.append(pid)
    ctx.names[pid] = name
    return pid


_AREA_WEIGHTS = [("elderly", 45), ("children", 20), ("difficulty", 15), ("disability", 12),
                 ("governance", 4), ("rural_revitalisation", 4)]


def _person_for_area(b: _Batch, ctx: _Context, area: str) -> tuple[uuid.UUID, uuid.UUID | None]:
    """A client suited to the service area; children come with a guardian (returned too)."""
    rnd = ctx.rnd
    if area == "elderly":
        age = rnd.randrange(60, 96)
        cats = ["GL"] if age >= 80 else []
        cats += rnd.sample(["DJ", "KC", "DB", "TK", "LSLR", "SN"], rnd.randrange(1, 3))
        return _add_person(b, ctx, age=age, categories=tuple(cats), lives_alone="DJ" in cats), None
    if area == "children":
        village = rnd.choice(ctx.communities)
        guardian = _add_person(b, ctx, age=rnd.randrange(55, 75), village=village)
        child = _add_person(b, ctx, age=rnd.randrange(5, 16), village=village, guardian=guardian,
                            guardian_relation=rnd.choice(["祖母", "祖父", "外祖母", "母亲"]),
                            categories=(rnd.choice(["LSET", "KJET", "SSWR"]),))
        return child, guardian
    if area == "disability":
        return _add_person(b, ctx, age=rnd.randrange(18, 70), categories=("CJR",), disability=True), None
    if area == "difficulty":
        return _add_person(b, ctx, age=rnd.randrange(25, 70), categories=(rnd.choice(["DB", "TK", "LSJZ", "ZCKN"]),)), None
    return _add_person(b, ctx, age=rnd.randrange(25, 65)), None


# --- cases --------------------------------------------------------------------------

_STAGE_WEIGHTS = [
    (CaseStage.INTAKE, 6), (CaseStage.NOT_OPENED, 3), (CaseStage.ASSESSMENT, 7), (CaseStage.PLANNING, 6),
    (CaseStage.INTERVENTION, 38), (CaseStage.EVALUATION, 8), (CaseStage.CLOSED, 26), (CaseStage.REFERRED, 3),
    (CaseStage.SUSPENDED, 3),
]


@dataclass
class _CaseSpec:
    stage: CaseStage
    area: str
    intake: date
    risk: RiskLevel = RiskLevel.LOW
    records: int = 0
    last_contact_days: int | None = None  # days ago of the newest service record
    closure_pending: bool = False
    plan_review: date | None = None
    person: uuid.UUID | None = None
    guardian: uuid.UUID | None = None
    worker: uuid.UUID | None = None
    objectives: tuple[str, ...] = ()
    source: CaseSource | None = None


def _case_no(ctx: _Context, year: int) -> str:
    seqs = ctx.case_years[year]
    return format_number("case", ctx.station_code, year, seqs.pop(0))


def _add_case(b: _Batch, ctx: _Context, spec: _CaseSpec) -> uuid.UUID:
    rnd, S = ctx.rnd, CaseStage
    if spec.person is None:
        spec.person, spec.guardian = _person_for_area(b, ctx, spec.area)
    worker = spec.worker or rnd.choice(ctx.workers)
    head = "乌兰"
    stage = spec.stage
    accepted = stage != S.NOT_OPENED
    opened = stage not in (S.INTAKE, S.NOT_OPENED)
    at = datetime.combine(spec.intake + timedelta(days=1), time(9, 30), tzinfo=UTC)
    source = spec.source or rnd.choice(list(CaseSource))
    problem = rnd.choice(content.PROBLEMS[spec.area])
    case_id = b.add(
        Case, case_no=_case_no(ctx, spec.intake.year), person_id=spec.person, worker_id=worker,
        project_id=ctx.project_id if rnd.random() < 0.3 else None, intake_date=spec.intake, source=source,
        referrer="什报气村村民委员会" if source == CaseSource.REFERRAL else "",
        service_area=spec.area, presenting_problem=problem, initial_impression="需进一步评估，建议开案跟进。",
        risk_level=spec.risk, crisis=spec.risk == RiskLevel.HIGH and rnd.random() < 0.3,
        accepted=accepted, not_accepted_reason="" if accepted else "需求已由村委会协调解决，无需开案。",
        stage=stage, stage_before_suspension=S.INTERVENTION if stage == S.SUSPENDED else None,
        opening_status=ApprovalStatus.APPROVED if opened else (ApprovalStatus.PENDING if accepted else ApprovalStatus.DRAFT),
        opening_by=head if opened else "", opening_at=at if opened else None,
    )
    if accepted:  # every accepted case has its consent; a child's is signed by the guardian
        signer = spec.guardian or spec.person
        b.add(Consent, person_id=spec.person, case_id=case_id, purpose="个案服务与服务记录",
              legal_basis=LegalBasis.CONSENT, scope=["基本信息", "家庭情况", "健康状况"], sensitive=True,
              signer_name=ctx.names[signer], signer_relation="本人" if spec.guardian is None else "监护人",
              signed_on=spec.intake)
    if not opened:
        return case_id
    assessed = spec.intake + timedelta(days=rnd.randrange(2, 8))
    if stage != S.ASSESSMENT:
        b.add(Assessment, case_id=case_id, assessed_on=min(assessed, ctx.today), methods=["家访", "面谈"],
              physical_health="慢性病，需定期服药。", family="子女在外务工，与老伴同住或独居。",
              economic="主要依靠低保和养老金。", social_support="邻里关系良好，村委会定期关照。",
              strengths="性格开朗，愿意配合。", summary=problem, risk_level=spec.risk,
              needs=[{"need": "生活照料", "priority": 1, "agreed": True}])
    planned = min(assessed + timedelta(days=rnd.randrange(3, 10)), ctx.today)
    objective_ids: list[uuid.UUID] = []
    if stage not in (S.ASSESSMENT,):
        approved = stage != S.PLANNING
        plan_id = b.add(
            ServicePlan, case_id=case_id, made_on=planned,
            review_on=spec.plan_review or ctx.today + timedelta(days=rnd.randrange(7, 120)), overall_aim="改善生活状况，增强社会支持。",
            models=["strengths", "case_management"], client_agreed=True, client_agreed_on=planned,
            approval_status=ApprovalStatus.APPROVED if approved else ApprovalStatus.PENDING,
            approval_by=head if approved else "",
            approval_at=datetime.combine(planned + timedelta(days=1), time(10), tzinfo=UTC) if approved else None,
            expected_duration="6个月", frequency="每两周一次",
        )
        texts = spec.objectives or ("保障基本生活需要", "建立稳定的社会支持网络")
        for i, text in enumerate(texts, start=1):
            objective_ids.append(b.add(PlanObjective, plan_id=plan_id, seq=i, text=text,
                                       indicator="每月探访不少于2次", status=ObjectiveStatus.OPEN))
    # Service records: from the plan (or opening) to the end.
    closes = stage in (S.CLOSED, S.REFERRED)
    end = ctx.today
    if spec.last_contact_days is not None:
        end = ctx.day(spec.last_contact_days)
    elif closes:
        days_open = (ctx.today - spec.intake).days
        end = spec.intake + timedelta(days=rnd.randrange(min(60, days_open - 10), max(61, days_open - 10)))
    start = planned if objective_ids else assessed
    start = min(start, end)
    n = spec.records
    span = max(0, (end - start).days)
    dates = sorted(start + timedelta(days=rnd.randrange(0, span + 1)) for _ in range(max(0, n - 1)))
    if n:
        dates.append(end)
    for seq, d in enumerate(dates, start=1):
        mode = rnd.choice([ContactMode.HOME_VISIT, ContactMode.HOME_VISIT, ContactMode.PHONE,
                           ContactMode.INTERVIEW, ContactMode.ACCOMPANIMENT, ContactMode.RESOURCE_LINKING])
        b.add(ServiceRecord, case_id=case_id, seq=seq, service_date=d, start_time=time(9 + seq % 7, 0),
              duration_min=rnd.choice([30, 45, 60, 90]), location="服务对象家中" if mode == ContactMode.HOME_VISIT else "社工站",
              mode=mode, objective_id=rnd.choice(objective_ids) if objective_ids else None,
              content=rnd.choice(content.SERVICE_NOTES), client_response="服务对象积极配合。",
              next_steps="按计划继续跟进。", worker_id=worker)
    if stage in (S.EVALUATION, S.CLOSED, S.REFERRED):
        evaluated = min(end + timedelta(days=2), ctx.today)
        b.add(Evaluation, case_id=case_id, evaluated_on=evaluated, kind=EvaluationKind.OUTCOME,
              methods=["目标达成评量", "满意度"], satisfaction=rnd.randrange(4, 6),
              attainment=[{"objective_id": str(o), "level": "full"} for o in objective_ids],
              narrative="服务目标基本达成，服务对象生活状况改善。")
        referral_id = None
        if stage == S.REFERRED:
            referral_id = b.add(Referral, case_id=case_id, person_id=spec.person, referred_on=evaluated,
                                direction=ReferralDirection.OUT, from_party=f"{ctx.township}社工站",
                                to_party="土默特左旗残疾人联合会", reason="需专业康复服务", client_consented=True,
                                disclosed_items=["姓名", "联系方式", "残疾情况"],
                                outcome=ReferralOutcome.ACCEPTED, outcome_on=evaluated + timedelta(days=3))
        if closes or spec.closure_pending:
            closed_on = min(evaluated + timedelta(days=rnd.randrange(1, 5)), ctx.today)
            approved = closes
            b.add(Closure, case_id=case_id, closed_on=closed_on,
                  closure_type="referred" if stage == S.REFERRED else rnd.choice(["goals_achieved", "goals_achieved", "status_changed", "client_withdrew"]),
                  summary=f"共服务{n}次。", goal_attainment="主要目标已达成。", worker_id=worker,
                  referral_id=referral_id,
                  approval_status=ApprovalStatus.APPROVED if approved else ApprovalStatus.PENDING,
                  approval_by=head if approved else "",
                  approval_at=datetime.combine(closed_on, time(16), tzinfo=UTC) if approved else None)
            if approved:
                b.rows["case_file"][-1]["closed_on"] = closed_on  # this case is the newest case row
    return case_id


def _random_case(ctx: _Context) -> _CaseSpec:
    rnd, S = ctx.rnd, CaseStage
    stage = rnd.choices([s for s, _ in _STAGE_WEIGHTS], [w for _, w in _STAGE_WEIGHTS])[0]
    area = rnd.choices([a for a, _ in _AREA_WEIGHTS], [w for _, w in _AREA_WEIGHTS])[0]
    if stage in (S.CLOSED, S.REFERRED, S.EVALUATION):
        intake = ctx.day(rnd.randrange(90, 366))
    elif stage in (S.INTAKE, S.NOT_OPENED):
        intake = ctx.day(rnd.randrange(0, 20))
    elif stage in (S.ASSESSMENT, S.PLANNING):
        intake = ctx.day(rnd.randrange(10, 26))  # recent: not on the no-contact list
    else:
        intake = ctx.day(rnd.randrange(45, 366))
    records = {S.ASSESSMENT: rnd.randrange(0, 2), S.PLANNING: rnd.randrange(0, 3)}.get(stage, rnd.randrange(6, 19))
    if stage in (S.INTAKE, S.NOT_OPENED):
        records = 0
    last = rnd.randrange(0, 28) if stage in (S.INTERVENTION, S.SUSPENDED) else None
    risk = rnd.choices(list(RiskLevel), [60, 30, 10])[0]
    return _CaseSpec(stage=stage, area=area, intake=intake, risk=risk, records=records, last_contact_days=last)


# --- the named scenario records -----------------------------------------------------


def _named_cases(b: _Batch, ctx: _Context) -> int:
    """The records the scenarios name; returns how many cases they add."""
    S = CaseStage
    shibaoqi = next((c for c in ctx.communities if c[1] == "什报气村"), ctx.communities[0])
    wang = _add_person(b, ctx, name="王桂花", sex=Sex.FEMALE, age=82, categories=("DB", "GL", "DJ"),
                       lives_alone=True, village=shibaoqi)
    _add_person(b, ctx, name="其木格", sex=Sex.FEMALE, age=63, village=shibaoqi)  # scenario 3: the grandmother
    specs = [
        _CaseSpec(S.INTERVENTION, "elderly", ctx.day(120), RiskLevel.MEDIUM, 9, 12, person=wang,
                  worker=ctx.staff["李娜"], objectives=("每周探访一次，保障基本生活", "链接慈善物资与邻里支持")),
        # three high-risk cases without contact for over 30 days (scenarios 1 and 10)
        _CaseSpec(S.INTERVENTION, "elderly", ctx.day(200), RiskLevel.HIGH, 6, 38),
        _CaseSpec(S.INTERVENTION, "children", ctx.day(170), RiskLevel.HIGH, 5, 45),
        _CaseSpec(S.INTERVENTION, "disability", ctx.day(150), RiskLevel.HIGH, 4, 33),
        # two closures awaiting the head's approval
        _CaseSpec(S.EVALUATION, "elderly", ctx.day(220), RiskLevel.LOW, 12, 6, closure_pending=True),
        _CaseSpec(S.EVALUATION, "difficulty", ctx.day(240), RiskLevel.LOW, 10, 8, closure_pending=True),
        # a plan due for review
        _CaseSpec(S.INTERVENTION, "difficulty", ctx.day(300), RiskLevel.MEDIUM, 14, 4, plan_review=ctx.day(3)),
    ]
    for spec in specs:
        _add_case(b, ctx, spec)
    return len(specs)


# --- volunteers, activities, donations ----------------------------------------------


def _add_volunteer(b: _Batch, ctx: _Context, seq: int, *, name: str | None = None, sex: Sex | None = None,
                   age: int | None = None, skills: str = "") -> uuid.UUID:
    rnd = ctx.rnd
    sex = sex or rnd.choice([Sex.MALE, Sex.FEMALE])
    name = name or rnd.person_name(sex)
    age = age or rnd.randrange(18, 66)
    birth = ctx.today - timedelta(days=age * 365 + rnd.randrange(0, 360))
    id_number = rnd.id_number(ctx.region, birth, sex)
    vid = b.add(Volunteer, volunteer_no=format_number("volunteer", ctx.station_code, 0, seq), name=name,
                name_initials=name_keys(name)[1], sex=sex, birth_date=birth, id_number=id_number,
                id_tail=id_number[-4:], phone=rnd.mobile(), registered_on=ctx.day(rnd.randrange(300, 700)),
                skills_text=skills or rnd.choice(["医疗护理", "文艺", "维修", "教育辅导", "蒙汉翻译", "综合服务"]),
                availability=rnd.choice(["周末", "工作日晚上", "寒暑假", "随时"]))
    b.add(VolunteerTeamMember, team_id=ctx.team_id, volunteer_id=vid)
    ctx.volunteers.append(vid)
    return vid


def _hours(b: _Batch, ctx: _Context, volunteer: uuid.UUID, activity: uuid.UUID | None, day: date,
           tenths: int, *, confirmed: bool = True, place: str = "", content_text: str = "活动服务") -> None:
    b.add(VolunteerHours, volunteer_id=volunteer, activity_id=activity, service_date=day,
          sign_in=time(9), sign_out=time(9 + tenths // 10, (tenths % 10) * 6), place=place, content=content_text,
          minutes=tenths * 6, credited_tenths=tenths,
          status=HoursStatus.CONFIRMED if confirmed else HoursStatus.PENDING, recorded_by="李娜",
          confirmed_by="乌兰" if confirmed else "",
          confirmed_at=datetime.combine(day + timedelta(days=1), time(10), tzinfo=UTC) if confirmed else None)


def _add_activity(b: _Batch, ctx: _Context, seq_year: tuple[int, int], day: date, *, kind: str | None = None,
                  title: str | None = None, volunteers: list[uuid.UUID] | None = None,
                  pending_hours: bool = False, beneficiaries: int | None = None) -> uuid.UUID:
    rnd = ctx.rnd
    kind = kind or rnd.choice(list(content.ACTIVITY_TITLES))
    title = title or rnd.choice(content.ACTIVITY_TITLES[kind])
    seq, year = seq_year
    village = rnd.choice(ctx.communities)
    vols = volunteers if volunteers is not None else rnd.sample(ctx.volunteers, min(len(ctx.volunteers), rnd.randrange(2, 9)))
    roster_n = min(len(ctx.people), beneficiaries if beneficiaries is not None else rnd.randrange(8, 40))
    roster = rnd.sample(ctx.people, roster_n)
    walk_ins = rnd.randrange(0, 10)
    aid = b.add(Activity, activity_no=format_number("activity", ctx.station_code, year, seq), title=title,
                activity_type=kind, service_areas=rnd.sample(["elderly", "children", "governance", "difficulty"], 2),
                target_groups=["GL", "DJ"] if kind == "festival_visit" else [], start_date=day,
                starts_at=datetime.combine(day, time(1, 30), tzinfo=UTC), community_id=village[0],
                place=f"{village[1]}党群服务中心", lead_id=ctx.staff["李娜"],
                objectives="关爱服务对象，增进邻里互助。", programme="签到、慰问、文艺表演、合影留念。",
                social_workers=rnd.randrange(2, 5), volunteers=len(vols), caring_people=rnd.randrange(0, 10),
                clients=roster_n, beneficiaries=roster_n + walk_ins, summary="活动顺利开展，参与者反响良好。",
                satisfaction="95%")
    for name, role, party in (("什报气村村民委员会", OrganiserRole.HOST, LinkageParty.COMMUNITY),
                              ("土默特左旗老年协会", OrganiserRole.PARTNER, LinkageParty.SOCIAL_ORG),
                              ("毕克齐镇志愿服务队", OrganiserRole.PARTNER, LinkageParty.VOLUNTEER_TEAM)):
        if role == OrganiserRole.HOST or rnd.random() < 0.6:
            b.add(ActivityOrganiser, activity_id=aid, organisation_id=ctx.orgs.get(name), name=name, role=role,
                  linkage_party=party)
    for pid in roster:
        b.add(ActivityAttendee, activity_id=aid, person_id=pid, role=AttendeeRole.BENEFICIARY)
    for vid in vols:
        b.add(ActivityAttendee, activity_id=aid, volunteer_id=vid, role=AttendeeRole.VOLUNTEER)
        _hours(b, ctx, vid, aid, day, rnd.choice([20, 25, 30, 40]), confirmed=not pending_hours,
               place=f"{village[1]}", content_text=title)
    return aid


def _add_donation(b: _Batch, ctx: _Context, seq_year: tuple[int, int], day: date, activity: uuid.UUID | None,
                  *, goods: tuple[str, int, str, int] | None = None, donor: str | None = None) -> None:
    rnd = ctx.rnd
    seq, year = seq_year
    ledger = format_number("donation", ctx.station_code, year, seq)
    anonymous = donor is None and rnd.random() < 0.15
    donor_type = DonorType.ANONYMOUS if anonymous else rnd.choice([DonorType.INDIVIDUAL, DonorType.COMPANY])
    donor_name = "" if anonymous else (donor or (rnd.person_name(Sex.MALE) if donor_type == DonorType.INDIVIDUAL
                                                 else rnd.choice(["土左旗草原乳业有限公司", "毕克齐镇惠民超市", "呼和浩特市某建材公司"])))
    if goods or rnd.random() < 0.5:
        name, qty, unit, unit_fen = goods or rnd.choice([("米面油礼包", 30, "份", 8000), ("棉被", 20, "床", 15000),
                                                         ("学习用品", 40, "套", 3000)])
        did = b.add(Donation, ledger_no=ledger, received_on=day, donor_type=donor_type, donor_name=donor_name,
                    form=DonationForm.GOODS, goods_value_fen=qty * unit_fen, recipient_name="土默特左旗慈善总会",
                    receipt_kind=ReceiptKind.ANONYMOUS if anonymous else ReceiptKind.PAPER,
                    receipt_no="" if anonymous else f"NO.{rnd.randrange(10**7, 10**8)}", receipt_date=day,
                    receipt_handler="巴特尔", activity_id=activity, purpose="用于困难群众慰问",
                    publish_consent=not anonymous)
        item = b.add(DonationItem, donation_id=did, name=name, quantity=qty, unit=unit, unit_value_fen=unit_fen,
                     valuation_basis="市场价", condition="全新")
        for pid in rnd.sample(ctx.people, min(len(ctx.people), min(qty, 5))):
            b.add(Distribution, donation_id=did, item_id=item, distributed_on=day, person_id=pid, quantity=1,
                  amount_fen=unit_fen, handler="李娜", signed=True)  # goods: valued at the line's unit value
    else:
        b.add(Donation, ledger_no=ledger, received_on=day, donor_type=donor_type, donor_name=donor_name,
              form=DonationForm.MONEY, amount_fen=rnd.choice([50000, 100000, 200000, 500000, 12345]),
              payment_method="银行转账", receiving_account="土默特左旗慈善总会专户", recipient_name="土默特左旗慈善总会",
              receipt_kind=ReceiptKind.ANONYMOUS if anonymous else ReceiptKind.ELECTRONIC,
              receipt_no="" if anonymous else f"E{rnd.randrange(10**9, 10**10)}", receipt_date=day,
              receipt_handler="巴特尔", activity_id=activity, purpose="困难群众救助", publish_consent=not anonymous)


# --- the generator ------------------------------------------------------------------


def _base(session: Session, b: _Batch, rnd: content.DemoRandom, station: Any, today: date) -> _Context:
    """Staff, villages, partners, team and project: reuse what exists, add what is missing."""
    origin = station.code
    staff = {s.name: s.uuid for s in session.scalars(select(Staff).where(Staff.origin == origin, Staff.deleted_at.is_(None)))}
    for name, role, cert in (("乌兰", Role.STATION_HEAD, "社会工作师"), ("李娜", Role.SOCIAL_WORKER, "助理社会工作师"),
                             ("张伟", Role.SOCIAL_WORKER, "助理社会工作师"), ("萨仁", Role.SOCIAL_WORKER, ""),
                             ("巴特尔", Role.DEPUTY, "")):
        if name not in staff:
            staff[name] = b.add(Staff, name=name, role=role, sw_cert_level=cert, phone=rnd.mobile(),
                                employer="土默特左旗启航社会工作服务中心" if role == Role.SOCIAL_WORKER else "毕克齐镇人民政府",
                                joined_on=today - timedelta(days=900))
    communities = [(c.uuid, c.name) for c in session.scalars(select(Community).where(
        Community.origin == origin, Community.deleted_at.is_(None)))]
    have = {n for _, n in communities}
    for village in content.VILLAGES:
        if village not in have:
            kind = CommunityKind.COMMUNITY if village.endswith("社区") else (
                CommunityKind.GACHA if village.endswith("嘎查") else CommunityKind.VILLAGE)
            communities.append((b.add(Community, name=village, kind=kind), village))
    orgs = {o.name: o.uuid for o in session.scalars(select(SocialOrganisation).where(
        SocialOrganisation.origin == origin, SocialOrganisation.deleted_at.is_(None)))}
    for name, org_kind, party in (("什报气村村民委员会", "村委会", LinkageParty.COMMUNITY),
                              ("土默特左旗老年协会", "社会组织", LinkageParty.SOCIAL_ORG),
                              ("土默特左旗启航社会工作服务中心", "社会组织", LinkageParty.SOCIAL_WORKER),
                              ("毕克齐镇志愿服务队", "志愿服务队伍", LinkageParty.VOLUNTEER_TEAM),
                              ("土默特左旗慈善总会", "慈善组织", LinkageParty.CHARITY),
                              ("土左旗草原乳业有限公司", "企业", LinkageParty.CHARITY)):
        if name not in orgs:
            orgs[name] = b.add(SocialOrganisation, name=name, kind=org_kind, linkage_party=party,
                               public_fundraising=name == "土默特左旗慈善总会")
    team = session.scalars(select(VolunteerTeam).where(VolunteerTeam.origin == origin,
                                                       VolunteerTeam.deleted_at.is_(None))).first()
    team_id = team.uuid if team else b.add(VolunteerTeam, name="毕克齐镇志愿服务队", leader_name="白玉林",
                                           leader_phone=rnd.mobile(), community_id=communities[0][0])
    project = session.scalars(select(ServiceProject).where(ServiceProject.origin == origin,
                                                           ServiceProject.deleted_at.is_(None))).first()
    project_id = project.uuid if project else b.add(
        ServiceProject, name="五社联动·关爱高龄独居老人试点项目", theme="高龄独居老人居家探访与资源链接",
        funder="土默特左旗民政局", amount_fen=20_000_000, starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=65), service_areas=["elderly"],
        targets=[{"indicator": "探访人次", "target": 1200, "unit": "人次"}])
    township = station.name.removesuffix("社工站").removesuffix("社会工作服务站") or station.name
    return _Context(rnd=rnd, today=today, station_code=origin, township=township, region=station.banner_code[:6],
                    staff=staff, workers=[staff[n] for n in ("李娜", "张伟", "萨仁")], communities=communities,
                    orgs=orgs, team_id=team_id, project_id=project_id)


def _reserve_case_numbers(session: Session, ctx: _Context, years: list[int]) -> None:
    for year in sorted(set(years)):
        count = years.count(year)
        first = reserve_numbers(session, "case", year, count)
        ctx.case_years.setdefault(year, []).extend(range(first, first + count))


def generate_demo(db: Database, actor: Actor, size: DemoSize = DemoSize(), *, seed: int = 2026,
                  today: date | None = None, progress: Callable[[int, int], None] | None = None) -> DemoReport:
    """Add demo data to an initialised station database; returns rows added per table.

    Raises:
        ConfigError: ``station.is_centre`` (a centre holds only imported copies).
    """
    today = today or date.today()
    n_cases, n_volunteers, n_activities = size.resolved()
    rnd = content.DemoRandom(seed)
    totals: dict[str, int] = {}

    def add_counts(counts: dict[str, int]) -> None:
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v

    steps = 2 + max(1, -(-max(0, n_cases - 7) // CHUNK_CASES))
    done = 0
    with transaction(db, actor, Permission.DEMO) as session:
        station = own_station(session, StationMode.STATION)
        b = _Batch()
        ctx = _base(session, b, rnd, station, today)
        named = min(7, n_cases) if n_cases >= 7 else 0
        if named:
            _reserve_case_numbers(session, ctx, [ctx.day(d).year for d in (120, 200, 170, 150, 220, 240, 300)])
            _named_cases(b, ctx)
        # people who are not clients (activity rosters, guardians-to-be)
        for _ in range(max(30, n_cases // 10)):
            _add_person(b, ctx, age=rnd.randrange(60, 90), categories=(rnd.choice(["GL", "KC", "DB"]),))
        add_counts(_flush(session, b, station.code, "base"))
    done += 1
    if progress:
        progress(done, steps)

    remaining = max(0, n_cases - named)
    while remaining > 0:
        chunk = min(CHUNK_CASES, remaining)
        with transaction(db, actor, Permission.DEMO) as session:
            b = _Batch()
            ctx.people = ctx.people[-5000:]
            specs = [_random_case(ctx) for _ in range(chunk)]
            _reserve_case_numbers(session, ctx, [s.intake.year for s in specs])
            for spec in specs:
                _add_case(b, ctx, spec)
            add_counts(_flush(session, b, ctx.station_code, f"cases {chunk}"))
        remaining -= chunk
        done += 1
        if progress:
            progress(done, steps)

    with transaction(db, actor, Permission.DEMO) as session:
        b = _Batch()
        first_v = reserve_numbers(session, "volunteer", 0, max(n_volunteers, 1) + 12)
        seq = first_v
        # 苏日娜 (scenario 5): 46.5 confirmed hours over March–November, two lines pending.
        surina = _add_volunteer(b, ctx, seq, name="苏日娜", sex=Sex.FEMALE, age=20, skills="蒙汉翻译、文艺")
        seq += 1
        for i, tenths in enumerate([40, 35, 50, 45, 40, 30, 55, 45, 40, 35, 50]):
            _hours(b, ctx, surina, None, ctx.day(250 - i * 22), tenths, place="毕克齐镇", content_text="陪伴独居老人")
        for i in range(2):
            _hours(b, ctx, surina, None, ctx.day(3 + i), 30, confirmed=False, place="毕克齐镇", content_text="敬老院服务")
        for _ in range(max(0, n_volunteers - 1)):
            _add_volunteer(b, ctx, seq)
            seq += 1
        # 12 volunteers of the newest activity whose lines await confirmation (with 苏日娜's two: 14)
        pending_volunteers = [_add_volunteer(b, ctx, seq + i) for i in range(12)] if n_activities else []
        act_days = sorted((ctx.day(rnd.randrange(3, 365)) for _ in range(max(0, n_activities - 1))), reverse=True)
        years = [d.year for d in act_days] + ([today.year] if n_activities else [])
        act_numbers: dict[int, list[int]] = {}
        for year in sorted(set(years)):
            first = reserve_numbers(session, "activity", year, years.count(year))
            act_numbers[year] = list(range(first, first + years.count(year)))
        activities: list[tuple[uuid.UUID, date]] = []
        regular = [v for v in ctx.volunteers if v not in pending_volunteers and v != surina]
        for day in act_days:
            vols = rnd.sample(regular, min(len(regular), rnd.randrange(2, 9)))
            activities.append((_add_activity(b, ctx, (act_numbers[day.year].pop(0), day.year), day,
                                             volunteers=vols), day))
        for vid in regular:  # every demo volunteer has confirmed hours
            _hours(b, ctx, vid, None, ctx.day(rnd.randrange(5, 300)), rnd.choice([20, 30, 40]), place="社区")
        if n_activities:
            day = ctx.day(2)
            newest = _add_activity(b, ctx, (act_numbers[today.year].pop(0), today.year), day, kind="community_event",
                                   title="社区健康义诊", volunteers=pending_volunteers, pending_hours=True)
            activities.append((newest, day))
            for vid in pending_volunteers:  # ...plus an older confirmed line each
                _hours(b, ctx, vid, None, ctx.day(rnd.randrange(30, 200)), 20, place="社区")
        # donations: the dairy's milk for the Double Ninth visit, then a mix
        n_donations = max(6, n_activities // 2)
        don_days = sorted((ctx.day(rnd.randrange(3, 365)) for _ in range(n_donations)), reverse=True)
        don_years = [d.year for d in don_days]
        don_numbers: dict[int, list[int]] = {}
        for year in sorted(set(don_years)):
            first = reserve_numbers(session, "donation", year, don_years.count(year))
            don_numbers[year] = list(range(first, first + don_years.count(year)))
        for i, day in enumerate(don_days):
            linked = rnd.choice(activities)[0] if activities and rnd.random() < 0.5 else None
            goods = ("纯牛奶", 50, "箱", 6000) if i == 0 else None
            _add_donation(b, ctx, (don_numbers[day.year].pop(0), day.year), day, linked, goods=goods,
                          donor="土左旗草原乳业有限公司" if i == 0 else None)
        for i in range(max(2, n_cases // 500)):
            b.add(SupervisionRecord, held_on=ctx.day(10 + i * 30), supervisor_name="高娃", supervisor_internal=False,
                  supervisees=[str(w) for w in ctx.workers], form=SupervisionForm.GROUP, hours_tenths=20,
                  topics="高风险个案研讨", advice="加强对独居高龄老人的探访频次。")
        add_counts(_flush(session, b, ctx.station_code, "volunteers and activities"))
    if progress:
        progress(steps, steps)
    return DemoReport(totals)
