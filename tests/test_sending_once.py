"""Issue 17: a double click never queues twice (the confirmation form's key is unique in the database), two tabs
never remind one invitation twice within a day (each invitation is claimed by a conditional UPDATE), counted by
the mails a real SMTP server on loopback receives."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventapp.mail import worker
from eventapp.models import AuditEntry, Invitation, OutboxMessage, SendBatch

from .conftest import login
from .test_sending import KEY


def _twelve_agencies(make_conference, make_invitation, make_agency):
    conference = make_conference(starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=30))
    for n in range(12):
        make_invitation(conference, "agency", agency=make_agency(f"UBND xã Thử nghiệm {n}"),
                        email=f"vanthu{n}@xa.example.vn")
    return conference


def _at_once(calls):
    """Run the calls in threads released together; their answers, in no order."""
    start = threading.Barrier(len(calls))
    answers, errors = [], []

    def run(call):
        try:
            start.wait()
            answers.append(call())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return answers


def test_a_double_click_on_remind_sends_each_reminder_once(app, db, make_conference, make_invitation, make_agency,
                                                           make_user, smtp_server):
    conference = _twelve_agencies(make_conference, make_invitation, make_agency)
    user = make_user("organizer")
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/"
    asked = login(app.test_client(), user).post(url, data={"action": "remind_pending"})
    assert "Sẽ gửi <strong>12 thư nhắc</strong>" in asked.get_data(as_text=True)
    data = {"action": "remind_pending", "key": KEY.search(asked.get_data(as_text=True)).group(1)}
    clients = [login(app.test_client(), user) for _ in range(2)]
    answers = _at_once([lambda c=c: c.post(url, data=data) for c in clients])  # the double click
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [303, 422]
    refused = next(r for r in answers if r.status_code == 422).get_data(as_text=True)
    assert "Đã đưa 12 thư nhắc vào hàng đợi lúc" in refused and "lần bấm thứ hai không gửi thêm" in refused
    # The same page posted again a minute later (the back button, a reload): nothing more.
    assert clients[0].post(url, data=data).status_code == 422
    # A second tab pressing "remind" anew: everyone was reminded less than a day ago.
    tab = login(app.test_client(), user)
    again = tab.post(url, data={"action": "remind_pending"})
    assert "12 khách mời đã được nhắc trong 24 giờ qua" in again.get_data(as_text=True)
    key = KEY.search(again.get_data(as_text=True)).group(1)
    assert tab.post(url, data={"action": "remind_pending", "key": key}).status_code == 422

    worker.drain()
    assert len(smtp_server.messages) == 12
    assert len({m["To"] for m in smtp_server.messages}) == 12
    assert all(m["Subject"].startswith("Nhắc xác nhận tham dự") for m in smtp_server.messages)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SendBatch)) == 1
    assert set(db.session.scalars(sa.select(Invitation.reminder_count))) == {1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "invitation.remind")) == 1
    page = tab.get(url).get_data(as_text=True)
    assert "Đã nhắc lúc" in page and "(12 thư)" in page


def test_two_tabs_sending_invitations_at_once_mail_each_invitation_once(app, db, make_conference, make_invitation,
                                                                        make_agency, make_user, smtp_server):
    conference = _twelve_agencies(make_conference, make_invitation, make_agency)
    user = make_user("organizer")
    url = f"/hoi-nghi/{conference.id}/gui-giay-moi/"
    tabs = [login(app.test_client(), user) for _ in range(3)]
    keys = [KEY.search(t.post(url, data={"action": "invite_unsent"}).get_data(as_text=True)).group(1) for t in tabs]
    answers = _at_once([lambda t=t, k=k: t.post(url, data={"action": "invite_unsent", "key": k})
                        for t, k in zip(tabs, keys, strict=True)])
    assert sorted(r.status_code for r in answers) == [303, 422, 422]
    worker.drain()
    assert len(smtp_server.messages) == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 12
