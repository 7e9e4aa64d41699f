"""Batch printing on the demo database: a month's service records, a period's certificates.

Every figure is read back from the database or the services; a cancel (the progress
callback raising, as the GUI's does) leaves the register, the numbering and the audit
log exactly as they were.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from wushe_desktop.errors import ValidationError
from wushe_desktop.services import print_batch as pb
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.database import open_db
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.print_station import month_bounds
from wushe_desktop.services.printing import certificate_print
from wushe_desktop.services.station import init_database
from wushe_desktop.services.volunteers import list_certificates
from wushe_desktop.storage import models as m
from wushe_desktop.storage.db import Database

TODAY = date(2026, 11, 25)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


class Stop(Exception):
    """What the GUI's progress callback raises when the user cancels."""


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch-demo")
    db, _ = init_database(folder / "demo.sqlite3", code="150121101000", name="毕克齐镇社工站",
                          passphrase="correct horse battery")
    generate_demo(db, CLI_ACTOR, DemoSize(cases=40))
    db.dispose()
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo database for each test (certificates write to it)."""
    target = tmp_path / "demo"
    shutil.copytree(demo_folder, target)
    db = open_db(target / "demo.sqlite3")
    yield db
    db.dispose()


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def busiest_month(db: Database) -> date:
    """The month with the most service records (read from the data, not assumed)."""
    with db.read_sessions() as s:
        dates = s.scalars(select(m.ServiceRecord.service_date).where(m.ServiceRecord.deleted_at.is_(None))).all()
    counts: dict[date, int] = {}
    for day in dates:
        counts[day.replace(day=1)] = counts.get(day.replace(day=1), 0) + 1
    return max(counts, key=lambda k: counts[k])


def audit_rows(db: Database, form: str) -> list[dict[str, object]]:
    with db.read_sessions() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print").order_by(m.AuditLog.seq)).all()
        return [dict(r.details) for r in rows if dict(r.details).get("form") == form]


def audit_count(db: Database) -> int:
    with db.read_sessions() as s:
        return int(s.scalar(select(func.count()).select_from(m.AuditLog)) or 0)


def test_a_months_records_in_case_number_order_each_on_its_own_pages(demo: Database, actor: Actor) -> None:
    month = busiest_month(demo)
    first, last = month_bounds(month)
    with demo.read_sessions() as s:
        expected = [(str(no), int(seq)) for no, seq in s.execute(
            select(m.Case.case_no, m.ServiceRecord.seq).join(m.ServiceRecord, m.ServiceRecord.case_id == m.Case.uuid)
            .where(m.ServiceRecord.deleted_at.is_(None), m.Case.deleted_at.is_(None),
                   m.ServiceRecord.service_date.between(first, last)))]
    expected.sort()
    assert pb.month_record_count(demo, actor, month) == (len(expected), len({no for no, _ in expected}))

    calls: list[tuple[int, int]] = []
    result = pb.print_month_records(demo, actor, f"{month:%Y-%m}", today=TODAY,
                                    progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, len(expected)) for i in range(1, len(expected) + 1)]
    assert result.forms == len(expected) and result.cases == len({no for no, _ in expected})

    pages = pages_of(result.pdf)
    assert result.pages == len(pages)
    printed = []
    for text in pages:
        found = re.search(r"个案编号：(\S+)\s*第 ?(\d+) ?次服务", text)
        if found:  # the first page of a record
            assert "第 1 页 共" in text  # each record numbers its own pages
            printed.append((found.group(1), int(found.group(2))))
    assert printed == expected
    assert audit_rows(demo, pb.RECORDS) == [
        {"form": pb.RECORDS, "month": f"{month:%Y-%m}", "records": len(expected), "cases": result.cases,
         "pages": result.pages, "reveal": False}]


def test_cancelling_a_records_batch_writes_nothing(demo: Database, actor: Actor) -> None:
    before = audit_count(demo)

    def progress(done: int, _total: int) -> None:
        if done == 3:
            raise Stop

    with pytest.raises(Stop):
        pb.print_month_records(demo, actor, busiest_month(demo), today=TODAY, progress=progress)
    assert audit_count(demo) == before


def test_a_month_without_records_is_refused(demo: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as err:
        pb.print_month_records(demo, actor, "2020-01", today=TODAY)
    assert err.value.code == "print.batch_empty"
    assert pb.month_record_count(demo, actor, "2020-01") == (0, 0)


def test_certificates_of_a_period_are_numbered_then_reprinted_as_copies(demo: Database, actor: Actor) -> None:
    count = pb.certificate_batch_count(demo, actor, *YEAR)
    assert count > 0
    before = {c.cert_no for c in list_certificates(demo, actor)}
    result = pb.print_certificates(demo, actor, *YEAR, today=TODAY)
    assert (result.forms, result.issued, result.copies) == (count, count, 0)

    register = [c for c in list_certificates(demo, actor) if c.cert_no not in before]
    assert len(register) == count
    with demo.read_sessions() as s:
        by_volunteer = {v.uuid: v.volunteer_no for v in s.scalars(select(m.Volunteer))}
    # in volunteer-number order, numbers issued in that order
    register.sort(key=lambda c: c.cert_no)
    assert [by_volunteer[c.volunteer_id] for c in register] == sorted(by_volunteer[c.volunteer_id] for c in register)
    text = "".join(pages_of(result.pdf))
    for cert in register:
        assert cert.cert_no in text and cert.volunteer_name in text
        assert (cert.period_from, cert.period_to) == YEAR
    assert "副本" not in text

    again = pb.print_certificates(demo, actor, *YEAR, today=TODAY)
    assert (again.forms, again.issued, again.copies) == (count, 0, count)
    assert len(list_certificates(demo, actor)) == len(before) + count
    assert all(page.count("副本") >= 1 for page in pages_of(again.pdf))
    rows = audit_rows(demo, pb.CERTIFICATES)
    assert [(r["issued"], r["copies"], r["certificates"]) for r in rows] == [(count, 0, count), (0, count, count)]

    # a single print of the same volunteer and period finds the batch's entry (a copy)
    single = certificate_print(demo, actor, register[0].volunteer_no, *YEAR, today=TODAY)
    assert (single.cert_no, single.issued, single.copy) == (register[0].cert_no, False, True)


def test_cancelling_a_certificate_batch_issues_no_number(demo: Database, actor: Actor) -> None:
    register = list_certificates(demo, actor)
    before = audit_count(demo)

    def progress(done: int, total: int) -> None:
        assert total > 2
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        pb.print_certificates(demo, actor, *YEAR, today=TODAY, progress=progress)
    assert list_certificates(demo, actor) == register
    assert audit_count(demo) == before
    # the numbering did not move: the batch run in full starts from the same number
    with demo.read_sessions() as s:
        last = s.scalar(select(m.NumberSequence.last).where(m.NumberSequence.kind == "certificate"))
    result = pb.print_certificates(demo, actor, *YEAR, today=TODAY)
    first_no = min(c.cert_no for c in list_certificates(demo, actor) if c not in register)
    assert first_no.endswith(f"-Z2026-{(last or 0) + 1:04d}")
    assert result.issued == result.forms


def test_certificates_need_a_period_in_order(demo: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as err:
        pb.print_certificates(demo, actor, date(2026, 12, 31), date(2026, 1, 1), today=TODAY)
    assert err.value.code == "date.order"
    with pytest.raises(ValidationError) as err:
        pb.print_certificates(demo, actor, date(2020, 1, 1), date(2020, 12, 31), today=TODAY)
    assert err.value.code == "print.batch_empty"
