"""Staff and their certificates and training; communities served; supervision records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from wushe_desktop.domain.enums import CommunityKind, Role, SupervisionForm
from wushe_desktop.domain.validation import (
    check_not_future,
    normalize_name,
    normalize_phone,
    validate_division_code,
)
from wushe_desktop.errors import NotFoundError, ValidationError
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.permissions import Permission
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Community,
    Staff,
    StaffCertificate,
    StaffTraining,
    SupervisionRecord,
)
from wushe_desktop.storage.types import utcnow


@dataclass(frozen=True)
class StaffInput:
    """A member of staff as the settings screen edits them."""

    name: str
    role: Role
    phone: str = ""
    employer: str = ""
    sw_cert_level: str = ""
    joined_on: date | None = None


@dataclass(frozen=True)
class StaffView:
    """A member of staff."""

    uuid: uuid.UUID
    name: str
    role: Role
    phone: str
    employer: str
    sw_cert_level: str
    active: bool


def _staff_view(s: Staff) -> StaffView:
    return StaffView(s.uuid, s.name, s.role, s.phone, s.employer, s.sw_cert_level, s.active)


def _clean_staff(data: StaffInput) -> dict[str, Any]:
    return {
        "name": normalize_name(data.name), "role": data.role,
        "phone": normalize_phone(data.phone).number if data.phone.strip() else "",
        "employer": data.employer.strip(), "sw_cert_level": data.sw_cert_level.strip(), "joined_on": data.joined_on,
    }


def _get_staff(session: Any, staff_id: uuid.UUID) -> Staff:
    row = session.get(Staff, staff_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError("staff.not_found", field="staff_id")
    return row  # type: ignore[no-any-return]


def add_staff(db: Database, actor: Actor, data: StaffInput) -> StaffView:
    """Add a member of staff."""
    values = _clean_staff(data)
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        row = Staff(**values)
        s.add(row)
        s.flush()
        return _staff_view(row)


def update_staff(db: Database, actor: Actor, staff_id: uuid.UUID, data: StaffInput) -> StaffView:
    """Edit a member of staff."""
    values = _clean_staff(data)
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        row = _get_staff(s, staff_id)
        for key, value in values.items():
            setattr(row, key, value)
        s.flush()
        return _staff_view(row)


def staff_leaves(db: Database, actor: Actor, staff_id: uuid.UUID, on: date) -> None:
    """Mark a member of staff as gone (records stay with the station; hand cases over with
    ``services.cases.hand_over_cases``)."""
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        row = _get_staff(s, staff_id)
        row.active, row.left_on = False, on


def list_staff(db: Database, actor: Actor, *, include_inactive: bool = False) -> list[StaffView]:
    """This station's staff, by name."""
    with reading(db, actor, Permission.READ) as s:
        origin = own_station(s).code
        stmt = select(Staff).where(Staff.origin == origin, Staff.deleted_at.is_(None)).order_by(Staff.name)
        if not include_inactive:
            stmt = stmt.where(Staff.active.is_(True))
        return [_staff_view(r) for r in s.scalars(stmt)]


def add_certificate(db: Database, actor: Actor, staff_id: uuid.UUID, kind: str, level: str = "",
                    number: str = "", issued_on: date | None = None) -> uuid.UUID:
    """Record a professional certificate (e.g. 社会工作者职业资格证书)."""
    if not kind.strip():
        raise ValidationError("certificate.kind_empty", field="kind")
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        _get_staff(s, staff_id)
        row = StaffCertificate(staff_id=staff_id, kind=kind.strip(), level=level.strip(), number=number.strip(),
                               issued_on=issued_on)
        s.add(row)
        s.flush()
        return row.uuid


def add_training(db: Database, actor: Actor, staff_id: uuid.UUID, held_on: date, title: str,
                 hours_tenths: int, provider: str = "", today: date | None = None) -> uuid.UUID:
    """Record training hours (继续教育)."""
    check_not_future(held_on, today=today or date.today(), field="held_on")
    if hours_tenths <= 0:
        raise ValidationError("hours.not_positive", field="hours")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        _get_staff(s, staff_id)
        row = StaffTraining(staff_id=staff_id, held_on=held_on, title=title.strip(), hours_tenths=hours_tenths,
                            provider=provider.strip())
        s.add(row)
        s.flush()
        return row.uuid


@dataclass(frozen=True)
class CommunityView:
    """A village or community the station serves."""

    uuid: uuid.UUID
    name: str
    kind: CommunityKind
    division_code: str | None


def add_community(db: Database, actor: Actor, name: str, kind: CommunityKind,
                  division_code: str | None = None) -> CommunityView:
    """Add a village (嘎查/村) or community (社区) the station serves."""
    name = name.strip()
    if not name:
        raise ValidationError("community.name_empty", field="name")
    if len(name) > 100:
        raise ValidationError("text.too_long", field="name", max=100, length=len(name))
    code = validate_division_code(division_code) if division_code else None
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as s:
        origin = own_station(s).code
        exists = s.scalar(select(Community.uuid).where(Community.origin == origin, Community.name == name,
                                                       Community.deleted_at.is_(None)))
        if exists is not None:
            raise ValidationError("community.duplicate", field="name", name=name)
        row = Community(name=name, kind=kind, division_code=code)
        s.add(row)
        s.flush()
        return CommunityView(row.uuid, row.name, row.kind, row.division_code)


def list_communities(db: Database, actor: Actor) -> list[CommunityView]:
    """The communities this station serves."""
    with reading(db, actor, Permission.READ) as s:
        origin = own_station(s).code
        return [CommunityView(c.uuid, c.name, c.kind, c.division_code) for c in s.scalars(
            select(Community).where(Community.origin == origin, Community.deleted_at.is_(None))
            .order_by(Community.name))]


def remove_community(db: Database, actor: Actor, community_id: uuid.UUID) -> None:
    """Soft-delete a community (people keep the reference)."""
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as s:
        row = s.get(Community, community_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError("community.not_found")
        row.deleted_at = utcnow()


@dataclass(frozen=True)
class SupervisionInput:
    """督导记录."""

    held_on: date
    supervisor_name: str
    form: SupervisionForm
    hours_tenths: int
    supervisees: tuple[uuid.UUID, ...] = ()
    case_ids: tuple[uuid.UUID, ...] = ()
    supervisor_internal: bool = True
    topics: str = ""
    issues: str = ""
    advice: str = ""
    follow_ups: tuple[dict[str, str], ...] = ()


def record_supervision(db: Database, actor: Actor, data: SupervisionInput, today: date | None = None) -> uuid.UUID:
    """Record a supervision session."""
    check_not_future(data.held_on, today=today or date.today(), field="held_on")
    if data.hours_tenths <= 0:
        raise ValidationError("hours.not_positive", field="hours")
    supervisor = normalize_name(data.supervisor_name)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        row = SupervisionRecord(
            held_on=data.held_on, supervisor_name=supervisor, supervisor_internal=data.supervisor_internal,
            supervisees=[str(u) for u in data.supervisees], form=data.form, hours_tenths=data.hours_tenths,
            case_ids=[str(u) for u in data.case_ids], topics=data.topics, issues=data.issues, advice=data.advice,
            follow_ups=list(data.follow_ups))
        s.add(row)
        s.flush()
        return row.uuid
