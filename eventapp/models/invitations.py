"""Invitations (to an agency with seats, or to a person) and the delegates who attend."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..passes import new_pass_code
from .base import UTCDateTime, choice_check, new_short_code, new_token, utcnow
from .conference import Conference
from .directory import Agency
from .enums import DelegateKind, DelegateStatus, InvitationKind, InvitationStatus
from .org import User


class Invitation(db.Model):
    """One line of the "thành phần mời": an agency asked to send people, or a named person."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    #: For a person: their name and position; for an agency: optional addressee.
    invitee_name: Mapped[str] = mapped_column(sa.String(120), default="")
    invitee_position: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Whom the agency should send ("Đại diện lãnh đạo", "Lãnh đạo và chuyên viên phụ trách").
    role_text: Mapped[str] = mapped_column(sa.String(200), default="")
    seats: Mapped[int] = mapped_column(sa.Integer, default=1)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    #: Secret of the personal RSVP link; distinct from every pass code.
    rsvp_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    #: The short code of the printed letter's typed link (``/m/<code>``), leading to the RSVP link.
    short_code: Mapped[str | None] = mapped_column(sa.String(12), default=new_short_code)
    status: Mapped[str] = mapped_column(sa.String(12), default=InvitationStatus.PENDING.value)
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: How the last answer came: "link" (the personal link) or "phone" (recorded by an organizer); "" before.
    answer_via: Mapped[str] = mapped_column(sa.String(8), default="")
    #: The organizer who recorded an answer given by phone.
    answer_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    first_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: Unaccented invitee and agency names, for accent-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(700), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[Conference] = relationship()
    agency: Mapped[Agency | None] = relationship()
    answer_recorded_by: Mapped[User | None] = relationship()
    delegates: Mapped[list[Delegate]] = relationship(back_populates="invitation", order_by="Delegate.id")

    __table_args__ = (
        choice_check("kind", list(InvitationKind)),
        choice_check("status", list(InvitationStatus)),
        sa.CheckConstraint("answer_via IN ('', 'link', 'phone')", name="answer_via_valid"),
        sa.CheckConstraint("seats >= 1 AND seats <= 500", name="seats_range"),
        sa.CheckConstraint("kind <> 'agency' OR agency_id IS NOT NULL", name="agency_has_agency"),
        sa.CheckConstraint("kind <> 'person' OR invitee_name <> ''", name="person_has_name"),
        sa.Index("uq_invitation_short_code", "short_code", unique=True),
        # An agency is invited once per conference; named persons may share an agency.
        sa.Index(
            "uq_invitation_agency_once",
            "conference_id",
            "agency_id",
            unique=True,
            sqlite_where=sa.text("kind = 'agency'"),
            postgresql_where=sa.text("kind = 'agency'"),
        ),
    )

    @property
    def addressee(self) -> str:
        """The "Kính gửi" line of the letter."""
        if self.kind == InvitationKind.AGENCY:
            return self.agency.name if self.agency else ""
        parts = [self.invitee_name, self.invitee_position]
        if self.agency:
            parts.append(self.agency.name)
        return ", ".join(p for p in parts if p)

    def __str__(self) -> str:
        return self.addressee


class Delegate(db.Model):
    """A person expected at the door: the invitee, someone an agency named, a substitute or a walk-in."""

    __tablename__ = "delegate"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed by ix_delegate_conference_status (its first column).
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    #: None for walk-ins registered at the desk.
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    full_name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The agency as printed on the badge (kept even when the directory changes).
    agency_name: Mapped[str] = mapped_column(sa.String(300), default="")
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    #: For a substitute: the name of the invited person they replace.
    replaces_name: Mapped[str] = mapped_column(sa.String(120), default="")
    #: Secret printed in the pass's QR code (eventapp.passes); distinct from the RSVP token.
    pass_code: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_pass_code)
    status: Mapped[str] = mapped_column(sa.String(12), default=DelegateStatus.ATTENDING.value)
    #: Lower numbers are more senior (leaders first on the board and in lists).
    precedence: Mapped[int] = mapped_column(sa.Integer, default=100)
    #: Unaccented name, position and agency, for accent-insensitive search.
    search_text: Mapped[str] = mapped_column(sa.String(700), default="")
    #: Set when the person's data was erased on request; the row stays as a count.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[Conference] = relationship()
    invitation: Mapped[Invitation | None] = relationship(back_populates="delegates")
    agency: Mapped[Agency | None] = relationship()

    __table_args__ = (
        choice_check("kind", list(DelegateKind)),
        choice_check("status", list(DelegateStatus)),
        sa.CheckConstraint("kind = 'walk_in' OR invitation_id IS NOT NULL", name="invited_has_invitation"),
        sa.Index("ix_delegate_conference_status", "conference_id", "status"),
    )

    def __str__(self) -> str:
        return self.full_name
