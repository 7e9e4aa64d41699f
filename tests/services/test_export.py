"""Station export: what goes into a bundle, numbering, the hash chain, the log, refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_centre_kit import (
    ACTOR,
    BIKEQI,
    CENTRE_CODE,
    World,
    add_person,
    world,
    world_template,
)

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import ConfigError, PermissionDenied, StateError
from wushe_desktop.services import keys
from wushe_desktop.services.centre import known_schemas
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.export import export_bundle, json_ready, sync_status
from wushe_desktop.services.people import delete_person
from wushe_desktop.storage.db import SCHEMA_HEAD, Database
from wushe_desktop.storage.models import SYNCED_MODELS, AuditLog, ExportLog, Person
from wushe_desktop.sync import bundle
from wushe_desktop.sync import keys as sync_keys

__all__ = ["world", "world_template"]  # fixtures


def _read(world: World, path: Path) -> bundle.VerifiedBundle:
    """Open a bundle with the centre's keys, trusting the station's key directly."""
    private = keys.box_private_key(world.centre, CENTRE_CODE)
    public = {code: sync_keys.public_key_of(sync_keys.read_private_key(
        world.folder / code / "keys" / f"{code}.ed25519")) for code in world.stations}

    def trusted(code: str, fingerprint: str) -> bundle.TrustDecision:
        return bundle.TrustDecision.trusted(public[code])

    return bundle.read_bundle(path, trusted_keys=trusted, centre_private_key=private,
                              centre_fingerprint=sync_keys.fingerprint(sync_keys.box_public_key_of(private)),
                              known_schemas=known_schemas())


def _count_rows(db: Database, origin: str) -> int:
    with db.read_sessions() as s:
        return sum(int(s.scalar(select(func.count()).select_from(m).where(m.origin == origin)) or 0)
                   for m in SYNCED_MODELS)


def test_a_first_export_holds_every_row_and_is_logged(world: World) -> None:
    station = world.station(BIKEQI)
    result = world.export(BIKEQI)
    assert result.path == world.usb / f"{BIKEQI}-000001.wsb"
    assert (result.sequence, result.full, result.profile, result.row_version_from) == (1, False, "supervision", 0)
    assert result.rows == _count_rows(station, BIKEQI) and not result.demo
    verified = _read(world, result.path)
    manifest = verified.manifest
    assert manifest.schema_revision == SCHEMA_HEAD and manifest.prev_bundle_sha256 == ""
    assert verified.sha256 == result.sha256 and sum(manifest.table_counts.values()) == result.rows
    with station.read_sessions() as s:
        head = s.execute(select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)).one()
        log = s.scalars(select(ExportLog)).one()
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "export")).one()
    # The bundle carries the audit head as it was before the export's own audit row.
    assert (manifest.audit_head.seq, manifest.audit_head.hash) == (audit.seq - 1, audit.prev_hash)
    assert head[0] == audit.seq
    assert (log.sequence, log.rows, log.file_sha256, log.file_name) == (1, result.rows, result.sha256, result.path.name)
    assert audit.details["sha256"] == result.sha256
    # Rows are JSON-ready: text for UUIDs, dates and times, values for enums.
    rows = dict(verified.batches(10_000))
    station_row = rows["station"][0]
    assert station_row["code"] == BIKEQI and station_row["mode"] == "station"
    person = rows["person"][0]
    assert uuid.UUID(person["uuid"]) and datetime.fromisoformat(person["created_at"]).tzinfo is not None
    case = rows["case_file"][0]
    assert date.fromisoformat(case["intake_date"]) and isinstance(case["risk_level"], str)


def test_sequence_and_hash_chain(world: World) -> None:
    first = world.export(BIKEQI)
    second = world.export(BIKEQI, full=True)
    assert second.path.name == f"{BIKEQI}-000002-full.wsb" and second.full and second.row_version_from == 0
    assert _read(world, second.path).manifest.prev_bundle_sha256 == first.sha256
    named = world.export(BIKEQI, full=False)
    assert named.sequence == 3 and _read(world, named.path).manifest.prev_bundle_sha256 == second.sha256
    explicit = export_bundle(world.station(BIKEQI), ACTOR, world.folder / "somewhere" / "x.wsb")
    assert explicit.path == world.folder / "somewhere" / "x.wsb" and explicit.sequence == 4


def test_deletions_travel(world: World) -> None:
    station = world.station(BIKEQI)
    outcome = world.import_(world.export(BIKEQI).path)
    world.receipt(BIKEQI, outcome)
    person = add_person(station, "将被删除")
    delete_person(station, ACTOR, person)
    result = world.export(BIKEQI)
    rows = dict(_read(world, result.path).batches())
    deleted = [r for r in rows["person"] if r["uuid"] == str(person)]
    assert deleted and deleted[0]["deleted_at"] is not None


def test_export_needs_a_centre_card_a_station_and_the_permission(world: World, tmp_path: Path) -> None:
    from wushe_desktop.services.station import init_database

    bare, _ = init_database(tmp_path / "bare" / "s.sqlite3", code="150121104000", name="白庙子镇社工站")
    world.opened.append(bare)
    with pytest.raises(ConfigError) as info:
        export_bundle(bare, ACTOR, tmp_path)
    assert info.value.code == "export.no_centre_card"
    with pytest.raises(ConfigError) as info:
        export_bundle(world.centre, ACTOR, tmp_path)
    assert info.value.code == "station.is_centre"
    with pytest.raises(PermissionDenied):
        export_bundle(world.station(BIKEQI), Actor("社工", Role.SOCIAL_WORKER), tmp_path)
    assert list(tmp_path.glob("*.wsb")) == []


def test_cancelling_leaves_no_file_and_no_log(world: World) -> None:
    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int | None) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        world.export(BIKEQI, progress=cancel)
    assert [p.name for p in world.usb.iterdir() if p.suffix == ".wsb" or ".partial" in p.name] == []
    with world.station(BIKEQI).read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(ExportLog)) == 0
    assert world.export(BIKEQI).sequence == 1


def test_the_centre_card_is_kept_and_replaced_only_on_request(world: World, tmp_path: Path) -> None:
    from wushe_desktop.services.centre import init_centre

    station = world.station(BIKEQI)
    same = keys.import_centre_card(station, ACTOR, world.usb / f"{CENTRE_CODE}-centre.card")
    assert same.unchanged
    other, _ = init_centre(tmp_path / "other" / "c.sqlite3", name="托克托县社会工作服务中心")
    world.opened.append(other)
    card = keys.export_card(other, ACTOR, tmp_path)
    with pytest.raises(StateError) as info:
        keys.import_centre_card(station, ACTOR, card.path)
    assert info.value.code == "keys.centre_already_set"
    assert info.value.params["new"] == card.fingerprint and info.value.params["current"] == same.fingerprint
    replaced = keys.import_centre_card(station, ACTOR, card.path, replace=True)
    assert replaced.replaced_fingerprint == same.fingerprint and replaced.centre_name == "托克托县社会工作服务中心"
    assert keys.show_keys(station).centre_fingerprint == card.fingerprint
    with pytest.raises(ConfigError):
        keys.import_centre_card(world.centre, ACTOR, card.path)


def test_sync_status_counts_what_the_centre_has_not_acknowledged(world: World) -> None:
    station = world.station(BIKEQI)
    before = sync_status(station, ACTOR)
    assert before.last_export_at is None and before.acknowledged_version == 0
    assert before.unacknowledged_rows == _count_rows(station, BIKEQI)
    world.sync(BIKEQI)
    after = sync_status(station, ACTOR)
    assert after.unacknowledged_rows == 0 and after.last_export_sequence == 1 and after.acknowledged_sequence == 1
    with transaction(station, ACTOR) as s:
        s.scalars(select(Person).limit(1)).one().notes = "电话回访"
    assert sync_status(station, ACTOR).unacknowledged_rows == 1


def test_json_ready_rows(world: World) -> None:
    from wushe_desktop.storage.models import VolunteerHours

    table = VolunteerHours.__table__  # type: ignore[attr-defined]
    convert = json_ready(table)
    with world.station(BIKEQI).read_sessions() as s:
        row = convert(s.execute(select(table).limit(1)).one())
    assert isinstance(row["uuid"], str) and isinstance(row["status"], str)
    assert datetime.fromisoformat(row["updated_at"]).astimezone(UTC)


def test_cancelling_keeps_a_file_the_user_chose_to_replace(world: World) -> None:
    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int | None) -> None:
        raise Cancelled

    target = world.usb / "chosen.wsb"
    target.write_bytes(b"an older bundle")
    with pytest.raises(Cancelled):
        export_bundle(world.station(BIKEQI), ACTOR, target, progress=cancel)
    assert target.read_bytes() == b"an older bundle"
    assert [p.name for p in world.usb.iterdir() if p.name.startswith(".")] == []
    replaced = export_bundle(world.station(BIKEQI), ACTOR, target)
    assert replaced.path == target and target.stat().st_size == replaced.size and replaced.sequence == 1


def test_suggested_name_and_export_log(world: World) -> None:
    from wushe_desktop.services.export import export_log, suggested_bundle_name

    station = world.station(BIKEQI)
    assert suggested_bundle_name(station, ACTOR) == f"{BIKEQI}-000001.wsb"
    assert suggested_bundle_name(station, ACTOR, full=True) == f"{BIKEQI}-000001-full.wsb"
    assert export_log(station, ACTOR) == []
    first = world.export(BIKEQI)
    assert first.path.name == f"{BIKEQI}-000001.wsb"
    second = world.export(BIKEQI, full=True)
    assert suggested_bundle_name(station, ACTOR) == f"{BIKEQI}-000003.wsb"
    log = export_log(station, ACTOR)
    assert [(e.sequence, e.full, e.rows, e.sha256, e.file_name) for e in log] == [
        (2, True, second.rows, second.sha256, second.path.name), (1, False, first.rows, first.sha256, first.path.name)]
    assert log[0].actor == ACTOR.name


def test_a_centre_card_is_previewed_without_being_taken(world: World, tmp_path: Path) -> None:
    from wushe_desktop.services.centre import init_centre

    station = world.station(BIKEQI)
    same = keys.preview_centre_card(station, world.usb / f"{CENTRE_CODE}-centre.card")
    assert same.unchanged and same.replaced_fingerprint == ""
    other, _ = init_centre(tmp_path / "other" / "c.sqlite3", name="托克托县社会工作服务中心")
    world.opened.append(other)
    card = keys.export_card(other, ACTOR, tmp_path)
    before = sync_status(station, ACTOR).centre_fingerprint
    preview = keys.preview_centre_card(station, card.path)
    assert (preview.fingerprint, preview.replaced_fingerprint, preview.unchanged) == (card.fingerprint, before, False)
    assert sync_status(station, ACTOR).centre_fingerprint == before
