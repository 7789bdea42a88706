"""Printed invitation letters (giấy mời, Mẫu 1.7 of Decree 30/2020/NĐ-CP): the content of each letter, and
the same letters as .docx (python-docx) and PDF (fpdf2 with the vendored Liberation Serif font)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import text, vntime
from ..extensions import db
from ..models import Agency, Conference, HostAgency, Invitation, InvitationKind
from ..qr import qr_png
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


# --- .docx ------------------------------------------------------------------------------------------

_TOKENS = {"addressee": "\u27e6ADDRESSEE\u27e7", "invite_line": "\u27e6INVITE\u27e7",
           "rsvp_line": "\u27e6RSVP\u27e7", "closing": "\u27e6CLOSING\u27e7"}


def _docx_letter(document, letter: Letter) -> None:
    """Write one letter at the end of a python-docx document."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

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
    qr.add_run().add_picture(io.BytesIO(qr_png(letter.rsvp_url, box_size=6)), width=Mm(28))
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


def letters_docx(letters: list[Letter]) -> bytes:
    """The letters as one Word document, A4 portrait, Times New Roman, a page per letter.

    The letters of one conference differ only in the addressee, the invitation lines and the QR: the first
    letter is written with python-docx, then copied as XML for each letter with those parts replaced (a batch
    of hundreds stays fast)."""
    import copy
    import dataclasses

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
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
    if not letters:
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _docx_letter(document, dataclasses.replace(letters[0], **_TOKENS))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    section_properties = body.find(qn("w:sectPr"))
    template = [element for element in body if element is not section_properties]
    for element in template:
        body.remove(element)
    body.remove(section_properties)
    page_break, template = template[-1], template[:-1]
    text_tag, blip_tag, embed = qn("w:t"), qn("a:blip"), qn("r:embed")
    for number, letter in enumerate(letters):
        values = {token: getattr(letter, name) for name, token in _TOKENS.items()}
        image_id, _image = document.part.get_or_add_image(io.BytesIO(qr_png(letter.rsvp_url, box_size=6)))
        for element in template:
            clone = copy.deepcopy(element)
            for node in clone.iter(text_tag):
                if node.text and "\u27e6" in node.text:
                    for token, value in values.items():
                        node.text = node.text.replace(token, value)
            for blip in clone.iter(blip_tag):
                blip.set(embed, image_id)
            body.append(clone)
        if number < len(letters) - 1:
            body.append(copy.deepcopy(page_break))
    body.append(section_properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

class _PdfWriter:
    """Lays out paragraphs itself (word widths cached) so that a batch of hundreds of letters stays fast:
    fpdf2's own line breaking measures the line again for every character added."""

    PAGE_H, BOTTOM = 297.0, 20.0

    def __init__(self):
        from fpdf import FPDF

        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(30, 20, 15)
        pdf.set_auto_page_break(False)
        pdf.add_font("Serif", "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
        pdf.add_font("Serif", "B", str(FONT_DIR / "LiberationSerif-Bold.ttf"))
        pdf.add_font("Serif", "I", str(FONT_DIR / "LiberationSerif-Italic.ttf"))
        pdf.set_title("Giấy mời")
        pdf.set_creator("eventapp")
        self.pdf = pdf
        self.widths: dict[tuple[str, str, float], float] = {}
        self.font: tuple[str, float] | None = None

    def set_font(self, style: str, size: float) -> None:
        if self.font != (style, size):
            self.pdf.set_font("Serif", style, size)
            self.font = (style, size)

    def width(self, word: str, style: str, size: float) -> float:
        key = (word, style, size)
        value = self.widths.get(key)
        if value is None:
            self.set_font(style, size)
            value = self.widths[key] = self.pdf.get_string_width(word)
        return value

    def paragraph(self, runs: list[tuple[str, str]], x: float, width: float, *, size: float = 13,
                  line_height: float = 6.5, indent: float = 0, align: str = "J") -> tuple[float, float]:
        """Write ``runs`` ((text, style) pairs) wrapped in ``width``; returns (x, width) of the last line."""
        tokens = [(word, style, self.width(word, style, size)) for content, style in runs
                  for word in content.replace("\n", " ").split(" ") if word]
        space = self.width(" ", "", size)
        lines, current, used = [], [], 0.0
        for token in tokens:
            available = width - (indent if not lines else 0)
            needed = token[2] + (space if current else 0)
            if current and used + needed > available:
                lines.append(current)
                current, used, needed = [], 0.0, token[2]
            current.append(token)
            used += needed
        if current:
            lines.append(current)
        pdf = self.pdf
        last = (x, 0.0)
        for number, line in enumerate(lines):
            y = pdf.get_y()
            if y + line_height > self.PAGE_H - self.BOTTOM:
                pdf.add_page()
                y = pdf.get_y()
            start = x + (indent if number == 0 else 0)
            available = width - (indent if number == 0 else 0)
            words_w = sum(t[2] for t in line)
            natural = words_w + space * (len(line) - 1)
            gap = space
            if align == "J" and number < len(lines) - 1 and len(line) > 1:
                gap = (available - words_w) / (len(line) - 1)
                if gap > space * 3:  # a long unbreakable word (a link): ragged rather than stretched
                    gap = space
            elif align == "C":
                start += (available - natural) / 2
            baseline = y + line_height / 2 + size * 0.3528 * 0.35
            cursor = start
            if gap == space:  # not stretched: one text call per run of words in the same style
                index = 0
                while index < len(line):
                    style = line[index][1]
                    end = index
                    while end + 1 < len(line) and line[end + 1][1] == style:
                        end += 1
                    chunk = line[index:end + 1]
                    self.set_font(style, size)
                    pdf.text(cursor, baseline, " ".join(t[0] for t in chunk))
                    cursor += sum(t[2] for t in chunk) + space * len(chunk)
                    index = end + 1
            else:
                for word, style, w in line:
                    self.set_font(style, size)
                    pdf.text(cursor, baseline, word)
                    cursor += w + gap
            last = (start, natural)
            pdf.set_y(y + line_height)
        return last

    def rule(self, x: float, width: float, fraction: float = 1.0) -> None:
        y = self.pdf.get_y() + 0.2
        self.pdf.set_line_width(0.3)
        inner = width * fraction
        self.pdf.line(x + (width - inner) / 2, y, x + (width + inner) / 2, y)


def letters_pdf(letters: list[Letter]) -> bytes:
    """The letters as one PDF, A4 portrait, Liberation Serif (metric-compatible with Times New Roman)."""
    writer = _PdfWriter()
    pdf = writer.pdf
    left, width = 30.0, 210 - 30 - 15
    left_w = 68.0
    right_x, right_w = left + left_w, width - left_w
    for letter in letters:
        pdf.add_page()
        top = pdf.get_y()
        if letter.parent_name:
            writer.paragraph([(letter.parent_name, "")], left, left_w, size=12, line_height=5.5, align="C")
        x, w = writer.paragraph([(letter.host_name, "B")], left, left_w, size=12, line_height=5.5, align="C")
        writer.rule(x, w, 0.4)
        pdf.set_y(pdf.get_y() + 2.5)
        writer.paragraph([("Số:", ""), ("\u2003\u2003/GM-" + letter.number_symbol.rsplit("/GM-", 1)[-1], "")],
                         left, left_w, align="C")
        left_bottom = pdf.get_y()
        pdf.set_y(top)
        writer.paragraph([(NATIONAL_TITLE, "B")], right_x, right_w, size=12, line_height=5.5, align="C")
        x, w = writer.paragraph([(MOTTO, "B")], right_x, right_w, line_height=6, align="C")
        writer.rule(x, w)
        pdf.set_y(pdf.get_y() + 2.5)
        writer.paragraph([(letter.place_date, "I")], right_x, right_w, align="C")
        pdf.set_y(max(left_bottom, pdf.get_y()) + 8)
        writer.paragraph([("GIẤY MỜI", "B")], left, width, size=14, line_height=7, align="C")
        writer.paragraph([(letter.summary, "B")], left, width, align="C")
        pdf.set_y(pdf.get_y() + 3)
        writer.paragraph([("Kính gửi:", ""), (letter.addressee, "B")], left, width, align="C")
        pdf.set_y(pdf.get_y() + 3)
        writer.paragraph([(letter.invite_line, "")], left, width, indent=10)
        for label, value in letter.body:
            for number, chunk in enumerate(value.split("\n")):
                runs = [(f"{label}:", "B"), (chunk, "")] if number == 0 else [(chunk, "")]
                writer.paragraph(runs, left, width, indent=10)
            pdf.set_y(pdf.get_y() + 1)
        if pdf.get_y() > 297 - 20 - 90:
            pdf.add_page()
        y = pdf.get_y() + 1
        pdf.image(io.BytesIO(qr_png(letter.rsvp_url, box_size=4)), x=left + width / 2 - 14, y=y, w=28, h=28)
        pdf.set_y(y + 28.5)
        writer.paragraph([("Mã QR xác nhận tham dự", "I")], left, width, size=10, line_height=5, align="C")
        pdf.set_y(pdf.get_y() + 1)
        writer.paragraph([(letter.closing, "")], left, width, indent=10)
        pdf.set_y(pdf.get_y() + 4)
        top = pdf.get_y()
        writer.paragraph([("Nơi nhận:", "B")], left, 80, size=12, line_height=6, align="L")
        for line in letter.recipients:
            writer.paragraph([(f"- {line}", "")], left, 80, size=11, line_height=5, align="L")
        pdf.set_y(top)
        if letter.signer_authority:
            writer.paragraph([(letter.signer_authority, "B")], left + 75, width - 75, align="C")
        writer.paragraph([(letter.signer_title, "B")], left + 75, width - 75, align="C")
        pdf.set_y(pdf.get_y() + 22)
        writer.paragraph([(letter.signer_name, "B")], left + 75, width - 75, align="C")
    return bytes(pdf.output())
