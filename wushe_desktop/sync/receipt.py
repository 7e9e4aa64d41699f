"""Signed receipts (回执): what the centre holds for a station after accepting a bundle.

The centre writes one receipt per accepted bundle, signed with its Ed25519 key; the
station imports it to learn the centre's high-water marks: the highest row version and
bundle sequence received, the highest record numbers (case, volunteer, activity,
certificate, ledger sequences) and the audit chain head. Incremental exports start above
the newest receipt's row version, and after a restore numbering continues above its
sequences (DESIGN.md §5, §11).

A receipt is a signed envelope (:mod:`wushe_desktop.sync.envelope`) of kind
``wushe.receipt``; docs/bundle-format.md gives the body's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from wushe_desktop.sync import envelope, keys
from wushe_desktop.sync.common import (
    LABEL_RE,
    SHA256_RE,
    STATION_CODE_RE,
    AuditHead,
    is_int,
    is_str,
    is_timestamp,
    utc_timestamp,
)
from wushe_desktop.sync.errors import Code, ReceiptError

RECEIPT_KIND: Final = "wushe.receipt"
#: Receipt format version written, and the newest read.
RECEIPT_VERSION: Final = 1
#: Most record-number sequences a receipt carries.
MAX_SEQUENCES: Final = 1000


@dataclass(frozen=True)
class HighWater:
    """What the centre holds for one station, after the bundle was imported.

    Attributes:
        row_version: Highest ``row_version`` received from the station.
        bundle_sequence: Highest bundle sequence number imported.
        number_sequences: Highest record numbers issued, by sequence key (the services
            choose the keys, e.g. ``"case/2025"``: printable ASCII, at most 64 chars).
        audit_head: The station's audit chain head as of the newest bundle.
    """

    row_version: int
    bundle_sequence: int
    number_sequences: Mapping[str, int]
    audit_head: AuditHead

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready form."""
        return {
            "row_version": self.row_version,
            "bundle_sequence": self.bundle_sequence,
            "number_sequences": dict(self.number_sequences),
            "audit_head": self.audit_head.to_json(),
        }


@dataclass(frozen=True)
class Receipt:
    """A verified receipt.

    Attributes:
        format_version: Receipt format version (1).
        station_code: The station the bundle came from.
        centre_key_fingerprint: Fingerprint of the centre's Ed25519 key that signed it.
        bundle_sha256: SHA-256 of the accepted bundle file.
        bundle_sequence: That bundle's sequence number.
        high_water: What the centre holds for the station now.
        received_at: UTC time of the import, ``YYYY-MM-DDTHH:MM:SSZ``.
    """

    format_version: int
    station_code: str
    centre_key_fingerprint: str
    bundle_sha256: str
    bundle_sequence: int
    high_water: HighWater
    received_at: str


def _sequences_ok(value: object) -> bool:
    return (
        isinstance(value, dict)
        and len(value) <= MAX_SEQUENCES
        and all(is_str(k, LABEL_RE) and is_int(v) for k, v in value.items())
    )


def write_receipt(
    *,
    station_code: str,
    bundle_sha256: str,
    bundle_sequence: int,
    high_water: HighWater,
    signing_key: bytes,
    received_at: datetime | None = None,
) -> bytes:
    """Write a receipt signed with the centre's Ed25519 key.

    Args:
        station_code: The station's 12-digit code.
        bundle_sha256: SHA-256 (hex) of the accepted bundle file.
        bundle_sequence: Its sequence number.
        high_water: The centre's high-water marks for the station after the import.
        signing_key: The centre's 32-byte Ed25519 private seed.
        received_at: Import time (default: now); time-zone aware.

    Returns:
        The receipt file's bytes (a few hundred).

    Raises:
        ValueError: A field is malformed (a bug in the caller).
    """
    body = {
        "format_version": RECEIPT_VERSION,
        "station_code": station_code,
        "centre_key_fingerprint": keys.fingerprint(keys.public_key_of(signing_key)),
        "bundle_sha256": bundle_sha256,
        "bundle_sequence": bundle_sequence,
        "high_water": high_water.to_json(),
        "received_at": utc_timestamp(received_at),
    }
    problem = _problem(body)
    if problem is not None:
        raise ValueError(f"bad receipt field {problem}")
    return envelope.seal(RECEIPT_KIND, body, signing_key)


def _problem(body: Mapping[str, Any]) -> str | None:
    high = body.get("high_water")
    checks: list[tuple[str, bool]] = [
        ("station_code", is_str(body.get("station_code"), STATION_CODE_RE)),
        ("centre_key_fingerprint", isinstance(body.get("centre_key_fingerprint"), str)
         and keys.is_fingerprint(body["centre_key_fingerprint"])),
        ("bundle_sha256", is_str(body.get("bundle_sha256"), SHA256_RE)),
        ("bundle_sequence", is_int(body.get("bundle_sequence"), 1)),
        ("high_water", isinstance(high, dict)
         and set(high) == {"row_version", "bundle_sequence", "number_sequences", "audit_head"}
         and is_int(high["row_version"]) and is_int(high["bundle_sequence"], 1)
         and _sequences_ok(high["number_sequences"])),
        ("received_at", is_timestamp(body.get("received_at"))),
    ]
    for name, ok in checks:
        if not ok:
            return name
    assert isinstance(high, dict)
    try:
        AuditHead.from_json(high["audit_head"])
    except ValueError:
        return "high_water"
    return None


def read_receipt(data: bytes, centre_public_key: bytes, *, station_code: str | None = None) -> Receipt:
    """Verify a receipt's signature, then parse it.

    Args:
        data: The receipt file's bytes.
        centre_public_key: The centre's Ed25519 public key (from its card).
        station_code: When given, the receipt must be for this station.

    Returns:
        The receipt.

    Raises:
        ReceiptError: ``receipt.invalid``, ``receipt.wrong_centre`` (signed by another
            key), ``receipt.signature``, ``receipt.format_version`` (newer than this
            code) or ``receipt.wrong_station``.
    """
    try:
        opened = envelope.open_envelope(data, RECEIPT_KIND, expected_key=centre_public_key)
    except envelope.EnvelopeWrongKey as exc:
        raise ReceiptError(Code.RECEIPT_WRONG_CENTRE, str(exc)) from exc
    except envelope.EnvelopeSignature as exc:
        raise ReceiptError(Code.RECEIPT_SIGNATURE, str(exc)) from exc
    except envelope.EnvelopeInvalid as exc:
        raise ReceiptError(Code.RECEIPT_INVALID, str(exc)) from exc
    body = opened.body
    version = body.get("format_version")
    if not is_int(version, 1):
        raise ReceiptError(Code.RECEIPT_INVALID, "bad format_version")
    if version > RECEIPT_VERSION:
        raise ReceiptError(Code.RECEIPT_FORMAT_VERSION, "upgrade the station", found=version,
                           supported=RECEIPT_VERSION)
    problem = _problem(body)
    if problem is not None:
        raise ReceiptError(Code.RECEIPT_INVALID, "bad field", name=problem)
    if body["centre_key_fingerprint"] != keys.fingerprint(opened.public_key):
        raise ReceiptError(Code.RECEIPT_INVALID, "fingerprint does not match the signing key")
    if station_code is not None and body["station_code"] != station_code:
        raise ReceiptError(Code.RECEIPT_WRONG_STATION, "receipt for another station", found=body["station_code"])
    high = body["high_water"]
    return Receipt(
        format_version=version,
        station_code=body["station_code"],
        centre_key_fingerprint=body["centre_key_fingerprint"],
        bundle_sha256=body["bundle_sha256"],
        bundle_sequence=body["bundle_sequence"],
        high_water=HighWater(
            row_version=high["row_version"],
            bundle_sequence=high["bundle_sequence"],
            number_sequences=dict(high["number_sequences"]),
            audit_head=AuditHead.from_json(high["audit_head"]),
        ),
        received_at=body["received_at"],
    )
