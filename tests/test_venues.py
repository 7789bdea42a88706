"""Venues: add, edit, search without accents, refuse duplicates and bad capacity, delete; capacity warnings."""

from __future__ import annotations

import sqlalchemy as sa

from eventapp.models import Delegate, Invitation, Venue

DATA = {"name": "Khách sạn Hùng Vương", "room": "Hội trường tầng 7", "address": "45 Hùng Vương, TP. Quảng Ngãi",
        "phone": "055.3710.477 – 3826.794", "capacity": "200", "equipment": "Âm thanh, máy chiếu", "notes": ""}


def test_add_search_edit_delete(db, organizer_client):
    assert organizer_client.post("/dia-diem/moi", data=DATA).status_code == 303
    venue = db.session.scalar(sa.select(Venue))
    assert venue.capacity == 200 and venue.full_name == "Hội trường tầng 7, Khách sạn Hùng Vương"
    body = organizer_client.get("/dia-diem/?q=hung vuong", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in body and "Hội trường tầng 7" in body and "200 chỗ" in body
    assert "Chưa có địa điểm" in organizer_client.get("/dia-diem/?q=bac giang").get_data(as_text=True)
    response = organizer_client.post(f"/dia-diem/{venue.id}/sua", data=dict(DATA, capacity="180"))
    assert response.status_code == 303
    db.session.refresh(venue)
    assert venue.capacity == 180
    assert organizer_client.post(f"/dia-diem/{venue.id}/xoa").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 0


def test_bad_input_and_duplicates(db, organizer_client, make_venue):
    make_venue()
    response = organizer_client.post("/dia-diem/moi", data=DATA)
    assert response.status_code == 422 and "đã có trong danh sách" in response.get_data(as_text=True)
    response = organizer_client.post("/dia-diem/moi", data=dict(DATA, name="", capacity="hai trăm"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vui lòng nhập tên địa điểm." in body and "số nguyên" in body
    response = organizer_client.post("/dia-diem/moi", data=dict(DATA, room="Phòng khác", capacity="0"))
    assert "Sức chứa phải từ 1 đến 100.000 chỗ." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 1


def test_capacity_warning_on_budget_page(db, organizer_client, make_conference, make_venue):
    venue = make_venue(capacity=10)
    conference = make_conference(venue_id=venue.id)
    invitation = Invitation(conference_id=conference.id, kind="person", invitee_name="Khách", status="attending")
    db.session.add(invitation)
    db.session.flush()
    db.session.add_all([Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                 full_name=f"Đại biểu {i}") for i in range(9)])
    db.session.commit()
    body = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi").get_data(as_text=True)
    assert "đã gần bằng sức chứa hội trường" in body
    db.session.add_all([Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                 full_name=f"Thêm {i}") for i in range(2)])
    db.session.commit()
    body = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi").get_data(as_text=True)
    assert "Số đại biểu xác nhận (11) vượt sức chứa hội trường" in body
