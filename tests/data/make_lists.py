"""Make the invitation lists in tests/data the way offices have them (run it again after changing the rows):

    .venv/bin/python tests/data/make_lists.py

A list is written with openpyxl (a merged title block above the headings, a name that is a formula, seats that
are a formula) and LibreOffice converts it to .xls (Excel 97–2003), .ods and back to .xlsx, which stores the
formulas' results as Excel does. The CSV files are the bytes a Vietnamese Windows writes: "CSV" in Windows-1258
(tone marks as combining characters after the vowel), UTF-8 with semicolons, "Unicode Text" (UTF-16, tabs),
and Windows-1252 holding text typed in the legacy TCVN3 or VNI font encodings.

The "office" list (danh-sach-van-phong.xlsx and .xls) is a list as a Văn phòng types it: no «Nhóm» column, a
«Ghi chú» and an «Địa chỉ» column, phone numbers typed as numbers (Excel drops their leading zero), a person of
an agency that the tests invite as a whole, and a total row.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADINGS = ["STT", "Nhóm", "Cơ quan/đơn vị", "Họ và tên", "Chức vụ", "Số chỗ", "Thành phần mời", "Email",
            "Điện thoại"]
ROWS = [
    [1, "Sở, ban, ngành", "Sở Tài chính", "", "", 2, "Lãnh đạo Sở", "stc@quangngai.gov.vn", "0255 3822 123"],
    [2, "Sở, ban, ngành", "Sở Y tế", "Nguyễn Văn Đức", "Phó Giám đốc", 1, "", "", "0912 345 678"],
    [3, "Doanh nghiệp", "Công ty Cổ phần Đường Quảng Ngãi", "Trần Thị Hoa", "Giám đốc", 1, "", "", ""],
]
#: In the workbooks, row 3's name is a link and its seats a sum, as clerks make them.
NAME_FORMULA = '=HYPERLINK("http://example.com/the-dai-bieu","Trần Thị Hoa")'
SEATS_FORMULA = "=0+1"
TONES = "\u0300\u0301\u0303\u0309\u0323"

OFFICE_HEADINGS = ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Số điện thoại", "Email", "Ghi chú", "Địa chỉ"]
OFFICE_ROWS = [
    [1, "Nguyễn Văn An", "Phó Giám đốc", "Sở Y tế", 905123456, "an.nv@quangngai.gov.vn", "Phát biểu tham luận",
     "19 Nguyễn Chánh"],
    [2, "", "", "Báo Quảng Ngãi", 2553822123, "bqn@quangngai.gov.vn", "Cử 01 phóng viên", "08 Trần Hưng Đạo"],
    [3, "Trần Thị Hoa", "Chuyên viên", "Sở Tài chính", "0912 345 678", "", "", ""],
    [4, "Lê Văn Bình", "Chủ tịch UBND", "UBND xã Bình Sơn", 987654321, "", "", ""],
    [5, "", "", "Đài Phát thanh - Truyền hình tỉnh", "", "", "Cử 01 phóng viên, 01 quay phim", ""],
]
#: The legacy lists: "Nguyễn Văn An, Phó Giám đốc, Sở Tài chính" and "Báo Quảng Ngãi" as typed in each encoding.
TCVN3_ROWS = [["STT", "Hä vµ tªn", "Chøc vô", "C¬ quan, ®¬n vÞ", "Ghi chó"],
              ["1", "NguyÔn V¨n An", "Phã Gi¸m ®èc", "Së Tµi chÝnh", "Ph¸t biÓu tham luËn"],
              ["2", "", "", "B¸o Qu¶ng Ng·i", "Cö 01 phãng viªn"]]
VNI_ROWS = [["STT", "Hoï vaø teân", "Chöùc vuï", "Cô quan, ñôn vò", "Ghi chuù"],
            ["1", "Nguyeãn Vaên An", "Phoù Giaùm ñoác", "Sôû Taøi chính", "Phaùt bieåu tham luaän"],
            ["2", "", "", "Baùo Quaûng Ngaõi", "Cöû 01 phoùng vieân"]]


def workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(["DANH SÁCH KHÁCH MỜI DỰ HỘI NGHỊ TỔNG KẾT"])
    sheet.merge_cells("A1:I1")
    sheet.append(["(Kèm theo Kế hoạch số 254/KH-SKHCN)"])
    sheet.append([])
    sheet.append(HEADINGS)
    for row in ROWS:
        sheet.append(row)
    sheet["D7"], sheet["F7"] = NAME_FORMULA, SEATS_FORMULA
    book.save(path)


def office_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "DS mời"
    sheet.append(["UBND TỈNH QUẢNG NGÃI"])
    sheet.append(["SỞ KHOA HỌC VÀ CÔNG NGHỆ"])
    sheet.append(["DANH SÁCH ĐẠI BIỂU MỜI DỰ HỘI NGHỊ"])
    sheet.merge_cells("A3:H3")
    sheet.append([])
    sheet.append(OFFICE_HEADINGS)
    for row in OFFICE_ROWS:
        sheet.append(row)
    sheet.append(["Tổng cộng: 05 lời mời"])
    for row in range(6, 6 + len(OFFICE_ROWS)):
        sheet[f"E{row}"].number_format = "0"  # the phones are numbers, shown as Excel shows them
    book.save(path)


def legacy_csv(rows: list[list[str]]) -> bytes:
    """Cells typed in a legacy font: saved as "CSV" by a Vietnamese Windows, they are bytes in the ANSI code page."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("cp1252")


def cp1258(value: str) -> bytes:
    """``value`` as Windows writes it in code page 1258: a letter it has, then the tone as a combining mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", value):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES))
            out += letter.encode("cp1258") + "".join(m for m in marks if m in TONES).encode("cp1258")
    return bytes(out)


def csv_text(delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADINGS, *ROWS])
    return buffer.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "danh-sach.xlsx"
        workbook(source)
        for target, directory in (("xls", "xls"), ("ods", "ods"), ("xlsx", "xlsx")):
            origin = source if target != "xlsx" else Path(work) / "ods" / "danh-sach.ods"
            subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(Path(work) / directory),
                            str(origin)], check=True, capture_output=True, timeout=180)
            shutil.copy(Path(work) / directory / f"danh-sach.{target}", HERE / f"danh-sach.{target}")
        office = Path(work) / "danh-sach-van-phong.xlsx"
        office_workbook(office)
        shutil.copy(office, HERE / office.name)
        subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(Path(work) / "office-xls"),
                        str(office)], check=True, capture_output=True, timeout=180)
        shutil.copy(Path(work) / "office-xls" / "danh-sach-van-phong.xls", HERE / "danh-sach-van-phong.xls")
    (HERE / "danh-sach-tcvn3-van-phong.csv").write_bytes(legacy_csv(TCVN3_ROWS))
    (HERE / "danh-sach-vni.csv").write_bytes(legacy_csv(VNI_ROWS))
    (HERE / "danh-sach-cp1258.csv").write_bytes(cp1258(csv_text(",")))
    (HERE / "danh-sach-utf8.csv").write_bytes(csv_text(";").encode("utf-8"))
    (HERE / "danh-sach-unicode.txt").write_bytes(csv_text("\t").encode("utf-16"))
    # "Nguyễn Văn An" typed in a .VnTime font: the cell holds "NguyÔn V¨n An", saved in the ANSI code page.
    (HERE / "danh-sach-tcvn3.csv").write_bytes("STT;Ho va ten;Chuc vu\r\n1;NguyÔn V¨n An;\r\n".encode("cp1252"))


if __name__ == "__main__":
    main()
