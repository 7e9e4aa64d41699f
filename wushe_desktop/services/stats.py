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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, union
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


def _scalar(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def compute_stats(session: Session, origins: Sequence[str], period: Period, today: date) -> Stats:
    """Figures over the given stations (sums, distinct persons per station)."""
    end = period.end(today)
    in_origins = list(origins)

    live_act = (Activity.deleted_at.is_(None), Activity.origin.in_(in_origins), period.contains(Activity.start_date))
    act = session.execute(select(
        func.count(), func.coalesce(func.sum(Activity.social_workers), 0),
        func.coalesce(func.sum(Activity.volunteers), 0), func.coalesce(func.sum(Activity.caring_people), 0),
        func.coalesce(func.sum(Activity.beneficiaries), 0),
    ).where(*live_act)).one()

    live_case = (Case.deleted_at.is_(None), Case.origin.in_(in_origins), Case.accepted.is_(True))
    live_sr = (ServiceRecord.deleted_at.is_(None), period.contains(ServiceRecord.service_date))
    service_records = _scalar(session, select(func.count()).select_from(ServiceRecord)
                              .join(Case, Case.uuid == ServiceRecord.case_id).where(*live_sr, *live_case))

    roster_people = (select(ActivityAttendee.origin.label("origin"), ActivityAttendee.person_id.label("person_id"))
                     .join(Activity, Activity.uuid == ActivityAttendee.activity_id)
                     .where(*live_act, ActivityAttendee.deleted_at.is_(None),
                            ActivityAttendee.role == AttendeeRole.BENEFICIARY,
                            ActivityAttendee.person_id.is_not(None)))
    client_people = (select(Case.origin.label("origin"), Case.person_id.label("person_id"))
                     .join(ServiceRecord, ServiceRecord.case_id == Case.uuid).where(*live_sr, *live_case))
    persons = union(roster_people, client_people).subquery()
    beneficiary_persons = _scalar(session, select(func.count()).select_from(persons))

    opened = _scalar(session, select(func.count()).select_from(Case)
                     .where(*live_case, period.contains(Case.intake_date)))
    active = _scalar(session, select(func.count()).select_from(Case).where(
        *live_case, Case.intake_date <= end, (Case.closed_on.is_(None)) | (Case.closed_on > end)))
    closed = _scalar(session, select(func.count()).select_from(Case)
                     .where(*live_case, period.contains(Case.closed_on)))
    referred = _scalar(session, select(func.count()).select_from(Referral).where(
        Referral.deleted_at.is_(None), Referral.origin.in_(in_origins),
        Referral.direction == ReferralDirection.OUT, period.contains(Referral.referred_on)))

    volunteers = _scalar(session, select(func.count()).select_from(Volunteer).where(
        Volunteer.deleted_at.is_(None), Volunteer.origin.in_(in_origins), Volunteer.registered_on <= end))
    hours_tenths = _scalar(session, select(func.coalesce(func.sum(VolunteerHours.credited_tenths), 0))
                           .join(Volunteer, Volunteer.uuid == VolunteerHours.volunteer_id).where(
        VolunteerHours.deleted_at.is_(None), Volunteer.deleted_at.is_(None),
        VolunteerHours.origin.in_(in_origins),
        VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]),
        period.contains(VolunteerHours.service_date)))

    live_don = (Donation.deleted_at.is_(None), Donation.origin.in_(in_origins), period.contains(Donation.received_on))
    funds = _scalar(session, select(func.coalesce(func.sum(Donation.amount_fen), 0))
                    .where(*live_don, Donation.form == DonationForm.MONEY))
    goods = _scalar(session, select(func.coalesce(func.sum(Donation.goods_value_fen), 0))
                    .where(*live_don, Donation.form == DonationForm.GOODS))

    return Stats(
        activities=int(act[0]),
        funds_raised_yuan=round(funds / 100, 2),
        goods_value_yuan=round(goods / 100, 2),
        participant_person_times=Participants(int(act[1]), int(act[2]), int(act[3])),
        beneficiary_person_times=int(act[4]) + service_records,
        beneficiary_persons=beneficiary_persons,
        cases=CaseFigures(opened, active, closed, referred),
        service_records=service_records,
        volunteers=volunteers,
        volunteer_hours=round(hours_tenths / 10, 1),
    )


def station_stats(db: Database, actor: Actor, period: Period, today: date | None = None) -> tuple[str, Stats]:
    """This station's own figures: (station code, stats)."""
    with reading(db, actor, Permission.READ) as session:
        code = own_station(session).code
        return code, compute_stats(session, [code], period, today or date.today())


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


