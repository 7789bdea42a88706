"""The agency directory: search without accents, validation in Vietnamese, groups."""

import sqlalchemy as sa

from eventapp.agencies import services
from eventapp.models import Agency, AgencyGroup, AuditEntry


def _group(db, name="Sở, ban, ngành", position=1):
    group = AgencyGroup(name=name, position=position)
    db.session.add(group)
    db.session.commit()
    return group


def test_index_creates_default_groups_and_lists(organizer_client, db):
    response = organizer_client.get("/co-quan/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Danh mục cơ quan, đơn vị" in page
    names = db.session.scalars(sa.select(AgencyGroup.name).order_by(AgencyGroup.position)).all()
    assert names == services.DEFAULT_GROUPS


def test_create_agency_normalises_phone_and_is_found_without_accents(organizer_client, db):
    group = _group(db)
    response = organizer_client.post("/co-quan/them", data={
        "group_id": group.id, "name": "Sở Nông nghiệp và Môi trường", "short_name": "Sở NN&MT",
        "email": "VanThu@SNN.gov.vn", "phone": "+84 255 3822 123", "contact_name": "Trần Thị Đào",
    })
    assert response.status_code == 303
    agency = db.session.scalar(sa.select(Agency))
    assert agency.phone == "02553822123"
    assert agency.email == "vanthu@snn.gov.vn"
    assert db.session.scalar(sa.select(AuditEntry.action)) == "agency.create"
    page = organizer_client.get("/co-quan/?q=nong+nghiep+moi+truong").get_data(as_text=True)
    assert "Sở Nông nghiệp và Môi trường" in page
    page = organizer_client.get("/co-quan/?q=dao").get_data(as_text=True)
    assert "Sở Nông nghiệp và Môi trường" in page
    page = organizer_client.get("/co-quan/?q=tai+chinh").get_data(as_text=True)
    assert "Sở Nông nghiệp và Môi trường" not in page


def test_htmx_search_returns_fragment(organizer_client, db):
    group = _group(db)
    services.save_agency(None, {"group_id": group.id, "name": "Báo Quảng Ngãi"})
    response = organizer_client.get("/co-quan/?q=bao", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Báo Quảng Ngãi" in body
    assert "HX-Request" in response.headers["Vary"]


def test_bad_input_gets_vietnamese_messages(organizer_client, db):
    group = _group(db)
    response = organizer_client.post("/co-quan/them", data={
        "group_id": group.id, "name": "", "email": "khong-phai-email", "phone": "12345"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vui lòng nhập tên cơ quan, đơn vị." in page
    assert "Địa chỉ email không hợp lệ" in page
    assert "Số điện thoại không hợp lệ" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 0


def test_duplicate_name_refused(organizer_client, db):
    group = _group(db)
    services.save_agency(None, {"group_id": group.id, "name": "Sở Tài chính"})
    response = organizer_client.post("/co-quan/them", data={"group_id": group.id, "name": "sở tài chính"})
    assert response.status_code == 422
    assert "Đã có cơ quan «sở tài chính»" in response.get_data(as_text=True)


def test_edit_and_delete_agency(organizer_client, db):
    group = _group(db)
    agency = services.save_agency(None, {"group_id": group.id, "name": "Sở Y tế"})
    response = organizer_client.post(f"/co-quan/{agency.id}/sua", data={"group_id": group.id, "name": "Sở Y tế tỉnh"})
    assert response.status_code == 303
    assert db.session.get(Agency, agency.id).name == "Sở Y tế tỉnh"
    agency_id = agency.id
    response = organizer_client.post(f"/co-quan/{agency_id}/xoa")
    assert response.status_code == 303
    assert db.session.get(Agency, agency_id) is None


def test_delete_agency_in_use_is_refused(organizer_client, db, make_conference):
    from eventapp.models import Invitation

    group = _group(db)
    agency = services.save_agency(None, {"group_id": group.id, "name": "Sở Y tế"})
    conference = make_conference()
    db.session.add(Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id))
    db.session.commit()
    response = organizer_client.post(f"/co-quan/{agency.id}/xoa", follow_redirects=True)
    assert "Không xóa được «Sở Y tế»" in response.get_data(as_text=True)
    assert db.session.get(Agency, agency.id) is not None


def test_groups_create_rename_reorder_delete_only_empty(organizer_client, db):
    organizer_client.get("/co-quan/nhom")
    response = organizer_client.post("/co-quan/nhom", data={"name": "Ban quản lý dự án"})
    assert response.status_code == 303
    new = db.session.scalar(sa.select(AgencyGroup).where(AgencyGroup.name == "Ban quản lý dự án"))
    assert new.position == len(services.DEFAULT_GROUPS) + 1
    organizer_client.post(f"/co-quan/nhom/{new.id}/di-chuyen", data={"huong": "len"})
    db.session.expire_all()
    names = db.session.scalars(sa.select(AgencyGroup.name).order_by(AgencyGroup.position)).all()
    assert names[-2] == "Ban quản lý dự án"
    organizer_client.post(f"/co-quan/nhom/{new.id}/doi-ten", data={"name": "Ban QLDA"})
    db.session.expire_all()
    assert db.session.get(AgencyGroup, new.id).name == "Ban QLDA"
    services.save_agency(None, {"group_id": new.id, "name": "Ban QLDA tỉnh"})
    page = organizer_client.post(f"/co-quan/nhom/{new.id}/xoa", follow_redirects=True).get_data(as_text=True)
    assert "nhóm còn 1 cơ quan" in page
    duplicate = organizer_client.post("/co-quan/nhom", data={"name": "Doanh nghiệp"})
    assert duplicate.status_code == 422 and "Đã có nhóm «Doanh nghiệp»" in duplicate.get_data(as_text=True)


def test_reception_cannot_open_directory(reception_client):
    assert reception_client.get("/co-quan/").status_code == 403


def test_a_name_taken_in_any_case_or_script_is_refused_not_a_500(organizer_client, db):
    """SQLite's lower() folds ASCII only: a name with Vietnamese capitals saved twice must still be refused in
    Vietnamese (and the database's unique index is the last word)."""
    group = _group(db)
    services.save_agency(None, {"group_id": group.id, "name": "ỦY BAN NHÂN DÂN XÃ ĐỨC PHỔ"})
    response = organizer_client.post("/co-quan/them", data={"group_id": group.id, "name": "ỦY BAN NHÂN DÂN XÃ ĐỨC PHỔ"})
    assert response.status_code == 422
    assert "Đã có cơ quan «ỦY BAN NHÂN DÂN XÃ ĐỨC PHỔ» trong danh mục." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 1
