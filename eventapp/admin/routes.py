"""Admin pages: settings, departments, accounts; the personal-data page for admins and organizers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_login import current_user, login_user

from .. import privacy
from ..access import ADMINS, ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import Delegate, Department, Invitation, Paper, Role, User
from ..web import done, download, failed, form_page, on_refusal, render, submitted
from ..workspace import menu
from . import bp, services
from .forms import DepartmentForm, EraseForm, HostAgencyForm, PasswordResetForm, RoleForm, UserForm


@bp.route("/", methods=["GET", "POST"])
@roles(ADMINS)
@menu("Quản trị", order=110)
def index():
    """The host agency's letterhead and settings (incl. how long personal data is kept)."""
    host = services.host_agency()
    form = HostAgencyForm(obj=host)
    if submitted(form, lambda status: render("admin/index.html", form=form, host=host, status=status)):
        services.save_host_agency(form.values())
        return done("Đã lưu thông tin cơ quan.", url_for("admin.index"))
    return form_page()


@bp.route("/phong-ban", methods=["GET", "POST"])
@roles(ADMINS)
def departments():
    """The departments of the host agency, and a form to add one."""
    form = DepartmentForm()
    items = db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()
    if submitted(form, lambda status: render("admin/departments.html", form=form, departments=items, status=status)):
        department = services.save_department(form.values())
        return done(f"Đã thêm «{department.name}».", url_for("admin.departments"))
    return form_page()


@bp.route("/phong-ban/<int:department_id>", methods=["GET", "POST"])
@roles(ADMINS)
def department_edit(department_id: int):
    """Edit a department's name, abbreviation, email and order."""
    department = db.get_or_404(Department, department_id)
    form = DepartmentForm(obj=department)
    if submitted(form, lambda status: render("admin/department_edit.html", form=form, department=department,
                                             status=status)):
        services.save_department(form.values(), department)
        return done("Đã lưu.", url_for("admin.departments"))
    return form_page()


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
    if submitted(form, lambda status: render("admin/user_new.html", form=form, status=status)):
        user = services.add_user(form.values())
        return done(f"Đã tạo tài khoản {user.username}.", url_for("admin.users"))
    return form_page()


def _user_page(user: User, form=None, password_form=None):
    """The account page: its role form and its password form (the one posted shows its errors)."""
    if form is None:
        form = RoleForm(obj=user, prefix="role", formdata=None)
        form.department_id.choices = services.department_choices()
    return lambda status: render("admin/user_edit.html", user=user, form=form,
                                 password_form=password_form or PasswordResetForm(prefix="pw", formdata=None),
                                 action_form=EmptyForm(), status=status)


@bp.route("/tai-khoan/<int:user_id>", methods=["GET", "POST"])
@roles(ADMINS)
def user_edit(user_id: int):
    """One account: change its role, reset its password, lock or unlock it."""
    user = db.get_or_404(User, user_id)
    form = RoleForm(obj=user, prefix="role")
    form.department_id.choices = services.department_choices()
    if submitted(form, _user_page(user, form=form)):
        services.change_role(user, form.role.data, form.department_id.data)
        return done("Đã đổi vai trò.", url_for("admin.user_edit", user_id=user.id))
    return form_page()


@bp.route("/tai-khoan/<int:user_id>/mat-khau", methods=["POST"])
@roles(ADMINS)
def user_password(user_id: int):
    """Set a new password for an account."""
    user = db.get_or_404(User, user_id)
    password_form = PasswordResetForm(prefix="pw")
    if not submitted(password_form, _user_page(user, password_form=password_form)):
        return form_page()
    services.reset_password(user, password_form.password.data)
    if user.id == current_user.id:  # an admin resetting their own password stays signed in here
        login_user(user)
    return done(f"Đã đặt lại mật khẩu cho {user.username}.", url_for("admin.user_edit", user_id=user.id))


@bp.route("/tai-khoan/<int:user_id>/trang-thai", methods=["POST"])
@roles(ADMINS)
def user_active(user_id: int):
    """Lock (deactivate) or unlock an account; ``active=0`` or ``1``."""
    user = db.get_or_404(User, user_id)
    back = url_for("admin.user_edit", user_id=user.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    on_refusal(url=back)
    services.set_active(user, request.form.get("active") == "1", current_user)
    return done("Đã mở lại tài khoản." if user.active else "Đã khóa tài khoản.", back)


# --- personal data (Decree 13/2023/NĐ-CP) ---------------------------------------------------------------

@bp.route("/du-lieu-ca-nhan")
@roles(ORGANIZERS)
@menu("Dữ liệu cá nhân", order=90, roles={Role.ORGANIZER})
def privacy_index():
    """Find the person a request about personal data is about (export, erase, new pass or link): a delegate, or
    someone invited by name who has no delegate row (declined, not answered)."""
    q = (request.args.get("q") or "")[:200]
    delegates, invitations = services.find_people(q)
    return render("admin/privacy.html", block="results", q=q, delegates=delegates, invitations=invitations)


def _person_page(subject: privacy.Subject, export_url: str, erase_url: str):
    return render("admin/privacy_person.html", subject=subject, data=privacy.export(subject), export_url=export_url,
                  erase_url=erase_url, erase_form=EraseForm(), action_form=EmptyForm())


def _person_invited(invitation_id: int) -> privacy.Subject:
    """The invitee of an invitation by name (404 for an agency's invitation, which names no one)."""
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.kind != "person":
        abort(404)
    return privacy.Subject.of_invitation(invitation)


def _archive(subject: privacy.Subject, number: int):
    return download(privacy.export_on_request(subject), f"du-lieu-ca-nhan-{number}.zip", "application/zip")


def _erase(subject: privacy.Subject, back: str):
    form = EraseForm()
    if not form.validate_on_submit():
        abort(400)
    privacy.erase(subject, form.reason.data or "")
    return done("Đã xóa dữ liệu cá nhân; số lượng mời, trả lời và tham dự vẫn được giữ.", back)


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>")
@roles(ORGANIZERS)
def privacy_delegate(delegate_id: int):
    """One delegate's personal data (the invitee's, with their invitation, for an invitation by name), with the
    actions a data subject may ask for."""
    subject = privacy.Subject.of_delegate(db.get_or_404(Delegate, delegate_id))
    return _person_page(subject, url_for("admin.privacy_export", delegate_id=delegate_id),
                        url_for("admin.privacy_erase", delegate_id=delegate_id))


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/xuat")
@roles(ORGANIZERS)
def privacy_export(delegate_id: int):
    """The delegate's personal data and the files they uploaded, as a ZIP (logged)."""
    return _archive(privacy.Subject.of_delegate(db.get_or_404(Delegate, delegate_id)), delegate_id)


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def privacy_erase(delegate_id: int):
    """Erase the delegate's personal data everywhere; the rows stay as counts."""
    subject = privacy.Subject.of_delegate(db.get_or_404(Delegate, delegate_id))
    return _erase(subject, url_for("admin.privacy_delegate", delegate_id=delegate_id))


@bp.route("/du-lieu-ca-nhan/thu-moi/<int:invitation_id>")
@roles(ORGANIZERS)
def privacy_invitation(invitation_id: int):
    """The personal data of someone invited by name who has no delegate row (they declined, or have not
    answered)."""
    subject = _person_invited(invitation_id)
    return _person_page(subject, url_for("admin.privacy_invitation_export", invitation_id=invitation_id),
                        url_for("admin.privacy_invitation_erase", invitation_id=invitation_id))


@bp.route("/du-lieu-ca-nhan/thu-moi/<int:invitation_id>/xuat")
@roles(ORGANIZERS)
def privacy_invitation_export(invitation_id: int):
    """Their personal data as a ZIP (logged)."""
    return _archive(_person_invited(invitation_id), invitation_id)


@bp.route("/du-lieu-ca-nhan/thu-moi/<int:invitation_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def privacy_invitation_erase(invitation_id: int):
    """Erase their personal data everywhere; the invitation and its answer stay as counts."""
    return _erase(_person_invited(invitation_id), url_for("admin.privacy_invitation", invitation_id=invitation_id))


@bp.route("/du-lieu-ca-nhan/<int:delegate_id>/cap-lai-the", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_pass(delegate_id: int):
    """Issue a new pass (QR) to the delegate; the old one is refused from now on."""
    delegate = db.get_or_404(Delegate, delegate_id)
    back = url_for("admin.privacy_delegate", delegate_id=delegate.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if delegate.erased_at is not None:
        return failed("Dữ liệu của đại biểu đã bị xóa; không cấp lại thẻ.", back)
    privacy.regenerate_pass_code(delegate)
    return done("Đã cấp lại thẻ đại biểu; thẻ cũ không còn dùng được. Hãy gửi lại thẻ cho đại biểu.", back)


@bp.route("/thu-moi/<int:invitation_id>/cap-lai-lien-ket", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_link(invitation_id: int):
    """Issue a new RSVP link for an invitation; the old link stops working."""
    invitation = db.get_or_404(Invitation, invitation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    privacy.regenerate_rsvp_token(invitation)
    delegate_id = request.form.get("delegate_id", type=int)
    if delegate_id:
        back = url_for("admin.privacy_delegate", delegate_id=delegate_id)
    elif invitation.kind == "person":
        back = url_for("admin.privacy_invitation", invitation_id=invitation.id)
    else:
        back = url_for("admin.privacy_index")
    return done("Đã cấp lại đường liên kết xác nhận; liên kết cũ không còn mở được. Hãy gửi lại thư mời.", back)


@bp.route("/tham-luan/<int:paper_id>/cap-lai-lien-ket", methods=["POST"])
@roles(ORGANIZERS)
def regenerate_paper_link(paper_id: int):
    """Issue a new upload link to a speaker; the old link stops working."""
    paper = db.get_or_404(Paper, paper_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    privacy.regenerate_paper_token(paper)
    return done("Đã cấp lại đường liên kết nộp tham luận; liên kết cũ không còn mở được.",
                url_for("admin.privacy_delegate", delegate_id=paper.delegate_id) if paper.delegate_id
                else url_for("admin.privacy_index"))
