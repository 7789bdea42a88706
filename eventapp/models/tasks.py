"""Assignments to departments (phân công thực hiện), their templates, and the annual work program."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, choice_check, utcnow
from .conference import Conference
from .enums import ConferenceKind, TaskStatus
from .org import Department, User

task_coordinator = sa.Table(
    "task_coordinator",
    db.metadata,
    sa.Column("task_id", sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)

task_template_coordinator = sa.Table(
    "task_template_coordinator",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("task_template_item.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class Task(db.Model):
    """A task of a conference: a lead department (chủ trì), coordinating ones (phối hợp), a deadline."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    lead_department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    assignee_name: Mapped[str] = mapped_column(sa.String(120), default="")
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: The deadline; when due_offset_days is set it follows the conference's start date.
    due_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    #: Deadline relative to the conference's first day (-5 = "5 ngày trước hội nghị").
    due_offset_days: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(12), default=TaskStatus.NOT_STARTED.value)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    conference: Mapped[Conference] = relationship()
    lead_department: Mapped[Department] = relationship()
    coordinating_departments: Mapped[list[Department]] = relationship(
        secondary=task_coordinator, order_by="Department.position"
    )
    assignee: Mapped[User | None] = relationship()

    __table_args__ = (
        choice_check("status", list(TaskStatus)),
        sa.CheckConstraint("due_offset_days IS NULL OR due_offset_days BETWEEN -366 AND 366", name="offset_range"),
    )


class TaskTemplateItem(db.Model):
    """One task of the template for a conference kind, applied in one step to a new conference."""

    __tablename__ = "task_template_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    title: Mapped[str] = mapped_column(sa.String(500))
    lead_department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id", ondelete="CASCADE"))
    offset_days: Mapped[int | None] = mapped_column(sa.Integer)

    lead_department: Mapped[Department] = relationship()
    coordinating_departments: Mapped[list[Department]] = relationship(
        secondary=task_template_coordinator, order_by="Department.position"
    )

    __table_args__ = (choice_check("conference_kind", list(ConferenceKind)),)


class WorkProgramItem(db.Model):
    """A line of the annual work program (chương trình công tác năm): an event of a month, its lead and approvers."""

    __tablename__ = "work_program_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer)
    number: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[str] = mapped_column(sa.Text)
    month: Mapped[int] = mapped_column(sa.Integer)
    drafting_unit: Mapped[str] = mapped_column(sa.String(300), default="")
    person_in_charge: Mapped[str] = mapped_column(sa.String(200), default="")
    coordinating_unit: Mapped[str] = mapped_column(sa.String(300), default="")
    approving_body: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The conference made from this item, once it is made.
    conference_id: Mapped[int | None] = mapped_column(sa.ForeignKey("conference.id", ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(sa.String(1000), default="")

    conference: Mapped[Conference | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("year", "number"),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )
