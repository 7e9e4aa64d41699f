"""Where the four record lists get their rows (plain Python, run on the reader worker).

Each source turns service results into frozen rows, applies the search box and the
filter, and sorts. Searching follows the services' own rules: people through
``services.people.search_people`` (name, pinyin initials, ID-number tail, phone), volunteers
through ``services.volunteers.list_volunteers``; cases and activities are matched here
against the listed rows.

Interim: the services offer no paged list query yet, so a source reads the whole list
once with ``services.lists.list_records`` (set-based, seconds for 100k rows, on the
reader thread) and keeps it until records change; the table model then shows it page by
page. When paged queries exist, only :meth:`ListSource.load_all` and
:meth:`ListSource.search` change.
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
from wushe_desktop.services.lists import list_records
from wushe_desktop.services.people import search_people
from wushe_desktop.services.station import taxonomy
from wushe_desktop.services.text import name_keys
from wushe_desktop.services.volunteers import list_volunteers

R = TypeVar("R")

# At most this many search hits come back from the people search.
SEARCH_LIMIT = 500


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
        sort_key: Sorts the result (a column's key; ``None`` keeps the source order).
        descending: Sort direction.
    """

    text: str = ""
    filter_value: str = ""
    sort_key: Callable[[Any], Any] | None = None
    descending: bool = False


@dataclass(frozen=True)
class ListResult(Generic[R]):
    """The rows of a request and the vocabulary labels the cells need.

    Attributes:
        rows: The matching rows, sorted.
        labels: Vocabulary (``TaxonomyKind`` value) → code → label.
        total_unfiltered: How many records the list holds in all.
    """

    rows: tuple[R, ...]
    labels: dict[str, dict[str, str]]
    total_unfiltered: int


class ListSource(ABC, Generic[R]):
    """Rows of one kind of record. Call everything but :meth:`invalidate` on the reader.

    Attributes:
        kind: The ``services.lists`` kind (``"people"``...).
    """

    kind: str = ""
    # The taxonomies whose labels the cells show.
    vocabularies: tuple[TaxonomyKind, ...] = ()

    def __init__(self) -> None:
        self._rows: list[R] | None = None
        self._labels: dict[str, dict[str, str]] = {}

    def invalidate(self) -> None:
        """Forget the cached rows (records changed); the next query reads again."""
        self._rows = None

    def query(self, db: Any, actor: Actor, request: ListRequest) -> ListResult[R]:
        """Rows matching a request, sorted (runs on the reader worker)."""
        cached = self._rows
        if cached is None:
            self._labels = {vocabulary.value: taxonomy(db, actor, vocabulary, include_inactive=True)
                            for vocabulary in self.vocabularies}
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

    def load_all(self, db: Any, actor: Actor) -> list[PersonRow]:
        today = date.today()
        rows = []
        for r in list_records(db, actor, self.kind):
            birth = _date(r["birth_date"])
            rows.append(PersonRow(uuid.UUID(r["uuid"]), r["name"], Sex(r["sex"]) if r["sex"] else None, birth,
                                  _age(birth, today), r["id_number"] or "", r["phone"] or "", r["address"] or "",
                                  tuple(r["categories"])))
        return rows

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

    def __init__(self) -> None:
        super().__init__()
        self._initials: dict[str, str] = {}

    def load_all(self, db: Any, actor: Actor) -> list[CaseRow]:
        return [CaseRow(uuid.UUID(r["uuid"]), r["case_no"], r["name"], CaseStage(r["stage"]),
                        _date(r["intake_date"]), r["service_area"] or "", RiskLevel(r["risk_level"]),
                        ApprovalStatus(r["opening_status"]), r["worker"] or "", int(r["service_records"]),
                        _date(r["last_contact"]))
                for r in list_records(db, actor, self.kind)]

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

    def load_all(self, db: Any, actor: Actor) -> list[VolunteerRow]:
        return [VolunteerRow(uuid.UUID(r["uuid"]), r["volunteer_no"], r["name"], _date(r["registered_on"]),
                             r["id_number"] or "", r["phone"] or "", r["skills"] or "",
                             float(r["confirmed_hours"]))
                for r in list_records(db, actor, self.kind)]

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[VolunteerRow]) -> Sequence[VolunteerRow]:
        hits = [v.uuid for v in list_volunteers(db, actor, text)]
        return _by_uuid(rows, hits)


class ActivitiesSource(ListSource[ActivityRow]):
    """Activities, newest first; filter: the activity type."""

    kind = "activities"
    vocabularies = (TaxonomyKind.ACTIVITY_TYPE, TaxonomyKind.SERVICE_AREA)

    def load_all(self, db: Any, actor: Actor) -> list[ActivityRow]:
        rows = []
        for r in list_records(db, actor, self.kind):
            p = r["participants"]
            rows.append(ActivityRow(uuid.UUID(r["uuid"]), r["activity_no"], r["title"], r["type"] or "",
                                    _date(r["start_date"]), tuple(r["service_areas"]), r["place"] or "",
                                    int(p["social_workers"]), int(p["volunteers"]), int(p["caring_people"]),
                                    int(r["beneficiaries"])))
        rows.sort(key=lambda a: (a.start_date or date.min, a.activity_no), reverse=True)
        return rows

    def search(self, db: Any, actor: Actor, text: str, rows: Sequence[ActivityRow]) -> Sequence[ActivityRow]:
        needle = text.lower()
        return [r for r in rows if needle in r.title.lower() or needle in r.activity_no.lower()
                or needle in r.place.lower()]

    def filter_matches(self, row: ActivityRow, value: str) -> bool:
        return row.activity_type == value
