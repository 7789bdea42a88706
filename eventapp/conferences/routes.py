from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..models import Conference
from ..web import render
from . import bp, services
from .forms import ConferenceForm

PER_PAGE = 20


def get_conference_or_404(conference_id: int) -> Conference:
    """The conference, or the friendly 404 page."""
    return db.get_or_404(Conference, conference_id)


def _form(conference: Conference | None = None) -> ConferenceForm:
    form = ConferenceForm(obj=conference)
    form.venue_id.choices = services.venue_choices()
    form.lead_department_id.choices = services.department_choices()
    return form


@bp.route("/")
@roles(ORGANIZERS)
def index():
    """Conferences of the host agency by phase, and the work program's planned events."""
    tab = request.args.get("tab", "sap-toi")
    q = request.args.get("q", "")[:200]
    sort = request.args.get("sort", "ngay")
    descending = {"asc": False, "desc": True}.get(request.args.get("dir", ""))
    page = request.args.get("page", 1, type=int)
    if tab == "ke-hoach-nam":
        pagination = db.paginate(services.work_program_query(q), page=page, per_page=PER_PAGE, error_out=False)
    else:
        tab = tab if tab in services.PHASES else "sap-toi"
        pagination = db.paginate(
            services.conference_query(tab, q, sort, descending), page=page, per_page=PER_PAGE, error_out=False
        )
    return render(
        "conferences/index.html",
        block="results",
        tab=tab,
        q=q,
        sort=sort,
        direction=request.args.get("dir", ""),
        pagination=pagination,
        counts=services.phase_counts(),
        phases=services.PHASES,
    )


@bp.route("/moi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def new():
    """Create a conference from its plan (kế hoạch)."""
    form = _form()
    if form.validate_on_submit():
        conference = services.create_conference(form, current_user)
        flash(f"Đã tạo hội nghị «{conference.title}».", "success")
        return redirect(url_for("conferences.overview", conference_id=conference.id), 303)
    return render("conferences/form.html", form=form, conference=None, status=422 if form.errors else 200)


@bp.route("/<int:conference_id>")
@roles(ORGANIZERS)
def overview(conference_id: int):
    """Everything about one conference at a glance, with a way into each feature."""
    conference = get_conference_or_404(conference_id)
    return render("conferences/overview.html", conference=conference, figures=services.overview(conference))


@bp.route("/<int:conference_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(conference_id: int):
    """Edit the plan of a conference."""
    conference = get_conference_or_404(conference_id)
    form = _form(conference)
    if request.method == "GET":
        services.fill_form(form, conference)
    if form.validate_on_submit():
        services.update_conference(conference, form)
        flash("Đã lưu thay đổi.", "success")
        return redirect(url_for("conferences.overview", conference_id=conference.id), 303)
    return render("conferences/form.html", form=form, conference=conference, status=422 if form.errors else 200)
