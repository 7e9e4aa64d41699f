"""Staff, their certificates and training; supervision records; social organisations."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import LinkageParty, Role, SupervisionForm
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue


class Staff(Base, Synced):
    """A member of staff (站长, 社工, 民政助理...)."""

    __tablename__ = "staff"

    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[Role] = mapped_column(EnumValue(Role))
    phone: Mapped[str] = mapped_column(String(40), default="")
    employer: Mapped[str] = mapped_column(String(100), default="")  # e.g. the operating NGO
    sw_cert_level: Mapped[str] = mapped_column(String(30), default="")  # 助理社会工作师 / 社会工作师 / 高级
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)


class StaffCertificate(Base, Synced):
    """A professional certificate held by a member of staff."""

    __tablename__ = "staff_certificate"

    staff_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("staff")))
    kind: Mapped[str] = mapped_column(String(60))  # 社会工作者职业资格证书...
    level: Mapped[str] = mapped_column(String(30), default="")
    number: Mapped[str] = mapped_column(String(60), default="")
    issued_on: Mapped[date | None] = mapped_column(Date, default=None)


class StaffTraining(Base, Synced):
    """Training attended by a member of staff (继续教育 hours)."""

    __tablename__ = "staff_training"

    staff_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("staff")))
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)
    provider: Mapped[str] = mapped_column(String(100), default="")


class SocialOrganisation(Base, Synced):
    """A partner: social organisation, charity, company, village committee..."""

    __tablename__ = "social_organisation"

    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), default="")  # 统一社会信用代码
    kind: Mapped[str] = mapped_column(String(40), default="")  # 社会组织/慈善组织/企业/村委会...
    linkage_party: Mapped[LinkageParty | None] = mapped_column(EnumValue(LinkageParty), default=None)
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    public_fundraising: Mapped[bool] = mapped_column(Boolean, default=False)  # 公募资格


class SupervisionRecord(Base, Synced):
    """督导记录."""

    __tablename__ = "supervision_record"

    held_on: Mapped[date] = mapped_column(Date)
    supervisor_name: Mapped[str] = mapped_column(String(60))
    supervisor_internal: Mapped[bool] = mapped_column(Boolean, default=True)
    supervisees: Mapped[list[str]] = mapped_column(JSON, default=list)  # staff uuids
    form: Mapped[SupervisionForm] = mapped_column(EnumValue(SupervisionForm))
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)
    case_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    follow_ups: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
