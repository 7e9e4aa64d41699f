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
grouped query per table (totals per piece of the time line the periods cut it into, summed
per period in Python). Service records are counted by date less those of the cases that do
not count, or case by case when few cases count, or (per station) joined to their cases.
The distinct people of all periods ending on the same day come from one statement (each
person's newest day as a client and on a roster). ``compute_stats`` of one period is the
same code with one period, so the dashboard (several periods at once) shows exactly what
``wushe stats`` prints. A centre's overview reads every station's figures at once
(``compute_stats_by_station``): the same queries, each also grouped by station; every
figure is a sum over stations, so the total is the sum of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_, select, union_all
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
ALL = "*"  # the key of figures read over all the stations as one


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


def _within(piece: Period, period: Period) -> bool:
    return ((period.date_from is None or (piece.date_from is not None and piece.date_from >= period.date_from))
            and (period.date_to is None or (piece.date_to is not None and piece.date_to <= period.date_to)))


class _Timeline:
    """The pieces the periods cut the time line into.

    Each period is the union of some pieces, and no piece is partly in a period, so a figure
    counted per piece is summed per period without reading a row twice.
    """

    def __init__(self, periods: Sequence[Period]) -> None:
        # the first and last days of the calendar are open ends (nothing lies beyond them)
        self.periods = [Period(p.date_from if p.date_from != date.min else None,
                               p.date_to if p.date_to != date.max else None) for p in periods]
        self.hull = _hull(self.periods)
        self.cuts = sorted({p.date_from for p in self.periods if p.date_from is not None}
                           | {p.date_to + ONE_DAY for p in self.periods if p.date_to is not None})
        bounds: list[date | None] = [None, *self.cuts, None]
        self.pieces = [Period(a, b - ONE_DAY if b is not None else None) for a, b in pairwise(bounds)]
        self.used = [i for i, piece in enumerate(self.pieces) if any(_within(piece, p) for p in self.periods)]

    def piece_of(self, day: Any) -> list[Any]:
        """The SQL expression of the index of the piece holding the date column ``day`` (none
        when the time line is not cut: its one piece is 0)."""
        if not self.cuts:
            return []
        return [case(*((day < cut, i) for i, cut in enumerate(self.cuts)), else_=len(self.cuts))]

    def per_period(self, per_piece: Mapping[int, Sequence[int]], width: int) -> list[list[int]]:
        """Per period, the sums of the values counted per piece."""
        sums = []
        for period in self.periods:
            total = [0] * width
            for i, values in per_piece.items():
                if _within(self.pieces[i], period):
                    for k in range(width):
                        total[k] += int(values[k] or 0)
            sums.append(total)
        return sums


class _Grouping:
    """Which stations are read, and whether per station.

    Read per station (a centre's overview), every query is grouped by its ``origin`` column
    and the figures come out keyed by station code. Read as one (a station, a centre's
    total), nothing is grouped by station (no index need lead with ``origin``) and the
    figures come out under the one key :data:`ALL`.
    """

    def __init__(self, origins: Sequence[str], *, per_station: bool) -> None:
        self.origins = list(dict.fromkeys(origins))
        self.several = per_station and len(self.origins) > 1
        self.names = self.origins if per_station else [ALL]
        self._counted: int | None = None

    def counted_cases(self, session: Session) -> int:
        """How many cases count (live, accepted, of these stations), read once per reading."""
        if self._counted is None:
            self._counted = _scalar(session, select(func.count()).select_from(Case).where(*_live_cases(self.origins)))
        return self._counted

    def keys(self, origin: Any) -> list[Any]:
        """The columns to select first and group by."""
        return [origin] if self.several else []

    def rows(self, session: Session, stmt: Any) -> Iterator[tuple[str, Sequence[Any]]]:
        """``(key, rest of the row)`` of a statement that selects :meth:`keys` first."""
        for row in session.execute(stmt):
            if self.several:
                yield row[0], row[1:]
            else:
                yield self.names[0], row


def _by_piece(session: Session, grouping: _Grouping, origin: Any, day: Any, values: Sequence[Any],
              where: Sequence[Any], line: _Timeline, *, join: Any = None) -> dict[str, list[list[int]]]:
    """Per station and period, the sums of ``values`` over the rows whose ``day`` lies in the period.

    One query grouped by the piece of the time line (and the station, when several are read).
    """
    piece = line.piece_of(day)
    keys = grouping.keys(origin)
    stmt = select(*keys, *piece, *values)
    if join is not None:  # (left, right, on)
        stmt = stmt.select_from(join[0]).join(join[1], join[2])
    stmt = stmt.where(*where, line.hull.contains(day)).group_by(*keys, *piece)
    per_piece: dict[str, dict[int, Sequence[int]]] = {o: {} for o in grouping.names}
    for key, row in grouping.rows(session, stmt):
        per_piece.setdefault(key, {})[int(row[0]) if piece else 0] = row[len(piece):]
    return {o: line.per_period(pieces, len(values)) for o, pieces in per_piece.items()}


def _count_if(condition: ColumnElement[bool]) -> Any:
    """How many rows meet the condition (0, not NULL, when there are none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _live_cases(origins: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    """The cases whose records count: live, accepted, of these stations."""
    return (Case.deleted_at.is_(None), Case.origin.in_(list(origins)), Case.accepted.is_(True))


def _service_records(session: Session, grouping: _Grouping, line: _Timeline) -> dict[str, list[int]]:
    """Per station and period, the live service records dated in it whose case counts.

    Per station (a centre's overview): one query joining each record to its case, grouped
    by the case's station and the piece of the time line. Read as one: counted per piece;
    when most cases count (a station, or a centre's total), a piece's live
    records are counted by date alone (one index range, no case read) less those of the few
    cases that do not count; otherwise case by case over the cases that count. All give
    the same numbers, because every record names an existing case (foreign key).
    """
    live_case = and_(*_live_cases(grouping.origins))
    live_sr = ServiceRecord.deleted_at.is_(None)
    if grouping.several:
        found = _by_piece(session, grouping, Case.origin, ServiceRecord.service_date, (func.count(),),
                          (live_sr, live_case), line, join=(ServiceRecord, Case, Case.uuid == ServiceRecord.case_id))
        return {o: [values[0] for values in per_period] for o, per_period in found.items()}

    pieces = [line.pieces[i] for i in line.used]
    mine = ServiceRecord.case_id == Case.uuid

    def case_by_case(cases: ColumnElement[bool]) -> list[int]:
        """Per piece, the live records of the cases that meet ``cases``, read case by case."""
        has_any = select(ServiceRecord.case_id).where(mine, live_sr, _hull(pieces).contains(ServiceRecord.service_date))
        row = session.execute(select(*(
            func.coalesce(func.sum(select(func.count()).where(mine, live_sr, piece.contains(ServiceRecord.service_date))
                                   .correlate(Case).scalar_subquery()), 0)
            for piece in pieces)).where(cases, has_any.correlate(Case).exists())).one()
        return [int(n) for n in row]

    every = _scalar(session, select(func.count()).select_from(Case))
    if grouping.counted_cases(session) * 2 < every:
        in_piece = case_by_case(live_case)
    else:
        left_out = case_by_case(not_(live_case))
        in_piece = [_scalar(session, select(func.count()).select_from(ServiceRecord)
                            .where(live_sr, piece.contains(ServiceRecord.service_date))) - out
                    for piece, out in zip(pieces, left_out, strict=True)]
    found_one = line.per_period({i: (n,) for i, n in zip(line.used, in_piece, strict=True)}, 1)
    return {o: [values[0] for values in found_one] for o in grouping.names}


def _beneficiary_persons(session: Session, grouping: _Grouping, periods: Sequence[Period]) -> dict[str, list[int]]:
    """Per station and period, the distinct people served: roster beneficiaries and the clients of its records.

    Periods ending on the same day share one query: a person is served in such a period
    when their newest activity or service record up to that day lies in it. The clients
    are counted (each one's newest day), then the people on a roster who are not clients
    in the period (people are told apart within a station: ``origin``, ``person_id``), in
    one statement that reads the clients once. A client's newest day comes from the
    records in reach (those dated from the earliest start to the end) when they are fewer
    than the cases that count, and otherwise from each case's newest record: whichever
    reads fewer rows.
    """
    found: dict[str, dict[Period, int]] = {o: {} for o in grouping.names}
    live_case = _live_cases(grouping.origins)
    live_sr = ServiceRecord.deleted_at.is_(None)
    for end in {p.date_to for p in periods}:
        group = [p for p in periods if p.date_to == end]
        reach = Period(_hull(group).date_from, end)

        in_reach = None if reach.date_from is None else _scalar(session, select(func.count()).select_from(
            ServiceRecord).where(live_sr, reach.contains(ServiceRecord.service_date)))
        if in_reach is not None and in_reach < grouping.counted_cases(session):
            clients = (select(Case.origin.label("origin"), Case.person_id.label("person_id"),
                              func.max(ServiceRecord.service_date).label("day"))
                       .select_from(ServiceRecord).join(Case, Case.uuid == ServiceRecord.case_id)
                       .where(live_sr, reach.contains(ServiceRecord.service_date), *live_case)
                       .group_by(Case.origin, Case.person_id).cte())
        else:
            newest_record = (select(func.max(ServiceRecord.service_date))
                             .where(ServiceRecord.case_id == Case.uuid, live_sr,
                                    Period(None, end).contains(ServiceRecord.service_date))
                             .correlate(Case).scalar_subquery())
            clients = (select(Case.origin.label("origin"), Case.person_id.label("person_id"),
                              func.max(newest_record).label("day"))
                       .where(*live_case).group_by(Case.origin, Case.person_id).cte())
        roster = (select(ActivityAttendee.origin.label("origin"), ActivityAttendee.person_id.label("person_id"),
                         func.max(Activity.start_date).label("day"))
                  .join(Activity, Activity.uuid == ActivityAttendee.activity_id)
                  .where(Activity.deleted_at.is_(None), Activity.origin.in_(grouping.origins),
                         reach.contains(Activity.start_date),
                         ActivityAttendee.deleted_at.is_(None), ActivityAttendee.role == AttendeeRole.BENEFICIARY,
                         ActivityAttendee.person_id.is_not(None))
                  .group_by(ActivityAttendee.origin, ActivityAttendee.person_id).subquery())
        # the clients, then the people on a roster who are not clients in the period (one
        # statement: the clients are read once and looked up by person)
        as_client = select(*grouping.keys(clients.c.origin),
                           *(_count_if(p.contains(clients.c.day)) for p in group)).group_by(*grouping.keys(clients.c.origin))
        only_roster = (select(*grouping.keys(roster.c.origin),
                              *(_count_if(and_(p.contains(roster.c.day), not_(p.contains(clients.c.day))))
                                for p in group))
                       .select_from(roster.outerjoin(clients, and_(clients.c.origin == roster.c.origin,
                                                                   clients.c.person_id == roster.c.person_id)))
                       .group_by(*grouping.keys(roster.c.origin)))
        counts = {o: [0] * len(group) for o in grouping.names}
        for key, row in grouping.rows(session, union_all(as_client, only_roster)):
            counts[key] = [a + int(n) for a, n in zip(counts.get(key, [0] * len(group)), row, strict=True)]
        for key in grouping.names:
            found[key].update(zip(group, counts[key], strict=True))
    return {o: [found[o][p] for p in periods] for o in grouping.names}


def _activities(session: Session, grouping: _Grouping, line: _Timeline) -> dict[str, list[list[int]]]:
    """Per station and period: activities, social workers, volunteers, caring people, beneficiaries."""
    return _by_piece(session, grouping, Activity.origin, Activity.start_date, (
        func.count(), func.coalesce(func.sum(Activity.social_workers), 0),
        func.coalesce(func.sum(Activity.volunteers), 0), func.coalesce(func.sum(Activity.caring_people), 0),
        func.coalesce(func.sum(Activity.beneficiaries), 0),
    ), (Activity.deleted_at.is_(None), Activity.origin.in_(grouping.origins)), line)


def _hours_tenths(session: Session, grouping: _Grouping, line: _Timeline) -> dict[str, list[int]]:
    found = _by_piece(session, grouping, VolunteerHours.origin, VolunteerHours.service_date,
                      (func.coalesce(func.sum(VolunteerHours.credited_tenths), 0),),
                      (VolunteerHours.deleted_at.is_(None), Volunteer.deleted_at.is_(None),
                       VolunteerHours.origin.in_(grouping.origins),
                       VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED])),
                      line, join=(VolunteerHours, Volunteer, Volunteer.uuid == VolunteerHours.volunteer_id))
    return {o: [values[0] for values in per_period] for o, per_period in found.items()}


def _at_ends(session: Session, grouping: _Grouping, origin: Any, where: Any, ends: Iterable[date],
             ) -> dict[date, dict[str, int]]:
    """Per end date and station, how many rows meet ``where(end)``."""
    counted: dict[date, dict[str, int]] = {}
    for end in ends:
        keys = grouping.keys(origin)
        counted[end] = dict.fromkeys(grouping.names, 0)
        for key, row in grouping.rows(session, select(*keys, func.count()).where(*where(end)).group_by(*keys)):
            counted[end][key] = int(row[0])
    return counted


@dataclass(frozen=True)
class _Tally:
    """One station's (or a sum of stations') figures in whole units: fen, tenths of an hour."""

    activities: int = 0
    social_workers: int = 0
    volunteers_present: int = 0
    caring_people: int = 0
    activity_beneficiaries: int = 0
    service_records: int = 0
    beneficiary_persons: int = 0
    opened: int = 0
    active: int = 0
    closed: int = 0
    referred: int = 0
    volunteers: int = 0
    hours_tenths: int = 0
    money_fen: int = 0
    goods_fen: int = 0

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def stats(self) -> Stats:
        return Stats(
            activities=self.activities,
            funds_raised_yuan=round(self.money_fen / 100, 2),
            goods_value_yuan=round(self.goods_fen / 100, 2),
            participant_person_times=Participants(self.social_workers, self.volunteers_present, self.caring_people),
            beneficiary_person_times=self.activity_beneficiaries + self.service_records,
            beneficiary_persons=self.beneficiary_persons,
            cases=CaseFigures(self.opened, self.active, self.closed, self.referred),
            service_records=self.service_records,
            volunteers=self.volunteers,
            volunteer_hours=round(self.hours_tenths / 10, 1),
        )


def _tallies(session: Session, grouping: _Grouping, periods: Sequence[Period],
             today: date) -> dict[str, list[_Tally]]:
    """The figures of each period in whole units, keyed as ``grouping`` says."""
    if not periods or not grouping.origins:
        return {o: [_Tally() for _ in periods] for o in grouping.names}
    line = _Timeline(periods)
    in_origins = grouping.origins
    live_case = _live_cases(in_origins)

    act = _activities(session, grouping, line)
    service_records = _service_records(session, grouping, line)
    persons = _beneficiary_persons(session, grouping, periods)
    opened = _by_piece(session, grouping, Case.origin, Case.intake_date, (func.count(),), live_case, line)
    closed = _by_piece(session, grouping, Case.origin, Case.closed_on, (func.count(),), live_case, line)
    referred = _by_piece(session, grouping, Referral.origin, Referral.referred_on, (func.count(),), (
        Referral.deleted_at.is_(None), Referral.origin.in_(in_origins),
        Referral.direction == ReferralDirection.OUT), line)
    hours_tenths = _hours_tenths(session, grouping, line)
    live_don = (Donation.deleted_at.is_(None), Donation.origin.in_(in_origins))
    money = _by_piece(session, grouping, Donation.origin, Donation.received_on,
                      (func.coalesce(func.sum(Donation.amount_fen), 0),),
                      (*live_don, Donation.form == DonationForm.MONEY), line)
    goods = _by_piece(session, grouping, Donation.origin, Donation.received_on,
                      (func.coalesce(func.sum(Donation.goods_value_fen), 0),),
                      (*live_don, Donation.form == DonationForm.GOODS), line)
    ends = {p.end(today) for p in periods}
    active = _at_ends(session, grouping, Case.origin, lambda end: (
        *live_case, Case.intake_date <= end, (Case.closed_on.is_(None)) | (Case.closed_on > end)), ends)
    volunteers = _at_ends(session, grouping, Volunteer.origin, lambda end: (
        Volunteer.deleted_at.is_(None), Volunteer.origin.in_(in_origins), Volunteer.registered_on <= end), ends)

    return {o: [_Tally(
        activities=act[o][i][0], social_workers=act[o][i][1], volunteers_present=act[o][i][2],
        caring_people=act[o][i][3], activity_beneficiaries=act[o][i][4],
        service_records=service_records[o][i], beneficiary_persons=persons[o][i],
        opened=opened[o][i][0], active=active[p.end(today)][o], closed=closed[o][i][0], referred=referred[o][i][0],
        volunteers=volunteers[p.end(today)][o], hours_tenths=hours_tenths[o][i],
        money_fen=money[o][i][0], goods_fen=goods[o][i][0],
    ) for i, p in enumerate(periods)] for o in grouping.names}


def compute_stats_by_station(session: Session, origins: Sequence[str], periods: Sequence[Period],
                             today: date) -> dict[str, list[Stats]]:
    """Each station's figures of each period (people told apart within each station).

    Every figure is a sum over stations, so the figures of several stations equal the sum of
    theirs (:func:`compute_stats_over` reads them together, without grouping), and a
    centre's overview reads every station's figures with one query per figure (grouped by
    station) instead of one ``compute_stats`` per station.
    """
    found = _tallies(session, _Grouping(origins, per_station=True), list(periods), today)
    return {o: [t.stats() for t in tallies] for o, tallies in found.items()}


def compute_stats_over(session: Session, origins: Sequence[str], periods: Sequence[Period],
                       today: date) -> list[Stats]:
    """The figures of each period over the given stations (sums, distinct persons per station)."""
    return [t.stats() for t in _tallies(session, _Grouping(origins, per_station=False), list(periods), today)[ALL]]


def compute_stats(session: Session, origins: Sequence[str], period: Period, today: date) -> Stats:
    """Figures over the given stations (sums, distinct persons per station)."""
    return compute_stats_over(session, origins, [period], today)[0]


def compute_trend(session: Session, origins: Sequence[str], periods: Sequence[Period]) -> list[TrendFigures]:
    """The trend chart's figures of each period, read as :func:`compute_stats_over` reads them."""
    periods = list(periods)
    grouping = _Grouping(origins, per_station=False)
    if not periods or not grouping.origins:
        return [TrendFigures(0, 0, 0, 0.0) for _ in periods]
    line = _Timeline(periods)
    act = _activities(session, grouping, line)[ALL]
    service_records = _service_records(session, grouping, line)[ALL]
    hours_tenths = _hours_tenths(session, grouping, line)[ALL]
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


def _centre_codes(session: Session) -> list[str]:
    """The stations a centre holds records of (registered, with a bundle imported)."""
    own_station(session, StationMode.CENTRE)
    return list(session.scalars(select(Station.code).where(Station.is_self.is_(False)).order_by(Station.code)))


def centre_stats(db: Database, actor: Actor, period: Period, station: str | None = None,
                 today: date | None = None) -> tuple[list[str], Stats]:
    """At a centre: one station's figures, or the sum over every registered station."""
    with reading(db, actor, Permission.READ) as session:
        codes = _centre_codes(session)
        if station is not None:
            if station not in codes:
                raise NotFoundError("centre.station_unknown", field="station", station_code=station)
            codes = [station]
        return codes, compute_stats(session, codes, period, today or date.today())


def centre_stats_by_station(db: Database, actor: Actor, period: Period,
                            today: date | None = None) -> tuple[dict[str, Stats], Stats]:
    """At a centre: each station's figures (those it holds records of) and their sum, in one read.

    Each station's figures equal ``centre_stats`` of it, and the sum equals ``centre_stats``
    of them all; one query per figure, grouped by station, whatever the number of stations.
    """
    with reading(db, actor, Permission.READ) as session:
        codes = _centre_codes(session)
        found = _tallies(session, _Grouping(codes, per_station=True), [period], today or date.today())
        total = sum((tallies[0] for tallies in found.values()), _Tally())
        return {code: tallies[0].stats() for code, tallies in found.items()}, total.stats()
