"""Registration cards and key rotation statements (DESIGN.md §6, "Keys").

- A **station card** carries the station's code, name, banner and Ed25519 public key.
  The centre registers it (``wushe centre trust``) after reading the fingerprint out of
  band, on the phone or on paper.
- A **centre card** carries the centre's name and code, its Ed25519 public key (it signs
  receipts and its card), its X25519 public key (bundles are sealed to it) and the
  32-byte pseudonym key of the de-identified profile. Stations import it
  (``wushe keys import-centre``) after checking the fingerprint of the Ed25519 key.
  The card is not public: the pseudonym key is on it.
- A **rotation statement** says "my new key is ..." and is signed by the old key.

Each is a signed envelope (:mod:`wushe_desktop.sync.envelope`), self-signed for cards.
A self-signature proves only that the card was not changed after it was made and that
its maker holds the private key; trust comes from comparing the fingerprint out of band,
which :func:`read_card` supports with ``expect_fingerprint``. The fingerprints written on
a card are recomputed from the keys when it is read.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from wushe_desktop.errors import ValidationError
from wushe_desktop.sync import envelope, keys
from wushe_desktop.sync.common import STATION_CODE_RE, is_int, is_str, is_timestamp, utc_timestamp
from wushe_desktop.sync.deidentify import PSEUDONYM_KEY_BYTES
from wushe_desktop.sync.errors import CardError, Code

STATION_CARD_KIND: Final = "wushe.card.station"
CENTRE_CARD_KIND: Final = "wushe.card.centre"
ROTATION_KIND: Final = "wushe.key_rotation"
#: Card and rotation format version written, and the newest read.
CARD_VERSION: Final = 1

#: A centre's code: its banner's 6-digit or 12-digit division code.
CENTRE_CODE_RE: Final = re.compile(r"[0-9]{6}(?:[0-9]{6})?")
_NAME_RE: Final = re.compile(r"[^\x00-\x1f\x7f]{1,100}")


@dataclass(frozen=True)
class StationCard:
    """A station's registration card.

    Attributes:
        station_code: The township's 12-digit division code.
        station_name: e.g. ``毕克齐镇社工站``.
        banner_name: e.g. ``土默特左旗``.
        signing_key: The station's raw Ed25519 public key.
        created_at: When the card was made (UTC, ``YYYY-MM-DDTHH:MM:SSZ``); empty
            before it is written.
    """

    station_code: str
    station_name: str
    banner_name: str
    signing_key: bytes
    created_at: str = ""

    @property
    def fingerprint(self) -> str:
        """The fingerprint read aloud: of the station's Ed25519 key."""
        return keys.fingerprint(self.signing_key)


@dataclass(frozen=True)
class CentreCard:
    """A centre's card.

    Attributes:
        centre_code: The banner's division code (6 or 12 digits).
        centre_name: e.g. ``土默特左旗社会工作服务中心``.
        signing_key: Raw Ed25519 public key (receipts, this card, rotations).
        box_key: Raw X25519 public key that bundles are sealed to.
        pseudonym_key: The 32-byte key of the de-identified profile's keyed hashes.
        created_at: When the card was made; empty before it is written.
    """

    centre_code: str
    centre_name: str
    signing_key: bytes
    box_key: bytes
    pseudonym_key: bytes
    created_at: str = ""

    @property
    def fingerprint(self) -> str:
        """The fingerprint read aloud: of the centre's Ed25519 key."""
        return keys.fingerprint(self.signing_key)

    @property
    def box_fingerprint(self) -> str:
        """Fingerprint of the X25519 key (bundles name it as their recipient)."""
        return keys.fingerprint(self.box_key)


Card = StationCard | CentreCard


@dataclass(frozen=True)
class Rotation:
    """A verified key rotation statement: ``old_key`` hands over to ``new_key``.

    Attributes:
        code: The station's (or centre's) code.
        old_key: The raw Ed25519 public key that signed the statement.
        new_key: The raw Ed25519 public key that replaces it.
        rotated_at: When (UTC, ``YYYY-MM-DDTHH:MM:SSZ``).
    """

    code: str
    old_key: bytes
    new_key: bytes
    rotated_at: str

    @property
    def old_fingerprint(self) -> str:
        """Fingerprint of the old key."""
        return keys.fingerprint(self.old_key)

    @property
    def new_fingerprint(self) -> str:
        """Fingerprint of the new key."""
        return keys.fingerprint(self.new_key)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key(value: object, length: int = keys.KEY_BYTES) -> bytes | None:
    """A base64 field decoded to exactly ``length`` bytes, or ``None``."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if len(raw) == length else None


def write_card(card: Card, signing_key: bytes, *, created_at: datetime | None = None) -> bytes:
    """Write a self-signed card.

    Args:
        card: The card; its ``signing_key`` must be the public key of ``signing_key``.
            Its ``created_at`` is ignored: the card gets ``created_at`` (default: now).
        signing_key: The 32-byte Ed25519 private seed of the station or centre.
        created_at: When the card is made; time-zone aware.

    Returns:
        The card file's bytes.

    Raises:
        ValueError: The key does not match the card, or a field is malformed.
    """
    if keys.public_key_of(signing_key) != card.signing_key:
        raise ValueError("signing_key is not the card's key")
    body: dict[str, Any] = {"card_version": CARD_VERSION, "created_at": utc_timestamp(created_at),
                            "signing_key": _b64(card.signing_key), "fingerprint": card.fingerprint}
    if isinstance(card, StationCard):
        kind = STATION_CARD_KIND
        body |= {"station_code": card.station_code, "station_name": card.station_name,
                 "banner_name": card.banner_name}
    else:
        kind = CENTRE_CARD_KIND
        if len(card.box_key) != keys.KEY_BYTES or len(card.pseudonym_key) != PSEUDONYM_KEY_BYTES:
            raise ValueError("box and pseudonym keys are 32 bytes")
        body |= {"centre_code": card.centre_code, "centre_name": card.centre_name,
                 "box_key": _b64(card.box_key), "box_fingerprint": card.box_fingerprint,
                 "pseudonym_key": _b64(card.pseudonym_key)}
    problem = _card_problem(kind, body)
    if problem is not None:
        raise ValueError(f"bad card field {problem}")
    return envelope.seal(kind, body, signing_key)


def _card_problem(kind: str, body: Mapping[str, Any]) -> str | None:
    checks: list[tuple[str, bool]] = [
        ("created_at", is_timestamp(body.get("created_at"))),
        ("signing_key", _key(body.get("signing_key")) is not None),
    ]
    if kind == STATION_CARD_KIND:
        checks += [
            ("station_code", is_str(body.get("station_code"), STATION_CODE_RE)),
            ("station_name", is_str(body.get("station_name"), _NAME_RE)),
            ("banner_name", is_str(body.get("banner_name"), _NAME_RE)),
        ]
    else:
        checks += [
            ("centre_code", is_str(body.get("centre_code"), CENTRE_CODE_RE)),
            ("centre_name", is_str(body.get("centre_name"), _NAME_RE)),
            ("box_key", _key(body.get("box_key")) is not None),
            ("pseudonym_key", _key(body.get("pseudonym_key"), PSEUDONYM_KEY_BYTES) is not None),
        ]
    for name, ok in checks:
        if not ok:
            return name
    return None


def _expected(fingerprint: str | None) -> str | None:
    if fingerprint is None:
        return None
    try:
        return keys.normalize_fingerprint(fingerprint)
    except ValueError as exc:
        raise ValidationError("fingerprint.invalid", field="fingerprint") from exc


def read_card(data: bytes, *, expect_fingerprint: str | None = None) -> Card:
    """Verify a card's self-signature, parse it and recompute its fingerprints.

    Args:
        data: The card file's bytes.
        expect_fingerprint: The fingerprint read out of band (any spelling
            :func:`~wushe_desktop.sync.keys.normalize_fingerprint` accepts); the card's
            Ed25519 key must have it.

    Returns:
        A :class:`StationCard` or a :class:`CentreCard`.

    Raises:
        CardError: ``card.invalid``, ``card.signature``, ``card.format_version``,
            ``card.fingerprint`` (a written fingerprint does not match its key) or
            ``card.unexpected_fingerprint``.
        ValidationError: ``expect_fingerprint`` is not a fingerprint (code
            ``fingerprint.invalid``).
    """
    expected = _expected(expect_fingerprint)
    try:
        opened = envelope.open_envelope(data, frozenset({STATION_CARD_KIND, CENTRE_CARD_KIND}))
    except envelope.EnvelopeSignature as exc:
        raise CardError(Code.CARD_SIGNATURE, str(exc)) from exc
    except envelope.EnvelopeInvalid as exc:
        raise CardError(Code.CARD_INVALID, str(exc)) from exc
    body = opened.body
    version = body.get("card_version")
    if not is_int(version, 1):
        raise CardError(Code.CARD_INVALID, "bad card_version")
    if version > CARD_VERSION:
        raise CardError(Code.CARD_FORMAT_VERSION, "upgrade this installation", found=version, supported=CARD_VERSION)
    problem = _card_problem(opened.kind, body)
    if problem is not None:
        raise CardError(Code.CARD_INVALID, "bad field", name=problem)
    signing_key = _key(body["signing_key"])
    if signing_key != opened.public_key:
        raise CardError(Code.CARD_INVALID, "the card names another key than the one that signed it")
    if body.get("fingerprint") != keys.fingerprint(signing_key):
        raise CardError(Code.CARD_FINGERPRINT, "written fingerprint does not match the key")
    card: Card
    if opened.kind == STATION_CARD_KIND:
        card = StationCard(body["station_code"], body["station_name"], body["banner_name"], signing_key,
                           body["created_at"])
    else:
        box_key = _key(body["box_key"])
        pseudonym_key = _key(body["pseudonym_key"], PSEUDONYM_KEY_BYTES)
        assert box_key is not None and pseudonym_key is not None  # checked by _card_problem
        if body.get("box_fingerprint") != keys.fingerprint(box_key):
            raise CardError(Code.CARD_FINGERPRINT, "written box fingerprint does not match the key")
        card = CentreCard(body["centre_code"], body["centre_name"], signing_key, box_key, pseudonym_key,
                          body["created_at"])
    if expected is not None and card.fingerprint != expected:
        raise CardError(Code.CARD_UNEXPECTED_FINGERPRINT, "not the fingerprint read out",
                        found=card.fingerprint, expected=expected)
    return card


def read_station_card(data: bytes, *, expect_fingerprint: str | None = None) -> StationCard:
    """:func:`read_card` for a station card only (``card.invalid`` for a centre card)."""
    card = read_card(data, expect_fingerprint=expect_fingerprint)
    if not isinstance(card, StationCard):
        raise CardError(Code.CARD_INVALID, "a centre card where a station card was expected")
    return card


def read_centre_card(data: bytes, *, expect_fingerprint: str | None = None) -> CentreCard:
    """:func:`read_card` for a centre card only (``card.invalid`` for a station card)."""
    card = read_card(data, expect_fingerprint=expect_fingerprint)
    if not isinstance(card, CentreCard):
        raise CardError(Code.CARD_INVALID, "a station card where a centre card was expected")
    return card


def sign_rotation(
    *, code: str, old_signing_key: bytes, new_public_key: bytes, rotated_at: datetime | None = None
) -> bytes:
    """A statement, signed by the old key, that ``new_public_key`` replaces it.

    Args:
        code: The station's (or centre's) code.
        old_signing_key: The old 32-byte Ed25519 private seed.
        new_public_key: The new raw Ed25519 public key.
        rotated_at: When (default: now); time-zone aware.

    Returns:
        The statement file's bytes.

    Raises:
        ValueError: Malformed arguments, or the new key equals the old.
    """
    old_public = keys.public_key_of(old_signing_key)
    if len(new_public_key) != keys.KEY_BYTES or new_public_key == old_public:
        raise ValueError("the new key must be another 32-byte public key")
    if not (STATION_CODE_RE.fullmatch(code) or CENTRE_CODE_RE.fullmatch(code)):
        raise ValueError("bad code")
    body = {
        "card_version": CARD_VERSION,
        "code": code,
        "old_key": _b64(old_public),
        "old_fingerprint": keys.fingerprint(old_public),
        "new_key": _b64(new_public_key),
        "new_fingerprint": keys.fingerprint(new_public_key),
        "rotated_at": utc_timestamp(rotated_at),
    }
    return envelope.seal(ROTATION_KIND, body, old_signing_key)


def verify_rotation(data: bytes, old_public_key: bytes) -> Rotation:
    """Verify a rotation statement against the key registered now.

    Args:
        data: The statement file's bytes.
        old_public_key: The raw Ed25519 public key currently registered.

    Returns:
        The rotation.

    Raises:
        CardError: ``rotation.invalid``, ``rotation.wrong_key`` (signed by another key
            than ``old_public_key``) or ``rotation.signature``.
    """
    try:
        opened = envelope.open_envelope(data, ROTATION_KIND, expected_key=old_public_key)
    except envelope.EnvelopeWrongKey as exc:
        raise CardError(Code.ROTATION_WRONG_KEY, str(exc)) from exc
    except envelope.EnvelopeSignature as exc:
        raise CardError(Code.ROTATION_SIGNATURE, str(exc)) from exc
    except envelope.EnvelopeInvalid as exc:
        raise CardError(Code.ROTATION_INVALID, str(exc)) from exc
    body = opened.body
    version = body.get("card_version")
    if not is_int(version, 1) or version > CARD_VERSION:
        raise CardError(Code.ROTATION_INVALID, "unsupported version", found=str(version)[:20])
    old_key, new_key = _key(body.get("old_key")), _key(body.get("new_key"))
    code = body.get("code")
    if (
        old_key != opened.public_key
        or new_key is None
        or new_key == old_key
        or not isinstance(code, str)
        or not (STATION_CODE_RE.fullmatch(code) or CENTRE_CODE_RE.fullmatch(code))
        or not is_timestamp(body.get("rotated_at"))
        or body.get("old_fingerprint") != keys.fingerprint(opened.public_key)
        or body.get("new_fingerprint") != keys.fingerprint(new_key)
    ):
        raise CardError(Code.ROTATION_INVALID, "bad field")
    return Rotation(code, opened.public_key, new_key, body["rotated_at"])
