"""Plain lists of a station's records (``wushe list … --json``, exports, the GUI's lists).

Rows are plain dicts of JSON-ready values with the keys documented in README.md; ID and
phone numbers are masked. :func:`list_records` reads a whole list (set-based: 100k cases
in seconds). The GUI reads a page at a time instead: :func:`first_screen` gives the first
page of one :class:`ListQuery` (search text, filter, sort) with its counts, and
:func:`page_records` the pages after it, in SQL with ``LIMIT``/``OFFSET``; the per-row
extras (categories, contact counts, hours) are computed for the page's rows only.

Speed at 100k cases (docs/performance.md): the live rows of a station in each list's
natural order are one range of an index of migration 0007 (``ix_*_list``: ``origin,
deleted_at`` then the order), so a list without search text is counted exactly over the
index and its first page stops after 200 entries. A search counts at most
:data:`COUNT_LIMIT` matches ("1000+"): on SQLite its candidates come first from narrow
indexes (:func:`_person_candidates`), and only when they are many does the list's own
index find the first matches in order. A station's SQLite database has no planner
statistics, so where SQLite would pick the wrong index a term is marked ``+column``
(:class:`_Plus`). Search: digits match the ID-number tail, the phone's end and record
numbers; Latin letters match the precomputed pinyin initials (an indexed prefix);
anything else matches the name (a 1-character query too: no trigram index is needed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    distinct,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.domain.validation import mask_id_number, mask_phone
from wushe_desktop.errors import ValidationError
from wushe_desktop.services.context import Actor, own_station, reading
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.text import id_tail_matches, id_tail_query, prefix_end
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

#: A search counts its matches up to this many; more show as "1000+". (The exact number of
#: a one-letter search would mean reading every match; a list without search text is
#: counted exactly, over an index.)
COUNT_LIMIT = 1000

#: Rows of a list's first screen.
FIRST_PAGE = 200


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


@dataclass(frozen=True)
class ListScreen:
    """What a list shows first (:func:`first_screen`).

    Attributes:
        rows: The first page (the dicts of :func:`list_records`), in the query's order.
        count: How many records match; with ``more``, the first ``count`` of them.
        more: More than ``count`` records match (a search counts at most :data:`COUNT_LIMIT`).
        total: How many live records the list holds in all (exact).
    """

    rows: list[dict[str, Any]]
    count: int
    more: bool
    total: int


_HOURS_DONE = (HoursStatus.CONFIRMED, HoursStatus.CORRECTED)


def _hours_done() -> ColumnElement[bool]:
    # Not by ix_volunteer_hours_status (nearly every record is confirmed): by volunteer.
    return _Plus(VolunteerHours.status).in_([status.value for status in _HOURS_DONE])


def _live_status() -> Any:
    return and_(PersonStatus.deleted_at.is_(None), PersonStatus.valid_to.is_(None))


class _Position(FunctionElement[int]):
    """Where a text first occurs in a column (1-based; 0: nowhere). ``instr`` on SQLite,
    ``strpos`` on PostgreSQL: no LIKE pattern, so ``%`` and ``_`` typed in a search box
    are themselves, and SQLite compares faster."""

    type = Integer()
    name = "instr"
    inherit_cache = True


@compiles(_Position)
def _instr(element: _Position, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(_Position, "postgresql")
def _strpos(element: _Position, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    return _Position(column, text) > 0


class _Plus(FunctionElement[Any]):
    """A column that SQLite may not look up by an index (``+column``; the column itself elsewhere).

    A station's database has no planner statistics, so SQLite answers ``origin = ? AND
    deleted_at IS NULL`` from ``ix_*_list`` whenever it can; a search that already holds
    its few candidate rows marks those terms so that the candidates are read by rowid.
    """

    name = "plus"
    inherit_cache = True


@compiles(_Plus)
def _plus_plain(element: _Plus, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_Plus, "sqlite")
def _plus_sqlite(element: _Plus, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def _person_match(text: str, person: Any = Person) -> ColumnElement[bool]:
    """Name, pinyin initials, ID-number tail or phone (the people search's rules)."""
    tail = id_tail_query(text)
    if tail is not None:
        return or_(id_tail_matches(person.id_tail, tail), person.phone.endswith(tail, autoescape=True))
    if text.isascii() and text.isalpha():
        return person.name_initials.startswith(text.lower())  # type: ignore[no-any-return]
    return _contains(person.name, text)


def _number_holds(origin: str, digits: str) -> ColumnElement[bool]:
    """The case number holds the digits after its station's code (``{station}-2025-0001``).

    An anchored ``LIKE`` (wildcards escaped), which SQLite tests about
    three times faster than a substring of a substring over 100k numbers.
    """
    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Case.case_no.like(f"{escaped(origin)}-%{escaped(digits)}%", escape="\\")


def _holds(origin: str, category: str) -> ColumnElement[bool]:
    """The person holds a category today (``ix_person_status_live``)."""
    return select(PersonStatus.person_id).where(  # not SELECT *: SQLite then reads the index alone
        PersonStatus.origin == origin, PersonStatus.category == category, _live_status(),
        PersonStatus.person_id == Person.uuid).exists()


def _people_matching(origin: str, condition: ColumnElement[bool]) -> Select[Any]:
    """The people of a station a condition holds for, deleted or not (a case keeps showing its
    client), over ``ix_person_list`` (every column a search reads is in it)."""
    return select(Person.uuid).where(Person.origin == origin, condition)


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
                   _hours_done())
            .correlate_except(VolunteerHours).scalar_subquery())


#: The sort keys of each kind (what the list's columns sort by).
SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "people": ("name", "sex", "birth_date", "address", "created"),
    "cases": ("case_no", "name", "stage", "opening_status", "intake_date", "service_area", "risk_level",
              "worker", "service_records", "last_contact"),
    "volunteers": ("volunteer_no", "name", "skills", "registered_on", "confirmed_hours"),
    "activities": ("activity_no", "title", "type", "start_date", "place", "social_workers", "volunteers",
                   "caring_people", "beneficiaries"),
}

#: Sort keys whose empty value is "" as well as NULL.
_TEXT_SORTS = frozenset({"name", "address", "skills", "worker", "place", "title", "service_area"})
#: Sort keys that are never empty (counts).
_NEVER_EMPTY = frozenset({"service_records", "confirmed_hours", "social_workers", "volunteers", "caring_people",
                          "beneficiaries"})


def _filtered(kind: str, origin: str, query: ListQuery) -> Select[Any]:
    """The ids of a kind's live records that match a query's text and filter (no order).

    Only the table of the kind is read unless the search needs another: each condition is
    answered by an index of migration 0007 (``ix_*_list``) that also gives the list's order.
    """
    text = query.text.strip()
    if kind == "people":
        stmt = select(Person.uuid).where(Person.origin == origin, Person.deleted_at.is_(None))
        if text:
            stmt = stmt.where(_person_match(text))
        if query.filter_value:
            stmt = stmt.where(_holds(origin, query.filter_value))
        return stmt
    if kind == "cases":
        stmt = select(Case.uuid).where(Case.origin == origin, Case.deleted_at.is_(None))
        if text:
            if text.isdigit():
                stmt = stmt.where(or_(_number_holds(origin, text),
                                      Case.person_id.in_(_people_matching(origin, _person_match(text)))))
            elif text.isascii() and text.isalpha():
                stmt = stmt.where(Case.person_id.in_(_people_matching(origin, _person_match(text))))
            else:
                stmt = stmt.where(or_(Case.person_id.in_(_people_matching(origin, _contains(Person.name, text))),
                                      Case.case_no == text))
        if query.filter_value:
            stmt = stmt.where(Case.stage == query.filter_value)
        return stmt
    if kind == "volunteers":
        stmt = select(Volunteer.uuid).where(Volunteer.origin == origin, Volunteer.deleted_at.is_(None))
        if text:
            stmt = stmt.where(or_(_person_match(text, Volunteer),
                                  _contains(func.lower(Volunteer.volunteer_no), text.lower())))
        return stmt
    if kind == "activities":
        stmt = select(Activity.uuid).where(Activity.origin == origin, Activity.deleted_at.is_(None))
        if text:
            needle = text.lower()
            stmt = stmt.where(or_(_contains(func.lower(Activity.title), needle),
                                  _contains(func.lower(Activity.activity_no), needle),
                                  _contains(func.lower(Activity.place), needle)))
        if query.filter_value:
            stmt = stmt.where(Activity.activity_type == query.filter_value)
        return stmt
    raise ValidationError("list.unknown_kind", field="kind", kind=kind)


_NATURAL: dict[str, tuple[Any, ...]] = {
    "people": (Person.created_at, Person.uuid),
    "cases": (Case.case_no,),
    "volunteers": (Volunteer.volunteer_no,),
    "activities": (Activity.start_date.desc(), Activity.activity_no.desc()),
}


def _sort_key(kind: str, query: ListQuery, stmt: Select[Any]) -> tuple[Select[Any], Any]:
    """A sort's key, and the statement with what the key reads joined in.

    Cases sorted by contacts or last contact: with no search or filter, one grouped pass
    over the service records (``ix_service_record_case_date``); otherwise a count per
    matching case, cheaper when the matches are few.
    """
    field = query.sort
    if kind == "people":
        people = {"name": Person.name_initials, "sex": Person.sex, "birth_date": Person.birth_date,
                  "address": Person.address, "created": Person.created_at}
        if field in people:
            return stmt, people[field]
    elif kind == "cases":
        direct = {"case_no": Case.case_no, "stage": Case.stage, "opening_status": Case.opening_status,
                  "intake_date": Case.intake_date, "service_area": Case.service_area,
                  "risk_level": Case.risk_level}
        if field in direct:
            return stmt, direct[field]
        if field == "name":
            return stmt.join(Person, Person.uuid == Case.person_id), Person.name_initials
        if field == "worker":
            worker = aliased(Staff)
            return stmt.outerjoin(worker, worker.uuid == Case.worker_id), worker.name
        if field in ("service_records", "last_contact"):
            if query.text.strip() or query.filter_value:
                return stmt, func.coalesce(_contacts(Case.uuid), 0) if field == "service_records" \
                    else _last_contact(Case.uuid)
            value = func.count() if field == "service_records" else func.max(ServiceRecord.service_date)
            # one pass in case order over ix_service_record_case_deleted_date (SQLite would
            # otherwise take the live records by date and sort them to group them)
            grouped = (select(ServiceRecord.case_id, value.label("v"))
                       .where(_Plus(ServiceRecord.deleted_at).is_(None)).group_by(ServiceRecord.case_id).subquery())
            key = func.coalesce(grouped.c.v, 0) if field == "service_records" else grouped.c.v
            return stmt.outerjoin(grouped, grouped.c.case_id == Case.uuid), key
    elif kind == "volunteers":
        volunteers = {"volunteer_no": Volunteer.volunteer_no, "name": Volunteer.name_initials,
                      "skills": Volunteer.skills_text, "registered_on": Volunteer.registered_on,
                      "confirmed_hours": _hours(Volunteer.uuid)}
        if field in volunteers:
            return stmt, volunteers[field]
    elif kind == "activities":
        activities = {"activity_no": Activity.activity_no, "title": Activity.title, "type": Activity.activity_type,
                      "start_date": Activity.start_date, "place": Activity.place,
                      "social_workers": Activity.social_workers, "volunteers": Activity.volunteers,
                      "caring_people": Activity.caring_people, "beneficiaries": Activity.beneficiaries}
        if field in activities:
            return stmt, activities[field]
    raise ValidationError("list.unknown_sort", field="sort", sort=field)


def _ordered(kind: str, origin: str, query: ListQuery) -> Select[Any]:
    """The query's ids in the list's order."""
    return _sorted(kind, query, _filtered(kind, origin, query))


def _sorted(kind: str, query: ListQuery, stmt: Select[Any]) -> Select[Any]:
    """A statement of ids in the query's order (the natural order breaks ties and ends a sort)."""
    natural = _NATURAL[kind]
    if not query.sort:
        return stmt.order_by(*natural)
    stmt, key = _sort_key(kind, query, stmt)
    value = key.desc() if query.descending else key.asc()
    if query.sort in _NEVER_EMPTY:
        return stmt.order_by(value, *natural)
    empty = or_(key.is_(None), key == "") if query.sort in _TEXT_SORTS else key.is_(None)
    return stmt.order_by(empty.asc(), value, *natural)


def _count(s: Session, stmt: Select[Any]) -> int:
    return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _count_matching(s: Session, kind: str, origin: str, query: ListQuery) -> int:
    """How many records match a query (exact).

    People of a category, without search text: counted from the category's live statuses
    (one range of ``ix_person_status_live``), less those whose person was deleted (a few,
    ``ix_person_list``), not by testing each of 100k people.
    """
    if kind == "people" and query.filter_value and not query.text.strip():
        live = (PersonStatus.origin == origin, PersonStatus.category == query.filter_value, _live_status())
        held = s.scalar(select(func.count(distinct(PersonStatus.person_id))).where(*live))
        gone = s.scalar(select(func.count()).select_from(Person).where(
            Person.origin == origin, Person.deleted_at.is_not(None),
            Person.uuid.in_(select(PersonStatus.person_id).where(*live))))
        return int(held or 0) - int(gone or 0)
    return _count(s, _filtered(kind, origin, query))


def count_records(db: Database, actor: Actor, query: ListQuery, origin: str | None = None) -> tuple[int, int]:
    """How many records match a query, and how many the list holds in all (both exact)."""
    with reading(db, actor, Permission.READ) as s:
        code = origin or own_station(s).code
        total = _count_matching(s, query.kind, code, query)
        if not query.text.strip() and not query.filter_value:
            return total, total
        return total, _count(s, _filtered(query.kind, code, ListQuery(query.kind)))


def _person_candidates(text: str, names_only: bool = False) -> Select[Any] | CompoundSelect[Any]:
    """The rowids of the people a search matches (any station, deleted or not; SQLite).

    Each rule is read from its own narrow index, a few MB at 100k people: the name
    (``ix_person_name``, scanned), the pinyin initials (a range of
    ``ix_person_name_initials``), the ID-number tail (``ix_person_id_tail``) or the end of
    the phone number (``ix_person_phone``, scanned). A person may come twice (tail and
    phone). ``names_only``: the name alone (the cases list's rule for text that is neither
    digits nor letters).
    """
    rowid: ColumnElement[int] = literal_column("person.rowid")
    tail = None if names_only else id_tail_query(text)
    if tail is not None:
        return union_all(select(rowid).select_from(Person).where(id_tail_matches(Person.id_tail, tail)),
                         select(rowid).select_from(Person).where(Person.phone.endswith(tail)))
    if not names_only and text.isascii() and text.isalpha():
        low = text.lower()
        return select(rowid).select_from(Person).where(Person.name_initials >= low,
                                                       Person.name_initials < prefix_end(low))
    return select(rowid).select_from(Person).where(_contains(Person.name, text))


@dataclass(frozen=True)
class _Found:
    """What a search's candidates told: every match (``ids``), or that there are more
    than the count limit (``dense``), or neither (read the list's own order)."""

    ids: list[Any] | None = None
    dense: bool = False


def _searched(s: Session, kind: str, origin: str, query: ListQuery, count_limit: int) -> _Found:
    """A search answered through its candidates (SQLite).

    The rowids of up to ``count_limit + 1`` candidates come from narrow indexes
    (:func:`_person_candidates`; a case: its client's, or its number); the live ones of this
    station that pass the filter are then read by rowid. At most ``count_limit``
    candidates: they are all the matches, sorted here. More, and all of the first
    ``count_limit + 1`` match: the list holds more than ``count_limit`` matches, dense
    enough for the list's own index to reach the first page soon. Otherwise (many
    candidates deleted or filtered out; volunteers and activities, a few thousand rows;
    PostgreSQL, whose planner has statistics) nothing is known.
    """
    if kind not in ("people", "cases") or s.get_bind().dialect.name != "sqlite":
        return _Found()
    text = query.text.strip()
    names_only = kind == "cases" and not (text.isdigit() or (text.isascii() and text.isalpha()))
    people = list(s.scalars(_person_candidates(text, names_only).limit(count_limit + 1)))
    stmt: Select[Any]
    if kind == "people":
        candidates = people
        stmt = select(Person.uuid).where(literal_column("person.rowid").in_(candidates),
                                         _Plus(Person.origin) == origin, _Plus(Person.deleted_at).is_(None))
        if query.filter_value:
            stmt = stmt.where(_holds(origin, query.filter_value))
    else:
        if len(people) > count_limit:
            return _Found()
        rowid: ColumnElement[int] = literal_column("case_file.rowid")
        found: Select[Any] | CompoundSelect[Any] = select(rowid).select_from(Case).where(Case.person_id.in_(
            select(Person.uuid).where(literal_column("person.rowid").in_(people))))
        if text.isdigit():
            found = union_all(found, select(rowid).select_from(Case).where(_number_holds(origin, text)))
        elif names_only:
            found = union_all(found, select(rowid).select_from(Case).where(Case.origin == origin,
                                                                           Case.case_no == text))
        candidates = list(s.scalars(found.limit(count_limit + 1)))
        stmt = select(Case.uuid).where(rowid.in_(candidates), _Plus(Case.origin) == origin,
                                       _Plus(Case.deleted_at).is_(None))
        if query.filter_value:
            stmt = stmt.where(_Plus(Case.stage) == query.filter_value)
    if len(candidates) <= count_limit:
        return _Found(ids=list(s.scalars(_sorted(kind, query, stmt))))
    if _count(s, stmt) > count_limit:
        return _Found(dense=True)
    return _Found()


def search_person_ids(s: Session, origin: str, text: str, limit: int) -> list[Any]:
    """The first ``limit`` live people of a station that a search box matches, by pinyin
    initials (the pickers' order: ``services.people.search_people``).

    On SQLite through the search's candidates (:func:`_person_candidates`) when they are at
    most :data:`COUNT_LIMIT`; otherwise every match is sorted over ``ix_person_list``.
    """
    text = text.strip()
    sqlite = s.get_bind().dialect.name == "sqlite"
    # equal initials: the earlier registered first (on SQLite in the order of the rows)
    order = (Person.name_initials, Person.created_at, literal_column("person.rowid") if sqlite else Person.uuid)
    if text and sqlite:
        candidates = list(s.scalars(_person_candidates(text).limit(COUNT_LIMIT + 1)))
        if len(candidates) <= COUNT_LIMIT:
            return list(s.scalars(select(Person.uuid).where(
                literal_column("person.rowid").in_(candidates), _Plus(Person.origin) == origin,
                _Plus(Person.deleted_at).is_(None)).order_by(*order).limit(limit)))
    stmt = select(Person.uuid).where(Person.origin == origin, Person.deleted_at.is_(None))
    if text:
        stmt = stmt.where(_person_match(text))
    return list(s.scalars(stmt.order_by(*order).limit(limit)))


def first_screen(db: Database, actor: Actor, query: ListQuery, limit: int = FIRST_PAGE,
                 count_limit: int | None = None, origin: str | None = None,
                 total: int | None = None) -> ListScreen:
    """A list's first page and its counts, in one read (what the list screen shows first).

    Without search text the list is counted exactly, over an index (``ix_*_list``), and
    its first page read in the index's order. A search counts at most ``count_limit``
    matches (:func:`_searched`; failing that, the first ``count_limit + 1`` in the list's
    order). The first page's rows are then read by id. ``total``: the number of live
    records of the kind, when the caller knows it (one count less). ``count_limit``: default
    :data:`COUNT_LIMIT`.
    """
    count_limit = COUNT_LIMIT if count_limit is None else count_limit
    with reading(db, actor, Permission.READ) as s:
        code = origin or own_station(s).code
        if query.text.strip():
            found = _searched(s, query.kind, code, query, count_limit)
            if found.ids is not None:
                first, count, more = found.ids[:limit], len(found.ids), False
            elif found.dense:
                first = list(s.scalars(_ordered(query.kind, code, query).limit(limit)))
                count, more = count_limit, True
            else:
                ids = list(s.scalars(_ordered(query.kind, code, query).limit(max(limit, count_limit) + 1)))
                first, count, more = ids[:limit], min(len(ids), count_limit), len(ids) > count_limit
        else:
            first = list(s.scalars(_ordered(query.kind, code, query).limit(limit)))
            count = len(first) if len(first) < limit else _count_matching(s, query.kind, code, query)
            more = False
            if not query.filter_value:
                total = count
        if total is None:
            total = _count(s, _filtered(query.kind, code, ListQuery(query.kind)))
        return ListScreen(_rows_for(s, query.kind, code, first), count, more, total)


def page_records(db: Database, actor: Actor, query: ListQuery, offset: int = 0, limit: int | None = FIRST_PAGE,
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
    """Rows by id, reading only the columns the list shows (no ORM objects: a page is quick)."""
    out: dict[Any, dict[str, Any]] = {}
    if kind == "people":
        cats: dict[Any, list[str]] = {}
        for pid, code in s.execute(select(PersonStatus.person_id, PersonStatus.category).where(
                PersonStatus.person_id.in_(ids), _live_status()).order_by(PersonStatus.category)):
            cats.setdefault(pid, []).append(code)
        for uid, name, sex, ethnicity, birth, id_number, phone, address in s.execute(
                select(Person.uuid, Person.name, Person.sex, Person.ethnicity, Person.birth_date, Person.id_number,
                       Person.phone, Person.address).where(Person.uuid.in_(ids))):
            out[uid] = {
                "uuid": str(uid), "name": name, "sex": sex.value if sex else None,
                "ethnicity": ethnicity, "birth_date": _d(birth),
                "id_number": mask_id_number(id_number) if id_number else None,
                "phone": mask_phone(phone) if phone else "", "address": address,
                "categories": cats.get(uid, []),
            }
    elif kind == "cases":
        contacts = {cid: (n, last) for cid, n, last in s.execute(
            select(ServiceRecord.case_id, func.count(), func.max(ServiceRecord.service_date))
            .where(ServiceRecord.case_id.in_(ids), ServiceRecord.deleted_at.is_(None))
            .group_by(ServiceRecord.case_id))}
        worker = aliased(Staff)
        stmt = (select(Case.uuid, Case.case_no, Person.name, Case.stage, Case.intake_date, Case.service_area,
                       Case.risk_level, Case.opening_status, worker.name, Case.closed_on)
                .join(Person, Person.uuid == Case.person_id).outerjoin(worker, worker.uuid == Case.worker_id)
                .where(Case.uuid.in_(ids)))
        for uid, case_no, name, stage, intake, area, risk, opening, worker_name, closed in s.execute(stmt):
            n, last = contacts.get(uid, (0, None))
            out[uid] = {
                "case_no": case_no, "uuid": str(uid), "name": name, "stage": stage.value,
                "intake_date": _d(intake), "service_area": area, "risk_level": risk.value,
                "opening_status": opening.value, "worker": worker_name,
                "service_records": int(n or 0), "last_contact": _d(last), "closed_on": _d(closed),
            }
    elif kind == "volunteers":
        tenths = {vid: t for vid, t in s.execute(
            select(VolunteerHours.volunteer_id, func.sum(VolunteerHours.credited_tenths))
            .where(VolunteerHours.volunteer_id.in_(ids), VolunteerHours.deleted_at.is_(None),
                   _hours_done()).group_by(VolunteerHours.volunteer_id))}
        for uid, number, name, registered, id_number, phone, skills in s.execute(
                select(Volunteer.uuid, Volunteer.volunteer_no, Volunteer.name, Volunteer.registered_on,
                       Volunteer.id_number, Volunteer.phone, Volunteer.skills_text).where(Volunteer.uuid.in_(ids))):
            out[uid] = {
                "volunteer_no": number, "uuid": str(uid), "name": name, "registered_on": _d(registered),
                "id_number": mask_id_number(id_number) if id_number else None,
                "phone": mask_phone(phone) if phone else "", "skills": skills,
                "confirmed_hours": round(int(tenths.get(uid) or 0) / 10, 1),
            }
    else:
        for a in s.execute(select(Activity.uuid, Activity.activity_no, Activity.title, Activity.activity_type,
                                  Activity.start_date, Activity.service_areas, Activity.place,
                                  Activity.social_workers, Activity.volunteers, Activity.caring_people,
                                  Activity.beneficiaries).where(Activity.uuid.in_(ids))):
            out[a.uuid] = {
                "activity_no": a.activity_no, "uuid": str(a.uuid), "title": a.title, "type": a.activity_type,
                "start_date": _d(a.start_date), "service_areas": list(a.service_areas), "place": a.place,
                "participants": {"social_workers": a.social_workers, "volunteers": a.volunteers,
                                 "caring_people": a.caring_people},
                "beneficiaries": a.beneficiaries,
            }
    return out
