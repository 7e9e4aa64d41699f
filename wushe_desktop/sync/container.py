"""A strict reader of the bundle's ZIP container (docs/bundle-format.md, "Container").

The standard library's :mod:`zipfile` writes bundles, but it reads too leniently to be
the gatekeeper: it accepts data before the first member, trusts the central directory
without comparing the local headers, and lists duplicate names. This module parses the
end record, the central directory and every local header itself and accepts exactly one
layout: the expected members, each once, stored (not compressed), not encrypted, with no
data descriptor, no comments, no gap or extra byte anywhere in the file, and local headers
that agree with the central directory on name, flags, method, CRC and sizes. ZIP64
records are understood (bundles over about 2 GiB need them).

CRC-32 values are not checked against the data: they are not authenticated, and every
byte that is used is covered by the manifest's signature instead.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, Final

from wushe_desktop.sync.errors import BundleError, Code

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory, 22 bytes
_EOCD_SIG: Final = b"PK\x05\x06"
_LOCATOR = struct.Struct("<4sLQL")  # ZIP64 end of central directory locator, 20 bytes
_LOCATOR_SIG: Final = b"PK\x06\x07"
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # ZIP64 end of central directory record, 56 bytes
_EOCD64_SIG: Final = b"PK\x06\x06"
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory file header, 46 bytes
_CENTRAL_SIG: Final = b"PK\x01\x02"
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header, 30 bytes
_LOCAL_SIG: Final = b"PK\x03\x04"

_ZIP64_EXTRA: Final = 0x0001
_FLAG_ENCRYPTED: Final = 0x0001
_FLAG_DATA_DESCRIPTOR: Final = 0x0008
_FLAG_UTF8: Final = 0x0800
_METHOD_STORED: Final = 0
_U16: Final = 0xFFFF
_U32: Final = 0xFFFFFFFF

#: Most central-directory entries read (anything beyond three is refused anyway).
MAX_ENTRIES: Final = 64
#: Largest central directory read.
MAX_CENTRAL_DIRECTORY: Final = 64 * 1024
#: Largest local-header extra field accepted.
MAX_LOCAL_EXTRA: Final = 1024


@dataclass(frozen=True)
class Member:
    """Where one stored member's bytes are in the file."""

    name: str
    header_offset: int
    data_offset: int
    size: int
    crc: int


def _fail(code: Code, detail: str, **params: object) -> BundleError:
    return BundleError(code, detail, **params)


def _read_at(fh: BinaryIO, offset: int, length: int) -> bytes:
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise _fail(Code.CONTAINER, "a record runs past the end of the file")
    return data


def _zip64_values(extra: bytes, wanted: list[str]) -> dict[str, int]:
    """Read the ZIP64 extended information field for the ``wanted`` values, in order."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        if len(body) != size:
            raise _fail(Code.CONTAINER, "malformed extra field")
        if tag == _ZIP64_EXTRA:
            if size < 8 * len(wanted):
                raise _fail(Code.CONTAINER, "short ZIP64 extra field")
            return {name: struct.unpack_from("<Q", body, 8 * i)[0] for i, name in enumerate(wanted)}
        pos += 4 + size
    if pos != len(extra):
        raise _fail(Code.CONTAINER, "malformed extra field")
    if wanted:
        raise _fail(Code.CONTAINER, "missing ZIP64 extra field")
    return {}


def _check_name(name: str) -> None:
    """Refuse names that could escape a folder if anyone ever extracted the file."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or (len(name) >= 2 and name[1] == ":")
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise _fail(Code.MEMBER_PATH, "member name is a path", name=name[:80])


def _end_records(fh: BinaryIO, file_size: int) -> tuple[int, int, int]:
    """Find the central directory: ``(offset, size, entry count)``; check the end records."""
    if file_size < _EOCD.size:
        if _read_at(fh, 0, min(4, file_size)) == _LOCAL_SIG:
            raise _fail(Code.TRUNCATED, "ZIP file without its end record")
        raise _fail(Code.NOT_ZIP, "too short to be a ZIP file")
    eocd = _read_at(fh, file_size - _EOCD.size, _EOCD.size)
    sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len = _EOCD.unpack(eocd)
    if sig != _EOCD_SIG:
        tail_start = max(0, file_size - 65_557)
        tail = _read_at(fh, tail_start, file_size - tail_start)
        found = tail.rfind(_EOCD_SIG)
        if found >= 0:
            record = tail[found : found + _EOCD.size]
            if len(record) == _EOCD.size and found + _EOCD.size + _EOCD.unpack(record)[-1] <= len(tail):
                raise _fail(Code.CONTAINER, "archive comment or trailing data")
            raise _fail(Code.TRUNCATED, "the end record is cut off")
        head = _read_at(fh, 0, min(4, file_size))
        if head == _LOCAL_SIG:
            raise _fail(Code.TRUNCATED, "ZIP file without its end record")
        raise _fail(Code.NOT_ZIP, "no end of central directory record")
    if comment_len != 0:
        raise _fail(Code.CONTAINER, "archive comment")
    if disk != 0 or cd_disk != 0 or n_disk != n_total:
        raise _fail(Code.CONTAINER, "multi-disk archive")
    cd_end = file_size - _EOCD.size
    locator_offset = file_size - _EOCD.size - _LOCATOR.size
    # zipfile writes the ZIP64 records whenever an offset passes 2 GiB, even when the
    # classic end record can still hold the values, so look for the locator itself.
    has_zip64 = locator_offset >= 0 and _read_at(fh, locator_offset, 4) == _LOCATOR_SIG
    if has_zip64:
        _sig, l_disk, eocd64_offset, l_disks = _LOCATOR.unpack(_read_at(fh, locator_offset, _LOCATOR.size))
        if l_disk != 0 or l_disks != 1:
            raise _fail(Code.CONTAINER, "bad ZIP64 locator")
        if eocd64_offset + _EOCD64.size != locator_offset:
            raise _fail(Code.CONTAINER, "bytes between the ZIP64 records")
        fields = _EOCD64.unpack(_read_at(fh, eocd64_offset, _EOCD64.size))
        sig64, rec_size, _made, _needed, disk64, cd_disk64, n_disk64, n_total64, cd_size64, cd_offset64 = fields
        if sig64 != _EOCD64_SIG or rec_size != _EOCD64.size - 12 or disk64 != 0 or cd_disk64 != 0:
            raise _fail(Code.CONTAINER, "bad ZIP64 end record")
        if n_disk64 != n_total64:
            raise _fail(Code.CONTAINER, "multi-disk archive")
        # The classic record holds either the same values or the "see ZIP64" markers.
        if (n_total not in (n_total64, _U16) or cd_size not in (cd_size64, _U32)
                or cd_offset not in (cd_offset64, _U32)):
            raise _fail(Code.CONTAINER, "end records disagree")
        n_total, cd_size, cd_offset, cd_end = n_total64, cd_size64, cd_offset64, eocd64_offset
    elif n_total == _U16 or _U32 in (cd_size, cd_offset):
        raise _fail(Code.CONTAINER, "missing ZIP64 records")
    if cd_offset + cd_size != cd_end:
        raise _fail(Code.CONTAINER, "bytes between the central directory and its end record")
    if n_total > MAX_ENTRIES:
        raise _fail(Code.MEMBERS, "too many members", count=n_total)
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise _fail(Code.CONTAINER, "central directory too large")
    return cd_offset, cd_size, n_total


def _central_entries(directory: bytes, count: int) -> list[tuple[bytes, int, int, int, int, int]]:
    """Parse the central directory: ``(raw name, flags, method, crc, size, offset)`` each."""
    entries = []
    pos = 0
    for _ in range(count):
        if pos + _CENTRAL.size > len(directory):
            raise _fail(Code.CONTAINER, "central directory truncated")
        (sig, _made, _needed, flags, method, _time, _date, crc, csize, usize, name_len, extra_len,
         comment_len, disk_start, _int_attr, _ext_attr, offset) = _CENTRAL.unpack_from(directory, pos)
        if sig != _CENTRAL_SIG:
            raise _fail(Code.CONTAINER, "bad central directory entry")
        pos += _CENTRAL.size
        end = pos + name_len + extra_len + comment_len
        if end > len(directory):
            raise _fail(Code.CONTAINER, "central directory truncated")
        raw_name = directory[pos : pos + name_len]
        extra = directory[pos + name_len : pos + name_len + extra_len]
        pos = end
        if comment_len or disk_start:
            raise _fail(Code.CONTAINER, "member comment or multi-disk member")
        wanted = [n for n, v in (("usize", usize), ("csize", csize), ("offset", offset)) if v == _U32]
        big = _zip64_values(extra, wanted) if wanted else {}
        usize = big.get("usize", usize)
        csize = big.get("csize", csize)
        offset = big.get("offset", offset)
        if csize != usize:
            raise _fail(Code.CONTAINER, "compressed member")
        entries.append((raw_name, flags, method, crc, usize, offset))
    if pos != len(directory):
        raise _fail(Code.CONTAINER, "bytes after the central directory entries")
    return entries


def _decode_name(raw: bytes, flags: int) -> str:
    try:
        return raw.decode("utf-8") if flags & _FLAG_UTF8 else raw.decode("cp437")
    except UnicodeDecodeError as exc:
        raise _fail(Code.MEMBER_PATH, "member name is not valid UTF-8") from exc


def read_members(fh: BinaryIO, file_size: int, expected: tuple[str, ...]) -> dict[str, Member]:
    """Check the container and find its members.

    Args:
        fh: The file, open for binary reading (seekable).
        file_size: Its size in bytes.
        expected: The member names that must be present, each exactly once.

    Returns:
        The members by name.

    Raises:
        BundleError: ``bundle.not_zip``, ``bundle.truncated``, ``bundle.container``,
            ``bundle.member_path``, ``bundle.duplicate_member``, ``bundle.members`` or
            ``bundle.header_mismatch``, in that order of checking.
    """
    cd_offset, cd_size, count = _end_records(fh, file_size)
    entries = _central_entries(_read_at(fh, cd_offset, cd_size), count)
    names = [_decode_name(raw, flags) for raw, flags, *_ in entries]
    for name in names:
        _check_name(name)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _fail(Code.DUPLICATE_MEMBER, "a member appears twice", name=name)
        seen.add(name)
    if seen != set(expected):
        raise _fail(Code.MEMBERS, "not the expected members", found=",".join(sorted(seen))[:200])

    members: dict[str, Member] = {}
    for name, (raw_name, flags, method, crc, size, offset) in zip(names, entries, strict=True):
        if flags & ~_FLAG_UTF8:
            raise _fail(Code.CONTAINER, "encrypted member or data descriptor", name=name)
        if method != _METHOD_STORED:
            raise _fail(Code.CONTAINER, "compressed member", name=name)
        if offset + _LOCAL.size > cd_offset:
            raise _fail(Code.HEADER_MISMATCH, "local header outside the data area", name=name)
        (sig, _needed, l_flags, l_method, _time, _date, l_crc, l_csize, l_usize, name_len,
         extra_len) = _LOCAL.unpack(_read_at(fh, offset, _LOCAL.size))
        if sig != _LOCAL_SIG:
            raise _fail(Code.HEADER_MISMATCH, "no local header where the directory says", name=name)
        if extra_len > MAX_LOCAL_EXTRA:
            raise _fail(Code.CONTAINER, "local extra field too large", name=name)
        tail = _read_at(fh, offset + _LOCAL.size, name_len + extra_len)
        l_name, l_extra = tail[:name_len], tail[name_len:]
        if _U32 in (l_csize, l_usize):
            big = _zip64_values(l_extra, ["usize", "csize"])
            l_usize, l_csize = big["usize"], big["csize"]
        if (l_name, l_flags, l_method, l_crc, l_usize, l_csize) != (raw_name, flags, method, crc, size, size):
            raise _fail(Code.HEADER_MISMATCH, "local header disagrees with the central directory", name=name)
        data_offset = offset + _LOCAL.size + name_len + extra_len
        members[name] = Member(name, offset, data_offset, size, crc)

    # No byte of the file may lie outside a member, the directory or the end records.
    position = 0
    for member in sorted(members.values(), key=lambda m: m.header_offset):
        if member.header_offset != position:
            raise _fail(Code.CONTAINER, "bytes outside the members", offset=position)
        position = member.data_offset + member.size
    if position != cd_offset:
        raise _fail(Code.CONTAINER, "bytes between the members and the central directory")
    return members
