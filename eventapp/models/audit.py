"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .org import User


class AuditEntry(db.Model):
    """One action that changed invitations, answers, check-ins, papers, budget, tasks or settings."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: Who acted, as shown: a user's name, "Đại biểu (liên kết cá nhân)", "Thiết bị Bàn 1"...
    actor: Mapped[str] = mapped_column(sa.String(200))
    #: Dotted verb, e.g. "invitation.create", "checkin.undo".
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    entity: Mapped[str] = mapped_column(sa.String(40), default="")
    entity_id: Mapped[int | None] = mapped_column(sa.Integer)
    conference_id: Mapped[int | None] = mapped_column(sa.ForeignKey("conference.id", ondelete="SET NULL"), index=True)
    #: A Vietnamese sentence for the log's reader.
    summary: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: JSON with the changed fields.
    details_json: Mapped[str] = mapped_column(sa.Text, default="{}")
    ip: Mapped[str] = mapped_column(sa.String(64), default="")

    user: Mapped[User | None] = relationship()
