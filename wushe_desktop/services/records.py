"""Helpers shared by the record services: live rows, free text, names, vocabulary codes,
and column lengths (so that a centre on PostgreSQL never refuses what a station saved)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.domain.validation import normalize_name
from wushe_desktop.errors import NotFoundError, ValidationError
from wushe_desktop.services.context import own_station
from wushe_desktop.storage.models import Synced, TaxonomyItem

S = TypeVar("S", bound=Synced)




def live_row(session: Session, model: type[S], row_id: UUID, code: str, field: str | None = None) -> S:
    """A row that exists and is not soft-deleted.

    Args:
        session: The open session.
        model: The synced model.
        row_id: Its uuid.
        code: The error code when missing, e.g. ``activity.not_found``.
        field: The field that named the row, if any.

    Raises:
        NotFoundError: ``code`` when the row is missing or deleted.
    """
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(code, field=field)
    return row


def clean_text(value: str, field: str, *, max_len: int | None = None, required: bool = False) -> str:
    """Strip a free-text field and check it is present and short enough.

    Raises:
        ValidationError: ``text.required`` or ``text.too_long`` (params ``max``,
            ``length``) on ``field``.
    """
    text = value.strip()
    if required and not text:
        raise ValidationError("text.required", field=field)
    if max_len is not None and len(text) > max_len:
        raise ValidationError("text.too_long", field=field, max=max_len, length=len(text))
    return text


def clean_person_name(value: str, field: str) -> str:
    """:func:`normalize_name` reported on ``field`` (handlers, signers, attendees)."""
    try:
        return normalize_name(value)
    except ValidationError as exc:
        raise ValidationError(exc.code, field=field, **exc.params) from None


def check_codes(session: Session, kind: TaxonomyKind, codes: Iterable[str], field: str) -> tuple[str, ...]:
    """Check codes against this station's vocabulary; returns them stripped, without repeats.

    Deactivated items are accepted: records made before the deactivation keep them.

    Raises:
        ValidationError: ``taxonomy.unknown_code`` (params ``kind``, ``value``) on ``field``.
    """
    wanted = tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not wanted:
        return ()
    origin = own_station(session).code
    known = set(session.scalars(select(TaxonomyItem.code).where(
        TaxonomyItem.origin == origin, TaxonomyItem.kind == kind.value,
        TaxonomyItem.code.in_(wanted), TaxonomyItem.deleted_at.is_(None))))
    for code in wanted:
        if code not in known:
            raise ValidationError("taxonomy.unknown_code", field=field, kind=kind.value, value=code)
    return wanted


def check_lengths(model: Any, values: dict[str, Any]) -> list[ValidationError]:
    """``text.too_long`` for every string value longer than its column allows."""
    errors: list[ValidationError] = []
    columns = model.__table__.c
    for name, value in values.items():
        if isinstance(value, str) and name in columns:
            length = getattr(columns[name].type, "length", None)
            if isinstance(columns[name].type, String) and length is not None and len(value) > length:
                errors.append(ValidationError("text.too_long", field=name, max=length, length=len(value)))
    return errors
