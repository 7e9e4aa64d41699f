"""Printing use cases (DESIGN.md §7, issue 4): one function per printed thing, PDF bytes out.

Each function reads what its form needs in one read session (builders in
:mod:`~wushe_desktop.services.print_cases` and :mod:`~wushe_desktop.services.print_station`),
lays the PDF out with :mod:`wushe_desktop.printing` outside any session, then writes the
audit rows in one short write transaction: every print leaves
``AuditEntry("print", entity, uuid, {"form", "pages", "reveal", ...})``, and printing ID and
phone numbers in full (``reveal_ids=True``, which needs ``Permission.REVEAL_ID``) leaves an
``AuditEntry("reveal", ...)`` beside it. A PDF is returned only once its print is audited.

Certificates go through the register (:mod:`wushe_desktop.services.volunteers`): the first
print for a volunteer, period and confirmed total issues a numbered certificate; a later
print of that same entry is counted by ``record_certificate_print`` and marked 副本.

Error codes introduced here: ``print.unknown_form`` (param ``kind``), ``print.no_assessment``,
``print.no_plan``, ``print.no_closure``, ``print.no_referral``, ``print.no_record`` (params
``seq``, ``count``), ``print.month_format``, ``print.rows_range`` (params ``min``, ``max``),
``print.days_range`` (param ``min``), ``print.risk_unsupported``, ``print.handler_required``; besides the shared
``case.not_found``, ``volunteer.not_found``, ``activity.not_found``, ``date.order`` and
``certificate.no_confirmed_hours``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from uuid import UUID

from sqlalchemy import select

from wushe_desktop import printing as forms  # the reportlab builders load on first print
from wushe_desktop.domain.enums import RiskLevel
from wushe_desktop.domain.validation import check_date_order
from wushe_desktop.errors import NotFoundError, ValidationError
from wushe_desktop.printing.data import (
    MAX_SIGN_IN_ROWS,
    CertificateForm,
    LedgerForm,
    MonthlyFigures,
    MonthlyReport,
    PrintContext,
    SupervisionList,
)
from wushe_desktop.services import print_cases as pc
from wushe_desktop.services import print_station as ps
from wushe_desktop.services.cases import todo
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.print_common import Sources
from wushe_desktop.services.print_labels import enum_label
from wushe_desktop.services.stats import Period, station_stats
from wushe_desktop.services.volunteers import (
    issue_certificate,
    list_certificates,
    record_certificate_print,
    volunteer_summary,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Staff, Station, Volunteer
from wushe_desktop.storage.tracking import AuditEntry, append_audit

__all__ = [
    "CASE_FORMS",
    "DEFAULT_BLANK_ROWS",
    "SPARE_ROWS",
    "CertificatePrint",
    "certificate_print",
    "page_count",
    "parse_month",
    "print_activity",
    "print_case_file",
    "print_case_form",
    "print_certificate",
    "print_consent",
    "print_ledger",
    "print_monthly_report",
    "print_service_record",
    "print_signin_sheet",
    "print_supervision_list",
    "print_volunteer_form",
]

#: The case documents :func:`print_case_form` prints (the case's latest of each).
CASE_FORMS: Final = ("intake", "assessment", "plan", "closure", "referral")
#: Rows of a blank sign-in sheet when none are asked for.
DEFAULT_BLANK_ROWS: Final = 30
#: Empty numbered rows a filled sign-in sheet keeps after the roster, for walk-ins.
SPARE_ROWS: Final = 10
#: Most records the supervision list reads (the to-do query's limit).
SUPERVISION_LIMIT: Final = 10_000

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


# ---------------------------------------------------------------------------
# Shared steps
# ---------------------------------------------------------------------------


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF made by :mod:`wushe_desktop.printing` (page objects)."""
    return len(_PAGE_RE.findall(pdf))


def parse_month(month: str | date) -> date:
    """The first day of a month given as ``YYYY-MM`` (or as any day of it).

    Raises:
        ValidationError: ``print.month_format`` (field ``month``).
    """
    if isinstance(month, date):
        return month.replace(day=1)
    found = _MONTH_RE.fullmatch(month.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise ValidationError("print.month_format", field="month")
    return date(int(found.group(1)), int(found.group(2)), 1)


def _allow(actor: Actor, reveal_ids: bool) -> None:
    """Refuse before reading anything: printing needs READ, revealing needs REVEAL_ID."""
    require(actor, Permission.READ)
    if reveal_ids:
        require(actor, Permission.REVEAL_ID)


@contextmanager
def _sources(db: Database, actor: Actor, today: date, reveal: bool) -> Iterator[Sources]:
    with reading(db, actor, Permission.READ) as session:
        yield Sources.open(session, own_station(session), today, reveal)


def _require_copied_station(db: Database, actor: Actor, code: str) -> None:
    """Refuse a station code whose records this (centre) database does not hold."""
    with reading(db, actor, Permission.READ) as session:
        found = session.scalar(select(Station.code).where(Station.code == code, Station.is_self.is_(False)))
    if found is None:
        raise NotFoundError("centre.station_unknown", field="station", station_code=code)


def _context(src: Sources, actor: Actor, reveal: bool) -> PrintContext:
    return PrintContext(station_name=src.station.name, station_code=src.station.code, printed_on=src.today,
                        printed_by=actor.name, reveal_ids=reveal)


@dataclass(frozen=True)
class _Printed:
    """What to audit about one print."""

    form: str
    entity: str
    entity_uuid: str
    details: dict[str, Any]


def _audited(db: Database, actor: Actor, pdf: bytes, what: _Printed, reveal: bool) -> bytes:
    """Write the print's audit rows (and the reveal's) in one write transaction."""
    entries = []
    if reveal:
        entries.append(AuditEntry("reveal", what.entity, what.entity_uuid,
                                  {"form": what.form, "purpose": "print", "fields": ["id_number", "phone"]}))
    entries.append(AuditEntry("print", what.entity, what.entity_uuid,
                              {"form": what.form, "pages": page_count(pdf), "reveal": reveal, **what.details}))
    with transaction(db, actor) as session:
        append_audit(session, *entries)
    return pdf


def _today(today: date | None) -> date:
    return today or date.today()


# ---------------------------------------------------------------------------
# Casework
# ---------------------------------------------------------------------------


def print_case_file(db: Database, actor: Actor, case_no: str, *, reveal_ids: bool = False,
                    today: date | None = None,
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole case file (个案档案): cover, contents, then every document in order.

    Args:
        db: The station database.
        actor: Who prints.
        case_no: The case number, e.g. ``150121101000-2026-0007``.
        reveal_ids: Print ID and phone numbers in full (needs ``reveal_id``; audited).
        today: The print date (default: today).
        progress: ``progress(done, total)`` while laying out a long file.

    Returns:
        The PDF bytes.

    Raises:
        NotFoundError: ``case.not_found``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        case = pc.case_by_no(src, case_no)
        src = src.for_origin(case.origin)
        data = pc.case_file(src, case)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("case_file", "case_file", str(case.uuid),
                        {"case_no": case.case_no, "records": len(data.records)})
    pdf = forms.build_case_file_pdf(data, ctx, progress=progress)
    return _audited(db, actor, pdf, what, reveal_ids)


def print_case_form(db: Database, actor: Actor, kind: str, case_no: str, *, reveal_ids: bool = False,
                    today: date | None = None) -> bytes:
    """One document of a case, the latest of its kind.

    Args:
        db: The station database.
        actor: Who prints.
        kind: ``intake`` (接案登记表), ``assessment`` (需求评估表), ``plan`` (服务计划表),
            ``closure`` (结案报告) or ``referral`` (转介表).
        case_no: The case number.
        reveal_ids: Print ID and phone numbers in full (needs ``reveal_id``; audited).
        today: The print date (default: today).

    Returns:
        The PDF bytes.

    Raises:
        ValidationError: ``print.unknown_form`` (an unknown ``kind``).
        NotFoundError: ``case.not_found``; ``print.no_assessment``, ``print.no_plan``,
            ``print.no_closure``, ``print.no_referral`` when the case has none yet.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    if kind not in CASE_FORMS:
        raise ValidationError("print.unknown_form", field="kind", kind=kind)
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        case = pc.case_by_no(src, case_no)
        src = src.for_origin(case.origin)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed(kind, "case_file", str(case.uuid), {"case_no": case.case_no})
        if kind == "intake":
            build: Callable[[], bytes] = _bind(forms.build_intake_pdf, pc.intake_form(src, case), ctx)
        else:
            name = pc.client_name(src, case)
            if kind == "assessment":
                assessments = pc.assessment_forms(src, case, name)
                if not assessments:
                    raise NotFoundError("print.no_assessment", field="case_no")
                build = _bind(forms.build_assessment_pdf, assessments[-1], ctx)
            elif kind == "plan":
                plans = pc.plan_forms(src, case, name)
                if not plans:
                    raise NotFoundError("print.no_plan", field="case_no")
                build = _bind(forms.build_plan_pdf, plans[-1], ctx)
            elif kind == "closure":
                closure = pc.closure_form(src, case, name)
                if closure is None:
                    raise NotFoundError("print.no_closure", field="case_no")
                build = _bind(forms.build_closure_pdf, closure, ctx)
            else:
                referrals = pc.referral_forms(src, case)
                if not referrals:
                    raise NotFoundError("print.no_referral", field="case_no")
                build = _bind(forms.build_referral_pdf, referrals[-1], ctx)
    return _audited(db, actor, build(), what, reveal_ids)


def _bind(builder: Callable[[Any, PrintContext], bytes], form: Any, ctx: PrintContext) -> Callable[[], bytes]:
    """Defer a template call until the read session is closed."""
    return lambda: builder(form, ctx)


def print_service_record(db: Database, actor: Actor, case_no: str, seq: int, *, reveal_ids: bool = False,
                         today: date | None = None) -> bytes:
    """The case's N-th service record (个案服务记录表, 第N次).

    Raises:
        NotFoundError: ``case.not_found``; ``print.no_record`` (params ``seq``,
            ``count``) when the case has no live record with that number.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        case = pc.case_by_no(src, case_no)
        src = src.for_origin(case.origin)
        records = pc.record_forms(src, case, pc.client_name(src, case), seq=seq)
        if not records:
            raise NotFoundError("print.no_record", field="seq", seq=seq, count=pc.record_count(src, case))
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("record", "case_file", str(case.uuid), {"case_no": case.case_no, "seq": seq})
    return _audited(db, actor, forms.build_service_record_pdf(records[0], ctx), what, reveal_ids)


def print_consent(db: Database, actor: Actor, case_no: str, *, reveal_ids: bool = False,
                  today: date | None = None) -> bytes:
    """The case's informed consent form (知情同意书): the recorded consent, or one to sign.

    Raises:
        NotFoundError: ``case.not_found``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        case = pc.case_by_no(src, case_no)
        src = src.for_origin(case.origin)
        form = pc.consent_form(src, case)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("consent", "case_file", str(case.uuid),
                        {"case_no": case.case_no, "signed": form.signed_on is not None})
    return _audited(db, actor, forms.build_consent_pdf(form, ctx), what, reveal_ids)


def print_supervision_list(db: Database, actor: Actor, no_contact_days: int = 30,
                           risk: RiskLevel = RiskLevel.HIGH, *, reveal_ids: bool = False,
                           today: date | None = None, station: str | None = None) -> bytes:
    """The supervision list (督导清单): high-risk cases not contacted for the given days.

    The cases are the dashboard's no-contact list (:func:`services.cases.todo`), most
    overdue first.

    Args:
        db: The station database.
        actor: Who prints.
        no_contact_days: List a case when its last contact (or intake) is older.
        risk: The risk level listed. Only ``high`` for now: the printed form is titled
            高风险个案督导清单 and has no place to name another level.
        reveal_ids: Accepted for symmetry (the list holds no ID numbers); audited.
        today: The reference and print date (default: today).
        station: At a centre: whose cases (a registered station's code); the page header
            then names that station. Default: this station's own cases.

    Raises:
        ValidationError: ``print.days_range`` (fewer than 1 day), ``print.risk_unsupported``.
        NotFoundError: ``centre.station_unknown`` (no such station at this centre).
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    if no_contact_days < 1:
        raise ValidationError("print.days_range", field="no_contact_days", min=1)
    if risk != RiskLevel.HIGH:
        raise ValidationError("print.risk_unsupported", field="risk")
    _allow(actor, reveal_ids)
    day = _today(today)
    if station is not None:
        _require_copied_station(db, actor, station)
    items = todo(db, actor, today=day, no_contact_days=no_contact_days, risk_level=risk, station=station,
                 limit=SUPERVISION_LIMIT).no_contact.items
    with _sources(db, actor, day, reveal_ids) as src:
        if station is not None:
            src = src.for_origin(station)
        form = SupervisionList(as_of=day, threshold_days=no_contact_days, rows=ps.supervision_rows(src, items))
        ctx = _context(src, actor, reveal_ids)
    what = _Printed("supervision_list", "case_file", "",
                    {"cases": len(form.rows), "no_contact_days": no_contact_days, "risk": risk.value,
                     **({"station": station} if station is not None else {})})
    return _audited(db, actor, forms.build_supervision_list_pdf(form, ctx), what, reveal_ids)


# ---------------------------------------------------------------------------
# Volunteers
# ---------------------------------------------------------------------------


def print_volunteer_form(db: Database, actor: Actor, volunteer_no: str, *, reveal_ids: bool = False,
                         today: date | None = None) -> bytes:
    """The volunteer registration form (志愿者登记表), for the volunteer's signature.

    Raises:
        NotFoundError: ``volunteer.not_found``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        volunteer = ps.volunteer_by_no(src, volunteer_no)
        form = ps.volunteer_form(src, volunteer)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("volunteer_form", "volunteer", str(volunteer.uuid),
                        {"volunteer_no": volunteer.volunteer_no})
    return _audited(db, actor, forms.build_volunteer_form_pdf(form, ctx), what, reveal_ids)


@dataclass(frozen=True)
class CertificatePrint:
    """A printed certificate and what the register says of it.

    Attributes:
        pdf: The PDF bytes.
        pages: Its page count.
        cert_no: The register number (``{station}-Z{yyyy}-{seq:04d}``).
        hours_tenths: The certified hours, in tenths.
        issued: This print issued the certificate (a new register entry).
        copy: A reprint of an entry already printed: marked 副本.
    """

    pdf: bytes
    pages: int
    cert_no: str
    hours_tenths: int
    issued: bool
    copy: bool


def _handler(src: Sources, actor: Actor, handler: str | None) -> str:
    """Who handles a new certificate: as given, else the acting staff member, else the head."""
    if handler and handler.strip():
        return handler.strip()
    if actor.staff_id is not None:
        staff = src.session.get(Staff, actor.staff_id)
        if staff is not None:
            return staff.name
    head = src.station_head()
    if not head:
        raise ValidationError("print.handler_required", field="handler")
    return head


def certificate_print(db: Database, actor: Actor, volunteer_no: str, date_from: date | None = None,
                      date_to: date | None = None, *, handler: str | None = None, reveal_ids: bool = False,
                      today: date | None = None) -> CertificatePrint:
    """Print a 志愿服务记录证明, issuing it in the register on the first print.

    The register entry is reused when one exists for the same volunteer, period and
    confirmed total (a reprint: 副本 from the second print on); when hours were confirmed
    or corrected since, the total differs and a new certificate is issued. Only confirmed
    or corrected hours count; the lines are listed in an appendix.

    Args:
        db: The station database.
        actor: Who prints (needs ``issue_certificate``).
        volunteer_no: The volunteer's number.
        date_from: First day of the period; None from the first confirmed line.
        date_to: Last day of the period; None to the last confirmed line.
        handler: The handling officer (经办人) of a new certificate; default the acting
            staff member, else the station head.
        reveal_ids: Print the ID number in full (needs ``reveal_id``; audited).
        today: Issue and print date (default: today).

    Returns:
        The PDF and its register details.

    Raises:
        ValidationError: ``certificate.no_confirmed_hours`` (nothing confirmed in the
            period), ``date.order``, ``print.handler_required``, name errors on ``handler``.
        ConfigError: ``certificate.no_issuing_body``.
        NotFoundError: ``volunteer.not_found``.
        PermissionDenied: ``permission.issue_certificate``, ``permission.reveal_id``.
    """
    require(actor, Permission.ISSUE_CERTIFICATE)
    _allow(actor, reveal_ids)
    day = _today(today)
    if date_from is not None and date_to is not None:
        check_date_order(date_from, date_to, field="date_to", earlier_field="date_from")
    with _sources(db, actor, day, reveal_ids) as src:
        volunteer_id: UUID = ps.volunteer_by_no(src, volunteer_no).uuid
    summary = volunteer_summary(db, actor, volunteer_id, date_from, date_to)
    if summary.confirmed_tenths <= 0:
        raise ValidationError("certificate.no_confirmed_hours", field="period")
    existing = [c for c in list_certificates(db, actor, volunteer_id)
                if (c.period_from, c.period_to, c.hours_tenths) == (date_from, date_to, summary.confirmed_tenths)]
    if existing:
        cert = existing[0]
    else:
        with _sources(db, actor, day, reveal_ids) as src:
            name = _handler(src, actor, handler)
        cert = issue_certificate(db, actor, volunteer_id, date_from, date_to, name, today=day)
    copy = record_certificate_print(db, actor, cert.uuid) >= 2
    with _sources(db, actor, day, reveal_ids) as src:
        volunteer = src.session.get(Volunteer, volunteer_id)
        if volunteer is None:
            raise NotFoundError("volunteer.not_found", field="volunteer_no")
        lines = ps.certificate_lines(src, volunteer_id, date_from, date_to)
        form = CertificateForm(
            cert_no=cert.cert_no, volunteer_name=cert.volunteer_name, volunteer_no=cert.volunteer_no,
            period_from=cert.period_from or (lines[0].service_date if lines else cert.issued_on),
            period_to=cert.period_to or (lines[-1].service_date if lines else cert.issued_on),
            hours_tenths=cert.hours_tenths, issuing_body=cert.issuing_body, issued_on=cert.issued_on,
            id_type=enum_label(volunteer.id_type), id_number=volunteer.id_number,
            content_summary=cert.content_summary, person_in_charge=src.station_head(), handler=cert.handler,
            contact=src.station_contact(),
            # As issued: the appendix only when today's lines still add up to the register's hours.
            lines=lines if sum(line.hours_tenths for line in lines) == cert.hours_tenths else (),
            copy=copy,
        )
        ctx = _context(src, actor, reveal_ids)
    pdf = forms.build_certificate_pdf(form, ctx)
    what = _Printed("certificate", "volunteer_certificate", str(cert.uuid),
                    {"cert_no": cert.cert_no, "copy": copy, "issued": not existing})
    _audited(db, actor, pdf, what, reveal_ids)
    return CertificatePrint(pdf=pdf, pages=page_count(pdf), cert_no=cert.cert_no,
                            hours_tenths=cert.hours_tenths, issued=not existing, copy=copy)


def print_certificate(db: Database, actor: Actor, volunteer_no: str, date_from: date | None = None,
                      date_to: date | None = None, *, handler: str | None = None, reveal_ids: bool = False,
                      today: date | None = None) -> bytes:
    """The PDF of :func:`certificate_print` (same arguments, same errors)."""
    return certificate_print(db, actor, volunteer_no, date_from, date_to, handler=handler,
                             reveal_ids=reveal_ids, today=today).pdf


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------


def print_activity(db: Database, actor: Actor, activity_no: str, *, reveal_ids: bool = False,
                   today: date | None = None) -> bytes:
    """The activity record (活动记录表) with participant counts and the roster.

    Raises:
        NotFoundError: ``activity.not_found``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        activity = ps.activity_by_no(src, activity_no)
        form = ps.activity_form(src, activity)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("activity", "activity", str(activity.uuid), {"activity_no": activity.activity_no})
    return _audited(db, actor, forms.build_activity_pdf(form, ctx), what, reveal_ids)


def print_signin_sheet(db: Database, actor: Actor, activity_no: str, blank: bool = False,
                       rows: int | None = None, *, reveal_ids: bool = False, today: date | None = None) -> bytes:
    """The activity's sign-in sheet (签到表): numbered empty rows, or the roster first.

    Args:
        db: The station database.
        actor: Who prints.
        activity_no: The activity number.
        blank: Only numbered empty rows (to sign on the day).
        rows: Rows of a blank sheet (default :data:`DEFAULT_BLANK_ROWS`); a filled sheet
            is padded with empty rows up to this number (default: the roster plus
            :data:`SPARE_ROWS`).
        reveal_ids: Print phone numbers in full (needs ``reveal_id``; audited).
        today: The print date (default: today).

    Raises:
        ValidationError: ``print.rows_range`` (params ``min``, ``max``).
        NotFoundError: ``activity.not_found``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    if rows is not None and not 1 <= rows <= MAX_SIGN_IN_ROWS:
        raise ValidationError("print.rows_range", field="rows", min=1, max=MAX_SIGN_IN_ROWS)
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        activity = ps.activity_by_no(src, activity_no)
        if rows is None:
            rows = DEFAULT_BLANK_ROWS if blank else min(MAX_SIGN_IN_ROWS, ps.roster_size(src, activity) + SPARE_ROWS)
        sheet = ps.sign_in_sheet(src, activity, blank=blank, rows=rows)
        ctx = _context(src, actor, reveal_ids)
        what = _Printed("signin_sheet", "activity", str(activity.uuid),
                        {"activity_no": activity.activity_no, "blank": blank, "rows": rows})
    return _audited(db, actor, forms.build_sign_in_sheet_pdf(sheet, ctx), what, reveal_ids)


# ---------------------------------------------------------------------------
# Station: ledger and monthly report
# ---------------------------------------------------------------------------


def print_ledger(db: Database, actor: Actor, month: str | date, *, reveal_ids: bool = False,
                 today: date | None = None) -> bytes:
    """The charity resource ledger (慈善资源台账) of a month: donations received in it.

    Args:
        db: The station database.
        actor: Who prints.
        month: ``YYYY-MM`` (or any day of the month).
        reveal_ids: Accepted for symmetry (the ledger prints no ID numbers); audited.
        today: The print date (default: today).

    Raises:
        ValidationError: ``print.month_format``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    first, last = ps.month_bounds(parse_month(month))
    _allow(actor, reveal_ids)
    with _sources(db, actor, _today(today), reveal_ids) as src:
        form = LedgerForm(month=first, lines=ps.ledger_lines(src, first, last),
                          prepared_by=actor.name if actor.staff_id is not None else "")
        ctx = _context(src, actor, reveal_ids)
    what = _Printed("ledger", "donation", "", {"month": f"{first:%Y-%m}", "lines": len(form.lines)})
    return _audited(db, actor, forms.build_ledger_pdf(form, ctx), what, reveal_ids)


def _figures(db: Database, actor: Actor, first: date, last: date, today: date) -> MonthlyFigures:
    """The figures of ``wushe stats`` for a period, read back through its JSON document."""
    period = Period(first, last)
    code, stats = station_stats(db, actor, period, today=today)
    return MonthlyFigures.from_stats_json(stats.to_json(stations=[code], period=period))


def print_monthly_report(db: Database, actor: Actor, month: str | date, *, reveal_ids: bool = False,
                         today: date | None = None) -> bytes:
    """The monthly station report (社工站月度工作报告) with the five-society indicators.

    Its figures are exactly ``station_stats`` over the month (and from 1 January to the
    month's end for the year to date).

    Args:
        db: The station database.
        actor: Who prints.
        month: ``YYYY-MM`` (or any day of the month).
        reveal_ids: Accepted for symmetry (the report prints no ID numbers); audited.
        today: The print date (default: today).

    Raises:
        ValidationError: ``print.month_format``.
        PermissionDenied: ``permission.read``, ``permission.reveal_id``.
    """
    first, last = ps.month_bounds(parse_month(month))
    _allow(actor, reveal_ids)
    day = _today(today)
    figures = _figures(db, actor, first, last, day)
    year = _figures(db, actor, date(first.year, 1, 1), last, day)
    with _sources(db, actor, day, reveal_ids) as src:
        linkage = ps.linkage_lines(
            src, first, last, social_worker_times=figures.social_worker_times,
            volunteer_times=figures.volunteer_times, caring_people_times=figures.caring_people_times,
            resources_fen=figures.funds_raised_fen + figures.goods_value_fen)
        titles = ps.month_activity_titles(src, first, last)
        report = MonthlyReport(
            month=first, figures=figures, year_to_date=year, linkage=linkage,
            highlights=("本月开展的活动：" + "；".join(titles) + "。") if titles else "",
            prepared_by=actor.name if actor.staff_id is not None else "",
            reviewed_by=src.station_head(),
        )
        ctx = _context(src, actor, reveal_ids)
        station_uuid = str(src.station.uuid)
    what = _Printed("monthly_report", "station", station_uuid, {"month": f"{first:%Y-%m}"})
    return _audited(db, actor, forms.build_monthly_report_pdf(report, ctx), what, reveal_ids)
