from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from ..access import STAFF, public, roles
from ..web import render
from . import bp
from ..forms import EmptyForm
from .forms import LoginForm
from .services import authenticate


def _safe_next(target: str | None) -> str | None:
    """Only local paths, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
def login():
    """The sign-in page for the host agency's staff."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append("Tên đăng nhập hoặc mật khẩu không đúng.")
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Xin chào {user.full_name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"), 303)
    return render("auth/login.html", form=form, status=200 if not form.errors else 422)


@bp.route("/dang-xuat", methods=["POST"])
@roles(STAFF)
def logout():
    """Sign out (a POST, so that a link in a mail cannot do it)."""
    if EmptyForm().validate_on_submit():
        logout_user()
        flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)
