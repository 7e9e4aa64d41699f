"""Pieces shared by bundles, receipts and cards: canonical JSON, strict parsing, checks.

Canonical JSON (docs/bundle-format.md, "Canonical JSON") is what every signed document
is serialised to, once: keys sorted, no whitespace, ASCII only (anything beyond ASCII is
written as ``\\uXXXX``), no NaN or infinities. Because it is ASCII, no Chinese text can
be found in it by searching for UTF-8 or GB18030 bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, TypeGuard

#: Station and township codes: the 12-digit statistical division code.
STATION_CODE_RE: Final = re.compile(r"[0-9]{12}")
#: A lower-case hex SHA-256 digest.
SHA256_RE: Final = re.compile(r"[0-9a-f]{64}")
#: Table names in payload lines and table counts.
TABLE_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,62}")
#: A UTC timestamp as written in signed documents (whole seconds).
TIMESTAMP_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
#: Short printable-ASCII labels (schema revisions, sequence keys).
LABEL_RE: Final = re.compile(r"[\x21-\x7e]{1,64}")
#: Largest integer the formats carry (signed 64-bit; row versions are ``epoch << 40 | n``).
MAX_INT: Final = 2**63 - 1


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` to canonical JSON bytes (sorted keys, no spaces, ASCII).

    Raises:
        TypeError: A value is not JSON-ready.
        ValueError: A float is NaN or infinite.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.encode("ascii")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def strict_loads(data: bytes) -> Any:
    """Parse a small JSON document strictly: UTF-8, no duplicate keys, no NaN.

    Raises:
        ValueError: The bytes are not such a document (``UnicodeDecodeError`` and
            ``json.JSONDecodeError`` are subclasses).
    """
    text = data.decode("utf-8")
    return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)


def utc_timestamp(moment: datetime | None = None) -> str:
    """``moment`` (default: now) as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC.

    Raises:
        ValueError: ``moment`` is naive (has no time zone).
    """
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be time-zone aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_timestamp(value: object) -> bool:
    """Whether ``value`` is a timestamp written by :func:`utc_timestamp`."""
    if not isinstance(value, str) or TIMESTAMP_RE.fullmatch(value) is None:
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def is_int(value: object, minimum: int = 0, maximum: int = MAX_INT) -> TypeGuard[int]:
    """Whether ``value`` is an ``int`` (not a ``bool``) within ``[minimum, maximum]``."""
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def is_str(value: object, pattern: re.Pattern[str]) -> TypeGuard[str]:
    """Whether ``value`` is a ``str`` matching ``pattern`` whole."""
    return isinstance(value, str) and pattern.fullmatch(value) is not None


@dataclass(frozen=True)
class AuditHead:
    """The head of the station's hash-chained audit log: last row's ``seq`` and ``hash``.

    A log with no rows has ``seq`` 0 and a hash of 64 zeros (docs/decisions.md §5).
    """

    seq: int
    hash: str

    def __post_init__(self) -> None:
        if not is_int(self.seq) or not is_str(self.hash, SHA256_RE):
            raise ValueError("an audit head is (seq >= 0, 64 lower-case hex digits)")

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready form ``{"hash": ..., "seq": ...}``."""
        return {"seq": self.seq, "hash": self.hash}

    @classmethod
    def from_json(cls, value: object) -> AuditHead:
        """Read the JSON form.

        Raises:
            ValueError: ``value`` is not a valid audit head.
        """
        if not isinstance(value, Mapping) or set(value) != {"seq", "hash"}:
            raise ValueError("an audit head has exactly seq and hash")
        return cls(value["seq"], value["hash"])


#: The head of an empty audit log.
EMPTY_AUDIT_HEAD: Final = AuditHead(0, "0" * 64)
