"""The documents filed from the door and after it: the danh sách đại biểu ký nhận of a day, the bảng kê chi hỗ trợ,
the Báo cáo kết quả, read back from their PDF (pypdf) and .docx (python-docx); and the figures of attendance, the
same on the overview, the report page and the filed report."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import docx
import pytest
from pypdf import PdfReader

from eventapp import vntime
from eventapp.budget import services as budget_services
from eventapp.models import (
    BudgetLine,
    CheckIn,
    Delegate,
    HostAgency,
    Invitation,
    SpendingNorm,
)

DAY1, DAY2 = date(2021, 4, 6), date(2021, 4, 7)


def at(day: date, hour: int) -> datetime:
    return vntime.local_to_utc(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def conference(db, make_conference, make_agency):
    """A two-day tổng kết of Quảng Ngãi: two agency groups and the enterprises' group, a walk-in, a cancelled
    delegate and one of a declined invitation; check-ins on each day."""
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. GIÁM ĐỐC",
                              signer_title="PHÓ GIÁM ĐỐC", signer_name="Phan Văn Hiếu"))
    conference = make_conference(starts_at=at(DAY1, 7), ends_at=at(DAY2, 11))
    so = make_agency("Sở Tài chính", group="Sở, ban, ngành")
    xa = make_agency("UBND xã Ba Tơ", group="UBND cấp xã, phường")
    company = make_agency("Công ty TNHH Quế Trà Bồng", group="Doanh nghiệp")
    declined = make_agency("Sở Xây dựng", group="Sở, ban, ngành")
    invitations = {}
    for agency, status in ((so, "attending"), (xa, "attending"), (company, "attending"), (declined, "declined")):
        invitations[agency.name] = Invitation(conference_id=conference.id, kind="agency", agency_id=agency.id,
                                              seats=2, status=status)
    db.session.add_all(invitations.values())
    db.session.flush()
    people = [  # name, agency, kind, status, days checked in
        ("Trần Văn Đức", xa, "named", "attending", [DAY1]),
        ("Nguyễn Thị Dung", xa, "named", "attending", [DAY2]),
        ("Lê Thị Ánh", so, "named", "attending", [DAY1]),
        ("Phạm Văn An", so, "named", "attending", []),
        ("Võ Văn Bình", company, "named", "attending", [DAY1]),
        ("Đỗ Thị Mai", company, "named", "attending", [DAY2]),
        ("Hồ Văn Hủy", so, "named", "cancelled", []),
        ("Bùi Văn Từ Chối", declined, "named", "attending", []),
    ]
    for name, agency, kind, status, days in people:
        delegate = Delegate(conference_id=conference.id, invitation_id=invitations[agency.name].id, kind=kind,
                            status=status, full_name=name, position="Chuyên viên", agency_name=agency.name,
                            agency_id=agency.id)
        db.session.add(delegate)
        db.session.flush()
        for day in days:
            db.session.add(CheckIn(conference_id=conference.id, delegate_id=delegate.id, checked_in_at=at(day, 7)))
    walk_in = Delegate(conference_id=conference.id, kind="walk_in", full_name="Huỳnh Văn Vãng",
                       agency_name="Báo Quảng Ngãi")
    db.session.add(walk_in)
    db.session.flush()
    db.session.add(CheckIn(conference_id=conference.id, delegate_id=walk_in.id, checked_in_at=at(DAY1, 8)))
    budget_services.ensure_default_norms()
    meals = next(n for n in db.session.scalars(db.select(SpendingNorm)) if n.max_unit_price == 150_000)
    db.session.add(BudgetLine(conference_id=conference.id, category="meals", content="Hỗ trợ tiền ăn", quantity=2,
                              days=2, unit_price=150_000, norm_id=meals.id, actual_amount=300_000))
    db.session.commit()
    return conference


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def sheet_rows(data: bytes) -> list[list[str]]:
    """The rows of the .docx's list table (the second table: the first is the letterhead)."""
    return [[cell.text for cell in row.cells] for row in docx.Document(io.BytesIO(data)).tables[1].rows]


def get(client, conference, **query):
    response = client.get(f"/hoi-nghi/{conference.id}/van-ban/tai", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.data


def test_sign_in_sheet_of_a_day_lists_who_came_that_day_by_group_then_name(db, organizer_client, conference):
    rows = sheet_rows(get(organizer_client, conference, loai="ky-nhan", ngay="2021-04-06", **{"dinh-dang": "docx"}))
    assert rows[0] == ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Ký nhận"]
    # groups in their order (Sở, ban, ngành; UBND cấp xã; Doanh nghiệp), then the walk-in (no group)
    assert [r[1] for r in rows[1:]] == ["Lê Thị Ánh", "Trần Văn Đức", "Võ Văn Bình", "Huỳnh Văn Vãng"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"] and all(r[4] == "" for r in rows[1:])
    second = sheet_rows(get(organizer_client, conference, loai="ky-nhan", ngay="2021-04-07", **{"dinh-dang": "docx"}))
    assert [r[1] for r in second[1:]] == ["Nguyễn Thị Dung", "Đỗ Thị Mai"]  # D before Đ, Vietnamese order
    pages = pdf_pages(get(organizer_client, conference, loai="ky-nhan", ngay="2021-04-07"))
    assert "DANH SÁCH ĐẠI BIỂU KÝ NHẬN" in pages[0] and "Thứ Tư, ngày 07 tháng 4 năm 2021" in pages[0]
    assert pages[0].index("Nguyễn Thị Dung") < pages[0].index("Đỗ Thị Mai")
    assert "Lê Thị Ánh" not in pages[0]


def test_blank_sign_in_sheet_is_everyone_expected_and_spare_lines(db, organizer_client, conference):
    rows = sheet_rows(get(organizer_client, conference, loai="ky-nhan", ngay="2021-04-06", cach="de-trong",
                          **{"dinh-dang": "docx"}))
    names = [r[1] for r in rows[1:] if r[1]]
    assert names == ["Phạm Văn An", "Lê Thị Ánh", "Nguyễn Thị Dung", "Trần Văn Đức", "Võ Văn Bình", "Đỗ Thị Mai"]
    assert len(rows) - 1 == len(names) + 10 and rows[-1][0] == str(len(names) + 10)
    document = docx.Document(io.BytesIO(get(organizer_client, conference, loai="ky-nhan", cach="de-trong",
                                            **{"dinh-dang": "docx"})))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert round(document.sections[0].left_margin.mm) == 30 and round(document.sections[0].page_width.mm) == 210
    assert document.tables[1].rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_support_list_pays_guests_not_on_the_state_payroll_per_day(db, organizer_client, conference):
    """Days come from checkin.attendance.days_attended (one a person here: Bình came on the 6th, Mai on the 7th);
    the rate is the budget's meals line, within its norm."""
    rows = sheet_rows(get(organizer_client, conference, loai="bang-ke", **{"dinh-dang": "docx"}))
    assert rows[0] == ["STT", "Họ và tên", "Cơ quan, đơn vị", "Số ngày", "Mức chi (đồng)",
                       "Thành tiền (đồng)", "Ký nhận"]
    # only the enterprise's two people who came; the Sở's and the xã's staff are on the state payroll
    assert [r[1:6] for r in rows[1:-1]] == [
        ["Võ Văn Bình", "Công ty TNHH Quế Trà Bồng", "1", "150.000", "150.000"],
        ["Đỗ Thị Mai", "Công ty TNHH Quế Trà Bồng", "1", "150.000", "150.000"],
    ]
    assert rows[-1][0] == "TỔNG CỘNG" and "300.000" in rows[-1]
    pages = pdf_pages(get(organizer_client, conference, loai="bang-ke"))
    whole = " ".join(pages)
    assert "Bằng chữ: Ba trăm nghìn đồng chẵn." in whole
    assert "khoản 4 Điều 12 Thông tư 40/2017/TT-BTC" in whole and "150.000 đồng/người/ngày" in whole


def test_overview_report_page_and_filed_report_say_the_same_figures(db, organizer_client, conference):
    # confirmed: the 6 invited attending (not the cancelled one, not the walk-in, not the one of the agency that
    # declined); 5 of them came, and 1 walk-in
    overview = organizer_client.get(f"/hoi-nghi/{conference.id}").get_data(as_text=True)
    shown = re.search(r'id="overview-attendance">(\d+) <small>/ (\d+)</small>', overview)
    assert shown.groups() == ("6", "6") and "đã đến gồm 1 khách không báo trước" in overview
    report = organizer_client.get(f"/hoi-nghi/{conference.id}/bao-cao").get_data(as_text=True)
    assert re.search(r'Đại biểu đã đến</span><span class="stat-value">6</span>', report)
    assert "5 / 6 đại biểu xác nhận" in report
    document = docx.Document(io.BytesIO(get(organizer_client, conference, loai="bao-cao", **{"dinh-dang": "docx"})))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Tham dự Hội nghị có 06 đại biểu: 05/06 đại biểu đã xác nhận (đạt 83%) và 01 khách mời không báo trước" in body
    totals = [[c.text for c in row.cells] for row in document.tables[1].rows if row.cells[0].text == "Tổng cộng"]
    assert totals == [["Tổng cộng", "8", "6", "5"]]


def test_filed_report_is_in_decree_30_form_with_the_clerks_number(db, organizer_client, conference):
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/van-ban/so?loai=bao_cao",
                                     data={"bao_cao-number": "45/BC-SKHCN", "bao_cao-signed_on": "09/04/2021"})
    assert response.status_code == 303
    pages = pdf_pages(get(organizer_client, conference, loai="bao-cao"))
    assert "Số: 45/BC-SKHCN" in pages[0] and "Quảng Ngãi, ngày 09 tháng 4 năm 2021" in pages[0]
    assert "BÁO CÁO Kết quả tổ chức Hội nghị tổng kết" in pages[0]
    assert "Nơi nhận:" in pages[-1] and "Lưu: VT" in pages[-1] and "Phan Văn Hiếu" in pages[-1]
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/van-ban").get_data(as_text=True)
    assert 'value="45/BC-SKHCN"' in page and 'value="2021-04-09"' in page
    assert "Danh sách đại biểu ký nhận" in page and "Thứ Ba, 06/04/2021" in page


def test_unknown_documents_are_not_found(db, organizer_client, conference):
    url = f"/hoi-nghi/{conference.id}/van-ban/tai"
    assert organizer_client.get(url, query_string={"loai": "khac"}).status_code == 404
    assert organizer_client.get(url, query_string={"dinh-dang": "exe"}).status_code == 404
    assert organizer_client.post(f"/hoi-nghi/{conference.id}/van-ban/so?loai=giay_moi").status_code == 303


def test_plan_is_generated_in_the_seeds_shape(db, organizer_client, conference, make_department):
    from eventapp.models import Task

    lead = make_department(name="Phòng Quản lý KH&CN cơ sở", abbreviation="QLKHCNCS")
    office = make_department(name="Văn phòng Sở", abbreviation="VP")
    conference.purpose = "Tổng kết Chương trình giai đoạn 2016 - 2020.\n- Hội nghị tổ chức chu đáo, tiết kiệm."
    conference.content = "Đánh giá kết quả các mô hình"
    conference.chair = "Đồng chí Lê Quang Thịnh, Giám đốc Sở"
    conference.funding_source = "Từ nguồn kinh phí ngân sách được giao cho Sở KH&CN năm 2021"
    conference.lead_department_id = lead.id
    task = Task(conference_id=conference.id, title="Hợp đồng thuê hội trường", lead_department_id=office.id,
                due_date=date(2021, 4, 1))
    task.coordinating_departments.append(lead)
    db.session.add(task)
    db.session.commit()
    document = docx.Document(io.BytesIO(get(organizer_client, conference, loai="ke-hoach", **{"dinh-dang": "docx"})))
    body = [p.text for p in document.paragraphs if p.text]
    headings = [t for t in body if t[:4] in ("I. M", "II. ", "III.", "IV. ", "V. K", "VI. ", "VII.")]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. THÀNH PHẦN MỜI THAM DỰ",
                        "IV. THỜI GIAN VÀ ĐỊA ĐIỂM", "V. KINH PHÍ", "VI. PHÂN CÔNG THỰC HIỆN", "VII. TỔ CHỨC THỰC HIỆN"]
    assert "- Tổng kết Chương trình giai đoạn 2016 - 2020." in body and "- Đánh giá kết quả các mô hình" in body
    assert "- Sở, ban, ngành: Sở Tài chính, Sở Xây dựng;" in body
    assert "- UBND cấp xã, phường: UBND xã Ba Tơ;" in body and "* Dự kiến khoảng: 150 đại biểu." in body
    assert "1. Thời gian: Thứ Ba, ngày 06/04/2021, từ 07:00 đến 11:00 ngày 07/04/2021." in body
    assert ("Từ nguồn kinh phí ngân sách được giao cho Sở KH&CN năm 2021; số tiền: 54.000.000 đồng "
            "(Phụ lục dự toán kèm theo).") in body
    assert "1. Văn phòng Sở" in body
    assert ("- Hợp đồng thuê hội trường (phối hợp: Phòng Quản lý KH&CN cơ sở); hoàn thành trước ngày "
            "01/04/2021;") in body
    header = document.tables[0]
    assert header.rows[1].cells[0].text == "Số: 254/KH-SKHCN"  # the plan's own number until the clerk gives one
    footer = document.tables[-1].rows[0].cells
    assert footer[0].paragraphs[0].text == "Nơi nhận:" and footer[0].paragraphs[0].runs[0].bold
    assert footer[0].paragraphs[0].runs[0].italic and "- Lưu: VT, QLKHCNCS." in footer[0].text
    assert "Phan Văn Hiếu" in footer[1].text
    pages = pdf_pages(get(organizer_client, conference, loai="ke-hoach"))
    assert "KẾ HOẠCH Tổ chức Hội nghị tổng kết" in pages[0] and "Số: 254/KH-SKHCN" in pages[0]


def test_a_joint_letterhead_prints_both_agencies_side_by_side():
    from eventapp.documents import layout
    from eventapp.documents.docx_writer import document_docx
    from eventapp.documents.pdf_writer import document_pdf
    from eventapp.issuer import Issuer, Letterhead

    letterhead = Letterhead(issuers=(Issuer("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tây Ninh", "", "LHH"),
                                     Issuer("Sở Khoa học và Công nghệ", "UBND tỉnh Tây Ninh", "SKHCN")),
                            place_name="Tây Ninh")
    document = layout.Document(letterhead=letterhead, number="Số: 05/KH-LHH-SKHCN",
                               place_date=layout.place_date("Tây Ninh", date(2020, 1, 15), 2020), title="KẾ HOẠCH",
                               body=(layout.Paragraph("Nội dung."),))
    word = docx.Document(io.BytesIO(document_docx(document)))
    top = word.tables[0].rows[0].cells
    assert "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TÂY NINH" in top[0].text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in top[1].text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in top[2].text
    assert "Tây Ninh, ngày 15 tháng 01 năm 2020" in word.tables[0].rows[1].cells[-1].text
    text = pdf_pages(document_pdf(document))[0]
    assert text.index("LIÊN HIỆP") < text.index("SỞ KHOA HỌC") < text.index("CỘNG HÒA")


def test_every_document_of_an_empty_conference_comes_out(db, organizer_client, make_conference):
    """No host settings, no invitations, no budget, no check-ins: each document is still a whole document, with
    blanks where the clerk writes and zero totals in words."""
    empty = make_conference(number_symbol="", approved_budget=None)
    for kind in ("ke-hoach", "ky-nhan", "bang-ke", "bao-cao"):
        for fmt in ("pdf", "docx"):
            get(organizer_client, empty, loai=kind, cach="de-trong", **{"dinh-dang": fmt})
    pages = pdf_pages(get(organizer_client, empty, loai="bang-ke"))
    assert "Bằng chữ: Không đồng." in pages[0] and "CƠ QUAN CHỦ TRÌ" in pages[0]
    for kind in ("du-toan", "quyet-toan"):
        for fmt in ("pdf", "docx", "xlsx"):
            response = organizer_client.get(f"/hoi-nghi/{empty.id}/kinh-phi/phu-luc.{fmt}?loai={kind}")
            assert response.status_code == 200
        assert organizer_client.get(f"/hoi-nghi/{empty.id}/kinh-phi/in?loai={kind}").status_code == 200
    assert organizer_client.get(f"/hoi-nghi/{empty.id}/van-ban").status_code == 200
    # a day that is not one of the conference's gives its first day's sheet, never an error
    assert "DANH SÁCH ĐẠI BIỂU KÝ NHẬN" in pdf_pages(get(organizer_client, empty, loai="ky-nhan", ngay="2099-13-45"))[0]


def test_a_group_row_stays_with_its_first_line_and_the_total_with_the_last():
    """Whatever the number of lines before it, a group's heading row is never the last row of a page, nor the
    total the first (pypdf finds both of each pair on one page)."""
    from eventapp.documents import layout
    from eventapp.documents.pdf_writer import document_pdf
    from eventapp.issuer import Issuer, Letterhead

    columns = (layout.Column("STT", 15, "C"), layout.Column("Nội dung chi", 100), layout.Column("Thành tiền", 50, "R"))
    for filler in range(18, 40):
        rows = [layout.Row((str(n), f"Khoản chi số {n}", "1.000")) for n in range(1, filler + 1)]
        rows += [layout.Row(("II", "NHÓM CUỐI", "2.000"), bold=True), layout.Row(("1", "Dòng của nhóm cuối", "2.000")),
                 layout.Row(("TỔNG CỘNG", "3.000"), bold=True, span=2)]
        document = layout.Document(letterhead=Letterhead(issuers=(Issuer("Sở Khoa học và Công nghệ"),)), number="",
                                   place_date="", title="DỰ TOÁN", body=(layout.Table(columns, tuple(rows)),))
        pages = pdf_pages(document_pdf(document))
        group = next(i for i, page in enumerate(pages) if "NHÓM CUỐI" in page)
        assert "Dòng của nhóm cuối" in pages[group] and "TỔNG CỘNG" in pages[group], filler
        assert all("Nội dung chi" in page for page in pages)  # the heading row on every page
