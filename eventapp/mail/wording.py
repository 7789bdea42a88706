"""The wording of the mails a conference sends to its invitees (the invitation, the reminder, the pass): a default
text, or the conference's own (``MailWording``), with ``{placeholders}`` filled for each addressee.

The text is the mail's plain part; its HTML part is the same paragraphs in the mail layout, the personal link as a
button. A line whose placeholders are all empty for an addressee (no chair, nothing to prepare) is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup, escape

from .. import text, vntime
from ..errors import UserError
from ..extensions import db
from ..models import Conference, HostAgency, MailWording

#: Each placeholder and what it becomes, for the editor's help.
PLACEHOLDERS = {
    "kinh_gui": "Dòng «Kính gửi»: tên cơ quan, hoặc họ tên, chức vụ và cơ quan của người được mời",
    "moi_ai": "Người được mời: «đại diện lãnh đạo quý cơ quan (02 người)» hoặc họ tên",
    "quy_vi": "«quý cơ quan» hoặc «anh/chị»",
    "xac_nhan": "«xác nhận tham dự và cho biết họ tên người dự» hoặc «xác nhận tham dự, hoặc cho biết người đi thay,»",
    "ten_hoi_nghi": "Tên hội nghị",
    "thoi_gian": "Giờ và ngày họp: «07:30 – 11:30, Thứ Tư ngày 16/12/2026»",
    "dia_diem": "Hội trường, địa chỉ, điện thoại",
    "chu_tri": "Người chủ trì",
    "chuan_bi": "Đại biểu chuẩn bị",
    "han_tra_loi": "Hạn trả lời: «trước 17 giờ 00 ngày 16/12/2026»",
    "lien_ket": "Đường liên kết riêng để trả lời (bắt buộc trong giấy mời và thư nhắc)",
    "ho_ten": "Họ tên đại biểu (thư gửi thẻ)",
    "the_dai_bieu": "Đường liên kết tới thẻ đại biểu (bắt buộc trong thư gửi thẻ)",
    "lien_he": "Người liên hệ của Ban tổ chức, điện thoại, email",
    "co_quan_to_chuc": "Tên cơ quan tổ chức",
}
#: Which placeholders each mail may use, and the one it must contain (the link the mail is for).
USABLE = {
    "invitation": ("lien_ket", [k for k in PLACEHOLDERS if k not in ("ho_ten", "the_dai_bieu")]),
    "reminder": ("lien_ket", [k for k in PLACEHOLDERS if k not in ("ho_ten", "the_dai_bieu")]),
    "pass": ("the_dai_bieu", ["ho_ten", "the_dai_bieu", "ten_hoi_nghi", "thoi_gian", "dia_diem", "chu_tri",
                              "lien_he", "co_quan_to_chuc"]),
}
KIND_LABELS = {"invitation": "Giấy mời", "reminder": "Thư nhắc trả lời", "pass": "Thư gửi thẻ đại biểu"}
BUTTONS = {"lien_ket": "Xác nhận tham dự", "the_dai_bieu": "Mở thẻ đại biểu"}

_INVITATION = """Kính gửi: {kinh_gui}

{co_quan_to_chuc} trân trọng kính mời {moi_ai} tới dự:
{ten_hoi_nghi}

Thời gian: {thoi_gian}
Địa điểm: {dia_diem}
Chủ trì: {chu_tri}
Đại biểu chuẩn bị: {chuan_bi}

Xin vui lòng {xac_nhan} {han_tra_loi} tại đường liên kết riêng:
{lien_ket}

Đường liên kết này dành riêng cho {kinh_gui}; xin không chuyển tiếp thư này. Sau khi xác nhận, mỗi đại biểu nhận \
một thẻ có mã QR để xuất trình tại bàn đón tiếp.

Liên hệ: {lien_he}

Trân trọng,
{co_quan_to_chuc}"""

DEFAULTS = {
    "invitation": ("Giấy mời: {ten_hoi_nghi}", _INVITATION),
    "reminder": ("Nhắc xác nhận tham dự: {ten_hoi_nghi}", _INVITATION.replace(
        "{co_quan_to_chuc} trân trọng", "Ban tổ chức chưa nhận được xác nhận tham dự của {quy_vi} cho hội nghị dưới "
        "đây. Xin vui lòng trả lời để Ban tổ chức chuẩn bị chu đáo.\n\n{co_quan_to_chuc} trân trọng", 1)),
    "pass": ("Thẻ đại biểu: {ten_hoi_nghi}", """Kính gửi {ho_ten},

Ban tổ chức đã ghi nhận anh/chị tham dự:
{ten_hoi_nghi}

Thời gian: {thoi_gian}
Địa điểm: {dia_diem}

Thẻ đại biểu của anh/chị (mã QR đính kèm thư này), xin xuất trình tại bàn đón tiếp:
{the_dai_bieu}

Liên hệ: {lien_he}

Trân trọng,
{co_quan_to_chuc}"""),
}

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


@dataclass
class Wording:
    """The subject and text of one mail of a conference, and whether they are the conference's own."""

    kind: str
    subject: str
    body: str
    custom: bool = False


def deadline_phrase(moment) -> str:
    """A deadline as clerks write it: "trước 17 giờ 00 ngày 16/12/2026"."""
    local = vntime.to_local(moment)
    return f"trước {local.hour:02d} giờ {local.minute:02d} ngày {vntime.format_date(local)}"


def conference_values(conference: Conference, contact: str) -> dict[str, str]:
    """The placeholders every mail of a conference shares."""
    venue = conference.venue
    place = ""
    if venue is not None:
        place = ", ".join(p for p in (venue.full_name, venue.address) if p)
        if venue.phone:
            place += f" (ĐT: {text.format_phone(venue.phone)})"
    host = db.session.scalar(sa.select(HostAgency.name).limit(1)) or "Ban tổ chức"
    starts = conference.starts_at
    return {
        "ten_hoi_nghi": conference.title,
        "thoi_gian": f"{vntime.format_time(starts)} – {vntime.format_time(conference.ends_at)}, "
                     f"{vntime.weekday_vn(starts)} ngày {vntime.format_date(starts)}",
        "dia_diem": place,
        "chu_tri": conference.chair or "",
        "chuan_bi": conference.preparation or "",
        "lien_he": contact,
        "co_quan_to_chuc": host,
    }


def wording(conference_id: int, kind: str) -> Wording:
    """The conference's wording of a mail, else the default."""
    own = db.session.scalar(sa.select(MailWording).where(MailWording.conference_id == conference_id,
                                                         MailWording.kind == kind))
    if own is not None:
        return Wording(kind, own.subject, own.body, custom=True)
    return Wording(kind, *DEFAULTS[kind])


def check(kind: str, subject: str, body: str) -> None:
    """Refuse a wording with an unknown placeholder, or without the link its mail is for."""
    required, usable = USABLE[kind]
    for field_name, content in (("subject", subject), ("body", body)):
        unknown = sorted({name for name in _PLACEHOLDER.findall(content) if name not in usable})
        if unknown:
            raise UserError(f"Không có trường {', '.join('{' + n + '}' for n in unknown)} trong thư này; các trường "
                            f"dùng được: {', '.join('{' + n + '}' for n in usable)}.", field=field_name)
    if not subject.strip():
        raise UserError("Vui lòng nhập tiêu đề thư.", field="subject")
    if "{" + required + "}" not in body:
        raise UserError(f"Nội dung thư phải có {{{required}}}: đó là đường liên kết mà thư này gửi tới người nhận.",
                        field="body")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its placeholders filled; a line whose placeholders are all empty is left out."""
    lines = []
    for line in template.split("\n"):
        names = _PLACEHOLDER.findall(line)
        if names and not any(values.get(name) for name in names):
            continue
        lines.append(_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render(conference_id: int, kind: str, values: dict[str, str]) -> tuple[str, str, str]:
    """(subject, text, HTML) of a mail for one addressee."""
    chosen = wording(conference_id, kind)
    return compose(kind, chosen.subject, chosen.body, values)


def compose(kind: str, subject: str, body: str, values: dict[str, str]) -> tuple[str, str, str]:
    """(subject, text, HTML) of a wording filled with ``values``: the HTML shows the mail's link as a button."""
    text = fill(body, values)
    link_name = USABLE[kind][0]
    link = values.get(link_name, "")
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        with_link = bool(link) and link in lines
        body_lines = [Markup('<a href="{0}" style="color: #0b4f8a; word-break: break-all;">{0}</a>').format(line)
                      if line == link else escape(line) for line in lines]
        paragraphs.append((Markup("<br>").join(body_lines), with_link))
    html = render_template("mail/wording.html", subject=fill(subject, values), paragraphs=paragraphs, link=link,
                           button=BUTTONS[link_name], host=values.get("co_quan_to_chuc", ""))
    return fill(subject, values)[:300], text, html
