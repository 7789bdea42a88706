"""Sign-in rate limits (memory and Redis), CSRF (forms and htmx), CSP, cookies and security headers."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from eventapp import create_app
from eventapp.ratelimit import limiter

from .conftest import PASSWORD, ROOT, login

TEMPLATES = ROOT / "templates"


@pytest.fixture()
def rate_limited(app):
    """RATELIMIT_ENABLED on for this test, with a fresh in-memory limiter."""
    old = app.config["RATELIMIT_ENABLED"], app.config.get("REDIS_URL")
    app.config.update(RATELIMIT_ENABLED=True, REDIS_URL="")
    app.extensions.pop("eventapp_limiter", None)
    yield app
    app.extensions.pop("eventapp_limiter", None)
    app.config["RATELIMIT_ENABLED"], app.config["REDIS_URL"] = old


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


# --- rate limits ------------------------------------------------------------------------------------

def test_sign_in_attempts_per_username_are_limited_with_a_vietnamese_429(rate_limited, client, make_user):
    user = make_user("organizer")
    limit = rate_limited.config["LOGIN_RATE_PER_USER"]
    for _ in range(limit):
        response = client.post("/dang-nhap", data={"username": user.username, "password": "sai-mat-khau"})
        assert response.status_code == 422
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "quá nhiều lần" in body and 'name="username"' in body
    assert client.get("/hoi-nghi/").status_code == 302, "the correct password was not let through"


def test_sign_in_attempts_per_address_are_limited_across_usernames(rate_limited, client, make_user):
    rate_limited.config["LOGIN_RATE_PER_IP"], old = 5, rate_limited.config["LOGIN_RATE_PER_IP"]
    try:
        for n in range(5):
            assert client.post("/dang-nhap", data={"username": f"ai-do-{n}", "password": "x"}).status_code == 422
        response = client.post("/dang-nhap", data={"username": "nguoi-khac", "password": "x"})
        assert response.status_code == 429
        # Another address is not affected.
        other = client.post("/dang-nhap", data={"username": "nguoi-khac", "password": "x"},
                            environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert other.status_code == 422
    finally:
        rate_limited.config["LOGIN_RATE_PER_IP"] = old


def test_rate_limit_is_off_in_the_test_app_unless_asked(client, make_user):
    user = make_user("organizer")
    for _ in range(15):
        client.post("/dang-nhap", data={"username": user.username, "password": "sai"})
    login(client, user)


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip(f"no Redis at {url}")
    return url


def test_two_app_instances_share_the_count_in_redis(app, db, make_user, database_url):
    url = _redis_url()
    config = {**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_FOLDER")},
              "TESTING": True, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
              "RATELIMIT_ENABLED": True, "REDIS_URL": url, "LOGIN_RATE_PER_USER": 4}
    first, second = create_app(dict(config)), create_app(dict(config))
    user = make_user("organizer", username=f"redis-{uuid.uuid4().hex[:8]}")
    with first.app_context():
        limiter().reset()
    try:
        a, b = first.test_client(), second.test_client()
        for client in (a, b, a, b):  # four attempts over two "workers"
            assert client.post("/dang-nhap", data={"username": user.username, "password": "sai"}).status_code == 422
        assert b.post("/dang-nhap", data={"username": user.username, "password": PASSWORD}).status_code == 429
        assert a.post("/dang-nhap", data={"username": user.username, "password": PASSWORD}).status_code == 429
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
