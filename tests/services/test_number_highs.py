"""The highest record numbers a centre holds for a station (the receipt's number floors)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, update

from wushe_desktop.domain.enums import CaseSource, CaseStage
from wushe_desktop.services.centre import number_highs
from wushe_desktop.services.context import Actor, transaction
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Case, Person, Volunteer
from wushe_desktop.storage.types import utcnow

STATION = "150121101000"
OTHER = "150121102000"


def _case(s, person: uuid.UUID, number: str, origin: str = STATION, deleted: bool = False) -> None:  # type: ignore[no-untyped-def]
    case = Case(case_no=number, person_id=person, intake_date=date(2026, 3, 1), source=CaseSource.SELF,
                service_area="elderly", stage=CaseStage.INTERVENTION, accepted=True,
                deleted_at=utcnow() if deleted else None)
    s.add(case)
    s.flush()
    s.execute(update(Case).where(Case.uuid == case.uuid).values(origin=origin))


def _volunteer(s, number: str) -> None:  # type: ignore[no-untyped-def]
    s.add(Volunteer(volunteer_no=number, name="其木格", registered_on=date(2026, 1, 5)))


def _plain_highs(s, station: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Every number read and parsed one by one (the definition)."""
    from wushe_desktop.services.centre import _NUMBER_COLUMNS, _ORIGIN_COLUMNS, _number_pattern

    highs: dict[str, int] = {}
    for kind, column in _NUMBER_COLUMNS.items():
        for value in s.scalars(select(column).where(_ORIGIN_COLUMNS[kind] == station, column.is_not(None))):
            match = _number_pattern(kind, station).fullmatch(value)
            if match:
                key = f"{kind}/{int(match.groupdict().get('year') or 0)}"
                highs[key] = max(highs.get(key, 0), int(match["seq"]))
    return highs


def test_the_highest_numbers_per_kind_and_year(db: Database, actor: Actor) -> None:
    with transaction(db, actor) as s:
        person = Person(name="王桂花")
        s.add(person)
        s.flush()
        for number in ("2025-0007", "2025-9999", "2025-10001", "2025-0012", "2026-0003"):
            _case(s, person.uuid, f"{STATION}-{number}")
        _case(s, person.uuid, f"{STATION}-2024-0500", deleted=True)  # deleted numbers count too
        _case(s, person.uuid, f"{OTHER}-2025-20000", origin=OTHER)  # another station's
        for number in ("V00001", "V00042"):
            _volunteer(s, f"{STATION}-{number}")
    with db.read_sessions() as s:
        highs = number_highs(s, STATION)
        assert {k: v for k, v in highs.items() if k.startswith("case/")} == {
            "case/2024": 500, "case/2025": 10001, "case/2026": 3}
        assert highs["volunteer/0"] >= 42
        assert highs == _plain_highs(s, STATION)


def test_a_hand_written_number_does_not_hide_the_highest(db: Database, actor: Actor) -> None:
    with transaction(db, actor) as s:
        person = Person(name="巴特尔")
        s.add(person)
        s.flush()
        for number in ("2025-0007", "2025-0031", "2025-00912", "2025-12a4", "2025-9z99", "旧档-17"):
            _case(s, person.uuid, f"{STATION}-{number}")
    with db.read_sessions() as s:
        highs = number_highs(s, STATION)
        assert highs["case/2025"] == 912  # "00912": more digits than the format writes, read as 912
        assert highs == _plain_highs(s, STATION)
