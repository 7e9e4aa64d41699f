"""Ed25519 signing keys and the fingerprint people read aloud (docs/decisions.md §6)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey


@dataclass(frozen=True)
class KeyPair:
    """A signing key pair as raw bytes."""

    private: bytes
    public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def generate() -> KeyPair:
    """A fresh Ed25519 key pair."""
    key = SigningKey.generate()
    return KeyPair(bytes(key), bytes(key.verify_key))


def fingerprint(public_key: bytes) -> str:
    """First 16 bytes of SHA-256 of the raw key: 32 hex digits in 8 groups of 4."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))


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
