"""The annual work program: its table pasted from Word (seed 003 as it is) or in a spreadsheet, the preview's
problems, re-import, make a conference."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from eventapp import vntime
from eventapp.models import AuditEntry, Conference, WorkProgramItem
from eventapp.workprogram import parser, services

SEED = Path("/work/shared/seeds/003_54e21b32e5af48e3.txt")
if not SEED.exists():
    SEED = Path(__file__).resolve().parent.parent / "eventapp" / "demo" / "seeds" / "003_54e21b32e5af48e3.txt"


def seed_bytes() -> bytes:
    return SEED.read_bytes()


def upload(client, data: bytes, filename: str, **fields):
    return client.post("/chuong-trinh-cong-tac/xem-truoc",
                       data={"file": (io.BytesIO(data), filename), **fields}, content_type="multipart/form-data")


def test_seed_003_as_it_is_gives_72_items(db, organizer_client):
    response = upload(organizer_client, seed_bytes(), "003.txt")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert "Đọc được 72 mục, không có lỗi: 72 mục mới" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkProgramItem)) == 0  # preview saves nothing
    text_value = seed_bytes().decode("utf-8")
    response = organizer_client.post("/chuong-trinh-cong-tac/nhap", data={"content": text_value, "year": "2021"})
    assert response.status_code == 303
    items = db.session.scalars(sa.select(WorkProgramItem).order_by(WorkProgramItem.number)).all()
    assert len(items) == 72 and [i.number for i in items] == list(range(1, 73))
    assert {i.year for i in items} == {2021}
    first, last = items[0], items[-1]
    assert first.month == 1 and first.drafting_unit == "Văn phòng" and first.person_in_charge == "Đ/c Nguyễn Văn Phát"
    assert first.approving_body == "Thường trực LHH"
    assert last.month == 12 and last.coordinating_unit == "Đảng đoàn, Chi bộ, công đoàn LHH"
    page = organizer_client.get("/chuong-trinh-cong-tac/?nam=2021").get_data(as_text=True)
    assert "Tháng 12/2021" in page and "Lễ tổng kết và trao giải Hội thi STKT Thanh Hoá năm 2020 - 2021" in page
    month = organizer_client.get("/chuong-trinh-cong-tac/?nam=2021&thang=3").get_data(as_text=True)
    assert "Tháng 03/2021" in month and "Tháng 12/2021" not in month


def test_reimport_updates_by_number(db, organizer_client):
    text_value = seed_bytes().decode("utf-8")
    services.import_program(text_value)
    changed = text_value.replace("Hội nghị Ban Thường vụ Liên hiệp hội Quý IV năm 2021\tTháng 11",
                                 "Hội nghị Ban Thường vụ Liên hiệp hội Quý IV năm 2021\tTháng 12")
    result = services.preview(changed)
    assert result.ok and result.updated == {67} and not result.new and len(result.unchanged) == 71
    services.import_program(changed)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkProgramItem)) == 72
    assert db.session.scalar(sa.select(WorkProgramItem.month).where(WorkProgramItem.number == 67)) == 12


def test_xlsx_with_the_same_columns(db, organizer_client):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["CHƯƠNG TRÌNH CÔNG TÁC NĂM 2022"])
    ws.append(["TT", "Nội dung công việc", "Thời gian thực hiện", "Bộ phận tham mưu, thực hiện", "Người chủ trì",
               "Đơn vị phối hợp", "Cấp thông qua"])
    ws.append([1, "Hội nghị tổng kết năm 2021", "Tháng 01", "Văn phòng", "Đ/c A", "Các ban", "Thường trực"])
    ws.append([2, "Hội thảo khoa học về chuyển đổi số", 3, "Ban KHCN", "Đ/c B", "Sở, ngành", "Thường trực"])
    buffer = io.BytesIO()
    wb.save(buffer)
    body = upload(organizer_client, buffer.getvalue(), "ct2022.xlsx").get_data(as_text=True)
    assert "Đọc được 2 mục, không có lỗi" in body and "năm 2022" in body
    page = organizer_client.get("/chuong-trinh-cong-tac/").get_data(as_text=True)
    assert 'accept=".txt,.xlsx,.xls,.ods,.csv"' in page


def test_the_parser_tolerates_missing_columns_and_reports_bad_rows():
    header = "\t".join(parser.HEADER)
    sample = f"CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027\n\n{header}\n1\tHội nghị A\tTháng 3\tVăn phòng\n\nx\tSai\tTháng 1\n" \
             "2\tHội thảo B\tQuý II\tBan KHCN\n3\tHội nghị C\t\t\n"
    year, rows, problems = parser.parse_work_program_text(sample)
    assert year == 2027
    assert rows == [{"number": 1, "content": "Hội nghị A", "month": 3, "drafting_unit": "Văn phòng",
                     "person_in_charge": "", "coordinating_unit": "", "approving_body": ""}]
    assert problems == ["Dòng 6: cột TT không phải số thứ tự (“x”).",
                        "Dòng 7 (TT 2): không đọc được tháng từ “Quý II”.",
                        "Dòng 8 (TT 3): không đọc được tháng từ “”."]


def test_month_of():
    assert [parser.month_of(v) for v in ("Tháng 01", "tháng 3", "Tháng 3, 4", "7", "07", "01/03/2021",
                                         "01/03/2021 08:00", "2021-03-01", "Quý II", "Tháng 13", "13", "",
                                         "2021")] == [1, 3, 3, 7, 7, 3, 3, 3, 0, 0, 0, 0, 0]


def _program_workbook(tmp_path) -> Path:
    """A work program typed in a spreadsheet: a title, the headings, months as "Tháng 01", a number and a date."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["CHƯƠNG TRÌNH CÔNG TÁC NĂM 2022"])
    ws.merge_cells("A1:G1")
    ws.append(parser.HEADER)
    ws.append([1, "Hội nghị tổng kết năm 2021", "Tháng 01", "Văn phòng", "Đ/c A", "Các ban", "Thường trực"])
    ws.append([2, "Hội thảo khoa học về chuyển đổi số", 3, "Ban KHCN", "Đ/c B", "Sở, ngành", "Thường trực"])
    ws.append([3, "Diễn đàn trí thức trẻ", date(2022, 9, 15), "Ban KHCN", "Đ/c C", "", ""])
    path = tmp_path / "ct2022.xlsx"
    wb.save(path)
    return path


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["xls", "ods", "csv"])
def test_a_program_saved_as_xls_ods_or_csv(db, organizer_client, tmp_path, target):
    source = _program_workbook(tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76" if target == "csv" else target,
                    "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    data = (tmp_path / "out" / f"ct2022.{target}").read_bytes()
    body = upload(organizer_client, data, f"ct2022.{target}").get_data(as_text=True)
    assert "Đọc được 3 mục, không có lỗi" in body and "năm 2022" in body, body[:3000]
    result = services.preview(services.read_upload(f"ct2022.{target}", data))
    assert [(r["number"], r["month"]) for r in result.rows] == [(1, 1), (2, 3), (3, 9)]


def test_preview_lists_problems_and_saves_nothing(db, organizer_client):
    broken = ("CHƯƠNG TRÌNH CÔNG TÁC NĂM 2021\n"
              "1\tHội nghị A\tTháng 01\tVăn phòng\tĐ/c A\tCác ban\tThường trực\n"
              "1\tHội nghị B\tTháng 02\tVăn phòng\tĐ/c A\tCác ban\tThường trực\n"
              "3\tHội nghị C\tQuý II\tVăn phòng\tĐ/c A\tCác ban\tThường trực\n"
              "x\tHội nghị D\tTháng 04\tVăn phòng\n")
    response = organizer_client.post("/chuong-trinh-cong-tac/xem-truoc", data={"pasted": broken})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "TT 1 xuất hiện hai lần" in body and "không đọc được tháng" in body and "cột TT không phải số" in body
    assert "Lưu " not in body.split("Có ")[0] or "chưa lưu dòng nào" in body
    response = organizer_client.post("/chuong-trinh-cong-tac/nhap", data={"content": broken, "year": "2021"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkProgramItem)) == 0


def test_bad_files_get_vietnamese_messages(db, organizer_client):
    body = upload(organizer_client, b"\x89PNG\r\n", "anh.png").get_data(as_text=True)
    assert "Chỉ nhận tệp .txt (chép từ Word, các cột cách nhau bằng phím Tab) hoặc bảng tính" in body
    body = upload(organizer_client, b"not a zip", "ct.xlsx").get_data(as_text=True)
    assert "Không đọc được tệp Excel" in body
    body = upload(organizer_client, "Không có năm\n1\tHội nghị\tTháng 1".encode("utf-16"), "ct.txt").get_data(
        as_text=True)
    assert "Không thấy năm trong tiêu đề" in body
    response = organizer_client.post("/chuong-trinh-cong-tac/xem-truoc", data={"pasted": "", "year": "1999"})
    assert response.status_code == 422 and "Năm phải từ 2000 đến 2100." in response.get_data(as_text=True)


def test_guess_kind_and_first_working_day():
    assert services.guess_kind("Hội nghị tổng kết hoạt động của Liên hiệp hội năm 2021") == "tong_ket"
    assert services.guess_kind("Hội thảo khoa học về công tác tư vấn (Sơ kết 5 năm ...)") == "hoi_thao"
    assert services.guess_kind("Lễ tổng kết và trao giải Hội thi STKT") == "le"
    assert services.guess_kind("Hội nghị giao ban quý") == "giao_ban"
    assert services.guess_kind("Diễn đàn trí thức trẻ") == "dien_dan"
    assert services.guess_kind("Hội nghị Ban Thường vụ Liên hiệp hội Quý I năm 2021") == "khac"
    day = services.first_working_day(2021, 5)  # 01/05 is a holiday, 02/05 a Sunday
    assert day == date(2021, 5, 4) or vntime.is_working_day(day) and day.day > 1


def test_make_conference_prefilled_and_linked(db, organizer_client):
    services.import_program(seed_bytes().decode("utf-8"))
    item = db.session.scalar(sa.select(WorkProgramItem).where(WorkProgramItem.number == 71))
    page = organizer_client.get(f"/chuong-trinh-cong-tac/{item.id}/lap-hoi-nghi").get_data(as_text=True)
    expected_day = services.first_working_day(2021, 12)
    assert '<option selected value="tong_ket">' in page
    assert "Hội nghị tổng kết hoạt động của Liên hiệp hội năm 2021" in page
    assert (expected_day.strftime("%d/%m/%Y") in page or expected_day.isoformat() in page) and "08:00" in page
    data = {"kind": "tong_ket", "title": "Hội nghị tổng kết hoạt động của Liên hiệp hội năm 2021",
            "start_date": expected_day.strftime("%d/%m/%Y"), "start_time": "08:00",
            "end_date": expected_day.strftime("%d/%m/%Y"), "end_time": "11:30", "venue_id": "0",
            "lead_department_id": "0", "approved_budget": "", "chair": "Đ/c Nguyễn Quốc Uy"}
    response = organizer_client.post(f"/chuong-trinh-cong-tac/{item.id}/lap-hoi-nghi", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    conference = db.session.scalar(sa.select(Conference))
    db.session.refresh(item)
    assert item.conference_id == conference.id and conference.kind == "tong_ket"
    assert vntime.to_local(conference.starts_at).date() == expected_day
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "conference.create")) == 1
    again = organizer_client.get(f"/chuong-trinh-cong-tac/{item.id}/lap-hoi-nghi")
    assert again.status_code == 303 and f"/hoi-nghi/{conference.id}" in again.headers["Location"]
    assert organizer_client.get("/chuong-trinh-cong-tac/99999/lap-hoi-nghi").status_code == 404
