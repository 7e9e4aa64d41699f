"""Charity resources (慈善资源): the donation ledger (台账), goods lines, distribution, stock.

A station is not a charity and cannot issue donation receipts (domain.md §5.2): money is
received by a charity (慈善法 Art. 26), whose name every money donation records, and the
ledger links the receipt that charity issued (Art. 38), or records that the donor is
anonymous or waived it. Money is in fen; goods are valued in fen per unit.

Ledger numbers are ``{station}-J{yyyy}-{seq:04d}`` by the year the donation was received.
Stock is what was received less what was distributed; nothing can be handed out twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind
from wushe_desktop.domain.validation import (
    check_date_order,
    check_not_future,
    mask_phone,
    normalize_id_number,
    parse_id_number,
    validate_uscc,
)
from wushe_desktop.errors import (
    NotFoundError,
    StateError,
    ValidationError,
    ValidationErrors,
)
from wushe_desktop.services.activities import (
    get_activity_row,
    get_organisation_row,
    get_project_row,
)
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.numbers import format_number, issue_number
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.records import clean_person_name, clean_text, live_row
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    Case,
    Distribution,
    Donation,
    DonationItem,
    Person,
    ServiceRecord,
)
from wushe_desktop.storage.types import utcnow

_ID_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}", re.ASCII)
_ISSUED_RECEIPTS = (ReceiptKind.PAPER, ReceiptKind.ELECTRONIC)


@dataclass(frozen=True)
class DonationItemInput:
    """物资明细: one line of donated goods. ``item_id`` names a stored line when editing."""

    name: str
    quantity: int
    unit: str = "件"
    spec: str = ""
    unit_value_fen: int = 0  # 单价估值
    valuation_basis: str = ""  # 估值依据: invoice, market price...
    expiry: date | None = None  # 保质期/有效期
    condition: str = ""
    item_id: UUID | None = None


@dataclass(frozen=True)
class DonationInput:
    """A donation as the ledger form gives it (domain.md §5.3)."""

    received_on: date
    donor_type: DonorType
    form: DonationForm
    donor_name: str = ""  # required unless anonymous
    donor_id_no: str = ""  # ID number (individuals) or USCC (organisations)
    donor_contact: str = ""
    publish_consent: bool = False  # 慈善法 Art. 82
    amount_fen: int = 0  # money only
    items: tuple[DonationItemInput, ...] = ()  # goods only
    payment_method: str = ""
    receiving_account: str = ""  # the charity's account
    restricted: bool = False  # 定向
    purpose: str = ""
    recipient_org_id: UUID | None = None
    recipient_name: str = ""  # the charity that legally received it; required for money
    receipt_kind: ReceiptKind = ReceiptKind.PENDING
    receipt_no: str = ""
    receipt_date: date | None = None
    receipt_handler: str = ""
    activity_id: UUID | None = None
    project_id: UUID | None = None
    leftover_handling: str = ""
    publication: str = ""


@dataclass(frozen=True)
class DonationItemView:
    """A goods line with what is left of it."""

    uuid: UUID
    name: str
    spec: str
    quantity: int
    unit: str
    unit_value_fen: int
    value_fen: int
    valuation_basis: str
    expiry: date | None
    condition: str
    distributed: int
    remaining: int


@dataclass(frozen=True)
class DonationView:
    """A ledger entry. The donor's ID number is not shown (only whether one is on file)
    and the contact is masked like a phone number."""

    uuid: UUID
    ledger_no: str
    received_on: date
    donor_type: DonorType
    donor_name: str
    has_donor_id: bool
    donor_contact_masked: str
    publish_consent: bool
    form: DonationForm
    amount_fen: int
    goods_value_fen: int
    restricted: bool
    purpose: str
    recipient_org_id: UUID | None
    recipient_name: str
    receipt_kind: ReceiptKind
    receipt_no: str
    receipt_date: date | None
    receipt_handler: str
    activity_id: UUID | None
    project_id: UUID | None
    items: tuple[DonationItemView, ...]
    distributed_fen: int  # money handed out, or value of goods handed out
    remaining_fen: int
    row_version: int


def _donor_id(raw: str, donor_type: DonorType, today: date) -> str:
    """An individual's ID number or an organisation's USCC; anonymous donors by shape."""
    as_id = donor_type == DonorType.INDIVIDUAL or (
        donor_type == DonorType.ANONYMOUS and _ID_SHAPE.fullmatch(normalize_id_number(raw)) is not None)
    try:
        return parse_id_number(raw, today=today).number if as_id else validate_uscc(raw)
    except ValidationError as exc:
        raise ValidationError(exc.code, field="donor_id_no", **exc.params) from None


def _clean_items(data: DonationInput, errors: list[ValidationError]) -> tuple[DonationItemInput, ...]:
    items: list[DonationItemInput] = []
    for index, item in enumerate(data.items):
        line_errors: list[ValidationError] = []
        values: dict[str, str] = {}
        for name, max_len, required in (("name", 100, True), ("spec", 100, False), ("unit", 10, True),
                                        ("valuation_basis", 100, False), ("condition", 40, False)):
            try:
                values[name] = clean_text(str(getattr(item, name)), name, max_len=max_len, required=required)
            except ValidationError as exc:
                line_errors.append(exc)
        if item.quantity <= 0:
            line_errors.append(ValidationError("donation_item.quantity_not_positive", field="quantity"))
        if item.unit_value_fen < 0:
            line_errors.append(ValidationError("amount.negative", field="unit_value_fen"))
        if item.expiry is not None and item.expiry < data.received_on:
            # 慈善法 Art. 36: donated goods must be fit for use.
            line_errors.append(ValidationError("donation_item.expired", field="expiry"))
        errors.extend(ValidationError(e.code, field=e.field, line=index, **e.params) for e in line_errors)
        if not line_errors:
            items.append(DonationItemInput(
                name=values["name"], quantity=item.quantity, unit=values["unit"], spec=values["spec"],
                unit_value_fen=item.unit_value_fen, valuation_basis=values["valuation_basis"],
                expiry=item.expiry, condition=values["condition"], item_id=item.item_id))
    return tuple(items)


def clean_donation(data: DonationInput, *, today: date | None = None) -> DonationInput:
    """Validate and normalise a donation; every error at once.

    An anonymous donor forces the receipt kind to *anonymous* and withdraws consent to
    publish.

    Raises:
        ValidationErrors: ``date.future``, ``date.order``, ``text.required`` /
            ``text.too_long``, name, ID-number and USCC errors (on ``donor_id_no``),
            ``donation.donor_name_required``, ``donation.amount_required``,
            ``donation.amount_only_for_money``, ``donation.items_required``,
            ``donation.items_only_for_goods``, ``donation.recipient_required``,
            ``donation.purpose_required``, ``donation.receipt_kind_mismatch``,
            ``donation.receipt_no_required``, and per goods line (param ``line``)
            ``donation_item.quantity_not_positive``, ``donation_item.expired``,
            ``amount.negative``.
    """
    today = today or date.today()
    errors: list[ValidationError] = []
    values: dict[str, Any] = {}
    anonymous = data.donor_type == DonorType.ANONYMOUS
    try:
        check_not_future(data.received_on, today=today, field="received_on")
    except ValidationError as exc:
        errors.append(exc)
    values["donor_name"] = ""
    if data.donor_name.strip():
        try:
            values["donor_name"] = (clean_person_name(data.donor_name, "donor_name")
                                    if data.donor_type == DonorType.INDIVIDUAL
                                    else clean_text(data.donor_name, "donor_name", max_len=200))
        except ValidationError as exc:
            errors.append(exc)
    elif not anonymous:
        errors.append(ValidationError("donation.donor_name_required", field="donor_name"))
    values["donor_id_no"] = ""
    if data.donor_id_no.strip():
        try:
            values["donor_id_no"] = _donor_id(data.donor_id_no, data.donor_type, today)
        except ValidationError as exc:
            errors.append(exc)
    for name, max_len in (("donor_contact", 100), ("payment_method", 40), ("receiving_account", 100),
                          ("recipient_name", 200), ("receipt_no", 60)):
        try:
            values[name] = clean_text(str(getattr(data, name)), name, max_len=max_len)
        except ValidationError as exc:
            errors.append(exc)
    for name in ("purpose", "leftover_handling", "publication"):
        values[name] = str(getattr(data, name)).strip()
    values["receipt_handler"] = ""
    if data.receipt_handler.strip():
        try:
            values["receipt_handler"] = clean_person_name(data.receipt_handler, "receipt_handler")
        except ValidationError as exc:
            errors.append(exc)

    if data.form == DonationForm.MONEY:
        if data.amount_fen <= 0:
            errors.append(ValidationError("donation.amount_required", field="amount_fen"))
        if not values.get("recipient_name") and data.recipient_org_id is None:
            # 慈善法 Art. 26: the money must sit with a charity that can receive it.
            errors.append(ValidationError("donation.recipient_required", field="recipient_name"))
    elif data.amount_fen != 0:
        errors.append(ValidationError("donation.amount_only_for_money", field="amount_fen"))
    if data.form == DonationForm.GOODS and not data.items:
        errors.append(ValidationError("donation.items_required", field="items"))
    elif data.form != DonationForm.GOODS and data.items:
        errors.append(ValidationError("donation.items_only_for_goods", field="items"))
    values["items"] = _clean_items(data, errors)
    if data.restricted and not values["purpose"]:
        errors.append(ValidationError("donation.purpose_required", field="purpose"))

    receipt_kind = ReceiptKind.ANONYMOUS if anonymous else ReceiptKind(data.receipt_kind)
    if receipt_kind == ReceiptKind.ANONYMOUS and not anonymous:
        errors.append(ValidationError("donation.receipt_kind_mismatch", field="receipt_kind"))
    if receipt_kind in _ISSUED_RECEIPTS and not values.get("receipt_no"):
        errors.append(ValidationError("donation.receipt_no_required", field="receipt_no"))
    if data.receipt_date is not None:
        try:
            check_not_future(data.receipt_date, today=today, field="receipt_date")
            check_date_order(data.received_on, data.receipt_date, field="receipt_date",
                             earlier_field="received_on")
        except ValidationError as exc:
            errors.append(exc)
    values["receipt_kind"] = receipt_kind
    values["publish_consent"] = data.publish_consent and not anonymous
    if errors:
        raise ValidationErrors(errors)
    return replace(data, **values)


_DONATION_COLUMNS = tuple(f.name for f in fields(DonationInput) if f.name != "items")


def get_donation_row(session: Session, donation_id: UUID) -> Donation:
    """A live donation or ``donation.not_found``."""
    return live_row(session, Donation, donation_id, "donation.not_found", "donation_id")


def _items(s: Session, donation_id: UUID) -> list[DonationItem]:
    return list(s.scalars(select(DonationItem).where(
        DonationItem.donation_id == donation_id, DonationItem.deleted_at.is_(None))
        .order_by(DonationItem.created_at, DonationItem.name)))


def _distributed(s: Session, donation_id: UUID) -> tuple[int, dict[UUID, int]]:
    """Money (fen) and goods quantities per item handed out from a donation so far."""
    rows = s.execute(select(Distribution.item_id, func.sum(Distribution.quantity), func.sum(Distribution.amount_fen))
                     .where(Distribution.donation_id == donation_id, Distribution.deleted_at.is_(None))
                     .group_by(Distribution.item_id)).all()
    money = sum(int(amount or 0) for item_id, _, amount in rows if item_id is None)
    return money, {item_id: int(qty or 0) for item_id, qty, _ in rows if item_id is not None}


def _check_links(s: Session, data: DonationInput) -> str:
    """Check linked records; returns the recipient's name (from the organisation if blank)."""
    if data.activity_id is not None:
        get_activity_row(s, data.activity_id)
    if data.project_id is not None:
        get_project_row(s, data.project_id)
    recipient = data.recipient_name
    if data.recipient_org_id is not None:
        org = get_organisation_row(s, data.recipient_org_id)
        recipient = recipient or org.name
    return recipient


def _apply_donation(donation: Donation, data: DonationInput, recipient: str) -> None:
    for name in _DONATION_COLUMNS:
        setattr(donation, name, getattr(data, name))
    donation.recipient_name = recipient
    donation.goods_value_fen = sum(i.quantity * i.unit_value_fen for i in data.items)


def _new_item(donation_id: UUID, item: DonationItemInput) -> DonationItem:
    row = DonationItem(donation_id=donation_id)
    _apply_item(row, item)
    return row


def _apply_item(row: DonationItem, item: DonationItemInput) -> None:
    row.name, row.spec, row.quantity, row.unit = item.name, item.spec, item.quantity, item.unit
    row.unit_value_fen, row.valuation_basis = item.unit_value_fen, item.valuation_basis
    row.expiry, row.condition = item.expiry, item.condition


def _donation_view(s: Session, d: Donation) -> DonationView:
    money, per_item = _distributed(s, d.uuid)
    items = tuple(
        DonationItemView(i.uuid, i.name, i.spec, i.quantity, i.unit, i.unit_value_fen, i.quantity * i.unit_value_fen,
                         i.valuation_basis, i.expiry, i.condition, per_item.get(i.uuid, 0),
                         i.quantity - per_item.get(i.uuid, 0))
        for i in _items(s, d.uuid))
    if d.form == DonationForm.MONEY:
        distributed, remaining = money, d.amount_fen - money
    else:
        distributed = sum(i.distributed * i.unit_value_fen for i in items)
        remaining = sum(i.remaining * i.unit_value_fen for i in items)
    return DonationView(
        uuid=d.uuid, ledger_no=d.ledger_no, received_on=d.received_on, donor_type=d.donor_type,
        donor_name=d.donor_name, has_donor_id=bool(d.donor_id_no), donor_contact_masked=mask_phone(d.donor_contact),
        publish_consent=d.publish_consent, form=d.form, amount_fen=d.amount_fen, goods_value_fen=d.goods_value_fen,
        restricted=d.restricted, purpose=d.purpose, recipient_org_id=d.recipient_org_id,
        recipient_name=d.recipient_name, receipt_kind=d.receipt_kind, receipt_no=d.receipt_no,
        receipt_date=d.receipt_date, receipt_handler=d.receipt_handler, activity_id=d.activity_id,
        project_id=d.project_id, items=items, distributed_fen=distributed, remaining_fen=remaining,
        row_version=d.row_version,
    )


def record_donation(db: Database, actor: Actor, data: DonationInput, *, today: date | None = None) -> DonationView:
    """Record a donation in the ledger (捐赠登记), numbered ``{station}-J{yyyy}-{seq:04d}``.

    Goods are valued as the sum of quantity × unit value of their lines.

    Raises:
        ValidationErrors: see :func:`clean_donation`.
        NotFoundError: the activity, project or recipient organisation.
    """
    cleaned = clean_donation(data, today=today)
    if any(item.item_id is not None for item in cleaned.items):
        raise ValueError("a new donation has no stored goods lines")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        recipient = _check_links(s, cleaned)
        station = own_station(s).code
        year = cleaned.received_on.year
        donation = Donation(ledger_no=format_number("donation", station, year, issue_number(s, "donation", year)))
        _apply_donation(donation, cleaned, recipient)
        s.add(donation)
        s.flush()
        s.add_all(_new_item(donation.uuid, item) for item in cleaned.items)
        s.flush()
        return _donation_view(s, donation)


def update_donation(db: Database, actor: Actor, donation_id: UUID, data: DonationInput, *,
                    today: date | None = None) -> DonationView:
    """Edit a donation. Goods lines with an ``item_id`` are updated, lines without one
    are added, stored lines not given are removed (soft delete).

    Raises:
        ValidationErrors: see :func:`clean_donation`.
        StateError: ``donation.has_distributions`` (the form changed, or a line that was
            handed out is removed), ``donation.below_distributed`` (param
            ``distributed``: money or a line's quantity below what was handed out).
        NotFoundError: ``donation_item.not_found`` and the linked records.
    """
    cleaned = clean_donation(data, today=today)
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        donation = get_donation_row(s, donation_id)
        recipient = _check_links(s, cleaned)
        money, per_item = _distributed(s, donation_id)
        if cleaned.form != donation.form and (money or per_item):
            raise StateError("donation.has_distributions", field="form")
        if cleaned.form == DonationForm.MONEY and cleaned.amount_fen < money:
            raise StateError("donation.below_distributed", field="amount_fen", distributed=money)
        stored = {item.uuid: item for item in _items(s, donation_id)}
        kept: set[UUID] = set()
        for index, item in enumerate(cleaned.items):
            if item.item_id is None:
                s.add(_new_item(donation_id, item))
                continue
            row = stored.get(item.item_id)
            if row is None:
                raise NotFoundError("donation_item.not_found", field="items", line=index)
            if item.quantity < per_item.get(row.uuid, 0):
                raise StateError("donation.below_distributed", field="quantity", line=index,
                                 distributed=per_item[row.uuid])
            _apply_item(row, item)
            kept.add(row.uuid)
        now = utcnow()
        for item_id, row in stored.items():
            if item_id not in kept:
                if per_item.get(item_id, 0):
                    raise StateError("donation.has_distributions", field="items", item=row.name)
                row.deleted_at = now
        _apply_donation(donation, cleaned, recipient)
        s.flush()
        return _donation_view(s, donation)


def delete_donation(db: Database, actor: Actor, donation_id: UUID) -> None:
    """Soft-delete a donation and its goods lines.

    Raises:
        StateError: ``donation.has_distributions``: cancel the distributions first.
    """
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        donation = get_donation_row(s, donation_id)
        money, per_item = _distributed(s, donation_id)
        if money or per_item:
            raise StateError("donation.has_distributions")
        now = utcnow()
        for item in _items(s, donation_id):
            item.deleted_at = now
        donation.deleted_at = now


def get_donation(db: Database, actor: Actor, donation_id: UUID) -> DonationView:
    """One ledger entry with its goods lines and what is left."""
    with reading(db, actor, Permission.READ) as s:
        return _donation_view(s, get_donation_row(s, donation_id))


def list_donations(db: Database, actor: Actor, *, activity_id: UUID | None = None,
                   in_stock: bool = False) -> list[DonationView]:
    """This station's ledger entries, newest first.

    Args:
        db: The station database.
        actor: Who reads.
        activity_id: Only the donations linked to this activity.
        in_stock: Only money and goods donations with something left to hand out (the
            choices of a distribution form).
    """
    with reading(db, actor, Permission.READ) as s:
        stmt = select(Donation).where(Donation.origin == own_station(s).code, Donation.deleted_at.is_(None))
        if activity_id is not None:
            stmt = stmt.where(Donation.activity_id == activity_id)
        if in_stock:
            stmt = stmt.where(Donation.form.in_([DonationForm.MONEY, DonationForm.GOODS]))
        views = [_donation_view(s, d) for d in s.scalars(stmt.order_by(Donation.received_on.desc(),
                                                                        Donation.ledger_no.desc()))]
        if in_stock:
            views = [v for v in views if (v.remaining_fen > 0 if v.form == DonationForm.MONEY
                                          else any(i.remaining > 0 for i in v.items))]
        return views


# ---------------------------------------------------------------------------
# Distribution and stock
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionInput:
    """分配/使用: goods (``item_id`` and ``quantity``) or money (``amount_fen``) given to
    a person, used in an activity, or handed over during a service record."""

    donation_id: UUID
    distributed_on: date
    handler: str
    item_id: UUID | None = None
    quantity: int = 0
    amount_fen: int = 0  # money only; the value of goods is computed
    person_id: UUID | None = None
    activity_id: UUID | None = None
    service_record_id: UUID | None = None
    signed: bool = False  # 签收
    notes: str = ""


@dataclass(frozen=True)
class DistributionView:
    """A distribution line; ``amount_fen`` is money given or the value of the goods."""

    uuid: UUID
    donation_id: UUID
    item_id: UUID | None
    distributed_on: date
    quantity: int
    amount_fen: int
    person_id: UUID | None
    activity_id: UUID | None
    service_record_id: UUID | None
    handler: str
    signed: bool


def distribute(db: Database, actor: Actor, data: DistributionInput, *, today: date | None = None) -> DistributionView:
    """Hand out goods or money from a donation, never more than is left.

    Raises:
        ValidationError: ``distribution.target_required`` (no person, activity or
            service record), ``distribution.item_required``, ``distribution.item_mismatch``,
            ``distribution.quantity_not_positive``, ``distribution.amount_not_positive``,
            ``distribution.amount_only_for_money``, ``distribution.not_distributable``
            (service and other donations), ``distribution.exceeds_stock`` (param
            ``available``), ``distribution.expired``, ``date.future``, ``date.order``,
            name errors on ``handler``.
        NotFoundError: the donation, item, person, activity or service record.
    """
    today = today or date.today()
    handler = clean_person_name(data.handler, "handler")
    notes = data.notes.strip()
    check_not_future(data.distributed_on, today=today, field="distributed_on")
    if data.person_id is None and data.activity_id is None and data.service_record_id is None:
        raise ValidationError("distribution.target_required", field="person_id")
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        donation = get_donation_row(s, data.donation_id)
        check_date_order(donation.received_on, data.distributed_on, field="distributed_on",
                         earlier_field="received_on")
        if data.person_id is not None:
            live_row(s, Person, data.person_id, "person.not_found", "person_id")
        if data.activity_id is not None:
            get_activity_row(s, data.activity_id)
        if data.service_record_id is not None:
            live_row(s, ServiceRecord, data.service_record_id, "service_record.not_found", "service_record_id")
        money, per_item = _distributed(s, donation.uuid)
        row = Distribution(donation_id=donation.uuid, distributed_on=data.distributed_on, person_id=data.person_id,
                           activity_id=data.activity_id, service_record_id=data.service_record_id,
                           handler=handler, signed=data.signed, notes=notes)
        if donation.form == DonationForm.GOODS:
            if data.item_id is None:
                raise ValidationError("distribution.item_required", field="item_id")
            item = live_row(s, DonationItem, data.item_id, "donation_item.not_found", "item_id")
            if item.donation_id != donation.uuid:
                raise ValidationError("distribution.item_mismatch", field="item_id")
            if data.amount_fen:
                raise ValidationError("distribution.amount_only_for_money", field="amount_fen")
            if data.quantity <= 0:
                raise ValidationError("distribution.quantity_not_positive", field="quantity")
            available = item.quantity - per_item.get(item.uuid, 0)
            if data.quantity > available:
                raise ValidationError("distribution.exceeds_stock", field="quantity", available=available)
            if item.expiry is not None and item.expiry < data.distributed_on:
                raise ValidationError("distribution.expired", field="item_id", expiry=item.expiry.isoformat())
            row.item_id, row.quantity, row.amount_fen = item.uuid, data.quantity, data.quantity * item.unit_value_fen
        elif donation.form == DonationForm.MONEY:
            if data.item_id is not None or data.quantity:
                raise ValidationError("distribution.item_mismatch", field="item_id")
            if data.amount_fen <= 0:
                raise ValidationError("distribution.amount_not_positive", field="amount_fen")
            available = donation.amount_fen - money
            if data.amount_fen > available:
                raise ValidationError("distribution.exceeds_stock", field="amount_fen", available=available)
            row.amount_fen = data.amount_fen
        else:
            raise ValidationError("distribution.not_distributable", field="donation_id", form=donation.form.value)
        s.add(row)
        s.flush()
        return DistributionView(row.uuid, row.donation_id, row.item_id, row.distributed_on, row.quantity,
                                row.amount_fen, row.person_id, row.activity_id, row.service_record_id,
                                row.handler, row.signed)


def cancel_distribution(db: Database, actor: Actor, distribution_id: UUID) -> None:
    """Undo a distribution entered by mistake (soft delete); the stock comes back."""
    with transaction(db, actor, Permission.EDIT_RECORDS) as s:
        live_row(s, Distribution, distribution_id, "distribution.not_found", "distribution_id").deleted_at = utcnow()


def stock(db: Database, actor: Actor, donation_id: UUID) -> DonationView:
    """What is left of a donation: money in fen, goods per line (``items[*].remaining``)."""
    return get_donation(db, actor, donation_id)


# ---------------------------------------------------------------------------
# Monthly ledger
# ---------------------------------------------------------------------------


class LedgerDirection(StrEnum):
    """入 received / 出 handed out."""

    IN = "in"
    OUT = "out"


@dataclass(frozen=True)
class LedgerLine:
    """One line of the monthly ledger (台账).

    Received donations give one line each (money, service) or one per goods line; each
    distribution gives one line. ``amount_fen`` is money or the goods' value. Donor names
    are internal: public outputs show them only with ``publish_consent`` (慈善法 Art. 82).
    ``counterpart`` is the legal recipient on *in* lines and the person or activity on
    *out* lines.
    """

    on: date
    direction: LedgerDirection
    ledger_no: str
    donation_id: UUID
    distribution_id: UUID | None
    donor_type: DonorType
    donor_name: str
    publish_consent: bool
    form: DonationForm
    item: str
    spec: str
    unit: str
    quantity: int
    amount_fen: int
    restricted: bool
    purpose: str
    counterpart: str
    receipt_kind: ReceiptKind
    receipt_no: str
    handler: str


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    after = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return first, after


def ledger(db: Database, actor: Actor, month: date) -> list[LedgerLine]:
    """The ledger of a month (any day of it): donations received and distributions made,
    by date, received before handed out on the same day."""
    first, after = _month_bounds(month)
    with reading(db, actor, Permission.READ) as s:
        origin = own_station(s).code
        lines: list[LedgerLine] = []
        received = s.scalars(select(Donation).where(
            Donation.origin == origin, Donation.deleted_at.is_(None),
            Donation.received_on >= first, Donation.received_on < after)
            .order_by(Donation.received_on, Donation.ledger_no))
        for d in received:
            base: dict[str, Any] = {
                "on": d.received_on, "direction": LedgerDirection.IN, "ledger_no": d.ledger_no,
                "donation_id": d.uuid, "distribution_id": None, "donor_type": d.donor_type,
                "donor_name": d.donor_name, "publish_consent": d.publish_consent, "form": d.form,
                "restricted": d.restricted, "purpose": d.purpose, "counterpart": d.recipient_name,
                "receipt_kind": d.receipt_kind, "receipt_no": d.receipt_no, "handler": d.receipt_handler,
            }
            items = _items(s, d.uuid)
            if d.form == DonationForm.GOODS and items:
                lines.extend(LedgerLine(**base, item=i.name, spec=i.spec, unit=i.unit, quantity=i.quantity,
                                        amount_fen=i.quantity * i.unit_value_fen) for i in items)
            else:
                lines.append(LedgerLine(**base, item="", spec="", unit="", quantity=0, amount_fen=d.amount_fen))
        given = s.execute(
            select(Distribution, Donation).join(Donation, Donation.uuid == Distribution.donation_id).where(
                Donation.origin == origin, Distribution.deleted_at.is_(None), Donation.deleted_at.is_(None),
                Distribution.distributed_on >= first, Distribution.distributed_on < after)
            .order_by(Distribution.distributed_on, Distribution.created_at)).all()
        names = _counterparts(s, [dist for dist, _ in given])
        for dist, d in given:
            item = s.get(DonationItem, dist.item_id) if dist.item_id is not None else None
            lines.append(LedgerLine(
                on=dist.distributed_on, direction=LedgerDirection.OUT, ledger_no=d.ledger_no, donation_id=d.uuid,
                distribution_id=dist.uuid, donor_type=d.donor_type, donor_name=d.donor_name,
                publish_consent=d.publish_consent, form=d.form, item=item.name if item else "",
                spec=item.spec if item else "", unit=item.unit if item else "", quantity=dist.quantity,
                amount_fen=dist.amount_fen, restricted=d.restricted, purpose=d.purpose,
                counterpart=names.get(dist.uuid, ""), receipt_kind=d.receipt_kind, receipt_no=d.receipt_no,
                handler=dist.handler))
        lines.sort(key=lambda line: (line.on, line.direction != LedgerDirection.IN))
        return lines


def _counterparts(s: Session, rows: Sequence[Distribution]) -> dict[UUID, str]:
    """Who received each distribution: the person, else the activity, else the client of
    the service record."""
    out: dict[UUID, str] = {}
    for dist in rows:
        person_id = dist.person_id
        if person_id is None and dist.activity_id is None and dist.service_record_id is not None:
            person_id = s.scalar(select(Case.person_id).join(ServiceRecord, ServiceRecord.case_id == Case.uuid)
                                 .where(ServiceRecord.uuid == dist.service_record_id))
        if person_id is not None:
            out[dist.uuid] = s.scalar(select(Person.name).where(Person.uuid == person_id)) or ""
        elif dist.activity_id is not None:
            out[dist.uuid] = s.scalar(select(Activity.title).where(Activity.uuid == dist.activity_id)) or ""
    return out


@dataclass(frozen=True)
class LedgerTotals:
    """A month's balance (结存), money and goods value apart, in fen.

    ``*_opening`` is what was left before the month (everything received before it less
    everything handed out before it), ``*_in``/``*_out`` the month's movements and
    ``*_closing`` what is left at its end. Service and other donations are not stock and
    are left out.
    """

    month: date
    money_opening: int
    money_in: int
    money_out: int
    money_closing: int
    goods_opening: int
    goods_in: int
    goods_out: int
    goods_closing: int


def ledger_totals(db: Database, actor: Actor, month: date) -> LedgerTotals:
    """The balance of a month (any day of it): opening, received, handed out, closing."""
    first, after = _month_bounds(month)
    with reading(db, actor, Permission.READ) as s:
        origin = own_station(s).code

        def received(form: DonationForm, column: Any, since: date | None) -> int:
            stmt = select(func.coalesce(func.sum(column), 0)).where(
                Donation.origin == origin, Donation.deleted_at.is_(None), Donation.form == form,
                Donation.received_on < (after if since is not None else first))
            if since is not None:
                stmt = stmt.where(Donation.received_on >= since)
            return int(s.scalar(stmt) or 0)

        def given(form: DonationForm, since: date | None) -> int:
            stmt = (select(func.coalesce(func.sum(Distribution.amount_fen), 0))
                    .join(Donation, Donation.uuid == Distribution.donation_id).where(
                Donation.origin == origin, Donation.deleted_at.is_(None), Distribution.deleted_at.is_(None),
                Donation.form == form, Distribution.distributed_on < (after if since is not None else first)))
            if since is not None:
                stmt = stmt.where(Distribution.distributed_on >= since)
            return int(s.scalar(stmt) or 0)

        money = (received(DonationForm.MONEY, Donation.amount_fen, None) - given(DonationForm.MONEY, None),
                 received(DonationForm.MONEY, Donation.amount_fen, first), given(DonationForm.MONEY, first))
        goods = (received(DonationForm.GOODS, Donation.goods_value_fen, None) - given(DonationForm.GOODS, None),
                 received(DonationForm.GOODS, Donation.goods_value_fen, first), given(DonationForm.GOODS, first))
        return LedgerTotals(first, money[0], money[1], money[2], money[0] + money[1] - money[2],
                            goods[0], goods[1], goods[2], goods[0] + goods[1] - goods[2])
