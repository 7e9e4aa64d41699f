"""Coded errors of the sync layer: bundles, receipts, cards and key rotations.

Every refusal carries a stable ``code`` (a :class:`Code` member, which is a ``str``)
that the GUI and the command line turn into one plain sentence. ``params`` hold values a
message may quote (sizes, limits, version numbers, station codes); never personal data.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from wushe_desktop.errors import WusheError


class Code(StrEnum):
    """Every code the sync layer raises (docs/bundle-format.md, "Error codes")."""

    # Container and limits.
    UNREADABLE = "bundle.unreadable"
    TOO_LARGE = "bundle.too_large"
    NOT_ZIP = "bundle.not_zip"
    TRUNCATED = "bundle.truncated"
    CONTAINER = "bundle.container"
    MEMBER_PATH = "bundle.member_path"
    DUPLICATE_MEMBER = "bundle.duplicate_member"
    MEMBERS = "bundle.members"
    HEADER_MISMATCH = "bundle.header_mismatch"
    MANIFEST_TOO_LARGE = "bundle.manifest_too_large"
    # Signature and trust.
    SIGNATURE = "bundle.signature"
    DEMO_STATION = "bundle.demo_station"
    UNKNOWN_STATION = "bundle.unknown_station"
    UNKNOWN_KEY = "bundle.unknown_key"
    KEY_REVOKED = "bundle.key_revoked"
    # The signed manifest.
    MANIFEST_INVALID = "bundle.manifest_invalid"
    FORMAT_VERSION = "bundle.format_version"
    SUITE = "bundle.suite"
    WRONG_CENTRE = "bundle.wrong_centre"
    SCHEMA_UNKNOWN = "bundle.schema_unknown"
    # The payload.
    PAYLOAD_HASH = "bundle.payload_hash"
    DECRYPT = "bundle.decrypt"
    DECOMPRESSION_BOMB = "bundle.decompression_bomb"
    PAYLOAD_INVALID = "bundle.payload_invalid"
    FOREIGN_ROWS = "bundle.foreign_rows"
    TABLE_COUNTS = "bundle.table_counts"
    CHANGED = "bundle.changed"
    # Receipts (回执).
    RECEIPT_INVALID = "receipt.invalid"
    RECEIPT_SIGNATURE = "receipt.signature"
    RECEIPT_WRONG_CENTRE = "receipt.wrong_centre"
    RECEIPT_WRONG_STATION = "receipt.wrong_station"
    RECEIPT_FORMAT_VERSION = "receipt.format_version"
    # Registration cards and key rotation statements.
    CARD_INVALID = "card.invalid"
    CARD_SIGNATURE = "card.signature"
    CARD_FINGERPRINT = "card.fingerprint"
    CARD_UNEXPECTED_FINGERPRINT = "card.unexpected_fingerprint"
    CARD_FORMAT_VERSION = "card.format_version"
    ROTATION_INVALID = "rotation.invalid"
    ROTATION_SIGNATURE = "rotation.signature"
    ROTATION_WRONG_KEY = "rotation.wrong_key"


#: The importer's checks in the order it runs them; it stops at the first failure.
#: (A ``manifest.sig`` too malformed to name a key, or naming an unknown suite, is refused
#: with ``bundle.signature`` / ``bundle.suite`` as soon as it is read, before the trust
#: look-up.)
CHECK_ORDER: Final[tuple[Code, ...]] = (
    Code.UNREADABLE,
    Code.TOO_LARGE,
    Code.NOT_ZIP,
    Code.TRUNCATED,
    Code.CONTAINER,
    Code.MEMBER_PATH,
    Code.DUPLICATE_MEMBER,
    Code.MEMBERS,
    Code.HEADER_MISMATCH,
    Code.MANIFEST_TOO_LARGE,
    Code.DEMO_STATION,
    Code.UNKNOWN_STATION,
    Code.UNKNOWN_KEY,
    Code.KEY_REVOKED,
    Code.SIGNATURE,
    Code.MANIFEST_INVALID,
    Code.FORMAT_VERSION,
    Code.SUITE,
    Code.WRONG_CENTRE,
    Code.SCHEMA_UNKNOWN,
    Code.PAYLOAD_HASH,
    Code.DECRYPT,
    Code.DECOMPRESSION_BOMB,
    Code.PAYLOAD_INVALID,
    Code.FOREIGN_ROWS,
    Code.TABLE_COUNTS,
    Code.CHANGED,
)


class SyncError(WusheError):
    """A sync file (bundle, receipt, card, rotation statement) was refused."""

    default_code = "sync"

    def __init__(self, code: Code, detail: str | None = None, **params: Any) -> None:
        super().__init__(str(code), None, detail, **params)


class BundleError(SyncError):
    """A bundle (``.wsb``) was refused, whole; nothing from it may be imported."""

    default_code = "bundle"


class ReceiptError(SyncError):
    """A receipt (回执) was refused."""

    default_code = "receipt"


class CardError(SyncError):
    """A registration card or a key rotation statement was refused."""

    default_code = "card"
