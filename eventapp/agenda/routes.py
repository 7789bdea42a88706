"""HTTP for the agenda: the editor (htmx with a no-JS fallback), publishing and the printable programme."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from .. import vntime
from ..access import ORGANIZERS, roles
from ..conferences.routes import get_conference_or_404
from ..extensions import db
from ..models import AgendaItem, AgendaKind
from ..web import render
from . import bp, services
from .forms import AgendaItemForm


def _item_or_404(conference_id: int, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.conference_id != conference_id:
        abort(404)
    return item


def _item_form(conference_id: int, item: AgendaItem | None = None) -> AgendaItemForm:
    form = AgendaItemForm(obj=item)
    papers = services.accepted_papers(conference_id)
    form.paper_id.choices = [(0, "— Không —")] + [
        (p.id, f"{p.speaker_name}: {p.title or p.topic}"[:150]) for p in papers
    ]
    if item is None and request.method == "GET":
        form.duration_minutes.data = services.DEFAULT_MINUTES[AgendaKind.REPORT]
    return form


def _page(conference, form=None, status: int = 200, block: str | None = "agenda"):
    return render(
        "agenda/index.html",
        block=block,
        conference=conference,
        agenda=services.compute(conference),
        form=form or _item_form(conference.id),
        unscheduled=services.unscheduled_papers(conference.id),
        default_minutes={k.value: v for k, v in services.DEFAULT_MINUTES.items()},
        status=status,
    )


def _after_change(conference):
    """htmx gets the agenda fragment back; a plain form gets a 303 to the page."""
    if request.headers.get("HX-Request") == "true":
        return _page(conference)
    return redirect(url_for("agenda.index", conference_id=conference.id) + "#agenda-block", 303)


@bp.route("")
@roles(ORGANIZERS)
def index(conference_id: int):
    """The agenda with computed times and warnings, the form to add an item, the accepted papers to place."""
    conference = get_conference_or_404(conference_id)
    return _page(conference, block=None)


@bp.route("/them", methods=["POST"])
@roles(ORGANIZERS)
def add(conference_id: int):
    """Add an item at the end of the agenda."""
    conference = get_conference_or_404(conference_id)
    form = _item_form(conference.id)
    if form.validate_on_submit():
        try:
            item = services.save_item(conference, form.data)
        except services.AgendaError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            flash(f"Đã thêm «{item.title}» vào chương trình.", "success")
            return redirect(url_for("agenda.index", conference_id=conference.id) + "#agenda-block", 303)
    return _page(conference, form=form, status=422, block=None)


@bp.route("/<int:item_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(conference_id: int, item_id: int):
    """Edit one item."""
    conference = get_conference_or_404(conference_id)
    item = _item_or_404(conference.id, item_id)
    form = _item_form(conference.id, item)
    if request.method == "GET":
        form.paper_id.data = item.paper_id or 0
    if form.validate_on_submit():
        try:
            services.save_item(conference, form.data, item)
        except services.AgendaError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            flash("Đã lưu mục chương trình.", "success")
            return redirect(url_for("agenda.index", conference_id=conference.id) + "#agenda-block", 303)
    return render("agenda/edit.html", conference=conference, item=item, form=form,
                  status=422 if form.errors else 200)


@bp.route("/<int:item_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(conference_id: int, item_id: int):
    """Remove an item; the times after it move up."""
    conference = get_conference_or_404(conference_id)
    item = _item_or_404(conference.id, item_id)
    services.delete_item(conference, item)
    flash("Đã xóa mục khỏi chương trình.", "success")
    return _after_change(conference)


@bp.route("/<int:item_id>/di-chuyen", methods=["POST"])
@roles(ORGANIZERS)
def move(conference_id: int, item_id: int):
    """Move an item one place up or down (a button; works with and without JavaScript)."""
    conference = get_conference_or_404(conference_id)
    direction = request.form.get("direction", "")
    if direction not in {"up", "down"}:
        abort(400)
    try:
        services.move_item(conference, item_id, direction)
    except services.AgendaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return _after_change(conference)


@bp.route("/sap-xep", methods=["POST"])
@roles(ORGANIZERS)
def reorder(conference_id: int):
    """Save the order after a drag and drop: the item ids in their new order."""
    conference = get_conference_or_404(conference_id)
    try:
        ids = [int(v) for v in request.form.getlist("order")]
        services.reorder(conference, ids)
    except ValueError:
        db.session.rollback()
        flash("Thứ tự gửi lên không hợp lệ; vui lòng tải lại trang.", "error")
    except services.AgendaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return _after_change(conference)


@bp.route("/tham-luan/<int:paper_id>", methods=["POST"])
@roles(ORGANIZERS)
def add_paper(conference_id: int, paper_id: int):
    """Put an accepted paper in the agenda (before the discussion and the conclusion)."""
    conference = get_conference_or_404(conference_id)
    try:
        item = services.add_paper(conference, paper_id)
    except services.AgendaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"Đã đưa «{item.title}» vào chương trình.", "success")
    return _after_change(conference)


@bp.route("/cong-bo", methods=["POST"])
@roles(ORGANIZERS)
def publish(conference_id: int):
    """Publish the agenda to the delegates' pages, or withdraw it."""
    conference = get_conference_or_404(conference_id)
    published = request.form.get("publish") == "1"
    try:
        services.set_published(conference, published)
    except services.AgendaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash("Đã công bố chương trình tới đại biểu." if published else "Đã thôi công bố chương trình.", "success")
    return redirect(url_for("agenda.index", conference_id=conference.id), 303)


@bp.route("/in")
@roles(ORGANIZERS)
def print_view(conference_id: int):
    """The programme on A4 with the host agency's letterhead, for printing."""
    conference = get_conference_or_404(conference_id)
    return render("agenda/print.html", conference=conference, agenda=services.compute(conference),
                  long_date=vntime.long_date, today=vntime.today())
