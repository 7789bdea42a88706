"""Cloning a conference for its next session (the next giao ban): lists, agenda, budget and tasks, dates moved."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.validators import DataRequired, Length

from .. import audit, vntime
from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import DateVNField, Form, NormalizedStringField, TimeVNField
from ..models import AgendaItem, BudgetLine, Conference, ConferenceStatus, Invitation, Task, TaskStatus
from ..web import render
from . import bp
from .routes import get_conference_or_404
from .services import refresh_search_text

#: Conference fields copied as they are; dates are moved, the plan's number is left for the new plan.
COPIED = ["kind", "purpose", "content", "chair", "preparation", "venue_id", "expected_attendance",
          "lead_department_id", "approved_budget", "funding_source", "contact_name", "contact_phone", "contact_email"]


class CloneForm(Form):
    """The new session: its title and when it starts (the end and every deadline move by the same amount)."""

    title = NormalizedStringField("Tên hội nghị mới",
                                  validators=[DataRequired("Vui lòng nhập tên hội nghị."), Length(max=500)])
    start_date = DateVNField("Ngày bắt đầu mới", validators=[DataRequired("Vui lòng nhập ngày bắt đầu.")],
                             description="dd/mm/yyyy")
    start_time = TimeVNField("Giờ bắt đầu", validators=[DataRequired("Vui lòng nhập giờ bắt đầu.")])


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


@bp.route("/<int:conference_id>/nhan-ban", methods=["GET", "POST"])
@roles(ORGANIZERS)
def clone(conference_id: int):
    """Clone a conference for its next session with a new start date."""
    source = get_conference_or_404(conference_id)
    form = CloneForm()
    if request.method == "GET":
        form.title.data = source.title
        form.start_time.data = vntime.to_local(source.starts_at).time()
    if form.validate_on_submit():
        starts_at = vntime.local_to_utc(datetime.combine(form.start_date.data, form.start_time.data))
        conference = clone_conference(source, starts_at, form.title.data, current_user)
        flash(f"Đã nhân bản thành «{conference.title}». Kiểm tra lại kế hoạch, số ký hiệu và danh sách khách mời.",
              "success")
        return redirect(url_for("conferences.overview", conference_id=conference.id), 303)
    return render("conferences/clone.html", source=source, form=form, status=422 if form.errors else 200)
