"""Bundles written and read with real keys: round trips, manifest, privacy, limits."""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from wushe_desktop.sync import bundle
from wushe_desktop.sync.common import canonical_json
from wushe_desktop.sync.errors import BundleError, Code

FIXTURES = Path(__file__).parent / "fixtures"
OTHER_STATION = "150121102000"


def test_round_trip_gives_the_same_rows_in_order(kit: Any) -> None:
    tables = kit.sample_tables(20)
    info = bundle.write_bundle(
        kit.path(), station_code=kit.STATION, sequence=3, prev_bundle_sha256="cd" * 32, full=False,
        row_version_from=0, row_version_to=10_000, schema_revision=kit.SCHEMA, audit_head=kit.AUDIT_HEAD,
        tables=tables, signing_key=kit.station.private, centre_public_key=kit.centre.public,
        created_at=datetime(2025, 3, 1, 16, 30, tzinfo=UTC),
    )
    path = kit.folder / "bundle-1.wsb"
    verified = kit.read(path)

    expected = [(table, row) for table, rows in tables for row in rows]
    assert list(verified.rows()) == expected
    assert list(verified.rows()) == expected  # readable again
    assert verified.sha256 == info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert verified.size == info.size == path.stat().st_size
    manifest = verified.manifest
    assert manifest == info.manifest
    assert manifest.table_counts == {"person": 20, "service_record": 20, "donation": 0}
    assert (manifest.sequence, manifest.prev_bundle_sha256, manifest.full) == (3, "cd" * 32, False)
    assert manifest.station_key_fingerprint == kit.station.fingerprint
    assert manifest.centre_key_fingerprint == kit.centre.fingerprint
    assert manifest.created_at == "2025-03-01T16:30:00Z"
    assert manifest.audit_head == kit.AUDIT_HEAD
    assert manifest.profile is bundle.Profile.SUPERVISION


def test_container_has_exactly_the_three_stored_members_and_the_signed_bytes(kit: Any) -> None:
    path = kit.write()
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["manifest.json", "manifest.sig", "payload.bin"]
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        manifest_bytes = archive.read("manifest.json")
    verified = kit.read(path)
    assert verified.manifest_bytes == manifest_bytes == verified.manifest.to_bytes()
    assert manifest_bytes == canonical_json(json.loads(manifest_bytes))
    assert manifest_bytes.isascii()


def test_batches_group_consecutive_rows_of_one_table(kit: Any) -> None:
    verified = kit.read(kit.write(kit.sample_tables(7)))
    batches = list(verified.batches(3))
    assert [(t, len(rows)) for t, rows in batches] == [
        ("person", 3), ("person", 3), ("person", 1),
        ("service_record", 3), ("service_record", 3), ("service_record", 1),
    ]


def test_writes_to_a_stream_as_well(kit: Any) -> None:
    out = io.BytesIO()
    info = bundle.write_bundle(
        out, station_code=kit.STATION, sequence=1, prev_bundle_sha256="", full=True, row_version_from=0,
        row_version_to=10_000, schema_revision=kit.SCHEMA, audit_head=kit.AUDIT_HEAD,
        tables=kit.sample_tables(), signing_key=kit.station.private, centre_public_key=kit.centre.public,
    )
    path = kit.path()
    path.write_bytes(out.getvalue())
    assert hashlib.sha256(out.getvalue()).hexdigest() == info.sha256
    assert kit.read(path).manifest == info.manifest


class _OneWayStream(io.RawIOBase):
    """A write-only, non-seekable stream (a pipe, a socket)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += bytes(b)
        return len(b)


def test_writes_to_a_stream_that_cannot_seek(kit: Any) -> None:
    out = _OneWayStream()
    info = bundle.write_bundle(
        out, station_code=kit.STATION, sequence=1, prev_bundle_sha256="", full=True, row_version_from=0,
        row_version_to=10_000, schema_revision=kit.SCHEMA, audit_head=kit.AUDIT_HEAD,
        tables=kit.sample_tables(), signing_key=kit.station.private, centre_public_key=kit.centre.public,
    )
    path = kit.path()
    path.write_bytes(bytes(out.data))
    assert kit.read(path).sha256 == info.sha256


def test_rows_stream_through_many_chunks(kit: Any) -> None:
    # Random text does not compress, so the payload spans many 64 KiB chunks.
    rows = [kit.person_row(i + 1, blob=os.urandom(1500).hex()) for i in range(300)]
    path = kit.write([("person", iter(rows))])
    assert (kit.read(path).manifest.payload_size) > 4 * bundle.CHUNK_BYTES
    assert [r for _, r in kit.read(path).rows()] == rows


def test_empty_bundle_round_trips(kit: Any) -> None:
    verified = kit.read(kit.write([], full=False, row_version_from=10, row_version_to=10))
    assert list(verified.rows()) == []
    assert verified.manifest.table_counts == {}


def test_progress_is_reported(kit: Any) -> None:
    calls: list[tuple[int, int | None]] = []
    rows = [kit.person_row(i + 1) for i in range(2500)]
    kit.write([("person", rows)], progress=lambda done, total: calls.append((done, total)), total_rows=2500)
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]
    seen: list[int] = []
    kit.read(kit.write([("person", rows)]), progress=lambda done, total: seen.append(done))
    assert seen and seen[-1] > 0


def test_zip64_records_are_understood(kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bundles over 2 GiB get ZIP64 headers; pretend the limit is tiny to get them here.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 200)
    path = kit.write()
    monkeypatch.undo()
    raw = path.read_bytes()
    assert b"PK\x06\x06" in raw and b"PK\x06\x07" in raw
    assert len(list(kit.read(path).rows())) == 10


def test_writing_to_a_path_leaves_no_partial_file_on_failure(kit: Any) -> None:
    def rows() -> Any:
        yield kit.person_row(1)
        raise RuntimeError("cancelled")

    out = kit.folder / "out.wsb"
    with pytest.raises(RuntimeError):
        kit.write([("person", rows())], out=out)
    assert list(kit.folder.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"row_version_from": 5}, "row_version_from"),  # a full bundle starts at 0
        ({"station_code": "15012110100"}, "12 digits"),
        ({"sequence": 0}, "sequence"),
        ({"prev_bundle_sha256": "xyz"}, "prev_bundle_sha256"),
        ({"schema_revision": ""}, "schema_revision"),
        ({"profile": bundle.Profile.DEIDENTIFIED}, "pseudonym_key"),
        ({"pseudonym_key": b"k" * 32}, "pseudonym_key"),
        ({"signing_key": b"short"}, "32 bytes"),
    ],
)
def test_writer_refuses_bad_arguments(kit: Any, change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kit.write(**change)


@pytest.mark.parametrize(
    ("row_change", "message"),
    [
        ({"row_version": 10_001}, "row_version"),
        ({"row_version": 0}, "row_version"),
        ({"row_version": True}, "row_version"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"uuid": str(uuid.uuid4()).upper()}, "uuid"),
        ({"origin": None}, "origin"),
    ],
)
def test_writer_refuses_rows_a_centre_would_refuse(kit: Any, row_change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kit.write([("person", [kit.person_row(**row_change)])])


def test_writer_refuses_rows_of_another_station(kit: Any) -> None:
    with pytest.raises(BundleError) as caught:
        kit.write([("person", [kit.person_row(origin=kit.OTHER_STATION)])])
    assert caught.value.code == Code.FOREIGN_ROWS


@pytest.mark.parametrize("value", [datetime(2026, 5, 1, tzinfo=UTC), b"bytes", {1, 2}, Decimal("1.5")])
def test_writer_refuses_values_that_are_not_json_ready(kit: Any, value: Any) -> None:
    with pytest.raises(TypeError):
        kit.write([("person", [kit.person_row(value=value)])])


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), {"a": [1.0, float("nan")]},
                                   [[float("-inf")]]])
def test_writer_refuses_nan_and_infinities_even_nested(kit: Any, value: Any) -> None:
    with pytest.raises(ValueError):
        kit.write([("person", [kit.person_row(value=value)])])


def test_lines_are_compact_utf8_json_like_the_stdlib_writes_them(kit: Any) -> None:
    row = kit.person_row(note="王桂兰\n\"引号\"\t", score=46.5, big=2**63 - 1, flags=[True, False, None],
                         nested={"键": [1, 2.25, "二"]})
    expected = json.dumps({"t": "person", "r": row}, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
    assert bundle.encode_line("person", row) == expected
    rows = list(kit.read(kit.write([("person", [row])])).rows())
    assert rows == [("person", row)]


def test_a_uuid_object_is_written_as_its_canonical_text(kit: Any) -> None:
    person_id = uuid.uuid4()
    rows = list(kit.read(kit.write([("person", [kit.person_row(person_id=person_id)])])).rows())
    assert rows[0][1]["person_id"] == str(person_id)


# --- encoded rows (the export's fast path) ------------------------------------------


def _encoded(rows: list[dict[str, Any]], table: str = "person", size: int = 2) -> bundle.EncodedRows:
    items = [(bundle.encode_line(table, r), r["uuid"], r["origin"], r["row_version"]) for r in rows]
    return bundle.EncodedRows([items[i : i + size] for i in range(0, len(items), size)])


def test_encoded_rows_and_dict_rows_make_the_same_bundle_content(kit: Any) -> None:
    people = [kit.person_row(i + 1, note=f"第{i}行") for i in range(5)]
    records = kit.sample_tables(3)[1][1]
    calls: list[int] = []
    path = kit.write([("person", _encoded(people)), ("service_record", records), ("donation", _encoded([]))],
                     progress=lambda done, total: calls.append(done))
    verified = kit.read(path)
    assert list(verified.rows()) == [("person", r) for r in people] + [("service_record", r) for r in records]
    assert verified.manifest.table_counts == {"person": 5, "service_record": 3, "donation": 0}
    assert calls == [8]


def test_progress_is_reported_after_encoded_batches(kit: Any) -> None:
    calls: list[int] = []
    rows = [kit.person_row(i + 1) for i in range(2500)]
    kit.write([("person", _encoded(rows, size=600))], progress=lambda done, total: calls.append(done))
    assert calls == [1200, 2400, 2500]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"uuid": "not-a-uuid"}, ValueError, "uuid"),
        ({"uuid": str(uuid.uuid4()).upper()}, ValueError, "uuid"),
        ({"uuid": None}, ValueError, "uuid"),
        ({"row_version": 0}, ValueError, "row_version"),
        ({"row_version": 10_001}, ValueError, "row_version"),
        ({"row_version": "5"}, ValueError, "row_version"),
        ({"origin": None}, ValueError, "origin"),
        ({"origin": OTHER_STATION}, BundleError, "another station"),
    ],
)
def test_writer_checks_every_encoded_row(kit: Any, change: dict[str, Any], error: type, message: str) -> None:
    rows = [kit.person_row(i + 1) for i in range(4)]
    rows[3] = {**rows[3], **change}  # not the first line of its batch: every row is checked
    with pytest.raises(error, match=message):
        kit.write([("person", _encoded(rows, size=4))])


def test_writer_refuses_encoded_lines_it_cannot_frame_or_that_lie(kit: Any) -> None:
    row = kit.person_row(1)
    good = (bundle.encode_line("person", row), row["uuid"], row["origin"], row["row_version"])
    cases = [
        ([(good[0] + b"\n", *good[1:])], "newline"),
        ([(b"{not json", *good[1:])], "not JSON"),
        ([(bundle.encode_line("service_record", row), *good[1:])], "not the row"),
        ([(good[0], str(uuid.uuid4()), *good[2:])], "not the row"),
        ([(good[0].replace(b"{", b"[", 1), *good[1:])], "not"),
    ]
    for batch, message in cases:
        with pytest.raises(ValueError, match=message):
            kit.write([("person", bundle.EncodedRows([batch]))])
    with pytest.raises(TypeError):
        kit.write([("person", bundle.EncodedRows([[("text", *good[1:])]]))])
    with pytest.raises(ValueError, match="deidentified"):
        kit.write([("person", bundle.EncodedRows([[good]]))], profile="deidentified", pseudonym_key=b"k" * 32)


# --- privacy ---------------------------------------------------------------------


def test_no_personal_data_in_the_file_the_manifest_or_the_file_name(kit: Any) -> None:
    path = kit.write()
    raw = path.read_bytes()
    name, id_number = kit.PERSON_NAME, kit.PERSON_ID
    for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
        assert name.encode(encoding) not in raw, encoding
    assert id_number.encode("ascii") not in raw
    assert id_number[-8:].encode("ascii") not in raw  # not even the tail
    assert b"13812345678" not in raw
    manifest = kit.members(path)["manifest.json"]
    assert manifest.isascii()  # so no Chinese text in any encoding
    assert id_number.encode() not in manifest
    file_name = bundle.suggested_file_name(kit.read(path).manifest)
    assert file_name == f"{kit.STATION}-000001-full.wsb"
    assert name not in file_name and id_number not in file_name


def test_deidentified_profile_transforms_rows_and_keeps_counts(kit: Any) -> None:
    pseudonym_key = bytes(range(32))
    path = kit.write(profile="deidentified", pseudonym_key=pseudonym_key)
    verified = kit.read(path)
    assert verified.manifest.profile is bundle.Profile.DEIDENTIFIED
    assert verified.manifest.table_counts == {"person": 5, "service_record": 5, "donation": 0}
    people = [row for table, row in verified.rows() if table == "person"]
    assert len(people) == 5
    for person in people:
        assert person["name"].startswith("对象-")
        assert person["id_number"] == "150121********0035"
        assert len(person["id_hash"]) == 64
        assert person["phone"] == "" and person["address"] == "" and person["notes"] == ""
        assert person["birth_date"] == "1988-01-01"


# --- versions ------------------------------------------------------------------------


def test_bundle_of_format_version_1_is_still_read() -> None:
    """A bundle written by the first release, kept forever (DESIGN.md §6, "Versions")."""
    keys_file = json.loads((FIXTURES / "bundle-v1.keys.json").read_text(encoding="utf-8"))
    station_public = bytes.fromhex(keys_file["station_public"])
    centre_private = bytes.fromhex(keys_file["centre_private"])

    def trusted(code: str, fingerprint: str) -> bundle.TrustDecision:
        assert code == keys_file["station_code"]
        return bundle.TrustDecision.trusted(station_public)

    verified = bundle.read_bundle(
        FIXTURES / "bundle-v1.wsb", trusted_keys=trusted, centre_fingerprint=keys_file["centre_fingerprint"],
        centre_private_key=centre_private, known_schemas={keys_file["schema_revision"]},
    )
    assert verified.manifest.format_version == 1
    assert verified.sha256 == keys_file["bundle_sha256"]
    rows = list(verified.rows())
    assert {table for table, _ in rows} == set(keys_file["table_counts"])
    assert len(rows) == sum(keys_file["table_counts"].values())


def test_demo_station_code_matches_the_services_constant() -> None:
    from wushe_desktop.services.station import DEMO_STATION_CODE

    assert bundle.DEMO_STATION_CODE == DEMO_STATION_CODE


def test_reader_refuses_a_supported_format_it_does_not_know(kit: Any) -> None:
    with pytest.raises(ValueError):
        kit.read(kit.write(), supported_format=2)


def test_reader_refuses_a_centre_fingerprint_that_is_not_its_key(kit: Any) -> None:
    with pytest.raises(ValueError):
        kit.read(kit.write(), centre_fingerprint=kit.station.fingerprint)
