"""Plain lists of a station's records (``wushe list … --json``, exports).

Rows are plain dicts of JSON-ready values with the keys documented in README.md; ID and
phone numbers are masked. Queries are set-based (no per-row lookups) so 100k cases list
in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.domain.validation import mask_id_number, mask_phone
from wushe_desktop.errors import ValidationError
from wushe_desktop.services.context import Actor, own_station, reading
from wushe_desktop.services.permissions import Permission
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    Case,
    Person,
    PersonStatus,
    ServiceRecord,
    Staff,
    Volunteer,
    VolunteerHours,
)

KINDS = ("people", "cases", "volunteers", "activities")


def _d(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def _people(s: Session, origin: str) -> Iterator[dict[str, Any]]:
    cats: dict[Any, list[str]] = {}
    for pid, code in s.execute(select(PersonStatus.person_id, PersonStatus.category).where(
            PersonStatus.origin == origin, PersonStatus.deleted_at.is_(None), PersonStatus.valid_to.is_(None))
            .order_by(PersonStatus.category)):
        cats.setdefault(pid, []).append(code)
    for p in s.scalars(select(Person).where(Person.origin == origin, Person.deleted_at.is_(None))
                       .order_by(Person.created_at, Person.uuid)):
        yield {
            "uuid": str(p.uuid), "name": p.name, "sex": p.sex.value if p.sex else None,
            "ethnicity": p.ethnicity, "birth_date": _d(p.birth_date),
            "id_number": mask_id_number(p.id_number) if p.id_number else None,
            "phone": mask_phone(p.phone) if p.phone else "", "address": p.address,
            "categories": cats.get(p.uuid, []),
        }


def _cases(s: Session, origin: str) -> Iterator[dict[str, Any]]:
    counts = (select(ServiceRecord.case_id, func.count().label("n"), func.max(ServiceRecord.service_date).label("last"))
              .where(ServiceRecord.origin == origin, ServiceRecord.deleted_at.is_(None))
              .group_by(ServiceRecord.case_id).subquery())
    worker = aliased(Staff)
    stmt = (select(Case, Person.name, worker.name, counts.c.n, counts.c.last)
            .join(Person, Person.uuid == Case.person_id)
            .outerjoin(worker, worker.uuid == Case.worker_id)
            .outerjoin(counts, counts.c.case_id == Case.uuid)
            .where(Case.origin == origin, Case.deleted_at.is_(None))
            .order_by(Case.case_no))
    for c, person_name, worker_name, n, last in s.execute(stmt):
        yield {
            "case_no": c.case_no, "uuid": str(c.uuid), "name": person_name, "stage": c.stage.value,
            "intake_date": _d(c.intake_date), "service_area": c.service_area, "risk_level": c.risk_level.value,
            "opening_status": c.opening_status.value, "worker": worker_name,
            "service_records": int(n or 0), "last_contact": _d(last), "closed_on": _d(c.closed_on),
        }


def _volunteers(s: Session, origin: str) -> Iterator[dict[str, Any]]:
    hours = (select(VolunteerHours.volunteer_id, func.sum(VolunteerHours.credited_tenths).label("t"))
             .where(VolunteerHours.origin == origin, VolunteerHours.deleted_at.is_(None),
                    VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]))
             .group_by(VolunteerHours.volunteer_id).subquery())
    stmt = (select(Volunteer, hours.c.t).outerjoin(hours, hours.c.volunteer_id == Volunteer.uuid)
            .where(Volunteer.origin == origin, Volunteer.deleted_at.is_(None)).order_by(Volunteer.volunteer_no))
    for v, tenths in s.execute(stmt):
        yield {
            "volunteer_no": v.volunteer_no, "uuid": str(v.uuid), "name": v.name,
            "registered_on": _d(v.registered_on),
            "id_number": mask_id_number(v.id_number) if v.id_number else None,
            "phone": mask_phone(v.phone) if v.phone else "", "skills": v.skills_text,
            "confirmed_hours": round(int(tenths or 0) / 10, 1),
        }


def _activities(s: Session, origin: str) -> Iterator[dict[str, Any]]:
    for a in s.scalars(select(Activity).where(Activity.origin == origin, Activity.deleted_at.is_(None))
                       .order_by(Activity.activity_no)):
        yield {
            "activity_no": a.activity_no, "uuid": str(a.uuid), "title": a.title, "type": a.activity_type,
            "start_date": _d(a.start_date), "service_areas": list(a.service_areas), "place": a.place,
            "participants": {"social_workers": a.social_workers, "volunteers": a.volunteers,
                             "caring_people": a.caring_people},
            "beneficiaries": a.beneficiaries,
        }


_LISTERS = {"people": _people, "cases": _cases, "volunteers": _volunteers, "activities": _activities}


def list_records(db: Database, actor: Actor, kind: str, origin: str | None = None) -> list[dict[str, Any]]:
    """All live records of a kind, for this station or (at a centre) a given station."""
    if kind not in _LISTERS:
        raise ValidationError("list.unknown_kind", field="kind", kind=kind)
    with reading(db, actor, Permission.READ) as s:
        code = origin or own_station(s).code
        return list(_LISTERS[kind](s, code))
