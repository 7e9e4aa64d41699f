"""The encrypted backup file format, and the backup every schema upgrade takes first."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import struct
from pathlib import Path
from typing import Any

import nacl.pwhash.argon2id as argon2id
import pytest
from argon2 import PasswordHasher

from wushe_desktop.errors import DatabaseError, ImportFileError, ValidationError
from wushe_desktop.storage import backup
from wushe_desktop.storage.backup import (
    MAGIC,
    decrypt_backup,
    is_backup_file,
    read_backup_header,
    write_encrypted_backup,
)
from wushe_desktop.storage.db import current_revision, head_revision, open_database
from wushe_desktop.storage.sqlite import integrity_problems

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSPHRASE = "correct horse battery"
META = {"station_code": "150121101000", "station_name": "毕克齐镇社工站", "schema_revision": "0002",
        "created_at": "2026-11-25T02:00:00+00:00"}


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "KDF_OPSLIMIT", argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(backup, "KDF_MEMLIMIT", argon2id.MEMLIMIT_MIN)


@pytest.fixture(scope="module")
def verifier() -> str:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSPHRASE)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A WAL database with text and incompressible bytes, some of it still in the WAL."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "station.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT, blob BLOB)")
    conn.executemany("INSERT INTO note (text, blob) VALUES (?, ?)",
                     [(f"第{i}条服务记录", os.urandom(2000)) for i in range(200)])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("INSERT INTO note (text) VALUES ('只在WAL里')")
    conn.commit()
    yield path
    conn.close()


def rows(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, text, blob FROM note ORDER BY id").fetchall()
    finally:
        conn.close()


def record_offsets(data: bytes) -> list[int]:
    """Start offsets of the chunk records (length prefix) in a backup file."""
    (length,) = struct.unpack(">I", data[10:14])
    pos = 14 + length + 32 + 24
    offsets = []
    while pos < len(data):
        offsets.append(pos)
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        pos += 4 + size
    return offsets


def test_round_trip_keeps_every_row_including_the_wal(source: Path, tmp_path: Path, verifier: str) -> None:
    out = tmp_path / "stick" / "backup.wbak"
    out.parent.mkdir()
    size = write_encrypted_backup(source, out, PASSPHRASE, verifier, META)
    assert size == out.stat().st_size and is_backup_file(out)
    data = out.read_bytes()
    assert "服务记录".encode() not in data and b"SQLite format 3" not in data
    header = read_backup_header(out)
    assert (header.station_code, header.station_name, header.schema_revision, header.verifier) == (
        "150121101000", "毕克齐镇社工站", "0002", verifier)
    assert header.meta["kdf"]["opslimit"] == argon2id.OPSLIMIT_MIN
    restored = tmp_path / "restored.sqlite3"
    assert decrypt_backup(out, PASSPHRASE, restored).station_code == "150121101000"
    assert rows(restored) == rows(source)
    assert rows(restored)[-1][1] == "只在WAL里"
    assert integrity_problems(restored) == []
    # The plaintext copy never left the data folder, and nothing was left behind.
    assert sorted(p.name for p in source.parent.iterdir()) == ["station.sqlite3", "station.sqlite3-shm",
                                                               "station.sqlite3-wal"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["backup.wbak"]


def test_many_chunks_and_explicit_limits(source: Path, tmp_path: Path, verifier: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "CHUNK_SIZE", 4096)
    out = tmp_path / "backup.wbak"
    write_encrypted_backup(source, out, PASSPHRASE, verifier, META, opslimit=argon2id.OPSLIMIT_MIN + 1,
                           memlimit=argon2id.MEMLIMIT_MIN * 2)
    assert len(record_offsets(out.read_bytes())) > 50
    assert read_backup_header(out).meta["kdf"]["opslimit"] == argon2id.OPSLIMIT_MIN + 1
    decrypt_backup(out, PASSPHRASE, tmp_path / "restored.sqlite3")
    assert rows(tmp_path / "restored.sqlite3") == rows(source)


def test_a_passphrase_not_matching_the_verifier_is_refused_on_writing(source: Path, tmp_path: Path,
                                                                      verifier: str) -> None:
    with pytest.raises(ValidationError) as info:
        write_encrypted_backup(source, tmp_path / "b.wbak", "wrong passphrase", verifier, META)
    assert info.value.code == "passphrase.wrong"
    assert not (tmp_path / "b.wbak").exists()


@pytest.fixture
def made(source: Path, tmp_path: Path, verifier: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(backup, "CHUNK_SIZE", 4096)
    out = tmp_path / "backup.wbak"
    write_encrypted_backup(source, out, PASSPHRASE, verifier, META)
    return out


def expect(path: Path, code: str, tmp_path: Path, passphrase: str = PASSPHRASE) -> None:
    target = tmp_path / "out.sqlite3"
    with pytest.raises((ImportFileError, ValidationError)) as info:
        decrypt_backup(path, passphrase, target)
    assert info.value.code == code
    assert not target.exists() and not (tmp_path / "out.sqlite3.tmp").exists()


def test_a_wrong_passphrase_is_caught_by_the_verifier_in_the_header(made: Path, tmp_path: Path) -> None:
    expect(made, "backup.wrong_passphrase", tmp_path, "correct horse batery")


def test_a_flipped_byte_anywhere_is_corrupt(made: Path, tmp_path: Path) -> None:
    data = made.read_bytes()
    offsets = record_offsets(data)
    (header_len,) = struct.unpack(">I", data[10:14])
    spots = {
        "header": 14 + header_len // 2,  # caught by the header checksum, not read as a wrong passphrase
        "verifier": 14 + data[14:].index(b"$argon2id$") + 30,
        "stream header": 14 + header_len + 32 + 5,
        "first chunk": offsets[0] + 40,
        "middle chunk": offsets[len(offsets) // 2] + 100,
        "last byte": len(data) - 1,
    }
    for _where, index in spots.items():
        damaged = bytearray(data)
        damaged[index] ^= 0x01
        bad = tmp_path / "bad.wbak"
        bad.write_bytes(bytes(damaged))
        expect(bad, "backup.corrupt", tmp_path)


def test_truncation_reordering_and_trailing_data_are_corrupt(made: Path, tmp_path: Path) -> None:
    data = made.read_bytes()
    offsets = record_offsets(data)
    bad = tmp_path / "bad.wbak"
    cases = {
        "cut mid-chunk": data[: offsets[3] + 50],
        "cut at a chunk boundary": data[: offsets[-1]],  # the final chunk is missing
        "cut in the header": data[:30],
        "a chunk dropped": data[: offsets[2]] + data[offsets[3] :],
        "two chunks swapped": data[: offsets[1]] + data[offsets[2] : offsets[3]] + data[offsets[1] : offsets[2]]
        + data[offsets[3] :],
        "trailing data": data + b"\x00" * 20,
    }
    for _case, content in cases.items():
        bad.write_bytes(content)
        expect(bad, "backup.corrupt", tmp_path)


def test_files_that_are_no_backup(tmp_path: Path, source: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("这不是备份", encoding="utf-8")
    empty = tmp_path / "empty.wbak"
    empty.write_bytes(b"")
    for path in (text, empty, source):
        expect(path, "backup.not_a_backup", tmp_path)
        with pytest.raises(ImportFileError):
            read_backup_header(path)
    with pytest.raises(ImportFileError) as info:
        read_backup_header(tmp_path / "missing.wbak")
    assert info.value.code == "backup.not_found"


def forge_header(data: bytes, change: dict[str, Any] | None = None, version: int | None = None) -> bytes:
    """Rewrite the header (with a valid checksum), as a newer program or an attacker would."""
    (length,) = struct.unpack(">I", data[10:14])
    meta = json.loads(data[14 : 14 + length])
    for key, value in (change or {}).items():
        meta[key] = value
    body = json.dumps(meta).encode()
    (old_version,) = struct.unpack(">H", data[8:10])
    prefix = MAGIC + struct.pack(">HI", old_version if version is None else version, len(body)) + body
    return prefix + hashlib.sha256(prefix).digest() + data[14 + length + 32 :]


def test_a_newer_format_is_refused_as_too_new(made: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.wbak"
    newer.write_bytes(forge_header(made.read_bytes(), version=2))
    expect(newer, "backup.too_new", tmp_path)
    with pytest.raises(ImportFileError) as info:
        read_backup_header(newer)
    assert info.value.code == "backup.too_new"


def test_a_forged_header_never_decrypts(made: Path, tmp_path: Path) -> None:
    data = made.read_bytes()
    forged = tmp_path / "forged.wbak"
    meta = read_backup_header(made).meta
    # Another station's name: the header is bound to the first chunk.
    forged.write_bytes(forge_header(data, {"station_name": "别的社工站"}))
    expect(forged, "backup.corrupt", tmp_path)
    # A KDF asking for a terabyte of memory is refused before anything is allocated.
    forged.write_bytes(forge_header(data, {"kdf": {**meta["kdf"], "memlimit": 1 << 40}}))
    expect(forged, "backup.corrupt", tmp_path)
    forged.write_bytes(forge_header(data, {"cipher": "rot13"}))
    expect(forged, "backup.corrupt", tmp_path)
    # So is a verifier that would make the passphrase check allocate 4 GiB.
    greedy = meta["verifier"].replace("m=8,", "m=4194304,")
    assert greedy != meta["verifier"]
    forged.write_bytes(forge_header(data, {"verifier": greedy}))
    expect(forged, "backup.corrupt", tmp_path)
    forged.write_bytes(forge_header(data, {"verifier": "not a hash"}))
    expect(forged, "backup.corrupt", tmp_path)


def test_a_full_disk_leaves_no_partial_file(source: Path, tmp_path: Path, verifier: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "stick" / "backup.wbak"
    out.parent.mkdir()

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DatabaseError) as info:
        write_encrypted_backup(source, out, PASSPHRASE, verifier, META)
    assert info.value.code == "database.disk_full"
    assert list(out.parent.iterdir()) == []
    assert sorted(p.name for p in source.parent.iterdir()) == ["station.sqlite3", "station.sqlite3-shm",
                                                               "station.sqlite3-wal"]


def test_a_full_disk_while_writing_chunks(source: Path, tmp_path: Path, verifier: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "backup.wbak"
    real = backup._encrypt_stream

    def fills_up(plain: Any, dst: Any, key: bytes, preamble: bytes) -> None:
        dst.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_encrypt_stream", fills_up)
    with pytest.raises(DatabaseError) as info:
        write_encrypted_backup(source, out, PASSPHRASE, verifier, META)
    assert info.value.code == "database.disk_full"
    assert not out.exists() and not (tmp_path / "backup.wbak.tmp").exists()
    monkeypatch.setattr(backup, "_encrypt_stream", real)
    out.write_bytes(b"an older backup")
    monkeypatch.setattr(os, "replace", lambda *_a: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(DatabaseError) as other:
        write_encrypted_backup(source, out, PASSPHRASE, verifier, META)
    assert other.value.code == "backup.cannot_write"
    assert out.read_bytes() == b"an older backup"  # the previous backup is untouched


def test_upgrading_a_released_schema_first_takes_a_backup_that_opens(tmp_path: Path) -> None:
    path = tmp_path / "schema-0001.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", path)
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
        (taken,) = db.backups
    finally:
        db.dispose()
    assert taken.parent == tmp_path / "backups" and taken.is_file()
    assert list((tmp_path / "backups").iterdir()) == [taken]
    assert integrity_problems(taken) == []
    conn = sqlite3.connect(f"file:{taken}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("case_file", "person")]
    finally:
        conn.close()
    original = sqlite3.connect(f"file:{FIXTURES / 'schema-0001.sqlite3'}?mode=ro", uri=True)
    try:
        assert counts == [original.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("case_file", "person")]
    finally:
        original.close()
    # And the backup itself opens (and upgrades) as a database.
    copy = tmp_path / "again" / "copy.sqlite3"
    copy.parent.mkdir()
    shutil.copy(taken, copy)
    again = open_database(copy)
    try:
        assert current_revision(again.engine) == head_revision()
    finally:
        again.dispose()
