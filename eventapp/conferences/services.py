"""The verbs of conferences: list them, save a plan, sum up what each feature holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text, vntime
from ..extensions import db
from ..models import (
    AgendaItem,
    BudgetLine,
    CheckIn,
    Conference,
    ConferenceStatus,
    Delegate,
    DelegateStatus,
    Department,
    Invitation,
    InvitationStatus,
    Paper,
    PaperStatus,
    Task,
    TaskStatus,
    Venue,
    WorkProgramItem,
    utcnow,
)

PHASES = {
    "sap-toi": "Sắp diễn ra",
    "dang-dien-ra": "Đang diễn ra",
    "da-qua": "Đã diễn ra",
}
SORTS = {
    "ngay": (Conference.starts_at, "Ngày"),
    "ten": (Conference.title, "Tên"),
    "loai": (Conference.kind, "Loại"),
}


def conference_query(phase: str, q: str = "", sort: str = "ngay", descending: bool | None = None) -> sa.Select:
    """Conferences of a phase, filtered by an accent-insensitive query and sorted."""
    now = utcnow()
    stmt = sa.select(Conference)
    if phase == "sap-toi":
        stmt = stmt.where(Conference.starts_at > now)
    elif phase == "dang-dien-ra":
        stmt = stmt.where(Conference.starts_at <= now, Conference.ends_at >= now)
    else:
        stmt = stmt.where(Conference.ends_at < now)
    for term in text.search_terms(q):
        stmt = stmt.where(Conference.search_text.contains(term, autoescape=True))
    column = SORTS.get(sort, SORTS["ngay"])[0]
    if descending is None:
        descending = phase == "da-qua"
    stmt = stmt.order_by(column.desc() if descending else column.asc(), Conference.id)
    return stmt.options(joinedload(Conference.venue), joinedload(Conference.lead_department))


def phase_counts() -> dict[str, int]:
    """How many conferences each tab holds."""
    now = utcnow()
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(Conference.starts_at > now),
            sa.func.count().filter(Conference.starts_at <= now, Conference.ends_at >= now),
            sa.func.count().filter(Conference.ends_at < now),
        )
    ).one()
    return dict(zip(PHASES, row, strict=True))


def work_program_query(q: str = "") -> sa.Select:
    """The annual work program's items not yet turned into conferences, by month."""
    stmt = sa.select(WorkProgramItem).where(WorkProgramItem.conference_id.is_(None))
    for term in text.search_terms(q):
        stmt = stmt.where(WorkProgramItem.search_text.contains(term, autoescape=True))
    return stmt.order_by(WorkProgramItem.year.desc(), WorkProgramItem.month, WorkProgramItem.number)


def refresh_search_text(conference: Conference) -> None:
    """Keep the unaccented search column in step with the fields users search by."""
    venue = conference.venue or (db.session.get(Venue, conference.venue_id) if conference.venue_id else None)
    conference.search_text = text.search_key(
        conference.title, conference.number_symbol, venue.full_name if venue else "", conference.chair
    )[:1000]


def _local(day, at: time) -> datetime:
    return vntime.local_to_utc(datetime.combine(day, at))


def apply_form(conference: Conference, form) -> None:
    """Copy a ConferenceForm into a conference, turning local dates and times into UTC."""
    conference.kind = form.kind.data
    conference.title = form.title.data
    conference.number_symbol = form.number_symbol.data
    conference.purpose = text.nfc_block(form.purpose.data)
    conference.content = text.nfc_block(form.content.data)
    conference.chair = form.chair.data
    conference.preparation = text.nfc_block(form.preparation.data)
    conference.starts_at = _local(form.start_date.data, form.start_time.data)
    conference.ends_at = _local(form.end_date.data, form.end_time.data)
    conference.venue_id = form.venue_id.data or None
    conference.expected_attendance = form.expected_attendance.data
    conference.rsvp_deadline = (
        _local(form.rsvp_date.data, form.rsvp_time.data or time(17, 0)) if form.rsvp_date.data else None
    )
    conference.lead_department_id = form.lead_department_id.data or None
    conference.approved_budget = form.approved_budget.data
    conference.funding_source = form.funding_source.data
    conference.contact_name = form.contact_name.data
    conference.contact_phone = form.contact_phone.data
    conference.contact_email = form.contact_email.data
    refresh_search_text(conference)


def fill_form(form, conference: Conference) -> None:
    """Show a conference's stored values (UTC) in the form as local dates and times."""
    start, end = vntime.to_local(conference.starts_at), vntime.to_local(conference.ends_at)
    form.start_date.data, form.start_time.data = start.date(), start.time()
    form.end_date.data, form.end_time.data = end.date(), end.time()
    if conference.rsvp_deadline:
        deadline = vntime.to_local(conference.rsvp_deadline)
        form.rsvp_date.data, form.rsvp_time.data = deadline.date(), deadline.time()
    form.venue_id.data = conference.venue_id or 0
    form.lead_department_id.data = conference.lead_department_id or 0


def create_conference(form, user) -> Conference:
    """Save a new conference from the form, with an audit entry, in one transaction."""
    conference = Conference(created_by_id=user.id, status=ConferenceStatus.PLANNED.value)
    apply_form(conference, form)
    db.session.add(conference)
    db.session.flush()
    audit.record("conference.create", f"Tạo hội nghị «{conference.title}»", entity=conference,
                 conference_id=conference.id)
    db.session.commit()
    return conference


def update_conference(conference: Conference, form) -> None:
    """Save the edited plan; tasks with relative deadlines follow a new start date."""
    old_start = conference.starts_at
    apply_form(conference, form)
    if conference.starts_at != old_start:
        shift_relative_deadlines(conference)
    audit.record("conference.update", f"Sửa hội nghị «{conference.title}»", entity=conference,
                 conference_id=conference.id)
    db.session.commit()


def shift_relative_deadlines(conference: Conference) -> None:
    """Recompute the due date of tasks whose deadline is relative to the conference's first day."""
    first_day = vntime.to_local(conference.starts_at).date()
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id == conference.id, Task.due_offset_days.is_not(None))
    )
    for task in tasks:
        task.due_date = vntime.add_days(first_day, task.due_offset_days)


def venue_choices() -> list[tuple[int, str]]:
    venues = db.session.scalars(sa.select(Venue).order_by(Venue.name, Venue.room)).all()
    return [(0, "— Chưa chọn —")] + [(v.id, v.full_name) for v in venues]


def department_choices() -> list[tuple[int, str]]:
    departments = db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()
    return [(0, "— Chưa chọn —")] + [(d.id, d.name) for d in departments]


@dataclass
class Overview:
    """The figures of a conference's overview page, one query per feature."""

    seats_invited: int
    invitations: dict[str, int]
    delegates: int
    checked_in: int
    papers: dict[str, int]
    agenda_items: int
    agenda_minutes: int
    budget_total: int
    budget_actual: int | None
    tasks: dict[str, int]
    tasks_late: int


def overview(conference: Conference) -> Overview:
    """Count what every feature holds for this conference."""
    cid = conference.id
    invitations = dict(
        db.session.execute(
            sa.select(Invitation.status, sa.func.count()).where(Invitation.conference_id == cid)
            .group_by(Invitation.status)
        ).all()
    )
    seats = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Invitation.seats), 0)).where(Invitation.conference_id == cid)
    )
    delegates = db.session.scalar(
        sa.select(sa.func.count()).select_from(Delegate)
        .where(Delegate.conference_id == cid, Delegate.status == DelegateStatus.ATTENDING)
    )
    checked_in = db.session.scalar(
        sa.select(sa.func.count()).select_from(CheckIn)
        .where(CheckIn.conference_id == cid, CheckIn.undone_at.is_(None))
    )
    papers = dict(
        db.session.execute(
            sa.select(Paper.status, sa.func.count()).where(Paper.conference_id == cid).group_by(Paper.status)
        ).all()
    )
    agenda_items, agenda_minutes = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(AgendaItem.duration_minutes), 0))
        .where(AgendaItem.conference_id == cid)
    ).one()
    budget_total, budget_actual = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.amount), 0), sa.func.sum(BudgetLine.actual_amount))
        .where(BudgetLine.conference_id == cid)
    ).one()
    tasks = dict(
        db.session.execute(
            sa.select(Task.status, sa.func.count()).where(Task.conference_id == cid).group_by(Task.status)
        ).all()
    )
    tasks_late = db.session.scalar(
        sa.select(sa.func.count()).select_from(Task).where(
            Task.conference_id == cid,
            Task.status.in_([TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]),
            Task.due_date < vntime.today(),
        )
    )
    return Overview(
        seats_invited=seats,
        invitations={s.value: invitations.get(s.value, 0) for s in InvitationStatus},
        delegates=delegates,
        checked_in=checked_in,
        papers={s.value: papers.get(s.value, 0) for s in PaperStatus},
        agenda_items=agenda_items,
        agenda_minutes=agenda_minutes,
        budget_total=budget_total,
        budget_actual=budget_actual,
        tasks={s.value: tasks.get(s.value, 0) for s in TaskStatus},
        tasks_late=tasks_late,
    )
