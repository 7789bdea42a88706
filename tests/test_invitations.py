"""The invitation list of a conference: invite, group, remove, totals, answers and the delegate list."""

import io

import pytest
import sqlalchemy as sa

from eventapp.agencies import services as agencies
from eventapp.invitations import services
from eventapp.models import AgencyGroup, AuditEntry, CheckIn, Delegate, Invitation

HX = {"HX-Request": "true"}


@pytest.fixture()
def directory(db):
    """Two groups with a few agencies, in the order of the defaults."""
    groups = agencies.ensure_default_groups()
    sở, xã = groups[0], groups[1]
    made = {}
    for group, name in [(sở, "Sở Tài chính"), (sở, "Sở Y tế"), (sở, "Sở Ngoại vụ"), (sở, "Sở Giáo dục và Đào tạo"),
                        (xã, "UBND phường Trương Quang Trọng"), (xã, "UBND xã Bình Sơn")]:
        made[name] = agencies.save_agency(None, {"group_id": group.id, "name": name, "email": "",
                                                 "phone": ""})
    return {"groups": groups, "agencies": made}


@pytest.fixture()
def conference(make_conference, make_venue):
    return make_conference(venue_id=make_venue(capacity=20).id)


def test_invite_agency_without_js_redirects_and_records(organizer_client, db, directory, conference):
    agency = directory["agencies"]["Sở Y tế"]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/moi-co-quan", data={
        "agency-agency_id": agency.id, "agency-seats": "3", "agency-role_text": "Lãnh đạo và chuyên viên phụ trách"})
    assert response.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.seats, invitation.role_text, invitation.kind) == (3, "Lãnh đạo và chuyên viên phụ trách", "agency")
    assert "so y te" in invitation.search_text
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "invitation.create"))
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi").get_data(as_text=True)
    assert "Sở Y tế" in page and "Lãnh đạo và chuyên viên phụ trách" in page


def test_invite_agency_twice_is_refused_in_vietnamese(organizer_client, db, directory, conference):
    agency = directory["agencies"]["Sở Y tế"]
    url = f"/hoi-nghi/{conference.id}/khach-moi/moi-co-quan"
    organizer_client.post(url, data={"agency-agency_id": agency.id})
    response = organizer_client.post(url, data={"agency-agency_id": agency.id}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body and "«Sở Y tế» đã có trong danh sách khách mời." in body
    bad = organizer_client.post(url, data={"agency-agency_id": agency.id, "agency-seats": "0"}, headers=HX)
    assert bad.status_code == 422 and "Số chỗ phải từ 1 đến 500." in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_htmx_add_returns_workspace_fragment(organizer_client, db, directory, conference):
    agency = directory["agencies"]["Sở Tài chính"]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/moi-co-quan",
                                     data={"agency-agency_id": agency.id, "agency-seats": "2"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Đã mời «Sở Tài chính»." in body and "Chỗ mời" in body


def test_picker_search_ignores_accents_and_hides_invited(organizer_client, db, directory, conference):
    services.invite_agency(conference, directory["agencies"]["Sở Tài chính"])
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi?tim=so",
                                    headers={**HX, "HX-Target": "picker-results"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Sở Y tế" in body and "Sở Tài chính" not in body
    body = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi?tim=truong+quang+trong").get_data(as_text=True)
    assert "UBND phường Trương Quang Trọng" in body


def test_invite_whole_group(organizer_client, db, directory, conference):
    sở = directory["groups"][0]
    services.invite_agency(conference, directory["agencies"]["Sở Y tế"], 5)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/moi-nhom", data={
        "group-group_id": sở.id, "group-seats": "2", "group-role_text": "Đại diện lãnh đạo"}, follow_redirects=True)
    assert "Đã mời 3 cơ quan của nhóm «Sở, ban, ngành»." in response.get_data(as_text=True)
    seats = dict(db.session.execute(sa.select(Invitation.agency_id, Invitation.seats)).all())
    assert seats[directory["agencies"]["Sở Y tế"].id] == 5
    assert sorted(seats.values()) == [2, 2, 2, 5]


def test_invite_person_validates_and_saves(organizer_client, db, directory, conference):
    url = f"/hoi-nghi/{conference.id}/khach-moi/moi-ca-nhan"
    bad = organizer_client.post(url, data={"person-invitee_name": "", "person-email": "x@", "person-agency_id": "0"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Vui lòng nhập họ và tên." in page and "Địa chỉ email không hợp lệ" in page
    ok = organizer_client.post(url, data={"person-invitee_name": "Nguyễn Văn Đức", "person-invitee_position": "Giám đốc",
                                          "person-agency_id": directory["agencies"]["Sở Y tế"].id,
                                          "person-phone": "0912.345.678"})
    assert ok.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.kind == "person" and invitation.phone == "0912345678"
    assert "nguyen van duc" in invitation.search_text


def test_list_grouped_in_order_with_totals_and_capacity_gap(organizer_client, db, directory, conference, make_delegate):
    a = directory["agencies"]
    y_te = services.invite_agency(conference, a["Sở Y tế"], 4)
    services.invite_agency(conference, a["Sở Tài chính"], 3)
    xa = services.invite_agency(conference, a["UBND xã Bình Sơn"], 2)
    services.invite_agency(conference, a["Sở Giáo dục và Đào tạo"], 1)
    services.invite_person(conference, "Trần Thị Bình", "Chuyên gia")
    y_te.status = "attending"
    xa.status = "declined"
    db.session.commit()
    make_delegate(y_te.conference, "Lê Văn Tám", invitation=y_te, kind="named", position="", agency_name="")
    make_delegate(y_te.conference, "Phạm Thị Hoa", invitation=y_te, kind="substitute", position="", agency_name="", replaces_name="Lê Văn Tám")
    listing = services.invitation_list(conference)
    assert [s.name for s in listing.sections] == ["Sở, ban, ngành", "UBND cấp xã, phường", services.NO_GROUP]
    names = [i.agency.name for i in listing.sections[0].invitations]
    assert names == ["Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Y tế"]  # Vietnamese order: G < T < Y
    t = listing.totals
    assert (t.seats, t.confirmed, t.declined, t.pending) == (11, 2, 2, 5)
    assert listing.gap == 20 - 11
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi").get_data(as_text=True)
    assert "còn 9 chỗ so với số mời" in page
    assert "Phạm Thị Hoa" in page and "đi thay Lê Văn Tám" in page
    assert page.index("Sở Giáo dục và Đào tạo") < page.index("Sở Tài chính") < page.index("UBND xã Bình Sơn")


def test_edit_seats_and_role(organizer_client, db, directory, conference):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"], 1)
    url = f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/sua"
    assert organizer_client.get(url).status_code == 200
    bad = organizer_client.post(url, data={"seats": "abc", "role_text": "x"})
    assert bad.status_code == 422 and "Vui lòng nhập một số nguyên." in bad.get_data(as_text=True)
    ok = organizer_client.post(url, data={"seats": "4", "role_text": "Lãnh đạo đơn vị"})
    assert ok.status_code == 303
    db.session.expire_all()
    assert (invitation.seats, invitation.role_text) == (4, "Lãnh đạo đơn vị")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.update"))


def test_remove_asks_first_without_js_then_removes(organizer_client, db, directory, conference):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"])
    url = f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/xoa"
    ask = organizer_client.post(url)
    assert ask.status_code == 200 and "Xóa khỏi danh sách khách mời?" in ask.get_data(as_text=True)
    assert db.session.get(Invitation, invitation.id) is not None
    done = organizer_client.post(url, data={"confirmed": "1"})
    assert done.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.delete"))


def test_remove_answered_invitation_removes_its_delegates(organizer_client, db, directory, conference, make_delegate):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"], 2)
    invitation.status = "attending"
    db.session.commit()
    make_delegate(invitation.conference, "Lê Văn Tám", invitation=invitation, kind="named", position="", agency_name="")
    make_delegate(invitation.conference, "Phạm Thị Hoa", invitation=invitation, kind="substitute", position="", agency_name="", replaces_name="Lê Văn Tám")
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/xoa",
                                     data={"confirmed": "1"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_remove_with_htmx_returns_fragment(organizer_client, db, directory, conference):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"])
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/xoa",
                                     data={"confirmed": "1"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "Đã xóa «Sở Y tế»" in body


def test_remove_refused_when_checked_in(organizer_client, db, directory, conference, make_delegate):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"])
    delegate = make_delegate(invitation.conference, "Lê Văn Tám", invitation=invitation, kind="named", position="", agency_name="")
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id))
    db.session.commit()
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/xoa",
                                     data={"confirmed": "1"}, follow_redirects=True)
    assert "đã có đại biểu của lời mời này check-in" in response.get_data(as_text=True)
    assert db.session.get(Invitation, invitation.id) is not None


def test_other_conference_invitation_is_404(organizer_client, db, directory, conference, make_conference):
    other = make_conference(title="Hội nghị khác")
    invitation = services.invite_agency(other, directory["agencies"]["Sở Y tế"])
    assert organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/sua").status_code == 404


def test_rsvp_url_uses_public_base(app, db, directory, conference):
    invitation = services.invite_agency(conference, directory["agencies"]["Sở Y tế"])
    with app.test_request_context():
        assert services.rsvp_url(invitation).endswith(f"/moi/{invitation.rsvp_token}")
        assert services.rsvp_url(invitation).startswith("http://localhost")


def test_answers_filters(organizer_client, db, directory, conference, make_delegate):
    a = directory["agencies"]
    y_te = services.invite_agency(conference, a["Sở Y tế"], 2)
    tai_chinh = services.invite_agency(conference, a["Sở Tài chính"], 1)
    xa = services.invite_agency(conference, a["UBND xã Bình Sơn"], 1)
    y_te.status, tai_chinh.status, xa.status = "attending", "attending", "declined"
    xa.decline_reason = "Trùng lịch họp"
    db.session.commit()
    make_delegate(y_te.conference, "Phạm Thị Hoa", invitation=y_te, kind="substitute", position="", agency_name="", replaces_name="Lê Văn Tám",
              search_text="pham thi hoa")
    make_delegate(tai_chinh.conference, "Đỗ Đức Anh", invitation=tai_chinh, kind="named", position="", agency_name="", search_text="do duc anh")
    base = f"/hoi-nghi/{conference.id}/tra-loi"
    page = organizer_client.get(base).get_data(as_text=True)
    assert all(n in page for n in ("Sở Y tế", "Sở Tài chính", "UBND xã Bình Sơn", "Trùng lịch họp"))
    page = organizer_client.get(base + "?di_thay=co").get_data(as_text=True)
    assert "Phạm Thị Hoa" in page and "Sở Tài chính" not in page.split('id="results"')[1]
    page = organizer_client.get(base + "?trang_thai=declined").get_data(as_text=True)
    assert "UBND xã Bình Sơn" in page.split('id="results"')[1] and "Sở Y tế</strong>" not in page
    page = organizer_client.get(base + "?q=do+duc", headers=HX).get_data(as_text=True)
    assert "<html" not in page and "Sở Tài chính" in page and "Sở Y tế" not in page
    page = organizer_client.get(base + f"?nhom={directory['groups'][1].id}", headers=HX).get_data(as_text=True)
    assert "UBND xã Bình Sơn" in page and "Sở Y tế" not in page


def test_delegate_list_export_sorted_and_marks_substitutes(organizer_client, db, directory, conference, make_delegate):
    from openpyxl import load_workbook

    a = directory["agencies"]
    xa = services.invite_agency(conference, a["UBND xã Bình Sơn"], 2)
    y_te = services.invite_agency(conference, a["Sở Y tế"], 3)
    make_delegate(xa.conference, "Nguyễn Văn An", invitation=xa, kind="named", position="", agency_name="")
    make_delegate(y_te.conference, "Trần Văn Bình", invitation=y_te, kind="named", position="", agency_name="")
    make_delegate(y_te.conference, "Lê Thị Ánh", invitation=y_te, kind="substitute", position="", agency_name="", replaces_name="Hoàng Văn Cường", phone="0912345678")
    make_delegate(y_te.conference, "Phạm Văn An", invitation=y_te, kind="named", position="", agency_name="")
    services.invite_agency(conference, a["Sở Tài chính"], 1)  # no answer yet: a line without a name
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/tra-loi/danh-sach-dai-bieu.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert list(rows[0]) == services.DELEGATE_HEADINGS
    names = [r[1] for r in rows[1:]]
    # Sở, ban, ngành first, by given name (An < Ánh < Bình), then the commune group.
    assert names == ["Phạm Văn An", "Lê Thị Ánh", "Trần Văn Bình", None, "Nguyễn Văn An"]
    assert rows[4][3] == "Sở Tài chính" and rows[4][6] == "Chưa trả lời"
    anh = rows[2]
    assert anh[7] == "đi thay Hoàng Văn Cường" and anh[4] == "0912 345 678" and anh[3] == "Sở Y tế"


def _many_invitations(db, conference, count):
    group = db.session.scalar(sa.select(AgencyGroup).limit(1)) or agencies.ensure_default_groups()[0]
    from eventapp.models import Agency

    for n in range(count):
        agency = Agency(name=f"Đơn vị thử {conference.id}-{n}", group_id=group.id, search_text=f"don vi thu {n}")
        db.session.add(agency)
        db.session.flush()
        invitation = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=2,
                                status="attending", position=n)
        db.session.add(invitation)
        db.session.flush()
        db.session.add(Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                full_name=f"Nguyễn Văn Thử {n}"))
    db.session.commit()


def test_query_count_constant_in_rows(organizer_client, db, make_conference):
    from tests.conftest import count_queries

    small, large = make_conference(title="Nhỏ"), make_conference(title="Lớn")
    _many_invitations(db, small, 10)
    _many_invitations(db, large, 200)
    counts = {}
    for name, conf in (("small", small), ("large", large)):
        for url in (f"/hoi-nghi/{conf.id}/tra-loi", f"/hoi-nghi/{conf.id}/khach-moi"):
            organizer_client.get(url)  # warm-up: the session's user, the host agency
            with count_queries() as n:
                response = organizer_client.get(url)
            assert response.status_code == 200
            counts[(name, url.rsplit("/", 1)[1])] = n()
    assert counts[("small", "tra-loi")] == counts[("large", "tra-loi")]
    assert counts[("small", "khach-moi")] == counts[("large", "khach-moi")]


def test_reception_cannot_open_invitations(reception_client, conference):
    assert reception_client.get(f"/hoi-nghi/{conference.id}/khach-moi").status_code == 403
    assert reception_client.get(f"/hoi-nghi/{conference.id}/tra-loi").status_code == 403


def test_a_large_list_shows_every_group_total_and_one_group_at_a_time(organizer_client, db, make_conference):
    """Hundreds of agencies: totals of every group from the database, the lines of the group opened."""
    from eventapp.invitations import services
    from eventapp.models import Agency, AgencyGroup, Delegate, Invitation

    conference = make_conference()
    groups = [AgencyGroup(name="Sở, ban, ngành", position=1), AgencyGroup(name="UBND cấp xã, phường", position=2)]
    db.session.add_all(groups)
    db.session.flush()
    for n in range(services.LARGE_LIST + 10):
        group = groups[n % 2]
        agency = Agency(name=f"{'Sở' if group.position == 1 else 'UBND xã'} số {n:03d}", group_id=group.id)
        db.session.add(agency)
        db.session.flush()
        invitation = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id, seats=2,
                                status="attending" if n % 3 == 0 else "pending")
        db.session.add(invitation)
        db.session.flush()
        if n % 3 == 0:
            db.session.add(Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="named",
                                    full_name=f"Nguyễn Văn {n}"))
    db.session.commit()
    listing = services.invitation_list(conference)
    assert [s.totals.lines for s in listing.sections] == [130, 130]
    assert listing.totals.seats == 520 and listing.totals.confirmed == 87
    assert not listing.sections[0].collapsed and listing.sections[1].collapsed
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi?nhom_mo={groups[1].id}").get_data(as_text=True)
    assert "<strong>UBND xã số 001</strong>" in page and "<strong>Sở số 000</strong>" not in page
    assert "Xem 130 lời mời" in page and "520" in page
