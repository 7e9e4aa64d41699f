"""Small signed documents: receipts, registration cards, key rotation statements.

One file is one JSON object (the *envelope*), canonical JSON plus a final newline::

    {"body":"<base64>","format":"wushe-signed-1","kind":"wushe.receipt",
     "public_key":"<base64>","sig":"<base64>"}

``body`` is the base64 of the exact canonical JSON bytes that were signed, ``sig`` the
Ed25519 signature of those bytes and ``public_key`` the signer's raw public key. The
reader checks size, envelope shape and signature before it parses the body (sign the
exact bytes you ship; verify before you parse). The body repeats ``kind``, so a
signature made for one kind of document never passes as another.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from wushe_desktop.sync import keys
from wushe_desktop.sync.common import canonical_json, strict_loads

#: The envelope's own format name (its layout never changes; a new one gets a new name).
ENVELOPE_FORMAT: Final = "wushe-signed-1"
#: Largest envelope read (receipts and cards are a few hundred bytes).
MAX_ENVELOPE_BYTES: Final = 64 * 1024

_ENVELOPE_KEYS: Final = frozenset({"body", "format", "kind", "public_key", "sig"})


class EnvelopeInvalid(ValueError):
    """The data is not a well-formed envelope of the expected kind."""


class EnvelopeSignature(ValueError):
    """The envelope is well formed but its signature does not verify."""


class EnvelopeWrongKey(EnvelopeSignature):
    """The envelope was signed by another key than the one expected."""


@dataclass(frozen=True)
class Opened:
    """A verified envelope: its kind, the signer's public key and the parsed body."""

    kind: str
    public_key: bytes
    body: dict[str, Any]
    body_bytes: bytes


def seal(kind: str, body: Mapping[str, Any], private_key: bytes) -> bytes:
    """Sign ``body`` (with ``kind`` added) and wrap it in an envelope.

    Args:
        kind: Document kind, e.g. ``"wushe.receipt"``.
        body: JSON-ready fields; must not contain ``kind``.
        private_key: The signer's 32-byte Ed25519 seed.

    Returns:
        The envelope file's bytes.
    """
    if "kind" in body:
        raise ValueError("the body must not set kind itself")
    body_bytes = canonical_json({**body, "kind": kind})
    envelope = {
        "format": ENVELOPE_FORMAT,
        "kind": kind,
        "public_key": _b64(keys.public_key_of(private_key)),
        "body": _b64(body_bytes),
        "sig": _b64(keys.sign(private_key, body_bytes)),
    }
    return canonical_json(envelope) + b"\n"


def open_envelope(data: bytes, kinds: str | frozenset[str], *, expected_key: bytes | None = None) -> Opened:
    """Check an envelope's shape and signature, then parse its body.

    Args:
        data: The file's bytes.
        kinds: The kind of document expected, or a set of acceptable kinds.
        expected_key: When given, the signer must be this public key; otherwise the
            envelope's own key is used (self-signed cards).

    Returns:
        The kind, the signer's key and the body (a JSON object of that kind).

    Raises:
        EnvelopeInvalid: Too large, not an envelope, another kind, or a body that is
            not a JSON object of that kind.
        EnvelopeWrongKey: Signed by another key than ``expected_key``.
        EnvelopeSignature: The signature does not verify.
    """
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeInvalid("too large")
    try:
        envelope = strict_loads(data)
    except ValueError as exc:
        raise EnvelopeInvalid("not JSON") from exc
    if not isinstance(envelope, dict) or set(envelope) != _ENVELOPE_KEYS:
        raise EnvelopeInvalid("not an envelope")
    if not all(isinstance(v, str) for v in envelope.values()):
        raise EnvelopeInvalid("envelope fields are strings")
    if envelope["format"] != ENVELOPE_FORMAT:
        raise EnvelopeInvalid("unknown envelope format")
    kind = envelope["kind"]
    if kind not in ({kinds} if isinstance(kinds, str) else kinds):
        raise EnvelopeInvalid("another kind of document")
    public_key = _unb64(envelope["public_key"])
    body_bytes = _unb64(envelope["body"])
    signature = _unb64(envelope["sig"])
    if len(public_key) != keys.KEY_BYTES or len(signature) != keys.SIGNATURE_BYTES:
        raise EnvelopeInvalid("bad key or signature length")
    if expected_key is not None and public_key != expected_key:
        raise EnvelopeWrongKey("signed by another key")
    if not keys.verify(public_key, body_bytes, signature):
        raise EnvelopeSignature("bad signature")
    # Signed bytes only from here on.
    try:
        body = strict_loads(body_bytes)
    except ValueError as exc:
        raise EnvelopeInvalid("body is not JSON") from exc
    if not isinstance(body, dict) or body.get("kind") != kind:
        raise EnvelopeInvalid("body of another kind")
    return Opened(kind, public_key, body, body_bytes)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise EnvelopeInvalid("bad base64") from exc
