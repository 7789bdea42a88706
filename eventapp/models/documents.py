"""The clerk's number and signing date of a conference's documents ("Số: 12/GM-SKHCN", "ngày 05 tháng 03 năm
2021"): chosen by the clerk, remembered, printed on every copy; never the day a file was generated."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow

#: The documents a conference issues under a number of the issuing agency, with their Decree 30 abbreviation.
DOCUMENT_KINDS = {
    "giay_moi": "GM",
    "ke_hoach": "KH",
    "bao_cao": "BC",
    "du_toan": "DT",
    "quyet_toan": "QT",
}


class IssuedDocument(db.Model):
    """One numbered document of a conference (one row per kind): its number and the day it is signed."""

    __tablename__ = "issued_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: As printed after "Số:", e.g. "12/GM-SKHCN"; empty until the clerk gives it (a blank to fill by hand).
    number: Mapped[str] = mapped_column(sa.String(60), default="")
    signed_on: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (
        choice_check("kind", DOCUMENT_KINDS),
        sa.UniqueConstraint("conference_id", "kind", name="uq_issued_document_kind"),
    )
