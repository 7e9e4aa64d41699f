"""Ed25519 signing keys, X25519 box keys and the fingerprint people read aloud.

docs/decisions.md §6. A fingerprint is the first 16 bytes of SHA-256 of the raw 32-byte
public key, written as 32 upper-case hex digits in eight groups of four
(``3F2A-9C01-...``); those 16 raw bytes are the *key id* that binary formats carry.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nacl.exceptions import BadSignatureError
from nacl.public import PrivateKey
from nacl.signing import SigningKey, VerifyKey

#: Length of a key id (the raw form of a fingerprint), in bytes.
KEY_ID_BYTES: Final = 16
#: Length of raw Ed25519 and X25519 keys (private seeds and public keys), in bytes.
KEY_BYTES: Final = 32
#: Length of an Ed25519 signature, in bytes.
SIGNATURE_BYTES: Final = 64

_FINGERPRINT_RE = re.compile(r"[0-9A-F]{4}(?:-[0-9A-F]{4}){7}")


@dataclass(frozen=True)
class KeyPair:
    """A signing key pair as raw bytes."""

    private: bytes
    public: bytes

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the public key."""
        return fingerprint(self.public)


def generate() -> KeyPair:
    """A fresh Ed25519 key pair."""
    key = SigningKey.generate()
    return KeyPair(bytes(key), bytes(key.verify_key))


def fingerprint(public_key: bytes) -> str:
    """First 16 bytes of SHA-256 of the raw key: 32 hex digits in 8 groups of 4."""
    return format_fingerprint(key_id(public_key))


def key_id(public_key: bytes) -> bytes:
    """The raw 16-byte form of a key's fingerprint (first 16 bytes of its SHA-256)."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES]


def format_fingerprint(raw_key_id: bytes) -> str:
    """Write a 16-byte key id as a fingerprint (``XXXX-XXXX-...``, 8 groups).

    Raises:
        ValueError: ``raw_key_id`` is not 16 bytes long.
    """
    if len(raw_key_id) != KEY_ID_BYTES:
        raise ValueError("a key id is 16 bytes")
    digits = raw_key_id.hex().upper()
    return "-".join(digits[i : i + 4] for i in range(0, 32, 4))


def normalize_fingerprint(text: str) -> str:
    """Canonical form of a fingerprint as a person typed it.

    Spaces, dashes and letter case are ignored (``3f2a9c01 ...`` is accepted).

    Raises:
        ValueError: The text does not hold exactly 32 hex digits.
    """
    digits = re.sub(r"[\s\-]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{32}", digits):
        raise ValueError("a fingerprint is 32 hex digits")
    return format_fingerprint(bytes.fromhex(digits))


def is_fingerprint(text: str) -> bool:
    """Whether ``text`` is a fingerprint in canonical form."""
    return _FINGERPRINT_RE.fullmatch(text) is not None


def public_key_of(private: bytes) -> bytes:
    """The Ed25519 public key of a 32-byte private seed."""
    return bytes(SigningKey(private).verify_key)


def sign(private: bytes, message: bytes) -> bytes:
    """Detached Ed25519 signature (64 bytes) of ``message`` with a 32-byte private seed."""
    return SigningKey(private).sign(message).signature


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``.

    Malformed keys and signatures count as invalid, never as errors.
    """
    if len(public_key) != KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        VerifyKey(public_key).verify(message, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class BoxKeyPair:
    """An X25519 key pair (raw bytes): the centre's key that bundles are sealed to."""

    private: bytes
    public: bytes

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the public key."""
        return fingerprint(self.public)


def generate_box() -> BoxKeyPair:
    """A fresh X25519 key pair."""
    key = PrivateKey.generate()
    return BoxKeyPair(bytes(key), bytes(key.public_key))


def box_public_key_of(private: bytes) -> bytes:
    """The X25519 public key of a 32-byte private key."""
    return bytes(PrivateKey(private).public_key)


def write_private_key(path: Path, private: bytes) -> None:
    """Write a private key readable by the owner only (where the OS has modes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, private.hex().encode("ascii") + b"\n")
    finally:
        os.close(fd)


def read_private_key(path: Path) -> bytes:
    """Read a private key written by :func:`write_private_key`."""
    return bytes.fromhex(path.read_text(encoding="ascii").strip())
