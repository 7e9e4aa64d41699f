"""Login accounts of this database (local: password hashes never travel in bundles)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wushe_desktop.domain.enums import Role
from wushe_desktop.storage.models.base import Base, ref
from wushe_desktop.storage.types import EnumValue, UTCDateTime, utcnow


class UserAccount(Base):
    """A person who logs in to the GUI on this PC (站长, 社工, 民政助理; 管理员, 督导 at a centre).

    Local only: no ``origin``/``row_version``, so the tracking hook neither stamps nor
    audits it; the accounts service writes its own audit rows (never a hash or password).
    """

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60))  # normalised: NFKC, stripped, lower case
    display_name: Mapped[str] = mapped_column(String(60))  # written into audit rows
    role: Mapped[Role] = mapped_column(EnumValue(Role))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey(ref("staff")), default=None)
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id, PHC string
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
