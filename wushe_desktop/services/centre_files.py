"""Looking at the centre's files before acting on them (the centre's screens).

- :func:`preview_card` reads a station card (or a key change statement) so the admin
  can compare its fingerprint with the printed card *before* registering it with
  :func:`wushe_desktop.services.centre.trust_station` (which checks it again).
- :func:`bundle_files` turns chosen files and folders into the bundle files to import.
- :func:`bundle_table_counts` reads the rows per table a bundle's manifest lists, to
  show beside a dry run (the dry run itself verified the signed manifest).

Nothing here writes or trusts anything.
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from wushe_desktop.services.keys import read_small_file
from wushe_desktop.sync import bundle, cards
from wushe_desktop.sync.errors import BundleError, CardError, Code

__all__ = ["BUNDLE_SUFFIX", "CardPreview", "bundle_files", "bundle_table_counts", "preview_card"]

#: The file ending of a data bundle.
BUNDLE_SUFFIX: Final = ".wsb"


@dataclass(frozen=True)
class CardPreview:
    """What a card file says, for the admin to compare with the printed card.

    Attributes:
        kind: ``station`` (a station card) or ``rotation`` (a key change statement,
            verified against the registered key only when it is registered).
        code: The station's code.
        name: Its name ("" for a key change statement).
        banner_name: Its banner ("" for a key change statement).
        fingerprint: The fingerprint to compare (of the card's key, or the new key).
        old_fingerprint: For a key change statement: the key it replaces.
    """

    kind: str
    code: str
    name: str
    banner_name: str
    fingerprint: str
    old_fingerprint: str = ""


def preview_card(path: Path) -> CardPreview:
    """Read a station card (its self-signature checked) or a key change statement.

    Raises:
        CardError: ``card.*`` (not a valid station card, a centre's card, or a file
            that cannot be read) or ``rotation.invalid``.
    """
    data = read_small_file(path)
    if _kind(data) == cards.ROTATION_KIND:
        return _rotation_preview(data)
    card = cards.read_station_card(data)
    return CardPreview("station", card.station_code, card.station_name, card.banner_name, card.fingerprint)


def _kind(data: bytes) -> str:
    try:
        obj = json.loads(data.decode("utf-8"))
    except ValueError:
        return ""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else ""


def _rotation_preview(data: bytes) -> CardPreview:
    try:
        body = json.loads(base64.b64decode(json.loads(data.decode("utf-8"))["body"], validate=True))
        code, new, old = body["code"], body["new_fingerprint"], body["old_fingerprint"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CardError(Code.ROTATION_INVALID, "cannot read the statement") from exc
    if not all(isinstance(v, str) for v in (code, new, old)):
        raise CardError(Code.ROTATION_INVALID, "bad field")
    return CardPreview("rotation", code, "", "", new, old)


def bundle_files(chosen: Iterable[Path]) -> list[Path]:
    """The bundle files among chosen files and folders (a folder: its ``.wsb`` files, by name).

    Chosen files are kept whatever their ending (the importer says what is wrong with
    them); the same file chosen twice is listed once.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in chosen:
        items = sorted(p for p in path.iterdir() if p.suffix.lower() == BUNDLE_SUFFIX and p.is_file()) \
            if path.is_dir() else [path]
        for item in items:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def bundle_table_counts(path: Path) -> dict[str, int]:
    """Rows per table that a bundle's manifest lists (tables with rows only).

    The manifest is read without checking its signature: show it only beside a dry run
    or an import of the same file, which verified it.

    Raises:
        BundleError: ``bundle.unreadable``, ``bundle.not_zip`` or ``bundle.manifest_invalid``.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(bundle.MANIFEST_NAME)
    except OSError as exc:
        raise BundleError(Code.UNREADABLE, type(exc).__name__) from exc
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BundleError(Code.NOT_ZIP, "not a bundle") from exc
    manifest = bundle.parse_manifest(data)
    return {table: n for table, n in manifest.table_counts.items() if n}
