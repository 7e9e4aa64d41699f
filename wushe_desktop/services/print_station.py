"""Print data beyond casework: volunteers, activities, the charity ledger, the monthly
report's five-society lines and the supervision list.

Like :mod:`~wushe_desktop.services.print_cases`, each builder reads through
:class:`~wushe_desktop.services.print_common.Sources` and returns frozen data for
:mod:`wushe_desktop.printing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from wushe_desktop.domain.enums import (
    DonationForm,
    DonorType,
    HoursStatus,
    LinkageParty,
    OrganiserRole,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import NotFoundError
from wushe_desktop.printing.data import (
    ActivityForm,
    Attendee,
    CertificateLine,
    GoodsItem,
    LedgerLine,
    LinkageLine,
    Organiser,
    ParticipantCounts,
    RelatedPerson,
    SignInSheet,
    SpendingLine,
    SupervisionRow,
    VolunteerForm,
)
from wushe_desktop.services.cases import TodoItem
from wushe_desktop.services.print_common import Sources, age_at
from wushe_desktop.services.print_labels import enum_label
from wushe_desktop.storage import models as m

__all__ = [
    "ADULT_AGE",
    "activity_by_no",
    "activity_form",
    "certificate_lines",
    "ledger_lines",
    "linkage_lines",
    "month_activity_titles",
    "month_bounds",
    "roster_size",
    "sign_in_sheet",
    "supervision_rows",
    "volunteer_by_no",
    "volunteer_form",
]

#: Below this age a volunteer signs with a guardian (services.volunteers.ADULT_AGE).
ADULT_AGE = 18


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of ``month``."""
    first = month.replace(day=1)
    after = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return first, after - timedelta(days=1)


# ---------------------------------------------------------------------------
# Volunteers
# ---------------------------------------------------------------------------


def volunteer_by_no(src: Sources, volunteer_no: str) -> m.Volunteer:
    """This station's live volunteer with that number.

    Raises:
        NotFoundError: ``volunteer.not_found`` (field ``volunteer_no``).
    """
    volunteer = src.session.scalars(select(m.Volunteer).where(
        m.Volunteer.volunteer_no == volunteer_no.strip(), m.Volunteer.origin == src.origin,
        m.Volunteer.deleted_at.is_(None))).first()
    if volunteer is None:
        raise NotFoundError("volunteer.not_found", field="volunteer_no")
    return volunteer


def volunteer_form(src: Sources, v: m.Volunteer) -> VolunteerForm:
    """志愿者登记表 of a volunteer, for signing."""
    teams = src.session.scalars(
        select(m.VolunteerTeam.name)
        .join(m.VolunteerTeamMember, m.VolunteerTeamMember.team_id == m.VolunteerTeam.uuid)
        .where(m.VolunteerTeamMember.volunteer_id == v.uuid, m.VolunteerTeamMember.deleted_at.is_(None),
               m.VolunteerTeam.deleted_at.is_(None))
        .order_by(m.VolunteerTeam.name)).all()
    person = src.session.get(m.Person, v.person_id) if v.person_id is not None else None
    skills = list(src.taxonomies.labels(TaxonomyKind.SKILL, v.skills))
    skills += [s for s in v.skills_text.replace("，", "、").replace(",", "、").split("、")
               if s.strip() and s.strip() not in skills]
    insurance = v.insurance_policy
    if v.insurance_until is not None:
        insurance = f"{insurance}（有效期至 {v.insurance_until.isoformat()}）".strip()
    age = age_at(v.birth_date, src.today)
    guardian: RelatedPerson | None = None
    if age is not None and age < ADULT_AGE:
        # A minor signs with a guardian; the register keeps only that the guardian agreed.
        known = src.session.get(m.Person, person.guardian_id) if person and person.guardian_id else None
        guardian = RelatedPerson(name=known.name if known else "",
                                 relation=(person.guardian_relation if person else "") or "监护人",
                                 phone=known.phone or None if known else None)
    emergency = (RelatedPerson(name=person.emergency_name, relation=person.emergency_relation,
                               phone=person.emergency_phone or None)
                 if person is not None and person.emergency_name else None)
    return VolunteerForm(
        volunteer_no=v.volunteer_no, name=v.name, sex=enum_label(v.sex),
        ethnicity=src.taxonomies.label(TaxonomyKind.ETHNICITY, person.ethnicity) if person else "",
        birth_date=v.birth_date, id_type=enum_label(v.id_type), id_number=v.id_number, phone=v.phone or None,
        national_no=v.national_no, political_status=v.political_status,
        education=person.education if person else "", residence=v.address,
        skills=tuple(s.strip() for s in skills), availability=v.availability, teams=tuple(teams),
        insurance=insurance, emergency_contact=emergency, guardian=guardian, registered_on=v.registered_on,
    )


def certificate_lines(src: Sources, volunteer_id: UUID, date_from: date | None,
                      date_to: date | None) -> tuple[CertificateLine, ...]:
    """The confirmed (or corrected) hour lines of a period, as a certificate lists them."""
    stmt = select(m.VolunteerHours).where(
        m.VolunteerHours.volunteer_id == volunteer_id, m.VolunteerHours.deleted_at.is_(None),
        m.VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]))
    if date_from is not None:
        stmt = stmt.where(m.VolunteerHours.service_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(m.VolunteerHours.service_date <= date_to)
    lines = src.session.scalars(stmt.order_by(m.VolunteerHours.service_date, m.VolunteerHours.created_at)).all()
    titles = _activity_titles(src, {line.activity_id for line in lines if line.activity_id is not None})
    return tuple(
        CertificateLine(
            service_date=line.service_date,
            activity=titles.get(line.activity_id, "") if line.activity_id else _everyday(line.place),
            hours_tenths=line.credited_tenths, content=line.content)
        for line in lines)


def _everyday(place: str) -> str:
    """How a line without an activity reads: ``日常志愿服务（毕克齐镇）``."""
    return f"日常志愿服务（{place}）" if place else "日常志愿服务"


def _activity_titles(src: Sources, ids: Iterable[UUID]) -> dict[UUID, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    return {row[0]: str(row[1]) for row in src.session.execute(
        select(m.Activity.uuid, m.Activity.title).where(m.Activity.uuid.in_(wanted)))}


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------


def activity_by_no(src: Sources, activity_no: str) -> m.Activity:
    """This station's live activity with that number.

    Raises:
        NotFoundError: ``activity.not_found`` (field ``activity_no``).
    """
    activity = src.session.scalars(select(m.Activity).where(
        m.Activity.activity_no == activity_no.strip(), m.Activity.origin == src.origin,
        m.Activity.deleted_at.is_(None))).first()
    if activity is None:
        raise NotFoundError("activity.not_found", field="activity_no")
    return activity


def _attendees(src: Sources, activity: m.Activity) -> tuple[Attendee, ...]:
    """The roster in sign-in order: names, roles, village or team, phones."""
    lines = src.session.scalars(select(m.ActivityAttendee).where(
        m.ActivityAttendee.activity_id == activity.uuid, m.ActivityAttendee.deleted_at.is_(None))
        .order_by(m.ActivityAttendee.created_at)).all()
    person_ids = [a.person_id for a in lines if a.person_id is not None]
    volunteer_ids = [a.volunteer_id for a in lines if a.volunteer_id is not None]
    people = {p.uuid: p for p in src.session.scalars(select(m.Person).where(m.Person.uuid.in_(person_ids)))} \
        if person_ids else {}
    volunteers = {v.uuid: v for v in src.session.scalars(
        select(m.Volunteer).where(m.Volunteer.uuid.in_(volunteer_ids)))} if volunteer_ids else {}
    roster = []
    for a in lines:
        name, unit, phone = a.name, "", None
        person = people.get(a.person_id) if a.person_id is not None else None
        volunteer = volunteers.get(a.volunteer_id) if a.volunteer_id is not None else None
        if person is not None:
            name, unit, phone = person.name, src.community(person.community_id), person.phone or None
        elif volunteer is not None:
            name, unit, phone = volunteer.name, volunteer.address, volunteer.phone or None
        roster.append(Attendee(name=name, role=enum_label(a.role), unit=unit, phone=phone))
    return tuple(roster)


def _organisers(src: Sources, activity: m.Activity) -> list[m.ActivityOrganiser]:
    return list(src.session.scalars(select(m.ActivityOrganiser).where(
        m.ActivityOrganiser.activity_id == activity.uuid, m.ActivityOrganiser.deleted_at.is_(None))
        .order_by(m.ActivityOrganiser.created_at)))


def _place(src: Sources, activity: m.Activity) -> str:
    village = src.community(activity.community_id)
    place = activity.place.strip()
    return place if not village or village in place else f"{village}{place}"


def _spending(src: Sources, activity: m.Activity) -> tuple[SpendingLine, ...]:
    """Money and goods used: the recorded lines, then the charity goods handed out at it."""
    lines = [SpendingLine(item=str(raw.get("item", "")), quantity=str(raw.get("quantity") or ""),
                          amount_fen=_fen(raw.get("amount_fen")), source=str(raw.get("source") or ""))
             for raw in activity.spending if isinstance(raw, dict)]
    given = src.session.execute(
        select(m.Distribution, m.Donation, m.DonationItem)
        .join(m.Donation, m.Donation.uuid == m.Distribution.donation_id)
        .outerjoin(m.DonationItem, m.DonationItem.uuid == m.Distribution.item_id)
        .where(m.Distribution.activity_id == activity.uuid, m.Distribution.deleted_at.is_(None),
               m.Donation.deleted_at.is_(None))
        .order_by(m.Distribution.distributed_on, m.Distribution.created_at)).all()
    for dist, donation, item in given:
        value = dist.amount_fen or (dist.quantity * item.unit_value_fen if item is not None else 0)
        lines.append(SpendingLine(
            item=item.name if item is not None else "善款",
            quantity=f"{dist.quantity}{item.unit}" if item is not None and dist.quantity else "",
            amount_fen=value, source=f"捐赠 {donation.ledger_no}"))
    return tuple(lines)


def _fen(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def activity_form(src: Sources, activity: m.Activity) -> ActivityForm:
    """活动记录表 with participant counts and the roster."""
    starts = src.local_time(activity.starts_at)
    if starts is None:
        starts = datetime.combine(activity.start_date, time(0))
    outcomes = "；".join(p for p in (f"满意度：{activity.satisfaction}" if activity.satisfaction else "",
                                     activity.summary) if p)
    return ActivityForm(
        activity_no=activity.activity_no, title=activity.title, starts_at=starts,
        ends_at=src.local_time(activity.ends_at),
        activity_type=src.taxonomies.label(TaxonomyKind.ACTIVITY_TYPE, activity.activity_type),
        service_areas=src.taxonomies.labels(TaxonomyKind.SERVICE_AREA, activity.service_areas),
        target_groups=src.taxonomies.labels(TaxonomyKind.PERSON_CATEGORY, activity.target_groups),
        place=_place(src, activity),
        organisers=tuple(Organiser(name=o.name, role=enum_label(o.role), party=enum_label(o.linkage_party))
                         for o in _organisers(src, activity)),
        lead=src.staff_name(activity.lead_id), objectives=activity.objectives, programme=activity.programme,
        counts=ParticipantCounts(social_workers=activity.social_workers, volunteers=activity.volunteers,
                                 caring_people=activity.caring_people, clients=activity.clients,
                                 others=activity.others),
        beneficiaries=activity.beneficiaries, attendees=_attendees(src, activity),
        donations=_donation_lines(src, m.Donation.activity_id == activity.uuid), spending=_spending(src, activity), outcomes=outcomes, reflection=activity.reflection,
        approver=activity.approved_by,
    )


def sign_in_sheet(src: Sources, activity: m.Activity, *, blank: bool, rows: int) -> SignInSheet:
    """签到表 of an activity: numbered empty rows, or the roster then empty rows."""
    hosts = [o.name for o in _organisers(src, activity) if o.role == OrganiserRole.HOST]
    return SignInSheet(
        title=activity.title, activity_no=activity.activity_no, starts_at=src.local_time(activity.starts_at),
        place=_place(src, activity), organiser="、".join(hosts), blank=blank, rows=rows,
        attendees=() if blank else _attendees(src, activity),
    )


def roster_size(src: Sources, activity: m.Activity) -> int:
    """How many lines the activity's roster holds."""
    return int(src.session.scalar(select(func.count()).select_from(m.ActivityAttendee).where(
        m.ActivityAttendee.activity_id == activity.uuid, m.ActivityAttendee.deleted_at.is_(None))) or 0)


# ---------------------------------------------------------------------------
# Charity ledger and the monthly report
# ---------------------------------------------------------------------------


def _receipt(donation: m.Donation) -> str:
    label = enum_label(donation.receipt_kind)
    return f"{label} {donation.receipt_no}".strip()


def ledger_lines(src: Sources, first: date, last: date) -> tuple[LedgerLine, ...]:
    """Donations received between two days (both included), by date and ledger number."""
    return _donation_lines(src, m.Donation.received_on >= first, m.Donation.received_on <= last)


def _donation_lines(src: Sources, *where: Any) -> tuple[LedgerLine, ...]:
    """The station's live donations that match ``where``, as ledger lines (by date and number)."""
    donations = src.session.scalars(select(m.Donation).where(
        m.Donation.origin == src.origin, m.Donation.deleted_at.is_(None), *where)
        .order_by(m.Donation.received_on, m.Donation.ledger_no)).all()
    items: dict[UUID, list[m.DonationItem]] = {}
    if donations:
        for item in src.session.scalars(select(m.DonationItem).where(
                m.DonationItem.donation_id.in_([d.uuid for d in donations]), m.DonationItem.deleted_at.is_(None))
                .order_by(m.DonationItem.created_at)):
            items.setdefault(item.donation_id, []).append(item)
    lines = []
    for d in donations:
        goods = tuple(GoodsItem(name=i.name, quantity=str(i.quantity), unit=i.unit, spec=i.spec,
                                value_fen=i.quantity * i.unit_value_fen)
                      for i in items.get(d.uuid, []))
        purpose = f"定向：{d.purpose}" if d.restricted else d.purpose
        lines.append(LedgerLine(
            ledger_no=d.ledger_no, received_on=d.received_on,
            donor_name="" if d.donor_type == DonorType.ANONYMOUS else d.donor_name,
            donor_type=enum_label(d.donor_type), form=enum_label(d.form),
            amount_fen=d.amount_fen if d.form == DonationForm.MONEY else 0,
            goods=goods if d.form == DonationForm.GOODS else (), purpose=purpose, recipient=d.recipient_name,
            receipt=_receipt(d), handler=d.receipt_handler, publish_consent=d.publish_consent,
        ))
    return tuple(lines)


def month_activity_titles(src: Sources, first: date, last: date, limit: int = 12) -> tuple[str, ...]:
    """``9月12日 重阳节敬老活动`` lines for the month's activities, oldest first."""
    rows = src.session.execute(select(m.Activity.start_date, m.Activity.title).where(
        m.Activity.origin == src.origin, m.Activity.deleted_at.is_(None),
        m.Activity.start_date >= first, m.Activity.start_date <= last)
        .order_by(m.Activity.start_date, m.Activity.activity_no).limit(limit)).all()
    return tuple(f"{day.month}月{day.day}日 {title}" for day, title in rows)


def linkage_lines(src: Sources, first: date, last: date, *, social_worker_times: int, volunteer_times: int,
                  caring_people_times: int, resources_fen: int) -> tuple[LinkageLine, ...]:
    """The five parties of 五社联动 over the month's activities.

    Person-times of social workers, volunteers and caring people are the month's figures
    (passed in, so they equal ``stats``), as is the charity line's resource value (money
    and valued goods received). Community and social-organisation lines count their
    organiser roles: one per activity and organisation.
    """
    activities = src.session.execute(select(
        m.Activity.uuid, m.Activity.lead_id, m.Activity.social_workers, m.Activity.volunteers,
        m.Activity.caring_people).where(
        m.Activity.origin == src.origin, m.Activity.deleted_at.is_(None),
        m.Activity.start_date >= first, m.Activity.start_date <= last)).all()
    ids = [row[0] for row in activities]
    organisers: Sequence[Any] = src.session.execute(
        select(m.ActivityOrganiser.activity_id, m.ActivityOrganiser.name, m.ActivityOrganiser.linkage_party)
        .where(m.ActivityOrganiser.activity_id.in_(ids), m.ActivityOrganiser.deleted_at.is_(None))).all() \
        if ids else []

    def by_party(party: LinkageParty) -> tuple[set[str], set[UUID]]:
        names = {str(o[1]) for o in organisers if o[2] == party}
        acts = {o[0] for o in organisers if o[2] == party}
        return names, acts

    community, community_acts = by_party(LinkageParty.COMMUNITY)
    orgs, org_acts = by_party(LinkageParty.SOCIAL_ORG)
    sw_orgs, sw_acts = by_party(LinkageParty.SOCIAL_WORKER)
    teams, team_acts = by_party(LinkageParty.VOLUNTEER_TEAM)
    charities, charity_acts = by_party(LinkageParty.CHARITY)
    leads = {str(row[1]) for row in activities if row[1] is not None}
    volunteers = int(src.session.scalar(select(func.count(func.distinct(m.VolunteerHours.volunteer_id))).where(
        m.VolunteerHours.origin == src.origin, m.VolunteerHours.deleted_at.is_(None),
        m.VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]),
        m.VolunteerHours.service_date >= first, m.VolunteerHours.service_date <= last)) or 0)
    donors = src.session.execute(select(m.Donation.donor_type, m.Donation.donor_name, m.Donation.activity_id).where(
        m.Donation.origin == src.origin, m.Donation.deleted_at.is_(None),
        m.Donation.received_on >= first, m.Donation.received_on <= last)).all()
    named = {str(d[1]) for d in donors if d[0] != DonorType.ANONYMOUS and d[1]}
    anonymous = sum(1 for d in donors if d[0] == DonorType.ANONYMOUS or not d[1])
    in_month = set(ids)
    donation_acts = {d[2] for d in donors if d[2] in in_month}
    party = enum_label
    return (
        LinkageLine(party=party(LinkageParty.COMMUNITY), participants=len(community),
                    activities=len(community_acts),
                    person_times=sum(1 for o in organisers if o[2] == LinkageParty.COMMUNITY),
                    note="按主办/承办/协办单位计次"),
        LinkageLine(party=party(LinkageParty.SOCIAL_ORG), participants=len(orgs), activities=len(org_acts),
                    person_times=sum(1 for o in organisers if o[2] == LinkageParty.SOCIAL_ORG),
                    note="按主办/承办/协办单位计次"),
        LinkageLine(party=party(LinkageParty.SOCIAL_WORKER), participants=len(sw_orgs) + len(leads),
                    activities=len(sw_acts | {row[0] for row in activities if row[2]}),
                    person_times=social_worker_times, note="社工参与人次"),
        LinkageLine(party=party(LinkageParty.VOLUNTEER_TEAM), participants=len(teams) + volunteers,
                    activities=len(team_acts | {row[0] for row in activities if row[3]}),
                    person_times=volunteer_times, note="志愿者参与人次；参与主体含服务队与有确认时长的志愿者"),
        LinkageLine(party=party(LinkageParty.CHARITY), participants=len(charities | named) + anonymous,
                    activities=len(charity_acts | donation_acts | {row[0] for row in activities if row[4]}),
                    person_times=caring_people_times, resources_fen=resources_fen,
                    note="爱心人士参与人次；链接资源为本月善款与物资折价"),
    )


# ---------------------------------------------------------------------------
# Supervision list
# ---------------------------------------------------------------------------


def supervision_rows(src: Sources, items: Sequence[TodoItem]) -> tuple[SupervisionRow, ...]:
    """Rows of the supervision list for the cases of a no-contact to-do list, in its order."""
    ids = [item.case_id for item in items]
    if not ids:
        return ()
    cases = {c.uuid: c for c in src.session.scalars(select(m.Case).where(m.Case.uuid.in_(ids)))}
    last: dict[UUID, date] = {row[0]: row[1] for row in src.session.execute(
        select(m.ServiceRecord.case_id, func.max(m.ServiceRecord.service_date))
        .where(m.ServiceRecord.case_id.in_(ids), m.ServiceRecord.deleted_at.is_(None))
        .group_by(m.ServiceRecord.case_id))}
    next_steps: dict[UUID, str] = {}
    for case_id, text in src.session.execute(
            select(m.ServiceRecord.case_id, m.ServiceRecord.next_steps)
            .where(m.ServiceRecord.case_id.in_(ids), m.ServiceRecord.deleted_at.is_(None))
            .order_by(m.ServiceRecord.case_id, m.ServiceRecord.seq)):
        next_steps[case_id] = str(text or "")  # the newest record's plan wins
    rows = []
    for item in items:
        case = cases[item.case_id]
        last_contact = last.get(item.case_id)
        rows.append(SupervisionRow(
            case_no=item.case_no, client_name=item.person_name, risk_level=enum_label(item.risk_level),
            crisis=case.crisis, stage=enum_label(item.stage), worker=src.staff_name(item.worker_id),
            last_contact=last_contact, days_since=(src.today - item.on).days,
            next_planned=next_steps.get(item.case_id, ""),
            note="" if last_contact is not None else "接案后未有服务记录",
        ))
    return tuple(rows)

