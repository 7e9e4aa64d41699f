"""Printing use cases: every form built from demo data and read back with pypdf.

Checks what a reader of the paper sees (names, masked or revealed ID numbers, page x of
y, figures equal to ``stats``, the certificate register's numbers and copies) and what
the audit log keeps of every print.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, time
from functools import cached_property
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from wushe_desktop.domain.enums import CaseStage, Role
from wushe_desktop.errors import NotFoundError, PermissionDenied, ValidationError
from wushe_desktop.printing.layout import fmt_hours, fmt_yuan
from wushe_desktop.services import printing as p
from wushe_desktop.services.context import Actor
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.print_labels import ENUM_LABELS
from wushe_desktop.services.print_station import month_bounds
from wushe_desktop.services.stats import Period, station_stats
from wushe_desktop.services.volunteers import (
    HoursInput,
    VolunteerInput,
    add_hours,
    confirm_hours,
    list_certificates,
    register_volunteer,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    ActivityAttendee,
    AuditLog,
    Case,
    Closure,
    Donation,
    Person,
    Referral,
    Volunteer,
)

TODAY = date(2026, 11, 25)
STATION_CODE = "150121101000"
WORKER = Actor(name="李娜", role=Role.SOCIAL_WORKER)
_WS = re.compile(r"\s+")


@dataclass
class Read:
    """A PDF read back: its pages' text."""

    data: bytes

    @cached_property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(self.data)).pages]

    @cached_property
    def flat(self) -> str:
        """All text without whitespace (wrapped CJK lines break anywhere)."""
        return _WS.sub("", "".join(self.pages))


def read(pdf: bytes) -> Read:
    """Read a PDF and check what every form has: 第 x 页 共 y 页 on each page, a true page count."""
    doc = Read(pdf)
    total = len(doc.pages)
    assert total >= 1 and p.page_count(pdf) == total
    for number, text in enumerate(doc.pages, start=1):
        assert f"第 {number} 页 共 {total} 页" in text, (number, text[-200:])
        assert "毕克齐镇社工站" in text
    return doc


def masked(id_number: str) -> str:
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


@pytest.fixture
def demo(db: Database, actor: Actor) -> Database:
    generate_demo(db, actor, DemoSize(cases=24, volunteers=8, activities=6), seed=4, today=TODAY)  # seed 4: cases referred and at intake
    return db


def prints(db: Database, action: str = "print") -> list[AuditLog]:
    with db.read_sessions() as s:
        rows = list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.seq)))
        s.expunge_all()
        return rows


def one(db: Database, stmt: Any) -> Any:
    with db.read_sessions() as s:
        row = s.execute(stmt).first()
        assert row is not None
        return row


def test_every_enum_value_has_a_printed_label() -> None:
    for enum, labels in ENUM_LABELS.items():
        assert {m.value for m in enum} == set(labels), enum.__name__
        assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels.values()), enum.__name__


def test_case_file_and_case_forms_show_the_client_with_masked_ids(demo: Database, actor: Actor) -> None:
    # Scenario 2: 王桂花's case, with her service records in order.
    case_no, name, id_number, phone = one(demo, select(Case.case_no, Person.name, Person.id_number, Person.phone)
                                          .join(Person, Person.uuid == Case.person_id).where(Person.name == "王桂花"))
    case_file = read(p.print_case_file(demo, actor, case_no, today=TODAY))
    assert len(case_file.pages) >= 10
    for text in ("个案档案", "卷内目录", "个案接案登记表", "需求评估表", "服务计划表", "第9次", name, case_no):
        assert text in case_file.flat, text
    assert masked(id_number) in case_file.flat and id_number not in case_file.flat
    assert phone[:3] + "****" + phone[-4:] in case_file.flat and phone not in case_file.flat
    assert "低保" in case_file.flat and "老" in case_file.flat  # taxonomy labels, not codes
    assert "本机管理员(命令行)" in case_file.flat  # who printed, in the footer

    intake = read(p.print_case_form(demo, actor, "intake", case_no, today=TODAY))
    assert "个案接案登记表" in intake.flat and name in intake.flat and masked(id_number) in intake.flat
    assert "主动求助" in intake.flat or "机构转介" in intake.flat or "摸排" in intake.flat or "外展" in intake.flat \
        or "他人介绍" in intake.flat
    assert "中" in intake.flat  # 风险等级 medium, as a label
    assessment = read(p.print_case_form(demo, actor, "assessment", case_no, today=TODAY))
    assert "需求评估表" in assessment.flat and "生活照料" in assessment.flat
    plan = read(p.print_case_form(demo, actor, "plan", case_no, today=TODAY))
    assert "每周探访一次" in plan.flat and "优势视角" in plan.flat and "乌兰" in plan.flat
    record = read(p.print_service_record(demo, actor, case_no, 1, today=TODAY))
    assert "个案服务记录表" in record.flat and "第1次" in record.flat and name in record.flat

    with pytest.raises(NotFoundError) as no_record:
        p.print_service_record(demo, actor, case_no, 99, today=TODAY)
    assert (no_record.value.code, no_record.value.params) == ("print.no_record", {"seq": 99, "count": 9})

    referred_no, referred_name = one(demo, select(Case.case_no, Person.name).join(Person, Person.uuid == Case.person_id)
                                     .join(Referral, Referral.case_id == Case.uuid)
                                     .join(Closure, Closure.case_id == Case.uuid))
    closure = read(p.print_case_form(demo, actor, "closure", referred_no, today=TODAY))
    assert "结案报告" in closure.flat and referred_name in closure.flat
    referral = read(p.print_case_form(demo, actor, "referral", referred_no, today=TODAY))
    assert "转介表" in referral.flat and "土默特左旗残疾人联合会" in referral.flat and "单独同意" in referral.flat

    new_no = one(demo, select(Case.case_no).where(Case.stage == CaseStage.INTAKE))[0]
    for kind, code in (("assessment", "print.no_assessment"), ("plan", "print.no_plan"),
                       ("closure", "print.no_closure"), ("referral", "print.no_referral")):
        with pytest.raises(NotFoundError) as none:
            p.print_case_form(demo, actor, kind, new_no, today=TODAY)
        assert none.value.code == code
    with pytest.raises(ValidationError) as unknown:
        p.print_case_form(demo, actor, "horoscope", new_no, today=TODAY)
    assert unknown.value.code == "print.unknown_form"
    with pytest.raises(NotFoundError) as missing:
        p.print_case_file(demo, actor, f"{STATION_CODE}-2026-9999", today=TODAY)
    assert missing.value.code == "case.not_found"


def test_consent_of_a_child_names_the_guardian(demo: Database, actor: Actor) -> None:
    case_no, child = one(demo, select(Case.case_no, Person.name).join(Person, Person.uuid == Case.person_id)
                         .where(Person.guardian_id.is_not(None)))
    consent = read(p.print_consent(demo, actor, case_no, today=TODAY))
    assert "知情同意书" in consent.flat and child in consent.flat
    assert "监护人签名" in consent.flat and "不满十四周岁未成年人的个人信息" in consent.flat


def test_revealing_ids_needs_the_permission_and_is_audited(demo: Database, actor: Actor) -> None:
    case_no, id_number = one(demo, select(Case.case_no, Person.id_number).join(Person, Person.uuid == Case.person_id)
                             .where(Person.name == "王桂花"))
    before = len(prints(demo))
    plain = read(p.print_case_form(demo, WORKER, "intake", case_no, today=TODAY))  # a worker may print...
    assert masked(id_number) in plain.flat and id_number not in plain.flat
    with pytest.raises(PermissionDenied) as denied:  # ...but not reveal
        p.print_case_form(demo, WORKER, "intake", case_no, reveal_ids=True, today=TODAY)
    assert denied.value.code == "permission.reveal_id"
    full = read(p.print_case_form(demo, actor, "intake", case_no, reveal_ids=True, today=TODAY))
    assert id_number in full.flat

    rows = prints(demo)[before:]
    assert [(r.actor, r.entity, r.details["form"], r.details["reveal"], r.details["pages"]) for r in rows] == [
        ("李娜", "case_file", "intake", False, 1), ("本机管理员(命令行)", "case_file", "intake", True, 1)]
    reveals = prints(demo, "reveal")
    assert [(r.entity, r.entity_uuid, r.details["form"]) for r in reveals] == [
        ("case_file", rows[1].entity_uuid, "intake")]


def test_monthly_report_figures_are_the_stats_of_the_month(demo: Database, actor: Actor) -> None:
    doc = read(p.print_monthly_report(demo, actor, "2026-10", today=TODAY))
    lines = [line.strip() for line in "\n".join(doc.pages).splitlines() if line.strip()]

    def printed(label: str) -> tuple[str, str]:
        at = lines.index(label)
        return lines[at + 1], lines[at + 2]

    for period_from, column in ((date(2026, 10, 1), 0), (date(2026, 1, 1), 1)):
        _, st = station_stats(demo, actor, Period(period_from, date(2026, 10, 31)), today=TODAY)
        expected = {
            "开展活动（场）": str(st.activities),
            "社工参与（人次）": str(st.participant_person_times.social_workers),
            "志愿者参与（人次）": str(st.participant_person_times.volunteers),
            "爱心人士参与（人次）": str(st.participant_person_times.caring_people),
            "受益人次（人次）": str(st.beneficiary_person_times),
            "受益人数（人）": str(st.beneficiary_persons),
            "新开个案（个）": str(st.cases.opened),
            "在案个案（期末）（个）": str(st.cases.active),
            "结案个案（个）": str(st.cases.closed),
            "转介个案（个）": str(st.cases.referred),
            "个案服务记录（次）": str(st.service_records),
            "登记志愿者（期末）（人）": str(st.volunteers),
            "志愿服务时长（小时）": fmt_hours(round(st.volunteer_hours * 10)),
            "链接善款（元）": fmt_yuan(round(st.funds_raised_yuan * 100)),
            "物资折价（元）": fmt_yuan(round(st.goods_value_yuan * 100)),
        }
        got = {label: printed(label)[column] for label in expected}
        assert got == expected, column
    assert st.activities > 0 and st.service_records > 0  # the month is not empty
    for party in ("社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"):
        assert party in doc.flat
    with pytest.raises(ValidationError) as bad:
        p.print_monthly_report(demo, actor, "2026-13", today=TODAY)
    assert bad.value.code == "print.month_format"


def test_certificate_is_issued_once_then_reprinted_as_a_copy(demo: Database, actor: Actor) -> None:
    # Scenario 5: 苏日娜's 46.5 confirmed hours (two more lines await confirmation).
    number, vid, id_number = one(demo, select(Volunteer.volunteer_no, Volunteer.uuid, Volunteer.id_number)
                                 .where(Volunteer.name == "苏日娜").order_by(Volunteer.volunteer_no))
    before = len(prints(demo))
    first = p.certificate_print(demo, actor, number, today=TODAY)
    assert (first.cert_no, first.issued, first.copy, first.hours_tenths) == (
        f"{STATION_CODE}-Z2026-0001", True, False, 465)
    original = read(first.pdf)
    for text in ("志愿服务记录证明", "苏日娜", "46.5小时", first.cert_no, "毕克齐镇社工站", "乌兰", "陪伴独居老人"):
        assert text in original.flat, text
    assert masked(id_number) in original.flat and id_number not in original.flat
    assert "副本" not in original.flat

    second = p.certificate_print(demo, actor, number, today=TODAY)
    assert (second.cert_no, second.issued, second.copy) == (first.cert_no, False, True)
    copy = read(second.pdf)
    assert all("副本" in page for page in copy.pages) and "46.5" in copy.flat
    assert [c.cert_no for c in list_certificates(demo, actor, vid)] == [first.cert_no]  # no second entry

    with pytest.raises(ValidationError) as nothing:
        p.print_certificate(demo, actor, number, date(2020, 1, 1), date(2020, 12, 31), today=TODAY)
    assert nothing.value.code == "certificate.no_confirmed_hours"
    with pytest.raises(PermissionDenied) as worker:
        p.print_certificate(demo, WORKER, number, today=TODAY)
    assert worker.value.code == "permission.issue_certificate"
    assert len(list_certificates(demo, actor, vid)) == 1

    ours = [r for r in prints(demo)[before:] if "form" in r.details]
    assert [(r.entity, r.details["cert_no"], r.details["copy"], r.details["issued"]) for r in ours] == [
        ("volunteer_certificate", first.cert_no, False, True), ("volunteer_certificate", first.cert_no, True, False)]

    other = p.certificate_print(demo, actor, number, date(2026, 1, 1), TODAY, today=TODAY)
    assert (other.cert_no, other.issued, other.copy) == (f"{STATION_CODE}-Z2026-0002", True, False)
    assert "2026年1月1日至2026年11月25日" in read(other.pdf).flat


def test_certificate_handler_defaults_to_the_station_head(db: Database, actor: Actor) -> None:
    volunteer = register_volunteer(db, actor, VolunteerInput(name="其木格"), today=TODAY).volunteer
    line = add_hours(db, actor, HoursInput(volunteer.uuid, date(2026, 11, 2), sign_in=time(9), sign_out=time(11)),
                     today=TODAY)
    confirm_hours(db, actor, [line.uuid])
    with pytest.raises(ValidationError) as nobody:  # a fresh station has no staff yet
        p.print_certificate(db, actor, volunteer.volunteer_no, today=TODAY)
    assert nobody.value.code == "print.handler_required"
    doc = read(p.print_certificate(db, actor, volunteer.volunteer_no, handler="乌兰", today=TODAY))
    assert "2.0小时" in doc.flat and "乌兰" in doc.flat


def test_activity_record_and_sign_in_sheets(demo: Database, actor: Actor) -> None:
    activity_no, title, uuid_ = one(demo, select(Activity.activity_no, Activity.title, Activity.uuid)
                                    .order_by(Activity.activity_no))
    with demo.read_sessions() as s:
        roster = list(s.scalars(select(Person.name).join(ActivityAttendee, ActivityAttendee.person_id == Person.uuid)
                                .where(ActivityAttendee.activity_id == uuid_)))
    record = read(p.print_activity(demo, actor, activity_no, today=TODAY))
    assert "活动记录表" in record.flat and title in record.flat and roster[0] in record.flat
    assert "什报气村村民委员会（主办，社区）" in record.flat and "参与人数" in record.flat

    blank = read(p.print_signin_sheet(demo, actor, activity_no, blank=True, rows=80, today=TODAY))
    assert len(blank.pages) >= 3 and "本人签名" in blank.flat and "80" in blank.pages[-1]
    assert roster[0] not in blank.flat
    filled = read(p.print_signin_sheet(demo, actor, activity_no, today=TODAY))
    assert all(name in filled.flat for name in roster)
    with pytest.raises(ValidationError) as too_many:
        p.print_signin_sheet(demo, actor, activity_no, blank=True, rows=5000, today=TODAY)
    assert (too_many.value.code, too_many.value.params) == ("print.rows_range", {"min": 1, "max": 1000})
    forms = [r.details["form"] for r in prints(demo)]
    assert forms == ["activity", "signin_sheet", "signin_sheet"]


def test_the_activity_record_lists_the_donations_received_at_it(demo: Database, actor: Actor) -> None:
    with demo.read_sessions() as s:
        activity_no, donor, ledger_no = s.execute(
            select(Activity.activity_no, Donation.donor_name, Donation.ledger_no)
            .join(Donation, Donation.activity_id == Activity.uuid)
            .where(Donation.donor_type != "anonymous").order_by(Activity.activity_no)).first()
    record = read(p.print_activity(demo, actor, activity_no, today=TODAY))
    assert "接收捐赠" in record.flat and donor in record.flat and ledger_no in record.flat
    assert record.flat.index("参与人数") < record.flat.index("接收捐赠") < record.flat.index("成效与反思")

def test_volunteer_form_ledger_and_supervision_list(demo: Database, actor: Actor) -> None:
    number, name, id_number = one(demo, select(Volunteer.volunteer_no, Volunteer.name, Volunteer.id_number)
                                  .order_by(Volunteer.volunteer_no))
    form = read(p.print_volunteer_form(demo, actor, number, today=TODAY))
    assert "志愿者登记表" in form.flat and name in form.flat and masked(id_number) in form.flat
    assert "志愿者签名" in form.flat

    received = one(demo, select(Donation.received_on).order_by(Donation.received_on.desc()))[0]
    month = f"{received:%Y-%m}"
    with demo.read_sessions() as s:
        ledger_nos = list(s.scalars(select(Donation.ledger_no).where(
            Donation.received_on >= received.replace(day=1), Donation.received_on <= received)))
    ledger = read(p.print_ledger(demo, actor, month, today=TODAY))
    assert "慈善资源台账" in ledger.flat and all(no in ledger.flat for no in ledger_nos)
    _, st = station_stats(demo, actor, Period(*month_bounds(received)), today=TODAY)
    assert fmt_yuan(round(st.goods_value_yuan * 100)) in ledger.flat  # the goods column's total

    supervision = read(p.print_supervision_list(demo, actor, today=TODAY))
    assert "高风险个案督导清单" in supervision.flat and "共3个" in supervision.flat
    with demo.read_sessions() as s:
        high = s.scalars(select(Case.case_no).where(Case.risk_level == "high", Case.stage == CaseStage.INTERVENTION))
        overdue = [no for no in high if no in supervision.flat]
    assert len(overdue) == 3
    forms = [(r.entity, r.details["form"]) for r in prints(demo)]
    assert forms == [("volunteer", "volunteer_form"), ("donation", "ledger"), ("case_file", "supervision_list")]
