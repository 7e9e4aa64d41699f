"""Real keys and helpers to write, read, take apart and forge bundles."""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from wushe_desktop.sync import bundle, keys
from wushe_desktop.sync.common import TABLE_RE, AuditHead, canonical_json

STATION = "150121101000"  # 毕克齐镇
OTHER_STATION = "150121102000"
SCHEMA = "0001"
AUDIT_HEAD = AuditHead(42, "ab" * 32)

PERSON_NAME = "王格日乐图"
PERSON_ID = "150121198807150035"


def person_row(row_version: int = 1, origin: str = STATION, **extra: Any) -> dict[str, Any]:
    """A JSON-ready person row with a name and an ID number."""
    return {
        "uuid": str(uuid.uuid4()),
        "origin": origin,
        "row_version": row_version,
        "name": PERSON_NAME,
        "id_number": PERSON_ID,
        "phone": "13812345678",
        "birth_date": "1988-07-15",
        "address": "毕克齐镇某村3组",
        "community_id": str(uuid.uuid4()),
        "notes": "独居，腿脚不便",
        "deleted_at": None,
        **extra,
    }


def sample_tables(n: int = 5) -> list[tuple[str, list[dict[str, Any]]]]:
    """A few tables of realistic rows, one empty."""
    people = [person_row(i + 1) for i in range(n)]
    records = [
        {
            "uuid": str(uuid.uuid4()),
            "origin": STATION,
            "row_version": 100 + i,
            "case_id": str(uuid.uuid4()),
            "service_date": "2025-03-0" + str(i % 9 + 1),
            "content": "入户探访，了解近况。",
            "duration_min": 45,
            "resources": [{"kind": "goods", "value_fen": 5000}],
        }
        for i in range(n)
    ]
    return [("person", people), ("service_record", records), ("donation", [])]


def flip(data: bytes, index: int) -> bytes:
    """``data`` with one bit flipped at ``index``."""
    buffer = bytearray(data)
    buffer[index] ^= 0x01
    return bytes(buffer)


@dataclass
class Registry:
    """The centre's register of station keys, as the trusted_keys callback sees it."""

    keys_by_station: dict[str, dict[str, tuple[bytes, bool]]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def register(self, code: str, public_key: bytes, *, revoked: bool = False) -> None:
        self.keys_by_station.setdefault(code, {})[keys.fingerprint(public_key)] = (public_key, revoked)

    def __call__(self, code: str, fingerprint: str) -> bundle.TrustDecision:
        self.calls.append((code, fingerprint))
        station = self.keys_by_station.get(code)
        if station is None:
            return bundle.TrustDecision.refused(bundle.Trust.UNKNOWN_STATION)
        entry = station.get(fingerprint)
        if entry is None:
            return bundle.TrustDecision.refused(bundle.Trust.UNKNOWN_KEY)
        if entry[1]:
            return bundle.TrustDecision.refused(bundle.Trust.REVOKED)
        return bundle.TrustDecision.trusted(entry[0])


class Kit:
    """Keys for one station and one centre, and bundle helpers around them."""

    STATION = STATION
    OTHER_STATION = OTHER_STATION
    SCHEMA = SCHEMA
    AUDIT_HEAD = AUDIT_HEAD
    PERSON_NAME = PERSON_NAME
    PERSON_ID = PERSON_ID
    person_row = staticmethod(person_row)
    sample_tables = staticmethod(sample_tables)
    flip = staticmethod(flip)

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.station = keys.generate()
        self.centre = keys.generate_box()
        self.registry = Registry()
        self.registry.register(STATION, self.station.public)
        self._count = 0

    def path(self, name: str = "") -> Path:
        self._count += 1
        return self.folder / f"{name or 'bundle'}-{self._count}.wsb"

    def write(
        self,
        tables: Iterable[tuple[str, Iterable[Mapping[str, Any]]]] | None = None,
        out: Path | None = None,
        **overrides: Any,
    ) -> Path:
        out = out or self.path()
        arguments: dict[str, Any] = {
            "station_code": STATION,
            "sequence": 1,
            "prev_bundle_sha256": "",
            "full": True,
            "row_version_from": 0,
            "row_version_to": 10_000,
            "schema_revision": SCHEMA,
            "audit_head": AUDIT_HEAD,
            "tables": sample_tables() if tables is None else tables,
            "signing_key": self.station.private,
            "centre_public_key": self.centre.public,
        }
        arguments.update(overrides)
        bundle.write_bundle(out, **arguments)
        return out

    def read(self, path: Path, **overrides: Any) -> bundle.VerifiedBundle:
        arguments: dict[str, Any] = {
            "trusted_keys": self.registry,
            "centre_fingerprint": self.centre.fingerprint,
            "centre_private_key": self.centre.private,
            "known_schemas": {SCHEMA},
        }
        arguments.update(overrides)
        return bundle.read_bundle(path, **arguments)

    # --- taking bundles apart and putting them together -------------------------

    @staticmethod
    def members(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}

    def rebuild(self, members: Iterable[tuple[str, bytes]], *, compression: int = zipfile.ZIP_STORED) -> Path:
        """A fresh, valid ZIP (correct CRCs) with the given members, in order."""
        out = self.path("rebuilt")
        with zipfile.ZipFile(out, "w", compression) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = compression
                archive.writestr(info, data)
        return out

    def sign(self, manifest_bytes: bytes, *, code: str = STATION, key: keys.KeyPair | None = None) -> bytes:
        """A manifest.sig for ``manifest_bytes`` made with the real station key."""
        key = key or self.station
        return bundle._signature_file(code, key.public, keys.sign(key.private, manifest_bytes))

    def forge(
        self,
        lines: Iterable[bytes] | None = None,
        *,
        plaintext: bytes | None = None,
        payload_transform: Callable[[bytes], bytes] | None = None,
        manifest: Callable[[dict[str, Any]], None] | None = None,
        manifest_bytes: Callable[[bytes], bytes] | None = None,
        centre_public_key: bytes | None = None,
        signer: keys.KeyPair | None = None,
        code: str = STATION,
    ) -> Path:
        """A bundle signed with a real key around any payload: the station itself lying.

        ``lines`` (or raw ``plaintext``) is compressed and encrypted with the real
        writer's pieces; the manifest gets the right hash, size and counts unless
        ``manifest`` edits them afterwards.
        """
        if plaintext is None:
            body = list(lines) if lines is not None else [
                json.dumps({"t": "person", "r": person_row()}, ensure_ascii=False).encode()
            ]
            plaintext = b"".join(line + b"\n" for line in body)
            counts: dict[str, int] = {}
            for line in body:
                try:
                    table = json.loads(line)["t"]
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(table, str) and TABLE_RE.fullmatch(table):
                    counts[table] = counts.get(table, 0) + 1
        else:
            counts = {}
        with tempfile.TemporaryFile() as temp:
            writer = bundle._PayloadWriter(temp, centre_public_key or self.centre.public)
            writer.write(plaintext)
            writer.close()
            temp.seek(0)
            payload = temp.read()
        if payload_transform is not None:
            payload = payload_transform(payload)
        signer = signer or self.station
        obj = bundle.Manifest(
            format_version=1,
            suite=bundle.SUITE,
            profile=bundle.Profile.SUPERVISION,
            station_code=code,
            station_key_fingerprint=signer.fingerprint,
            centre_key_fingerprint=self.centre.fingerprint,
            sequence=1,
            prev_bundle_sha256="",
            full=True,
            row_version_from=0,
            row_version_to=10_000,
            schema_revision=SCHEMA,
            table_counts=counts,
            payload_sha256=hashlib.sha256(payload).hexdigest(),
            payload_size=len(payload),
            created_at="2025-03-01T08:00:00Z",
            audit_head=AUDIT_HEAD,
        ).to_json()
        if manifest is not None:
            manifest(obj)
        data = canonical_json(obj)
        if manifest_bytes is not None:
            data = manifest_bytes(data)
        return self.rebuild([
            ("manifest.json", data),
            ("manifest.sig", self.sign(data, code=code, key=signer)),
            ("payload.bin", payload),
        ])


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    """Fresh real keys: one registered station, one centre."""
    return Kit(tmp_path)

