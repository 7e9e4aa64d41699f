"""People served (and volunteers registered) by more than one station, as the centre sees them.

Two real stations: 毕克齐镇 sends supervision bundles (full ID numbers, encrypted to the
centre), 察素齐镇 sends de-identified ones (masked ID numbers plus a keyed hash). The centre
keeps the hash (migration 0005) and computes it for the full numbers with its own
pseudonym key, so one person served by both stations is found whichever profile each uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select, update
from test_centre_kit import (
    ACTOR,
    BACKENDS,
    BIKEQI,
    CENTRE_CODE,
    CHASUQI,
    STATIONS,
    TODAY,
    World,
    assert_copy_equals_station,
    assert_figures_equal,
    make_world,
    open_intake,
    pg_world_template,
    synced_hash,
    world_template,
)

from wushe_desktop.domain.enums import Role, Sex
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import ConfigError, ValidationError
from wushe_desktop.services import centre
from wushe_desktop.services.context import Actor
from wushe_desktop.services.keys import pseudonym_key
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.volunteers import (
    HoursInput,
    VolunteerInput,
    add_hours,
    register_volunteer,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Donation, Person, Volunteer
from wushe_desktop.sync.deidentify import id_hash, mask_id

__all__ = ["pg_world_template", "world_template"]  # fixtures


def id_number(body: str) -> str:
    """A valid 18-character resident ID number from its first 17 digits."""
    assert len(body) == 17
    return body + id_number_check_char(body)


SHARED_ID = id_number("15012119480305002")  # the 17th digit is even: a woman
SHARED_VOLUNTEER_ID = id_number("15012119900412001")  # odd: a man
ONLY_BIKEQI_ID = id_number("15012119520716004")
ONLY_CHASUQI_ID = id_number("15012119520716006")


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The two stations and a centre on SQLite, then on PostgreSQL."""
    yield from make_world(request.param, request, tmp_path)


@pytest.fixture
def sqlite_world(world_template: Path, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    yield from make_world("sqlite", request, tmp_path)


def add_person(db: Database, name: str, number: str, sex: Sex = Sex.FEMALE) -> UUID:
    return create_person(db, ACTOR, PersonInput(name=name, sex=sex, id_number=number)).person.uuid


def add_volunteer(db: Database, name: str, number: str) -> UUID:
    return register_volunteer(db, ACTOR, VolunteerInput(name=name, id_number=number, sex=Sex.MALE)).volunteer.uuid


@pytest.fixture
def shared(world: World) -> dict[str, UUID]:
    """One woman served by both stations under different names; one more at each station."""
    return _add_shared(world)


def _add_shared(world: World) -> dict[str, UUID]:
    bikeqi, chasuqi = world.station(BIKEQI), world.station(CHASUQI)
    ids = {
        "bikeqi": add_person(bikeqi, "王秀兰", SHARED_ID),
        "chasuqi": add_person(chasuqi, "王淑兰", SHARED_ID),
        "only_bikeqi": add_person(bikeqi, "李桂英", ONLY_BIKEQI_ID),
        "only_chasuqi": add_person(chasuqi, "李桂芳", ONLY_CHASUQI_ID),
        "volunteer_bikeqi": add_volunteer(bikeqi, "巴特尔", SHARED_VOLUNTEER_ID),
        "volunteer_chasuqi": add_volunteer(chasuqi, "巴图", SHARED_VOLUNTEER_ID),
    }
    open_intake(bikeqi, ids["bikeqi"])
    open_intake(bikeqi, ids["bikeqi"])
    add_hours(bikeqi, ACTOR, HoursInput(volunteer_id=ids["volunteer_bikeqi"], service_date=TODAY - timedelta(days=1),
                                        minutes=120))
    return ids


def _centre_key(world: World) -> bytes:
    return pseudonym_key(world.centre, CENTRE_CODE)


def _ours(found: list[centre.SharedPerson], ids: set[UUID]) -> list[centre.SharedPerson]:
    """The entries naming any of our records (the demo data has people of its own)."""
    return [p for p in found if any(h.record_id in ids for h in p.holdings)]


def test_one_person_served_by_a_supervision_and_a_deidentified_station_is_listed_once(
        world: World, shared: dict[str, UUID]) -> None:
    first, _ = world.sync(BIKEQI)
    second, outcome = world.sync(CHASUQI, profile="deidentified")
    assert outcome.profile == "deidentified"
    key = _centre_key(world)
    expected = id_hash(key, SHARED_ID)

    # The centre keeps the hash from the de-identified bundle; the supervision rows have none.
    with world.centre.read_sessions() as s:
        rows = {r.uuid: r for r in s.scalars(select(Person).where(Person.uuid.in_(shared.values())))}
        assert rows[shared["chasuqi"]].id_hash == expected
        assert rows[shared["chasuqi"]].id_number == mask_id(SHARED_ID)
        assert rows[shared["bikeqi"]].id_hash is None and rows[shared["bikeqi"]].id_number == SHARED_ID
        held = s.scalars(select(Person.id_hash).where(Person.origin == CHASUQI, Person.id_number.is_not(None),
                                                      Person.deleted_at.is_(None))).all()
        assert held and all(h is not None and len(h) == 64 for h in held)
        assert s.scalars(select(Person.id_hash).where(Person.origin == BIKEQI)).all().count(None) == len(
            s.scalars(select(Person.uuid).where(Person.origin == BIKEQI)).all())
        volunteers = s.scalars(select(Volunteer).where(Volunteer.origin == CHASUQI)).all()
        assert all(v.id_hash is not None for v in volunteers if v.id_number)
        donor_hashes = s.execute(select(Donation.donor_id_no, Donation.donor_id_no_hash)
                                 .where(Donation.origin == CHASUQI)).all()
        assert all((h is not None) == bool(n) for n, h in donor_hashes)
    # Figures still equal; the supervision copy equals the station (its hashes empty, as there).
    assert_figures_equal(world, BIKEQI)
    assert_figures_equal(world, CHASUQI)
    assert_copy_equals_station(world, BIKEQI)

    found = centre.people_across_stations(world.centre, ACTOR)
    ours = _ours(found, set(shared.values()))
    assert len(ours) == 1
    person = ours[0]
    assert (person.id_hash, person.masked_id, person.station_count) == (expected, mask_id(SHARED_ID), 2)
    assert "*" in person.masked_id and SHARED_ID not in person.masked_id
    by_station = {h.station_code: h for h in person.holdings}
    assert set(by_station) == set(STATIONS)
    assert (by_station[BIKEQI].name, by_station[BIKEQI].deidentified) == ("王秀兰", False)
    assert by_station[BIKEQI].station_name == STATIONS[BIKEQI]
    assert (by_station[BIKEQI].record_id, by_station[BIKEQI].records) == (shared["bikeqi"], 2)
    assert by_station[CHASUQI].name.startswith("对象-") and by_station[CHASUQI].deidentified
    assert (by_station[CHASUQI].record_id, by_station[CHASUQI].records) == (shared["chasuqi"], 0)
    # Two different people are not matched: neither of the others appears anywhere.
    listed = {h.record_id for p in found for h in p.holdings}
    assert shared["only_bikeqi"] not in listed and shared["only_chasuqi"] not in listed
    assert all(p.station_count > 1 for p in found)

    # Volunteers likewise, with their service entries.
    volunteers = _ours(centre.people_across_stations(world.centre, ACTOR, "volunteer"),
                       {shared["volunteer_bikeqi"], shared["volunteer_chasuqi"]})
    assert len(volunteers) == 1
    holdings = {h.station_code: h for h in volunteers[0].holdings}
    assert (holdings[BIKEQI].name, holdings[BIKEQI].records) == ("巴特尔", 1)
    assert holdings[CHASUQI].name.startswith("志愿者-")
    assert volunteers[0].id_hash == id_hash(key, SHARED_VOLUNTEER_ID)

    # Re-importing either bundle changes nothing.
    before = synced_hash(world.centre)
    for path in (first.path, second.path):
        again = world.import_(path)
        assert again.accepted and again.already_imported and again.new == again.updated == 0
    assert synced_hash(world.centre) == before
    assert centre.people_across_stations(world.centre, ACTOR) == found


@pytest.mark.parametrize("profiles", [("supervision", "supervision"), ("deidentified", "deidentified")],
                         ids=["both-supervision", "both-deidentified"])
def test_matched_whichever_profile_both_stations_use(sqlite_world: World, profiles: tuple[str, str]) -> None:
    world = sqlite_world
    ids = _add_shared(world)
    world.sync(BIKEQI, profile=profiles[0])
    world.sync(CHASUQI, profile=profiles[1])
    ours = _ours(centre.people_across_stations(world.centre, ACTOR), set(ids.values()))
    assert [(p.masked_id, p.station_count) for p in ours] == [(mask_id(SHARED_ID), 2)]
    assert {h.record_id for h in ours[0].holdings} == {ids["bikeqi"], ids["chasuqi"]}
    assert ours[0].id_hash == id_hash(_centre_key(world), SHARED_ID)


def test_a_station_switching_profile_stays_matched(sqlite_world: World) -> None:
    world = sqlite_world
    ids = _add_shared(world)
    world.sync(BIKEQI)
    world.sync(CHASUQI)
    world.sync(CHASUQI, full=True, profile="deidentified")  # the centre's copy takes the profile
    ours = _ours(centre.people_across_stations(world.centre, ACTOR), set(ids.values()))
    assert len(ours) == 1 and {h.deidentified for h in ours[0].holdings} == {False, True}
    world.sync(CHASUQI, full=True)  # and back to supervision: the hash goes, the match stays
    with world.centre.read_sessions() as s:
        assert s.scalar(select(Person.id_hash).where(Person.uuid == ids["chasuqi"])) is None
    ours = _ours(centre.people_across_stations(world.centre, ACTOR), set(ids.values()))
    assert len(ours) == 1 and {h.deidentified for h in ours[0].holdings} == {False}


def test_a_person_only_one_station_has_sent_is_not_listed(sqlite_world: World) -> None:
    world = sqlite_world
    ids = _add_shared(world)
    world.sync(BIKEQI)  # only one station has sent anything
    assert _ours(centre.people_across_stations(world.centre, ACTOR), set(ids.values())) == []


def test_refused_at_a_station_and_for_an_unknown_kind(sqlite_world: World) -> None:
    world = sqlite_world
    with pytest.raises(ConfigError) as info:
        centre.people_across_stations(world.station(BIKEQI), ACTOR)
    assert info.value.code == "station.not_centre"
    with pytest.raises(ValidationError) as error:
        centre.people_across_stations(world.centre, ACTOR, "case")
    assert error.value.code == "list.unknown_kind"
    assert centre.people_across_stations(world.centre, Actor(name="督导", role=Role.SUPERVISOR)) == []
    nobody = Actor(name="x", role=Role.CENTRE_ADMIN)
    assert centre.people_across_stations(world.centre, nobody, "volunteer") == []


def test_reimporting_fills_the_hashes_a_centre_before_0005_dropped(world: World, shared: dict[str, UUID]) -> None:
    """A centre that imported de-identified bundles before migration 0005 holds them without
    hashes; importing the same bundles again fills in the hashes and nothing else."""
    world.sync(BIKEQI)
    second, _ = world.sync(CHASUQI, profile="deidentified")
    complete = synced_hash(world.centre)
    found = centre.people_across_stations(world.centre, ACTOR)
    with world.centre.sessions.begin() as s:  # as the importer before 0005 left them
        for model in (Person, Volunteer):
            s.execute(update(model).where(model.origin == CHASUQI).values(id_hash=None))
        s.execute(update(Donation).where(Donation.origin == CHASUQI).values(donor_id_no_hash=None))
    assert _ours(centre.people_across_stations(world.centre, ACTOR), set(shared.values())) == []
    again = world.import_(second.path)
    assert again.accepted and again.already_imported and again.new == again.updated == 0
    assert synced_hash(world.centre) == complete
    assert centre.people_across_stations(world.centre, ACTOR) == found

