"""Batch printing (issue 4): a month's service records, a period's certificates, one PDF each.

Each batch reuses the single-form builders of :mod:`wushe_desktop.printing` (every record
or certificate keeps its own page header, page numbers and 副本 mark, so a page filed in
a case folder reads as if printed alone) and joins their PDFs one by one with pypdf:
what is held at any time is one form being laid out plus the pages already joined, never
the forms of the whole batch.

``progress(done, total)`` is called after each form; the GUI's callback raises
``Cancelled`` when the user cancels, which stops the batch where it is:

* service records: nothing is written until the last record is laid out; then one
  ``AuditEntry("print", "service_record", "", {"form": "records_month", ...})`` (and the
  ``reveal`` row beside it when ID numbers print in full).
* certificates: the whole batch runs in **one write transaction** — register numbers
  issued, reprint counts, one ``print`` audit row — so a cancel (or any error) rolls it
  back and no number is issued half-way. Numbering is that of
  :func:`services.printing.certificate_print`: a volunteer whose register already holds a
  certificate for the same period and confirmed total gets that one again, marked 副本
  from its second print on.

Error codes introduced here: ``print.batch_empty`` (nothing to print in the period),
besides ``print.month_format``, ``date.order``, ``print.handler_required``,
``certificate.no_issuing_body`` and the permission codes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop import printing as builders  # the form builders load on first print
from wushe_desktop.domain.enums import HoursStatus
from wushe_desktop.domain.validation import check_date_order
from wushe_desktop.errors import ValidationError
from wushe_desktop.printing.data import CertificateForm
from wushe_desktop.services import print_cases as pc
from wushe_desktop.services import print_station as ps
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.print_common import Sources
from wushe_desktop.services.print_labels import enum_label
from wushe_desktop.services.printing import (
    _allow,
    _context,
    _handler,
    _sources,
    _today,
    parse_month,
)
from wushe_desktop.services.records import clean_person_name
from wushe_desktop.services.volunteers import certificate_issuing_body, issue_certificate_in
from wushe_desktop.storage import models as m
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.tracking import AuditEntry, append_audit

__all__ = [
    "CERTIFICATES",
    "RECORDS",
    "BatchPrint",
    "certificate_batch_count",
    "month_record_count",
    "print_certificates",
    "print_month_records",
]

#: The kinds of batch (the ``form`` of the batch's audit row).
RECORDS: Final = "records_month"
CERTIFICATES: Final = "certificates_period"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchPrint:
    """A printed batch.

    Attributes:
        pdf: The joined PDF.
        pages: Its page count.
        forms: How many records or certificates it holds.
        cases: Service records: how many cases they belong to (0 for certificates).
        issued: Certificates: how many were newly issued in the register.
        copies: Certificates: how many are reprints marked 副本.
    """

    pdf: bytes
    pages: int
    forms: int
    cases: int = 0
    issued: int = 0
    copies: int = 0


class _Joiner:
    """Appends finished PDFs to one document, one at a time."""

    def __init__(self) -> None:
        from pypdf import PdfWriter  # deferred: pypdf pulls in PIL and fontTools

        self._writer = PdfWriter()

    def add(self, pdf: bytes) -> None:
        from pypdf import PdfReader

        self._writer.append(PdfReader(io.BytesIO(pdf)))

    @property
    def pages(self) -> int:
        return len(self._writer.pages)

    def finish(self) -> bytes:
        out = io.BytesIO()
        self._writer.write(out)
        self._writer.close()
        return out.getvalue()


# ---------------------------------------------------------------------------
# Service records of a month
# ---------------------------------------------------------------------------


def _month_records(session: Session, first: date, last: date) -> list[tuple[UUID, str, int]]:
    """(case uuid, case number, seq) of this station's live records in the month, in order."""
    origin = own_station(session).code
    rows = session.execute(
        select(m.Case.uuid, m.Case.case_no, m.ServiceRecord.seq)
        .join(m.ServiceRecord, m.ServiceRecord.case_id == m.Case.uuid)
        .where(m.Case.origin == origin, m.Case.deleted_at.is_(None), m.ServiceRecord.deleted_at.is_(None),
               m.ServiceRecord.service_date >= first, m.ServiceRecord.service_date <= last)
        .order_by(m.Case.case_no, m.ServiceRecord.seq)).all()
    return [(row[0], str(row[1]), int(row[2])) for row in rows]


def month_record_count(db: Database, actor: Actor, month: str | date) -> tuple[int, int]:
    """How many service records (and of how many cases) :func:`print_month_records` prints.

    Raises:
        ValidationError: ``print.month_format``.
        PermissionDenied: ``permission.read``.
    """
    first, last = ps.month_bounds(parse_month(month))
    with reading(db, actor, Permission.READ) as session:
        rows = _month_records(session, first, last)
    return len(rows), len({case for case, _no, _seq in rows})


def print_month_records(db: Database, actor: Actor, month: str | date, *, reveal_ids: bool = False,
                        today: date | None = None, progress: Progress | None = None) -> BatchPrint:
    """Every case's service records dated in a month, one PDF, each record on its own pages.

    Records come in case-number order, then by their number within the case (第N次).

    Args:
        db: The station database.
        actor: Who prints.
        month: ``YYYY-MM`` (or any day of the month).
        reveal_ids: Print ID and phone numbers in full (needs ``reveal_id``; audited).
        today: The print date (default: today).
        progress: ``progress(done, total)`` after each record (records laid out so far).

    Returns:
        The joined PDF and its counts.

    Raises:
        ValidationError: ``print.month_format``; ``print.batch_empty`` (no record in the month).
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    first, last = ps.month_bounds(parse_month(month))
    _allow(actor, reveal_ids)
    day = _today(today)
    with reading(db, actor, Permission.READ) as session:
        wanted = _month_records(session, first, last)
    if not wanted:
        raise ValidationError("print.batch_empty", field="month")
    by_case: dict[UUID, list[int]] = {}
    for case_id, _no, seq in wanted:
        by_case.setdefault(case_id, []).append(seq)
    joiner = _Joiner()
    done = 0
    total = len(wanted)
    for case_id, seqs in by_case.items():
        # One short read per case: its records' data, then the layout with no session open.
        with _sources(db, actor, day, reveal_ids) as src:
            case = src.session.get(m.Case, case_id)
            if case is None:  # pragma: no cover - listed a moment ago, deleted rows are soft
                continue
            src = src.for_origin(case.origin)
            forms = [f for f in pc.record_forms(src, case, pc.client_name(src, case)) if f.seq in seqs]
            ctx = _context(src, actor, reveal_ids)
        for form in forms:
            joiner.add(builders.build_service_record_pdf(form, ctx))
            done += 1
            if progress is not None:
                progress(done, total)
    pdf = joiner.finish()
    pages = joiner.pages
    entries = []
    if reveal_ids:
        entries.append(AuditEntry("reveal", "service_record", "",
                                  {"form": RECORDS, "purpose": "print", "fields": ["id_number", "phone"]}))
    entries.append(AuditEntry("print", "service_record", "",
                              {"form": RECORDS, "month": f"{first:%Y-%m}", "records": done,
                               "cases": len(by_case), "pages": pages, "reveal": reveal_ids}))
    with transaction(db, actor) as session:
        append_audit(session, *entries)
    return BatchPrint(pdf=pdf, pages=pages, forms=done, cases=len(by_case))


# ---------------------------------------------------------------------------
# Certificates of a period
# ---------------------------------------------------------------------------


def _confirmed_volunteers(session: Session, date_from: date, date_to: date) -> list[tuple[UUID, int]]:
    """(volunteer uuid, confirmed tenths) of this station's live volunteers with hours, by number."""
    origin = own_station(session).code
    total = func.sum(m.VolunteerHours.credited_tenths)
    rows = session.execute(
        select(m.Volunteer.uuid, total)
        .join(m.VolunteerHours, m.VolunteerHours.volunteer_id == m.Volunteer.uuid)
        .where(m.Volunteer.origin == origin, m.Volunteer.deleted_at.is_(None),
               m.VolunteerHours.deleted_at.is_(None),
               m.VolunteerHours.status.in_([HoursStatus.CONFIRMED, HoursStatus.CORRECTED]),
               m.VolunteerHours.service_date >= date_from, m.VolunteerHours.service_date <= date_to)
        .group_by(m.Volunteer.uuid, m.Volunteer.volunteer_no)
        .having(total > 0)
        .order_by(m.Volunteer.volunteer_no)).all()
    return [(row[0], int(row[1])) for row in rows]


def certificate_batch_count(db: Database, actor: Actor, date_from: date, date_to: date) -> int:
    """How many volunteers have confirmed hours in the period (one certificate each).

    Raises:
        ValidationError: ``date.order``.
        PermissionDenied: ``permission.read``.
    """
    check_date_order(date_from, date_to, field="date_to", earlier_field="date_from")
    with reading(db, actor, Permission.READ) as session:
        return len(_confirmed_volunteers(session, date_from, date_to))


def _certificate_form(src: Sources, volunteer: m.Volunteer, cert: m.VolunteerCertificate,
                      copy: bool) -> CertificateForm:
    """The certificate as :func:`services.printing.certificate_print` lays it out."""
    lines = ps.certificate_lines(src, volunteer.uuid, cert.period_from, cert.period_to)
    return CertificateForm(
        cert_no=cert.cert_no, volunteer_name=volunteer.name, volunteer_no=volunteer.volunteer_no,
        period_from=cert.period_from or (lines[0].service_date if lines else cert.issued_on),
        period_to=cert.period_to or (lines[-1].service_date if lines else cert.issued_on),
        hours_tenths=cert.hours_tenths, issuing_body=cert.issuing_body, issued_on=cert.issued_on,
        id_type=enum_label(volunteer.id_type), id_number=volunteer.id_number,
        content_summary=cert.content_summary, person_in_charge=src.station_head(), handler=cert.handler,
        contact=src.station_contact(),
        lines=lines if sum(line.hours_tenths for line in lines) == cert.hours_tenths else (),
        copy=copy,
    )


def print_certificates(db: Database, actor: Actor, date_from: date, date_to: date, *,
                       handler: str | None = None, reveal_ids: bool = False, today: date | None = None,
                       progress: Progress | None = None) -> BatchPrint:
    """A 志愿服务记录证明 for every volunteer with confirmed hours in the period, one PDF.

    Volunteers come in volunteer-number order. All or nothing: the register numbers, the
    reprint counts and the batch's audit row are written in one transaction that commits
    only once the last certificate is laid out.

    Args:
        db: The station database.
        actor: Who prints (needs ``issue_certificate``).
        date_from: First day of the period.
        date_to: Last day of the period.
        handler: The handling officer (经办人) of new certificates; default the acting
            staff member, else the station head.
        reveal_ids: Print ID numbers in full (needs ``reveal_id``; audited).
        today: Issue and print date (default: today).
        progress: ``progress(done, total)`` after each certificate.

    Returns:
        The joined PDF and how many certificates were issued or reprinted.

    Raises:
        ValidationError: ``date.order``, ``print.batch_empty`` (nobody has confirmed
            hours in the period), ``print.handler_required``, name errors on ``handler``.
        ConfigError: ``certificate.no_issuing_body``.
        PermissionDenied: ``permission.issue_certificate``, ``permission.reveal_id``.
    """
    require(actor, Permission.ISSUE_CERTIFICATE)
    _allow(actor, reveal_ids)
    check_date_order(date_from, date_to, field="date_to", earlier_field="date_from")
    day = _today(today)
    issuing_body = certificate_issuing_body(db)
    joiner = _Joiner()
    issued = copies = 0
    with transaction(db, actor, Permission.ISSUE_CERTIFICATE) as session:
        src = Sources.open(session, own_station(session), day, reveal_ids)
        name = clean_person_name(_handler(src, actor, handler), "handler")
        ctx = _context(src, actor, reveal_ids)
        volunteers = _confirmed_volunteers(session, date_from, date_to)
        if not volunteers:
            raise ValidationError("print.batch_empty", field="period")
        for done, (volunteer_id, tenths) in enumerate(volunteers, start=1):
            cert = session.scalars(select(m.VolunteerCertificate).where(
                m.VolunteerCertificate.volunteer_id == volunteer_id,
                m.VolunteerCertificate.deleted_at.is_(None),
                m.VolunteerCertificate.period_from == date_from, m.VolunteerCertificate.period_to == date_to,
                m.VolunteerCertificate.hours_tenths == tenths)
                .order_by(m.VolunteerCertificate.cert_no)).first()
            if cert is None:
                cert = issue_certificate_in(session, volunteer_id, date_from, date_to, name, issuing_body, day)
                issued += 1
            cert.prints += 1
            copy = cert.prints >= 2
            copies += copy
            volunteer = session.get(m.Volunteer, volunteer_id)
            assert volunteer is not None  # joined above, in this transaction
            form = _certificate_form(src, volunteer, cert, copy)
            session.flush()
            # Keep the identity map small: the rows of this certificate are written.
            session.expunge_all()
            src = Sources.open(session, own_station(session), day, reveal_ids)
            joiner.add(builders.build_certificate_pdf(form, ctx))
            if progress is not None:
                progress(done, len(volunteers))
        pdf = joiner.finish()
        entries = []
        if reveal_ids:
            entries.append(AuditEntry("reveal", "volunteer_certificate", "",
                                      {"form": CERTIFICATES, "purpose": "print", "fields": ["id_number"]}))
        entries.append(AuditEntry("print", "volunteer_certificate", "",
                                  {"form": CERTIFICATES, "from": date_from.isoformat(),
                                   "to": date_to.isoformat(), "certificates": len(volunteers),
                                   "issued": issued, "copies": copies, "pages": joiner.pages,
                                   "reveal": reveal_ids}))
        append_audit(session, *entries)
    return BatchPrint(pdf=pdf, pages=joiner.pages, forms=len(volunteers), issued=issued, copies=copies)
