"""Printed invitation letters (giấy mời, Mẫu 1.7 of Decree 30/2020/NĐ-CP): the content of each letter, and
the same letters as .docx (python-docx) and PDF (fpdf2 with the vendored Liberation Serif font)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import qrcode
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import joinedload, selectinload

from .. import text, vntime
from ..extensions import db
from ..models import Agency, Conference, HostAgency, Invitation, InvitationKind
from .services import rsvp_url

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Letter:
    """Every line of one giấy mời, ready for HTML, .docx and PDF."""

    invitation_id: int
    parent_name: str
    host_name: str
    number_symbol: str
    place_date: str
    summary: str
    addressee: str
    invite_line: str
    event_line: str
    time_line: str
    venue_line: str
    chair_line: str
    content: str
    preparation: str
    rsvp_line: str
    rsvp_url: str
    contact_line: str
    closing: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)

    @property
    def body(self) -> list[tuple[str, str]]:
        """(label, text) paragraphs of the body, in order; empty ones left out."""
        parts = [
            ("Tới dự", self.event_line),
            ("Chủ trì", self.chair_line),
            ("Thời gian", self.time_line),
            ("Địa điểm", self.venue_line),
            ("Nội dung", self.content),
            ("Đề nghị chuẩn bị", self.preparation),
            ("Xác nhận tham dự", self.rsvp_line),
            ("Liên hệ", self.contact_line),
        ]
        return [(label, value) for label, value in parts if value]


def _host() -> HostAgency:
    host = db.session.scalar(sa.select(HostAgency).limit(1))
    return host or HostAgency(name="Cơ quan chủ trì", abbreviation="CQ", parent_name="", place_name="",
                              signer_authority="", signer_title="", signer_name="")


def _time_line(conference: Conference) -> str:
    start = vntime.to_local(conference.starts_at)
    end = vntime.to_local(conference.ends_at)
    line = (f"{start.hour:02d} giờ {start.minute:02d} phút, {vntime.weekday_vn(start)}, "
            f"{vntime.long_date('', start)}")
    if end.date() != start.date():
        line += f" đến {vntime.weekday_vn(end)}, {vntime.long_date('', end)}"
    return line + "."


def _venue_line(conference: Conference) -> str:
    venue = conference.venue
    if venue is None:
        return "Sẽ thông báo sau."
    parts = [venue.full_name]
    if venue.address:
        parts.append(venue.address)
    line = ", ".join(parts)
    if venue.phone:
        line += f" (điện thoại: {text.format_phone(venue.phone)})"
    return line + "."


def _invite_line(invitation: Invitation) -> tuple[str, str, str]:
    """(Kính gửi line, the "trân trọng kính mời" line, the closing) for an invitation."""
    agency: Agency | None = invitation.agency
    if invitation.kind == InvitationKind.AGENCY and agency is not None:
        role = invitation.role_text or "Đại diện lãnh đạo"
        who = f"{role} {agency.name}"
        if invitation.invitee_name:
            who = f"Đồng chí {invitation.invitee_name}" + (f", {invitation.invitee_position}" if
                                                          invitation.invitee_position else "") + f", {agency.name}"
        if invitation.seats > 1:
            who += f" ({invitation.seats:02d} người)"
        return agency.name, who, "Rất mong Quý cơ quan cử đại biểu tham dự đúng thành phần, thời gian./."
    parts = [f"Đồng chí {invitation.invitee_name}"]
    if invitation.invitee_position:
        parts.append(invitation.invitee_position)
    if agency is not None:
        parts.append(agency.name)
    who = ", ".join(parts)
    return who, who, "Rất mong Đồng chí sắp xếp thời gian tham dự./."


def build_letter(invitation: Invitation, conference: Conference, host: HostAgency, issued: date) -> Letter:
    """The content of the giấy mời of one invitation."""
    abbreviation = host.abbreviation or "CQ"
    department = conference.lead_department.abbreviation if conference.lead_department else "VP"
    addressee, who, closing = _invite_line(invitation)
    deadline = ""
    if conference.rsvp_deadline:
        local = vntime.to_local(conference.rsvp_deadline)
        deadline = f"trước {local.hour:02d} giờ {local.minute:02d} phút ngày {vntime.format_date(local)}, "
    url = rsvp_url(invitation)
    rsvp_line = (f"Đề nghị xác nhận {deadline}bằng cách quét mã QR trên giấy mời này hoặc truy cập {url}"
                 + (f"; hoặc gọi điện thoại {text.format_phone(conference.contact_phone)}"
                    if conference.contact_phone else "") + ".")
    contact = []
    if conference.contact_name:
        contact.append(f"Đồng chí {conference.contact_name}")
    if conference.contact_phone:
        contact.append(f"điện thoại {text.format_phone(conference.contact_phone)}")
    if conference.contact_email:
        contact.append(f"email {conference.contact_email}")
    title = conference.title.rstrip(".")
    return Letter(
        invitation_id=invitation.id,
        parent_name=(host.parent_name or "").upper(),
        host_name=host.name.upper(),
        number_symbol=f"Số:       /GM-{abbreviation}",
        place_date=vntime.long_date(host.place_name, issued),
        summary=f"Dự {title}",
        addressee=addressee,
        invite_line=f"{host.name} trân trọng kính mời: {who}.",
        event_line=f"{title}.",
        time_line=_time_line(conference),
        venue_line=_venue_line(conference),
        chair_line=f"{conference.chair}." if conference.chair else "",
        content=text.nfc_block(conference.content),
        preparation=text.nfc_block(conference.preparation),
        rsvp_line=rsvp_line,
        rsvp_url=url,
        contact_line=(", ".join(contact) + ".") if contact else "",
        closing=closing,
        signer_authority=(host.signer_authority or "").upper(),
        signer_title=(host.signer_title or "").upper(),
        signer_name=host.signer_name or "",
        recipients=["Như trên;", f"Lưu: VT, {department}."],
    )


def letters_for(conference: Conference, invitation_ids: list[int] | None = None) -> list[Letter]:
    """The letters of a conference's list (or of some invitations), in the order of the list."""
    from .services import invitation_list

    host = _host()
    issued = vntime.today()
    if invitation_ids is None:
        listing = invitation_list(conference)
        invitations = [inv for section in listing.sections for inv in section.invitations]
    else:
        invitations = db.session.scalars(
            sa.select(Invitation).where(Invitation.id.in_(invitation_ids), Invitation.conference_id == conference.id)
            .options(joinedload(Invitation.agency).joinedload(Agency.group), selectinload(Invitation.delegates))
        ).unique().all()
    return [build_letter(inv, conference, host, issued) for inv in invitations]


# --- QR codes for the documents -----------------------------------------------------------------

def qr_image_png(data: str, scale: int = 6) -> bytes:
    """A QR PNG made quickly for documents (a fixed mask: ~2× faster than searching the best one)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if cell else 1 for row in matrix for cell in row])
    image = image.resize((size * scale, size * scale), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- .docx ------------------------------------------------------------------------------------------

def letters_docx(letters: list[Letter]) -> bytes:
    """The letters as one Word document, A4 portrait, Times New Roman, a page per letter."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    def paragraph(container, content="", bold=False, italic=False, size=None, align=None, underline=False,
                  space_after=0, indent=False):
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        if content:
            run = p.add_run(content)
            run.bold, run.italic, run.underline = bold, italic, underline
            if size:
                run.font.size = Pt(size)
        return p

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    for index, letter in enumerate(letters):
        header = document.add_table(rows=1, cols=2)
        header.alignment = WD_TABLE_ALIGNMENT.CENTER
        header.autofit = False
        left, right = header.rows[0].cells
        left.width, right.width = Mm(65), Mm(100)
        left.paragraphs[0].alignment = center
        if letter.parent_name:
            run = left.paragraphs[0].add_run(letter.parent_name)
            run.font.size = Pt(12)
            paragraph(left, letter.host_name, bold=True, size=12, align=center, underline=True)
        else:
            run = left.paragraphs[0].add_run(letter.host_name)
            run.bold, run.underline = True, True
            run.font.size = Pt(12)
        paragraph(left, letter.number_symbol, size=13, align=center).paragraph_format.space_before = Pt(6)
        right.paragraphs[0].alignment = center
        run = right.paragraphs[0].add_run(NATIONAL_TITLE)
        run.bold = True
        run.font.size = Pt(12)
        paragraph(right, MOTTO, bold=True, size=13, align=center, underline=True)
        paragraph(right, letter.place_date, italic=True, size=13, align=center).paragraph_format.space_before = Pt(6)

        paragraph(document, "GIẤY MỜI", bold=True, size=14, align=center).paragraph_format.space_before = Pt(18)
        paragraph(document, letter.summary, bold=True, align=center, space_after=12)
        kinh_gui = paragraph(document, align=center, space_after=12)
        kinh_gui.add_run("Kính gửi: ")
        kinh_gui.add_run(letter.addressee).bold = True
        paragraph(document, letter.invite_line, align=justify, indent=True, space_after=6)
        for label, value in letter.body:
            p = paragraph(document, align=justify, indent=True, space_after=6)
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
        qr = document.add_paragraph()
        qr.alignment = center
        qr.add_run().add_picture(io.BytesIO(qr_image_png(letter.rsvp_url)), width=Mm(28))
        paragraph(document, "Mã QR xác nhận tham dự", italic=True, size=10, align=center, space_after=6)
        paragraph(document, letter.closing, align=justify, indent=True, space_after=12)

        footer = document.add_table(rows=1, cols=2)
        footer.autofit = False
        left, right = footer.rows[0].cells
        left.width, right.width = Mm(80), Mm(85)
        run = left.paragraphs[0].add_run("Nơi nhận:")
        run.bold, run.italic = True, True
        run.font.size = Pt(12)
        for line in letter.recipients:
            paragraph(left, f"- {line}", size=11)
        right.paragraphs[0].alignment = center
        if letter.signer_authority:
            right.paragraphs[0].add_run(letter.signer_authority).bold = True
            paragraph(right, letter.signer_title, bold=True, align=center)
        else:
            right.paragraphs[0].add_run(letter.signer_title).bold = True
        for _ in range(4):
            paragraph(right, "", align=center)
        paragraph(right, letter.signer_name, bold=True, align=center)
        if index < len(letters) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

def letters_pdf(letters: list[Letter]) -> bytes:
    """The letters as one PDF, A4 portrait, Liberation Serif (metric-compatible with Times New Roman)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("Serif", "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "LiberationSerif-Bold.ttf"))
    pdf.add_font("Serif", "I", str(FONT_DIR / "LiberationSerif-Italic.ttf"))
    pdf.set_title("Giấy mời")
    pdf.set_creator("eventapp")
    width = 210 - 30 - 15
    left_w, right_w = 68, width - 68

    def centered(x, w, content, style="", size=13, underline=False, line_height=6, rule=1.0):
        pdf.set_font("Serif", style, size)
        pdf.set_x(x)
        pdf.multi_cell(w, line_height, content, align="C", new_x="LMARGIN", new_y="NEXT")
        if underline:
            text_w = min(pdf.get_string_width(content.split("\n")[-1]), w) * rule
            y = pdf.get_y() + 0.3
            pdf.set_line_width(0.3)
            pdf.line(x + (w - text_w) / 2, y, x + (w + text_w) / 2, y)

    for letter in letters:
        pdf.add_page()
        top = pdf.get_y()
        if letter.parent_name:
            centered(30, left_w, letter.parent_name, size=12)
        centered(30, left_w, letter.host_name, style="B", size=12, underline=True, rule=0.4)
        pdf.ln(3)
        centered(30, left_w, letter.number_symbol, size=13)
        left_bottom = pdf.get_y()
        pdf.set_y(top)
        centered(30 + left_w, right_w, NATIONAL_TITLE, style="B", size=12)
        centered(30 + left_w, right_w, MOTTO, style="B", size=13, underline=True)
        pdf.ln(3)
        centered(30 + left_w, right_w, letter.place_date, style="I", size=13)
        pdf.set_y(max(left_bottom, pdf.get_y()) + 8)
        centered(30, width, "GIẤY MỜI", style="B", size=14, line_height=7)
        centered(30, width, letter.summary, style="B", size=13)
        pdf.ln(4)
        pdf.set_font("Serif", "", 13)
        pdf.set_x(30)
        pdf.multi_cell(width, 6.5, f"Kính gửi: **{letter.addressee}**", align="C", markdown=True,
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Serif", "", 13)
        paragraphs = [letter.invite_line] + [f"**{label}:** {value}" for label, value in letter.body]
        for content in paragraphs:
            pdf.set_x(30)
            pdf.multi_cell(width, 6.5, "      " + content.replace("\n", "\n      "), align="J", markdown=True,
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        if pdf.get_y() > 297 - 20 - 95:
            pdf.add_page()
        y = pdf.get_y() + 1
        pdf.image(io.BytesIO(qr_image_png(letter.rsvp_url, scale=4)), x=30 + width / 2 - 14, y=y, w=28, h=28)
        pdf.set_y(y + 28)
        centered(30, width, "Mã QR xác nhận tham dự", style="I", size=10, line_height=5)
        pdf.ln(1)
        pdf.set_font("Serif", "", 13)
        pdf.set_x(30)
        pdf.multi_cell(width, 6.5, "      " + letter.closing, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        top = pdf.get_y()
        pdf.set_font("Serif", "B", 12)
        pdf.set_x(30)
        pdf.cell(80, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "", 11)
        for line in letter.recipients:
            pdf.set_x(30)
            pdf.cell(80, 5, f"- {line}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(top)
        if letter.signer_authority:
            centered(30 + 75, width - 75, letter.signer_authority, style="B", size=13)
        centered(30 + 75, width - 75, letter.signer_title, style="B", size=13)
        pdf.ln(22)
        centered(30 + 75, width - 75, letter.signer_name, style="B", size=13)
    return bytes(pdf.output())
