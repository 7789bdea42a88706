"""The conference documents delegates read from their pass (tài liệu hội nghị), and links that were withdrawn."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .conference import Conference
from .enums import Audience
from .invitations import Delegate, Invitation
from .papers import Paper


class Handout(db.Model):
    """A document published to delegates: an accepted paper (its latest file) or a file the organizer uploads
    (a report, the program in print). The organizer decides who reads it and from when."""

    __tablename__ = "handout"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: An accepted paper published as it is; its file is the paper's latest version.
    paper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paper.id", ondelete="CASCADE"), unique=True)
    #: A file of its own (eventapp.uploads), when it is not a paper.
    stored_name: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255), default="")
    content_type: Mapped[str] = mapped_column(sa.String(120), default="")
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    audience: Mapped[str] = mapped_column(sa.String(12), default=Audience.DELEGATES.value)
    #: Shown from this moment (None: at once).
    visible_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[Conference] = relationship()
    paper: Mapped[Paper | None] = relationship()

    __table_args__ = (
        choice_check("audience", list(Audience)),
        sa.CheckConstraint("(paper_id IS NULL) <> (stored_name IS NULL)", name="paper_or_file"),
    )

    def visible_to(self, delegate: bool, now: datetime | None = None) -> bool:
        """Whether a delegate (``delegate``) or anyone else may read it at ``now``."""
        if self.audience == Audience.HIDDEN or (not delegate and self.audience != Audience.PUBLIC):
            return False
        return self.visible_from is None or self.visible_from <= (now or utcnow())


def secret_hash(secret: str) -> str:
    """How a withdrawn secret is remembered: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


class WithdrawnLink(db.Model):
    """A personal link that no longer opens (the invitation was removed, the agency sent someone else, the
    link was issued anew): remembered so that its page can say so, with the contact, instead of the page of
    a mistyped link."""

    __tablename__ = "withdrawn_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the RSVP token or pass code.
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    #: 'removed' (the invitation was withdrawn) or 'reissued' (a new link or pass replaced it).
    reason: Mapped[str] = mapped_column(sa.String(10))
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[Conference] = relationship()

    __table_args__ = (
        sa.CheckConstraint("kind IN ('rsvp', 'pass')", name="kind_valid"),
        sa.CheckConstraint("reason IN ('removed', 'reissued')", name="reason_valid"),
    )


@event.listens_for(Session, "before_flush")
def _remember_withdrawn_links(session: Session, flush_context, instances) -> None:
    """Whatever withdraws a personal link (removing an invitation, issuing a new link or pass) leaves a
    WithdrawnLink, in the same transaction; whatever brings one back (restoring a removed invitation with its
    link and passes) takes it away. An erased delegate's old pass leaves none: it reveals nothing."""
    returning = [secret_hash(secret) for secret in
                 (o.rsvp_token if isinstance(o, Invitation) else o.pass_code for o in session.new
                  if isinstance(o, Invitation | Delegate)) if secret]
    if returning:
        session.execute(sa.delete(WithdrawnLink).where(WithdrawnLink.secret_hash.in_(returning)))
    withdrawn: list[tuple[str, str, int, str]] = []
    for obj in session.deleted:
        if isinstance(obj, Invitation):
            withdrawn.append((obj.rsvp_token, "rsvp", obj.conference_id, "removed"))
        elif isinstance(obj, Delegate) and obj.erased_at is None:
            withdrawn.append((obj.pass_code, "pass", obj.conference_id, "removed"))
    for obj in session.dirty:
        if isinstance(obj, Invitation):
            old = sa.inspect(obj).attrs.rsvp_token.history.deleted
            if old and old[0] and old[0] != obj.rsvp_token:
                withdrawn.append((old[0], "rsvp", obj.conference_id, "reissued"))
        elif isinstance(obj, Delegate) and obj.erased_at is None:
            old = sa.inspect(obj).attrs.pass_code.history.deleted
            if old and old[0] and old[0] != obj.pass_code:
                withdrawn.append((old[0], "pass", obj.conference_id, "reissued"))
    for secret, kind, conference_id, reason in withdrawn:
        session.add(WithdrawnLink(secret_hash=secret_hash(secret), kind=kind, conference_id=conference_id,
                                  reason=reason))
