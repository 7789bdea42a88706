"""What every page shares: one way to answer (page or fragment, a write done or refused, a download), errors
answered in one place, headers and template filters."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm as Form
from flask_wtf.csrf import CSRFError
from htmx_flask import make_response as htmx_make_response
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import HTTPException

from . import text, vntime
from .errors import UserError
from .extensions import db
from .models import HostAgency, enums
from .workspace import add_conference_id, conference_context, conference_tabs, main_menu, pull_conference_id

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


def is_fragment_request() -> bool:
    """An htmx request that swaps a part of the page (a boosted link wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """The one way a page is answered: the whole page, or only its ``block`` for an htmx request that swaps a
    part of it (jinja2-fragments); both vary on HX-Request."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


#: A page that shows a form again: called with the status to answer (200 first, 422 when refused).
Page = Callable[[int], Response]


def submitted(form: Form, page: Page) -> bool:
    """True when ``form`` was posted and is valid. ``page`` is how this request shows the form again: what
    :func:`form_page` answers, and what a :class:`~eventapp.errors.UserError` raised further on is answered
    with, the message next to its field."""
    g.form_page = (page, form)
    return form.validate_on_submit()


def on_refusal(page: Callable[[int], Response] | None = None, url: str | None = None) -> None:
    """For an action without a form to show again (move, reorder, save a preview...), should a UserError
    refuse it: ``page`` is the fragment an htmx request gets back at 422 with the message in the flash area;
    ``url`` is where a plain request goes with the message flashed (else the page it came from)."""
    g.refusal = (page, url)


def form_page() -> Response:
    """The page of the form given to :func:`submitted`: 422 (htmx: its fragment) when the form was refused,
    200 when it is shown for the first time."""
    page, form = g.form_page
    return page(422 if form.errors else 200)


def done(message: str, url: str, page: Callable[[], Response] | None = None, category: str = "success") -> Response:
    """A write that succeeded: for an htmx request and a ``page`` to show, that page (its fragment) with the
    message in the flash area; otherwise the message flashed and a 303 to ``url``."""
    if page is not None and is_fragment_request():
        return with_messages(page(), [(category, message)])
    flash(message, category)
    return redirect(url, 303)


def failed(message: str, url: str | None = None) -> Response:
    """A refused action without a form to show again: for htmx the message in the flash area at 422, for a
    plain request the message flashed and a 303 back (to ``url``, else the page the request came from)."""
    if request.htmx:
        response = make_response(render_template("errors/_fragment.html", message=message), 422)
        return htmx_response_headers(response, retarget="#flash-area", reswap="innerHTML")
    flash(message, "error")
    return redirect(url or back_url(), 303)


def with_messages(response: Response, messages: list[tuple[str, str]]) -> Response:
    """Add the flash area's new content to an htmx response (an out-of-band swap)."""
    oob = render_template("_flash_oob.html", messages=messages)
    response.set_data(response.get_data() + oob.encode())
    return response


def htmx_response_headers(response: Response, **headers) -> Response:
    """Set htmx's response headers (HX-Trigger, HX-Redirect...) through htmx-flask. Its 0.1.0 list of swap
    styles joins "beforebegin" and "afterbegin" for want of a comma, so an ``afterbegin`` reswap is set here."""
    reswap = headers.pop("reswap", None)
    answer = htmx_make_response(response, **headers)
    if reswap:
        answer.headers["HX-Reswap"] = reswap
    return answer


def back_url() -> str:
    """Where a refused plain request goes back to: the page it came from (same site only), else the
    conference's overview or the home page."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path != request.path and _is_page(referrer.path):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if g.get("conference") is not None:
        return url_for("conferences.overview")
    return url_for("home.index")


def public_url(endpoint: str, **values) -> str:
    """The address of a page as a delegate opens it (PUBLIC_BASE_URL, not the request's host), for mails,
    letters and QR codes; needs no request (the mail worker has none)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def _is_page(path: str) -> bool:
    """Whether ``path`` is a page of this app that a GET opens (not a form's POST-only address)."""
    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except HTTPException:
        return False
    return True


def download(data: bytes, filename: str, mimetype: str) -> Response:
    """A file to save: ``filename`` as the browser should name it (UTF-8 names are encoded, RFC 6266)."""
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def host_agency():
    """The host agency's settings, loaded once per request."""
    if "host_agency" not in g:
        g.host_agency = db.session.scalar(db.select(HostAgency).limit(1))
    return g.host_agency


def enum_label(value: str, enum_name: str) -> str:
    """Jinja filter: the Vietnamese label of a stored enum value, e.g. ``t.status|label("TaskStatus")``."""
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
    """after_request: add the SECURITY_HEADERS a view has not set (HSTS over HTTPS)."""
    for name, value in (*SECURITY_HEADERS, HSTS) if request.is_secure else SECURITY_HEADERS:
        response.headers.setdefault(name, value)
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


def handle_user_error(error: UserError):
    """A service refused the request (:class:`UserError`): roll back, then show the form again with the message
    next to its field when the view named one (:func:`submitted`), else the message alone; the JSON API
    answers its contract."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        return {"result": error.result, "message": error.message}, 400
    if "form_page" in g:
        _page, form = g.form_page
        field = form._fields.get(error.field) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return form_page()
    page, url = g.get("refusal", (None, None))
    if page is not None and is_fragment_request():
        return with_messages(page(422), [("error", error.message)])
    return failed(error.message, url)


def handle_http_error(error: HTTPException):
    """A friendly Vietnamese page (or fragment, or JSON for the API) for every HTTP error."""
    code = error.code or 500
    title, message = ERROR_MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        title, message = "Phiên biểu mẫu đã hết hạn", "Vui lòng tải lại trang rồi gửi lại."
    if request.path.startswith("/api/"):
        return {"result": "error", "status": code, "message": message}, code
    if request.htmx:
        response = make_response(render_template("errors/_fragment.html", title=title, message=message), code)
        return htmx_response_headers(response, retarget="#flash-area", reswap="innerHTML")
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_unexpected_error(error: Exception):
    """Log the failure, roll back the session, and answer 500 without leaking details."""
    db.session.rollback()
    current_app.logger.exception("unhandled error on %s", request.path)
    if current_app.testing and not current_app.config.get("TEST_FRIENDLY_ERRORS"):
        raise error
    return handle_http_error(_InternalError())


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
    app.add_template_global(main_menu)
    app.add_template_global(conference_tabs)
    app.add_template_global(host_agency)
    app.register_error_handler(UserError, handle_user_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
    app.url_value_preprocessor(pull_conference_id)
    app.url_defaults(add_conference_id)
    app.context_processor(conference_context)
    app.before_request(refuse_nul_characters)
    app.after_request(security_headers)
