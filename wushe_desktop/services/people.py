"""People served (服务对象): register, edit, delete, statuses, household, consent, search.

The reference pattern for services: validate in ``domain``, one transaction per use
case, frozen results, audit rows through the storage hook.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import IdDocumentType, LegalBasis, Sex
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import (
    age_on,
    identity_from_id,
    mask_id_number,
    mask_phone,
    normalize_mongolian_script,
    normalize_name,
    normalize_phone,
    validate_disability_cert,
)
from wushe_desktop.errors import NotFoundError, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.lists import search_person_ids
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.records import check_codes, check_lengths, clean_person_name, live_row
from wushe_desktop.services.text import id_tail_matches, id_tail_query, name_keys
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Community, Consent, HouseholdMember, Person, PersonStatus
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.storage.types import utcnow

CHILD_CONSENT_AGE = 14  # PIPL Art. 31


@dataclass(frozen=True)
class PersonInput:
    """What a form or a roster row gives for a person. Empty strings mean "not given"."""

    name: str
    sex: Sex | None = None
    ethnicity: str = ""
    id_type: IdDocumentType = IdDocumentType.RESIDENT_ID
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    phone2: str = ""
    hukou_address: str = ""
    community_id: UUID | None = None
    address: str = ""
    mongolian_name: str = ""
    marital_status: str = ""
    education: str = ""
    employment: str = ""
    disability_cert_no: str = ""
    health: str = ""
    lives_alone: bool = False
    guardian_id: UUID | None = None
    guardian_relation: str = ""
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_relation: str = ""
    notes: str = ""
    categories: tuple[str, ...] = ()  # person_category codes, valid from today


@dataclass(frozen=True)
class PersonView:
    """A person as screens and lists see it: ID and phone masked."""

    uuid: UUID
    name: str
    sex: Sex | None
    ethnicity: str
    birth_date: date | None
    age: int | None
    id_number_masked: str | None
    phone_masked: str
    address: str
    community_id: UUID | None
    categories: tuple[str, ...]
    guardian_id: UUID | None
    lives_alone: bool
    row_version: int


@dataclass(frozen=True)
class SaveResult:
    """A saved person and the warnings the user may want to see (not errors)."""

    person: PersonView
    warnings: tuple[ValidationError, ...] = field(default_factory=tuple)


def clean_person(data: PersonInput, *, today: date | None = None) -> tuple[PersonInput, list[ValidationError]]:
    """Validate and normalise a person; collect every error at once.

    Returns the normalised input and warnings (sex not matching the ID, a child without
    a guardian). Raises :class:`ValidationErrors` with every field at fault.
    """
    today = today or date.today()
    errors: list[ValidationError] = []
    warnings: list[ValidationError] = []
    changes: dict[str, object] = {}
    try:
        changes["name"] = normalize_name(data.name)
    except ValidationError as exc:
        errors.append(exc)
    if data.mongolian_name:
        try:
            changes["mongolian_name"] = normalize_mongolian_script(data.mongolian_name)
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
            changes["id_number"] = data.id_number.strip()
    changes["birth_date"], changes["sex"] = birth, sex
    if birth is not None and birth > today:
        errors.append(ValidationError("date.future", field="birth_date"))
    for name in ("phone", "phone2", "emergency_phone"):
        raw = str(getattr(data, name))
        if raw.strip():
            try:
                changes[name] = normalize_phone(raw).number
            except ValidationError as exc:
                errors.append(ValidationError(exc.code, field=name, **exc.params))
    if data.disability_cert_no.strip():
        try:
            validate_disability_cert(data.disability_cert_no, str(changes.get("id_number") or "") or None)
            changes["disability_cert_no"] = data.disability_cert_no.strip().upper()
        except ValidationError as exc:
            errors.append(exc)
    errors.extend(check_lengths(Person, {**{f: getattr(data, f) for f in _COLUMNS}, **changes}))
    if errors:
        raise ValidationErrors(errors)
    cleaned = replace(data, **changes)  # type: ignore[arg-type]
    if birth is not None and age_on(birth, today) < CHILD_CONSENT_AGE and cleaned.guardian_id is None:
        warnings.append(ValidationError("person.minor_needs_guardian", field="guardian_id"))
    return cleaned, warnings


_COLUMNS = {f.name for f in fields(PersonInput)} - {"categories"}


def _apply(person: Person, data: PersonInput) -> None:
    for name in _COLUMNS:
        value = getattr(data, name)
        if name == "id_number":
            value = value or None
        setattr(person, name, value)
    person.id_tail = (person.id_number or "")[-4:]
    person.name_pinyin, person.name_initials = name_keys(person.name)
    if person.disability_cert_no:
        person.disability_category = int(person.disability_cert_no[18])
        person.disability_grade = int(person.disability_cert_no[19])


def _view(session: Session, person: Person, today: date | None = None) -> PersonView:
    today = today or date.today()
    cats = tuple(session.scalars(
        select(PersonStatus.category).where(
            PersonStatus.person_id == person.uuid, PersonStatus.deleted_at.is_(None),
            or_(PersonStatus.valid_to.is_(None), PersonStatus.valid_to >= today),
        ).order_by(PersonStatus.category)
    ))
    return PersonView(
        uuid=person.uuid, name=person.name, sex=person.sex, ethnicity=person.ethnicity,
        birth_date=person.birth_date,
        age=age_on(person.birth_date, today) if person.birth_date else None,
        id_number_masked=mask_id_number(person.id_number) if person.id_number else None,
        phone_masked=mask_phone(person.phone) if person.phone else "",
        address=person.address, community_id=person.community_id, categories=cats,
        guardian_id=person.guardian_id, lives_alone=person.lives_alone, row_version=person.row_version,
    )


def find_by_id_number(session: Session, origin: str, id_number: str) -> Person | None:
    """The live person of this station with that ID number."""
    return session.scalars(select(Person).where(
        Person.origin == origin, Person.id_number == id_number, Person.deleted_at.is_(None))).first()


def get_person_row(session: Session, person_id: UUID) -> Person:
    """A live person or ``person.not_found``."""
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFoundError("person.not_found", field="person_id")
    return person


def add_categories(session: Session, person_id: UUID, categories: tuple[str, ...], since: date) -> None:
    """Give a person categories they do not already hold (valid from ``since``)."""
    held = set(session.scalars(select(PersonStatus.category).where(
        PersonStatus.person_id == person_id, PersonStatus.deleted_at.is_(None), PersonStatus.valid_to.is_(None))))
    for code in categories:
        if code and code not in held:
            session.add(PersonStatus(person_id=person_id, category=code, valid_from=since))
            held.add(code)


def create_person(db: Database, actor: Actor, data: PersonInput, *, allow_duplicate_id: bool = False,
                  today: date | None = None) -> SaveResult:
    """Register a person (登记服务对象).

    Raises:
        ValidationErrors: a field is wrong.
        ValidationError: ``id_number.duplicate`` (params ``existing``) unless allowed.
    """
    cleaned, warnings = clean_person(data, today=today)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        origin = own_station(s).code
        if cleaned.id_number and not allow_duplicate_id:
            existing = find_by_id_number(s, origin, cleaned.id_number)
            if existing is not None:
                raise ValidationError("id_number.duplicate", field="id_number", existing=str(existing.uuid))
        _check_references(s, cleaned)
        person = Person()
        _apply(person, cleaned)
        s.add(person)
        s.flush()
        add_categories(s, person.uuid, cleaned.categories, today or date.today())
        s.flush()
        return SaveResult(_view(s, person, today), tuple(warnings))


def update_person(db: Database, actor: Actor, person_id: UUID, data: PersonInput,
                  *, today: date | None = None, keep_id_number: bool = False) -> SaveResult:
    """Edit a person; categories in ``data`` are added (ending one is :func:`end_category`).

    With ``keep_id_number`` the stored ID type and number stay as they are and
    ``data.id_number`` is ignored: an edit form that never showed the full number (see
    :func:`person_for_edit`) saves without having to know it.
    """
    cleaned, warnings = clean_person(data, today=today)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        person = get_person_row(s, person_id)
        if keep_id_number:
            cleaned = replace(cleaned, id_type=person.id_type, id_number=person.id_number or "")
        if cleaned.id_number and cleaned.id_number != person.id_number:
            other = find_by_id_number(s, person.origin, cleaned.id_number)
            if other is not None and other.uuid != person.uuid:
                raise ValidationError("id_number.duplicate", field="id_number", existing=str(other.uuid))
        _check_references(s, cleaned)
        _apply(person, cleaned)
        add_categories(s, person.uuid, cleaned.categories, today or date.today())
        s.flush()
        return SaveResult(_view(s, person, today), tuple(warnings))


def _check_references(session: Session, data: PersonInput) -> None:
    """Guardian and community exist; ethnicity and categories are in the station's lists."""
    if data.guardian_id is not None:
        get_person_row(session, data.guardian_id)
    if data.community_id is not None:
        live_row(session, Community, data.community_id, "community.not_found", "community_id")
    if data.ethnicity:
        check_codes(session, TaxonomyKind.ETHNICITY, [data.ethnicity], "ethnicity")
    check_codes(session, TaxonomyKind.PERSON_CATEGORY, data.categories, "categories")


def delete_person(db: Database, actor: Actor, person_id: UUID) -> None:
    """Soft-delete a person (the deletion travels to the centre)."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_person_row(s, person_id).deleted_at = utcnow()


def end_category(db: Database, actor: Actor, person_id: UUID, category: str, on: date) -> None:
    """End a category status (e.g. 低保 reviewed and withdrawn)."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        for status in s.scalars(select(PersonStatus).where(
                PersonStatus.person_id == person_id, PersonStatus.category == category,
                PersonStatus.valid_to.is_(None), PersonStatus.deleted_at.is_(None))):
            status.valid_to = on


def get_person(db: Database, actor: Actor, person_id: UUID) -> PersonView:
    """One person, masked."""
    with reading(db, actor, Permission.READ) as s:
        return _view(s, get_person_row(s, person_id))


@dataclass(frozen=True)
class CategoryStatus:
    """One category a person holds or held (e.g. 低保 from 2019-03-01 to 2025-06-30)."""

    uuid: UUID
    category: str
    valid_from: date | None
    valid_to: date | None

    def current(self, today: date) -> bool:
        """Whether the status holds on ``today``."""
        return self.valid_to is None or self.valid_to >= today


@dataclass(frozen=True)
class ConsentView:
    """A consent on file (知情同意)."""

    uuid: UUID
    purpose: str
    signer_name: str
    signer_relation: str
    signed_on: date
    withdrawn_on: date | None
    case_id: UUID | None


@dataclass(frozen=True)
class HouseholdView:
    """A household member (家庭成员)."""

    uuid: UUID
    name: str
    relation: str
    birth_year: int | None
    occupation: str
    health: str
    co_resident: bool
    phone_masked: str


@dataclass(frozen=True)
class PersonRecord:
    """Everything the edit form shows of one person.

    ``data`` is what the form edits, with ``id_number`` left empty: the full number is
    shown only through :func:`reveal_id_number` (a permission, audited); save with
    ``update_person(..., keep_id_number=True)`` unless a new number was typed.
    ``data.categories`` holds the categories current today.
    """

    uuid: UUID
    data: PersonInput
    id_number_masked: str | None
    age: int | None
    guardian: PersonView | None
    statuses: tuple[CategoryStatus, ...]
    consents: tuple[ConsentView, ...]
    household: tuple[HouseholdView, ...]
    row_version: int


def person_for_edit(db: Database, actor: Actor, person_id: UUID, *, today: date | None = None) -> PersonRecord:
    """One person as the edit form shows them (ID number masked; phone numbers in full).

    Raises:
        NotFoundError: ``person.not_found``.
    """
    today = today or date.today()
    with reading(db, actor, Permission.READ) as s:
        person = get_person_row(s, person_id)
        statuses = tuple(CategoryStatus(r.uuid, r.category, r.valid_from, r.valid_to) for r in s.scalars(
            select(PersonStatus).where(PersonStatus.person_id == person_id, PersonStatus.deleted_at.is_(None))
            .order_by(PersonStatus.valid_to.is_not(None), PersonStatus.category, PersonStatus.valid_from)))
        current = tuple(sorted({st.category for st in statuses if st.current(today)}))
        values = {name: getattr(person, name) for name in _COLUMNS}
        values["id_number"] = ""
        data = PersonInput(**values, categories=current)
        guardian: PersonView | None = None
        if person.guardian_id is not None:
            row = s.get(Person, person.guardian_id)
            if row is not None and row.deleted_at is None:
                guardian = _view(s, row, today)
        consents = tuple(ConsentView(c.uuid, c.purpose, c.signer_name, c.signer_relation, c.signed_on,
                                     c.withdrawn_on, c.case_id) for c in s.scalars(
            select(Consent).where(Consent.person_id == person_id, Consent.deleted_at.is_(None))
            .order_by(Consent.signed_on.desc())))
        household = tuple(HouseholdView(m.uuid, m.name, m.relation, m.birth_year, m.occupation, m.health,
                                        m.co_resident, mask_phone(m.phone) if m.phone else "") for m in s.scalars(
            select(HouseholdMember).where(HouseholdMember.person_id == person_id,
                                          HouseholdMember.deleted_at.is_(None)).order_by(HouseholdMember.name)))
        return PersonRecord(
            uuid=person.uuid, data=data,
            id_number_masked=mask_id_number(person.id_number) if person.id_number else None,
            age=age_on(person.birth_date, today) if person.birth_date else None,
            guardian=guardian, statuses=statuses, consents=consents, household=household,
            row_version=person.row_version)


def reveal_id_number(db: Database, actor: Actor, person_id: UUID, purpose: str) -> str | None:
    """The full ID number; needs ``reveal_id`` and is audited with its purpose."""
    with transaction(db, actor, Permission.REVEAL_ID) as s:
        person = get_person_row(s, person_id)
        append_audit(s, AuditEntry("reveal", "person", str(person_id), {"field": "id_number", "purpose": purpose}))
        return person.id_number


@dataclass(frozen=True)
class HouseholdInput:
    """A household member (家庭成员)."""

    name: str
    relation: str
    birth_year: int | None = None
    occupation: str = ""
    health: str = ""
    co_resident: bool = True
    phone: str = ""


def add_household_member(db: Database, actor: Actor, person_id: UUID, member: HouseholdInput) -> UUID:
    """Add a household member to a person."""
    name = normalize_name(member.name)
    phone = normalize_phone(member.phone).number if member.phone.strip() else ""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        get_person_row(s, person_id)
        row = HouseholdMember(person_id=person_id, name=name, relation=member.relation,
                              birth_year=member.birth_year, occupation=member.occupation,
                              health=member.health, co_resident=member.co_resident, phone=phone)
        s.add(row)
        s.flush()
        return row.uuid


@dataclass(frozen=True)
class ConsentInput:
    """知情同意 as signed."""

    purpose: str
    signer_name: str
    signed_on: date
    signer_relation: str = "本人"
    legal_basis: LegalBasis = LegalBasis.CONSENT
    scope: tuple[str, ...] = ()
    sensitive: bool = True
    notice_version: str = "1"
    case_id: UUID | None = None


def record_consent(db: Database, actor: Actor, person_id: UUID, consent: ConsentInput,
                   *, today: date | None = None) -> UUID:
    """Record a signed consent. For a child under 14 the signer must be the guardian."""
    today = today or date.today()
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        return add_consent(s, get_person_row(s, person_id), consent, today=today).uuid


def add_consent(session: Session, person: Person, consent: ConsentInput, *, today: date) -> Consent:
    """Add a signed consent inside the caller's transaction (also used by the intake).

    Raises:
        ValidationError: ``name.*`` (field ``signer_name``), ``date.future`` (``signed_on``),
            ``consent.child_needs_guardian``, ``consent.child_signer_must_be_guardian``.
    """
    signer = clean_person_name(consent.signer_name, "signer_name")
    if consent.signed_on > today:
        raise ValidationError("date.future", field="signed_on")
    if person.birth_date and age_on(person.birth_date, consent.signed_on) < CHILD_CONSENT_AGE:
        if person.guardian_id is None and not person.guardian_relation:
            raise ValidationError("consent.child_needs_guardian", field="guardian_id")
        if consent.signer_relation in ("", "本人"):
            raise ValidationError("consent.child_signer_must_be_guardian", field="signer_relation")
    row = Consent(person_id=person.uuid, case_id=consent.case_id, purpose=consent.purpose,
                  legal_basis=consent.legal_basis, scope=list(consent.scope), sensitive=consent.sensitive,
                  signer_name=signer, signer_relation=consent.signer_relation, signed_on=consent.signed_on,
                  notice_version=consent.notice_version)
    session.add(row)
    session.flush()
    return row


def withdraw_consent(db: Database, actor: Actor, consent_id: UUID, on: date) -> None:
    """Record that a consent was withdrawn (PIPL Art. 15)."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        row = s.get(Consent, consent_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError("consent.not_found")
        row.withdrawn_on = on


def has_valid_consent(session: Session, person_id: UUID) -> bool:
    """Whether the person has a consent on file that was not withdrawn."""
    return session.scalar(select(func.count()).select_from(Consent).where(
        Consent.person_id == person_id, Consent.deleted_at.is_(None), Consent.withdrawn_on.is_(None))) != 0


def search_statement(origin: str, query: str) -> Select[Any]:
    """People matching a search box: name, pinyin initials, ID-number tail or phone."""
    q = query.strip()
    stmt = select(Person).where(Person.origin == origin, Person.deleted_at.is_(None))
    if not q:
        return stmt.order_by(Person.name_initials)
    tail = id_tail_query(q)
    if tail is not None:
        return stmt.where(or_(id_tail_matches(Person.id_tail, tail),
                              Person.phone.endswith(tail))).order_by(Person.name_initials)
    if q.isascii() and q.isalpha():
        return stmt.where(Person.name_initials.startswith(q.lower())).order_by(Person.name_initials)
    return stmt.where(Person.name.contains(q)).order_by(Person.name_initials)


def search_people(db: Database, actor: Actor, query: str, limit: int = 50) -> list[PersonView]:
    """Search box results (masked), by pinyin initials: the rules of :func:`search_statement`,
    answered over the lists' search indexes (``services.lists.search_person_ids``: at 100k
    people in milliseconds, a one-character name too)."""
    with reading(db, actor, Permission.READ) as s:
        origin = own_station(s).code
        ids = search_person_ids(s, origin, query, limit)
        found = {p.uuid: p for p in s.scalars(select(Person).where(Person.uuid.in_(ids)))} if ids else {}
        return [_view(s, found[i]) for i in ids if i in found]
