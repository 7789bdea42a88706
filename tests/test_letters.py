"""Printed invitation letters (giấy mời): HTML to print, .docx and PDF with Vietnamese text and the QR."""

import io

import pytest
import sqlalchemy as sa

from eventapp.agencies import services as agencies
from eventapp.invitations import services
from eventapp.models import HostAgency


@pytest.fixture()
def letter_setup(db, make_conference, make_venue, make_department):
    db.session.add(HostAgency(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Quảng Ngãi",
                              abbreviation="SKHCN", place_name="Quảng Ngãi", signer_authority="KT. Giám đốc",
                              signer_title="Phó Giám đốc", signer_name="Nguyễn Văn Bình"))
    db.session.commit()
    department = make_department(name="Phòng Quản lý KH&CN cơ sở", abbreviation="QLCS")
    conference = make_conference(venue_id=make_venue().id, lead_department_id=department.id,
                                 contact_name="Trần Thị Hạnh", contact_phone="0912345678",
                                 preparation="Báo cáo kết quả thực hiện dự án.", chair="Đồng chí Giám đốc Sở")
    groups = agencies.ensure_default_groups()
    agency = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Nông nghiệp và Môi trường"})
    invitation = services.invite_agency(conference, agency, 2, "Lãnh đạo và chuyên viên phụ trách")
    person = services.invite_person(conference, "Lê Thị Ánh Tuyết", "Giám đốc", agency)
    return conference, invitation, person


def test_letter_html_has_every_part(organizer_client, letter_setup):
    conference, invitation, _ = letter_setup
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/giay-moi")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for part in ("UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "/GM-SKHCN", "Quảng Ngãi, ngày", "GIẤY MỜI",
                 "Kính gửi: <strong>Sở Nông nghiệp và Môi trường</strong>",
                 "Sở Khoa học và Công nghệ trân trọng kính mời: Lãnh đạo và chuyên viên phụ trách Sở Nông nghiệp",
                 "Tới dự:", conference.title, "Thời gian:", "Hội trường tầng 7, Khách sạn Hùng Vương",
                 "45 Hùng Vương", "0255 3710 477", "Đề nghị chuẩn bị:", "Báo cáo kết quả thực hiện dự án.",
                 "Xác nhận tham dự", f"localhost/m/{invitation.short_code}", "Trần Thị Hạnh", "KT. GIÁM ĐỐC",
                 "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình", "Nơi nhận:", "- Lưu: VT, QLCS.", "css/letter.css",
                 f"/khach-moi/{invitation.id}/qr.png"):
        assert part in page, part


def test_batch_has_one_letter_per_invitation(organizer_client, letter_setup):
    conference, _, _ = letter_setup
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert page.count('<article class="letter"') == 2
    assert "trân trọng kính mời: Ông/Bà Lê Thị Ánh Tuyết, Giám đốc, Sở Nông nghiệp và Môi trường." in page


def test_rsvp_qr_encodes_the_link(organizer_client, app, letter_setup):
    import zxingcpp
    from PIL import Image

    conference, invitation, _ = letter_setup
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)).convert("L"))
    assert decoded[0].text == f"http://localhost/moi/{invitation.rsvp_token}"


def test_docx_opens_and_contains_the_letter(organizer_client, letter_setup):
    from docx import Document

    conference, invitation, _ = letter_setup
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/giay-moi.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Kính gửi: Sở Nông nghiệp và Môi trường" in body
    assert "GIẤY MỜI" in body and "Tới dự:" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Lưu: VT, QLCS." in cells
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert len(document.inline_shapes) == 1  # the QR


def test_pdf_has_vietnamese_text(organizer_client, letter_setup):
    from pypdf import PdfReader

    conference, _, _ = letter_setup
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # one page per letter
    content = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY MỜI",
                 "Sở Nông nghiệp và Môi trường", "Lê Thị Ánh Tuyết", "Nơi nhận"):
        assert part in content, part


def test_batch_downloads_on_empty_list_say_so(organizer_client, db, make_conference):
    conference = make_conference()
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf", follow_redirects=True)
    assert "chưa có khách mời nào" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HostAgency)) == 0


def test_batch_docx_has_each_addressee_and_its_own_qr(organizer_client, letter_setup):
    from docx import Document

    conference, invitation, person = letter_setup
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.docx")
    document = Document(io.BytesIO(response.data))
    lines = [p.text for p in document.paragraphs if p.text.startswith("Kính gửi:")]
    assert lines == ["Kính gửi: Sở Nông nghiệp và Môi trường"]  # a person is named once, in the invitation line
    text = "\n".join(p.text for p in document.paragraphs)
    assert "trân trọng kính mời: Ông/Bà Lê Thị Ánh Tuyết, Giám đốc, Sở Nông nghiệp và Môi trường." in text
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert invitation.short_code in cells and person.short_code in cells
    assert "\u27e6" not in text
    images = {shape._inline.graphic.graphicData.pic.blipFill.blip.embed for shape in document.inline_shapes}
    assert len(document.inline_shapes) == 2 and len(images) == 2


def _decoded(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_the_qr_in_each_printed_letter_is_its_own_link(organizer_client, letter_setup):
    """The codes in the .docx and in the PDF decode to each letter's RSVP link, in the order of the letters."""
    from docx import Document
    from pypdf import PdfReader

    conference, invitation, person = letter_setup
    links = [f"http://localhost/moi/{i.rsvp_token}" for i in (invitation, person)]
    document = Document(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.docx").data))
    blips = [shape._inline.graphic.graphicData.pic.blipFill.blip.embed for shape in document.inline_shapes]
    assert [text for blip in blips for text in _decoded(document.part.related_parts[blip].blob)] == links
    reader = PdfReader(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf").data))
    found = []
    for page in reader.pages:
        for image in page.images:
            buffer = io.BytesIO()
            image.image.save(buffer, "PNG")
            found += _decoded(buffer.getvalue())
    assert found == links


# --- what a clerk checks before signing ------------------------------------------------------------

def _pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_demo_letters_take_one_page_each_and_read_right(db):
    """The demo's three conferences: as many PDF pages as letters, none to the host's own people, the Bắc Giang
    giao ban under its own Sở, and none of the doubled words clerks found."""
    from eventapp.demo.loader import load_demo
    from eventapp.invitations import letters
    from eventapp.models import Conference

    load_demo(password="matkhau-demo-1")
    for conference in db.session.scalars(sa.select(Conference).order_by(Conference.id)):
        batch = letters.letter_batch(conference)
        assert batch.letters and batch.withheld, conference.title
        pages = _pdf_text(letters.letters_pdf(batch.letters))
        assert len(pages) == len(batch.letters), conference.title
        whole = " ".join(pages)
        for wrong in ("Sở Sở", "doanh nghiệp Công ty", "Đồng chí Phòng", "Tham luận: Tham luận", "\u27e6"):
            assert wrong not in whole, (conference.title, wrong)
        chair = conference.chair.split(",")[0].removeprefix("Đồng chí ")
        assert not any(f"kính mời: Ông/Bà {chair}" in page or f"kính mời: Đồng chí {chair}" in page
                       for page in pages)
        for page, letter in zip(pages, batch.letters, strict=True):
            assert "GIẤY MỜI" in page and letter.short_url in page.replace(" ", "")
        if "Bắc Giang" in conference.issuer_name:
            assert all(page.startswith("UBND TỈNH BẮC GIANG SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH BẮC GIANG") for page in pages)
            assert "Bắc Giang, ngày" in whole and "Quảng Ngãi" not in pages[0].split("GIẤY MỜI")[0]
            assert "Phóng viên Báo Bắc Giang dự, đưa tin" in whole
            assert "GIÁM ĐỐC Nguyễn Thanh Bình" in whole and "KT. GIÁM ĐỐC" not in whole
        else:
            assert "Đại diện lãnh đạo Công ty" in whole and "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi trân trọng" in whole
        assert "Đề nghị chuẩn bị:" in whole and "chủ trì phối hợp" not in whole


def test_the_clerks_number_and_day_print_on_all_three_forms(organizer_client, letter_setup):
    from docx import Document

    conference, invitation, _ = letter_setup
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert "Chưa có ngày ký" in page
    before = " ".join(_pdf_text(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf").data))
    assert "Quảng Ngãi, ngày tháng năm" in before and "2026" not in before.split("GIẤY MỜI")[0]

    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/so-ngay",
                                     data={"number": "12", "signed_on": "05/02/2021"})
    assert response.status_code == 303
    html = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    pdf = " ".join(_pdf_text(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf").data))
    docx = _docx_text(Document(io.BytesIO(
        organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.docx").data)))
    for output in (html, pdf, docx):
        assert "Số: 12/GM-SKHCN" in output
        assert "Quảng Ngãi, ngày 05 tháng 02 năm 2021" in output
    assert 'value="12"' in html


def test_a_signing_day_too_close_to_the_meeting_is_warned(organizer_client, letter_setup):
    from eventapp import vntime

    conference, _, _ = letter_setup
    meeting = vntime.to_local(conference.starts_at).date()
    late = vntime.add_working_days(meeting, -2)
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/so-ngay",
                                     data={"number": "", "signed_on": late.strftime("%d/%m/%Y")},
                                     follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "chưa đủ 3 ngày làm việc" in page
    assert vntime.format_date(vntime.invitation_deadline(meeting)) in page
    on_time = vntime.invitation_deadline(meeting)
    organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/so-ngay",
                          data={"number": "", "signed_on": on_time.strftime("%d/%m/%Y")})
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert "chưa đủ 3 ngày làm việc" not in page and "Số: \u2003\u2003/GM-SKHCN" in page


def test_a_wrong_number_or_day_is_refused_in_vietnamese(organizer_client, letter_setup, db):
    from eventapp.models import IssuedDocument

    conference, _, _ = letter_setup
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/so-ngay",
                                     data={"number": "1" * 61, "signed_on": "31/02/2021"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Số văn bản dài quá 60 ký tự." in page and "ngày" in page.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 0


def test_the_letters_page_warns_when_links_point_at_this_computer(organizer_client, app, letter_setup):
    conference, _, _ = letter_setup
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert "PUBLIC_BASE_URL" in page and "chỉ mở được trên máy này" in page
    app.config["PUBLIC_BASE_URL"] = "https://hoinghi.example.gov.vn"
    try:
        page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://localhost"
    assert "PUBLIC_BASE_URL" not in page and "hoinghi.example.gov.vn/m/" in page and "https://hoinghi" not in page


def test_the_short_link_leads_to_the_answer_page(client, letter_setup):
    from eventapp.models.base import SHORT_CODE_ALPHABET

    _, invitation, _ = letter_setup
    code = invitation.short_code
    assert len(code) == 8 and set(code) <= set(SHORT_CODE_ALPHABET) and not set(code) & set("01ilo")
    for typed in (code, code.upper()):
        response = client.get(f"/m/{typed}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/moi/{invitation.rsvp_token}")
    assert client.get("/m/" + "2" * 8).status_code == 404
    assert client.get("/m/abc").status_code == 404


def test_addressing_names_each_agency_once():
    from eventapp.invitations.letters import delegation, position_at

    assert delegation("Đại diện lãnh đạo doanh nghiệp", "Công ty TNHH Quế Trà Bồng Xanh") == \
        "Đại diện lãnh đạo Công ty TNHH Quế Trà Bồng Xanh"
    assert delegation("Công chức các phòng, đơn vị thuộc Sở", "Sở Y tế") == "Công chức các phòng, đơn vị thuộc Sở Y tế"
    assert delegation("Phóng viên dự, đưa tin", "Báo Bắc Giang") == "Phóng viên Báo Bắc Giang dự, đưa tin"
    assert delegation("", "Đài Phát thanh và Truyền hình Bắc Giang", press=True) == \
        "Phóng viên Đài Phát thanh và Truyền hình Bắc Giang dự, đưa tin"
    assert delegation("", "Sở Tư pháp") == "Đại diện lãnh đạo Sở Tư pháp"
    assert position_at("Phó Giám đốc Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ tỉnh Bắc Giang") == \
        "Phó Giám đốc Sở Khoa học và Công nghệ tỉnh Bắc Giang"
    assert position_at("Giám đốc Sở Y tế", "Sở Y tế") == "Giám đốc Sở Y tế"
    assert position_at("Chủ nhiệm dự án", "Trường Đại học Phạm Văn Đồng") == \
        "Chủ nhiệm dự án, Trường Đại học Phạm Văn Đồng"
    assert position_at("Giám đốc Trung tâm Khuyến nông", "Sở Nông nghiệp và Môi trường") == \
        "Giám đốc Trung tâm Khuyến nông, Sở Nông nghiệp và Môi trường"


def test_dong_chi_only_for_the_groups_the_host_chooses(organizer_client, letter_setup, db):
    from eventapp.models import AgencyGroup

    conference, _, person = letter_setup
    url = f"/hoi-nghi/{conference.id}/khach-moi/{person.id}/giay-moi"
    assert "kính mời: Ông/Bà Lê Thị Ánh Tuyết" in organizer_client.get(url).get_data(as_text=True)
    group_id = person.agency.group_id
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/xung-ho",
                                     data={"group_ids": [str(group_id)]})
    assert response.status_code == 303
    page = organizer_client.get(url).get_data(as_text=True)
    assert "kính mời: Đồng chí Lê Thị Ánh Tuyết" in page and "Rất mong Đồng chí sắp xếp" in page
    assert [g.id for g in db.session.scalars(sa.select(AgencyGroup).filter_by(address_as_comrade=True))] == [group_id]


def test_the_host_writes_no_letter_to_itself(organizer_client, letter_setup, db):
    conference, invitation, _ = letter_setup
    groups = agencies.ensure_default_groups()
    host = agencies.save_agency(None, {"group_id": groups[0].id, "name": "Sở Khoa học và Công nghệ"})
    own = services.invite_agency(conference, host, 20, "Công chức các phòng thuộc Sở")
    signer = services.invite_person(conference, "Nguyễn Văn Bình", "Phó Giám đốc", None)
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert page.count('<article class="letter"') == 2
    assert "2 dòng của chính cơ quan chủ trì không có giấy mời" in page
    for withheld in (own, signer):
        response = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{withheld.id}/giay-moi.pdf",
                                        follow_redirects=True)
        assert "không gửi giấy mời" in response.get_data(as_text=True)


def test_pdf_embeds_liberation_serif_and_docx_names_times_new_roman(organizer_client, letter_setup):
    from docx import Document
    from docx.shared import Mm
    from pypdf import PdfReader

    conference, _, _ = letter_setup
    reader = PdfReader(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf").data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"]).split("+")[-1]] = "/FontFile2" in descriptor
    assert len(fonts) == 4 and all(name.startswith("LiberationSerif") for name in fonts), fonts
    assert all(fonts.values())  # each with its font file: embedded

    document = Document(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.docx").data))
    assert document.styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin, section.top_margin)] == [30, 15, 20]
    header = document.tables[0]
    grid = [column.width for column in header.columns]
    assert grid == [cell.width for cell in header.rows[0].cells] and round(sum(grid) / Mm(1)) == 165
    assert header.rows[0].cells[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    agency = [p for p in header.rows[0].cells[0].paragraphs if p.text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"][0]
    assert not any(run.underline for run in agency.runs)  # a short line under it, not the name underlined
    places = [run for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
              for run in p.runs if run.text == "Nơi nhận:"]
    assert places and all(run.bold and run.italic for run in places)
    assert "PAGE" in section.header._element.xml and section.different_first_page_header_footer
    items = [p for p in document.paragraphs if p.text.startswith("Nội dung:")]
    assert not items or items[0].text == "Nội dung: "  # several items go below the label, one paragraph each


def test_a_joint_invitation_prints_both_agencies_side_by_side(organizer_client, letter_setup, db):
    from docx import Document

    conference, _, _ = letter_setup
    conference.co_issuer_name, conference.co_issuer_parent_name = "Tỉnh Đoàn Quảng Ngãi", "Tỉnh ủy Quảng Ngãi"
    conference.co_issuer_abbreviation = "TĐ"
    db.session.commit()
    html = organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi").get_data(as_text=True)
    assert 'class="letter-head joint"' in html and "TỈNH ĐOÀN QUẢNG NGÃI" in html and "/GM-SKHCN-TĐ" in html
    first = _pdf_text(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.pdf").data)[0]
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in first and "TỈNH ĐOÀN QUẢNG NGÃI" in first
    assert "Sở Khoa học và Công nghệ và Tỉnh Đoàn Quảng Ngãi trân trọng kính mời" in first
    document = Document(io.BytesIO(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/giay-moi.docx").data))
    assert [c.text.split("\n")[1] for c in document.tables[0].rows[0].cells] == \
        ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TỈNH ĐOÀN QUẢNG NGÃI"]


def test_a_long_letter_numbers_its_second_page(organizer_client, letter_setup, db):
    conference, invitation, _ = letter_setup
    conference.content = "\n".join(f"- Nội dung thứ {n} của hội nghị, trình bày và thảo luận kỹ lưỡng;"
                                    for n in range(1, 40))
    db.session.commit()
    pages = _pdf_text(organizer_client.get(f"/hoi-nghi/{conference.id}/khach-moi/{invitation.id}/giay-moi.pdf").data)
    assert len(pages) == 2 and pages[1].startswith("2 ") and not pages[0].startswith("1 ")
    assert "Nơi nhận" in pages[1]


def test_a_reissued_rsvp_link_also_retires_the_printed_short_link(client, letter_setup, db):
    from eventapp import privacy

    _, invitation, _ = letter_setup
    old = invitation.short_code
    privacy.regenerate_rsvp_token(invitation)
    assert client.get(f"/m/{old}").status_code == 404
    response = client.get(f"/m/{invitation.short_code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(invitation.rsvp_token)


def test_two_clerks_saving_the_number_at_once_leave_one_row(app, db, make_conference, make_user):
    """A double click (or two clerks) on "Lưu": both answered, one row per conference, one of the two values."""
    import threading

    from eventapp.models import IssuedDocument

    from .conftest import PASSWORD

    user = make_user("organizer")
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD}).status_code == 303
        clients.append(client)
    for _ in range(5):
        conference = make_conference()
        url = f"/hoi-nghi/{conference.id}/khach-moi/giay-moi/so-ngay"
        start, statuses, errors = threading.Barrier(2), [None, None], []

        def save(index: int, url=url, start=start, statuses=statuses, errors=errors):
            try:
                start.wait(10)
                statuses[index] = clients[index].post(url, data={"number": str(index + 1), "signed_on": ""}).status_code
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors and statuses == [303, 303]
        rows = db.session.scalars(sa.select(IssuedDocument).filter_by(conference_id=conference.id)).all()
        assert len(rows) == 1 and rows[0].number in ("1", "2")
