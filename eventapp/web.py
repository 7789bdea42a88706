"""What every page shares: the page-or-fragment renderer, error pages, headers and template filters."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, g, make_response, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from . import text, vntime

ERROR_MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đúng. Vui lòng kiểm tra và thử lại."),
    401: ("Cần đăng nhập", "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không được phép mở trang này."),
    404: ("Không tìm thấy", "Trang hoặc dữ liệu bạn tìm không tồn tại hoặc đã bị xóa."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận thao tác vừa gửi."),
    409: ("Xung đột dữ liệu", "Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang."),
    413: ("Tệp quá lớn", "Tệp gửi lên vượt quá dung lượng cho phép."),
    429: ("Quá nhiều yêu cầu", "Bạn thao tác quá nhanh. Vui lòng chờ một lát rồi thử lại."),
    500: ("Lỗi hệ thống", "Đã có lỗi ngoài dự kiến; dữ liệu chưa được lưu. Vui lòng thử lại hoặc báo bộ phận kỹ thuật."),
}


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render a page, or only its ``block`` for an htmx request; both vary on HX-Request."""
    if block and request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted"):
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def endpoint_exists(endpoint: str) -> bool:
    """True when a view is registered under ``endpoint`` (features light up as they land)."""
    return endpoint in current_app.view_functions


def url_if(endpoint: str, **values) -> str | None:
    """``url_for`` that returns None for endpoints not registered."""
    if not endpoint_exists(endpoint):
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


#: The main navigation: (label, endpoint, roles allowed to see it). Entries appear once their feature lands.
MAIN_NAV = [
    ("Hội nghị", "conferences.index", {"organizer", "admin"}),
    ("Đón tiếp", "home.reception", {"reception"}),
    ("Nhiệm vụ của phòng", "tasks.board", {"department", "organizer", "admin"}),
    ("Nhiệm vụ của phòng", "home.department", {"department"}),
    ("Cơ quan, đơn vị", "agencies.index", {"organizer", "admin"}),
    ("Địa điểm", "venues.index", {"organizer", "admin"}),
    ("Chương trình công tác", "workprogram.index", {"organizer", "admin"}),
    ("Định mức chi", "budget.norms", {"organizer", "admin"}),
    ("Thư đi", "mail.outbox", {"organizer", "admin"}),
    ("Dữ liệu cá nhân", "admin.privacy_index", {"organizer"}),
    ("Nhật ký", "audit.index", {"admin"}),
    ("Quản trị", "admin.index", {"admin"}),
]


def main_nav() -> list[tuple[str, str, str]]:
    """(label, url, endpoint) of the main menu for the signed-in user."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return []
    items, labels = [], set()
    for label, endpoint, allowed in MAIN_NAV:
        if current_user.role in allowed and label not in labels:
            url = url_if(endpoint)
            if url:
                items.append((label, url, endpoint))
                labels.add(label)
    return items


def host_agency():
    """The host agency's settings, loaded once per request."""
    if "host_agency" not in g:
        from .extensions import db
        from .models import HostAgency

        g.host_agency = db.session.scalar(db.select(HostAgency).limit(1))
    return g.host_agency


def enum_label(value: str, enum_name: str) -> str:
    """Jinja filter: the Vietnamese label of a stored enum value, e.g. ``t.status|label("TaskStatus")``."""
    from .models import enums

    try:
        return getattr(enums, enum_name)(value).label
    except (AttributeError, ValueError):
        return value


#: Headers an agency's IT office checks for; scripts only from our own origin. A view may set its own.
SECURITY_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
     "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
     "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def security_headers(response: Response) -> Response:
    """after_request: add the SECURITY_HEADERS a view has not set (HSTS over HTTPS). One pass over the
    response's headers, not a lookup per header: Headers.setdefault raises and catches a KeyError for every
    header missing, seven per request."""
    present = {name.lower() for name, _value in response.headers}
    wanted = (*SECURITY_HEADERS, HSTS) if request.is_secure else SECURITY_HEADERS
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


def refuse_nul_characters():
    """before_request: a NUL character is never meaningful here and PostgreSQL cannot store it, so a request
    carrying one (in the path, the query, a form field or a JSON body) is answered 400 before any view runs."""
    if "\x00" in request.path or any("\x00" in v for _, v in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            body = request.get_data(cache=True)
            if b"\x00" in body or b"\\u0000" in body:
                abort(400)
        elif any("\x00" in v for _, v in request.form.items(multi=True)):
            abort(400)
    return None


def handle_http_error(error: HTTPException):
    """A friendly Vietnamese page (or fragment, or JSON for the API) for every HTTP error."""
    code = error.code or 500
    title, message = ERROR_MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        title, message = "Phiên biểu mẫu đã hết hạn", "Vui lòng tải lại trang rồi gửi lại."
    if request.path.startswith("/api/"):
        return {"result": "error", "status": code, "message": message}, code
    if request.headers.get("HX-Request") == "true":
        response = make_response(render_template("errors/_fragment.html", title=title, message=message), code)
        response.headers["HX-Retarget"] = "#flash-area"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_unexpected_error(error: Exception):
    """Log the failure, roll back the session, and answer 500 without leaking details."""
    from .extensions import db

    db.session.rollback()
    current_app.logger.exception("unhandled error on %s", request.path)
    if current_app.testing and not current_app.config.get("TEST_FRIENDLY_ERRORS"):
        raise error
    return handle_http_error(_InternalError())


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, except for a device API call with a bearer token (a scanner): the token
    alone authenticates it, so it reads no session cookie and sets none. That also spares each scan the
    session's signing work, about a sixth of a check-in's Python (bench/NOTES.md). Pages keep their session
    whatever headers come with them."""

    def open_session(self, app, request):
        if request.path.startswith("/api/") and request.headers.get("Authorization", "")[:7].lower() == "bearer ":
            return self.make_null_session(app)
        return super().open_session(app, request)


class _InternalError(HTTPException):
    code = 500


def register_web(app: Flask) -> None:
    """Template filters and globals, error handlers and response headers."""
    app.add_template_filter(text.format_money, "money")
    app.add_template_filter(text.format_phone, "phone")
    app.add_template_filter(vntime.format_date, "date")
    app.add_template_filter(vntime.format_time, "time")
    app.add_template_filter(vntime.format_datetime, "datetime")
    app.add_template_filter(vntime.weekday_vn, "weekday")
    app.add_template_filter(vntime.to_local, "local")
    app.add_template_filter(enum_label, "label")
    app.add_template_global(url_if)
    app.add_template_global(endpoint_exists)
    app.add_template_global(main_nav)
    app.add_template_global(host_agency)
    from .conferences.nav import conference_sections

    app.add_template_global(conference_sections)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
    app.session_interface = SessionInterface()
    app.before_request(refuse_nul_characters)
    app.after_request(security_headers)
