"""Signed receipts (回执): round trip and tamper detection, with real keys."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from wushe_desktop.sync import envelope, keys
from wushe_desktop.sync.common import AuditHead
from wushe_desktop.sync.errors import Code, ReceiptError
from wushe_desktop.sync.receipt import HighWater, read_receipt, write_receipt

STATION = "150121101000"
HIGH = HighWater(
    row_version=(1 << 40) | 1234,
    bundle_sequence=7,
    number_sequences={"case/2025": 12, "volunteer": 40, "activity/2025": 3},
    audit_head=AuditHead(99, "9f" * 32),
)


@pytest.fixture
def centre() -> keys.KeyPair:
    return keys.generate()


def receipt_bytes(centre: keys.KeyPair, **changes: Any) -> bytes:
    arguments: dict[str, Any] = {
        "station_code": STATION,
        "bundle_sha256": "ab" * 32,
        "bundle_sequence": 7,
        "high_water": HIGH,
        "signing_key": centre.private,
        "received_at": datetime(2025, 3, 2, 1, 2, 3, tzinfo=UTC),
    }
    arguments.update(changes)
    return write_receipt(**arguments)


def refused(data: bytes, public_key: bytes, **options: Any) -> str:
    with pytest.raises(ReceiptError) as caught:
        read_receipt(data, public_key, **options)
    return caught.value.code


def test_round_trip(centre: keys.KeyPair) -> None:
    data = receipt_bytes(centre)
    assert len(data) < 2000 and data.endswith(b"\n")
    receipt = read_receipt(data, centre.public, station_code=STATION)
    assert receipt.station_code == STATION
    assert receipt.centre_key_fingerprint == centre.fingerprint
    assert receipt.bundle_sha256 == "ab" * 32
    assert receipt.bundle_sequence == 7
    assert receipt.high_water == HIGH
    assert receipt.received_at == "2025-03-02T01:02:03Z"
    assert receipt.format_version == 1


def test_signed_by_another_centre(centre: keys.KeyPair) -> None:
    assert refused(receipt_bytes(keys.generate()), centre.public) == Code.RECEIPT_WRONG_CENTRE


def test_for_another_station(centre: keys.KeyPair) -> None:
    assert refused(receipt_bytes(centre), centre.public, station_code="150121102000") == Code.RECEIPT_WRONG_STATION


def _edit_body(data: bytes, edit: Any) -> bytes:
    outer = json.loads(data)
    body = json.loads(base64.b64decode(outer["body"]))
    edit(body)
    outer["body"] = base64.b64encode(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).decode()
    return json.dumps(outer).encode()


@pytest.mark.parametrize(
    "edit",
    [
        lambda b: b["high_water"].update(row_version=b["high_water"]["row_version"] + 1),
        lambda b: b.update(station_code="150121102000"),
        lambda b: b["high_water"]["number_sequences"].update({"case/2025": 1}),
    ],
)
def test_a_changed_body_fails_the_signature(centre: keys.KeyPair, edit: Any) -> None:
    assert refused(_edit_body(receipt_bytes(centre), edit), centre.public) == Code.RECEIPT_SIGNATURE


def test_a_flipped_byte_anywhere_is_refused(centre: keys.KeyPair) -> None:
    data = receipt_bytes(centre)
    for index in range(0, len(data), 7):
        flipped = bytearray(data)
        flipped[index] ^= 0x01
        assert refused(bytes(flipped), centre.public).startswith("receipt."), index


@pytest.mark.parametrize("data", [b"", b"{}", b"not json", b'{"receipt": "x"}', b"x" * 70_000])
def test_garbage_is_invalid(centre: keys.KeyPair, data: bytes) -> None:
    assert refused(data, centre.public) == Code.RECEIPT_INVALID


def test_a_card_is_not_a_receipt(centre: keys.KeyPair) -> None:
    data = envelope.seal("wushe.card.station", {"x": 1}, centre.private)
    assert refused(data, centre.public) == Code.RECEIPT_INVALID


def test_a_newer_receipt_format_says_upgrade(centre: keys.KeyPair) -> None:
    body = json.loads(base64.b64decode(json.loads(receipt_bytes(centre))["body"]))
    body.pop("kind")
    body["format_version"] = 2
    data = envelope.seal("wushe.receipt", body, centre.private)
    assert refused(data, centre.public) == Code.RECEIPT_FORMAT_VERSION


def test_a_signed_but_malformed_receipt_is_invalid(centre: keys.KeyPair) -> None:
    body = json.loads(base64.b64decode(json.loads(receipt_bytes(centre))["body"]))
    body.pop("kind")
    body["bundle_sequence"] = 0
    assert refused(envelope.seal("wushe.receipt", body, centre.private), centre.public) == Code.RECEIPT_INVALID


def test_writer_refuses_bad_fields(centre: keys.KeyPair) -> None:
    with pytest.raises(ValueError):
        receipt_bytes(centre, bundle_sha256="nope")
    with pytest.raises(ValueError):
        receipt_bytes(centre, high_water=HighWater(1, 1, {"has space": 1}, AuditHead(0, "0" * 64)))
