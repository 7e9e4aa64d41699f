"""Volunteers, teams, service-hour lines with correction history, certificates."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import HoursStatus, IdDocumentType, Sex
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue, UTCDateTime


class VolunteerTeam(Base, Synced):
    """志愿服务队伍."""

    __tablename__ = "volunteer_team"

    name: Mapped[str] = mapped_column(String(100))
    leader_name: Mapped[str] = mapped_column(String(60), default="")
    leader_phone: Mapped[str] = mapped_column(String(40), default="")
    community_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("community")), default=None)


class Volunteer(Base, Synced):
    """志愿者 (domain.md §3.3)."""

    __tablename__ = "volunteer"
    __table_args__ = (UniqueConstraint("origin", "volunteer_no"),)

    volunteer_no: Mapped[str] = mapped_column(String(40))
    national_no: Mapped[str] = mapped_column(String(40), default="")  # 全国志愿服务信息系统 number
    name: Mapped[str] = mapped_column(String(60))
    name_initials: Mapped[str] = mapped_column(String(60), default="", index=True)
    sex: Mapped[Sex | None] = mapped_column(EnumValue(Sex), default=None)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    id_type: Mapped[IdDocumentType] = mapped_column(EnumValue(IdDocumentType), default=IdDocumentType.RESIDENT_ID)
    id_number: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    id_tail: Mapped[str] = mapped_column(String(4), default="", index=True)
    # Keyed hash of the full ID number from a de-identified bundle (see Person.id_hash).
    id_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    political_status: Mapped[str] = mapped_column(String(20), default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills_text: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(200), default="")
    registered_on: Mapped[date] = mapped_column(Date, index=True)
    insurance_policy: Mapped[str] = mapped_column(String(60), default="")
    insurance_until: Mapped[date | None] = mapped_column(Date, default=None)
    guardian_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("person")), default=None)


class VolunteerTeamMember(Base, Synced):
    """Membership of a volunteer in a team."""

    __tablename__ = "volunteer_team_member"
    __table_args__ = (UniqueConstraint("team_id", "volunteer_id"),)

    team_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("volunteer_team")))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("volunteer")), index=True)
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)


class VolunteerHours(Base, Synced):
    """志愿服务记录: one line per volunteer per activity/date."""

    __tablename__ = "volunteer_hours"
    __table_args__ = (Index("ix_volunteer_hours_volunteer_date", "volunteer_id", "service_date"),)

    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("volunteer")))
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("activity")), default=None, index=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    sign_in: Mapped[time | None] = mapped_column(Time, default=None)
    sign_out: Mapped[time | None] = mapped_column(Time, default=None)
    place: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer, default=0)  # actual service time, no travel
    credited_tenths: Mapped[int] = mapped_column(Integer, default=0)  # fixed when confirmed
    status: Mapped[HoursStatus] = mapped_column(EnumValue(HoursStatus), default=HoursStatus.PENDING, index=True)
    evaluation: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
    confirmed_by: Mapped[str] = mapped_column(String(60), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    corrections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # old value, new, reason, by, at


class VolunteerCertificate(Base, Synced):
    """志愿服务记录证明 register: numbered per station and year, kept as issued."""

    __tablename__ = "volunteer_certificate"
    __table_args__ = (UniqueConstraint("origin", "cert_no"),)

    cert_no: Mapped[str] = mapped_column(String(40))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("volunteer")), index=True)
    period_from: Mapped[date | None] = mapped_column(Date, default=None)
    period_to: Mapped[date | None] = mapped_column(Date, default=None)
    hours_tenths: Mapped[int] = mapped_column(Integer)
    content_summary: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date] = mapped_column(Date)
    issuing_body: Mapped[str] = mapped_column(String(200))
    handler: Mapped[str] = mapped_column(String(60))
    prints: Mapped[int] = mapped_column(Integer, default=0)  # 2nd and later prints are copies


class VolunteerTraining(Base, Synced):
    """Training, commendation or evaluation of a volunteer (志愿服务条例 Art. 19)."""

    __tablename__ = "volunteer_training"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("volunteer")), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # training / commendation / evaluation
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    hours_tenths: Mapped[int] = mapped_column(Integer, default=0)
    issuer: Mapped[str] = mapped_column(String(100), default="")
