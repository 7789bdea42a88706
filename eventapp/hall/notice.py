"""The Thông báo kết luận as a document (Decree 30/2020/NĐ-CP, Appendix I): its content from the conclusions,
and the same document as .docx (python-docx, Times New Roman) and PDF (fpdf2, Liberation Serif, metric-
compatible with Times New Roman, which cannot be shipped).

Layout as a Văn phòng files it: A4 portrait, margins 20/20/30/15 mm; the parent agency over the issuing
agency with a short line under it, the number and symbol beneath; the national title over the motto
underlined, the place and date in italics; the document's name and summary; the body; "Nơi nhận:" in bold
italics with its list, the signer's authority, title and name; pages numbered from the second, centred in
the top margin. The number and the date are the clerk's: until given they stay blank to be written by hand.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import vntime
from ..documents.docx_writer import fixed_widths, short_rule
from ..issuer import letterhead_for
from ..models import Conference
from . import attendance, conclusions

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK = "\u2003\u2003"


@dataclass
class NoticeDocument:
    """Every line of the notice, ready for .docx and PDF."""

    parent_name: str
    host_name: str
    number_symbol: str
    place_date: str
    summary: str
    opening: list[str]
    sections: list[tuple[str, list[str]]]
    closing: str
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole notice as plain text (what a reader of the PDF or .docx finds in it)."""
        parts = [self.parent_name, self.host_name, self.number_symbol, NATIONAL_TITLE, MOTTO, self.place_date,
                 "THÔNG BÁO", self.summary, *self.opening]
        for heading, paragraphs in self.sections:
            parts += [heading, *paragraphs]
        parts += [self.closing, "Nơi nhận:", *self.recipients, self.signer_authority, self.signer_title,
                  self.signer_name]
        return "\n".join(p for p in parts if p)


def _chair_phrase(chair: str) -> str:
    """"Đồng chí Lê Quang Thịnh, Giám đốc Sở" as it reads inside a sentence."""
    chair = chair.strip().rstrip(".")
    return "đồng chí " + chair[len("Đồng chí "):] if chair.startswith("Đồng chí ") else chair


def _place_date(place: str, issued_on: date | None, year: int) -> str:
    """"Quảng Ngãi, ngày 09 tháng 4 năm 2021", or blanks for the clerk to write the signing day."""
    if issued_on is not None:
        return vntime.long_date(place, issued_on)
    line = f"ngày{BLANK}tháng{BLANK}năm {year}"
    return f"{place}, {line}" if place else line


def _assignment_sentence(task) -> str:
    """"Giao Phòng A chủ trì, phối hợp với Phòng B thực hiện; hoàn thành trước ngày 30/06/2021."""
    sentence = f"Giao {task.lead_department.name} chủ trì"
    if task.coordinating_departments:
        sentence += ", phối hợp với " + ", ".join(d.name for d in task.coordinating_departments)
    sentence += " thực hiện"
    if task.due_date:
        sentence += f"; hoàn thành trước ngày {vntime.format_date(task.due_date)}"
    return sentence + "."


def _attendance_sentence(conference: Conference) -> str:
    """How many attended, from the attendance of the busiest day (in the hall and online)."""
    days = attendance.counts_by_day(conference)
    busiest = max(days, key=lambda c: c.present) if days else None
    if busiest is None or not busiest.present:
        return ""
    in_person, online = busiest.by_status["in_person"], busiest.by_status["online"]
    sentence = f"Tham dự Hội nghị có {busiest.present:02d} đại biểu"
    if online:
        sentence += f" ({in_person:02d} đại biểu dự trực tiếp, {online:02d} đại biểu dự trực tuyến)"
    return sentence + "."


def build_notice(conference: Conference) -> NoticeDocument:
    """The content of the conference's notice of conclusions, from its conclusions and the clerk's entries."""
    letterhead = letterhead_for(conference)
    host = letterhead.issuer
    notice = conclusions.notice_of(conference)
    rows = conclusions.conclusions_of(conference)
    meeting_day = vntime.to_local(conference.starts_at).date()
    title = conference.title.rstrip(".")
    chair = _chair_phrase(conference.chair)

    where = f", tại {conference.venue.full_name}" if conference.venue else ""
    opening = [f"{vntime.long_date('', meeting_day).capitalize()}{where}, {host.name} tổ chức {title}."]
    if chair:
        opening[0] += f" {chair[0].upper() + chair[1:]} chủ trì Hội nghị."
    attended = _attendance_sentence(conference)
    if attended:
        opening[0] += f" {attended}"
    opening.append(f"Sau khi nghe các báo cáo, tham luận và ý kiến phát biểu của đại biểu, "
                   f"{chair or 'chủ trì Hội nghị'} kết luận như sau:")

    sections = []
    for number, section in enumerate(conclusions.sections(rows), start=1):
        paragraphs = []
        for conclusion in section.conclusions:
            lines = conclusion.content.split("\n")
            if conclusion.task is not None:
                lines[-1] = f"{lines[-1].rstrip()} {_assignment_sentence(conclusion.task)}".strip()
            paragraphs += [line if line.startswith(("-", "+", "•")) else f"- {line}" for line in lines if line]
        sections.append((f"{number}. {section.heading.rstrip('.')}", paragraphs))

    involved = conclusions.departments_involved(rows)
    lead = conference.lead_department.abbreviation if conference.lead_department else "VP"
    recipients = [line for line in notice.recipients.split("\n") if line] or [f"{d.name};" for d in involved]
    if not any(line.startswith("Lưu") for line in recipients):
        recipients.append(f"Lưu: VT, {lead}.")
    number_symbol = notice.number_symbol or f"/TB-{host.abbreviation}"
    return NoticeDocument(
        parent_name=(host.parent_name or "").upper(),
        host_name=host.name.upper(),
        number_symbol=f"Số: {number_symbol}" if not number_symbol.startswith("/") else f"Số:{BLANK}{number_symbol}",
        place_date=_place_date(letterhead.place_name, notice.issued_on, max(vntime.today(), meeting_day).year),
        summary=f"Kết luận của {chair} tại {title}" if chair else f"Kết luận {title}",
        opening=opening,
        sections=sections,
        closing=f"{host.name} thông báo để các phòng, đơn vị và cá nhân liên quan biết, thực hiện./.",
        signer_authority=(notice.signer_authority or "").upper(),
        signer_title=(notice.signer_title or "").upper(),
        signer_name=notice.signer_name,
        recipients=recipients,
    )


# --- .docx --------------------------------------------------------------------------------------------

def _paragraph(container, content: str = "", *, bold=False, italic=False, underline=False, size=None,
               align=None, before=0, after=0, indent=False, first=False):
    """A paragraph of ``content`` in one run, added to ``container`` (``first``: its existing first one)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if content:
        run = p.add_run(content)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    return p


def _page_numbers_from_the_second(section) -> None:
    """A PAGE field centred in the header of every page but the first (Decree 30, Appendix I)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    header = _paragraph(section.header, first=True)
    field_, run, number = OxmlElement("w:fldSimple"), OxmlElement("w:r"), OxmlElement("w:t")
    field_.set(qn("w:instr"), "PAGE")
    number.text = "2"
    run.append(number)
    field_.append(run)
    header._p.append(field_)


def notice_docx(doc: NoticeDocument) -> bytes:
    """The notice as a Word document: A4, Times New Roman 14, the header table's widths as its cells say."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_numbers_from_the_second(section)
    justify, left_align = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT

    left_w, right_w = 70, 95
    header = document.add_table(rows=1, cols=2)
    fixed_widths(header, (left_w, right_w))
    left, right = header.rows[0].cells
    if doc.parent_name:
        _paragraph(left, doc.parent_name, size=13, first=True)
    _paragraph(left, doc.host_name, bold=True, size=13, first=not doc.parent_name)
    short_rule(left, left_w / 3, left_w)
    _paragraph(left, doc.number_symbol, size=13)
    _paragraph(right, NATIONAL_TITLE, bold=True, size=12, first=True)
    _paragraph(right, MOTTO, bold=True, size=13, underline=True)
    _paragraph(right, doc.place_date, italic=True, size=13, before=8)

    _paragraph(document, "THÔNG BÁO", bold=True, before=18)
    _paragraph(document, doc.summary, bold=True, after=4)
    short_rule(document, 41, 165, after=12)
    for line in doc.opening:
        _paragraph(document, line, align=justify, indent=True, after=6)
    for heading, paragraphs in doc.sections:
        _paragraph(document, heading, bold=True, align=justify, indent=True, after=6)
        for line in paragraphs:
            _paragraph(document, line, align=justify, indent=True, after=6)
    _paragraph(document, doc.closing, align=justify, indent=True, after=12)

    footer = document.add_table(rows=1, cols=2)
    fixed_widths(footer, (80, 85))
    left, right = footer.rows[0].cells
    _paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12, align=left_align, first=True)
    for line in doc.recipients:
        _paragraph(left, f"- {line}", size=11, align=left_align)
    if doc.signer_authority:
        _paragraph(right, doc.signer_authority, bold=True, first=True)
    _paragraph(right, doc.signer_title, bold=True, first=not doc.signer_authority)
    for _ in range(4):
        _paragraph(right)
    _paragraph(right, doc.signer_name, bold=True)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

def notice_pdf(doc: NoticeDocument) -> bytes:
    """The notice as PDF: A4, Liberation Serif (embedded), the same parts as the .docx."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Pdf(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("Serif", "", 13)
                self.set_y(10)
                self.cell(0, 6, str(self.page_no()), align="C")
                self.set_y(20)

    pdf = Pdf(orientation="P", unit="mm", format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
        pdf.add_font("Serif", style, str(FONT_DIR / f"LiberationSerif-{name}.ttf"))
    pdf.set_title("Thông báo kết luận")
    pdf.set_creator("eventapp")
    pdf.add_page()
    left, width = 30.0, 165.0
    left_w, right_x, right_w = 70.0, 100.0, 95.0
    line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def block(x, w, content, style="", size=13, height=5.8, align="C"):
        pdf.set_x(x)
        pdf.set_font("Serif", style, size)
        pdf.multi_cell(w, height, content, align=align, **line)

    def rule(x, w, fraction):
        y = pdf.get_y() + 1.2
        pdf.set_line_width(0.3)
        pdf.line(x + w * (1 - fraction) / 2, y, x + w * (1 + fraction) / 2, y)

    top = pdf.get_y()
    if doc.parent_name:
        block(left, left_w, doc.parent_name)
    block(left, left_w, doc.host_name, "B")
    rule(left, left_w, 1 / 3)
    pdf.set_y(pdf.get_y() + 3)
    block(left, left_w, doc.number_symbol)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    block(right_x, right_w, NATIONAL_TITLE, "B", 12)
    block(right_x, right_w, MOTTO, "B")
    pdf.set_font("Serif", "B", 13)
    rule(right_x + (right_w - pdf.get_string_width(MOTTO)) / 2, pdf.get_string_width(MOTTO), 1)
    pdf.set_y(pdf.get_y() + 3)
    block(right_x, right_w, doc.place_date, "I")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 9)

    block(left, width, "THÔNG BÁO", "B", 14, 7)
    block(left, width, doc.summary, "B", 14, 7)
    pdf.set_y(pdf.get_y() + 1.5)
    rule(left, width, 0.25)
    pdf.set_y(pdf.get_y() + 5)

    def body(content, style=""):
        pdf.set_font("Serif", style, 14)
        pdf.set_x(left)
        pdf.multi_cell(width, 7, "\u2003\u2003" + content, align="J", **line)
        pdf.set_y(pdf.get_y() + 1.5)

    for paragraph in doc.opening:
        body(paragraph)
    for heading, paragraphs in doc.sections:
        body(heading, "B")
        for paragraph in paragraphs:
            body(paragraph)
    body(doc.closing)
    pdf.set_y(pdf.get_y() + 4)

    needed = 12 + 5 * len(doc.recipients)
    if pdf.get_y() + max(needed, 45) > 297 - 20:
        pdf.add_page()
    top = pdf.get_y()
    block(left, 80, "Nơi nhận:", "BI", 12, 6, "L")
    for recipient in doc.recipients:
        block(left, 80, f"- {recipient}", "", 11, 5, "L")
    bottom = pdf.get_y()
    pdf.set_y(top)
    if doc.signer_authority:
        block(left + 80, width - 80, doc.signer_authority, "B", 14, 6.5)
    block(left + 80, width - 80, doc.signer_title, "B", 14, 6.5)
    pdf.set_y(pdf.get_y() + 24)
    block(left + 80, width - 80, doc.signer_name, "B", 14, 6.5)
    pdf.set_y(max(bottom, pdf.get_y()))
    return bytes(pdf.output())
