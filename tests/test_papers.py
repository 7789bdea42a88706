"""Papers: inviting speakers, the speaker's page, every state change, deadlines, reminders, access, the pack."""

from __future__ import annotations

import gc
import io
import warnings
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp.models import AgendaItem, AuditEntry, OutboxMessage, Paper, PaperEvent, PaperFile, PaperStatus
from tests.documents import docx_bytes, exe_bytes, pdf_bytes, store_file, upload


def now():
    return datetime.now(UTC)


def reload(db, paper):
    db.session.expire_all()
    return db.session.get(Paper, paper.id)


def url(conference, suffix=""):
    return f"/hoi-nghi/{conference.id}/tham-luan{suffix}"


def submit(client, paper, data=None, name="tham-luan.docx", title="Kết quả chuyển giao công nghệ", **extra):
    form = {"title": title, "summary": "Tóm tắt ngắn.", **extra}
    if data is not None:
        form["file"] = upload(data, name)
    return client.post(f"/tham-luan/{paper.token}", data=form, content_type="multipart/form-data")


# --- inviting -------------------------------------------------------------------------------------

def test_invite_new_person_queues_mail_with_link(db, make_conference, organizer_client):
    conference = make_conference(contact_name="Văn phòng Sở", contact_phone="0255371047")
    response = organizer_client.post(url(conference, "/moi"), data={
        "delegate_id": "0", "speaker_name": "Lê Văn Cường", "speaker_position": "Giám đốc",
        "speaker_agency": "HTX Nông nghiệp Sơn Tây", "speaker_email": "Cuong@Example.vn",
        "speaker_phone": "0912 345 678", "topic": "Mô hình trồng sâm Ngọc Linh",
        "deadline_date": (now() + timedelta(days=10)).strftime("%d/%m/%Y"), "deadline_time": "17:00",
    })
    assert response.status_code == 303
    paper = db.session.scalar(sa.select(Paper))
    assert paper.speaker_name == "Lê Văn Cường" and paper.speaker_email == "cuong@example.vn"
    assert paper.speaker_phone == "0912345678" and paper.status == PaperStatus.INVITED
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert mail.purpose == "paper" and mail.paper_id == paper.id and mail.to_addr == "cuong@example.vn"
    assert f"http://localhost/tham-luan/{paper.token}" in mail.body_text
    assert "Mô hình trồng sâm Ngọc Linh" in mail.subject
    event = db.session.scalar(sa.select(PaperEvent))
    assert event.from_status is None and event.to_status == "invited" and event.user_id is not None
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "paper.invite"))
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'data-copy="http://localhost/tham-luan/{paper.token}"' in page


def test_invite_attending_delegate(db, make_conference, organizer_client, make_delegate):
    conference = make_conference()
    delegate = make_delegate(conference, "Phạm Thị Dung", email="dung@example.vn", phone="0905123456")
    make_delegate(conference, "Người Đã Hủy", status="cancelled")
    form_page = organizer_client.get(url(conference, "/moi")).get_data(as_text=True)
    assert "Phạm Thị Dung" in form_page and "Người Đã Hủy" not in form_page
    response = organizer_client.post(url(conference, "/moi"), data={
        "delegate_id": str(delegate.id), "topic": "Chuyển đổi số trong nông nghiệp",
        "deadline_date": (now() + timedelta(days=5)).strftime("%d/%m/%Y"),
    })
    assert response.status_code == 303
    paper = db.session.scalar(sa.select(Paper))
    assert paper.delegate_id == delegate.id and paper.speaker_name == "Phạm Thị Dung"
    assert paper.speaker_email == "dung@example.vn" and paper.speaker_agency == delegate.agency_name
    local_deadline = paper.deadline.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local_deadline.hour == 17


def test_invite_without_email_asks_to_copy_the_link(db, make_conference, organizer_client):
    conference = make_conference()
    response = organizer_client.post(url(conference, "/moi"), data={
        "speaker_name": "Võ Văn Em", "topic": "Kinh nghiệm", "delegate_id": "0",
        "deadline_date": (now() + timedelta(days=5)).strftime("%d/%m/%Y"),
    }, follow_redirects=True)
    assert "sao chép đường dẫn" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize(("form", "message"), [
    ({"topic": "", "speaker_name": "A"}, "Vui lòng nhập chủ đề tham luận."),
    ({"topic": "Chủ đề", "speaker_name": ""}, "Vui lòng chọn một đại biểu hoặc nhập họ tên"),
    ({"topic": "Chủ đề", "speaker_name": "A", "deadline_date": "01/01/2020"}, "Hạn nộp phải sau"),
    ({"topic": "Chủ đề", "speaker_name": "A", "deadline_date": "31/02/2030"}, "Ngày"),
    ({"topic": "Chủ đề", "speaker_name": "A", "speaker_email": "khong-phai-email"}, "email"),
    ({"topic": "Chủ đề", "speaker_name": "A", "speaker_phone": "12345"}, "điện thoại"),
    ({"topic": "Chủ đề", "speaker_name": "A", "delegate_id": "abc"}, "Lựa chọn không hợp lệ"),
])
def test_invite_bad_input_gets_vietnamese_message(db, make_conference, organizer_client, form, message):
    conference = make_conference()
    data = {"delegate_id": "0", "deadline_date": (now() + timedelta(days=5)).strftime("%d/%m/%Y")} | form
    response = organizer_client.post(url(conference, "/moi"), data=data)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Paper)) == 0


def test_invite_refuses_a_delegate_of_another_conference(db, make_conference, organizer_client, make_delegate):
    conference, other = make_conference(), make_conference()
    stranger = make_delegate(other, "Người Khác")
    response = organizer_client.post(url(conference, "/moi"), data={
        "delegate_id": str(stranger.id), "topic": "Chủ đề",
        "deadline_date": (now() + timedelta(days=5)).strftime("%d/%m/%Y")})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Paper)) == 0


# --- the speaker's page ---------------------------------------------------------------------------

def test_speaker_page_and_first_submission(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    page = client.get(f"/tham-luan/{paper.token}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Kính gửi Nguyễn Văn An" in body and paper.topic in body and 'enctype="multipart/form-data"' in body
    response = submit(client, paper, docx_bytes(), "Tham luận Sơn Tây.docx")
    assert response.status_code == 303
    paper = reload(db, paper)
    assert paper.status == PaperStatus.SUBMITTED and paper.submitted_at is not None
    assert paper.title == "Kết quả chuyển giao công nghệ"
    record = paper.latest_file
    assert record.version == 1 and record.original_name == "Tham luận Sơn Tây.docx"
    assert record.content_type.endswith("wordprocessingml.document")
    event = paper.events[-1]
    assert event.user_id is None and event.actor == "Nguyễn Văn An"
    assert (event.from_status, event.to_status) == ("invited", "submitted")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "paper.submit")).actor == "Nguyễn Văn An"


def test_new_version_keeps_the_earlier_ones(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    submit(client, paper, docx_bytes("một"), "v1.docx")
    submit(client, paper, pdf_bytes("hai"), "v2.pdf")
    paper = reload(db, paper)
    assert [f.version for f in paper.files] == [1, 2]
    assert [f.original_name for f in paper.files] == ["v1.docx", "v2.pdf"]
    body = client.get(f"/tham-luan/{paper.token}").get_data(as_text=True)
    assert "Bản 1" in body and "Bản 2" in body and "Gửi phiên bản mới" in body


def test_speaker_upload_errors_in_vietnamese(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    response = submit(client, paper, exe_bytes(), "tham-luan.pdf")
    assert response.status_code == 422
    assert "chương trình chạy được" in response.get_data(as_text=True)
    response = submit(client, paper, None)
    assert response.status_code == 422 and "Vui lòng chọn tệp" in response.get_data(as_text=True)
    response = submit(client, paper, docx_bytes(), title="")
    assert response.status_code == 422 and "Vui lòng nhập tên tham luận." in response.get_data(as_text=True)
    assert reload(db, paper).status == PaperStatus.INVITED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperFile)) == 0


def test_upload_with_dotdot_name_is_stored_safely(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    response = submit(client, paper, pdf_bytes(), "../../../etc/tham luan.pdf")
    assert response.status_code == 303
    record = reload(db, paper).latest_file
    assert record.original_name == "tham luan.pdf"
    assert "/" not in record.stored_name and ".." not in record.stored_name


def test_oversized_upload_over_http(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference)
    response = submit(client, paper, b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "to.pdf")
    assert response.status_code == 422
    assert "lớn hơn 20 MB" in response.get_data(as_text=True)
    too_big = submit(client, paper, b"%PDF-1.4\n" + b"0" * (26 * 1024 * 1024), "rat-to.pdf")
    assert too_big.status_code == 413
    assert "Tệp quá lớn" in too_big.get_data(as_text=True)
    # Werkzeug leaves the temporary file of a body cut off by the 413 to the garbage collector.
    del response, too_big
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_after_deadline_the_page_is_closed_and_names_the_contact(db, make_conference, client, make_paper):
    conference = make_conference(contact_name="Chị Hoa, Văn phòng Sở", contact_phone="0255371047")
    paper = make_paper(conference, deadline=now() - timedelta(hours=1))
    body = client.get(f"/tham-luan/{paper.token}").get_data(as_text=True)
    assert "Đã hết hạn nộp tham luận" in body and "Chị Hoa, Văn phòng Sở" in body
    assert 'href="tel:0255371047"' in body and 'type="file"' not in body
    response = submit(client, paper, pdf_bytes(), "muon.pdf")
    assert response.status_code == 422 and "hết hạn" in response.get_data(as_text=True)
    assert reload(db, paper).files == []


def test_revision_comment_shown_and_answered_with_new_version(db, make_conference, client, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted", with_file=True)
    response = organizer_client.post(url(conference, f"/{paper.id}/request_revision"),
                                     data={"comment": "Đề nghị bổ sung số liệu năm 2025."})
    assert response.status_code == 303
    paper = reload(db, paper)
    assert paper.status == PaperStatus.REVISION_REQUESTED
    assert paper.organizer_comment == "Đề nghị bổ sung số liệu năm 2025."
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.paper_id == paper.id))
    assert "bổ sung số liệu" in mail.body_text
    body = client.get(f"/tham-luan/{paper.token}").get_data(as_text=True)
    assert "Ban tổ chức đề nghị chỉnh sửa" in body and "Đề nghị bổ sung số liệu năm 2025." in body
    submit(client, paper, docx_bytes("bản sửa"), "ban-sua.docx")
    paper = reload(db, paper)
    assert paper.status == PaperStatus.SUBMITTED and len(paper.files) == 2


def test_withdraw(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted", with_file=True)
    response = client.post(f"/tham-luan/{paper.token}/rut", data={"reason": "Bận công tác."})
    assert response.status_code == 303
    paper = reload(db, paper)
    assert paper.status == PaperStatus.WITHDRAWN
    assert paper.events[-1].comment == "Bận công tác." and paper.events[-1].actor == paper.speaker_name
    again = client.post(f"/tham-luan/{paper.token}/rut", data={}, follow_redirects=True)
    assert "đã được rút" in again.get_data(as_text=True)
    assert submit(client, paper, pdf_bytes(), "x.pdf").status_code == 422


def test_unknown_token_is_a_friendly_404(db, client):
    response = client.get("/tham-luan/khong-co-ma-nay")
    assert response.status_code == 404
    assert "Không mở được trang gửi tham luận" in response.get_data(as_text=True)
    assert client.get("/tham-luan/" + "x" * 200).status_code == 404


def test_token_lookups_are_rate_limited(app, db, make_conference, client, make_paper):
    from eventapp.ratelimit import limiter

    conference = make_conference()
    paper = make_paper(conference)
    app.config["RATELIMIT_ENABLED"] = True
    try:
        with app.app_context():
            limiter().reset()
        # a speaker opening their own link again and again is never refused
        assert {client.get(f"/tham-luan/{paper.token}").status_code for _ in range(40)} == {200}
        # wrong links are: after 30 misses in a minute further misses from that address are answered 429
        misses = [client.get(f"/tham-luan/{'z' * 30}{i:02d}").status_code for i in range(30)]
        assert set(misses) == {404}
        assert client.get(f"/tham-luan/{'z' * 32}").status_code == 429
        assert client.get(f"/tham-luan/{paper.token}").status_code == 200
    finally:
        app.config["RATELIMIT_ENABLED"] = False
        with app.app_context():
            limiter().reset()


# --- organizer actions ----------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "action", "end"), [
    ("submitted", "accept", "accepted"),
    ("revision_requested", "accept", "accepted"),
    ("submitted", "request_revision", "revision_requested"),
    ("accepted", "request_revision", "revision_requested"),
    ("invited", "decline", "declined"),
    ("submitted", "decline", "declined"),
    ("accepted", "decline", "declined"),
    ("declined", "reopen", "invited"),
    ("withdrawn", "reopen", "invited"),
])
def test_every_state_change_is_logged(db, make_conference, organizer_client, start, action, end, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status=start, with_file=True)
    response = organizer_client.post(url(conference, f"/{paper.id}/{action}"), data={"comment": "Nhận xét."})
    assert response.status_code == 303
    paper = reload(db, paper)
    assert paper.status == end
    event = paper.events[-1]
    assert (event.from_status, event.to_status, event.comment) == (start, end, "Nhận xét.")
    assert event.user_id is not None and event.actor
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == f"paper.{action}"))
    assert entry.entity == "Paper" and entry.entity_id == paper.id and entry.conference_id == conference.id


@pytest.mark.parametrize(("start", "action"), [
    ("invited", "accept"), ("accepted", "accept"), ("declined", "accept"), ("withdrawn", "request_revision"),
    ("invited", "request_revision"), ("declined", "decline"), ("submitted", "reopen"),
])
def test_impossible_changes_are_refused(db, make_conference, organizer_client, start, action, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status=start, with_file=True)
    response = organizer_client.post(url(conference, f"/{paper.id}/{action}"), data={"comment": "x"},
                                     follow_redirects=True)
    assert response.status_code == 200
    assert "Không thể" in response.get_data(as_text=True)
    paper = reload(db, paper)
    assert paper.status == start and len(paper.events) == 1


def test_revision_needs_a_comment_and_accept_needs_a_file(db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted")
    body = organizer_client.post(url(conference, f"/{paper.id}/request_revision"), data={"comment": "  "},
                                 follow_redirects=True).get_data(as_text=True)
    assert "Vui lòng ghi rõ nội dung cần chỉnh sửa" in body
    body = organizer_client.post(url(conference, f"/{paper.id}/accept"), follow_redirects=True).get_data(as_text=True)
    assert "chưa có tệp" in body
    assert reload(db, paper).status == "submitted"


def test_revision_after_deadline_reopens_for_three_days(db, make_conference, client, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted", with_file=True, deadline=now() - timedelta(days=1))
    organizer_client.post(url(conference, f"/{paper.id}/request_revision"), data={"comment": "Sửa lại bảng 2."})
    paper = reload(db, paper)
    assert paper.deadline > now() + timedelta(days=2)
    assert submit(client, paper, pdf_bytes(), "sua.pdf").status_code == 303


def test_extend_deadline(db, make_conference, organizer_client, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, deadline=now() - timedelta(hours=2))
    new_day = (now() + timedelta(days=4)).strftime("%d/%m/%Y")
    organizer_client.post(url(conference, f"/{paper.id}/han-nop"), data={"deadline_date": new_day, "deadline_time": "08:00"})
    paper = reload(db, paper)
    assert paper.deadline > now() and "Đổi hạn nộp" in paper.events[-1].comment
    assert 'type="file"' in client.get(f"/tham-luan/{paper.token}").get_data(as_text=True)
    body = organizer_client.post(url(conference, f"/{paper.id}/han-nop"), data={"deadline_date": "hôm qua"},
                                 follow_redirects=True).get_data(as_text=True)
    assert "Vui lòng nhập ngày" in body or "không hợp lệ" in body


def test_detail_page_shows_versions_and_history(db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted", with_file=True)
    store_file(paper, docx_bytes(), "ban 2.docx")
    body = organizer_client.get(url(conference, f"/{paper.id}")).get_data(as_text=True)
    assert "Bản 1" in body and "Bản 2" in body and "ban 2.docx" in body
    assert "Lịch sử" in body and "<strong>Cán bộ</strong>:" in body and "Duyệt tham luận" in body


def test_list_filters_and_search(db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    make_paper(conference, speaker_name="Nguyễn Văn Đức", topic="Sâm Ngọc Linh", status="accepted")
    make_paper(conference, speaker_name="Trần Thị Hoa", topic="Cá nước lạnh", deadline=now() - timedelta(days=1))
    make_paper(conference, speaker_name="Lê Văn Nam", topic="Chuyển đổi số", status="submitted")
    base = url(conference)
    body = organizer_client.get(base).get_data(as_text=True)
    assert all(n in body for n in ("Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam"))
    assert "Quá hạn" in body
    body = organizer_client.get(base + "?loc=qua-han").get_data(as_text=True)
    assert "Trần Thị Hoa" in body and "Lê Văn Nam" not in body
    body = organizer_client.get(base + "?loc=da-duyet").get_data(as_text=True)
    assert "Nguyễn Văn Đức" in body and "Trần Thị Hoa" not in body
    response = organizer_client.get(base + "?q=nguyen+van+duc", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "Nguyễn Văn Đức" in fragment and "Lê Văn Nam" not in fragment
    assert "HX-Request" in response.headers["Vary"]


# --- reminders ------------------------------------------------------------------------------------

def test_reminders_once_a_day_to_those_who_have_not_submitted(app, db, make_conference, make_paper):
    from eventapp.papers import services

    conference = make_conference()
    due = make_paper(conference, deadline=now() + timedelta(days=2), speaker_name="Sắp Hạn")
    revising = make_paper(conference, status="revision_requested", deadline=now() + timedelta(days=1))
    make_paper(conference, deadline=now() + timedelta(days=10), speaker_name="Còn Lâu")
    make_paper(conference, status="submitted", deadline=now() + timedelta(days=1), speaker_name="Đã Nộp")
    make_paper(conference, deadline=now() - timedelta(days=1), speaker_name="Quá Hạn")
    make_paper(conference, deadline=now() + timedelta(days=1), speaker_email="", speaker_name="Không Email")
    with app.test_request_context():
        reminded = services.send_reminders(3)
    assert {p.id for p in reminded} == {due.id, revising.id}
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "paper")).all()
    assert len(mails) == 2 and all("Nhắc hạn" in m.subject for m in mails)
    with app.test_request_context():
        assert services.send_reminders(3) == []
    assert reload(db, due).last_reminded_at is not None
    with app.test_request_context():
        later = services.send_reminders(3, now=now() + timedelta(days=1))
    assert {p.id for p in later} == {due.id}


def test_remind_papers_command(app, db, make_conference, make_paper):
    conference = make_conference()
    make_paper(conference, deadline=now() + timedelta(days=2), speaker_name="Sắp Hạn")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["remind-papers", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "Sắp Hạn" in result.output and "Đã xếp 1 thư" in result.output
    result = runner.invoke(args=["remind-papers"])
    assert "Đã xếp 0 thư" in result.output


def test_remind_buttons(db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, deadline=now() + timedelta(days=2))
    response = organizer_client.post(url(conference, "/nhac-han"), follow_redirects=True)
    assert "Đã xếp 1 thư nhắc" in response.get_data(as_text=True)
    body = organizer_client.post(url(conference, f"/{paper.id}/nhac"), follow_redirects=True).get_data(as_text=True)
    assert "Hôm nay đã nhắc" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


# --- access ---------------------------------------------------------------------------------------

def test_a_speaker_cannot_see_another_speakers_paper(db, make_conference, client, make_paper):
    conference = make_conference()
    mine = make_paper(conference, status="submitted", with_file=True)
    theirs = make_paper(conference, status="submitted", with_file=True, speaker_name="Người Khác")
    own = client.get(f"/tham-luan/{mine.token}/tep/{mine.files[0].id}")
    assert own.status_code == 200 and own.headers["Content-Disposition"].startswith("attachment")
    own.close()
    assert client.get(f"/tham-luan/{mine.token}/tep/{theirs.files[0].id}").status_code == 404
    body = client.get(f"/tham-luan/{mine.token}").get_data(as_text=True)
    assert "Người Khác" not in body and theirs.token not in body


@pytest.mark.parametrize("role", ["reception", "department"])
def test_staff_other_than_organizers_cannot_download_papers(db, make_conference, login_as, role, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="accepted", with_file=True)
    staff = login_as(role)
    for path in (url(conference), url(conference, f"/{paper.id}"), url(conference, f"/{paper.id}/tep/{paper.files[0].id}"),
                 url(conference, "/bo-tai-lieu.zip"), url(conference, "/tong-hop.pdf")):
        assert staff.get(path).status_code == 403, path
    assert staff.post(url(conference, f"/{paper.id}/accept")).status_code == 403


def test_anonymous_is_sent_to_sign_in(db, make_conference, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="accepted", with_file=True)
    response = client.get(url(conference, f"/{paper.id}/tep/{paper.files[0].id}"))
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_a_paper_of_another_conference_is_not_found(db, make_conference, organizer_client, make_paper):
    conference, other = make_conference(), make_conference()
    paper = make_paper(other, status="accepted", with_file=True)
    assert organizer_client.get(url(conference, f"/{paper.id}")).status_code == 404
    assert organizer_client.get(url(conference, f"/{paper.id}/tep/{paper.files[0].id}")).status_code == 404
    assert organizer_client.post(url(conference, f"/{paper.id}/accept")).status_code == 404


# --- the documents pack ---------------------------------------------------------------------------

def test_pack_follows_agenda_order_with_index(db, make_conference, organizer_client, make_paper):
    conference = make_conference()
    first = make_paper(conference, status="accepted", with_file=True, speaker_name="Zô Văn Cuối", title="Bài A/B: thử?")
    second = make_paper(conference, status="accepted", speaker_name="An Thị Đầu", title="Bài hai")
    store_file(second, docx_bytes(), "hai.docx")
    unscheduled = make_paper(conference, status="accepted", with_file=True, speaker_name="Chưa Xếp", title="Bài ba")
    make_paper(conference, status="submitted", with_file=True, speaker_name="Chưa Duyệt")
    db.session.add_all([
        AgendaItem(conference_id=conference.id, position=0, kind="opening", title="Khai mạc", duration_minutes=10),
        AgendaItem(conference_id=conference.id, position=1, kind="paper", title="Bài hai", duration_minutes=15,
                   paper_id=second.id),
        AgendaItem(conference_id=conference.id, position=2, kind="paper", title="Bài A", duration_minutes=15,
                   paper_id=first.id),
    ])
    db.session.commit()
    response = organizer_client.get(url(conference, "/bo-tai-lieu.zip"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names == [
        "00 - Muc luc.html",
        "01 - An Thị Đầu - Bài hai.docx",
        "02 - Zô Văn Cuối - Bài A B thử.pdf",
        "03 - Chưa Xếp - Bài ba.pdf",
    ]
    index = archive.read("00 - Muc luc.html").decode()
    assert index.index("An Thị Đầu") < index.index("Zô Văn Cuối") < index.index("Chưa Xếp")
    assert "Chưa Duyệt" not in index and "Chưa xếp" in index
    assert archive.read(names[2]).startswith(b"%PDF-")
    _ = unscheduled


def test_merged_pdf(db, make_conference, organizer_client, make_paper):
    from pypdf import PdfReader

    conference = make_conference()
    assert organizer_client.get(url(conference, "/tong-hop.pdf")).status_code == 303
    a = make_paper(conference, status="accepted", with_file=True, title="Một")
    b = make_paper(conference, status="accepted", with_file=True, title="Hai")
    second = make_paper(conference, status="accepted", title="Word")
    store_file(second, docx_bytes(), "w.docx")
    response = organizer_client.get(url(conference, "/tong-hop.pdf"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    assert [o.title for o in reader.outline] == ["01 - Nguyễn Văn An - Một", "02 - Nguyễn Văn An - Hai"]
    _ = (a, b)


def test_forms_refused_without_csrf_token_say_so_in_vietnamese(app, db, make_conference, organizer_client, client, make_paper):
    conference = make_conference()
    paper = make_paper(conference, status="submitted", with_file=True)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        body = organizer_client.post(url(conference, f"/{paper.id}/accept"), follow_redirects=True).get_data(as_text=True)
        assert "Thiếu mã bảo vệ biểu mẫu" in body or "Phiên biểu mẫu đã hết hạn" in body
        response = submit(client, paper, pdf_bytes(), "bai.pdf")
        assert response.status_code in {400, 422}
        assert "biểu mẫu" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert reload(db, paper).status == "submitted" and len(reload(db, paper).files) == 1
