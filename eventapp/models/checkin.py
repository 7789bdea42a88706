"""Reception: device tokens, check-ins and the log of every scan."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vntime import to_local
from .base import UTCDateTime, choice_check, utcnow
from .conference import Conference
from .enums import CheckInMethod, ScanResult
from .invitations import Delegate
from .org import User


class Device(db.Model):
    """A scanner (a reception desk's browser or a scanner app) allowed to check in for one conference."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: SHA-256 of the bearer token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: First characters of the token, to tell devices apart in the list.
    token_hint: Mapped[str] = mapped_column(sa.String(12), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference: Mapped[Conference] = relationship()
    created_by: Mapped[User | None] = relationship()


def _day_of_checkin(context) -> date:
    """A check-in's attendance day when none is given: the local date of its time."""
    return to_local(context.get_current_parameters()["checked_in_at"]).date()


class DeskEnrolment(db.Model):
    """A one-time, short-lived link that turns the browser opening it into a named desk (a Device) of one
    conference, without a password. The device's token is derived from the link's secret (HMAC with the app's
    key), so a double submit finds the same device instead of making a second one."""

    __tablename__ = "desk_enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the link's secret; the secret is shown once (the QR and the link) and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the link made its desk; a used link makes no other.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id", ondelete="SET NULL"))

    conference: Mapped[Conference] = relationship()

    __table_args__ = (sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),)


class CheckIn(db.Model):
    """A delegate's arrival on one day of the conference. At most one live check-in per delegate and day (a
    partial unique index): a delegate checks in again on the second day of a multi-day conference, since support
    is paid per day of attendance (Circular 40/2017)."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed by ix_checkin_conference_time (its first column); an index of its own would only slow inserts.
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"))
    #: When the scan happened (the device's time for offline scans).
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The attendance day: the local date of checked_in_at.
    day: Mapped[date] = mapped_column(sa.Date, default=_day_of_checkin)
    #: When the server recorded it.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(sa.String(10), default=CheckInMethod.SCAN.value)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    delegate: Mapped[Delegate] = relationship()
    device: Mapped[Device | None] = relationship()

    __table_args__ = (
        choice_check("method", list(CheckInMethod)),
        sa.Index(
            "uq_checkin_live_per_delegate_day",
            "delegate_id",
            "day",
            unique=True,
            sqlite_where=sa.text("undone_at IS NULL"),
            postgresql_where=sa.text("undone_at IS NULL"),
        ),
        sa.Index("ix_checkin_conference_time", "conference_id", "checked_in_at"),
    )


class Scan(db.Model):
    """Every code presented at a desk, good or bad, with its answer (replayed for a repeated nonce)."""

    __tablename__ = "scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: The client's idempotency key for this scan; a repeat gets the first answer.
    nonce: Mapped[str | None] = mapped_column(sa.String(100))
    #: The scanned text, cut to 200 characters.
    code: Mapped[str] = mapped_column(sa.String(200), default="")
    result: Mapped[str] = mapped_column(sa.String(20))
    http_status: Mapped[int] = mapped_column(sa.Integer)
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegate.id", ondelete="SET NULL"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The JSON answer given, replayed verbatim for a repeated nonce.
    response_json: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        choice_check("result", list(ScanResult)),
        sa.Index(
            "uq_scan_nonce",
            "conference_id",
            "nonce",
            unique=True,
            sqlite_where=sa.text("nonce IS NOT NULL"),
            postgresql_where=sa.text("nonce IS NOT NULL"),
        ),
    )
