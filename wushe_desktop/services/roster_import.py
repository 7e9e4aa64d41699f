"""Import a roster of people served (服务对象花名册) or volunteers (志愿者花名册).

Builds on :mod:`wushe_desktop.services.roster_files`, which turns an xlsx or csv file into
rows of text keyed by canonical field names. This module validates every row, matches it
against the station's records and writes the result in one transaction (DESIGN.md §8,
SCENARIOS scenario 9):

* Every problem of every row is collected, never only the first. A problem names the
  spreadsheet row (the header is row 1), the column as headed in the file and a code.
* All-or-nothing: if any row that is not left out (``skip_rows``) has a problem, nothing
  is written. :func:`preview_roster` and ``dry_run`` never write.
* Re-import: a row whose ID number belongs to a live record of this station updates
  that record's changed fields; an empty cell leaves the field as it was; categories,
  skills and teams are only ever added. Importing the same file again changes nothing.
* People: the ID number is optional. A row without one is matched by nothing and is
  always added (no guessing by name and phone). Volunteers: the ID number is required.

Problem codes a row may carry (:attr:`RowProblem.code`; the GUI and CLI turn each into a
sentence):

* From the validators: ``name.*``, ``phone.*`` and ``id_number.*`` (see
  :mod:`wushe_desktop.domain.validation`), ``date.future``. ``id_number.excel_number``
  also covers an 18-digit number whose last three digits Excel turned into ``000``.
* ``roster.duplicate_in_file``: the ID number already appeared on an earlier row
  (param ``first_row``); reported on the later row.
* ``roster.id_required``: a volunteer row without an ID number.
* ``roster.id_matches_several``: several live records of this station hold that ID
  number, so the row cannot be matched (param ``count``); merge them first.
* ``roster.unknown_sex``: the sex cell is not 男/女/male/female.
* ``roster.date_format``: the birth date is not ``YYYY-MM-DD``, ``YYYY/MM/DD``,
  ``YYYY.MM.DD``, ``YYYYMMDD`` or ``YYYY年M月D日``, or is no calendar date.
* ``roster.unknown_ethnicity``: not a label or code of the station's 民族 list
  (param ``value``).
* ``roster.unknown_category``: one label in the category cell is not in the station's
  person-category list (param ``value``).
* ``roster.too_long``: a free-text cell exceeds what the record holds (params ``max``,
  ``length``).

Warnings (:attr:`ImportReport.warnings`) never block an import:
``id_number.sex_mismatch`` (the sex cell is kept), ``id_number.birth_date_differs`` (the
birth date read from the ID number is kept) and, on the ID-number column,
``volunteer.minor_without_guardian_consent`` (a roster cannot record the consent).

File-level failures raise :class:`~wushe_desktop.errors.ImportFileError`: the codes of
:func:`~wushe_desktop.services.roster_files.read_roster`, ``roster.missing_column``
(param ``column="id_number"``) for a volunteer roster without an ID-number column, and
``roster.changed`` when ``expect_sha256`` does not match the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import IdDocumentType, Sex, StationMode
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import (
    IdNumberInfo,
    age_on,
    normalize_name,
    normalize_phone,
    parse_id_number,
)
from wushe_desktop.errors import ImportFileError, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.numbers import format_number, highest_suffix, reserve_numbers
from wushe_desktop.services.people import PersonInput, clean_person
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.roster_files import RosterFile, RosterKind, RosterRow, read_roster
from wushe_desktop.services.text import name_keys
from wushe_desktop.services.volunteers import ADULT_AGE
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Person,
    PersonStatus,
    TaxonomyItem,
    Volunteer,
    VolunteerTeam,
    VolunteerTeamMember,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit

__all__ = [
    "ImportReport",
    "RosterKind",
    "RowChange",
    "RowProblem",
    "import_roster",
    "preview_roster",
]

ProgressCallback = Callable[[int, int], None]

# Lengths of the free-text columns (storage/models): longer cells are row problems, so
# that nothing is cut silently and a centre on PostgreSQL never refuses the bundle.
_ADDRESS_MAX: Final = 200
_SKILLS_TEXT_MAX: Final = 200
_TEAM_NAME_MAX: Final = 100

# services.numbers kind of volunteer_no ({station}-V{seq:05d}, not per year).
_VOLUNTEER_KIND: Final = "volunteer"

# Rows written between two flushes (each flush reports progress).
_FLUSH_EVERY: Final = 500
# Rows fetched per IN (...) query.
_IN_CHUNK: Final = 500

_SEX_WORDS: Final[Mapping[str, Sex]] = MappingProxyType(
    {
        "男": Sex.MALE,
        "男性": Sex.MALE,
        "male": Sex.MALE,
        "m": Sex.MALE,
        "女": Sex.FEMALE,
        "女性": Sex.FEMALE,
        "female": Sex.FEMALE,
        "f": Sex.FEMALE,
    }
)

# Short forms of 民族 common in local spreadsheets -> GB/T 3304 code (used only when the
# station's list holds that code). Other labels are also accepted without their "族".
_ETHNICITY_SHORT: Final[Mapping[str, str]] = MappingProxyType(
    {"汉": "01", "蒙": "02", "蒙族": "02", "回": "03", "藏": "04", "维族": "05", "满": "11"}
)

_DATE_RE: Final = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    # A CSV saved from a date-time cell carries a midnight time: ignore it.
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?",
    re.ASCII,
)
_COMPACT_DATE_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
# Separators between several labels in one cell. "/" is not one: a default category
# label ("失能/半失能老人") contains it.
_LIST_SPLIT_RE: Final = re.compile(r"[、，,;；\s]+")
_TEAM_SPLIT_RE: Final = re.compile(r"[、，,;；\n]+")

# Fields compared on re-import, by canonical roster field.
_PERSON_FIELDS: Final = ("name", "sex", "ethnicity", "birth_date", "phone", "address")


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of one row cannot be imported (or, as a warning, should be checked).

    Attributes:
        row: Spreadsheet row number (the header is row 1).
        column: The column header as written in the file, or the canonical field name
            when the file has no such column (e.g. a birth date read from the ID number).
        field: Canonical field (``"id_number"``, ``"phone"``, ``"category"``...).
        code: Stable problem code; see the module docstring.
        params: Values the message may quote (``first_row``, ``expected``, ``value``...).
    """

    row: int
    column: str
    field: str
    code: str
    params: Mapping[str, object] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


@dataclass(frozen=True)
class RowChange:
    """What importing one valid row does.

    Attributes:
        row: Spreadsheet row number.
        name: The person's or volunteer's name as it will be stored.
        action: ``"add"`` a new record, ``"update"`` the matched one, or ``"unchanged"``.
        changed_fields: For ``"update"``, the canonical roster fields that change
            (``"phone"``, ``"category"``, ``"team"``...) in the order of the standard
            roster columns; else empty.
    """

    row: int
    name: str
    action: Literal["add", "update", "unchanged"]
    changed_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """The outcome of a preview, a dry run or an import.

    Counts cover the rows that are valid and not left out, whether or not they were
    written: a preview shows what an import would do.

    Attributes:
        kind: What the roster lists.
        total_rows: Non-blank data rows in the file, left-out rows included.
        added: Valid rows that add a record.
        updated: Valid rows that change a matched record.
        unchanged: Valid rows whose matched record already holds the same values.
        problems: Every problem of every row (left-out rows included), by row then column.
        unknown_columns: Headers that were not understood (their cells are ignored).
        changes: One entry per valid row that is not left out, in file order.
        written: Whether the import was committed.
        skipped_rows: Rows of the file left out by ``skip_rows``, sorted.
        warnings: Points to check that do not block the import.
        file_sha256: SHA-256 of the file's bytes (hex); pass it back to
            :func:`import_roster` as ``expect_sha256`` to be sure the previewed file is
            the one imported.
    """

    kind: RosterKind
    total_rows: int
    added: int
    updated: int
    unchanged: int
    problems: tuple[RowProblem, ...]
    unknown_columns: tuple[str, ...]
    changes: tuple[RowChange, ...]
    written: bool
    skipped_rows: tuple[int, ...]
    warnings: tuple[RowProblem, ...] = ()
    file_sha256: str = ""

    @property
    def blocking_rows(self) -> tuple[int, ...]:
        """Rows with a problem that are not left out: the import waits for these."""
        skipped = set(self.skipped_rows)
        return tuple(sorted({p.row for p in self.problems if p.row not in skipped}))


# --- public API --------------------------------------------------------------------------------


def preview_roster(
    db: Database, actor: Actor, path: Path, kind: RosterKind, today: date | None = None
) -> ImportReport:
    """Validate a roster and say what importing it would do; writes nothing.

    Args:
        db: The station database.
        actor: Who acts; needs ``import_roster``.
        path: The xlsx or csv file.
        kind: Whether it lists people or volunteers.
        today: Reference date (future dates, category start); defaults to the system date.

    Returns:
        The report, with ``written=False``.

    Raises:
        ImportFileError: The file cannot be read at all.
        PermissionDenied: The actor may not import rosters.
        ConfigError: ``station.is_centre``: a centre keeps read-only copies.
    """
    return import_roster(db, actor, path, kind, dry_run=True, today=today)


def import_roster(
    db: Database,
    actor: Actor,
    path: Path,
    kind: RosterKind,
    *,
    dry_run: bool = False,
    skip_rows: frozenset[int] = frozenset(),
    today: date | None = None,
    progress: ProgressCallback | None = None,
    expect_sha256: str | None = None,
) -> ImportReport:
    """Import a roster, all or nothing.

    People are matched by ID number among this station's live records; a row without an
    ID number is always added. Volunteers must carry an ID number. A matched record gets
    the non-empty cells that differ; categories, skills and teams are added, never
    removed. Nothing is written if any row not in ``skip_rows`` has a problem. Every
    record written gets its row version and audit row from the storage hook, and one
    summary audit row (``import``/``roster``) records the counts and the file's hash.

    Args:
        db: The station database.
        actor: Who acts; needs ``import_roster``.
        path: The xlsx or csv file.
        kind: Whether it lists people or volunteers.
        dry_run: Validate and report only; never write.
        skip_rows: Spreadsheet rows to leave out (the GUI preview's choice). Their
            problems are still reported but block nothing, and they take no part in
            duplicate detection. Numbers that are not data rows are ignored.
        today: Reference date (future dates, category start, registration date);
            defaults to the system date.
        progress: Called with ``(done, total)`` as work advances: each data row counts
            once when validated and once when written, so ``total`` is twice the row
            count; the last call is ``(total, total)``.
        expect_sha256: The :attr:`ImportReport.file_sha256` of the preview the user
            saw; the import is refused if the file changed since.

    Returns:
        The report; ``written`` says whether anything was committed.

    Raises:
        ImportFileError: The file cannot be read at all, or ``roster.changed``.
        PermissionDenied: The actor may not import rosters.
        ConfigError: ``station.is_centre``: a centre keeps read-only copies.
    """
    kind = RosterKind(kind)
    path = Path(path)
    today = today or date.today()
    roster = read_roster(path, kind)
    digest = _sha256(path)
    if expect_sha256 is not None and expect_sha256.lower() != digest:
        raise ImportFileError(
            "roster.changed", detail="the file changed since it was previewed; preview it again"
        )
    if kind is RosterKind.VOLUNTEERS and "id_number" not in roster.columns:
        raise ImportFileError(
            "roster.missing_column",
            detail="a volunteer roster needs an ID-number column (证件号码)",
            column="id_number",
        )
    present = {row.row_number for row in roster.rows}
    skipped = frozenset(skip_rows) & present
    tracker = _Progress(progress, 2 * len(roster.rows))
    importer: type[_Importer] = _PeopleImporter if kind is RosterKind.PEOPLE else _VolunteerImporter

    if dry_run:
        with reading(db, actor, Permission.IMPORT_ROSTER) as session:
            plan = importer(session, roster, skipped, today, tracker).plan()
        tracker.finish()
        return plan.report(written=False, digest=digest)

    with transaction(db, actor, Permission.IMPORT_ROSTER) as session:
        job = importer(session, roster, skipped, today, tracker)
        plan = job.plan()
        if plan.blocked:
            tracker.finish()
            return plan.report(written=False, digest=digest)
        job.write(plan)
        append_audit(
            session,
            AuditEntry(
                "import",
                "roster",
                "",
                {
                    "kind": kind.value,
                    "added": plan.count("add"),
                    "updated": plan.count("update"),
                    "unchanged": plan.count("unchanged"),
                    "skipped": len(skipped),
                    "file_sha256": digest,
                },
            ),
        )
    tracker.finish()
    return plan.report(written=True, digest=digest)


# --- plumbing ------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    hasher = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                hasher.update(block)
    except FileNotFoundError:
        raise ImportFileError("roster.not_found", detail=str(path)) from None
    except OSError as exc:
        raise ImportFileError("roster.unreadable", detail=str(exc)) from exc
    return hasher.hexdigest()


class _Progress:
    """Monotonic ``(done, total)`` reports to an optional callback."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self._callback = callback
        self.total = total
        self.done = 0

    def advance(self, steps: int) -> None:
        self.done = min(self.total, self.done + steps)
        if self._callback is not None:
            self._callback(self.done, self.total)

    def finish(self) -> None:
        if self._callback is not None and (self.done < self.total or self.total == 0):
            self.done = self.total
            self._callback(self.total, self.total)


@dataclass
class _Candidate:
    """A row that passed validation, before and after matching.

    ``values`` holds the cleaned value of every field whose cell was non-empty (only
    these are compared with, and written to, a matched record); ``derived`` holds what a
    new record also gets (a person's sex and birth date read from the ID number).
    """

    row: int
    name: str
    id_number: str
    values: dict[str, object]
    derived: dict[str, object] = dataclasses.field(default_factory=dict)
    extras: tuple[str, ...] = ()  # category codes / team names
    info: IdNumberInfo | None = None
    skill_codes: tuple[str, ...] = ()
    action: Literal["add", "update", "unchanged"] = "add"
    changed: tuple[str, ...] = ()
    match: uuid.UUID | None = None


@dataclass
class _Plan:
    """The validated rows, their problems and what writing would do."""

    roster: RosterFile
    skipped: frozenset[int]
    candidates: list[_Candidate]
    problems: list[RowProblem]
    warnings: list[RowProblem]

    @property
    def blocked(self) -> bool:
        return any(p.row not in self.skipped for p in self.problems)

    def count(self, action: str) -> int:
        return sum(1 for c in self.candidates if c.action == action)

    def report(self, *, written: bool, digest: str) -> ImportReport:
        order = {f: i for i, f in enumerate(self.roster.columns)}

        def key(p: RowProblem) -> tuple[int, int]:
            return (p.row, order.get(p.field, len(order)))

        return ImportReport(
            kind=self.roster.kind,
            total_rows=len(self.roster.rows),
            added=self.count("add"),
            updated=self.count("update"),
            unchanged=self.count("unchanged"),
            problems=tuple(sorted(self.problems, key=key)),
            unknown_columns=self.roster.unknown_columns,
            changes=tuple(RowChange(c.row, c.name, c.action, c.changed) for c in self.candidates),
            written=written,
            skipped_rows=tuple(sorted(self.skipped)),
            warnings=tuple(sorted(self.warnings, key=key)),
            file_sha256=digest,
        )


class _RowErrors:
    """Collects the problems (or warnings) of one row, naming the column as headed."""

    def __init__(self, roster: RosterFile, row: int) -> None:
        self._columns = roster.columns
        self.row = row
        self.items: list[RowProblem] = []

    def add(self, field_name: str, code: str, **params: object) -> None:
        column = self._columns.get(field_name, field_name)
        self.items.append(
            RowProblem(self.row, column, field_name, code, MappingProxyType(dict(params)))
        )

    def add_error(self, error: ValidationError, field_name: str | None = None) -> None:
        name = field_name or error.field or ""
        if any(p.field == name for p in self.items):
            return  # one problem per cell: the roster's own check already named this one
        self.add(name, error.code, **dict(error.params))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _chunks(items: Sequence[uuid.UUID], size: int = _IN_CHUNK) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_date(text: str) -> date | None:
    """A birth date in one of the accepted layouts, or None."""
    text = _nfkc(text)
    match = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


class _Vocabulary:
    """Label-or-code → code for one of the station's taxonomies (active items)."""

    def __init__(self, session: Session, origin: str, kind: TaxonomyKind) -> None:
        self._map: dict[str, str] = {}
        rows = session.execute(
            select(TaxonomyItem.code, TaxonomyItem.label)
            .where(
                TaxonomyItem.origin == origin,
                TaxonomyItem.kind == kind.value,
                TaxonomyItem.deleted_at.is_(None),
                TaxonomyItem.active.is_(True),
            )
            .order_by(TaxonomyItem.sort_order)
        ).all()
        # Codes first, labels after: a label wins over a code spelled the same.
        for code, _ in rows:
            self._map.setdefault(_nfkc(str(code)).casefold(), str(code))
        for code, label in rows:
            self._map[_nfkc(str(label)).casefold()] = str(code)

    def code(self, text: str) -> str | None:
        return self._map.get(_nfkc(text).casefold())

    def ethnicity(self, text: str) -> str | None:
        """Also 蒙古 or 蒙族 for 蒙古族, and 2 for 02 (Excel drops the leading zero)."""
        key = _nfkc(text)
        found = self.code(key)
        if found is None and key.isdigit() and len(key) == 1:
            found = self.code("0" + key)
        if found is None and not key.endswith("族"):
            found = self.code(key + "族")
        if found is None and key in _ETHNICITY_SHORT:
            found = self.code(_ETHNICITY_SHORT[key])
        return found

    def codes(self, cell: str) -> tuple[list[str], list[str]]:
        """(codes, unknown labels) of a cell holding one or several labels."""
        whole = self.code(cell)
        if whole is not None:
            return [whole], []
        codes: list[str] = []
        unknown: list[str] = []
        for part in _LIST_SPLIT_RE.split(_nfkc(cell)):
            if not part:
                continue
            found = self.code(part)
            if found is None:
                unknown.append(part)
            elif found not in codes:
                codes.append(found)
        return codes, unknown


# --- the importers -------------------------------------------------------------------------


class _Importer:
    """Validation, matching and writing shared by both roster kinds."""

    def __init__(
        self,
        session: Session,
        roster: RosterFile,
        skipped: frozenset[int],
        today: date,
        progress: _Progress,
    ) -> None:
        station = own_station(session, StationMode.STATION)
        self.session = session
        self.origin = station.code
        self.roster = roster
        self.skipped = skipped
        self.today = today
        self.progress = progress

    # Subclasses fill these in.
    def validate_row(
        self, row: RosterRow, errors: _RowErrors, warnings: _RowErrors
    ) -> tuple[str, _Candidate | None]:
        """Check one row.

        Returns:
            The normalised ID number ('' when missing or invalid: duplicates are found
            even among rows with other problems) and the candidate, or None when the row
            has a problem.
        """
        raise NotImplementedError

    def existing(self) -> dict[str, list[uuid.UUID]]:
        raise NotImplementedError

    def compare(self, candidate: _Candidate) -> None:
        raise NotImplementedError

    def write(self, plan: _Plan) -> None:
        raise NotImplementedError

    def after_match(self, candidate: _Candidate, warnings: _RowErrors) -> None:
        """Warnings that depend on the matched record (none by default)."""

    def plan(self) -> _Plan:
        """Validate every row, find duplicates, match and compare; write nothing."""
        problems: list[RowProblem] = []
        warnings: list[RowProblem] = []
        valid: list[_Candidate] = []
        first_row: dict[str, int] = {}
        for index, row in enumerate(self.roster.rows, start=1):
            errors = _RowErrors(self.roster, row.row_number)
            notes = _RowErrors(self.roster, row.row_number)
            id_number, candidate = self.validate_row(row, errors, notes)
            if id_number and row.row_number not in self.skipped:
                earlier = first_row.setdefault(id_number, row.row_number)
                if earlier != row.row_number:
                    errors.add("id_number", "roster.duplicate_in_file", first_row=earlier)
            problems.extend(errors.items)
            warnings.extend(notes.items)
            if candidate is not None and not errors.items and row.row_number not in self.skipped:
                valid.append(candidate)
            if index % 100 == 0:
                self.progress.advance(100)
        self.progress.advance(len(self.roster.rows) % 100)

        matches = self.existing()
        for candidate in valid:
            holders = matches.get(candidate.id_number, []) if candidate.id_number else []
            if len(holders) > 1:
                errors = _RowErrors(self.roster, candidate.row)
                errors.add("id_number", "roster.id_matches_several", count=len(holders))
                problems.extend(errors.items)
                continue
            if holders:
                candidate.match = holders[0]
                self.compare(candidate)
            notes = _RowErrors(self.roster, candidate.row)
            self.after_match(candidate, notes)
            warnings.extend(notes.items)
        flagged = {p.row for p in problems}
        candidates = [c for c in valid if c.row not in flagged]
        return _Plan(self.roster, self.skipped, candidates, problems, warnings)

    def flush_progress(self, written: int) -> None:
        """Flush the session every ``_FLUSH_EVERY`` rows and report progress."""
        if written % _FLUSH_EVERY == 0:
            self.session.flush()
            self.progress.advance(_FLUSH_EVERY)

    def _text_limit(self, errors: _RowErrors, field_name: str, text: str, limit: int) -> str:
        if len(text) > limit:
            errors.add(field_name, "roster.too_long", max=limit, length=len(text))
        return text


class _PeopleImporter(_Importer):
    """People served: 姓名, 性别, 民族, 证件号码, 出生日期, 联系电话, 现居住地, 类别."""

    def __init__(
        self,
        session: Session,
        roster: RosterFile,
        skipped: frozenset[int],
        today: date,
        progress: _Progress,
    ) -> None:
        super().__init__(session, roster, skipped, today, progress)
        self.ethnicities = _Vocabulary(session, self.origin, TaxonomyKind.ETHNICITY)
        self.categories = _Vocabulary(session, self.origin, TaxonomyKind.PERSON_CATEGORY)
        self.current: dict[uuid.UUID, dict[str, object]] = {}
        self.held: dict[uuid.UUID, set[str]] = defaultdict(set)

    def validate_row(
        self, row: RosterRow, errors: _RowErrors, warnings: _RowErrors
    ) -> tuple[str, _Candidate | None]:
        cells = row.values
        given = {name for name, text in cells.items() if text}
        sex: Sex | None = None
        if "sex" in given:
            sex = _SEX_WORDS.get(_nfkc(cells["sex"]).casefold())
            if sex is None:
                errors.add("sex", "roster.unknown_sex")
        ethnicity = ""
        if "ethnicity" in given:
            ethnicity = self.ethnicities.ethnicity(cells["ethnicity"]) or ""
            if not ethnicity:
                errors.add("ethnicity", "roster.unknown_ethnicity", value=cells["ethnicity"])
        birth: date | None = None
        if "birth_date" in given:
            birth = _parse_date(cells["birth_date"])
            if birth is None:
                errors.add("birth_date", "roster.date_format")
        categories: list[str] = []
        if "category" in given:
            categories, unknown = self.categories.codes(cells["category"])
            for label in unknown:
                errors.add("category", "roster.unknown_category", value=label)
        address = self._text_limit(errors, "address", cells.get("address", ""), _ADDRESS_MAX)

        raw_id = cells.get("id_number", "")
        data = PersonInput(
            name=cells.get("name", ""),
            sex=sex,
            ethnicity=ethnicity,
            # Parsed below (so the row keeps its ID even when another cell is wrong).
            id_number="",
            birth_date=birth,
            phone=cells.get("phone", ""),
            address=address,
            categories=tuple(categories),
        )
        info: IdNumberInfo | None = None
        if raw_id:
            try:
                info = parse_id_number(raw_id, today=self.today)
            except ValidationError as exc:
                errors.add_error(exc, "id_number")
        if info is not None:
            if birth is not None and birth != info.birth_date:
                warnings.add("birth_date", "id_number.birth_date_differs")
            if sex is not None and sex != info.sex:
                warnings.add("sex", "id_number.sex_mismatch")
            # The ID number is right about the birth date; the sex cell is kept as typed.
            data = replace(
                data, sex=sex or info.sex, id_number=info.number, birth_date=info.birth_date
            )
        id_number = info.number if info is not None else ""
        try:
            # Its warnings are ours above, or do not apply (a roster names no guardian).
            cleaned, _ = clean_person(data, today=self.today)
        except ValidationErrors as exc:
            for error in exc.errors:
                errors.add_error(error)
            return id_number, None
        if errors.items:
            return id_number, None
        values: dict[str, object] = {"name": cleaned.name}
        for name in _PERSON_FIELDS:
            if name in given and name != "name":
                values[name] = getattr(cleaned, name)
        # What a new record gets beyond its cells: sex and birth date from the ID number.
        derived: dict[str, object] = {"sex": cleaned.sex, "birth_date": cleaned.birth_date}
        return id_number, _Candidate(
            row=row.row_number,
            name=cleaned.name,
            id_number=id_number,
            values=values,
            derived=derived,
            extras=cleaned.categories,
            info=info,
        )

    def existing(self) -> dict[str, list[uuid.UUID]]:
        found: dict[str, list[uuid.UUID]] = defaultdict(list)
        rows = self.session.execute(
            select(
                Person.uuid,
                Person.id_number,
                Person.name,
                Person.sex,
                Person.ethnicity,
                Person.birth_date,
                Person.phone,
                Person.address,
            ).where(
                Person.origin == self.origin,
                Person.deleted_at.is_(None),
                Person.id_number.is_not(None),
                Person.id_number != "",
            )
        )
        for row in rows:
            found[str(row.id_number)].append(row.uuid)
            self.current[row.uuid] = {name: getattr(row, name) for name in _PERSON_FIELDS}
        statuses = self.session.execute(
            select(PersonStatus.person_id, PersonStatus.category).where(
                PersonStatus.origin == self.origin,
                PersonStatus.deleted_at.is_(None),
                PersonStatus.valid_to.is_(None),
            )
        )
        for person_id, category in statuses:
            self.held[person_id].add(str(category))
        return found

    def compare(self, candidate: _Candidate) -> None:
        assert candidate.match is not None
        now = self.current[candidate.match]
        changed: list[str] = [
            name
            for name in _PERSON_FIELDS
            if name in candidate.values and candidate.values[name] != now[name]
        ]
        held = self.held[candidate.match]
        if any(code not in held for code in candidate.extras):
            changed.append("category")
        candidate.changed = tuple(changed)
        candidate.action = "update" if changed else "unchanged"

    def write(self, plan: _Plan) -> None:
        session = self.session
        updates = {
            c.match: c for c in plan.candidates if c.action == "update" and c.match is not None
        }
        loaded: dict[uuid.UUID, Person] = {}
        for chunk in _chunks(list(updates)):
            for person in session.scalars(select(Person).where(Person.uuid.in_(chunk))):
                loaded[person.uuid] = person
        written = 0
        for candidate in plan.candidates:
            if candidate.action == "add":
                person = Person(uuid=uuid.uuid4(), id_type=IdDocumentType.RESIDENT_ID)
                values = {**candidate.derived, **candidate.values}
                person.id_number = candidate.id_number or None
                person.id_tail = candidate.id_number[-4:]
                for name in _PERSON_FIELDS:
                    if name in values:
                        setattr(person, name, values[name])
                person.name_pinyin, person.name_initials = name_keys(person.name)
                session.add(person)
                held: set[str] = set()
            elif candidate.action == "update":
                assert candidate.match is not None
                person = loaded[candidate.match]
                for name in candidate.changed:
                    if name in _PERSON_FIELDS:
                        setattr(person, name, candidate.values[name])
                if "name" in candidate.changed:
                    person.name_pinyin, person.name_initials = name_keys(person.name)
                held = self.held[candidate.match]
            else:
                written += 1
                self.flush_progress(written)
                continue
            for code in candidate.extras:
                if code not in held:
                    session.add(
                        PersonStatus(person_id=person.uuid, category=code, valid_from=self.today)
                    )
                    held.add(code)
            written += 1
            self.flush_progress(written)
        session.flush()
        self.progress.advance(written % _FLUSH_EVERY)


class _VolunteerImporter(_Importer):
    """Volunteers: 姓名, 证件号码, 联系电话, 专业技能, 所属队伍."""

    _FIELDS: Final = ("name", "phone", "skills")

    def __init__(
        self,
        session: Session,
        roster: RosterFile,
        skipped: frozenset[int],
        today: date,
        progress: _Progress,
    ) -> None:
        super().__init__(session, roster, skipped, today, progress)
        self.skills = _Vocabulary(session, self.origin, TaxonomyKind.SKILL)
        self.current: dict[uuid.UUID, dict[str, object]] = {}
        self.teams: dict[str, uuid.UUID] = {}
        # (team, volunteer) pairs: live memberships, and soft-deleted ones by uuid (the
        # pair is unique, so leaving and rejoining revives the old row).
        self.members: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.left: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}
        self._load_teams()

    def _load_teams(self) -> None:
        for team_id, name in self.session.execute(
            select(VolunteerTeam.uuid, VolunteerTeam.name)
            .where(VolunteerTeam.origin == self.origin, VolunteerTeam.deleted_at.is_(None))
            .order_by(VolunteerTeam.created_at)
        ):
            self.teams.setdefault(_team_key(str(name)), team_id)
        for member_id, team_id, volunteer_id, deleted_at in self.session.execute(
            select(
                VolunteerTeamMember.uuid,
                VolunteerTeamMember.team_id,
                VolunteerTeamMember.volunteer_id,
                VolunteerTeamMember.deleted_at,
            ).where(VolunteerTeamMember.origin == self.origin)
        ):
            if deleted_at is None:
                self.members.add((team_id, volunteer_id))
            else:
                self.left[(team_id, volunteer_id)] = member_id

    def validate_row(
        self, row: RosterRow, errors: _RowErrors, warnings: _RowErrors
    ) -> tuple[str, _Candidate | None]:
        cells = row.values
        name = ""
        try:
            name = normalize_name(cells.get("name", ""))
        except ValidationError as exc:
            errors.add_error(exc, "name")
        info: IdNumberInfo | None = None
        raw_id = cells.get("id_number", "")
        if not raw_id:
            errors.add("id_number", "roster.id_required")
        else:
            try:
                info = parse_id_number(raw_id, today=self.today)
            except ValidationError as exc:
                errors.add_error(exc, "id_number")
        values: dict[str, object] = {}
        if cells.get("phone"):
            try:
                values["phone"] = normalize_phone(cells["phone"]).number
            except ValidationError as exc:
                errors.add_error(exc, "phone")
        skill_codes: tuple[str, ...] = ()
        skills_text = " ".join(cells.get("skills", "").split())
        if skills_text:
            values["skills"] = self._text_limit(errors, "skills", skills_text, _SKILLS_TEXT_MAX)
            codes, _ = self.skills.codes(skills_text)
            skill_codes = tuple(codes)
        teams: list[str] = []
        for part in _TEAM_SPLIT_RE.split(cells.get("team", "")):
            team = " ".join(part.split())
            if team and team not in teams:
                teams.append(self._text_limit(errors, "team", team, _TEAM_NAME_MAX))
        if info is None:
            return "", None
        if errors.items:
            return info.number, None
        values["name"] = name
        return info.number, _Candidate(
            row=row.row_number,
            name=name,
            id_number=info.number,
            values=values,
            extras=tuple(teams),
            skill_codes=skill_codes,
            info=info,
        )

    def existing(self) -> dict[str, list[uuid.UUID]]:
        found: dict[str, list[uuid.UUID]] = defaultdict(list)
        for row in self.session.execute(
            select(
                Volunteer.uuid,
                Volunteer.id_number,
                Volunteer.name,
                Volunteer.phone,
                Volunteer.skills_text,
                Volunteer.skills,
                Volunteer.guardian_consent,
            ).where(
                Volunteer.origin == self.origin,
                Volunteer.deleted_at.is_(None),
                Volunteer.id_number.is_not(None),
                Volunteer.id_number != "",
            )
        ):
            found[str(row.id_number)].append(row.uuid)
            self.current[row.uuid] = {
                "name": row.name,
                "phone": row.phone,
                "skills": row.skills_text,
                "skill_codes": tuple(row.skills or ()),
                "guardian_consent": bool(row.guardian_consent),
            }
        return found

    def compare(self, candidate: _Candidate) -> None:
        assert candidate.match is not None
        now = self.current[candidate.match]
        changed: list[str] = [
            name
            for name in self._FIELDS
            if name in candidate.values and candidate.values[name] != now[name]
        ]
        held_codes = now["skill_codes"]
        assert isinstance(held_codes, tuple)
        if "skills" not in changed and any(
            code not in held_codes for code in candidate.skill_codes
        ):
            changed.append("skills")
        for team in candidate.extras:
            team_id = self.teams.get(_team_key(team))
            if team_id is None or (team_id, candidate.match) not in self.members:
                changed.append("team")
                break
        candidate.changed = tuple(changed)
        candidate.action = "update" if changed else "unchanged"

    def after_match(self, candidate: _Candidate, warnings: _RowErrors) -> None:
        """A minor without a recorded guardian consent (as services.volunteers warns)."""
        info = candidate.info
        if info is None or age_on(info.birth_date, self.today) >= ADULT_AGE:
            return
        if candidate.match is None or not self.current[candidate.match]["guardian_consent"]:
            warnings.add("id_number", "volunteer.minor_without_guardian_consent")

    def _team(self, name: str) -> uuid.UUID:
        key = _team_key(name)
        team_id = self.teams.get(key)
        if team_id is None:
            team_id = uuid.uuid4()
            self.session.add(VolunteerTeam(uuid=team_id, name=name))
            self.teams[key] = team_id
        return team_id

    def _join(self, team_name: str, volunteer_id: uuid.UUID) -> None:
        pair = (self._team(team_name), volunteer_id)
        if pair in self.members:
            return
        self.members.add(pair)
        left = self.left.pop(pair, None)
        if left is None:
            self.session.add(
                VolunteerTeamMember(
                    team_id=pair[0], volunteer_id=volunteer_id, joined_on=self.today
                )
            )
            return
        member = self.session.get(VolunteerTeamMember, left)
        assert member is not None
        member.deleted_at = None
        member.joined_on = self.today

    def _volunteer_numbers(self, count: int) -> list[str]:
        """Reserve ``count`` volunteer numbers (``{station}-V{seq:05d}``) in one block.

        The floor is the highest number already on a volunteer of this station, in case
        the sequence row fell behind (a restored backup).
        """
        if count == 0:
            return []
        floor = highest_suffix(
            self.session,
            Volunteer.volunteer_no,
            f"{self.origin}-V",
            Volunteer.origin == self.origin,
        )
        first = reserve_numbers(self.session, _VOLUNTEER_KIND, 0, count, floor=floor)
        return [
            format_number(_VOLUNTEER_KIND, self.origin, 0, seq)
            for seq in range(first, first + count)
        ]

    def write(self, plan: _Plan) -> None:
        session = self.session
        updates = {
            c.match: c for c in plan.candidates if c.action == "update" and c.match is not None
        }
        loaded: dict[uuid.UUID, Volunteer] = {}
        for chunk in _chunks(list(updates)):
            for volunteer in session.scalars(select(Volunteer).where(Volunteer.uuid.in_(chunk))):
                loaded[volunteer.uuid] = volunteer
        numbers = iter(
            self._volunteer_numbers(sum(1 for c in plan.candidates if c.action == "add"))
        )
        written = 0
        for candidate in plan.candidates:
            if candidate.action == "add":
                info = candidate.info
                assert info is not None
                volunteer = Volunteer(
                    uuid=uuid.uuid4(),
                    volunteer_no=next(numbers),
                    name=candidate.name,
                    name_initials=name_keys(candidate.name)[1],
                    sex=info.sex,
                    birth_date=info.birth_date,
                    id_type=IdDocumentType.RESIDENT_ID,
                    id_number=candidate.id_number,
                    id_tail=candidate.id_number[-4:],
                    phone=str(candidate.values.get("phone", "")),
                    skills=list(candidate.skill_codes),
                    skills_text=str(candidate.values.get("skills", "")),
                    registered_on=self.today,
                )
                session.add(volunteer)
                for team in candidate.extras:
                    self._join(team, volunteer.uuid)
            elif candidate.action == "update":
                assert candidate.match is not None
                volunteer = loaded[candidate.match]
                if "name" in candidate.changed:
                    volunteer.name = candidate.name
                    volunteer.name_initials = name_keys(candidate.name)[1]
                if "phone" in candidate.changed:
                    volunteer.phone = str(candidate.values["phone"])
                if "skills" in candidate.changed:
                    if "skills" in candidate.values:
                        volunteer.skills_text = str(candidate.values["skills"])
                    merged = list(volunteer.skills or [])
                    merged += [code for code in candidate.skill_codes if code not in merged]
                    if merged != list(volunteer.skills or []):
                        volunteer.skills = merged
                for team in candidate.extras:
                    self._join(team, volunteer.uuid)
            written += 1
            self.flush_progress(written)
        session.flush()
        self.progress.advance(written % _FLUSH_EVERY)


def _team_key(name: str) -> str:
    """How team names are compared: NFKC, case and inner whitespace ignored."""
    return "".join(_nfkc(name).casefold().split())
