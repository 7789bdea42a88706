"""Desk enrolment without shared passwords: a one-time, short-lived link (a QR on «Thiết bị») or a reception
user's own sign-in makes a named desk with its own token; revoking it refuses the token at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import render_template

from eventapp.checkin import devices
from eventapp.models import AuditEntry, CheckIn, DeskEnrolment, Device
from eventapp.passes import qr_text

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture()
def conference(make_conference):
    return make_conference(starts_at=NOW - timedelta(hours=1))


def enrolment_link(organizer_client, conference) -> str:
    """«Thêm bàn đón tiếp» as an organizer clicks it: the link's path, read from the page's QR caption."""
    page = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/them-ban")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Mã QR thêm bàn đón tiếp" in html
    url = html.split('<p class="link"><a href="')[1].split('"')[0]
    return urlsplit(url).path


def token_of(response) -> str:
    location = response.headers["Location"]
    assert "#token=" in location
    return location.split("#token=")[1]


def scan(client, token, delegate):
    return client.post("/api/v1/checkin", json={"code": qr_text(delegate.conference_id, delegate.pass_code)},
                       headers={"Authorization": f"Bearer {token}"})


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_desk_enrolled_by_link_scans_with_its_own_token(organizer_client, client, conference, make_delegate, db):
    path = enrolment_link(organizer_client, conference)
    form = client.get(path)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and 'value="Bàn 1"' in html and conference.title in html
    response = client.post(path, data={"name": "Bàn cửa Đông"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/ban/{conference.id}#token=")
    token = token_of(response)
    device = db.session.scalars(sa.select(Device)).one()
    assert (device.name, device.token_hash, device.conference_id) == ("Bàn cửa Đông", devices.hash_token(token),
                                                                      conference.id)
    assert token not in (device.token_hint + device.token_hash) and len(token) >= 43
    answer = scan(client, token, make_delegate(conference)).get_json()
    assert (answer["result"], answer["desk"]) == ("ok", "Bàn cửa Đông")
    assert sorted(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("device.%")))) == [
        "device.enrol", "device.enrolment"]
    # the next desk is offered the next name
    assert 'value="Bàn 1"' in client.get(enrolment_link(organizer_client, conference)).get_data(as_text=True)
    devices.create_device(conference, "Bàn 1")
    assert 'value="Bàn 2"' in client.get(enrolment_link(organizer_client, conference)).get_data(as_text=True)


def test_an_enrolment_link_is_single_use(organizer_client, client, app, conference, db):
    path = enrolment_link(organizer_client, conference)
    first = client.post(path, data={"name": "Bàn 1"})
    assert first.status_code == 303
    db.session.query(Device).update({Device.created_at: NOW - timedelta(minutes=10)})  # no longer a repeat
    db.session.commit()
    again = app.test_client().post(path, data={"name": "Bàn 9"})
    assert again.status_code == 422 and "đã được dùng" in again.get_data(as_text=True)
    opened = app.test_client().get(path)
    assert opened.status_code == 410 and "«Bàn 1»" in opened.get_data(as_text=True)
    assert count(db, Device) == 1


def test_an_enrolment_link_expires(organizer_client, client, conference, db):
    path = enrolment_link(organizer_client, conference)
    enrolment = db.session.scalars(sa.select(DeskEnrolment)).one()
    assert enrolment.expires_at - enrolment.created_at == devices.ENROLMENT_VALID
    enrolment.created_at, enrolment.expires_at = NOW - timedelta(minutes=20), NOW - timedelta(minutes=5)
    db.session.commit()
    opened = client.get(path)
    assert opened.status_code == 410 and "đã hết hạn" in opened.get_data(as_text=True)
    posted = client.post(path, data={"name": "Bàn 1"})
    assert posted.status_code == 422 and "đã hết hạn" in posted.get_data(as_text=True)
    assert count(db, Device) == 0


def test_a_made_up_link_is_not_found(client, db):
    assert client.get("/ban/dang-ky/" + "x" * 43).status_code == 404
    assert client.post("/ban/dang-ky/" + "x" * 43, data={"name": "Bàn 1"}).status_code == 404
    assert count(db, Device) == 0


def test_a_double_submit_makes_one_desk_and_both_answers_carry_its_token(organizer_client, client, conference, db):
    """A double click (the browser shows the second answer) and a retry after a lost answer: one desk, and the
    same token each time, so whichever answer the browser keeps, the desk works."""
    path = enrolment_link(organizer_client, conference)
    first = client.post(path, data={"name": "Bàn 1"})
    second = client.post(path, data={"name": "Bàn 1"})
    assert (first.status_code, second.status_code) == (303, 303)
    assert token_of(first) == token_of(second)
    assert count(db, Device) == 1


def test_two_submits_at_once_make_one_desk(app, organizer_client, conference, db):
    """Eight browsers post the same link at the same moment: one desk, every answer its token."""
    path = enrolment_link(organizer_client, conference)
    answers, errors, start = [], [], threading.Barrier(8)

    def submit():
        browser = app.test_client()
        try:
            start.wait()
            answers.append(browser.post(path, data={"name": "Bàn 1"}))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert {a.status_code for a in answers} == {303} and len({token_of(a) for a in answers}) == 1
    assert count(db, Device) == 1


def test_a_revoked_desk_is_refused_at_once(organizer_client, client, conference, make_delegate, db):
    token = token_of(client.post(enrolment_link(organizer_client, conference), data={"name": "Bàn 2"}))
    delegate = make_delegate(conference)
    assert scan(client, token, delegate).status_code == 201
    device = db.session.scalars(sa.select(Device)).one()
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/thiet-bi").get_data(as_text=True)
    assert "Bàn 2" in page and "Chưa dùng" not in page  # last seen is shown
    assert organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/{device.id}/thu-hoi").status_code == 303
    refused = client.get("/api/v1/delegates", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.get_json()["message"].startswith("Mã thiết bị này đã bị thu hồi lúc ")
    assert scan(client, token, make_delegate(conference)).status_code == 401
    assert count(db, CheckIn) == 1


def test_reception_staff_enrol_the_browser_they_are_signed_in_on(reception_client, app, conference, db):
    """The partial the desk includes carries a one-time key: posted (twice), it makes one desk of this
    conference, created by the signed-in user, and sends the browser to the desk with its token."""
    with app.test_request_context():
        rendered = render_template("checkin/_enrol_this_desk.html", conference=conference)
    assert 'value="Bàn 1"' in rendered and f"/hoi-nghi/{conference.id}/ban-nay" in rendered
    key = rendered.split('name="key" type="hidden" value="')[1].split('"')[0]
    first = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": "Bàn lễ tân", "key": key})
    second = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": "Bàn lễ tân", "key": key})
    assert (first.status_code, second.status_code) == (303, 303)
    assert first.headers["Location"].startswith(f"/ban/{conference.id}#token=")
    assert token_of(first) == token_of(second)
    device = db.session.scalars(sa.select(Device)).one()
    assert device.name == "Bàn lễ tân" and device.created_by.role == "reception"
    other = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": "Bàn 2", "key": "k" * 32})
    assert token_of(other) != token_of(first) and count(db, Device) == 2


def test_enrolling_this_desk_needs_a_name_and_a_fresh_form(reception_client, conference, db):
    nameless = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": " ", "key": "k" * 32},
                                     headers={"HX-Request": "true"})
    assert nameless.status_code == 422 and "Vui lòng đặt tên cho bàn đón tiếp" in nameless.get_data(as_text=True)
    keyless = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": "Bàn 1", "key": "x"},
                                    headers={"HX-Request": "true"})
    assert keyless.status_code == 422 and "tải lại trang" in keyless.get_data(as_text=True)
    assert count(db, Device) == 0


def test_reception_cannot_make_enrolment_links(reception_client, conference, db):
    assert reception_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/them-ban").status_code == 403
    assert count(db, DeskEnrolment) == 0


def test_organizers_set_the_window_on_the_devices_page(organizer_client, conference, db):
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/thiet-bi").get_data(as_text=True)
    assert "Thời gian đón tiếp" in page and "Thêm bàn đón tiếp" in page
    today = conference.starts_at.date()
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/thoi-gian", data={
        "opens_date": today.isoformat(), "opens_time": "06:30", "closes_date": today.isoformat(),
        "closes_time": "12:00"})
    assert response.status_code == 303
    db.session.expire_all()
    from eventapp import vntime

    assert vntime.format_datetime(conference.checkin_opens_at) == f"06:30 {vntime.format_date(today)}"
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/thiet-bi").get_data(as_text=True)
    assert 'value="06:30"' in page and 'value="12:00"' in page
    assert f"từ 06:30 {vntime.format_date(today)} đến 12:00 {vntime.format_date(today)}" in page
    wrong = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/thoi-gian", data={
        "opens_date": today.isoformat(), "opens_time": "12:00", "closes_date": today.isoformat(),
        "closes_time": "06:30"})
    assert wrong.status_code == 422 and "Thời gian đóng phải sau thời gian mở" in wrong.get_data(as_text=True)
    cleared = organizer_client.post(f"/hoi-nghi/{conference.id}/thiet-bi/thoi-gian", data={})
    assert cleared.status_code == 303
    db.session.expire_all()
    assert (conference.checkin_opens_at, conference.checkin_closes_at) == (None, None)


def test_enrolling_this_desk_needs_the_csrf_token(app, reception_client, conference, db):
    """Cookies alone do not make a desk: without the form's CSRF token the post is refused."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = reception_client.post(f"/hoi-nghi/{conference.id}/ban-nay", data={"name": "Bàn 1", "key": "k" * 32})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400 and count(db, Device) == 0
