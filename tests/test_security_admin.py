"""Admin pages (settings, departments, accounts) and the audit log's reading and export."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from eventapp import audit
from eventapp.models import AuditEntry, Department, HostAgency, User

from .conftest import PASSWORD, login


def _entries(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_admin_saves_the_letterhead_and_the_retention_setting(db, admin_client):
    data = {"name": "Sở Khoa học và Công nghệ", "parent_name": "UBND TỈNH QUẢNG NGÃI", "abbreviation": "SKHCN",
            "address": "45 Hùng Vương", "phone": "0255 3710 477", "place_name": "Quảng Ngãi",
            "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn An",
            "retention_months": "24"}
    response = admin_client.post("/quan-tri/", data=data)
    assert response.status_code == 303
    host = db.session.scalar(sa.select(HostAgency))
    assert host.retention_months == 24 and host.phone == "02553710477" and host.signer_authority == "KT. GIÁM ĐỐC"
    assert _entries(db, "settings.update")
    page = admin_client.get("/quan-tri/").get_data(as_text=True)
    assert "UBND TỈNH QUẢNG NGÃI" in page and 'value="24"' in page


def test_retention_must_be_a_positive_number_of_months(db, admin_client):
    response = admin_client.post("/quan-tri/", data={"name": "Sở", "abbreviation": "S", "retention_months": "0"})
    assert response.status_code == 422
    assert "Thời hạn phải từ 1 đến 600 tháng." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(HostAgency)) is None


def test_departments_are_added_and_renamed_without_duplicates(db, admin_client):
    assert admin_client.post("/quan-tri/phong-ban", data={"name": "Văn phòng Sở", "abbreviation": "VP"}).status_code == 303
    department = db.session.scalar(sa.select(Department))
    duplicate = admin_client.post("/quan-tri/phong-ban", data={"name": "Văn phòng Sở", "abbreviation": "VP2"})
    assert duplicate.status_code == 422 and "cùng tên" in duplicate.get_data(as_text=True)
    response = admin_client.post(f"/quan-tri/phong-ban/{department.id}",
                                 data={"name": "Văn phòng", "abbreviation": "VP", "position": "2"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Department, department.id).name == "Văn phòng"
    assert _entries(db, "department.create") and _entries(db, "department.update")


def test_admin_creates_an_account_that_can_sign_in(db, app, admin_client, make_department):
    department = make_department()
    response = admin_client.post("/quan-tri/tai-khoan/moi", data={
        "username": "Le.Thi.Binh", "full_name": "Lê Thị Bình", "role": "department",
        "department_id": str(department.id), "password": "mat-khau-dai-hon"})
    assert response.status_code == 303
    user = db.session.scalar(sa.select(User).where(User.username == "le.thi.binh"))
    assert user.role == "department" and user.department_id == department.id
    assert user.password_hash != "mat-khau-dai-hon"
    login(app.test_client(), user, "mat-khau-dai-hon")
    entry = _entries(db, "user.create")[0]
    assert "le.thi.binh" in entry.summary and "mat-khau-dai-hon" not in entry.details_json


def test_department_account_needs_a_department_and_a_strong_password(db, admin_client):
    response = admin_client.post("/quan-tri/tai-khoan/moi", data={
        "username": "x", "full_name": "X", "role": "department", "department_id": "0",
        "password": "mat-khau-dai-hon"})
    assert response.status_code == 422 and "cần chọn phòng" in response.get_data(as_text=True)
    for weak in ("123", "12345678", "matkhau123456", "Password123!"):
        refused = admin_client.post("/quan-tri/tai-khoan/moi", data={
            "username": "y", "full_name": "Y", "role": "admin", "department_id": "0", "password": weak})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 422 and ("ít nhất 12 ký tự" in body or "phổ biến" in body), weak
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_change_role_reset_password_and_deactivate(db, app, admin_client, make_user):
    user = make_user("reception")
    assert admin_client.post(f"/quan-tri/tai-khoan/{user.id}",
                             data={"role-role": "organizer", "role-department_id": "0"}).status_code == 303
    assert admin_client.post(f"/quan-tri/tai-khoan/{user.id}/mat-khau",
                             data={"pw-password": "mat-khau-moi-123"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "organizer"
    organizer = login(app.test_client(), user, "mat-khau-moi-123")
    assert organizer.get("/hoi-nghi/").status_code == 200
    assert admin_client.post(f"/quan-tri/tai-khoan/{user.id}/trang-thai", data={"active": "0"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    assert organizer.get("/hoi-nghi/").status_code == 302, "a locked account's session ends"
    refused = app.test_client().post("/dang-nhap", data={"username": user.username, "password": "mat-khau-moi-123"})
    assert refused.status_code == 422
    for action in ("user.role", "user.password_reset", "user.deactivate"):
        assert _entries(db, action), action


def test_the_last_admin_cannot_lock_or_demote_themselves(db, login_as):
    client = login_as("admin")
    admin = db.session.scalar(sa.select(User).where(User.role == "admin"))
    client.post(f"/quan-tri/tai-khoan/{admin.id}/trang-thai", data={"active": "0"})
    response = client.post(f"/quan-tri/tai-khoan/{admin.id}", data={"role-role": "organizer", "role-department_id": "0"})
    assert response.status_code == 422 and "quản trị viên cuối cùng" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).active and db.session.get(User, admin.id).role == "admin"


def _fill_log(db, make_conference):
    conference = make_conference()
    with db.session.no_autoflush:
        audit.record("invitation.create", "Thêm thư mời Sở Tài chính", conference_id=conference.id, actor="Nguyễn An")
        audit.record("checkin.scan", "Đón tiếp Trần Bình", conference_id=conference.id, actor="Thiết bị Bàn 1")
        audit.record("budget.update", "=HYPERLINK(\"http://x\")", actor="Lê Chi")
    db.session.commit()
    return conference


def test_admin_reads_the_log_with_filters_and_pages(db, admin_client, make_conference):
    conference = _fill_log(db, make_conference)
    page = admin_client.get("/nhat-ky/").get_data(as_text=True)
    assert "Thêm thư mời Sở Tài chính" in page and "Thiết bị Bàn 1" in page
    filtered = admin_client.get("/nhat-ky/?action=checkin").get_data(as_text=True)
    assert "Trần Bình" in filtered and "Sở Tài chính" not in filtered
    by_text = admin_client.get("/nhat-ky/?q=tài chính").get_data(as_text=True)
    assert "Sở Tài chính" in by_text
    by_conference = admin_client.get(f"/nhat-ky/?conference_id={conference.id}").get_data(as_text=True)
    assert "HYPERLINK" not in by_conference
    fragment = admin_client.get("/nhat-ky/?q=Bình", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and "Trần Bình" in fragment.get_data(as_text=True)
    for _ in range(60):
        audit.record("task.update", "Cập nhật nhiệm vụ")
    db.session.commit()
    first = admin_client.get("/nhat-ky/").get_data(as_text=True)
    assert 'rel="next"' in first
    assert admin_client.get("/nhat-ky/?page=2").status_code == 200
    assert admin_client.get("/nhat-ky/?from=99/99/9999&to=abc&page=x").status_code == 200


def test_admin_exports_the_log_as_csv_and_xlsx_without_formula_injection(db, admin_client, make_conference):
    _fill_log(db, make_conference)
    response = admin_client.get("/nhat-ky/xuat?format=csv&action=budget")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "Thời gian" and len(rows) == 2
    assert rows[1][6].startswith("'=")
    xlsx = admin_client.get("/nhat-ky/xuat?format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][2] == "Thao tác" and {"invitation.create", "checkin.scan"} <= {r[2] for r in values[1:]}
    assert _entries(db, "audit.export")


def test_record_keeps_long_values_within_the_columns(db):
    entry = audit.record("x" * 100, "y" * 5000, actor="z" * 500)
    db.session.commit()
    assert len(entry.action) == 60 and len(entry.summary) == 1000 and len(entry.actor) == 200


def test_sign_in_fixture_password_is_not_logged(db, make_user):
    make_user("admin")
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.details_json.contains(PASSWORD)))
