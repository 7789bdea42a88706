"""The agency directory and the venues, reused across conferences."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class AgencyGroup(db.Model):
    """A group of invited agencies ("Sở, ban, ngành", "UBND cấp xã"...), edited by the host."""

    __tablename__ = "agency_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Letters to people of this group's agencies say "Đồng chí" rather than "Ông/Bà" (the host's choice).
    address_as_comrade: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())

    agencies: Mapped[list[Agency]] = relationship(back_populates="group")

    def __str__(self) -> str:
        return self.name


class Agency(db.Model):
    """An agency or unit that receives invitations (cơ quan, đơn vị)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("agency_group.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(100), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: Normalised digits (eventapp.text.normalize_phone).
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_position: Mapped[str] = mapped_column(sa.String(120), default="")
    #: Unaccented lowercase name, for searches that ignore accents.
    search_text: Mapped[str] = mapped_column(sa.String(500), default="", index=True)

    group: Mapped[AgencyGroup] = relationship(back_populates="agencies")

    def __str__(self) -> str:
        return self.name


class Venue(db.Model):
    """A hall where conferences are held (hội trường)."""

    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    room: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    equipment: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.UniqueConstraint("name", "room"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.room}, {self.name}" if self.room else self.name

    def __str__(self) -> str:
        return self.full_name
