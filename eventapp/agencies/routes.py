"""The agency directory (cơ quan, đơn vị) and its groups."""

from flask import abort, request, url_for

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import Agency, AgencyGroup
from ..web import done, failed, form_page, on_refusal, render, submitted
from ..workspace import menu
from . import bp, services
from .forms import AgencyForm, GroupForm

PER_PAGE = 25


def _agency_form(agency: Agency | None = None) -> AgencyForm:
    form = AgencyForm(obj=agency)
    form.group_id.choices = [(0, "— Chọn nhóm —")] + [(g.id, g.name) for g in services.ensure_default_groups()]
    return form


@bp.route("/")
@roles(ORGANIZERS)
@menu("Cơ quan, đơn vị", order=40)
def index():
    """The agency directory: search without accents, filter by group, page through."""
    groups = services.ensure_default_groups()
    q = request.args.get("q", "")[:200]
    group_id = request.args.get("nhom", 0, type=int)
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(services.agency_query(q, group_id), page=page, per_page=PER_PAGE, error_out=False)
    return render("agencies/index.html", block="results", groups=groups, counts=services.group_counts(),
                  q=q, group_id=group_id, pagination=pagination)


@bp.route("/them", methods=["GET", "POST"])
@roles(ORGANIZERS)
def new():
    """Add an agency to the directory."""
    form = _agency_form()
    if request.method == "GET" and request.args.get("nhom", type=int):
        form.group_id.data = request.args.get("nhom", type=int)
    if submitted(form, lambda status: render("agencies/form.html", form=form, agency=None, status=status)):
        agency = services.save_agency(None, form.data)
        return done(f"Đã thêm «{agency.name}».", url_for("agencies.index"))
    return form_page()


@bp.route("/<int:agency_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(agency_id: int):
    """Edit an agency of the directory."""
    agency = db.get_or_404(Agency, agency_id)
    form = _agency_form(agency)
    if submitted(form, lambda status: render("agencies/form.html", form=form, agency=agency, delete_form=EmptyForm(),
                                             status=status)):
        services.save_agency(agency, form.data)
        return done("Đã lưu thay đổi.", url_for("agencies.index"))
    return form_page()


@bp.route("/<int:agency_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(agency_id: int):
    """Delete an agency that no invitation list uses."""
    agency = db.get_or_404(Agency, agency_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    on_refusal(url=url_for("agencies.edit", agency_id=agency_id))
    services.delete_agency(agency)
    return done("Đã xóa cơ quan.", url_for("agencies.index"))


def _groups_page(form: GroupForm):
    return lambda status: render("agencies/groups.html", form=form, groups=services.ensure_default_groups(),
                                 counts=services.group_counts(), action_form=EmptyForm(), status=status)


@bp.route("/nhom", methods=["GET", "POST"])
@roles(ORGANIZERS)
def groups():
    """The agency groups: add, rename, reorder, delete the empty ones."""
    form = GroupForm()
    if submitted(form, _groups_page(form)):
        group = services.create_group(form.name.data)
        return done(f"Đã thêm nhóm «{group.name}».", url_for("agencies.groups"))
    return form_page()


@bp.route("/nhom/<int:group_id>/doi-ten", methods=["POST"])
@roles(ORGANIZERS)
def rename_group(group_id: int):
    """Rename a group."""
    group = db.get_or_404(AgencyGroup, group_id)
    form = GroupForm()
    back = url_for("agencies.groups")
    if not form.validate_on_submit():
        return failed(" ".join(form.name.errors) or "Tên nhóm không hợp lệ.", back)
    on_refusal(url=back)
    services.rename_group(group, form.name.data)
    return done("Đã đổi tên nhóm.", back)


@bp.route("/nhom/<int:group_id>/di-chuyen", methods=["POST"])
@roles(ORGANIZERS)
def move_group(group_id: int):
    """Move a group up or down the list."""
    group = db.get_or_404(AgencyGroup, group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.move_group(group, -1 if request.form.get("huong") == "len" else 1)
    return done("Đã đổi thứ tự nhóm.", url_for("agencies.groups"))


@bp.route("/nhom/<int:group_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete_group(group_id: int):
    """Delete an empty group."""
    group = db.get_or_404(AgencyGroup, group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    on_refusal(url=url_for("agencies.groups"))
    services.delete_group(group)
    return done("Đã xóa nhóm.", url_for("agencies.groups"))
