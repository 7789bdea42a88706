"""The limiter (memory and Redis), sign-in throttling, CSRF (forms and htmx), CSP, cookies, caching and security
headers, macro-enabled uploads."""

from __future__ import annotations

import io
import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from limits import RateLimitItemPerSecond

from eventapp import create_app
from eventapp.auth.throttle import Attempt
from eventapp.ratelimit import ForgetfulMemoryStorage, Limiter, limiter

from .conftest import PASSWORD, ROOT, login
from .ratelimits import limits_in, redis_url

TEMPLATES = ROOT / "templates"


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _csrf_token(client, path="/dang-nhap") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match[1]


@pytest.fixture(params=["memory", "redis"])
def limited(request, app):
    """The limits on, in memory and then in Redis: the same tests hold for both."""
    with limits_in(app, request.param) as limited_app:
        yield limited_app


# --- the limiter: a moving window, the same in memory and in Redis, keys forgotten --------------------

def test_the_window_moves_the_same_way_in_memory_and_in_redis(limited):
    """3 attempts per 2 seconds: the 4th is refused, still refused a second later (a fixed window would have
    started afresh at its boundary), allowed once the first attempt is 2 seconds old."""
    item = RateLimitItemPerSecond(3, 2)
    with limited.app_context():
        counter = limiter()
        first = time.time()
        assert [counter.hit(item, "essai", "a") for _ in range(4)] == [True, True, True, False]
        assert counter.count(item, "essai", "a") == 3 and counter.hit(item, "essai", "b")
        time.sleep(max(0, first + 1.2 - time.time()))
        assert not counter.hit(item, "essai", "a") and 1 <= counter.wait(item, "essai", "a") <= 1
        time.sleep(max(0, first + 2.2 - time.time()))
        assert counter.wait(item, "essai", "a") == 0 and counter.hit(item, "essai", "a")
        assert counter.count(item, "essai", "a") == 1


def test_memory_forgets_keys_whose_attempts_are_over(app):
    """limits' own memory storage keeps an empty list per key for ever; a process seeing thousands of addresses
    must not grow without end."""
    storage = ForgetfulMemoryStorage()
    counter = Limiter(storage)
    item = RateLimitItemPerSecond(5, 1)
    for n in range(300):
        counter.hit(item, "wrong-secret", f"10.0.{n // 250}.{n % 250}")
    assert len(storage.keys()) == 300
    time.sleep(1.2)  # limits' timer trims the attempts; the keys stay until forgotten
    storage.forget_expired()
    assert storage.keys() == set()
    assert counter.hit(item, "wrong-secret", "10.0.0.1") and len(storage.keys()) == 1
    storage.reset()


def test_redis_down_lets_requests_through_and_says_so(app, db, client, make_user, caplog):
    with limits_in(app, "memory", REDIS_URL="redis://127.0.0.1:9/0"):
        user = make_user("organizer")
        for _ in range(8):
            assert client.post("/dang-nhap", data={"username": user.username, "password": "sai"}).status_code == 422
        login(client, user)
    assert "rate limiter unavailable" in caplog.text


def test_rate_limit_is_off_in_the_test_app_unless_asked(client, make_user):
    user = make_user("organizer")
    for _ in range(15):
        client.post("/dang-nhap", data={"username": user.username, "password": "sai"})
    login(client, user)


# --- sign-in: failures slow down, successes never count, the owner gets in ------------------------------

STRANGER = {"REMOTE_ADDR": "10.66.0.7"}
OFFICE = {"REMOTE_ADDR": "10.10.0.20"}


def _sign_in(client, username, password, address=None):
    return client.post("/dang-nhap", data={"username": username, "password": password},
                       environ_base=address or STRANGER)


def test_successful_sign_ins_are_never_counted(limited, app, make_user):
    """Ten correct sign-ins in a quarter of an hour used to lock the account; 25 go through."""
    user = make_user("organizer")
    for _ in range(25):
        client = app.test_client()
        assert _sign_in(client, user.username, PASSWORD, OFFICE).status_code == 303
        assert client.post("/dang-xuat", environ_base=OFFICE).status_code == 303


def test_wrong_passwords_slow_down_further_ones_with_a_doubling_wait(limited, client, make_user):
    user = make_user("admin")
    free = limited.config["LOGIN_FREE_FAILURES_PER_USER"]
    for _ in range(free):
        assert _sign_in(client, user.username, "sai-mat-khau").status_code == 422
    waits = []
    for _ in range(3):
        refused = _sign_in(client, user.username, PASSWORD)  # even the right password waits, from a stranger
        assert refused.status_code == 429
        body = refused.get_data(as_text=True)
        assert "quá nhiều lần" in body and "chờ" in body and 'name="username"' in body
        waits.append(int(refused.headers["Retry-After"]))
        time.sleep(waits[-1] + 0.1)
        assert _sign_in(client, user.username, "van-sai-mat-khau").status_code == 422
    assert waits == [1, 2, 4], "each failure past the free ones doubles the wait"
    assert client.get("/hoi-nghi/").status_code == 302, "nothing let the stranger in"


def test_a_stranger_guessing_cannot_keep_the_owner_out(limited, app, make_user):
    """The administrator signed in from the office yesterday; today a stranger on the venue Wi-Fi tries twenty
    wrong passwords: the administrator's browser (its device cookie) and the office address still get in."""
    admin = make_user("admin")
    own_browser = app.test_client()
    assert _sign_in(own_browser, admin.username, PASSWORD, OFFICE).status_code == 303
    own_browser.post("/dang-xuat", environ_base=OFFICE)
    stranger = app.test_client()
    assert [_sign_in(stranger, admin.username, f"doan-{n}").status_code for n in range(5)] == [422] * 5
    with app.test_request_context(environ_base=STRANGER):
        for _ in range(15):  # and fifteen more over the last quarter of an hour
            Attempt.from_request(admin.username).failed()
    answers = [_sign_in(stranger, admin.username, f"doan-{n}").status_code for n in range(10)]
    assert set(answers) == {429}
    refused = _sign_in(stranger, admin.username, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 250
    # The owner's own browser, even from the stranger's address (the same NAT), is let through.
    assert _sign_in(own_browser, admin.username, PASSWORD, STRANGER).status_code == 303
    assert own_browser.get("/hoi-nghi/", environ_base=STRANGER).status_code == 200
    # Another browser in the office, where the account signed in before, too.
    colleague_pc = app.test_client()
    assert _sign_in(colleague_pc, admin.username, PASSWORD, OFFICE).status_code == 303
    # A new browser somewhere new waits like the stranger.
    elsewhere = app.test_client()
    assert _sign_in(elsewhere, admin.username, PASSWORD, {"REMOTE_ADDR": "10.99.0.1"}).status_code == 429


def test_a_known_device_is_slowed_down_by_its_own_failures(limited, app, make_user):
    user = make_user("reception")
    browser = app.test_client()
    assert _sign_in(browser, user.username, PASSWORD, OFFICE).status_code == 303
    browser.post("/dang-xuat", environ_base=OFFICE)
    free = limited.config["LOGIN_FREE_FAILURES_PER_USER"]
    for _ in range(free):
        assert _sign_in(browser, user.username, "sai").status_code == 422
    assert _sign_in(browser, user.username, PASSWORD).status_code == 429
    forged = app.test_client()
    forged.set_cookie("known_device", "eyJkIjoieCIsInUiOlsicmVjZXB0aW9uMSJdfQ.forged")
    assert _sign_in(forged, user.username, PASSWORD).status_code == 429, "a forged device cookie counts for nothing"


def test_failures_per_address_slow_down_every_username_from_it(limited, app, client, make_user):
    user = make_user("organizer")
    free = limited.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]
    for n in range(free):
        assert _sign_in(client, f"ai-do-{n}", "x").status_code == 422
    assert _sign_in(client, "nguoi-khac", "x").status_code == 429
    assert _sign_in(client, user.username, PASSWORD).status_code == 429
    assert _sign_in(app.test_client(), user.username, PASSWORD, {"REMOTE_ADDR": "10.1.2.3"}).status_code == 303


def test_two_app_instances_share_the_counts_in_redis(app, db, make_user):
    url = redis_url()
    prefix = f"eventapp-test-{uuid.uuid4().hex[:8]}"
    config = {**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_FOLDER")},
              "TESTING": True, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
              "REMEMBER_COOKIE_SECURE": False, "RATELIMIT_ENABLED": True, "REDIS_URL": url,
              "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_FREE_FAILURES_PER_USER": 4}
    first, second = create_app(dict(config)), create_app(dict(config))
    user = make_user("organizer", username=f"redis-{uuid.uuid4().hex[:8]}")
    try:
        a, b = first.test_client(), second.test_client()
        for client in (a, b, a, b):  # four failures over two "workers"
            assert _sign_in(client, user.username, "sai").status_code == 422
        assert _sign_in(b, user.username, PASSWORD).status_code == 429
        assert _sign_in(a, user.username, PASSWORD).status_code == 429
    finally:
        with first.app_context():
            limiter().reset()
        for instance in (first, second):
            with instance.app_context():
                from eventapp.extensions import db as _db

                _db.engine.dispose()


# --- CSRF -------------------------------------------------------------------------------------------

def test_post_without_csrf_token_is_refused_with_a_vietnamese_page(csrf_on, client, make_user):
    user = make_user("organizer")
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Phiên biểu mẫu đã hết hạn" in body and "<html" in body


def test_form_post_with_its_token_passes(csrf_on, client, make_user):
    user = make_user("organizer")
    token = _csrf_token(client)
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def test_htmx_post_with_the_header_token_passes_and_without_gets_a_fragment(csrf_on, client, make_user):
    user = make_user("organizer")
    login_token = _csrf_token(client)
    client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD, "csrf_token": login_token})
    token = _csrf_token(client, "/hoi-nghi/")  # from <body hx-headers>
    refused = client.post("/dang-xuat", headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert "<html" not in refused.get_data(as_text=True) and refused.headers["HX-Retarget"] == "#flash-area"
    assert client.get("/hoi-nghi/").status_code == 200, "still signed in after the refused POST"
    accepted = client.post("/dang-xuat", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 303
    assert client.get("/hoi-nghi/").status_code == 302


def test_every_state_changing_route_is_csrf_protected_except_the_device_api(app):
    """Only device-API views (bearer tokens, no cookies) may be exempt from CSRF."""
    from eventapp.extensions import csrf

    exempt = set(csrf._exempt_views) | {f"blueprint:{b}" for b in csrf._exempt_blueprints}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        name = f"{view.__module__}.{view.__name__}"
        if name in exempt or rule.endpoint.split(".")[0] in csrf._exempt_blueprints:
            kind = getattr(view, "access_rule", (None,))[0]
            assert kind == "device", f"{rule.endpoint} is CSRF-exempt but not a bearer-token device API view"


# --- cookies and headers ----------------------------------------------------------------------------

def test_session_cookie_is_secure_httponly_samesite_in_production_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    from eventapp.config import from_environment

    config = from_environment(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax" and config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["RATELIMIT_ENABLED"] is True


def test_set_cookie_carries_the_flags(app, client, make_user):
    user = make_user("organizer")
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    try:
        response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD, "remember": "y"},
                               base_url="https://localhost")
    finally:
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/dang-nhap", "/khong-co-trang-nay", "/healthz"])
def test_security_headers_on_every_answer(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'" and "form-action" in directives
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in response.headers
    assert "Strict-Transport-Security" not in response.headers  # only over HTTPS


def test_error_pages_do_not_leak_details(app):
    """An unexpected exception answers a Vietnamese 500 page without the exception's text."""
    from eventapp.access import public

    other = create_app({"TESTING": True, "TEST_FRIENDLY_ERRORS": True, "SECRET_KEY": "x",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    def boom():
        raise RuntimeError("secret stack detail")

    other.add_url_rule("/__boom", "boom", public(boom))
    response = other.test_client().get("/__boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret stack detail" not in body and "Traceback" not in body and "Lỗi hệ thống" in body
    with other.app_context():
        from eventapp.extensions import db as _db

        _db.engine.dispose()


# --- no inline scripts ------------------------------------------------------------------------------

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _inline_problems(html: str) -> list[str]:
    problems = [m.group(0)[:120] for m in INLINE_HANDLER.finditer(html)]
    for attrs, body in SCRIPT_TAG.findall(html):
        if "src=" not in attrs or body.strip():
            problems.append(f"<script{attrs}>{body[:80]}")
    problems += re.findall(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", html, re.IGNORECASE)
    return problems


def test_no_template_has_inline_scripts_or_handlers():
    offenders = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        problems = _inline_problems(path.read_text(encoding="utf-8"))
        if problems:
            offenders[str(path.relative_to(ROOT))] = problems
    assert not offenders, offenders


@pytest.mark.filterwarnings("ignore:Passing SelectField choices:DeprecationWarning")
def test_rendered_pages_have_no_inline_scripts(app, login_as, make_conference):
    """Render every parameterless GET page for an admin and check the HTML the browser would get."""
    conference = make_conference()
    client = login_as("admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        values = {}
        if set(rule.arguments) - {"conference_id"}:
            continue
        if "conference_id" in rule.arguments:
            values["conference_id"] = conference.id
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        assert response.status_code < 500, url
        problems = _inline_problems(response.get_data(as_text=True))
        assert not problems, (url, problems)
        checked += 1
    assert checked >= 5


def test_static_javascript_is_served_from_our_origin_only():
    for path in Path(TEMPLATES).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for src in re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html):
            assert "//" not in src or src.startswith("{{"), (path, src)


# --- uploads: macro-enabled Office files are refused by their content ----------------------------------

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504  # how a vbaProject.bin begins


def _with_macros(data: bytes, *, project=True, content_type=True, part="word/vbaProject.bin") -> bytes:
    """A real .docx turned into what Word saves as .docm (a VBA project and its content types), or a part of it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml" and content_type:
                content = content.replace(WORD_MAIN.encode(), WORD_MACRO_MAIN.encode()).replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                                 b"</Types>")
            archive.writestr(info, content)
        if project:
            archive.writestr(part, OLE2)
    return out.getvalue()


@pytest.mark.parametrize("variant", [
    {"project": True, "content_type": True},  # a .docm renamed .docx
    {"project": True, "content_type": False},  # the VBA project alone
    {"project": False, "content_type": True},  # the content type alone
    {"project": True, "content_type": False, "part": "word/activeX/activeX1.bin"},  # an ActiveX control
])
def test_a_macro_enabled_word_file_renamed_docx_is_refused(app, db, client, make_conference, make_paper, variant):
    from eventapp.models import PaperFile

    from .documents import docx_bytes

    paper = make_paper(make_conference())
    folder = Path(app.config["UPLOAD_FOLDER"])
    before = set(folder.iterdir()) if folder.exists() else set()
    response = client.post(f"/tham-luan/{paper.token}", data={
        "title": "Chuyển đổi số", "summary": "",
        "file": (io.BytesIO(_with_macros(docx_bytes(), **variant)), "tham-luan.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "macro" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 0
    assert set(folder.iterdir()) == before, "nothing stays on disk"


def test_a_plain_docx_and_pptx_still_pass(app, db):
    from werkzeug.datastructures import FileStorage

    from eventapp import uploads

    from .documents import docx_bytes, pptx_bytes

    for data, name, kind in ((docx_bytes(), "bai.docx", "docx"), (pptx_bytes(), "bai.pptx", "pptx")):
        stored = uploads.save_upload(FileStorage(stream=io.BytesIO(data), filename=name))
        assert stored.extension == kind
        uploads.discard(stored.stored_name)


# --- exports the spreadsheet test does not drive: text from outside stays text -----------------------------

FORMULA = '=HYPERLINK("http://evil.example/x","Bấm xem")'


def _risky_cells(data: bytes):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"], "no formula in this export"
    return [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]


def test_the_import_template_and_an_organizers_log_export_write_formulas_as_text(db, organizer_client,
                                                                                 make_conference):
    """The import template lists the agency groups (names typed by organizers) and an organizer now exports the
    log of a conference: both go through eventapp.spreadsheets, so a name that looks like a formula stays text."""
    from eventapp import audit
    from eventapp.models import AgencyGroup

    conference = make_conference()
    db.session.add(AgencyGroup(name=FORMULA, position=1))
    audit.record("invitation.create", FORMULA, conference_id=conference.id, actor="+ngoài")
    db.session.commit()
    template = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/mau-nhap.xlsx")
    log = organizer_client.get(f"/nhat-ky/xuat?format=xlsx&conference_id={conference.id}")
    for data in (template.data, log.data):
        risky = _risky_cells(data)
        assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
        assert any(c.value == FORMULA for c in risky)
    rows = organizer_client.get(f"/nhat-ky/xuat?format=csv&conference_id={conference.id}").data.decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in rows and "'+ngoài" in rows
