"""The delegate's pages by personal link: answering, the deadline, passes, unknown tokens, rate limits."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eventapp.models import AgendaItem, AuditEntry, CheckIn, Delegate, OutboxMessage, utcnow
from eventapp.passes import qr_text
from eventapp.rsvp.services import precedence_for


def _delegates(db, invitation, status="attending"):
    db.session.expire_all()
    return db.session.scalars(sa.select(Delegate).where(Delegate.invitation_id == invitation.id,
                                                        Delegate.status == status).order_by(Delegate.id)).all()


def _mails(db, purpose="pass"):
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose)).all()


def test_page_shows_conference_venue_contact_and_published_agenda(client, db, make_conference, make_venue, make_invitation):
    conference = make_conference(venue=make_venue(), contact_name="Trần Thị Hoa", contact_phone="0912345678",
                                 agenda_published_at=utcnow())
    db.session.add_all([
        AgendaItem(conference_id=conference.id, position=2, kind="report", title="Báo cáo tổng kết", duration_minutes=30),
        AgendaItem(conference_id=conference.id, position=1, kind="opening", title="Khai mạc", duration_minutes=15),
    ])
    db.session.commit()
    invitation = make_invitation(conference)
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert conference.title in page and "Hội trường tầng 7" in page and "45 Hùng Vương" in page
    assert "0255 3710 477" in page and "Trần Thị Hoa" in page and "0912 345 678" in page
    assert page.index("Khai mạc") < page.index("Báo cáo tổng kết")
    from eventapp.vntime import format_time

    assert format_time(conference.starts_at + timedelta(minutes=15)) in page


def test_agenda_hidden_until_published(client, db, make_conference, make_invitation):
    conference = make_conference()
    db.session.add(AgendaItem(conference_id=conference.id, position=1, kind="opening", title="Khai mạc bí mật",
                              duration_minutes=15))
    db.session.commit()
    invitation = make_invitation(conference)
    assert "Khai mạc bí mật" not in client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)


def test_attend_creates_invitee_delegate_pass_mail_and_audit(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    response = client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    assert response.status_code == 303
    db.session.refresh(invitation)
    assert invitation.status == "attending" and invitation.responded_at is not None
    [delegate] = _delegates(db, invitation)
    assert delegate.kind == "invitee" and delegate.full_name == "Nguyễn Văn Đức"
    assert delegate.precedence == 10 and "nguyen van duc" in delegate.search_text
    [mail] = _mails(db)
    assert mail.to_addr == "duc@example.vn" and qr_text(conference.id, delegate.pass_code) in mail.attachments_json
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "invitation.answer")).all()
    assert entry.actor == "Đại biểu (liên kết cá nhân)" and entry.entity_id == invitation.id
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert "Đã ghi nhận" in page and f"/the/{delegate.pass_code}" in page


def test_submitting_twice_does_no_harm(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    for _ in range(2):
        assert client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"}).status_code == 303
    assert len(_delegates(db, invitation)) == 1
    assert len(_mails(db)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


def test_decline_with_reason_cancels_delegates(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    response = client.post(f"/moi/{invitation.rsvp_token}",
                           data={"choice": "decline", "decline_reason": "Trùng lịch họp HĐND tỉnh"})
    assert response.status_code == 303
    db.session.refresh(invitation)
    assert invitation.status == "declined" and invitation.decline_reason == "Trùng lịch họp HĐND tỉnh"
    assert _delegates(db, invitation) == [] and len(_delegates(db, invitation, "cancelled")) == 1


def test_substitute_replaces_the_invitee_and_keeps_pass_on_resubmit(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    data = {"choice": "substitute", "substitute-full_name": "Lê Thị Mai", "substitute-position": "Chuyên viên",
            "substitute-phone": "0905 123 456", "substitute-email": "mai@example.vn"}
    assert client.post(f"/moi/{invitation.rsvp_token}", data=data).status_code == 303
    [substitute] = _delegates(db, invitation)
    assert substitute.kind == "substitute" and substitute.replaces_name == "Nguyễn Văn Đức"
    assert substitute.phone == "0905123456" and substitute.precedence == 70
    assert [d.full_name for d in _delegates(db, invitation, "cancelled")] == ["Nguyễn Văn Đức"]
    code = substitute.pass_code
    client.post(f"/moi/{invitation.rsvp_token}", data=data)
    assert [d.pass_code for d in _delegates(db, invitation)] == [code]
    assert sorted(m.to_addr for m in _mails(db)) == ["duc@example.vn", "mai@example.vn"]


def test_substitute_needs_a_name_and_bad_phone_gets_a_vietnamese_message(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    response = client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "substitute"})
    assert response.status_code == 422 and "Vui lòng nhập họ và tên người đi thay" in response.get_data(as_text=True)
    response = client.post(f"/moi/{invitation.rsvp_token}", data={
        "choice": "substitute", "substitute-full_name": "Lê Thị Mai", "substitute-phone": "12345"})
    assert response.status_code == 422 and "Số điện thoại không hợp lệ" in response.get_data(as_text=True)
    response = client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "maybe"})
    assert response.status_code == 422 and "Vui lòng chọn một câu trả lời" in response.get_data(as_text=True)
    db.session.refresh(invitation)
    assert invitation.status == "pending" and _delegates(db, invitation) == []


def test_agency_names_up_to_n_delegates_and_removed_ones_are_cancelled(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference, "agency", seats=2)
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert "people-1-full_name" in page and "people-2-full_name" not in page
    data = {"choice": "attend",
            "people-0-full_name": "Phạm Văn Hùng", "people-0-position": "Phó Giám đốc Sở",
            "people-0-email": "hung@example.vn",
            "people-1-full_name": "Võ Thị Lan", "people-1-position": "Chuyên viên chính"}
    assert client.post(f"/moi/{invitation.rsvp_token}", data=data).status_code == 303
    delegates = _delegates(db, invitation)
    assert [(d.full_name, d.kind, d.precedence) for d in delegates] == [
        ("Phạm Văn Hùng", "named", 20), ("Võ Thị Lan", "named", 60)]
    assert all(d.agency_name == invitation.agency.name for d in delegates)
    assert len({d.pass_code for d in delegates}) == 2
    assert [m.to_addr for m in _mails(db)] == ["hung@example.vn"]

    too_many = dict(data, **{"people-2-full_name": "Người Thứ Ba"})
    response = client.post(f"/moi/{invitation.rsvp_token}", data=too_many)
    assert response.status_code == 422 and "tối đa 2 người" in response.get_data(as_text=True)

    only_lan = {"choice": "attend", "people-0-full_name": "Võ Thị Lan", "people-0-position": "Chuyên viên chính"}
    assert client.post(f"/moi/{invitation.rsvp_token}", data=only_lan).status_code == 303
    assert [d.full_name for d in _delegates(db, invitation)] == ["Võ Thị Lan"]
    assert [d.full_name for d in _delegates(db, invitation, "cancelled")] == ["Phạm Văn Hùng"]


def test_agency_with_many_seats_gets_rows_a_few_at_a_time(client, db, make_conference, make_invitation):
    invitation = make_invitation(make_conference(), "agency", seats=40)
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert "people-4-full_name" in page and "people-5-full_name" not in page and "thêm dòng" in page
    data = {"choice": "attend", **{f"people-{n}-full_name": f"Nguyễn Văn Thử {n}" for n in range(5)}}
    assert client.post(f"/moi/{invitation.rsvp_token}", data=data).status_code == 303
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert "people-7-full_name" in page and "people-8-full_name" not in page
    assert 'value="Nguyễn Văn Thử 4"' in page


def test_agency_needs_at_least_one_name(client, db, make_conference, make_invitation):
    invitation = make_invitation(make_conference(), "agency", seats=2)
    response = client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend", "people-0-position": "Chuyên viên"})
    assert response.status_code == 422 and "Vui lòng nhập họ và tên" in response.get_data(as_text=True)


def test_checked_in_delegate_is_never_cancelled(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    [delegate] = _delegates(db, invitation)
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id))
    db.session.commit()
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "decline"})
    assert [d.id for d in _delegates(db, invitation)] == [delegate.id]


def test_after_deadline_page_is_read_only_and_says_whom_to_call(client, db, make_conference, make_invitation):
    conference = make_conference(rsvp_deadline=utcnow() - timedelta(hours=1), contact_name="Trần Thị Hoa",
                                 contact_phone="0912345678")
    invitation = make_invitation(conference)
    page = client.get(f"/moi/{invitation.rsvp_token}").get_data(as_text=True)
    assert "Đã hết hạn đăng ký" in page and "Trần Thị Hoa" in page and 'name="choice"' not in page
    response = client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    assert response.status_code == 422 and "Đã hết hạn đăng ký" in response.get_data(as_text=True)
    db.session.refresh(invitation)
    assert invitation.status == "pending"


def test_without_deadline_answers_close_when_the_conference_starts(client, db, make_conference, make_invitation):
    conference = make_conference(starts_at=utcnow() - timedelta(minutes=5))
    invitation = make_invitation(conference)
    assert client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"}).status_code == 422


def test_unknown_or_malformed_token_is_a_friendly_404_revealing_nothing(client, db, make_conference, make_invitation):
    make_invitation(make_conference())
    for token in ("x" * 32, "abc", "' OR 1=1 --", "a" * 300):
        response = client.get(f"/moi/{token}")
        body = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "Không mở được liên kết này" in body and "Hội nghị tổng kết" not in body and "Traceback" not in body
    nul = client.get("/moi/%00")  # refused before any lookup, still a Vietnamese page
    assert nul.status_code in {400, 404} and "Hội nghị tổng kết" not in nul.get_data(as_text=True)
    assert client.get("/the/123").status_code == 404
    assert client.get("/the/" + "1" * 40).status_code == 404
    assert client.get("/the/" + "1" * 40 + "/qr.png").status_code == 404


def test_pass_is_distinct_from_the_token_and_does_not_link_back(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    [delegate] = _delegates(db, invitation)
    assert delegate.pass_code != invitation.rsvp_token
    page = client.get(f"/the/{delegate.pass_code}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nguyễn Văn Đức" in body and "Giám đốc Sở Tài chính" in body
    assert invitation.rsvp_token not in body and "/moi/" not in body
    assert qr_text(conference.id, delegate.pass_code) in body
    assert client.get(f"/moi/{delegate.pass_code}").status_code == 404  # a pass does not open the answer
    image = client.get(f"/the/{delegate.pass_code}/qr.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.headers["ETag"]
    again = client.get(f"/the/{delegate.pass_code}/qr.png", headers={"If-None-Match": image.headers["ETag"]})
    assert again.status_code == 304


def test_cancelled_pass_no_longer_opens(client, db, make_conference, make_invitation):
    conference = make_conference()
    invitation = make_invitation(conference)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "attend"})
    [delegate] = _delegates(db, invitation)
    client.post(f"/moi/{invitation.rsvp_token}", data={"choice": "decline"})
    page = client.get(f"/the/{delegate.pass_code}")
    assert page.status_code == 410 and "lời mời đã được báo không tham dự" in page.get_data(as_text=True)


def test_token_lookups_are_rate_limited_per_ip(app, client, db, make_conference, make_invitation):
    from eventapp.ratelimit import limiter

    invitation = make_invitation(make_conference())
    app.config["RATELIMIT_ENABLED"] = True
    try:
        with app.app_context():
            limiter().reset()
        statuses = [client.get(f"/moi/{'y' * 30}{i:02d}").status_code for i in range(30)]
        assert set(statuses) == {404}
        slowed = client.get(f"/moi/{'y' * 32}")
        assert slowed.status_code == 429 and "Vui lòng chờ một lát" in slowed.get_data(as_text=True)
        assert client.get(f"/moi/{invitation.rsvp_token}").status_code == 200, "a real link is never refused"
        other = app.test_client().get(f"/moi/{'y' * 32}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 404
    finally:
        app.config["RATELIMIT_ENABLED"] = False
        with app.app_context():
            limiter().reset()


def test_precedence_from_position():
    assert precedence_for("Giám đốc Sở") == 10
    assert precedence_for("Bí thư Đảng ủy xã") == 10
    assert precedence_for("Phó Chủ tịch UBND") == 20
    assert precedence_for("Trưởng phòng Kế hoạch") == 30
    assert precedence_for("Chánh Văn phòng Sở") == 30
    assert precedence_for("Phó Trưởng phòng") == 40
    assert precedence_for("Chuyên viên chính") == 60
    assert precedence_for("Chuyên viên") == 70
    assert precedence_for("") == 50


def test_odd_input_never_breaks_the_page(client, db, make_conference, make_invitation):
    person = make_invitation(make_conference())
    agency = make_invitation(person.conference, "agency", seats=2)
    cases = [
        (person, {"choice": ["attend", "decline"]}),
        (person, {"choice": "substitute", "substitute-full_name": "A" * 500}),
        (person, {"choice": "substitute", "substitute-full_name": "Lê Thị Mai", "substitute-email": "không-phải-email"}),
        (person, {"choice": "decline", "decline_reason": "x" * 5000}),
        (person, {"choice": "substitute", "substitute-full_name": "nguyen van duc"}),
        (agency, {"choice": "substitute", "substitute-full_name": "Lê Thị Mai"}),
        (agency, {"choice": "attend", "people-abc-full_name": "Lê Thị Mai"}),
        (agency, {"choice": "attend", "people-0-full_name": "Lê Thị Mai", "people-1-full_name": "le thi mai"}),
        (agency, {"choice": "attend", "people-99999999-full_name": "Lê Thị Mai", "people-0-phone": "+84 905 123 456"}),
    ]
    for invitation, data in cases:
        response = client.post(f"/moi/{invitation.rsvp_token}", data=data)
        assert response.status_code in {303, 422}, (data, response.status_code)
        if response.status_code == 422:
            body = response.get_data(as_text=True)
            assert 'class="flash flash-error"' in body, data


def test_many_delegates_behind_one_address_open_their_links_freely(app, client, db, make_conference, make_invitation):
    """The venue's Wi-Fi puts every phone behind one address: valid links are never rate limited."""
    from eventapp.ratelimit import limiter

    invitation = make_invitation(make_conference())
    app.config["RATELIMIT_ENABLED"] = True
    try:
        with app.app_context():
            limiter().reset()
        assert {client.get(f"/moi/{invitation.rsvp_token}").status_code for _ in range(60)} == {200}
    finally:
        app.config["RATELIMIT_ENABLED"] = False
        with app.app_context():
            limiter().reset()
