"""The encrypted backup file: a database copy sealed with the station's recovery passphrase.

A backup that leaves the data folder (USB stick, another PC) is encrypted with a key
derived from the recovery passphrase, never with a key stored on the PC: a backup exists
for the day the PC dies (DESIGN.md §8). Layout, all integers big-endian::

    magic      8 bytes   b"WUSHEBAK"
    version    u16       FORMAT_VERSION (a reader refuses a newer one: backup.too_new)
    length     u32       length of the JSON header
    header     JSON      meta (station, schema revision, created_at), the passphrase
                         verifier (Argon2id PHC string), KDF parameters and salt
    checksum   32 bytes  SHA-256 of everything above (catches a damaged header before the
                         passphrase check, so a flipped byte never reads as a wrong passphrase)
    stream     24 bytes  crypto_secretstream_xchacha20poly1305 header
    chunks     u32 length + ciphertext, repeated; the last one carries TAG_FINAL

The plaintext is the zlib-compressed SQLite file. Every chunk is authenticated; the
preamble (magic to checksum) is the associated data of the first chunk, and TAG_FINAL
authenticates the end, so a truncated or extended file is refused (backup.corrupt).

The plaintext copy taken with SQLite's online backup API lives only inside the source
database's own folder (the data folder), never in the system temporary folder.

This module knows files, not services: no session, no settings, no permissions.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import sqlite3
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import nacl.bindings as sodium
import nacl.pwhash.argon2id as argon2id
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import VerificationError
from nacl.exceptions import CryptoError

from wushe_desktop.errors import DatabaseError, ImportFileError, ValidationError
from wushe_desktop.storage import sqlite as sqlite_mod

MAGIC = b"WUSHEBAK"
FORMAT_VERSION = 1
CIPHER = "xchacha20poly1305-secretstream"
KDF = "argon2id13"
COMPRESSION = "zlib"

#: Plaintext bytes per encrypted chunk.
CHUNK_SIZE = 1 << 20
_MAX_HEADER = 64 * 1024
_PREFIX = struct.Struct(">8sHI")
_LENGTH = struct.Struct(">I")
_CHECKSUM_BYTES = 32
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_STREAM_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL

#: Cost of deriving the file key. INTERACTIVE (64 MiB, 2 passes) matches the cost of the
#: passphrase verifier that travels in the header anyway (argon2-cffi defaults), which is
#: what an attacker holding the file would try first; a dearer KDF would add waiting at
#: the station and no strength. Tests lower these (OPSLIMIT_MIN / MEMLIMIT_MIN).
KDF_OPSLIMIT: int = argon2id.OPSLIMIT_INTERACTIVE
KDF_MEMLIMIT: int = argon2id.MEMLIMIT_INTERACTIVE

#: A reader refuses KDF parameters outside these bounds (a hostile header must not make
#: the PC allocate gigabytes).
_MAX_OPSLIMIT = 16
_MAX_MEMLIMIT = 1 << 30
_MAX_PARALLELISM = 16

#: Header keys written by this module; ``meta`` may not set them.
_RESERVED = frozenset({"format", "verifier", "kdf", "cipher", "compression", "chunk_size"})


@dataclass(frozen=True)
class BackupHeader:
    """What a backup file says about itself before it is decrypted.

    Not authenticated until :func:`decrypt_backup` has run (the header is the associated
    data of the first chunk); show it to people, do not trust it.

    Attributes:
        format_version: The file format version.
        station_code: Code of the station whose database this is.
        station_name: Its name.
        schema_revision: The database's schema revision when the backup was taken.
        created_at: When the backup was taken (ISO 8601, UTC).
        verifier: Argon2id verifier of the recovery passphrase.
        meta: The whole JSON header.
    """

    format_version: int
    station_code: str
    station_name: str
    schema_revision: str
    created_at: str
    verifier: str
    meta: dict[str, Any]


def is_backup_file(path: Path) -> bool:
    """Whether a file starts with the backup magic."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _tmp_path(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _write_error(exc: OSError, where: Path) -> DatabaseError:
    if exc.errno == errno.ENOSPC:
        return DatabaseError("database.disk_full", path=str(where))
    return DatabaseError("backup.cannot_write", path=str(where), detail=str(exc))


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def plain_copy(source_db: Path, target: Path) -> None:
    """An online backup of a live database to ``target``, written whole or not at all.

    The copy is made beside ``target`` as ``<name>.tmp``, checked with ``quick_check``,
    switched to a rollback journal (one self-contained file) and renamed into place; a
    failure leaves no partial file.

    Raises:
        DatabaseError: ``database.missing``, ``database.disk_full``, ``backup.cannot_write``,
            ``database.corrupt`` (the copy of a damaged database is not kept).
    """
    if not source_db.is_file():  # sqlite3 would quietly create an empty database
        raise DatabaseError("database.missing", path=str(source_db))
    tmp = _tmp_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove(tmp)
        sqlite_mod.online_backup(source_db, tmp)
        conn = sqlite3.connect(str(tmp))
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
            # A self-contained file (no -wal beside it): it can be copied, or opened from
            # read-only media, on its own.
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        if row is None or row[0] != "ok":
            raise DatabaseError("database.corrupt", path=str(source_db), detail=str(row[0] if row else ""))
        tmp.replace(target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise _write_error(exc, target.parent) from exc
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "full" in text:
            raise DatabaseError("database.disk_full", path=str(target.parent)) from exc
        raise DatabaseError("database.corrupt", path=str(source_db), detail=str(exc)) from exc
    finally:
        _remove(tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            _remove(tmp.with_name(tmp.name + suffix))


def _header_bytes(meta: dict[str, Any], verifier: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    clash = _RESERVED & meta.keys()
    if clash:
        raise ValueError(f"meta may not set {sorted(clash)}")
    header = {
        **meta,
        "format": FORMAT_VERSION,
        "verifier": verifier,
        "kdf": {"alg": KDF, "opslimit": opslimit, "memlimit": memlimit, "salt": salt.hex()},
        "cipher": CIPHER,
        "compression": COMPRESSION,
        "chunk_size": CHUNK_SIZE,
    }
    body = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    if len(body) > _MAX_HEADER:
        raise ValueError("backup header too large")
    prefix = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(body)) + body
    return prefix + hashlib.sha256(prefix).digest()


def _derive_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return argon2id.kdf(_KEY_BYTES, passphrase.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit)


def _read_chunks(fh: BinaryIO, size: int) -> Iterator[bytes]:
    while True:
        data = fh.read(size)
        if not data:
            return
        yield data


def _encrypt_stream(plain: BinaryIO, out: IO[bytes], key: bytes, preamble: bytes) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    out.write(preamble)
    out.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    compressor = zlib.compressobj(6)
    pending = b""
    ad: bytes | None = preamble

    def emit(message: bytes, tag: int) -> None:
        nonlocal ad
        cipher = sodium.crypto_secretstream_xchacha20poly1305_push(state, message, ad, tag)
        ad = None
        out.write(_LENGTH.pack(len(cipher)))
        out.write(cipher)

    for block in _read_chunks(plain, CHUNK_SIZE):
        pending += compressor.compress(block)
        while len(pending) >= CHUNK_SIZE:
            emit(pending[:CHUNK_SIZE], _TAG_MESSAGE)
            pending = pending[CHUNK_SIZE:]
    pending += compressor.flush()
    while len(pending) > CHUNK_SIZE:
        emit(pending[:CHUNK_SIZE], _TAG_MESSAGE)
        pending = pending[CHUNK_SIZE:]
    emit(pending, _TAG_FINAL)


def write_encrypted_backup(
    source_db: Path,
    out: Path,
    passphrase: str,
    verifier: str,
    meta: dict[str, Any],
    *,
    opslimit: int | None = None,
    memlimit: int | None = None,
) -> int:
    """Take an online backup of ``source_db`` and write it encrypted to ``out``.

    The file is written as ``<out>.tmp``, synced and renamed, so a full disk or a pulled
    USB stick leaves no partial backup under the real name.

    Args:
        source_db: The live SQLite database.
        out: The backup file to write (replaced if it exists).
        passphrase: The station's recovery passphrase.
        verifier: Its Argon2id verifier (``recovery.verifier``), carried in the header.
        meta: ``station_code``, ``station_name``, ``schema_revision``, ``created_at``.
        opslimit: Argon2id passes for the file key (default :data:`KDF_OPSLIMIT`).
        memlimit: Argon2id memory in bytes (default :data:`KDF_MEMLIMIT`).

    Returns:
        The size of the written file in bytes.

    Raises:
        ValidationError: ``passphrase.wrong`` (the passphrase does not match the verifier).
        DatabaseError: ``database.disk_full``, ``backup.cannot_write``, ``database.corrupt``.
    """
    if not _verifier_matches(verifier, passphrase):
        raise ValidationError("passphrase.wrong", field="passphrase")
    ops = KDF_OPSLIMIT if opslimit is None else opslimit
    mem = KDF_MEMLIMIT if memlimit is None else memlimit
    salt = secrets.token_bytes(argon2id.SALTBYTES)
    preamble = _header_bytes(meta, verifier, salt, ops, mem)
    key = _derive_key(passphrase, salt, ops, mem)
    # The plaintext copy stays in the data folder, beside the database it copies.
    plain = source_db.with_name(f".{source_db.name}.backup-{secrets.token_hex(4)}")
    tmp = _tmp_path(out)
    try:
        plain_copy(source_db, plain)
        try:
            with plain.open("rb") as src, tmp.open("wb") as dst:
                _encrypt_stream(src, dst, key, preamble)
                dst.flush()
                os.fsync(dst.fileno())
            size = tmp.stat().st_size
            tmp.replace(out)
            _fsync_dir(out.parent)
        except OSError as exc:
            raise _write_error(exc, out.parent) from exc
    finally:
        _remove(tmp)
        _remove(plain)
    return size


def _verifier_matches(verifier: str, passphrase: str) -> bool:
    try:
        return PasswordHasher().verify(verifier, passphrase)
    except VerificationError:
        return False


def _corrupt(path: Path, detail: str) -> ImportFileError:
    return ImportFileError("backup.corrupt", path=str(path), detail=detail)


def _read_exact(fh: BinaryIO, n: int, path: Path, what: str) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise _corrupt(path, f"truncated in the {what}")
    return data


def _parse_header(fh: BinaryIO, path: Path) -> tuple[BackupHeader, bytes]:
    """Read and check the preamble; returns the header and its bytes (associated data)."""
    start = fh.read(_PREFIX.size)
    if len(start) < len(MAGIC) or start[: len(MAGIC)] != MAGIC:
        raise ImportFileError("backup.not_a_backup", path=str(path))
    if len(start) < _PREFIX.size:
        raise _corrupt(path, "truncated in the header")
    _magic, version, length = _PREFIX.unpack(start)
    if version > FORMAT_VERSION:
        raise ImportFileError("backup.too_new", path=str(path), version=version)
    if version < 1 or length > _MAX_HEADER:
        raise _corrupt(path, "bad header fields")
    body = _read_exact(fh, length, path, "header")
    checksum = _read_exact(fh, _CHECKSUM_BYTES, path, "header")
    if hashlib.sha256(start + body).digest() != checksum:
        raise _corrupt(path, "header checksum")
    try:
        meta = json.loads(body.decode("utf-8"))
        if not isinstance(meta, dict):
            raise TypeError("header is not an object")
        kdf = meta["kdf"]
        header = BackupHeader(
            format_version=version,
            station_code=str(meta.get("station_code", "")),
            station_name=str(meta.get("station_name", "")),
            schema_revision=str(meta.get("schema_revision", "")),
            created_at=str(meta.get("created_at", "")),
            verifier=str(meta["verifier"]),
            meta=meta,
        )
        if (kdf["alg"] != KDF or meta["cipher"] != CIPHER or meta["compression"] != COMPRESSION
                or not isinstance(kdf["opslimit"], int) or not isinstance(kdf["memlimit"], int)
                or len(bytes.fromhex(kdf["salt"])) != argon2id.SALTBYTES):
            raise ValueError("unknown algorithm or bad KDF fields")
        # The verifier's own cost is read from the (unauthenticated) header too: bound it
        # before verifying, as for the KDF.
        cost = extract_parameters(header.verifier)
        if (cost.type != Type.ID or cost.memory_cost * 1024 > _MAX_MEMLIMIT
                or cost.time_cost > _MAX_OPSLIMIT or cost.parallelism > _MAX_PARALLELISM):
            raise ValueError("verifier parameters out of bounds")
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise _corrupt(path, f"header: {exc}") from exc
    return header, start + body + checksum


def read_backup_header(path: Path) -> BackupHeader:
    """The header of a backup file (station, schema revision, when it was taken).

    Raises:
        ImportFileError: ``backup.not_found``, ``backup.not_a_backup``, ``backup.too_new``,
            ``backup.corrupt``.
    """
    try:
        with path.open("rb") as fh:
            return _parse_header(fh, path)[0]
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ImportFileError("backup.not_found", path=str(path)) from exc
    except OSError as exc:
        raise ImportFileError("backup.unreadable", path=str(path), detail=str(exc)) from exc


def _decrypt_stream(fh: BinaryIO, out: IO[bytes], key: bytes, preamble: bytes, path: Path) -> None:
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    stream_header = _read_exact(fh, _STREAM_HEADER_BYTES, path, "stream header")
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, stream_header, key)
    except CryptoError as exc:
        raise _corrupt(path, "stream header") from exc
    decompressor = zlib.decompressobj()
    ad: bytes | None = preamble
    while True:
        raw = fh.read(_LENGTH.size)
        if not raw:
            raise _corrupt(path, "truncated: the final chunk is missing")
        if len(raw) != _LENGTH.size:
            raise _corrupt(path, "truncated chunk length")
        (length,) = _LENGTH.unpack(raw)
        if length < _ABYTES or length > CHUNK_SIZE + _ABYTES:
            raise _corrupt(path, "bad chunk length")
        cipher = _read_exact(fh, length, path, "chunk")
        try:
            message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, cipher, ad)
        except CryptoError as exc:
            raise _corrupt(path, "a chunk failed authentication") from exc
        ad = None
        try:
            out.write(decompressor.decompress(message))
        except zlib.error as exc:
            raise _corrupt(path, f"decompression: {exc}") from exc
        if tag == _TAG_FINAL:
            break
    if fh.read(1):
        raise _corrupt(path, "data after the final chunk")
    try:
        out.write(decompressor.flush())
    except zlib.error as exc:
        raise _corrupt(path, f"decompression: {exc}") from exc
    if not decompressor.eof or decompressor.unused_data:
        raise _corrupt(path, "compressed stream incomplete")


def decrypt_backup(path: Path, passphrase: str, out_db: Path) -> BackupHeader:
    """Check the passphrase against the header's verifier, then decrypt to ``out_db``.

    ``out_db`` is written as ``<out_db>.tmp`` and renamed when every chunk has been
    authenticated; on any failure nothing is left behind.

    Returns:
        The header (now authenticated).

    Raises:
        ImportFileError: ``backup.not_found``, ``backup.unreadable``, ``backup.not_a_backup``,
            ``backup.too_new``, ``backup.corrupt`` (tampered, truncated, damaged).
        ValidationError: ``backup.wrong_passphrase`` (field ``passphrase``).
        DatabaseError: ``database.disk_full``, ``backup.cannot_write``.
    """
    tmp = _tmp_path(out_db)
    try:
        with path.open("rb") as fh:
            header, preamble = _parse_header(fh, path)
            try:
                ok: bool = PasswordHasher().verify(header.verifier, passphrase)
            except VerificationError:
                ok = False
            if not ok:
                raise ValidationError("backup.wrong_passphrase", field="passphrase")
            kdf = header.meta["kdf"]
            ops, mem = int(kdf["opslimit"]), int(kdf["memlimit"])
            if not (argon2id.OPSLIMIT_MIN <= ops <= _MAX_OPSLIMIT and argon2id.MEMLIMIT_MIN <= mem <= _MAX_MEMLIMIT):
                raise _corrupt(path, "KDF parameters out of bounds")
            key = _derive_key(passphrase, bytes.fromhex(kdf["salt"]), ops, mem)
            try:
                with tmp.open("wb") as out:
                    _decrypt_stream(fh, out, key, preamble, path)
                    out.flush()
                    os.fsync(out.fileno())
                tmp.replace(out_db)
            except OSError as exc:
                raise _write_error(exc, out_db.parent) from exc
        return header
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ImportFileError("backup.not_found", path=str(path)) from exc
    except OSError as exc:
        raise ImportFileError("backup.unreadable", path=str(path), detail=str(exc)) from exc
    finally:
        _remove(tmp)


__all__ = [
    "CHUNK_SIZE",
    "FORMAT_VERSION",
    "KDF_MEMLIMIT",
    "KDF_OPSLIMIT",
    "MAGIC",
    "BackupHeader",
    "decrypt_backup",
    "is_backup_file",
    "plain_copy",
    "read_backup_header",
    "write_encrypted_backup",
]
