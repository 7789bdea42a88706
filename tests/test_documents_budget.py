"""The dự toán and the quyết toán as Phòng Kế hoạch - Tài chính files them, read back from the PDF (pypdf), the
.docx (python-docx) and the .xlsx (openpyxl, cached values)."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from eventapp.budget import services
from eventapp.models import BudgetLine, HostAgency, IssuedDocument, SpendingNorm


@pytest.fixture
def budget(db, make_conference):
    """A conference of Quảng Ngãi with lines of every kind: under its norm, above its cap, against a rate not
    checked, outside Circular 40's list with and without a basis; enough lines to run over one page."""
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. GIÁM ĐỐC",
                              signer_title="PHÓ GIÁM ĐỐC", signer_name="Phan Văn Hiếu"))
    services.ensure_default_norms()
    meals = db.session.scalar(sa.select(SpendingNorm).where(SpendingNorm.max_unit_price == 150_000))
    water = db.session.scalar(sa.select(SpendingNorm).where(SpendingNorm.category == "water"))
    conference = make_conference(approved_budget=54_000_000, number_symbol="254/KH-SKHCN")
    lines = [
        ("hall", "Thuê hội trường", "buổi", 1, 8_000_000, None, "", 8_000_000),
        ("water", "Nước uống, giải lao giữa giờ", "người", 150, 40_000, water.id, "", 5_680_000),
        ("meals", "Hỗ trợ tiền ăn khách mời không hưởng lương", "người", 20, 180_000, meals.id, "", 3_000_000),
        ("decoration", "Khánh tiết, băng rôn", "gói", 1, 3_500_000, None, "Quy chế chi tiêu nội bộ của Sở", 3_500_000),
        ("other", "Phim tư liệu 15 phút", "phim", 1, 10_000_000, None, "", None),
    ]
    lines += [("documents", f"Tài liệu phần {n}", "bộ", 150, 20_000, None, "", 3_000_000) for n in range(1, 19)]
    for position, (category, content, unit, quantity, price, norm, note, actual) in enumerate(lines, start=1):
        db.session.add(BudgetLine(conference_id=conference.id, position=position, category=category, content=content,
                                  unit=unit, quantity=quantity, days=1, unit_price=price, norm_id=norm, note=note,
                                  actual_amount=actual))
    db.session.commit()
    return conference


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    """The reader and the text of each page, lines joined by spaces (a wrapped cell reads as one line)."""
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def fonts_of(reader: PdfReader) -> set[str]:
    """The fonts of every page, each only when its file is embedded."""
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            if "/FontFile2" in descriptor:
                found.add(font["/BaseFont"].split("+")[-1])
    return found


def test_estimate_pdf_reads_as_the_finance_office_files_it(db, organizer_client, budget):
    response = organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader, pages = pdf_text(response.data)
    assert len(pages) >= 2
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)  # landscape
    whole = "\n".join(pages)
    assert "UBND TỈNH QUẢNG NGÃI" in pages[0] and "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI" in pages[0]
    assert "/DT-SKHCN" in pages[0] and "ngày" in pages[0] and "năm 20" in pages[0]
    assert "DỰ TOÁN KINH PHÍ" in pages[0] and "(Kèm theo Kế hoạch số 254/KH-SKHCN)" in pages[0]
    for page in pages[:-1]:  # the heading row on every page the table runs over
        assert "Nội dung chi" in page and "Định mức" in page and "Thành tiền" in page
    assert whole.count("TỔNG CỘNG") == 1  # once, at the end
    assert "85.100.000" in whole and "Bằng chữ: Tám mươi lăm triệu một trăm nghìn đồng chẵn." in whole
    assert "vượt 31.100.000 đồng" in whole  # above the approved 54.000.000
    assert "VƯỢT ĐỊNH MỨC 30.000 đ" in whole  # 180.000 against the 150.000 cap
    assert "chưa đối chiếu văn bản" in whole  # the water rate
    assert "Thông tư 40/2017/TT-BTC, Điều 12 (tối đa 150.000 đ/người/ngày)" in whole
    assert "Ngoài danh mục Điều 12 Thông tư 40/2017/TT-BTC; căn cứ: Quy chế chi tiêu nội bộ của Sở" in whole
    assert "căn cứ: CHƯA GHI CĂN CỨ" in whole
    assert "NGƯỜI LẬP" in pages[-1] and "PHÒNG KẾ HOẠCH - TÀI CHÍNH" in pages[-1]
    assert "KT. GIÁM ĐỐC" in pages[-1] and "Phan Văn Hiếu" in pages[-1]
    assert {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic"} <= fonts_of(reader)
    assert pages[1].startswith("2 ") and not pages[0].startswith("1 ")  # numbered from the second page


def test_final_account_is_its_own_document(db, organizer_client, budget):
    _, pages = pdf_text(organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.pdf?loai=quyet-toan").data)
    whole = "\n".join(pages)
    assert "QUYẾT TOÁN KINH PHÍ" in whole and "DỰ TOÁN KINH PHÍ" not in whole and "/QT-SKHCN" in whole
    assert "Thực chi" in pages[0] and whole.count("TỔNG CỘNG") == 1
    spent = 8_000_000 + 5_680_000 + 3_000_000 + 3_500_000 + 18 * 3_000_000
    assert f"{spent:,}".replace(",", ".") in whole
    assert "Bằng chữ: Bảy mươi tư triệu một trăm tám mươi nghìn đồng chẵn." in whole
    assert "Còn 1 khoản chi chưa nhập thực chi." in whole and "Thực chi thấp hơn dự toán 10.920.000 đồng." in whole
    assert organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.pdf?loai=khac").status_code == 404


def test_the_clerks_number_and_date_are_printed(db, organizer_client, budget):
    response = organizer_client.post(f"/hoi-nghi/{budget.id}/van-ban/so?loai=du_toan",
                                     data={"du_toan-number": "31/DT-SKHCN", "du_toan-signed_on": "05/03/2021"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(IssuedDocument.number)) == "31/DT-SKHCN"
    _, pages = pdf_text(organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.pdf").data)
    assert "Số: 31/DT-SKHCN" in pages[0] and "Quảng Ngãi, ngày 05 tháng 3 năm 2021" in pages[0]
    page = organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/in").get_data(as_text=True)
    assert "Số: 31/DT-SKHCN" in page and "Quảng Ngãi, ngày 05 tháng 3 năm 2021" in page
    # the final account keeps its own, still blank, number
    _, pages = pdf_text(organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.pdf?loai=quyet-toan").data)
    assert "31/DT" not in pages[0] and "/QT-SKHCN" in pages[0]


def test_a_bad_signing_date_gets_a_vietnamese_message(db, organizer_client, budget):
    response = organizer_client.post(f"/hoi-nghi/{budget.id}/van-ban/so?loai=du_toan",
                                     data={"du_toan-number": "31/DT-SKHCN", "du_toan-signed_on": "31/02/2021"})
    assert response.status_code == 422
    assert "Ngày" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 0


def test_estimate_docx_is_times_new_roman_landscape_with_a_repeated_heading(db, organizer_client, budget):
    response = organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.docx")
    document = docx.Document(io.BytesIO(response.data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    header, table = document.tables[0], document.tables[1]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.rows[0].cells[-1].text
    # the header's widths as its cells say: the agency, a spacer, the national title at the right (252 mm)
    assert [round(cell.width.mm) for cell in header.rows[0].cells] == [80, 72, 100]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung chi", "ĐVT", "Số lượng", "Số ngày",
                                                    "Định mức (đồng)", "Thành tiền (đồng)", "Ghi chú"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    texts = [row.cells[0].text for row in table.rows]
    assert texts.count("TỔNG CỘNG") == 1 and texts[-1] == "TỔNG CỘNG"
    assert table.rows[-1].cells[6].text == "85.100.000"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Bằng chữ: Tám mươi lăm triệu một trăm nghìn đồng chẵn." in body
    footer = document.tables[-1].rows[0].cells
    assert [c.paragraphs[0].text for c in footer] == ["NGƯỜI LẬP", "PHÒNG KẾ HOẠCH - TÀI CHÍNH", "KT. GIÁM ĐỐC"]


def test_estimate_workbook_has_cached_totals_and_fits_one_landscape_page(db, organizer_client, budget):
    data = organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.xlsx").data
    formulas = openpyxl.load_workbook(io.BytesIO(data)).active
    results = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    total_row = next(c.row for row in formulas.iter_rows() for c in row if c.value == "TỔNG CỘNG")
    assert formulas[f"G{total_row}"].data_type == "f" and results[f"G{total_row}"].value == 85_100_000
    assert formulas.page_setup.orientation == "landscape"
    assert formulas.sheet_properties.pageSetUpPr.fitToPage and formulas.page_setup.fitToWidth == 1
    assert formulas.page_setup.fitToHeight == 0
    values = [c.value for row in results.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Bằng chữ: Tám mươi lăm triệu một trăm nghìn đồng chẵn." in values
    assert any("VƯỢT ĐỊNH MỨC" in v for v in values)
    heads = next(row for row in results.iter_rows() if any(c.value == "NGƯỜI LẬP" for c in row))
    assert [c.value for c in heads if c.value] == ["NGƯỜI LẬP", "PHÒNG KẾ HOẠCH - TÀI CHÍNH", "KT. GIÁM ĐỐC"]
    assert "Phan Văn Hiếu" in values
    final = openpyxl.load_workbook(io.BytesIO(organizer_client.get(
        f"/hoi-nghi/{budget.id}/kinh-phi/phu-luc.xlsx?loai=quyet-toan").data), data_only=True).active
    assert "QUYẾT TOÁN KINH PHÍ" in [c.value for row in final.iter_rows() for c in row]


def test_print_page_prints_the_total_once_in_the_body(db, organizer_client, budget):
    page = organizer_client.get(f"/hoi-nghi/{budget.id}/kinh-phi/in").get_data(as_text=True)
    assert page.count("TỔNG CỘNG") == 1 and "<tfoot" not in page
    assert "<thead>" in page and "Bằng chữ: Tám mươi lăm triệu một trăm nghìn đồng chẵn." in page
    assert "PHÒNG KẾ HOẠCH - TÀI CHÍNH" in page


def test_signed_on_before_today_is_kept_as_given(db, budget):
    from eventapp.issuer import save_issued_document
    save_issued_document(budget, "quyet_toan", "", date(2021, 4, 20))
    from eventapp.budget.documents import budget_document
    assert budget_document(budget, "quyet_toan").place_date == "Quảng Ngãi, ngày 20 tháng 4 năm 2021"
