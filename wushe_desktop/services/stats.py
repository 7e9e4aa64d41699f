"""The station's figures (`wushe stats`), with the definitions of DESIGN.md §8.

One implementation serves the station and the centre: figures are computed per owning
station (``origin``) from stored values that travel in bundles, so the centre computes
exactly what the station computed. Deleted rows, rows whose parent record is deleted,
and void volunteer-hour lines never count.

Definitions (``from``/``to`` include both ends; a missing bound is open):

- ``activities``: activities whose ``start_date`` is in the period.
- ``participant_person_times.*``: sums of those activities' counts by role.
- ``beneficiary_person_times``: those activities' ``beneficiaries`` plus one per service
  record dated (``service_date``) in the period.
- ``beneficiary_persons``: distinct people among them: roster lines with role
  beneficiary and a known person, plus the clients of those service records; counted per
  station, then summed (people are not matched across stations).
- ``cases.opened``: accepted cases whose ``intake_date`` is in the period.
- ``cases.active``: accepted cases with ``intake_date`` ≤ end and no closure approved by
  the end (``closed_on`` empty or after it); end = ``to`` or today.
- ``cases.closed``: cases whose approved closure date (``closed_on``) is in the period,
  referral closures included.
- ``cases.referred``: outward referrals (``referred_on``) in the period.
- ``service_records``: service records dated in the period.
- ``volunteers``: volunteers registered (``registered_on``) by the end of the period.
- ``volunteer_hours``: confirmed or corrected credited hours dated in the period.
- ``funds_raised_yuan`` / ``goods_value_yuan``: money received / valued goods received
  (``received_on``) in the period.

How they are read (docs/performance.md): every figure of several periods comes from one
grouped query per table (totals per day, summed per period in Python), service records
are counted per piece of the time line the periods cut it into, and the distinct people
of all periods ending on the same day come from one pass that takes each case's newest
record up to that day. ``compute_stats`` of one period is the same code with one period,
so the dashboard (several periods at once) shows exactly what ``wushe stats`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import (
    AttendeeRole,
    DonationForm,
    HoursStatus,
    ReferralDirection,
    StationMode,
)
from wushe_desktop.errors import NotFoundError, ValidationError
from wushe_desktop.services.context import Actor, own_station, reading
from wushe_desktop.services.permissions import Permission
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    ActivityAttendee,
    Case,
    Donation,
    Referral,
    ServiceRecord,
    Station,
    Volunteer,
    VolunteerHours,
)

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A period of dates, both ends included; ``None`` is open."""

    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError("period.order", field="date_to")

    def end(self, today: date) -> date:
        """The date at which "at the end of the period" figures are taken."""
        return self.date_to or today

    def contains(self, column: Any) -> ColumnElement[bool]:
        """A SQL condition: the date column lies in the period."""
        conds = [column.is_not(None)]
        if self.date_from:
            conds.append(column >= self.date_from)
        if self.date_to:
            conds.append(column <= self.date_to)
        return and_(*conds)

    def includes(self, day: date | None) -> bool:
        """The same test as :meth:`contains`, on a date already read."""
        return (day is not None and (self.date_from is None or day >= self.date_from)
                and (self.date_to is None or day <= self.date_to))


@dataclass(frozen=True)
class Participants:
    social_workers: int
    volunteers: int
    caring_people: int


@dataclass(frozen=True)
class CaseFigures:
    opened: int
    active: int
    closed: int
    referred: int


@dataclass(frozen=True)
class Stats:
    """The figures of DESIGN.md §8 (money in yuan with 2 decimals, hours with 1)."""

    activities: int
    funds_raised_yuan: float
    goods_value_yuan: float
    participant_person_times: Participants
    beneficiary_person_times: int
    beneficiary_persons: int
    cases: CaseFigures
    service_records: int
    volunteers: int
    volunteer_hours: float

    def to_json(self, *, stations: Sequence[str], period: Period) -> dict[str, Any]:
        """The stable ``--json`` document."""
        doc: dict[str, Any] = {
            "stations": list(stations),
            "from": period.date_from.isoformat() if period.date_from else None,
            "to": period.date_to.isoformat() if period.date_to else None,
        }
        doc.update(asdict(self))
        return doc


@dataclass(frozen=True)
class TrendFigures:
    """The figures of one period in the dashboard's trend chart, each equal to its ``Stats`` figure."""

    activities: int
    service_records: int
    beneficiary_person_times: int
    volunteer_hours: float


def _scalar(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def _hull(periods: Sequence[Period]) -> Period:
    """The smallest period holding all of them (open where one of them is)."""
    froms = [p.date_from for p in periods]
    tos = [p.date_to for p in periods]
    return Period(None if None in froms else min(d for d in froms if d is not None),
                  None if None in tos else max(d for d in tos if d is not None))


def _sums(rows: Iterable[Sequence[Any]], periods: Sequence[Period], width: int) -> list[list[int]]:
    """Per period, the sums of the values of the per-day rows ``(day, value, ...)`` in it."""
    rows = list(rows)
    totals = []
    for period in periods:
        sums = [0] * width
        for row in rows:
            if period.includes(row[0]):
                for i in range(width):
                    sums[i] += int(row[1 + i] or 0)
        totals.append(sums)
    return totals


def _by_day(session: Session, day: Any, values: Sequence[Any], where: Sequence[Any],
            periods: Sequence[Period]) -> list[list[int]]:
    """Sums of ``values`` over the rows whose ``day`` lies in each period: one query grouped by day."""
    stmt = select(day, *values).where(*where, _hull(periods).contains(day)).group_by(day)
    return _sums(session.execute(stmt).all(), periods, len(values))


def _pieces(periods: Sequence[Period]) -> list[Period]:
    """The pieces the periods cut the time line into, those inside one period at least.

    Each period is the union of some pieces, and no piece is partly in a period.
    """
    cuts = sorted({p.date_from for p in periods if p.date_from is not None}
                  | {p.date_to + ONE_DAY for p in periods if p.date_to is not None and p.date_to < date.max})
    bounds: list[date | None] = [None, *cuts, None]
    pieces = [Period(a, b - ONE_DAY if b is not None else None) for a, b in pairwise(bounds)]
    return [piece for piece in pieces if any(_within(piece, p) for p in periods)]


def _within(piece: Period, period: Period) -> bool:
    return ((period.date_from is None or (piece.date_from is not None and piece.date_from >= period.date_from))
            and (period.date_to is None or (piece.date_to is not None and piece.date_to <= period.date_to)))


def _live_cases(origins: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    """The cases whose records count: live, accepted, of these stations."""
    return (Case.deleted_at.is_(None), Case.origin.in_(list(origins)), Case.accepted.is_(True))


def _service_records(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[int]:
    """Per period, the live service records dated in it whose case counts.

    The records are counted per piece of the time line (:func:`_pieces`). When most cases
    count (a station, or a centre's total), a piece's live records are counted by date
    alone (one index range, no case read) less those of the few cases that do not count;
    otherwise they are counted case by case over the cases that count. Both give the same
    numbers, because every record names an existing case (foreign key).
    """
    live_case = and_(*_live_cases(origins))
    pieces = _pieces(periods)
    live_sr = ServiceRecord.deleted_at.is_(None)
    mine = ServiceRecord.case_id == Case.uuid

    def case_by_case(cases: ColumnElement[bool]) -> list[int]:
        """Per piece, the live records of the cases that meet ``cases``, read case by case."""
        has_any = select(ServiceRecord.case_id).where(mine, live_sr, _hull(pieces).contains(ServiceRecord.service_date))
        row = session.execute(select(*(
            func.coalesce(func.sum(select(func.count()).where(mine, live_sr, piece.contains(ServiceRecord.service_date))
                                   .correlate(Case).scalar_subquery()), 0)
            for piece in pieces)).where(cases, has_any.correlate(Case).exists())).one()
        return [int(n) for n in row]

    counted = _scalar(session, select(func.count()).select_from(Case).where(live_case))
    every = _scalar(session, select(func.count()).select_from(Case))
    if counted * 2 < every:
        in_piece = case_by_case(live_case)
    else:
        left_out = case_by_case(not_(live_case))
        in_piece = [_scalar(session, select(func.count()).select_from(ServiceRecord)
                            .where(live_sr, piece.contains(ServiceRecord.service_date))) - out
                    for piece, out in zip(pieces, left_out, strict=True)]
    return [sum(n for piece, n in zip(pieces, in_piece, strict=True) if _within(piece, period)) for period in periods]


def _beneficiary_persons(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[int]:
    """Per period, the distinct people served: roster beneficiaries and the clients of its records.

    Periods ending on the same day share the queries: a person is served in such a period
    when their newest activity or service record up to that day lies in it. The clients
    are counted first (each case's newest record, per client); then the roster's people who
    are not also counted as clients (few: the roster is read per person and each one's
    cases looked up), which is the union without sorting every case and roster line.
    """
    found: dict[Period, int] = {}
    live_case = _live_cases(origins)
    live_sr = ServiceRecord.deleted_at.is_(None)
    for end in {p.date_to for p in periods}:
        group = [p for p in periods if p.date_to == end]
        upto = Period(None, end)

        def served(day: Any, start: date | None) -> Any:
            """How many rows have ``day`` in the period starting at ``start`` (and ending on ``end``)."""
            return func.coalesce(func.sum(case((day.is_not(None) if start is None else day >= start, 1),
                                               else_=0)), 0)

        newest_record = (select(func.max(ServiceRecord.service_date))
                         .where(ServiceRecord.case_id == Case.uuid, live_sr, upto.contains(ServiceRecord.service_date))
                         .correlate(Case).scalar_subquery())
        clients = (select(func.max(newest_record).label("day")).where(*live_case)
                   .group_by(Case.origin, Case.person_id).subquery())
        as_clients = session.execute(select(*(served(clients.c.day, p.date_from) for p in group))).one()

        roster = (select(ActivityAttendee.origin.label("origin"), ActivityAttendee.person_id.label("person_id"),
                         func.max(Activity.start_date).label("day"))
                  .join(Activity, Activity.uuid == ActivityAttendee.activity_id)
                  .where(Activity.deleted_at.is_(None), Activity.origin.in_(list(origins)),
                         Period(_hull(group).date_from, end).contains(Activity.start_date),
                         ActivityAttendee.deleted_at.is_(None), ActivityAttendee.role == AttendeeRole.BENEFICIARY,
                         ActivityAttendee.person_id.is_not(None))
                  .group_by(ActivityAttendee.origin, ActivityAttendee.person_id).subquery())
        as_client = (select(func.max(newest_record))
                     .where(Case.origin == roster.c.origin, Case.person_id == roster.c.person_id, *live_case)
                     .correlate(roster).scalar_subquery())
        # (few rows: one per person on the roster) counted here, each as a client or not
        people = session.execute(select(roster.c.day, as_client)).all()
        only_roster = [sum(1 for day, client_day in people if p.includes(day) and not p.includes(client_day))
                       for p in group]
        found.update((p, int(a) + int(b)) for p, a, b in zip(group, as_clients, only_roster, strict=True))
    return [found[p] for p in periods]


def _activities(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[list[int]]:
    """Per period: activities, social workers, volunteers, caring people, beneficiaries."""
    return _by_day(session, Activity.start_date, (
        func.count(), func.coalesce(func.sum(Activity.social_workers), 0),
        func.coalesce(func.sum(Activity.volunteers), 0), func.coalesce(func.sum(Activity.caring_people), 0),
        func.coalesce(func.sum(Activity.beneficiaries), 0),
    ), (Activity.deleted_at.is_(None), Activity.origin.in_(list(origins))), periods)


def _hours_tenths(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[int]:
    stmt_where = (VolunteerHours.deleted_at.is_(None), Volunteer.deleted_at.is_(None),
                  VolunteerHours.origin.in_(list(origins)),
                  VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]))
    day = VolunteerHours.service_date
    stmt = (select(day, func.coalesce(func.sum(VolunteerHours.credited_tenths), 0))
            .join(Volunteer, Volunteer.uuid == VolunteerHours.volunteer_id)
            .where(*stmt_where, _hull(periods).contains(day)).group_by(day))
    return [row[0] for row in _sums(session.execute(stmt).all(), periods, 1)]


def compute_stats_over(session: Session, origins: Sequence[str], periods: Sequence[Period],
                       today: date) -> list[Stats]:
    """The figures of each period over the given stations (sums, distinct persons per station)."""
    periods = list(periods)
    if not periods:
        return []
    in_origins = list(origins)
    live_case = _live_cases(in_origins)

    act = _activities(session, in_origins, periods)
    service_records = _service_records(session, in_origins, periods)
    persons = _beneficiary_persons(session, in_origins, periods)
    opened = _by_day(session, Case.intake_date, (func.count(),), live_case, periods)
    closed = _by_day(session, Case.closed_on, (func.count(),), live_case, periods)
    referred = _by_day(session, Referral.referred_on, (func.count(),), (
        Referral.deleted_at.is_(None), Referral.origin.in_(in_origins),
        Referral.direction == ReferralDirection.OUT), periods)
    hours_tenths = _hours_tenths(session, in_origins, periods)
    live_don = (Donation.deleted_at.is_(None), Donation.origin.in_(in_origins))
    money = _by_day(session, Donation.received_on, (func.coalesce(func.sum(Donation.amount_fen), 0),),
                    (*live_don, Donation.form == DonationForm.MONEY), periods)
    goods = _by_day(session, Donation.received_on, (func.coalesce(func.sum(Donation.goods_value_fen), 0),),
                    (*live_don, Donation.form == DonationForm.GOODS), periods)

    active: dict[date, int] = {}
    volunteers: dict[date, int] = {}
    for end in {p.end(today) for p in periods}:
        active[end] = _scalar(session, select(func.count()).select_from(Case).where(
            *live_case, Case.intake_date <= end, (Case.closed_on.is_(None)) | (Case.closed_on > end)))
        volunteers[end] = _scalar(session, select(func.count()).select_from(Volunteer).where(
            Volunteer.deleted_at.is_(None), Volunteer.origin.in_(in_origins), Volunteer.registered_on <= end))

    return [Stats(
        activities=a[0],
        funds_raised_yuan=round(money[i][0] / 100, 2),
        goods_value_yuan=round(goods[i][0] / 100, 2),
        participant_person_times=Participants(a[1], a[2], a[3]),
        beneficiary_person_times=a[4] + service_records[i],
        beneficiary_persons=persons[i],
        cases=CaseFigures(opened[i][0], active[p.end(today)], closed[i][0], referred[i][0]),
        service_records=service_records[i],
        volunteers=volunteers[p.end(today)],
        volunteer_hours=round(hours_tenths[i] / 10, 1),
    ) for i, (p, a) in enumerate(zip(periods, act, strict=True))]


def compute_stats(session: Session, origins: Sequence[str], period: Period, today: date) -> Stats:
    """Figures over the given stations (sums, distinct persons per station)."""
    return compute_stats_over(session, origins, [period], today)[0]


def compute_trend(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[TrendFigures]:
    """The trend chart's figures of each period, read as :func:`compute_stats_over` reads them."""
    periods = list(periods)
    if not periods:
        return []
    in_origins = list(origins)
    act = _activities(session, in_origins, periods)
    service_records = _service_records(session, in_origins, periods)
    hours_tenths = _hours_tenths(session, in_origins, periods)
    return [TrendFigures(activities=a[0], service_records=n, beneficiary_person_times=a[4] + n,
                         volunteer_hours=round(h / 10, 1))
            for a, n, h in zip(act, service_records, hours_tenths, strict=True)]


def station_stats(db: Database, actor: Actor, period: Period, today: date | None = None) -> tuple[str, Stats]:
    """This station's own figures: (station code, stats)."""
    with reading(db, actor, Permission.READ) as session:
        code = own_station(session).code
        return code, compute_stats(session, [code], period, today or date.today())


def station_figures(db: Database, actor: Actor, periods: Sequence[Period], trend: Sequence[Period] = (),
                    today: date | None = None) -> tuple[list[Stats], list[TrendFigures]]:
    """This station's figures of several periods and the trend figures of others, in one read.

    Each ``Stats`` equals :func:`station_stats` of its period, each ``TrendFigures`` the same
    figures of it; reading them together costs about as much as reading the longest one.
    """
    with reading(db, actor, Permission.READ) as session:
        code = own_station(session).code
        return (compute_stats_over(session, [code], periods, today or date.today()),
                compute_trend(session, [code], trend))


def centre_stats(db: Database, actor: Actor, period: Period, station: str | None = None,
                 today: date | None = None) -> tuple[list[str], Stats]:
    """At a centre: one station's figures, or the sum over every registered station."""
    with reading(db, actor, Permission.READ) as session:
        own_station(session, StationMode.CENTRE)
        codes = list(session.scalars(select(Station.code).where(Station.is_self.is_(False))
                                     .order_by(Station.code)))
        if station is not None:
            if station not in codes:
                raise NotFoundError("centre.station_unknown", field="station", station_code=station)
            codes = [station]
        return codes, compute_stats(session, codes, period, today or date.today())
