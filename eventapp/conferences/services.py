"""The verbs of conferences: list them, save a plan, sum up what each feature holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, text, vntime
from ..errors import UserError
from ..extensions import db
from ..models import (
    AgendaItem,
    BudgetLine,
    Conference,
    ConferenceStatus,
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
from ..reports.figures import AttendanceFigures, attendance_figures

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


def apply_plan(conference: Conference, plan: dict) -> None:
    """Copy the plan's values (a ConferenceForm's) into a conference, turning local dates and times into UTC."""
    for name in ("kind", "title", "number_symbol", "chair", "expected_attendance", "approved_budget",
                 "funding_source", "contact_name", "contact_phone", "contact_email"):
        setattr(conference, name, plan[name])
    for name in ISSUER_FIELDS:
        setattr(conference, name, plan.get(name) or "")
    conference.reception_minutes = plan.get("reception_minutes") or None
    if conference.co_issuer_name and not conference.co_issuer_abbreviation:
        raise UserError("Vui lòng nhập chữ viết tắt của cơ quan phối hợp ban hành (in trong số ký hiệu, "
                        "ví dụ «GM-SKHCN-TĐ»).", field="co_issuer_abbreviation")
    if (conference.issuer_parent_name or conference.issuer_abbreviation) and not conference.issuer_name:
        raise UserError("Vui lòng nhập tên cơ quan ban hành, hoặc để trống cả cơ quan cấp trên và chữ viết tắt "
                        "để dùng thông tin của cơ quan.", field="issuer_name")
    for name in ("purpose", "content", "preparation"):
        setattr(conference, name, text.nfc_block(plan[name]))
    conference.starts_at = _local(plan["start_date"], plan["start_time"])
    conference.ends_at = _local(plan["end_date"], plan["end_time"])
    conference.venue_id = plan["venue_id"] or None
    conference.rsvp_deadline = (
        _local(plan["rsvp_date"], plan["rsvp_time"] or time(17, 0)) if plan["rsvp_date"] else None
    )
    conference.lead_department_id = plan["lead_department_id"] or None
    refresh_search_text(conference)


def create_conference(plan: dict, user) -> Conference:
    """Save a new conference from its plan, with an audit entry, in one transaction."""
    conference = Conference(created_by_id=user.id, status=ConferenceStatus.PLANNED.value)
    apply_plan(conference, plan)
    db.session.add(conference)
    db.session.flush()
    audit.record("conference.create", f"Tạo hội nghị «{conference.title}»", entity=conference,
                 conference_id=conference.id)
    db.session.commit()
    return conference


def update_conference(conference: Conference, plan: dict) -> None:
    """Save the edited plan; tasks with relative deadlines follow a new start date."""
    old_start = conference.starts_at
    apply_plan(conference, plan)
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

    invitations: dict[str, int]
    #: Invited, confirmed and arrived, counted as the report counts them (reports.figures).
    attendance: AttendanceFigures
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
        invitations={s.value: invitations.get(s.value, 0) for s in InvitationStatus},
        attendance=attendance_figures(conference),
        papers={s.value: papers.get(s.value, 0) for s in PaperStatus},
        agenda_items=agenda_items,
        agenda_minutes=agenda_minutes,
        budget_total=budget_total,
        budget_actual=budget_actual,
        tasks={s.value: tasks.get(s.value, 0) for s in TaskStatus},
        tasks_late=tasks_late,
    )


# --- cloning for the next session (the next giao ban) ----------------------------------------------

#: Conference fields copied as they are; dates are moved, the plan's number is left for the new plan.
#: Who issues a conference's documents (empty: the host agency's settings; see issuer.letterhead_for).
ISSUER_FIELDS = ("issuer_name", "issuer_parent_name", "issuer_abbreviation", "place_name", "signer_authority",
                 "signer_title", "signer_name", "co_issuer_name", "co_issuer_parent_name", "co_issuer_abbreviation")
COPIED = ["kind", "purpose", "content", "chair", "preparation", "venue_id", "expected_attendance",
          "lead_department_id", "approved_budget", "funding_source", "contact_name", "contact_phone", "contact_email",
          "reception_minutes", *ISSUER_FIELDS]



def clone_conference(source: Conference, starts_at: datetime, title: str, user) -> Conference:
    """Copy a conference to a new start date in one transaction.

    Copied: the plan, the invitation list (new RSVP tokens, no answers), the agenda skeleton (without papers),
    the budget lines (without actual amounts) and the tasks (to do, deadlines moved by the same offset).
    Not copied: delegates, check-ins, scans, papers, files, the plan's number.
    """
    shift = starts_at - source.starts_at
    day_shift = (vntime.to_local(starts_at).date() - vntime.to_local(source.starts_at).date()).days
    clone = Conference(title=title, starts_at=starts_at, ends_at=source.ends_at + shift,
                       rsvp_deadline=source.rsvp_deadline + shift if source.rsvp_deadline else None,
                       status=ConferenceStatus.PLANNED.value, cloned_from_id=source.id, created_by_id=user.id,
                       number_symbol="")
    for name in COPIED:
        setattr(clone, name, getattr(source, name))
    refresh_search_text(clone)
    db.session.add(clone)
    db.session.flush()
    cid = clone.id
    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.conference_id == source.id).order_by(Invitation.position, Invitation.id))
    db.session.add_all([
        Invitation(conference_id=cid, kind=i.kind, agency_id=i.agency_id, invitee_name=i.invitee_name,
                   invitee_position=i.invitee_position, role_text=i.role_text, seats=i.seats, email=i.email,
                   phone=i.phone, note=i.note, position=i.position, search_text=i.search_text)
        for i in invitations])
    agenda = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == source.id))
    db.session.add_all([
        AgendaItem(conference_id=cid, position=a.position, kind=a.kind, title=a.title, presenter=a.presenter,
                   duration_minutes=a.duration_minutes, notes=a.notes)
        for a in agenda])
    lines = db.session.scalars(sa.select(BudgetLine).where(BudgetLine.conference_id == source.id))
    db.session.add_all([
        BudgetLine(conference_id=cid, position=b.position, category=b.category, content=b.content, unit=b.unit,
                   quantity=b.quantity, days=b.days, unit_price=b.unit_price, funding_source=b.funding_source,
                   norm_id=b.norm_id, note=b.note)
        for b in lines])
    tasks = db.session.scalars(
        sa.select(Task).where(Task.conference_id == source.id).options(selectinload(Task.coordinating_departments)))
    first_day = vntime.to_local(starts_at).date()
    for t in tasks:
        if t.status == TaskStatus.CANCELLED:
            continue
        if t.due_offset_days is not None:
            due = vntime.add_days(first_day, t.due_offset_days)
        else:
            due = vntime.add_days(t.due_date, day_shift) if t.due_date else None
        task = Task(conference_id=cid, title=t.title, description=t.description,
                    lead_department_id=t.lead_department_id, assignee_name=t.assignee_name,
                    assignee_id=t.assignee_id, due_offset_days=t.due_offset_days, due_date=due,
                    status=TaskStatus.NOT_STARTED.value, position=t.position)
        task.coordinating_departments = list(t.coordinating_departments)
        db.session.add(task)
    audit.record("conference.clone", f"Nhân bản «{source.title}» thành «{clone.title}» "
                 f"({vntime.format_date(starts_at)})", entity=clone, conference_id=cid, source_id=source.id)
    db.session.commit()
    return clone
