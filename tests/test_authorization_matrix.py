"""The authorization matrix: every route of the URL map × every kind of caller, with the expected answer.

EXPECTED below is written by hand from what each page is for (not copied from what the app answers). A route
missing from it, or whose view declares no access rule, or whose rule disagrees with it, fails the suite.
URL parameters are filled with real objects made for each route (a conference, an invitation token, a pass
code, a paper token, a device token...).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import url_for
from flask_login.utils import _create_identifier

from eventapp import create_app
from eventapp.checkin.devices import create_device, create_enrolment
from eventapp.models import (
    AgendaItem,
    BudgetLine,
    Conclusion,
    Department,
    Handout,
    OutboxMessage,
    PaperFile,
    Speaker,
    SpeakerList,
    SpendingNorm,
    Task,
    User,
    WorkProgramItem,
)

from .test_privacy import make_people

# --- who may open what ------------------------------------------------------------------------------

PUBLIC = "public"  # anyone (sign-in page, health check)
LINK = "link"  # anyone holding the secret in the URL; a wrong secret is a 404
DEVICE = "device"  # a device bearer token (JSON API)
ADMINS = "admins"
ORGANIZERS = "organizers"
RECEPTION = "reception"  # reception desks and organizers
DEPARTMENT = "department"  # department staff and organizers
STAFF = "staff"  # any signed-in account

CLASS_ROLES = {
    ADMINS: {"admin"},
    ORGANIZERS: {"organizer", "admin"},
    RECEPTION: {"reception", "organizer", "admin"},
    DEPARTMENT: {"department", "organizer", "admin"},
    STAFF: {"reception", "department", "organizer", "admin"},
}

EXPECTED: dict[str, str] = {
    # sign-in, home
    "auth.login": PUBLIC,
    "auth.logout": STAFF,
    "auth.change_password": STAFF,
    "home.index": STAFF,
    "home.health": PUBLIC,
    "home.reception": RECEPTION,
    # conferences
    "conferences.index": ORGANIZERS,
    "conferences.new": ORGANIZERS,
    "conferences.overview": ORGANIZERS,
    "conferences.edit": ORGANIZERS,
    "conferences.clone": ORGANIZERS,
    # agencies and invitation lists
    "agencies.index": ORGANIZERS,
    "agencies.new": ORGANIZERS,
    "agencies.edit": ORGANIZERS,
    "agencies.delete": ORGANIZERS,
    "agencies.groups": ORGANIZERS,
    "agencies.rename_group": ORGANIZERS,
    "agencies.move_group": ORGANIZERS,
    "agencies.delete_group": ORGANIZERS,
    "invitations.index": ORGANIZERS,
    "invitations.invite_agency": ORGANIZERS,
    "invitations.invite_group": ORGANIZERS,
    "invitations.invite_person": ORGANIZERS,
    "invitations.edit": ORGANIZERS,
    "invitations.remove": ORGANIZERS,
    "invitations.import_template": ORGANIZERS,
    "invitations.import_upload": ORGANIZERS,
    "invitations.import_preview": ORGANIZERS,
    "invitations.import_row": ORGANIZERS,
    "invitations.export_list": ORGANIZERS,
    "invitations.call_list": ORGANIZERS,
    "invitations.call_list_xlsx": ORGANIZERS,
    "invitations.bulk": ORGANIZERS,
    "invitations.removed": ORGANIZERS,
    "invitations.answers": ORGANIZERS,
    "invitations.export_delegates": ORGANIZERS,
    "invitations.letter": ORGANIZERS,
    "invitations.letter_docx": ORGANIZERS,
    "invitations.letter_pdf": ORGANIZERS,
    "invitations.letters": ORGANIZERS,
    "invitations.letters_docx": ORGANIZERS,
    "invitations.letters_pdf": ORGANIZERS,
    "invitations.letter_number": ORGANIZERS,
    "invitations.letter_salutation": ORGANIZERS,
    "invitations.rsvp_qr": ORGANIZERS,
    # venues, work program, reports
    "venues.index": ORGANIZERS,
    "venues.new": ORGANIZERS,
    "venues.edit": ORGANIZERS,
    "venues.delete": ORGANIZERS,
    "workprogram.index": ORGANIZERS,
    "workprogram.preview": ORGANIZERS,
    "workprogram.save": ORGANIZERS,
    "workprogram.make_conference": ORGANIZERS,
    "reports.conference": ORGANIZERS,
    "reports.conference_xlsx": ORGANIZERS,
    "reports.documents": ORGANIZERS,
    "reports.save_number": ORGANIZERS,
    "reports.document_file": ORGANIZERS,
    # sending, mail
    "sending.index": ORGANIZERS,
    "sending.send": ORGANIZERS,
    "sending.progress": ORGANIZERS,
    "sending.invitation_qr": ORGANIZERS,
    "sending.wording": ORGANIZERS,
    "sending.phone_answer": ORGANIZERS,
    "mail.outbox": ORGANIZERS,
    "mail.retry": ORGANIZERS,
    "mail.retry_all": ORGANIZERS,
    # the delegate's own pages
    "rsvp.respond": LINK,
    "rsvp.short_link": LINK,
    "rsvp.pass_page": LINK,
    "rsvp.pass_qr": LINK,
    "rsvp.pass_card": LINK,
    "rsvp.pass_calendar": LINK,
    "rsvp.pass_share_image": LINK,
    "rsvp.invitation_calendar": LINK,
    "rsvp.invitation_share_image": LINK,
    "rsvp.program": LINK,
    "rsvp.service_worker": PUBLIC,
    "hall.delegate_speak": LINK,
    "hall.delegate_withdraw": LINK,
    "handouts.delegate_list": LINK,
    "handouts.delegate_file": LINK,
    "handouts.public_page": PUBLIC,
    "handouts.public_file": PUBLIC,
    # the hall: the secretary's pages and the projector
    "hall.speakers_index": ORGANIZERS,
    "hall.open_list": ORGANIZERS,
    "hall.add_speaker": ORGANIZERS,
    "hall.reorder_speakers": ORGANIZERS,
    "hall.project_item": ORGANIZERS,
    "hall.speaking_time": ORGANIZERS,
    "hall.start_speaker": ORGANIZERS,
    "hall.finish_speaker": ORGANIZERS,
    "hall.mark_spoken": ORGANIZERS,
    "hall.move_speaker": ORGANIZERS,
    "hall.remove_speaker": ORGANIZERS,
    "hall.projector": ORGANIZERS,
    "hall.attendance_index": ORGANIZERS,
    "hall.mark_attendance": ORGANIZERS,
    "hall.online_link": ORGANIZERS,
    "hall.send_online_links": ORGANIZERS,
    "hall.conclusions_index": ORGANIZERS,
    "hall.add_conclusion": ORGANIZERS,
    "hall.edit_conclusion": ORGANIZERS,
    "hall.delete_conclusion": ORGANIZERS,
    "hall.save_notice": ORGANIZERS,
    "hall.issue_notice": ORGANIZERS,
    "hall.notice_docx": ORGANIZERS,
    "hall.notice_pdf": ORGANIZERS,
    # documents for delegates
    "handouts.index": ORGANIZERS,
    "handouts.upload": ORGANIZERS,
    "handouts.publish_papers": ORGANIZERS,
    "handouts.update": ORGANIZERS,
    "handouts.move": ORGANIZERS,
    "handouts.delete": ORGANIZERS,
    "handouts.program": ORGANIZERS,
    "handouts.download": ORGANIZERS,
    # reception
    "checkin.desk": RECEPTION,
    "checkin.scan": RECEPTION,
    "checkin.search": RECEPTION,
    "checkin.checkin_found": RECEPTION,
    "checkin.walk_in": RECEPTION,
    "checkin.substitute": RECEPTION,
    "checkin.undo": RECEPTION,
    "checkin.board": RECEPTION,
    "checkin.badge_sheet": RECEPTION,
    "checkin.badge": RECEPTION,
    "checkin.devices": ORGANIZERS,
    "checkin.revoke_device": ORGANIZERS,
    "checkin.new_enrolment": ORGANIZERS,
    "checkin.checkin_window": ORGANIZERS,
    "checkin.enrol": LINK,
    "checkin.enrol_this_desk": RECEPTION,
    "checkin.api_delegates": DEVICE,
    "checkin.api_checkin": DEVICE,
    "checkin.api_checkin_batch": DEVICE,
    "checkin.desk_shell": PUBLIC,
    "checkin.desk_service_worker": PUBLIC,
    # papers and agenda
    "papers.index": ORGANIZERS,
    "papers.invite": ORGANIZERS,
    "papers.detail": ORGANIZERS,
    "papers.review": ORGANIZERS,
    "papers.deadline": ORGANIZERS,
    "papers.remind": ORGANIZERS,
    "papers.remind_all": ORGANIZERS,
    "papers.download": ORGANIZERS,
    "papers.documents_pack": ORGANIZERS,
    "papers.merged_pdf": ORGANIZERS,
    "papers.speaker": LINK,
    "papers.speaker_withdraw": LINK,
    "papers.speaker_download": LINK,
    "agenda.index": ORGANIZERS,
    "agenda.add": ORGANIZERS,
    "agenda.add_paper": ORGANIZERS,
    "agenda.edit": ORGANIZERS,
    "agenda.delete": ORGANIZERS,
    "agenda.move": ORGANIZERS,
    "agenda.reorder": ORGANIZERS,
    "agenda.publish": ORGANIZERS,
    "agenda.print_view": ORGANIZERS,
    # budget: the spending norms are a province's rates, edited by admins only
    "budget.index": ORGANIZERS,
    "budget.add_line": ORGANIZERS,
    "budget.edit_line": ORGANIZERS,
    "budget.delete_line": ORGANIZERS,
    "budget.appendix_print": ORGANIZERS,
    "budget.appendix_xlsx": ORGANIZERS,
    "budget.appendix_pdf": ORGANIZERS,
    "budget.appendix_docx": ORGANIZERS,
    "budget.norms": ORGANIZERS,
    "budget.add_norm": ADMINS,
    "budget.edit_norm": ADMINS,
    "budget.delete_norm": ADMINS,
    "budget.seed_norms": ADMINS,
    # tasks
    "tasks.conference_tasks": ORGANIZERS,
    "tasks.add_task": ORGANIZERS,
    "tasks.edit_task": ORGANIZERS,
    "tasks.delete_task": ORGANIZERS,
    "tasks.apply_template": ORGANIZERS,
    "tasks.board": DEPARTMENT,
    "tasks.update_status": DEPARTMENT,
    # audit log, administration, personal data
    "audit.index": ORGANIZERS,
    "audit.export": ORGANIZERS,
    "admin.index": ADMINS,
    "admin.departments": ADMINS,
    "admin.department_edit": ADMINS,
    "admin.users": ADMINS,
    "admin.user_new": ADMINS,
    "admin.user_edit": ADMINS,
    "admin.user_password": ADMINS,
    "admin.user_active": ADMINS,
    "admin.privacy_index": ORGANIZERS,
    "admin.privacy_delegate": ORGANIZERS,
    "admin.privacy_export": ORGANIZERS,
    "admin.privacy_erase": ORGANIZERS,
    "admin.privacy_invitation": ORGANIZERS,
    "admin.privacy_invitation_export": ORGANIZERS,
    "admin.privacy_invitation_erase": ORGANIZERS,
    "admin.regenerate_pass": ORGANIZERS,
    "admin.regenerate_link": ORGANIZERS,
    "admin.regenerate_paper_link": ORGANIZERS,
}

#: GET pages an allowed caller may legitimately answer with a 4xx for the objects made here.
ALLOWED_GET_STATUSES: dict[str, set[int]] = {
    "papers.merged_pdf": {200, 404, 409, 422},  # no accepted PDF yet
    "papers.documents_pack": {200, 404, 409, 422},
}

@pytest.fixture(autouse=True)
def _own_upload_folder(app, tmp_path):
    """Files made for these tests stay out of the session's upload folder."""
    old = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield
    app.config["UPLOAD_FOLDER"] = old


CALLERS = ["anonymous", "link", "device", "reception", "department", "organizer", "admin"]


def _collect_app():
    """An app made at import time only to read its URL map (no database needed)."""
    return create_app({"TESTING": True, "SECRET_KEY": "matrix", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


_URL_MAP_APP = _collect_app()
ENDPOINTS = sorted({r.endpoint for r in _URL_MAP_APP.url_map.iter_rules() if r.endpoint != "static"})


def _rule_class(rule) -> str | None:
    if rule is None:
        return None
    kind, allowed = rule
    if kind == "device":
        return DEVICE
    if kind == "public":
        return "public-or-link"
    for name, roles in CLASS_ROLES.items():
        if set(allowed) == roles:
            return name
    return f"roles {sorted(allowed)}"


def test_every_route_has_a_rule_and_an_expectation(app):
    missing_rule, missing_expectation, disagree = [], [], []
    for endpoint in sorted(app.view_functions):
        if endpoint == "static" or endpoint.endswith(".static"):
            continue
        rule = getattr(app.view_functions[endpoint], "access_rule", None)
        if rule is None:
            missing_rule.append(endpoint)
        if endpoint not in EXPECTED:
            missing_expectation.append(endpoint)
            continue
        declared, expected = _rule_class(rule), EXPECTED[endpoint]
        if rule is not None and not (declared == expected or (declared == "public-or-link" and expected in (PUBLIC, LINK))):
            disagree.append(f"{endpoint}: view says {declared}, table says {expected}")
    assert not missing_rule, f"views without an access rule: {missing_rule}"
    assert not missing_expectation, f"add these endpoints to EXPECTED in {__name__}: {missing_expectation}"
    assert not disagree, disagree


def test_the_table_names_no_route_that_is_gone(app):
    assert not set(EXPECTED) - set(app.view_functions)


# --- objects for the URL parameters -----------------------------------------------------------------

class World:
    """Real objects for every URL parameter, and a signed-in session per role."""

    def __init__(self, app, db):
        from eventapp.models import Conference

        self.app = app
        now = datetime.now(UTC).replace(microsecond=0)
        conference = Conference(kind="tong_ket", title="Hội nghị tổng kết ma trận quyền", number_symbol="1/KH",
                                starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=4))
        db.session.add(conference)
        db.session.flush()
        self.conference = conference
        self.invitation, self.delegate, self.paper = make_people(db, conference)
        self.department = Department(name=f"Phòng ma trận {secrets.token_hex(3)}", abbreviation=secrets.token_hex(3))
        db.session.add(self.department)
        db.session.flush()
        self.users = {}
        for role in ("reception", "department", "organizer", "admin"):
            user = User(username=f"{role}-{secrets.token_hex(4)}", full_name=f"Người {role}", role=role,
                        password_hash="!", department_id=self.department.id if role == "department" else None)
            db.session.add(user)
            self.users[role] = user
        stored = f"{secrets.token_hex(16)}.pdf"
        folder = Path(app.config["UPLOAD_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stored).write_bytes(b"%PDF-1.4\n%%EOF\n")
        self.file = PaperFile(paper_id=self.paper.id, version=1, original_name="tham-luan.pdf", stored_name=stored,
                              content_type="application/pdf", size_bytes=15, sha256="0" * 64)
        self.agenda_item = AgendaItem(conference_id=conference.id, kind="report", title="Báo cáo tổng kết",
                                      duration_minutes=30)
        self.line = BudgetLine(conference_id=conference.id, category="water", content="Nước uống", unit="người",
                               quantity=100, days=1, unit_price=20_000)
        self.norm = SpendingNorm(category="water", name="Nước uống", unit="người/ngày", max_unit_price=40_000,
                                 source="Thử")
        self.task = Task(conference_id=conference.id, title="Chuẩn bị hội trường", lead_department_id=self.department.id)
        self.message = OutboxMessage(to_addr="a@example.vn", subject="Thư", body_text="x",
                                     message_id=f"<{secrets.token_hex(8)}@matrix>", status="failed",
                                     conference_id=conference.id)
        self.work_item = WorkProgramItem(year=now.year, number=secrets.randbelow(10**6) + 1, content="Hội nghị sơ kết", month=now.month)
        db.session.add_all([self.file, self.agenda_item, self.line, self.norm, self.task, self.message,
                            self.work_item])
        db.session.commit()
        self.device, self.device_token = create_device(conference, "Bàn ma trận")
        _, self.enrolment_secret = create_enrolment(conference)
        speaker_list = SpeakerList(conference_id=conference.id, agenda_item_id=self.agenda_item.id)
        db.session.add(speaker_list)
        db.session.flush()
        self.speaker = Speaker(conference_id=conference.id, list_id=speaker_list.id, delegate_id=self.delegate.id,
                               position=1, topic="Ý kiến")
        self.conclusion = Conclusion(conference_id=conference.id, agenda_item_id=self.agenda_item.id,
                                     content="Giao các phòng hoàn chỉnh báo cáo.")
        handout_file = f"{secrets.token_hex(16)}.pdf"
        (folder / handout_file).write_bytes(b"%PDF-1.4\n%%EOF\n")
        self.handout = Handout(conference_id=conference.id, title="Báo cáo tổng kết", stored_name=handout_file,
                               original_name="bao-cao.pdf", content_type="application/pdf", size_bytes=15,
                               audience="public")
        db.session.add_all([self.speaker, self.conclusion, self.handout])
        db.session.commit()
        self.speaker_id = self.speaker.id  # kept: a delegate's withdrawal deletes the row
        self.agency = self.invitation.agency
        from eventapp.models import Venue

        self.venue = Venue(name=f"Hội trường {secrets.token_hex(3)}", room="Tầng 7")
        db.session.add(self.venue)
        db.session.commit()
        from eventapp.invitations import importing

        rows = "STT,Cơ quan/đơn vị,Họ và tên\n1,,Người nhập thử\n"
        preview = importing.preview_import(conference.id, rows.encode(), "ds.csv")
        self.preview_id = importing.store_preview(preview, self.users["organizer"].id)

    def values(self, endpoint: str, arguments) -> dict:
        blueprint = endpoint.split(".")[0]
        by_name = {
            "conference_id": self.conference.id,
            "invitation_id": self.invitation.id,
            "delegate_id": self.delegate.id,
            "paper_id": self.paper.id,
            "file_id": self.file.id,
            "agency_id": self.agency.id,
            "group_id": self.agency.group_id,
            "department_id": self.department.id,
            "user_id": self.users["reception"].id,
            "device_id": self.device.id,
            "line_id": self.line.id,
            "norm_id": self.norm.id,
            "task_id": self.task.id,
            "message_id": self.message.id,
            "item_id": self.agenda_item.id if blueprint in ("agenda", "hall") else self.work_item.id,
            "speaker_id": self.speaker_id,
            "conclusion_id": self.conclusion.id,
            "handout_id": self.handout.id,
            "token": (self.paper.token if blueprint == "papers" else self.enrolment_secret if endpoint == "checkin.enrol"
                      else self.invitation.rsvp_token),
            "pass_code": self.delegate.pass_code,
            "code": self.invitation.short_code,
            "venue_id": self.venue.id,
            "preview_id": self.preview_id,
            "line": 2,
            "action": "accept",
        }
        unknown = set(arguments) - set(by_name)
        assert not unknown, f"{endpoint}: teach World.values about {unknown}"
        return {name: by_name[name] for name in arguments}

    def client(self, caller: str):
        client = self.app.test_client()
        if caller in self.users:
            with self.app.test_request_context(environ_base=client.environ_base):
                identifier = _create_identifier()
            with client.session_transaction() as session:
                session["_user_id"] = self.users[caller].get_id()
                session["_fresh"] = True
                session["_id"] = identifier
        return client


def _expected(kind: str, caller: str) -> str:
    if kind in (PUBLIC, LINK):
        return "ok"
    if kind == DEVICE:
        return "ok" if caller == "device" else "unauthorized"
    if caller in ("anonymous", "link", "device"):
        return "login"
    return "ok" if caller in CLASS_ROLES[kind] else "forbidden"


def _outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/dang-nhap" in location and "next=" in location:
        return "login"
    if response.status_code == 401:
        return "unauthorized"
    if response.status_code == 403:
        return "forbidden"
    return f"status {response.status_code}"


def _call(world, db, url, method, caller):
    client = world.client(caller)
    headers = {"Authorization": f"Bearer {world.device_token}"} if caller == "device" else {}
    response = client.open(url, method=method, headers=headers, data={})
    response.close()  # file downloads hold the file open until closed
    db.session.rollback()
    return response


def _url(app, world, rule) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **world.values(rule.endpoint, rule.arguments))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_route_answers_each_caller_as_expected(app, db, endpoint):
    if endpoint not in EXPECTED:
        pytest.fail(f"{endpoint} is not in EXPECTED (see test_every_route_has_a_rule_and_an_expectation)")
    kind = EXPECTED[endpoint]
    world = World(app, db)
    problems = []
    for rule in [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]:
        for method in sorted(rule.methods & {"GET", "POST"}):
            for caller in CALLERS:
                want = _expected(kind, caller)
                if want == "ok" and method == "POST":
                    world = World(app, db)  # each allowed POST acts on objects of its own
                url = _url(app, world, rule)
                response = _call(world, db, url, method, caller)
                got, code = _outcome(response), response.status_code
                if want != "ok":
                    if got != want:
                        problems.append(f"{method} {url} as {caller}: expected {want}, got {got}")
                    continue
                refused = got in ("login", "unauthorized", "forbidden") or code >= 500 or code in (404, 405)
                if method == "GET":
                    refused = code >= 400 and code not in ALLOWED_GET_STATUSES.get(endpoint, set())
                if refused:
                    problems.append(f"{method} {url} as {caller}: expected access, got {got}")
            if kind == LINK:
                forged = _url(app, world, rule)
                for secret in (world.invitation.rsvp_token, world.paper.token, world.delegate.pass_code,
                               world.enrolment_secret, world.invitation.short_code):
                    fake = "9" * len(secret) if secret.isdigit() else secrets.token_urlsafe(24)
                    forged = forged.replace(secret, fake)
                response = _call(world, db, forged, method, "anonymous")
                if response.status_code != 404:
                    problems.append(f"{method} {forged} with a made-up secret: expected 404, got {response.status_code}")
    assert not problems, "\n".join(problems)


def test_htmx_requests_without_a_session_get_401_not_a_redirect(client):
    response = client.get("/hoi-nghi/", headers={"HX-Request": "true"})
    assert response.status_code == 401


def test_a_route_without_a_rule_is_refused(app):
    """The safety net itself: a view that forgot its decorator answers 403 to everyone."""
    other = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    other.add_url_rule("/__quen-khai-bao", "forgotten", lambda: "bí mật")
    response = other.test_client().get("/__quen-khai-bao")
    assert response.status_code == 403 and "bí mật" not in response.get_data(as_text=True)
    with other.app_context():
        from eventapp.extensions import db as _db

        _db.engine.dispose()


# --- objects of one conference are not reachable through another -----------------------------------

#: Tables whose rows a refused request may still add: the log of what happened.
LOG_TABLES = {"audit_entry", "scan", "outbox_message", "device"}


def _state(db) -> dict:
    return {t.name: sorted(map(tuple, db.session.execute(sa.select(t))), key=repr)
            for t in db.metadata.sorted_tables if t.name not in LOG_TABLES}


def test_conference_scoped_objects_are_not_reachable_through_another_conference(app, db):
    """/hoi-nghi/<B>/.../<object of A>: a GET is refused (never A's data), a POST changes nothing."""
    problems = []
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments)
        if "conference_id" not in args or not args - {"conference_id", "action"}:
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            world = World(app, db)
            from eventapp.models import Conference

            other = Conference(kind="hoi_thao", title="Hội thảo khác", starts_at=world.conference.starts_at,
                               ends_at=world.conference.ends_at)
            db.session.add(other)
            db.session.commit()
            values = world.values(rule.endpoint, rule.arguments) | {"conference_id": other.id}
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            before = _state(db)
            response = _call(world, db, url, method, "admin")
            # A refusal: not found, forbidden, or sent back elsewhere; never the page itself.
            if method == "GET" and response.status_code not in (302, 303, 403, 404):
                problems.append(f"GET {url}: {response.status_code}")
            if method == "POST" and _state(db) != before:
                problems.append(f"POST {url} changed data of another conference ({response.status_code})")
    assert not problems, "\n".join(problems)


def test_department_staff_update_only_their_own_departments_tasks(app, db):
    world = World(app, db)
    other_department = Department(name="Phòng khác hẳn", abbreviation="PKH")
    db.session.add(other_department)
    db.session.flush()
    foreign = Task(conference_id=world.conference.id, title="Việc của phòng khác", lead_department_id=other_department.id)
    db.session.add(foreign)
    db.session.commit()
    client = world.client("department")
    response = client.post(f"/nhiem-vu/{foreign.id}/cap-nhat", data={"status": "done"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Task, foreign.id).status == "todo"
    assert db.session.scalar(sa.select(Task.status).where(Task.id == world.task.id)) == "todo"


def test_every_state_changing_route_refuses_a_post_without_csrf_token(app, db):
    """With CSRF on, a signed-in admin's POST without the token is refused (400) on every route but the
    bearer-token device API, and changes nothing."""
    world = World(app, db)
    client = world.client("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    problems = []
    try:
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods or EXPECTED.get(rule.endpoint) == DEVICE:
                continue
            before = _state(db)
            response = client.post(_url(app, world, rule), data={})
            response.close()
            db.session.rollback()
            if response.status_code != 400 or _state(db) != before:
                problems.append(f"POST {rule.rule}: {response.status_code}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not problems, "\n".join(problems)
