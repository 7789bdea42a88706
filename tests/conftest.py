"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL), clients
signed in per role, factories, a live server and a browser for Playwright, a real SMTP server."""

from __future__ import annotations

import contextvars
import os
import shutil
import socket
import tempfile
import threading
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="eventapp-instance-"))

from eventapp import create_app, text
from eventapp.extensions import db as _db
from eventapp.models import (
    Agency,
    AgencyGroup,
    Conference,
    Delegate,
    Department,
    Invitation,
    Paper,
    PaperEvent,
    User,
    Venue,
)

from .documents import pdf_bytes, store_file

PASSWORD = "mat-khau-thu-nghiem"
ROOT = Path(__file__).resolve().parent.parent


# --- database -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this test session: PostgreSQL when TEST_DATABASE_URL is set."""
    server_url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not server_url:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        return
    import psycopg

    url = sa.engine.make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"eventapp_test_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application, its schema made by the migrations (never by create_all)."""
    upload_dir = tmp_path_factory.mktemp("uploads")
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(upload_dir),
            "BACKUP_FOLDER": str(tmp_path_factory.mktemp("backups")),
            "PUBLIC_BASE_URL": "http://localhost",
            "MAIL_HOST": "127.0.0.1",
            "MAIL_PORT": 1,  # nothing listens: tests that send mail start a real SMTP server
            "RATELIMIT_ENABLED": False,
        }
    )
    application.test_client_class = RequestClient
    with application.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        # Tests get fresh connections, set up as the app's are (a migration may leave a PRAGMA changed on its
        # connection, as `flask db upgrade` does in its own process).
        _db.engine.dispose()
    yield application
    with application.app_context():
        _db.engine.dispose()


class RequestClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as in production: the test's
    own context (``db``) is for setting up and reading back, never shared with a request (``g``, the
    database session). After each request the test's objects are expired, so that they are read again as
    the request left them."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


def _clear_all_tables() -> None:
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name != "alembic_version"]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture()
def db(app):
    """The database inside an app context; every table is emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _clear_all_tables()
        _db.session.remove()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@contextmanager
def count_queries(engine=None):
    """Count the SQL statements run inside the block: ``with count_queries() as n: ...; n()``."""
    engine = engine or _db.engine
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield lambda: len(statements)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


# --- factories ------------------------------------------------------------------------------------

@pytest.fixture()
def make_department(db):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, abbreviation: str | None = None, **fields) -> Department:
        n = next(counter)
        department = Department(name=name or f"Phòng Thử nghiệm {n}", abbreviation=abbreviation or f"PTN{n}",
                                position=n, **fields)
        db.session.add(department)
        db.session.commit()
        return department

    return make


@pytest.fixture()
def make_user(db, make_department):
    counter = iter(range(1, 10_000))

    def make(role: str = "organizer", username: str | None = None, full_name: str = "", **fields) -> User:
        n = next(counter)
        if role == "department" and "department_id" not in fields and "department" not in fields:
            fields["department"] = make_department()
        user = User(username=username or f"{role}{n}", full_name=full_name or f"Nguyễn Văn Thử {n}", role=role,
                    **fields)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def make_venue(db):
    def make(**fields) -> Venue:
        defaults = {"name": "Khách sạn Hùng Vương", "room": "Hội trường tầng 7",
                    "address": "45 Hùng Vương, TP. Quảng Ngãi", "phone": "0255 3710 477", "capacity": 200}
        venue = Venue(**(defaults | fields))
        db.session.add(venue)
        db.session.commit()
        return venue

    return make


@pytest.fixture()
def make_conference(db):
    def make(**fields) -> Conference:
        starts_at = fields.pop("starts_at", datetime.now(UTC).replace(microsecond=0) + timedelta(days=20))
        defaults = {
            "kind": "tong_ket",
            "title": "Hội nghị tổng kết Chương trình nông thôn miền núi giai đoạn 2021 - 2025",
            "number_symbol": "254/KH-SKHCN",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=4),
            "expected_attendance": 150,
            "approved_budget": 54_000_000,
        }
        conference = Conference(**(defaults | fields))
        from eventapp.conferences.services import refresh_search_text

        refresh_search_text(conference)
        db.session.add(conference)
        db.session.commit()
        return conference

    return make


@pytest.fixture()
def make_agency(db):
    """``make_agency(name=None, group="Sở, ban, ngành", **fields)``: an agency of the directory, in its group
    (created when missing)."""
    counter = iter(range(1, 100_000))

    def make(name: str | None = None, group: str = "Sở, ban, ngành", **fields) -> Agency:
        found = db.session.scalar(sa.select(AgencyGroup).where(AgencyGroup.name == group))
        if found is None:
            position = (db.session.scalar(sa.select(sa.func.max(AgencyGroup.position))) or 0) + 1
            found = AgencyGroup(name=group, position=position)
            db.session.add(found)
        name = name or f"Sở Nông nghiệp và Môi trường {next(counter)}"
        agency = Agency(name=name, group=found, search_text=text.search_key(name), **fields)
        db.session.add(agency)
        db.session.commit()
        return agency

    return make


@pytest.fixture()
def make_invitation(db, make_agency):
    """``make_invitation(conference, kind="person", **fields)``: a named person (Nguyễn Văn Đức, Giám đốc Sở Tài
    chính, by default) or, with ``kind="agency"``, an agency (a new one unless ``agency=`` is given) with 3 seats."""

    def make(conference: Conference, kind: str = "person", **fields) -> Invitation:
        if kind == "agency":
            agency = fields.pop("agency", None) or make_agency()
            defaults = {"agency_id": agency.id, "seats": 3, "email": "vanthu@snn.example.vn",
                        "role_text": "Đại diện lãnh đạo và chuyên viên phụ trách"}
        else:
            defaults = {"invitee_name": "Nguyễn Văn Đức", "invitee_position": "Giám đốc Sở Tài chính",
                        "email": "duc@example.vn"}
        invitation = Invitation(conference_id=conference.id, kind=kind, **(defaults | fields))
        db.session.add(invitation)
        db.session.commit()
        return invitation

    return make


@pytest.fixture()
def make_delegate(db):
    """``make_delegate(conference, full_name=None, *, invitation=None, **fields)``: an attending delegate, invited by
    name (a person invitation is made for them unless ``invitation`` is given; ``kind="walk_in"`` has none)."""
    counter = iter(range(1, 100_000))

    def make(conference: Conference, full_name: str | None = None, *, invitation: Invitation | None = None,
             invitation_status: str = "attending", **fields) -> Delegate:
        full_name = full_name or f"Nguyễn Văn Đức {next(counter)}"
        fields = {"kind": "invitee", "position": "Giám đốc", "agency_name": "Sở Tài chính", "status": "attending",
                  "precedence": 100} | fields
        if invitation is None and fields["kind"] != "walk_in":
            invitation = Invitation(conference_id=conference.id, kind="person", invitee_name=full_name,
                                    invitee_position=fields["position"], status=invitation_status)
            db.session.add(invitation)
            db.session.flush()
        fields.setdefault("search_text", text.search_key(full_name, fields["position"], fields["agency_name"]))
        delegate = Delegate(conference_id=conference.id, invitation_id=invitation.id if invitation else None,
                            full_name=full_name, **fields)
        db.session.add(delegate)
        db.session.commit()
        return delegate

    return make


@pytest.fixture()
def make_paper(db):
    """``make_paper(conference, status="invited", deadline=None, with_file=False, **fields)``: a paper in a given
    state, a week before its deadline, with a stored PDF when ``with_file``."""

    def make(conference: Conference, status: str = "invited", deadline: datetime | None = None,
             with_file: bool = False, **fields) -> Paper:
        defaults = {"speaker_name": "Nguyễn Văn An", "speaker_email": "an@example.vn",
                    "topic": "Ứng dụng tiến bộ kỹ thuật trong nuôi cá nước lạnh"}
        paper = Paper(conference_id=conference.id, deadline=deadline or datetime.now(UTC) + timedelta(days=7),
                      status=status, **(defaults | fields))
        db.session.add(paper)
        db.session.flush()
        db.session.add(PaperEvent(paper_id=paper.id, actor="Cán bộ", from_status=None, to_status=status))
        db.session.commit()
        if with_file:
            store_file(paper, pdf_bytes(f"Bai cua {paper.id}"), "bai.pdf")
        return paper

    return make


def login(client, user: User, password: str = PASSWORD):
    response = client.post("/dang-nhap", data={"username": user.username, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture()
def login_as(app, make_user):
    """``login_as("reception")`` returns a test client signed in with a new user of that role."""

    def sign_in(role: str = "organizer", **fields):
        user = make_user(role, **fields)
        return login(app.test_client(), user)

    return sign_in


@pytest.fixture()
def organizer_client(login_as):
    return login_as("organizer")


@pytest.fixture()
def admin_client(login_as):
    return login_as("admin")


@pytest.fixture()
def reception_client(login_as):
    return login_as("reception")


@pytest.fixture()
def department_client(login_as):
    return login_as("department")


# --- a real SMTP server ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server on loopback that keeps what it receives (aiosmtpd); with ``delay``, a slow one that
    takes that many seconds to accept each message."""

    def __init__(self, port: int | None = None, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.port = port or free_port()
        self.delay = delay
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import asyncio
                import email
                import email.policy

                if sink.delay:
                    await asyncio.sleep(sink.delay)
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                sink.messages.append(message)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


@pytest.fixture()
def smtp_server(app):
    """A running SMTP server; the app's MAIL_* settings point at it during the test."""
    sink = SmtpSink().start()
    old = app.config["MAIL_HOST"], app.config["MAIL_PORT"]
    app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=sink.port)
    yield sink
    sink.stop()
    app.config["MAIL_HOST"], app.config["MAIL_PORT"] = old


# --- a live server and a browser -------------------------------------------------------------------

@pytest.fixture()
def live_server(app, db):
    """The app served by a real HTTP server on a loopback port, for the browser; the links the app prints
    (mails, letters, passes) point at it while it runs."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    public_base = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = server.url
    yield server
    app.config["PUBLIC_BASE_URL"] = public_base
    server.shutdown()
    thread.join(5)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright_instance():
    path = chromium_path()
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but Playwright is not installed")
        pytest.skip("Playwright is not installed")
    if path is None:
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium found at /usr/bin/chromium or CHROMIUM_PATH: browser tests skipped")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture()
def browser_factory(playwright_instance):
    """Launch a Chromium with extra arguments (a fake camera...); closed after the test."""
    launched = []

    def launch(*extra_args: str):
        b = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + list(extra_args))
        launched.append(b)
        return b

    yield launch
    for b in launched:
        b.close()


@pytest.fixture()
def page(browser, live_server):
    """A laptop-sized page; ``page.goto(live_server.url + '/...')``."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def phone_page(browser, live_server):
    """A phone-sized page (360×740, touch)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, base_url: str, user: User, password: str = PASSWORD) -> None:
    page.goto(base_url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")


AXE_JS = ROOT / "tests" / "vendor" / "axe-core@4.14.1" / "axe.min.js"


@pytest.fixture()
def axe_page(browser, live_server):
    """A laptop-sized page whose context lets axe-core be injected despite the CSP."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (use the ``axe_page`` fixture); the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


SCREENSHOTS = ROOT / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (looked at by people, not asserted)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
