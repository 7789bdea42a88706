"""Speaker papers (tham luận), their files and history, and the agenda."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, choice_check, new_token, utcnow
from .conference import Conference
from .enums import AgendaKind, PaperStatus
from .invitations import Delegate


class Paper(db.Model):
    """A paper a speaker is asked to contribute, with its own secret upload link."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegate.id", ondelete="SET NULL"))
    speaker_name: Mapped[str] = mapped_column(sa.String(120))
    speaker_position: Mapped[str] = mapped_column(sa.String(200), default="")
    speaker_agency: Mapped[str] = mapped_column(sa.String(300), default="")
    speaker_email: Mapped[str] = mapped_column(sa.String(254), default="")
    speaker_phone: Mapped[str] = mapped_column(sa.String(20), default="")
    topic: Mapped[str] = mapped_column(sa.String(500))
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default=PaperStatus.INVITED.value)
    #: Secret of the speaker's link; separate from RSVP tokens and pass codes.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    #: The organizer's last comment (a revision request), shown to the speaker.
    organizer_comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference: Mapped[Conference] = relationship()
    delegate: Mapped[Delegate | None] = relationship()
    files: Mapped[list[PaperFile]] = relationship(
        back_populates="paper", order_by="PaperFile.version", cascade="all, delete-orphan"
    )
    events: Mapped[list[PaperEvent]] = relationship(
        back_populates="paper", order_by="PaperEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (choice_check("status", list(PaperStatus)),)

    @property
    def latest_file(self) -> PaperFile | None:
        return self.files[-1] if self.files else None


class PaperFile(db.Model):
    """One uploaded version of a paper, stored outside the web root under a random name."""

    __tablename__ = "paper_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("paper.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(sa.Integer)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    paper: Mapped[Paper] = relationship(back_populates="files")

    __table_args__ = (
        sa.UniqueConstraint("paper_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
    )


class PaperEvent(db.Model):
    """A change of a paper's state, with who made it and when."""

    __tablename__ = "paper_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None when the speaker acted through their link.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(120))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    paper: Mapped[Paper] = relationship(back_populates="events")


class AgendaItem(db.Model):
    """One item of the programme; start times follow from the order and the durations."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    kind: Mapped[str] = mapped_column(sa.String(12))
    title: Mapped[str] = mapped_column(sa.String(500))
    presenter: Mapped[str] = mapped_column(sa.String(300), default="")
    duration_minutes: Mapped[int] = mapped_column(sa.Integer)
    paper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paper.id", ondelete="SET NULL"), unique=True)
    notes: Mapped[str] = mapped_column(sa.String(500), default="")

    paper: Mapped[Paper | None] = relationship()

    __table_args__ = (
        choice_check("kind", list(AgendaKind)),
        sa.CheckConstraint("duration_minutes > 0 AND duration_minutes <= 720", name="duration_range"),
    )
