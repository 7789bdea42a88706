import sqlalchemy as sa
from flask import redirect, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..access import DEPARTMENT, RECEPTION, STAFF, public, roles
from ..extensions import db
from ..models import Conference, ConferenceStatus, Role, Task, TaskStatus, utcnow
from ..web import render, url_if
from . import bp


@bp.route("/")
@roles(STAFF)
def index():
    """Send each role to the page it works from."""
    if current_user.role == Role.RECEPTION:
        return redirect(url_for("home.reception"))
    if current_user.role == Role.DEPARTMENT:
        return redirect(url_if("tasks.board") or url_for("home.department"))
    return redirect(url_for("conferences.index"))


@bp.route("/don-tiep")
@roles(RECEPTION)
def reception():
    """Reception staff: the conferences happening today or soon, each with its desk."""
    now = utcnow()
    conferences = db.session.scalars(
        sa.select(Conference)
        .where(Conference.ends_at >= now, Conference.status == ConferenceStatus.PLANNED)
        .order_by(Conference.starts_at)
        .limit(20)
    ).all()
    return render("home/reception.html", conferences=conferences)


@bp.route("/phong-ban")
@roles(DEPARTMENT)
def department():
    """Department staff: the open tasks of their department across conferences."""
    department_id = current_user.department_id
    tasks = []
    if department_id:
        tasks = db.session.scalars(
            sa.select(Task)
            .join(Task.conference)
            .where(Task.lead_department_id == department_id, Task.status != TaskStatus.CANCELLED)
            .order_by(Task.status == TaskStatus.DONE, Task.due_date.is_(None), Task.due_date)
            .options(selectinload(Task.conference))
        ).all()
    return render("home/department.html", tasks=tasks, today=utcnow().date())


@bp.route("/healthz")
@public
def health():
    """For the reverse proxy and monitoring: the app answers and the database responds."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
