"""Every organizer action that changes invitations, answers, check-ins, papers, budget or tasks leaves an
entry in the audit log (who, when, what), driven through the real pages."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp.models import AuditEntry, BudgetLine, Department, Invitation, Task, User
from eventapp.passes import qr_text

from .test_privacy import make_people


@pytest.fixture()
def scene(db, organizer_client, make_conference):
    conference = make_conference(checkin_opens_at=datetime.now(UTC) - timedelta(hours=1))
    invitation, delegate, paper = make_people(db, conference)
    db.session.execute(sa.text("DELETE FROM checkin"))
    department = Department(name="Văn phòng Sở", abbreviation="VP")
    db.session.add(department)
    db.session.flush()
    line = BudgetLine(conference_id=conference.id, category="water", content="Nước uống", quantity=100, days=1,
                      unit_price=20_000)
    task = Task(conference_id=conference.id, title="Thuê hội trường", lead_department_id=department.id)
    pending = Invitation(conference_id=conference.id, kind="person", invitee_name="Võ Văn Em")
    db.session.add_all([line, task, pending])
    db.session.commit()
    organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
    return {"c": conference.id, "invitation": invitation.id, "delegate": delegate.id, "paper": paper.id,
            "line": line.id, "task": task.id, "department": department.id, "pending": pending.id, "agency": invitation.agency_id,
            "qr": qr_text(conference.id, delegate.pass_code), "organizer": organizer}


def _soon(days=5):
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%d/%m/%Y")


#: (what the organizer does, url template, form data, audit action expected)
ACTIONS = [
    ("mời một cá nhân", "/hoi-nghi/{c}/khach-moi/moi-ca-nhan",
     {"person-invitee_name": "Trần Thị Bình", "person-agency_id": "0"}, "invitation.create"),
    ("sửa lời mời", "/hoi-nghi/{c}/khach-moi/{invitation}/sua",
     {"seats": "2", "invitee_name": "Nguyễn Văn Đức", "role_text": "Lãnh đạo"}, "invitation.update"),
    ("gửi giấy mời", "/hoi-nghi/{c}/gui-giay-moi/", {"action": "invite_selected", "ids": "{invitation}",
                                                     "key": "kiem-tra-nhat-ky"}, "invitation.send"),
    ("check-in bằng quét mã tại bàn", "/hoi-nghi/{c}/don-tiep/quet", {"code": "{qr}"}, "checkin"),
    ("hoàn tác check-in", "/hoi-nghi/{c}/don-tiep/hoan-tac", {}, "checkin.undo"),
    ("check-in khi tìm theo tên", "/hoi-nghi/{c}/don-tiep/dai-bieu/{delegate}/check-in", {}, "checkin"),
    ("đăng ký khách tại chỗ", "/hoi-nghi/{c}/don-tiep/khach-moi", {"walkin-full_name": "Lê Văn Cường"},
     "checkin.walk_in"),
    ("mời viết tham luận", "/hoi-nghi/{c}/tham-luan/moi",
     {"speaker_name": "Phạm Thị Dung", "topic": "Ứng dụng KH&CN", "deadline_date": _soon()}, "paper.invite"),
    ("đổi hạn nộp tham luận", "/hoi-nghi/{c}/tham-luan/{paper}/han-nop", {"deadline_date": _soon(9)},
     "paper.deadline"),
    ("nhắc nộp tham luận", "/hoi-nghi/{c}/tham-luan/{paper}/nhac", {}, "paper.remind"),
    ("thêm dòng dự toán", "/hoi-nghi/{c}/kinh-phi/them",
     {"new-category": "documents", "new-content": "In tài liệu", "new-unit": "bộ", "new-quantity": "150",
      "new-days": "1", "new-unit_price": "30.000"}, "budget.create"),
    ("xóa dòng dự toán", "/hoi-nghi/{c}/kinh-phi/{line}/xoa", {}, "budget.delete"),
    ("giao nhiệm vụ", "/hoi-nghi/{c}/phan-cong/them",
     {"title": "Chuẩn bị tài liệu", "lead_department_id": "{department}", "status": "todo"}, "task.create"),
    ("cập nhật trạng thái nhiệm vụ", "/nhiem-vu/{task}/cap-nhat", {"status": "done"}, "task.status"),
    ("xóa nhiệm vụ", "/hoi-nghi/{c}/phan-cong/{task}/xoa", {}, "task.delete"),
    ("xóa lời mời", "/hoi-nghi/{c}/khach-moi/{pending}/xoa", {"confirmed": "1"}, "invitation.delete"),
]


@pytest.mark.parametrize(("label", "url", "data", "action"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_organizer_action_is_in_the_audit_log(db, organizer_client, scene, label, url, data, action):
    if "/hoan-tac" in url:  # something to undo first
        organizer_client.post(f"/hoi-nghi/{scene['c']}/don-tiep/quet", data={"code": scene["qr"]})
    before = db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    values = {k: v for k, v in scene.items() if k != "organizer"}
    response = organizer_client.post(url.format(**values),
                                     data={k: v.format(**values) for k, v in data.items()})
    assert response.status_code < 400, (label, response.status_code)
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.id > before)).all()
    matching = [e for e in entries if e.action.startswith(action)]
    assert matching, f"«{label}» left no «{action}» entry; found {[e.action for e in entries]}"
    entry = matching[0]
    assert entry.user_id == scene["organizer"].id and entry.actor == scene["organizer"].full_name
    assert entry.at is not None and entry.summary and entry.conference_id in (scene["c"], None)


def test_removing_an_answered_invitation_is_refused_cleanly(db, organizer_client, scene, app):
    app.config["TEST_FRIENDLY_ERRORS"] = True
    try:
        response = organizer_client.post(f"/hoi-nghi/{scene['c']}/khach-moi/{scene['invitation']}/xoa",
                                         data={"confirmed": "1"})
    finally:
        app.config["TEST_FRIENDLY_ERRORS"] = False
    assert response.status_code < 500


def test_the_delegate_s_own_answer_is_logged_with_the_link_as_actor(db, client, scene):
    from eventapp.models import Invitation

    token = db.session.get(Invitation, scene["invitation"]).rsvp_token
    response = client.post(f"/moi/{token}", data={"choice": "decline", "decline_reason": "Trùng lịch công tác"})
    assert response.status_code == 303
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.action.startswith(("rsvp", "invitation.answer", "answer")) and entry.user_id is None


# --- who reads the log ------------------------------------------------------------------------------------

def _log(db, make_conference):
    from eventapp import audit

    conference = make_conference()
    audit.record("invitation.create", "Thêm thư mời Sở Xây dựng", conference_id=conference.id, actor="Nguyễn An")
    audit.record("user.create", "Tạo tài khoản ketoan (Cán bộ tổ chức).", actor="Quản trị")
    audit.record("settings.update", "Cập nhật thông tin cơ quan và cài đặt.", actor="Quản trị")
    db.session.commit()
    return conference


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf", ""])
def test_the_log_page_with_a_format_argument_opens(db, admin_client, make_conference, fmt):
    """?format=... used to answer 500 (the export links passed format twice)."""
    _log(db, make_conference)
    response = admin_client.get(f"/nhat-ky/?format={fmt}&q=Sở")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Thêm thư mời Sở Xây dựng" in body
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/nhat-ky/xuat[^"]*)"', body)]
    assert sorted(links) == ["/nhat-ky/xuat?format=csv&q=S%E1%BB%9F", "/nhat-ky/xuat?format=xlsx&q=S%E1%BB%9F"]


def test_organizers_read_the_log_of_conferences_and_administrators_all_of_it(db, organizer_client, admin_client,
                                                                             login_as, make_conference):
    conference = _log(db, make_conference)
    page = organizer_client.get("/nhat-ky/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Thêm thư mời Sở Xây dựng" in body
    assert "Tạo tài khoản ketoan" not in body and "Cập nhật thông tin cơ quan" not in body
    assert "Tạo tài khoản ketoan" not in organizer_client.get("/nhat-ky/?q=ketoan").get_data(as_text=True)
    exported = organizer_client.get(f"/nhat-ky/xuat?format=csv&conference_id={conference.id}")
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["invitation.create"]
    assert "Tạo tài khoản ketoan" not in organizer_client.get("/nhat-ky/xuat?format=csv").get_data().decode()
    everything = admin_client.get("/nhat-ky/").get_data(as_text=True)
    assert "Tạo tài khoản ketoan" in everything and "Thêm thư mời Sở Xây dựng" in everything
    assert "Nhật ký" in organizer_client.get("/hoi-nghi/").get_data(as_text=True)
    for role in ("reception", "department"):
        assert login_as(role).get("/nhat-ky/").status_code == 403
