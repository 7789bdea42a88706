from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from ..access import STAFF, public, roles
from ..forms import EmptyForm
from ..ratelimit import check_rate
from ..web import done, render
from . import bp
from .forms import LoginForm
from .services import authenticate

TOO_MANY_ATTEMPTS = "Bạn đã thử đăng nhập quá nhiều lần. Vui lòng chờ vài phút rồi thử lại."


def sign_in_allowed(username: str) -> bool:
    """Count one sign-in attempt per client address and per username; False once either is over its limit."""
    config = current_app.config
    period = config["LOGIN_RATE_PERIOD"]
    by_ip = check_rate("login-ip", request.remote_addr or "-", config["LOGIN_RATE_PER_IP"], period)
    by_name = check_rate("login-user", (username or "").strip().lower()[:64], config["LOGIN_RATE_PER_USER"], period)
    return by_ip and by_name


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
    if form.is_submitted() and not sign_in_allowed(form.username.data or ""):
        form.validate()
        form.password.errors = [*form.password.errors, TOO_MANY_ATTEMPTS]
        current_app.logger.warning("sign-in rate limit hit from %s", request.remote_addr)
        return render("auth/login.html", form=form, status=429)
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
    if not EmptyForm().validate_on_submit():
        abort(400)
    logout_user()
    return done("Bạn đã đăng xuất.", url_for("auth.login"), category="info")
