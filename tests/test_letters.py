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
