"""Where each role starts, reception's list of current conferences, and the health check."""

import sqlalchemy as sa
from flask import redirect, url_for
from flask_login import current_user

from ..access import RECEPTION, STAFF, public, roles
from ..extensions import db
from ..models import Conference, ConferenceStatus, Role, utcnow
from ..web import render
from ..workspace import menu
from . import bp


@bp.route("/")
@roles(STAFF)
def index():
    """Send each role to the page it works from."""
    if current_user.role == Role.RECEPTION:
        return redirect(url_for("home.reception"))
    if current_user.role == Role.DEPARTMENT:
        return redirect(url_for("tasks.board"))
    return redirect(url_for("conferences.index"))


@bp.route("/don-tiep")
@roles(RECEPTION)
@menu("Đón tiếp", order=20, roles={Role.RECEPTION})
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


@bp.route("/healthz")
@public
def health():
    """For the reverse proxy and monitoring: the app answers and the database responds."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
