"""Keys and fingerprints (docs/decisions.md §6)."""

from __future__ import annotations

import hashlib

import pytest

from wushe_desktop.sync import keys


def test_fingerprint_format_and_key_id() -> None:
    pair = keys.generate()
    fingerprint = keys.fingerprint(pair.public)
    assert keys.is_fingerprint(fingerprint)
    assert len(fingerprint) == 39 and fingerprint.count("-") == 7
    assert fingerprint.replace("-", "") == hashlib.sha256(pair.public).hexdigest()[:32].upper()
    assert keys.format_fingerprint(keys.key_id(pair.public)) == fingerprint == pair.fingerprint


@pytest.mark.parametrize("typed", ["3f2a9c01aabbccdd0011223344556677", " 3F2A 9C01-AABB ccdd 0011 2233 4455 6677 "])
def test_normalize_fingerprint(typed: str) -> None:
    assert keys.normalize_fingerprint(typed) == "3F2A-9C01-AABB-CCDD-0011-2233-4455-6677"


@pytest.mark.parametrize("typed", ["", "3F2A-9C01", "G" * 32, "3f2a9c01aabbccdd00112233445566778"])
def test_normalize_fingerprint_refuses(typed: str) -> None:
    with pytest.raises(ValueError):
        keys.normalize_fingerprint(typed)


def test_sign_and_verify() -> None:
    pair = keys.generate()
    signature = keys.sign(pair.private, b"message")
    assert keys.public_key_of(pair.private) == pair.public
    assert keys.verify(pair.public, b"message", signature)
    assert not keys.verify(pair.public, b"messagE", signature)
    assert not keys.verify(keys.generate().public, b"message", signature)
    assert not keys.verify(pair.public, b"message", signature[:-1])
    assert not keys.verify(b"\x00" * 31, b"message", signature)


def test_box_keys() -> None:
    pair = keys.generate_box()
    assert keys.box_public_key_of(pair.private) == pair.public
    assert pair.fingerprint == keys.fingerprint(pair.public)
