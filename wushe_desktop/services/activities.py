"""Activities (活动记录), their organisers and sign-in rosters; groups, projects, partners.

Follows the pattern of :mod:`wushe_desktop.services.people`: frozen inputs and views,
validation before the transaction, one transaction per use case, coded errors, soft
deletes. The small helpers at the top (:func:`live_row`, :func:`clean_text`,
:func:`check_codes`) are shared with the volunteer and resource services.

Participant counts by role and beneficiary person-times are typed by the worker (人次,
DESIGN.md §8); the sign-in roster is kept beside them for distinct persons and is never
used to overwrite the typed counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import (
    AttendeeRole,
    GroupStage,
    HoursStatus,
    LinkageParty,
    OrganiserRole,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import (
    check_date_order,
    mask_phone,
    normalize_phone,
    validate_uscc,
)
from wushe_desktop.errors import NotFoundError, StateError, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.numbers import format_number, issue_number
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.records import check_codes, clean_person_name, clean_text, live_row
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    ActivityAttendee,
    ActivityOrganiser,
    Community,
    Group,
    GroupMember,
    Person,
    ServiceProject,
    SocialOrganisation,
    Staff,
    Volunteer,
    VolunteerHours,
)
from wushe_desktop.storage.types import utcnow

#: The activity-type code of a group session (小组活动); such an activity needs its group.
GROUP_SESSION_TYPE = "group_session"

_COUNT_FIELDS = ("social_workers", "volunteers", "caring_people", "clients", "others", "beneficiaries")

def get_activity_row(session: Session, activity_id: UUID) -> Activity:
    """A live activity or ``activity.not_found``."""
    return live_row(session, Activity, activity_id, "activity.not_found", "activity_id")


def get_project_row(session: Session, project_id: UUID) -> ServiceProject:
    """A live service project or ``project.not_found``."""
    return live_row(session, ServiceProject, project_id, "project.not_found", "project_id")


def get_organisation_row(session: Session, organisation_id: UUID) -> SocialOrganisation:
    """A live partner organisation or ``organisation.not_found``."""
    return live_row(session, SocialOrganisation, organisation_id, "organisation.not_found", "organisation_id")


def _check_aware(value: datetime | None, name: str) -> None:
    if value is not None and value.tzinfo is None:
        # The GUI and the CLI always build aware datetimes; a naive one is a bug.
        raise ValueError(f"{name} must be timezone-aware")


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganiserInput:
    """主办/承办/协办 of an activity, tagged with its 五社 party.

    ``name`` may stay empty when ``organisation_id`` names a known partner.
    """

    name: str
    role: OrganiserRole
    linkage_party: LinkageParty
    organisation_id: UUID | None = None


@dataclass(frozen=True)
class ActivityInput:
    """What the activity form gives. Counts are person-times (人次) typed by the worker."""

    title: str
    activity_type: str  # taxonomy activity_type code
    start_date: date  # the date that puts the activity in a period
    service_areas: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()  # person_category codes
    starts_at: datetime | None = None  # aware
    ends_at: datetime | None = None  # aware
    community_id: UUID | None = None
    place: str = ""
    lead_id: UUID | None = None
    group_id: UUID | None = None
    session_no: int | None = None  # group sessions: the next number when not given
    project_id: UUID | None = None
    objectives: str = ""
    programme: str = ""
    social_workers: int = 0
    volunteers: int = 0
    caring_people: int = 0
    clients: int = 0
    others: int = 0
    beneficiaries: int = 0
    summary: str = ""
    reflection: str = ""
    satisfaction: str = ""
    organisers: tuple[OrganiserInput, ...] = ()


@dataclass(frozen=True)
class OrganiserView:
    """One organiser line."""

    uuid: UUID
    name: str
    role: OrganiserRole
    linkage_party: LinkageParty
    organisation_id: UUID | None


@dataclass(frozen=True)
class ActivityView:
    """An activity as lists and forms see it."""

    uuid: UUID
    activity_no: str
    title: str
    activity_type: str
    service_areas: tuple[str, ...]
    target_groups: tuple[str, ...]
    start_date: date
    starts_at: datetime | None
    ends_at: datetime | None
    community_id: UUID | None
    place: str
    lead_id: UUID | None
    group_id: UUID | None
    session_no: int | None
    project_id: UUID | None
    objectives: str
    programme: str
    social_workers: int
    volunteers: int
    caring_people: int
    clients: int
    others: int
    beneficiaries: int
    summary: str
    reflection: str
    satisfaction: str
    organisers: tuple[OrganiserView, ...]
    row_version: int


@dataclass(frozen=True)
class AttendeeInput:
    """A sign-in roster line: a registered person, a volunteer, or a name only (a new face)."""

    person_id: UUID | None = None
    volunteer_id: UUID | None = None
    name: str = ""
    role: AttendeeRole = AttendeeRole.BENEFICIARY
    signed: bool = True


@dataclass(frozen=True)
class AttendeeView:
    """A roster line; ``name`` is resolved from the person or volunteer when linked."""

    uuid: UUID
    person_id: UUID | None
    volunteer_id: UUID | None
    name: str
    role: AttendeeRole
    signed: bool


@dataclass(frozen=True)
class ActivityDetail:
    """An activity with its roster and the volunteer hours entered against it.

    Attributes:
        roster_by_role: Roster lines per role (the typed counts stay on ``activity``).
        roster_persons: Distinct registered people on the roster.
        hours_confirmed_tenths: Credited tenths of confirmed or corrected hour lines.
        hours_pending_tenths: Credited tenths still awaiting confirmation.
    """

    activity: ActivityView
    attendees: tuple[AttendeeView, ...]
    roster_by_role: Mapping[AttendeeRole, int]
    roster_persons: int
    hours_lines: int
    hours_confirmed_tenths: int
    hours_pending_tenths: int


def clean_activity(data: ActivityInput) -> ActivityInput:
    """Check the fields of an activity that need no database; every error at once.

    Raises:
        ValidationErrors: ``text.required`` / ``text.too_long`` (title, place,
            organiser names), ``count.negative``, ``date.order`` (``ends_at``),
            ``activity.session_no``.
    """
    errors: list[ValidationError] = []
    changes: dict[str, Any] = {}
    _check_aware(data.starts_at, "starts_at")
    _check_aware(data.ends_at, "ends_at")
    for name, max_len, required in (("title", 200, True), ("place", 200, False), ("satisfaction", 40, False)):
        try:
            changes[name] = clean_text(str(getattr(data, name)), name, max_len=max_len, required=required)
        except ValidationError as exc:
            errors.append(exc)
    for name in ("objectives", "programme", "summary", "reflection"):
        changes[name] = str(getattr(data, name)).strip()
    changes["activity_type"] = data.activity_type.strip()
    if not changes["activity_type"]:
        errors.append(ValidationError("text.required", field="activity_type"))
    for name in _COUNT_FIELDS:
        if int(getattr(data, name)) < 0:
            errors.append(ValidationError("count.negative", field=name))
    if data.starts_at is not None and data.ends_at is not None and data.ends_at < data.starts_at:
        errors.append(ValidationError("date.order", field="ends_at", earlier_field="starts_at"))
    if data.session_no is not None and data.session_no <= 0:
        errors.append(ValidationError("activity.session_no", field="session_no"))
    organisers: list[OrganiserInput] = []
    for index, org in enumerate(data.organisers):
        try:
            organisers.append(OrganiserInput(
                clean_text(org.name, "organisers", max_len=200, required=org.organisation_id is None),
                OrganiserRole(org.role), LinkageParty(org.linkage_party), org.organisation_id))
        except ValidationError as exc:
            errors.append(ValidationError(exc.code, field=exc.field, line=index, **exc.params))
    changes["organisers"] = tuple(organisers)
    if errors:
        raise ValidationErrors(errors)
    return replace(data, **changes)


def _check_references(s: Session, data: ActivityInput, current: Activity | None) -> ActivityInput:
    """Check codes and linked records; returns the input with codes cleaned and the
    group session number filled in (kept when an edited session stays in its group)."""
    check_codes(s, TaxonomyKind.ACTIVITY_TYPE, (data.activity_type,), "activity_type")
    areas = check_codes(s, TaxonomyKind.SERVICE_AREA, data.service_areas, "service_areas")
    groups = check_codes(s, TaxonomyKind.PERSON_CATEGORY, data.target_groups, "target_groups")
    if data.community_id is not None:
        live_row(s, Community, data.community_id, "community.not_found", "community_id")
    if data.lead_id is not None:
        live_row(s, Staff, data.lead_id, "staff.not_found", "lead_id")
    if data.project_id is not None:
        get_project_row(s, data.project_id)
    session_no = data.session_no
    if data.activity_type == GROUP_SESSION_TYPE:
        if data.group_id is None:
            raise ValidationError("activity.group_required", field="group_id")
        live_row(s, Group, data.group_id, "group.not_found", "group_id")
        if session_no is None and current is not None and current.group_id == data.group_id:
            session_no = current.session_no
        if session_no is None:
            # Next session number: one above the highest of the group's live sessions.
            highest = s.scalar(select(func.max(Activity.session_no)).where(
                Activity.group_id == data.group_id, Activity.deleted_at.is_(None)))
            session_no = int(highest or 0) + 1
    elif data.group_id is not None:
        raise ValidationError("activity.group_type_mismatch", field="activity_type")
    for org in data.organisers:
        if org.organisation_id is not None:
            get_organisation_row(s, org.organisation_id)
    return replace(data, service_areas=areas, target_groups=groups, session_no=session_no)


_ACTIVITY_COLUMNS = tuple(f.name for f in fields(ActivityInput) if f.name != "organisers")


def _apply_activity(s: Session, activity: Activity, data: ActivityInput) -> None:
    for name in _ACTIVITY_COLUMNS:
        value = getattr(data, name)
        if name in ("service_areas", "target_groups"):
            value = list(value)
        setattr(activity, name, value)
    s.flush()
    for org in data.organisers:
        name = org.name
        if not name and org.organisation_id is not None:
            name = get_organisation_row(s, org.organisation_id).name
        s.add(ActivityOrganiser(activity_id=activity.uuid, organisation_id=org.organisation_id, name=name,
                                role=org.role, linkage_party=org.linkage_party))


def _organisers(s: Session, activity_id: UUID) -> list[ActivityOrganiser]:
    return list(s.scalars(select(ActivityOrganiser).where(
        ActivityOrganiser.activity_id == activity_id, ActivityOrganiser.deleted_at.is_(None))
        .order_by(ActivityOrganiser.created_at, ActivityOrganiser.name)))


def _activity_view(s: Session, a: Activity) -> ActivityView:
    organisers = tuple(OrganiserView(o.uuid, o.name, o.role, o.linkage_party, o.organisation_id)
                       for o in _organisers(s, a.uuid))
    return ActivityView(
        uuid=a.uuid, activity_no=a.activity_no, title=a.title, activity_type=a.activity_type,
        service_areas=tuple(a.service_areas), target_groups=tuple(a.target_groups), start_date=a.start_date,
        starts_at=a.starts_at, ends_at=a.ends_at, community_id=a.community_id, place=a.place, lead_id=a.lead_id,
        group_id=a.group_id, session_no=a.session_no, project_id=a.project_id, objectives=a.objectives,
        programme=a.programme, social_workers=a.social_workers, volunteers=a.volunteers,
        caring_people=a.caring_people, clients=a.clients, others=a.others, beneficiaries=a.beneficiaries,
        summary=a.summary, reflection=a.reflection, satisfaction=a.satisfaction, organisers=organisers,
        row_version=a.row_version,
    )


def create_activity(db: Database, actor: Actor, data: ActivityInput) -> ActivityView:
    """Record an activity (planned or held); numbered ``{station}-A{yyyy}-{seq:04d}``.

    The year of the number is the year of ``start_date``. Future dates are allowed: an
    activity is usually created before it takes place.

    Raises:
        ValidationErrors: see :func:`clean_activity`.
        ValidationError: ``taxonomy.unknown_code``, ``activity.group_required``,
            ``activity.group_type_mismatch``.
        NotFoundError: a linked community, staff, group, project or organisation.
    """
    cleaned = clean_activity(data)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        cleaned = _check_references(s, cleaned, None)
        station = own_station(s).code
        year = cleaned.start_date.year
        activity = Activity(activity_no=format_number("activity", station, year, issue_number(s, "activity", year)))
        s.add(activity)
        _apply_activity(s, activity, cleaned)
        s.flush()
        return _activity_view(s, activity)


def update_activity(db: Database, actor: Actor, activity_id: UUID, data: ActivityInput) -> ActivityView:
    """Edit an activity. The organisers are replaced: old lines are soft-deleted.

    The activity number never changes, even if the start date moves to another year.
    """
    cleaned = clean_activity(data)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        activity = get_activity_row(s, activity_id)
        cleaned = _check_references(s, cleaned, activity)
        now = utcnow()
        for org in _organisers(s, activity_id):
            org.deleted_at = now
        _apply_activity(s, activity, cleaned)
        s.flush()
        return _activity_view(s, activity)


def delete_activity(db: Database, actor: Actor, activity_id: UUID) -> None:
    """Soft-delete an activity with its organisers and roster.

    Raises:
        StateError: ``activity.has_hours`` (param ``lines``) while volunteer-hour lines
            that are not void point at it: void them first, so no certified hour loses
            its activity silently.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        activity = get_activity_row(s, activity_id)
        lines = int(s.scalar(select(func.count()).select_from(VolunteerHours).where(
            VolunteerHours.activity_id == activity_id, VolunteerHours.deleted_at.is_(None),
            VolunteerHours.status != HoursStatus.VOID)) or 0)
        if lines:
            raise StateError("activity.has_hours", lines=lines)
        now = utcnow()
        for org in _organisers(s, activity_id):
            org.deleted_at = now
        for line in s.scalars(select(ActivityAttendee).where(
                ActivityAttendee.activity_id == activity_id, ActivityAttendee.deleted_at.is_(None))):
            line.deleted_at = now
        activity.deleted_at = now


def get_activity(db: Database, actor: Actor, activity_id: UUID) -> ActivityView:
    """One activity."""
    with reading(db, actor, Permission.READ) as s:
        return _activity_view(s, get_activity_row(s, activity_id))


def list_activities(db: Database, actor: Actor, date_from: date | None = None,
                    date_to: date | None = None) -> list[ActivityView]:
    """This station's activities by start date (both ends included), newest first."""
    with reading(db, actor, Permission.READ) as s:
        stmt = select(Activity).where(Activity.origin == own_station(s).code, Activity.deleted_at.is_(None))
        if date_from is not None:
            stmt = stmt.where(Activity.start_date >= date_from)
        if date_to is not None:
            stmt = stmt.where(Activity.start_date <= date_to)
        return [_activity_view(s, a) for a in s.scalars(stmt.order_by(Activity.start_date.desc(),
                                                                      Activity.activity_no.desc()))]


# ---------------------------------------------------------------------------
# Sign-in roster
# ---------------------------------------------------------------------------


def _live_attendees(s: Session, activity_id: UUID) -> list[ActivityAttendee]:
    return list(s.scalars(select(ActivityAttendee).where(
        ActivityAttendee.activity_id == activity_id, ActivityAttendee.deleted_at.is_(None))
        .order_by(ActivityAttendee.created_at)))


def add_attendees(db: Database, actor: Actor, activity_id: UUID,
                  attendees: Sequence[AttendeeInput]) -> tuple[UUID, ...]:
    """Add lines to an activity's sign-in roster, all or nothing.

    A registered person or volunteer appears once per activity; name-only lines (new
    faces) are not matched, since two people may share a name.

    Returns:
        The new roster lines' uuids, in input order.

    Raises:
        ValidationErrors: per line (param ``line``, 0-based index into ``attendees``):
            ``attendee.one_of`` (give exactly one of person, volunteer, name),
            ``attendee.duplicate``, name errors on ``name``.
        NotFoundError: the activity, a person or a volunteer.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_activity_row(s, activity_id)
        existing = _live_attendees(s, activity_id)
        seen_people = {a.person_id for a in existing if a.person_id is not None}
        seen_volunteers = {a.volunteer_id for a in existing if a.volunteer_id is not None}
        errors: list[ValidationError] = []
        rows: list[ActivityAttendee] = []
        for index, item in enumerate(attendees):
            given = sum((item.person_id is not None, item.volunteer_id is not None, bool(item.name.strip())))
            if given != 1:
                errors.append(ValidationError("attendee.one_of", field="person_id", line=index))
                continue
            row = ActivityAttendee(activity_id=activity_id, role=AttendeeRole(item.role), signed=item.signed)
            if item.person_id is not None:
                live_row(s, Person, item.person_id, "person.not_found", "person_id")
                if item.person_id in seen_people:
                    errors.append(ValidationError("attendee.duplicate", field="person_id", line=index))
                    continue
                seen_people.add(item.person_id)
                row.person_id = item.person_id
            elif item.volunteer_id is not None:
                live_row(s, Volunteer, item.volunteer_id, "volunteer.not_found", "volunteer_id")
                if item.volunteer_id in seen_volunteers:
                    errors.append(ValidationError("attendee.duplicate", field="volunteer_id", line=index))
                    continue
                seen_volunteers.add(item.volunteer_id)
                row.volunteer_id = item.volunteer_id
            else:
                try:
                    row.name = clean_person_name(item.name, "name")
                except ValidationError as exc:
                    errors.append(ValidationError(exc.code, field=exc.field, line=index, **exc.params))
                    continue
            rows.append(row)
        if errors:
            raise ValidationErrors(errors)
        s.add_all(rows)
        s.flush()
        return tuple(r.uuid for r in rows)


def remove_attendee(db: Database, actor: Actor, attendee_id: UUID) -> None:
    """Take a line off the roster (soft delete)."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        live_row(s, ActivityAttendee, attendee_id, "attendee.not_found").deleted_at = utcnow()


def set_attendance(db: Database, actor: Actor, activity_id: UUID, signed: Mapping[UUID, bool]) -> int:
    """Tick or untick roster lines as present (签到), all in one write.

    Args:
        db: The station database.
        actor: Who ticks.
        activity_id: The activity whose roster the lines belong to.
        signed: Roster line uuid → whether the person signed in.

    Returns:
        How many lines changed.

    Raises:
        NotFoundError: the activity, or ``attendee.not_found`` for a line that is not on
            this activity's live roster.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_activity_row(s, activity_id)
        lines = {a.uuid: a for a in _live_attendees(s, activity_id)}
        changed = 0
        for line_id, value in signed.items():
            line = lines.get(line_id)
            if line is None:
                raise NotFoundError("attendee.not_found", field="attendee_id")
            if line.signed != bool(value):
                line.signed = bool(value)
                changed += 1
        return changed


def activity_detail(db: Database, actor: Actor, activity_id: UUID) -> ActivityDetail:
    """An activity with its roster (names resolved) and its volunteer-hour totals."""
    with reading(db, actor, Permission.READ) as s:
        activity = get_activity_row(s, activity_id)
        lines = _live_attendees(s, activity_id)
        people = {p.uuid: p.name for p in s.scalars(select(Person).where(
            Person.uuid.in_([a.person_id for a in lines if a.person_id is not None])))}
        volunteers = {v.uuid: v.name for v in s.scalars(select(Volunteer).where(
            Volunteer.uuid.in_([a.volunteer_id for a in lines if a.volunteer_id is not None])))}
        attendees = tuple(
            AttendeeView(a.uuid, a.person_id, a.volunteer_id,
                         people.get(a.person_id, "") if a.person_id else
                         volunteers.get(a.volunteer_id, "") if a.volunteer_id else a.name,
                         a.role, a.signed)
            for a in lines)
        by_role = Counter(a.role for a in lines)
        hours = s.execute(select(VolunteerHours.status, func.count(), func.sum(VolunteerHours.credited_tenths))
                          .where(VolunteerHours.activity_id == activity_id, VolunteerHours.deleted_at.is_(None))
                          .group_by(VolunteerHours.status)).all()
        confirmed = sum(int(t or 0) for st, _, t in hours if HoursStatus(st).counts)
        pending = sum(int(t or 0) for st, _, t in hours if st == HoursStatus.PENDING)
        return ActivityDetail(
            activity=_activity_view(s, activity),
            attendees=attendees,
            roster_by_role=MappingProxyType({role: by_role.get(role, 0) for role in AttendeeRole}),
            roster_persons=len({a.person_id for a in lines if a.person_id is not None}),
            hours_lines=sum(int(n) for st, n, _ in hours if st != HoursStatus.VOID),
            hours_confirmed_tenths=confirmed,
            hours_pending_tenths=pending,
        )


# ---------------------------------------------------------------------------
# Groups (小组), service projects, partner organisations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupInput:
    """小组计划书: the group's plan; each session is then an activity of type group_session."""

    name: str
    group_type: str = ""  # 教育/成长/支持/治疗/兴趣/任务
    theory: str = ""
    aims: str = ""
    target_members: str = ""
    planned_sessions: int = 0
    session_plan: tuple[Mapping[str, Any], ...] = ()
    stage: GroupStage = GroupStage.PREPARATION
    worker_id: UUID | None = None
    project_id: UUID | None = None


@dataclass(frozen=True)
class GroupView:
    """A group with its member count."""

    uuid: UUID
    name: str
    group_type: str
    stage: GroupStage
    planned_sessions: int
    members: int
    worker_id: UUID | None
    project_id: UUID | None


def _group_view(s: Session, g: Group) -> GroupView:
    members = int(s.scalar(select(func.count()).select_from(GroupMember).where(
        GroupMember.group_id == g.uuid, GroupMember.deleted_at.is_(None))) or 0)
    return GroupView(g.uuid, g.name, g.group_type, g.stage, g.planned_sessions, members, g.worker_id, g.project_id)


def create_group(db: Database, actor: Actor, data: GroupInput) -> GroupView:
    """Create a group (小组).

    Raises:
        ValidationError: ``text.required`` / ``text.too_long`` (name, group_type),
            ``count.negative`` (planned_sessions).
        NotFoundError: the worker or the project.
    """
    name = clean_text(data.name, "name", max_len=200, required=True)
    group_type = clean_text(data.group_type, "group_type", max_len=20)
    theory = clean_text(data.theory, "theory", max_len=200)
    if data.planned_sessions < 0:
        raise ValidationError("count.negative", field="planned_sessions")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        if data.worker_id is not None:
            live_row(s, Staff, data.worker_id, "staff.not_found", "worker_id")
        if data.project_id is not None:
            get_project_row(s, data.project_id)
        group = Group(name=name, group_type=group_type, theory=theory, aims=data.aims.strip(),
                      target_members=data.target_members.strip(), planned_sessions=data.planned_sessions,
                      session_plan=[dict(p) for p in data.session_plan], stage=data.stage,
                      worker_id=data.worker_id, project_id=data.project_id)
        s.add(group)
        s.flush()
        return _group_view(s, group)


def add_group_member(db: Database, actor: Actor, group_id: UUID, person_id: UUID,
                     joined_on: date | None = None) -> None:
    """Enrol a person in a group (组员); a member who left and comes back is restored.

    Raises:
        ValidationError: ``group.duplicate_member``.
        NotFoundError: the group or the person.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        live_row(s, Group, group_id, "group.not_found", "group_id")
        live_row(s, Person, person_id, "person.not_found", "person_id")
        row = s.scalars(select(GroupMember).where(GroupMember.group_id == group_id,
                                                  GroupMember.person_id == person_id)).first()
        if row is None:
            s.add(GroupMember(group_id=group_id, person_id=person_id, joined_on=joined_on))
        elif row.deleted_at is None:
            raise ValidationError("group.duplicate_member", field="person_id")
        else:
            # UNIQUE(group_id, person_id) holds the old row: bring it back.
            row.deleted_at, row.joined_on = None, joined_on


@dataclass(frozen=True)
class ProjectInput:
    """服务项目 / 试点项目."""

    name: str
    theme: str = ""
    funder: str = ""
    amount_fen: int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    targets: tuple[Mapping[str, Any], ...] = ()  # indicator, target, unit
    service_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectView:
    """A service project."""

    uuid: UUID
    name: str
    funder: str
    amount_fen: int
    starts_on: date | None
    ends_on: date | None
    service_areas: tuple[str, ...]
    status: str


def create_project(db: Database, actor: Actor, data: ProjectInput) -> ProjectView:
    """Create a service project.

    Raises:
        ValidationError: ``text.required`` / ``text.too_long``, ``amount.negative``,
            ``date.order`` (``ends_on``), ``taxonomy.unknown_code``.
    """
    name = clean_text(data.name, "name", max_len=200, required=True)
    funder = clean_text(data.funder, "funder", max_len=200)
    if data.amount_fen < 0:
        raise ValidationError("amount.negative", field="amount_fen")
    if data.starts_on is not None and data.ends_on is not None:
        check_date_order(data.starts_on, data.ends_on, field="ends_on", earlier_field="starts_on")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        areas = check_codes(s, TaxonomyKind.SERVICE_AREA, data.service_areas, "service_areas")
        project = ServiceProject(name=name, theme=data.theme.strip(), funder=funder, amount_fen=data.amount_fen,
                                 starts_on=data.starts_on, ends_on=data.ends_on,
                                 targets=[dict(t) for t in data.targets], service_areas=list(areas))
        s.add(project)
        s.flush()
        return ProjectView(project.uuid, project.name, project.funder, project.amount_fen, project.starts_on,
                           project.ends_on, tuple(project.service_areas), project.status)


@dataclass(frozen=True)
class OrganisationInput:
    """A partner: social organisation, charity, company, village committee..."""

    name: str
    uscc: str = ""  # 统一社会信用代码, validated when given
    kind: str = ""  # 社会组织/慈善组织/企业/村委会...
    linkage_party: LinkageParty | None = None
    contact_name: str = ""
    contact_phone: str = ""
    public_fundraising: bool = False  # 公募资格


@dataclass(frozen=True)
class OrganisationView:
    """A partner organisation."""

    uuid: UUID
    name: str
    uscc: str
    kind: str
    linkage_party: LinkageParty | None
    contact_name: str
    contact_phone_masked: str
    public_fundraising: bool


def create_organisation(db: Database, actor: Actor, data: OrganisationInput) -> OrganisationView:
    """Register a partner organisation.

    Raises:
        ValidationErrors: ``text.required`` / ``text.too_long``, ``uscc.format`` /
            ``uscc.checksum``, phone errors on ``contact_phone``.
        ValidationError: ``organisation.duplicate_uscc`` (param ``existing``).
    """
    errors: list[ValidationError] = []
    values: dict[str, str] = {}
    for name, max_len, required in (("name", 200, True), ("kind", 40, False)):
        try:
            values[name] = clean_text(str(getattr(data, name)), name, max_len=max_len, required=required)
        except ValidationError as exc:
            errors.append(exc)
    values["uscc"] = ""
    if data.uscc.strip():
        try:
            values["uscc"] = validate_uscc(data.uscc)
        except ValidationError as exc:
            errors.append(exc)
    values["contact_name"] = ""
    if data.contact_name.strip():
        try:
            values["contact_name"] = clean_person_name(data.contact_name, "contact_name")
        except ValidationError as exc:
            errors.append(exc)
    values["contact_phone"] = ""
    if data.contact_phone.strip():
        try:
            values["contact_phone"] = normalize_phone(data.contact_phone).number
        except ValidationError as exc:
            errors.append(ValidationError(exc.code, field="contact_phone", **exc.params))
    if errors:
        raise ValidationErrors(errors)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        if values["uscc"]:
            other = s.scalars(select(SocialOrganisation).where(
                SocialOrganisation.origin == own_station(s).code, SocialOrganisation.uscc == values["uscc"],
                SocialOrganisation.deleted_at.is_(None))).first()
            if other is not None:
                raise ValidationError("organisation.duplicate_uscc", field="uscc", existing=str(other.uuid))
        org = SocialOrganisation(name=values["name"], uscc=values["uscc"], kind=values["kind"],
                                 linkage_party=data.linkage_party, contact_name=values["contact_name"],
                                 contact_phone=values["contact_phone"], public_fundraising=data.public_fundraising)
        s.add(org)
        s.flush()
        return OrganisationView(org.uuid, org.name, org.uscc, org.kind, org.linkage_party, org.contact_name,
                                mask_phone(org.contact_phone), org.public_fundraising)
