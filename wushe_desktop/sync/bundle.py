"""Signed, encrypted bundles (``.wsb``): writing and verifying (DESIGN.md §6).

A bundle is a ZIP file with exactly three stored members:

- ``manifest.json``: canonical JSON, no personal data, serialised once and shipped as is;
- ``manifest.sig``: 100 bytes naming the signing station and key, and the Ed25519
  signature of the exact bytes of ``manifest.json``;
- ``payload.bin``: the rows as JSON lines, zlib-compressed, encrypted with libsodium's
  ``crypto_secretstream_xchacha20poly1305`` under a fresh key that is sealed to the
  centre's X25519 key (``crypto_box_seal``). The manifest carries its SHA-256.

:func:`write_bundle` streams rows through compression and encryption into a temporary
file, so a whole station never sits in memory. :func:`read_bundle` runs every check, in
the order of :data:`~wushe_desktop.sync.errors.CHECK_ORDER`, before it returns; the rows
are then read again, lazily, by :meth:`VerifiedBundle.rows`. The byte-level format is in
``docs/bundle-format.md``.

This module takes data, not a session: rows come in and go out as JSON-ready dicts.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import shutil
import struct
import tempfile
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Final

import orjson
from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from wushe_desktop.sync import container, keys
from wushe_desktop.sync.common import (
    LABEL_RE,
    SHA256_RE,
    STATION_CODE_RE,
    TABLE_RE,
    AuditHead,
    canonical_json,
    is_int,
    is_str,
    is_timestamp,
    strict_loads,
    utc_timestamp,
)
from wushe_desktop.sync.deidentify import Deidentifier
from wushe_desktop.sync.errors import BundleError, Code

#: The exchange-format version this code writes and the newest it reads.
FORMAT_VERSION: Final = 1
#: The crypto suite of format 1 (room for an SM2/SM3/SM4 suite later).
SUITE: Final = "ed25519+x25519-sealedbox+xchacha20poly1305-secretstream+zlib+sha256"
#: The manifest's ``kind`` (domain separation from receipts and cards).
MANIFEST_KIND: Final = "wushe.bundle.manifest"
MANIFEST_NAME: Final = "manifest.json"
SIGNATURE_NAME: Final = "manifest.sig"
PAYLOAD_NAME: Final = "payload.bin"
MEMBER_NAMES: Final = (MANIFEST_NAME, SIGNATURE_NAME, PAYLOAD_NAME)
#: The reserved code of the throwaway demo database; centres refuse its bundles.
DEMO_STATION_CODE: Final = "150121999999"

#: Plaintext bytes per secretstream chunk (every chunk but the last is this long).
CHUNK_BYTES: Final = 64 * 1024
_ABYTES: Final = sodium.crypto_secretstream_xchacha20poly1305_ABYTES  # 17
_HEADER_BYTES: Final = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES  # 24
_SEALED_KEY_BYTES: Final = sodium.crypto_box_SEALBYTES + sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES  # 80
_TAG_MESSAGE: Final = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL: Final = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
#: Smallest possible payload: sealed key, stream header, one empty final chunk.
MIN_PAYLOAD_BYTES: Final = _SEALED_KEY_BYTES + _HEADER_BYTES + _ABYTES
ZLIB_LEVEL: Final = 6

#: ``manifest.sig``: magic, layout 1, algorithm 1 (Ed25519), station code, key id, signature.
_SIG = struct.Struct("<6sBB12s16s64s")
_SIG_MAGIC: Final = b"WSBSIG"
_SIG_LAYOUT: Final = 1
_SIG_ED25519: Final = 1

DEFAULT_MAX_SIZE: Final = 2 * 1024**3
DEFAULT_MAX_UNCOMPRESSED: Final = 8 * 1024**3
DEFAULT_MAX_MANIFEST: Final = 64 * 1024
#: Longest payload line (one row) accepted.
MAX_LINE_BYTES: Final = 16 * 1024**2
MAX_TABLES: Final = 1000

_UUID_RE: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_READ_BLOCK: Final = 1024 * 1024
_OUT_BLOCK: Final = 256 * 1024
_WRITE_BATCH: Final = 256 * 1024



# Lines are written with orjson: UTF-8 with Chinese as itself, no spaces, the same bytes
# as ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` for our rows, several
# times faster. orjson writes NaN and infinities as ``null``, so :func:`_finite` refuses
# them first; datetimes and dataclasses are not JSON-ready (``_not_json_ready``); a UUID
# object is written as its canonical lower-case text, which is what a row holds anyway.
_ORJSON_OPTIONS: Final = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: Value types whose rows get the (slower) walk for NaN and infinities.
_SUSPECT: Final = frozenset({float, dict, list, tuple})


def _not_json_ready(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON-ready")


def _finite(value: Any) -> bool:
    """No NaN or infinity anywhere in ``value``."""
    kind = type(value)
    if kind is float:
        return bool(value - value == 0.0)  # NaN and ±inf give NaN
    if kind is dict:
        return all(map(_finite, value.values()))
    if kind is list or kind is tuple:
        return all(map(_finite, value))
    return True


def encode_line(table: str, row: Mapping[str, Any]) -> bytes:
    """One payload line (without its newline): ``{"t":table,"r":row}`` as UTF-8 JSON.

    Raises:
        ValueError: NaN or an infinity in the row.
        TypeError: A value that is not JSON-ready.
    """
    if not _SUSPECT.isdisjoint(set(map(type, row.values()))) and not all(map(_finite, row.values())):
        raise ValueError(f"{table}: NaN or infinity is not allowed")
    return orjson.dumps({"t": table, "r": row}, default=_not_json_ready, option=_ORJSON_OPTIONS)


class EncodedRows:
    """A table's rows already encoded as payload lines, in batches (the export's fast path).

    Each batch is a list of ``(line, uuid, origin, row_version)``: the line without its
    newline, and the row's identity values as the line holds them. A line is the JSON
    object ``{"t": table, "r": row}`` with the value :func:`encode_line` gives for the row
    (compact UTF-8; not necessarily the same bytes: a nested JSON value may keep other
    escapes), and no NaN or infinity. The producer vouches that the line is JSON and holds
    those identity values (the station's export builds both in one SQLite query); the
    writer checks every row's identity values as it checks dict rows, every line's type,
    length and that it has no newline, and parses the first line of each batch in full.

    The de-identified profile transforms dicts: pass dict rows then.
    """

    __slots__ = ("batches",)

    def __init__(self, batches: Iterable[list[tuple[bytes, Any, Any, Any]]]) -> None:
        self.batches = batches

    def __iter__(self) -> Iterator[list[tuple[bytes, Any, Any, Any]]]:
        return iter(self.batches)


#: ``progress(done, total)``; ``total`` is ``None`` when not known in advance.
Progress = Callable[[int, int | None], None]


class Profile(StrEnum):
    """Export profile: how much leaves the station."""

    SUPERVISION = "supervision"  # every record, encrypted to the centre (default)
    DEIDENTIFIED = "deidentified"  # pseudonyms, masked IDs, no notes; figures equal


class Trust(StrEnum):
    """The centre's answer about a station key."""

    TRUSTED = "trusted"
    UNKNOWN_STATION = "unknown_station"
    UNKNOWN_KEY = "unknown_key"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TrustDecision:
    """What the ``trusted_keys`` callback of :func:`read_bundle` answers.

    Attributes:
        status: Whether the key is registered and unrevoked for that station.
        public_key: The registered raw Ed25519 public key when trusted.
    """

    status: Trust
    public_key: bytes = b""

    @classmethod
    def trusted(cls, public_key: bytes) -> TrustDecision:
        """The key is registered for the station and not revoked."""
        return cls(Trust.TRUSTED, public_key)

    @classmethod
    def refused(cls, status: Trust) -> TrustDecision:
        """The station is unknown, or the key is unknown or revoked."""
        if status is Trust.TRUSTED:
            raise ValueError("a refusal needs a reason")
        return cls(status)


#: ``trusted_keys(station_code, fingerprint) -> TrustDecision``.
TrustedKeys = Callable[[str, str], TrustDecision]


@dataclass(frozen=True)
class Manifest:
    """The signed description of a bundle (``manifest.json``), DESIGN.md §6.

    Attributes:
        format_version: Exchange-format version (1), independent of the schema.
        suite: Crypto suite id (:data:`SUITE`).
        profile: Export profile.
        station_code: The signing station's 12-digit code.
        station_key_fingerprint: Fingerprint of the key that signed the manifest.
        centre_key_fingerprint: Fingerprint of the centre's X25519 key the payload key
            is sealed to (the recipient).
        sequence: Bundle sequence number, from 1, one up per export.
        prev_bundle_sha256: SHA-256 of the previous bundle file, ``""`` for none.
        full: Whether the bundle holds every row rather than the changes.
        row_version_from: Rows have ``row_version`` above this (0 when full).
        row_version_to: ... and at most this (the station clock at export).
        schema_revision: The station database's schema revision.
        table_counts: Rows per table in the payload.
        payload_sha256: SHA-256 (hex) of ``payload.bin``.
        payload_size: Length of ``payload.bin`` in bytes.
        created_at: UTC time of export, ``YYYY-MM-DDTHH:MM:SSZ``.
        audit_head: The station's audit chain head at export.
    """

    format_version: int
    suite: str
    profile: Profile
    station_code: str
    station_key_fingerprint: str
    centre_key_fingerprint: str
    sequence: int
    prev_bundle_sha256: str
    full: bool
    row_version_from: int
    row_version_to: int
    schema_revision: str
    table_counts: Mapping[str, int]
    payload_sha256: str
    payload_size: int
    created_at: str
    audit_head: AuditHead

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready object, ``kind`` included."""
        return {
            "kind": MANIFEST_KIND,
            "format_version": self.format_version,
            "suite": self.suite,
            "profile": str(self.profile),
            "station_code": self.station_code,
            "station_key_fingerprint": self.station_key_fingerprint,
            "centre_key_fingerprint": self.centre_key_fingerprint,
            "sequence": self.sequence,
            "prev_bundle_sha256": self.prev_bundle_sha256,
            "full": self.full,
            "row_version_from": self.row_version_from,
            "row_version_to": self.row_version_to,
            "schema_revision": self.schema_revision,
            "table_counts": dict(self.table_counts),
            "payload_sha256": self.payload_sha256,
            "payload_size": self.payload_size,
            "created_at": self.created_at,
            "audit_head": self.audit_head.to_json(),
        }

    def to_bytes(self) -> bytes:
        """The canonical bytes that are signed and shipped."""
        return canonical_json(self.to_json())


def _manifest_problem(obj: Mapping[str, Any]) -> str | None:
    """The first field of a format-1 manifest object that is wrong, or ``None``."""
    low, high, counts = obj.get("row_version_from"), obj.get("row_version_to"), obj.get("table_counts")
    checks: list[tuple[str, bool]] = [
        ("profile", obj.get("profile") in {p.value for p in Profile}),
        ("station_code", is_str(obj.get("station_code"), STATION_CODE_RE)),
        ("station_key_fingerprint", _is_fingerprint(obj.get("station_key_fingerprint"))),
        ("centre_key_fingerprint", _is_fingerprint(obj.get("centre_key_fingerprint"))),
        ("sequence", is_int(obj.get("sequence"), 1)),
        ("prev_bundle_sha256", obj.get("prev_bundle_sha256") == "" or is_str(obj.get("prev_bundle_sha256"), SHA256_RE)),
        ("full", isinstance(obj.get("full"), bool)),
        ("row_version_from", is_int(low) and (obj.get("full") is not True or low == 0)),
        ("row_version_to", is_int(high) and is_int(low) and high >= low),
        ("schema_revision", is_str(obj.get("schema_revision"), LABEL_RE)),
        ("table_counts", isinstance(counts, dict) and len(counts) <= MAX_TABLES
         and all(is_str(k, TABLE_RE) and is_int(v) for k, v in counts.items())),
        ("payload_sha256", is_str(obj.get("payload_sha256"), SHA256_RE)),
        ("payload_size", is_int(obj.get("payload_size"), MIN_PAYLOAD_BYTES)),
        ("created_at", is_timestamp(obj.get("created_at"))),
    ]
    for name, ok in checks:
        if not ok:
            return name
    try:
        AuditHead.from_json(obj.get("audit_head"))
    except ValueError:
        return "audit_head"
    return None


def _is_fingerprint(value: object) -> bool:
    return isinstance(value, str) and keys.is_fingerprint(value)


def _manifest_from_object(obj: Mapping[str, Any]) -> Manifest:
    return Manifest(
        format_version=obj["format_version"],
        suite=obj["suite"],
        profile=Profile(obj["profile"]),
        station_code=obj["station_code"],
        station_key_fingerprint=obj["station_key_fingerprint"],
        centre_key_fingerprint=obj["centre_key_fingerprint"],
        sequence=obj["sequence"],
        prev_bundle_sha256=obj["prev_bundle_sha256"],
        full=obj["full"],
        row_version_from=obj["row_version_from"],
        row_version_to=obj["row_version_to"],
        schema_revision=obj["schema_revision"],
        table_counts=dict(obj["table_counts"]),
        payload_sha256=obj["payload_sha256"],
        payload_size=obj["payload_size"],
        created_at=obj["created_at"],
        audit_head=AuditHead.from_json(obj["audit_head"]),
    )


def parse_manifest(data: bytes, supported_format: int = FORMAT_VERSION) -> Manifest:
    """Parse and check manifest bytes. Call only once their signature has been verified.

    Unknown fields are allowed (optional fields added within a format version) and
    ignored; the verbatim bytes stay available to whoever needs them.

    Raises:
        BundleError: ``bundle.manifest_invalid``, ``bundle.format_version`` (a newer
            format than ``supported_format``) or ``bundle.suite``.
    """
    try:
        obj = strict_loads(data)
    except ValueError as exc:
        raise BundleError(Code.MANIFEST_INVALID, "not JSON") from exc
    if not isinstance(obj, dict) or obj.get("kind") != MANIFEST_KIND:
        raise BundleError(Code.MANIFEST_INVALID, "not a bundle manifest")
    version = obj.get("format_version")
    if not is_int(version, 1):
        raise BundleError(Code.MANIFEST_INVALID, "bad format_version", name="format_version")
    if version > supported_format:
        raise BundleError(Code.FORMAT_VERSION, "upgrade the centre", found=version, supported=supported_format)
    try:
        canonical = canonical_json(obj) == data
    except (TypeError, ValueError):
        canonical = False
    if not canonical:
        raise BundleError(Code.MANIFEST_INVALID, "not in canonical form")
    if obj.get("suite") != SUITE:
        raise BundleError(Code.SUITE, "unknown crypto suite", found=str(obj.get("suite"))[:100])
    problem = _manifest_problem(obj)
    if problem is not None:
        raise BundleError(Code.MANIFEST_INVALID, "bad field", name=problem)
    return _manifest_from_object(obj)


@dataclass(frozen=True)
class BundleInfo:
    """What :func:`write_bundle` wrote.

    Attributes:
        sha256: SHA-256 (hex) of the whole file: the next bundle's ``prev_bundle_sha256``.
        size: File size in bytes.
        manifest: The manifest.
        manifest_bytes: Its exact signed bytes.
    """

    sha256: str
    size: int
    manifest: Manifest
    manifest_bytes: bytes


def suggested_file_name(manifest: Manifest) -> str:
    """A file name that carries no personal data: ``<station>-<sequence>[-full].wsb``."""
    return f"{manifest.station_code}-{manifest.sequence:06d}{'-full' if manifest.full else ''}.wsb"


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


class _PayloadWriter:
    """zlib, then secretstream chunks, into a file; hashes what it writes."""

    def __init__(self, out: BinaryIO, centre_public_key: bytes) -> None:
        key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
        self._out = out
        self._sha = hashlib.sha256()
        self.size = 0
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        self._emit(SealedBox(PublicKey(centre_public_key)).encrypt(key))
        self._emit(header)
        self._compressor = zlib.compressobj(ZLIB_LEVEL)
        self._pending = bytearray()

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._sha.update(data)
        self.size += len(data)

    def _push_full_chunks(self) -> None:
        while len(self._pending) >= CHUNK_BYTES:
            chunk = bytes(self._pending[:CHUNK_BYTES])
            del self._pending[:CHUNK_BYTES]
            self._emit(sodium.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, None, _TAG_MESSAGE))

    def write(self, data: bytes) -> None:
        self._pending += self._compressor.compress(data)
        self._push_full_chunks()

    def close(self) -> str:
        """Flush; the final chunk is shorter than :data:`CHUNK_BYTES`. Returns the hash."""
        self._pending += self._compressor.flush()
        self._push_full_chunks()
        self._emit(sodium.crypto_secretstream_xchacha20poly1305_push(self._state, bytes(self._pending), None, _TAG_FINAL))
        self._pending.clear()
        return self._sha.hexdigest()


class _Pipeline:
    """Runs a :class:`_PayloadWriter` on a second thread, so compression, encryption and
    hashing (which release the GIL) overlap with reading and encoding the rows."""

    def __init__(self, writer: _PayloadWriter) -> None:
        self.writer = writer
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)  # None: no more
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.writer.write(data)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        if data:
            self._queue.put(data)

    def stop(self) -> None:
        """Wait until every queued block is written (also after a failure)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> str:
        self.stop()
        if self._error is not None:
            raise self._error
        return self.writer.close()


def _row_problem(row: Mapping[str, Any], low: int, high: int) -> str | None:
    """What is wrong with a row's identity columns, or ``None`` (hot path: kept lean)."""
    if not isinstance(row, Mapping):
        return "a row is not an object"
    row_uuid = row.get("uuid")
    if type(row_uuid) is not str or _UUID_RE.fullmatch(row_uuid) is None:
        return "uuid is not a lower-case UUID string"
    if type(row.get("origin")) is not str:
        return "origin is not a string"
    version = row.get("row_version")
    if type(version) is not int or not low < version <= high:
        return "row_version outside the bundle's range"
    return None


def _checked_lines(table: str, batch: list[tuple[bytes, Any, Any, Any]], station_code: str, low: int,
                   high: int) -> bytes:
    """A batch of :class:`EncodedRows` joined into newline-ended lines, after the writer's
    checks (loops in C: this is the fast path)."""
    lines, uuids, origins, versions = zip(*batch, strict=True)
    try:
        uuids_ok = all(map(_UUID_RE.fullmatch, uuids))
    except TypeError:  # not a string
        uuids_ok = False
    if not uuids_ok:
        raise ValueError(f"{table}: uuid is not a lower-case UUID string")
    if origins.count(station_code) != len(origins):
        if not all(isinstance(origin, str) for origin in origins):
            raise ValueError(f"{table}: origin is not a string")
        raise BundleError(Code.FOREIGN_ROWS, "a row of another station", table=table)
    if set(map(type, versions)) != {int} or not low < min(versions) or not max(versions) <= high:
        raise ValueError(f"{table}: row_version outside the bundle's range")
    if max(map(len, lines)) > MAX_LINE_BYTES:
        raise ValueError(f"{table}: a row longer than {MAX_LINE_BYTES} bytes")
    data = b"\n".join(lines) + b"\n"  # TypeError for anything but bytes-like lines
    if data.count(b"\n") != len(lines):
        raise ValueError(f"{table}: an encoded line holds a newline")
    try:
        first = orjson.loads(lines[0])
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{table}: an encoded line is not JSON") from exc
    if (not isinstance(first, dict) or first.keys() != {"t", "r"} or first["t"] != table
            or not isinstance(first["r"], dict)
            or (first["r"].get("uuid"), first["r"].get("origin"), first["r"].get("row_version")) != batch[0][1:]):
        raise ValueError(f"{table}: an encoded line is not the row it is given for")
    return data


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _signature_file(station_code: str, public_key: bytes, signature: bytes) -> bytes:
    return _SIG.pack(_SIG_MAGIC, _SIG_LAYOUT, _SIG_ED25519, station_code.encode("ascii"), keys.key_id(public_key),
                     signature)


def _assemble(out: BinaryIO, manifest_bytes: bytes, signature_file: bytes, payload: BinaryIO, size: int) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(_zip_info(MANIFEST_NAME), manifest_bytes)
        archive.writestr(_zip_info(SIGNATURE_NAME), signature_file)
        info = _zip_info(PAYLOAD_NAME)
        info.file_size = size  # lets zipfile choose ZIP64 headers for large payloads
        payload.seek(0)
        with archive.open(info, "w") as target:
            shutil.copyfileobj(payload, target, _READ_BLOCK)


def _hash_file(fh: BinaryIO) -> tuple[str, int]:
    fh.seek(0)
    sha = hashlib.sha256()
    size = 0
    while block := fh.read(_READ_BLOCK):
        sha.update(block)
        size += len(block)
    return sha.hexdigest(), size


def write_bundle(
    out: BinaryIO | Path | str,
    *,
    station_code: str,
    sequence: int,
    prev_bundle_sha256: str,
    full: bool,
    row_version_from: int,
    row_version_to: int,
    schema_revision: str,
    audit_head: AuditHead,
    tables: Iterable[tuple[str, Iterable[Mapping[str, Any]] | EncodedRows]],
    signing_key: bytes,
    centre_public_key: bytes,
    profile: Profile | str = Profile.SUPERVISION,
    pseudonym_key: bytes | None = None,
    created_at: datetime | None = None,
    progress: Progress | None = None,
    total_rows: int | None = None,
    temp_dir: Path | None = None,
) -> BundleInfo:
    """Write a signed, encrypted bundle, streaming the rows.

    Rows are JSON-ready dicts (UUIDs, dates and times already strings; money in fen),
    each with ``uuid`` (lower-case string), ``origin`` (== ``station_code``) and
    ``row_version`` (``row_version_from < v <= row_version_to``). Tables come in the
    order given; a table with no rows still gets a count of 0.

    Args:
        out: A path (written atomically: a temporary file beside it, then renamed) or a
            binary stream to write the bundle to (it need not be seekable).
        station_code: The station's 12-digit code.
        sequence: The bundle sequence number (from 1).
        prev_bundle_sha256: SHA-256 of the previous bundle file, ``""`` for the first.
        full: A full export (``row_version_from`` must then be 0) or the changes.
        row_version_from: Exclusive lower bound of the rows' versions.
        row_version_to: Inclusive upper bound (the station clock at export).
        schema_revision: The database schema revision.
        audit_head: The audit chain head at export.
        tables: ``(table name, rows)`` pairs; rows may be lazy iterables of dicts, or
            :class:`EncodedRows` (lines encoded by a producer that vouches for them).
        signing_key: The station's 32-byte Ed25519 private seed.
        centre_public_key: The centre's 32-byte X25519 public key (from its card).
        profile: ``supervision`` or ``deidentified``.
        pseudonym_key: The centre's pseudonym key; required for, and only for, the
            ``deidentified`` profile, whose transformation this function applies.
        created_at: Export time (default: now); must be time-zone aware.
        progress: Called with ``(rows written, total_rows)`` every 1000 rows (after each
            batch of :class:`EncodedRows` that passes a thousand) and at the end.
        total_rows: Expected number of rows, for ``progress`` (``None``: unknown).
        temp_dir: Folder for the encrypted temporary payload (default: the system's).

    Returns:
        The file's SHA-256 and size, and the manifest.

    Raises:
        BundleError: ``bundle.foreign_rows`` when a row's ``origin`` is not the station.
        ValueError: Bad arguments or rows (a bug in the caller).
        TypeError: A value in a row is not JSON-ready.
    """
    profile = Profile(profile)
    if not STATION_CODE_RE.fullmatch(station_code):
        raise ValueError("station_code must be 12 digits")
    if len(signing_key) != keys.KEY_BYTES or len(centre_public_key) != keys.KEY_BYTES:
        raise ValueError("keys are 32 bytes")
    if (profile is Profile.DEIDENTIFIED) != (pseudonym_key is not None):
        raise ValueError("pseudonym_key goes with, and only with, the deidentified profile")
    deidentifier = Deidentifier(pseudonym_key) if pseudonym_key is not None else None
    public_key = keys.public_key_of(signing_key)

    def make_manifest(counts: Mapping[str, int], payload_sha256: str, payload_size: int) -> Manifest:
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            suite=SUITE,
            profile=profile,
            station_code=station_code,
            station_key_fingerprint=keys.fingerprint(public_key),
            centre_key_fingerprint=keys.fingerprint(centre_public_key),
            sequence=sequence,
            prev_bundle_sha256=prev_bundle_sha256,
            full=full,
            row_version_from=row_version_from,
            row_version_to=row_version_to,
            schema_revision=schema_revision,
            table_counts=counts,
            payload_sha256=payload_sha256,
            payload_size=payload_size,
            created_at=utc_timestamp(created_at),
            audit_head=audit_head,
        )
        problem = _manifest_problem(manifest.to_json())
        if problem is not None:
            raise ValueError(f"bad manifest field {problem}")
        return manifest

    make_manifest({}, "0" * 64, MIN_PAYLOAD_BYTES)  # refuse bad arguments before reading any row

    counts: dict[str, int] = {}
    done = 0
    with tempfile.TemporaryFile(dir=temp_dir) as payload_file:
        writer = _PayloadWriter(payload_file, centre_public_key)
        pipeline = _Pipeline(writer)
        try:
            batch: list[bytes] = []
            batch_len = 0
            for table, rows in tables:
                if not TABLE_RE.fullmatch(table):
                    raise ValueError(f"bad table name {table!r}")
                counts.setdefault(table, 0)
                if isinstance(rows, EncodedRows):
                    if deidentifier is not None:
                        raise ValueError("the deidentified profile needs rows, not encoded lines")
                    if batch:  # keep the order of the lines
                        batch.append(b"")
                        pipeline.write(b"\n".join(batch))
                        batch, batch_len = [], 0
                    for encoded in rows:
                        if not encoded:
                            continue
                        pipeline.write(_checked_lines(table, encoded, station_code, row_version_from,
                                                      row_version_to))
                        counts[table] += len(encoded)
                        before, done = done, done + len(encoded)
                        if progress is not None and before // 1000 != done // 1000:
                            progress(done, total_rows)
                    continue
                source = deidentifier.rows(table, rows) if deidentifier is not None else rows
                for row in source:
                    problem = _row_problem(row, row_version_from, row_version_to)
                    if problem is not None:
                        raise ValueError(f"{table}: {problem}")
                    if row["origin"] != station_code:
                        raise BundleError(Code.FOREIGN_ROWS, "a row of another station", table=table)
                    line = encode_line(table, row)
                    if len(line) > MAX_LINE_BYTES:
                        raise ValueError(f"{table}: a row longer than {MAX_LINE_BYTES} bytes")
                    batch.append(line)
                    batch_len += len(line)
                    counts[table] += 1
                    done += 1
                    if batch_len >= _WRITE_BATCH:
                        batch.append(b"")
                        pipeline.write(b"\n".join(batch))
                        batch, batch_len = [], 0
                    if progress is not None and done % 1000 == 0:
                        progress(done, total_rows)
            if batch:
                batch.append(b"")
                pipeline.write(b"\n".join(batch))
            payload_sha256 = pipeline.close()
        finally:
            pipeline.stop()
        if len(counts) > MAX_TABLES:
            raise ValueError("too many tables")

        manifest = make_manifest(counts, payload_sha256, writer.size)
        manifest_bytes = manifest.to_bytes()  # serialised once; these bytes ship
        signature_file = _signature_file(station_code, public_key, keys.sign(signing_key, manifest_bytes))

        if isinstance(out, str | os.PathLike):
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
            temp_path = Path(temp_name)
            try:
                with os.fdopen(fd, "w+b") as target:
                    _assemble(target, manifest_bytes, signature_file, payload_file, writer.size)
                    target.flush()
                    os.fsync(target.fileno())
                    sha256, size = _hash_file(target)
                temp_path.replace(out)
            except BaseException:
                temp_path.unlink(missing_ok=True)
                raise
        else:
            with tempfile.TemporaryFile(dir=temp_dir) as assembled:
                _assemble(assembled, manifest_bytes, signature_file, payload_file, writer.size)
                sha256, size = _hash_file(assembled)
                assembled.seek(0)
                shutil.copyfileobj(assembled, out, _READ_BLOCK)
    if progress is not None:
        progress(done, total_rows)
    return BundleInfo(sha256, size, manifest, manifest_bytes)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _SignatureFile:
    station_code: str
    key_id: bytes
    signature: bytes


def _parse_signature_file(data: bytes) -> _SignatureFile:
    if len(data) != _SIG.size:
        raise BundleError(Code.SIGNATURE, "manifest.sig has the wrong length")
    magic, layout, algorithm, code, key_id, signature = _SIG.unpack(data)
    if magic != _SIG_MAGIC or layout != _SIG_LAYOUT:
        raise BundleError(Code.SIGNATURE, "manifest.sig is not a bundle signature")
    if algorithm != _SIG_ED25519:
        raise BundleError(Code.SUITE, "unknown signature algorithm", found=algorithm)
    try:
        station_code = code.decode("ascii")
    except UnicodeDecodeError as exc:
        raise BundleError(Code.SIGNATURE, "bad station code in manifest.sig") from exc
    if not STATION_CODE_RE.fullmatch(station_code):
        raise BundleError(Code.SIGNATURE, "bad station code in manifest.sig")
    return _SignatureFile(station_code, key_id, signature)


class _RangeReader:
    """Reads one member's bytes in order, hashing them; the file must not shrink."""

    def __init__(self, fh: BinaryIO, member: container.Member, progress: Callable[[int], None] | None = None) -> None:
        self._fh = fh
        fh.seek(member.data_offset)
        self.remaining = member.size
        self.sha = hashlib.sha256()
        self._progress = progress

    def read(self, n: int) -> bytes:
        n = min(n, self.remaining)
        data = self._fh.read(n)
        if len(data) != n:
            raise BundleError(Code.CHANGED, "the file shrank while being read")
        self.sha.update(data)
        self.remaining -= n
        if self._progress is not None:
            self._progress(n)
        return data


def _unseal(sealed: bytes, centre_private_key: bytes) -> bytes:
    try:
        key = SealedBox(PrivateKey(centre_private_key)).decrypt(sealed)
    except CryptoError as exc:
        raise BundleError(Code.DECRYPT, "the payload key is not sealed to this centre") from exc
    if len(key) != sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES:
        raise BundleError(Code.DECRYPT, "bad payload key")
    return key


def _plaintext(reader: _RangeReader, key: bytes, header: bytes) -> Iterator[bytes]:
    """Decrypt the secretstream chunks; the last must carry the FINAL tag."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    except CryptoError as exc:
        raise BundleError(Code.DECRYPT, "bad stream header") from exc
    while True:
        if reader.remaining == 0:
            raise BundleError(Code.DECRYPT, "the payload ends before its final chunk")
        chunk = reader.read(CHUNK_BYTES + _ABYTES)
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, None)
        except CryptoError as exc:
            raise BundleError(Code.DECRYPT, "a payload chunk does not authenticate") from exc
        if tag == _TAG_FINAL:
            if reader.remaining:
                raise BundleError(Code.DECRYPT, "data after the final chunk")
            yield message
            return
        if tag != _TAG_MESSAGE:
            raise BundleError(Code.DECRYPT, "unexpected chunk tag", tag=tag)
        yield message


def _decompressed(blocks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """Inflate with a hard cap on the output (a decompression bomb stops at the cap)."""
    inflater = zlib.decompressobj()
    total = 0
    for block in blocks:
        data = block
        while True:
            try:
                out = inflater.decompress(data, _OUT_BLOCK)
            except zlib.error as exc:
                raise BundleError(Code.PAYLOAD_INVALID, "corrupt compressed data") from exc
            total += len(out)
            if total > limit:
                raise BundleError(Code.DECOMPRESSION_BOMB, "decompresses beyond the limit", limit=limit)
            if out:
                yield out
            data = inflater.unconsumed_tail
            if not data and len(out) < _OUT_BLOCK:
                break
    if not inflater.eof:
        raise BundleError(Code.PAYLOAD_INVALID, "compressed data ends early")
    if inflater.unused_data:
        raise BundleError(Code.PAYLOAD_INVALID, "data after the compressed stream")


def _lines(blocks: Iterator[bytes]) -> Iterator[bytes]:
    pending = b""
    for block in blocks:
        parts = (pending + block).split(b"\n")
        pending = parts.pop()
        if len(pending) > MAX_LINE_BYTES:
            raise BundleError(Code.PAYLOAD_INVALID, "a line is too long")
        for part in parts:
            if len(part) > MAX_LINE_BYTES:
                raise BundleError(Code.PAYLOAD_INVALID, "a line is too long")
            yield part
    if pending:
        raise BundleError(Code.PAYLOAD_INVALID, "the last line has no newline")


def _parse_line(line: bytes, low: int, high: int) -> tuple[str, dict[str, Any]]:
    try:
        obj = orjson.loads(line)  # strict UTF-8 and JSON, no NaN or infinities
    except orjson.JSONDecodeError as exc:
        raise BundleError(Code.PAYLOAD_INVALID, "a line is not JSON") from exc
    if not isinstance(obj, dict) or len(obj) != 2 or not isinstance(obj.get("r"), dict):
        raise BundleError(Code.PAYLOAD_INVALID, 'a line is not {"t": table, "r": row}')
    table = obj.get("t")
    if not isinstance(table, str) or not TABLE_RE.fullmatch(table):
        raise BundleError(Code.PAYLOAD_INVALID, "bad table name")
    row: dict[str, Any] = obj["r"]
    problem = _row_problem(row, low, high)
    if problem is not None:
        raise BundleError(Code.PAYLOAD_INVALID, problem, table=table)
    return table, row


@dataclass(frozen=True)
class _PayloadSpec:
    member: container.Member
    sha256: str
    station_code: str
    row_version_from: int
    row_version_to: int
    table_counts: Mapping[str, int]
    max_uncompressed: int


def _scan(
    reader: _RangeReader, key: bytes, header: bytes, spec: _PayloadSpec, *, defer: bool
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Decrypt, inflate, check and yield every row; then check hash and counts.

    With ``defer``, format and ownership failures are held until the stream has been
    read to its end, so that decrypt and decompression failures (earlier checks) win
    whatever their position in the stream; without it every failure raises at once.
    """
    counts: Counter[str] = Counter()
    format_error: BundleError | None = None
    foreign_error: BundleError | None = None
    blocks = _decompressed(_plaintext(reader, key, header), spec.max_uncompressed)
    for line in _lines(blocks):
        if format_error is not None:
            continue  # keep reading: decrypt and size checks still apply
        try:
            table, row = _parse_line(line, spec.row_version_from, spec.row_version_to)
        except BundleError as exc:
            if not defer:
                raise
            format_error = exc
            continue
        counts[table] += 1
        if row["origin"] != spec.station_code:
            error = BundleError(Code.FOREIGN_ROWS, "a row of another station", table=table)
            if not defer:
                raise error
            foreign_error = foreign_error or error
            continue
        yield table, row
    if reader.sha.hexdigest() != spec.sha256:
        raise BundleError(Code.CHANGED, "the payload changed while being read")
    if format_error is not None:
        raise format_error
    if foreign_error is not None:
        raise foreign_error
    for table in set(counts) | set(spec.table_counts):
        if counts.get(table, 0) != spec.table_counts.get(table, 0):
            raise BundleError(Code.TABLE_COUNTS, "row counts differ from the manifest", table=table)


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check of :func:`read_bundle`.

    Attributes:
        path: The bundle file.
        sha256: SHA-256 (hex) of the whole file (for the receipt and the hash chain).
        size: File size in bytes.
        manifest: The verified manifest.
        manifest_bytes: Its exact signed bytes.
    """

    path: Path
    sha256: str
    size: int
    manifest: Manifest
    manifest_bytes: bytes
    _spec: _PayloadSpec = field(repr=False)
    _sealed_key: bytes = field(repr=False)
    _key: bytes = field(repr=False)

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The rows, ``(table, row)`` in file order, read again from the file.

        Every check runs again while reading and the payload hash is compared at the
        end, so a file changed after verification raises ``bundle.changed`` (possibly
        after some rows were yielded): import inside one transaction and roll it back
        on any error.

        Raises:
            BundleError: ``bundle.changed`` (the file is not the one verified) or
                ``bundle.unreadable``.
        """
        try:
            with self.path.open("rb") as fh:
                reader = _RangeReader(fh, self._spec.member)
                if reader.read(_SEALED_KEY_BYTES) != self._sealed_key:
                    raise BundleError(Code.CHANGED, "the payload changed since it was verified")
                header = reader.read(_HEADER_BYTES)
                yield from _scan(reader, self._key, header, self._spec, defer=False)
        except OSError as exc:
            raise BundleError(Code.UNREADABLE, type(exc).__name__) from exc
        except BundleError as exc:
            if exc.code == Code.CHANGED:
                raise
            raise BundleError(Code.CHANGED, f"the file changed since it was verified ({exc.code})") from exc

    def batches(self, size: int = 1000) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The rows grouped into lists of at most ``size`` consecutive rows of one table."""
        if size < 1:
            raise ValueError("size must be positive")
        current: str | None = None
        batch: list[dict[str, Any]] = []
        for table, row in self.rows():
            if table != current or len(batch) >= size:
                if batch and current is not None:
                    yield current, batch
                current, batch = table, []
            batch.append(row)
        if batch and current is not None:
            yield current, batch


def _hash_pass(
    fh: BinaryIO, file_size: int, regions: Mapping[str, container.Member], progress: Callable[[int], None] | None
) -> tuple[str, dict[str, str]]:
    """One read of the whole file: its SHA-256 and the SHA-256 of each member's data."""
    file_sha = hashlib.sha256()
    member_sha = {name: hashlib.sha256() for name in regions}
    fh.seek(0)
    position = 0
    while position < file_size:
        block = fh.read(min(_READ_BLOCK, file_size - position))
        if not block:
            raise BundleError(Code.CHANGED, "the file shrank while being read")
        file_sha.update(block)
        end = position + len(block)
        for name, member in regions.items():
            start, stop = max(position, member.data_offset), min(end, member.data_offset + member.size)
            if start < stop:
                member_sha[name].update(block[start - position : stop - position])
        position = end
        if progress is not None:
            progress(len(block))
    return file_sha.hexdigest(), {name: sha.hexdigest() for name, sha in member_sha.items()}


def read_bundle(
    path: Path | str,
    *,
    trusted_keys: TrustedKeys,
    centre_fingerprint: str,
    centre_private_key: bytes,
    known_schemas: Collection[str],
    supported_format: int = FORMAT_VERSION,
    max_size: int = DEFAULT_MAX_SIZE,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_manifest: int = DEFAULT_MAX_MANIFEST,
    progress: Progress | None = None,
) -> VerifiedBundle:
    """Verify a bundle completely, stopping at the first failure.

    Order: file size → container (ZIP, the three members once each, no paths, local
    headers agree with the central directory, no stray bytes) → manifest size →
    ``manifest.sig`` names a station that is not the demo station and a registered,
    unrevoked key → signature over the exact manifest bytes → (only now parsed) manifest
    format version, suite and fields → recipient is this centre → schema revision known →
    payload SHA-256 → decrypt (every chunk authenticated, truncation detected) → bounded
    decompression → format of every line → every row owned by the signing station →
    table counts equal the manifest's.

    Args:
        path: The ``.wsb`` file.
        trusted_keys: ``(station_code, fingerprint) -> TrustDecision``: the centre's
            register of station keys.
        centre_fingerprint: Fingerprint of this centre's X25519 public key.
        centre_private_key: This centre's 32-byte X25519 private key.
        known_schemas: Schema revisions this centre can import.
        supported_format: Newest exchange-format version accepted (at most
            :data:`FORMAT_VERSION`).
        max_size: Largest file accepted, in bytes.
        max_uncompressed: Largest decompressed payload accepted, in bytes.
        max_manifest: Largest ``manifest.json`` accepted, in bytes.
        progress: Called with ``(bytes read, total)`` as the file is read.

    Returns:
        The verified bundle; its rows are read (and checked again) by
        :meth:`VerifiedBundle.rows`.

    Raises:
        BundleError: The bundle is refused; ``code`` says why.
        ValueError: Inconsistent arguments (a bug in the caller).
    """
    if not 1 <= supported_format <= FORMAT_VERSION:
        raise ValueError(f"supported_format must be between 1 and {FORMAT_VERSION}")
    own_fingerprint = keys.fingerprint(keys.box_public_key_of(centre_private_key))
    if keys.normalize_fingerprint(centre_fingerprint) != own_fingerprint:
        raise ValueError("centre_fingerprint is not the fingerprint of centre_private_key's public key")
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return _read_open_bundle(
                fh, path, trusted_keys=trusted_keys, centre_fingerprint=own_fingerprint,
                centre_private_key=centre_private_key, known_schemas=known_schemas,
                supported_format=supported_format, max_size=max_size, max_uncompressed=max_uncompressed,
                max_manifest=max_manifest, progress=progress,
            )
    except OSError as exc:
        raise BundleError(Code.UNREADABLE, type(exc).__name__) from exc


def _read_open_bundle(
    fh: BinaryIO,
    path: Path,
    *,
    trusted_keys: TrustedKeys,
    centre_fingerprint: str,
    centre_private_key: bytes,
    known_schemas: Collection[str],
    supported_format: int,
    max_size: int,
    max_uncompressed: int,
    max_manifest: int,
    progress: Progress | None,
) -> VerifiedBundle:
    size = os.fstat(fh.fileno()).st_size
    if size > max_size:
        raise BundleError(Code.TOO_LARGE, "file too large", size=size, limit=max_size)
    members = container.read_members(fh, size, MEMBER_NAMES)
    manifest_member, signature_member, payload_member = (members[name] for name in MEMBER_NAMES)
    if manifest_member.size > max_manifest:
        raise BundleError(Code.MANIFEST_TOO_LARGE, "manifest too large", size=manifest_member.size, limit=max_manifest)
    if signature_member.size != _SIG.size:
        raise BundleError(Code.SIGNATURE, "manifest.sig has the wrong length")
    manifest_bytes = _RangeReader(fh, manifest_member).read(manifest_member.size)
    signature_raw = _RangeReader(fh, signature_member).read(signature_member.size)
    signature_file = _parse_signature_file(signature_raw)

    # Trust: who claims to have signed, and is that key registered and unrevoked?
    if signature_file.station_code == DEMO_STATION_CODE:
        raise BundleError(Code.DEMO_STATION, "bundle from the demo station", station=DEMO_STATION_CODE)
    station_fingerprint = keys.format_fingerprint(signature_file.key_id)
    decision = trusted_keys(signature_file.station_code, station_fingerprint)
    refusals = {
        Trust.UNKNOWN_STATION: Code.UNKNOWN_STATION,
        Trust.UNKNOWN_KEY: Code.UNKNOWN_KEY,
        Trust.REVOKED: Code.KEY_REVOKED,
    }
    if decision.status in refusals:
        raise BundleError(refusals[decision.status], "station key not trusted",
                          station=signature_file.station_code, fingerprint=station_fingerprint)
    if keys.key_id(decision.public_key) != signature_file.key_id:
        raise BundleError(Code.UNKNOWN_KEY, "the register has another key for this fingerprint",
                          station=signature_file.station_code, fingerprint=station_fingerprint)
    if not keys.verify(decision.public_key, manifest_bytes, signature_file.signature):
        raise BundleError(Code.SIGNATURE, "manifest signature does not verify", station=signature_file.station_code)

    # Signed bytes only from here on.
    manifest = parse_manifest(manifest_bytes, supported_format)
    if manifest.station_code != signature_file.station_code or manifest.station_key_fingerprint != station_fingerprint:
        raise BundleError(Code.MANIFEST_INVALID, "manifest names another station or key than manifest.sig")
    if manifest.centre_key_fingerprint != centre_fingerprint:
        raise BundleError(Code.WRONG_CENTRE, "bundle made for another centre",
                          found=manifest.centre_key_fingerprint, expected=centre_fingerprint)
    if manifest.schema_revision not in known_schemas:
        raise BundleError(Code.SCHEMA_UNKNOWN, "unknown schema revision", found=manifest.schema_revision)

    total = size + payload_member.size
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None and (done >> 20) != ((done - n) >> 20):
            progress(done, total)

    # Payload hash, in one read of the whole file that also hashes it for the receipt.
    if manifest.payload_size != payload_member.size:
        raise BundleError(Code.PAYLOAD_HASH, "payload size differs from the manifest")
    file_sha256, member_sha = _hash_pass(fh, size, members, advance)
    if member_sha[PAYLOAD_NAME] != manifest.payload_sha256:
        raise BundleError(Code.PAYLOAD_HASH, "payload hash differs from the manifest")
    if (member_sha[MANIFEST_NAME] != hashlib.sha256(manifest_bytes).hexdigest()
            or member_sha[SIGNATURE_NAME] != hashlib.sha256(signature_raw).hexdigest()):
        raise BundleError(Code.CHANGED, "the file changed while being read")

    # Decrypt, decompress and check every row (the rows are read again by rows()).
    reader = _RangeReader(fh, payload_member, advance)
    if payload_member.size < MIN_PAYLOAD_BYTES:
        raise BundleError(Code.DECRYPT, "payload too short")
    sealed_key = reader.read(_SEALED_KEY_BYTES)
    header = reader.read(_HEADER_BYTES)
    key = _unseal(sealed_key, centre_private_key)
    spec = _PayloadSpec(
        member=payload_member,
        sha256=manifest.payload_sha256,
        station_code=manifest.station_code,
        row_version_from=manifest.row_version_from,
        row_version_to=manifest.row_version_to,
        table_counts=manifest.table_counts,
        max_uncompressed=max_uncompressed,
    )
    for _ in _scan(reader, key, header, spec, defer=True):
        pass
    if progress is not None:
        progress(total, total)
    return VerifiedBundle(path, file_sha256, size, manifest, manifest_bytes, spec, sealed_key, key)
