"""The station itself, its settings, clock, numbering, communities and taxonomies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import CommunityKind, StationMode
from wushe_desktop.storage.models.base import Base, Synced
from wushe_desktop.storage.types import EnumValue


class Station(Base, Synced):
    """A station (社工站). A station database holds one row of its own; a centre holds
    its own row plus one per registered station."""

    __tablename__ = "station"
    __table_args__ = (UniqueConstraint("code"),)

    code: Mapped[str] = mapped_column(String(12))  # 统计用区划代码 of the township
    name: Mapped[str] = mapped_column(String(100))
    banner_code: Mapped[str] = mapped_column(String(12))
    banner_name: Mapped[str] = mapped_column(String(100))
    mode: Mapped[StationMode] = mapped_column(EnumValue(StationMode))
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)  # this database's own station/centre
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class Setting(Base):
    """Key/value settings of this database (local: never travels)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class VersionClock(Base):
    """The single station-wide counter behind every ``row_version`` (DESIGN.md §5)."""

    __tablename__ = "version_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)


class NumberSequence(Base):
    """Last issued human number per kind and year (case_no, volunteer_no...); never reused."""

    __tablename__ = "number_sequence"

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 where numbers are not per year
    last: Mapped[int] = mapped_column(Integer, default=0)


class StationKey(Base):
    """Public signing keys of this database (the private key lives in the data folder)."""

    __tablename__ = "station_key"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Community(Base, Synced):
    """A village (嘎查/村) or urban community (社区) the station serves."""

    __tablename__ = "community"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CommunityKind] = mapped_column(EnumValue(CommunityKind))
    division_code: Mapped[str | None] = mapped_column(String(12), default=None)


class TaxonomyItem(Base, Synced):
    """One item of an editable vocabulary (service areas, categories, activity types...).

    Synced, so the centre knows each station's labels; codes in records never change."""

    __tablename__ = "taxonomy_item"
    __table_args__ = (UniqueConstraint("origin", "kind", "code"),)

    kind: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FormDraft(Base):
    """An unsaved form kept for crash recovery (local; see docs/decisions.md §8)."""

    __tablename__ = "form_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    form: Mapped[str] = mapped_column(String(60))
    record_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    user: Mapped[str] = mapped_column(String(60))
    data: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[str] = mapped_column(String(40))
