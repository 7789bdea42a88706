"""Work program pages: by month, the import with its preview, and making a conference of an item."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from ..access import ORGANIZERS, roles
from ..conferences.forms import plan_form
from ..errors import UserError
from ..extensions import db
from ..models import WorkProgramItem
from ..vntime import today
from ..web import done, form_page, on_refusal, render, submitted
from ..workspace import menu
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
@menu("Chương trình công tác", order=60)
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
    page = lambda status, result=None, content="": render(  # noqa: E731
        "workprogram/preview.html", form=form, result=result,
        confirm=ConfirmForm(formdata=None, content=content, year=str(result.year) if result else ""), status=status)
    if not submitted(form, page):
        return form_page()
    upload = form.file.data
    content = services.read_upload(upload.filename, upload.read()) if upload and upload.filename else form.pasted.data or ""
    if not content.strip():
        raise UserError("Vui lòng chọn tệp hoặc dán nội dung chương trình công tác.", field="file")
    result = services.preview(content, form.year.data)
    return page(200 if result.ok else 422, result, content)


@bp.route("/nhap", methods=["POST"])
@roles(ORGANIZERS)
def save():
    """Save a previewed program, all or nothing."""
    form = ConfirmForm()
    on_refusal(url=url_for("workprogram.index"))
    result = services.import_program(form.content.data or "", request.form.get("year", type=int))
    return done(f"Đã nhập chương trình công tác năm {result.year}: {len(result.new)} mục mới, "
                f"{len(result.updated)} mục cập nhật, {len(result.unchanged)} mục không đổi.",
                url_for("workprogram.index", nam=result.year))


@bp.route("/<int:item_id>/lap-hoi-nghi", methods=["GET", "POST"])
@roles(ORGANIZERS)
def make_conference(item_id: int):
    """Turn an item into a conference in one step: the plan form comes prefilled; the organizer confirms it."""
    item = db.get_or_404(WorkProgramItem, item_id)
    if item.conference_id is not None:
        return done("Mục này đã được lập hội nghị.", url_for("conferences.overview", conference_id=item.conference_id),
                    category="info")
    form = plan_form()
    if request.method == "GET":
        for name, value in services.proposal(item).items():
            getattr(form, name).data = value
        flash(f"Lập hội nghị từ mục {item.number} của chương trình công tác năm {item.year} (tháng {item.month}). "
              "Loại hội nghị, tên và ngày giờ (ngày làm việc đầu tiên của tháng, 08:00) là đề xuất: "
              "vui lòng kiểm tra rồi bấm «Tạo hội nghị».", "info")
    if submitted(form, lambda status: render("conferences/form.html", form=form, conference=None, status=status)):
        conference = services.make_conference(item, form.values(), current_user)
        return done(f"Đã lập hội nghị «{conference.title}» từ chương trình công tác năm.",
                    url_for("conferences.overview", conference_id=conference.id))
    return form_page()
