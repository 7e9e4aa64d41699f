"""Demo data: realistic, consistent, and every scenario playable on it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from wushe_desktop.domain.enums import HoursStatus, RiskLevel
from wushe_desktop.services.cases import todo
from wushe_desktop.services.checks import run_checks
from wushe_desktop.services.context import Actor
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.lists import list_records
from wushe_desktop.services.people import search_people
from wushe_desktop.services.stats import Period, station_stats
from wushe_desktop.services.volunteers import list_hours, volunteer_summary
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    AuditLog,
    Case,
    Community,
    Distribution,
    DonationItem,
    Person,
    ServiceRecord,
)

TODAY = date(2026, 11, 25)


def test_demo_makes_the_scenarios_playable(db: Database, actor: Actor) -> None:
    report = generate_demo(db, actor, DemoSize(cases=80, volunteers=20, activities=12), seed=5, today=TODAY)
    assert report.counts["case_file"] == 80
    # scenario 1: the head's to-do list
    t = todo(db, actor, today=TODAY)
    assert t.no_contact.total == 3 and all(i.risk_level == RiskLevel.HIGH for i in t.no_contact.items)
    assert t.closures_pending.total == 2
    assert t.plan_reviews_due.total == 1
    assert len(list_hours(db, actor, status=HoursStatus.PENDING)) == 14
    # scenario 2: 王桂花 found by pinyin initials, 82, lives alone, 低保 and 高龄
    wang = search_people(db, actor, "wgh")
    assert any(p.name == "王桂花" and p.age == 82 and {"DB", "GL"} <= set(p.categories) for p in wang)
    # scenario 5: 苏日娜's confirmed hours
    surina = next(v for v in list_records(db, actor, "volunteers") if v["name"] == "苏日娜")
    assert surina["confirmed_hours"] == 46.5
    import uuid

    summary = volunteer_summary(db, actor, uuid.UUID(surina["uuid"]))
    assert summary.confirmed_tenths == 465
    # every demo volunteer has confirmed hours
    assert all(v["confirmed_hours"] > 0 for v in list_records(db, actor, "volunteers"))
    # consistent data: checks pass, records span the last twelve months, none in the future
    assert all(f.ok for f in run_checks(db, actor))
    with db.read_sessions() as s:
        first, last = s.execute(select(func.min(ServiceRecord.service_date), func.max(ServiceRecord.service_date))).one()
        assert first >= date(2025, 11, 25) - __import__("datetime").timedelta(days=1) and last <= TODAY
        assert s.scalar(select(func.count()).select_from(Case).where(Case.closed_on > TODAY)) == 0
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "bulk")) >= 2
    _, st = station_stats(db, actor, Period(), today=TODAY)
    assert st.cases.opened > 0 and st.volunteer_hours > 0 and st.goods_value_yuan >= 3000


def test_same_seed_same_content_fresh_uuids(tmp_path, actor: Actor, db: Database) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from wushe_desktop.storage.db import open_database

    assert db.path is not None
    other_path = tmp_path / "other" / "station.sqlite3"
    shutil.copytree(db.path.parent, other_path.parent)
    other = open_database(other_path)
    try:
        for database in (db, other):
            generate_demo(database, actor, DemoSize(cases=20, volunteers=5, activities=4), seed=11, today=TODAY)
        a, b = (list_records(d, actor, "cases") for d in (db, other))
        assert [(r["case_no"], r["name"], r["stage"]) for r in a] == [(r["case_no"], r["name"], r["stage"]) for r in b]
        assert {r["uuid"] for r in a}.isdisjoint({r["uuid"] for r in b})
    finally:
        other.dispose()


def test_demo_goods_given_out_carry_their_value(db: Database, actor: Actor) -> None:
    """As the distribution service records them: quantity × the line's unit value (the ledger's 发放 total)."""
    generate_demo(db, actor, DemoSize(cases=10, volunteers=5, activities=12), seed=8, today=TODAY)
    with db.read_sessions() as s:
        rows = s.execute(select(Distribution.quantity, Distribution.amount_fen, DonationItem.unit_value_fen)
                         .join(DonationItem, DonationItem.uuid == Distribution.item_id)).all()
    assert rows
    assert all(amount == quantity * unit for quantity, amount, unit in rows)


def test_every_person_lives_in_the_village_on_file(db: Database, actor: Actor) -> None:
    generate_demo(db, actor, DemoSize(cases=30, volunteers=5, activities=4), seed=11, today=TODAY)
    with db.read_sessions() as s:
        villages = {c.uuid: c.name for c in s.scalars(select(Community))}
        people = s.execute(select(Person.name, Person.address, Person.hukou_address, Person.community_id)).all()
    assert len(people) > 30
    for name, address, hukou, community_id in people:
        assert community_id in villages, name
        assert villages[community_id] in address and villages[community_id] in hukou, name
    wang = next(p for p in people if p.name == "王桂花")  # scenario 2
    assert villages[wang.community_id] == "什报气村" and "什报气村" in wang.address
