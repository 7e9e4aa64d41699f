"""The paper key card (密钥登记卡): printed beside the card file, audited like every print.

A card file (``services.keys.export_card``) is what the other side's program reads; the
paper card is what people hold while they read the fingerprint aloud on the phone
(DESIGN.md §6). :func:`export_card_with_print` writes both, the PDF beside the card file
with the same name and ``.pdf``, and is what ``wushe keys export-card`` and the sync
screen's 导出站点登记卡 do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wushe_desktop.domain.enums import StationMode
from wushe_desktop.printing.data import PrintContext
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.keys import (
    CardResult,
    active_centre_key,
    export_card,
    show_keys,
    write_file_atomically,
)
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.printing import page_count
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.tracking import AuditEntry, append_audit

if TYPE_CHECKING:  # the card's module imports reportlab: loaded on first print (start-up time)
    from wushe_desktop.printing.key_card import KeyCardForm

__all__ = ["KeyCardExport", "card_pdf_path", "export_card_with_print", "print_key_card"]


@dataclass(frozen=True)
class KeyCardExport:
    """What :func:`export_card_with_print` wrote.

    Attributes:
        card: The card file and its fingerprint.
        pdf_path: The printable card beside it.
        pdf: The printable card's bytes (for the preview).
    """

    card: CardResult
    pdf_path: Path
    pdf: bytes


def card_pdf_path(card_path: Path) -> Path:
    """Where the printable card goes: beside the card file, same name, ``.pdf``."""
    return card_path.with_suffix(".pdf")


def _form(db: Database, actor: Actor, today: date) -> tuple[KeyCardForm, PrintContext]:
    from wushe_desktop.printing.key_card import KeyCardForm

    info = show_keys(db)
    with reading(db, actor, Permission.READ) as session:
        st = own_station(session)
        centre = active_centre_key(session) if st.mode == StationMode.STATION else None
        centre_mode = st.mode == StationMode.CENTRE
        form = KeyCardForm(
            kind="centre" if centre_mode else "station", name=st.name, code=st.code,
            banner_name=st.banner_name or "", fingerprint=info.fingerprint, issued_on=today,
            box_fingerprint=info.box_fingerprint if centre_mode else "",
            centre_name=centre.centre_name if centre is not None else "")
        ctx = PrintContext(station_name=st.name, station_code=st.code, printed_on=today, printed_by=actor.name)
    return form, ctx


def print_key_card(db: Database, actor: Actor, *, today: date | None = None) -> bytes:
    """The paper key card of this database's active key (one A4 page), audited.

    Args:
        db: A station (or centre) database.
        actor: Who prints (needs ``read``).
        today: The date printed on the card (default: today).

    Returns:
        The PDF bytes.

    Raises:
        PermissionDenied: ``permission.read``.
    """
    require(actor, Permission.READ)
    form, ctx = _form(db, actor, today or date.today())
    from wushe_desktop.printing.key_card import build_key_card_pdf

    pdf = build_key_card_pdf(form, ctx)
    with transaction(db, actor) as session:
        append_audit(session, AuditEntry("print", "key", "", {
            "form": "key_card", "pages": page_count(pdf), "reveal": False, "fingerprint": form.fingerprint}))
    return pdf


def export_card_with_print(db: Database, actor: Actor, out: Path, *, today: date | None = None) -> KeyCardExport:
    """Write the card file and, beside it, the printable card (``.pdf``).

    Args:
        db: The database.
        actor: Who exports (needs ``export``).
        out: The card file, or a folder (see :func:`services.keys.export_card`).
        today: The date printed on the paper card (default: today).

    Raises:
        ConfigError: ``keys.private_missing``.
        OSError: A file cannot be written (the PDF is written whole or not at all).
    """
    card = export_card(db, actor, out)
    pdf = print_key_card(db, actor, today=today)
    path = card_pdf_path(card.path)
    write_file_atomically(path, pdf)
    return KeyCardExport(card, path, pdf)
