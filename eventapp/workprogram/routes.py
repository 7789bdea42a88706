"""Work program pages: by month, the import with its preview, and making a conference of an item."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, roles
from ..conferences.routes import _form as conference_form
from ..extensions import db
from ..models import WorkProgramItem
from ..vntime import today
from ..web import render
from . import bp, services
from .forms import ConfirmForm, ImportForm


def _selected_year(available: list[int]) -> int:
    year = request.args.get("nam", type=int)
    if year and 2000 <= year <= 2100:
        return year
    current = today().year
    return current if current in available or not available else available[0]


@bp.route("/")
@roles(ORGANIZERS)
def index():
    """The annual work program by month, with a year selector and the import form."""
    available = services.years()
    year = _selected_year(available)
    return render("workprogram/index.html", year=year, years=sorted(set(available) | {year}, reverse=True),
                  months=services.items_by_month(year), form=ImportForm(), month=request.args.get("thang", type=int))


@bp.route("/xem-truoc", methods=["POST"])
@roles(ORGANIZERS)
def preview():
    """Read the uploaded or pasted program and show what would be saved and every problem; nothing is saved."""
    form = ImportForm()
    result, content, error = None, "", None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if upload and upload.filename:
                content = services.read_upload(upload.filename, upload.read())
            else:
                content = form.pasted.data or ""
            if not content.strip():
                raise services.WorkProgramError("Vui lòng chọn tệp hoặc dán nội dung chương trình công tác.")
            result = services.preview(content, form.year.data)
        except services.WorkProgramError as exc:
            error = str(exc)
    confirm = ConfirmForm(formdata=None, content=content, year=str(result.year) if result else "")
    status = 200 if result and result.ok else 422
    return render("workprogram/preview.html", form=form, result=result, error=error, confirm=confirm, status=status)


@bp.route("/nhap", methods=["POST"])
@roles(ORGANIZERS)
def save():
    """Save a previewed program, all or nothing."""
    form = ConfirmForm()
    year = request.form.get("year", type=int)
    try:
        result = services.import_program(form.content.data or "", year)
    except services.WorkProgramError as exc:
        flash(str(exc), "error")
        return redirect(url_for("workprogram.index"), 303)
    flash(f"Đã nhập chương trình công tác năm {result.year}: {len(result.new)} mục mới, "
          f"{len(result.updated)} mục cập nhật, {len(result.unchanged)} mục không đổi.", "success")
    return redirect(url_for("workprogram.index", nam=result.year), 303)


@bp.route("/<int:item_id>/lap-hoi-nghi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def make_conference(item_id: int):
    """Turn an item into a conference in one step: the plan form comes prefilled; the organizer confirms it."""
    item = db.session.get(WorkProgramItem, item_id) or abort(404)
    if item.conference_id is not None:
        flash("Mục này đã được lập hội nghị.", "info")
        return redirect(url_for("conferences.overview", conference_id=item.conference_id), 303)
    form = conference_form()
    if request.method == "GET":
        for name, value in services.proposal(item).items():
            getattr(form, name).data = value
        flash(f"Lập hội nghị từ mục {item.number} của chương trình công tác năm {item.year} (tháng {item.month}). "
              "Loại hội nghị, tên và ngày giờ (ngày làm việc đầu tiên của tháng, 08:00) là đề xuất: "
              "vui lòng kiểm tra rồi bấm «Tạo hội nghị».", "info")
    if form.validate_on_submit():
        conference = services.make_conference(item, form, current_user)
        flash(f"Đã lập hội nghị «{conference.title}» từ chương trình công tác năm.", "success")
        return redirect(url_for("conferences.overview", conference_id=conference.id), 303)
    return render("conferences/form.html", form=form, conference=None, status=422 if form.errors else 200)
