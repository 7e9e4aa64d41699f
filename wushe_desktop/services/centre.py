"""The centre (旗县社会工作服务中心): set-up, the register of station keys, bundle import.

- :func:`init_centre` makes a centre database (mode ``centre``) with its Ed25519 signing
  key, its X25519 key that bundles are sealed to and the pseudonym key of the
  ``deidentified`` profile (all three in ``keys/`` beside the database).
- :func:`trust_station` registers a station card after its fingerprint was read out on
  the phone, or a key rotation statement signed by the station's registered key;
  :func:`revoke_station` revokes a station's keys.
- :func:`import_bundle` verifies a bundle completely (``sync.bundle.read_bundle``, in the
  order of DESIGN.md §6), then upserts its rows by UUID in one transaction, keeping the
  higher ``row_version`` (re-import is a no-op, an old bundle never rolls data back),
  records the bundle and writes a signed receipt (回执) beside the file. A refused file is
  copied into the quarantine folder with the reason beside it, and the centre's database
  is left exactly as it was.
- :func:`station_statuses` and :func:`centre_list` feed the centre's view.

A bundle whose sequence number skips some never received is imported all the same, and
recorded with status ``gap``; the result says so, and that a full export from the
station heals it (docs/admin-guide-zh.md).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import shutil
import string
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Time,
    Uuid,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import TypeDecorator

from wushe_desktop.domain.divisions import Division, DivisionLevel
from wushe_desktop.domain.enums import StationMode
from wushe_desktop.domain.validation import validate_division_code
from wushe_desktop.errors import ConfigError, NotFoundError, StateError, ValidationError, WusheError
from wushe_desktop.paths import data_dir, migrations_dir
from wushe_desktop.services.context import (
    Actor,
    StationInfo,
    own_station,
    reading,
    require_mode,
    transaction,
)
from wushe_desktop.services.keys import (
    box_key_path_for,
    box_private_key,
    pseudonym_key,
    pseudonym_key_path_for,
    read_small_file,
    signing_private_key,
    write_file_atomically,
)
from wushe_desktop.services.lists import KINDS, list_records
from wushe_desktop.services.numbers import FORMATS
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.reference import division_table
from wushe_desktop.services.station import DEMO_STATION_CODE, InitResult, init_database, settings
from wushe_desktop.storage.db import SCHEMA_HEAD, Database
from wushe_desktop.storage.models import (
    SYNCED_MODELS,
    Activity,
    Case,
    Donation,
    ImportedBundle,
    Person,
    RegisteredStation,
    Station,
    Volunteer,
    VolunteerCertificate,
    VolunteerHours,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.sync import bundle, cards, keys, receipt
from wushe_desktop.sync.common import AuditHead
from wushe_desktop.sync.deidentify import DEFAULT_ID_COLUMNS, PSEUDONYM_KEY_BYTES, id_hash, mask_id
from wushe_desktop.sync.errors import BundleError, CardError, Code

__all__ = [
    "CentreInitResult",
    "ImportOutcome",
    "RevokeResult",
    "SharedPerson",
    "StationHolding",
    "StationStatus",
    "TrustResult",
    "centre_list",
    "find_banner",
    "import_bundle",
    "import_bundles",
    "init_centre",
    "known_schemas",
    "people_across_stations",
    "quarantine_dir",
    "revoke_station",
    "station_statuses",
    "trust_station",
]

#: Rows per upsert statement (executemany).
IMPORT_BATCH: Final = 2000
#: Days without a bundle after which a station counts as overdue (monthly reporting).
DEFAULT_OVERDUE_DAYS: Final = 35
RECEIPT_SUFFIX: Final = ".receipt"
REASON_SUFFIX: Final = ".reason.txt"

#: ``progress(rows done, rows in the bundle)``.
Progress = Callable[[int, int], None]
#: Turns a refusal into the sentence written beside a quarantined file.
Explain = Callable[[WusheError], str]


# --- set-up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreInitResult:
    """What :func:`init_centre` made.

    Attributes:
        centre: The centre (its code is the banner's 12-digit code).
        fingerprint: Fingerprint of its Ed25519 key (receipts, its card).
        box_fingerprint: Fingerprint of its X25519 key (bundles are sealed to it).
        key_folder: Where the private keys are.
        has_passphrase: Whether a recovery passphrase was set.
    """

    centre: StationInfo
    fingerprint: str
    box_fingerprint: str
    key_folder: Path
    has_passphrase: bool


def find_banner(name: str) -> Division:
    """The banner (旗县) whose name a centre's name contains (``土默特左旗社会工作服务中心``).

    The longest banner name found in ``name`` wins.

    Raises:
        ValidationError: ``centre.banner_not_found`` (no banner name in it) or
            ``centre.banner_ambiguous`` (several banners of that name: give the code).
    """
    found = [b for b in division_table().banners() if b.name in name]
    if not found:
        raise ValidationError("centre.banner_not_found", field="name")
    longest = max(len(b.name) for b in found)
    best = [b for b in found if len(b.name) == longest]
    if len(best) > 1:
        raise ValidationError("centre.banner_ambiguous", field="name", banner=best[0].name, count=len(best))
    return best[0]


def init_centre(target: str | Path, *, name: str, code: str | None = None,
                passphrase: str | None = None) -> tuple[Database, CentreInitResult]:
    """Create a centre database with its three keys.

    Args:
        target: The new database (a path; refused if it exists).
        name: The centre's name, e.g. ``土默特左旗社会工作服务中心``.
        code: The banner's division code (6 or 12 digits); by default the banner whose
            name ``name`` contains.
        passphrase: The recovery passphrase (default: ``WUSHE_BACKUP_PASSPHRASE``).

    Returns:
        The open database and what was made.

    Raises:
        ValidationError: ``centre.banner_not_found``, ``centre.banner_ambiguous``,
            ``centre.code_not_banner``, ``station.name_empty``, ``division_code.format``.
        DatabaseError: ``database.exists`` and the like.
    """
    name = name.strip()
    if not name:
        raise ValidationError("station.name_empty", field="name")
    if code is None:
        code = find_banner(name).code
    else:
        code = validate_division_code(code)
        division = division_table().get(code)
        if division is None or division.level is not DivisionLevel.BANNER:
            raise ValidationError("centre.code_not_banner", field="code", code=code)
    db, result = init_database(target, code=code, name=name, mode=StationMode.CENTRE, passphrase=passphrase)
    box = keys.generate_box()
    keys.write_private_key(box_key_path_for(db, code), box.private)
    keys.write_private_key(pseudonym_key_path_for(db, code), keys.generate().private[:PSEUDONYM_KEY_BYTES])
    return db, _centre_result(result, box.fingerprint)


def _centre_result(result: InitResult, box_fingerprint: str) -> CentreInitResult:
    return CentreInitResult(result.station, result.fingerprint, box_fingerprint, result.key_path.parent,
                            result.has_passphrase)


# --- the register of station keys ------------------------------------------------------


@dataclass(frozen=True)
class TrustResult:
    """The outcome of :func:`trust_station`.

    Attributes:
        code: The station's code.
        name: Its name.
        banner_name: Its banner.
        fingerprint: The fingerprint registered now (print it; compare with the phone).
        status: ``registered`` (new station), ``unchanged`` (that key was registered
            already), ``replaced`` (a new card replaced the station's key) or ``rotated``
            (a rotation statement signed by the registered key).
        previous_fingerprint: The key it replaced ("" if none).
        other_banner: The station is not in this centre's banner.
    """

    code: str
    name: str
    banner_name: str
    fingerprint: str
    status: str
    previous_fingerprint: str = ""
    other_banner: bool = False


@dataclass(frozen=True)
class RevokeResult:
    """The outcome of :func:`revoke_station`: which key fingerprints are revoked now."""

    code: str
    name: str
    fingerprints: tuple[str, ...]
    already_revoked: bool


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _envelope_kind(data: bytes) -> str:
    """The ``kind`` an unverified envelope claims (only to choose how to verify it)."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except ValueError:
        return ""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else ""


def _rotation_code(data: bytes) -> str:
    """The station code an unverified rotation statement names (to find its key)."""
    try:
        body = json.loads(base64.b64decode(json.loads(data.decode("utf-8"))["body"], validate=True))
        code = body["code"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CardError(Code.ROTATION_INVALID, "cannot read the statement") from exc
    if not isinstance(code, str):
        raise CardError(Code.ROTATION_INVALID, "no code")
    return code


def trust_station(db: Database, actor: Actor, path: Path, *, expect_fingerprint: str | None = None,
                  now: datetime | None = None) -> TrustResult:
    """Register a station's card, or the new key of a key rotation statement.

    A card registers the station, or replaces its key (a new PC: the old key stays
    registered as a previous key, so bundles it signed still import). A rotation
    statement must be signed by the station's registered key. A revoked key is never
    registered again.

    Args:
        db: A centre database.
        actor: Who registers (needs ``centre_import``).
        path: The station card, or a rotation statement.
        expect_fingerprint: The fingerprint read out on the phone; a card (or new key)
            with another fingerprint is refused.
        now: The time of registration (default: now).

    Returns:
        What was registered, with the fingerprint to print.

    Raises:
        CardError: ``card.*`` or ``rotation.*`` (invalid, altered, unexpected fingerprint).
        ValidationError: ``centre.demo_station``, ``fingerprint.invalid``.
        StateError: ``centre.key_revoked_before``, ``centre.station_revoked``.
        NotFoundError: ``centre.station_unknown`` (a rotation for an unregistered station).
        ConfigError: ``station.not_centre``.
    """
    now = now or datetime.now(UTC)
    centre = require_mode(db, StationMode.CENTRE)
    data = read_small_file(path)
    if _envelope_kind(data) == cards.ROTATION_KIND:
        return _trust_rotation(db, actor, data, expect_fingerprint, now, centre)
    card = cards.read_station_card(data, expect_fingerprint=expect_fingerprint)
    if card.station_code == DEMO_STATION_CODE:
        raise ValidationError("centre.demo_station", field="station")
    other_banner = card.station_code[:6] != centre.code[:6]
    with transaction(db, actor, Permission.CENTRE_IMPORT) as session:
        row = session.get(RegisteredStation, card.station_code)
        fp = card.fingerprint
        if row is None:
            session.add(RegisteredStation(code=card.station_code, name=card.station_name,
                                          banner_name=card.banner_name, public_key=card.signing_key,
                                          fingerprint=fp, registered_at=now, revoked_at=None, previous_keys=[]))
            status, previous = "registered", ""
        else:
            revoked_before = {k["fingerprint"] for k in row.previous_keys if k.get("revoked_at")}
            if fp in revoked_before or (fp == row.fingerprint and row.revoked_at is not None):
                raise StateError("centre.key_revoked_before", station_code=card.station_code, fingerprint=fp)
            row.name, row.banner_name = card.station_name, card.banner_name
            if fp == row.fingerprint:
                status, previous = "unchanged", ""
            else:
                previous = row.fingerprint
                _retire_current(row, now, revoked=row.revoked_at is not None)
                row.public_key, row.fingerprint, row.registered_at, row.revoked_at = card.signing_key, fp, now, None
                row.previous_keys = [k for k in row.previous_keys if k["fingerprint"] != fp]
                status = "replaced"
        append_audit(session, AuditEntry("trust", "registered_station", "", {
            "station": card.station_code, "fingerprint": fp, "status": status}))
    return TrustResult(card.station_code, card.station_name, card.banner_name, fp, status, previous, other_banner)


def _retire_current(row: RegisteredStation, now: datetime, *, revoked: bool) -> None:
    """Move a station's current key to its previous keys."""
    entry = {"public_key": _b64(bytes(row.public_key)), "fingerprint": row.fingerprint,
             "registered_at": _iso(row.registered_at), "retired_at": _iso(now),
             "revoked_at": _iso(row.revoked_at or now) if revoked else None}
    row.previous_keys = [*row.previous_keys, entry]


def _trust_rotation(db: Database, actor: Actor, data: bytes, expect_fingerprint: str | None, now: datetime,
                    centre: StationInfo) -> TrustResult:
    code = _rotation_code(data)
    with transaction(db, actor, Permission.CENTRE_IMPORT) as session:
        row = session.get(RegisteredStation, code)
        if row is None:
            raise NotFoundError("centre.station_unknown", field="station", station_code=code)
        rotation = cards.verify_rotation(data, bytes(row.public_key))
        if rotation.code != code:
            raise CardError(Code.ROTATION_INVALID, "the statement names another station")
        if expect_fingerprint is not None:
            try:
                expected = keys.normalize_fingerprint(expect_fingerprint)
            except ValueError as exc:
                raise ValidationError("fingerprint.invalid", field="fingerprint") from exc
            if rotation.new_fingerprint != expected:
                raise CardError(Code.CARD_UNEXPECTED_FINGERPRINT, "not the fingerprint read out",
                                found=rotation.new_fingerprint, expected=expected)
        if row.revoked_at is not None:
            raise StateError("centre.station_revoked", station_code=code)
        if any(k["fingerprint"] == rotation.new_fingerprint and k.get("revoked_at") for k in row.previous_keys):
            raise StateError("centre.key_revoked_before", station_code=code, fingerprint=rotation.new_fingerprint)
        previous = row.fingerprint
        _retire_current(row, now, revoked=False)
        row.public_key, row.fingerprint, row.registered_at = rotation.new_key, rotation.new_fingerprint, now
        row.previous_keys = [k for k in row.previous_keys if k["fingerprint"] != rotation.new_fingerprint]
        append_audit(session, AuditEntry("trust", "registered_station", "", {
            "station": code, "fingerprint": rotation.new_fingerprint, "status": "rotated"}))
        return TrustResult(code, row.name, row.banner_name, rotation.new_fingerprint, "rotated", previous,
                           code[:6] != centre.code[:6])


def revoke_station(db: Database, actor: Actor, code: str, *, now: datetime | None = None) -> RevokeResult:
    """Revoke every key of a station: its bundles are refused until it registers anew.

    Raises:
        NotFoundError: ``centre.station_unknown``.
        ConfigError: ``station.not_centre``.
    """
    now = now or datetime.now(UTC)
    require_mode(db, StationMode.CENTRE)
    with transaction(db, actor, Permission.CENTRE_IMPORT) as session:
        row = session.get(RegisteredStation, code)
        if row is None:
            raise NotFoundError("centre.station_unknown", field="station", station_code=code)
        already = row.revoked_at is not None and all(k.get("revoked_at") for k in row.previous_keys)
        if row.revoked_at is None:
            row.revoked_at = now
        row.previous_keys = [{**k, "revoked_at": k.get("revoked_at") or _iso(now)} for k in row.previous_keys]
        fingerprints = (row.fingerprint, *(k["fingerprint"] for k in row.previous_keys))
        if not already:
            append_audit(session, AuditEntry("revoke", "registered_station", "", {
                "station": code, "fingerprints": list(fingerprints)}))
        return RevokeResult(code, row.name, fingerprints, already)


def _trusted_keys(session: Session) -> bundle.TrustedKeys:
    """A snapshot of the register as the ``trusted_keys`` callback of ``read_bundle``."""
    register: dict[str, dict[str, tuple[bytes, bool]]] = {}
    for row in session.scalars(select(RegisteredStation)):
        known = {row.fingerprint: (bytes(row.public_key), row.revoked_at is not None)}
        for k in row.previous_keys:
            try:
                public = base64.b64decode(k["public_key"], validate=True)
            except (ValueError, KeyError, TypeError):
                continue
            known.setdefault(k["fingerprint"], (public, bool(k.get("revoked_at"))))
        register[row.code] = known

    def decide(code: str, fingerprint: str) -> bundle.TrustDecision:
        station = register.get(code)
        if station is None:
            return bundle.TrustDecision.refused(bundle.Trust.UNKNOWN_STATION)
        entry = station.get(fingerprint)
        if entry is None:
            return bundle.TrustDecision.refused(bundle.Trust.UNKNOWN_KEY)
        if entry[1]:
            return bundle.TrustDecision.refused(bundle.Trust.REVOKED)
        return bundle.TrustDecision.trusted(entry[0])

    return decide


# --- station overview ------------------------------------------------------------------


@dataclass(frozen=True)
class StationStatus:
    """One registered station as the centre sees it.

    Attributes:
        code: The station's code.
        name: Its name.
        banner_name: Its banner.
        fingerprint: Its current key's fingerprint.
        registered_at: When the current key was registered.
        revoked: Whether its current key is revoked.
        bundles: Bundles accepted from it.
        last_sequence: The highest bundle sequence accepted (``None``: none yet).
        last_imported_at: When the newest bundle was imported.
        last_gap: Bundles are missing between the newest full bundle (or the first) and
            the newest one (a full export heals it).
        overdue: No bundle for more than the overdue period (and not revoked).
    """

    code: str
    name: str
    banner_name: str
    fingerprint: str
    registered_at: datetime
    revoked: bool
    bundles: int
    last_sequence: int | None
    last_imported_at: datetime | None
    last_gap: bool
    overdue: bool


def station_statuses(db: Database, actor: Actor, *, overdue_days: int | None = None,
                     now: datetime | None = None) -> list[StationStatus]:
    """Every registered station with its last bundle, in code order.

    A station is overdue when no bundle of it was imported for ``overdue_days`` days
    (default: the ``centre.overdue_days`` setting). Two queries, whatever the number of
    stations (a region's centre holds 850).

    Raises:
        ConfigError: ``station.not_centre``.
    """
    now = now or datetime.now(UTC)
    require_mode(db, StationMode.CENTRE)
    limit = now - timedelta(days=overdue_days if overdue_days is not None else centre_overdue_days(db))
    result: list[StationStatus] = []
    with reading(db, actor, Permission.READ) as session:
        received: dict[str, list[tuple[int, bool, datetime]]] = {}
        for code, seq, full, at in session.execute(select(
                ImportedBundle.station_code, ImportedBundle.sequence, ImportedBundle.full, ImportedBundle.imported_at)):
            received.setdefault(str(code), []).append((int(seq), bool(full), at))
        for row in session.scalars(select(RegisteredStation).order_by(RegisteredStation.code)):
            bundles = received.get(row.code, [])
            sequences = {seq for seq, _full, _at in bundles}
            last_full = max((seq for seq, full, _at in bundles if full), default=0)
            last = max(sequences, default=None)
            newest = max((at for _seq, _full, at in bundles), default=None)
            revoked = row.revoked_at is not None
            result.append(StationStatus(
                code=row.code, name=row.name, banner_name=row.banner_name, fingerprint=row.fingerprint,
                registered_at=row.registered_at, revoked=revoked, bundles=len(bundles),
                last_sequence=last, last_imported_at=newest,
                last_gap=last is not None and any(seq not in sequences for seq in range(last_full + 1, last)),
                overdue=not revoked and (newest is None or newest < limit),
            ))
    return result


def centre_overdue_days(db: Database) -> int:
    """After how many days without a bundle a station counts as overdue (setting
    ``centre.overdue_days``, default 35: a month and a few days for the trip)."""
    return int(settings(db).get("centre.overdue_days", DEFAULT_OVERDUE_DAYS))


def centre_list(db: Database, actor: Actor, kind: str, station: str) -> list[dict[str, Any]]:
    """A station's records as the centre holds them (read-only copies), like ``wushe list``.

    Raises:
        ConfigError: ``station.not_centre``.
        NotFoundError: ``centre.station_unknown``.
        ValidationError: ``list.unknown_kind``.
    """
    require_mode(db, StationMode.CENTRE)
    if kind not in KINDS:
        raise ValidationError("list.unknown_kind", field="kind", kind=kind)
    with reading(db, actor, Permission.READ) as session:
        known = session.get(RegisteredStation, station) is not None or session.scalar(
            select(Station.code).where(Station.code == station, Station.is_self.is_(False))) is not None
    if not known:
        raise NotFoundError("centre.station_unknown", field="station", station_code=station)
    return list_records(db, actor, kind, origin=station)


# --- people served by more than one station --------------------------------------------

#: The kinds :func:`people_across_stations` lists.
ACROSS_KINDS: Final = ("person", "volunteer")
#: Rows per ``IN (...)`` when counting the matched people's records.
_COUNT_CHUNK: Final = 500


@dataclass(frozen=True)
class StationHolding:
    """One station's record of a person (or volunteer) that other stations hold too.

    Attributes:
        station_code: The station's code.
        station_name: Its name.
        record_id: The person's (volunteer's) UUID in that station's records.
        name: The name as the centre holds it: the real name from a supervision bundle,
            a pseudonym (``对象-3F2A9C01``) from a de-identified one.
        deidentified: The row came in a de-identified bundle (``name`` is a pseudonym).
        records: Person: the station's case files for them; volunteer: their volunteer
            service entries (志愿服务记录).
    """

    station_code: str
    station_name: str
    record_id: uuid.UUID
    name: str
    deidentified: bool
    records: int


@dataclass(frozen=True)
class SharedPerson:
    """One person (or volunteer) held by more than one station, matched by ID number.

    Attributes:
        id_hash: The keyed hash of the full ID number (hex) the rows were matched by.
        masked_id: The ID number masked (first 6 and last 4 characters kept).
        holdings: Each station's record, in station-code order.
    """

    id_hash: str
    masked_id: str
    holdings: tuple[StationHolding, ...]

    @property
    def station_count(self) -> int:
        """How many stations hold the person."""
        return len({h.station_code for h in self.holdings})


def people_across_stations(db: Database, actor: Actor, kind: str = "person") -> list[SharedPerson]:
    """People served (``person``) or volunteers registered (``volunteer``) by more than one
    station, as the centre holds them.

    Rows are matched by the keyed hash of the full ID number (``sync.deidentify.id_hash``
    with the centre's pseudonym key): a row from a de-identified bundle carries it in
    ``id_hash``; for a row from a supervision bundle (full number, no hash) the centre
    computes it with the same key, so a station that sends supervision bundles and one
    that sends de-identified bundles are matched too. Rows without an ID number, deleted
    rows and the centre's own rows are left out. Most stations first, then by masked ID.

    Raises:
        ConfigError: ``station.not_centre`` (a station database); ``keys.private_missing``
            (the centre's pseudonym key file is missing).
        ValidationError: ``list.unknown_kind`` (neither ``person`` nor ``volunteer``).
        PermissionDenied: the actor may not read.
    """
    if kind not in ACROSS_KINDS:
        raise ValidationError("list.unknown_kind", field="kind", kind=kind)
    model: type[Person] | type[Volunteer] = Person if kind == "person" else Volunteer
    with reading(db, actor, Permission.READ) as session:
        centre_code = own_station(session, StationMode.CENTRE).code
        key = pseudonym_key(db, centre_code)
        groups: dict[str, list[tuple[str, uuid.UUID, str, str, bool]]] = {}
        masked: dict[str, str] = {}
        stmt = (select(model.origin, model.uuid, model.name, model.id_number, model.id_hash)
                .where(model.origin != centre_code, model.deleted_at.is_(None),
                       or_(model.id_hash.is_not(None), and_(model.id_number.is_not(None), model.id_number != "")))
                .execution_options(yield_per=5000))
        for origin, row_id, name, number, stored_hash in session.execute(stmt):
            number = number or ""
            deidentified = "*" in number  # masked: the row came in a de-identified bundle
            if stored_hash:
                match = str(stored_hash)
            elif deidentified:
                continue  # masked without a hash: nothing to match it by
            else:
                match = id_hash(key, number)
            groups.setdefault(match, []).append((str(origin), row_id, str(name), number, deidentified))
            if number and match not in masked:
                masked[match] = number if "*" in number else mask_id(number)
        shared = {h: rows for h, rows in groups.items() if len({r[0] for r in rows}) > 1}
        counts = _record_counts(session, kind, [r[1] for rows in shared.values() for r in rows])
        names = _station_names(session)
    result = [
        SharedPerson(h, masked.get(h, ""), tuple(
            StationHolding(origin, names.get(origin, origin), row_id, name, deidentified, counts.get(row_id, 0))
            for origin, row_id, name, _number, deidentified in sorted(rows, key=lambda r: (r[0], r[2], str(r[1])))))
        for h, rows in shared.items()
    ]
    result.sort(key=lambda p: (-p.station_count, p.masked_id, p.id_hash))
    return result


def _record_counts(session: Session, kind: str, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Per person: case files; per volunteer: service entries (deleted ones left out)."""
    if kind == "person":
        owner: Any = Case.person_id
        deleted: Any = Case.deleted_at
    else:
        owner, deleted = VolunteerHours.volunteer_id, VolunteerHours.deleted_at
    counts: dict[uuid.UUID, int] = {}
    for start in range(0, len(ids), _COUNT_CHUNK):
        chunk = ids[start:start + _COUNT_CHUNK]
        for owner_id, n in session.execute(select(owner, func.count()).where(owner.in_(chunk), deleted.is_(None))
                                           .group_by(owner)):
            counts[owner_id] = int(n)
    return counts


def _station_names(session: Session) -> dict[str, str]:
    """Station names by code: the register's, else the stations' own rows."""
    names = {str(code): str(name) for code, name in session.execute(select(Station.code, Station.name))}
    names.update({str(code): str(name) for code, name in session.execute(
        select(RegisteredStation.code, RegisteredStation.name))})
    return names


# --- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one bundle file.

    Attributes:
        path: The file.
        accepted: Verified (and, unless a dry run, imported).
        dry_run: Nothing was written.
        station_code: The signing station ("" when refused before it was known).
        station_name: Its name in the register.
        sequence: The bundle's sequence number.
        full: A full export.
        profile: ``supervision`` or ``deidentified``.
        rows: Rows in the bundle.
        new: Rows the centre did not hold.
        updated: Rows that replaced an older version.
        unchanged: Rows the centre held in this or a newer version.
        already_imported: This very file was imported before (nothing changed).
        gap: ``(first, last)`` sequence numbers never received before this one.
        rows_may_be_missing: The bundle starts above what the centre holds: some changes
            may be missing until the station sends a full export.
        older: A newer bundle of the station was imported before this one.
        receipt_path: The signed receipt written for an accepted bundle.
        receipt_beside: The receipt is beside the bundle (else in the centre's folder,
            because the bundle's folder could not be written).
        error: Why the bundle was refused.
        reason: The sentence written beside the quarantined copy.
        quarantined: The copy in the quarantine folder.
    """

    path: Path
    accepted: bool
    dry_run: bool = False
    station_code: str = ""
    station_name: str = ""
    sequence: int = 0
    full: bool = False
    profile: str = ""
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    already_imported: bool = False
    gap: tuple[int, int] | None = None
    rows_may_be_missing: bool = False
    older: bool = False
    receipt_path: Path | None = None
    receipt_beside: bool = True
    error: WusheError | None = None
    reason: str = ""
    quarantined: Path | None = None


@dataclass
class _Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    done: int = 0
    tables: set[str] = field(default_factory=set)


_SCHEMA_RE: Final = re.compile(r"([0-9]{4})_[A-Za-z0-9_]*\.py")


def known_schemas() -> frozenset[str]:
    """Schema revisions whose bundles this centre imports: every one up to its own."""
    found = {m.group(1) for p in (migrations_dir() / "versions").glob("*.py")
             if (m := _SCHEMA_RE.fullmatch(p.name)) is not None}
    return frozenset(rev for rev in found if rev <= SCHEMA_HEAD) | {SCHEMA_HEAD}


def quarantine_dir(db: Database) -> Path:
    """Where refused files are copied: ``quarantine/`` beside the centre's database."""
    base = db.path.parent if db.path is not None else data_dir()
    return base / "quarantine"


def _receipt_dir(db: Database) -> Path:
    base = db.path.parent if db.path is not None else data_dir()
    return base / "receipts"


def import_bundles(db: Database, actor: Actor, paths: Iterable[Path], *, dry_run: bool = False,
                   explain: Explain | None = None, progress: Progress | None = None) -> list[ImportOutcome]:
    """:func:`import_bundle` for each file, in order; one outcome per file."""
    return [import_bundle(db, actor, path, dry_run=dry_run, explain=explain, progress=progress) for path in paths]


def import_bundle(db: Database, actor: Actor, path: Path, *, dry_run: bool = False,
                  explain: Explain | None = None, progress: Progress | None = None,
                  now: datetime | None = None) -> ImportOutcome:
    """Verify one bundle and import it whole, or refuse it whole.

    Refusals (every ``bundle.*`` check, rows that clash with another station's records,
    rows that refer to records never received) do not raise: the outcome carries the
    error, the file is copied into :func:`quarantine_dir` with ``<name>.reason.txt``
    beside it (not in a dry run), the original stays where it was, and the centre's
    database is left exactly as it was.

    Args:
        db: A centre database.
        actor: Who imports (needs ``centre_import``).
        path: The ``.wsb`` file.
        dry_run: Verify and count what would change (new, updated, unchanged rows) inside
            a transaction that is rolled back; write nothing, no receipt, no quarantine.
        explain: Turns a refusal into the sentence for the reason file (the CLI passes
            its message table; default: the error's code and params).
        progress: ``(rows done, rows in the bundle)`` while rows are imported.
        now: The time of import (default: now).

    Returns:
        The outcome.

    Raises:
        PermissionDenied: The actor may not import.
        ConfigError: ``station.not_centre``, ``keys.private_missing`` (this PC lacks the
            centre's keys: nothing can be imported at all).
    """
    now = now or datetime.now(UTC)
    require(actor, Permission.CENTRE_IMPORT)
    centre = require_mode(db, StationMode.CENTRE)
    box_private = box_private_key(db, centre.code)
    with reading(db, actor) as session:
        signing_key = signing_private_key(db, session, centre.code)
        trusted = _trusted_keys(session)
    verified: bundle.VerifiedBundle | None = None
    try:
        verified = bundle.read_bundle(
            path, trusted_keys=trusted, centre_fingerprint=keys.fingerprint(keys.box_public_key_of(box_private)),
            centre_private_key=box_private, known_schemas=known_schemas())
        outcome = _import_verified(db, actor, verified, dry_run=dry_run, progress=progress, now=now)
    except (BundleError, _Refusal) as exc:
        error = exc.error if isinstance(exc, _Refusal) else exc
        station = verified.manifest.station_code if verified is not None else str(error.params.get("station", ""))
        return _refuse(db, path, error, station, dry_run=dry_run, explain=explain, now=now)
    if dry_run:
        return outcome
    return _write_receipt(db, outcome, verified, signing_key, now)


class _Refusal(Exception):
    """A coded refusal found while importing (the transaction is rolled back)."""

    def __init__(self, error: WusheError) -> None:
        super().__init__(error.describe())
        self.error = error


class _DryRunDone(Exception):
    """Rolls back a dry run's transaction, carrying its outcome."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def _refuse(db: Database, path: Path, error: WusheError, station: str, *, dry_run: bool,
            explain: Explain | None, now: datetime) -> ImportOutcome:
    """Copy a refused file into quarantine with its reason beside it (not in a dry run)."""
    reason = (explain or (lambda e: e.describe()))(error)
    if dry_run or not path.is_file():  # nothing to keep of a file that is not there
        return ImportOutcome(path, False, dry_run, station_code=station, error=error, reason=reason)
    folder = quarantine_dir(db)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = folder / f"{stamp}-{path.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        n = 1
        while copy.exists():
            n += 1
            copy = folder / f"{stamp}-{n}-{path.name}"
        shutil.copyfile(path, copy)
        quarantined: Path | None = copy
    except OSError:
        quarantined = None  # unreadable or vanished: the reason file still says why
    params = ", ".join(f"{k}={v}" for k, v in error.params.items())
    note = (f"文件 / File: {path.name}\n"
            f"原位置 / Original: {path.resolve()}\n"
            f"时间 / Time: {_iso(now)}\n"
            f"原因 / Reason: {reason}\n"
            f"代码 / Code: {error.code}{f' ({params})' if params else ''}\n"
            f"{'' if quarantined else '副本 / Copy: 无法复制该文件 / the file could not be copied' + chr(10)}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_file_atomically(folder / f"{copy.name}{REASON_SUFFIX}", note.encode("utf-8"))
    except OSError:
        pass
    return ImportOutcome(path, False, False, station_code=station, error=error, reason=reason,
                         quarantined=quarantined)


# Reading JSON-ready values back into column values -----------------------------------


_Decoder = Callable[[Any], Any]


def _bad(column: Column[Any]) -> _Refusal:
    return _Refusal(ValidationError("centre.row_invalid", table=column.table.name, column=column.name))


def _decoder(column: Column[Any]) -> _Decoder:
    """Checks a JSON value against the column and converts it (``None`` kept when nullable)."""
    col_type = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    nullable = bool(column.nullable)

    def typed(check: Callable[[Any], bool], convert: Callable[[Any], Any] | None = None) -> _Decoder:
        def decode(value: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise _bad(column)
            if not check(value):
                raise _bad(column)
            if convert is None:
                return value
            try:
                return convert(value)
            except (ValueError, TypeError, AttributeError, OverflowError) as exc:
                raise _bad(column) from exc
        return decode

    def is_str(v: Any) -> bool:
        return type(v) is str

    if isinstance(col_type, Uuid):
        return typed(is_str, uuid.UUID)
    if isinstance(col_type, DateTime):
        return typed(is_str, _parse_datetime)
    if isinstance(col_type, Date):
        return typed(is_str, date.fromisoformat)
    if isinstance(col_type, Time):
        return typed(is_str, time.fromisoformat)
    if isinstance(col_type, Boolean):
        return typed(lambda v: type(v) is bool)
    if isinstance(col_type, Integer):  # BigInteger included
        return typed(lambda v: type(v) is int)
    if isinstance(col_type, JSON):
        return typed(lambda v: True)
    if isinstance(col_type, String):  # Text and enums stored as their values included
        return typed(is_str)
    return typed(lambda v: False)  # a column type bundles do not carry (none in the schema)


def _parse_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _missing_value(column: Column[Any]) -> Callable[[], Any]:
    """The value of a column an older schema did not have (its default)."""
    default = column.default
    if default is None:
        return lambda: None
    if getattr(default, "is_scalar", False):
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    fn = default.arg  # type: ignore[attr-defined]
    return lambda: fn(None)


@dataclass(frozen=True)
class _TableCodec:
    table: Table
    columns: tuple[tuple[str, _Decoder, Callable[[], Any]], ...]
    overrides: Mapping[str, Any]


def _codecs() -> dict[str, _TableCodec]:
    codecs: dict[str, _TableCodec] = {}
    for model in SYNCED_MODELS:
        table: Table = model.__table__  # type: ignore[attr-defined]
        columns = tuple((c.name, _decoder(c), _missing_value(c)) for c in table.columns)
        overrides = {"is_self": False} if table.name == Station.__tablename__ else {}
        codecs[table.name] = _TableCodec(table, columns, overrides)
    return codecs


def _decode_rows(codec: _TableCodec, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for row in rows:
        values: dict[str, Any] = {}
        for name, decode, missing in codec.columns:
            values[name] = decode(row[name]) if name in row else missing()
        values.update(codec.overrides)
        out.append(values)
    return out


def _upsert_statement(db: Database, table: Table, *, replace_equal: bool = False) -> Any:
    """``INSERT ... ON CONFLICT (uuid) DO UPDATE ... WHERE`` the incoming version is higher
    (or, with ``replace_equal``, not lower) and the row belongs to the same station
    (SQLite and PostgreSQL)."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        stmt: Any = sqlite.insert(table)
    elif dialect == "postgresql":  # imported here: only a PostgreSQL centre pays for it at start-up
        from sqlalchemy.dialects import postgresql

        stmt = postgresql.insert(table)
    else:  # pragma: no cover - only the two supported databases
        raise ConfigError("database.unsupported", detail=dialect)
    excluded = stmt.excluded
    newer = (excluded.row_version >= table.c.row_version) if replace_equal else \
        (excluded.row_version > table.c.row_version)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.uuid],
        set_={c.name: excluded[c.name] for c in table.columns if c.name != "uuid"},
        where=newer & (excluded.origin == table.c.origin),
    )


def _defer_foreign_keys(db: Database, session: Session) -> None:
    """Check foreign keys at commit, not per row: a bundle's rows are ordered by table, and
    a row may name a parent that comes later (a guardian, a distribution's record).

    PostgreSQL: migration 0004 makes every foreign key ``DEFERRABLE INITIALLY IMMEDIATE``,
    so ``SET CONSTRAINTS ALL DEFERRED`` moves the check to commit."""
    if db.is_sqlite:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    else:
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))


def _hash_pair(table: Table) -> tuple[str, str] | None:
    """A table's ID-number column and the column of its keyed hash (migration 0005)."""
    for column in sorted(DEFAULT_ID_COLUMNS):
        hashed = "id_hash" if column == "id_number" else f"{column}_hash"
        if column in table.c and hashed in table.c:
            return column, hashed
    return None


def _upsert_batch(db: Database, session: Session, codec: _TableCodec, rows: list[dict[str, Any]],
                  station: str, counts: _Counts, statements: dict[str, Any], *, replace_equal: bool) -> None:
    """Upsert one batch of a table's rows; count them; refuse another station's UUIDs.

    With ``replace_equal`` (a full bundle in another profile than the station's last),
    rows of the same version are written again, so the centre's copy takes the profile
    (e.g. de-identified from now on); they still count as unchanged.

    A de-identified row the centre holds in the same version but without its ID hash
    (imported before migration 0005 kept the hash) gets the hash, and nothing else, when
    its bundle is imported again; it still counts as unchanged.
    """
    table = codec.table
    ids = [row["uuid"] for row in rows]
    pair = _hash_pair(table)
    extra = [table.c[pair[0]], table.c[pair[1]]] if pair is not None else []
    held: dict[Any, tuple[int, str]] = {}
    held_ids: dict[Any, tuple[Any, Any]] = {}
    for found_row in session.execute(
            select(table.c.uuid, table.c.row_version, table.c.origin, *extra).where(table.c.uuid.in_(ids))):
        held[found_row[0]] = (int(found_row[1]), found_row[2])
        if pair is not None:
            held_ids[found_row[0]] = (found_row[3], found_row[4])
    changed: list[dict[str, Any]] = []
    fills: list[dict[str, Any]] = []
    for row in rows:
        found = held.get(row["uuid"])
        if found is None:
            counts.new += 1
            held[row["uuid"]] = (row["row_version"], station)
            changed.append(row)
        elif found[1] != station:
            raise _Refusal(StateError("centre.uuid_conflict", table=table.name))
        elif row["row_version"] > found[0]:
            counts.updated += 1
            held[row["uuid"]] = (row["row_version"], station)
            changed.append(row)
        else:
            counts.unchanged += 1
            if replace_equal and row["row_version"] == found[0]:
                changed.append(row)
            elif pair is not None and row["row_version"] == found[0]:
                number, stored = held_ids.get(row["uuid"], (None, None))
                incoming = row.get(pair[1])
                if stored is None and incoming and number and "*" in number and row.get(pair[0]) == number:
                    fills.append({"b_uuid": row["uuid"], "b_hash": incoming})
    if changed:
        stmt = statements.get(table.name)
        if stmt is None:
            stmt = statements[table.name] = _upsert_statement(db, table, replace_equal=replace_equal)
        session.execute(stmt, changed)
        counts.tables.add(table.name)
    if fills and pair is not None:
        hashed = table.c[pair[1]]
        session.execute(update(table).where(table.c.uuid == bindparam("b_uuid"), hashed.is_(None))
                        .values({pair[1]: bindparam("b_hash")}), fills)


def _held_high(session: Session, station: str) -> int:
    """The highest ``row_version`` the centre holds from a station (0: nothing)."""
    highs = union_all(*(select(func.max(model.row_version).label("high")).where(model.origin == station)
                        for model in SYNCED_MODELS)).subquery()
    return int(session.scalar(select(func.max(highs.c.high))) or 0)


_NUMBER_COLUMNS: Final[Mapping[str, InstrumentedAttribute[str]]] = {
    "case": Case.case_no,
    "volunteer": Volunteer.volunteer_no,
    "activity": Activity.activity_no,
    "certificate": VolunteerCertificate.cert_no,
    "donation": Donation.ledger_no,
}
_ORIGIN_COLUMNS: Final[Mapping[str, InstrumentedAttribute[str]]] = {
    "case": Case.origin,
    "volunteer": Volunteer.origin,
    "activity": Activity.origin,
    "certificate": VolunteerCertificate.origin,
    "donation": Donation.origin,
}


def _number_pattern(kind: str, station: str) -> re.Pattern[str]:
    """A regular expression for the printed numbers of a kind (built from ``FORMATS``)."""
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(FORMATS[kind]):
        parts.append(re.escape(literal))
        if name == "station":
            parts.append(re.escape(station))
        elif name == "year":
            parts.append(r"(?P<year>[0-9]{4})")
        elif name == "seq":
            parts.append(r"(?P<seq>[0-9]+)")
    return re.compile("".join(parts))


def _head_width(kind: str, station: str) -> int:
    """How many characters of a kind's number come before its sequence (the station's code,
    the four-digit year, the letters between)."""
    width = 0
    for literal, name, _spec, _conv in string.Formatter().parse(FORMATS[kind]):
        width += len(literal)
        if name == "station":
            width += len(station)
        elif name == "year":
            width += 4
        elif name == "seq":
            return width
    raise ValueError(f"the {kind} number format has no sequence")


def number_highs(session: Session, station: str) -> dict[str, int]:
    """The highest record numbers the centre holds for a station, keyed ``kind/year``.

    Deleted records count too (a number is never issued twice). The keys are those of
    ``numbers.last_numbers`` (``case/2025``, ``volunteer/0``...).

    Read per kind as the greatest number of each head (station, year) and length, a few rows
    whatever the number of records: numbers of equal head and length order as their
    sequences do. Should a group's greatest not read as a number of the kind (a number
    written by hand), that group is read from its greatest down to its first number that does.
    """
    highs: dict[str, int] = {}
    for kind, column in _NUMBER_COLUMNS.items():
        pattern = _number_pattern(kind, station)
        held = (_ORIGIN_COLUMNS[kind] == station, column.is_not(None))
        head, length = func.substr(column, 1, _head_width(kind, station)), func.length(column)
        for group_head, group_length, greatest in session.execute(
                select(head, length, func.max(column)).where(*held).group_by(head, length)):
            match = pattern.fullmatch(greatest)
            if match is None:
                in_group = select(column).where(*held, head == group_head, length == group_length)
                values = session.scalars(in_group.order_by(column.desc()).execution_options(yield_per=1000))
                try:
                    match = next((m for m in map(pattern.fullmatch, values) if m is not None), None)
                finally:
                    values.close()
            if match is None:
                continue
            groups = match.groupdict()
            key = f"{kind}/{int(groups.get('year') or 0)}"
            highs[key] = max(highs.get(key, 0), int(groups["seq"]))
    return highs


def _import_verified(db: Database, actor: Actor, verified: bundle.VerifiedBundle, *, dry_run: bool,
                     progress: Progress | None, now: datetime) -> ImportOutcome:
    manifest = verified.manifest
    station = manifest.station_code
    total = sum(manifest.table_counts.values())
    codecs = _codecs()
    unknown = sorted(t for t, n in manifest.table_counts.items() if n and t not in codecs)
    if unknown:
        raise _Refusal(ValidationError("centre.unknown_table", table=unknown[0]))
    try:
        with transaction(db, actor, Permission.CENTRE_IMPORT) as session:
            _defer_foreign_keys(db, session)
            registered = session.get(RegisteredStation, station)
            name = registered.name if registered is not None else ""
            held_before = _held_high(session, station)
            sequences = [int(s) for s in session.scalars(
                select(ImportedBundle.sequence).where(ImportedBundle.station_code == station))]
            last_seq = max(sequences, default=0)
            already = session.scalar(select(ImportedBundle.id).where(
                ImportedBundle.bundle_sha256 == verified.sha256)) is not None
            last_profile = session.scalar(select(ImportedBundle.profile).where(
                ImportedBundle.station_code == station).order_by(ImportedBundle.id.desc()).limit(1))
            replace_equal = manifest.full and last_profile is not None and last_profile != str(manifest.profile)
            gap: tuple[int, int] | None = None
            if not manifest.full and manifest.sequence > last_seq + 1 and not already:
                gap = (last_seq + 1, manifest.sequence - 1)
            counts = _Counts()
            statements: dict[str, Any] = {}
            for table_name, rows in verified.batches(IMPORT_BATCH):
                codec = codecs.get(table_name)
                if codec is None:
                    raise _Refusal(ValidationError("centre.unknown_table", table=table_name))
                _upsert_batch(db, session, codec, _decode_rows(codec, rows), station, counts, statements,
                              replace_equal=replace_equal)
                counts.done += len(rows)
                if progress is not None:
                    progress(counts.done, total)
            outcome = ImportOutcome(
                verified.path, True, dry_run, station, name, manifest.sequence, manifest.full,
                str(manifest.profile), total, counts.new, counts.updated, counts.unchanged, already, gap,
                rows_may_be_missing=not manifest.full and manifest.row_version_from > held_before,
                older=manifest.sequence < last_seq,
            )
            if dry_run:
                _check_foreign_keys(db, session, counts.tables, station)
                raise _DryRunDone(outcome)
            if not already:
                session.add(ImportedBundle(
                    station_code=station, sequence=manifest.sequence, bundle_sha256=verified.sha256,
                    file_name=verified.path.name[:255], full=manifest.full, profile=str(manifest.profile),
                    row_version_from=manifest.row_version_from, row_version_to=manifest.row_version_to,
                    rows=total, rows_new=counts.new, rows_updated=counts.updated,
                    audit_seq=manifest.audit_head.seq, audit_hash=manifest.audit_head.hash,
                    created_at=manifest.created_at, imported_at=now, status="gap" if gap else "imported",
                ))
            append_audit(session, AuditEntry("import", "bundle", "", {
                "station": station, "sequence": manifest.sequence, "sha256": verified.sha256,
                "rows": total, "new": counts.new, "updated": counts.updated, "unchanged": counts.unchanged,
                "gap": list(gap) if gap else None, "already_imported": already}))
    except _DryRunDone as done:
        return done.outcome
    except IntegrityError as exc:
        message = str(exc.orig or exc).lower()
        code = "centre.missing_parents" if "foreign key" in message else "centre.import_conflict"
        raise _Refusal(StateError(code, detail=message[:200], station=station)) from exc
    return outcome


def _check_foreign_keys(db: Database, session: Session, tables: Collection[str], station: str) -> None:
    """In a dry run (which never commits): would the commit's foreign-key check fail?

    PostgreSQL checks the deferred constraints now (``SET CONSTRAINTS ALL IMMEDIATE``
    raises what the commit would); SQLite asks ``PRAGMA foreign_key_check``.
    """
    if not db.is_sqlite:
        try:
            session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        except IntegrityError as exc:
            raise _Refusal(StateError("centre.missing_parents", detail=str(exc.orig or exc)[:200],
                                      station=station)) from exc
        return
    for name in sorted(tables):
        if session.execute(text(f'PRAGMA foreign_key_check("{name}")')).first() is not None:
            raise _Refusal(StateError("centre.missing_parents", detail=name, station=station))


def _write_receipt(db: Database, outcome: ImportOutcome, verified: bundle.VerifiedBundle, signing_key: bytes,
                   now: datetime) -> ImportOutcome:
    """Sign the receipt for an accepted bundle: what the centre holds for the station now."""
    station = outcome.station_code
    with db.read_sessions() as session:
        newest = session.scalars(select(ImportedBundle).where(ImportedBundle.station_code == station)
                                 .order_by(ImportedBundle.sequence.desc(), ImportedBundle.id.desc())).first()
        high = receipt.HighWater(
            row_version=_held_high(session, station),
            bundle_sequence=max(newest.sequence if newest else 0, outcome.sequence),
            number_sequences=number_highs(session, station),
            audit_head=AuditHead(newest.audit_seq, newest.audit_hash) if newest else verified.manifest.audit_head,
        )
    data = receipt.write_receipt(station_code=station, bundle_sha256=verified.sha256,
                                 bundle_sequence=outcome.sequence, high_water=high, signing_key=signing_key,
                                 received_at=now)
    beside = outcome.path.with_name(outcome.path.name + RECEIPT_SUFFIX)
    try:
        write_file_atomically(beside, data)
        return _replace(outcome, receipt_path=beside)
    except OSError:
        pass
    fallback = _receipt_dir(db) / beside.name
    try:
        write_file_atomically(fallback, data)
    except OSError:
        return _replace(outcome, receipt_path=None, receipt_beside=False)
    return _replace(outcome, receipt_path=fallback, receipt_beside=False)


def _replace(outcome: ImportOutcome, **changes: Any) -> ImportOutcome:
    return dataclasses.replace(outcome, **changes)
