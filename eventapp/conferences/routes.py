"""Conference pages: the list, the plan (kế hoạch) form, the overview and cloning for the next session."""

from datetime import datetime

from flask import g, request, url_for
from flask_login import current_user

from .. import vntime
from ..access import ORGANIZERS, roles
from ..extensions import db
from ..models import utcnow
from ..web import done, form_page, render, submitted
from ..workspace import menu, tab
from . import bp, services
from .forms import CloneForm, plan_form

PER_PAGE = 20


@bp.route("/")
@roles(ORGANIZERS)
@menu("Hội nghị", order=10)
def index():
    """Conferences of the host agency by phase, and the work program's planned events."""
    tab_key = request.args.get("tab", "sap-toi")
    q = request.args.get("q", "")[:200]
    sort = request.args.get("sort", "ngay")
    descending = {"asc": False, "desc": True}.get(request.args.get("dir", ""))
    page = request.args.get("page", 1, type=int)
    if tab_key == "ke-hoach-nam":
        pagination = db.paginate(services.work_program_query(q), page=page, per_page=PER_PAGE, error_out=False)
    else:
        tab_key = tab_key if tab_key in services.PHASES else "sap-toi"
        pagination = db.paginate(
            services.conference_query(tab_key, q, sort, descending), page=page, per_page=PER_PAGE, error_out=False
        )
    return render(
        "conferences/index.html",
        block="results",
        tab=tab_key,
        q=q,
        sort=sort,
        direction=request.args.get("dir", ""),
        pagination=pagination,
        counts=services.phase_counts(),
        phases=services.PHASES,
    )


def _saved(message: str, conference) -> tuple[str, str]:
    """A saved conference's message, warning when its date has already passed (a typo in the year, often)."""
    if conference.starts_at < utcnow():
        return (f"{message} Lưu ý: ngày họp {vntime.format_date(conference.starts_at)} đã qua; kiểm tra lại ngày "
                "nếu đây không phải hội nghị đã diễn ra.", "warning")
    return message, "success"


@bp.route("/moi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def new():
    """Create a conference from its plan (kế hoạch)."""
    form = plan_form()
    if submitted(form, lambda status: render("conferences/form.html", form=form, conference=None, status=status)):
        conference = services.create_conference(form.values(), current_user)
        message, category = _saved(f"Đã tạo hội nghị «{conference.title}».", conference)
        return done(message, url_for("conferences.overview", conference_id=conference.id), category=category)
    return form_page()


@bp.route("/<int:conference_id>")
@roles(ORGANIZERS)
@tab("Tổng quan", order=0)
def overview():
    """Everything about one conference at a glance, with a way into each feature."""
    return render("conferences/overview.html", figures=services.overview(g.conference))


@bp.route("/<int:conference_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit():
    """Edit the plan of a conference."""
    form = plan_form(g.conference)
    if submitted(form, lambda status: render("conferences/form.html", form=form, status=status)):
        services.update_conference(g.conference, form.values())
        message, category = _saved("Đã lưu thay đổi.", g.conference)
        return done(message, url_for("conferences.overview"), category=category)
    return form_page()


@bp.route("/<int:conference_id>/nhan-ban", methods=["GET", "POST"])
@roles(ORGANIZERS)
def clone():
    """Clone a conference for its next session with a new start date."""
    source = g.conference
    form = CloneForm()
    if request.method == "GET":
        form.title.data = source.title
        form.start_time.data = vntime.to_local(source.starts_at).time()
    if submitted(form, lambda status: render("conferences/clone.html", source=source, form=form, status=status)):
        starts_at = vntime.local_to_utc(datetime.combine(form.start_date.data, form.start_time.data))
        conference = services.clone_conference(source, starts_at, form.title.data, current_user)
        return done(f"Đã nhân bản thành «{conference.title}». Kiểm tra lại kế hoạch, số ký hiệu và danh sách khách mời.",
                    url_for("conferences.overview", conference_id=conference.id))
    return form_page()
