"""Volunteers (志愿者), teams, service hours (志愿服务记录) and certificates (志愿服务记录证明).

Hours are integers in tenths of an hour (domain.md §3.4). A line is entered as
*pending* with credited tenths computed by the station's :class:`HoursRule` (rounding unit,
rounding mode, daily cap); the station head confirms it, which fixes the credited value.
After that only :func:`correct_hours` changes it, keeping the old value, the reason, who
and when in the line's ``corrections`` history. Void lines never count.

Certificates follow 谁记录谁证明: only this station's confirmed or corrected lines count,
the number comes from the station's register (``{station}-Z{yyyy}-{seq:04d}``) and the
issuing body from the settings. Every print is audited; the second and later prints are
copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, Literal, cast
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import HoursStatus, IdDocumentType, Sex
from wushe_desktop.domain.taxonomy import StarRule, TaxonomyKind
from wushe_desktop.domain.validation import (
    HoursRule,
    age_on,
    check_daily_cap,
    check_date_order,
    check_not_future,
    credit_hours,
    identity_from_id,
    mask_id_number,
    mask_phone,
    normalize_name,
    normalize_phone,
)
from wushe_desktop.errors import (
    ConfigError,
    NotFoundError,
    StateError,
    ValidationError,
    ValidationErrors,
)
from wushe_desktop.services.activities import (
    get_activity_row,
)
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.numbers import format_number, issue_number
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.records import check_codes, clean_person_name, clean_text, live_row
from wushe_desktop.services.station import settings
from wushe_desktop.services.text import id_tail_matches, id_tail_query, name_keys
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Community,
    Person,
    Volunteer,
    VolunteerCertificate,
    VolunteerHours,
    VolunteerTeam,
    VolunteerTeamMember,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.storage.types import utcnow

#: Below this age a volunteer's registration warns unless a guardian consented
#: (民法典 Art. 17-19: minors act with their guardian's consent).
ADULT_AGE = 18
#: Longest certificate content summary, in characters.
SUMMARY_MAX = 500


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


def hours_rule(cfg: dict[str, Any]) -> HoursRule:
    """The station's hours rule from its settings (``hours.*``)."""
    return HoursRule(
        unit_tenths=int(cfg["hours.unit_tenths"]),
        rounding=cast(Literal["down", "nearest", "up"], str(cfg["hours.rounding"])),
        daily_cap_tenths=int(cfg["hours.daily_cap_tenths"]),
    )


def star_rule(cfg: dict[str, Any]) -> StarRule:
    """The banner's star thresholds from the settings (``stars.thresholds_hours``)."""
    return StarRule(thresholds_hours=tuple(sorted(int(h) for h in cfg["stars.thresholds_hours"])))


# ---------------------------------------------------------------------------
# Volunteers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerInput:
    """What the volunteer form or a roster row gives. Empty strings mean "not given".

    ``teams`` are team names: a name not known yet makes a new team.
    """

    name: str
    id_number: str = ""
    phone: str = ""
    sex: Sex | None = None
    birth_date: date | None = None
    id_type: IdDocumentType = IdDocumentType.RESIDENT_ID
    skills: tuple[str, ...] = ()  # taxonomy skill codes
    skills_text: str = ""
    availability: str = ""
    address: str = ""
    political_status: str = ""
    registered_on: date | None = None  # today when not given
    national_no: str = ""  # 全国志愿服务信息系统 number
    insurance_policy: str = ""
    insurance_until: date | None = None
    guardian_consent: bool = False
    person_id: UUID | None = None  # the same human as a person served, if any
    teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class VolunteerView:
    """A volunteer as screens and lists see it: ID and phone masked."""

    uuid: UUID
    volunteer_no: str
    name: str
    sex: Sex | None
    birth_date: date | None
    age: int | None
    id_type: IdDocumentType
    id_number_masked: str | None
    phone_masked: str
    address: str
    skills: tuple[str, ...]
    skills_text: str
    availability: str
    registered_on: date
    national_no: str
    insurance_policy: str
    insurance_until: date | None
    guardian_consent: bool
    person_id: UUID | None
    teams: tuple[str, ...]
    row_version: int


@dataclass(frozen=True)
class VolunteerSaveResult:
    """A saved volunteer and the warnings the user may want to see."""

    volunteer: VolunteerView
    warnings: tuple[ValidationError, ...] = ()


def clean_volunteer(data: VolunteerInput, *, today: date | None = None) -> tuple[VolunteerInput, list[ValidationError]]:
    """Validate and normalise a volunteer; collect every error at once.

    Returns:
        The normalised input (``registered_on`` filled in) and warnings:
        ``id_number.sex_mismatch``, ``id_number.birth_date_differs``,
        ``volunteer.minor_without_guardian_consent``.

    Raises:
        ValidationErrors: name, ID number, phone, date and text errors.
    """
    today = today or date.today()
    errors: list[ValidationError] = []
    warnings: list[ValidationError] = []
    changes: dict[str, Any] = {}
    try:
        changes["name"] = normalize_name(data.name)
    except ValidationError as exc:
        errors.append(exc)
    birth, sex = data.birth_date, data.sex
    if data.id_number.strip():
        if data.id_type == IdDocumentType.RESIDENT_ID:
            try:
                identity = identity_from_id(data.id_number, birth, sex, today=today)
                changes["id_number"], birth, sex = identity.id_number, identity.birth_date, identity.sex
                warnings.extend(identity.warnings)
            except ValidationError as exc:
                errors.append(exc)
        else:
            try:
                changes["id_number"] = clean_text(data.id_number, "id_number", max_len=40)
            except ValidationError as exc:
                errors.append(exc)
    else:
        changes["id_number"] = ""
    changes["birth_date"], changes["sex"] = birth, sex
    registered = data.registered_on or today
    changes["registered_on"] = registered
    for name, value in (("birth_date", birth), ("registered_on", registered)):
        if value is not None:
            try:
                check_not_future(value, today=today, field=name)
            except ValidationError as exc:
                errors.append(exc)
    if data.phone.strip():
        try:
            changes["phone"] = normalize_phone(data.phone).number
        except ValidationError as exc:
            errors.append(ValidationError(exc.code, field="phone", **exc.params))
    for name, max_len in (("skills_text", 200), ("availability", 200), ("address", 200),
                          ("political_status", 20), ("national_no", 40), ("insurance_policy", 60)):
        try:
            changes[name] = clean_text(str(getattr(data, name)), name, max_len=max_len)
        except ValidationError as exc:
            errors.append(exc)
    teams: list[str] = []
    for team in data.teams:
        try:
            name = clean_text(team, "teams", max_len=100)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if name and name not in teams:
            teams.append(name)
    changes["teams"] = tuple(teams)
    if errors:
        raise ValidationErrors(errors)
    if (birth is not None and birth <= registered and age_on(birth, registered) < ADULT_AGE
            and not data.guardian_consent):
        warnings.append(ValidationError("volunteer.minor_without_guardian_consent", field="guardian_consent"))
    return replace(data, **changes), warnings


def get_volunteer_row(session: Session, volunteer_id: UUID) -> Volunteer:
    """A live volunteer or ``volunteer.not_found``."""
    return live_row(session, Volunteer, volunteer_id, "volunteer.not_found", "volunteer_id")


def _find_by_id_number(s: Session, origin: str, id_number: str) -> Volunteer | None:
    return s.scalars(select(Volunteer).where(
        Volunteer.origin == origin, Volunteer.id_number == id_number, Volunteer.deleted_at.is_(None))).first()


_VOLUNTEER_COLUMNS = ("name", "sex", "birth_date", "id_type", "phone", "address", "political_status",
                      "skills_text", "availability", "registered_on", "national_no", "insurance_policy",
                      "insurance_until", "guardian_consent", "person_id")


def _apply_volunteer(v: Volunteer, data: VolunteerInput, skills: tuple[str, ...]) -> None:
    for name in _VOLUNTEER_COLUMNS:
        setattr(v, name, getattr(data, name))
    v.id_number = data.id_number or None
    v.id_tail = data.id_number[-4:]
    v.skills = list(skills)
    v.name_initials = name_keys(v.name)[1]


def _team_by_name(s: Session, origin: str, name: str) -> VolunteerTeam | None:
    return s.scalars(select(VolunteerTeam).where(
        VolunteerTeam.origin == origin, VolunteerTeam.name == name, VolunteerTeam.deleted_at.is_(None))
        .order_by(VolunteerTeam.created_at)).first()


def _join(s: Session, team_id: UUID, volunteer_id: UUID, joined_on: date | None) -> bool:
    """Make a membership live; False if it already was."""
    row = s.scalars(select(VolunteerTeamMember).where(
        VolunteerTeamMember.team_id == team_id, VolunteerTeamMember.volunteer_id == volunteer_id)).first()
    if row is None:
        s.add(VolunteerTeamMember(team_id=team_id, volunteer_id=volunteer_id, joined_on=joined_on))
        return True
    if row.deleted_at is not None:
        # UNIQUE(team_id, volunteer_id) keeps the old row: a volunteer coming back revives it.
        row.deleted_at, row.joined_on = None, joined_on
        return True
    return False


def _join_teams(s: Session, origin: str, volunteer_id: UUID, names: tuple[str, ...], on: date) -> None:
    for name in names:
        team = _team_by_name(s, origin, name)
        if team is None:
            team = VolunteerTeam(name=name)
            s.add(team)
            s.flush()
        _join(s, team.uuid, volunteer_id, on)
    s.flush()


def _team_names(s: Session, volunteer_id: UUID) -> tuple[str, ...]:
    return tuple(s.scalars(select(VolunteerTeam.name).join(
        VolunteerTeamMember, VolunteerTeamMember.team_id == VolunteerTeam.uuid).where(
        VolunteerTeamMember.volunteer_id == volunteer_id, VolunteerTeamMember.deleted_at.is_(None),
        VolunteerTeam.deleted_at.is_(None)).order_by(VolunteerTeam.name)))


def _volunteer_view(s: Session, v: Volunteer, today: date | None = None) -> VolunteerView:
    today = today or date.today()
    return VolunteerView(
        uuid=v.uuid, volunteer_no=v.volunteer_no, name=v.name, sex=v.sex, birth_date=v.birth_date,
        age=age_on(v.birth_date, today) if v.birth_date and v.birth_date <= today else None,
        id_type=v.id_type, id_number_masked=mask_id_number(v.id_number) if v.id_number else None,
        phone_masked=mask_phone(v.phone) if v.phone else "", address=v.address, skills=tuple(v.skills),
        skills_text=v.skills_text, availability=v.availability, registered_on=v.registered_on,
        national_no=v.national_no, insurance_policy=v.insurance_policy, insurance_until=v.insurance_until,
        guardian_consent=v.guardian_consent, person_id=v.person_id, teams=_team_names(s, v.uuid),
        row_version=v.row_version,
    )


def register_volunteer(db: Database, actor: Actor, data: VolunteerInput, *,
                       today: date | None = None) -> VolunteerSaveResult:
    """Register a volunteer (志愿者登记); numbered ``{station}-V{seq:05d}``.

    The ID number is never the public number (domain.md §3.3).

    Raises:
        ValidationErrors: see :func:`clean_volunteer`.
        ValidationError: ``id_number.duplicate`` (param ``existing``),
            ``taxonomy.unknown_code`` (skills).
        NotFoundError: ``person.not_found``.
    """
    cleaned, warnings = clean_volunteer(data, today=today)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        origin = own_station(s).code
        if cleaned.id_number:
            existing = _find_by_id_number(s, origin, cleaned.id_number)
            if existing is not None:
                raise ValidationError("id_number.duplicate", field="id_number", existing=str(existing.uuid))
        if cleaned.person_id is not None:
            live_row(s, Person, cleaned.person_id, "person.not_found", "person_id")
        skills = check_codes(s, TaxonomyKind.SKILL, cleaned.skills, "skills")
        volunteer = Volunteer(volunteer_no=format_number("volunteer", origin, 0, issue_number(s, "volunteer", 0)))
        _apply_volunteer(volunteer, cleaned, skills)
        s.add(volunteer)
        s.flush()
        _join_teams(s, origin, volunteer.uuid, cleaned.teams, cleaned.registered_on or date.today())
        return VolunteerSaveResult(_volunteer_view(s, volunteer, today), tuple(warnings))


def update_volunteer(db: Database, actor: Actor, volunteer_id: UUID, data: VolunteerInput, *,
                     today: date | None = None, keep_id_number: bool = False,
                     keep_phone: bool = False) -> VolunteerSaveResult:
    """Edit a volunteer. Teams in ``data`` are joined (leaving is :func:`remove_from_team`);
    ``registered_on`` left empty keeps the stored date.

    The edit form never shows the full ID number or phone: with ``keep_id_number`` /
    ``keep_phone``, an empty field in ``data`` keeps the stored value (a typed one
    replaces it).
    """
    cleaned, warnings = clean_volunteer(data, today=today)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        volunteer = get_volunteer_row(s, volunteer_id)
        if data.registered_on is None:
            cleaned = replace(cleaned, registered_on=volunteer.registered_on)
        if keep_id_number and not cleaned.id_number and volunteer.id_number:
            cleaned = replace(cleaned, id_number=volunteer.id_number)
        if keep_phone and not cleaned.phone and volunteer.phone:
            cleaned = replace(cleaned, phone=volunteer.phone)
        if cleaned.id_number and cleaned.id_number != volunteer.id_number:
            other = _find_by_id_number(s, volunteer.origin, cleaned.id_number)
            if other is not None and other.uuid != volunteer.uuid:
                raise ValidationError("id_number.duplicate", field="id_number", existing=str(other.uuid))
        if cleaned.person_id is not None:
            live_row(s, Person, cleaned.person_id, "person.not_found", "person_id")
        skills = check_codes(s, TaxonomyKind.SKILL, cleaned.skills, "skills")
        _apply_volunteer(volunteer, cleaned, skills)
        s.flush()
        _join_teams(s, volunteer.origin, volunteer.uuid, cleaned.teams, today or date.today())
        return VolunteerSaveResult(_volunteer_view(s, volunteer, today), tuple(warnings))


def delete_volunteer(db: Database, actor: Actor, volunteer_id: UUID) -> None:
    """Soft-delete a volunteer. Hour lines and issued certificates stay as recorded;
    the figures leave out the hours of deleted volunteers."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        volunteer = get_volunteer_row(s, volunteer_id)
        now = utcnow()
        for member in s.scalars(select(VolunteerTeamMember).where(
                VolunteerTeamMember.volunteer_id == volunteer_id, VolunteerTeamMember.deleted_at.is_(None))):
            member.deleted_at = now
        volunteer.deleted_at = now


def volunteer_form_input(db: Database, actor: Actor, volunteer_id: UUID) -> VolunteerInput:
    """A volunteer as the edit form starts from: the stored values and current teams, but
    the ID number and phone left empty (they stay masked; see :func:`update_volunteer`).

    Raises:
        NotFoundError: ``volunteer.not_found``.
    """
    with reading(db, actor, Permission.EDIT_RECORDS) as s:
        v = get_volunteer_row(s, volunteer_id)
        return VolunteerInput(
            name=v.name, sex=v.sex, birth_date=v.birth_date, id_type=v.id_type, skills=tuple(v.skills),
            skills_text=v.skills_text, availability=v.availability, address=v.address,
            political_status=v.political_status, registered_on=v.registered_on, national_no=v.national_no,
            insurance_policy=v.insurance_policy, insurance_until=v.insurance_until,
            guardian_consent=v.guardian_consent, person_id=v.person_id, teams=_team_names(s, v.uuid))


def get_volunteer(db: Database, actor: Actor, volunteer_id: UUID) -> VolunteerView:
    """One volunteer, masked."""
    with reading(db, actor, Permission.READ) as s:
        return _volunteer_view(s, get_volunteer_row(s, volunteer_id))


def _search_filters(query: str) -> list[ColumnElement[bool]]:
    q = query.strip()
    tail = id_tail_query(q)
    if tail is not None:
        return [or_(id_tail_matches(Volunteer.id_tail, tail), Volunteer.phone.endswith(tail),
                    Volunteer.volunteer_no.endswith(tail))]
    if q.isascii() and q.isalpha():
        return [Volunteer.name_initials.startswith(q.lower())]
    return [Volunteer.name.contains(q)] if q else []


def list_volunteers(db: Database, actor: Actor, query: str = "", limit: int | None = None) -> list[VolunteerView]:
    """Volunteers matching a search box (name, pinyin initials, ID tail, phone, number)."""
    with reading(db, actor, Permission.READ) as s:
        stmt = (select(Volunteer)
                .where(Volunteer.origin == own_station(s).code, Volunteer.deleted_at.is_(None),
                       *_search_filters(query))
                .order_by(Volunteer.volunteer_no).limit(limit))
        return [_volunteer_view(s, v) for v in s.scalars(stmt)]


# ---------------------------------------------------------------------------
# Teams
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamInput:
    """志愿服务队伍."""

    name: str
    leader_name: str = ""
    leader_phone: str = ""
    community_id: UUID | None = None


@dataclass(frozen=True)
class TeamView:
    """A team and its number of live members."""

    uuid: UUID
    name: str
    leader_name: str
    leader_phone_masked: str
    community_id: UUID | None
    members: int


def _team_view(s: Session, t: VolunteerTeam) -> TeamView:
    members = int(s.scalar(select(func.count()).select_from(VolunteerTeamMember).join(
        Volunteer, Volunteer.uuid == VolunteerTeamMember.volunteer_id).where(
        VolunteerTeamMember.team_id == t.uuid, VolunteerTeamMember.deleted_at.is_(None),
        Volunteer.deleted_at.is_(None))) or 0)
    return TeamView(t.uuid, t.name, t.leader_name, mask_phone(t.leader_phone), t.community_id, members)


def create_team(db: Database, actor: Actor, data: TeamInput) -> TeamView:
    """Create a volunteer team.

    Raises:
        ValidationErrors: ``text.required`` / ``text.too_long``, leader name or phone.
        ValidationError: ``team.duplicate_name`` (param ``existing``).
        NotFoundError: ``community.not_found``.
    """
    errors: list[ValidationError] = []
    name = leader = phone = ""
    try:
        name = clean_text(data.name, "name", max_len=100, required=True)
    except ValidationError as exc:
        errors.append(exc)
    if data.leader_name.strip():
        try:
            leader = clean_person_name(data.leader_name, "leader_name")
        except ValidationError as exc:
            errors.append(exc)
    if data.leader_phone.strip():
        try:
            phone = normalize_phone(data.leader_phone).number
        except ValidationError as exc:
            errors.append(ValidationError(exc.code, field="leader_phone", **exc.params))
    if errors:
        raise ValidationErrors(errors)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        origin = own_station(s).code
        existing = _team_by_name(s, origin, name)
        if existing is not None:
            raise ValidationError("team.duplicate_name", field="name", existing=str(existing.uuid))
        if data.community_id is not None:
            live_row(s, Community, data.community_id, "community.not_found", "community_id")
        team = VolunteerTeam(name=name, leader_name=leader, leader_phone=phone, community_id=data.community_id)
        s.add(team)
        s.flush()
        return _team_view(s, team)


def add_to_team(db: Database, actor: Actor, team_id: UUID, volunteer_id: UUID,
                joined_on: date | None = None) -> bool:
    """Put a volunteer in a team; returns False if they already were a member."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        live_row(s, VolunteerTeam, team_id, "team.not_found", "team_id")
        get_volunteer_row(s, volunteer_id)
        return _join(s, team_id, volunteer_id, joined_on)


def remove_from_team(db: Database, actor: Actor, team_id: UUID, volunteer_id: UUID) -> None:
    """End a membership (soft delete; joining again restores it)."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        for row in s.scalars(select(VolunteerTeamMember).where(
                VolunteerTeamMember.team_id == team_id, VolunteerTeamMember.volunteer_id == volunteer_id,
                VolunteerTeamMember.deleted_at.is_(None))):
            row.deleted_at = utcnow()


def list_team_members(db: Database, actor: Actor, team_id: UUID) -> list[VolunteerView]:
    """A team's live members by volunteer number.

    Raises:
        NotFoundError: ``team.not_found``.
    """
    with reading(db, actor, Permission.READ) as s:
        live_row(s, VolunteerTeam, team_id, "team.not_found", "team_id")
        members = s.scalars(select(Volunteer).join(
            VolunteerTeamMember, VolunteerTeamMember.volunteer_id == Volunteer.uuid).where(
            VolunteerTeamMember.team_id == team_id, VolunteerTeamMember.deleted_at.is_(None),
            Volunteer.deleted_at.is_(None)).order_by(Volunteer.volunteer_no))
        return [_volunteer_view(s, v) for v in members]


def list_teams(db: Database, actor: Actor) -> list[TeamView]:
    """This station's teams by name."""
    with reading(db, actor, Permission.READ) as s:
        teams = s.scalars(select(VolunteerTeam).where(
            VolunteerTeam.origin == own_station(s).code, VolunteerTeam.deleted_at.is_(None))
            .order_by(VolunteerTeam.name))
        return [_team_view(s, t) for t in teams]


# ---------------------------------------------------------------------------
# Hours
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursInput:
    """One service line (志愿服务记录): actual service time without travel.

    Give ``minutes``, or ``sign_in`` and ``sign_out`` on ``service_date`` (same day).
    When both are given, ``minutes`` wins (a break or travel taken out) and the times are
    kept as recorded.
    """

    volunteer_id: UUID
    service_date: date
    minutes: int | None = None
    sign_in: time | None = None
    sign_out: time | None = None
    activity_id: UUID | None = None
    place: str = ""
    content: str = ""
    evaluation: str = ""


@dataclass(frozen=True)
class CorrectionEntry:
    """One step of a line's history: a correction or the voiding.

    ``old_tenths``/``new_tenths`` are the credited tenths before and after (0 after a
    voiding); minutes are given when the correction was made in minutes.
    """

    action: Literal["correct", "void"]
    old_tenths: int
    new_tenths: int
    reason: str
    by: str
    at: datetime
    old_minutes: int | None = None
    new_minutes: int | None = None


@dataclass(frozen=True)
class HoursView:
    """A service line as the lists and the volunteer record show it."""

    uuid: UUID
    volunteer_id: UUID
    volunteer_name: str
    activity_id: UUID | None
    service_date: date
    sign_in: time | None
    sign_out: time | None
    place: str
    content: str
    evaluation: str
    minutes: int
    credited_tenths: int
    status: HoursStatus
    recorded_by: str
    confirmed_by: str
    confirmed_at: datetime | None
    corrections: tuple[CorrectionEntry, ...]
    row_version: int

    @property
    def counts(self) -> bool:
        """Whether the line's hours count (confirmed or corrected)."""
        return self.status.counts


def _minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def service_minutes(line: HoursInput) -> int:
    """The line's service minutes from ``minutes`` or sign-in/sign-out.

    Raises:
        ValidationError: ``hours.time_missing`` (neither given), ``hours.sign_order``
            (sign-out not after sign-in), ``hours.not_positive``.
    """
    if line.minutes is not None:
        minutes = line.minutes
    elif line.sign_in is not None and line.sign_out is not None:
        minutes = _minutes_between(line.sign_in, line.sign_out)
        if minutes <= 0:
            raise ValidationError("hours.sign_order", field="sign_out")
    else:
        raise ValidationError("hours.time_missing", field="minutes")
    if minutes <= 0:
        raise ValidationError("hours.not_positive", field="hours")
    return minutes


def _credit(minutes: int, rule: HoursRule) -> int:
    credited = credit_hours(minutes, rule)
    if credited <= 0:
        # Less than one rounding unit, rounded down: nothing to credit.
        raise ValidationError("hours.below_unit", field="hours", unit_tenths=rule.unit_tenths)
    return credited


def _day_tenths(s: Session, volunteer_id: UUID, on: date, excluding: UUID | None = None) -> int:
    """Credited tenths of the volunteer's non-void lines on a day."""
    stmt = select(func.coalesce(func.sum(VolunteerHours.credited_tenths), 0)).where(
        VolunteerHours.volunteer_id == volunteer_id, VolunteerHours.service_date == on,
        VolunteerHours.deleted_at.is_(None), VolunteerHours.status != HoursStatus.VOID)
    if excluding is not None:
        stmt = stmt.where(VolunteerHours.uuid != excluding)
    return int(s.scalar(stmt) or 0)


def _has_line(s: Session, volunteer_id: UUID, activity_id: UUID, on: date) -> bool:
    return s.scalar(select(func.count()).select_from(VolunteerHours).where(
        VolunteerHours.volunteer_id == volunteer_id, VolunteerHours.activity_id == activity_id,
        VolunteerHours.service_date == on, VolunteerHours.deleted_at.is_(None),
        VolunteerHours.status != HoursStatus.VOID)) != 0


def _corrections(line: VolunteerHours) -> tuple[CorrectionEntry, ...]:
    return tuple(
        CorrectionEntry(action=c["action"], old_tenths=int(c["old"]), new_tenths=int(c["new"]),
                        reason=str(c["reason"]), by=str(c["by"]), at=datetime.fromisoformat(c["at"]),
                        old_minutes=c.get("old_minutes"), new_minutes=c.get("new_minutes"))
        for c in line.corrections)


def _hours_view(line: VolunteerHours, volunteer_name: str) -> HoursView:
    return HoursView(
        uuid=line.uuid, volunteer_id=line.volunteer_id, volunteer_name=volunteer_name,
        activity_id=line.activity_id, service_date=line.service_date, sign_in=line.sign_in,
        sign_out=line.sign_out, place=line.place, content=line.content, evaluation=line.evaluation,
        minutes=line.minutes, credited_tenths=line.credited_tenths, status=line.status,
        recorded_by=line.recorded_by, confirmed_by=line.confirmed_by, confirmed_at=line.confirmed_at,
        corrections=_corrections(line), row_version=line.row_version,
    )


class _LineBuilder:
    """Validates hour lines against the database and the lines built before it in the
    same call (daily cap, one line per volunteer, activity and day)."""

    def __init__(self, s: Session, rule: HoursRule, today: date, recorded_by: str) -> None:
        self.s, self.rule, self.today, self.recorded_by = s, rule, today, recorded_by
        self.day_added: dict[tuple[UUID, date], int] = {}
        self.seen: set[tuple[UUID, UUID, date]] = set()
        self.names: dict[UUID, str] = {}

    def build(self, line: HoursInput) -> VolunteerHours:
        check_not_future(line.service_date, today=self.today, field="service_date")
        minutes = service_minutes(line)
        credited = _credit(minutes, self.rule)
        place = clean_text(line.place, "place", max_len=200)
        evaluation = clean_text(line.evaluation, "evaluation", max_len=200)
        volunteer = get_volunteer_row(self.s, line.volunteer_id)
        self.names[volunteer.uuid] = volunteer.name
        if line.activity_id is not None:
            activity = get_activity_row(self.s, line.activity_id)
            place = place or activity.place
            key = (line.volunteer_id, line.activity_id, line.service_date)
            if key in self.seen or _has_line(self.s, *key):
                raise ValidationError("hours.duplicate_line", field="volunteer_id")
            self.seen.add(key)
        day = (line.volunteer_id, line.service_date)
        already = _day_tenths(self.s, *day) + self.day_added.get(day, 0)
        check_daily_cap(credited, already, self.rule)
        self.day_added[day] = self.day_added.get(day, 0) + credited
        return VolunteerHours(
            volunteer_id=line.volunteer_id, activity_id=line.activity_id, service_date=line.service_date,
            sign_in=line.sign_in, sign_out=line.sign_out, place=place, content=line.content.strip(),
            evaluation=evaluation, minutes=minutes, credited_tenths=credited, status=HoursStatus.PENDING,
            recorded_by=self.recorded_by, corrections=[])


def add_hours(db: Database, actor: Actor, line: HoursInput, *, today: date | None = None) -> HoursView:
    """Enter one service line, pending confirmation.

    Credited tenths follow the station's hours rule (settings ``hours.unit_tenths``,
    ``hours.rounding``); the daily cap (``hours.daily_cap_tenths``) covers all the
    volunteer's non-void lines of that date. The place defaults to the activity's.

    Raises:
        ValidationError: ``date.future``, ``hours.time_missing``, ``hours.sign_order``,
            ``hours.not_positive``, ``hours.below_unit`` (param ``unit_tenths``),
            ``hours.daily_cap`` (params ``cap_tenths``, ``total_tenths``),
            ``hours.duplicate_line`` (the volunteer already has a line for that
            activity and date), ``text.too_long``.
        NotFoundError: ``volunteer.not_found``, ``activity.not_found``.
    """
    rule = hours_rule(settings(db))
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        builder = _LineBuilder(s, rule, today or date.today(), actor.name)
        row = builder.build(line)
        s.add(row)
        s.flush()
        return _hours_view(row, builder.names[row.volunteer_id])


def add_hours_bulk(db: Database, actor: Actor, activity_id: UUID, lines: Sequence[HoursInput], *,
                   today: date | None = None) -> tuple[HoursView, ...]:
    """Enter the hours of many volunteers of one activity at once (the one-grid entry).

    All or nothing, in one transaction. Each line's ``activity_id`` is set to
    ``activity_id``; the rules of :func:`add_hours` apply per line and across the lines.

    Raises:
        ValidationErrors: every refused line, each error with param ``line`` (0-based
            index into ``lines``): the codes of :func:`add_hours`, and
            ``hours.activity_mismatch`` for a line naming another activity.
        NotFoundError: the activity or a volunteer.
    """
    rule = hours_rule(settings(db))
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_activity_row(s, activity_id)
        builder = _LineBuilder(s, rule, today or date.today(), actor.name)
        rows: list[VolunteerHours] = []
        errors: list[ValidationError] = []
        for index, line in enumerate(lines):
            if line.activity_id is not None and line.activity_id != activity_id:
                errors.append(ValidationError("hours.activity_mismatch", field="activity_id", line=index))
                continue
            try:
                rows.append(builder.build(replace(line, activity_id=activity_id)))
            except ValidationError as exc:
                errors.append(ValidationError(exc.code, field=exc.field, line=index, **exc.params))
        if errors:
            raise ValidationErrors(errors)
        s.add_all(rows)
        s.flush()
        return tuple(_hours_view(r, builder.names[r.volunteer_id]) for r in rows)


def _get_line(s: Session, line_id: UUID) -> VolunteerHours:
    return live_row(s, VolunteerHours, line_id, "hours.not_found", "line_id")


def confirm_hours(db: Database, actor: Actor, line_ids: Sequence[UUID]) -> tuple[HoursView, ...]:
    """Confirm pending lines in one action (站长 审核); fixes their credited tenths.

    Needs the ``approve`` permission. Every line must be pending; otherwise nothing is
    confirmed.

    Raises:
        PermissionDenied: ``permission.approve``.
        NotFoundError: ``hours.not_found``.
        StateError: ``hours.not_pending`` (params ``line_id``, ``status``).
    """
    with transaction(db, actor, Permission.APPROVE) as s:
        now = utcnow()
        lines = [_get_line(s, line_id) for line_id in dict.fromkeys(line_ids)]
        for line in lines:
            if line.status != HoursStatus.PENDING:
                raise StateError("hours.not_pending", line_id=str(line.uuid), status=line.status.value)
            line.status, line.confirmed_by, line.confirmed_at = HoursStatus.CONFIRMED, actor.name, now
        s.flush()
        return tuple(_hours_view(line, get_volunteer_row(s, line.volunteer_id).name) for line in lines)


def _history(action: Literal["correct", "void"], old: int, new: int, reason: str, by: str,
             old_minutes: int | None = None, new_minutes: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"action": action, "old": old, "new": new, "reason": reason, "by": by,
                             "at": utcnow().isoformat()}
    if new_minutes is not None:
        entry["old_minutes"], entry["new_minutes"] = old_minutes, new_minutes
    return entry


def correct_hours(db: Database, actor: Actor, line_id: UUID, *, reason: str, minutes: int | None = None,
                  tenths: int | None = None) -> HoursView:
    """Correct a line's credited hours (志愿者申请更正, verified by the station head).

    Give the new service ``minutes`` (credited by the hours rule) or the new credited
    ``tenths`` directly (e.g. time added for writing the summary). The old value, the new
    one, the reason, who and when are appended to the line's history; the line becomes
    *corrected*, which counts like confirmed. A pending line may be corrected too: the
    correction is also its confirmation.

    Raises:
        PermissionDenied: ``permission.approve``.
        ValidationError: ``hours.reason_required``, ``hours.correction_value`` (give
            exactly one of minutes and tenths), ``hours.not_positive``,
            ``hours.below_unit``, ``hours.daily_cap``.
        StateError: ``hours.void``.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("hours.reason_required", field="reason")
    if (minutes is None) == (tenths is None):
        raise ValidationError("hours.correction_value", field="minutes")
    rule = hours_rule(settings(db))
    if minutes is not None:
        if minutes <= 0:
            raise ValidationError("hours.not_positive", field="hours")
        new_tenths = _credit(minutes, rule)
    elif tenths is not None:
        if tenths <= 0:
            raise ValidationError("hours.not_positive", field="hours")
        new_tenths = tenths
    with transaction(db, actor, Permission.APPROVE) as s:
        line = _get_line(s, line_id)
        if line.status == HoursStatus.VOID:
            raise StateError("hours.void", line_id=str(line_id))
        check_daily_cap(new_tenths, _day_tenths(s, line.volunteer_id, line.service_date, excluding=line.uuid), rule)
        entry = _history("correct", line.credited_tenths, new_tenths, reason, actor.name,
                         line.minutes if minutes is not None else None, minutes)
        line.corrections = [*line.corrections, entry]
        if minutes is not None:
            line.minutes = minutes
        line.credited_tenths = new_tenths
        if line.status == HoursStatus.PENDING:
            line.confirmed_by, line.confirmed_at = actor.name, utcnow()
        line.status = HoursStatus.CORRECTED
        s.flush()
        return _hours_view(line, get_volunteer_row(s, line.volunteer_id).name)


def void_hours(db: Database, actor: Actor, line_id: UUID, reason: str) -> HoursView:
    """Void a line (entered twice, wrong volunteer...); it stays visible and never counts.

    A pending line may be voided by whoever records hours; a confirmed or corrected line
    only with the ``approve`` permission, since it may already have been certified.

    Raises:
        PermissionDenied: ``permission.edit_records`` / ``permission.approve``.
        ValidationError: ``hours.reason_required``.
        StateError: ``hours.void``.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("hours.reason_required", field="reason")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        line = _get_line(s, line_id)
        if line.status == HoursStatus.VOID:
            raise StateError("hours.void", line_id=str(line_id))
        if line.status.counts:
            require(actor, Permission.APPROVE)
        line.corrections = [*line.corrections, _history("void", line.credited_tenths, 0, reason, actor.name)]
        line.status = HoursStatus.VOID
        s.flush()
        return _hours_view(line, get_volunteer_row(s, line.volunteer_id).name)


def _line_filters(volunteer_id: UUID | None = None, activity_id: UUID | None = None,
                  status: HoursStatus | None = None, date_from: date | None = None,
                  date_to: date | None = None) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = [VolunteerHours.deleted_at.is_(None), Volunteer.deleted_at.is_(None)]
    if volunteer_id is not None:
        filters.append(VolunteerHours.volunteer_id == volunteer_id)
    if activity_id is not None:
        filters.append(VolunteerHours.activity_id == activity_id)
    if status is not None:
        filters.append(VolunteerHours.status == status)
    if date_from is not None:
        filters.append(VolunteerHours.service_date >= date_from)
    if date_to is not None:
        filters.append(VolunteerHours.service_date <= date_to)
    return filters


def _lines(s: Session, filters: list[ColumnElement[bool]], limit: int | None = None) -> list[HoursView]:
    stmt = (select(VolunteerHours, Volunteer.name).join(Volunteer, Volunteer.uuid == VolunteerHours.volunteer_id)
            .where(*filters)
            .order_by(VolunteerHours.service_date, Volunteer.name_initials, VolunteerHours.created_at)
            .limit(limit))
    return [_hours_view(line, name) for line, name in s.execute(stmt)]


def list_hours(db: Database, actor: Actor, *, volunteer_id: UUID | None = None,
               activity_id: UUID | None = None, status: HoursStatus | None = None,
               date_from: date | None = None, date_to: date | None = None,
               limit: int | None = None) -> list[HoursView]:
    """Service lines by date (both ends included), e.g. the pending lines of the dashboard."""
    with reading(db, actor, Permission.READ) as s:
        return _lines(s, _line_filters(volunteer_id, activity_id, status, date_from, date_to), limit)


@dataclass(frozen=True)
class VolunteerSummary:
    """A volunteer's record over a period.

    Attributes:
        confirmed_tenths: Confirmed or corrected credited tenths in the period.
        pending_tenths: Tenths of pending lines in the period (not yet counted).
        lines: Every line of the period, void ones included, with its status.
        total_confirmed_tenths: All-time confirmed tenths: the star level's basis.
        star_level: 0-5 by the configured thresholds.
        next_star_hours: The next threshold in hours, or None at the top level.
    """

    volunteer: VolunteerView
    date_from: date | None
    date_to: date | None
    confirmed_tenths: int
    pending_tenths: int
    lines: tuple[HoursView, ...]
    total_confirmed_tenths: int
    star_level: int
    next_star_hours: int | None


def _confirmed_total(s: Session, volunteer_id: UUID, date_from: date | None = None,
                     date_to: date | None = None) -> int:
    stmt = select(func.coalesce(func.sum(VolunteerHours.credited_tenths), 0)).where(
        VolunteerHours.volunteer_id == volunteer_id, VolunteerHours.deleted_at.is_(None),
        VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]))
    if date_from is not None:
        stmt = stmt.where(VolunteerHours.service_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(VolunteerHours.service_date <= date_to)
    return int(s.scalar(stmt) or 0)


def volunteer_summary(db: Database, actor: Actor, volunteer_id: UUID, date_from: date | None = None,
                      date_to: date | None = None) -> VolunteerSummary:
    """A volunteer's lines and totals over a period (both ends included), and star level.

    Raises:
        ValidationError: ``date.order`` (``date_to`` before ``date_from``).
        NotFoundError: ``volunteer.not_found``.
    """
    if date_from is not None and date_to is not None:
        check_date_order(date_from, date_to, field="date_to", earlier_field="date_from")
    stars = star_rule(settings(db))
    with reading(db, actor, Permission.READ) as s:
        volunteer = get_volunteer_row(s, volunteer_id)
        lines = tuple(_lines(s, _line_filters(volunteer_id, date_from=date_from, date_to=date_to)))
        total = _confirmed_total(s, volunteer_id)
        level = stars.level(total)
        return VolunteerSummary(
            volunteer=_volunteer_view(s, volunteer), date_from=date_from, date_to=date_to,
            confirmed_tenths=sum(v.credited_tenths for v in lines if v.counts),
            pending_tenths=sum(v.credited_tenths for v in lines if v.status == HoursStatus.PENDING),
            lines=lines, total_confirmed_tenths=total, star_level=level,
            next_star_hours=stars.thresholds_hours[level] if level < len(stars.thresholds_hours) else None,
        )


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateView:
    """A certificate of the register, as issued (the ID number masked; printing that
    needs it in full reveals it separately)."""

    uuid: UUID
    cert_no: str
    volunteer_id: UUID
    volunteer_no: str
    volunteer_name: str
    id_type: IdDocumentType
    id_number_masked: str | None
    period_from: date | None
    period_to: date | None
    hours_tenths: int
    content_summary: str
    issued_on: date
    issuing_body: str
    handler: str
    prints: int


def _certificate_view(c: VolunteerCertificate, v: Volunteer) -> CertificateView:
    return CertificateView(
        uuid=c.uuid, cert_no=c.cert_no, volunteer_id=v.uuid, volunteer_no=v.volunteer_no, volunteer_name=v.name,
        id_type=v.id_type, id_number_masked=mask_id_number(v.id_number) if v.id_number else None,
        period_from=c.period_from, period_to=c.period_to, hours_tenths=c.hours_tenths,
        content_summary=c.content_summary, issued_on=c.issued_on, issuing_body=c.issuing_body,
        handler=c.handler, prints=c.prints,
    )


def _content_summary(lines: Sequence[VolunteerHours]) -> str:
    """The distinct service contents of the lines, in date order."""
    contents = list(dict.fromkeys(line.content.strip() for line in lines if line.content.strip()))
    text = "；".join(contents)
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def issue_certificate(db: Database, actor: Actor, volunteer_id: UUID, date_from: date | None,
                      date_to: date | None, handler: str, *, today: date | None = None) -> CertificateView:
    """Issue a 志愿服务记录证明 over a period (both ends included; None = open).

    Only confirmed or corrected lines count. The number comes from the register
    (``{station}-Z{yyyy}-{seq:04d}``, the year of issue) and the issuing body from the
    setting ``certificate.issuing_body``. Issuing is free of charge and recorded as issued.

    Raises:
        PermissionDenied: ``permission.issue_certificate``.
        ValidationError: ``certificate.no_confirmed_hours``, ``date.order``, name
            errors on ``handler``.
        ConfigError: ``certificate.no_issuing_body``.
        NotFoundError: ``volunteer.not_found``.
    """
    require(actor, Permission.ISSUE_CERTIFICATE)
    today = today or date.today()
    if date_from is not None and date_to is not None:
        check_date_order(date_from, date_to, field="date_to", earlier_field="date_from")
    handler = clean_person_name(handler, "handler")
    issuing_body = certificate_issuing_body(db)
    with transaction(db, actor, Permission.ISSUE_CERTIFICATE) as s:
        cert = issue_certificate_in(s, volunteer_id, date_from, date_to, handler, issuing_body, today)
        return _certificate_view(cert, get_volunteer_row(s, volunteer_id))


def certificate_issuing_body(db: Database) -> str:
    """The setting ``certificate.issuing_body`` (出具单位) that every certificate names.

    Raises:
        ConfigError: ``certificate.no_issuing_body`` when it is not set.
    """
    issuing_body = str(settings(db).get("certificate.issuing_body") or "").strip()
    if not issuing_body:
        raise ConfigError("certificate.no_issuing_body", field="certificate.issuing_body")
    return issuing_body


def issue_certificate_in(s: Session, volunteer_id: UUID, date_from: date | None, date_to: date | None,
                         handler: str, issuing_body: str, today: date) -> VolunteerCertificate:
    """:func:`issue_certificate` inside the caller's write transaction (a batch of them).

    ``handler`` must be cleaned already. The number is taken from the register in this
    transaction: rolled back, it is not issued.

    Raises:
        ValidationError: ``certificate.no_confirmed_hours``.
        NotFoundError: ``volunteer.not_found``.
    """
    get_volunteer_row(s, volunteer_id)
    stmt = select(VolunteerHours).where(
        VolunteerHours.volunteer_id == volunteer_id, VolunteerHours.deleted_at.is_(None),
        VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]))
    if date_from is not None:
        stmt = stmt.where(VolunteerHours.service_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(VolunteerHours.service_date <= date_to)
    lines = list(s.scalars(stmt.order_by(VolunteerHours.service_date, VolunteerHours.created_at)))
    total = sum(line.credited_tenths for line in lines)
    if total <= 0:
        raise ValidationError("certificate.no_confirmed_hours", field="period")
    station = own_station(s).code
    cert = VolunteerCertificate(
        cert_no=format_number("certificate", station, today.year, issue_number(s, "certificate", today.year)),
        volunteer_id=volunteer_id, period_from=date_from, period_to=date_to, hours_tenths=total,
        content_summary=_content_summary(lines), issued_on=today, issuing_body=issuing_body,
        handler=handler, prints=0)
    s.add(cert)
    s.flush()
    return cert


def record_certificate_print(db: Database, actor: Actor, cert_id: UUID) -> int:
    """Count a print of a certificate and audit it (action ``print``).

    Returns:
        The print's number: 1 is the original, 2 and later are copies (副本).
    """
    with transaction(db, actor, Permission.ISSUE_CERTIFICATE) as s:
        cert = live_row(s, VolunteerCertificate, cert_id, "certificate.not_found", "cert_id")
        cert.prints += 1
        prints = cert.prints
        append_audit(s, AuditEntry("print", "volunteer_certificate", str(cert.uuid),
                                   {"cert_no": cert.cert_no, "prints": prints, "copy": prints >= 2}))
        return prints


def get_certificate(db: Database, actor: Actor, cert_id: UUID) -> CertificateView:
    """One certificate of the register."""
    with reading(db, actor, Permission.READ) as s:
        cert = live_row(s, VolunteerCertificate, cert_id, "certificate.not_found", "cert_id")
        volunteer = s.get(Volunteer, cert.volunteer_id)
        if volunteer is None:
            raise NotFoundError("volunteer.not_found", field="volunteer_id")
        return _certificate_view(cert, volunteer)


def list_certificates(db: Database, actor: Actor, volunteer_id: UUID | None = None,
                      year: int | None = None) -> list[CertificateView]:
    """The certificate register (证明登记簿) in number order."""
    with reading(db, actor, Permission.READ) as s:
        stmt = (select(VolunteerCertificate, Volunteer)
                .join(Volunteer, Volunteer.uuid == VolunteerCertificate.volunteer_id)
                .where(VolunteerCertificate.origin == own_station(s).code,
                       VolunteerCertificate.deleted_at.is_(None)))
        if volunteer_id is not None:
            stmt = stmt.where(VolunteerCertificate.volunteer_id == volunteer_id)
        if year is not None:
            stmt = stmt.where(VolunteerCertificate.issued_on >= date(year, 1, 1),
                              VolunteerCertificate.issued_on <= date(year, 12, 31))
        return [_certificate_view(c, v) for c, v in s.execute(stmt.order_by(VolunteerCertificate.cert_no))]
