"""The budget estimate (dự toán kinh phí) and the spending norms (định mức) it is checked against."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import choice_check
from .enums import BudgetCategory


class SpendingNorm(db.Model):
    """A cap on a unit price, set by a circular or the province's resolution; edited by the admin."""

    __tablename__ = "spending_norm"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(12))
    name: Mapped[str] = mapped_column(sa.String(300))
    unit: Mapped[str] = mapped_column(sa.String(50))
    #: The highest unit price allowed, in whole đồng.
    max_unit_price: Mapped[int] = mapped_column(sa.BigInteger)
    #: The legal basis, e.g. "Thông tư 40/2017/TT-BTC, Điều 12".
    source: Mapped[str] = mapped_column(sa.String(300))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: False for figures quoted but not checked against the text.
    verified: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)

    __table_args__ = (
        choice_check("category", list(BudgetCategory)),
        sa.CheckConstraint("max_unit_price >= 0", name="price_nonnegative"),
    )


class BudgetLine(db.Model):
    """A line of the budget appendix: quantity × days × unit price, and what was really spent."""

    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    category: Mapped[str] = mapped_column(sa.String(12))
    content: Mapped[str] = mapped_column(sa.String(500))
    unit: Mapped[str] = mapped_column(sa.String(50), default="")
    quantity: Mapped[int] = mapped_column(sa.Integer, default=1)
    days: Mapped[int] = mapped_column(sa.Integer, default=1)
    #: Whole đồng.
    unit_price: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: quantity × days × unit_price, computed by the database.
    amount: Mapped[int] = mapped_column(
        sa.BigInteger, sa.Computed("quantity * days * unit_price", persisted=True)
    )
    funding_source: Mapped[str] = mapped_column(sa.String(300), default="")
    norm_id: Mapped[int | None] = mapped_column(sa.ForeignKey("spending_norm.id", ondelete="SET NULL"))
    #: What was really spent, entered after the event.
    actual_amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    norm: Mapped[SpendingNorm | None] = relationship()

    __table_args__ = (
        choice_check("category", list(BudgetCategory)),
        sa.CheckConstraint("quantity >= 0 AND quantity <= 1000000", name="quantity_range"),
        sa.CheckConstraint("days >= 1 AND days <= 366", name="days_range"),
        sa.CheckConstraint("unit_price >= 0 AND unit_price <= 100000000000", name="price_range"),
        sa.CheckConstraint("actual_amount IS NULL OR actual_amount >= 0", name="actual_nonnegative"),
    )
