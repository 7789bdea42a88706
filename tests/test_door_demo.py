"""The demo can be tried at the door on the day it is loaded: its door conference is held today and tomorrow."""

from __future__ import annotations

import sqlalchemy as sa

from eventapp import vntime
from eventapp.checkin import scanning
from eventapp.demo import door
from eventapp.demo.loader import load_demo
from eventapp.models import Conference, Delegate, User
from eventapp.passes import qr_text


def test_reception_scans_at_the_demos_door_conference_on_the_day_it_is_loaded(app, db, client):
    load_demo(password="matkhau-demo-1")
    today = vntime.today()
    title = door.door_conference(today)["title"]
    conference = db.session.scalars(sa.select(Conference).where(Conference.title == title)).one()
    assert vntime.to_local(conference.starts_at).date() == today
    opens, closes = scanning.checkin_window(conference)
    assert opens <= vntime.utcnow() < closes
    delegates = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference.id,
                                                             Delegate.status == "attending")).all()
    assert len(delegates) >= 50
    reception = db.session.scalars(sa.select(User).where(User.username == "letan1")).one()
    assert client.post("/dang-nhap", data={"username": reception.username,
                                           "password": "matkhau-demo-1"}).status_code == 303
    admitted = next(d for d in delegates if d.invitation.status == "attending")
    answer = client.post(f"/api/v1/checkin?conference_id={conference.id}",
                         json={"code": qr_text(conference.id, admitted.pass_code)})
    assert answer.status_code == 201 and answer.get_json()["day"] == today.isoformat()
    assert load_demo(password="matkhau-demo-1") == "Dữ liệu mẫu đã có đủ; không thêm gì mới."
