"""The host agency, its departments and the people who sign in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .enums import Role


class HostAgency(db.Model):
    """The one agency this installation serves; its letterhead prints on every document."""

    __tablename__ = "host_agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The agency above it, printed over its name on letters ("UBND TỈNH QUẢNG NGÃI").
    parent_name: Mapped[str] = mapped_column(sa.String(200), default="")
    abbreviation: Mapped[str] = mapped_column(sa.String(30))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    website: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The place written before the date on documents ("Quảng Ngãi, ngày ...").
    place_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: Signature block: authority ("KT. GIÁM ĐỐC"), title ("PHÓ GIÁM ĐỐC") and name.
    signer_authority: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_title: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: Personal data of conferences that ended more than this many months ago is removed.
    retention_months: Mapped[int | None] = mapped_column(sa.Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.CheckConstraint("retention_months IS NULL OR retention_months > 0", name="retention"),)


class Department(db.Model):
    """A phòng or đơn vị of the host agency: leads or coordinates tasks."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    abbreviation: Mapped[str] = mapped_column(sa.String(30), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    position: Mapped[int] = mapped_column(sa.Integer, default=0)

    users: Mapped[list[User]] = relationship(back_populates="department")

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    """Someone of the host agency who signs in: admin, organizer, reception or department staff."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(20))
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id", ondelete="SET NULL"))
    #: False for accounts that may no longer sign in; rows stay for the audit log.
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Part of every session and remember cookie of the account (``get_id``); raised by signing out, a password
    #: change or reset and locking, which ends every session and remember cookie issued before.
    session_generation: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")

    department: Mapped[Department | None] = relationship(back_populates="users")

    __table_args__ = (choice_check("role", list(Role)),)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session and the remember cookie hold: the id and the session generation."""
        return f"{self.id}:{self.session_generation}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(r) for r in roles}

    def __str__(self) -> str:
        return self.full_name
