"""Admin pages: settings, departments, accounts; the personal-data page for admins and organizers."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import privacy
from ..access import ADMINS, ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import Delegate, Department, Invitation, Paper, Role, User
from ..web import render
from . import bp, services
from .forms import DepartmentForm, EraseForm, HostAgencyForm, PasswordResetForm, RoleForm, UserForm


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/", methods=["GET", "POST"])
@roles(ADMINS)
def index():
    """The host agency's letterhead and settings (incl. how long personal data is kept)."""
    host = services.host_agency()
    form = HostAgencyForm(obj=host)
    if form.validate_on_submit():
        services.save_host_agency(form)
        db.session.commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for("admin.index"), 303)
    return render("admin/index.html", form=form, host=host, status=422 if form.errors else 200)


@bp.route("/phong-ban", methods=["GET", "POST"])
@roles(ADMINS)
def departments():
    """The departments of the host agency, and a form to add one."""
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            department = services.save_department(form)
        except services.AdminError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Đã thêm «{department.name}».", "success")
            return redirect(url_for("admin.departments"), 303)
    items = db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()
    return render("admin/departments.html", form=form, departments=items, status=422 if form.errors else 200)


@bp.route("/phong-ban/<int:department_id>", methods=["GET", "POST"])
@roles(ADMINS)
def department_edit(department_id: int):
    """Edit a department's name, abbreviation, email and order."""
    department = _get(Department, department_id)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            services.save_department(form, department)
        except services.AdminError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Đã lưu.", "success")
            return redirect(url_for("admin.departments"), 303)
    return render("admin/department_edit.html", form=form, department=department,
                  status=422 if form.errors else 200)


@bp.route("/tai-khoan")
@roles(ADMINS)
def users():
    """Every account, active ones first."""
    items = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.role, User.username)).all()
    return render("admin/users.html", users=items, roles=list(Role))


@bp.route("/tai-khoan/moi", methods=["GET", "POST"])
@roles(ADMINS)
def user_new():
    """Create an account with a role (and a department for department staff)."""
    form = UserForm()
    form.department_id.choices = services.department_choices()
    if form.validate_on_submit():
        try:
            user = services.add_user(form)
        except services.AdminError as exc:
            db.session.rollback()
            form.username.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("admin.users"), 303)
    return render("admin/user_new.html", form=form, status=422 if form.errors else 200)


@bp.route("/tai-khoan/<int:user_id>", methods=["GET", "POST"])
@roles(ADMINS)
def user_edit(user_id: int):
    """One account: change its role, reset its password, lock or unlock it."""
    user = _get(User, user_id)
    form = RoleForm(obj=user, prefix="role")
    form.department_id.choices = services.department_choices()
    password_form = PasswordResetForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_role(user, form.role.data, form.department_id.data)
        except services.AdminError as exc:
            db.session.rollback()
            form.role.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Đã đổi vai trò.", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id), 303)
    return render("admin/user_edit.html", user=user, form=form, password_form=password_form,
                  action_form=EmptyForm(), status=422 if form.errors else 200)


@bp.route("/tai-khoan/<int:user_id>/mat-khau", methods=["POST"])
@roles(ADMINS)
def user_password(user_id: int):
    """Set a new password for an account."""
    user = _get(User, user_id)
    password_form = PasswordResetForm(prefix="pw")
    if password_form.validate_on_submit():
        services.reset_password(user, password_form.password.data)
        db.session.commit()
        flash(f"Đã đặt lại mật khẩu cho {user.username}.", "success")
        return redirect(url_for("admin.user_edit", user_id=user.id), 303)
    form = RoleForm(obj=user, prefix="role")
    form.department_id.choices = services.department_choices()
    return render("admin/user_edit.html", user=user, form=form, password_form=password_form,
                  action_form=EmptyForm(), status=422)


@bp.route("/tai-khoan/<int:user_id>/trang-thai", methods=["POST"])
@roles(ADMINS)
def user_active(user_id: int):
    """Lock (deactivate) or unlock an account; ``active=0`` or ``1``."""
    user = _get(User, user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_active(user, request.form.get("active") == "1", current_user)
        except services.AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Đã mở lại tài khoản." if user.active else "Đã khóa tài khoản.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id), 303)


# --- personal data (Decree 13/2023/NĐ-CP) ---------------------------------------------------------------

@bp.route("/du-lieu-ca-nhan")
@roles(ORGANIZERS)
def privacy_index():
    """Find a delegate to answer a request about their personal data (export, erase, new pass or link)."""
    q = (request.args.get("q") or "")[:200]
    delegates = services.find_delegates(q)
    return render("admin/privacy.html", block="results", q=q, delegates=delegates)


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>")
@roles(ORGANIZERS)
def privacy_delegate(delegate_id: int):
    """One delegate's personal data, with the actions a data subject may ask for."""
    delegate = _get(Delegate, delegate_id)
    return render("admin/privacy_delegate.html", delegate=delegate, data=privacy.export_delegate(delegate),
                  erase_form=EraseForm(), action_form=EmptyForm())


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/xuat")
@roles(ORGANIZERS)
def privacy_export(delegate_id: int):
    """The delegate's personal data as a JSON file (logged)."""
    delegate = _get(Delegate, delegate_id)
    data = privacy.export_delegate(delegate)
    from .. import audit

    audit.record("privacy.export", f"Xuất dữ liệu cá nhân của đại biểu #{delegate.id}.", entity=delegate)
    db.session.commit()
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="du-lieu-ca-nhan-{delegate.id}.json"'},
    )


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def privacy_erase(delegate_id: int):
    """Erase the delegate's personal data; the row stays as a count."""
    delegate = _get(Delegate, delegate_id)
    form = EraseForm()
    if form.validate_on_submit():
        privacy.erase_delegate(delegate, form.reason.data or "")
        db.session.commit()
        flash("Đã xóa dữ liệu cá nhân của đại biểu; số lượng tham dự vẫn được giữ.", "success")
    return redirect(url_for("admin.privacy_delegate", delegate_id=delegate.id), 303)


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/cap-lai-the", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_pass(delegate_id: int):
    """Issue a new pass (QR) to the delegate; the old one is refused from now on."""
    delegate = _get(Delegate, delegate_id)
    if delegate.erased_at is None and EmptyForm().validate_on_submit():
        privacy.regenerate_pass_code(delegate)
        db.session.commit()
        flash("Đã cấp lại thẻ đại biểu; thẻ cũ không còn dùng được. Hãy gửi lại thẻ cho đại biểu.", "success")
    return redirect(url_for("admin.privacy_delegate", delegate_id=delegate.id), 303)


@bp.route("/thu-moi/<int:invitation_id>/cap-lai-lien-ket", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_link(invitation_id: int):
    """Issue a new RSVP link for an invitation; the old link stops working."""
    invitation = _get(Invitation, invitation_id)
    if EmptyForm().validate_on_submit():
        privacy.regenerate_rsvp_token(invitation)
        db.session.commit()
        flash("Đã cấp lại đường liên kết xác nhận; liên kết cũ không còn mở được. Hãy gửi lại thư mời.", "success")
    back = request.form.get("delegate_id", type=int)
    if back:
        return redirect(url_for("admin.privacy_delegate", delegate_id=back), 303)
    return redirect(url_for("admin.privacy_index"), 303)


@bp.route("/tham-luan/<int:paper_id>/cap-lai-lien-ket", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_paper_link(paper_id: int):
    """Issue a new upload link to a speaker; the old link stops working."""
    paper = _get(Paper, paper_id)
    if EmptyForm().validate_on_submit():
        privacy.regenerate_paper_token(paper)
        db.session.commit()
        flash("Đã cấp lại đường liên kết nộp tham luận; liên kết cũ không còn mở được.", "success")
    if paper.delegate_id:
        return redirect(url_for("admin.privacy_delegate", delegate_id=paper.delegate_id), 303)
    return redirect(url_for("admin.privacy_index"), 303)
