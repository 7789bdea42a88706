"""Lists as offices make them (tests/data, made by make_lists.py): each file's preview, the fixes a clerk makes in
it without a new upload, and the rows stored."""

import io
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.agencies import services as agencies
from eventapp.invitations import importing, services
from eventapp.models import Agency, AuditEntry, Invitation

from .conftest import login

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def setup(db, make_conference, make_user):
    groups = agencies.ensure_default_groups()
    agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Tài chính"})
    health = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Y tế"})
    conference = make_conference()
    services.invite_agency(conference, health, seats=2, role_text="Lãnh đạo Sở")
    return conference, groups, make_user("organizer")


def _stored(db):
    return db.session.execute(
        sa.select(Invitation.kind, Invitation.invitee_name, Invitation.seats, Agency.name, Invitation.phone,
                  Invitation.email, Invitation.note)
        .join(Agency, Invitation.agency_id == Agency.id, isouter=True).order_by(Invitation.id)).all()


@pytest.mark.parametrize("name", ["danh-sach-van-phong.xlsx", "danh-sach-van-phong.xls"])
def test_an_office_list_previewed_fixed_in_place_and_imported(app, db, setup, name):
    conference, groups, user = setup
    preview = importing.preview_import(conference.id, (DATA / name).read_bytes(), name)
    # Every recognised column is read, the one that is not is named; the total row is no invitation.
    assert preview.used_columns == ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Số điện thoại", "Email",
                                    "Ghi chú"]
    assert preview.unused_columns == ["Địa chỉ"]
    rows = {r.line: r for r in preview.rows}
    assert sorted(rows) == [6, 7, 8, 9, 10]
    # Phones typed as numbers get their zero back, and the preview says so.
    assert rows[6].phone == "0905123456" and "đã thêm số 0 đầu" in " ".join(rows[6].notes)
    assert rows[7].phone == "02553822123" and "đã thêm số 0 đầu" in " ".join(rows[7].notes)
    assert rows[8].phone == "0912345678" and not rows[8].notes
    assert rows[7].note == "Cử 01 phóng viên"
    # Sở Y tế is invited as a whole: a warning and an offer, not an error.
    assert rows[6].ok and rows[6].agency_invited and "lời mời và giấy mời thứ hai" in " ".join(rows[6].notes)
    # No group column: the three new agencies wait for one.
    assert preview.ungrouped_agencies == ["Báo Quảng Ngãi", "Đài Phát thanh - Truyền hình tỉnh", "UBND xã Bình Sơn"]
    assert preview.valid_count == 2 and preview.error_count == 3

    with app.test_request_context():
        token = importing.store_preview(preview, user.id)
        preview = importing.load_preview(token, conference.id, user.id)
        importing.set_groups(preview, {"Báo Quảng Ngãi": "Cơ quan báo chí",
                                       "Đài Phát thanh - Truyền hình tỉnh": "co quan bao chi"})
        importing.set_groups(preview, dict.fromkeys(preview.ungrouped_agencies, "UBND cấp xã, phường"))
        importing.join_agencies(preview)
        importing.save_preview(token, preview)
        preview = importing.load_preview(token, conference.id, user.id)
        assert preview.error_count == 0 and preview.valid_count == 5 and preview.invitations_count == 4
        assert importing.confirm_import(conference, preview, token) == 5

    stored = _stored(db)
    assert [tuple(r) for r in stored] == [
        ("agency", "Nguyễn Văn An", 3, "Sở Y tế", "", "", ""),  # a named seat on the agency's invitation
        ("agency", "", 1, "Báo Quảng Ngãi", "02553822123", "bqn@quangngai.gov.vn", "Cử 01 phóng viên"),
        ("person", "Trần Thị Hoa", 1, "Sở Tài chính", "0912345678", "", ""),
        ("person", "Lê Văn Bình", 1, "UBND xã Bình Sơn", "0987654321", "", ""),
        ("agency", "", 1, "Đài Phát thanh - Truyền hình tỉnh", "", "", "Cử 01 phóng viên, 01 quay phim"),
    ]
    named = db.session.scalar(sa.select(Invitation).where(Invitation.invitee_name == "Nguyễn Văn An"))
    assert named.invitee_position == "Phó Giám đốc" and "nguyen van an" in named.search_text
    new = dict(db.session.execute(sa.select(Agency.name, Agency.group_id)).all())
    assert new["Báo Quảng Ngãi"] == new["Đài Phát thanh - Truyền hình tỉnh"] != new["UBND xã Bình Sơn"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.import"))
    assert '"named_seats": 1' in entry.details_json and '"new_agencies": 3' in entry.details_json


@pytest.mark.parametrize("name, encoding", [("danh-sach-tcvn3-van-phong.csv", "TCVN3"), ("danh-sach-vni.csv", "VNI")])
def test_text_typed_in_a_legacy_font_is_recognised_and_converted(app, db, setup, name, encoding):
    conference, _groups, user = setup
    preview = importing.preview_import(conference.id, (DATA / name).read_bytes(), name)
    assert preview.source == "CSV, bảng mã Windows-1252"
    assert preview.legacy == encoding
    assert preview.used_columns == ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Ghi chú"]  # read as typed
    changes = preview.legacy_changes()
    assert changes[{"TCVN3": "NguyÔn V¨n An", "VNI": "Nguyeãn Vaên An"}[encoding]] == "Nguyễn Văn An"
    with app.test_request_context():
        token = importing.store_preview(preview, user.id)
        preview = importing.load_preview(token, conference.id, user.id)
        assert importing.convert_legacy(preview) == 6
        assert preview.legacy == "" and preview.legacy_changes() == {}
        by_line = {r.line: r for r in preview.rows}
        assert (by_line[2].name, by_line[2].position, by_line[2].agency, by_line[2].note) == (
            "Nguyễn Văn An", "Phó Giám đốc", "Sở Tài chính", "Phát biểu tham luận")
        assert by_line[3].agency == "Báo Quảng Ngãi" and by_line[3].note == "Cử 01 phóng viên"
        importing.set_groups(preview, {"Báo Quảng Ngãi": "Cơ quan báo chí"})
        importing.save_preview(token, preview)
        importing.confirm_import(conference, importing.load_preview(token, conference.id, user.id), token)
    stored = [tuple(r) for r in _stored(db)][1:]
    assert stored == [("person", "Nguyễn Văn An", 1, "Sở Tài chính", "", "", "Phát biểu tham luận"),
                      ("agency", "", 1, "Báo Quảng Ngãi", "", "", "Cử 01 phóng viên")]


def test_a_unicode_list_is_not_offered_a_conversion(db, setup):
    preview = importing.preview_import(setup[0].id, (DATA / "danh-sach-cp1258.csv").read_bytes(), "ds.csv")
    assert preview.legacy == "" and preview.legacy_changes() == {}


def _upload(client, conference, name, data=None):
    response = client.post(f"/hoi-nghi/{conference.id}/khach-moi/nhap", data={
        "import-file": (io.BytesIO(data or (DATA / name).read_bytes()), name)}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def test_the_preview_page_fixes_rows_in_place_without_a_new_upload(app, db, setup):
    conference, _groups, user = setup
    client = login(app.test_client(), user)
    url = _upload(client, conference, "danh-sach-van-phong.xls")
    page = client.get(url).get_data(as_text=True)
    assert "Tệp được đọc là bảng tính Excel 97–2003 (.xls)." in page
    assert "Cột không dùng</strong> (không nhập): Địa chỉ." in page
    assert "Chọn nhóm cho 3 cơ quan mới" in page and "đã thêm số 0 đầu" in page
    assert "1 người thuộc cơ quan đã được mời cả cơ quan" in page
    assert "Nhập 2 dòng hợp lệ" in page

    # One agency's group picked, then the rest at once.
    page = client.post(url, data={"action": "groups", "nhom-0": "Cơ quan báo chí"}, follow_redirects=True)
    assert "Đã chọn nhóm cho 1 dòng" in page.get_data(as_text=True)
    page = client.post(url, data={"action": "group_all", "nhom_chung": "Cơ quan báo chí"}, follow_redirects=True)
    assert "Đã chọn nhóm cho 2 dòng" in page.get_data(as_text=True)
    # A cell corrected: the person of Lê Văn Bình's row becomes a typo-free name and a bad phone, then a good one.
    editor = client.get(f"{url}/dong/9")
    assert editor.status_code == 200 and 'value="Lê Văn Bình"' in editor.get_data(as_text=True)
    cells = {"group": "UBND cấp xã, phường", "agency": "UBND xã Bình Sơn", "name": "Lê Văn Bình",
             "position": "Chủ tịch UBND xã", "seats": "1", "phone": "12345"}
    client.post(f"{url}/dong/9", data=cells)
    page = client.get(url).get_data(as_text=True)
    assert "Số điện thoại «12345» không hợp lệ" in page
    done = client.post(f"{url}/dong/9", data=cells | {"phone": "0987 654 321"}, follow_redirects=True)
    assert "Đã sửa dòng 9: hợp lệ." in done.get_data(as_text=True)
    # An htmx fix answers the preview's fragment.
    fragment = client.post(url, data={"action": "join", "line": "6"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "Sẽ thêm 1 chỗ đích danh" in fragment.get_data(as_text=True)

    done = client.post(url, data={"action": "confirm"}, follow_redirects=True)
    assert "Đã nhập 5 khách mời" in done.get_data(as_text=True)
    person = db.session.scalar(sa.select(Invitation).where(Invitation.invitee_name == "Lê Văn Bình"))
    assert person.invitee_position == "Chủ tịch UBND xã" and person.phone == "0987654321"
    assert person.agency.group.name == "UBND cấp xã, phường"
    # The used preview says so, and cannot be changed or imported again.
    again = client.post(url, data={"action": "confirm"}, follow_redirects=True)
    assert "đã được nhập lúc" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 5


def test_converting_legacy_text_through_the_page(app, db, setup):
    conference, _groups, user = setup
    client = login(app.test_client(), user)
    url = _upload(client, conference, "danh-sach-vni.csv")
    page = client.get(url).get_data(as_text=True)
    assert "Chữ gõ bằng bảng mã cũ VNI (phông VNI-Times)" in page
    assert "<td>Nguyeãn Vaên An</td><td><strong>Nguyễn Văn An</strong></td>" in page
    page = client.post(url, data={"action": "convert_legacy"}, follow_redirects=True).get_data(as_text=True)
    assert "Đã chuyển 6 ô sang Unicode" in page and "Chữ gõ bằng bảng mã cũ" not in page
    assert "Nguyễn Văn An" in page and "Baùo" not in page


def test_a_preview_belongs_to_its_uploader(app, db, setup, organizer_client):
    conference, _groups, user = setup
    url = _upload(login(app.test_client(), user), conference, "danh-sach-van-phong.xlsx")
    assert organizer_client.get(url).status_code == 303
    assert organizer_client.post(url, data={"action": "confirm"}).status_code == 303
    assert organizer_client.get(f"{url}/dong/6").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_confirming_one_preview_twice_at_once_imports_it_once(app, db, setup):
    """Issue 15: two confirmations of the same preview (a double click, two tabs) at the same moment."""
    conference, _groups, user = setup
    rows = "STT,Cơ quan/đơn vị,Họ và tên\n" + "".join(f"{n},Sở Tài chính,Người thứ {n}\n" for n in range(1, 41))
    url = _upload(login(app.test_client(), user), conference, "ds.csv", rows.encode())
    clients = [login(app.test_client(), user) for _ in range(4)]
    start = threading.Barrier(len(clients))
    answers, errors = [], []

    def confirm(client):
        try:
            start.wait()
            response = client.post(url, data={"action": "confirm"})
            answers.append((response.status_code, response.get_data(as_text=True)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=confirm, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(status for status, _ in answers) == [303, 422, 422, 422]
    assert all("đã được nhập lúc" in body for status, body in answers if status == 422)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 41  # 40 and Sở Y tế
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "invitation.import")) == 1
