"""Keys of this database: fingerprints, registration cards, the centre's card, rotation.

Where keys live (docs/decisions.md §6): public keys in the database (``station_key``; a
station also keeps the centre's card in ``centre_key``), private keys in the data folder
beside the database, readable by the owner only, never in the database or a backup:

- ``keys/<code>.ed25519``: the Ed25519 signing key (stations sign bundles and cards with
  it; a centre signs receipts and its card);
- ``keys/<code>.x25519``: a centre's X25519 key, to which stations seal their bundles;
- ``keys/<code>.pseudonym``: a centre's 32-byte pseudonym key of the ``deidentified``
  export profile (it travels on the centre's card, which is handed to stations only).

Cards are small signed files (docs/bundle-format.md §9). A station's card is what the
centre registers (``wushe centre trust``); a centre's card is what stations import
(:func:`import_centre_card`). :func:`rotate_keys` makes a new signing key pair and, when
the old private key is still on this PC, a rotation statement signed by the old key.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import StationMode
from wushe_desktop.errors import ConfigError, StateError
from wushe_desktop.services.context import Actor, own_station, transaction
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.station import key_path_for
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import CentreKey, StationKey
from wushe_desktop.storage.tracking import AuditEntry, append_audit
from wushe_desktop.sync import cards, keys
from wushe_desktop.sync.deidentify import PSEUDONYM_KEY_BYTES
from wushe_desktop.sync.envelope import MAX_ENVELOPE_BYTES
from wushe_desktop.sync.errors import CardError, Code

__all__ = [
    "CardResult",
    "CentreCardResult",
    "KeyInfo",
    "RotationResult",
    "active_centre_key",
    "box_key_path_for",
    "box_private_key",
    "export_card",
    "import_centre_card",
    "preview_centre_card",
    "pseudonym_key",
    "pseudonym_key_path_for",
    "read_small_file",
    "rotate_keys",
    "show_keys",
    "signing_private_key",
    "write_file_atomically",
]


@dataclass(frozen=True)
class KeyInfo:
    """This database's station/centre, its key fingerprints and (at a station) its centre.

    Attributes:
        code: The station's (or centre's) code.
        name: Its name.
        fingerprint: Fingerprint of the active Ed25519 signing key (read aloud).
        mode: Station or centre.
        private_key_present: Whether this PC holds the matching private signing key.
        box_fingerprint: At a centre: fingerprint of its X25519 key (bundles name it).
        centre_name: At a station: the imported centre card's name ("" if none).
        centre_code: ... its code.
        centre_fingerprint: ... the fingerprint of its Ed25519 key.
        centre_box_fingerprint: ... the fingerprint of its X25519 key.
    """

    code: str
    name: str
    fingerprint: str
    mode: StationMode = StationMode.STATION
    private_key_present: bool = True
    box_fingerprint: str = ""
    centre_name: str = ""
    centre_code: str = ""
    centre_fingerprint: str = ""
    centre_box_fingerprint: str = ""


@dataclass(frozen=True)
class CardResult:
    """A card written by :func:`export_card`.

    Attributes:
        path: The card file.
        kind: ``station`` or ``centre``.
        code: Whose card.
        name: Its name.
        fingerprint: The fingerprint to read out (of the Ed25519 key).
        box_fingerprint: A centre card's X25519 fingerprint ("" for a station).
    """

    path: Path
    kind: str
    code: str
    name: str
    fingerprint: str
    box_fingerprint: str = ""


@dataclass(frozen=True)
class CentreCardResult:
    """The outcome of :func:`import_centre_card`.

    Attributes:
        centre_code: The centre's code.
        centre_name: Its name.
        fingerprint: Fingerprint of its Ed25519 key (compare it with the one read out).
        box_fingerprint: Fingerprint of its X25519 key.
        unchanged: The same card was already imported; nothing changed.
        replaced_fingerprint: The fingerprint of the card it replaced ("" if none).
    """

    centre_code: str
    centre_name: str
    fingerprint: str
    box_fingerprint: str
    unchanged: bool = False
    replaced_fingerprint: str = ""


@dataclass(frozen=True)
class RotationResult:
    """The outcome of :func:`rotate_keys`.

    Attributes:
        old_fingerprint: The key that was active ("" if none).
        new_fingerprint: The new active key.
        statement_path: The rotation statement signed by the old key, or ``None`` when the
            old private key was not on this PC (then the new card must be registered after
            a phone check of its fingerprint).
        card_path: The new card.
    """

    old_fingerprint: str
    new_fingerprint: str
    statement_path: Path | None
    card_path: Path


# --- key files ------------------------------------------------------------------------


def _key_folder(db: Database) -> Path:
    return key_path_for(db, "x").parent


def box_key_path_for(db: Database, code: str) -> Path:
    """Where a centre's X25519 private key lives (beside the database)."""
    return _key_folder(db) / f"{code}.x25519"


def pseudonym_key_path_for(db: Database, code: str) -> Path:
    """Where a centre's pseudonym key lives (beside the database)."""
    return _key_folder(db) / f"{code}.pseudonym"


def _read_key_file(path: Path, code: str) -> bytes:
    try:
        raw = keys.read_private_key(path)
    except (OSError, ValueError) as exc:
        raise ConfigError("keys.private_missing", detail=f"{path}: {type(exc).__name__}", code=code) from exc
    if len(raw) != keys.KEY_BYTES:
        raise ConfigError("keys.private_missing", detail=f"{path}: wrong length", code=code)
    return raw


def _active_public_key(session: Session) -> bytes | None:
    value = session.scalar(select(StationKey.public_key).where(StationKey.active.is_(True)))
    return bytes(value) if value is not None else None


def signing_private_key(db: Database, session: Session, code: str) -> bytes:
    """This database's private Ed25519 key, checked against its active public key.

    Raises:
        ConfigError: ``keys.private_missing``: no key file on this PC, or one that is not
            this database's active key (a restore on a new PC; make a new key pair).
    """
    private = _read_key_file(key_path_for(db, code), code)
    if keys.public_key_of(private) != _active_public_key(session):
        raise ConfigError("keys.private_missing", detail="the key file is not the active key", code=code)
    return private


def box_private_key(db: Database, code: str) -> bytes:
    """A centre's X25519 private key (``keys.private_missing`` when absent)."""
    return _read_key_file(box_key_path_for(db, code), code)


def pseudonym_key(db: Database, code: str) -> bytes:
    """A centre's pseudonym key (``keys.private_missing`` when absent)."""
    raw = _read_key_file(pseudonym_key_path_for(db, code), code)
    if len(raw) != PSEUDONYM_KEY_BYTES:
        raise ConfigError("keys.private_missing", detail="bad pseudonym key", code=code)
    return raw


def _private_key_present(db: Database, session: Session, code: str) -> bool:
    try:
        signing_private_key(db, session, code)
    except ConfigError:
        return False
    return True


def active_centre_key(session: Session) -> CentreKey | None:
    """The centre card this station imported last (``None`` before the first)."""
    return session.scalars(select(CentreKey).where(CentreKey.active.is_(True))
                           .order_by(CentreKey.id.desc())).first()


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write a small file through a temporary file beside it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# --- show ------------------------------------------------------------------------------


def show_keys(db: Database) -> KeyInfo:
    """The active key's fingerprint and what goes with it (``wushe keys show``)."""
    with db.read_sessions() as s:
        st = own_station(s)
        fp = s.scalar(select(StationKey.fingerprint).where(StationKey.active.is_(True))) or ""
        present = _private_key_present(db, s, st.code)
        if st.mode == StationMode.CENTRE:
            try:
                box_fp = keys.fingerprint(keys.box_public_key_of(box_private_key(db, st.code)))
            except ConfigError:
                box_fp = ""
            return KeyInfo(st.code, st.name, fp, st.mode, present, box_fingerprint=box_fp)
        centre = active_centre_key(s)
        if centre is None:
            return KeyInfo(st.code, st.name, fp, st.mode, present)
        return KeyInfo(st.code, st.name, fp, st.mode, present, centre_name=centre.centre_name,
                       centre_code=centre.centre_code, centre_fingerprint=centre.fingerprint,
                       centre_box_fingerprint=centre.box_fingerprint)


# --- cards -----------------------------------------------------------------------------


def _card_name(code: str, mode: StationMode) -> str:
    return f"{code}-{'centre' if mode == StationMode.CENTRE else 'station'}.card"


def _card_of(db: Database, session: Session) -> tuple[cards.Card, bytes]:
    """This database's card and the private key that signs it."""
    st = own_station(session)
    private = signing_private_key(db, session, st.code)
    public = keys.public_key_of(private)
    card: cards.Card
    if st.mode == StationMode.CENTRE:
        box = keys.box_public_key_of(box_private_key(db, st.code))
        card = cards.CentreCard(st.code, st.name, public, box, pseudonym_key(db, st.code))
    else:
        card = cards.StationCard(st.code, st.name, st.banner_name, public)
    return card, private


def export_card(db: Database, actor: Actor, out: Path, *, now: datetime | None = None) -> CardResult:
    """Write this database's registration card (a station's, or a centre's).

    Args:
        db: The database.
        actor: Who exports it (needs ``export``).
        out: The card file, or a folder (then ``<code>-station.card`` /
            ``<code>-centre.card`` in it).
        now: The card's time (default: now).

    Returns:
        Where the card went and the fingerprint to read out.

    Raises:
        ConfigError: ``keys.private_missing``.
        OSError: The file cannot be written.
    """
    with transaction(db, actor, Permission.EXPORT) as session:
        st = own_station(session)
        card, private = _card_of(db, session)
        data = cards.write_card(card, private, created_at=now)
        path = out / _card_name(st.code, st.mode) if out.is_dir() else out
        write_file_atomically(path, data)
        kind = "centre" if isinstance(card, cards.CentreCard) else "station"
        box_fp = card.box_fingerprint if isinstance(card, cards.CentreCard) else ""
        append_audit(session, AuditEntry("card", "key", "", {"kind": kind, "fingerprint": card.fingerprint}))
        return CardResult(path, kind, st.code, st.name, card.fingerprint, box_fp)


def import_centre_card(db: Database, actor: Actor, path: Path, *, replace: bool = False,
                       expect_fingerprint: str | None = None) -> CentreCardResult:
    """Take the centre's card: bundles are sealed to its key, its receipts are believed.

    Args:
        db: A station database.
        actor: Who imports it (needs ``manage_settings``).
        path: The centre card file.
        replace: Replace a centre card already imported that has another key.
        expect_fingerprint: The fingerprint read out by the centre, when given.

    Returns:
        The card's centre and fingerprints (show them for confirmation).

    Raises:
        CardError: The card is not valid (``card.*``), or not the fingerprint expected.
        ConfigError: ``station.is_centre``.
        StateError: ``keys.centre_already_set``: another centre card is set and
            ``replace`` was not given (both fingerprints are in the params).
    """
    data = read_small_file(path)
    card = cards.read_centre_card(data, expect_fingerprint=expect_fingerprint)
    with transaction(db, actor, Permission.MANAGE_SETTINGS) as session:
        own_station(session, StationMode.STATION)
        current = active_centre_key(session)
        if current is not None and bytes(current.signing_key) == card.signing_key \
                and bytes(current.box_key) == card.box_key and bytes(current.pseudonym_key) == card.pseudonym_key:
            current.centre_name, current.centre_code = card.centre_name, card.centre_code
            return CentreCardResult(card.centre_code, card.centre_name, card.fingerprint, card.box_fingerprint,
                                    unchanged=True)
        replaced = ""
        if current is not None:
            if not replace:
                raise StateError("keys.centre_already_set", current=current.fingerprint, new=card.fingerprint)
            replaced = current.fingerprint
            session.execute(update(CentreKey).values(active=False))
        session.add(CentreKey(
            centre_code=card.centre_code, centre_name=card.centre_name, signing_key=card.signing_key,
            fingerprint=card.fingerprint, box_key=card.box_key, box_fingerprint=card.box_fingerprint,
            pseudonym_key=card.pseudonym_key, card_created_at=card.created_at, active=True,
        ))
        append_audit(session, AuditEntry("centre_card", "centre_key", "", {
            "centre": card.centre_code, "fingerprint": card.fingerprint, "replaced": replaced}))
        return CentreCardResult(card.centre_code, card.centre_name, card.fingerprint, card.box_fingerprint,
                                replaced_fingerprint=replaced)


def preview_centre_card(db: Database, path: Path) -> CentreCardResult:
    """Read and verify a centre card without taking it, so its fingerprint can be checked first.

    Args:
        db: A station database.
        path: The centre card file.

    Returns:
        The card's centre and fingerprints; ``unchanged`` when this very card is the one
        imported, ``replaced_fingerprint`` the imported card's when another one is set.

    Raises:
        CardError: The card is not valid (``card.*``).
        ConfigError: ``station.is_centre``.
    """
    card = cards.read_centre_card(read_small_file(path))
    with db.read_sessions() as session:
        own_station(session, StationMode.STATION)
        current = active_centre_key(session)
        same = current is not None and bytes(current.signing_key) == card.signing_key \
            and bytes(current.box_key) == card.box_key and bytes(current.pseudonym_key) == card.pseudonym_key
        return CentreCardResult(card.centre_code, card.centre_name, card.fingerprint, card.box_fingerprint,
                                unchanged=same,
                                replaced_fingerprint=current.fingerprint if current is not None and not same else "")


def read_small_file(path: Path) -> bytes:
    """A card or statement file (``card.invalid`` if it cannot be read)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_ENVELOPE_BYTES + 1)
    except OSError as exc:
        raise CardError(Code.CARD_INVALID, f"cannot read {path}: {type(exc).__name__}") from exc
    return data


# --- rotation --------------------------------------------------------------------------


def rotate_keys(db: Database, actor: Actor, out_dir: Path | None = None, *,
                now: datetime | None = None) -> RotationResult:
    """Make a new Ed25519 signing key pair and retire the old one.

    When the old private key is on this PC, a rotation statement signed with it is
    written (the centre registers the new key from it without a phone call); otherwise
    (a new PC after a restore) only the new card is written, which the centre registers
    after checking its fingerprint by phone. The new private key replaces the old one in
    ``keys/``. A centre's X25519 and pseudonym keys are not changed.

    Args:
        db: The database.
        actor: Who rotates (needs ``manage_settings``).
        out_dir: Folder for the statement and the new card (default: the database's).
        now: The time written on them (default: now).

    Returns:
        The old and new fingerprints and the files written.

    Raises:
        OSError: The key or the files cannot be written (nothing changed then).
    """
    now = now or datetime.now(UTC)
    pair = keys.generate()
    pending: Path | None = None
    try:
        with transaction(db, actor, Permission.MANAGE_SETTINGS) as session:
            st = own_station(session)
            folder = out_dir or _key_folder(db).parent
            old_public = _active_public_key(session)
            try:
                old_private: bytes | None = signing_private_key(db, session, st.code)
            except ConfigError:
                old_private = None
            stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            statement_path: Path | None = None
            if old_private is not None:
                statement = cards.sign_rotation(code=st.code, old_signing_key=old_private,
                                                new_public_key=pair.public, rotated_at=now)
                statement_path = folder / f"{st.code}-key-rotation-{stamp}.rotation"
                write_file_atomically(statement_path, statement)
            session.execute(update(StationKey).values(active=False))
            session.add(StationKey(fingerprint=pair.fingerprint, public_key=pair.public, active=True))
            session.flush()
            # The new private key goes beside the old one first; it takes the old one's
            # place only once the database says it is the active key (after the commit).
            key_file = key_path_for(db, st.code)
            pending = key_file.with_name(f"{key_file.name}.new-{secrets.token_hex(4)}")
            keys.write_private_key(pending, pair.private)
            card: cards.Card
            if st.mode == StationMode.CENTRE:
                card = cards.CentreCard(st.code, st.name, pair.public,
                                        keys.box_public_key_of(box_private_key(db, st.code)),
                                        pseudonym_key(db, st.code))
            else:
                card = cards.StationCard(st.code, st.name, st.banner_name, pair.public)
            card_path = folder / _card_name(st.code, st.mode)
            write_file_atomically(card_path, cards.write_card(card, pair.private, created_at=now))
            append_audit(session, AuditEntry("key_rotation", "key", "", {
                "old": keys.fingerprint(old_public) if old_public else "", "new": pair.fingerprint,
                "signed_by_old_key": old_private is not None}))
    except BaseException:
        if pending is not None:
            pending.unlink(missing_ok=True)
        raise
    assert pending is not None
    pending.replace(key_file)
    return RotationResult(keys.fingerprint(old_public) if old_public else "", pair.fingerprint, statement_path,
                          card_path)
