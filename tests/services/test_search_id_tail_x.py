"""A person or volunteer whose ID number ends in the check character X is found by the
last four characters, typed with a capital or a small x (scenario 2: "the last four
digits of the ID number")."""

from __future__ import annotations

import pytest

from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.services.context import Actor
from wushe_desktop.services.lists import ListQuery, page_records
from wushe_desktop.services.people import PersonInput, create_person, search_people
from wushe_desktop.services.text import id_tail_query
from wushe_desktop.services.volunteers import VolunteerInput, list_volunteers, register_volunteer
from wushe_desktop.storage.db import Database


def _x_id(prefix14: str) -> str:
    first17 = next(f"{prefix14}{n:03d}" for n in range(1000) if id_number_check_char(f"{prefix14}{n:03d}") == "X")
    return first17 + "X"


@pytest.mark.parametrize(("typed", "tail"), [("008x", "008X"), (" 123X ", "123X"), ("4711", "4711"),
                                             ("8X", "8X"), ("x", None), ("王x", None), ("abc", None), ("", None)])
def test_id_tail_query(typed: str, tail: str | None) -> None:
    assert id_tail_query(typed) == tail


def test_people_and_volunteers_are_found_by_an_x_tail(db: Database, actor: Actor) -> None:
    number = _x_id("15012119500705")
    person = create_person(db, actor, PersonInput(name="巴图·孟和", id_number=number)).person
    other = create_person(db, actor, PersonInput(name="王桂兰")).person
    for typed in (number[-4:], number[-4:].lower(), number[-2:]):
        assert [p.uuid for p in search_people(db, actor, typed)] == [person.uuid], typed
        rows = page_records(db, actor, ListQuery("people", text=typed))
        assert [r["uuid"] for r in rows] == [str(person.uuid)], typed
    assert other.uuid not in {p.uuid for p in search_people(db, actor, number[-4:])}

    volunteer = register_volunteer(db, actor, VolunteerInput(name="苏日娜", id_number=_x_id("15012120050301")))
    tail = volunteer.volunteer.id_number_masked[-4:].lower()  # type: ignore[index]
    assert [v.uuid for v in list_volunteers(db, actor, tail)] == [volunteer.volunteer.uuid]
