"""Property: random edits at a station → export → import → the centre's copy equals the station.

Bundles are also lost on the way, imported without their receipt coming back, or exported
full; whatever the order, once a last round trip is made the centre's copy of every synced
table equals the station's rows, and the figures agree.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_centre_kit import (
    ACTOR,
    BIKEQI,
    add_activity,
    add_person,
    assert_copy_equals_station,
    assert_figures_equal,
    intake_input,
    open_intake,
    open_world,
    world_template,
)

from wushe_desktop.domain.enums import RiskLevel
from wushe_desktop.services.activities import delete_activity
from wushe_desktop.services.cases import update_intake
from wushe_desktop.services.context import transaction
from wushe_desktop.services.people import delete_person
from wushe_desktop.storage.models import Person

__all__ = ["world_template"]  # fixture

OPERATIONS = ("add_person", "edit_person", "delete_person", "add_activity", "delete_activity", "open_case",
              "update_case", "sync", "sync_full", "lost", "no_receipt")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.sampled_from(OPERATIONS), min_size=3, max_size=12))
def test_random_edits_reach_the_centre(world_template: Path, steps: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "world"
        shutil.copytree(world_template, folder)
        w = open_world(folder)
        try:
            station = w.station(BIKEQI)
            people: list[UUID] = []
            activities: list[UUID] = []
            cases: list[tuple[UUID, UUID]] = []
            for n, step in enumerate(steps):
                if step == "add_person" or (step in ("edit_person", "delete_person", "open_case") and not people):
                    people.append(add_person(station, "测试对象" + "甲乙丙丁戊己庚辛壬癸子丑"[n % 12]))
                elif step == "edit_person":
                    with transaction(station, ACTOR) as s:
                        person = s.get(Person, people[-1])
                        assert person is not None
                        person.notes = f"第{n}次回访"
                elif step == "delete_person":
                    delete_person(station, ACTOR, people.pop())
                elif step == "add_activity" or (step == "delete_activity" and not activities):
                    activities.append(add_activity(station, f"活动{n}"))
                elif step == "delete_activity":
                    delete_activity(station, ACTOR, activities.pop(0))
                elif step == "open_case":
                    person = people.pop()  # a client is not deleted while a case is open in this test
                    cases.append((open_intake(station, person), person))
                elif step == "update_case":
                    if cases:
                        case, person = cases[-1]
                        update_intake(station, ACTOR, case, intake_input(person, RiskLevel.HIGH if n % 2 else
                                                                         RiskLevel.MEDIUM))
                elif step in ("sync", "sync_full"):
                    w.sync(BIKEQI, full=step == "sync_full")
                elif step == "lost":
                    w.export(BIKEQI)
                elif step == "no_receipt":
                    outcome = w.import_(w.export(BIKEQI).path)
                    assert outcome.accepted, outcome.error
            w.sync(BIKEQI)
            assert_copy_equals_station(w, BIKEQI)
            assert_figures_equal(w, BIKEQI)
        finally:
            w.close()
