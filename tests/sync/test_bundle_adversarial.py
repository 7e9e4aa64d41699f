"""Every bundle an importer must refuse is refused, whole, with the right code."""

from __future__ import annotations

import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wushe_desktop.sync import bundle, keys
from wushe_desktop.sync.errors import CHECK_ORDER, BundleError, Code


def refused(kit: Any, path: Path, **read_options: Any) -> BundleError:
    with pytest.raises(BundleError) as caught:
        kit.read(path, **read_options)
    return caught.value


def code_of(kit: Any, path: Path, **read_options: Any) -> str:
    return refused(kit, path, **read_options).code


def member_data_offsets(path: Path) -> dict[str, tuple[int, int]]:
    """Where each member's bytes are: ``(offset, size)``."""
    raw = path.read_bytes()
    result = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
            result[info.filename] = (info.header_offset + 30 + name_len + extra_len, info.file_size)
    return result


def test_every_code_in_the_check_order_is_a_bundle_code() -> None:
    assert len(set(CHECK_ORDER)) == len(CHECK_ORDER)
    assert all(code.startswith("bundle.") for code in CHECK_ORDER)
    assert {c for c in Code if c.startswith("bundle.")} == set(CHECK_ORDER)


# --- one flipped byte in each member ------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "position", "expected"),
    [
        ("manifest.json", 0, Code.SIGNATURE),
        ("manifest.json", 200, Code.SIGNATURE),
        ("manifest.json", -1, Code.SIGNATURE),
        ("manifest.sig", 40, Code.SIGNATURE),  # inside the signature
        ("manifest.sig", -1, Code.SIGNATURE),
        ("manifest.sig", 25, Code.UNKNOWN_KEY),  # inside the key id: names a key nobody registered
        ("manifest.sig", 10, Code.UNKNOWN_STATION),  # inside the station code
        ("manifest.sig", 0, Code.SIGNATURE),  # the magic
        ("manifest.sig", 7, Code.SUITE),  # the algorithm byte
        ("payload.bin", 0, Code.PAYLOAD_HASH),  # the sealed key
        ("payload.bin", 100, Code.PAYLOAD_HASH),  # the stream header
        ("payload.bin", 500, Code.PAYLOAD_HASH),
        ("payload.bin", -1, Code.PAYLOAD_HASH),
    ],
)
def test_a_flipped_byte_in_any_member_is_refused(kit: Any, member: str, position: int, expected: Code) -> None:
    path = kit.write()
    offset, size = member_data_offsets(path)[member]
    raw = path.read_bytes()
    path.write_bytes(kit.flip(raw, offset + (position % size)))
    assert code_of(kit, path) == expected


def test_a_flipped_byte_in_the_zip_structure_is_refused(kit: Any) -> None:
    path = kit.write()
    raw = path.read_bytes()
    offset, _ = member_data_offsets(path)["payload.bin"]
    # The payload's local header name: the local header no longer agrees with the directory.
    path.write_bytes(kit.flip(raw, offset - 3))
    assert code_of(kit, path) == Code.HEADER_MISMATCH


@pytest.mark.parametrize("keep", [10, 21, 30, 200, 0.5, -23, -1])
def test_a_truncated_file_is_refused(kit: Any, keep: float) -> None:
    path = kit.write()
    raw = path.read_bytes()
    cut = int(len(raw) * keep) if isinstance(keep, float) else keep % len(raw)
    path.write_bytes(raw[:cut])
    assert code_of(kit, path) == Code.TRUNCATED


# --- members changed and the ZIP rebuilt with valid checksums ---------------------------


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m[:1] + b" " + m[1:],  # one space after "{"
        lambda m: m + b" ",  # one trailing space
        lambda m: m + b"\n",
        lambda m: m.replace(b'"full":true', b'"full":false'),
        lambda m: m.replace(b'"sequence":1', b'"sequence":2'),
    ],
)
def test_an_edited_manifest_in_a_valid_zip_fails_the_signature(kit: Any, edit: Callable[[bytes], bytes]) -> None:
    members = kit.members(kit.write())
    edited = edit(members["manifest.json"])
    assert edited != members["manifest.json"]
    path = kit.rebuild([("manifest.json", edited), ("manifest.sig", members["manifest.sig"]),
                        ("payload.bin", members["payload.bin"])])
    assert code_of(kit, path) == Code.SIGNATURE


def test_an_unchanged_rebuilt_zip_is_accepted(kit: Any) -> None:
    members = kit.members(kit.write())
    assert kit.read(kit.rebuild(members.items())).manifest.table_counts["person"] == 5


def test_a_payload_swapped_for_another_valid_payload_fails_the_hash(kit: Any) -> None:
    first = kit.members(kit.write())
    second = kit.members(kit.write())
    path = kit.rebuild([("manifest.json", first["manifest.json"]), ("manifest.sig", first["manifest.sig"]),
                        ("payload.bin", second["payload.bin"])])
    assert code_of(kit, path) == Code.PAYLOAD_HASH


def test_a_signature_from_another_bundle_fails(kit: Any) -> None:
    first = kit.members(kit.write())
    second = kit.members(kit.write(sequence=2))
    path = kit.rebuild([("manifest.json", first["manifest.json"]), ("manifest.sig", second["manifest.sig"]),
                        ("payload.bin", first["payload.bin"])])
    assert code_of(kit, path) == Code.SIGNATURE


def test_a_manifest_re_signed_by_the_station_but_not_canonical_is_refused(kit: Any) -> None:
    path = kit.forge(manifest_bytes=lambda m: m[:1] + b" " + m[1:])
    assert code_of(kit, path) == Code.MANIFEST_INVALID


# --- container rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (["manifest.json", "manifest.sig", "payload.bin", "extra.txt"], Code.MEMBERS),
        (["manifest.json", "manifest.sig"], Code.MEMBERS),
        (["manifest.json", "manifest.sig", "payload.bin", "../evil"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "../payload.bin"], Code.MEMBER_PATH),
        (["/manifest.json", "manifest.sig", "payload.bin"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "C:/payload.bin"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "dir\\payload.bin"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "a/../payload.bin"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "./payload.bin"], Code.MEMBER_PATH),
        (["manifest.json", "manifest.sig", "Payload.bin"], Code.MEMBERS),
    ],
)
def test_member_rules(kit: Any, members: list[str], expected: Code) -> None:
    original = kit.members(kit.write())
    data = {name: original.get(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], b"x") for name in members}
    path = kit.rebuild(data.items())
    assert code_of(kit, path) == expected
    assert kit.registry.calls == []  # refused before any trust look-up


def test_duplicate_members_are_refused(kit: Any) -> None:
    original = kit.members(kit.write())
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = kit.rebuild([*original.items(), ("manifest.json", original["manifest.json"])])
    assert code_of(kit, path) == Code.DUPLICATE_MEMBER


def test_a_compressed_member_is_refused(kit: Any) -> None:
    original = kit.members(kit.write())
    path = kit.rebuild(original.items(), compression=zipfile.ZIP_DEFLATED)
    assert code_of(kit, path) == Code.CONTAINER


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: b"junk" + raw,  # data before the first member
        lambda raw: raw + b"junk",  # data after the end record
        lambda raw: raw[:-2] + b"\x04\x00" + b"hey!",  # an archive comment
    ],
)
def test_stray_bytes_are_refused(kit: Any, mangle: Callable[[bytes], bytes]) -> None:
    path = kit.write()
    path.write_bytes(mangle(path.read_bytes()))
    assert code_of(kit, path) == Code.CONTAINER


def test_local_header_disagreeing_with_the_directory_is_refused(kit: Any) -> None:
    path = kit.write()
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("manifest.sig")
    # Local header's uncompressed size field (offset 22): 100 -> 99.
    struct.pack_into("<L", raw, info.header_offset + 22, 99)
    path.write_bytes(bytes(raw))
    assert code_of(kit, path) == Code.HEADER_MISMATCH


@pytest.mark.parametrize("content", [b"", b"hello", b"PK", b"\x00" * 5000, json.dumps({"a": 1}).encode()])
def test_not_a_zip(kit: Any, content: bytes) -> None:
    path = kit.path()
    path.write_bytes(content)
    assert code_of(kit, path) == Code.NOT_ZIP


def test_a_missing_file_is_unreadable(kit: Any) -> None:
    assert code_of(kit, kit.folder / "nowhere.wsb") == Code.UNREADABLE


def test_size_limits(kit: Any) -> None:
    path = kit.write()
    error = refused(kit, path, max_size=1000)
    assert (error.code, error.params["limit"]) == (Code.TOO_LARGE, 1000)
    assert code_of(kit, path, max_manifest=100) == Code.MANIFEST_TOO_LARGE


def test_an_oversized_manifest_is_refused_before_its_signature_is_checked(kit: Any) -> None:
    path = kit.forge(manifest=lambda m: m.update(padding="x" * 70_000))
    assert code_of(kit, path) == Code.MANIFEST_TOO_LARGE
    assert kit.registry.calls == []


# --- trust ----------------------------------------------------------------------------------


def test_unregistered_station(kit: Any) -> None:
    path = kit.write()
    kit.registry.keys_by_station.clear()
    error = refused(kit, path)
    assert error.code == Code.UNKNOWN_STATION
    assert error.params["station"] == kit.STATION


def test_unregistered_key_of_a_registered_station(kit: Any) -> None:
    new_key = keys.generate()
    assert code_of(kit, kit.write(signing_key=new_key.private)) == Code.UNKNOWN_KEY


def test_revoked_key(kit: Any) -> None:
    kit.registry.register(kit.STATION, kit.station.public, revoked=True)
    assert code_of(kit, kit.write()) == Code.KEY_REVOKED


def test_a_key_registered_for_another_station_does_not_sign_for_this_one(kit: Any) -> None:
    other = keys.generate()
    kit.registry.register(kit.OTHER_STATION, other.public)
    # Signed with the other station's key but claiming this station's code.
    path = kit.forge(signer=other, code=kit.STATION)
    assert code_of(kit, path) == Code.UNKNOWN_KEY


def test_the_manifest_must_name_the_station_and_key_of_manifest_sig(kit: Any) -> None:
    other = keys.generate()
    kit.registry.register(kit.OTHER_STATION, other.public)
    path = kit.forge(signer=other, code=kit.OTHER_STATION, manifest=lambda m: m.update(station_code=kit.STATION))
    assert code_of(kit, path) == Code.MANIFEST_INVALID


def test_the_demo_station_is_refused(kit: Any) -> None:
    kit.registry.register(bundle.DEMO_STATION_CODE, kit.station.public)
    rows = [kit.person_row(origin=bundle.DEMO_STATION_CODE)]
    path = kit.write([("person", rows)], station_code=bundle.DEMO_STATION_CODE)
    assert code_of(kit, path) == Code.DEMO_STATION


def test_verify_before_parse_a_garbage_manifest_with_a_bad_signature_is_a_signature_failure(kit: Any) -> None:
    members = kit.members(kit.write())
    path = kit.rebuild([("manifest.json", b"\xff not json at all"), ("manifest.sig", members["manifest.sig"]),
                        ("payload.bin", members["payload.bin"])])
    assert code_of(kit, path) == Code.SIGNATURE


def test_the_manifest_is_not_parsed_before_the_signature_is_checked(
    kit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = kit.write()
    kit.registry.keys_by_station.clear()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed before verification")

    monkeypatch.setattr(bundle, "parse_manifest", no_parsing)
    monkeypatch.setattr(bundle, "strict_loads", no_parsing)
    assert code_of(kit, path) == Code.UNKNOWN_STATION


# --- the signed manifest -------------------------------------------------------------------


def test_a_bundle_for_another_centre(kit: Any) -> None:
    other_centre = keys.generate_box()
    error = refused(kit, kit.write(centre_public_key=other_centre.public))
    assert error.code == Code.WRONG_CENTRE
    assert error.params["found"] == other_centre.fingerprint


def test_a_future_format_version_says_upgrade_the_centre(kit: Any) -> None:
    path = kit.forge(manifest=lambda m: m.update(format_version=2, suite="something-new", more={"a": 1}))
    error = refused(kit, path)
    assert error.code == Code.FORMAT_VERSION
    assert (error.params["found"], error.params["supported"]) == (2, 1)


def test_an_unknown_suite(kit: Any) -> None:
    assert code_of(kit, kit.forge(manifest=lambda m: m.update(suite="sm2+sm4+sm3"))) == Code.SUITE


def test_an_unknown_schema(kit: Any) -> None:
    error = refused(kit, kit.write(schema_revision="0099"))
    assert (error.code, error.params["found"]) == (Code.SCHEMA_UNKNOWN, "0099")


def test_unknown_optional_manifest_fields_are_accepted(kit: Any) -> None:
    path = kit.forge(manifest=lambda m: m.update(note_for_later="ok"))
    assert kit.read(path).manifest.table_counts == {"person": 1}


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(kind="wushe.receipt"),
        lambda m: m.update(format_version="1"),
        lambda m: m.update(sequence=0),
        lambda m: m.update(profile="everything"),
        lambda m: m.update(full=True, row_version_from=3),
        lambda m: m.update(row_version_to=-1),
        lambda m: m.update(table_counts={"Person": 1}),
        lambda m: m.update(created_at="yesterday"),
        lambda m: m.update(audit_head={"seq": 1}),
        lambda m: m.pop("payload_sha256"),
    ],
)
def test_a_signed_but_malformed_manifest_is_refused(kit: Any, edit: Callable[[dict[str, Any]], None]) -> None:
    assert code_of(kit, kit.forge(manifest=edit)) == Code.MANIFEST_INVALID


def test_a_payload_size_that_differs_from_the_manifest(kit: Any) -> None:
    path = kit.forge(manifest=lambda m: m.update(payload_size=m["payload_size"] + 1))
    assert code_of(kit, path) == Code.PAYLOAD_HASH


# --- the payload, forged by someone who holds the station's key ----------------------------


def test_a_payload_truncated_before_its_final_chunk(kit: Any) -> None:
    # Random bytes do not compress: two or more chunks. Keep only the first, whole chunk,
    # with hash and signature made to match.
    first_chunk_end = 80 + 24 + bundle.CHUNK_BYTES + 17
    path = kit.forge(plaintext=os.urandom(200_000), payload_transform=lambda p: p[:first_chunk_end])
    assert code_of(kit, path) == Code.DECRYPT
    path = kit.forge(payload_transform=lambda p: p[:-5])
    assert code_of(kit, path) == Code.DECRYPT


def test_a_payload_with_a_flipped_ciphertext_byte_but_a_matching_hash(kit: Any) -> None:
    path = kit.forge(payload_transform=lambda p: kit.flip(p, 120))
    assert code_of(kit, path) == Code.DECRYPT


def test_data_after_the_final_chunk(kit: Any) -> None:
    assert code_of(kit, kit.forge(payload_transform=lambda p: p + b"more")) == Code.DECRYPT


def test_a_payload_sealed_to_another_centre_under_this_centres_name(kit: Any) -> None:
    path = kit.forge(centre_public_key=keys.generate_box().public)
    assert code_of(kit, path) == Code.DECRYPT


def test_a_decompression_bomb_made_by_the_real_writer(kit: Any) -> None:
    rows = [kit.person_row(i + 1, padding="啊" * 20_000) for i in range(50)]  # 3 MB, compresses ~1000x
    path = kit.write([("person", rows)])
    assert kit.members(path)["payload.bin"].__len__() < 30_000
    error = refused(kit, path, max_uncompressed=1_000_000)
    assert (error.code, error.params["limit"]) == (Code.DECOMPRESSION_BOMB, 1_000_000)
    assert len(list(kit.read(path).rows())) == 50  # fine under the default limit


def test_a_crafted_decompression_bomb(kit: Any) -> None:
    # 32 MiB of zeros: about 32 KiB compressed.
    path = kit.forge(plaintext=b"\x00" * (32 * 1024 * 1024))
    assert len(kit.members(path)["payload.bin"]) < 100_000
    assert code_of(kit, path, max_uncompressed=4 * 1024 * 1024) == Code.DECOMPRESSION_BOMB


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[1, 2]",
        b'{"t": "person"}',
        b'{"t": "person", "r": [], "x": 1}',
        b'{"t": "Person", "r": {}}',
        b'{"t": "person", "r": {"uuid": "1", "origin": "150121101000", "row_version": 1}}',
        b'{"t": "person", "r": {"origin": "150121101000", "row_version": 1}}',
        b'{"t": "person", "r": {"uuid": "8c2b3f4e-1f7a-4b0c-9d3e-2a1b0c9d8e7f", "origin": "150121101000"}}',
        b'{"t": "person", "r": {"uuid": "8c2b3f4e-1f7a-4b0c-9d3e-2a1b0c9d8e7f", "origin": "150121101000", '
        b'"row_version": 99999}}',
        b'{"t": "person", "r": {"uuid": "8c2b3f4e-1f7a-4b0c-9d3e-2a1b0c9d8e7f", "origin": "150121101000", '
        b'"row_version": 1, "x": NaN}}',
        b"\xff\xfe",
        b"",
    ],
)
def test_a_malformed_line_is_refused(kit: Any, line: bytes) -> None:
    good = json.dumps({"t": "person", "r": kit.person_row()}).encode()
    assert code_of(kit, kit.forge([good, line, good])) == Code.PAYLOAD_INVALID


def test_the_last_line_must_end_with_a_newline(kit: Any) -> None:
    line = json.dumps({"t": "person", "r": kit.person_row()}).encode()
    assert code_of(kit, kit.forge(plaintext=line)) == Code.PAYLOAD_INVALID


def test_a_row_owned_by_another_station_rejects_the_whole_bundle(kit: Any) -> None:
    lines = [json.dumps({"t": "person", "r": kit.person_row(i + 1)}).encode() for i in range(5)]
    lines.insert(3, json.dumps({"t": "person", "r": kit.person_row(origin=kit.OTHER_STATION)}).encode())
    error = refused(kit, kit.forge(lines))
    assert (error.code, error.params["table"]) == (Code.FOREIGN_ROWS, "person")


def test_table_counts_must_equal_the_manifest(kit: Any) -> None:
    path = kit.forge(manifest=lambda m: m.update(table_counts={"person": 2}))
    assert code_of(kit, path) == Code.TABLE_COUNTS
    path = kit.forge(manifest=lambda m: m.update(table_counts={"person": 1, "case_file": 1}))
    assert code_of(kit, path) == Code.TABLE_COUNTS


def test_checks_run_in_order_whatever_the_position_in_the_stream(kit: Any) -> None:
    foreign = json.dumps({"t": "person", "r": kit.person_row(origin=kit.OTHER_STATION)}).encode()
    # A foreign row first, a malformed line later: the format check comes first.
    assert code_of(kit, kit.forge([foreign, b"garbage"])) == Code.PAYLOAD_INVALID
    # A malformed line first, a truncated stream at the end: decryption comes first.
    plaintext = b"garbage\n" + b"y" * 300_000
    path = kit.forge(plaintext=plaintext, payload_transform=lambda p: p[:-40])
    assert code_of(kit, path) == Code.DECRYPT
    # A foreign row and wrong counts: ownership comes first.
    path = kit.forge([foreign], manifest=lambda m: m.update(table_counts={}))
    assert code_of(kit, path) == Code.FOREIGN_ROWS


def test_a_file_changed_after_verification_stops_the_rows(kit: Any) -> None:
    path = kit.write(kit.sample_tables(3000))
    verified = kit.read(path)
    offset, size = member_data_offsets(path)["payload.bin"]
    raw = path.read_bytes()
    path.write_bytes(kit.flip(raw, offset + size - 30))
    with pytest.raises(BundleError) as caught:
        list(verified.rows())
    assert caught.value.code == Code.CHANGED


def test_a_signature_file_of_the_wrong_length_is_refused_unread(kit: Any) -> None:
    members = kit.members(kit.write())
    for signature in (members["manifest.sig"][:-1], members["manifest.sig"] + b"\x00", b"x" * 5_000_000):
        path = kit.rebuild([("manifest.json", members["manifest.json"]), ("manifest.sig", signature),
                            ("payload.bin", members["payload.bin"])])
        assert code_of(kit, path) == Code.SIGNATURE


def test_a_station_that_signs_for_another_station_code_in_the_manifest(kit: Any) -> None:
    # manifest.sig says this station; the (signed) manifest claims rows for another.
    path = kit.forge(manifest=lambda m: m.update(station_code=kit.OTHER_STATION))
    assert code_of(kit, path) == Code.MANIFEST_INVALID
