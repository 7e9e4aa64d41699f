"""Drafts of unsaved forms, kept for crash recovery (docs/decisions.md §8, scenario 7).

The GUI writes the fields of an open form a few seconds after the last keystroke into
the local ``form_draft`` table (on the writer worker), deletes the draft when the form
is saved or discarded, and at start offers the user's drafts back. Drafts are local:
no ``row_version``, no audit rows, they never travel in a bundle.

A draft is keyed by (form kind, record uuid or ``None`` for a new record, user): one
draft per form and record per user; saving again replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError

from wushe_desktop.errors import ValidationError
from wushe_desktop.services.context import Actor
from wushe_desktop.storage.db import Database, map_operational_error
from wushe_desktop.storage.models import FormDraft
from wushe_desktop.storage.types import utcnow

#: Longest form kind accepted (the column's width).
MAX_FORM_LENGTH = 60
#: Largest draft accepted, in characters of JSON (a long assessment is a few kB).
MAX_DRAFT_CHARS = 1_000_000


@dataclass(frozen=True)
class Draft:
    """A kept draft.

    Attributes:
        id: The draft's row id (to discard it).
        form: The form kind (``"person"``, ``"assessment"``...).
        record_uuid: The record being edited, or ``None`` for a new one.
        user: Who typed it (the actor's name).
        data: The field values, as the form saved them.
        updated_at: When it was last written (ISO 8601, UTC).
    """

    id: int
    form: str
    record_uuid: str | None
    user: str
    data: dict[str, Any]
    updated_at: str


def _user(actor: Actor) -> str:
    return actor.name[:MAX_FORM_LENGTH]


def _view(row: FormDraft) -> Draft:
    data = row.data if isinstance(row.data, dict) else {}
    return Draft(row.id, row.form, row.record_uuid, row.user, dict(data), row.updated_at)


def _check(form: str, data: dict[str, Any]) -> None:
    if not form or len(form) > MAX_FORM_LENGTH:
        raise ValueError(f"form kind {form!r} is empty or longer than {MAX_FORM_LENGTH}")
    size = len(json.dumps(data, ensure_ascii=False))  # TypeError: not JSON (a bug in the form)
    if size > MAX_DRAFT_CHARS:
        raise ValidationError("draft.too_large", field="data", max=MAX_DRAFT_CHARS)


def save_draft(db: Database, actor: Actor, form: str, record_uuid: str | None, data: dict[str, Any]) -> Draft:
    """Keep (or replace) the actor's draft of a form.

    Raises:
        ValidationError: ``draft.too_large`` (param ``max``).
        ValueError: an empty or over-long form kind; TypeError: data that is not JSON.
    """
    _check(form, data)
    user = _user(actor)
    try:
        with db.sessions.begin() as s:
            row = s.scalars(select(FormDraft).where(
                FormDraft.form == form, FormDraft.user == user,
                FormDraft.record_uuid.is_(None) if record_uuid is None else FormDraft.record_uuid == record_uuid,
            )).first()
            if row is None:
                row = FormDraft(form=form, record_uuid=record_uuid, user=user, data=data,
                                updated_at=utcnow().isoformat())
                s.add(row)
            else:
                row.data = data
                row.updated_at = utcnow().isoformat()
            s.flush()
            return _view(row)
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


def load_draft(db: Database, actor: Actor, form: str, record_uuid: str | None) -> Draft | None:
    """The actor's draft of one form and record, if any."""
    user = _user(actor)
    try:
        with db.read_sessions() as s:
            row = s.scalars(select(FormDraft).where(
                FormDraft.form == form, FormDraft.user == user,
                FormDraft.record_uuid.is_(None) if record_uuid is None else FormDraft.record_uuid == record_uuid,
            )).first()
            return None if row is None else _view(row)
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


def list_drafts(db: Database, actor: Actor) -> list[Draft]:
    """The actor's drafts, newest first (offered back at start)."""
    try:
        with db.read_sessions() as s:
            rows = s.scalars(select(FormDraft).where(FormDraft.user == _user(actor))
                             .order_by(FormDraft.updated_at.desc(), FormDraft.id.desc())).all()
            return [_view(r) for r in rows]
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


def discard_draft(db: Database, actor: Actor, form: str, record_uuid: str | None) -> int:
    """Delete the actor's draft of a form and record (saved or thrown away); returns how many."""
    user = _user(actor)
    try:
        with db.sessions.begin() as s:
            result = s.execute(delete(FormDraft).where(
                FormDraft.form == form, FormDraft.user == user,
                FormDraft.record_uuid.is_(None) if record_uuid is None else FormDraft.record_uuid == record_uuid,
            ))
            return int(getattr(result, "rowcount", 0) or 0)
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc


__all__ = ["Draft", "discard_draft", "list_drafts", "load_draft", "save_draft"]
