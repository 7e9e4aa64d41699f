"""Activities, their organisers and rosters; groups (小组); service projects."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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

from wushe_desktop.domain.enums import AttendeeRole, GroupStage, LinkageParty, OrganiserRole
from wushe_desktop.storage.models.base import Base, Synced, ref
from wushe_desktop.storage.types import EnumValue, UTCDateTime


class ServiceProject(Base, Synced):
    """服务项目 / 试点项目: activities and cases may belong to one."""

    __tablename__ = "service_project"

    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(Text, default="")
    funder: Mapped[str] = mapped_column(String(200), default="")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # indicator, target, unit
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="active")


class Group(Base, Synced):
    """小组 (group work): its plan and members; each session is an activity."""

    __tablename__ = "work_group"

    name: Mapped[str] = mapped_column(String(200))
    group_type: Mapped[str] = mapped_column(String(20), default="")  # 教育/成长/支持/治疗/兴趣/任务
    theory: Mapped[str] = mapped_column(String(200), default="")
    aims: Mapped[str] = mapped_column(Text, default="")
    target_members: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int] = mapped_column(Integer, default=0)
    session_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    stage: Mapped[GroupStage] = mapped_column(EnumValue(GroupStage), default=GroupStage.PREPARATION)
    worker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("service_project")), default=None)
    evaluation: Mapped[str] = mapped_column(Text, default="")


class GroupMember(Base, Synced):
    """组员."""

    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    group_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("work_group")), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("person")))
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)


class Activity(Base, Synced):
    """活动记录 (domain.md §4)."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("origin", "activity_no"),)

    activity_no: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    activity_type: Mapped[str] = mapped_column(String(40))  # taxonomy activity_type code
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date] = mapped_column(Date, index=True)  # the date that puts it in a period
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    community_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("community")), default=None)
    place: Mapped[str] = mapped_column(String(200), default="")
    lead_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    group_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("work_group")), default=None)
    session_no: Mapped[int | None] = mapped_column(Integer, default=None)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("service_project")), default=None)
    objectives: Mapped[str] = mapped_column(Text, default="")
    programme: Mapped[str] = mapped_column(Text, default="")
    social_workers: Mapped[int] = mapped_column(Integer, default=0)  # 参与人次 by role
    volunteers: Mapped[int] = mapped_column(Integer, default=0)
    caring_people: Mapped[int] = mapped_column(Integer, default=0)
    clients: Mapped[int] = mapped_column(Integer, default=0)
    others: Mapped[int] = mapped_column(Integer, default=0)
    beneficiaries: Mapped[int] = mapped_column(Integer, default=0)  # 受益人次
    spending: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    satisfaction: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    reflection: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(60), default="")


class ActivityOrganiser(Base, Synced):
    """主办/承办/协办 of an activity, tagged with its 五社 party."""

    __tablename__ = "activity_organiser"

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("activity")), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("social_organisation")), default=None)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[OrganiserRole] = mapped_column(EnumValue(OrganiserRole))
    linkage_party: Mapped[LinkageParty] = mapped_column(EnumValue(LinkageParty))


class ActivityAttendee(Base, Synced):
    """A line of the sign-in roster: a known person or volunteer, or a name only."""

    __tablename__ = "activity_attendee"

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey(ref("activity")), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("person")), default=None, index=True)
    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("volunteer")), default=None)
    name: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[AttendeeRole] = mapped_column(EnumValue(AttendeeRole))
    signed: Mapped[bool] = mapped_column(Boolean, default=True)
