"""A conference and what its kế hoạch (plan) says about it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .directory import Venue
from .enums import ConferenceKind, ConferenceStatus
from .org import Department, User


class Conference(db.Model):
    """One conference of the host agency, from its plan to its report."""

    __tablename__ = "conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(500))
    #: Number and symbol of the plan, e.g. "254/KH-SKHCN".
    number_symbol: Mapped[str] = mapped_column(sa.String(60), default="")
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    content: Mapped[str] = mapped_column(sa.Text, default="")
    #: Who chairs the conference ("Đồng chí Giám đốc Sở").
    chair: Mapped[str] = mapped_column(sa.String(200), default="")
    #: What participants must prepare (Decision 45/2018 asks the invitation to say it).
    preparation: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venue.id", ondelete="SET NULL"))
    expected_attendance: Mapped[int | None] = mapped_column(sa.Integer)
    rsvp_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lead_department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id", ondelete="SET NULL"))
    #: Approved budget in whole đồng.
    approved_budget: Mapped[int | None] = mapped_column(sa.BigInteger)
    funding_source: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Contact point printed on invitations and shown to delegates.
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(20), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: Minutes of reception and registration before the opening, printed as the program's first line (None: none).
    reception_minutes: Mapped[int | None] = mapped_column(sa.Integer)
    #: Who issues the conference's documents; empty fields take the host agency's settings (issuer.letterhead_for).
    issuer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    issuer_parent_name: Mapped[str] = mapped_column(sa.String(200), default="")
    issuer_abbreviation: Mapped[str] = mapped_column(sa.String(30), default="")
    #: The place written before the date ("Bắc Giang, ngày ...").
    place_name: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_authority: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_title: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: The second issuing agency of a joint plan, printed beside the first (Decree 30/2020, Appendix I).
    co_issuer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    co_issuer_parent_name: Mapped[str] = mapped_column(sa.String(200), default="")
    co_issuer_abbreviation: Mapped[str] = mapped_column(sa.String(30), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ConferenceStatus.PLANNED.value)
    #: The check-in window (scans outside it are refused, live or offline); NULL: from the day before the start to
    #: the end of the last day, local time (eventapp.checkin.scanning.checkin_window).
    checkin_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checkin_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When set, delegates' pages show the agenda.
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cloned_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("conference.id", ondelete="SET NULL"))
    #: Unaccented title, number and venue, for searches that ignore accents.
    search_text: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    lead_department: Mapped[Department | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        choice_check("kind", list(ConferenceKind)),
        choice_check("status", list(ConferenceStatus)),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("expected_attendance IS NULL OR expected_attendance > 0", name="attendance_positive"),
        sa.CheckConstraint("approved_budget IS NULL OR approved_budget >= 0", name="budget_nonnegative"),
        sa.CheckConstraint("checkin_opens_at IS NULL OR checkin_closes_at IS NULL "
                           "OR checkin_closes_at > checkin_opens_at", name="checkin_window_ordered"),
        sa.CheckConstraint("reception_minutes IS NULL OR (reception_minutes > 0 AND reception_minutes <= 240)",
                           name="reception_minutes_range"),
    )

    @property
    def kind_enum(self) -> ConferenceKind:
        return ConferenceKind(self.kind)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ConferenceStatus.CANCELLED

    def phase(self, now: datetime | None = None) -> str:
        """'upcoming', 'ongoing' or 'past' relative to ``now``."""
        now = now or utcnow()
        if now < self.starts_at:
            return "upcoming"
        if now <= self.ends_at:
            return "ongoing"
        return "past"

    def __str__(self) -> str:
        return self.title
