"""Importing an invitation list from .xlsx, .xls, .ods or .csv: template, preview with problems, all-or-nothing
confirm."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from eventapp.agencies import services as agencies
from eventapp.errors import UserError
from eventapp.invitations import importing, services
from eventapp.models import Agency, Invitation

HEAD = importing.HEADINGS
#: Lists as offices save them (made by tests/data/make_lists.py with openpyxl and LibreOffice).
DATA = Path(__file__).parent / "data"


def xlsx(rows, heading=HEAD) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def setup(db, make_conference):
    groups = agencies.ensure_default_groups()
    known = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Tài chính"})
    already = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Y tế"})
    conference = make_conference()
    services.invite_agency(conference, already)
    return conference, groups, known


MIXED = [
    [1, "Sở, ban, ngành", "Sở Tài chính", "", "", 2, "Đại diện lãnh đạo", "stc@quangngai.gov.vn", "0255 3822 123"],
    [2, "Doanh nghiệp", "Công ty Cổ phần Đường Quảng Ngãi", "", "", 1, "Lãnh đạo công ty", "", ""],
    [3, "", "", "", "Chuyên viên", 1, "", "", ""],                                  # missing name
    [4, "Sở, ban, ngành", "Sở Xây dựng", "", "", 1, "", "khong-phai-email", ""],     # bad email
    [5, "Sở, ban, ngành", "Sở Công Thương", "", "", 1, "", "", "12345"],             # bad phone
    [6, "Nhóm không tồn tại", "Hội Nông dân tỉnh", "", "", 1, "", "", ""],           # unknown group
    [7, "Sở, ban, ngành", "Sở Tài chính", "", "", 1, "", "", ""],                    # duplicate of row 1
    [8, "Sở, ban, ngành", "Sở Y tế", "", "", 1, "", "", ""],                         # already invited
    [9, "Sở, ban, ngành", "Sở Nội vụ", "", "", "hai", "", "", ""],                   # seats not a number
    [10, "Sở, ban, ngành", "Sở Nội vụ", "Nguyễn Văn An", "Phó Giám đốc", "", "", "", "+84 912 345 678"],
    [11, "so ban nganh", "Sở Khoa học và Công nghệ", "", "", 0, "", "", ""],          # seats zero
]


def test_template_has_vietnamese_headings(organizer_client, setup):
    conference = setup[0]
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/mau-nhap.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ",
                                           "Thành phần mời", "Email", "Điện thoại", "Ghi chú"]


def test_preview_reports_each_problem_in_vietnamese(db, setup):
    conference = setup[0]
    preview = importing.preview_import(conference.id, xlsx(MIXED), "ds.xlsx")
    problems = {r.number: " ".join(r.problems) for r in preview.rows}
    assert problems["1"] == "" and problems["2"] == "" and problems["10"] == ""
    assert "Thiếu tên" in problems["3"]
    assert "Email «khong-phai-email» không đúng định dạng." in problems["4"]
    assert "Số điện thoại «12345» không hợp lệ" in problems["5"]
    assert "Nhóm «Nhóm không tồn tại» không có trong danh mục" in problems["6"]
    assert "Trùng với dòng 2 trong tệp." in problems["7"]
    assert "«Sở Y tế» đã có trong danh sách khách mời." in problems["8"]
    assert "Số chỗ «hai» không hợp lệ" in problems["9"]
    assert "Số chỗ «0» không hợp lệ" in problems["11"]
    assert preview.valid_count == 3 and preview.error_count == 8
    assert preview.new_agencies == ["Công ty Cổ phần Đường Quảng Ngãi", "Sở Nội vụ"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1  # nothing saved


def test_upload_preview_confirm_imports_exactly_valid_rows(organizer_client, db, setup):
    conference = setup[0]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/nhap",
                                     data={"import-file": (io.BytesIO(xlsx(MIXED)), "danh-sach.xlsx")},
                                     content_type="multipart/form-data")
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    page = organizer_client.get(preview_url).get_data(as_text=True)
    assert "Nhập 3 dòng hợp lệ" in page and "Trùng với dòng 2 trong tệp." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    done = organizer_client.post(preview_url, data={"action": "confirm"}, follow_redirects=True)
    assert "Đã nhập 3 khách mời" in done.get_data(as_text=True)
    rows = db.session.execute(sa.select(Invitation.kind, Invitation.invitee_name, Invitation.seats, Agency.name)
                              .join(Agency, Invitation.agency_id == Agency.id).order_by(Invitation.id)).all()
    assert [tuple(r) for r in rows[1:]] == [
        ("agency", "", 2, "Sở Tài chính"),
        ("agency", "", 1, "Công ty Cổ phần Đường Quảng Ngãi"),
        ("person", "Nguyễn Văn An", 1, "Sở Nội vụ"),
    ]
    person = db.session.scalar(sa.select(Invitation).where(Invitation.kind == "person"))
    assert person.phone == "0912345678" and "nguyen van an" in person.search_text
    company = db.session.scalar(sa.select(Agency).where(Agency.name.like("Công ty%")))
    assert company.group.name == "Doanh nghiệp"
    # The preview is gone once used.
    assert organizer_client.get(preview_url).status_code == 303


def test_csv_with_bom_and_semicolons(db, setup):
    conference = setup[0]
    content = "STT;Nhóm;Cơ quan/đơn vị;Họ và tên;Chức vụ;Số chỗ;Thành phần mời;Email;Điện thoại\n" \
              "1;Doanh nghiệp;Công ty TNHH Một thành viên Cà phê;;;3;;;\n"
    preview = importing.preview_import(conference.id, b"\xef\xbb\xbf" + content.encode(), "ds.csv")
    assert preview.valid_count == 1 and preview.rows[0].seats == 3
    comma = "STT,Nhóm,Cơ quan/đơn vị,Họ và tên\n1,,Sở Tài chính,\n".encode()
    assert importing.preview_import(conference.id, comma, "ds.csv").valid_count == 1


@pytest.mark.parametrize("name, source", [
    ("danh-sach.xlsx", "bảng tính Excel (.xlsx)"),
    ("danh-sach.xls", "bảng tính Excel 97–2003 (.xls)"),
    ("danh-sach.ods", "bảng tính OpenDocument (.ods)"),
    ("danh-sach-cp1258.csv", "CSV, bảng mã Windows-1258"),
    ("danh-sach-utf8.csv", "CSV, bảng mã UTF-8"),
    ("danh-sach-unicode.txt", "CSV, bảng mã UTF-16"),
])
def test_lists_as_offices_save_them(db, setup, name, source):
    """Title rows above the headings, a name that is a formula (read by its value), seats that are a formula."""
    preview = importing.preview_import(setup[0].id, (DATA / name).read_bytes(), name)
    assert preview.source == source
    assert [(r.line, r.kind, r.agency, r.name, r.seats, r.phone) for r in preview.rows] == [
        (preview.rows[0].line, "agency", "Sở Tài chính", "", 2, "02553822123"),
        (preview.rows[0].line + 1, "person", "Sở Y tế", "Nguyễn Văn Đức", 1, "0912345678"),
        (preview.rows[0].line + 2, "person", "Công ty Cổ phần Đường Quảng Ngãi", "Trần Thị Hoa", 1, ""),
    ]
    assert preview.rows[0].line == (5 if name.endswith(("xlsx", "xls", "ods")) else 2)
    assert preview.valid_count == 3 and preview.new_agencies == ["Công ty Cổ phần Đường Quảng Ngãi"]


def test_an_xls_list_uploaded_previewed_and_imported(organizer_client, db, setup):
    conference = setup[0]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/nhap", data={
        "import-file": (io.BytesIO((DATA / "danh-sach.xls").read_bytes()), "danh sách cũ.xls")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp được đọc là bảng tính Excel 97–2003 (.xls)." in page and "Nhập 3 dòng hợp lệ" in page
    organizer_client.post(response.headers["Location"], data={"action": "confirm"})
    names = db.session.scalars(sa.select(Invitation.invitee_name).where(Invitation.kind == "person")
                               .order_by(Invitation.id)).all()
    assert names == ["Nguyễn Văn Đức", "Trần Thị Hoa"]


def test_the_upload_form_offers_every_format(organizer_client, setup):
    page = organizer_client.get(f"/hoi-nghi/{setup[0].id}/khach-moi/nhap").get_data(as_text=True)
    assert 'accept=".xlsx,.xls,.ods,.csv"' in page


def test_unreadable_files_get_a_message_not_a_500(organizer_client, db, setup):
    conference = setup[0]
    url = f"/hoi-nghi/{conference.id}/khach-moi/nhap"
    for data, name, message in [
        (b"not a zip", "ds.xlsx", "Không đọc được tệp Excel"),
        (b"PK\x03\x04 a damaged zip", "ds.xlsx", "Không đọc được tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really", "ds.xls", "Không đọc được tệp Excel"),
        (b"STT;T\x81n\n", "ds.csv", "Không nhận ra bảng mã của tệp"),
        (b"hello", "ds.pdf", "Chỉ nhận bảng tính Excel (.xlsx, .xls), OpenDocument (.ods) hoặc tệp CSV"),
        (xlsx([[1, 2, 3]], heading=["A", "B", "C"]), "ds.xlsx", "Không thấy dòng tiêu đề"),
    ]:
        response = organizer_client.post(url, data={"import-file": (io.BytesIO(data), name)},
                                         content_type="multipart/form-data")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    empty = organizer_client.post(url, data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Vui lòng chọn tệp để tải lên." in empty.get_data(as_text=True)


def test_failure_in_the_middle_saves_nothing(app, db, setup, monkeypatch):
    conference = setup[0]
    preview = importing.preview_import(conference.id, xlsx(MIXED), "ds.xlsx")
    calls = []
    original = importing.add_imported_invitation

    def failing(invitation):
        calls.append(invitation)
        if len(calls) == 2:
            raise RuntimeError("mất kết nối cơ sở dữ liệu")
        original(invitation)

    monkeypatch.setattr(importing, "add_imported_invitation", failing)
    token = importing.store_preview(preview, None)
    with app.test_request_context(), pytest.raises(RuntimeError):
        importing.confirm_import(conference, preview, token)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert db.session.scalar(sa.select(Agency).where(Agency.name.like("Công ty%"))) is None
    # The claim went with the rest: the preview can still be imported.
    assert importing.load_preview(token, conference.id, None).imported_at is None


def test_list_changed_between_preview_and_confirm_saves_nothing(app, db, setup):
    conference, _groups, known = setup
    preview = importing.preview_import(conference.id, xlsx(MIXED), "ds.xlsx")
    services.invite_agency(conference, known)  # someone invites Sở Tài chính meanwhile
    with app.test_request_context(), pytest.raises(UserError, match="chưa có gì được lưu"):
        importing.confirm_import(conference, preview, importing.store_preview(preview, None))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2


def test_preview_is_kept_per_user_and_id_is_checked(app, organizer_client, db, setup):
    conference = setup[0]
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/nhap",
                                     data={"import-file": (io.BytesIO(xlsx(MIXED[:2])), "a.xlsx")},
                                     content_type="multipart/form-data")
    preview_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.test_request_context():
        assert importing.load_preview(preview_id, conference.id, 999) is None
        assert importing.load_preview(preview_id, conference.id + 1, 1) is None
        assert importing.load_preview("../../etc/passwd", conference.id, 1) is None
    assert organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/nhap/khong-co").status_code == 303
