"""Sending invitations and reminders, the 3-working-day rule of Decision 45/2018, the progress fragment."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from eventapp import vntime
from eventapp.mail import worker
from eventapp.models import AuditEntry, OutboxMessage
from eventapp.sending import services


def _far_conference(make_conference, **kw):
    return make_conference(starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=30), **kw)


KEY = re.compile(r'name="key" value="([^"]+)"')


def confirm(client, conference, **data):
    """Press a sending button, then the confirmation it asks for (with its count); returns both answers."""
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/"
    asked = client.post(url, data=data)
    if asked.status_code != 200:
        return asked, asked
    key = KEY.search(asked.get_data(as_text=True))
    assert key, asked.get_data(as_text=True)[:2000]
    return asked, client.post(url, data=data | {"key": key.group(1)})


def send(client, conference, **data):
    return confirm(client, conference, **data)[1]


def _outbox(db, purpose=None):
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if purpose:
        query = query.where(OutboxMessage.purpose == purpose)
    return db.session.scalars(query).all()


def test_send_queues_one_mail_per_unsent_invitation_with_the_personal_link(organizer_client, db, make_conference,
                                                                          make_venue, make_invitation):
    conference = _far_conference(make_conference, venue=make_venue(), contact_name="Trần Thị Hoa",
                                 contact_phone="0912345678")
    person = make_invitation(conference)
    agency = make_invitation(conference, "agency")
    make_invitation(conference, invitee_name="Lê Văn Không Email", email="")
    asked, response = confirm(organizer_client, conference, action="invite_unsent")
    assert "Sẽ gửi <strong>2 giấy mời</strong> qua email (1 khách mời không có email" in asked.get_data(as_text=True)
    assert response.status_code == 303
    mails = _outbox(db, "invitation")
    assert sorted(m.invitation_id for m in mails) == sorted([person.id, agency.id])
    mail = next(m for m in mails if m.invitation_id == person.id)
    assert f"http://localhost/moi/{person.rsvp_token}" in mail.body_text
    assert f"http://localhost/moi/{person.rsvp_token}" in mail.body_html
    for words in (conference.title, "Hội trường tầng 7", "Trần Thị Hoa", "0912 345 678",
                  vntime.format_date(conference.starts_at), "Kính gửi: Nguyễn Văn Đức"):
        assert words in mail.body_text
    assert mail.subject.startswith("Giấy mời: ") and mail.conference_id == conference.id
    db.session.refresh(person)
    assert person.first_sent_at is not None
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "invitation.send")).all()
    assert entry.conference_id == conference.id

    again = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/", data={"action": "invite_unsent"})
    assert again.status_code == 422 and "Không có giấy mời nào cần gửi" in again.get_data(as_text=True)
    assert len(_outbox(db, "invitation")) == 2


def test_send_to_selected_ones_only(organizer_client, db, make_conference, make_invitation):
    conference = _far_conference(make_conference)
    first, second = make_invitation(conference), make_invitation(conference, "agency")
    send(organizer_client, conference, action="invite_selected", ids=[str(second.id)])
    assert [m.invitation_id for m in _outbox(db)] == [second.id]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/", data={"action": "invite_selected"})
    assert response.status_code == 422 and "Chưa chọn khách mời nào" in response.get_data(as_text=True)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/",
                                     data={"action": "invite_selected", "ids": ["abc"]})
    assert response.status_code == 422
    assert first.id not in [m.invitation_id for m in _outbox(db)]


def test_reminders_go_only_to_those_who_have_not_answered(organizer_client, client, db, make_conference, make_invitation):
    conference = _far_conference(make_conference)
    answered = make_invitation(conference, invitee_name="Nguyễn Văn An", email="an@example.vn")
    declined = make_invitation(conference, invitee_name="Trần Văn Bình", email="binh@example.vn")
    pending = make_invitation(conference, invitee_name="Lê Thị Cúc", email="cuc@example.vn")
    client.post(f"/moi/{answered.rsvp_token}", data={"choice": "attend"})
    client.post(f"/moi/{declined.rsvp_token}", data={"choice": "decline"})
    response = send(organizer_client, conference, action="remind_pending")
    assert response.status_code == 303
    reminders = _outbox(db, "reminder")
    assert [m.invitation_id for m in reminders] == [pending.id]
    assert reminders[0].subject.startswith("Nhắc xác nhận tham dự")
    db.session.refresh(pending)
    assert pending.reminder_count == 1 and pending.last_reminded_at is not None
    # A second reminder within a day needs an explicit choice.
    asked, refused = confirm(organizer_client, conference, action="remind_selected",
                             ids=[str(answered.id), str(pending.id)])
    assert "1 khách mời đã được nhắc trong 24 giờ qua" in asked.get_data(as_text=True)
    assert refused.status_code == 422 and "đã được nhắc trong 24 giờ qua" in refused.get_data(as_text=True)
    assert [m.invitation_id for m in _outbox(db, "reminder")] == [pending.id]
    asked, again = confirm(organizer_client, conference, action="remind_selected", again="1",
                           ids=[str(answered.id), str(pending.id)])
    assert again.status_code == 303
    assert [m.invitation_id for m in _outbox(db, "reminder")] == [pending.id, pending.id]
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/").get_data(as_text=True)
    assert re.search(r"Đã nhắc lúc \d\d:\d\d \(1 thư\)", page)


def _late_conference(make_conference):
    """A conference on the next working day: fewer than 3 working days away."""
    day = vntime.add_working_days(vntime.today(), 1)
    starts = vntime.local_to_utc(datetime(day.year, day.month, day.day, 8, 0))
    return make_conference(starts_at=starts)


def test_fewer_than_three_working_days_asks_for_confirmation_quoting_the_rule(organizer_client, db, make_conference, make_invitation):
    conference = _late_conference(make_conference)
    invitation = make_invitation(conference)
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/").get_data(as_text=True)
    assert "Chưa đủ 3 ngày làm việc" in page and "45/2018/QĐ-TTg" in page
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/",
                                     data={"action": "invite_selected", "ids": [str(invitation.id)]})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Xác nhận gửi khi chưa đủ 3 ngày làm việc" in body
    assert "ít nhất 03 ngày làm việc" in body and "Vẫn gửi 1 giấy mời" in body
    assert f'name="ids" value="{invitation.id}"' in body
    assert _outbox(db) == []
    response = send(organizer_client, conference, action="invite_selected", ids=[str(invitation.id)])
    assert response.status_code == 303 and len(_outbox(db)) == 1


def test_on_time_sending_needs_no_confirmation(organizer_client, db, make_conference, make_invitation):
    conference = _far_conference(make_conference)
    make_invitation(conference)
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/").get_data(as_text=True)
    assert "đúng thời hạn gửi giấy mời" in page


def test_timing_counts_the_holidays_of_any_year(db, make_conference):
    conference = make_conference(starts_at=datetime(2040, 1, 5, 1, 0, tzinfo=UTC))  # Thursday 05/01/2040
    # From Thursday 29/12/2039: Friday 30/12, Tuesday 03/01 and Wednesday 04/01 (Monday 02/01 makes up 01/01).
    result = services.timing(conference, today=date(2039, 12, 29))
    assert result.working_days == 3 and not result.too_late
    late = services.timing(conference, today=date(2039, 12, 30))
    assert late.working_days == 2 and late.too_late
    assert late.explanation == "Hội nghị họp ngày 05/01/2040: từ hôm nay chỉ còn 2 ngày làm việc trước ngày họp."
    past = services.timing(conference, today=date(2040, 2, 1))
    assert past.working_days == 0 and past.too_late and past.past
    assert past.explanation == "Hội nghị đã diễn ra ngày 05/01/2040."
    assert services.timing(conference, today=date(2040, 1, 5)).explanation == "Hội nghị họp hôm nay, ngày 05/01/2040."


def test_progress_fragment_polls_while_mail_is_queued_then_stops(organizer_client, db, make_conference, smtp_server, make_invitation):
    conference = _far_conference(make_conference)
    make_invitation(conference)
    make_invitation(conference, invitee_name="Trần Văn Bình", email="binh@example.vn")
    send(organizer_client, conference, action="invite_unsent")
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/tien-do"
    fragment = organizer_client.get(url, headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert 'hx-trigger="every 2s"' in body and "Đã gửi <strong>0</strong> / 2" in body
    assert "HX-Request" in fragment.headers.get("Vary", "")
    worker.drain()
    body = organizer_client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Đã gửi <strong>2</strong> / 2" in body and "every 2s" not in body
    assert len(smtp_server.messages) == 2
    assert organizer_client.get(url).status_code == 303


def test_progress_shows_failures_with_reasons(organizer_client, app, db, make_conference, make_invitation):
    from tests.conftest import free_port

    conference = _far_conference(make_conference)
    make_invitation(conference)
    send(organizer_client, conference, action="invite_unsent")
    app.config.update(MAIL_PORT=free_port())
    try:
        worker.drain()
    finally:
        app.config.update(MAIL_PORT=1)
    body = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/tien-do",
                                headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Thư chưa gửi được" in body and "Không kết nối được máy chủ thư" in body


def test_page_lists_copy_link_and_qr_download(organizer_client, db, make_conference, make_invitation):
    conference = _far_conference(make_conference)
    invitation = make_invitation(conference, email="")
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/").get_data(as_text=True)
    assert f'data-copy="http://localhost/moi/{invitation.rsvp_token}"' in page
    assert "Gửi giấy mời" in page and "không có email" in page
    qr = organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/{invitation.id}/qr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png" and "attachment" in qr.headers["Content-Disposition"]
    assert organizer_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/99999/qr.png").status_code == 404


def test_cancelled_conference_sends_nothing(organizer_client, db, make_conference, make_invitation):
    conference = _far_conference(make_conference, status="cancelled")
    make_invitation(conference)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/", data={"action": "invite_unsent"})
    assert response.status_code == 422 and "Hội nghị đã hủy" in response.get_data(as_text=True)


def test_bad_action_and_other_roles(organizer_client, reception_client, db, make_conference):
    conference = _far_conference(make_conference)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/gui-giay-moi/", data={"action": "boom"})
    assert response.status_code == 422 and "Thao tác không hợp lệ" in response.get_data(as_text=True)
    assert reception_client.get(f"/hoi-nghi/{conference.id}/gui-giay-moi/").status_code == 403
    assert organizer_client.get("/hoi-nghi/99999/gui-giay-moi/").status_code == 404


def test_conference_tabs_link_to_sending(organizer_client, db, make_conference):
    conference = _far_conference(make_conference)
    page = organizer_client.get(f"/hoi-nghi/{conference.id}").get_data(as_text=True)
    assert f"/hoi-nghi/{conference.id}/gui-giay-moi/" in page
