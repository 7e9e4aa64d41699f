"""Registration cards and key rotation statements, with real keys."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest

from wushe_desktop.errors import ValidationError
from wushe_desktop.sync import envelope, keys
from wushe_desktop.sync.cards import (
    CentreCard,
    StationCard,
    read_card,
    read_centre_card,
    read_station_card,
    sign_rotation,
    verify_rotation,
    write_card,
)
from wushe_desktop.sync.errors import CardError, Code


@pytest.fixture
def station() -> keys.KeyPair:
    return keys.generate()


def station_card(pair: keys.KeyPair) -> bytes:
    return write_card(StationCard("150121101000", "毕克齐镇社工站", "土默特左旗", pair.public), pair.private)


def centre_card(pair: keys.KeyPair, box: keys.BoxKeyPair, pseudonym_key: bytes) -> bytes:
    card = CentreCard("150121", "土默特左旗社会工作服务中心", pair.public, box.public, pseudonym_key)
    return write_card(card, pair.private)


def card_error(data: bytes, **options: Any) -> str:
    with pytest.raises(CardError) as caught:
        read_card(data, **options)
    return caught.value.code


def test_station_card_round_trip(station: keys.KeyPair) -> None:
    data = station_card(station)
    card = read_station_card(data, expect_fingerprint=station.fingerprint)
    assert (card.station_code, card.station_name, card.banner_name) == ("150121101000", "毕克齐镇社工站", "土默特左旗")
    assert card.signing_key == station.public
    assert card.fingerprint == station.fingerprint
    assert card.created_at.endswith("Z")
    assert data.isascii()  # Chinese is escaped in the signed JSON


def test_centre_card_round_trip() -> None:
    signing, box, pseudonym_key = keys.generate(), keys.generate_box(), os.urandom(32)
    card = read_centre_card(centre_card(signing, box, pseudonym_key))
    assert card.signing_key == signing.public
    assert card.box_key == box.public
    assert card.pseudonym_key == pseudonym_key
    assert card.fingerprint == signing.fingerprint
    assert card.box_fingerprint == box.fingerprint
    assert card.centre_name == "土默特左旗社会工作服务中心"


def test_expected_fingerprint_in_any_spelling(station: keys.KeyPair) -> None:
    typed = station.fingerprint.replace("-", " ").lower()
    assert read_card(station_card(station), expect_fingerprint=typed).fingerprint == station.fingerprint


def test_a_card_with_another_fingerprint_than_read_out_is_refused(station: keys.KeyPair) -> None:
    error = card_error(station_card(station), expect_fingerprint=keys.generate().fingerprint)
    assert error == Code.CARD_UNEXPECTED_FINGERPRINT


def test_a_mistyped_expected_fingerprint_is_a_validation_error(station: keys.KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        read_card(station_card(station), expect_fingerprint="3F2A-9C01")
    assert caught.value.code == "fingerprint.invalid"


def _body(data: bytes) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(base64.b64decode(json.loads(data)["body"]))
    return body


def _with_body(data: bytes, body: dict[str, Any]) -> bytes:
    outer = json.loads(data)
    outer["body"] = base64.b64encode(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).decode()
    return json.dumps(outer).encode()


def test_a_changed_name_fails_the_self_signature(station: keys.KeyPair) -> None:
    data = station_card(station)
    body = _body(data) | {"station_name": "别的站"}
    assert card_error(_with_body(data, body)) == Code.CARD_SIGNATURE


def test_a_card_re_signed_by_someone_else_but_naming_the_station_key(station: keys.KeyPair) -> None:
    body = _body(station_card(station))
    body.pop("kind")
    forged = envelope.seal("wushe.card.station", body, keys.generate().private)
    assert card_error(forged) == Code.CARD_INVALID


def test_a_wrong_written_fingerprint_is_caught(station: keys.KeyPair) -> None:
    body = _body(station_card(station))
    body.pop("kind")
    body["fingerprint"] = keys.generate().fingerprint
    assert card_error(envelope.seal("wushe.card.station", body, station.private)) == Code.CARD_FINGERPRINT


def test_a_wrong_written_box_fingerprint_is_caught() -> None:
    signing = keys.generate()
    body = _body(centre_card(signing, keys.generate_box(), os.urandom(32)))
    body.pop("kind")
    body["box_fingerprint"] = keys.generate().fingerprint
    assert card_error(envelope.seal("wushe.card.centre", body, signing.private)) == Code.CARD_FINGERPRINT


def test_a_newer_card_version(station: keys.KeyPair) -> None:
    body = _body(station_card(station))
    body.pop("kind")
    body["card_version"] = 2
    assert card_error(envelope.seal("wushe.card.station", body, station.private)) == Code.CARD_FORMAT_VERSION


@pytest.mark.parametrize("data", [b"", b"{}", b"[]", b"\xff", b"x" * 70_000])
def test_garbage_is_not_a_card(data: bytes) -> None:
    assert card_error(data) == Code.CARD_INVALID


def test_asking_for_the_other_kind_of_card(station: keys.KeyPair) -> None:
    with pytest.raises(CardError) as caught:
        read_centre_card(station_card(station))
    assert caught.value.code == Code.CARD_INVALID
    with pytest.raises(CardError):
        read_station_card(centre_card(keys.generate(), keys.generate_box(), os.urandom(32)))


def test_writing_with_another_key_than_the_cards_is_refused(station: keys.KeyPair) -> None:
    with pytest.raises(ValueError):
        write_card(StationCard("150121101000", "站", "旗", station.public), keys.generate().private)


# --- key rotation --------------------------------------------------------------------------


def test_rotation_round_trip(station: keys.KeyPair) -> None:
    new = keys.generate()
    rotation = verify_rotation(sign_rotation(code="150121101000", old_signing_key=station.private,
                                             new_public_key=new.public), station.public)
    assert (rotation.code, rotation.old_key, rotation.new_key) == ("150121101000", station.public, new.public)
    assert (rotation.old_fingerprint, rotation.new_fingerprint) == (station.fingerprint, new.fingerprint)


def test_rotation_signed_by_another_key_than_the_registered_one(station: keys.KeyPair) -> None:
    thief = keys.generate()
    data = sign_rotation(code="150121101000", old_signing_key=thief.private, new_public_key=keys.generate().public)
    with pytest.raises(CardError) as caught:
        verify_rotation(data, station.public)
    assert caught.value.code == Code.ROTATION_WRONG_KEY


def test_a_tampered_rotation_is_refused(station: keys.KeyPair) -> None:
    data = sign_rotation(code="150121101000", old_signing_key=station.private, new_public_key=keys.generate().public)
    body = _body(data)
    body["new_key"] = base64.b64encode(keys.generate().public).decode()
    with pytest.raises(CardError) as caught:
        verify_rotation(_with_body(data, body), station.public)
    assert caught.value.code == Code.ROTATION_SIGNATURE


def test_a_card_is_not_a_rotation(station: keys.KeyPair) -> None:
    with pytest.raises(CardError) as caught:
        verify_rotation(station_card(station), station.public)
    assert caught.value.code == Code.ROTATION_INVALID


def test_rotating_to_the_same_key_is_refused(station: keys.KeyPair) -> None:
    with pytest.raises(ValueError):
        sign_rotation(code="150121101000", old_signing_key=station.private, new_public_key=station.public)
