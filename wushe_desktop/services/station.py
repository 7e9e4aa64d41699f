"""Setting up a database: station or centre, settings, taxonomies, key pair, passphrase."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import select

from wushe_desktop.domain.enums import StationMode
from wushe_desktop.domain.taxonomy import DEFAULT_SETTINGS, DEFAULT_TAXONOMIES, TaxonomyKind
from wushe_desktop.domain.validation import normalize_phone, validate_division_code
from wushe_desktop.errors import ValidationError
from wushe_desktop.paths import data_dir
from wushe_desktop.services.context import Actor, StationInfo, own_station, reading, transaction
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.reference import division_table
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.storage.models import Setting, Station, StationKey, TaxonomyItem, VersionClock
from wushe_desktop.storage.tracking import ActorInfo, AuditEntry, append_audit, bind_actor
from wushe_desktop.sync import keys

#: The reserved code of the throwaway demo database (a centre refuses its bundles).
DEMO_STATION_CODE = "150121999999"
MIN_PASSPHRASE_LENGTH = 8
PASSPHRASE_ENV = "WUSHE_BACKUP_PASSPHRASE"


@dataclass(frozen=True)
class InitResult:
    """What ``init`` made."""

    station: StationInfo
    fingerprint: str
    key_path: Path
    has_passphrase: bool
    warnings: tuple[str, ...]


def key_path_for(db: Database, code: str) -> Path:
    """Where this database's private signing key lives (beside the database; for a server
    database such as a PostgreSQL centre, in the PC's data folder)."""
    base = db.path.parent if db.path is not None else data_dir()
    return base / "keys" / f"{code}.ed25519"


def resolve_station(code: str, banner: str | None) -> tuple[str, str, str, list[str]]:
    """Check a station code and find its banner: (code, banner_code, banner_name, warnings).

    A code missing from the reference table is a warning (codes change; DESIGN.md §8).
    """
    code = validate_division_code(code)
    table = division_table()
    warnings: list[str] = []
    if table.get(code) is None:
        warnings.append("station.code_unknown")
    found = table.banner_of(code)
    if found is not None:
        if banner and banner.strip() not in (found.name, table.full_name(found.code)):
            raise ValidationError("station.banner_mismatch", field="banner", banner=banner, expected=found.name)
        return code, found.code, found.name, warnings
    if not banner:
        raise ValidationError("station.banner_required", field="banner", station_code=code)
    return code, code[:6] + "000000", banner.strip(), warnings


def hash_passphrase(passphrase: str) -> str:
    """An Argon2id verifier of the recovery passphrase (the passphrase itself is never kept)."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError("passphrase.too_short", field="passphrase", min=MIN_PASSPHRASE_LENGTH)
    return PasswordHasher().hash(passphrase)


def passphrase_matches(verifier: str, passphrase: str) -> bool:
    """Whether a typed passphrase matches the stored verifier."""
    try:
        return PasswordHasher().verify(verifier, passphrase)
    except VerificationError:
        return False


def init_database(
    target: str | Path,
    *,
    code: str,
    name: str,
    banner: str | None = None,
    mode: StationMode = StationMode.STATION,
    passphrase: str | None = None,
    actor_name: str = "本机管理员(命令行)",
) -> tuple[Database, InitResult]:
    """Create a new database for a station (or centre) with its key pair.

    Refuses an existing database (``database.exists``). The recovery passphrase comes
    from the argument or ``WUSHE_BACKUP_PASSPHRASE``; without one the station is asked
    later (GUI at start, first ``backup``).
    """
    name = name.strip()
    if not name:
        raise ValidationError("station.name_empty", field="name")
    code, banner_code, banner_name, warnings = resolve_station(code, banner)
    passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    verifier = hash_passphrase(passphrase) if passphrase else None
    db = open_database(target, create=True)
    pair = keys.generate()
    key_file = key_path_for(db, code)
    with db.sessions.begin() as session:
        session.add(VersionClock(id=1, epoch=0, counter=0))
        session.flush()
        bind_actor(session, ActorInfo(actor_name, "local_admin", code))
        session.add(Station(code=code, name=name, banner_code=banner_code, banner_name=banner_name,
                            mode=mode, is_self=True))
        settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        settings["certificate.issuing_body"] = name
        if verifier:
            settings["recovery.verifier"] = verifier
        for key, value in settings.items():
            session.add(Setting(key=key, value=value))
        for kind, entries in DEFAULT_TAXONOMIES.items():
            for order, entry in enumerate(entries):
                session.add(TaxonomyItem(kind=kind.value, code=entry.code, label=entry.label, sort_order=order))
        session.add(StationKey(fingerprint=pair.fingerprint, public_key=pair.public, active=True))
        session.flush()
        append_audit(session, AuditEntry("init", "station", "", {"mode": mode.value, "fingerprint": pair.fingerprint}))
    keys.write_private_key(key_file, pair.private)
    info = StationInfo(code, name, banner_code, banner_name, mode)
    return db, InitResult(info, pair.fingerprint, key_file, verifier is not None, tuple(warnings))


def get_setting(db: Database, key: str) -> Any:
    """One setting's value (the default if never set)."""
    with db.read_sessions() as session:
        row = session.get(Setting, key)
        return row.value if row is not None else DEFAULT_SETTINGS.get(key)


def settings(db: Database) -> dict[str, Any]:
    """All settings, defaults filled in."""
    with db.read_sessions() as session:
        stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {**DEFAULT_SETTINGS, **stored}


def set_setting(db: Database, actor: Actor, key: str, value: Any) -> None:
    """Change a setting (audited)."""
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        append_audit(session, AuditEntry("setting", "setting", "", {"key": key}))


def taxonomy(db: Database, actor: Actor, kind: TaxonomyKind, *, include_inactive: bool = False) -> dict[str, str]:
    """code → label of one vocabulary of this station, in order."""
    with reading(db, actor, Permission.READ) as session:
        origin = own_station(session).code
        stmt = (select(TaxonomyItem.code, TaxonomyItem.label)
                .where(TaxonomyItem.kind == kind.value, TaxonomyItem.origin == origin,
                       TaxonomyItem.deleted_at.is_(None))
                .order_by(TaxonomyItem.sort_order))
        if not include_inactive:
            stmt = stmt.where(TaxonomyItem.active.is_(True))
        return {str(c): str(lbl) for c, lbl in session.execute(stmt)}


def set_taxonomy_item(db: Database, actor: Actor, kind: TaxonomyKind, code: str, label: str,
                      *, active: bool = True) -> None:
    """Add or relabel (or deactivate) an item; codes already used in records never change."""
    code, label = code.strip(), label.strip()
    if not code or not label:
        raise ValidationError("taxonomy.empty", field="label")
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as session:
        origin = own_station(session).code
        item = session.scalars(select(TaxonomyItem).where(
            TaxonomyItem.origin == origin, TaxonomyItem.kind == kind.value, TaxonomyItem.code == code)).first()
        if item is None:
            count = len(session.scalars(select(TaxonomyItem.code).where(
                TaxonomyItem.origin == origin, TaxonomyItem.kind == kind.value)).all())
            session.add(TaxonomyItem(kind=kind.value, code=code, label=label, sort_order=count, active=active))
        else:
            item.label, item.active = label, active


def update_station_details(db: Database, actor: Actor, *, name: str, address: str, phone: str) -> StationInfo:
    """Change this station's name, address and work phone (printed on forms; audited).

    The code and banner follow from the township and never change here.

    Raises:
        ValidationError: ``station.name_empty``, ``text.too_long``, ``phone.*``.
    """
    name, address = name.strip(), address.strip()
    if not name:
        raise ValidationError("station.name_empty", field="name")
    for field_name, value, limit in (("name", name, 100), ("address", address, 200)):
        if len(value) > limit:
            raise ValidationError("text.too_long", field=field_name, max=limit, length=len(value))
    number = normalize_phone(phone).number if phone.strip() else ""
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as session:
        station = own_station(session)
        station.name, station.address, station.phone = name, address, number
        return StationInfo(station.code, station.name, station.banner_code, station.banner_name, station.mode)


@dataclass(frozen=True)
class StationDetails:
    """This station as the settings screen shows it."""

    info: StationInfo
    address: str
    phone: str


def station_details(db: Database, actor: Actor) -> StationDetails:
    """This station's code, names, address and work phone."""
    with reading(db, actor, Permission.READ) as session:
        st = own_station(session)
        return StationDetails(StationInfo(st.code, st.name, st.banner_code, st.banner_name, st.mode),
                              st.address, st.phone)
