"""The centre's look-before-acting helpers, and the supervision list printed at a centre."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_centre_kit import ACTOR, BIKEQI, CHASUQI, STATIONS, TODAY, World, world, world_template

from wushe_desktop.domain.enums import RiskLevel
from wushe_desktop.errors import NotFoundError
from wushe_desktop.services import keys
from wushe_desktop.services.cases import todo
from wushe_desktop.services.centre_files import bundle_files, bundle_table_counts, preview_card
from wushe_desktop.services.printing import print_supervision_list
from wushe_desktop.sync.errors import BundleError, CardError

__all__ = ["world", "world_template"]  # fixtures


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_a_station_card_shows_its_code_name_and_fingerprint(world: World) -> None:
    station = world.station(BIKEQI)
    card = keys.export_card(station, ACTOR, world.usb)
    seen = preview_card(card.path)
    assert (seen.kind, seen.code, seen.name, seen.fingerprint) == ("station", BIKEQI, STATIONS[BIKEQI],
                                                                   card.fingerprint)
    assert seen.fingerprint == keys.show_keys(station).fingerprint


def test_a_centre_card_or_a_damaged_card_is_not_a_station_card(world: World, tmp_path: Path) -> None:
    centre_card = keys.export_card(world.centre, ACTOR, tmp_path)
    with pytest.raises(CardError) as caught:
        preview_card(centre_card.path)
    assert caught.value.code == "card.invalid"
    damaged = tmp_path / "damaged.card"
    data = bytearray(keys.export_card(world.station(CHASUQI), ACTOR, tmp_path / "c.card").path.read_bytes())
    data[len(data) // 2] ^= 1
    damaged.write_bytes(bytes(data))
    with pytest.raises(CardError):
        preview_card(damaged)
    with pytest.raises(CardError):
        preview_card(tmp_path / "missing.card")


def test_a_key_change_statement_shows_the_new_fingerprint(world: World, tmp_path: Path) -> None:
    station = world.station(BIKEQI)
    old = keys.show_keys(station).fingerprint
    rotated = keys.rotate_keys(station, ACTOR, tmp_path)
    assert rotated.statement_path is not None
    seen = preview_card(rotated.statement_path)
    assert (seen.kind, seen.code, seen.old_fingerprint) == ("rotation", BIKEQI, old)
    assert seen.fingerprint == keys.show_keys(station).fingerprint != old


def test_folders_stand_for_their_bundles_and_manifests_list_rows_per_table(world: World, tmp_path: Path) -> None:
    first = world.export(BIKEQI)
    second = world.export(CHASUQI)
    (world.usb / "notes.txt").write_text("x", encoding="utf-8")
    found = bundle_files([world.usb, first.path])
    assert found == sorted([first.path, second.path])
    counts = bundle_table_counts(first.path)
    assert counts == {t: n for t, n in first.table_counts.items() if n}
    assert sum(counts.values()) == first.rows
    with pytest.raises(BundleError):
        bundle_table_counts(world.usb / "notes.txt")


def test_the_supervision_list_prints_a_stations_cases_at_the_centre(world: World) -> None:
    world.sync(BIKEQI)
    station = world.station(BIKEQI)
    own = todo(station, ACTOR, today=TODAY, no_contact_days=30, risk_level=RiskLevel.HIGH).no_contact.items
    at_centre = _flat(print_supervision_list(world.centre, ACTOR, 30, today=TODAY, station=BIKEQI))
    at_station = _flat(print_supervision_list(station, ACTOR, 30, today=TODAY))
    assert "高风险个案督导清单" in at_centre and STATIONS[BIKEQI] in at_centre
    assert all(item.case_no in at_centre for item in own)
    assert at_centre.count(BIKEQI) == at_station.count(BIKEQI)
    # Without a station, the centre has no cases of its own; an unknown code is refused.
    with pytest.raises(NotFoundError) as caught:
        print_supervision_list(world.centre, ACTOR, 30, today=TODAY, station="150121999999")
    assert caught.value.code == "centre.station_unknown"
