"""The outbox: every message is queued here and sent by the mail worker."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .enums import MailStatus


class OutboxMessage(db.Model):
    """A mail waiting for, going through or done with SMTP; retried with backoff."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    #: JSON list of attachments to build at send time, e.g. [{"type": "qr", "data": "...", "filename": "..."}].
    attachments_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    #: What it is about: "invitation", "reminder", "pass", "paper", "digest"...
    purpose: Mapped[str] = mapped_column(sa.String(30), default="")
    conference_id: Mapped[int | None] = mapped_column(sa.ForeignKey("conference.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitation.id", ondelete="SET NULL"))
    paper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paper.id", ondelete="SET NULL"))
    #: Message-ID header, fixed at queueing so a resend after a crash is recognisable.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=MailStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set while a worker holds the message, renewed before each message of its batch; a stale lock is taken over.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The claim of the worker sending it (random, per batch): only that worker may send it or record the outcome.
    locked_by: Mapped[str | None] = mapped_column(sa.String(32))
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        choice_check("status", list(MailStatus)),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )
