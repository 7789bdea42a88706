"""Tasks: relative deadlines across month ends, templates, the department board's permissions, the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventapp import vntime
from eventapp.errors import UserError
from eventapp.models import OutboxMessage, Task, TaskTemplateItem
from eventapp.tasks import services
from eventapp.tasks.templates import TEMPLATES
from tests.conftest import count_queries, login


def local(y, m, d, hh=8, mm=0):
    return vntime.local_to_utc(datetime(y, m, d, hh, mm))


@pytest.mark.parametrize("text,expected", [
    ("5 ngày trước hội nghị", (None, -5)),
    ("-5", (None, -5)),
    ("2 ngày sau hội nghị", (None, 2)),
    ("Ngày hội nghị", (None, 0)),
    ("30/03/2021", (date(2021, 3, 30), None)),
    ("", (None, None)),
])
def test_parse_deadline(text, expected):
    assert services.parse_deadline(text) == expected


@pytest.mark.parametrize("bad", ["hôm qua", "31/02/2021", "400 ngày trước hội nghị"])
def test_parse_deadline_rejects_with_vietnamese_message(bad):
    with pytest.raises(UserError, match="Hạn"):
        services.parse_deadline(bad)


def test_relative_deadlines_across_month_and_year_ends(db, make_conference, make_department, organizer_client):
    lead = make_department()
    # 07:00 on 02/03 in Vietnam is still 01/03 in UTC: the local date must be used
    conference = make_conference(starts_at=local(2028, 3, 2, 7, 0), ends_at=local(2028, 3, 2, 11, 0))
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/phan-cong/them", data={
        "title": "Gửi giấy mời", "lead_department_id": str(lead.id), "deadline": "5 ngày trước hội nghị",
        "status": "todo"})
    assert response.status_code == 303
    task = db.session.scalar(sa.select(Task))
    assert task.due_offset_days == -5 and task.due_date == date(2028, 2, 26)  # leap year February
    # moving the conference moves the task (conferences.services.shift_relative_deadlines)
    from eventapp.conferences.services import shift_relative_deadlines

    conference.starts_at, conference.ends_at = local(2029, 1, 3), local(2029, 1, 3, 11)
    shift_relative_deadlines(conference)
    db.session.commit()
    assert task.due_date == date(2028, 12, 29)
    assert services.due_date_for(conference, 30) == date(2029, 2, 2)
    assert services.due_date_for(conference, -3) == date(2028, 12, 31)


def test_add_task_bad_input(db, make_conference, organizer_client):
    conference = make_conference()
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/phan-cong/them", data={
        "title": "", "lead_department_id": "0", "deadline": "sớm nhất có thể", "status": "todo"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vui lòng nhập nội dung nhiệm vụ." in body and "Hạn không hợp lệ" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_templates_load_and_apply_once(db, make_conference, organizer_client):
    templates = TEMPLATES
    conference = make_conference(kind="tong_ket", starts_at=local(2027, 4, 2), ends_at=local(2027, 4, 2, 11))
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/phan-cong")  # loads the templates lazily
    assert page.status_code == 200 and "Áp dụng mẫu" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskTemplateItem)
                             .where(TaskTemplateItem.conference_kind == "tong_ket")) == len(templates["tong_ket"])
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/phan-cong/ap-dung-mau", data={"kind": "tong_ket"})
    assert response.status_code == 303
    tasks = db.session.scalars(sa.select(Task).where(Task.conference_id == conference.id)).all()
    assert len(tasks) == len(templates["tong_ket"])
    hall = next(t for t in tasks if t.title.startswith("Hợp đồng thuê hội trường"))
    assert hall.lead_department.name == "Văn phòng Sở" and hall.due_date == date(2027, 3, 26)
    invite = next(t for t in tasks if t.title == "Phát hành giấy mời")
    assert {d.abbreviation for d in invite.coordinating_departments} == {"QLKHCNCS", "QLKH", "QLCN", "KHTC"}
    organizer_client.post(f"/hoi-nghi/{conference.id}/phan-cong/ap-dung-mau", data={"kind": "tong_ket"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == len(tasks)
    body = organizer_client.get(f"/hoi-nghi/{conference.id}/phan-cong").get_data(as_text=True)
    assert "7 ngày trước hội nghị" in body and "Phòng Kế hoạch - Tài chính" in body


def _board_setup(db, make_conference, make_department):
    ours, other = make_department(name="Văn phòng Sở", abbreviation="VP"), make_department()
    conference = make_conference()
    yesterday = vntime.add_days(vntime.today(), -1)
    lead_task = Task(conference_id=conference.id, title="Hợp đồng thuê hội trường", lead_department_id=ours.id,
                     due_date=yesterday)
    coordinated = Task(conference_id=conference.id, title="Chuẩn bị tài liệu", lead_department_id=other.id,
                       due_date=vntime.add_days(vntime.today(), 3))
    coordinated.coordinating_departments = [ours]
    foreign = Task(conference_id=conference.id, title="Phim tư liệu", lead_department_id=other.id)
    db.session.add_all([lead_task, coordinated, foreign])
    db.session.commit()
    return ours, other, lead_task, coordinated, foreign


def test_board_shows_lead_and_coordinated_tasks_late_first(db, app, make_conference, make_department, make_user):
    ours, other, lead_task, coordinated, foreign = _board_setup(db, make_conference, make_department)
    client = login(app.test_client(), make_user("department", department_id=ours.id))
    assert client.get("/").headers["Location"].endswith("/phong-ban/nhiem-vu")
    body = client.get("/phong-ban/nhiem-vu").get_data(as_text=True)
    assert "Hợp đồng thuê hội trường" in body and "Chuẩn bị tài liệu" in body and "Phim tư liệu" not in body
    assert "1 nhiệm vụ quá hạn" in body and "Quá hạn 1 ngày" in body and "is-late" in body


def test_department_staff_update_only_their_tasks(db, app, make_conference, make_department, make_user):
    ours, other, lead_task, coordinated, foreign = _board_setup(db, make_conference, make_department)
    client = login(app.test_client(), make_user("department", department_id=ours.id))
    response = client.post(f"/nhiem-vu/{lead_task.id}/cap-nhat", data={"status": "done", "notes": "Đã ký hợp đồng"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    db.session.refresh(lead_task)
    assert lead_task.status == "done" and lead_task.completed_at is not None and lead_task.notes == "Đã ký hợp đồng"
    assert client.post(f"/nhiem-vu/{coordinated.id}/cap-nhat", data={"status": "done"}).status_code == 403
    assert client.post(f"/nhiem-vu/{foreign.id}/cap-nhat", data={"status": "done"}).status_code == 403
    assert client.get(f"/hoi-nghi/{lead_task.conference_id}/phan-cong").status_code == 403
    response = client.post(f"/nhiem-vu/{lead_task.id}/cap-nhat", data={"status": "xong"})
    assert response.status_code == 303
    db.session.refresh(lead_task)
    assert lead_task.status == "done"


def test_organizer_picks_a_department(db, make_conference, make_department, organizer_client):
    ours, other, *_ = _board_setup(db, make_conference, make_department)
    body = organizer_client.get("/phong-ban/nhiem-vu").get_data(as_text=True)
    assert "Chọn một phòng" in body
    body = organizer_client.get(f"/phong-ban/nhiem-vu?phong={other.id}").get_data(as_text=True)
    assert "Phim tư liệu" in body and "Chuẩn bị tài liệu" in body
    assert organizer_client.get("/phong-ban/nhiem-vu?phong=99999").status_code == 404


def test_digest_queues_once_a_day(db, app, make_conference, make_department):
    ours, other, lead_task, coordinated, foreign = _board_setup(db, make_conference, make_department)
    ours.email = "vanphong@skhcn.example.vn"
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-task-digest", "--days", "5"])
    assert result.exit_code == 0, result.output
    assert "Đã xếp 1 thư" in result.output and "Chưa có email: Phòng Thử nghiệm" in result.output
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert len(messages) == 1 and messages[0].to_addr == "vanphong@skhcn.example.vn"
    body = messages[0].body_text
    assert "QUÁ HẠN" in body and "Hợp đồng thuê hội trường (chủ trì)" in body
    assert "Chuẩn bị tài liệu (phối hợp)" in body and "Phim tư liệu" not in body
    result = runner.invoke(args=["send-task-digest", "--days", "5"])
    assert "Đã xếp 0 thư" in result.output and "bỏ qua 1 phòng" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    # tomorrow it goes again
    tomorrow = services.queue_task_digests(5, today=vntime.add_days(vntime.today(), 1))
    assert tomorrow.queued == 1


def test_conference_tasks_query_count_is_constant(db, make_conference, make_department, organizer_client):
    departments = [make_department() for _ in range(4)]
    services.ensure_task_templates()
    db.session.commit()
    counts = []
    for n in (10, 1000):
        conference = make_conference(title=f"Hội nghị {n}")
        db.session.execute(sa.insert(Task), [
            {"conference_id": conference.id, "title": f"Nhiệm vụ {i}", "lead_department_id": departments[i % 4].id,
             "due_date": date(2030, 1, 1) + timedelta(days=i % 50), "status": "todo", "position": i,
             "description": "", "assignee_name": "", "notes": "",
             "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)}
            for i in range(n)])
        task_ids = db.session.scalars(sa.select(Task.id).where(Task.conference_id == conference.id)).all()
        from eventapp.models import task_coordinator

        db.session.execute(sa.insert(task_coordinator), [
            {"task_id": tid, "department_id": departments[(i + 1) % 4].id} for i, tid in enumerate(task_ids)])
        db.session.commit()
        organizer_client.get("/dinh-muc-chi")
        with count_queries() as queries:
            response = organizer_client.get(f"/hoi-nghi/{conference.id}/phan-cong")
        assert response.status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1], counts
