"""Where the four record lists get their rows (plain Python, run on the reader worker).

Each source turns service results into frozen rows. A list is read a page at a time:
:meth:`ListSource.query` reads the first page with its counts
(``services.lists.first_screen``: a search counts at most ``COUNT_LIMIT`` matches, shown
as "1000+"), and :meth:`ListSource.page` reads further pages as the view scrolls
(``page_records``); search, filter and sort run in SQL over indexes, so a list of 100k
records opens in milliseconds and never sits in memory whole. The number of records the
list holds in all is kept until records change (:meth:`ListSource.invalidate`).
A column whose order SQL cannot give (a translated label, a list of categories) is
sorted the old way: the whole list is read once (``services.lists.list_records``), kept
until records change, searched and sorted here.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from wushe_desktop.domain.enums import ApprovalStatus, CaseStage, RiskLevel, Sex
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.services.context import Actor
from wushe_desktop.services.lists import ListQuery, first_screen, list_records, page_records
from wushe_desktop.services.people import search_people
from wushe_desktop.services.station import taxonomy
from wushe_desktop.services.text import name_keys
from wushe_desktop.services.volunteers import list_volunteers

R = TypeVar("R")

# At most this many search hits come back from the people search (the whole-list path).
SEARCH_LIMIT = 500

# Rows read per page (the first page comes with the count).
FETCH_SIZE = 200


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class PersonRow:
    """A person served, as the list shows them (ID and phone masked)."""

    uuid: uuid.UUID
    name: str
    sex: Sex | None
    birth_date: date | None
    age: int | None
    id_masked: str
    phone_masked: str
    address: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class CaseRow:
    """A case, as the list shows it."""

    uuid: uuid.UUID
    case_no: str
    name: str
    stage: CaseStage
    intake_date: date | None
    service_area: str
    risk_level: RiskLevel
    opening_status: ApprovalStatus
    worker: str
    service_records: int
    last_contact: date | None


@dataclass(frozen=True)
class VolunteerRow:
    """A volunteer, as the list shows them (ID and phone masked)."""

    uuid: uuid.UUID
    volunteer_no: str
    name: str
    registered_on: date | None
    id_masked: str
    phone_masked: str
    skills: str
    confirmed_hours: float


@dataclass(frozen=True)
class ActivityRow:
    """An activity, as the list shows it."""

    uuid: uuid.UUID
    activity_no: str
    title: str
    activity_type: str
    start_date: date | None
    service_areas: tuple[str, ...]
    place: str
    social_workers: int
    volunteers: int
    caring_people: int
    beneficiaries: int


@dataclass(frozen=True)
class ListRequest:
    """What the list screen asks for: search text, filter value, sort.

    Attributes:
        text: The search box.
        filter_value: The chosen filter code ("" for all).
        sort_key: Sorts the result in Python (a column's key; ``None`` keeps the source
            order); used only when ``sort_field`` is empty.
        descending: Sort direction.
        sort_field: The SQL sort of the column (``ListSource.sort_fields``); a leading
            ``-`` flips the direction (age sorts by birth date, reversed).
        paged: Read a page at a time (False: the whole list, as before).
    """

    text: str = ""
    filter_value: str = ""
    sort_key: Callable[[Any], Any] | None = None
    descending: bool = False
    sort_field: str = ""
    paged: bool = True


@dataclass(frozen=True)
class ListResult(Generic[R]):
    """The rows of a request and the vocabulary labels the cells need.

    Attributes:
        rows: The matching rows, sorted (paged: the first page only).
        labels: Vocabulary (``TaxonomyKind`` value) → code → label.
        total_unfiltered: How many records the list holds in all.
        total: How many rows match (``None``: ``len(rows)``, the whole result).
        more: More than ``total`` rows match (a search counts at most
            ``services.lists.COUNT_LIMIT``); further pages are read until one comes back short.
    """

    rows: tuple[R, ...]
    labels: dict[str, dict[str, str]]
    total_unfiltered: int
    total: int | None = None
    more: bool = False

    @property
    def count(self) -> int:
        """How many rows match."""
        return len(self.rows) if self.total is None else self.total


class ListSource(ABC, Generic[R]):
    """Rows of one kind of record. Call everything but :meth:`invalidate` on the reader.

    Attributes:
        kind: The ``services.lists`` kind (``"people"``...).
    """

    kind: str = ""
    # The taxonomies whose labels the cells show.
    vocabularies: tuple[TaxonomyKind, ...] = ()
    # The SQL sort of each column of the list (ui/lists.py, in order); None: sorted in Python.
    sort_fields: tuple[str | None, ...] = ()

    def __init__(self) -> None:
        self._rows: list[R] | None = None
        self._labels: dict[str, dict[str, str]] = {}
        self._total: int | None = None

    def invalidate(self) -> None:
        """Forget the cached rows and count (records changed); the next query reads again."""
        self._rows = None
        self._labels = {}
        self._total = None

    def sort_field(self, column: int) -> str | None:
        """The SQL sort of a column, if it has one."""
        return self.sort_fields[column] if 0 <= column < len(self.sort_fields) else None

    def _labels_for(self, db: Any, actor: Actor) -> dict[str, dict[str, str]]:
        if not self._labels:
            self._labels = {vocabulary.value: taxonomy(db, actor, vocabulary, include_inactive=True)
                            for vocabulary in self.vocabularies}
        return self._labels

    def list_query(self, request: ListRequest) -> ListQuery:
        """The service query of a paged request."""
        field = request.sort_field
        descending = request.descending
        if field.startswith("-"):
            field, descending = field[1:], not descending
        return ListQuery(self.kind, request.text.strip(), request.filter_value, field, descending)

    def convert(self, record: dict[str, Any]) -> R:
        """One row from a ``services.lists`` dict."""
        raise NotImplementedError

    def page(self, db: Any, actor: Actor, request: ListRequest, offset: int,
             limit: int | None = FETCH_SIZE) -> tuple[R, ...]:
        """Rows ``offset`` … ``offset + limit`` of a paged request (``limit`` None: to the end)."""
        if not request.paged or (request.sort_key is not None and not request.sort_field):
            rows = self.query(db, actor, request).rows
            return tuple(rows[offset:] if limit is None else rows[offset:offset + limit])
        return tuple(self.convert(r) for r in page_records(db, actor, self.list_query(request), offset, limit))

    def query(self, db: Any, actor: Actor, request: ListRequest) -> ListResult[R]:
        """Rows matching a request, sorted (runs on the reader worker).

        Paged (the default, unless a Python sort key is asked for): the count and the first
        page. Otherwise the whole result.
        """
        if request.paged and (request.sort_key is None or request.sort_field):
            labels = dict(self._labels_for(db, actor))
            query = self.list_query(request)
            narrowed = bool(query.text or query.filter_value)
            screen = first_screen(db, actor, query, FETCH_SIZE, total=self._total if narrowed else None)
            if not narrowed:
                self._total = screen.total
            first = tuple(self.convert(r) for r in screen.rows)
            return ListResult(first, labels, screen.total, screen.count, screen.more)
        cached = self._rows
        if cached is None:
            self._labels = {}
            self._labels_for(db, actor)
            cached = self._rows = self.load_all(db, actor)
        rows: Sequence[R] = cached
        text = request.text.strip()
        if text:
            rows = self.search(db, actor, text, rows)
        if request.filter_value:
            rows = [r for r in rows if self.filter_matches(r, request.filter_value)]
        if request.sort_key is not None:
            key = request.sort_key
            present = [r for r in rows if key(r) not in (None, "")]
            missing = [r for r in rows if key(r) in (None, "")]
            present.sort(key=key, reverse=request.descending)
            rows = present + missing
        return ListResult(tuple(rows), dict(self._labels), len(cached))

    @abstractmethod
    def load_all(self, db: Any, actor: Actor) -> list[R]:
        """Every live record of the kind, in the list's natural order."""

    @abstractmethod
    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[R]) -> Sequence[R]:
        """The rows matching the search box."""

    def filter_matches(self, row: R, value: str) -> bool:
        """Whether a row passes the filter (sources without a filter pass everything)."""
        return True


def _by_uuid(rows: Sequence[R], hits: Sequence[uuid.UUID]) -> list[R]:
    index = {row.uuid: row for row in rows}  # type: ignore[attr-defined]
    return [index[h] for h in hits if h in index]


class PeopleSource(ListSource[PersonRow]):
    """People served; filter: a category held today."""

    kind = "people"
    vocabularies = (TaxonomyKind.PERSON_CATEGORY,)
    sort_fields = ("name", "sex", "-birth_date", None, None, None, "address")

    def convert(self, r: dict[str, Any]) -> PersonRow:
        birth = _date(r["birth_date"])
        return PersonRow(uuid.UUID(r["uuid"]), r["name"], Sex(r["sex"]) if r["sex"] else None, birth,
                         _age(birth, date.today()), r["id_number"] or "", r["phone"] or "", r["address"] or "",
                         tuple(r["categories"]))

    def load_all(self, db: Any, actor: Actor) -> list[PersonRow]:
        return [self.convert(r) for r in list_records(db, actor, self.kind)]

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[PersonRow]) -> Sequence[PersonRow]:
        hits = [p.uuid for p in search_people(db, actor, text, limit=SEARCH_LIMIT)]
        found = _by_uuid(rows, hits)
        if len(found) < len(hits):  # someone registered since the list was read
            fresh = self._rows = self.load_all(db, actor)
            found = _by_uuid(fresh, hits)
        return found

    def filter_matches(self, row: PersonRow, value: str) -> bool:
        return value in row.categories


class CasesSource(ListSource[CaseRow]):
    """Cases; filter: the stage."""

    kind = "cases"
    vocabularies = (TaxonomyKind.SERVICE_AREA,)
    sort_fields = ("case_no", "name", None, None, "intake_date", None, None, "worker", "service_records",
                   "last_contact")

    def __init__(self) -> None:
        super().__init__()
        self._initials: dict[str, str] = {}

    def convert(self, r: dict[str, Any]) -> CaseRow:
        return CaseRow(uuid.UUID(r["uuid"]), r["case_no"], r["name"], CaseStage(r["stage"]),
                       _date(r["intake_date"]), r["service_area"] or "", RiskLevel(r["risk_level"]),
                       ApprovalStatus(r["opening_status"]), r["worker"] or "", int(r["service_records"]),
                       _date(r["last_contact"]))

    def load_all(self, db: Any, actor: Actor) -> list[CaseRow]:
        return [self.convert(r) for r in list_records(db, actor, self.kind)]

    def _initials_of(self, name: str) -> str:
        found = self._initials.get(name)
        if found is None:
            found = self._initials[name] = name_keys(name)[1]
        return found

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[CaseRow]) -> Sequence[CaseRow]:
        if text.isdigit():
            # the case number, or the ID-number tail / phone of the client (by name: the
            # list rows carry no person id yet)
            names = {p.name for p in search_people(db, actor, text, limit=SEARCH_LIMIT)}
            return [r for r in rows if text in r.case_no or r.name in names]
        if text.isascii() and text.isalpha():
            initials = text.lower()
            return [r for r in rows if self._initials_of(r.name).startswith(initials)]
        return [r for r in rows if text in r.name or text in r.case_no]

    def filter_matches(self, row: CaseRow, value: str) -> bool:
        return row.stage.value == value


class VolunteersSource(ListSource[VolunteerRow]):
    """Volunteers (no filter yet)."""

    kind = "volunteers"
    vocabularies = ()
    sort_fields = ("volunteer_no", "name", None, None, "skills", "registered_on", "confirmed_hours")

    def convert(self, r: dict[str, Any]) -> VolunteerRow:
        return VolunteerRow(uuid.UUID(r["uuid"]), r["volunteer_no"], r["name"], _date(r["registered_on"]),
                            r["id_number"] or "", r["phone"] or "", r["skills"] or "", float(r["confirmed_hours"]))

    def load_all(self, db: Any, actor: Actor) -> list[VolunteerRow]:
        return [self.convert(r) for r in list_records(db, actor, self.kind)]

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[VolunteerRow]) -> Sequence[VolunteerRow]:
        hits = [v.uuid for v in list_volunteers(db, actor, text)]
        return _by_uuid(rows, hits)


class ActivitiesSource(ListSource[ActivityRow]):
    """Activities, newest first; filter: the activity type."""

    kind = "activities"
    vocabularies = (TaxonomyKind.ACTIVITY_TYPE, TaxonomyKind.SERVICE_AREA)
    sort_fields = ("activity_no", "title", None, "start_date", None, "place", "social_workers", "volunteers",
                   "caring_people", "beneficiaries")

    def convert(self, r: dict[str, Any]) -> ActivityRow:
        p = r["participants"]
        return ActivityRow(uuid.UUID(r["uuid"]), r["activity_no"], r["title"], r["type"] or "",
                           _date(r["start_date"]), tuple(r["service_areas"]), r["place"] or "",
                           int(p["social_workers"]), int(p["volunteers"]), int(p["caring_people"]),
                           int(r["beneficiaries"]))

    def load_all(self, db: Any, actor: Actor) -> list[ActivityRow]:
        rows = [self.convert(r) for r in list_records(db, actor, self.kind)]
        rows.sort(key=lambda a: (a.start_date or date.min, a.activity_no), reverse=True)
        return rows

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[ActivityRow]) -> Sequence[ActivityRow]:
        needle = text.lower()
        return [r for r in rows if needle in r.title.lower() or needle in r.activity_no.lower()
                or needle in r.place.lower()]

    def filter_matches(self, row: ActivityRow, value: str) -> bool:
        return row.activity_type == value
