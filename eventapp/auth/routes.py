from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from ..access import STAFF, public, roles, rule_of
from ..forms import EmptyForm
from ..web import done, form_page, render, submitted
from . import bp, services
from .forms import ChangePasswordForm, LoginForm
from .throttle import Attempt

WRONG_PASSWORD = "Tên đăng nhập hoặc mật khẩu không đúng."


def too_many_attempts(seconds: int) -> str:
    """The sign-in form's answer while an attempt must wait."""
    wait = f"{seconds} giây" if seconds < 90 else f"khoảng {round(seconds / 60)} phút"
    return (f"Bạn đã thử đăng nhập sai quá nhiều lần. Vui lòng chờ {wait} rồi thử lại; "
            "máy bạn đã đăng nhập thành công trước đây không phải chờ.")


def _waiting(page, form, field, seconds: int):
    """The form again at 429 with the wait next to ``field``, and Retry-After."""
    field.errors = [*field.errors, too_many_attempts(seconds)]
    response = page(429)
    response.headers["Retry-After"] = str(seconds)
    return response


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
    """The sign-in page for the host agency's staff; wrong passwords slow down further attempts
    (:mod:`eventapp.auth.throttle`), never the right one from a device that signed in before."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()

    def page(status):
        return render("auth/login.html", form=form, status=status)

    if not submitted(form, page):
        return form_page()
    attempt = Attempt.from_request(form.username.data)
    wait = attempt.wait()
    if wait:
        current_app.logger.warning("sign-in of %r from %s must wait %d s", attempt.username, attempt.address, wait)
        return _waiting(page, form, form.password, wait)
    user = services.authenticate(form.username.data, form.password.data)
    if user is None:
        attempt.failed()
        form.password.errors = [*form.password.errors, WRONG_PASSWORD]
        return form_page()
    login_user(user, remember=form.remember.data)
    flash(f"Xin chào {user.full_name}.", "success")
    return attempt.succeeded(redirect(_safe_next(request.args.get("next")) or url_for("home.index"), 303))


@bp.route("/dang-xuat", methods=["POST"])
@roles(STAFF)
def logout():
    """Sign out (a POST, so that a link in a mail cannot do it): every session and remember cookie of the account
    ends, here and on other machines."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.sign_out(current_user._get_current_object())
    logout_user()
    return done("Bạn đã đăng xuất.", url_for("auth.login"), category="info")


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@roles(STAFF)
def change_password():
    """The signed-in user changes their own password; their other sessions end, this one goes on."""
    form = ChangePasswordForm()

    def page(status):
        return render("auth/change_password.html", form=form, status=status)

    if not submitted(form, page):
        return form_page()
    user = current_user._get_current_object()
    attempt = Attempt.from_request(user.username)
    wait = attempt.wait()
    if wait:
        return _waiting(page, form, form.current, wait)
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    services.change_own_password(user, form.current.data, form.password.data, attempt)
    login_user(user, remember=remembered)
    return done("Đã đổi mật khẩu. Các phiên đăng nhập trên máy khác đã kết thúc.", url_for("home.index"))


@bp.after_app_request
def staff_pages_are_not_stored(response):
    """Staff pages (and the sign-in pages) are never kept by the browser, so that on a shared PC the back button
    after signing out shows nothing. A view that chose its own caching keeps it."""
    rule = rule_of(request.endpoint)
    if rule is not None and (rule[0] == "roles" or request.endpoint.startswith("auth.")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
