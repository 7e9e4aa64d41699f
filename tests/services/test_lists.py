"""The lists' first screen (services.lists.first_screen): the same rows and order as the pages,
exact counts without search text, a search counted up to a limit ("1000+"), deleted records
left out, and the people pickers' search.

The count limit is made small here (``count_limit``) so that a demo station of a few dozen
cases takes every path a 100k-case station takes: every match found through its candidates,
more candidates than the limit and every one of them a match (dense), and more candidates
but fewer matches (read in the list's own order).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from wushe_desktop.domain.enums import CaseStage
from wushe_desktop.services.cases import delete_service_record
from wushe_desktop.services.context import CLI_ACTOR, own_station, reading
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.lists import (
    COUNT_LIMIT,
    ListQuery,
    count_records,
    first_screen,
    list_records,
    page_records,
    search_person_ids,
)
from wushe_desktop.services.people import PersonInput, create_person, delete_person, search_people
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.storage.models import Case, Person, ServiceRecord


@pytest.fixture(scope="module")
def _demo_file(tmp_path_factory: pytest.TempPathFactory, _station_template: Path) -> Path:
    """A station with 60 demo cases, built once for the module."""
    folder = tmp_path_factory.mktemp("lists-demo")
    shutil.copytree(_station_template, folder, dirs_exist_ok=True)
    path = folder / "station.sqlite3"
    db = open_database(path)
    try:
        generate_demo(db, CLI_ACTOR, DemoSize(cases=60), seed=7, today=date(2026, 11, 20))
    finally:
        db.dispose()
    return path


@pytest.fixture
def lists_db(_demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "lists"
    shutil.copytree(_demo_file.parent, target)
    db = open_database(target / _demo_file.name)
    yield db
    db.dispose()


QUERIES = [
    ListQuery("people"), ListQuery("people", "王"), ListQuery("people", "w"), ListQuery("people", "wgh"),
    ListQuery("people", "1"), ListQuery("people", "12"), ListQuery("people", "乌云"),
    ListQuery("people", filter_value="DB"), ListQuery("people", "w", filter_value="DB"),
    ListQuery("people", sort="birth_date", descending=True), ListQuery("people", "w", sort="name"),
    ListQuery("cases"), ListQuery("cases", "王"), ListQuery("cases", "w"), ListQuery("cases", "1"),
    ListQuery("cases", "0001"), ListQuery("cases", filter_value=CaseStage.INTERVENTION.value),
    ListQuery("cases", "w", filter_value=CaseStage.CLOSED.value),
    ListQuery("cases", sort="service_records", descending=True), ListQuery("cases", sort="last_contact"),
    ListQuery("cases", "w", sort="service_records", descending=True), ListQuery("cases", sort="worker"),
    ListQuery("cases", sort="name", descending=True),
    ListQuery("volunteers"), ListQuery("volunteers", "1"), ListQuery("volunteers", sort="confirmed_hours"),
    ListQuery("activities"), ListQuery("activities", "活动"), ListQuery("activities", sort="beneficiaries"),
]


@pytest.mark.parametrize("count_limit", [COUNT_LIMIT, 12, 3])
def test_the_first_screen_is_the_first_page_with_its_counts(lists_db: Database, count_limit: int) -> None:
    for query in QUERIES:
        screen = first_screen(lists_db, CLI_ACTOR, query, limit=5, count_limit=count_limit)
        exact, total = count_records(lists_db, CLI_ACTOR, query)
        assert screen.rows == page_records(lists_db, CLI_ACTOR, query, 0, 5), query
        assert screen.total == total == len(list_records(lists_db, CLI_ACTOR, query.kind)), query
        if query.text:
            assert (screen.count, screen.more) == (min(exact, count_limit), exact > count_limit), query
        else:
            assert (screen.count, screen.more) == (exact, False), query


def test_a_search_counts_up_to_the_limit_and_the_pages_go_on(lists_db: Database) -> None:
    query = ListQuery("people", "w")
    exact, _total = count_records(lists_db, CLI_ACTOR, query)
    assert exact > 4
    screen = first_screen(lists_db, CLI_ACTOR, query, limit=2, count_limit=3)
    assert (screen.count, screen.more) == (3, True)
    every = page_records(lists_db, CLI_ACTOR, query, 0, None)
    assert len(every) == exact and all(r["name"] for r in every)
    assert screen.rows == every[:2]


def test_the_known_total_is_not_counted_again(lists_db: Database) -> None:
    screen = first_screen(lists_db, CLI_ACTOR, ListQuery("cases", "w"), total=12345)
    assert screen.total == 12345


def test_deleted_records_are_neither_listed_nor_counted(lists_db: Database) -> None:
    person = create_person(lists_db, CLI_ACTOR, PersonInput(name="王桂兰测", phone="13912345678")).person
    for text in ("王桂兰测", "5678", "wglc"):
        assert str(person.uuid) in {r["uuid"] for r in first_screen(lists_db, CLI_ACTOR, ListQuery("people", text)).rows}
    before = first_screen(lists_db, CLI_ACTOR, ListQuery("people")).count
    delete_person(lists_db, CLI_ACTOR, person.uuid)
    for text in ("王桂兰测", "5678", "wglc"):
        screen = first_screen(lists_db, CLI_ACTOR, ListQuery("people", text))
        assert str(person.uuid) not in {r["uuid"] for r in screen.rows}
    assert first_screen(lists_db, CLI_ACTOR, ListQuery("people")).count == before - 1
    assert person.uuid not in {p.uuid for p in search_people(lists_db, CLI_ACTOR, "王桂兰测")}


def test_a_case_is_found_by_its_client_even_when_the_client_was_deleted(lists_db: Database) -> None:
    with reading(lists_db, CLI_ACTOR) as s:
        case_no, name, person_id = s.execute(
            select(Case.case_no, Person.name, Person.uuid).join(Person, Person.uuid == Case.person_id)
            .where(Case.deleted_at.is_(None)).order_by(Case.case_no).limit(1)).one()
    delete_person(lists_db, CLI_ACTOR, person_id)
    found = first_screen(lists_db, CLI_ACTOR, ListQuery("cases", name))
    assert case_no in {r["case_no"] for r in found.rows}
    assert found.rows == page_records(lists_db, CLI_ACTOR, ListQuery("cases", name), 0, 200)


def test_contact_counts_leave_deleted_service_records_out(lists_db: Database) -> None:
    by_contacts = ListQuery("cases", sort="service_records", descending=True)
    every = page_records(lists_db, CLI_ACTOR, by_contacts, 0, None)
    counts = [r["service_records"] for r in every]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    working = next(r for r in every if r["stage"] == CaseStage.INTERVENTION.value and r["service_records"])
    with reading(lists_db, CLI_ACTOR) as s:
        record = s.scalars(select(ServiceRecord.uuid).join(Case, Case.uuid == ServiceRecord.case_id)
                           .where(Case.case_no == working["case_no"]).limit(1)).one()
    delete_service_record(lists_db, CLI_ACTOR, record)
    again = page_records(lists_db, CLI_ACTOR, by_contacts, 0, None)
    assert {r["case_no"]: r["service_records"] for r in again}[working["case_no"]] == working["service_records"] - 1
    assert first_screen(lists_db, CLI_ACTOR, by_contacts, limit=10).rows == again[:10]


def test_search_text_is_plain_text_not_a_pattern(lists_db: Database) -> None:
    # a LIKE pattern "%%%" or "%_%" would match everyone
    for kind in ("people", "cases", "volunteers", "activities"):
        for text in ("%", "_", "王%"):
            assert first_screen(lists_db, CLI_ACTOR, ListQuery(kind, text)).count == 0, (kind, text)


def test_the_pickers_search_is_ordered_by_initials(lists_db: Database) -> None:
    with reading(lists_db, CLI_ACTOR) as s:
        origin = own_station(s).code
        for text in ("w", "王", "1", "wgh", ""):
            ids = search_person_ids(s, origin, text, 10)
            initials = [s.get(Person, i).name_initials for i in ids]  # type: ignore[union-attr]
            assert initials == sorted(initials), text
    everyone = {r["uuid"] for r in page_records(lists_db, CLI_ACTOR, ListQuery("people", "w"), 0, None)}
    found = search_people(lists_db, CLI_ACTOR, "w", limit=500)
    assert {str(p.uuid) for p in found} == everyone


def test_digits_find_a_case_by_its_number_after_the_station_code(lists_db: Database) -> None:
    with reading(lists_db, CLI_ACTOR) as s:
        numbers = list(s.scalars(select(Case.case_no).where(Case.deleted_at.is_(None)).order_by(Case.case_no)))
    code, year, sequence = numbers[-1].split("-")
    found = page_records(lists_db, CLI_ACTOR, ListQuery("cases", sequence), 0, None)
    assert numbers[-1] in {r["case_no"] for r in found}
    assert {r["case_no"] for r in page_records(lists_db, CLI_ACTOR, ListQuery("cases", year), 0, None)} >= {
        n for n in numbers if f"-{year}-" in n}
    # the station's code is in every number, but is not searched
    assert count_records(lists_db, CLI_ACTOR, ListQuery("cases", code[:8]))[0] == 0
