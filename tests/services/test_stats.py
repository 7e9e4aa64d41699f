"""The definitions of `stats` (DESIGN.md §8), each pinned by a hand-made record."""

from __future__ import annotations

import uuid
from datetime import date

from wushe_desktop.domain.enums import (
    AttendeeRole,
    CaseSource,
    CaseStage,
    ContactMode,
    DonationForm,
    DonorType,
    HoursStatus,
    ReferralDirection,
)
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.stats import Period, station_stats
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    ActivityAttendee,
    Case,
    Donation,
    Person,
    Referral,
    ServiceRecord,
    Volunteer,
    VolunteerHours,
)
from wushe_desktop.storage.types import utcnow

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))
TODAY = date(2026, 11, 25)


def _person(s, name: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    p = Person(name=name)
    s.add(p)
    s.flush()
    return p.uuid


def _case(s, person: uuid.UUID, no: str, intake: date, stage: CaseStage = CaseStage.INTERVENTION,  # type: ignore[no-untyped-def]
          closed_on: date | None = None, accepted: bool = True, deleted: bool = False) -> uuid.UUID:
    c = Case(case_no=no, person_id=person, intake_date=intake, source=CaseSource.SELF, service_area="elderly",
             stage=stage, closed_on=closed_on, accepted=accepted, deleted_at=utcnow() if deleted else None)
    s.add(c)
    s.flush()
    return c.uuid


def _record(s, case: uuid.UUID, seq: int, day: date, deleted: bool = False) -> None:  # type: ignore[no-untyped-def]
    s.add(ServiceRecord(case_id=case, seq=seq, service_date=day, mode=ContactMode.HOME_VISIT,
                        deleted_at=utcnow() if deleted else None))


def test_every_key_follows_its_definition(db: Database, actor: Actor) -> None:
    with transaction(db, actor) as s:
        wang, li, zhao, ba = (_person(s, n) for n in ("王桂花", "李秀兰", "赵国庆", "巴特尔"))
        # cases: opened in Nov (2, the not-accepted one and the deleted one never count)
        c1 = _case(s, wang, "C-1", date(2026, 11, 1))
        _case(s, li, "C-2", date(2026, 11, 30), stage=CaseStage.INTAKE)
        _case(s, li, "C-3", date(2026, 11, 10), stage=CaseStage.NOT_OPENED, accepted=False)
        _case(s, li, "C-4", date(2026, 11, 10), deleted=True)
        # closed in Nov (active at end: no), closed after the period (active: yes), closed before
        c5 = _case(s, zhao, "C-5", date(2026, 3, 1), CaseStage.CLOSED, closed_on=date(2026, 11, 15))
        _case(s, zhao, "C-6", date(2026, 3, 1), CaseStage.CLOSED, closed_on=date(2026, 12, 2))
        _case(s, zhao, "C-7", date(2026, 2, 1), CaseStage.CLOSED, closed_on=date(2026, 10, 31))
        _case(s, ba, "C-8", date(2026, 12, 1))  # opened after the period: not active at its end
        # service records: 3 in Nov (one deleted, one on a deleted case does not exist), clients wang+zhao
        _record(s, c1, 1, date(2026, 11, 1))
        _record(s, c1, 2, date(2026, 11, 30))
        _record(s, c1, 3, date(2026, 12, 1))
        _record(s, c1, 4, date(2026, 11, 5), deleted=True)
        _record(s, c5, 1, date(2026, 11, 2))
        # referrals out in Nov: 1 (the inward one does not count)
        s.add(Referral(person_id=zhao, referred_on=date(2026, 11, 3), direction=ReferralDirection.OUT))
        s.add(Referral(person_id=zhao, referred_on=date(2026, 11, 3), direction=ReferralDirection.IN))
        # activities: one in Nov with roster (wang again + ba) and a volunteer on the roster
        a = Activity(activity_no="A-1", title="重阳节敬老慰问", activity_type="festival_visit",
                     start_date=date(2026, 11, 20), social_workers=3, volunteers=12, caring_people=8, beneficiaries=60)
        s.add(a)
        s.add(Activity(activity_no="A-2", title="十月活动", activity_type="community_event",
                       start_date=date(2026, 10, 31), social_workers=9, beneficiaries=99))
        s.add(Activity(activity_no="A-3", title="已删除", activity_type="community_event",
                       start_date=date(2026, 11, 21), social_workers=9, beneficiaries=99, deleted_at=utcnow()))
        s.flush()
        for pid in (wang, ba):
            s.add(ActivityAttendee(activity_id=a.uuid, person_id=pid, role=AttendeeRole.BENEFICIARY))
        s.add(ActivityAttendee(activity_id=a.uuid, name="路人", role=AttendeeRole.BENEFICIARY))
        # volunteers: registered by the end (2), one registered later
        v1 = Volunteer(volunteer_no="V1", name="苏日娜", registered_on=date(2026, 1, 1))
        v2 = Volunteer(volunteer_no="V2", name="乌云·巴图", registered_on=date(2026, 11, 30))
        s.add_all([v1, v2, Volunteer(volunteer_no="V3", name="朝鲁", registered_on=date(2026, 12, 1))])
        s.flush()
        for status, tenths, day in ((HoursStatus.CONFIRMED, 35, date(2026, 11, 2)),
                                    (HoursStatus.CORRECTED, 20, date(2026, 11, 30)),
                                    (HoursStatus.PENDING, 40, date(2026, 11, 3)),
                                    (HoursStatus.VOID, 40, date(2026, 11, 3)),
                                    (HoursStatus.CONFIRMED, 40, date(2026, 10, 31))):
            s.add(VolunteerHours(volunteer_id=v1.uuid, service_date=day, credited_tenths=tenths, status=status))
        # donations: money and goods in Nov, money outside
        s.add(Donation(ledger_no="J1", received_on=date(2026, 11, 20), donor_type=DonorType.COMPANY,
                       form=DonationForm.MONEY, amount_fen=123456))
        s.add(Donation(ledger_no="J2", received_on=date(2026, 11, 20), donor_type=DonorType.COMPANY,
                       form=DonationForm.GOODS, goods_value_fen=300000))
        s.add(Donation(ledger_no="J3", received_on=date(2026, 12, 20), donor_type=DonorType.ANONYMOUS,
                       form=DonationForm.MONEY, amount_fen=100))

    _, st = station_stats(db, actor, NOV, today=TODAY)
    assert st.activities == 1
    assert (st.participant_person_times.social_workers, st.participant_person_times.volunteers,
            st.participant_person_times.caring_people) == (3, 12, 8)
    assert st.service_records == 3
    assert st.beneficiary_person_times == 60 + 3
    assert st.beneficiary_persons == 3  # 王桂花 (twice), 巴特尔, 赵国庆; the walk-in has no identity
    assert (st.cases.opened, st.cases.closed, st.cases.referred) == (2, 1, 1)
    assert st.cases.active == 3  # C-1, C-2, C-6
    assert st.volunteers == 2
    assert st.volunteer_hours == 5.5
    assert st.funds_raised_yuan == 1234.56
    assert st.goods_value_yuan == 3000.0


def test_open_period_counts_everything_and_active_is_taken_today(db: Database, actor: Actor) -> None:
    with transaction(db, actor) as s:
        p = _person(s, "王桂花")
        _case(s, p, "C-1", date(2026, 1, 1))
        _case(s, p, "C-2", date(2026, 1, 1), CaseStage.CLOSED, closed_on=date(2026, 11, 24))
    _, st = station_stats(db, actor, Period(), today=TODAY)
    assert (st.cases.opened, st.cases.active, st.cases.closed) == (2, 1, 1)


# --- Several periods at once equal the definition, period by period --------------------

def _reference(session, origins: list[str], period: Period, today: date):  # type: ignore[no-untyped-def]
    """The figures read the plain way, one query per figure (as before the dashboard's speed-up)."""
    from sqlalchemy import func, select, union

    from wushe_desktop.services.stats import CaseFigures, Participants, Stats
    end = period.end(today)
    live_act = (Activity.deleted_at.is_(None), Activity.origin.in_(origins), period.contains(Activity.start_date))
    act = session.execute(select(
        func.count(), func.coalesce(func.sum(Activity.social_workers), 0),
        func.coalesce(func.sum(Activity.volunteers), 0), func.coalesce(func.sum(Activity.caring_people), 0),
        func.coalesce(func.sum(Activity.beneficiaries), 0)).where(*live_act)).one()
    live_case = (Case.deleted_at.is_(None), Case.origin.in_(origins), Case.accepted.is_(True))
    live_sr = (ServiceRecord.deleted_at.is_(None), period.contains(ServiceRecord.service_date))

    def n(stmt) -> int:  # type: ignore[no-untyped-def]
        return int(session.scalar(stmt) or 0)

    records = n(select(func.count()).select_from(ServiceRecord)
                .join(Case, Case.uuid == ServiceRecord.case_id).where(*live_sr, *live_case))
    roster = (select(ActivityAttendee.origin, ActivityAttendee.person_id)
              .join(Activity, Activity.uuid == ActivityAttendee.activity_id)
              .where(*live_act, ActivityAttendee.deleted_at.is_(None), ActivityAttendee.role == AttendeeRole.BENEFICIARY,
                     ActivityAttendee.person_id.is_not(None)))
    clients = (select(Case.origin, Case.person_id).join(ServiceRecord, ServiceRecord.case_id == Case.uuid)
               .where(*live_sr, *live_case))
    persons = n(select(func.count()).select_from(union(roster, clients).subquery()))
    cases = CaseFigures(
        n(select(func.count()).select_from(Case).where(*live_case, period.contains(Case.intake_date))),
        n(select(func.count()).select_from(Case).where(*live_case, Case.intake_date <= end,
                                                       (Case.closed_on.is_(None)) | (Case.closed_on > end))),
        n(select(func.count()).select_from(Case).where(*live_case, period.contains(Case.closed_on))),
        n(select(func.count()).select_from(Referral).where(
            Referral.deleted_at.is_(None), Referral.origin.in_(origins), Referral.direction == ReferralDirection.OUT,
            period.contains(Referral.referred_on))))
    volunteers = n(select(func.count()).select_from(Volunteer).where(
        Volunteer.deleted_at.is_(None), Volunteer.origin.in_(origins), Volunteer.registered_on <= end))
    tenths = n(select(func.coalesce(func.sum(VolunteerHours.credited_tenths), 0))
               .join(Volunteer, Volunteer.uuid == VolunteerHours.volunteer_id).where(
        VolunteerHours.deleted_at.is_(None), Volunteer.deleted_at.is_(None), VolunteerHours.origin.in_(origins),
        VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]),
        period.contains(VolunteerHours.service_date)))
    live_don = (Donation.deleted_at.is_(None), Donation.origin.in_(origins), period.contains(Donation.received_on))
    funds = n(select(func.coalesce(func.sum(Donation.amount_fen), 0)).where(*live_don, Donation.form == DonationForm.MONEY))
    goods = n(select(func.coalesce(func.sum(Donation.goods_value_fen), 0))
              .where(*live_don, Donation.form == DonationForm.GOODS))
    return Stats(int(act[0]), round(funds / 100, 2), round(goods / 100, 2),
                 Participants(int(act[1]), int(act[2]), int(act[3])), int(act[4]) + records, persons, cases,
                 records, volunteers, round(tenths / 10, 1))


def test_figures_of_several_periods_equal_the_definition_period_by_period(db: Database, actor: Actor) -> None:
    """Many periods read together (the dashboard's way) give each period's plain figures.

    The demo is roughened where the grouped reading could go wrong: deleted records, a
    deleted case and a not-accepted case with records, records dated after today, a client
    with two cases who is also on a roster, and a second station's case (so that the
    records are counted both ways: by date less the cases that do not count, and case by
    case when few cases count).
    """
    from sqlalchemy import select, update

    from wushe_desktop.services.demo import DemoSize, generate_demo
    from wushe_desktop.services.stats import (
        compute_stats_by_station,
        compute_stats_over,
        compute_trend,
    )
    from wushe_desktop.ui.dashboard import month_period, trend_periods, year_period

    generate_demo(db, actor, DemoSize(cases=60, volunteers=10, activities=12), seed=3, today=TODAY)
    with transaction(db, actor) as s:
        code = s.scalar(select(Case.origin))
        cases = list(s.scalars(select(Case).order_by(Case.case_no)))
        attendee = s.scalars(select(ActivityAttendee).where(ActivityAttendee.role == AttendeeRole.BENEFICIARY,
                                                            ActivityAttendee.person_id.is_not(None))).first()
        assert code and len(cases) > 10 and attendee is not None
        cases[0].deleted_at = utcnow()
        cases[1].accepted = False
        cases[2].person_id = cases[3].person_id  # one client, two cases
        cases[4].person_id = attendee.person_id  # a client also on a roster
        _record(s, cases[0].uuid, 901, date(2026, 11, 3))
        _record(s, cases[1].uuid, 901, date(2026, 10, 3))
        _record(s, cases[5].uuid, 901, date(2026, 12, 24))  # after today
        s.execute(update(ServiceRecord).where(ServiceRecord.case_id == cases[6].uuid).values(deleted_at=utcnow()))
        other = _case(s, cases[7].person_id, "X-1", date(2026, 3, 1))
        _record(s, other, 1, date(2026, 11, 2))
        _record(s, other, 2, date(2026, 6, 2))
        s.execute(update(Case).where(Case.uuid == other).values(origin="OTHER"))
    periods = [*trend_periods(TODAY, 14), month_period(TODAY), year_period(TODAY), Period(),
               Period(date(2026, 3, 15), None), Period(None, date(2026, 6, 30)), Period(TODAY, TODAY),
               Period(date(2025, 12, 24), date(2026, 12, 31)), Period(date(2030, 1, 1), date(2030, 1, 31)),
               Period(date.min, date(2026, 6, 30)), Period(date(2026, 3, 15), date.max)]  # the calendar's ends
    with db.read_sessions() as s:
        for origins in ([code], [code, "OTHER"], ["OTHER"]):
            together = compute_stats_over(s, origins, periods, TODAY)
            one_by_one = [_reference(s, origins, p, TODAY) for p in periods]
            assert together == one_by_one, origins
            trend = compute_trend(s, origins, periods)
            assert [(t.activities, t.service_records, t.beneficiary_person_times, t.volunteer_hours)
                    for t in trend] == [(st.activities, st.service_records, st.beneficiary_person_times,
                                         st.volunteer_hours) for st in one_by_one]
        # each station's figures read together (a centre's overview) equal each read alone
        by_station = compute_stats_by_station(s, [code, "OTHER", "NOTHING"], periods, TODAY)
        for origin in (code, "OTHER", "NOTHING"):
            assert by_station[origin] == [_reference(s, [origin], p, TODAY) for p in periods], origin
        assert by_station["NOTHING"][0].service_records == 0 and by_station["OTHER"][periods.index(Period())].service_records == 2
        assert sum(st.service_records for st in compute_stats_over(s, [code], periods, TODAY)) > 0
        assert compute_stats_over(s, ["OTHER"], [Period()], TODAY)[0].service_records == 2
        assert compute_stats_over(s, [code], [], TODAY) == [] and compute_stats_by_station(s, [code], [], TODAY) == {
            code: []}
        assert compute_stats_over(s, [], [Period()], TODAY) == compute_stats_over(s, ["NOTHING"], [Period()], TODAY)
