"""People served (服务对象): the master record, category statuses, household, consent."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import IdDocumentType, LegalBasis, Sex
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue


class Person(Base, Synced):
    """服务对象: shared by cases, activities and donations (domain.md §2.3.1)."""

    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(60))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")  # full pinyin, for search
    name_initials: Mapped[str] = mapped_column(String(60), default="", index=True)  # 'wgh'
    mongolian_name: Mapped[str] = mapped_column(String(120), default="")
    sex: Mapped[Sex | None] = mapped_column(EnumValue(Sex), default=None)
    ethnicity: Mapped[str] = mapped_column(String(10), default="")  # taxonomy code (GB/T 3304)
    id_type: Mapped[IdDocumentType] = mapped_column(EnumValue(IdDocumentType), default=IdDocumentType.RESIDENT_ID)
    id_number: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    id_tail: Mapped[str] = mapped_column(String(4), default="", index=True)
    # Keyed hash of the full ID number (sync.deidentify.id_hash) from a de-identified
    # bundle, so the centre can match one person served by two stations; empty at a
    # station and in rows from supervision bundles (migration 0005).
    id_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    phone2: Mapped[str] = mapped_column(String(40), default="")
    hukou_address: Mapped[str] = mapped_column(String(200), default="")
    community_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("community")), default=None)
    address: Mapped[str] = mapped_column(String(200), default="")  # current residence detail
    marital_status: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    employment: Mapped[str] = mapped_column(String(20), default="")
    disability_category: Mapped[int | None] = mapped_column(Integer, default=None)  # 1–7
    disability_grade: Mapped[int | None] = mapped_column(Integer, default=None)  # 1–4
    disability_cert_no: Mapped[str] = mapped_column(String(20), default="")
    health: Mapped[str] = mapped_column(Text, default="")
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("person")), default=None)
    guardian_relation: Mapped[str] = mapped_column(String(20), default="")
    emergency_name: Mapped[str] = mapped_column(String(60), default="")
    emergency_phone: Mapped[str] = mapped_column(String(40), default="")
    emergency_relation: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class PersonStatus(Base, Synced):
    """A category a person holds for a time (低保, 高龄, 困境儿童...)."""

    __tablename__ = "person_status"

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")), index=True)
    category: Mapped[str] = mapped_column(String(40))  # taxonomy person_category code
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(100), default="")
    verified_by: Mapped[str] = mapped_column(String(60), default="")


class HouseholdMember(Base, Synced):
    """家庭成员 of a person."""

    __tablename__ = "household_member"

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")), index=True)
    name: Mapped[str] = mapped_column(String(60))
    relation: Mapped[str] = mapped_column(String(20))
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)
    occupation: Mapped[str] = mapped_column(String(60), default="")
    health: Mapped[str] = mapped_column(String(200), default="")
    co_resident: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str] = mapped_column(String(40), default="")


class Consent(Base, Synced):
    """知情同意: purpose, legal basis and who signed (PIPL Art. 13, 14, 29, 31)."""

    __tablename__ = "consent"

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("case_file")), default=None)
    purpose: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[LegalBasis] = mapped_column(EnumValue(LegalBasis), default=LegalBasis.CONSENT)
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)  # data items covered
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)  # separate SPI consent
    signer_name: Mapped[str] = mapped_column(String(60))
    signer_relation: Mapped[str] = mapped_column(String(20), default="本人")  # 本人 or guardian relation
    signed_on: Mapped[date] = mapped_column(Date)
    notice_version: Mapped[str] = mapped_column(String(20), default="1")
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)
