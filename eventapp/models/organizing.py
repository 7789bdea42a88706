"""What an organizer's week before the conference leaves in the database besides the list itself: an import
preview kept between upload and confirmation, each batch of invitation or reminder mail, the conference's own
mail wording, and the invitations removed from a list (restorable for 30 days)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow

#: The mails whose wording a conference may change.
MAIL_KINDS = ("invitation", "reminder", "pass")


class InvitationImport(db.Model):
    """An uploaded list between its preview and its confirmation. Confirming claims the row once (``imported_at``
    goes from NULL to a time in one conditional UPDATE), so two confirmations of one preview import it once."""

    __tablename__ = "invitation_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The random id in the preview's address.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The preview as JSON: the cells of every row as read, what the check found, the columns not used.
    data: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set once, by the confirmation that imported it.
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_count: Mapped[int] = mapped_column(sa.Integer, default=0)


class SendBatch(db.Model):
    """One click of "send" or "remind" on the sending page, keyed by the form it came from: the same form posted
    twice (a double click, a resubmitted page) hits the unique key and queues nothing the second time."""

    __tablename__ = "send_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    #: The random key of the confirmation form that was posted.
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(12))
    count: Mapped[int] = mapped_column(sa.Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("purpose IN ('invitation', 'reminder')", name="purpose_valid"),
        sa.Index("ix_send_batch_conference_time", "conference_id", "created_at"),
    )


class MailWording(db.Model):
    """A conference's own subject and text for one of its mails, in place of the default; ``{placeholders}``
    are filled for each addressee."""

    __tablename__ = "mail_wording"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(12))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        choice_check("kind", MAIL_KINDS),
        sa.UniqueConstraint("conference_id", "kind", name="uq_mail_wording_kind"),
    )


class RemovedInvitation(db.Model):
    """An invitation removed from a list, with its delegates, as it was (JSON), for 30 days: restoring it
    brings back the same personal link and passes."""

    __tablename__ = "removed_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    #: The "Kính gửi" line at removal, for the list of removed invitations.
    addressee: Mapped[str] = mapped_column(sa.String(600), default="")
    #: How many delegates had answered for it.
    answers: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: The invitation's columns and its delegates' columns.
    data: Mapped[str] = mapped_column(sa.Text)
    removed_by: Mapped[str] = mapped_column(sa.String(200), default="")
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
