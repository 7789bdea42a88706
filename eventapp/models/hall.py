"""The meeting itself: the hall's settings, the list of speakers per agenda item, attendance as the secretary
marks it, and the conclusions with their notice (thông báo kết luận)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .conference import Conference
from .enums import AttendanceStatus
from .invitations import Delegate
from .org import User
from .papers import AgendaItem
from .tasks import Task


class Hall(db.Model):
    """What the secretary sets for the meeting of a conference (one row per conference, made on first use)."""

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), unique=True)
    #: The meeting link sent to delegates who attend online (a hybrid giao ban).
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Speaking time of each speaker, shown as a countdown on the projector.
    speaking_minutes: Mapped[int] = mapped_column(sa.Integer, default=5)
    #: The agenda item whose list of speakers the projector shows.
    projected_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    #: Whether the program is public (anyone with the conference's public page) or for delegates only; it is
    #: shown from the moment the agenda is published (Conference.agenda_published_at).
    program_public: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    conference: Mapped[Conference] = relationship()
    projected_item: Mapped[AgendaItem | None] = relationship()

    __table_args__ = (sa.CheckConstraint("speaking_minutes BETWEEN 1 AND 60", name="speaking_minutes_range"),)


class SpeakerList(db.Model):
    """The list of speakers of one agenda item (OpenSlides' list_of_speakers); delegates register while open."""

    __tablename__ = "speaker_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    #: Delegates may register from their phone while the list is open.
    is_open: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    agenda_item: Mapped[AgendaItem] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(back_populates="speaker_list", order_by="Speaker.position",
                                                   cascade="all, delete-orphan")


class Speaker(db.Model):
    """One entry of a list of speakers: waiting (not started), speaking (started, not ended) or done."""

    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    list_id: Mapped[int] = mapped_column(sa.ForeignKey("speaker_list.id", ondelete="CASCADE"))
    #: The delegate who speaks; None for someone the secretary adds by name (a guest without a pass).
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    #: Name and agency of a speaker who is not a delegate (empty for delegates: their row says it).
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    agency_name: Mapped[str] = mapped_column(sa.String(300), default="")
    #: What the speaker will talk about, one line.
    topic: Mapped[str] = mapped_column(sa.String(300), default="", info={"personal": True})
    #: Order in the list, unique within it: the database keeps two registrations at once from sharing a place.
    position: Mapped[int] = mapped_column(sa.Integer)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The secretary who added the entry; None when the delegate registered from their phone.
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    speaker_list: Mapped[SpeakerList] = relationship(back_populates="speakers")
    delegate: Mapped[Delegate | None] = relationship()
    added_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("list_id", "position", name="uq_speaker_list_position"),
        sa.CheckConstraint("delegate_id IS NOT NULL OR name <> ''", name="has_name"),
        sa.CheckConstraint("ended_at IS NULL OR (started_at IS NOT NULL AND ended_at >= started_at)",
                           name="ended_after_start"),
        # A delegate is at most once on a list until they have spoken.
        sa.Index("uq_speaker_waiting_once", "list_id", "delegate_id", unique=True,
                 sqlite_where=sa.text("ended_at IS NULL"), postgresql_where=sa.text("ended_at IS NULL")),
        # One speaker at a time per list.
        sa.Index("uq_speaker_one_current", "list_id", unique=True,
                 sqlite_where=sa.text("started_at IS NOT NULL AND ended_at IS NULL"),
                 postgresql_where=sa.text("started_at IS NOT NULL AND ended_at IS NULL")),
    )

    @property
    def display_name(self) -> str:
        return self.delegate.full_name if self.delegate is not None else self.name

    @property
    def display_agency(self) -> str:
        if self.delegate is not None:
            return ", ".join(p for p in (self.delegate.position, self.delegate.agency_name) if p)
        return self.agency_name

    @property
    def state(self) -> str:
        """'waiting', 'speaking' or 'done'."""
        if self.started_at is None:
            return "waiting"
        return "speaking" if self.ended_at is None else "done"


class Attendance(db.Model):
    """How a delegate attended on one day, as marked in the hall. A door check-in that day counts as in
    person unless a mark made after it says otherwise (see eventapp.hall.attendance)."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed by ix_attendance_conference_day (its first column).
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"))
    #: The day of the conference (Vietnam's date) the mark is for; support is paid per day.
    day: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12))
    #: Why the delegate is absent (vắng có lý do).
    reason: Mapped[str] = mapped_column(sa.String(300), default="", info={"personal": True})
    #: Who came in the delegate's place (cử người dự thay), as told in the hall.
    substitute_name: Mapped[str] = mapped_column(sa.String(120), default="", info={"personal": True})
    #: When the online meeting link was mailed to this delegate for this day.
    link_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    delegate: Mapped[Delegate] = relationship()

    __table_args__ = (
        choice_check("status", list(AttendanceStatus)),
        sa.UniqueConstraint("delegate_id", "day", name="uq_attendance_delegate_day"),
        sa.CheckConstraint("status <> 'excused' OR reason <> ''", name="excused_has_reason"),
        sa.CheckConstraint("status <> 'represented' OR substitute_name <> ''", name="represented_has_name"),
        sa.Index("ix_attendance_conference_day", "conference_id", "day"),
    )


class Conclusion(db.Model):
    """A conclusion of the meeting on an agenda item (or the meeting as a whole). One that assigns work has a
    task: its lead department (chủ trì), coordinating departments (phối hợp) and deadline are the task's."""

    __tablename__ = "conclusion"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    #: None for a conclusion on the meeting as a whole.
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    content: Mapped[str] = mapped_column(sa.Text)
    #: The task this conclusion assigns; None when it assigns no work.
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("task.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    agenda_item: Mapped[AgendaItem | None] = relationship()
    task: Mapped[Task | None] = relationship()

    __table_args__ = (sa.CheckConstraint("content <> ''", name="has_content"),)


class ConclusionNotice(db.Model):
    """The thông báo kết luận of a conference (Decision 45/2018: within 5 working days of the meeting): number,
    signing date and signer as the clerk writes them; its body comes from the conclusions."""

    __tablename__ = "conclusion_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), unique=True)
    #: "15/TB-SKHCN"; the number is the clerk's, given on signing day.
    number_symbol: Mapped[str] = mapped_column(sa.String(60), default="")
    #: The signing date written on the notice (never the day a file is printed).
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    signer_authority: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_title: Mapped[str] = mapped_column(sa.String(100), default="")
    signer_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: The "Nơi nhận" lines, one per line, without the leading dash.
    recipients: Mapped[str] = mapped_column(sa.Text, default="")
    #: When the clerk recorded the notice as issued (signed and sent).
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The task that reminds the lead department to issue it within 5 working days.
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("task.id", ondelete="SET NULL"))

    conference: Mapped[Conference] = relationship()
    task: Mapped[Task | None] = relationship()

    __table_args__ = (sa.CheckConstraint("issued_at IS NULL OR issued_on IS NOT NULL", name="issued_has_date"),)
