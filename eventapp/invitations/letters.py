"""Printed invitation letters (giấy mời, Mẫu 1.7 of Decree 30/2020/NĐ-CP): the content of each letter, and
the same letters as .docx (python-docx) and PDF (fpdf2 with the vendored Liberation Serif font)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from .. import audit, text, vntime
from ..extensions import db
from ..issuer import (
    Letterhead,
    document_number,
    issued_document,
    letterhead_for,
    place_and_date,
    save_issued_document,
)
from ..models import Agency, AgencyGroup, Conference, Invitation, InvitationKind, IssuedDocument
from ..qr import qr_png
from ..web import public_url
from .services import rsvp_url

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Item:
    """A labelled part of the body ("Thời gian: ..."); a part of several lines lists them as paragraphs of their
    own under the label ("Nội dung:", then "- ...;" each)."""

    label: str
    lines: tuple[str, ...]

    @property
    def inline(self) -> str:
        """The text that follows the label on its own line ("" when the items go below it)."""
        return self.lines[0] if len(self.lines) == 1 else ""

    @property
    def below(self) -> tuple[str, ...]:
        return () if len(self.lines) == 1 else self.lines


@dataclass
class Letter:
    """Every line of one giấy mời, ready for HTML, .docx and PDF."""

    invitation_id: int
    #: (parent agency, agency) per issuing agency, in capitals; two for a joint invitation.
    issuers: list[tuple[str, str]]
    number_symbol: str
    place_date: str
    summary: str
    #: The "Kính gửi" line of a letter to an agency; a letter to a person names them once, in ``invite_line``.
    addressee: str
    invite_line: str
    items: list[Item]
    rsvp_line: str
    contact_line: str
    rsvp_url: str
    short_url: str
    closing: str
    signer_authority: str
    signer_title: str
    signer_name: str
    #: Who the letter is for, in the page's title and the file's name.
    whom: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def beside_qr(self) -> list[Item]:
        """"Xác nhận tham dự" and "Liên hệ", printed beside the QR code."""
        parts = [("Xác nhận tham dự", self.rsvp_line), ("Liên hệ", self.contact_line)]
        return [Item(label, (value,)) for label, value in parts if value]


@dataclass
class LetterBatch:
    """The letters of a conference, the invitations the host writes no letter to, and what to warn about."""

    letters: list[Letter]
    withheld: list[Invitation]
    issued: IssuedDocument | None
    warnings: list[str]


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


def _words(value: str) -> list[str]:
    return value.split()


def position_at(position: str, agency_name: str) -> str:
    """"<position>, <agency>" without naming the agency twice: a position that already names it (or names it
    without its province: "Phó Giám đốc Sở Y tế" of "Sở Y tế tỉnh Bắc Giang") ends with the agency's full name."""
    if not agency_name or not position:
        return position or agency_name
    agency_key = text.unaccent(agency_name)
    if agency_key in text.unaccent(position):
        return position
    words = _words(position)
    first = text.unaccent(agency_name.split()[0])
    for index, word in enumerate(words):
        tail = text.unaccent(" ".join(words[index:]))
        if text.unaccent(word) == first and (agency_key == tail or agency_key.startswith(tail + " ")):
            return " ".join(words[:index] + [agency_name])
    return f"{position}, {agency_name}"


#: Words of a role that only say what kind of body the agency is ("Đại diện lãnh đạo doanh nghiệp" + "Công ty
#: …"): the agency's own name says it, so they are dropped before it.
_KIND_WORDS = ("doanh nghiệp", "cơ quan", "đơn vị")
PRESS_ACTION = "dự, đưa tin"


def delegation(role: str, agency_name: str, press: bool = False) -> str:
    """Whom an agency is asked to send, with the agency named once: "Đại diện lãnh đạo Công ty …",
    "Công chức các phòng thuộc Sở Y tế" (not "Sở Sở"), "Phóng viên Báo Bắc Giang dự, đưa tin"."""
    role = " ".join(_words(role)) or ("Phóng viên" if press else "Đại diện lãnh đạo")
    action = ""
    if text.unaccent(role).endswith(text.unaccent(PRESS_ACTION)):
        role, action = role[: -len(PRESS_ACTION)].rstrip(" ,"), f" {PRESS_ACTION}"
    elif press:
        action = f" {PRESS_ACTION}"
    words = _words(role)
    first = text.unaccent(agency_name.split()[0]) if agency_name.split() else ""
    changed = True
    while changed and len(words) > 1:
        changed = False
        for kind in _KIND_WORDS:
            size = len(kind.split())
            if text.unaccent(" ".join(words[-size:])) == text.unaccent(kind) and len(words) > size:
                words, changed = words[:-size], True
        if len(words) > 1 and text.unaccent(words[-1]) == first:
            words, changed = words[:-1], True
    return f"{' '.join(words)} {agency_name}{action}"


def _is_press(agency: Agency | None) -> bool:
    return agency is not None and "bao chi" in text.unaccent(agency.group.name if agency.group else "")


def salutation(invitation: Invitation) -> str:
    """"Đồng chí" for people of an agency group the host addresses so, "Ông/Bà" otherwise."""
    group = invitation.agency.group if invitation.agency else None
    return "Đồng chí" if group is not None and group.address_as_comrade else "Ông/Bà"


def _addressing(invitation: Invitation) -> tuple[str, str, str]:
    """(the Kính gửi line, whom the letter invites, the closing line) of an invitation."""
    agency: Agency | None = invitation.agency
    seats = f" ({invitation.seats:02d} người)" if invitation.seats > 1 else ""
    if invitation.kind == InvitationKind.AGENCY and agency is not None:
        press = _is_press(agency)
        if invitation.invitee_name:
            person = f"{salutation(invitation)} {invitation.invitee_name}"
            who = f"{person}, {position_at(invitation.invitee_position, agency.name)}"
        else:
            who = delegation(invitation.role_text, agency.name, press)
        closing = ("Rất mong Quý cơ quan cử phóng viên dự, đưa tin./." if press
                   else "Rất mong Quý cơ quan cử đại biểu tham dự đúng thành phần, thời gian./.")
        return agency.name, who + seats, closing
    title = salutation(invitation)
    who = f"{title} {invitation.invitee_name}"
    where = position_at(invitation.invitee_position, agency.name if agency else "")
    if where:
        who += f", {where}"
    return "", who, f"Rất mong {title} sắp xếp thời gian tham dự./."


def is_host_side(invitation: Invitation, conference: Conference, letterhead: Letterhead) -> bool:
    """Whether the invitation is of the host itself: one of the issuing agencies or its people, the chair, the
    signer. The host writes them no giấy mời (they get their tasks, or an internal notice)."""
    issuers = {text.unaccent(issuer.name) for issuer in letterhead.issuers}
    if invitation.agency is not None and text.unaccent(invitation.agency.name) in issuers:
        return True
    if invitation.kind != InvitationKind.PERSON:
        return False
    person = text.unaccent(invitation.invitee_name)
    return bool(person) and (person == text.unaccent(letterhead.signer_name)
                             or person in text.unaccent(conference.chair))


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.nfc_block(value).split("\n") if line.strip())


def short_url(invitation: Invitation) -> str:
    """The link printed beside the QR for a person to type: the host and ``/m/<code>``, without "https://"."""
    url = public_url("rsvp.short_link", code=invitation.short_code)
    return url.removeprefix("https://")


def build_letter(invitation: Invitation, conference: Conference, letterhead: Letterhead,
                 issued: IssuedDocument | None) -> Letter:
    """The content of the giấy mời of one invitation."""
    department = conference.lead_department.abbreviation if conference.lead_department else "VP"
    addressee, who, closing = _addressing(invitation)
    deadline = ""
    if conference.rsvp_deadline:
        local = vntime.to_local(conference.rsvp_deadline)
        deadline = f" trước {local.hour:02d} giờ {local.minute:02d} phút ngày {vntime.format_date(local)}"
    typed = short_url(invitation)
    phone = f", hoặc gọi điện thoại {text.format_phone(conference.contact_phone)}" if conference.contact_phone else ""
    rsvp_line = f"Đề nghị xác nhận{deadline}: quét mã QR bên cạnh, hoặc mở {typed}{phone}."
    contact = [conference.contact_name] if conference.contact_name else []
    if conference.contact_phone:
        contact.append(f"điện thoại {text.format_phone(conference.contact_phone)}")
    if conference.contact_email:
        contact.append(f"email {conference.contact_email}")
    title = conference.title.rstrip(".")
    parts = [("Tới dự", (f"{title}.",)), ("Chủ trì", (f"{conference.chair.rstrip('.')}.",) if conference.chair else ()),
             ("Thời gian", (_time_line(conference),)), ("Địa điểm", (_venue_line(conference),)),
             ("Nội dung", _lines(conference.content)), ("Đề nghị chuẩn bị", _lines(conference.preparation))]
    issuer = letterhead.issuer
    return Letter(
        invitation_id=invitation.id,
        issuers=[(i.parent_name.upper(), i.name.upper()) for i in letterhead.issuers],
        number_symbol=document_number(issued, "GM", letterhead),
        place_date=place_and_date(issued, letterhead),
        summary=f"Dự {title}",
        addressee=addressee,
        invite_line=f"{' và '.join(i.name for i in letterhead.issuers) or issuer.name} trân trọng kính mời: {who}.",
        items=[Item(label, lines) for label, lines in parts if lines],
        rsvp_line=rsvp_line,
        contact_line=(", ".join(contact) + ".") if contact else "",
        rsvp_url=rsvp_url(invitation),
        short_url=typed,
        closing=closing,
        signer_authority=letterhead.signer_authority.upper(),
        signer_title=letterhead.signer_title.upper(),
        signer_name=letterhead.signer_name,
        whom=addressee or who,
        # A letter to a person has no "Kính gửi" for "Như trên" to point at: it names them.
        recipients=["Như trên;" if addressee else f"{salutation(invitation)} {invitation.invitee_name};",
                    f"Lưu: VT, {department}."],
    )


def _ordered_invitations(conference: Conference, invitation_ids: list[int] | None) -> list[Invitation]:
    """The invitations in the order of the list: by agency group, then agency in Vietnamese order."""
    from .services import _line_key, collate_key, invitation_query

    query = invitation_query(conference.id)
    if invitation_ids is not None:
        query = query.where(Invitation.id.in_(invitation_ids))
    invitations = db.session.scalars(query).unique().all()

    def key(invitation: Invitation):
        group = invitation.agency.group if invitation.agency else None
        return (group.position if group else 10**9, collate_key(group.name) if group else (), _line_key(invitation))

    return sorted(invitations, key=key)


def letter_batch(conference: Conference, invitation_ids: list[int] | None = None) -> LetterBatch:
    """The letters of a conference's list (or of some invitations), in the order of the list, the invitations of
    the host itself that get none, and the warnings the organizer must see before printing."""
    letterhead = letterhead_for(conference)
    issued = issued_document(conference, "giay_moi")
    letters, withheld = [], []
    for invitation in _ordered_invitations(conference, invitation_ids):
        if is_host_side(invitation, conference, letterhead):
            withheld.append(invitation)
        else:
            letters.append(build_letter(invitation, conference, letterhead, issued))
    return LetterBatch(letters, withheld, issued, batch_warnings(conference, issued))


def letters_for(conference: Conference, invitation_ids: list[int] | None = None) -> list[Letter]:
    """The letters to print for a conference's list (or some invitations); none for the host's own people."""
    return letter_batch(conference, invitation_ids).letters


def batch_warnings(conference: Conference, issued: IssuedDocument | None) -> list[str]:
    """What to fix before printing: a signing day under 3 working days before the meeting (Decision 45/2018), no
    number or day yet, links that would point at this computer."""
    warnings = []
    meeting = vntime.to_local(conference.starts_at).date()
    if issued is None or not issued.signed_on:
        warnings.append("Chưa có ngày ký: giấy mời in chỗ trống để văn thư ghi tay ngày ký.")
    elif issued.signed_on > meeting:
        warnings.append(f"Ngày ký {vntime.format_date(issued.signed_on)} sau ngày họp "
                        f"{vntime.format_date(meeting)}.")
    elif vntime.working_days_between(issued.signed_on, meeting) < 3:
        warnings.append(f"Ngày ký {vntime.format_date(issued.signed_on)} cách ngày họp {vntime.format_date(meeting)} "
                        "chưa đủ 3 ngày làm việc (Quyết định 45/2018/QĐ-TTg); hạn gửi giấy mời muộn nhất là ngày "
                        f"{vntime.format_date(vntime.invitation_deadline(meeting))}.")
    host = (urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "").lower()
    if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0") or host.endswith(".localhost"):
        warnings.append(f"Địa chỉ công khai (PUBLIC_BASE_URL) đang là {current_app.config['PUBLIC_BASE_URL']}: "
                        "mã QR và đường liên kết trên giấy mời chỉ mở được trên máy này. Đặt địa chỉ thật trước "
                        "khi in.")
    return warnings


def save_letter_number(conference: Conference, number: str, signed_on, user_id: int | None) -> IssuedDocument:
    """Remember the clerk's number and signing day of the conference's giấy mời, with an audit entry."""
    audit.record("letters.number", f"Ghi số, ngày ký giấy mời «{conference.title}»", entity=conference,
                 conference_id=conference.id, number=number, signed_on=signed_on.isoformat() if signed_on else "")
    return save_issued_document(conference, "giay_moi", number, signed_on, user_id)


def save_comrade_groups(group_ids: list[int]) -> None:
    """Address the people of the given agency groups as "Đồng chí", those of the other groups as "Ông/Bà"."""
    chosen = set(group_ids)
    for group in db.session.scalars(sa.select(AgencyGroup)):
        group.address_as_comrade = group.id in chosen
    audit.record("letters.salutation", "Chọn nhóm cơ quan xưng hô «Đồng chí» trên giấy mời",
                 groups=sorted(chosen))
    db.session.commit()


# --- .docx ------------------------------------------------------------------------------------------

#: The parts that differ between the letters of one conference: the first letter is written with tokens in
#: their place, then copied for each letter with the tokens replaced (a batch of hundreds stays fast).
_TOKENS = {"addressee": "\u27e6ADDRESSEE\u27e7", "invite_line": "\u27e6INVITE\u27e7",
           "rsvp_line": "\u27e6RSVP\u27e7", "closing": "\u27e6CLOSING\u27e7"}
PAGE_W, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 210, 30, 15, 20, 20
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
#: The header's columns: the agency's (Decree 30 puts it left, the national title right), in mm.
HEAD_LEFT_W, JOINT_W = 70, TEXT_W / 2
#: The QR code printed beside "Xác nhận tham dự", in mm.
QR_MM = 24.0


def _docx_paragraph(container, content="", *, bold=False, italic=False, size=None, align=None, underline=False,
                    space_before=0, space_after=0, indent=False):
    """A paragraph of one run; "indent" gives the body's first-line indent (1 cm)."""
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before = Pt(space_before)
    p.paragraph_format.space_after = Pt(space_after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if content:
        run = p.add_run(content)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    return p


def _docx_short_rule(cell, width_mm: float, fraction: float = 0.35) -> None:
    """The short line under an agency's name (a third of the name, centred): an empty paragraph with a bottom
    border, narrowed by its indents."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = _docx_paragraph(cell, align=WD_ALIGN_PARAGRAPH.CENTER)
    side = width_mm * (1 - fraction) / 2
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)


def _docx_table(document, widths_mm: list[float]):
    """A borderless table whose grid and cells have the given widths (Word and LibreOffice read the grid)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths_mm, strict=True):
        column.width = cell.width = Mm(width)
    return table


def _docx_issuer(cell, parent: str, name: str, width_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    first = cell.paragraphs[0]
    first.alignment = center
    if parent:
        first.add_run(parent)
        _docx_paragraph(cell, name, bold=True, align=center)
    else:
        first.add_run(name).bold = True
    _docx_short_rule(cell, width_mm)


def _docx_header(document, letter: Letter) -> None:
    """Decree 30's header: the issuing agency (or two, side by side) and its number; the national title, the
    motto and the place and date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    if len(letter.issuers) > 1:
        agencies = _docx_table(document, [JOINT_W, JOINT_W])
        for cell, (parent, name) in zip(agencies.rows[0].cells, letter.issuers, strict=False):
            _docx_issuer(cell, parent, name, JOINT_W)
        _docx_paragraph(document, NATIONAL_TITLE, bold=True, size=12, align=center, space_before=6)
        _docx_paragraph(document, MOTTO, bold=True, align=center, underline=True)
        row = _docx_table(document, [HEAD_LEFT_W, TEXT_W - HEAD_LEFT_W])
        left, right = row.rows[0].cells
        left.paragraphs[0].alignment = center
        left.paragraphs[0].add_run(letter.number_symbol)
        right.paragraphs[0].alignment = center
        right.paragraphs[0].add_run(letter.place_date).italic = True
        return
    header = _docx_table(document, [HEAD_LEFT_W, TEXT_W - HEAD_LEFT_W])
    left, right = header.rows[0].cells
    parent, name = letter.issuers[0]
    _docx_issuer(left, parent, name, HEAD_LEFT_W)
    _docx_paragraph(left, letter.number_symbol, align=center, space_before=4)
    right.paragraphs[0].alignment = center
    title = right.paragraphs[0].add_run(NATIONAL_TITLE)
    title.bold, title.font.size = True, Pt(12)
    _docx_paragraph(right, MOTTO, bold=True, align=center, underline=True)
    _docx_paragraph(right, letter.place_date, italic=True, align=center, space_before=8)


def _docx_body(document, letter: Letter) -> None:
    """The body: each labelled part a paragraph, each of its items a paragraph of its own (left-aligned items, so
    a short last line is never stretched); the RSVP part beside the QR."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    _docx_paragraph(document, letter.invite_line, align=justify, indent=True, space_after=3)
    for item in letter.items:
        _docx_item(document, item)
    _docx_rsvp(document, letter)


def _docx_item(container, item: Item, first=None, align=None) -> None:
    """"Label: text", or "Label:" then each of its lines a paragraph of its own (a list's items are never run
    together into one stretched paragraph)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = first or _docx_paragraph(container)
    if align is None:
        align = WD_ALIGN_PARAGRAPH.JUSTIFY if item.inline else WD_ALIGN_PARAGRAPH.LEFT
    p.alignment = align
    p.paragraph_format.first_line_indent = Mm(10)
    p.paragraph_format.space_after = Pt(2)
    p.add_run(f"{item.label}: ").bold = True
    if item.inline:
        p.add_run(item.inline)
    for line in item.below:
        _docx_paragraph(container, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=2)


def _docx_rsvp(document, letter: Letter) -> None:
    """"Xác nhận tham dự" and "Liên hệ" in a borderless table beside the QR code."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = _docx_table(document, [TEXT_W - QR_MM - 4, QR_MM + 4])
    words, qr = table.rows[0].cells
    for number, item in enumerate(letter.beside_qr):
        # Left-aligned: the link cannot break, and a justified line before it would be stretched.
        _docx_item(words, item, first=words.paragraphs[0] if number == 0 else None, align=WD_ALIGN_PARAGRAPH.LEFT)
    qr.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    qr.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(letter.rsvp_url, box_size=6)), width=Mm(QR_MM))


def _docx_footer(document, letter: Letter) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    _docx_paragraph(document, letter.closing, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=8)
    footer = _docx_table(document, [TEXT_W - 95, 95])
    left, right = footer.rows[0].cells
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in letter.recipients:
        _docx_paragraph(left, f"- {line}", size=11)
    right.paragraphs[0].alignment = center
    right.paragraphs[0].add_run(letter.signer_authority or letter.signer_title).bold = True
    if letter.signer_authority:
        _docx_paragraph(right, letter.signer_title, bold=True, align=center)
    _docx_paragraph(right, "", align=center, space_after=48)
    _docx_paragraph(right, letter.signer_name, bold=True, align=center)


def _docx_letter(document, letter: Letter) -> None:
    """Write one letter at the end of a python-docx document."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _docx_header(document, letter)
    _docx_paragraph(document, "GIẤY MỜI", bold=True, size=14, align=center, space_before=12)
    _docx_paragraph(document, letter.summary, bold=True, align=center, space_after=6)
    if letter.addressee:
        kinh_gui = _docx_paragraph(document, align=center, space_after=6)
        kinh_gui.add_run("Kính gửi: ")
        kinh_gui.add_run(letter.addressee).bold = True
    _docx_body(document, letter)
    _docx_footer(document, letter)


def _docx_page_numbers(section) -> None:
    """Pages from the second of a letter numbered at the top, centred (Decree 30/2020, Appendix I): a PAGE field
    in the header, none on the first page, the count restarting with each letter's section."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _docx_document():
    """An empty A4 portrait document in Times New Roman 13, with Decree 30's margins and page numbers."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.element.rPr.rFonts.set(qn("w:cs"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance = Mm(10)
    _docx_page_numbers(section)
    return document


def letters_docx(letters: list[Letter]) -> bytes:
    """The letters as one Word document, A4 portrait, Times New Roman, each letter a section of its own (its
    pages numbered from its second).

    The letters of one conference differ only in the addressee, the invitation lines and the QR: the first
    letter is written with python-docx, then copied as XML for each letter with those parts replaced."""
    import copy
    import dataclasses

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = _docx_document()
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    if not letters:
        return _docx_bytes(document)
    _docx_letter(document, dataclasses.replace(letters[0], **_TOKENS))
    section_properties = body.find(qn("w:sectPr"))
    template = [element for element in body if element is not section_properties]
    for element in template:
        body.remove(element)
    body.remove(section_properties)
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
            if not letter.addressee and any((n.text or "").startswith("Kính gửi") for n in clone.iter(text_tag)):
                continue
            for blip in clone.iter(blip_tag):
                blip.set(embed, image_id)
            body.append(clone)
        if number < len(letters) - 1:
            # A section break ends each letter: the next one starts a page, its numbers from 1 again.
            paragraph = OxmlElement("w:p")
            properties = OxmlElement("w:pPr")
            properties.append(copy.deepcopy(section_properties))
            paragraph.append(properties)
            body.append(paragraph)
    body.append(section_properties)
    return _docx_bytes(document)


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------

#: The body's line height in mm (13 pt Times at about 1.3 lines: one page holds the usual letter).
LINE_H = 5.5
#: Room for the signature and the seal.
SIGNATURE_MM = 20.0

class _PdfWriter:
    """Lays out paragraphs itself (word widths cached) so that a batch of hundreds of letters stays fast:
    fpdf2's own line breaking measures the line again for every character added. A letter that runs past its
    first page numbers its next pages at the top, centred."""

    PAGE_H, BOTTOM = 297.0, 20.0

    def __init__(self):
        from fpdf import FPDF

        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        pdf.set_auto_page_break(False)
        pdf.add_font("Serif", "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
        pdf.add_font("Serif", "B", str(FONT_DIR / "LiberationSerif-Bold.ttf"))
        pdf.add_font("Serif", "I", str(FONT_DIR / "LiberationSerif-Italic.ttf"))
        pdf.add_font("Serif", "BI", str(FONT_DIR / "LiberationSerif-BoldItalic.ttf"))
        pdf.set_title("Giấy mời")
        pdf.set_creator("eventapp")
        self.pdf = pdf
        self.widths: dict[tuple[str, str, float], float] = {}
        self.font: tuple[str, float] | None = None
        self.first_page = 1

    def start_document(self) -> None:
        """A new letter: a new page, and its page numbers count from it."""
        self.pdf.add_page()
        self.first_page = self.pdf.page

    def new_page(self) -> None:
        self.pdf.add_page()
        self.set_font("", 13)
        number = str(self.pdf.page - self.first_page + 1)
        self.pdf.text(MARGIN_LEFT + (TEXT_W - self.width(number, "", 13)) / 2, 12, number)

    def room(self, height: float) -> None:
        """Go on to a new page unless ``height`` mm fit on this one (keeps a block together)."""
        if self.pdf.get_y() + height > self.PAGE_H - self.BOTTOM:
            self.new_page()

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

    def lines(self, runs: list[tuple[str, str]], width: float, size: float, indent: float) -> list[list]:
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
        return lines

    def height(self, runs, width: float, *, size: float = 13, line_height: float = LINE_H, indent: float = 0) -> float:
        return len(self.lines(runs, width, size, indent)) * line_height

    def paragraph(self, runs: list[tuple[str, str]], x: float, width: float, *, size: float = 13,
                  line_height: float = 0, indent: float = 0, align: str = "J") -> tuple[float, float]:
        """Write ``runs`` ((text, style) pairs) wrapped in ``width``; returns (x, width) of the last line."""
        line_height = line_height or LINE_H
        lines = self.lines(runs, width, size, indent)
        space = self.width(" ", "", size)
        pdf = self.pdf
        last = (x, 0.0)
        for number, line in enumerate(lines):
            if pdf.get_y() + line_height > self.PAGE_H - self.BOTTOM:
                self.new_page()
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
            self._write_line(line, start, baseline, gap, space, size)
            last = (start, natural)
            pdf.set_y(y + line_height)
        return last

    def _write_line(self, line, start: float, baseline: float, gap: float, space: float, size: float) -> None:
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
                self.pdf.text(cursor, baseline, " ".join(t[0] for t in chunk))
                cursor += sum(t[2] for t in chunk) + space * len(chunk)
                index = end + 1
            return
        for word, style, w in line:
            self.set_font(style, size)
            self.pdf.text(cursor, baseline, word)
            cursor += w + gap

    def rule(self, x: float, width: float, fraction: float = 1.0) -> None:
        y = self.pdf.get_y() + 0.2
        self.pdf.set_line_width(0.3)
        inner = width * fraction
        self.pdf.line(x + (width - inner) / 2, y, x + (width + inner) / 2, y)


def _pdf_issuer(writer: _PdfWriter, parent: str, name: str, x: float, width: float) -> None:
    if parent:
        writer.paragraph([(parent, "")], x, width, size=12, line_height=5.5, align="C")
    writer.paragraph([(name, "B")], x, width, size=12, line_height=5.5, align="C")
    longest = max(writer.width(name, "B", 12), 1.0)
    writer.rule(x, width, min(longest, width) / width * 0.35)


def _pdf_header(writer: _PdfWriter, letter: Letter) -> None:
    pdf = writer.pdf
    left = MARGIN_LEFT
    top = pdf.get_y()
    if len(letter.issuers) > 1:
        bottoms = []
        for number, (parent, name) in enumerate(letter.issuers[:2]):
            pdf.set_y(top)
            _pdf_issuer(writer, parent, name, left + number * JOINT_W, JOINT_W)
            bottoms.append(pdf.get_y())
        pdf.set_y(max(bottoms) + 4)
        writer.paragraph([(NATIONAL_TITLE, "B")], left, TEXT_W, size=12, line_height=5.5, align="C")
        x, w = writer.paragraph([(MOTTO, "B")], left, TEXT_W, line_height=6, align="C")
        writer.rule(x, w)
        pdf.set_y(pdf.get_y() + 3)
        row = pdf.get_y()
        writer.paragraph([(letter.number_symbol, "")], left, HEAD_LEFT_W, align="C")
        pdf.set_y(row)
        writer.paragraph([(letter.place_date, "I")], left + HEAD_LEFT_W, TEXT_W - HEAD_LEFT_W, align="C")
        return
    right_x, right_w = left + HEAD_LEFT_W, TEXT_W - HEAD_LEFT_W
    parent, name = letter.issuers[0]
    _pdf_issuer(writer, parent, name, left, HEAD_LEFT_W)
    pdf.set_y(pdf.get_y() + 2.5)
    writer.paragraph([(letter.number_symbol, "")], left, HEAD_LEFT_W, align="C")
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    writer.paragraph([(NATIONAL_TITLE, "B")], right_x, right_w, size=12, line_height=5.5, align="C")
    x, w = writer.paragraph([(MOTTO, "B")], right_x, right_w, line_height=6, align="C")
    writer.rule(x, w)
    pdf.set_y(pdf.get_y() + 2.5)
    writer.paragraph([(letter.place_date, "I")], right_x, right_w, align="C")
    pdf.set_y(max(left_bottom, pdf.get_y()))


def _pdf_item(writer: _PdfWriter, item: Item, width: float, align: str = "J") -> None:
    writer.paragraph([(f"{item.label}:", "B"), (item.inline, "")], MARGIN_LEFT, width, indent=10, align=align)
    for line in item.below:
        writer.paragraph([(line, "")], MARGIN_LEFT, width, indent=10)


def _pdf_rsvp(writer: _PdfWriter, letter: Letter) -> None:
    """"Xác nhận tham dự" and "Liên hệ" beside the QR code, kept together on one page."""
    pdf = writer.pdf
    words_w = TEXT_W - QR_MM - 4
    height = sum(writer.height([(f"{i.label}:", "B"), (" ".join(i.lines), "")], words_w, indent=10)
                 for i in letter.beside_qr)
    writer.room(max(height, QR_MM) + 1)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(letter.rsvp_url, box_size=4)), x=MARGIN_LEFT + TEXT_W - QR_MM, y=top + 0.5,
              w=QR_MM, h=QR_MM)
    for item in letter.beside_qr:
        _pdf_item(writer, item, words_w, align="L")  # as in the .docx: the link cannot break
    pdf.set_y(max(pdf.get_y(), top + QR_MM + 1))


def _pdf_footer(writer: _PdfWriter, letter: Letter) -> None:
    """The closing line, "Nơi nhận" and the signature block, kept together."""
    pdf = writer.pdf
    left = MARGIN_LEFT
    signer_x, signer_w = left + TEXT_W - 95, 95.0
    signer_lines = 3 if letter.signer_authority else 2
    writer.room(writer.height([(letter.closing, "")], TEXT_W, indent=10) + 2 + signer_lines * LINE_H + SIGNATURE_MM)
    writer.paragraph([(letter.closing, "")], left, TEXT_W, indent=10)
    pdf.set_y(pdf.get_y() + 2)
    top = pdf.get_y()
    writer.paragraph([("Nơi nhận:", "BI")], left, TEXT_W - 95, size=12, line_height=5.5, align="L")
    for line in letter.recipients:
        writer.paragraph([(f"- {line}", "")], left, TEXT_W - 95, size=11, line_height=5, align="L")
    pdf.set_y(top)
    if letter.signer_authority:
        writer.paragraph([(letter.signer_authority, "B")], signer_x, signer_w, align="C")
    writer.paragraph([(letter.signer_title, "B")], signer_x, signer_w, align="C")
    pdf.set_y(pdf.get_y() + SIGNATURE_MM)
    writer.paragraph([(letter.signer_name, "B")], signer_x, signer_w, align="C")


def _pdf_letter(writer: _PdfWriter, letter: Letter) -> None:
    pdf = writer.pdf
    left = MARGIN_LEFT
    writer.start_document()
    _pdf_header(writer, letter)
    pdf.set_y(pdf.get_y() + 5)
    writer.paragraph([("GIẤY MỜI", "B")], left, TEXT_W, size=14, line_height=7, align="C")
    writer.paragraph([(letter.summary, "B")], left, TEXT_W, align="C")
    pdf.set_y(pdf.get_y() + 2)
    if letter.addressee:
        writer.paragraph([("Kính gửi:", ""), (letter.addressee, "B")], left, TEXT_W, align="C")
        pdf.set_y(pdf.get_y() + 2)
    writer.paragraph([(letter.invite_line, "")], left, TEXT_W, indent=10)
    for item in letter.items:
        _pdf_item(writer, item, TEXT_W)
    _pdf_rsvp(writer, letter)
    _pdf_footer(writer, letter)


def letters_pdf(letters: list[Letter]) -> bytes:
    """The letters as one PDF, A4 portrait, in Liberation Serif (embedded; metric-compatible with Times New
    Roman, which may not be shipped): the usual letter on one page, a longer one numbered from its second."""
    writer = _PdfWriter()
    for letter in letters:
        _pdf_letter(writer, letter)
    return bytes(writer.pdf.output())
