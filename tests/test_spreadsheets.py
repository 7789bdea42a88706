"""The spreadsheet module: files read as offices save them, and exports where text from outside stays text."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from python_calamine import CalamineWorkbook

from eventapp import spreadsheets
from eventapp.errors import UserError
from eventapp.invitations import importing
from eventapp.models import Delegate, Invitation
from eventapp.spreadsheets import Column, Formula, Row, Table, Text

DATA = Path(__file__).parent / "data"
#: A substitute's "name" as an attacker on an RSVP link would type it (issue 15).
EVIL = '=HYPERLINK("http://evil.example/the","Bấm xem thẻ")'
#: A name in an imported list, quoted so that the office's Excel kept it as text.
EVIL_IMPORTED = "=1+2-Hoàng Văn Cường"


def _cells(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _values(data: bytes) -> str:
    """Every cell of every sheet as python-calamine reads it (a formula by its stored result), in one string."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return " | ".join(str(v) for name in workbook.sheet_names
                      for row in workbook.get_sheet_by_name(name).to_python() for v in row)


# --- reading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["danh-sach.xlsx", "danh-sach.xls", "danh-sach.ods"])
def test_workbooks_are_read_by_their_values(name):
    read = spreadsheets.read_rows((DATA / name).read_bytes(), name)
    assert read.kind == name.rsplit(".", 1)[1]
    assert read.rows[0][0] == "DANH SÁCH KHÁCH MỜI DỰ HỘI NGHỊ TỔNG KẾT"  # the merged title, in its first cell
    assert read.rows[3][:4] == ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên"]
    assert read.rows[4][0] == "1" and read.rows[4][5] == "2"  # numbers without ".0"
    assert read.rows[6][3] == "Trần Thị Hoa"  # =HYPERLINK(...) read by the value it shows
    assert read.rows[6][5] == "1"  # =0+1


def test_a_renamed_file_is_read_as_what_it_is():
    data = (DATA / "danh-sach.xls").read_bytes()
    assert spreadsheets.read_rows(data, "danh-sach.xlsx").kind == "xls"
    assert spreadsheets.read_rows((DATA / "danh-sach.ods").read_bytes(), "danh-sach.xlsx").kind == "ods"


@pytest.mark.parametrize("name, encoding, delimiter_row", [
    ("danh-sach-cp1258.csv", "Windows-1258", ["1", "Sở, ban, ngành", "Sở Tài chính"]),
    ("danh-sach-utf8.csv", "UTF-8", ["1", "Sở, ban, ngành", "Sở Tài chính"]),
    ("danh-sach-unicode.txt", "UTF-16", ["1", "Sở, ban, ngành", "Sở Tài chính"]),
])
def test_csv_encodings_and_delimiters_are_detected(name, encoding, delimiter_row):
    read = spreadsheets.read_rows((DATA / name).read_bytes(), name)
    assert (read.kind, read.encoding) == ("csv", encoding)
    assert read.description == f"CSV, bảng mã {encoding}"
    assert read.rows[1][:3] == delimiter_row
    assert read.rows[2][3] == "Nguyễn Văn Đức"  # composed (NFC), whatever the bytes were


def test_text_typed_in_tcvn3_arrives_as_windows_1252():
    read = spreadsheets.read_rows((DATA / "danh-sach-tcvn3.csv").read_bytes(), "danh-sach-tcvn3.csv")
    assert read.encoding == "Windows-1252" and read.rows[1][1] == "NguyÔn V¨n An"


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbfH\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan", ("Họ và tên", "UTF-8")),
    ("Họ và tên".encode(), ("Họ và tên", "UTF-8")),
    ("Họ và tên".encode("utf-16"), ("Họ và tên", "UTF-16")),
    ("Họ và tên;Chức vụ".encode("utf-16-le"), ("Họ và tên;Chức vụ", "UTF-16")),
    ("Họ và tên;Chức vụ".encode("utf-16-be"), ("Họ và tên;Chức vụ", "UTF-16")),
    (b"Ho\xf2 va\xcc t\xean", ("Ho\u0323 va\u0300 tên", "Windows-1258")),
    ("Café; Müller; Ångström".encode("cp1252"), ("Café; Müller; Ångström", "Windows-1252")),
    ("Thành phố".encode(), ("Thành phố", "UTF-8")),
])
def test_decode_text(data, expected):
    assert spreadsheets.decode_text(data) == expected


def test_undecodable_and_unsupported_files_get_vietnamese_messages():
    with pytest.raises(UserError, match="Không nhận ra bảng mã"):
        spreadsheets.read_rows(b"STT;T\x81n\n", "ds.csv")
    with pytest.raises(UserError, match="Không đọc được tệp Excel"):
        spreadsheets.read_rows(b"PK\x03\x04broken", "ds.xlsx")
    with pytest.raises(UserError, match="Không đọc được tệp Excel"):
        spreadsheets.read_rows((DATA / "danh-sach.xlsx").read_bytes()[:3000], "ds.xlsx")
    with pytest.raises(UserError, match="Chỉ nhận bảng tính Excel") as refused:
        spreadsheets.read_rows(b"%PDF-1.7", "ds.pdf")
    assert refused.value.field == "file"
    with pytest.raises(UserError, match="Tệp CSV bị lỗi ở dòng 2"):
        spreadsheets.read_rows(b"STT,Ten\n1," + b"x" * 200_000 + b"\n", "ds.csv")


@pytest.mark.parametrize("name", ["damaged-panics.xls", "damaged-aborts.xls"])
def test_a_damaged_xls_costs_a_message_not_the_worker(name):
    """Damaged copies of danh-sach.xls (found by flipping bytes): calamine panics on the first and, on the second,
    asks for 1.5 TB and aborts its process; read in a process of its own, each is refused with a message."""
    with pytest.raises(UserError, match="Không đọc được tệp Excel"):
        spreadsheets.read_rows((DATA / name).read_bytes(), name)


def test_cell_text():
    assert spreadsheets.cell_text(905123456.0) == "905123456"
    assert spreadsheets.cell_text(0.1 + 0.2) == "0.3"
    assert spreadsheets.cell_text(date(2026, 12, 16)) == "16/12/2026"
    assert spreadsheets.cell_text(datetime(2026, 12, 16)) == "16/12/2026"
    assert spreadsheets.cell_text(datetime(2026, 12, 16, 7, 30)) == "16/12/2026 07:30"
    assert spreadsheets.cell_text(time(14, 0)) == "14:00"
    assert spreadsheets.cell_text("  Nguye\u0302\u0303n   Văn  ") == "Nguyễn Văn"
    assert spreadsheets.cell_text(True) == "TRUE"


def test_max_rows_bounds_what_is_read():
    content = "STT\n" + "".join(f"{i}\n" for i in range(1, 1000))
    assert len(spreadsheets.read_rows(content.encode(), "ds.csv", max_rows=10).rows) == 10
    workbook = openpyxl.Workbook()
    for i in range(100):
        workbook.active.append([i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(spreadsheets.read_rows(buffer.getvalue(), "ds.xlsx", max_rows=10).rows) == 10


# --- writing ------------------------------------------------------------------------------------

def _table(**fields) -> Table:
    defaults = {"sheet": "Danh sách", "columns": [Column("STT", 6), Column("Họ và tên", 30),
                                                  Column("Số tiền", 16, number_format=spreadsheets.MONEY)]}
    return Table(**(defaults | fields))


@pytest.mark.parametrize("value", [EVIL, "+84 905 123 456", "-5+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "#N/A",
                                   "=1+1"])
def test_text_that_looks_like_a_formula_stays_text(value):
    data = spreadsheets.xlsx(_table(rows=[[1, value, 5]]))
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    assert spreadsheets.read_rows(data, "x.xlsx").rows[1][1] == spreadsheets.cell_text(value)
    rows = list(csv.reader(io.StringIO(spreadsheets.csv_bytes(_table(rows=[[1, value, 5]])).decode("utf-8-sig"))))
    assert rows[1] == ["1", "'" + value, "5"]


def test_ordinary_text_numbers_and_empty_cells():
    data = spreadsheets.xlsx(_table(rows=[[1, "Nguyễn Văn An", 54_000_000], [2, "Lê\x07 Thị\x00 Ánh", None]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["STT", "Họ và tên", "Số tiền"], [1, "Nguyễn Văn An", 54_000_000], [2, "Lê Thị Ánh", None]]
    assert sheet["B2"].quotePrefix is False and sheet["C2"].number_format == "#,##0"
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"


def test_title_footer_and_bold_rows():
    table = _table(rows=[[1, "An", 1], Row(["", "Tổng cộng", 1], bold=True)], centered_title=True, borders=True,
                   title=[Text("DANH SÁCH", bold=True, size=14), "Hội nghị"], footer=[Text("Ghi chú", italic=True)],
                   font="Times New Roman")
    assert table.heading_row == 4
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx(table))).active
    assert sheet["A1"].value == "DANH SÁCH" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "A2:C2", "A8:C8"}  # lines across the table
    assert sheet["A1"].alignment.horizontal == "center" and sheet["A8"].alignment.horizontal == "left"
    assert sheet["A4"].value == "STT" and sheet["A4"].font.b and sheet.freeze_panes == "A5"
    assert sheet["B6"].font.b and not sheet["B5"].font.b and sheet["B5"].font.name == "Times New Roman"
    assert sheet["B5"].border.left.style == "thin"
    assert sheet["A8"].value == "Ghi chú" and sheet["A8"].font.i


def test_long_text_gets_the_rows_it_needs():
    """Spreadsheets do not grow a row for wrapped text when they open a file: the writer sets the height."""
    long_name = "Phó Trưởng phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành"  # 71 characters
    table = Table("Danh sách", [Column("STT", 6), Column("Chức vụ", 30, wrap=True)],
                  [[1, "Giám đốc"], [2, long_name]], title=["Hội nghị " * 10])
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx(table))).active
    assert sheet.row_dimensions[1].height == round(3 * 11 * 1.35, 1)  # 90 characters on 36 × 1.1 a line
    assert sheet.row_dimensions[4].height is None and sheet.row_dimensions[5].height == round(3 * 11 * 1.35, 1)
    assert sheet["B5"].alignment.wrap_text


def test_formulas_are_stored_with_their_results():
    rows = [[1, "An", 3], [2, "Bình", 4], Row(["", "Tổng cộng", Formula("=SUM(C2:C3)", 7)], bold=True)]
    data = spreadsheets.xlsx(_table(rows=rows), _table(sheet="Khác", rows=[[1, "x", Formula("=C2*2", 2.5)]]))
    assert openpyxl.load_workbook(io.BytesIO(data)).active["C4"].value == "=SUM(C2:C3)"
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert values["Danh sách"]["C4"].value == 7 and values["Khác"]["C2"].value == 2.5
    assert spreadsheets.read_rows(data, "x.xlsx").rows[3] == ["", "Tổng cộng", "7"]
    assert list(csv.reader(io.StringIO(spreadsheets.csv_bytes(_table(rows=rows)).decode("utf-8-sig"))))[3] == [
        "", "Tổng cộng", "7"]


def test_sheet_names_are_made_valid():
    data = spreadsheets.xlsx(_table(sheet="Phụ lục: dự toán/thực chi [2026] của hội nghị tổng kết"))
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Phụ lục  dự toán thực chi  2026"]


def test_a_choice_list_covers_the_rows_to_fill():
    columns = [Column("Nhóm", 20, choices="'Nhóm'!$A$2:$A$4", choices_error="Chọn một nhóm.")]
    data = spreadsheets.xlsx(Table("Khách mời", columns, choice_rows=100), Table("Nhóm", [Column("Nhóm")]))
    [validation] = openpyxl.load_workbook(io.BytesIO(data))["Khách mời"].data_validations.dataValidation
    assert validation.formula1 == "'Nhóm'!$A$2:$A$4" and str(validation.sqref) == "A2:A101"
    assert validation.error == "Chọn một nhóm."


# --- every export, with a formula typed from outside ---------------------------------------------

FORMULAS_OF_THE_APPENDIX = re.compile(r"=(SUM\(G\d+:G\d+\)|D\d+\*E\d+\*F\d+|G\d+(\+G\d+)*|G\d+-G\d+)")


def test_a_formula_from_an_rsvp_link_is_text_in_every_export(db, client, organizer_client, admin_client,
                                                             make_conference, app):
    conference = make_conference()
    listing = spreadsheets.xlsx(Table("Khách mời", [Column("STT"), Column("Họ và tên"), Column("Chức vụ")],
                                      [[1, EVIL_IMPORTED, "Giám đốc"]]))
    with app.test_request_context():
        preview = importing.preview_import(conference.id, listing, "ds.xlsx")
        assert [r.name for r in preview.rows] == [EVIL_IMPORTED]
        importing.confirm_import(conference, preview, importing.store_preview(preview, None))
    token = db.session.scalar(sa.select(Invitation.rsvp_token))
    answer = client.post(f"/moi/{token}", data={"choice": "substitute", "substitute-full_name": EVIL,
                                               "substitute-position": "Chuyên viên"})
    assert answer.status_code == 303
    assert db.session.scalar(sa.select(Delegate.full_name)) == EVIL
    organizer_client.post(f"/hoi-nghi/{conference.id}/kinh-phi/them", data={
        "new-category": "water", "new-content": "=2*3", "new-unit": "người", "new-quantity": "150", "new-days": "1",
        "new-unit_price": "40.000", "new-funding_source": "-Ngân sách", "new-norm_id": "0", "new-actual_amount": "",
        "new-note": "@ghi chú"})

    exports = {
        "delegates": organizer_client.get(f"/hoi-nghi/{conference.id}/tra-loi/danh-sach-dai-bieu.xlsx").data,
        "report": organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao.xlsx").data,
        "appendix": organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi/phu-luc.xlsx").data,
        "audit": admin_client.get("/nhat-ky/xuat?format=xlsx").data,
    }
    outside = {"delegates": [EVIL], "report": [EVIL, EVIL_IMPORTED], "appendix": ["=2*3", "-Ngân sách", "@ghi chú"],
               "audit": [EVIL_IMPORTED, EVIL]}
    for name, data in exports.items():
        cells = _cells(data)
        risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "-", "@"))
                 and not (name == "appendix" and FORMULAS_OF_THE_APPENDIX.fullmatch(c.value))]
        assert risky, name  # the text from outside is in this export...
        assert all(c.data_type == "s" and c.quotePrefix for c in risky), name  # ...as text
        assert all(any(c.value.startswith(v) for v in outside[name]) for c in risky), name
        formulas = [c.value for c in cells if c.data_type == "f"]
        assert all(FORMULAS_OF_THE_APPENDIX.fullmatch(f) for f in formulas) if name == "appendix" else not formulas
        assert all(v in _values(data) for v in outside[name]), name  # as read by a viewer that does not compute
    report = openpyxl.load_workbook(io.BytesIO(exports["report"]))
    assert report["Người đi thay"]["A5"].value == EVIL and report["Vắng mặt"]["A5"].value == EVIL

    rows = list(csv.reader(io.StringIO(admin_client.get("/nhat-ky/xuat?format=csv").data.decode("utf-8-sig"))))
    cells = [v for row in rows for v in row]
    summary = next(v for v in cells if "trả lời" in v)
    assert summary.startswith("'" + EVIL_IMPORTED) and f"cử {EVIL} đi thay" in summary
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@"))]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_not_a_link(tmp_path):
    """A real spreadsheet program opens the export: the cell shows what was typed, not a link's label."""
    (tmp_path / "export.xlsx").write_bytes(spreadsheets.xlsx(_table(rows=[[1, EVIL, 5], [2, "=1+1", 6]])))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(tmp_path / "export.xlsx")],
                   check=True, capture_output=True, timeout=180)
    rows = list(csv.reader(io.StringIO((tmp_path / "export.csv").read_text(encoding="utf-8"))))
    assert rows[1] == ["1", EVIL, "5"] and rows[2] == ["2", "=1+1", "6"]
