"""Plain lists of a station's records (``wushe list … --json``, exports, the GUI's lists).

Rows are plain dicts of JSON-ready values with the keys documented in README.md; ID and
phone numbers are masked. :func:`list_records` reads a whole list (set-based: 100k cases
in seconds). The GUI reads a page at a time instead: :func:`count_records` and
:func:`page_records` run one :class:`ListQuery` (search text, filter, sort) in SQL with
``LIMIT``/``OFFSET`` over the indexes of migration 0004, and compute the per-row extras
(categories, contact counts, hours) for the page's rows only. Search: digits match the
ID-number tail, the phone's end and record numbers; Latin letters match the precomputed
pinyin initials (an indexed prefix); anything else matches the name (a 1-character
query too: no trigram index is needed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.domain.validation import mask_id_number, mask_phone
from wushe_desktop.errors import ValidationError
from wushe_desktop.services.context import Actor, own_station, reading
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.text import id_tail_matches, id_tail_query
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


# --- paged queries (the GUI's lists) ---------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """One list as the screen asks for it.

    Attributes:
        kind: ``people``, ``cases``, ``volunteers`` or ``activities``.
        text: The search box ("" for everything).
        filter_value: People: a category code; cases: a stage; activities: a type ("" for all).
        sort: A key of :data:`SORT_FIELDS` for the kind ("" for the list's natural order).
        descending: Sort direction (empty values last either way).
    """

    kind: str
    text: str = ""
    filter_value: str = ""
    sort: str = ""
    descending: bool = False


_HOURS_DONE = (HoursStatus.CONFIRMED, HoursStatus.CORRECTED)


def _live_status() -> Any:
    return and_(PersonStatus.deleted_at.is_(None), PersonStatus.valid_to.is_(None))


def _contacts(case_id: Any) -> Any:
    return (select(func.count()).where(ServiceRecord.case_id == case_id, ServiceRecord.deleted_at.is_(None))
            .correlate_except(ServiceRecord).scalar_subquery())


def _last_contact(case_id: Any) -> Any:
    return (select(func.max(ServiceRecord.service_date))
            .where(ServiceRecord.case_id == case_id, ServiceRecord.deleted_at.is_(None))
            .correlate_except(ServiceRecord).scalar_subquery())


def _hours(volunteer_id: Any) -> Any:
    return (select(func.coalesce(func.sum(VolunteerHours.credited_tenths), 0))
            .where(VolunteerHours.volunteer_id == volunteer_id, VolunteerHours.deleted_at.is_(None),
                   VolunteerHours.status.in_(_HOURS_DONE))
            .correlate_except(VolunteerHours).scalar_subquery())


def _person_match(text: str, person: Any = Person) -> ColumnElement[bool]:
    """Name, pinyin initials, ID-number tail or phone (the people search's rules)."""
    tail = id_tail_query(text)
    if tail is not None:
        return or_(id_tail_matches(person.id_tail, tail), person.phone.endswith(tail))
    if text.isascii() and text.isalpha():
        return person.name_initials.startswith(text.lower())  # type: ignore[no-any-return]
    return person.name.contains(text)  # type: ignore[no-any-return]


#: The sort keys of each kind (what the list's columns sort by).
SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("name", "sex", "birth_date", "address", "created"),
    "cases": ("case_no", "name", "stage", "opening_status", "intake_date", "service_area", "risk_level",
              "worker", "service_records", "last_contact"),
    "volunteers": ("volunteer_no", "name", "skills", "registered_on", "confirmed_hours"),
    "activities": ("activity_no", "title", "type", "start_date", "place", "social_workers", "volunteers",
                   "caring_people", "beneficiaries"),
}


def _base(kind: str, origin: str, query: ListQuery) -> tuple[Select[Any], dict[str, Any], list[Any]]:
    """The filtered statement of a kind, its sort expressions and its natural order."""
    text = query.text.strip()
    sorts: dict[str, Any]
    if kind == "people":
        stmt = select(Person.uuid).where(Person.origin == origin, Person.deleted_at.is_(None))
        if text:
            stmt = stmt.where(_person_match(text))
        if query.filter_value:
            stmt = stmt.where(exists().where(PersonStatus.person_id == Person.uuid, _live_status(),
                                             PersonStatus.category == query.filter_value))
        sorts = {"name": Person.name_initials, "sex": Person.sex, "birth_date": Person.birth_date,
                 "address": Person.address, "created": Person.created_at}
        return stmt, sorts, [Person.created_at, Person.uuid]
    if kind == "cases":
        worker = aliased(Staff)
        stmt = (select(Case.uuid).join(Person, Person.uuid == Case.person_id)
                .outerjoin(worker, worker.uuid == Case.worker_id)
                .where(Case.origin == origin, Case.deleted_at.is_(None)))
        if text:
            if text.isdigit():
                number = func.substr(Case.case_no, len(origin) + 2)  # after "{station}-"
                stmt = stmt.where(or_(number.contains(text), _person_match(text)))
            elif text.isascii() and text.isalpha():
                stmt = stmt.where(_person_match(text))
            else:
                stmt = stmt.where(or_(Person.name.contains(text), Case.case_no == text))
        if query.filter_value:
            stmt = stmt.where(Case.stage == query.filter_value)
        sorts = {"case_no": Case.case_no, "name": Person.name_initials, "stage": Case.stage,
                 "opening_status": Case.opening_status, "intake_date": Case.intake_date,
                 "service_area": Case.service_area, "risk_level": Case.risk_level, "worker": worker.name,
                 "service_records": _contacts(Case.uuid), "last_contact": _last_contact(Case.uuid)}
        return stmt, sorts, [Case.case_no]
    if kind == "volunteers":
        stmt = select(Volunteer.uuid).where(Volunteer.origin == origin, Volunteer.deleted_at.is_(None))
        if text:
            stmt = stmt.where(or_(_person_match(text, Volunteer), Volunteer.volunteer_no.contains(text)))
        sorts = {"volunteer_no": Volunteer.volunteer_no, "name": Volunteer.name_initials,
                 "skills": Volunteer.skills_text, "registered_on": Volunteer.registered_on,
                 "confirmed_hours": _hours(Volunteer.uuid)}
        return stmt, sorts, [Volunteer.volunteer_no]
    if kind == "activities":
        stmt = select(Activity.uuid).where(Activity.origin == origin, Activity.deleted_at.is_(None))
        if text:
            stmt = stmt.where(or_(Activity.title.contains(text), Activity.activity_no.contains(text),
                                  Activity.place.contains(text)))
        if query.filter_value:
            stmt = stmt.where(Activity.activity_type == query.filter_value)
        sorts = {"activity_no": Activity.activity_no, "title": Activity.title, "type": Activity.activity_type,
                 "start_date": Activity.start_date, "place": Activity.place,
                 "social_workers": Activity.social_workers, "volunteers": Activity.volunteers,
                 "caring_people": Activity.caring_people, "beneficiaries": Activity.beneficiaries}
        return stmt, sorts, [Activity.start_date.desc(), Activity.activity_no.desc()]
    raise ValidationError("list.unknown_kind", field="kind", kind=kind)


def _ordered(kind: str, origin: str, query: ListQuery) -> Select[Any]:
    stmt, sorts, natural = _base(kind, origin, query)
    if not query.sort:
        return stmt.order_by(*natural)
    if query.sort not in sorts:
        raise ValidationError("list.unknown_sort", field="sort", sort=query.sort)
    key = sorts[query.sort]
    empty = or_(key.is_(None), key == "") if query.sort in ("name", "address", "skills", "worker", "place",
                                                            "title", "service_area") else key.is_(None)
    return stmt.order_by(empty.asc(), key.desc() if query.descending else key.asc(), *natural)


def count_records(db: Database, actor: Actor, query: ListQuery, origin: str | None = None) -> tuple[int, int]:
    """How many records match a query, and how many the list holds in all."""
    with reading(db, actor, Permission.READ) as s:
        code = origin or own_station(s).code
        stmt, _sorts, _natural = _base(query.kind, code, query)
        everything, _s, _n = _base(query.kind, code, ListQuery(query.kind))
        total = int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        if not query.text.strip() and not query.filter_value:
            return total, total
        return total, int(s.scalar(select(func.count()).select_from(everything.subquery())) or 0)


def page_records(db: Database, actor: Actor, query: ListQuery, offset: int = 0, limit: int | None = 200,
                 origin: str | None = None) -> list[dict[str, Any]]:
    """One page of a query's rows (the dicts of :func:`list_records`), in the query's order."""
    with reading(db, actor, Permission.READ) as s:
        code = origin or own_station(s).code
        stmt = _ordered(query.kind, code, query).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        ids = list(s.scalars(stmt))
        return _rows_for(s, query.kind, code, ids)


def _rows_for(s: Session, kind: str, origin: str, ids: Sequence[Any]) -> list[dict[str, Any]]:
    """The list dicts of the given records, in the given order (a page at a time)."""
    if not ids:
        return []
    rows: dict[Any, dict[str, Any]] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        rows.update(_chunk_rows(s, kind, origin, chunk))
    return [rows[i] for i in ids if i in rows]


def _chunk_rows(s: Session, kind: str, origin: str, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    if kind == "people":
        cats: dict[Any, list[str]] = {}
        for pid, code in s.execute(select(PersonStatus.person_id, PersonStatus.category).where(
                PersonStatus.person_id.in_(ids), _live_status()).order_by(PersonStatus.category)):
            cats.setdefault(pid, []).append(code)
        for p in s.scalars(select(Person).where(Person.uuid.in_(ids))):
            out[p.uuid] = {
                "uuid": str(p.uuid), "name": p.name, "sex": p.sex.value if p.sex else None,
                "ethnicity": p.ethnicity, "birth_date": _d(p.birth_date),
                "id_number": mask_id_number(p.id_number) if p.id_number else None,
                "phone": mask_phone(p.phone) if p.phone else "", "address": p.address,
                "categories": cats.get(p.uuid, []),
            }
    elif kind == "cases":
        worker = aliased(Staff)
        stmt = (select(Case, Person.name, worker.name, _contacts(Case.uuid), _last_contact(Case.uuid))
                .join(Person, Person.uuid == Case.person_id).outerjoin(worker, worker.uuid == Case.worker_id)
                .where(Case.uuid.in_(ids)))
        for c, person_name, worker_name, n, last in s.execute(stmt):
            out[c.uuid] = {
                "case_no": c.case_no, "uuid": str(c.uuid), "name": person_name, "stage": c.stage.value,
                "intake_date": _d(c.intake_date), "service_area": c.service_area,
                "risk_level": c.risk_level.value, "opening_status": c.opening_status.value, "worker": worker_name,
                "service_records": int(n or 0), "last_contact": _d(last), "closed_on": _d(c.closed_on),
            }
    elif kind == "volunteers":
        for v, tenths in s.execute(select(Volunteer, _hours(Volunteer.uuid)).where(Volunteer.uuid.in_(ids))):
            out[v.uuid] = {
                "volunteer_no": v.volunteer_no, "uuid": str(v.uuid), "name": v.name,
                "registered_on": _d(v.registered_on),
                "id_number": mask_id_number(v.id_number) if v.id_number else None,
                "phone": mask_phone(v.phone) if v.phone else "", "skills": v.skills_text,
                "confirmed_hours": round(int(tenths or 0) / 10, 1),
            }
    else:
        for a in s.scalars(select(Activity).where(Activity.uuid.in_(ids))):
            out[a.uuid] = {
                "activity_no": a.activity_no, "uuid": str(a.uuid), "title": a.title, "type": a.activity_type,
                "start_date": _d(a.start_date), "service_areas": list(a.service_areas), "place": a.place,
                "participants": {"social_workers": a.social_workers, "volunteers": a.volunteers,
                                 "caring_people": a.caring_people},
                "beneficiaries": a.beneficiaries,
            }
    return out
