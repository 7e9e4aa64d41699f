"""Declarative base, naming convention and the columns every synced record carries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from wushe_desktop.storage.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Columns of a record that travels in bundles (DESIGN.md §5).

    ``origin`` is the owning station's code; ``row_version`` comes from the station-wide
    clock (storage.tracking) and rises on every insert, update and soft delete.
    """

    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    origin: Mapped[str] = mapped_column(String(12))
    row_version: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @declared_attr.directive
    def __synced__(cls) -> bool:
        return True


def ref(table: str) -> str:
    """Foreign-key target of a synced table's primary key."""
    return f"{table}.uuid"
