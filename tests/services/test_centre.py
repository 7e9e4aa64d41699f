"""The centre: register of station keys, bundle import, receipts, figures equal the stations'."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from test_centre_kit import (
    ACTOR,
    BACKENDS,
    BIKEQI,
    CENTRE_CODE,
    CENTRE_NAME,
    CHASUQI,
    STATIONS,
    TODAY,
    World,
    add_activity,
    add_person,
    assert_copy_equals_station,
    assert_figures_equal,
    database_hash,
    intake_input,
    make_world,
    open_intake,
    pg_world_template,
    synced_hash,
    world_template,
)

from wushe_desktop.domain.enums import RiskLevel, Role
from wushe_desktop.errors import (
    ConfigError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from wushe_desktop.services import centre, keys
from wushe_desktop.services.activities import delete_activity
from wushe_desktop.services.cases import update_intake
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.services.export import export_bundle, json_ready
from wushe_desktop.services.lists import list_records
from wushe_desktop.services.numbers import issue_number
from wushe_desktop.services.receipts import import_receipt
from wushe_desktop.services.station import init_database, key_path_for
from wushe_desktop.services.stats import (
    Period,
    centre_stats,
    centre_stats_by_station,
    station_stats,
)
from wushe_desktop.storage.db import SCHEMA_HEAD
from wushe_desktop.storage.models import (
    SYNCED_MODELS,
    Case,
    ImportedBundle,
    NumberSequence,
    Person,
    ReceiptRecord,
)
from wushe_desktop.sync import bundle
from wushe_desktop.sync import keys as sync_keys
from wushe_desktop.sync.common import AuditHead, canonical_json
from wushe_desktop.sync.errors import CardError, ReceiptError

__all__ = ["pg_world_template", "world_template"]  # fixtures


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The two stations and a centre on SQLite, then on PostgreSQL."""
    yield from make_world(request.param, request, tmp_path)


def test_two_stations_export_and_the_centre_figures_equal_each_station(world: World) -> None:
    for code in STATIONS:
        result, outcome = world.sync(code)
        assert (outcome.station_code, outcome.sequence, outcome.rows) == (code, 1, result.rows)
        assert outcome.new == result.rows and outcome.updated == outcome.unchanged == 0
        assert outcome.receipt_path == result.path.with_name(result.path.name + ".receipt")
        assert outcome.receipt_path.is_file()
    for code in STATIONS:
        assert_figures_equal(world, code)
        assert_copy_equals_station(world, code)
    # Without --station: the sum over stations.
    period = Period()
    codes, total = centre_stats(world.centre, ACTOR, period, None, TODAY)
    assert codes == sorted(STATIONS)
    own = [station_stats(world.stations[c], ACTOR, period, TODAY)[1] for c in STATIONS]
    assert total.activities == sum(s.activities for s in own)
    assert total.cases.opened == sum(s.cases.opened for s in own)
    assert total.beneficiary_persons == sum(s.beneficiary_persons for s in own)
    # The overview's reading: every station's figures in one read, each equal to the station's own.
    for period in (Period(), Period(date(2026, 11, 1), TODAY), Period(None, date(2026, 6, 30))):
        by_station, summed = centre_stats_by_station(world.centre, ACTOR, period, TODAY)
        assert by_station == {c: station_stats(world.stations[c], ACTOR, period, TODAY)[1] for c in STATIONS}
        assert summed == centre_stats(world.centre, ACTOR, period, None, TODAY)[1]
    # The centre's own station row stays its own; the stations' rows are copies.
    assert [s.code for s in centre.station_statuses(world.centre, ACTOR)] == sorted(STATIONS)
    cases = centre.centre_list(world.centre, ACTOR, "cases", BIKEQI)
    assert cases == list_records(world.stations[BIKEQI], ACTOR, "cases")
    # The centre's database stays sound: copies keep their stations' row versions.
    from wushe_desktop.services.checks import run_checks

    assert all(f.ok for f in run_checks(world.centre, ACTOR))


def test_further_edits_and_deletions_travel_in_an_incremental_bundle(world: World) -> None:
    station = world.station(BIKEQI)
    world.sync(BIKEQI)
    activity = add_activity(station)
    person = add_person(station, "乌云·其其格")
    case = open_intake(station, person)
    world.sync(BIKEQI)
    assert any(a["uuid"] == str(activity) for a in centre.centre_list(world.centre, ACTOR, "activities", BIKEQI))
    # Further edits: a new person, an updated case, a soft-deleted activity.
    newcomer = add_person(station, "巴特尔")
    update_intake(station, ACTOR, case, intake_input(person, RiskLevel.HIGH))
    delete_activity(station, ACTOR, activity)
    result, outcome = world.sync(BIKEQI)
    assert not result.full
    assert {t: n for t, n in result.table_counts.items() if n} == {
        "person": 1, "person_status": 1, "case_file": 1, "activity": 1}  # the deletion travels
    assert (outcome.new, outcome.updated, outcome.unchanged) == (2, 2, 0)
    assert_figures_equal(world, BIKEQI)
    assert_copy_equals_station(world, BIKEQI)
    activities = centre.centre_list(world.centre, ACTOR, "activities", BIKEQI)
    assert all(a["uuid"] != str(activity) for a in activities)
    people = centre.centre_list(world.centre, ACTOR, "people", BIKEQI)
    assert {p["name"] for p in people} >= {"巴特尔", "乌云·其其格"}
    assert any(p["uuid"] == str(newcomer) for p in people)
    cases = {c["uuid"]: c for c in centre.centre_list(world.centre, ACTOR, "cases", BIKEQI)}
    assert cases[str(case)]["risk_level"] == "high"


def test_reimport_is_a_noop_and_an_older_bundle_rolls_nothing_back(world: World) -> None:
    station = world.station(BIKEQI)
    first, _ = world.sync(BIKEQI)
    before = synced_hash(world.centre)
    again = world.import_(first.path)
    assert again.accepted and again.already_imported and again.new == again.updated == 0
    assert again.unchanged == first.rows
    assert synced_hash(world.centre) == before
    with world.centre.read_sessions() as s:
        assert len(s.scalars(select(ImportedBundle)).all()) == 1
    # Two bundles cross: the newer is imported first, then the older one.
    person = add_person(station, "旧名字")
    older = world.export(BIKEQI)
    with transaction(station, ACTOR) as s:
        s.get(Person, person).name = "新名字"  # type: ignore[union-attr]
    newer = world.export(BIKEQI)
    assert newer.sequence == older.sequence + 1 and newer.row_version_from == older.row_version_from
    assert world.import_(newer.path).accepted
    after_newer = synced_hash(world.centre)
    late = world.import_(older.path)
    assert late.accepted and late.older and late.updated == 0 and late.new == 0
    assert synced_hash(world.centre) == after_newer
    names = {p["name"] for p in centre.centre_list(world.centre, ACTOR, "people", BIKEQI)}
    assert "新名字" in names and "旧名字" not in names


def _refused(world: World, path: Path, code: str) -> centre.ImportOutcome:
    before = database_hash(world.centre)
    original = path.read_bytes()
    outcome = world.import_(path, explain=lambda e: f"原因：{e.code}")
    assert not outcome.accepted and outcome.error is not None
    assert outcome.error.code == code, outcome.error
    assert database_hash(world.centre) == before  # every table, the audit log included
    assert path.read_bytes() == original  # the original stays where it was
    assert outcome.quarantined is not None and outcome.quarantined.parent == world.folder / "centre" / "quarantine"
    assert outcome.quarantined.read_bytes() == original
    reason = outcome.quarantined.with_name(outcome.quarantined.name + ".reason.txt").read_text(encoding="utf-8")
    assert f"原因：{code}" in reason and code in reason and path.name in reason
    assert not path.with_name(path.name + ".receipt").exists()
    return outcome


def test_refused_bundles_land_in_quarantine_and_leave_the_centre_untouched(world: World, tmp_path: Path) -> None:
    world.sync(CHASUQI)
    # A station the centre never registered (it imported the centre's card, though).
    stranger, _ = init_database(tmp_path / "s3" / "station.sqlite3", code="150121103000", name="台阁牧镇社工站")
    world.opened.append(stranger)
    keys.import_centre_card(stranger, ACTOR, world.usb / f"{CENTRE_CODE}-centre.card")
    outcome = _refused(world, export_bundle(stranger, ACTOR, tmp_path / "s3.wsb").path, "bundle.unknown_station")
    assert outcome.station_code == "150121103000"
    # A revoked station.
    revoked = centre.revoke_station(world.centre, ACTOR, BIKEQI)
    assert not revoked.already_revoked and revoked.fingerprints
    assert centre.revoke_station(world.centre, ACTOR, BIKEQI).already_revoked
    _refused(world, world.export(BIKEQI).path, "bundle.key_revoked")
    # A damaged file.
    good = world.usb / "damaged.wsb"
    data = bytearray(world.export(CHASUQI, full=True).path.read_bytes())
    data[len(data) // 2] ^= 1
    good.write_bytes(bytes(data))
    _refused(world, good, "bundle.payload_hash")
    # A bundle for another centre.
    other, _ = centre.init_centre(tmp_path / "other" / "centre.sqlite3", name="托克托县社会工作服务中心")
    world.opened.append(other)
    other_card = keys.export_card(other, ACTOR, tmp_path / "other.card")
    keys.import_centre_card(world.station(CHASUQI), ACTOR, other_card.path, replace=True)
    _refused(world, world.export(CHASUQI).path, "bundle.wrong_centre")
    assert len(list((world.folder / "centre" / "quarantine").glob("*.reason.txt"))) == 4
    statuses = {s.code: s for s in centre.station_statuses(world.centre, ACTOR)}
    assert statuses[BIKEQI].revoked and statuses[BIKEQI].bundles == 0 and not statuses[BIKEQI].overdue
    assert statuses[CHASUQI].bundles == 1


def test_a_missing_file_is_refused_without_quarantine(world: World) -> None:
    outcome = world.import_(world.usb / "missing.wsb")
    assert not outcome.accepted and outcome.error is not None and outcome.error.code == "bundle.unreadable"
    assert outcome.quarantined is None and not (world.folder / "centre" / "quarantine").exists()


def _station_key(world: World, code: str) -> bytes:
    return sync_keys.read_private_key(key_path_for(world.station(code), code))


def _centre_box(world: World) -> bytes:
    return sync_keys.box_public_key_of(keys.box_private_key(world.centre, CENTRE_CODE))


def _forge(world: World, code: str, tables: list[tuple[str, list[dict[str, object]]]], name: str) -> Path:
    """A bundle really signed by a station, with rows of our choosing."""
    out = world.usb / name
    bundle.write_bundle(out, station_code=code, sequence=50, prev_bundle_sha256="", full=False,
                        row_version_from=0, row_version_to=2**50, schema_revision=SCHEMA_HEAD,
                        audit_head=AuditHead(0, "0" * 64), tables=tables, signing_key=_station_key(world, code),
                        centre_public_key=_centre_box(world))
    return out


def _rows_of(world: World, code: str, model: type, limit: int = 3) -> list[dict[str, object]]:
    table = model.__table__  # type: ignore[attr-defined]
    convert = json_ready(table)
    with world.station(code).read_sessions() as s:
        return [convert(r) for r in s.execute(select(table).where(table.c.origin == code).limit(limit))]


def test_a_bundle_whose_children_come_before_their_parents_imports_whole(world: World) -> None:
    # Every synced table of the station, children first: the foreign keys are checked at commit.
    tables = [(m.__tablename__, _rows_of(world, BIKEQI, m, 100_000)) for m in reversed(SYNCED_MODELS)]
    dry = world.import_(_forge(world, BIKEQI, tables, "children-first.wsb"), dry_run=True)
    assert dry.accepted, dry.error
    outcome = world.import_(world.usb / "children-first.wsb")
    assert outcome.accepted, outcome.error
    assert outcome.new == sum(len(rows) for _, rows in tables)
    assert_copy_equals_station(world, BIKEQI)


def test_rows_that_name_records_never_received_are_refused_whole(world: World) -> None:
    cases = _rows_of(world, BIKEQI, Case)
    outcome = _refused(world, _forge(world, BIKEQI, [("case_file", cases)], "orphans.wsb"), "centre.missing_parents")
    assert outcome.station_code == BIKEQI
    dry = world.import_(world.usb / "orphans.wsb", dry_run=True)
    assert not dry.accepted and dry.error is not None and dry.error.code == "centre.missing_parents"


def test_a_station_cannot_overwrite_another_stations_records(world: World) -> None:
    world.sync(BIKEQI)
    theirs = _rows_of(world, BIKEQI, Person, 1)[0]
    mine = {**theirs, "origin": CHASUQI, "name": "冒名顶替", "row_version": 2**45}
    _refused(world, _forge(world, CHASUQI, [("person", [mine])], "hijack.wsb"), "centre.uuid_conflict")
    # Rows of a table that never travels are refused too.
    local = {"uuid": str(theirs["uuid"]), "origin": CHASUQI, "row_version": 1}
    _refused(world, _forge(world, CHASUQI, [("registered_station", [local])], "local.wsb"), "centre.unknown_table")
    bad = {**_rows_of(world, CHASUQI, Person, 1)[0], "birth_date": "not a date", "row_version": 2**45}
    _refused(world, _forge(world, CHASUQI, [("person", [bad])], "bad.wsb"), "centre.row_invalid")


def test_dry_run_counts_and_writes_nothing(world: World) -> None:
    result = world.export(CHASUQI)
    before = database_hash(world.centre)
    dry = world.import_(result.path, dry_run=True)
    assert dry.accepted and dry.dry_run and dry.new == result.rows and dry.receipt_path is None
    assert database_hash(world.centre) == before
    assert not result.path.with_name(result.path.name + ".receipt").exists()
    assert world.import_(result.path).new == result.rows
    again = world.import_(result.path, dry_run=True)
    assert again.unchanged == result.rows and again.new == 0


def test_a_gap_in_the_sequence_is_reported_and_a_full_export_heals_it(world: World) -> None:
    station = world.station(BIKEQI)
    world.sync(BIKEQI)
    add_person(station, "第二包")
    world.export(BIKEQI)  # bundle 2: lost on the way
    add_person(station, "第三包")
    third = world.export(BIKEQI)
    outcome = world.import_(third.path)
    # The receipt-based start means nothing is missing, but bundle 2 never arrived.
    assert outcome.accepted and outcome.gap == (2, 2) and not outcome.rows_may_be_missing
    assert_figures_equal(world, BIKEQI)
    with world.centre.read_sessions() as s:
        assert s.scalar(select(ImportedBundle.status).where(ImportedBundle.sequence == 3)) == "gap"
    statuses = {s.code: s for s in centre.station_statuses(world.centre, ACTOR)}
    assert statuses[BIKEQI].last_gap and statuses[BIKEQI].last_sequence == 3
    world.receipt(BIKEQI, outcome)
    full, healed = world.sync(BIKEQI, full=True)
    assert full.full and healed.gap is None and healed.unchanged == full.rows
    assert not {s.code: s for s in centre.station_statuses(world.centre, ACTOR)}[BIKEQI].last_gap


def test_rows_may_be_missing_when_the_bundle_starts_above_what_the_centre_holds(world: World) -> None:
    station = world.station(BIKEQI)
    old = world.backup_centre()  # a backup of the centre, opened after the import below
    world.sync(BIKEQI)
    add_person(station, "新近登记")
    result = world.export(BIKEQI)
    outcome = centre.import_bundle(old, ACTOR, result.path)
    assert outcome.accepted and outcome.rows_may_be_missing and outcome.gap == (1, 1)
    assert result.row_version_from > 0


def test_receipts_raise_number_floors_after_a_restore(world: World) -> None:
    station = world.station(BIKEQI)
    _, outcome = world.sync(BIKEQI)
    assert outcome.receipt_path is not None
    with station.read_sessions() as s:
        highs = {(r.kind, r.year): r.last for r in s.scalars(select(NumberSequence))}
    year = max(y for k, y in highs if k == "case")
    # A restore from an older backup: numbering behind the centre's copy, no receipt yet.
    with station.sessions.begin() as s:
        s.execute(update(NumberSequence).values(last=0))
        s.execute(ReceiptRecord.__table__.delete())
    result = import_receipt(station, ACTOR, outcome.receipt_path)
    assert not result.already_imported and result.known_bundle and not result.audit_mismatch
    assert result.floors_raised[f"case/{year}"] == highs[("case", year)]
    assert result.floors_raised["volunteer/0"] == highs[("volunteer", 0)]
    with transaction(station, ACTOR) as s:
        assert issue_number(s, "case", year) == highs[("case", year)] + 1
    again = import_receipt(station, ACTOR, outcome.receipt_path)
    assert again.already_imported and again.floors_raised == {}


def test_receipts_are_checked(world: World, tmp_path: Path) -> None:
    _, outcome = world.sync(BIKEQI)
    assert outcome.receipt_path is not None
    with pytest.raises(ReceiptError) as info:
        import_receipt(world.station(CHASUQI), ACTOR, outcome.receipt_path)
    assert info.value.code == "receipt.wrong_station"
    forged = tmp_path / "forged.receipt"
    envelope = json.loads(outcome.receipt_path.read_bytes())
    body = json.loads(base64.b64decode(envelope["body"]))
    body["high_water"]["row_version"] += 1000
    envelope["body"] = base64.b64encode(canonical_json(body)).decode()
    forged.write_bytes(canonical_json(envelope) + b"\n")
    with pytest.raises(ReceiptError) as info:
        import_receipt(world.station(BIKEQI), ACTOR, forged)
    assert info.value.code == "receipt.signature"


def test_the_acknowledged_mark_decides_what_the_next_export_holds(world: World) -> None:
    station = world.station(BIKEQI)
    first = world.export(BIKEQI)
    second = world.export(BIKEQI)  # no receipt yet: the same rows again (a lost stick loses nothing)
    assert second.rows == first.rows and second.row_version_from == 0 and second.sequence == 2
    outcome = world.import_(second.path)
    world.receipt(BIKEQI, outcome)
    third = world.export(BIKEQI)
    assert third.rows == 0 and third.row_version_from == second.row_version_to
    add_person(station)
    assert world.export(BIKEQI).rows == 2  # the person and the category line


def test_trust_rules(world: World, tmp_path: Path) -> None:
    card = world.usb / f"{BIKEQI}-station.card"
    fingerprint = keys.show_keys(world.station(BIKEQI)).fingerprint
    assert centre.trust_station(world.centre, ACTOR, card, expect_fingerprint=fingerprint.lower()).status == "unchanged"
    wrong = "0000-0000-0000-0000-0000-0000-0000-0000"
    with pytest.raises(CardError) as info:
        centre.trust_station(world.centre, ACTOR, card, expect_fingerprint=wrong)
    assert info.value.code == "card.unexpected_fingerprint"
    with pytest.raises(ValidationError) as vinfo:
        centre.trust_station(world.centre, ACTOR, card, expect_fingerprint="12-34")
    assert vinfo.value.code == "fingerprint.invalid"
    with pytest.raises(CardError):  # a centre card is not a station card
        centre.trust_station(world.centre, ACTOR, world.usb / f"{CENTRE_CODE}-centre.card")
    with pytest.raises(ConfigError) as cinfo:  # a station is not a centre
        centre.trust_station(world.station(BIKEQI), ACTOR, card)
    assert cinfo.value.code == "station.not_centre"
    with pytest.raises(PermissionDenied):
        centre.trust_station(world.centre, Actor("社工", Role.SOCIAL_WORKER), card)
    with pytest.raises(NotFoundError):
        centre.revoke_station(world.centre, ACTOR, "150121199000")
    # A revoked key is never registered again.
    centre.revoke_station(world.centre, ACTOR, BIKEQI)
    with pytest.raises(StateError) as sinfo:
        centre.trust_station(world.centre, ACTOR, card)
    assert sinfo.value.code == "centre.key_revoked_before"


def test_key_rotation_signed_by_the_old_key_and_a_new_pc(world: World) -> None:
    station = world.station(BIKEQI)
    before = world.export(BIKEQI)  # signed with the old key, still on the stick
    rotation = keys.rotate_keys(station, ACTOR, world.usb)
    assert rotation.statement_path is not None and rotation.new_fingerprint != rotation.old_fingerprint
    after = world.export(BIKEQI)
    assert world.import_(after.path).error.code == "bundle.unknown_key"  # type: ignore[union-attr]
    trusted = centre.trust_station(world.centre, ACTOR, rotation.statement_path,
                                   expect_fingerprint=rotation.new_fingerprint)
    assert (trusted.status, trusted.previous_fingerprint) == ("rotated", rotation.old_fingerprint)
    assert world.import_(after.path).accepted
    assert world.import_(before.path).accepted  # signed before the change: still good
    # A new PC: the private key is gone; a new pair, registered by card and phone.
    key_path_for(station, BIKEQI).unlink()
    assert not keys.show_keys(station).private_key_present
    with pytest.raises(ConfigError) as info:
        world.export(BIKEQI)
    assert info.value.code == "keys.private_missing"
    fresh = keys.rotate_keys(station, ACTOR, world.usb)
    assert fresh.statement_path is None
    replaced = centre.trust_station(world.centre, ACTOR, fresh.card_path, expect_fingerprint=fresh.new_fingerprint)
    assert (replaced.status, replaced.previous_fingerprint) == ("replaced", rotation.new_fingerprint)
    assert world.import_(world.export(BIKEQI).path).accepted
    # A statement signed by a key that is no longer the registered one is refused.
    with pytest.raises(CardError) as cinfo:
        centre.trust_station(world.centre, ACTOR, rotation.statement_path)
    assert cinfo.value.code == "rotation.wrong_key"


def test_centre_init_finds_its_banner(tmp_path: Path) -> None:
    db, result = centre.init_centre(tmp_path / "c.sqlite3", name=CENTRE_NAME)
    db.dispose()
    assert (result.centre.code, result.centre.banner_name) == (CENTRE_CODE, "土默特左旗")
    assert (tmp_path / "keys" / f"{CENTRE_CODE}.x25519").stat().st_mode & 0o077 == 0
    assert result.fingerprint != result.box_fingerprint
    with pytest.raises(ValidationError) as info:
        centre.init_centre(tmp_path / "d.sqlite3", name="社会工作服务中心")
    assert info.value.code == "centre.banner_not_found"
    with pytest.raises(ValidationError) as info:
        centre.init_centre(tmp_path / "e.sqlite3", name="某中心", code="150121101000")
    assert info.value.code == "centre.code_not_banner"
    db, result = centre.init_centre(tmp_path / "f" / "c.sqlite3", name="托县中心", code="150122")
    db.dispose()
    assert result.centre.code == "150122000000" and result.centre.banner_name == "托克托县"


def test_centre_views_refuse_unknown_stations_and_station_databases(world: World) -> None:
    with pytest.raises(NotFoundError):
        centre.centre_list(world.centre, ACTOR, "cases", "150121199000")
    assert centre.centre_list(world.centre, ACTOR, "cases", BIKEQI) == []  # registered, nothing yet
    with pytest.raises(ConfigError):
        centre.centre_list(world.station(BIKEQI), ACTOR, "cases", BIKEQI)
    with pytest.raises(ConfigError):
        centre.import_bundle(world.station(BIKEQI), ACTOR, world.usb / "x.wsb")
    statuses = centre.station_statuses(world.centre, ACTOR)
    assert all(s.overdue and s.bundles == 0 and s.last_sequence is None for s in statuses)
    assert {s.name for s in statuses} == set(STATIONS.values())


def test_a_deidentified_bundle_gives_the_same_figures(world: World) -> None:
    result, _ = world.sync(CHASUQI, profile="deidentified")
    assert result.profile == "deidentified"
    assert_figures_equal(world, CHASUQI)
    people = centre.centre_list(world.centre, ACTOR, "people", CHASUQI)
    assert people and all(p["name"].startswith("对象-") for p in people)


def test_centre_name_on_the_card_and_the_demo_station_is_never_registered(world: World, tmp_path: Path) -> None:
    info = keys.show_keys(world.station(BIKEQI))
    assert (info.centre_name, info.centre_code) == (CENTRE_NAME, CENTRE_CODE)
    demo, _ = init_database(tmp_path / "demo" / "s.sqlite3", code="150121999999", name="演示社工站")
    world.opened.append(demo)
    card = keys.export_card(demo, ACTOR, tmp_path)
    with pytest.raises(ValidationError) as info_error:
        centre.trust_station(world.centre, ACTOR, card.path)
    assert info_error.value.code == "centre.demo_station"
    keys.import_centre_card(demo, ACTOR, world.usb / f"{CENTRE_CODE}-centre.card")
    result = export_bundle(demo, ACTOR, tmp_path)
    assert result.demo
    _refused(world, result.path, "bundle.demo_station")


def test_figures_ignore_a_period_with_nothing(world: World) -> None:
    world.sync(BIKEQI)
    assert_figures_equal(world, BIKEQI, [Period(date(2000, 1, 1), date(2000, 12, 31))])


def test_switching_profile_with_a_full_export_replaces_the_centres_copy(world: World) -> None:
    world.sync(CHASUQI)
    names = {p["name"] for p in centre.centre_list(world.centre, ACTOR, "people", CHASUQI)}
    assert not any(n.startswith("对象-") for n in names)
    result, outcome = world.sync(CHASUQI, full=True, profile="deidentified")
    assert outcome.unchanged == result.rows and outcome.updated == 0
    people = centre.centre_list(world.centre, ACTOR, "people", CHASUQI)
    assert all(p["name"].startswith("对象-") for p in people)
    assert all(p["id_number"] is None or "*" in p["id_number"] for p in people)
    assert_figures_equal(world, CHASUQI)
