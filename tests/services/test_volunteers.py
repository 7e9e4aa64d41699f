"""Volunteers, service hours, corrections and certificates (scenario 5)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from wushe_desktop.domain.enums import HoursStatus, Role, Sex
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import PermissionDenied, StateError, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor
from wushe_desktop.services.station import set_setting
from wushe_desktop.services.volunteers import (
    HoursInput,
    VolunteerInput,
    add_hours,
    add_hours_bulk,
    confirm_hours,
    correct_hours,
    issue_certificate,
    list_certificates,
    list_hours,
    list_teams,
    list_volunteers,
    record_certificate_print,
    register_volunteer,
    update_volunteer,
    void_hours,
    volunteer_summary,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog

STATION_CODE = "150121101000"  # the conftest station, 毕克齐镇
TODAY = date(2026, 11, 25)
HEAD = Actor("乌兰", Role.STATION_HEAD)
WORKER = Actor("李娜", Role.SOCIAL_WORKER)


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


SURINA_ID = make_id("150102", "20040315", "024")  # 苏日娜, female
BATER_ID = make_id("150121", "19880720", "013")  # 巴特尔, male


SURINA = VolunteerInput(name="苏日娜", id_number=SURINA_ID, phone="139 4712 3456", skills=("translation_mn",),
                        registered_on=date(2026, 2, 20), teams=("毕克齐镇社工站志愿服务队",))


def test_register_volunteer_numbers_masks_and_joins_teams(db: Database, actor: Actor) -> None:
    first = register_volunteer(db, actor, SURINA, today=TODAY)
    v = first.volunteer
    assert v.volunteer_no == f"{STATION_CODE}-V00001"
    assert (v.sex, v.birth_date, v.age) == (Sex.FEMALE, date(2004, 3, 15), 22)
    assert v.id_number_masked == SURINA_ID[:6] + "********" + SURINA_ID[-4:]
    assert v.phone_masked == "139****3456"
    assert v.teams == ("毕克齐镇社工站志愿服务队",) and first.warnings == ()
    second = register_volunteer(db, actor, VolunteerInput(name="巴特尔", id_number=BATER_ID,
                                                          teams=("毕克齐镇社工站志愿服务队",)), today=TODAY)
    assert second.volunteer.volunteer_no == f"{STATION_CODE}-V00002"
    assert [(t.name, t.members) for t in list_teams(db, actor)] == [("毕克齐镇社工站志愿服务队", 2)]
    assert [x.name for x in list_volunteers(db, actor, "srn")] == ["苏日娜"]

    with pytest.raises(ValidationError) as dup:
        register_volunteer(db, actor, VolunteerInput(name="苏日娜", id_number=SURINA_ID.lower()), today=TODAY)
    assert dup.value.code == "id_number.duplicate" and dup.value.params["existing"] == str(v.uuid)
    with pytest.raises(ValidationError) as skill:
        register_volunteer(db, actor, VolunteerInput(name="乌云·巴图", skills=("juggling",)), today=TODAY)
    assert skill.value.code == "taxonomy.unknown_code" and skill.value.params["value"] == "juggling"

    edited = update_volunteer(db, actor, v.uuid, VolunteerInput(name="苏日娜", id_number=SURINA_ID,
                                                                teams=("蒙汉双语服务队",)), today=TODAY).volunteer
    assert edited.registered_on == date(2026, 2, 20)  # kept when not given
    assert edited.teams == ("毕克齐镇社工站志愿服务队", "蒙汉双语服务队")


def test_volunteer_form_errors_come_together_and_minor_warns(db: Database, actor: Actor) -> None:
    bad = BATER_ID[:-1] + ("0" if BATER_ID[-1] != "0" else "1")
    with pytest.raises(ValidationErrors) as info:
        register_volunteer(db, actor, VolunteerInput(name="巴特尔", id_number=bad, phone="1391234",
                                                     registered_on=date(2026, 12, 1)), today=TODAY)
    assert {(e.code, e.field) for e in info.value.errors} == {
        ("id_number.checksum", "id_number"), ("phone.length", "phone"), ("date.future", "registered_on")}
    pupil = make_id("150121", "20110901", "046")
    res = register_volunteer(db, actor, VolunteerInput(name="其其格", id_number=pupil), today=TODAY)
    assert [w.code for w in res.warnings] == ["volunteer.minor_without_guardian_consent"]
    ok = register_volunteer(db, actor, VolunteerInput(name="萨仁", id_number=make_id("150121", "20110902", "068"),
                                                      guardian_consent=True), today=TODAY)
    assert ok.warnings == ()


def test_hours_are_credited_by_the_station_rule(db: Database, actor: Actor) -> None:
    vid = register_volunteer(db, actor, SURINA, today=TODAY).volunteer.uuid
    line = add_hours(db, WORKER, HoursInput(vid, date(2026, 11, 2), sign_in=time(8, 30), sign_out=time(11, 45),
                                            place="什报气村", content="入户探访"), today=TODAY)
    assert (line.minutes, line.credited_tenths, line.status, line.recorded_by) == (195, 30, HoursStatus.PENDING,
                                                                                    "李娜")
    with pytest.raises(ValidationError) as short:
        add_hours(db, actor, HoursInput(vid, date(2026, 11, 3), minutes=20), today=TODAY)
    assert short.value.code == "hours.below_unit"
    with pytest.raises(ValidationError) as future:
        add_hours(db, actor, HoursInput(vid, date(2026, 11, 26), minutes=60), today=TODAY)
    assert (future.value.code, future.value.field) == ("date.future", "service_date")
    with pytest.raises(ValidationError) as order:
        add_hours(db, actor, HoursInput(vid, date(2026, 11, 3), sign_in=time(10), sign_out=time(9)), today=TODAY)
    assert order.value.code == "hours.sign_order"
    with pytest.raises(ValidationError) as missing:
        add_hours(db, actor, HoursInput(vid, date(2026, 11, 3)), today=TODAY)
    assert missing.value.code == "hours.time_missing"
    set_setting(db, actor, "hours.unit_tenths", 1)  # no rounding beyond 6 minutes
    assert add_hours(db, actor, HoursInput(vid, date(2026, 11, 3), minutes=20), today=TODAY).credited_tenths == 3


def test_daily_cap_covers_non_void_lines_and_bulk_is_all_or_nothing(db: Database, actor: Actor) -> None:
    vid = register_volunteer(db, actor, SURINA, today=TODAY).volunteer.uuid
    day = date(2026, 10, 18)
    first = add_hours(db, actor, HoursInput(vid, day, minutes=300), today=TODAY)  # 5 h
    with pytest.raises(ValidationError) as cap:
        add_hours(db, actor, HoursInput(vid, day, minutes=240), today=TODAY)  # 4 h more: 9 h > 8 h
    assert cap.value.code == "hours.daily_cap"
    assert cap.value.params == {"cap_tenths": 80, "total_tenths": 90}
    confirm_hours(db, HEAD, [first.uuid])
    with pytest.raises(ValidationError):
        add_hours(db, actor, HoursInput(vid, day, minutes=240), today=TODAY)  # confirmed lines count too
    void_hours(db, HEAD, first.uuid, "重复录入")
    add_hours(db, actor, HoursInput(vid, day, minutes=240), today=TODAY)

    from wushe_desktop.services.activities import ActivityInput, create_activity

    act = create_activity(db, actor, ActivityInput("重阳节敬老慰问", "festival_visit", day)).uuid
    before = len(list_hours(db, actor))
    with pytest.raises(ValidationErrors) as bulk:
        add_hours_bulk(db, actor, act, [HoursInput(vid, day, minutes=60),  # 4 h + 1 h: fine
                                        HoursInput(vid, day, minutes=60)], today=TODAY)  # same activity twice
    assert [(e.code, e.params["line"]) for e in bulk.value.errors] == [("hours.duplicate_line", 1)]
    with pytest.raises(ValidationErrors) as bulk2:
        add_hours_bulk(db, actor, act, [HoursInput(vid, day, minutes=300)], today=TODAY)
    assert [e.code for e in bulk2.value.errors] == ["hours.daily_cap"]
    assert len(list_hours(db, actor)) == before  # nothing saved


def test_correction_keeps_history_and_void_never_counts(db: Database, actor: Actor) -> None:
    vid = register_volunteer(db, actor, SURINA, today=TODAY).volunteer.uuid
    line = add_hours(db, WORKER, HoursInput(vid, date(2026, 9, 30), minutes=240, content="助老送餐"), today=TODAY)
    with pytest.raises(ValidationError) as no_reason:
        correct_hours(db, HEAD, line.uuid, minutes=210, reason="  ")
    assert no_reason.value.code == "hours.reason_required"
    first = correct_hours(db, HEAD, line.uuid, minutes=210, reason="扣除往返时间")
    assert (first.status, first.minutes, first.credited_tenths, first.confirmed_by) == (
        HoursStatus.CORRECTED, 210, 35, "乌兰")
    second = correct_hours(db, HEAD, line.uuid, tenths=40, reason="补记撰写活动总结0.5小时")
    assert [(c.action, c.old_tenths, c.new_tenths, c.old_minutes, c.new_minutes, c.reason, c.by)
            for c in second.corrections] == [
        ("correct", 40, 35, 240, 210, "扣除往返时间", "乌兰"),
        ("correct", 35, 40, None, None, "补记撰写活动总结0.5小时", "乌兰"),
    ]
    assert second.corrections[0].at.tzinfo is not None
    assert volunteer_summary(db, actor, vid).confirmed_tenths == 40

    with pytest.raises(PermissionDenied):
        void_hours(db, WORKER, line.uuid, "录错人")  # counted hours: only the head may void
    voided = void_hours(db, HEAD, line.uuid, "录错人")
    assert voided.status == HoursStatus.VOID and voided.corrections[-1].action == "void"
    summary = volunteer_summary(db, actor, vid)
    assert summary.confirmed_tenths == 0 and [x.status for x in summary.lines] == [HoursStatus.VOID]
    with pytest.raises(StateError) as again:
        correct_hours(db, HEAD, line.uuid, tenths=10, reason="恢复")
    assert again.value.code == "hours.void"
    pending = add_hours(db, WORKER, HoursInput(vid, date(2026, 9, 29), minutes=60), today=TODAY)
    assert void_hours(db, WORKER, pending.uuid, "活动取消").status == HoursStatus.VOID


def test_social_worker_cannot_confirm_correct_or_certify(db: Database, actor: Actor) -> None:
    vid = register_volunteer(db, actor, SURINA, today=TODAY).volunteer.uuid
    line = add_hours(db, WORKER, HoursInput(vid, date(2026, 5, 20), minutes=120), today=TODAY)
    with pytest.raises(PermissionDenied) as confirm:
        confirm_hours(db, WORKER, [line.uuid])
    assert confirm.value.code == "permission.approve"
    with pytest.raises(PermissionDenied):
        correct_hours(db, WORKER, line.uuid, minutes=90, reason="更正")
    confirm_hours(db, HEAD, [line.uuid])
    with pytest.raises(PermissionDenied) as cert:
        issue_certificate(db, WORKER, vid, None, None, "李娜", today=TODAY)
    assert cert.value.code == "permission.issue_certificate"
    issued = issue_certificate(db, HEAD, vid, None, None, "乌兰", today=TODAY)
    with pytest.raises(PermissionDenied):
        record_certificate_print(db, WORKER, issued.uuid)
    with pytest.raises(StateError) as twice:
        confirm_hours(db, HEAD, [line.uuid])
    assert twice.value.code == "hours.not_pending"


# Scenario 5: 苏日娜's lines (service date, minutes); half-hour units rounded down.
CONFIRMED_MAR_NOV = [
    (date(2026, 3, 14), 240, "社区敬老院陪伴老人"),  # 4.0 h
    (date(2026, 4, 18), 360, "蒙汉双语政策宣传"),  # 6.0
    (date(2026, 5, 20), 300, "留守儿童课业辅导"),  # 5.0
    (date(2026, 6, 1), 480, "六一儿童节活动"),  # 8.0
    (date(2026, 7, 15), 420, "入户探访独居老人"),  # 7.0
    (date(2026, 9, 30), 300, "助老送餐"),  # 5.0
    (date(2026, 11, 7), 300, "社区环境整治"),  # 5.0
]  # 40.0 h, plus the corrected August line (6.5 h) = 46.5 h


def test_scenario5_certificate_for_surina(db: Database, actor: Actor) -> None:
    vid = register_volunteer(db, actor, SURINA, today=TODAY).volunteer.uuid
    lines = [add_hours(db, WORKER, HoursInput(vid, d, minutes=m, place="毕克齐镇", content=c), today=TODAY)
             for d, m, c in CONFIRMED_MAR_NOV]
    august = add_hours(db, WORKER, HoursInput(vid, date(2026, 8, 10), minutes=420, content="草原防火宣传"),
                       today=TODAY)
    february = add_hours(db, WORKER, HoursInput(vid, date(2026, 2, 21), minutes=120, content="春节慰问"),
                         today=TODAY)
    mistaken = add_hours(db, WORKER, HoursInput(vid, date(2026, 10, 12), minutes=180), today=TODAY)
    add_hours(db, WORKER, HoursInput(vid, date(2026, 11, 20), minutes=180, content="冬季送温暖"), today=TODAY)

    # The head confirms in one action; one line is corrected, one was entered by mistake.
    confirmed = confirm_hours(db, HEAD, [x.uuid for x in lines] + [february.uuid, mistaken.uuid])
    assert {c.status for c in confirmed} == {HoursStatus.CONFIRMED} and len(confirmed) == 9
    correct_hours(db, HEAD, august.uuid, minutes=390, reason="扣除往返时间")  # 7 h → 6.5 h
    void_hours(db, HEAD, mistaken.uuid, "志愿者当日未到岗")

    summary = volunteer_summary(db, HEAD, vid, date(2026, 3, 1), date(2026, 11, 30))
    assert summary.confirmed_tenths == 465  # 46.5 h
    assert summary.pending_tenths == 30  # 20 November, not yet confirmed
    assert [x.status for x in summary.lines].count(HoursStatus.VOID) == 1
    assert len(summary.lines) == 10 and february.uuid not in {x.uuid for x in summary.lines}
    assert summary.total_confirmed_tenths == 485 and summary.star_level == 0 and summary.next_star_hours == 100

    cert = issue_certificate(db, HEAD, vid, date(2026, 3, 1), date(2026, 11, 30), "乌兰", today=TODAY)
    assert cert.cert_no == f"{STATION_CODE}-Z2026-0001"
    assert cert.hours_tenths == 465 and cert.issuing_body == "毕克齐镇社工站" and cert.handler == "乌兰"
    assert (cert.period_from, cert.period_to, cert.issued_on) == (date(2026, 3, 1), date(2026, 11, 30), TODAY)
    assert cert.volunteer_name == "苏日娜" and cert.id_number_masked == SURINA_ID[:6] + "********" + SURINA_ID[-4:]
    assert cert.content_summary.startswith("社区敬老院陪伴老人；蒙汉双语政策宣传")
    assert "冬季送温暖" not in cert.content_summary
    assert record_certificate_print(db, HEAD, cert.uuid) == 1  # the original
    assert record_certificate_print(db, HEAD, cert.uuid) == 2  # marked as a copy
    with db.read_sessions() as s:
        prints = s.scalars(select(AuditLog).where(AuditLog.action == "print")).all()
    assert [(p.actor, p.details["prints"], p.details["copy"]) for p in prints] == [("乌兰", 1, False),
                                                                                  ("乌兰", 2, True)]

    for period in ((date(2025, 1, 1), date(2025, 12, 31)), (date(2026, 11, 15), date(2026, 11, 25))):
        with pytest.raises(ValidationError) as none:
            issue_certificate(db, HEAD, vid, *period, "乌兰", today=TODAY)  # nothing / only pending
        assert none.value.code == "certificate.no_confirmed_hours"
    whole = issue_certificate(db, HEAD, vid, None, None, "乌兰", today=TODAY)
    assert (whole.cert_no, whole.hours_tenths) == (f"{STATION_CODE}-Z2026-0002", 485)
    assert [c.cert_no for c in list_certificates(db, HEAD, vid)] == [cert.cert_no, whole.cert_no]

    # The banner's thresholds (Zhangjiagang-style 30/60/100/200/300 h) give her one star.
    set_setting(db, actor, "stars.thresholds_hours", [30, 60, 100, 200, 300])
    starred = volunteer_summary(db, HEAD, vid)
    assert (starred.star_level, starred.next_star_hours) == (1, 60)
