"""Human record numbers (编号): case, volunteer, activity, certificate and ledger numbers.

Numbers come from the ``number_sequence`` table (``(kind, year) → last``) and only go up
(docs/decisions.md §9): a number is never issued twice, not even after the record that
carried it was deleted. As a safety net against a sequence row that fell behind the
records (a restored backup, rows imported by hand), callers may pass the highest number
already in use as ``floor`` (see :func:`highest_suffix`); the next number is above both.

Helpers take a session and never commit: the calling use case owns the transaction.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from wushe_desktop.storage.models import NumberSequence

__all__ = ["FORMATS", "format_number", "highest_suffix", "issue_number", "last_numbers", "raise_floor",
           "reserve_numbers"]


def issue_number(session: Session, kind: str, year: int, *, floor: int = 0) -> int:
    """Issue the next number of a kind and year (see :func:`reserve_numbers`)."""
    return reserve_numbers(session, kind, year, 1, floor=floor)


def highest_suffix(
    session: Session,
    column: InstrumentedAttribute[str],
    prefix: str,
    *criteria: ColumnElement[bool],
) -> int:
    """The highest integer that follows ``prefix`` in a number column (0 if none).

    Deleted rows count too (numbers are never reused). The range condition lets SQLite
    use the ``UNIQUE(origin, number)`` index; ordering by length first keeps
    ``…-10000`` above ``…-9999``.

    Args:
        session: Any session.
        column: The number column, e.g. ``Case.case_no``.
        prefix: The fixed part before the sequence, e.g. ``"150121101000-2026-"``.
        criteria: Extra conditions, typically ``Model.origin == code``.

    Returns:
        The highest suffix that is all digits; 0 when there is none.

    Raises:
        ValueError: an empty prefix (a programming error).
    """
    if not prefix:
        raise ValueError("prefix must not be empty")
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    stmt = (
        select(column)
        .where(column > prefix, column < upper, column.startswith(prefix, autoescape=True), *criteria)
        .order_by(func.length(column).desc(), column.desc())
        .limit(1)
    )
    value = session.scalar(stmt)
    if value is None:
        return 0
    suffix = value[len(prefix):]
    return int(suffix) if suffix.isascii() and suffix.isdigit() else 0


#: Printed formats per kind (docs/decisions.md §9); ``year`` is 0 for volunteers.
FORMATS: dict[str, str] = {
    "case": "{station}-{year:04d}-{seq:04d}",
    "volunteer": "{station}-V{seq:05d}",
    "activity": "{station}-A{year:04d}-{seq:04d}",
    "certificate": "{station}-Z{year:04d}-{seq:04d}",
    "donation": "{station}-J{year:04d}-{seq:04d}",
}


def format_number(kind: str, station: str, year: int, seq: int) -> str:
    """The printed number, e.g. ``150121101000-2026-0007``."""
    return FORMATS[kind].format(station=station, year=year, seq=seq)


def reserve_numbers(session: Session, kind: str, year: int, count: int, *, floor: int = 0) -> int:
    """Reserve ``count`` consecutive numbers at once (bulk paths); returns the first."""
    row = session.get(NumberSequence, (kind, year))
    first = max(row.last if row is not None else 0, floor) + 1
    if row is None:
        session.add(NumberSequence(kind=kind, year=year, last=first + count - 1))
    else:
        row.last = first + count - 1
    session.flush()
    return first


def raise_floor(session: Session, kind: str, year: int, at_least: int) -> None:
    """Make the next number come above ``at_least`` (after a restore, from a receipt)."""
    row = session.get(NumberSequence, (kind, year))
    if row is None:
        session.add(NumberSequence(kind=kind, year=year, last=at_least))
    elif row.last < at_least:
        row.last = at_least
    session.flush()


def last_numbers(session: Session) -> dict[str, int]:
    """Every sequence's last number keyed ``kind/year`` (receipts carry these highs)."""
    return {f"{r.kind}/{r.year}": r.last for r in session.scalars(select(NumberSequence))}
