"""Charity resources (慈善资源): donations, goods lines and distribution."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue


class Donation(Base, Synced):
    """捐赠登记 (domain.md §5.3). Money in fen; goods valued in fen."""

    __tablename__ = "donation"
    __table_args__ = (UniqueConstraint("origin", "ledger_no"),)

    ledger_no: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    donor_type: Mapped[DonorType] = mapped_column(EnumValue(DonorType))
    donor_name: Mapped[str] = mapped_column(String(200), default="")
    donor_id_no: Mapped[str] = mapped_column(String(40), default="")  # ID number or USCC
    # Keyed hash of donor_id_no from a de-identified bundle (empty at a station, 0005).
    donor_id_no_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    donor_contact: Mapped[str] = mapped_column(String(100), default="")
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)  # 慈善法 Art. 82
    form: Mapped[DonationForm] = mapped_column(EnumValue(DonationForm))
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # money
    goods_value_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # sum of the goods lines
    payment_method: Mapped[str] = mapped_column(String(40), default="")
    receiving_account: Mapped[str] = mapped_column(String(100), default="")
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # 定向
    purpose: Mapped[str] = mapped_column(Text, default="")
    recipient_org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("social_organisation")), default=None)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")  # the legal entity that received it
    receipt_kind: Mapped[ReceiptKind] = mapped_column(EnumValue(ReceiptKind), default=ReceiptKind.PENDING)
    receipt_no: Mapped[str] = mapped_column(String(60), default="")
    receipt_date: Mapped[date | None] = mapped_column(Date, default=None)
    receipt_handler: Mapped[str] = mapped_column(String(60), default="")
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("activity")), default=None, index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("service_project")), default=None)
    leftover_handling: Mapped[str] = mapped_column(Text, default="")
    publication: Mapped[str] = mapped_column(Text, default="")


class DonationItem(Base, Synced):
    """物资明细: one line of donated goods."""

    __tablename__ = "donation_item"

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("donation")), index=True)
    name: Mapped[str] = mapped_column(String(100))
    spec: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10), default="件")
    unit_value_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    valuation_basis: Mapped[str] = mapped_column(String(100), default="")
    expiry: Mapped[date | None] = mapped_column(Date, default=None)
    condition: Mapped[str] = mapped_column(String(40), default="")


class Distribution(Base, Synced):
    """分配/使用: goods or money given to a person or used in an activity."""

    __tablename__ = "distribution"

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("donation")), index=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("donation_item")), default=None)
    distributed_on: Mapped[date] = mapped_column(Date)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("person")), default=None)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("activity")), default=None)
    service_record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("service_record")), default=None)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    handler: Mapped[str] = mapped_column(String(60), default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
